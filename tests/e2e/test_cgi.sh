#!/usr/bin/env bash
# sou.cgi behind a real lighttpd (query/serve.sh, query/lighttpd.conf) over
# the bundled corpus, through HTTP with curl: JSON equal to sou-query --json,
# the HTML page (headers, titles, expansions, highlights, facet and
# pagination links followed), hostile queries, every bad request of the
# contract (README "sou.cgi"), HEAD and other methods, a missing index, the
# empty page and the no-results suggestions; then sou.cgi run directly:
# from a shell, with a hostile SCRIPT_NAME and over hostile documents.
#
# Expected results come from sou-query on the same index: sou.cgi must show
# what sou-query finds (test_corpus.sh checks that against the corpus).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=cgi_server.sh
. "$(dirname "$0")/cgi_server.sh"

WORK=$PWD
DB=$WORK/db
cd "$E2E_ROOT" || exit 1
si -q -o "$DB" corpus
cd "$WORK" || exit 1
assert_exit 0 "indexing corpus/" || exit 1

cgi_server_start main "$DB"
MAIN_LOG=$CGI_LOG

CSP="default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'"

# get QUERY_STRING [CURL_OPTION...]: GET CGI_URL?QUERY_STRING.
get() {
    local qs=$1
    shift
    http "$@" "$CGI_URL${qs:+?$qs}"
}

# assert_response WHAT STATUS TYPE CACHE: the status and the headers every
# response has; TYPE is html or json.
assert_response() {
    local what=$1 status=$2 type=$3 cache=$4 ctype
    assert_eq "$status" "$STATUS" "$what: status" || printf '%s\n' "$BODY" | head -n 20 | sed 's/^/      /'
    if [ "$type" = html ]; then
        ctype='text/html; charset=utf-8'
        assert_eq "$CSP" "$(header Content-Security-Policy)" "$what: Content-Security-Policy"
    else
        ctype='application/json; charset=utf-8'
    fi
    assert_eq "$ctype" "$(header Content-Type)" "$what: Content-Type"
    assert_eq "$(wc -c <"$BODY_FILE" | tr -d ' ')" "$(header Content-Length)" \
        "$what: Content-Length is the body's size"
    assert_eq "$cache" "$(header Cache-Control)" "$what: Cache-Control"
    assert_eq nosniff "$(header X-Content-Type-Options)" "$what: X-Content-Type-Options"
    if ! iconv -f UTF-8 -t UTF-8 "$BODY_FILE" >/dev/null 2>&1; then
        fail "$what: the body is not valid UTF-8"
    fi
}

# expected_json QUERY [SOU-QUERY OPTION...]: sou-query's JSON, without time_ms.
expected_json() {
    local q=$1
    shift
    sq -d "$DB" --json "$@" -- "$q"
    jq -S 'del(.time_ms)' <<<"$OUT"
}

# assert_json_as_sou_query PARAMS QUERY [SOU-QUERY OPTION...]: GET
# q=QUERY&format=json&PARAMS equals sou-query --json OPTIONS -- QUERY.
assert_json_as_sou_query() {
    local params=$1 q=$2
    shift 2
    get "q=$(urlencode "$q")&format=json${params:+&$params}"
    assert_response "JSON [$q] $params" 200 json 'public, max-age=60'
    sq -d "$DB" --json "$@" -- "$q"
    assert_eq "$(jq -S 'del(.time_ms)' <<<"$OUT")" "$(jq -S 'del(.time_ms)' "$BODY_FILE" 2>&1)" \
        "JSON [$q] $params equals sou-query --json $*"
    # Printed the same way, byte for byte (time_ms aside).
    assert_eq "$(sed '/^  "time_ms": /d' <<<"$OUT")" "$(sed '/^  "time_ms": /d' "$BODY_FILE")" \
        "JSON [$q] $params is sou-query's text"
    jq -e '.time_ms | type == "number"' "$BODY_FILE" >/dev/null || fail "JSON [$q]: time_ms"
}

# ---- 1. JSON: what sou-query --json prints -----------------------------------------------
assert_json_as_sou_query '' CTI -n 10
assert_json_as_sou_query '' 數位週 -n 10
assert_json_as_sou_query '' 贸易部长会议 -n 10
assert_json_as_sou_query '' 'type:meeting city:Guangzhou' -n 10
assert_json_as_sou_query '' 'APEC date:2026-05..2026-09 -廣州' -n 10
assert_json_as_sou_query 'page=2&n=5' CTI --offset 5 -n 5
assert_json_as_sou_query 'facets=1' CTI --facets -n 10
assert_json_as_sou_query 'expand=0&n=3' CTI --no-expand -n 3
assert_json_as_sou_query 'page=100&n=50' APEC --offset 4950 -n 50
assert_json_as_sou_query '' zebra -n 10
# The parameters in another order, "+" for spaces.
get "format=json&n=5&q=type%3Ameeting+city%3AGuangzhou"
assert_eq "$(expected_json 'type:meeting city:Guangzhou' -n 5)" \
    "$(jq -S 'del(.time_ms)' "$BODY_FILE" 2>&1)" "JSON with + for spaces"
