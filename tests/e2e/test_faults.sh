#!/usr/bin/env bash
# Fault injection: sou-index killed with SIGKILL at random points of a full
# build and of an update, and writing to a full disk. After every fault the
# index passes xapian-check and answers a fixed query set exactly as before
# the run (or, when the kill came after the run had committed, exactly as
# a finished run would have). FAULT_SEED=N repeats a run's kill points;
# FAULT_POINTS=N sets how many there are of each kind (default 20).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

seed=${FAULT_SEED:-$(((RANDOM << 15) | RANDOM))}
points=${FAULT_POINTS:-20}
bulk=4000
# Under memcheck every run takes tens of seconds: fewer points, and fewer
# documents.
if [ "${E2E_VALGRIND:-0}" = 1 ]; then
    points=${FAULT_POINTS:-3}
    bulk=800
fi
echo "# seed $seed, $points kill points per kind (FAULT_SEED=$seed repeats them)"

cp -r "$E2E_DATA/good" good
bulk_corpus "$bulk" bulk.jsonl
QUERIES=(能源 '蘇州 OR 成都' meeting type:bulk 'date:2026-05..2026-09' 會議 貿易便捷化 CTI 'id:bulk-17')

# answers DB [N [sort]]: every query's ranked "id=score" list (the first N,
# default 50; sorted with "sort"), one line a query.
answers() {
    local q order=.
    [ "${3:-}" = sort ] && order=sort
    for q in "${QUERIES[@]}"; do
        json_search "$1" "$q" -n "${2:-50}"
        printf '%s: %s\n' "$q" "$(jq -r "[.results[] | \"\\(.id)=\\(.score)\"] | $order | join(\" \")" <<<"$OUT")"
    done
}

# check_index DB WHAT: the live generation passes xapian-check.
check_index() {
    local gen
    gen=$(live_gen "$1")
    if ! xapian-check "$1/$gen" >xcheck.out 2>&1; then
        fail "$2: xapian-check $1/$gen" "$(tail -5 xcheck.out)"
    fi
}

# state_after DB WHAT OLD NEW: the index answers as OLD or as NEW; prints
# which ("old" or "new").
state_after() {
    local got
    got=$(answers "$1")
    if [ "$got" = "$3" ]; then
        echo old
    elif [ "$got" = "$4" ]; then
        echo new
    else
        fail "$2: answers are neither the old nor the new index's" "$(diff <(echo "$3") <(echo "$got"))"
        echo torn
    fi
}

# The three states: before, after a full build of good + bulk, and after
# an update of the first with bulk (the same documents, so the same
# answers). Timed, so the kills spread over the whole run.
si -q -o base good
assert_exit 0 "base index"
old=$(answers base)
cp -a base full
t0=$(date +%s%N)
si -q -o full good bulk.jsonl
build_ms=$((($(date +%s%N) - t0) / 1000000))
assert_exit 0 "full build"
new_full=$(answers full)
cp -a base updated
t0=$(date +%s%N)
si -q --update updated bulk.jsonl
update_ms=$((($(date +%s%N) - t0) / 1000000))
assert_exit 0 "update"
new_update=$(answers updated)
# Document numbers differ between the two, so ties rank differently; the
# matches and their scores may not.
assert_eq "$(answers full 10000 sort)" "$(answers updated 10000 sort)" \
    "an update scores like the full build of the same documents"
[ "$old" != "$new_full" ] || fail "the old and new indexes answer alike: the test could not tell"
echo "# uninterrupted: full build $build_ms ms, update $update_ms ms"

# kill_at MS KIND: starts a run of KIND (build or update) on db, kills it
# with SIGKILL after MS milliseconds, and waits until no process of it is
# left (a build's workers die with it).
kill_at() {
    if [ "$2" = build ]; then
        "${memcheck[@]}" "$SOU_INDEX" -q -o db good bulk.jsonl >run.out 2>&1 &
    else
        "${memcheck[@]}" "$SOU_INDEX" -q --update db bulk.jsonl >run.out 2>&1 &
    fi
    local pid=$!
    sleep "$(awk -v ms="$1" 'BEGIN { printf "%.3f", ms / 1000 }')"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    wait_for 10 sh -c '! pgrep -f -- "[b]ulk[.]jsonl" >/dev/null' ||
        fail "processes of a killed $2 are still running" "$(pgrep -af -- '[b]ulk[.]jsonl')"
}

# Kill points: uniform over an uninterrupted run's time. A run can be
# quicker this time, so a kill may come after its commit: then the index
# must answer as the new one.
for kind in build update; do
    ms=$build_ms
    [ $kind = update ] && ms=$update_ms
    new=$new_full
    [ $kind = update ] && new=$new_update
    rm -rf db
    cp -a base db
    olds=0 news=0
    for at in $(awk -v seed="$seed" -v n="$points" -v ms="$ms" -v k="$kind" 'BEGIN {
        srand(seed + (k == "update")); for (i = 0; i < n; i++) printf "%d\n", rand() * ms }'); do
        kill_at "$at" $kind
        check_index db "$kind killed at $at ms"
        case $(state_after db "$kind killed at $at ms" "$old" "$new") in
        old) olds=$((olds + 1)) ;;
        new)
            news=$((news + 1))
            rm -rf db
            cp -a base db
            ;;
        esac
    done
    echo "# $kind: $points kills; $olds left the old index, $news came after the commit"
