#!/usr/bin/env bash
# cgi.sh - sou.cgi behind lighttpd on 127.0.0.1 under load and under the
# hostile requests of tests/data/hostile-queries.txt (make bench-cgi).
# Writes $CGI_OUT/cgi.md (default $BUILD/bench) and every measurement to
# cgi.csv (corpus,test,name,metric,value), then prints the report.
#
# For each corpus of CGI_CORPORA (default "bundled generated"): bundled
# is corpus/; generated is CGI_MB megabytes (default 10) written by
# bench-corpus from the gold sets in CGI_GOLD (default
# ../shared/data/seg-gold; when they are missing, bench-corpus uses the
# bundled corpus's sentences alone, and the report says so). Then:
#   - the real queries: bundled, the glossary's acronyms, Chinese and
#     English names and a few filters; generated, bench-corpus's 200
#     queries. Each is sent CGI_REPEAT times (default 5) in turn, one at a
#     time, alternately as HTML and JSON: the median wall time of a
#     request, by curl's clock, is the cost of a normal query;
#   - load: wrk with 2 threads and each of CGI_CONNS connections (default
#     "16 64") for CGI_SECONDS seconds (default 10), cycling through the
#     real queries (HTML and JSON alternately): requests/s, p50 and p99
#     latency, non-2xx responses and socket errors (connect, read, write,
#     timeout), which must all be zero;
#   - every hostile request CGI_REPEAT times, one at a time: its median
#     cost, and the worst. The bound: the worst hostile request costs at
#     most CGI_BOUND (default 10) times a normal query of the same run,
#     so that a hostile client gets at most that much more work out of a
#     request than anyone else (a fixed ceiling from the 0.5 s match time
#     limit would say little: that limit does not bound a search, README
#     "Limits").
# CGI_HOSTILE names another file of hostile requests (same format). A tiny
# run: CGI_CORPORA=bundled CGI_CONNS=2 CGI_SECONDS=1 CGI_REPEAT=1.
# Exit status: 0 all within bounds; 1 an error, a failed request, or the
# bound exceeded (the report is still written); 2 a tool is missing.
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-build}
case $build in
/*) ;;
*) build=$root/$build ;;
esac
export LC_ALL=C.UTF-8

corpora=${CGI_CORPORA-bundled generated}
conns=${CGI_CONNS-16 64}
seconds=${CGI_SECONDS:-10}
repeat=${CGI_REPEAT:-5}
bound=${CGI_BOUND:-10}
mb=${CGI_MB:-10}
gold=${CGI_GOLD:-$root/../shared/data/seg-gold}
out_dir=${CGI_OUT:-$build/bench}
hostile=${CGI_HOSTILE:-$root/tests/data/hostile-queries.txt}

for tool in "$build/sou-index" "$build/sou.cgi"; do
    if [ ! -x "$tool" ]; then
        echo "bench-cgi: $tool is missing; run make bench-cgi" >&2
        exit 2
    fi
done
for tool in wrk curl jq; do
    if ! command -v "$tool" >/dev/null; then
        echo "bench-cgi: $tool is missing (make deps installs it)" >&2
        exit 2
    fi
done
# shellcheck source-path=SCRIPTDIR source=../tests/e2e/hostile_requests.sh
. "$root/tests/e2e/hostile_requests.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sou-bench-cgi.XXXXXX")
server_pid=''
stop_server() {
    if [ -n "$server_pid" ]; then
        kill -TERM "$server_pid" 2>/dev/null
        wait "$server_pid" 2>/dev/null
    fi
    server_pid=''
}
trap 'stop_server; rm -rf "$tmp"' EXIT

status=0 notes=()
csv=$tmp/cgi.csv
echo corpus,test,name,metric,value >"$csv"
# record CORPUS TEST NAME METRIC VALUE (NAME quoted: it may hold commas)
record() {
    printf '%s,%s,"%s",%s,%s\n' "$1" "$2" "${3//\"/\"\"}" "$4" "$5" >>"$csv"
}

# start_server DB NAME: serve.sh on a free port; sets url.
start_server() {
    rm -f "$tmp/url"
    "$root/query/serve.sh" -p 0 -c "$build/sou.cgi" -s "$tmp/server-$2" "$1" \
        >"$tmp/url" 2>"$tmp/serve.err" &
    server_pid=$!
    local deadline=$((SECONDS + 30))
    until [ -s "$tmp/url" ]; do
        if ! kill -0 "$server_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
            echo "bench-cgi: the server did not start: $(cat "$tmp/serve.err")" >&2
            exit 1
        fi
        sleep 0.05
    done
    url=$(head -n 1 "$tmp/url")
}

# real_queries CORPUS: one query a line.
real_queries() {
    case $1 in
    bundled)
        awk -F'\t' '!/^#/ && NR > 1 { for (i = 1; i <= 3; i++) if ($i != "") print $i }' \
            "$root/corpus/glossary.tsv"
        printf '%s\n' 'type:meeting city:廣州' 'date:2026-05..2026-09 APEC' '"Digital Weeks"' \
            資深官員會議 贸易部长会议 '數位 -廣州'
        ;;
    generated) cut -f 2 "$tmp/gen/queries.tsv" ;;
    esac
}

# targets: the real queries as query strings, HTML and JSON alternately.
make_targets() {
    local i=0 q
    while IFS= read -r q; do
        q=$(jq -rn --arg s "$q" '$s | @uri')
        if [ $((i % 2)) = 0 ]; then echo "q=$q"; else echo "q=$q&format=json"; fi
        i=$((i + 1))
    done
}

# time_request TARGET [METHOD BODY]: prints "status seconds".
time_request() {
    local args=(-s -g -o /dev/null -w '%{http_code} %{time_total}' --max-time 60)
    case ${2:-GET} in
    GET) ;;
    HEAD) args+=(--head) ;;
    *) args+=(-X "$2") ;;
    esac
    if [ "${3:-0}" -gt 0 ]; then
        head -c "$3" /dev/zero | tr '\0' a >"$tmp/body"
        args+=(--data-binary "@$tmp/body")
    fi
    curl "${args[@]}" "$url${1:+?$1}" || echo " curl-failed"
}

median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2];
        else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

run_load() {
    local corpus=$1 c=$2
    {
        echo 'local paths = {'
        while IFS= read -r t; do
            printf '  "%s",\n' "$path?$t"
        done <"$tmp/targets"
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
  i = id * 7
  bad = 0
end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  local e = summary.errors
  io.write(string.format("LOAD requests=%d secs=%.3f non2xx=%d socket=%d p50=%.2f p99=%.2f\n",
    summary.requests, summary.duration / 1e6, b, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA
    } >"$tmp/mix.lua"
    wrk -t 2 -c "$c" -d "${seconds}s" --timeout 30s -s "$tmp/mix.lua" \
        "http://127.0.0.1:$port" >"$tmp/wrk.out" 2>&1
    local line
    line=$(grep '^LOAD ' "$tmp/wrk.out")
    if [ -z "$line" ]; then
        echo "bench-cgi: wrk printed no summary: $(cat "$tmp/wrk.out")" >&2
        status=1
        return
    fi
    local kv requests=0 secs=1 non2xx=0 socket=0 p50='' p99=''
    # shellcheck disable=SC2086 # NAME=VALUE words
    for kv in ${line#LOAD }; do
        printf -v "${kv%%=*}" '%s' "${kv#*=}"
    done
    record "$corpus" load "$c connections" requests_per_s \
        "$(awk -v n="$requests" -v s="$secs" 'BEGIN { printf "%.1f", n / s }')"
    record "$corpus" load "$c connections" p50_ms "$p50"
    record "$corpus" load "$c connections" p99_ms "$p99"
    record "$corpus" load "$c connections" non2xx "$non2xx"
    record "$corpus" load "$c connections" socket_errors "$socket"
    record "$corpus" load "$c connections" requests "$requests"
    if [ "$non2xx" != 0 ] || [ "$socket" != 0 ]; then
        notes+=("$corpus, $c connections: $non2xx non-2xx responses, $socket socket errors")
        status=1
    fi
}

bench_corpus() {
    local corpus=$1 db=$tmp/$1.db
    case $corpus in
    bundled)
        "$build/sou-index" -q -o "$db" "$root/corpus" || return 1
        ;;
    generated)
        if [ ! -x "$build/bench/bench-corpus" ]; then
            notes+=("generated: $build/bench/bench-corpus is missing; left out")
            return 0
        fi
        [ -d "$gold" ] || notes+=("generated: no gold sets at $gold; the bundled corpus's sentences alone")
        "$build/bench/bench-corpus" --seed 1 --size "$mb" --gold "$gold" --corpus "$root/corpus" \
            "$tmp/gen" >/dev/null 2>"$tmp/gen.err" || {
            echo "bench-cgi: bench-corpus failed: $(cat "$tmp/gen.err")" >&2
            return 1
        }
        "$build/sou-index" -q --glossary "$root/corpus/glossary.tsv" -o "$db" "$tmp/gen/docs.jsonl" ||
            return 1
        corpus="generated ($mb MB)"
        ;;
    esac
    start_server "$db" "$1"
    port=${url#http://127.0.0.1:}
    port=${port%%/*}
    path=/${url#http://127.0.0.1:*/}
    real_queries "$1" | make_targets >"$tmp/targets"
    record "$corpus" normal all queries "$(wc -l <"$tmp/targets")"
    record "$corpus" index all megabytes "$(du -sk "$db" | awk '{ printf "%.1f", $1 / 1024 }')"

    # Normal queries, one at a time.
    : >"$tmp/normal"
    local t st s
    for _ in $(seq "$repeat"); do
        while IFS= read -r t; do
            read -r st s <<<"$(time_request "$t")"
            [ "$st" = 200 ] || { notes+=("$corpus: normal query [$t] got $st"); status=1; }
            echo "$s" >>"$tmp/normal"
        done <"$tmp/targets"
    done
    local normal_ms
    normal_ms=$(median <"$tmp/normal" | awk '{ printf "%.2f", $1 * 1000 }')
    record "$corpus" normal all median_ms "$normal_ms"

    for c in $conns; do
        run_load "$corpus" "$c"
    done

    # Every hostile request, one at a time.
    local line want method target body name
    while IFS=$'\t' read -r line want method target body; do
        name="$line $method ${target:0:48}"
        case $target in *'&format=json') name="$name … (json)" ;; esac
        : >"$tmp/times"
        local wrong=''
        for _ in $(seq "$repeat"); do
            read -r st s <<<"$(time_request "$target" "$method" "$body")"
            [ "$st" = "$want" ] || wrong=$st
            echo "$s" >>"$tmp/times"
        done
        if [ -n "$wrong" ]; then
            notes+=("$corpus: ${hostile##*/}:$line $method got $wrong, not $want")
            status=1
        fi
        record "$corpus" hostile "$name" median_ms "$(median <"$tmp/times" | awk '{ printf "%.2f", $1 * 1000 }')"
    done <"$tmp/hostile.tsv"
    stop_server
}