# q of exactly 1024 bytes is accepted.
q1024=$(printf 'CTI%1021s' '')
assert_eq 1024 "${#q1024}" "a query of 1024 bytes"
get "q=$(urlencode "$q1024")&format=json&n=3"
assert_eq 200 "$STATUS" "q of 1024 bytes: status"
assert_eq "$(expected_json CTI -n 3 | jq 'del(.query)')" "$(jq -S 'del(.time_ms, .query)' "$BODY_FILE")" \
    "q of 1024 bytes finds what CTI finds"

# ---- 2. The HTML page for CTI --------------------------------------------------------------
sq -d "$DB" --json --facets -n 10 CTI
cti_json=$OUT
cti_total=$(jq .total <<<"$cti_json")
get "q=CTI"
assert_response "HTML CTI" 200 html 'public, max-age=60'
html=$BODY
cp "$BODY_FILE" cti.html
assert_contains "$html" '<html lang="zh-Hant">' "HTML CTI: lang"
assert_contains "$html" '<title>搜 Sou — CTI</title>' "HTML CTI: title"
assert_contains "$html" 'name="viewport"' "HTML CTI: viewport meta"
assert_not_contains "${html,,}" '<script' "HTML CTI: no script"
# The form: GET to SCRIPT_NAME, q holding the query, the button.
form=$(perl -0777 -ne 'print $1 if /(<form\b.*?<\/form>)/si' cti.html)
assert_match "$form" '<form[^>]*method="get"' "HTML CTI: the form's method" ||
    assert_match "$form" '<form[^>]*method="GET"' "HTML CTI: the form's method"
assert_match "$form" '<form[^>]*action="/sou\.cgi"' "HTML CTI: the form's action"
assert_match "$form" '<input[^>]*name="q"[^>]*value="CTI"|<input[^>]*value="CTI"[^>]*name="q"' \
    "HTML CTI: the input q holds the query"
assert_contains "$form" '搜尋 Search' "HTML CTI: the submit button"
assert_not_contains "$form" 'type="hidden"' "HTML CTI: no hidden inputs for default parameters"
# The count, the expansion, the results in sou-query's order.
assert_contains "$html" "約 $cti_total 筆結果 · About $cti_total results" "HTML CTI: the count"
assert_contains "$(html_texts '[a-z0-9]+' expansion)" \
    'CTI → 貿易暨投資委員會 · Committee on Trade and Investment' "HTML CTI: the expansion line"
assert_eq "$(jq -r '.results[].title' <<<"$cti_json")" "$(html_texts h2 title)" \
    "HTML CTI: the result titles, in order"
assert_eq "$(jq '.results | length' <<<"$cti_json")" "$(html_texts li result | wc -l)" \
    "HTML CTI: one li.result per result"
# Every result's snippet: the text of sou-query's snippet (with … where it
# was cut) and its highlights, each in a <mark>.
jq -r '.results[] | (if .snippet_cut_before then "…" else "" end) + .snippet
    + (if .snippet_cut_after then "…" else "" end) | gsub("\\s+"; " ") | sub("^ | $"; "")' \
    <<<"$cti_json" >snippets.want
