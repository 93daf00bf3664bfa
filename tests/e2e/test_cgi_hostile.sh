#!/usr/bin/env bash
# sou.cgi behind lighttpd under every request of
# tests/data/hostile-queries.txt (huge queries, thousands of terms and
# operators, repeated filters, acronyms that expand, bad dates, bad UTF-8
# and escapes, NUL bytes, enormous page numbers, repeated and unknown
# parameters, big bodies, other methods), over an index of corpus/.
#
# Each must get the status its line gives (never a 500, a timeout or a
# dropped connection). From sou.cgi: JSON that parses, whose 400 error names
# the parameter (or the query string) and whose 405 names the method; an
# HTML 400 naming them the same way; a HEAD without body. Afterwards the
# server still answers normal searches exactly as sou-query does, and
# sou.cgi has logged nothing (cgi_server.sh fails the test on a sanitizer
# or memcheck report). Under E2E_VALGRIND=1 the HTML twin of each GET is
# left out, since every request runs in memcheck.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=cgi_server.sh
. "$(dirname "$0")/cgi_server.sh"
# shellcheck source=hostile_requests.sh
. "$(dirname "$0")/hostile_requests.sh"

WORK=$PWD
cd "$E2E_ROOT" || exit 1
si -q -o "$WORK/db" corpus
cd "$WORK" || exit 1
assert_exit 0 "indexing corpus/" || exit 1
cgi_server_start hostile "$WORK/db"

if ! hostile_requests "$E2E_DATA/hostile-queries.txt" >requests.tsv; then
    fail "hostile-queries.txt is malformed"
    exit 1
fi
valgrind=${E2E_VALGRIND:-0}
sent=0 status=''
while IFS=$'\t' read -r line want method target body; do
    json=0
    case "&$target&" in *'&format=json&'*) json=1 ;; esac
    [ "$valgrind" = 1 ] && [ "$method" = GET ] && [ "$json" = 0 ] && continue
    what="hostile-queries.txt:$line $method"
    [ "$json" = 1 ] && what="$what json"
    hostile_send "$CGI_URL" status "$method" "$target" "$body" resp --max-time "$CGI_TIMEOUT" \
        -D headers
    sent=$((sent + 1))
    if ! assert_eq "$want" "$status" "$what: status"; then
        server_log_tail
        continue
    fi
    case $status in
    200 | 400 | 405) ;;
    *) continue ;; # lighttpd's own answer
    esac
    type=$(tr -d '\r' <headers | awk -F': ' 'tolower($1) == "content-type" { print $2 }')
    if [ "$method" = HEAD ]; then
        # (curl reads no body after a HEAD: look at the bytes themselves.)
        raw_http HEAD "${CGI_URL#http://127.0.0.1:"$CGI_PORT"}?$target"
        assert_eq "$want" "$STATUS" "$what: status, by hand"
        assert_eq 0 "$RAW_BODY_BYTES" "$what: HEAD has no body"
        continue
    fi
    if [ "$json" = 1 ]; then
        assert_eq "application/json; charset=utf-8" "$type" "$what: Content-Type"
        if ! jq -e . resp >/dev/null 2>&1; then
            fail "$what: the body is not JSON" "$(head -c 300 resp)"
            continue
        fi
        if [ "$status" = 200 ]; then
            assert_match "$(jq -r '.total | type' resp)" '^number$' "$what: a total"
            continue
        fi
        assert_eq "$status" "$(jq -r .status resp)" "$what: the error's status"
        msg=$(jq -r .error resp)
    else
        assert_eq "text/html; charset=utf-8" "$type" "$what: Content-Type"
        [ "$status" = 200 ] && continue
        msg=$(perl -0777 -ne 'print $1 if /Error [0-9]+: (.*?)<\/p>/s' resp)
    fi
    if [ "$status" = 405 ]; then
        assert_match "$msg" "^method $method not allowed" "$what: the 405 names the method"
    else
        assert_match "$msg" '(^|: )(parameter|unknown parameter|missing parameter|bad percent-encoding in parameter|query string)' \
            "$what: the 400 names the parameter"
    fi
done <requests.tsv
echo "# $sent hostile requests sent"
[ "$sent" -gt 100 ] || fail "only $sent hostile requests were sent"

# The server still answers normal searches, as sou-query does.
for q in CTI 資深官員會議 'type:meeting city:Guangzhou' '"Digital Weeks"'; do
    http "$CGI_URL?q=$(urlencode "$q")&format=json&n=5"
    assert_eq 200 "$STATUS" "after the hostile requests: [$q] status"
    sq -d "$WORK/db" --json -n 5 "$q"
    assert_eq "$(jq -c '[.total, [.results[].id]]' <<<"$OUT")" \
        "$(jq -c '[.total, [.results[].id]]' "$BODY_FILE" 2>&1)" \
        "after the hostile requests: [$q] as sou-query"
done
http "$CGI_URL?q=CTI"
assert_eq 200 "$STATUS" "after the hostile requests: the HTML page"
assert_contains "$BODY" '貿易暨投資委員會' "after the hostile requests: CTI's expansion"
# No 500: sou.cgi logs one line for each.
assert_eq "" "$(grep -a '^sou.cgi:' "$CGI_LOG" | head -n 5)" "sou.cgi logged no error"