if ! hostile_requests "$hostile" >"$tmp/hostile.tsv"; then
    exit 1
fi
started=$SECONDS
for corpus in $corpora; do
    case $corpus in
    bundled | generated) bench_corpus "$corpus" || status=1 ;;
    *)
        echo "bench-cgi: unknown corpus $corpus (bundled or generated)" >&2
        exit 2
        ;;
    esac
done

# The report.
report=$tmp/cgi.md
{
    echo "# sou.cgi under load and under hostile requests"
    echo
    echo "lighttpd + sou.cgi on 127.0.0.1, $(nproc) CPUs; wrk -t 2 for ${seconds} s at each"
    echo "concurrency; each request below sent $repeat times, one at a time (median, curl's clock)."
    echo
    echo "| corpus | connections | requests/s | p50 ms | p99 ms | non-2xx | socket errors |"
    echo "|---|---|---|---|---|---|---|"
    awk -F, 'NR > 1 && $2 == "load" { gsub(/"/, "", $3); k = $1 SUBSEP $3
            if (!(k in seen)) { seen[k] = 1; order[++n] = k } v[k, $4] = $5 }
        END { for (i = 1; i <= n; i++) { split(order[i], p, SUBSEP); k = order[i]
            printf "| %s | %s | %s | %s | %s | %s | %s |\n", p[1], p[2], v[k, "requests_per_s"],
                v[k, "p50_ms"], v[k, "p99_ms"], v[k, "non2xx"], v[k, "socket_errors"] } }' "$csv"
    echo
    echo "| corpus | index MB | normal query ms | hostile requests | worst hostile ms | worst / normal | bound | worst request |"
    echo "|---|---|---|---|---|---|---|---|"
    awk -F, -v bound="$bound" 'NR > 1 {
            name = $3; for (i = 4; i < NF - 1; i++) name = name "," $i
            gsub(/^"|"$/, "", name); gsub(/""/, "\"", name)
            metric = $(NF - 1); value = $NF; c = $1
            if (!(c in seen)) { seen[c] = 1; order[++n] = c }
            if ($2 == "normal" && metric == "median_ms") normal[c] = value
            if ($2 == "index") mbs[c] = value
            if ($2 == "hostile") { count[c]++; if (value + 0 > worst[c] + 0) { worst[c] = value; wname[c] = name } } }
        END { for (i = 1; i <= n; i++) { c = order[i]; if (!count[c]) continue
            r = normal[c] > 0 ? worst[c] / normal[c] : 0
            printf "| %s | %s | %s | %d | %s | %.1f | %s %s× | `%s` |\n", c, mbs[c], normal[c], count[c],
                worst[c], r, (r <= bound ? "within" : "OVER"), bound, wname[c] } }' "$csv"
    echo
    echo "The five costliest hostile requests of each corpus (hostile-queries.txt line, method, target):"
    echo
    echo "| corpus | request | median ms |"
    echo "|---|---|---|"
    awk -F, 'NR > 1 && $2 == "hostile" { name = $3; for (i = 4; i < NF - 1; i++) name = name "," $i
            gsub(/^"|"$/, "", name); gsub(/""/, "\"", name); print $NF "\t" $1 "\t" name }' "$csv" |
        sort -t $'\t' -k2,2 -k1,1gr | awk -F'\t' '{ if (++n[$2] <= 5) printf "| %s | `%s` | %s |\n", $2, $3, $1 }'
    echo
    for n in "${notes[@]}"; do
        echo "- $n"
    done
    [ "${#notes[@]}" -gt 0 ] && echo
    echo "Reproduce: make bench-cgi (bench/cgi.sh: CGI_CORPORA, CGI_CONNS, CGI_SECONDS, CGI_REPEAT,"
    echo "CGI_MB, CGI_BOUND). Every measurement: cgi.csv beside this file. $((SECONDS - started)) s in all."
} >"$report"
if grep -q '| OVER ' "$report"; then
    status=1
fi
mkdir -p "$out_dir"
cp "$csv" "$out_dir/cgi.csv"
cp "$report" "$out_dir/cgi.md"
cat "$report"
exit "$status"
