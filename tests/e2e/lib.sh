# shellcheck shell=bash
# lib.sh - helpers shared by the end-to-end tests (sourced by test_*.sh).
#
# run.sh starts each test script in a fresh temporary directory with:
#   SOU_INDEX, SOU_QUERY  the binaries under test
#   E2E_ROOT              the repository (the bundled corpus is E2E_ROOT/corpus)
#   E2E_DATA              tests/data, the fixture corpora
#
# run() also leaves the output in $E2E_SCRATCH/out and err, for byte counts.
#
# A failed assertion prints "not ok: ..." and the script goes on, so one run
# shows every failure; the script's exit status says whether any failed.

set -u

: "${SOU_INDEX:?run the e2e tests through tests/e2e/run.sh}"
: "${SOU_QUERY:?run the e2e tests through tests/e2e/run.sh}"
: "${E2E_ROOT:?}" "${E2E_DATA:?}"

E2E_FAILS=0
E2E_SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/sou-e2e-run.XXXXXX")
# Background processes a test started, killed when it ends.
E2E_BG_PIDS=()

_e2e_exit() {
    local rc=$? pid
    for pid in "${E2E_BG_PIDS[@]}"; do
        kill -9 "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    rm -rf "$E2E_SCRATCH"
    if [ "$rc" -eq 0 ] && [ "$E2E_FAILS" -gt 0 ]; then
        rc=1
    fi
    exit "$rc"
}
trap _e2e_exit EXIT

# fail MESSAGE [DETAIL]: records a failure.
fail() {
    E2E_FAILS=$((E2E_FAILS + 1))
    printf 'not ok: %s\n' "$1"
    if [ $# -gt 1 ] && [ -n "$2" ]; then
        printf '%s\n' "$2" | sed 's/^/      /'
    fi
}

# ---- Running the binaries --------------------------------------------------

# run CMD [ARG...]: runs CMD with stdin from /dev/null (or from RUN_STDIN
# when set), leaving its stdout in OUT, stderr in ERR and exit status in RC.
# A sanitizer report on stderr is a failure whatever the test expects.
OUT='' ERR='' RC=0
run() {
    local stdin=${RUN_STDIN:-/dev/null}
    "$@" <"$stdin" >"$E2E_SCRATCH/out" 2>"$E2E_SCRATCH/err"
    RC=$?
    OUT=$(cat "$E2E_SCRATCH/out")
    ERR=$(cat "$E2E_SCRATCH/err")
    if grep -qE 'Sanitizer|runtime error:|^==[0-9]+== ' "$E2E_SCRATCH/err"; then
        fail "sanitizer or memcheck report from: $*" "$ERR"
    fi
}

# Under `make valgrind` (E2E_VALGRIND=1) the binaries run in memcheck; any
# error or definite leak fails the test.
memcheck=()
if [ "${E2E_VALGRIND:-0}" = 1 ]; then
    memcheck=(valgrind -q --error-exitcode=88 --leak-check=full --errors-for-leak-kinds=definite
        --suppressions="$E2E_ROOT/tests/valgrind.supp")
fi
si() { run "${memcheck[@]}" "$SOU_INDEX" "$@"; }
sq() { run "${memcheck[@]}" "$SOU_QUERY" "$@"; }

# ---- Assertions ------------------------------------------------------------

# assert_eq EXPECTED ACTUAL WHAT
assert_eq() {
    if [ "$1" != "$2" ]; then
        fail "$3" "$(printf 'expected: %s\nactual:   %s' "$1" "$2")"
        return 1
    fi
}

# assert_contains HAYSTACK NEEDLE WHAT
assert_contains() {
    case $1 in
    *"$2"*) ;;
    *)
        fail "$3" "$(printf 'expected to contain: %s\nactual: %s' "$2" "$1")"
        return 1
        ;;
    esac
}

# assert_not_contains HAYSTACK NEEDLE WHAT
assert_not_contains() {
    case $1 in
    *"$2"*)
        fail "$3" "$(printf 'expected not to contain: %s\nactual: %s' "$2" "$1")"
        return 1
        ;;
    esac
}

# assert_match TEXT ERE WHAT: TEXT (all of it) must match the extended regex.
assert_match() {
    if ! [[ $1 =~ $2 ]]; then
        fail "$3" "$(printf 'expected to match: %s\nactual: %s' "$2" "$1")"
        return 1
    fi
}

# assert_exit EXPECTED WHAT: checks RC left by run/si/sq.
assert_exit() {
    if [ "$RC" != "$1" ]; then
        fail "$2: exit status" "$(printf 'expected: %s\nactual:   %s\nstdout: %s\nstderr: %s' \
            "$1" "$RC" "$OUT" "$ERR")"
        return 1
    fi
}

# assert_file_eq FILE EXPECTED WHAT: FILE's content equals EXPECTED.
assert_file_eq() {
    if [ ! -f "$1" ]; then
        fail "$3: $1 does not exist"
        return 1
    fi
    assert_eq "$2" "$(cat "$1")" "$3"
}

# ---- Queries -----------------------------------------------------------------

# json_search DB QUERY [OPTION...]: runs sou-query --json; OUT holds the JSON.
# QUERY comes after "--", so it may start with '-'.
json_search() {
    local db=$1 query=$2
    shift 2
    sq -d "$db" --json "$@" -- "$query"
    case $RC in
    0 | 1)
        if ! jq -e . >/dev/null 2>&1 <<<"$OUT"; then
            fail "sou-query --json '$query' printed invalid JSON" "$OUT"
        fi
        ;;
    *) fail "sou-query '$query' failed with status $RC" "$ERR" ;;
    esac
}

