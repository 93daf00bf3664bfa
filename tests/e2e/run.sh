#!/usr/bin/env bash
# run.sh - runs the end-to-end tests: every tests/e2e/test_*.sh (or the ones
# named as arguments, e.g. `run.sh test_ranking`), each in a fresh temporary
# directory, against the binaries in $BUILD (default: build).
#
# Prints "ok NAME" or "FAIL NAME" and the failing output for each test, then
# "e2e: N passed, M failed"; exits 1 if any failed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD:-build}
case $build in
/*) ;;
*) build=$root/$build ;;
esac

export SOU_INDEX=$build/sou-index
export SOU_QUERY=$build/sou-query
export E2E_ROOT=$root
export E2E_DATA=$root/tests/data
# The tests choose their index directories themselves.
unset SOU_DB
# Under the sanitizer build: report, and exit with a status no test expects.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86
export UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:exitcode=87
export LC_ALL=C.UTF-8

for tool in "$SOU_INDEX" "$SOU_QUERY"; do
    if [ ! -x "$tool" ]; then
        echo "e2e: $tool is missing; build it first (make all)" >&2
        echo "e2e: 0 passed, 1 failed"
        exit 1
    fi
done
if ! command -v jq >/dev/null; then
    echo "e2e: jq is missing (make deps installs it)" >&2
    echo "e2e: 0 passed, 1 failed"
    exit 1
fi

if [ $# -gt 0 ]; then
    tests=()
    for name in "$@"; do
        name=${name%.sh}
        tests+=("$here/${name#"$here/"}.sh")
    done
else
    tests=("$here"/test_*.sh)
fi

passed=0
failed=0
started=$SECONDS
for t in "${tests[@]}"; do
    name=$(basename "$t" .sh)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/sou-e2e.XXXXXX")
    log=$(mktemp "${TMPDIR:-/tmp}/sou-e2e-log.XXXXXX")
    t0=$SECONDS
    (cd "$dir" && exec bash "$t") >"$log" 2>&1 </dev/null
    rc=$?
    if [ "$rc" -eq 0 ]; then
        echo "ok $name"
        grep '^#' "$log"
        passed=$((passed + 1))
    else
        echo "FAIL $name"
        echo "    (exit status $rc after $((SECONDS - t0)) s)"
        sed 's/^/    /' "$log"
        failed=$((failed + 1))
    fi
    rm -rf "$dir" "$log"
done
echo "# $((SECONDS - started)) s with $build"
echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
