#!/usr/bin/env bash
# A short load on sou.cgi behind lighttpd (127.0.0.1 only): 4 connections
# for 5 seconds with wrk, cycling through a mix of searches (HTML and JSON,
# Chinese, Simplified, English, filters, facets, pages, no results, the
# empty page). Every response must be a 2xx, with no socket error or
# timeout, and sou.cgi must log nothing. Prints the requests per second.
#
# Without wrk (make deps installs it), 4 parallel curl loops of 25
# requests each do the same. Under E2E_VALGRIND=1 the load is lighter (2
# connections) and the timeout long, since every request runs in memcheck.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=cgi_server.sh
. "$(dirname "$0")/cgi_server.sh"

WORK=$PWD
cd "$E2E_ROOT" || exit 1
si -q -o "$WORK/db" corpus
cd "$WORK" || exit 1
assert_exit 0 "indexing corpus/" || exit 1
cgi_server_start load "$WORK/db"
case $CGI_URL in
http://127.0.0.1:*) ;;
*)
    fail "the load goes to 127.0.0.1 only, not $CGI_URL"
    exit 1
    ;;
esac
path=${CGI_URL#http://127.0.0.1:"$CGI_PORT"}

queries=(
    "q=CTI"
    "q=$(urlencode 數位週)"
    "q=$(urlencode 贸易部长会议)&format=json"
    "q=$(urlencode 'type:meeting city:Guangzhou')"
    "q=APEC&page=2&n=5"
    "q=$(urlencode 資深官員會議)&format=json&facets=1"
    "q=$(urlencode '"Digital Weeks"')"
    "q=zebra"
    ""
    "q=CTI&expand=0&format=json"
)

connections=4 seconds=5 timeout=10
if [ "${E2E_VALGRIND:-0}" = 1 ]; then
    connections=2 seconds=10 timeout=120
fi

if command -v wrk >/dev/null; then
    {
        echo 'local paths = {'
        for q in "${queries[@]}"; do
            printf '  "%s",\n' "$path${q:+?$q}"
        done
        cat <<'LUA'
}
local threads = {}
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  i = id
  bad = 0
  first_bad = ""
end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
function response(status, headers, body)
  if status < 200 or status > 299 then
    bad = bad + 1
    if first_bad == "" then first_bad = tostring(status) end
  end
end
function done(summary, latency, requests)
  local bad_total, first = 0, ""
  for _, t in ipairs(threads) do
    bad_total = bad_total + t:get("bad")
    if first == "" then first = t:get("first_bad") end
  end
  local e = summary.errors
  io.write(string.format("LOAD requests=%d seconds=%.3f non2xx=%d first_non2xx=%s connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration / 1e6, bad_total, first ~= "" and first or "-",
    e.connect, e.read, e.write, e.timeout))
end
LUA
    } >mix.lua
    wrk -t 2 -c "$connections" -d "${seconds}s" --timeout "${timeout}s" -s mix.lua \
        "http://127.0.0.1:$CGI_PORT" >wrk.out 2>&1
    rc=$?
    assert_eq 0 "$rc" "wrk: exit status" || cat wrk.out
    line=$(grep '^LOAD ' wrk.out)
    if [ -z "$line" ]; then
        fail "wrk printed no summary" "$(cat wrk.out)"
        exit 1
    fi
    # shellcheck disable=SC2086 # the words of the line are NAME=VALUE
    for kv in ${line#LOAD }; do
        case ${kv%%=*} in
        requests | seconds | non2xx | first_non2xx | connect | read | write | timeout)
            printf -v "${kv%%=*}" '%s' "${kv#*=}"
            ;;
        esac
    done
    tool="wrk, $connections connections"
else
    echo "# (wrk is missing: curl loops instead; make deps installs wrk)"
    per_loop=25
    t0=$(date +%s.%N)
    loops=()
    for c in $(seq "$connections"); do
        (
            for i in $(seq "$per_loop"); do
                q=${queries[$(((c + i) % ${#queries[@]}))]}
                curl -s -o /dev/null --max-time "$timeout" -w '%{http_code}\n' "$CGI_URL${q:+?$q}" ||
                    echo "error $?"
            done
        ) >"codes.$c" &
        loops+=($!)
    done
    # (Not a bare wait: the server runs in the background too.)
    wait "${loops[@]}"
    t1=$(date +%s.%N)
    cat codes.* >codes
    requests=$(wc -l <codes)
    seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    non2xx=$(grep -cv '^2[0-9][0-9]$' codes)
    first_non2xx=$(grep -v '^2[0-9][0-9]$' codes | head -n 1)
    connect=0 read=$(grep -c '^error' codes) write=0 timeout=0
    tool="curl, $connections loops"
fi

errors=$((connect + read + write + timeout))
rps=$(awk -v n="$requests" -v s="$seconds" 'BEGIN { printf "%.1f", (s > 0 ? n / s : 0) }')
echo "# load ($tool, ${seconds} s): $requests requests, $rps requests/s, $non2xx non-2xx, $errors socket errors"
[ "$requests" -gt 0 ] || fail "load: no request completed"
assert_eq 0 "$non2xx" "load: non-2xx responses (the first: ${first_non2xx:-})"
assert_eq 0 "$errors" "load: socket errors (connect $connect, read $read, write $write, timeout $timeout)"
assert_eq "" "$(grep -a '^sou.cgi:' "$CGI_LOG" | head -n 5)" "load: sou.cgi logged errors"
# The server still answers after the load.
http "$CGI_URL?q=CTI&format=json"
assert_eq 200 "$STATUS" "after the load: status"
sq -d "$WORK/db" --json -n 0 CTI
assert_eq "$(jq .total <<<"$OUT")" "$(jq .total "$BODY_FILE" 2>&1)" "after the load: CTI's total"