html_texts p snippet cti.html | sed 's/^ *//; s/ *$//' >snippets.got
assert_eq "$(cat snippets.want)" "$(cat snippets.got)" "HTML CTI: the snippets"
i=0
for id in $(jq -r '.results[].id' <<<"$cti_json"); do
    i=$((i + 1))
    # (Touching highlights may share one <mark>: 貿易|暨|投資|委員會.)
    want=$(jq -r --arg id "$id" '.results[] | select(.id == $id) | .snippet as $s
        | reduce (.highlights | sort[]) as $h ([];
            if length > 0 and .[-1][1] == $h[0] then .[-1][1] = $h[1] else . + [$h] end)
        | .[] | $s[.[0]:.[1]]' <<<"$cti_json")
    got=$(html_inner p snippet cti.html | sed -n "${i}p" | grep -oP '(?<=<mark>).*?(?=</mark>)' |
        while IFS= read -r m; do html_unescape "$m"; echo; done)
    assert_eq "$want" "$got" "HTML CTI: result $i ($id): the <mark>ed text is sou-query's highlights"
done
# Each result's meta line has its id.
for id in $(jq -r '.results[].id' <<<"$cti_json"); do
    assert_contains "$html" "$id" "HTML CTI: the id $id is shown"
done

# Facets: one link per value, "value (count)", to q=CTI + " " + the
# filter; followed, it finds that many.
html_links cti.html >links.tsv
for facet in type city month; do
    value=$(jq -r --arg f "$facet" '.facets[$f][0].value' <<<"$cti_json")
    count=$(jq -r --arg f "$facet" '.facets[$f][0].count' <<<"$cti_json")
    filter=$(jq -r --arg f "$facet" '.facets[$f][0].filter' <<<"$cti_json")
    href=$(awk -F'\t' -v t="$value ($count)" '$2 == t { print $1; exit }' links.tsv)
    if [ -z "$href" ]; then
        fail "HTML CTI: no facet link \"$value ($count)\"" "$(cat links.tsv)"
        continue
    fi
    assert_match "$href" '^/sou\.cgi\?' "HTML CTI: facet $facet link goes to SCRIPT_NAME"
    assert_eq "CTI $filter" "$(query_param "$href" q)" "HTML CTI: facet link $value: its q"
    http "$(absolute_url "$href")"
    assert_eq 200 "$STATUS" "facet link $value: status"
    assert_contains "$BODY" "約 $count 筆結果 · About $count results" "facet link $value: the count"
    sq -d "$DB" --json -n 10 "CTI $filter"
    assert_eq "$(jq -r '.results[].title' <<<"$OUT")" "$(html_texts h2 title)" \
        "facet link $value: the titles"
done

# Pagination: next from page 1, then 2, then 3 (the last: 24 results),
# previous back from 3; each page shows sou-query's page.
pages=$(((cti_total + 9) / 10))
[ "$pages" -ge 3 ] || fail "corpus: CTI should have at least 21 results (has $cti_total)"
cp cti.html page.html
for page in $(seq 2 "$pages") ; do
    href=$(html_links page.html | awk -F'\t' '$1 ~ /[?&]page=/' | while IFS=$'\t' read -r h _; do
        [ "$(query_param "$h" page)" = "$page" ] && printf '%s\n' "$h"; done | head -n 1)
    if [ -z "$href" ]; then
        fail "HTML CTI page $((page - 1)): no link to page $page" "$(html_links page.html)"
        break
    fi
    assert_eq CTI "$(query_param "$href" q)" "HTML CTI page $((page - 1)): the next link's q"
    http "$(absolute_url "$href")"
    assert_eq 200 "$STATUS" "HTML CTI page $page: status"
    cp "$BODY_FILE" page.html
    sq -d "$DB" --json -n 10 --offset $(((page - 1) * 10)) CTI
    assert_eq "$(jq -r '.results[].title' <<<"$OUT")" "$(html_texts h2 title page.html)" \
        "HTML CTI page $page: the titles"
    # A link back to the previous page (page=P-1, or no page for page 1).
    prev=$(html_links page.html | while IFS=$'\t' read -r h _; do
        p=$(query_param "$h" page)
        [ "$(query_param "$h" q)" = CTI ] && [ "${p:-1}" = $((page - 1)) ] && printf '%s\n' "$h"
    done | head -n 1)
    [ -n "$prev" ] || fail "HTML CTI page $page: no link to page $((page - 1))" "$(html_links page.html)"
done
assert_eq "" "$(html_links page.html | awk -F'\t' '$1 ~ /[?&]page=/' | while IFS=$'\t' read -r h _; do
    [ "$(query_param "$h" page)" = $((pages + 1)) ] && printf '%s\n' "$h"; done)" \
    "HTML CTI: the last page ($pages) has no next link"
assert_eq "" "$(html_links cti.html | while IFS=$'\t' read -r h _; do
    [ "$(query_param "$h" page)" = 0 ] && printf '%s\n' "$h"; done)" "HTML CTI: page 1 has no previous link"
# Non-default n, facets and expand are kept in the form as hidden inputs.
get "q=CTI&n=5&facets=0&expand=0"
assert_eq 200 "$STATUS" "HTML n=5 facets=0 expand=0: status"
for kv in n=5 facets=0 expand=0; do
    assert_match "$BODY" "<input[^>]*type=\"hidden\"[^>]*name=\"${kv%=*}\"[^>]*value=\"${kv#*=}\"|<input[^>]*name=\"${kv%=*}\"[^>]*value=\"${kv#*=}\"[^>]*type=\"hidden\"|<input[^>]*type=\"hidden\"[^>]*value=\"${kv#*=}\"[^>]*name=\"${kv%=*}\"" \
        "HTML n=5 facets=0 expand=0: hidden input $kv"
