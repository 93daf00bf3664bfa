#!/usr/bin/env bash
# The analysis settings an index records: its mode, its lexicon and its
# user lexicon. sou-query analyzes queries the index's way, and refuses an
# index whose lexicon differs from its own; bad options and bad lexicons
# are named.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

corpus=$E2E_ROOT/corpus
lexicon=${SOU_LEXICON_FILE:-$(dirname "$SOU_INDEX")/share/sou/lexicon.bin}

# ---- Options -------------------------------------------------------------------
si --analysis trigrams -o db "$corpus"
assert_exit 2 "--analysis with an unknown mode"
assert_contains "$ERR" "--analysis: unknown mode 'trigrams'" "unknown mode: message"
si --lexicon nonexistent.txt -o db "$corpus"
assert_exit 3 "--lexicon with a missing file"
assert_contains "$ERR" "nonexistent.txt" "missing lexicon: names the file"
printf '深圳年會\nAPEC 10\n' >bad-lexicon.txt
si --lexicon bad-lexicon.txt -o db "$corpus"
assert_exit 3 "--lexicon with a bad line"
assert_contains "$ERR" 'bad-lexicon.txt:2: "APEC" is not a word of Chinese characters' \
    "bad lexicon: names the file and line"
[ -e db ] && fail "a bad lexicon created an index"

# ---- Each mode is recorded and followed by sou-query ---------------------------
for mode in words+grams words icu bigrams; do
    si -q --analysis "$mode" -o "db-$mode" "$corpus"
    assert_exit 0 "index in mode $mode"
    sq -d "db-$mode" --json -n 3 --no-expand 資深官員會議
    assert_exit 0 "[資深官員會議] in mode $mode"
    settings=$(xapian-metadata get "db-$mode" sou:analysis)
    assert_eq "$mode" "$(jq -r .mode <<<"$settings")" "mode $mode is recorded"
    if [ "$mode" = icu ] || [ "$mode" = bigrams ]; then
        assert_eq "" "$(jq -r .lexicon <<<"$settings")" "mode $mode: no lexicon recorded"
    else
        assert_match "$(jq -r .lexicon <<<"$settings")" '^[0-9a-f]{16}$' "mode $mode: lexicon digest"
    fi
done
# Part of a word: only the grams find 委員 inside 委員會 (and 委 alone).
for q in 委員 委; do
    sq -d db-words+grams --json -n 0 --no-expand "$q"
    grams=$(jq .total <<<"$OUT")
    sq -d db-words --json -n 0 --no-expand "$q"
    words=$(jq .total <<<"$OUT")
    [ "$grams" -gt "$words" ] || fail "[$q]: words+grams finds $grams, words alone $words"
done
# The gram lists the words it is part of: a SYNONYM of the query word.
sq -d db-words+grams --explain --no-expand 委員
assert_match "$(sed -n 2p <<<"$OUT")" '^xapian: Query\(\(委员@1 SYNONYM .*委员会' \
    "words+grams: a short word also matches the words it is part of"
sq -d db-words --explain --no-expand 委員
assert_eq "xapian: Query(委员@1)" "$(sed -n 2p <<<"$OUT")" "words: no grams"
# Those words weigh as themselves: part-of-word matches are ranked.
sq -d db-words+grams --json -n 5 --no-expand 委員
assert_eq "0" "$(jq '[.results[] | select(.score == 0)] | length' <<<"$OUT")" \
    "[委員]: every result has a weight"
sq -d db-bigrams --explain --no-expand 資深官員
assert_contains "$OUT" "资深@1" "bigrams: the query is cut in pairs too"
assert_contains "$OUT" "深官@2" "bigrams: overlapping pairs"

