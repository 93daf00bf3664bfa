#!/usr/bin/env bash
# perf.sh - Sou's indexing speed, index size and query latency against two
# peers on the same corpora: SQLite FTS5 with the trigram tokenizer
# (bench/fts5-bench) and Xapian Omega's scriptindex with CJK n-grams
# (bench/omega.index). Writes one Markdown report to $PERF_OUT/perf.md,
# every measurement to $PERF_OUT/perf.csv (size_mb,round,tool,metric,value)
# and prints the report. PERF_OUT defaults to $BUILD/bench.
#
# For each size of PERF_SIZES (MB, default "10 100") bench-corpus writes a
# corpus and 200 queries (seed PERF_SEED, default 1), then:
#   - PERF_ROUNDS (default 3) interleaved rounds, each indexing the corpus
#     afresh with every indexer in turn (the order rotates each round): Sou
#     with its default jobs (one per CPU), Sou -j 1, FTS5 in one
#     transaction, Omega (jsonl-to-omega.sh | scriptindex, with
#     XAPIAN_FLUSH_THRESHOLD=2000; jq's share, about 1%, is counted) and
#     xapian-compact of Omega's index. Wall seconds by bash's clock, CPU
#     seconds by GNU time (children included); peak RSS is the larger of
#     GNU time's (one process) and the sum over the process tree sampled
#     every 0.1 s, so Sou's parallel workers count together. Size: du -sb.
#     The report shows medians.
#   - In one process, warm, on the last round's indexes: sou-qbench with
#     and without snippets, fts5-bench query with and without snippets
#     (--rounds 3 each: a warm-up and two measured). sou-qbench's whole
#     output with snippets, with latency per kind of query and the slowest
#     queries, is kept as $PERF_OUT/sou-qbench-SIZE.txt.
#   - A process per query (the CGI path) for the first PERF_PROCESS_QUERIES
#     (default 50) queries, the tools in turn for each query: sou-query;
#     quest on the same Sou index given the query text, which it parses its
#     own way, and given the query Sou runs (quest_same_query); fts5-bench
#     one; and quest on the compacted Omega index; ms from fork to exit as
#     bash sees it. Warm (after
#     one unmeasured run of each), then cold if PERF_COLD is not 0 and
#     /proc/sys/vm/drop_caches is writable (root): caches dropped before
#     every process.
# PERF_SCALING (default "10 30 100"): Sou alone at more sizes; a size also
# in PERF_SIZES reuses its rounds, another is indexed once.
#
# A peer that is not installed (fts5-bench not built, no scriptindex,
# quest, xapian-compact or jq) is left out with a note. A tiny run takes
# seconds: PERF_SIZES=0.2 PERF_ROUNDS=1 PERF_SCALING= (PERF_COLD=0 leaves
# the page cache alone).
# PERF_GOLD: the gold sets' folder (default ../shared/data/seg-gold).
# Run by `make bench-perf`, which installs the peers and builds the programs.
# Exit status: 0 done, 1 a tool failed (the rest is still reported).
set -u
# shellcheck disable=SC2034 # used by measure.sh
bench_name=perf # messages, and make bench-perf

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-build}
case $build in
/*) ;;
*) build=$root/$build ;;
esac
export LC_ALL=C.UTF-8

sizes=${PERF_SIZES-10 100}
scaling=${PERF_SCALING-10 30 100}
rounds=${PERF_ROUNDS:-3}
seed=${PERF_SEED:-1}
nproc_q=${PERF_PROCESS_QUERIES:-50}
cold=${PERF_COLD:-1}
gold=${PERF_GOLD:-$root/../shared/data/seg-gold}
out_dir=${PERF_OUT:-$build/bench}

sou_index=$build/sou-index
sou_query=$build/sou-query
corpus_gen=$build/bench/bench-corpus
qbench=$build/bench/sou-qbench
fts5=$build/bench/fts5-bench
# shellcheck disable=SC2034 # used by measure.sh
time_bin=/usr/bin/time

# shellcheck source=measure.sh
. "$root/bench/measure.sh"
bench_need "$sou_index" "$sou_query" "$corpus_gen" "$qbench"
have_fts5=0 have_omega=0 have_quest=0
if [ -x "$fts5" ] && { "$fts5" >/dev/null 2>&1; [ $? -eq 2 ]; }; then
    have_fts5=1
else
    note "FTS5: left out, $fts5 is not built (make bench-perf builds it)."
fi
command -v quest >/dev/null && have_quest=1
if [ "$have_quest" = 1 ] && command -v scriptindex >/dev/null &&
    command -v xapian-compact >/dev/null && command -v jq >/dev/null; then
    have_omega=1
else
    note "Omega: left out, scriptindex, quest, xapian-compact or jq is missing."
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sou-perf.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out_dir" || exit 1
bench_scratch || exit 1
csv=$tmp/perf.csv
echo size_mb,round,tool,metric,value >"$csv"
status=0
started=$SECONDS

# ---- Measuring one indexer run ------------------------------------------------

# index SIZE ROUND TOOL DOCS: builds TOOL's index of DOCS in $tmp/TOOL.db
# afresh and adds its rows (size_bytes too).
index() {
    local size=$1 round=$2 tool=$3 docs=$4 db=$tmp/$3.db
    rm -rf "$db" "$db.c"
    # The last run's writes reach the disk now, not during this one's.
    sync
    case $tool in
    sou) measure "$size" "$round" sou "$sou_index" -q -o "$db" "$docs" ;;
    sou-j1) measure "$size" "$round" sou-j1 "$sou_index" -q -j 1 -o "$db" "$docs" ;;
    # A shard per worker: each worker compacts its own, nothing is merged.
    sou-shards) measure "$size" "$round" sou-shards "$sou_index" -q --shards "$jobs" -o "$db" "$docs" ;;
    fts5) measure "$size" "$round" fts5 "$fts5" index "$db" "$docs" ;;
    omega)
        # shellcheck disable=SC2016 # expanded by the inner bash
        measure "$size" "$round" omega bash -c 'set -o pipefail; "$1" <"$2" |
            XAPIAN_CJK_NGRAM=1 XAPIAN_FLUSH_THRESHOLD=2000 scriptindex --overwrite "$3" "$4"' \
            omega "$root/bench/jsonl-to-omega.sh" "$docs" "$db" "$root/bench/omega.index" &&
            row "$size" "$round" omega size_bytes "$(du -sb "$db" | cut -f1)" &&
            measure "$size" "$round" omega-compact xapian-compact "$db" "$db.c" &&
            row "$size" "$round" omega-compact size_bytes "$(du -sb "$db.c" | cut -f1)"
        return
        ;;
    esac && row "$size" "$round" "$tool" size_bytes "$(du -sb "$db" | cut -f1)"
}

# ---- Queries ----------------------------------------------------------------------

# quest_same_query QUERY: the Xapian query Sou runs for QUERY (sou-query
# --explain) in quest's syntax (quest-query.awk), so that quest -s none -o
# synonym -p z:Z builds the same query and gives the same weights: the same
# search without Sou's analysis, snippets and JSON.
quest_same_query() {
    "$sou_query" -d "$tmp/sou.db" --explain -n 1 -- "$1" 2>/dev/null |
        awk -f "$root/bench/quest-query.awk"
}

# one_process TOOL QUERY: TOOL's process for QUERY, output in $tmp/p.out.
# quest-same's QUERY is already quest_same_query's.
one_process() {
    case $1 in
    sou-query) "$sou_query" -d "$tmp/sou.db" -n 10 --json -- "$2" ;;
    quest-sou) quest -d "$tmp/sou.db" -m 10 -- "$2" ;;
    quest-same) quest -d "$tmp/sou.db" -s none -o synonym -p z:Z -m 10 -- "$2" ;;
    fts5-one) "$fts5" one "$tmp/fts5.db" "$2" ;;
    quest-omega) XAPIAN_CJK_NGRAM=1 quest -d "$tmp/omega.db.c" -o and -m 10 -- "$2" ;;
    esac >"$tmp/p.out" 2>"$tmp/p.err" </dev/null
}

# hits TOOL STATUS: the results in $tmp/p.out, or -1 if TOOL failed.
hits() {
    case $1:$2 in
    sou-query:[01]) jq '.results | length' "$tmp/p.out" ;;
    quest-*:0) grep -c '^[0-9]*: \[' "$tmp/p.out" ;;
    fts5-one:0) wc -l <"$tmp/p.out" ;;
    *) echo -1 ;;
    esac
}

# top_ids TOOL: the ids of the documents in $tmp/p.out, best first, on one
# line (the "id" of each result's stored fields, for quest).
top_ids() {
    case $1 in
    sou-query) jq -r '.results[].id' "$tmp/p.out" ;;
    quest-*) LC_ALL=C awk '/^[0-9]+: \[/ { want = 1 }
        want && match($0, /"id":"[^"]*"/) { print substr($0, RSTART + 6, RLENGTH - 7); want = 0 }' \
        "$tmp/p.out" ;;
    esac | paste -sd' ' -
}

# processes SIZE MODE TOOL...: times one process per query (MODE warm or
# cold: caches dropped before each) for each query, the tools in turn; adds
# MODE_ms rows (round: the query's line) and, warm, hits rows, and for
# quest-same a same_top row: 1 if its 10 best are sou-query's, in order.
processes() {
    local size=$1 mode=$2 q i=0 tool t0 t1 rc n arg sou_top=''
    shift 2
    while IFS=$'\t' read -r _ q; do
        i=$((i + 1))
        for tool in "$@"; do
            arg=$q
            [ "$tool" = quest-same ] && arg=${same_query[i]}
            [ "$mode" = cold ] && echo 3 >/proc/sys/vm/drop_caches
            t0=$EPOCHREALTIME
            one_process "$tool" "$arg"
            rc=$?
            t1=$EPOCHREALTIME
            row "$size" "$i" "$tool" "${mode}_ms" "$(awk -v a="$t0" -v b="$t1" \
                'BEGIN { printf "%.2f", (b - a) * 1e3 }')"
            [ "$mode" = warm ] || continue
            n=$(hits "$tool" "$rc")
            row "$size" "$i" "$tool" hits "$n"
            case $tool in
            sou-query) sou_top=$(top_ids sou-query) ;;
            quest-same) row "$size" "$i" quest-same same_top \
                "$([ "$(top_ids quest-same)" = "$sou_top" ] && echo 1 || echo 0)" ;;
            esac
            if [ "$n" = -1 ]; then
                echo "perf: $tool [$q] failed (status $rc): $(head -1 "$tmp/p.err")" >&2
                status=1
            fi
        done
    done < <(head -n "$nproc_q" "$tmp/corpus/queries.tsv")
}

cold_note=''
case $cold in
0) cold_note="cold: not measured (PERF_COLD=0)" ;;
*)
    if ! { sync && echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null; then
        cold=0 cold_note="cold: not measurable here (cannot write /proc/sys/vm/drop_caches)"
    fi
    ;;
esac

# ---- The runs ----------------------------------------------------------------------

# sou-index's default -j: one worker per processor.
jobs=$(getconf _NPROCESSORS_ONLN)
indexers=(sou sou-j1)
[ "$jobs" -gt 1 ] && indexers+=(sou-shards)
[ "$have_fts5" = 1 ] && indexers+=(fts5)
[ "$have_omega" = 1 ] && indexers+=(omega)
ptools=(sou-query)
[ "$have_quest" = 1 ] && ptools+=(quest-sou quest-same)
[ "$have_fts5" = 1 ] && ptools+=(fts5-one)
[ "$have_omega" = 1 ] && ptools+=(quest-omega)

in_list() {
    local x
    for x in $2; do [ "$x" = "$1" ] && return 0; done
    return 1
}

# shellcheck disable=SC2086 # the lists are words
all_sizes=$(printf '%s\n' $sizes $scaling | sort -g -u)
for size in $all_sizes; do
    rm -rf "$tmp/corpus" "$tmp"/*.db "$tmp"/*.db.c
    if ! "$corpus_gen" --seed "$seed" --size "$size" --gold "$gold" --corpus "$root/corpus" \
        "$tmp/corpus" >"$tmp/gen.out" 2>"$tmp/gen.err"; then
        echo "perf: bench-corpus --size $size failed: $(tail -2 "$tmp/gen.err")" >&2
        exit 1
    fi
    docs=$tmp/corpus/docs.jsonl
    for m in documents bytes queries; do
        row "$size" 1 corpus "$m" "$(sed -n "s/^$m //p" "$tmp/gen.out")"
    done
    echo "perf: $size MB: $(sed -n 's/^documents //p' "$tmp/gen.out") documents" >&2
    if ! in_list "$size" "$sizes"; then
        index "$size" 1 sou "$docs"
        continue
    fi
    n=${#indexers[@]}
    for ((r = 1; r <= rounds; r++)); do
        for ((k = 0; k < n; k++)); do
            tool=${indexers[(k + r - 1) % n]}
            echo "perf: $size MB, round $r: $tool" >&2
            index "$size" "$r" "$tool" "$docs"
        done
    done
    [ -e "$tmp/sou.db" ] || continue
    q=$tmp/corpus/queries.tsv
    qstats "$size" 1 sou-qbench "$qbench" "$tmp/sou.db" "$q" --rounds 3 &&
        cp "$tmp/q.out" "$out_dir/sou-qbench-$size.txt"
    qstats "$size" 1 sou-qbench-nosnip "$qbench" "$tmp/sou.db" "$q" --rounds 3 --no-snippets
    [ -e "$tmp/sou-shards.db" ] &&
        qstats "$size" 1 sou-qbench-shards "$qbench" "$tmp/sou-shards.db" "$q" --rounds 3
    if [ -e "$tmp/fts5.db" ]; then
        qstats "$size" 1 fts5-query-snip "$fts5" query "$tmp/fts5.db" "$q" --rounds 3 --snippets
        qstats "$size" 1 fts5-query "$fts5" query "$tmp/fts5.db" "$q" --rounds 3
    fi
    run_tools=()
    for tool in "${ptools[@]}"; do
        case $tool in
        fts5-one) [ -e "$tmp/fts5.db" ] && run_tools+=("$tool") ;;
        quest-omega) [ -e "$tmp/omega.db.c" ] && run_tools+=("$tool") ;;
        *) run_tools+=("$tool") ;;
        esac
    done
    echo "perf: $size MB: a process per query" >&2
    same_query=()
    if [ "$have_quest" = 1 ]; then
        i=0
        while IFS=$'\t' read -r _ text; do
            i=$((i + 1))
            same_query[i]=$(quest_same_query "$text")
        done < <(head -n "$nproc_q" "$q")
    fi
    for tool in "${run_tools[@]}"; do # the warm-up
        arg=$(head -1 "$q" | cut -f2)
        [ "$tool" = quest-same ] && arg=${same_query[1]}
        one_process "$tool" "$arg"
    done
    processes "$size" warm "${run_tools[@]}"
    if [ "$cold" != 0 ]; then
        sync
        processes "$size" cold "${run_tools[@]}"
    fi
done
rm -rf "$tmp/corpus" "$tmp"/*.db "$tmp"/*.db.c

# ---- The report ----------------------------------------------------------------------

version() {
    dpkg-query -W -f '${Version}' "$1" 2>/dev/null || echo '?'
}
commit=$(bench_commit)
[ -n "$cold_note" ] && note "$cold_note."
note "Sou ÷ peer: above 1, Sou indexes faster (the peer's median wall time over Sou's);" \
    "below 1, Sou's index is smaller. In brackets, the lowest and highest ratio of a" \
    "single round, whose runs came one after the other: a target is met for sure only" \
    "when the lowest is."
note "Rounds s: the fastest and slowest of a tool's rounds, the noise a median hides."
note "Peak RSS: the larger of GNU time's (one process) and the process tree's sum sampled" \
    "every 0.1 s, so Sou's workers count together."
[ "$have_omega" = 1 ] && note "Omega's times include jq's conversion (jsonl-to-omega.sh)," \
    "which runs alongside scriptindex."
[ "$have_quest" = 1 ] && note "quest on Sou's index, given the query text, parses it its own" \
    "way (no Sou analysis), so it finds less: its row times a process opening the same index," \
    "not the same search. Given Sou's query (sou-query --explain, rewritten in quest's syntax)," \
    "it runs the same search with the same weights, without Sou's analysis, snippets and JSON."
[ "$have_fts5" = 1 ] && note "FTS5's trigrams never match a word under 3 characters" \
    "(short-word rate: the queries with one): alone it finds nothing, AND-ed with a longer" \
    "word it is dropped."
report=$tmp/perf.md
{
    echo "# Sou performance: indexing and queries against SQLite FTS5 and Xapian Omega"
    echo
    echo "$(date -u +%Y-%m-%d), $jobs CPUs, Sou $commit; Xapian $(version libxapian30)," \
        "SQLite $(version libsqlite3-0), Omega $(version xapian-omega)." \
        "Corpora: bench-corpus --seed $seed (85% Chinese documents of 0.5-4 KB);" \
        "MB are 10^6 bytes."
    echo
    awk -F, -v sizes="$sizes" -v scaling="$scaling" -v jobs="$jobs" -v nq="$nproc_q" \
        -f "$root/bench/csv-stats.awk" \
        -f "$root/bench/perf-report.awk" "$csv" || status=1
    bench_notes
    echo "Every measurement: perf.csv beside this file. $((SECONDS - started)) s in all."
} >"$report"
cp "$csv" "$out_dir/perf.csv"
cp "$report" "$out_dir/perf.md"
cat "$report"
exit "$status"