done
sq -d "$DB" --json --no-expand -n 5 CTI
assert_eq "$(jq -r '.results[].title' <<<"$OUT")" "$(html_texts h2 title)" "HTML n=5 expand=0: titles"
# ... and in the link to the next page.
next=$(html_links | while IFS=$'\t' read -r h _; do
    [ "$(query_param "$h" page)" = 2 ] && printf '%s\n' "$h"; done | head -n 1)
for kv in q=CTI n=5 facets=0 expand=0; do
    assert_eq "${kv#*=}" "$(query_param "$next" "${kv%=*}")" "HTML n=5 facets=0 expand=0: the next link's $kv"
done
assert_eq "" "$(html_texts '[a-z0-9]+' expansion)" "HTML expand=0: no expansion line"

# ---- 3. Hostile queries: only ever text -----------------------------------------------------
hostile=('<script>alert(1)</script>' '"><img src=x onerror=alert(1)>' 'javascript:alert(1)'
    "AT&T \"CTI\" & 'x' &amp; <b>bold</b>" "' onmouseover='alert(1)")
for q in "${hostile[@]}"; do
    sq -d "$DB" --json -- "$q"
    case $RC in
    0 | 1) want_status=200 ;;
    *) want_status=400 ;;
    esac
    get "q=$(urlencode "$q")"
    assert_response "hostile [$q] HTML" "$want_status" html \
        "$([ "$want_status" = 200 ] && echo 'public, max-age=60' || echo no-store)"
    assert_not_contains "${BODY,,}" '<script' "hostile [$q] HTML: no <script"
    assert_not_contains "${BODY,,}" '<img' "hostile [$q] HTML: no <img"
    assert_not_contains "${BODY,,}" '<b>bold' "hostile [$q] HTML: no <b>"
    # No attribute is opened by the query: every quote inside a tag belongs
    # to an attribute the page wrote (name="value" pairs only).
    bad_tags=$(grep -oP '<[a-zA-Z][^>]*>' "$BODY_FILE" |
        grep -vP '^<[a-zA-Z][a-zA-Z0-9]*(\s+[a-zA-Z-]+(="[^"<>]*")?)*\s*/?>$' || true)
    assert_eq "" "$bad_tags" "hostile [$q] HTML: every tag is well formed"
    assert_eq "" "$(grep -oP '<[a-zA-Z][^>]*>' "$BODY_FILE" | sed -E 's/="[^"]*"/=""/g' |
        grep -iP '\son[a-z]+\b' || true)" "hostile [$q] HTML: no event handler attribute (on...)"
    assert_eq "" "$(html_links | cut -f1 | grep -iP '^\s*(javascript|data|vbscript):' || true)" \
        "hostile [$q] HTML: no javascript: link"
    # The query is in the form's input, escaped.
    value=$(perl -0777 -ne 'print $1 if /<input\b[^>]*\bname="q"[^>]*\bvalue="([^"]*)"/si
        or /<input\b[^>]*\bvalue="([^"]*)"[^>]*\bname="q"/si' "$BODY_FILE")
    assert_eq "$q" "$(html_unescape "$value")" "hostile [$q] HTML: the input's value is the query"
    # JSON: valid, with the exact query (or the parser's error).
    get "q=$(urlencode "$q")&format=json"
    assert_eq "$want_status" "$STATUS" "hostile [$q] JSON: status"
    if [ "$want_status" = 200 ]; then
        assert_eq "$q" "$(jq -r .query "$BODY_FILE" 2>&1)" "hostile [$q] JSON: the query, exactly"
    else
        assert_eq 400 "$(jq -r .status "$BODY_FILE" 2>&1)" "hostile [$q] JSON: the error's status"
        assert_match "$(jq -r .error "$BODY_FILE" 2>&1)" '.' "hostile [$q] JSON: an error message"
    fi
done
# Sent raw, not percent-encoded (curl passes < > " as they are).
get 'q=<script>alert(1)</script>'
assert_eq 200 "$STATUS" "raw <script> in the URL: status"
assert_not_contains "${BODY,,}" '<script' "raw <script> in the URL: no <script"
assert_contains "$BODY" '&lt;script&gt;alert(1)&lt;/script&gt;' "raw <script> in the URL: shown escaped"