# ---- A user lexicon is kept in the index and used for queries ------------------
# ICU and the default lexicon cut 深圳年會上 as 深圳/年/會上, so the name
# 深圳年會 is no phrase there; listed in a user lexicon it is one word.
printf '# meetings\n深圳年會\n' >user.txt
sq -d db-words --json -n 50 --no-expand '"深圳年會"'
without=$(jq .total <<<"$OUT")
si -q --lexicon user.txt -o db-user "$corpus"
assert_exit 0 "index with a user lexicon"
sq -d db-user --explain --no-expand 深圳年會
assert_eq "tokens: 深圳年會" "$(sed -n 1p <<<"$OUT")" "the query uses the index's user lexicon"
sq -d db-user --json -n 50 --no-expand '"深圳年會"'
with=$(jq .total <<<"$OUT")
grep -l '深圳年會' "$corpus"/*.jsonl >/dev/null || fail "the corpus no longer mentions 深圳年會"
[ "$with" -ge "$without" ] && [ "$with" -gt 0 ] ||
    fail "[\"深圳年會\"]: $with documents with the user lexicon, $without without"

# ---- A different lexicon: refused, with both digests named --------------------
cp "$lexicon" other.bin
# The digest sits in the header after eight 4-byte fields (lexicon_format.h).
printf '\x01\x02\x03\x04\x05\x06\x07\x08' | dd of=other.bin bs=1 seek=40 conv=notrunc status=none
SOU_LEXICON=$PWD/other.bin run "$SOU_QUERY" -d db-words 資深
assert_exit 3 "a query with another lexicon"
assert_contains "$ERR" 'was built with lexicon "' "another lexicon: says which setting"
assert_contains "$ERR" "rebuild it with sou-index" "another lexicon: says what to do"
# The icu mode uses no lexicon, so the same program still reads it.
SOU_LEXICON=$PWD/other.bin run "$SOU_QUERY" -d db-icu -n 1 資深
assert_exit 0 "an icu index needs no lexicon"

# A program far from any lexicon names every place it looked.
mkdir -p alone/bin && cp "$SOU_QUERY" alone/bin/sou-query
run alone/bin/sou-query -d db-words 資深
assert_exit 3 "a program with no lexicon"
assert_contains "$ERR" "no segmentation lexicon in $PWD/alone/bin/share/sou/lexicon.bin, $PWD/alone/bin/../share/sou/lexicon.bin or " \
    "no lexicon: the places tried"
assert_contains "$ERR" "set SOU_LEXICON" "no lexicon: what to do"

# ---- ICU is loaded only when a text needs it -----------------------------------
# The programs do not link ICU (lib/icu.h). glibc's loader names each
# library it loads under LD_DEBUG=files; snippets are analyzed too.
icu_loads() {
    LD_DEBUG=files "$SOU_QUERY" "$@" 2>&1 >/dev/null | grep -c 'file=libicuuc\.so' || true
}
assert_eq 0 "$(icu_loads -d db-words+grams -n 10 資深官員會議)" "a Han query does not load ICU"
assert_eq 0 "$(icu_loads -d db-words+grams -n 10 --json 'APEC Senior Officials')" \
    "an English query does not load ICU"
[ "$(icu_loads -d db-words+grams -n 0 café)" -gt 0 ] || fail "[café] did not load ICU"
[ "$(icu_loads -d db-icu -n 0 資深)" -gt 0 ] || fail "the icu mode did not load ICU"
# A library of another ICU release is refused, one without the functions
# is named, and neither matters to a query that needs no ICU.
major=$(pkg-config --modversion icu-uc | cut -d. -f1)
mkdir -p fake-icu/other fake-icu/empty
{
    for f in ubrk_open ubrk_close ubrk_setUText ubrk_first ubrk_next ubrk_getRuleStatus \
        utext_openUTF8 utext_close u_errorName; do
        echo "void ${f}_$major(void) {}"
    done
    echo "void u_getVersion_$major(unsigned char *v) { v[0] = $major; v[1] = 99; v[2] = v[3] = 0; }"
    echo "void u_versionToString_$major(const unsigned char *v, char *s)" \
        "{ (void)v; __builtin_strcpy(s, \"$major.99\"); }"
} >fake-icu/other.c
echo 'void nothing(void) {}' >fake-icu/empty.c
cc -shared -fPIC -o "fake-icu/other/libicuuc.so.$major" fake-icu/other.c &&
    cc -shared -fPIC -o "fake-icu/empty/libicuuc.so.$major" fake-icu/empty.c ||
    fail "cannot build the fake ICU libraries"
LD_LIBRARY_PATH=$PWD/fake-icu/other run "$SOU_QUERY" -d db-words+grams -n 1 café
assert_exit 3 "another ICU release"
assert_contains "$ERR" "cannot load ICU: libicuuc.so.$major is ICU $major.99, but Sou was built with ICU " \
    "another ICU release: both versions named"
LD_LIBRARY_PATH=$PWD/fake-icu/empty run "$SOU_QUERY" -d db-words+grams -n 1 café
assert_exit 3 "an ICU library without its functions"
assert_contains "$ERR" "cannot load ICU: libicuuc.so.$major has no ubrk_open_$major" \
    "an ICU library without its functions: the missing one named"
LD_LIBRARY_PATH=$PWD/fake-icu/empty run "$SOU_QUERY" -d db-words+grams -n 1 資深官員會議
assert_exit 0 "a Han query with no usable ICU"
