#!/usr/bin/env bash
# bench/shards.sh, the sharding benchmark, in a tiny run: 0.4 and 0.2 MB,
# two rounds. The CSV has exactly one row per measurement, for every
# index and search; every search finds what the one database finds; the
# report's figures are the CSV's medians and its estimate starts from
# them; no server outlives the run. Without the gold sets the run says
# so. Bad settings are refused before anything runs.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

build=$(dirname "$SOU_INDEX")
shared=${SHARED:-../shared}
case $shared in
/*) ;;
*) shared=$E2E_ROOT/$shared ;;
esac
gold=$shared/data/seg-gold
[ -f "$gold/as_test.utf8" ] || gold=$E2E_DATA/bench-corpus/gold

mkdir tmp
export SHARDS_OUT=$PWD/out
run env TMPDIR="$PWD/tmp" BUILD="$build" SHARDS_GOLD="$gold" SHARDS_MB=0.4 SHARDS_SMALL_MB=0.2 \
    SHARDS_ROUNDS=2 "$E2E_ROOT/bench/shards.sh"
assert_exit 0 "shards.sh"
report=$(cat out/shards.md)
assert_contains "$OUT" "$report" "the report is printed"
assert_not_contains "$report" "No gold sets" "the gold sets were found"
assert_eq "" "$(pgrep -a -f "$PWD/tmp" || true)" "no server outlives the run"
assert_eq "" "$(ls tmp)" "the scratch directory is removed"
csv=out/shards.csv

# ---- The CSV: columns, numbers, one row per measurement --------------------------

assert_eq "size_mb,round,tool,metric,value" "$(head -1 "$csv")" "CSV header"
assert_eq "" "$(tail -n +2 "$csv" | grep -vE '^0\.[24],[12],[a-z0-9-]+,[a-z0-9_]+,-?[0-9]+(\.[0-9]+)?$')" \
    "CSV rows: size, round, tool, metric, number"
assert_eq "" "$(tail -n +2 "$csv" | cut -d, -f1-4 | sort | uniq -d)" "no measurement twice"

index_keys='1 cpu_s 1 rss_mb 1 size_bytes 1 wall_s 2 cpu_s 2 rss_mb 2 size_bytes 2 wall_s'
qkeys='1 errors 1 p50_ms 1 p95_ms 1 p99_ms 1 qps 1 zero_hit_rate'
qkeys2="$qkeys ${qkeys//1 /2 }"
for t in single-j1 single-j2 sharded-j1 sharded-j2; do
    assert_eq "$index_keys" "$(keys 0.4 "$t")" "$t: two rounds of each measurement"
done
qtools="q-single q-local q-remote q-remote1"
for t in $qtools; do
    assert_eq "$qkeys2" "$(keys 0.4 "$t")" "$t: two rounds of sou-qbench's figures"
    assert_eq "$qkeys2" "$(keys 0.4 "$t-nosnip")" "$t-nosnip: two rounds"
done
assert_eq "$qkeys2" "$(keys 0.2 q-small)" "q-small: two rounds"
assert_eq "1 cpu_s 1 rss_mb 1 size_bytes 1 wall_s" "$(keys 0.2 single-j2)" "0.2 MB indexed once"
for s in 0.2 0.4; do
    assert_eq "1 bytes 1 documents 1 queries" "$(keys $s corpus)" "$s MB: the corpus's figures"
done
expect="corpus sharded-j1 sharded-j2 single-j1 single-j2"
for t in $qtools; do expect+=" $t $t-nosnip"; done
assert_eq "$(sorted_words "$expect")" \
    "$(awk -F, 'NR > 1 && $1 == "0.4" { print $3 }' "$csv" | sort -u | paste -sd' ' -)" "0.4 MB: the tools"
assert_eq "corpus q-small q-small-nosnip single-j2" \
    "$(awk -F, 'NR > 1 && $1 == "0.2" { print $3 }' "$csv" | sort -u | paste -sd' ' -)" "0.2 MB: the tools"

# The corpora are bench-corpus's for the seed and sizes.
for s in 0.2 0.4; do
    run "$build/bench/bench-corpus" --seed 1 --size $s --gold "$gold" --corpus "$E2E_ROOT/corpus" c$s
    assert_eq "$(wc -c <c$s/docs.jsonl) $(wc -l <c$s/docs.jsonl)" \
        "$(value $s 1 corpus bytes) $(value $s 1 corpus documents)" "$s MB: corpus bytes and documents"
done
awk -F, 'NR > 1 && ($4 ~ /^(wall_s|size_bytes|rss_mb|p50_ms|qps)$/) && $5 <= 0 { bad = 1; print }
    END { exit bad }' "$csv" || fail "a time, size, memory or speed figure is not above 0"
assert_eq "" "$(awk -F, '$4 == "errors" && $5 != 0' "$csv")" "no query failed"
# Sharded, remote or not, the search finds what the one database finds.
zero=$(value 0.4 1 q-single zero_hit_rate)
for t in $qtools; do
    for r in 1 2; do
        assert_eq "$zero $zero" "$(value 0.4 $r "$t" zero_hit_rate) $(value 0.4 $r "$t-nosnip" zero_hit_rate)" \
            "$t, round $r: the one database's zero-hit rate"
    done
done
size1=$(value 0.4 1 single-j2 size_bytes)
size4=$(value 0.4 1 sharded-j2 size_bytes)
[ "$size4" -gt "$size1" ] || fail "4 shards ($size4 bytes) are not larger than one database ($size1)"

# ---- The report: figures from the CSV ------------------------------------------

num='[0-9]+\.[0-9]+'
# mean2 SIZE TOOL METRIC FORMAT: the mean of the two rounds (their median).
mean2() {
    awk -v a="$(value "$1" 1 "$2" "$3")" -v b="$(value "$1" 2 "$2" "$3")" -v f="$4" \
        'BEGIN { printf f, (a + b) / 2 }'
}
rows=("| 1 | 1 |" "| 1 | 2 |" "| 4 | 1 |" "| 4 | 2 |")
tools=(single-j1 single-j2 sharded-j1 sharded-j2)
for i in 0 1 2 3; do
    row=$(grep -F "${rows[$i]}" <<<"$report")
    assert_match "$row" "^\\| [14] \\| [12] \\| $num \\| $num \\| $num \\| [0-9]+ \\| $num \\| $num \\|\$" \
        "indexing row ${rows[$i]}"
    read -r _ _ wall _ _ _ size _ <<<"$(tr -d '|' <<<"$row")"
    assert_eq "$(mean2 0.4 "${tools[$i]}" wall_s %.2f)" "$wall" "${tools[$i]}: wall s, the median"
    assert_eq "$(awk -v a="$(value 0.4 1 "${tools[$i]}" size_bytes)" \
        -v b="$(value 0.4 2 "${tools[$i]}" size_bytes)" 'BEGIN { printf "%.1f", (a + b) / 2e6 }')" \
        "$size" "${tools[$i]}: index MB"
done
assert_match "$report" "Speed-up of -j 2 over -j 1 \\(MB/s\\): $num with one database, $num with 4 shards" \
    "the -j 2 speed-ups"

labels=("one database" "4 local shards" "the one database, remote (1 xapian-tcpsrv)"
    "4 remote shards (4 xapian-tcpsrv)")
qt=(q-single q-local q-remote1 q-remote)
for i in 0 1 2 3; do
    for snip in snippets "no snippets"; do
        t=${qt[$i]}
        [ "$snip" = snippets ] || t+=-nosnip
        row=$(grep -F "| ${labels[$i]}, $snip | 0.4 |" <<<"$report")
        assert_match "$row" "^\\| [^|]+ \\| 0\\.4 \\| $num \\| $num \\| $num \\| [0-9]+ \\| $num \\|\$" \
            "query row: ${labels[$i]}, $snip"
        read -r p50 p95 p99 _ <<<"$(sed 's/^| [^|]* | 0.4 //' <<<"$row" | tr -d '|')"
        assert_eq "$(mean2 0.4 "$t" p50_ms %.3f) $(mean2 0.4 "$t" p95_ms %.3f)" "$p50 $p95" \
            "${labels[$i]}, $snip: p50 and p95, the medians"
        awk -v a="$p50" -v b="$p95" -v c="$p99" 'BEGIN { exit !(a <= b && b <= c) }' ||
            fail "${labels[$i]}, $snip: p50 <= p95 <= p99" "$p50 $p95 $p99"
    done
done
assert_match "$(grep -F '| one database, snippets | 0.2 |' <<<"$report")" "^\\| one database, snippets \\| 0\\.2 \\| $num" \
    "the small corpus's query row"
ratio_row=$(grep -F '| 4 remote ÷ 4 local shards |' <<<"$report")
assert_eq "$(awk -v a="$(mean2 0.4 q-remote p50_ms %.6f)" -v b="$(mean2 0.4 q-local p50_ms %.6f)" \
    'BEGIN { printf "%.2f", a / b }')" "$(sed 's/^[^|]*|[^|]*| \([0-9.]*\) .*/\1/' <<<"$ratio_row")" \
    "remote ÷ local p50, from the same run"