# ---- 4. Bad requests: 400 with the message -------------------------------------------------
long_q=$(printf 'a%.0s' $(seq 1025))
long_qs="q=CTI&n=$(printf '1%.0s' $(seq 4200))"
# QUERY_STRING<TAB>message, for JSON (format=json last: the first problem wins).
bad_cases=(
    "q=%FF	parameter q is not valid UTF-8"
    "q=CTI%C3%28	parameter q is not valid UTF-8"
    "q=$long_q	parameter q is longer than 1024 bytes"
    "q=CTI&format=xml	parameter format must be html or json"
    "q=CTI&page=0	parameter page must be a number from 1 to 100"
    "q=CTI&page=-1	parameter page must be a number from 1 to 100"
    "q=CTI&page=101	parameter page must be a number from 1 to 100"
    "q=CTI&page=abc	parameter page must be a number from 1 to 100"
    "q=CTI&page=99999999999999999999	parameter page must be a number from 1 to 100"
    "q=CTI&page=1.5	parameter page must be a number from 1 to 100"
    "q=CTI&page=+1	parameter page must be a number from 1 to 100"
    "q=CTI&page=	parameter page must be a number from 1 to 100"
    "q=CTI&n=0	parameter n must be a number from 1 to 50"
    "q=CTI&n=51	parameter n must be a number from 1 to 50"
    "q=CTI&facets=2	parameter facets must be 0 or 1"
    "q=CTI&expand=yes	parameter expand must be 0 or 1"
    "q=CTI&q=APEC	parameter q given more than once"
    "q=CTI&n=5&n=5	parameter n given more than once"
    "q=CTI&foo=1	unknown parameter foo"
    "q=CTI&callback=alert	unknown parameter callback"
    "q=%G1	bad percent-encoding in parameter q"
    "q=CTI%	bad percent-encoding in parameter q"
    "q=CTI%4	bad percent-encoding in parameter q"
    "q=%22unterminated	"
)
for c in "${bad_cases[@]}"; do
    qs=${c%%$'\t'*}
    msg=${c#*$'\t'}
    # (format=xml is itself the problem: format=json after it would be a
    # repeated parameter.)
    case $qs in *format=*) continue ;; esac
    what="GET ?${qs:0:60}&format=json"
    get "$qs&format=json"
    assert_response "$what" 400 json no-store
    if [ -n "$msg" ]; then
        assert_eq "$(jq -nc --arg m "$msg" '{error: $m, status: 400}')" "$(jq -c . "$BODY_FILE" 2>&1)" \
            "$what: the error"
    else
        assert_eq 400 "$(jq -r .status "$BODY_FILE" 2>&1)" "$what: the error's status"
    fi
