#!/usr/bin/env bash
# Sharded indexes: the bundled corpus and a generated 50,000-document corpus
# indexed as one database and as 4 shards; the shards searched locally,
# through xapian-tcpsrv (query/serve-shards.sh), after --compact and after
# --update all return the single database's top 20 ids and scores. A dead
# or hung shard gives an error naming it, or with --allow-partial the
# other shards' results and a warning.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

docs=50000
# Under memcheck, indexing 50,000 documents takes too long.
[ "${E2E_VALGRIND:-0}" = 1 ] && docs=2000
echo "# generated corpus: $docs documents"

# Documents of 10-40 words drawn (seeded) from the bundled corpus's own
# words, so that queries match many documents with varied scores.
cat "$E2E_ROOT"/corpus/*.jsonl | jq -r '.title + " " + (.body // "")' |
    "$SOU_INDEX" --tokenize | tr ' ' '\n' | grep -v '^[[:punct:]]*$' | sort -u >words.txt
awk -v n="$docs" 'BEGIN { srand(20261127) } { w[NR] = $0 } END {
    for (i = 1; i <= n; i++) {
        t = ""; for (j = 0; j < 4; j++) t = t " " w[1 + int(rand() * NR)]
        b = ""; len = 10 + int(rand() * 30)
        for (j = 0; j < len; j++) b = b " " w[1 + int(rand() * NR)]
        gsub(/["\\]/, "", t); gsub(/["\\]/, "", b)
        printf "{\"id\": \"gen-%d\", \"title\": \"%s\", \"body\": \"%s\"}\n", i, t, b
    }
}' words.txt >generated.jsonl
assert_eq "$docs" "$(wc -l <generated.jsonl)" "generated documents"

QUERIES=(CTI 貿易 委員 會議 '貿易 投資' '"digital trade"' APEC 'trade OR 數位' 資深官員會議 合作
    'type:meeting 廣州' 供應鏈)

# top20 DB [OPTION...]: for each query a line: the query, a tab, the top
# 20 as "score id" sorted by score then id (shards number documents
# differently, so equal scores may come in another order; a tie across
# the 20th place is cut at the tie), a tab, and the top 40 as "id=score".
top20() {
    local db=$1 q
    shift
    for q in "${QUERIES[@]}"; do
        sq -d "$db" --json -n 40 "$@" -- "$q"
        case $RC in 0 | 1) ;; *) fail "query [$q] on $db: status $RC" "$ERR" ;; esac
        printf '%s\t%s\t%s\n' "$q" "$(jq -r '.results[:21] as $r | ($r | length) as $n
            | [$r[:20][] | select($n < 21 or .score != $r[20].score)]
            | sort_by(-.score, .id) | map("\(.score) \(.id)") | join(", ")' <<<"$OUT")" \
            "$(jq -r '[.results[] | "\(.id)=\(.score)"] | join(" ")' <<<"$OUT")"
    done
}

# same_top20 A B WHAT [exact]: the two top20 listings agree. Exactly, except for a
# query with a synonym group (a short Chinese word and the longer words
# holding it): Xapian estimates a group's frequency shard by shard, so its
# scores may differ slightly, and near-ties may swap. Then each of the top
# 20 of one must be in the top 40 of the other, its score within 0.1%.
# With "exact", every query must agree exactly (one database each).
same_top20() {
    local report
    report=$(awk -F'\t' '
        function load(list, m,   n, i, e, kv) {
            n = split(list, e, " ")
            for (i = 1; i <= n; i++) { split(e[i], kv, "="); m[kv[1]] = kv[2]; order[i] = kv[1] }
            return n
        }
        function check(x, y, q,   i, n, id, d) {
            delete mx; delete my; delete order
            load(y, my); n = load(x, mx)
            for (i = 1; i <= n && i <= 20; i++) {
                id = order[i]
                if (!(id in my)) { print q ": " id " missing"; return 0 }
                d = mx[id] - my[id]; if (d < 0) d = -d
                if (d > 0.001 * mx[id]) { print q ": " id " scores " mx[id] " and " my[id]; return 0 }
            }
            return 1
        }
        NR == FNR { want2[FNR] = $2; want3[FNR] = $3; next }
        {
            total++
            if ($2 == want2[FNR]) { exact++; next }
            if (check(want3[FNR], $3, $1) && check($3, want3[FNR], $1)) near++
        }
        END { printf "%d exact, %d near, of %d\n", exact, near, total }' "$1" "$2")
    if [[ $report =~ ^([0-9]+)\ exact,\ ([0-9]+)\ near,\ of\ ([0-9]+)$ ]] &&
        [ $((BASH_REMATCH[1] + BASH_REMATCH[2])) = "${BASH_REMATCH[3]}" ] &&
        { [ "${4:-}" != exact ] || [ "${BASH_REMATCH[2]}" = 0 ]; }; then
        echo "# $3: $report queries (near: a synonym group, within 0.1%)"
    else
        fail "$3" "$report"
    fi
}

for corpus in bundled generated; do
    src=$E2E_ROOT/corpus
    [ $corpus = generated ] && src=generated.jsonl
    si -q -o "$corpus-1" "$src"
    assert_exit 0 "$corpus: one database"
    si -q --shards 4 -o "$corpus-4" "$src"
    assert_exit 0 "$corpus: 4 shards"
    assert_eq 4 "$(grep -c '^glass gen-1/shard-' "$corpus-4/XAPIANDB")" "$corpus: the stub lists 4 shards"
    assert_eq "$(cat "$corpus-4/XAPIANDB")" "$(cat "$corpus-4/sou.stub")" "$corpus: sou.stub"
    for k in 0 1 2 3; do
        n=$(xapian-delve -1 "$corpus-4/shard-$k.stub" 2>/dev/null | sed -n 's/^number of documents = //p')
        [ "${n:-0}" -gt 0 ] || fail "$corpus: shard $k is empty"
    done
    # Every shard holds the glossary of the whole index, counts included.
    si --acronyms "$corpus-1"
    whole=$OUT
    for k in 0 1 2 3; do
        si --acronyms "$corpus-4/shard-$k.stub"
        assert_eq "$whole" "$OUT" "$corpus: shard $k's glossary is the whole index's"
    done
    top20 "$corpus-1" >"$corpus-1.top"
    [ "$(grep -c ', ' "$corpus-1.top")" -ge 6 ] || fail "$corpus: too few queries with several results"
    top20 "$corpus-4" >"$corpus-4.top"
    same_top20 "$corpus-1.top" "$corpus-4.top" "$corpus: 4 local shards against one database"
    # As many workers as shards: each worker builds and compacts its own
    # shard, which holds the same documents as the merged build's.
    si -q -j 4 --shards 4 -o "$corpus-4j" "$src"
    assert_exit 0 "$corpus: 4 shards by 4 workers"
    live=$(sed -n 's/^glass \(gen-[0-9]*\)\/shard-0$/\1/p' "$corpus-4j/XAPIANDB")
    [ -e "$corpus-4j/$live/parts" ] && fail "$corpus: 4 workers left their parts in $live"
    for k in 0 1 2 3; do
        assert_eq "$(xapian-delve -a -1 "$corpus-4/shard-$k.stub" 2>/dev/null | grep '^Q')" \
            "$(xapian-delve -a -1 "$corpus-4j/shard-$k.stub" 2>/dev/null | grep '^Q')" \
            "$corpus: shard $k's ids, built by one worker and by all"
        si --acronyms "$corpus-4j/shard-$k.stub"
        assert_eq "$whole" "$OUT" "$corpus: shard $k's glossary by one worker"
    done
    top20 "$corpus-4j" >"$corpus-4j.top"
    same_top20 "$corpus-4.top" "$corpus-4j.top" "$corpus: 4 shards by 4 workers against 2" exact
done

# The same shards served by xapian-tcpsrv on loopback.
port=$(free_ports 4)
"$E2E_ROOT/query/serve-shards.sh" -b -p "$port" -o remote.stub generated-4 2>serve.err ||
    fail "serve-shards.sh failed" "$(cat serve.err)"
for pid in $(cat remote.stub.pids 2>/dev/null); do E2E_BG_PIDS+=("$pid"); done
assert_eq 4 "$(grep -c '^remote 127.0.0.1:' remote.stub)" "remote.stub lists 4 servers"
top20 remote.stub >remote.top
same_top20 generated-1.top remote.top "4 remote shards against one database"
# A list of databases: two shards remote, the stub of the others local.
printf 'remote 127.0.0.1:%d\nremote 127.0.0.1:%d\n' "$port" $((port + 1)) >half.stub
printf 'glass %s/generated-4/gen-1/shard-2\nauto generated-4/shard-3.stub\n' "$PWD" >local-half.stub
top20 half.stub -d local-half.stub >mixed.top
same_top20 generated-1.top mixed.top "two remote and two local shards (-d twice)"

# One server dies: an error naming it, at once; or, allowed, a warning
# and the other shards' results.
pids=()
[ -f remote.stub.pids ] && mapfile -t pids <remote.stub.pids
[ ${#pids[@]} = 4 ] || { fail "no server PIDs; the remote checks cannot run"; exit 1; }
kill "${pids[2]}"
wait_for 10 sh -c "! kill -0 ${pids[2]} 2>/dev/null"
sq -d remote.stub -n 3 CTI
assert_exit 3 "a dead shard without --allow-partial"
assert_contains "$ERR" "shard 2 of remote.stub (remote 127.0.0.1:$((port + 2))): NetworkError" \
    "the error names the dead shard"
sq -d remote.stub --allow-partial --json -n 20 會議
assert_exit 0 "a dead shard with --allow-partial"
assert_contains "$(jq -r '.warnings[0]' <<<"$OUT")" "shard 2 of remote.stub" "the warning names it"
assert_contains "$ERR" "sou-query: warning: partial results; left out shard 2" "warning on stderr"
total=$(jq .total <<<"$OUT")
sq -d generated-1 --json -n 0 會議
full=$(jq .total <<<"$OUT")
[ "$total" -gt 0 ] && [ "$total" -lt "$full" ] ||
    fail "partial results: $total of $full matches, expected some but not all"
# sou.cgi with SOU_ALLOW_PARTIAL=1: visitors learn only that results are
# partial; the log names the shard.
SOU_DB=remote.stub SOU_ALLOW_PARTIAL=1 REQUEST_METHOD=GET QUERY_STRING='q=會議&format=json' \
    run "${memcheck[@]}" "$(dirname "$SOU_QUERY")/sou.cgi"
assert_contains "$OUT" '"warnings": [' "sou.cgi: the JSON has warnings"
assert_contains "$OUT" "1 shard of the index did not answer; the results are partial" \
    "sou.cgi: the warning"
assert_not_contains "$OUT" "127.0.0.1" "sou.cgi: no server address in the answer"
assert_contains "$ERR" "sou.cgi: partial results; left out shard 2 of remote.stub" "sou.cgi: log"

# A hung server (stopped, its port still open) times out instead of
# hanging the search.
kill -STOP "${pids[1]}"
t0=$(date +%s%N)
SOU_REMOTE_TIMEOUT_MS=800 sq -d remote.stub -n 3 CTI
ms=$((($(date +%s%N) - t0) / 1000000))
kill -CONT "${pids[1]}"
assert_exit 3 "a hung shard"
assert_contains "$ERR" "shard 1 of remote.stub (remote 127.0.0.1:$((port + 1))): NetworkTimeoutError" \
    "a hung shard: a timeout naming it"
[ "$ms" -lt 20000 ] || fail "a hung shard held the search for $ms ms"
echo "# a hung shard failed the search after $ms ms (timeout 800 ms)"
kill "${pids[@]}" 2>/dev/null

# --compact merges the shards into one database, answering the same.
si -q --compact generated-4
assert_exit 0 "--compact"
assert_eq "glass gen-2" "$(head -n 1 generated-4/XAPIANDB)" "--compact: one database"
top20 generated-4 >compact.top
same_top20 generated-1.top compact.top "compacted shards against one database" exact

# --update on a sharded index puts each document in its shard, once.
si -q --shards 4 -o upd-4 "$E2E_ROOT/corpus"
get_doc_count bundled-1
one=$COUNT
grep '"id": "forum-cti"' "$E2E_ROOT/corpus/fora.jsonl" | sed 's/委員會/委員會（更新）/' >changes.jsonl
printf '{"id": "new-doc", "title": "新的文件 New document", "body": "貿易暨投資委員會(CTI)的新文件。"}\n' \
    >>changes.jsonl
for db in bundled-1 upd-4; do
    si -q --update "$db" changes.jsonl
    assert_exit 0 "--update of $db"
done
get_doc_count upd-4
assert_eq $((one + 1)) "$COUNT" "--update of 4 shards: one document more"
top20 bundled-1 >bundled-1u.top
top20 upd-4 >upd-4.top
same_top20 bundled-1u.top upd-4.top "updated shards against the updated database"
