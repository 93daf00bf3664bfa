#!/usr/bin/env bash
# bench/cgi.sh, sou.cgi's load and hostile-request benchmark, in a tiny
# run on corpus/: 2 connections for 1 s, each request once, four hostile
# requests. The report and the CSV agree, the load has no error, and the
# run fails (exit status 1, saying why) when a request gets another status
# than its line says or the worst request breaks the bound.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

build=$(dirname "$SOU_INDEX")
cat >hostile.txt <<'TXT'
# a comment
200 GET q=CTI
400 GET q={33*trade+}
405 POST q=CTI 10
TXT
tiny=(env BUILD="$build" CGI_CORPORA=bundled CGI_CONNS=2 CGI_SECONDS=1 CGI_REPEAT=1
    CGI_HOSTILE="$PWD/hostile.txt" CGI_OUT="$PWD/out")
run "${tiny[@]}" CGI_BOUND=1000 "$E2E_ROOT/bench/cgi.sh"
assert_exit 0 "cgi.sh"
report=$(cat out/cgi.md)
assert_contains "$OUT" "$report" "the report is printed"
csv=out/cgi.csv
assert_eq "corpus,test,name,metric,value" "$(head -n 1 "$csv")" "the CSV's header"
assert_eq 0 "$(awk -F, '$2 == "load" && ($4 == "non2xx" || $4 == "socket_errors") { s += $5 } END { print s + 0 }' "$csv")" \
    "no load error"
requests=$(awk -F, '$2 == "load" && $4 == "requests" { print $5 }' "$csv")
assert_match "$requests" '^[1-9][0-9]*$' "wrk made requests"
# The GETs twice (HTML, JSON), the POST once.
assert_eq 5 "$(grep -c '^bundled,hostile,' "$csv")" "a cost per hostile request"
rps=$(awk -F, '$2 == "load" && $4 == "requests_per_s" { print $5 }' "$csv")
assert_contains "$report" "| bundled | 2 connections | $rps | " "the load's row"
# The report prints milliseconds with two decimals.
worst=$(awk -F, '$2 == "hostile" { v = $NF + 0; if (v > w) w = v } END { printf "%.2f", w }' "$csv")
assert_match "$(grep '^| bundled | ' <<<"$report" | grep ' within 1000× ')" "\| $worst \|" \
    "the worst hostile cost, within the bound"

# A wrong status and a broken bound both fail the run.
echo '200 GET q=%FF' >>hostile.txt
run "${tiny[@]}" CGI_CONNS= CGI_BOUND=0.001 "$E2E_ROOT/bench/cgi.sh"
assert_exit 1 "cgi.sh, a wrong status and a broken bound"
assert_contains "$OUT" "hostile.txt:5 GET got 400, not 200" "the wrong status is reported"
assert_contains "$OUT" "| OVER 0.001× |" "the broken bound is reported"