done
# The same as HTML: the message on the search page, with the form.
for c in "${bad_cases[@]}"; do
    qs=${c%%$'\t'*}
    msg=${c#*$'\t'}
    what="GET ?${qs:0:60}"
    get "$qs"
    assert_response "$what" 400 html no-store
    [ -n "$msg" ] && assert_contains "$(html_unescape "$BODY")" "$msg" "$what: the message"
    assert_match "$BODY" '<input[^>]*name="q"' "$what: the form"
done
# The whole query string over 4096 bytes: checked before anything else.
get "$long_qs"
assert_response "query string of ${#long_qs} bytes" 400 html no-store
assert_contains "$BODY" "query string longer than 4096 bytes" "query string of ${#long_qs} bytes: the message"
# At the limit: 4096 bytes are read (and x is unknown), 4097 are not.
qs4096="format=json&q=CTI&x=$(printf 'a%.0s' $(seq 4076))"
assert_eq 4096 "${#qs4096}" "a query string of 4096 bytes"
get "$qs4096"
assert_eq '{"error":"unknown parameter x","status":400}' "$(jq -c . "$BODY_FILE" 2>&1)" \
    "query string of 4096 bytes: read"
get "${qs4096}a"
assert_eq 400 "$STATUS" "query string of 4097 bytes: status"
assert_contains "$(jq -r .error "$BODY_FILE" 2>/dev/null || cat "$BODY_FILE")" \
    "query string longer than 4096 bytes" "query string of 4097 bytes: the message"
# format=json without q.
get "format=json"
assert_response "format=json without q" 400 json no-store
assert_eq '{"error":"missing parameter q","status":400}' "$(jq -c . "$BODY_FILE" 2>&1)" \
    "format=json without q: the error"
# A NUL byte in q is not a crash nor an internal error.
get "q=CTI%00x&format=json"
assert_match "$STATUS" '^(200|400)$' "q with %00: status"
jq -e . "$BODY_FILE" >/dev/null 2>&1 || fail "q with %00: not JSON" "$BODY"

# ---- 5. HEAD, and methods other than GET ---------------------------------------------------
for qs in "q=CTI" "q=CTI&format=json" "" "q=CTI&page=0"; do
    get "$qs"
    get_status=$STATUS
    get_length=$(header Content-Length)
    get_bytes=$(wc -c <"$BODY_FILE" | tr -d ' ')
    get_type=$(header Content-Type)
    raw_http HEAD "/sou.cgi${qs:+?$qs}"
    assert_eq "$get_status" "$STATUS" "HEAD ?$qs: the status of GET"
    head_length=$(header Content-Length)
    case $qs in
    *format=json*)
        # JSON has time_ms, printed with as many digits as it takes: its
        # length, and so Content-Length, varies by a few bytes from run
        # to run.
        if ! [ "${head_length:-0}" -ge $((get_length - 8)) ] || ! [ "$head_length" -le $((get_length + 8)) ]; then
            fail "HEAD ?$qs: Content-Length $head_length, GET's $get_length (time_ms aside)"
        fi
        ;;
    *)
        assert_eq "$get_length" "$head_length" "HEAD ?$qs: GET's Content-Length"
        assert_eq "$get_bytes" "$head_length" "HEAD ?$qs: Content-Length is GET's body size"
        ;;
    esac
    assert_eq "$get_type" "$(header Content-Type)" "HEAD ?$qs: GET's Content-Type"
    assert_eq 0 "$RAW_BODY_BYTES" "HEAD ?$qs: no body"
    # lighttpd drops any body of a HEAD response: see that sou.cgi sends none.
    REQUEST_METHOD=HEAD QUERY_STRING=$qs SOU_DB=$DB SCRIPT_NAME=/sou.cgi \
        run "${memcheck[@]}" "$SOU_CGI"
    assert_eq "" "$(perl -0777 -ne 'print $1 if /^.*?\n\n(.*)\z/s' "$E2E_SCRATCH/out")" \
        "sou.cgi run with REQUEST_METHOD=HEAD ?$qs: no body"
    assert_match "$(grep -a '^Content-Length:' "$E2E_SCRATCH/out")" '^Content-Length: [0-9]+$' \
        "sou.cgi run with REQUEST_METHOD=HEAD ?$qs: Content-Length"
done
for method in POST PUT DELETE PATCH OPTIONS; do
    get "q=CTI" -X "$method" --data-binary 'q=CTI'
    assert_eq 405 "$STATUS" "$method: status"
    assert_eq 'GET, HEAD' "$(header Allow)" "$method: Allow"
    assert_eq no-store "$(header Cache-Control)" "$method: Cache-Control"
    assert_eq "$(wc -c <"$BODY_FILE" | tr -d ' ')" "$(header Content-Length)" "$method: Content-Length"
    assert_contains "$BODY" "method $method not allowed; use GET or HEAD" "$method: the message"
done
get "q=CTI&format=json" -X POST --data-binary ''
assert_eq 405 "$STATUS" "POST format=json: status"
assert_eq '{"error":"method POST not allowed; use GET or HEAD","status":405}' \
    "$(jq -c . "$BODY_FILE" 2>&1)" "POST format=json: the error"

# ---- 6. The empty search page, and what else the server serves ------------------------------
for qs in "" "q=" "q=&n=5"; do
    get "$qs"
    assert_response "empty page ?$qs" 200 html 'public, max-age=60'
    assert_match "$BODY" '<form[^>]*action="/sou\.cgi"' "empty page ?$qs: the form"
    assert_match "$BODY" '<input[^>]*name="q"' "empty page ?$qs: the input"
    assert_contains "$BODY" '搜尋 Search' "empty page ?$qs: the button"
    assert_eq 0 "$(html_texts li result | wc -l)" "empty page ?$qs: no results"
    assert_not_contains "$BODY" '找不到符合的結果' "empty page ?$qs: no 'no results'"
done
http "http://127.0.0.1:$CGI_PORT/"
assert_eq 302 "$STATUS" "GET /: a redirect"
assert_eq /sou.cgi "$(header Location)" "GET /: to /sou.cgi"
for path in /sou-query /sou.db /db /error.log /htdocs/ /nothing/ /../../etc/passwd; do
    http --path-as-is "http://127.0.0.1:$CGI_PORT$path"
    assert_eq 404 "$STATUS" "GET $path: nothing else is served"
done

