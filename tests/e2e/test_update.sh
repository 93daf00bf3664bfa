#!/usr/bin/env bash
# Incremental updates: --update adds and replaces documents by id, --delete
# removes them, each as one transaction on the live index; the result
# scores like a full build of the same documents. Readers querying during
# updates always get a whole result set from one state of the index.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

cp -r "$E2E_DATA/good" good
QUERIES=(能源 數位貿易 '蘇州 OR 成都' meeting type:meeting 'date:2026-05..2026-09' 會議 廣州 量子 糾
    QCWG)

# scores_of DB: for each query, its matches as sorted "id score" pairs.
# Document numbers differ between an updated index and a rebuilt one, so
# ties may be ordered differently; the scores may not.
scores_of() {
    local q all=''
    for q in "${QUERIES[@]}"; do
        json_search "$1" "$q" -n 10000
        all+="$q: $(jq -r '[.results[] | "\(.id)=\(.score)"] | sort | join(" ")' <<<"$OUT")"$'\n'
    done
    SCORES=$all
}

si -o db good
assert_exit 0 "first build"
scores_of db
before=$SCORES

# som1-guangzhou is replaced, quantum-wg is new and defines an acronym,
# and the third line is broken.
cat >changes.jsonl <<'JSON'
{"id": "som1-guangzhou", "title": "第一次資深官員會議改期", "date": "2026-02-12", "lang": "zh-Hant", "type": "meeting", "body": "資深官員會議延後兩天舉行，議程不變。"}
{"id": "quantum-wg", "title": "量子通訊合作", "date": "2026-10-01", "lang": "zh-Hant", "type": "news", "body": "新成立的「量子通訊工作小組」(QCWG)將研究量子糾纏在通訊上的應用。"}
{"id": "broken"
JSON
si --update db changes.jsonl
assert_exit 1 "update with one broken line"
assert_contains "$ERR" "sou-index: changes.jsonl:3: malformed JSON" "update: the broken line is named"
assert_contains "$ERR" "sou-index: 2 documents added or replaced, 1 skipped" "update: summary"
assert_eq gen-1 "$(live_gen db)" "an update changes the live generation in place"
get_doc_count db
assert_eq 12 "$COUNT" "documents after the update"
assert_no_results db 'id:som1-guangzhou 廣州'
assert_ids db 改期 som1-guangzhou
assert_ids db QCWG quantum-wg
# 糾 is only part of the new word 糾纏: the gram lists were rewritten.
assert_ids db 糾 quantum-wg
si --acronyms db
assert_contains "$OUT" $'QCWG\t量子通訊工作小組' "the mined acronym is in the glossary"
assert_contains "$OUT" "mined:quantum-wg" "the glossary says where QCWG comes from"

# The updated index scores exactly like a full build of the same documents.
# (Text files take their path as id, so the rebuild runs from a folder
# that holds good/ too.)
mkdir rebuilt
cp -r good rebuilt/
grep -v '"som1-guangzhou"' good/2026-meetings.jsonl >rebuilt/good/2026-meetings.jsonl
head -n 2 changes.jsonl >rebuilt/good/changes.jsonl
(cd rebuilt && si -o ../db-rebuilt good)
assert_exit 0 "rebuild of the same documents"
scores_of db
updated=$SCORES
scores_of db-rebuilt
assert_eq "$SCORES" "$updated" "scores: updated index against a full rebuild"

# Deleting: ids that exist go, one that does not is reported.
si --delete db quantum-wg nosuch
assert_exit 1 "delete with one unknown id"
assert_contains "$ERR" "sou-index: no document has id 'nosuch'; skipped" "delete: unknown id"
assert_contains "$ERR" "sou-index: 1 documents deleted, 1 skipped" "delete: summary"
get_doc_count db
assert_eq 11 "$COUNT" "documents after the delete"
assert_no_results db QCWG
assert_no_results db 糾
si --acronyms db
assert_not_contains "$OUT" QCWG "a deleted document's acronym leaves the glossary"

# Putting som1-guangzhou back gives the first index's scores again.
grep '"som1-guangzhou"' good/2026-meetings.jsonl >restore.jsonl
si -q --update db restore.jsonl
assert_exit 0 "update restoring som1-guangzhou"
scores_of db
assert_eq "$before" "$SCORES" "scores after undoing every change"

# index_state DB: the index's content (not the lock file, which names the
# last writer, nor Xapian's flintlock, which each writer touches).
index_state() {
    md5sum "$1"/XAPIANDB "$1"/gen-*/*.glass "$1"/gen-*/iamglass
}

# Nothing to do, bad combinations, and no index: clear errors, no change.
state=$(index_state db)
si --delete db nosuch
assert_exit 3 "delete of ids that do not exist"
assert_contains "$ERR" "no document could be deleted" "delete of nothing: message"
assert_contains "$ERR" "sou-index: failed; db is unchanged" "delete of nothing: db unchanged"
si --update db --analysis bigrams changes.jsonl
assert_exit 2 "--update with --analysis"
assert_contains "$ERR" "--analysis cannot be used with --update" "--update --analysis: message"
si --delete db
assert_exit 2 "--delete without ids"
assert_contains "$ERR" "--delete db: no ID to delete given" "--delete without ids: message"
si --update db --delete db x
assert_exit 2 "--update with --delete"
si --update nothing-here changes.jsonl
assert_exit 3 "update of a missing index"
assert_contains "$ERR" "nothing-here holds no index to update; build one first" "missing index"
[ ! -e nothing-here ] || fail "an update of a missing index created it"
assert_eq "$state" "$(index_state db)" "failed runs left db untouched"

# A held lock: the update gives up at once, naming the holder.
# (flock runs the holder as its child, which writes its own pid as a
# writer does.)
: >db/lock
flock -n db/lock sh -c 'echo $$ >db/lock; exec sleep 30' &
E2E_BG_PIDS+=("$!")
wait_for 10 test -s db/lock || fail "the lock holder did not start"
holder=$(cat db/lock)
E2E_BG_PIDS+=("$holder")
si --update db restore.jsonl
assert_exit 3 "update while another writer holds the lock"
assert_contains "$ERR" "sou-index: index db is being updated by pid $holder" "lock: message"
kill "$holder"
wait

# Readers during writes: every answer is all N marker documents, all of
# one version, while updates rewrite them one version after another.
N=300
rounds=20
[ "${E2E_VALGRIND:-0}" = 1 ] && rounds=3
marker() {
    awk -v v="$1" -v n="$N" 'BEGIN {
        for (i = 1; i <= n; i++)
            printf "{\"id\": \"marker-%d\", \"title\": \"marker v%d\", \"body\": \"marker " \
                   "document %d, version %d, 版本%d\"}\n", i, v, i, v, v
    }' >"marker-$1.jsonl"
}
marker 0
si -q --update db marker-0.jsonl
assert_exit 0 "marker documents added"
(
    for v in $(seq 1 "$rounds"); do
        marker "$v"
        "${memcheck[@]}" "$SOU_INDEX" -q --update db "marker-$v.jsonl" || echo "update $v failed"
    done
) >writer.log 2>&1 &
writer=$!
E2E_BG_PIDS+=("$writer")
queries=0 torn=0
while kill -0 "$writer" 2>/dev/null || [ "$queries" -lt 3 ]; do
    json_search db marker -n 1000
    got=$(jq -r '"\(.results | length) \([.results[].title] | unique | length)"' <<<"$OUT")
    queries=$((queries + 1))
    if [ "$got" != "$N 1" ]; then
        torn=$((torn + 1))
        fail "query $queries during updates: $got (results, versions)" "$ERR"
    fi
done
wait "$writer"
assert_eq "" "$(cat writer.log)" "every update during the queries succeeded"
assert_eq 0 "$torn" "torn result sets in $queries queries"
json_search db marker -n 1
assert_eq "marker v$rounds" "$(jq -r '.results[0].title' <<<"$OUT")" "the last update is visible"
echo "# $queries queries during $rounds updates, $torn torn"
