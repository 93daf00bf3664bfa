#!/usr/bin/env bash
# bench/retrieval-gen and bench/retrieval.sh on hand-written fixtures
# (tests/data/retrieval, described in its README): the collection and query
# files exactly, reproducible seeds, queries drawn from their target, and the
# driver's ranks and figures checked against sou-query itself.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

build=$(dirname "$SOU_INDEX")
fix=$E2E_DATA/retrieval
gen() { run "${memcheck[@]}" "$build/bench/retrieval-gen" "$@"; }

# figure NAME: the value of retrieval-gen's "NAME value" line in OUT.
figure() {
    printf '%s\n' "$OUT" | sed -n "s/^$1 //p"
}

# The collection: two sentences a document, words joined without spaces.
gen --sentences-per-doc 2 --queries 30 --prefix gold "$fix/gold.txt" docs.jsonl q1.tsv
assert_exit 0 "retrieval-gen on gold.txt"
assert_eq "4 8 1" "$(figure documents) $(figure sentences) $(figure 'max df')" \
    "documents, sentences, max df"
assert_eq "gold-000001 gold-000002 gold-000003 gold-000004" \
    "$(jq -r .id docs.jsonl | paste -sd' ' -)" "ids"
assert_eq "今天我們去圖書館借書。圖書館裡有很多書。" \
    "$(jq -r 'select(.id == "gold-000001") | .body' docs.jsonl)" "body of U+3000-separated lines"
assert_eq "我們在台北開會，討論颱風的影響。他住在New York，也學C語言。" \
    "$(jq -r 'select(.id == "gold-000002") | .body' docs.jsonl)" "a space only between Latin words"
assert_eq "" "$(jq -r .title docs.jsonl | sort -u)" "empty titles"
assert_eq "$(figure queries)" "$(wc -l <q1.tsv)" "query count printed"

# Same seed, same files; another seed, other queries.
gen --sentences-per-doc 2 --queries 30 --prefix gold "$fix/gold.txt" docs2.jsonl q1b.tsv
assert_eq "$(cat q1.tsv)" "$(cat q1b.tsv)" "same seed, same queries"
assert_eq "$(cat docs.jsonl)" "$(cat docs2.jsonl)" "same documents"
gen --seed 2 --sentences-per-doc 2 --queries 30 --prefix gold "$fix/gold.txt" docs2.jsonl q2.tsv
assert_exit 0 "retrieval-gen --seed 2"
if [ "$(cat q1.tsv)" = "$(cat q2.tsv)" ]; then
    fail "seed 2 gives the same queries as seed 1"
fi