# ---- 7. No results: the suggestions ------------------------------------------------------------
# A Simplified query: a link to its Traditional form.
get "q=$(urlencode '贸易部长 zebra')"
assert_response "no results, Simplified" 200 html 'public, max-age=60'
assert_contains "$BODY" '找不到符合的結果 · No results for' "no results, Simplified: the message"
assert_contains "$BODY" '贸易部长 zebra' "no results, Simplified: the query"
href=$(html_links | while IFS=$'\t' read -r h _; do
    [ "$(query_param "$h" q)" = '貿易部長 zebra' ] && printf '%s\n' "$h"; done | head -n 1)
if [ -z "$href" ]; then
    fail "no results, Simplified: no link to the Traditional form 貿易部長 zebra" "$(html_links)"
else
    assert_match "$href" '^/sou\.cgi\?' "no results, Simplified: the link goes to SCRIPT_NAME"
    http "$(absolute_url "$href")"
    assert_eq 200 "$STATUS" "the Traditional form's link: status"
    assert_contains "$BODY" '貿易部長 zebra' "the Traditional form's link: the query"
fi
# A Traditional query has no such link.
get "q=$(urlencode '貿易部長 zebra')"
assert_contains "$BODY" '找不到符合的結果 · No results for' "no results, Traditional: the message"
assert_eq "" "$(html_links | while IFS=$'\t' read -r h _; do
    case $(query_param "$h" q) in *贸易*) printf '%s\n' "$h" ;; esac; done)" \
    "no results, Traditional: no Simplified suggestion"
# An acronym: a link searching its senses' names, which finds something.
get "q=$(urlencode 'CTI zebra')"
assert_contains "$BODY" '找不到符合的結果 · No results for' "no results, CTI zebra: the message"
href=$(html_links | while IFS=$'\t' read -r h _; do
    case $(query_param "$h" q) in *貿易暨投資委員會* | *'Committee on Trade and Investment'*) printf '%s\n' "$h" ;; esac
done | head -n 1)
if [ -z "$href" ]; then
    fail "no results, CTI zebra: no suggestion searching CTI's names" "$(html_links)"
else
    http "$(absolute_url "$href")"
    assert_eq 200 "$STATUS" "CTI's suggestion: status"
    assert_match "$BODY" '約 [1-9][0-9]* 筆結果' "CTI's suggestion finds something"
fi

# ---- 8. The index goes missing: 500 and a line in the error log ------------------------------
assert_eq "" "$(grep -a '^sou.cgi:' "$MAIN_LOG")" "no sou.cgi error line in the main server's log"
cp -a "$DB" db-copy
cgi_server_start moved "$WORK/db-copy"
get "q=CTI&format=json"
assert_eq 200 "$STATUS" "second server over a copy of the index: status"
mv db-copy db-moved
lines_before=$(grep -ac '^sou.cgi:' "$CGI_LOG")
get "q=CTI"
assert_response "index moved away: HTML" 500 html no-store
assert_not_contains "$BODY" "db-copy" "index moved away: the body does not show the path"
get "q=CTI&format=json"
assert_response "index moved away: JSON" 500 json no-store
assert_eq 500 "$(jq -r .status "$BODY_FILE" 2>&1)" "index moved away: JSON status"
assert_match "$(jq -r .error "$BODY_FILE" 2>&1)" '.' "index moved away: JSON message"
assert_not_contains "$BODY" "db-copy" "index moved away: the JSON does not show the path"
# error_lines: the "sou.cgi: ..." lines in the error log.
error_lines() {
    grep -ac '^sou.cgi:' "$CGI_LOG"
}
logged_two() {
    [ "$(error_lines)" -ge $((lines_before + 2)) ]
}
wait_for 5 logged_two ||
    fail "index moved away: no 'sou.cgi: ...' line per request in the error log" "$(cat "$CGI_LOG")"
assert_match "$(grep -a '^sou.cgi:' "$CGI_LOG" | tail -n 1)" 'db-copy' \
    "index moved away: the error log names the index"
# Bad requests and the empty page need no index.
get "q=CTI&page=0"
assert_eq 400 "$STATUS" "index moved away: a bad request is still a 400"
mv db-moved db-copy
get "q=CTI&format=json"
assert_eq 200 "$STATUS" "index back: status"

# ---- 9. Past the last page -------------------------------------------------------------------
# CTI has 3 pages: page 5 shows none, and a previous link, if any, goes to
# a page that exists.
get "q=CTI&page=5"
assert_response "HTML CTI page 5" 200 html 'public, max-age=60'
assert_eq 0 "$(html_texts li result | wc -l)" "HTML CTI page 5: no results"
html_links | while IFS=$'\t' read -r h _; do
    p=$(query_param "$h" page)
    [ "$(query_param "$h" q)" = CTI ] && [ -n "$p" ] && [ "$p" -gt "$pages" ] &&
        printf '%s\n' "$h"