done

# sou-index writes in a child process and keeps the lock itself, so that
# when the writer dies (Xapian ends a process on some failed commits; see
# the disk-full runs below) it can report and clean up. Killing that child
# mid-run: exit 3, the reason, "unchanged", the old answers, and no
# half-written generation left behind. Ten times the documents, so that
# the writer is still at work half a second after it started.
bulk_corpus $((bulk * 10)) big.jsonl
for kind in build update; do
    args=(-q -o db good big.jsonl)
    [ $kind = update ] && args=(-q --update db big.jsonl)
    rm -rf db
    cp -a base db
    gens_before=$(gens db)
    "${memcheck[@]}" "$SOU_INDEX" "${args[@]}" >run.out 2>run.err &
    sup=$!
    wait_for 60 sh -c 'pgrep -P "$1" >/dev/null' _ "$sup"
    sleep 0.5
    writer=$(pgrep -P "$sup" | head -1)
    if [ -z "$writer" ]; then
        fail "$kind: no writing process under sou-index (pid $sup)" "$(cat run.err)"
        wait "$sup"
        continue
    fi
    kill -9 "$writer"
    wait "$sup"
    rc=$?
    ERR=$(cat run.err)
    RC=$rc
    assert_exit 3 "$kind: writer killed"
    assert_contains "$ERR" "sou-index: the writing process ended by signal 9 (Killed)" \
        "$kind: writer killed: the reason"
    assert_contains "$ERR" "sou-index: failed; db is unchanged" "$kind: writer killed: the state"
    check_index db "$kind: writer killed"
    assert_eq "$old" "$(answers db)" "$kind: writer killed: the old answers"
    assert_eq "$gens_before" "$(gens db)" "$kind: writer killed: no generation left behind"
    [ -s db/lock ] && ! flock -n db/lock true && fail "$kind: writer killed: the lock is still held"
done
echo "# the writing process killed under sou-index: a build and an update, each reported and undone"

# A disk that fills up: the run fails saying so, and the old index is
# intact. A small tmpfs where this may mount one (root), and always a file
# size limit (RLIMIT_FSIZE, as a quota would), which needs no privilege.
# Some of these runs end inside Xapian (std::terminate during a commit,
# which sou-index's writer process reports before it exits): memcheck still
# checks every access there, but not leaks, as that process ends with its
# exception and objects in flight.
nocheck=()
[ ${#memcheck[@]} -gt 0 ] && nocheck=("${memcheck[@]}" --leak-check=no)
full_runs=4
[ "${E2E_VALGRIND:-0}" = 1 ] && full_runs=1
runs=0 stopped=0
# Fewer documents than the kill runs: quicker runs that still fill the
# tmpfs and pass the size limit. Whether Xapian ends a run depends on
# which write finds the disk full (rarely the one inside a commit, so
# the killed writer above is what always tests the clean-up).
bulk_corpus 800 fill.jsonl

# fill_up DIR HOW KIND [LIMIT]: one build or update of DIR/db that fails
# for want of space, leaving the index as it was ($before).
fill_up() {
    local dir=$1 how=$2 kind=$3 limit=${4:-}
    local args=(-q -o "$dir/db" good fill.jsonl)
    [ "$kind" = update ] && args=(-q --update "$dir/db" fill.jsonl)
    if [ -n "$limit" ]; then
        # Ignored, SIGXFSZ turns a write past the limit into EFBIG.
        run bash -c 'trap "" XFSZ; ulimit -f "$1"; shift; exec "$@"' _ "$limit" \
            "${nocheck[@]}" "$SOU_INDEX" "${args[@]}"
    else
        run "${nocheck[@]}" "$SOU_INDEX" "${args[@]}"
    fi
    runs=$((runs + 1))
    case $ERR in *"Xapian stopped the process"*) stopped=$((stopped + 1)) ;; esac
    assert_exit 3 "$how: $kind"
    assert_match "$ERR" '(No space left on device|File too large)' "$how: $kind names the cause"
    assert_contains "$ERR" "sou-index: failed; $dir/db is unchanged" "$how: $kind says so"
    check_index "$dir/db" "$how: $kind"
    assert_eq "$before" "$(answers "$dir/db")" "$how: $kind left the old index answering"
    assert_eq "$(live_gen base)" "$(live_gen "$dir/db")" "$how: $kind: the live generation"
    assert_eq "$(gens base)" "$(gens "$dir/db")" "$how: $kind: no generation left behind"
}

# disk_full DIR HOW [LIMIT]: $full_runs full builds and updates of DIR/db.
disk_full() {
    rm -rf "$1/db"
    cp -a base "$1/db"
    before=$(answers "$1/db")
    for kind in build update; do
        for ((i = 0; i < full_runs; i++)); do
            fill_up "$1" "$2" $kind "${3:-}"
        done
    done
}

mkdir small
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=1200k sou-e2e-full small 2>/dev/null; then
    disk_full small "full tmpfs"
    umount small
    echo "# disk full: a 1.2 MB tmpfs"
else
    echo "# disk full: no tmpfs here (not root, or mount refused); the size limit only"
fi
# 150 KB: more than any file of the base index, less than the run needs
# even with the fewer documents of a memcheck run.
disk_full . "file size limit" 150
echo "# disk full: $runs failed runs, $stopped of them ended by Xapian inside a commit"
