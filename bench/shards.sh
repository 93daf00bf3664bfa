#!/usr/bin/env bash
# shards.sh - what sharding costs and buys: indexing one corpus as one
# database and as SHARDS_N shards, and searching it as one database, as
# local shards and as shards behind xapian-tcpsrv on loopback; then a
# paper estimate of the shards and machines a large corpus would need to
# answer under a latency target. Writes $SHARDS_OUT/shards.md (default
# $BUILD/bench), every measurement to shards.csv
# (size_mb,round,tool,metric,value), and prints the report.
#
# bench-corpus writes a corpus of SHARDS_MB megabytes (default 30) and its
# 200 queries (seed SHARDS_SEED, default 1) from the gold sets in
# SHARDS_GOLD (default ../shared/data/seg-gold), and one of SHARDS_SMALL_MB
# (default 10; the same seed, so the first documents of the larger). Without
# the gold sets bench-corpus repeats the bundled corpus's sentences, and
# the sizes fall to 3 and 1 MB unless set, with a note in the report.
#   - Indexing: SHARDS_ROUNDS (default 3) interleaved rounds, the order
#     rotating, of sou-index -j 1 and -j 2, each as one database and as
#     SHARDS_N (default 4) shards: wall s, CPU s and peak RSS (measure.sh),
#     index size. The smaller corpus is indexed once (-j 2, one database).
#   - Queries: the larger corpus's queries with sou-qbench (in one process,
#     warm; --rounds SHARDS_QROUNDS, default 3: a warm-up and two measured),
#     with and without snippets, on: the one database of each size, the
#     local shards, the shards served by query/serve-shards.sh (one
#     xapian-tcpsrv each) and the one database served alone. Interleaved
#     over SHARDS_ROUNDS rounds, the order rotating; the report shows the
#     medians of the rounds' percentiles.
#   - The estimate (shards-report.awk states its model and assumptions):
#     SHARDS_TARGET_GB of input (default 100) answered within
#     SHARDS_TARGET_MS at p95 (default 100), on machines with
#     SHARDS_RAM_GIB of memory (default 24) of which SHARDS_CACHE_GIB
#     (default 20) may hold the index in the page cache, and SHARDS_CORES
#     cores (default 8).
# A tiny run: SHARDS_MB=0.4 SHARDS_SMALL_MB=0.2 SHARDS_ROUNDS=1.
# Run by `make bench-shards`, which builds the programs.
# Exit status: 0 done, 1 a step failed (the rest is still reported).
set -u
# shellcheck disable=SC2034 # used by measure.sh
bench_name=shards # messages, and make bench-shards

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-build}
case $build in
/*) ;;
*) build=$root/$build ;;
esac
export LC_ALL=C.UTF-8

gold=${SHARDS_GOLD:-$root/../shared/data/seg-gold}
shards=${SHARDS_N:-4}
rounds=${SHARDS_ROUNDS:-3}
qrounds=${SHARDS_QROUNDS:-3}
seed=${SHARDS_SEED:-1}
out_dir=${SHARDS_OUT:-$build/bench}
# shellcheck source=measure.sh
. "$root/bench/measure.sh"
if [ -f "$gold/as_test.utf8" ]; then
    big=${SHARDS_MB:-30} small=${SHARDS_SMALL_MB:-10}
else
    big=${SHARDS_MB:-3} small=${SHARDS_SMALL_MB:-1}
    note "No gold sets at $gold: the corpora repeat the bundled corpus's few sentences," \
        "so they are $big and $small MB, not 30 and 10 (SHARDS_MB, SHARDS_SMALL_MB), and" \
        "their figures say less than a run on the gold sets."
fi

sou_index=$build/sou-index
corpus_gen=$build/bench/bench-corpus
qbench=$build/bench/sou-qbench
serve=$root/query/serve-shards.sh
# shellcheck disable=SC2034 # used by measure.sh
time_bin=/usr/bin/time

bench_need "$sou_index" "$corpus_gen" "$qbench"
if ! command -v xapian-tcpsrv >/dev/null; then
    echo "shards: xapian-tcpsrv is missing (apt-get install xapian-tools)" >&2
    exit 1
fi
for v in "SHARDS_N:$shards" "SHARDS_ROUNDS:$rounds"; do
    if ! [[ ${v#*:} =~ ^[1-9][0-9]*$ ]]; then
        echo "shards: ${v%%:*}: '${v#*:}' is not a positive whole number" >&2
        exit 1
    fi
done
if [ "$shards" -lt 2 ]; then
    echo "shards: SHARDS_N: $shards shard is no sharding; give 2 or more" >&2
    exit 1
fi
if ! awk -v a="$big" -v b="$small" 'BEGIN { exit !(a + 0 > b + 0 && b + 0 > 0) }'; then
    echo "shards: SHARDS_SMALL_MB ($small) must be above 0 and below SHARDS_MB ($big)" >&2
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sou-shards.XXXXXX")
server_pids=()
# Stops the servers this run started, by their pids.
stop_servers() {
    [ ${#server_pids[@]} -gt 0 ] && kill "${server_pids[@]}" 2>/dev/null
    server_pids=()
}
trap 'stop_servers; rm -rf "$tmp"' EXIT
mkdir -p "$out_dir" || exit 1
bench_scratch || exit 1
csv=$tmp/shards.csv
echo size_mb,round,tool,metric,value >"$csv"
status=0
started=$SECONDS

# corpus SIZE DIR: bench-corpus's corpus and queries in DIR, and its rows.
corpus() {
    if ! "$corpus_gen" --seed "$seed" --size "$1" --gold "$gold" --corpus "$root/corpus" \
        "$2" >"$tmp/gen.out" 2>"$tmp/gen.err"; then
        echo "shards: bench-corpus --size $1 failed: $(tail -2 "$tmp/gen.err")" >&2
        exit 1
    fi
    local m
    for m in documents bytes queries; do
        row "$1" 1 corpus "$m" "$(sed -n "s/^$m //p" "$tmp/gen.out")"
    done
    echo "shards: $1 MB: $(sed -n 's/^documents //p' "$tmp/gen.out") documents" >&2
}

# index SIZE ROUND TOOL DOCS: TOOL (single-jJ or sharded-jJ) builds
# $tmp/TOOL.db afresh and adds its rows.
index() {
    local size=$1 round=$2 tool=$3 db=$tmp/$3.db opts=()
    [[ $tool == sharded-* ]] && opts=(--shards "$shards")
    rm -rf "$db"
    measure "$size" "$round" "$tool" "$sou_index" -q -j "${tool##*-j}" "${opts[@]}" -o "$db" "$4" &&
        row "$size" "$round" "$tool" size_bytes "$(du -sb "$db" | cut -f1)"
}

# serve DIR STUB: serve-shards.sh serves DIR's shards, in the background,
# writing STUB; their pids join server_pids. It refuses ports in use: then
# other random ones are tried.
serve() {
    local pid
    for _ in 1 2 3 4 5; do
        if "$serve" -b -p $((20000 + RANDOM % 30000)) -o "$2" "$1" 2>"$tmp/serve.err"; then
            while read -r pid; do server_pids+=("$pid"); done <"$2.pids"
            return 0
        fi
    done
    echo "shards: serve-shards.sh $1 failed: $(tail -2 "$tmp/serve.err")" >&2
    status=1
    return 1
}

# ---- Indexing ----------------------------------------------------------------------

corpus "$small" "$tmp/small"
index "$small" 1 single-j2 "$tmp/small/docs.jsonl"
mv "$tmp/single-j2.db" "$tmp/small.db"
rm -rf "$tmp/small"

corpus "$big" "$tmp/big"
docs=$tmp/big/docs.jsonl
indexers=(single-j1 single-j2 sharded-j1 sharded-j2)
n=${#indexers[@]}
for ((r = 1; r <= rounds; r++)); do
    for ((k = 0; k < n; k++)); do
        tool=${indexers[(k + r - 1) % n]}
        echo "shards: $big MB, round $r: $tool" >&2
        index "$big" "$r" "$tool" "$docs"
    done
done

# ---- Queries -----------------------------------------------------------------------

# The one database served alone: a "sharded" directory of one shard, the
# database itself, for serve-shards.sh.
mkdir -p "$tmp/one-served"
echo "auto $tmp/single-j2.db" >"$tmp/one-served/shard-0.stub"
cp "$tmp/one-served/shard-0.stub" "$tmp/one-served/XAPIANDB"
qtools=()
declare -A qdb=([small]=$tmp/small.db [single]=$tmp/single-j2.db [local]=$tmp/sharded-j2.db)
for t in small single local; do
    [ -e "${qdb[$t]}" ] && qtools+=("$t")
done
if [ -e "$tmp/sharded-j2.db" ] && serve "$tmp/sharded-j2.db" "$tmp/remote.stub"; then
    qdb[remote]=$tmp/remote.stub
    qtools+=(remote)
fi
if [ -e "$tmp/single-j2.db" ] && serve "$tmp/one-served" "$tmp/remote1.stub"; then
    qdb[remote1]=$tmp/remote1.stub
    qtools+=(remote1)
fi
q=$tmp/big/queries.tsv
n=${#qtools[@]}
for ((r = 1; r <= rounds; r++)); do
    for ((k = 0; k < n; k++)); do
        t=${qtools[(k + r - 1) % n]}
        size=$big
        [ "$t" = small ] && size=$small
        echo "shards: queries, round $r: $t" >&2
        qstats "$size" "$r" "q-$t" "$qbench" "${qdb[$t]}" "$q" --rounds "$qrounds"
        qstats "$size" "$r" "q-$t-nosnip" "$qbench" "${qdb[$t]}" "$q" --rounds "$qrounds" --no-snippets
    done
done
if [ ${#server_pids[@]} -gt 0 ] && ! kill -0 "${server_pids[@]}" 2>/dev/null; then
    echo "shards: a xapian-tcpsrv died during the run: $(tail -2 "$tmp"/*.stub.log)" >&2
    status=1
fi
stop_servers
if awk -F, '$4 == "errors" && $5 != 0 { found = 1 } END { exit !found }' "$csv"; then
    echo "shards: sou-qbench reported failed queries (errors rows of the CSV)" >&2
    status=1
fi

# ---- The report ----------------------------------------------------------------------

note "Peak RSS: the larger of GNU time's (one process) and the process tree's sum sampled" \
    "every 0.1 s, so -j 2's workers count together."
note "Remote shards run on this machine: the servers, the client and the loopback share" \
    "its $(getconf _NPROCESSORS_ONLN) CPUs, so the shards' matching is not fully in" \
    "parallel; on separate machines it would be."
report=$tmp/shards.md
{
    echo "# Sou: one database against $shards shards, local and remote"
    echo
    echo "$(date -u +%Y-%m-%d), $(getconf _NPROCESSORS_ONLN) CPUs, Sou $(bench_commit)," \
        "Xapian $(dpkg-query -W -f '${Version}' libxapian30 2>/dev/null || echo '?')." \
        "Corpora: bench-corpus --seed $seed, $big and $small MB (MB are 10^6 bytes);" \
        "the $small MB corpus is the first documents of the $big MB one."
    echo
    awk -F, -v big="$big" -v small="$small" -v shards="$shards" -v qrounds="$qrounds" \
        -v target_gb="${SHARDS_TARGET_GB:-100}" -v target_ms="${SHARDS_TARGET_MS:-100}" \
        -v ram_gib="${SHARDS_RAM_GIB:-24}" -v cache_gib="${SHARDS_CACHE_GIB:-20}" \
        -v cores="${SHARDS_CORES:-8}" \
        -f "$root/bench/csv-stats.awk" -f "$root/bench/shards-report.awk" "$csv" || status=1
    bench_notes
    echo "Every measurement: shards.csv beside this file. $((SECONDS - started)) s in all."
} >"$report"
cp "$csv" "$out_dir/shards.csv"
cp "$report" "$out_dir/shards.md"
cat "$report"
exit "$status"