# Every query: 1-3 distinct words of its target, each with a Han character,
# none repeated as a query of the same target, and 書 (in two documents) never.
while IFS=$'\t' read -r target query; do
    body=$(jq -r --arg id "$target" 'select(.id == $id) | .body' docs.jsonl)
    read -ra words <<<"$query"
    if [ ${#words[@]} -lt 1 ] || [ ${#words[@]} -gt 3 ]; then
        fail "query [$query]: ${#words[@]} words"
    fi
    [ "$(printf '%s\n' "${words[@]}" | sort -u | wc -l)" -eq ${#words[@]} ] ||
        fail "query [$query] repeats a word"
    for w in "${words[@]}"; do
        assert_contains "$body" "$w" "word $w of [$query] in $target"
        grep -qP '\p{Han}' <<<"$w" || fail "word $w of [$query] has no Han character"
        [ "$w" != 書 ] || fail "書 is in two documents but was drawn for $target"
    done
done <q1.tsv
assert_eq "" "$(sort q1.tsv | uniq -d)" "no repeated (target, query)"
assert_eq "博物館" "$(sed -n 's/^gold-000004\t//p' q1.tsv | sort -u)" "gold-000004's only query"

# --per-doc: that many queries for every document (gold-000004 has only one).
gen --per-doc 2 --sentences-per-doc 2 "$fix/gold.txt" docs3.jsonl q3.tsv
assert_eq "2 2 2 1" "$(cut -f1 q3.tsv | sort | uniq -c | awk '{ print $1 }' | paste -sd' ' -)" \
    "--per-doc 2: queries per document"

# CoNLL-U: the range and the empty node are skipped.
gen --sentences-per-doc 1 "$fix/gold.conllu" c.jsonl c.tsv
assert_exit 0 "retrieval-gen on CoNLL-U"
assert_eq $'我們在台北開會。\n颱風來了' "$(jq -r .body c.jsonl)" "CoNLL-U bodies"

# A word only one document has finds that document first.
si -q -o gold.db docs.jsonl
assert_exit 0 "index the generated collection"
get_ids gold.db 博物館
assert_eq gold-000004 "${IDS%% *}" "unique word 博物館 ranks its target first"

# The driver (ids are prefixed with the file's name, gold): one table row
# with figures in range, on the generator's own queries.
export RETRIEVAL_OUT=$PWD/out
run env BUILD="$build" MODES=default QUERIES=30 SENTENCES_PER_DOC=2 \
    "$E2E_ROOT/bench/retrieval.sh" "$fix/gold.txt"
assert_exit 0 "retrieval.sh"
row=$(grep '^| default |' out/retrieval.md)
num='[0-9]+\.[0-9]+'
assert_match "$row" "^\\| default \\| $num \\| $num \\| $num \\| $num \\| $num \\|\$" "table row"
assert_contains "$OUT" "$row" "the table is printed"
IFS='|' read -r _ _ mrr recall zero _ <<<"$row"
awk -v m="$mrr" -v r="$recall" -v z="$zero" \
    'BEGIN { exit !(m >= 0 && m <= 1 && r >= m && r <= 1 && z >= 0 && z <= 1) }' ||
    fail "MRR $mrr, recall $recall, zero-hit $zero out of range"
ranks=out/retrieval/gold-default.tsv
assert_eq "$(cat q1.tsv)" "$(cut -f1,2 "$ranks")" "the driver ran the generator's queries"
assert_eq $'gold-000004\t博物館\t1\t1' "$(grep '^gold-000004' "$ranks")" \
    "the driver ranks 博物館's target first"

# With common words allowed (MAX_DF=4: every document), targets share their
# words and rank lower; every rank the driver recorded must be the target's
# place in sou-query's own top 10, and MRR and recall follow from the ranks.
run env BUILD="$build" MODES=default QUERIES=30 SENTENCES_PER_DOC=2 MAX_DF=4 \
    "$E2E_ROOT/bench/retrieval.sh" "$fix/gold.txt"
assert_exit 0 "retrieval.sh with MAX_DF=4"
IFS='|' read -r _ _ mrr recall zero _ <<<"$(grep '^| default |' out/retrieval.md)"
while IFS=$'\t' read -r target query rank hits; do
    get_ids gold.db "$query" -n 10 --no-expand
    expect=0
    read -ra got <<<"$IDS"
    for i in "${!got[@]}"; do
        [ "${got[$i]}" = "$target" ] && expect=$((i + 1)) && break
    done
    assert_eq "$expect ${#got[@]}" "$rank $hits" "rank and hits of [$query]"
done <"$ranks"
[ "$(awk -F'\t' '$3 > 1' "$ranks" | wc -l)" -gt 0 ] ||
    fail "with common words, no target ranked below first" "$(cat "$ranks")"
assert_eq " $(awk -F'\t' '$3 { s += 1 / $3 } END { printf "%.3f", s / NR }' "$ranks") " "$mrr" \
    "MRR is the mean reciprocal rank"
assert_eq " $(awk -F'\t' '$3 { n++ } END { printf "%.3f", n / NR }' "$ranks") " "$recall" \
    "recall@10 is the share of targets found"
awk -v m="$mrr" -v r="$recall" 'BEGIN { exit !(r > m) }' ||
    fail "recall@10 $recall is not above MRR $mrr although some targets rank below first"

# Bad input and usage.
gen "$fix/gold.txt" docs.jsonl
assert_exit 2 "two files: usage"
gen --seed x "$fix/gold.txt" a.jsonl a.tsv
assert_exit 2 "bad --seed: usage"
printf '他 \xff\n' >bad.txt
gen bad.txt a.jsonl a.tsv
assert_exit 1 "invalid UTF-8"
assert_contains "$ERR" "bad.txt:1: invalid UTF-8" "invalid UTF-8 names the line"
printf 'a b c\n' >latin.txt
gen latin.txt a.jsonl a.tsv
assert_exit 1 "no Han word"
run env BUILD="$build" MODES="default no-such-mode" QUERIES=5 \
    "$E2E_ROOT/bench/retrieval.sh" "$fix/gold.txt"
assert_exit 1 "retrieval.sh with a mode sou-index refuses"
assert_contains "$OUT" "| no-such-mode | - | - | - | - | - |" "the refused mode's row"