for r in "4 local shards ÷ one database" "4 remote shards ÷ one database" "one database: remote ÷ local" \
    "one database: 0.4 MB ÷ 0.2 MB"; do
    assert_match "$(grep -F "| $r |" <<<"$report")" "^\\| [^|]+ \\| $num / $num \\| $num / $num \\|\$" "ratio row: $r"
done

# The estimate starts from the measurements and states its assumptions.
assert_contains "$report" "## Paper estimate: 100 GB of input, a query within 100 ms at p95" "estimate heading"
slope=$(awk -v a="$(mean2 0.4 q-single p95_ms %.6f)" -v b="$(mean2 0.2 q-small p95_ms %.6f)" \
    'BEGIN { d = (a - b) / 0.2; printf "%.4f", d < 0 ? 0 : d }')
assert_contains "$report" "one database's time grows $slope ms per input MB" "the slope, from the p95s"
for words in "Assumptions:" "extrapolated:" "in 20 GiB of page cache (of 24 GiB of RAM)" "Estimate: "; do
    assert_contains "$report" "$words" "the estimate says: $words"
done
assert_eq 9 "$(sed -n '/^## Paper estimate/,$p' <<<"$report" | grep -cE '^\| (1|4|16|64|256|1024|4096|16384|65536) \| ')" \
    "the estimate's table: 1 to 65536 shards"