done >past.links
assert_eq "" "$(cat past.links)" "HTML CTI page 5: no link to another page past the last ($pages)"

# ---- 10. Run from a shell; SCRIPT_NAME and the index's own text escaped -----------------------
# No REQUEST_METHOD: the arguments are the request (NAME=VALUE, literal).
SOU_DB=$DB run "${memcheck[@]}" "$SOU_CGI" q=CTI format=json n=3
assert_exit 0 "shell run: exit status"
assert_eq "Status: 200 OK" "$(head -n 1 "$E2E_SCRATCH/out")" "shell run: the Status line"
perl -0777 -ne 'print $1 if /^.*?\n\n(.*)\z/s' "$E2E_SCRATCH/out" >shell.json
assert_eq "$(expected_json CTI -n 3)" "$(jq -S 'del(.time_ms)' shell.json 2>&1)" \
    "shell run: the JSON body is sou-query's"
SOU_DB=$DB run "${memcheck[@]}" "$SOU_CGI" 'q=a+b%41' format=json
assert_eq 'a+b%41' "$(perl -0777 -ne 'print $1 if /^.*?\n\n(.*)\z/s' "$E2E_SCRATCH/out" | jq -r .query 2>&1)" \
    "shell run: arguments are taken literally"

# Documents whose fields are markup, and links that are not http(s).
mkdir -p hostile
cat >hostile/docs.jsonl <<'JSONL'
{"id": "evil-1", "title": "<script>alert('t')</script> Evil & co", "body": "The zebra said \"><img src=x onerror=alert(1)> and <b>bold</b> & more zebra text.", "url": "javascript:alert(1)", "type": "<i>meeting</i>", "date": "2026-01-02", "city": "\"><svg onload=alert(1)>"}
{"id": "evil-2\"><img src=x>", "title": "Second zebra", "body": "zebra zebra", "url": "http://example.com/?a=1&b=\"x\"<y>", "type": "x\" onmouseover=\"alert(1)"}
{"id": "evil-3", "title": "Third zebra", "body": "zebra", "url": " JaVaScRiPt:alert(1)"}
{"id": "evil-4", "title": "Fourth zebra", "body": "zebra", "url": "data:text/html,<script>alert(1)</script>"}
JSONL
si -q -o hostile.db hostile
assert_exit 0 "indexing the hostile documents"
SCRIPT_NAME='/x"><script>alert(1)</script>' SOU_DB=$WORK/hostile.db run "${memcheck[@]}" "$SOU_CGI" q=zebra
assert_exit 0 "hostile documents: exit status"
perl -0777 -ne 'print $1 if /^.*?\n\n(.*)\z/s' "$E2E_SCRATCH/out" >hostile.html
assert_contains "$(cat hostile.html)" '約 4 筆結果' "hostile documents: the count"
hostile_html=$(cat hostile.html)
for raw in '<script' '<img' '<svg' '<b>' '<i>'; do
    assert_not_contains "${hostile_html,,}" "$raw" "hostile documents: no raw $raw"
done
assert_eq "" "$(grep -oP '<[a-zA-Z][^>]*>' hostile.html |
    grep -vP '^<[a-zA-Z][a-zA-Z0-9]*(\s+[a-zA-Z-]+(="[^"<>]*")?)*\s*/?>$' || true)" \
    "hostile documents: every tag is well formed"
assert_eq "" "$(grep -oP '<[a-zA-Z][^>]*>' hostile.html | sed -E 's/="[^"]*"/=""/g' |
    grep -iP '\son[a-z]+\b' || true)" "hostile documents: no event handler attribute"
assert_eq "" "$(html_links hostile.html | cut -f1 | grep -iP '^\s*(javascript|data|vbscript):' || true)" \
    "hostile documents: no javascript: or data: link"
assert_eq 'http://example.com/?a=1&b="x"<y>' \
    "$(html_links hostile.html | awk -F'\t' '$2 == "Second zebra" { print $1 }')" \
    "hostile documents: an http url is the title's link, escaped"
assert_eq "<script>alert('t')</script> Evil & co" \
    "$(html_texts h2 title hostile.html | grep Evil)" "hostile documents: the title, as text"
form_action=$(perl -0777 -ne 'print $1 if /<form\b[^>]*\baction="([^"]*)"/si' hostile.html)
assert_not_contains "$form_action" '<' "hostile SCRIPT_NAME: the form's action"
assert_not_contains "$form_action" '"' "hostile SCRIPT_NAME: the form's action"
