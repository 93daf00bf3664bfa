#!/usr/bin/env bash
# sou-index --jobs: documents spread over worker processes by id and the
# shards merged into one compacted database give the same index as one
# worker: the same documents, glossary, rankings and scores.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

corpus=$E2E_ROOT/corpus
for j in 1 3; do
    si -q -j "$j" -o "db$j" "$corpus" "$E2E_DATA/good"
    assert_exit 0 "index with --jobs $j"
    live=$(sed -n 's/^glass //p' "db$j/XAPIANDB")
    [ -e "db$j/$live/shards" ] && fail "--jobs $j left its shards in $live"
    [ -f "db$j/$live/iamglass" ] || fail "--jobs $j: no database in $live"
done
assert_eq "$(xapian-delve db1 | grep 'number of documents')" \
    "$(xapian-delve db3 | grep 'number of documents')" "document counts"
si --acronyms db1
acronyms1=$OUT
si --acronyms db3
assert_eq "$acronyms1" "$OUT" "the glossary and its document counts"
# Every result with the same score (documents of equal score come in
# document number order, which the merge renumbers).
ranked() {
    jq -c '[.total, ([.results[] | [.score, .id]] | sort)]' <<<"$OUT"
}
for q in 資深官員會議 CTI 'Digital Weeks' 委員 '會議 -廣州' 'type:meeting city:廣州'; do
    sq -d db1 --json -n 100 "$q"
    one=$(ranked)
    sq -d db3 --json -n 100 "$q"
    assert_eq "$one" "$(ranked)" "[$q]: ids and scores with 1 and 3 workers"
done

# A repeated id replaces the first whatever the number of workers.
printf '%s\n' '{"id":"dup","title":"first","body":"alpha"}' \
    '{"id":"other","title":"other","body":"beta"}' \
    '{"id":"dup","title":"second","body":"gamma"}' >dup.jsonl
si -q -j 2 -o dupdb dup.jsonl
assert_exit 0 "index a repeated id with 2 workers"
sq -d dupdb --json gamma
assert_eq "dup" "$(jq -r '.results[0].id' <<<"$OUT")" "the later document replaces the first"
sq -d dupdb --json alpha
assert_exit 1 "the first document is gone"

# Workers pass over the lines of other workers' ids unparsed when the text
# tells the id, and parse the rest: an id written with escapes is the same
# id, a number is an id, and a bad line is reported once whoever owns it.
for i in $(seq 1 40); do
    printf '{"id":"w%d","title":"w%d","body":"omega %d"}\n' "$i" "$i" "$i"
done >ids.jsonl
for i in 1 2 3 4 5 6; do
    printf '{"id":"\\u0077\\u003%d","title":"escaped","body":"epsilon"}\n' "$i"
done >>ids.jsonl
printf '%s\n' '{"id":1234,"title":"number","body":"zeta"}' '{"id":"w9","body":' >>ids.jsonl
for j in 1 3; do
    si -j "$j" -o "ids$j" ids.jsonl
    assert_exit 1 "index escaped and numeric ids with --jobs $j, one line skipped"
    assert_eq 1 "$(grep -c 'ids.jsonl:48: malformed JSON' <<<"$ERR")" \
        "--jobs $j: the bad line reported once"
    sq -d "ids$j" --json -n 100 omega
    assert_eq 34 "$(jq '.total' <<<"$OUT")" "--jobs $j: w1..w40 but the six replaced"
    sq -d "ids$j" --json -n 100 epsilon
    assert_eq '["w1","w2","w3","w4","w5","w6"]' "$(jq -c '[.results[].id] | sort' <<<"$OUT")" \
        "--jobs $j: the escaped ids replace the plain ones"
    sq -d "ids$j" --json id:1234
    assert_eq 1 "$(jq '.total' <<<"$OUT")" "--jobs $j: a numeric id"
done

for bad in 0 65 two; do
    si -j "$bad" -o baddb "$corpus"
    assert_exit 2 "--jobs $bad"
    assert_contains "$ERR" "--jobs: '$bad' is not a number from 1 to 64" "--jobs $bad: message"
done