# ---- Without the gold sets, and bad settings ----------------------------------------

run env BUILD="$build" SHARDS_GOLD="$PWD/nowhere" SHARDS_MB=0.2 SHARDS_SMALL_MB=0.1 SHARDS_ROUNDS=1 \
    SHARDS_OUT="$PWD/out2" "$E2E_ROOT/bench/shards.sh"
assert_exit 0 "shards.sh without the gold sets"
assert_contains "$(cat out2/shards.md)" "No gold sets at $PWD/nowhere: the corpora repeat" "the note"
assert_contains "$(cat out2/shards.md)" "## Indexing 0.2 MB" "the sizes given are kept"

run env BUILD="$build" SHARDS_N=1 "$E2E_ROOT/bench/shards.sh"
assert_exit 1 "SHARDS_N=1"
assert_contains "$ERR" "SHARDS_N: 1 shard is no sharding" "SHARDS_N=1 refused"
run env BUILD="$build" SHARDS_ROUNDS=x "$E2E_ROOT/bench/shards.sh"
assert_exit 1 "SHARDS_ROUNDS=x"
assert_contains "$ERR" "SHARDS_ROUNDS: 'x' is not a positive whole number" "SHARDS_ROUNDS=x refused"
run env BUILD="$build" SHARDS_GOLD="$gold" SHARDS_MB=1 SHARDS_SMALL_MB=2 "$E2E_ROOT/bench/shards.sh"
assert_exit 1 "SHARDS_SMALL_MB above SHARDS_MB"
assert_contains "$ERR" "SHARDS_SMALL_MB (2) must be above 0 and below SHARDS_MB (1)" "sizes refused"
run env BUILD="$PWD/nowhere" "$E2E_ROOT/bench/shards.sh"
assert_exit 1 "shards.sh without the programs"
assert_contains "$ERR" "run make bench-shards" "shards.sh says how to build them"
