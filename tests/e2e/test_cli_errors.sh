#!/usr/bin/env bash
# Command-line and query errors: exit statuses and messages of sou-query and
# sou-index.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# ---- No index ---------------------------------------------------------------------
sq -d nowhere APEC
assert_exit 3 "no index"
assert_eq "sou-query: no index at nowhere; run sou-index first" "$ERR" "no index: message"
assert_eq "" "$OUT" "no index: stdout"
# The default index directory is sou.db.
sq APEC
assert_exit 3 "no index at the default path"
assert_eq "sou-query: no index at sou.db; run sou-index first" "$ERR" "default path: message"
SOU_DB=elsewhere sq APEC
assert_exit 3 "no index at \$SOU_DB"
assert_eq "sou-query: no index at elsewhere; run sou-index first" "$ERR" "\$SOU_DB: message"

# A directory that exists but holds no index.
mkdir emptydir notsou
printf 'x\n' >notsou/file.txt
for dir in emptydir notsou; do
    sq -d "$dir" APEC
    assert_exit 3 "-d $dir (no index in it)"
done
no_index_message_is_clean() {
    local dir
    for dir in emptydir notsou; do
        sq -d "$dir" APEC
        assert_match "$ERR" "^sou-query: no index at $dir; run sou-index first( \\([^()]*\\))?\$" \
            "-d $dir: one clean message"
    done
}
no_index_message_is_clean

# The article alone: these checks are about the command line, not the corpus.
article=$E2E_ROOT/corpus/article.jsonl
si -q -o db "$article"
assert_exit 0 "indexing corpus/"

# ---- Empty queries ------------------------------------------------------------------
for query in '' ' ' '、。！' '!!! ... ???' '""' '「」'; do
    sq -d db "$query"
    assert_exit 2 "query [$query]"
    assert_eq "sou-query: the query has no searchable words" "$ERR" "query [$query]: message"
    assert_eq "" "$OUT" "query [$query]: stdout"
done
sq -d db $'APEC \xff'
assert_exit 2 "query with invalid UTF-8"
assert_eq "sou-query: query is not valid UTF-8 (byte 5)" "$ERR" "invalid UTF-8: message"

# ---- Syntax errors, with the column (in characters) where they are -------------------
syntax_error() { # QUERY COLUMN REASON
    sq -d db -- "$1"
    assert_exit 2 "syntax error in [$1]"
    assert_eq "sou-query: syntax error at column $2: $3" "$ERR" "syntax error in [$1]: message"
    assert_eq "" "$OUT" "syntax error in [$1]: stdout"
}
BAD_DATE='expected date:YYYY[-MM[-DD]][..YYYY[-MM[-DD]]]'
NO_VALUE='a filter needs a value, as in type:meeting'
OR_JOIN='OR must join two searchable clauses'
syntax_error '"unterminated' 1 'unterminated quote'
syntax_error 'OR foo' 1 "$OR_JOIN"
syntax_error 'foo OR' 5 "$OR_JOIN"
syntax_error 'date:2026-13' 1 "$BAD_DATE"
syntax_error 'type:' 1 "$NO_VALUE"
syntax_error 'APEC "Digital Weeks' 6 'unterminated quote'
# Columns count characters, not bytes (會議 is 6 bytes).
syntax_error '會議 "數位' 4 'unterminated quote'
syntax_error '會議 OR' 4 "$OR_JOIN"
syntax_error '廣州 type:' 4 "$NO_VALUE"
syntax_error 'APEC date:2026-13' 6 "$BAD_DATE"
syntax_error 'APEC date:2026-1' 6 "$BAD_DATE"
syntax_error 'date:2026-05..2026-13' 1 "$BAD_DATE"
syntax_error 'date:2026-05...2026-06' 1 "$BAD_DATE"
syntax_error 'date:..' 1 "$BAD_DATE"
syntax_error 'date:abc' 1 "$BAD_DATE"
syntax_error 'date:2026-09..2026-05' 1 'date range ends before it starts'
syntax_error 'foo OR OR bar' 8 "$OR_JOIN"
syntax_error 'APEC OR -廣州' 9 'OR cannot join an excluded clause'
syntax_error 'lang: APEC' 1 "$NO_VALUE"
syntax_error 'APEC id:' 6 "$NO_VALUE"

# ---- Options ------------------------------------------------------------------------
for n in -1 abc 10001 '' 1x 99999999999; do
    sq -d db -n "$n" APEC
    assert_exit 2 "-n '$n'"
    assert_eq "sou-query: -n must be a number from 0 to 10000, not \"$n\"" "$ERR" "-n '$n': message"
done
for k in -1 x 4294957296; do
    sq -d db --offset "$k" APEC
    assert_exit 2 "--offset '$k'"
    assert_eq "sou-query: --offset must be a number from 0 to 4294957295, not \"$k\"" "$ERR" \
        "--offset '$k': message"
