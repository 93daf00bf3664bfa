#!/usr/bin/env bash
# run.sh - runs each named fuzz target (FUZZ_DIR/fuzz_NAME) for FUZZ_TIME
# seconds from a scratch copy of its seeds (tests/fuzz/NAME/, never written
# to) plus the dictionary tests/fuzz/NAME.dict when there is one, then
# prints the executions, seconds and coverage of each. Fails if any target
# crashes, leaks, times out or exceeds its memory; the input that did is
# kept as FUZZ_DIR/run/NAME/crash-* (or leak-*, timeout-*, oom-*), and the
# run's log as FUZZ_DIR/run/NAME/log.
#
# Usage: FUZZ_DIR=build/fuzz FUZZ_TIME=60 tests/fuzz/run.sh NAME...
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${FUZZ_DIR:?set FUZZ_DIR to the folder of the fuzz targets}"
FUZZ_TIME=${FUZZ_TIME:-60}
# An input that takes longer than this is a failure (a hang).
FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-10}

failed=0
printf '%-10s %10s %8s %8s %8s  %s\n' target execs seconds cov ft result
for name in "$@"; do
    bin=$FUZZ_DIR/fuzz_$name
    run=$FUZZ_DIR/run/$name
    rm -rf "$run"
    mkdir -p "$run/corpus"
    cp "$here/$name"/* "$run/corpus/"
    dict=()
    [ -f "$here/$name.dict" ] && dict=("-dict=$here/$name.dict")
    start=$(date +%s)
    "$bin" -max_total_time="$FUZZ_TIME" -timeout="$FUZZ_TIMEOUT" -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$run/" "${dict[@]}" "$run/corpus" \
        >"$run/log" 2>&1
    rc=$?
    secs=$(($(date +%s) - start))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$run/log")
    # The last status line ("#N ... cov: C ft: F ...") has the final coverage.
    cov=$(grep -o 'cov: [0-9]*' "$run/log" | tail -n 1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "$run/log" | tail -n 1 | cut -d' ' -f2)
    result=ok
    if [ "$rc" -ne 0 ]; then
        result="FAILED (exit $rc): $(ls "$run" | grep -E '^(crash|leak|timeout|oom|slow-unit)-' |
            head -n 1)"
        failed=1
    fi
    printf '%-10s %10s %8s %8s %8s  %s\n' "$name" "${execs:-?}" "$secs" "${cov:-?}" "${ft:-?}" \
        "$result"
    if [ "$rc" -ne 0 ]; then
        grep -E 'ERROR|SUMMARY|runtime error|fuzz:' "$run/log" | head -n 20 | sed 's/^/    /'
        echo "    log: $run/log"
    fi
done
exit "$failed"
