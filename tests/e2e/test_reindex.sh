#!/usr/bin/env bash
# Re-indexing: a rebuild gives the same index; a document id seen twice is
# indexed once, with the later content; generations come and go as
# documented; an existing directory that is not a Sou index is never touched.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

cp -r "$E2E_DATA/good" good
cp -r "$E2E_DATA/dup" dup
QUERIES=(能源 數位貿易 '蘇州 OR 成都' meeting 'meeting -Shanghai' type:meeting 'date:2026-05..2026-09'
    '"digital trade"' 會議)


si -o db good
assert_exit 0 "first build"
assert_eq gen-1 "$(live_gen db)" "first build: live generation"
assert_eq gen-1 "$(gens db)" "first build: generations"
get_doc_count db
assert_eq 11 "$COUNT" "first build: documents"
results_of db
first=$RESULTS

# The same corpus again: same documents, same answers, no duplicates.
for n in 2 3; do
    si -o db good
    assert_exit 0 "build $n"
    assert_match "$ERR" '^sou-index: 11 documents indexed, 0 skipped, [0-9.]+ MB in [0-9.]+ s -> db$' \
        "build $n: summary"
    get_doc_count db
    assert_eq 11 "$COUNT" "build $n: documents"
    assert_eq "$(tr ' ' '\n' <<<"$IDS" | sort -u | wc -l)" "$COUNT" "build $n: every id once"
    results_of db
    assert_eq "$first" "$RESULTS" "build $n: same results as the first build"
    assert_eq "gen-$n" "$(live_gen db)" "build $n: live generation"
    # The generation before the live one is kept for readers, older ones go.
    assert_eq "gen-$((n - 1)) gen-$n" "$(gens db)" "build $n: generations"
done
assert_eq $'glass gen-3\n# previous gen-2' "$(cat db/XAPIANDB)" "the stub after build 3"

# A rebuild is a full one: documents no longer in the input are gone.
rm good/2026-news.jsonl
si -o db good
assert_exit 0 "build without 2026-news.jsonl"
get_doc_count db
assert_eq 7 "$COUNT" "documents once 2026-news.jsonl is gone"
assert_no_results db 'id:digital-weeks-chengdu'
assert_ids db '蘇州 OR 成都' "mrt-suzhou"
cp "$E2E_DATA/good/2026-news.jsonl" good/

# An id twice in the input, in two files: indexed once, the later one wins.
# dup/1-draft.jsonl and dup/2-final.jsonl both hold ppsti-agenda, and
# dup/2-final.jsonl also holds a new tourism-macao.
si -o db2 good dup
assert_exit 0 "build of good and dup"
get_doc_count db2
assert_eq 12 "$COUNT" "good + dup: documents"
assert_eq 12 "$(tr ' ' '\n' <<<"$IDS" | sort -u | wc -l)" "good + dup: every id once"
json_search db2 id:ppsti-agenda
assert_eq 'PPSTI final agenda 科技政策夥伴議程定案' "$(jq -r '[.results[].title] | join("|")' <<<"$OUT")" \
    "ppsti-agenda holds the later file's content"
assert_eq '2026-02-04' "$(jq -r '.results[0].fields.date' <<<"$OUT")" "ppsti-agenda's date"
assert_no_results db2 draft
assert_no_results db2 草案
assert_ids db2 定案 "ppsti-agenda"
assert_ids db2 'final agenda' "ppsti-agenda"
json_search db2 id:tourism-macao
assert_eq 'Tourism ministers revise their travel statement' "$(jq -r '[.results[].title] | join("|")' <<<"$OUT")" \
    "tourism-macao from dup/, the later path"
assert_no_results db2 Macao
assert_ids db2 'accessible tourism' "tourism-macao"
assert_id_set db2 'date:2026-06' "tourism-macao"

# In the other order, good/ comes later and its tourism-macao wins.
si -o db3 dup good
assert_exit 0 "build of dup and good"
get_doc_count db3
assert_eq 12 "$COUNT" "dup + good: documents"
json_search db3 id:tourism-macao
assert_eq 'Tourism ministers agree on sustainable travel' "$(jq -r '[.results[].title] | join("|")' <<<"$OUT")" \
    "tourism-macao from good/, the later path"
assert_ids db3 Macao "tourism-macao"

# The same file named twice.
si -o db4 dup/2-final.jsonl dup/2-final.jsonl
assert_exit 0 "one file twice"
get_doc_count db4
assert_eq 2 "$COUNT" "one file twice: documents"

# -o into an existing directory that is not a Sou index: refused, untouched.
mkdir -p notsou/sub
printf 'keep me\n' >notsou/notes.txt
printf '{"id": "x", "title": "t", "body": "b"}\n' >notsou/sub/data.jsonl
before=$(snapshot notsou)
si -o notsou good
assert_exit 3 "-o into a directory that is not a Sou index"
assert_eq "sou-index: notsou exists and is not a Sou index; refusing to overwrite it
sou-index: failed; notsou is unchanged" "$ERR" "-o notsou: messages"
assert_eq "" "$OUT" "-o notsou: stdout"
assert_eq "$before" "$(snapshot notsou)" "notsou is untouched"

# A regular file in the way is refused too.
printf 'data\n' >afile
si -o afile good
assert_exit 3 "-o onto a regular file"
assert_eq "sou-index: afile: Not a directory
sou-index: failed; afile is unchanged" "$ERR" "-o afile: messages"
assert_eq 'data' "$(cat afile)" "afile is untouched"

# An existing empty directory is fine.
mkdir emptydir
si -o emptydir good
assert_exit 0 "-o into an empty directory"
get_doc_count emptydir
assert_eq 11 "$COUNT" "empty directory: documents"

# SOU_DB names the index when -o is not given, for both tools.
SOU_DB=envdb si good
assert_exit 0 "SOU_DB for sou-index"
assert_eq gen-1 "$(live_gen envdb)" "SOU_DB: index written there"
SOU_DB=envdb sq 能源
assert_exit 0 "SOU_DB for sou-query"
assert_contains "$OUT" "id: emm-beijing" "SOU_DB: sou-query reads it"
