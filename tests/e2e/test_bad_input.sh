#!/usr/bin/env bash
# Bad input (tests/data/bad): each bad document is reported with its file,
# line and reason and skipped, the good ones are indexed, exit status 1. A
# run where every document is bad fails with 3 and changes nothing.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

cp -r "$E2E_DATA/bad" bad

# tests/data/bad:
#   broken.txt   invalid UTF-8 on line 2
#   crlf.jsonl   UTF-8 BOM and CRLF line ends; line 2 malformed
#   empty.txt    blank lines only
#   health.md    good
#   ignored.csv  not a corpus format: not read
#   .hidden.jsonl  hidden: not read (it is not JSON)
#   mixed.jsonl  1 good, 2 invalid UTF-8, 3 malformed JSON, 4 an array,
#                5 blank, 6 no id, 7 empty document, 8 invalid date,
#                9 good, 10 a field that is an object, 11 good
SKIPS="sou-index: bad/broken.txt:2: invalid UTF-8 at byte 13 (FF: a byte that never occurs in UTF-8); skipped
sou-index: bad/crlf.jsonl:2: malformed JSON at column 44: premature end of input near '\"Unclosed string'; skipped
sou-index: bad/empty.txt: empty document; skipped
sou-index: bad/mixed.jsonl:2: invalid UTF-8 at byte 36 (E8 B2: a lead byte without all its continuation bytes); skipped
sou-index: bad/mixed.jsonl:3: malformed JSON at column 67: '}' expected near end of file; skipped
sou-index: bad/mixed.jsonl:4: expected a JSON object, found an array; skipped
sou-index: bad/mixed.jsonl:6: missing \"id\"; skipped
sou-index: bad/mixed.jsonl:7: empty document; skipped
sou-index: bad/mixed.jsonl:8: invalid date \"2026-13-01\" (want YYYY[-MM[-DD]]); skipped
sou-index: bad/mixed.jsonl:10: field \"title\" must be a string, not an object; skipped"
SUMMARY='^sou-index: 6 documents indexed, 10 skipped, [0-9.]+ MB in [0-9.]+ s -> db$'

for quiet in '' -q; do
    rm -rf db
    si ${quiet:+"$quiet"} -o db bad
    assert_exit 1 "indexing bad/ $quiet"
    assert_eq "" "$OUT" "indexing bad/ $quiet: stdout"
    # One line per bad document, in order, then the summary (printed even
    # with -q since documents were skipped).
    assert_eq "$SKIPS" "$(sed '$d' <<<"$ERR")" "indexing bad/ $quiet: one message per bad document"
    assert_match "$(tail -n 1 <<<"$ERR")" "$SUMMARY" "indexing bad/ $quiet: summary"
done

# Every good document is searchable, and nothing else.
get_doc_count db
assert_eq 6 "$COUNT" "documents indexed from bad/"
assert_eq "$(sorted_words "bad-ok-1 bad-ok-2 bad-ok-3 crlf-ok-1 crlf-ok-2 bad/health.md")" \
    "$(sorted_words "$IDS")" "the good documents"
assert_ids db 反貪污 "bad-ok-1"
assert_ids db pandemic "bad-ok-2"
assert_ids db 'asset recovery' "bad-ok-3"
assert_ids db 結構改革 "crlf-ok-1"
assert_ids db regulatory "crlf-ok-2"
assert_ids db 疫苗 "bad/health.md"
assert_ids db 'type:meeting 部長' "crlf-ok-1"
# The BOM is not part of the first document's id, and CR is not in the body.
assert_ids db id:crlf-ok-1 "crlf-ok-1"
json_search db id:crlf-ok-2
assert_eq 'Ministers discussed competition policy and regulatory quality.' \
    "$(jq -r '.results[0].snippet' <<<"$OUT")" "crlf-ok-2's body"
json_search db id:bad-ok-3
assert_eq '{"pages":"12","draft":"false"}' "$(jq -c '.results[].fields | {pages, draft}' <<<"$OUT")" \
    "bad-ok-3's number and boolean fields"
for query in id:bad-date IPEG id:bad-field id:bad-empty id:bad-utf8 id:bad-json 沒有編號 \
    'Unclosed string' 'not json'; do
    assert_no_results db "$query"
done

# A path that does not exist is a skipped document.
si -o db2 bad/health.md nowhere.jsonl
assert_exit 1 "a missing path"
assert_eq "sou-index: nowhere.jsonl: cannot open: No such file or directory; skipped" \
    "$(sed -n 1p <<<"$ERR")" "a missing path: message"
assert_match "$(sed -n 2p <<<"$ERR")" '^sou-index: 1 documents indexed, 1 skipped, ' \
    "a missing path: summary"

# Every document bad: exit 3, and the previous index stays as it was.
sed -n '2,4p;6,8p;10p' bad/mixed.jsonl >allbad.jsonl
before=$(snapshot db)
stub=$(cat db/XAPIANDB)
si -o db allbad.jsonl nowhere.txt
assert_exit 3 "every document bad"
assert_eq "sou-index: allbad.jsonl:1: invalid UTF-8 at byte 36 (E8 B2: a lead byte without all its continuation bytes); skipped
sou-index: allbad.jsonl:2: malformed JSON at column 67: '}' expected near end of file; skipped
sou-index: allbad.jsonl:3: expected a JSON object, found an array; skipped
sou-index: allbad.jsonl:4: missing \"id\"; skipped
sou-index: allbad.jsonl:5: empty document; skipped
sou-index: allbad.jsonl:6: invalid date \"2026-13-01\" (want YYYY[-MM[-DD]]); skipped
sou-index: allbad.jsonl:7: field \"title\" must be a string, not an object; skipped
sou-index: nowhere.txt: cannot open: No such file or directory; skipped
sou-index: no document could be indexed
sou-index: failed; db is unchanged" "$ERR" "every document bad: messages"
assert_eq "$stub" "$(cat db/XAPIANDB)" "every document bad: the stub is unchanged"
assert_eq gen-1 "$(gens db)" "every document bad: no generation left behind"
# Only the lock file and the directory's own mtime (the new generation was
# made and removed) may differ.
unlocked() { grep -v -e '^\. ' -e '^\./lock ' -e ' \./lock$'; }
assert_eq "$(unlocked <<<"$before")" "$(snapshot db | unlocked)" \
    "every document bad: the index directory is unchanged"
get_doc_count db
assert_eq 6 "$COUNT" "every document bad: the old documents are all there"
assert_ids db 反貪污 "bad-ok-1"

# An empty input file is no document at all.
: >empty.jsonl
si -o db empty.jsonl
assert_exit 3 "an empty .jsonl"
assert_eq "sou-index: no document could be indexed
sou-index: failed; db is unchanged" "$ERR" "an empty .jsonl: messages"