done
sq -d db -n 10000 --offset 4294957295 APEC
# Matches exist, none on this page: still "found" (exit 1 means no match).
assert_exit 0 "the largest -n and --offset"
assert_contains "$OUT" "none shown from result 4294957296 on" "the largest --offset: message"
sq -d db --limit 1 APEC
assert_exit 0 "--limit"
sq -d db
assert_exit 2 "no QUERY"
assert_eq "sou-query: no QUERY given" "$(sed -n 1p <<<"$ERR")" "no QUERY: message"
assert_contains "$ERR" "usage: sou-query" "no QUERY: usage"
sq -d db --bogus APEC
assert_exit 2 "unknown option"
assert_contains "$ERR" "usage: sou-query" "unknown option: usage"
sq -d db -n
assert_exit 2 "-n without a value"
for help in --help -h; do
    sq "$help"
    assert_exit 0 "sou-query $help"
    assert_eq "usage: sou-query [-d DB]... [-n N] [--offset K] [--json] [--explain]" \
        "$(sed -n 1p <<<"$OUT")" "sou-query $help: usage on stdout"
    assert_contains "$OUT" "Exit status: 0 results found; 1 no results; 2 usage or query syntax" \
        "sou-query $help: exit statuses"
    assert_eq "" "$ERR" "sou-query $help: stderr"
done

# Several QUERY arguments are joined with spaces; after --, a query may
# start with '-'.
sq -d db --json 資深 官員
assert_exit 0 "two QUERY arguments"
assert_eq '資深 官員' "$(jq -r .query <<<"$OUT")" "two QUERY arguments: joined"
# The article has 廣州, so excluding it leaves nothing.
sq -d db --json -- -廣州 APEC
assert_exit 1 "a query starting with -, after --"
assert_eq '-廣州 APEC' "$(jq -r .query <<<"$OUT")" "a query starting with -: joined"
assert_eq 0 "$(jq '.results | length' <<<"$OUT")" "a query starting with -: the article is left out"
# Without --, a word starting with - that is not an option is still a word.
sq -d db --json APEC -廣州
assert_exit 1 "an exclusion among the words, without --"
assert_eq 'APEC -廣州' "$(jq -r .query <<<"$OUT")" "an exclusion without --: joined"
sq -d db --json APEC -袋鼠
assert_exit 0 "an exclusion of a missing word, without --"
assert_eq apec-2026-som1-article "$(jq -r '.results[0].id' <<<"$OUT")" \
    "an exclusion of a missing word: the article"
sq -d db -- APEC -袋鼠
assert_exit 0 "an exclusion as its own argument, after --"
assert_contains "$OUT" "id: apec-2026-som1-article" "an exclusion after --: result"
sq -d db --explain '資深官員會議 -袋鼠'
assert_exit 0 "--explain"
assert_eq "tokens: 資深 官員 會議 袋鼠" "$(sed -n 1p <<<"$OUT")" "--explain: tokens"
# Terms are shown as searched: folded to Simplified.
assert_match "$(sed -n 2p <<<"$OUT")" '^xapian: Query\(.*资深.*PHRASE.*AND_NOT.*袋鼠.*\)$' "--explain: query"

# ---- sou-index ------------------------------------------------------------------------
si
assert_exit 2 "sou-index with no PATH"
assert_eq "sou-index: no PATH to index" "$(sed -n 1p <<<"$ERR")" "no PATH: message"
assert_contains "$ERR" "usage: sou-index [-o DB] [-q | -v] [-j N] [--shards N] [--glossary FILE]..." \
    "no PATH: usage"
assert_eq "" "$OUT" "no PATH: stdout"
si -o db2
assert_exit 2 "sou-index -o DB with no PATH"
si --tokenize "$E2E_ROOT/corpus"
assert_exit 2 "sou-index --tokenize with a PATH"
assert_eq "sou-index: --tokenize reads stdin and takes no PATH" "$ERR" "--tokenize PATH: message"
si -x "$E2E_ROOT/corpus"
assert_exit 2 "sou-index with an unknown option"
assert_contains "$ERR" "usage: sou-index" "unknown option: usage"
si -o
assert_exit 2 "sou-index -o without a value"
for help in --help -h; do
    si "$help"
    assert_exit 0 "sou-index $help"
    assert_eq "usage: sou-index [-o DB] [-q | -v] [-j N] [--shards N] [--glossary FILE]..." \
        "$(sed -n 1p <<<"$OUT")" "sou-index $help: usage on stdout"
    assert_eq "" "$ERR" "sou-index $help: stderr"
done
# Nothing was written by the failed command lines.
if [ -e db2 ] || [ -e sou.db ]; then
    fail "a usage error created an index directory"
fi

# -v names each document; -q prints nothing when all went well.
si -v -o db3 "$article"
assert_exit 0 "sou-index -v"
assert_eq "indexed apec-2026-som1-article" "$(sed -n 1p <<<"$ERR")" "-v: names the document"
si -q -o db3 "$article"
assert_exit 0 "sou-index -q"
assert_eq "" "$ERR$OUT" "-q: silent"
