#!/usr/bin/env bash
# bench/segscore and bench/fmm-baseline on hand-written fixtures
# (tests/data/seg, figures worked out in its README): exact P/R/F1 for known
# errors, 1.000 for gold against itself, CoNLL-U reading, OOV figures with a
# word list, and the errors for different characters and bad usage.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

bench=$(dirname "$SOU_INDEX")/bench
seg=$E2E_DATA/seg
ss() { run "${memcheck[@]}" "$bench/segscore" "$@"; }
fmm() { run "${memcheck[@]}" "$bench/fmm-baseline" "$@"; }

# figure NAME: the value of segscore's "NAME value" line in OUT.
figure() {
    printf '%s\n' "$OUT" | sed -n "s/^$1 //p"
}

# Known errors: 10 correct of 14 test and 16 gold words.
ss "$seg/gold.txt" "$seg/test.txt"
assert_exit 0 "segscore gold test"
assert_eq "16 14 10" "$(figure 'gold words') $(figure 'test words') $(figure correct)" "counts"
assert_eq "0.714 0.625 0.667" "$(figure P) $(figure R) $(figure F1)" "P R F1"
assert_eq "- -" "$(figure 'OOV rate') $(figure 'OOV recall')" "no OOV figures without a word list"

# With a word list: 開會 and 生命 are OOV; 開會 is found.
ss --words "$seg/words.txt" "$seg/gold.txt" "$seg/test.txt"
assert_exit 0 "segscore --words"
assert_eq "2 0.125 0.500 0.643" \
    "$(figure 'oov words') $(figure 'OOV rate') $(figure 'OOV recall') $(figure 'IV recall')" \
    "OOV count, rate, recall, IV recall"

# Gold against itself, and against a copy with CRLF line ends.
ss --words "$seg/words.txt" "$seg/gold.txt" "$seg/gold.txt"
assert_eq "1.000 1.000 1.000 1.000" "$(figure P) $(figure R) $(figure F1) $(figure 'OOV recall')" \
    "gold against itself"
sed 's/$/\r/' "$seg/gold.txt" >crlf.txt
ss "$seg/gold.txt" crlf.txt
assert_eq "1.000" "$(figure F1)" "CRLF line ends"

# --diff: the two differing lines, gold then test.
ss --diff "$seg/gold.txt" "$seg/test.txt"
assert_contains "$OUT" $'line 2\n- gold: 研究 生命 的 起源\n+ test: 研究生 命 的 起源' "--diff line 2"
assert_contains "$OUT" $'line 3\n- gold: 他 買 了 三 本 書\n+ test: 他 買了 三本 書' "--diff line 3"
assert_not_contains "$OUT" "line 1"$'\n' "--diff skips the identical line"
assert_eq 2 "$(figure 'differing lines')" "--diff count"

# CoNLL-U: the range 1-2 and the empty node 5.1 are skipped (10 words).
printf '我們 今天 在 台北 開會 。\n研究 生命 的 起源\n' >conllu-gold.txt
ss "$seg/gold.conllu" conllu-gold.txt
assert_exit 0 "segscore on CoNLL-U"
assert_eq "2 10 1.000" "$(figure sentences) $(figure 'gold words') $(figure F1)" "CoNLL-U as gold"
head -2 "$seg/test.txt" >conllu-test.txt
ss "$seg/gold.conllu" conllu-test.txt
assert_eq "8 0.800 0.800 0.800" "$(figure correct) $(figure P) $(figure R) $(figure F1)" \
    "CoNLL-U against a test with errors"

# A full-width ASCII form matches its ASCII character (as in the AS gold).
printf '用 Ｃ 語言\n' >fw-gold.txt
printf '用 C 語言\n' >fw-test.txt
ss fw-gold.txt fw-test.txt
assert_eq "1.000" "$(figure F1)" "full-width and ASCII c"

# Different characters: an error naming the sentence and both lines.
ss "$seg/gold.txt" "$seg/mismatch.txt"
assert_exit 1 "different characters"
assert_contains "$ERR" "sentence 2 ($seg/gold.txt:2, $seg/mismatch.txt:2): different characters" \
    "the error names line 2"
head -2 "$seg/test.txt" >short.txt
ss "$seg/gold.txt" short.txt
assert_exit 1 "fewer test sentences"
assert_contains "$ERR" "has 3 sentences" "sentence count error"
printf '他 \xff\n' >bad-utf8.txt
ss "$seg/gold.txt" bad-utf8.txt
assert_exit 1 "invalid UTF-8"
assert_contains "$ERR" "bad-utf8.txt:1: invalid UTF-8" "invalid UTF-8 names the line"
ss "$seg/gold.txt" missing.txt
assert_exit 1 "missing test file"
ss "$seg/gold.txt"
assert_exit 2 "one file: usage"
ss --bogus "$seg/gold.txt" "$seg/test.txt"
assert_exit 2 "unknown option: usage"

# Forward maximum matching: the longest listed word first, else one character.
printf '研究\n研究生\n生命\n起源\n' >fmm-words.txt
printf '研究生命的起源\n\n研究　起源\r\n' >fmm-in.txt
RUN_STDIN=fmm-in.txt fmm fmm-words.txt
assert_exit 0 "fmm-baseline"
assert_eq $'研究生 命 的 起源\n\n研究 起源' "$OUT" "fmm-baseline segmentation"
fmm
assert_exit 2 "fmm-baseline without a word list"

# seg-bench.sh over one CoNLL-U gold file: a row per mode, the lexicon pass
# (words) scored like ICU alone, fmm-baseline skipped for want of a word list.
run env BUILD="$(dirname "$SOU_INDEX")" SEG_ROUNDS=1 "$E2E_ROOT/bench/seg-bench.sh" "$seg/gold.conllu"
assert_exit 0 "seg-bench.sh on a CoNLL-U file"
for mode in icu words; do
    assert_match "$(grep "^| $mode |" <<<"$OUT")" "^\| $mode \| [01]\.[0-9]{3} \| [01]\.[0-9]{3} \| " \
        "seg-bench: $mode scored"
done
assert_match "$(grep '^| fmm-baseline |' <<<"$OUT")" '^\| fmm-baseline \| - \| - \| - \| - \| ' \
    "seg-bench: fmm-baseline needs a word list"
assert_match "$(grep '^| icu |' <<<"$OUT")" '\| 1\.00 \|$' "seg-bench: icu's speed is the unit"
