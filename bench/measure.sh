# shellcheck shell=bash
# measure.sh - what the benchmark drivers (perf.sh, shards.sh) share to
# time a command and record figures alike; sourced, not run.
#
# The driver sets: bench_name (the prefix of its messages; its target is
# make bench-NAME), tmp (a scratch directory holding a fifo "tick", made
# by bench_scratch), csv (the CSV the rows go to:
# size_mb,round,tool,metric,value), time_bin (GNU time) and status (set
# to 1 on a failure).
# shellcheck disable=SC2154 # the driver's variables, above
# shellcheck disable=SC2034 # status and notes are the driver's

notes=()
# note WORDS...: one line under the report's tables (bench_notes).
note() {
    notes+=("$*")
}

# bench_notes: the report's notes.
bench_notes() {
    local n
    echo "Notes:"
    echo
    for n in "${notes[@]}"; do
        echo "- $n"
    done
    echo
}

# bench_need PROGRAM...: exits if a program or GNU time is missing.
bench_need() {
    local tool
    for tool in "$@"; do
        if [ ! -x "$tool" ]; then
            echo "$bench_name: $tool is missing; run make bench-$bench_name" >&2
            exit 1
        fi
    done
    if ! "$time_bin" -f %e true >/dev/null 2>&1; then
        echo "$bench_name: GNU time ($time_bin) is missing (apt-get install time)" >&2
        exit 1
    fi
}

# bench_commit: the commit measured, and whether it had changes.
bench_commit() {
    local c
    c=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')
    [ -n "$(git -C "$root" status --porcelain 2>/dev/null)" ] && c+=" with uncommitted changes"
    echo "$c"
}

# bench_scratch: makes $tmp/tick, the fifo sample_peak waits on.
bench_scratch() {
    mkfifo "$tmp/tick"
}

# row SIZE ROUND TOOL METRIC VALUE: one measurement in the CSV.
row() {
    printf '%s,%s,%s,%s,%s\n' "$@" >>"$csv"
}

# tree_kb PID: adds the resident memory (kB) of PID's descendants to KB,
# with shell builtins only, so that sampling starts no process.
tree_kb() {
    local kids='' c key val
    read -r kids 2>/dev/null <"/proc/$1/task/$1/children"
    for c in $kids; do
        while read -r key val _; do
            if [ "$key" = VmRSS: ]; then
                KB=$((KB + val))
                break
            fi
        done 2>/dev/null <"/proc/$c/status"
        tree_kb "$c"
    done
}

# sample_peak PID: prints the peak of tree_kb PID, sampled every 0.1 s
# while $tmp/sampling exists.
sample_peak() {
    local peak=0 tick
    exec {tick}<>"$tmp/tick"
    while [ -e "$tmp/sampling" ]; do
        KB=0
        tree_kb "$1"
        [ "$KB" -gt "$peak" ] && peak=$KB
        read -r -t 0.1 -u "$tick" _
    done
    echo "$peak"
}

# measure SIZE ROUND TOOL CMD...: runs CMD under GNU time (its output in
# $tmp/cmd.out and cmd.err) and adds its wall_s (bash's clock: GNU time's
# has 10 ms steps), cpu_s (children included) and rss_mb rows; peak RSS is
# the larger of GNU time's (one process) and the sum over the process tree
# sampled every 0.1 s, so that parallel workers count together.
# Returns CMD's status; a failure adds no rows.
measure() {
    local size=$1 round=$2 tool=$3 pid sampler rc t0 t1 user sys kb peak
    shift 3
    : >"$tmp/sampling"
    t0=$EPOCHREALTIME
    "$time_bin" -f '%U %S %M' -o "$tmp/time" "$@" >"$tmp/cmd.out" 2>"$tmp/cmd.err" </dev/null &
    pid=$!
    sample_peak "$pid" >"$tmp/peak" &
    sampler=$!
    wait "$pid"
    rc=$?
    t1=$EPOCHREALTIME
    rm -f "$tmp/sampling"
    wait "$sampler"
    if [ "$rc" -ne 0 ]; then
        echo "$bench_name: $tool failed on $size MB (status $rc): $(tail -2 "$tmp/cmd.err")" >&2
        status=1
        return "$rc"
    fi
    read -r user sys kb <<<"$(tail -1 "$tmp/time")"
    peak=$(cat "$tmp/peak")
    [ "$peak" -gt "$kb" ] && kb=$peak
    row "$size" "$round" "$tool" wall_s "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')"
    row "$size" "$round" "$tool" cpu_s "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
    row "$size" "$round" "$tool" rss_mb "$(awk -v k="$kb" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }')"
}

# qstats SIZE ROUND TOOL CMD...: runs an in-process query benchmark and
# adds the figures of its statistics block (qbench.h). Returns 1 if it
# failed (reported).
qstats() {
    local size=$1 round=$2 tool=$3
    shift 3
    if ! "$@" >"$tmp/q.out" 2>"$tmp/q.err"; then
        echo "$bench_name: $tool failed on $size MB: $(tail -2 "$tmp/q.err")" >&2
        status=1
        return 1
    fi
    sed -n 's/^p50 ms /p50_ms /p; s/^p95 ms /p95_ms /p; s/^p99 ms /p99_ms /p
            s/^queries\/s /qps /p; s/^zero-hit rate /zero_hit_rate /p; s/^errors /errors /p
            s/^short-word rate /short_word_rate /p' "$tmp/q.out" |
        while read -r metric value; do row "$size" "$round" "$tool" "$metric" "$value"; done
}
