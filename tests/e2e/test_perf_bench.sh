#!/usr/bin/env bash
# bench/perf.sh, the performance benchmark's driver, in a tiny run: 0.2 MB,
# two rounds, Sou's scaling at 0.1 (indexed once) and 0.2 MB (its rounds
# reused), 7 queries a process each, no cold cache (dropping the page cache
# would slow everything else on the machine). The report has a row for each
# installed indexer and none for a missing one, its figures parse and are
# the medians of the CSV's, and the CSV has exactly one row per measurement.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

build=$(dirname "$SOU_INDEX")
bench=$build/bench
shared=${SHARED:-../shared}
case $shared in
/*) ;;
*) shared=$E2E_ROOT/$shared ;;
esac
gold=$shared/data/seg-gold
[ -f "$gold/as_test.utf8" ] || gold=$E2E_DATA/bench-corpus/gold

fts5=0 omega=0
if [ -x "$bench/fts5-bench" ] && { "$bench/fts5-bench" >/dev/null 2>&1; [ $? -eq 2 ]; }; then
    fts5=1
else
    echo "# fts5-bench is not built: FTS5 must be left out"
fi
if command -v scriptindex >/dev/null && command -v quest >/dev/null &&
    command -v xapian-compact >/dev/null; then
    omega=1
else
    echo "# Omega is not installed: it must be left out"
fi

export PERF_OUT=$PWD/out
run env BUILD="$build" PERF_GOLD="$gold" PERF_SIZES=0.2 PERF_ROUNDS=2 PERF_SCALING="0.1 0.2" \
    PERF_COLD=0 PERF_PROCESS_QUERIES=7 "$E2E_ROOT/bench/perf.sh"
assert_exit 0 "perf.sh"
report=$(cat out/perf.md)
assert_contains "$OUT" "$report" "the report is printed"
assert_contains "$report" "cold: not measured (PERF_COLD=0)" "no cold figures, said so"
csv=out/perf.csv

# ---- The CSV: columns, numbers, one row per measurement --------------------------

assert_eq "size_mb,round,tool,metric,value" "$(head -1 "$csv")" "CSV header"
assert_eq "" "$(tail -n +2 "$csv" | grep -vE '^0\.[12],[1-9][0-9]*,[a-z0-9-]+,[a-z0-9_]+,-?[0-9]+(\.[0-9]+)?$')" \
    "CSV rows: size, round, tool, metric, number"
assert_eq "" "$(tail -n +2 "$csv" | cut -d, -f1-4 | sort | uniq -d)" "no measurement twice"

index_keys='1 cpu_s 1 rss_mb 1 size_bytes 1 wall_s 2 cpu_s 2 rss_mb 2 size_bytes 2 wall_s'
expect_tools="corpus sou sou-j1 sou-qbench sou-qbench-nosnip sou-query"
builds="sou sou-j1"
# With several processors, a build with a shard per worker too, and its
# queries.
[ "$(getconf _NPROCESSORS_ONLN)" -gt 1 ] && builds+=" sou-shards" &&
    expect_tools+=" sou-shards sou-qbench-shards"
for t in $builds; do
    assert_eq "$index_keys" "$(keys 0.2 $t)" "$t: two rounds of each measurement"
done
qkeys='1 errors 1 p50_ms 1 p95_ms 1 p99_ms 1 qps 1 zero_hit_rate'
assert_eq "$qkeys" "$(keys 0.2 sou-qbench)" "sou-qbench's figures"
assert_eq "$qkeys" "$(keys 0.2 sou-qbench-nosnip)" "sou-qbench --no-snippets' figures"
case $builds in
*sou-shards*)
    assert_eq "$qkeys" "$(keys 0.2 sou-qbench-shards)" "sou-qbench's figures, a shard per worker"
    assert_contains "$report" "| Sou --shards $(getconf _NPROCESSORS_ONLN) (a shard per worker) |" \
        "the sharded build's row"
    ;;
esac
# Kept: latency per kind of query (the kinds of the zero-hit lines, p50 no
# more than p99) and the five slowest queries.
qb=out/sou-qbench-0.2.txt
assert_eq "$(awk '/^zero hits / { print $3 }' "$qb")" "$(awk '/^latency / { print $2 }' "$qb")" \
    "a latency line for each kind of query"
assert_eq "" "$(awk '/^latency / && !($3 + 0 <= $4 + 0)' "$qb")" "latency per kind: p50 <= p99"
assert_eq 5 "$(grep -c '^slowest [0-9.]* ms [a-z0-9]*	.' "$qb")" "the five slowest queries"
pkeys=$(for i in 1 2 3 4 5 6 7; do printf '%s hits\n%s warm_ms\n' $i $i; done | sort | paste -sd' ' -)
assert_eq "$pkeys" "$(keys 0.2 sou-query)" "sou-query: a time and hits for each of 7 queries"
assert_eq "1 bytes 1 documents 1 queries" "$(keys 0.2 corpus)" "the corpus's figures"
assert_eq "1 bytes 1 documents 1 queries" "$(keys 0.1 corpus)" "the scaling corpus's figures"
assert_eq "1 cpu_s 1 rss_mb 1 size_bytes 1 wall_s" "$(keys 0.1 sou)" "0.1 MB: Sou indexed once"
assert_eq "corpus sou" "$(awk -F, '$1 == "0.1" { print $3 }' "$csv" | sort -u | paste -sd' ' -)" \
    "0.1 MB (scaling only): Sou alone"
if command -v quest >/dev/null; then
    expect_tools+=" quest-sou quest-same"
    assert_eq "$pkeys" "$(keys 0.2 quest-sou)" "quest on Sou's index: 7 queries"
    assert_eq "$(for i in 1 2 3 4 5 6 7; do printf '%s hits\n%s same_top\n%s warm_ms\n' $i $i $i; done |
        sort | paste -sd' ' -)" "$(keys 0.2 quest-same)" "quest given Sou's query: 7 queries, each compared with Sou's"
    # Given Sou's query, quest runs the same search: the same documents,
    # in the same order, for every query.
    assert_eq "$(awk -F, '$3 == "sou-query" && $4 == "hits" { print $2, $5 }' "$csv")" \
        "$(awk -F, '$3 == "quest-same" && $4 == "hits" { print $2, $5 }' "$csv")" \
        "quest given Sou's query: as many results as sou-query, query by query"
    assert_contains "$report" "found the same 10 best documents, in order, for 7 of 7 queries" \
        "quest given Sou's query: the same 10 best, in order"
    assert_match "$(grep -F "| quest given Sou's query |" <<<"$report")" "^\\| [^|]+ \\| [0-9]+\\.[0-9]+ \\| - \\|\$" \
        "sou-query ÷ quest given Sou's query, warm"
fi
if [ "$fts5" = 1 ]; then
    expect_tools+=" fts5 fts5-one fts5-query fts5-query-snip"
    assert_eq "$index_keys" "$(keys 0.2 fts5)" "fts5: two rounds"
    assert_eq "${qkeys% 1 zero_hit_rate} 1 short_word_rate 1 zero_hit_rate" "$(keys 0.2 fts5-query)" \
        "fts5-bench query's figures"
    assert_eq "$pkeys" "$(keys 0.2 fts5-one)" "fts5-bench one: 7 queries"
fi
if [ "$omega" = 1 ]; then
    expect_tools+=" omega omega-compact quest-omega"
    assert_eq "$index_keys" "$(keys 0.2 omega)" "omega: two rounds"
    assert_eq "$index_keys" "$(keys 0.2 omega-compact)" "xapian-compact: two rounds"
    assert_eq "$pkeys" "$(keys 0.2 quest-omega)" "quest on Omega's index: 7 queries"
fi
assert_eq "$(sorted_words "$expect_tools")" \
    "$(awk -F, 'NR > 1 && $1 == "0.2" { print $3 }' "$csv" | sort -u | paste -sd' ' -)" \
    "the tools measured are the installed ones"

# The corpus is bench-corpus's for the seed and size.
run "$bench/bench-corpus" --seed 1 --size 0.2 --gold "$gold" --corpus "$E2E_ROOT/corpus" c
assert_eq "$(wc -c <c/docs.jsonl) $(wc -l <c/docs.jsonl)" \
    "$(value 0.2 1 corpus bytes) $(value 0.2 1 corpus documents)" "corpus bytes and documents"

# quest-query.awk on every kind of query Sou builds: a SYNONYM group, a
# stem, an expansion's phrases, and a word cut into characters (作為: the
# characters AND-ed, AND_MAYBE the phrase). quest must build the same query
# (the same words and operators in the same order; its parser nests a
# group of phrases in brackets of two, the same SYNONYM, and numbers
# positions its own way) and find the same documents in the same order.
if command -v quest >/dev/null; then
    run "$SOU_INDEX" -q -o bench.db c/docs.jsonl "$E2E_ROOT/corpus"
    assert_exit 0 "an index of the bench corpus and the bundled one"
    for q in 作為 CTI "企業 CTI" "APEC meetings" 會議 "貿易暨投資委員會 作為"; do
        run "$SOU_QUERY" -d bench.db --explain -n 1 -- "$q"
        sou_desc=$(sed -n 's/^xapian: //p' <<<"$OUT" | sed -E 's/@[0-9]+//g; s/[()]//g')
        qq=$(awk -f "$E2E_ROOT/bench/quest-query.awk" <<<"$OUT")
        quest -d bench.db -s none -o synonym -p z:Z -m 10 -- "$qq" >quest.out
        assert_eq "$sou_desc" "$(sed -n 's/^Parsed Query: //p' quest.out | sed -E 's/@[0-9]+//g; s/[()]//g')" \
            "quest builds Sou's query for [$q]"
        run "$SOU_QUERY" -d bench.db -n 10 --json -- "$q"
        assert_eq "$(jq -r '.results[].id' <<<"$OUT")" \
            "$(LC_ALL=C awk '/^[0-9]+: \[/ { want = 1 }
                want && match($0, /"id":"[^"]*"/) { print substr($0, RSTART + 6, RLENGTH - 7); want = 0 }' quest.out)" \
            "quest finds Sou's 10 best for [$q], in order"
    done
    assert_contains "$(run "$SOU_QUERY" -d bench.db --explain -n 1 -- 作為; awk -f "$E2E_ROOT/bench/quest-query.awk" <<<"$OUT")" \
        "+(" "作為 has a required part and an optional one"
fi

awk -F, 'NR > 1 && ($4 ~ /^(wall_s|size_bytes|rss_mb)$/) && $5 <= 0 { bad = 1; print }
    END { exit bad }' "$csv" || fail "a time, size or memory figure is not above 0"
awk -F, '$4 == "hits" && ($5 < 0 || $5 > 10) { bad = 1; print } END { exit bad }' "$csv" ||
    fail "hits outside 0-10 (or a failed process)"

# ---- The report: a row per installed indexer, figures from the CSV ---------------

num='[0-9]+\.[0-9]+'
jobs=$(getconf _NPROCESSORS_ONLN)
labels=("Sou (-j $jobs, the default)" "Sou -j 1" "SQLite FTS5 trigram"
    "Omega (scriptindex, CJK n-grams)" "Omega + xapian-compact")
installed=(1 1 "$fts5" "$omega" "$omega")
tools=(sou sou-j1 fts5 omega omega+compact)
for i in "${!labels[@]}"; do
    row=$(grep -F "| ${labels[$i]} |" <<<"$report" | head -1)
    if [ "${installed[$i]}" = 0 ]; then
        assert_eq "" "$row" "no row for ${labels[$i]}, not installed"
        continue
    fi
    assert_match "$row" "^\\| [^|]+ \\| $num \\| $num–$num \\| $num \\| $num \\| [0-9]+ \\| $num \\| $num \\|\$" \
        "indexing row of ${labels[$i]}"
    [ "${tools[$i]}" = omega+compact ] && continue
    # Two rounds: the median is their mean, the range their min and max.
    t=${tools[$i]}
    read -r wall range _ _ _ size _ <<<"$(tr -d '|' <<<"${row#"| ${labels[$i]} "}")"
    assert_eq "$(awk -v a="$(value 0.2 1 "$t" wall_s)" -v b="$(value 0.2 2 "$t" wall_s)" \
        'BEGIN { printf "%.2f", (a + b) / 2 }')" "$wall" "${labels[$i]}: wall s, the median"
    assert_eq "$(awk -v a="$(value 0.2 1 "$t" wall_s)" -v b="$(value 0.2 2 "$t" wall_s)" \
        'BEGIN { printf "%.2f–%.2f", a < b ? a : b, a < b ? b : a }')" "$range" \
        "${labels[$i]}: rounds s, the fastest and slowest"
    assert_eq "$(awk -v a="$(value 0.2 1 "$t" size_bytes)" -v b="$(value 0.2 2 "$t" size_bytes)" \
        'BEGIN { printf "%.1f", (a + b) / 2e6 }')" "$size" "${labels[$i]}: index MB"
done
# Sou ÷ FTS5: the ratio of the medians, then the range of the rounds' own.
if [ "$fts5" = 1 ]; then
    cell=$(grep -F "| MB/s, ${labels[0]} |" <<<"$report" | cut -d'|' -f3 | sed 's/^ //; s/ $//')
    assert_eq "$(awk -v s1="$(value 0.2 1 sou wall_s)" -v s2="$(value 0.2 2 sou wall_s)" \
        -v f1="$(value 0.2 1 fts5 wall_s)" -v f2="$(value 0.2 2 fts5 wall_s)" 'BEGIN {
            a = f1 / s1; b = f2 / s2
            printf "%.2f (%.2f–%.2f)", ((f1 + f2) / 2) / ((s1 + s2) / 2), a < b ? a : b, a < b ? b : a }')" \
        "$cell" "Sou ÷ FTS5: the ratio of the medians, and of each round"
fi
[ "$fts5" = 1 ] || assert_contains "$report" "FTS5: left out" "the missing FTS5 is named"
[ "$omega" = 1 ] || assert_contains "$report" "Omega: left out" "the missing Omega is named"

# qrow LABEL: the in-process query row's cells, space-separated.
qrow() {
    grep -F "| $1 |" <<<"$report" | sed "s/^| $1 //" | tr -d '|' | tr -s ' ' | sed 's/^ //; s/ $//'
}
read -r p50 p95 p99 qps sou_zero _ <<<"$(qrow 'Sou, snippets')"
assert_match "$p50 $p95 $p99 $qps $sou_zero" "^$num $num $num [0-9]+ $num\$" "Sou's query row"
awk -v a="$p50" -v b="$p95" -v c="$p99" 'BEGIN { exit !(a <= b && b <= c) }' ||
    fail "Sou: p50 <= p95 <= p99" "$p50 $p95 $p99"
assert_eq "$(value 0.2 1 sou-qbench zero_hit_rate)" "$sou_zero" "Sou's zero-hit rate from the CSV"
if [ "$fts5" = 1 ]; then
    read -r _ _ _ _ fts_zero short <<<"$(qrow 'FTS5, no snippets')"
    assert_match "$fts_zero $short" "^$num $num\$" "FTS5's zero-hit and short-word rates"
    awk -v s="$sou_zero" -v f="$fts_zero" 'BEGIN { exit !(s <= f) }' ||
        fail "Sou's zero-hit rate $sou_zero is above FTS5's $fts_zero"
fi

read -r w50 w95 c50 c95 zero <<<"$(qrow 'sou-query -n 10 --json (Sou)')"
assert_match "$w50 $w95 $c50 $c95 $zero" "^$num $num - - $num\$" "sou-query's process row"
awk -v a="$w50" -v b="$w95" 'BEGIN { exit !(a > 0 && a <= b) }' ||
    fail "sou-query: 0 < p50 <= p95" "$w50 $w95"
assert_eq "$(awk -F, '$1 == "0.2" && $3 == "sou-query" && $4 == "hits" { n++; z += $5 == 0 }
    END { printf "%.3f", z / n }' "$csv")" "$zero" "sou-query's zero-hit rate from the CSV"

# Scaling: 0.1 MB once, 0.2 MB from its two rounds.
assert_match "$(grep '^| 0\.1 |' <<<"$report")" "^\\| 0\\.1 \\| [0-9]+ \\| 1 \\| $num \\|" \
    "scaling row 0.1: one run"
assert_match "$(grep '^| 0\.2 |' <<<"$report")" "^\\| 0\\.2 \\| $(value 0.2 1 corpus documents) \\| 2 \\|" \
    "scaling row 0.2: the two rounds"

# A missing program is an error before anything runs.
run env BUILD="$PWD/nowhere" PERF_SIZES=0.2 "$E2E_ROOT/bench/perf.sh"
assert_exit 1 "perf.sh without the programs"
assert_contains "$ERR" "run make bench-perf" "perf.sh says how to build them"