# get_ids DB QUERY [OPTION...]: sets IDS to the ranked ids of the results,
# separated by spaces (all of them: -n 10000 unless OPTIONs say otherwise).
IDS=''
get_ids() {
    local db=$1 query=$2
    shift 2
    json_search "$db" "$query" -n 10000 "$@"
    IDS=$(jq -r '[.results[].id] | join(" ")' <<<"$OUT")
}

# results_of DB: the ranked ids of every query in the array QUERIES, one
# line each, in RESULTS.
RESULTS=''
# shellcheck disable=SC2034 # RESULTS is read by the tests that call it
results_of() {
    local q all=''
    for q in "${QUERIES[@]}"; do
        get_ids "$1" "$q"
        all+="$q: $IDS"$'\n'
    done
    RESULTS=$all
}

# assert_ids DB QUERY "ID..." [OPTION...]: the exact ranked list of ids.
assert_ids() {
    local db=$1 query=$2 expected=$3
    shift 3
    get_ids "$db" "$query" "$@"
    assert_eq "$expected" "$IDS" "ranked ids for [$query]${*:+ $*}"
}

# sorted_words "W...": the words sorted, on one line.
sorted_words() {
    printf '%s' "$1" | tr ' ' '\n' | sort | paste -sd' ' -
}

# assert_id_set DB QUERY "ID..." [OPTION...]: the same ids in any order, for
# queries that only filter (every result scores 0, so order is not ranking).
assert_id_set() {
    local db=$1 query=$2 expected=$3
    shift 3
    get_ids "$db" "$query" "$@"
    assert_eq "$(sorted_words "$expected")" "$(sorted_words "$IDS")" \
        "set of ids for [$query]${*:+ $*}"
}

# assert_no_results DB QUERY: the search runs, finds nothing and exits 1.
assert_no_results() {
    json_search "$1" "$2"
    assert_exit 1 "no results for [$2]" &&
        assert_eq 0 "$(jq '.results | length' <<<"$OUT")" "no results for [$2]"
}

# get_doc_count DB: sets COUNT to the number of documents in the index and
# IDS to their ids (a query that only excludes a word no document has
# matches every document).
COUNT=0
get_doc_count() {
    get_ids "$1" "-qqqqzzzzxxxx"
    # shellcheck disable=SC2034 # COUNT is for the test scripts.
    COUNT=$(jq '.results | length' <<<"$OUT")
}

# highlighted: reads sou-query JSON on stdin and prints, for the result with
# the given id, the highlighted substrings of its snippet (character offsets)
# one per line.
highlighted() {
    jq -r --arg id "$1" '.results[] | select(.id == $id)
        | .snippet as $s | .highlights[] | $s[.[0]:.[1]]'
}

# bulk_corpus N FILE: N generated meeting documents of type "bulk", in
# Chinese and English, for tests that need a build to take a while.
bulk_corpus() {
    awk -v n="$1" 'BEGIN {
        for (i = 1; i <= n; i++)
            printf "{\"id\": \"bulk-%d\", \"title\": \"第%d次工作小組會議 Working group meeting %d\", " \
                   "\"type\": \"bulk\", \"date\": \"2026-%02d-%02d\", \"body\": \"各經濟體代表討論貿易便捷化" \
                   "與數位轉型，議題編號%d。Delegates reviewed item %d on trade facilitation.\"}\n",
                   i, i, i, i % 12 + 1, i % 28 + 1, i, i
    }' >"$2"
}

# free_ports N: prints a port P such that P .. P+N-1 on 127.0.0.1 accept
# no connection now (random, so parallel runs rarely collide).
free_ports() {
    local p k
    for _ in $(seq 50); do
        p=$((20000 + RANDOM % 30000))
        for ((k = 0; k < $1; k++)); do
            (exec 3<>"/dev/tcp/127.0.0.1/$((p + k))") 2>/dev/null && continue 2
        done
        echo "$p"
        return 0
    done
    return 1
}

# ---- Benchmark output -------------------------------------------------------------

# keys SIZE TOOL: "ROUND METRIC" of each of TOOL's rows at SIZE in the
# benchmark CSV $csv (size_mb,round,tool,metric,value), sorted.
keys() {
    awk -F, -v s="$1" -v t="$2" '$1 == s && $3 == t { print $2, $4 }' "$csv" | sort | paste -sd' ' -
}
# value SIZE ROUND TOOL METRIC: that row's value in $csv.
value() {
    awk -F, -v s="$1" -v r="$2" -v t="$3" -v m="$4" '$1 == s && $2 == r && $3 == t && $4 == m { print $5 }' "$csv"
}

# ---- The index directory -------------------------------------------------------

# live_gen DB: the generation the stub names ("gen-N").
live_gen() {
    sed -n '1s/^glass //p' "$1/XAPIANDB"
}

# gens DB: the generation directories, sorted, on one line.
gens() {
    (cd "$1" && find . -maxdepth 1 -name 'gen-*' -type d | sed 's|^\./||' | sort -V | paste -sd' ' -)
}

# snapshot DIR: a listing of every path in DIR with its size, mode, mtime
# and checksum, to tell whether anything changed.
snapshot() {
    (cd "$1" && find . -printf '%p %y %s %m %T@\n' | sort &&
        find . -type f -exec md5sum {} + | sort -k2)
}

# wait_for SECONDS CMD...: polls CMD every 0.05 s until it succeeds.
wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.05
    done
}

