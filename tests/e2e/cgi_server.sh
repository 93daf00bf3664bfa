# shellcheck shell=bash
# cgi_server.sh - sou.cgi behind a real lighttpd, for the tests of sou.cgi
# (sourced after lib.sh).
#
#   SOU_CGI                the sou.cgi under test: the one next to SOU_QUERY
#                          (build/sou.cgi, or build/san/sou.cgi under the
#                          sanitizer build)
#   cgi_server_start NAME DB
#                          starts query/serve.sh (lighttpd on a free port of
#                          127.0.0.1, query/lighttpd.conf) serving SOU_CGI over
#                          the index DB, with its state in ./server-NAME; waits
#                          until it answers; sets CGI_URL (http://127.0.0.1:
#                          PORT/sou.cgi), CGI_PORT and CGI_LOG (sou.cgi's
#                          standard error: the server's cgi-error.log)
#   http [CURL_OPTION...] URL
#                          one request with curl; sets STATUS (the HTTP status,
#                          000 if none), HEADERS (the response's header lines,
#                          CRs removed), BODY (the body as text) and
#                          BODY_FILE (the body's bytes)
#   header NAME            prints the value of header NAME of the last response
#   urlencode STRING       STRING percent-encoded for a query component
#
# At exit every server is stopped, and a test fails if a log holds a
# sanitizer report. Under E2E_VALGRIND=1, lighttpd runs sou.cgi through a
# wrapper script that execs it in valgrind's memcheck with one log file per
# process; any error or definite leak in them fails the test. The sanitizer
# build needs nothing special: its ASAN_OPTIONS and UBSAN_OPTIONS (from
# run.sh) are passed to sou.cgi, whose reports land in cgi-error.log.

SOU_CGI=$(dirname "$SOU_QUERY")/sou.cgi
# Seconds a request may take (memcheck is slow).
CGI_TIMEOUT=20
[ "${E2E_VALGRIND:-0}" = 1 ] && CGI_TIMEOUT=300

if [ ! -x "$SOU_CGI" ]; then
    fail "$SOU_CGI is missing; build it first (make all)"
    exit 1
fi
if ! command -v curl >/dev/null; then
    fail "curl is missing (make deps installs it)"
    exit 1
fi
if ! command -v lighttpd >/dev/null && [ ! -x /usr/sbin/lighttpd ]; then
    fail "lighttpd is missing (make deps installs it)"
    exit 1
fi

CGI_URL='' CGI_PORT='' CGI_LOG=''
_cgi_server_pids=()
_cgi_server_dirs=()

# cgi_server_start NAME DB
cgi_server_start() {
    local name=$1 db=$2 dir cgi deadline
    dir=$PWD/server-$name
    mkdir -p "$dir"
    cgi=$SOU_CGI
    if [ "${E2E_VALGRIND:-0}" = 1 ]; then
        mkdir -p "$dir/cgi" "$dir/valgrind"
        cgi=$dir/cgi/sou.cgi
        {
            echo '#!/bin/sh'
            printf 'exec %q -q --error-exitcode=88 --leak-check=full --errors-for-leak-kinds=definite' \
                "$(command -v valgrind)"
            printf ' --suppressions=%q --log-file=%q %q "$@"\n' "$E2E_ROOT/tests/valgrind.supp" \
                "$dir/valgrind/%p.log" "$SOU_CGI"
        } >"$cgi"
        chmod +x "$cgi"
    fi
    local env_args=()
    [ -n "${ASAN_OPTIONS:-}" ] && env_args+=(-e "ASAN_OPTIONS=$ASAN_OPTIONS")
    [ -n "${UBSAN_OPTIONS:-}" ] && env_args+=(-e "UBSAN_OPTIONS=$UBSAN_OPTIONS")
    "$E2E_ROOT/query/serve.sh" -p 0 -c "$cgi" -s "$dir" "${env_args[@]}" "$db" \
        >"$dir/url" 2>"$dir/serve.err" &
    _cgi_server_pids+=($!)
    _cgi_server_dirs+=("$dir")
    deadline=$((SECONDS + 30))
    until [ -s "$dir/url" ]; do
        if ! kill -0 "${_cgi_server_pids[-1]}" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
            fail "cgi_server_start $name: the server did not start" "$(cat "$dir/serve.err")"
            exit 1
        fi
        sleep 0.05
    done
    CGI_URL=$(head -n 1 "$dir/url")
    CGI_PORT=${CGI_URL#http://127.0.0.1:}
    CGI_PORT=${CGI_PORT%%/*}
    CGI_LOG=$dir/cgi-error.log
}

# Stops the servers (SIGTERM to serve.sh, which stops lighttpd), then
# checks their logs.
_cgi_server_stop() {
    local pid dir f
    for pid in "${_cgi_server_pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null
    done
    for pid in "${_cgi_server_pids[@]}"; do
        wait "$pid" 2>/dev/null
    done
    _cgi_server_pids=()
    for dir in "${_cgi_server_dirs[@]}"; do
        for f in "$dir/cgi-error.log" "$dir/error.log" "$dir/lighttpd.out"; do
            if grep -qaE 'Sanitizer|runtime error:|^==[0-9]+== ' "$f" 2>/dev/null; then
                fail "sanitizer report in $f" "$(head -n 60 "$f")"
            fi
        done
        [ -d "$dir/valgrind" ] || continue
        for f in "$dir"/valgrind/*.log; do
            [ -s "$f" ] || continue
            fail "memcheck report from sou.cgi ($(basename "$f"))" "$(head -n 60 "$f")"
        done
    done
}

# Runs before lib.sh's exit handler, which sees the status the test had.
_cgi_server_exit() {
    local rc=$?
    _cgi_server_stop
    (exit "$rc")
    _e2e_exit
}
trap _cgi_server_exit EXIT

# server_log_tail: the end of the logs, for failure messages.
server_log_tail() {
    tail -n 20 "$CGI_LOG" "${CGI_LOG%/*}/error.log" 2>/dev/null
}

STATUS='' HEADERS='' BODY='' BODY_FILE=$E2E_SCRATCH/body
# http [CURL_OPTION...] URL
http() {
    local code
    code=$(curl -sS -g --max-time "$CGI_TIMEOUT" -D "$E2E_SCRATCH/headers" -o "$BODY_FILE" \
        -w '%{http_code}' "$@" 2>"$E2E_SCRATCH/curl.err")
    local rc=$?
    # shellcheck disable=SC2034 # for the tests
    STATUS=${code:-000}
    HEADERS=$(tr -d '\r' <"$E2E_SCRATCH/headers" 2>/dev/null)
    # shellcheck disable=SC2034 # for the tests
    BODY=$(cat "$BODY_FILE" 2>/dev/null)
    if [ "$rc" -ne 0 ]; then
        fail "curl $* failed (exit status $rc)" "$(cat "$E2E_SCRATCH/curl.err"; server_log_tail)"
    fi
}

# raw_http METHOD TARGET: one HTTP/1.0 request written by hand (bash's
# /dev/tcp), to see exactly what comes back, which curl hides for HEAD;
# leaves the response in $E2E_SCRATCH/raw, sets STATUS, HEADERS and
# RAW_BODY_BYTES (the bytes after the blank line).
# shellcheck disable=SC2034 # for the tests
RAW_BODY_BYTES=0
raw_http() {
    local raw=$E2E_SCRATCH/raw
    : >"$raw"
    (
        exec 3<>"/dev/tcp/127.0.0.1/$CGI_PORT" || exit 1
        printf '%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$1" "$2" >&3
        timeout "$CGI_TIMEOUT" cat <&3 >"$raw"
    ) 2>"$E2E_SCRATCH/curl.err" || fail "raw_http $1 $2 failed" "$(cat "$E2E_SCRATCH/curl.err")"
    HEADERS=$(perl -0777 -ne 'print $1 if /^(.*?)\r?\n\r?\n/s' "$raw" | tr -d '\r')
    # shellcheck disable=SC2034 # for the tests
    STATUS=$(head -n 1 <<<"$HEADERS" | cut -d' ' -f2)
    # shellcheck disable=SC2034 # for the tests
    RAW_BODY_BYTES=$(perl -0777 -ne 'print length($1) if /^.*?\r?\n\r?\n(.*)\z/s' "$raw")
}

# header NAME: the value of the last response's header NAME (any case).
header() {
    printf '%s\n' "$HEADERS" | awk -v n="$1" 'BEGIN { n = tolower(n) }
        { i = index($0, ":") } i > 0 && tolower(substr($0, 1, i - 1)) == n {
            v = substr($0, i + 1); sub(/^[ \t]+/, "", v); sub(/[ \t]+$/, "", v); print v; exit }'
}

# urlencode STRING
urlencode() {
    jq -rn --arg s "$1" '$s | @uri'
}

# ---- Reading the pages --------------------------------------------------------
# (perl, which every Debian system has, for the regular expressions.)

# html_links [FILE]: every <a href> of the HTML in FILE (default: the last
# body), one per line: the href and the link's text (tags removed, spaces
# squeezed), both unescaped, separated by a tab.
html_links() {
    perl -0777 -ne '
        sub unesc { my $s = shift; $s =~ s/&quot;|&#0*34;|&#x0*22;/"/gi; $s =~ s/&#0*39;|&#x0*27;|&apos;/\x27/gi;
            $s =~ s/&lt;/</g; $s =~ s/&gt;/>/g; $s =~ s/&amp;/&/g; return $s; }
        while (/<a\s[^>]*?\bhref="([^"]*)"[^>]*>(.*?)<\/a\s*>/gsi) {
            my ($h, $t) = ($1, $2); $t =~ s/<[^>]*>//g; $t =~ s/\s+/ /g; $t =~ s/^ | $//g;
            print unesc($h), "\t", unesc($t), "\n"; }' "${1:-$BODY_FILE}"
}

# html_texts TAG CLASS [FILE]: the text of every <TAG class="... CLASS ...">
# element (not nested in one of the same TAG), tags removed, unescaped, one
# per line. TAG is a Perl regex (e.g. '[a-z0-9]+' for any element).
html_texts() {
    perl -0777 -ne '
        my ($tag, $class) = @ARGV_T;
        sub unesc { my $s = shift; $s =~ s/&quot;|&#0*34;|&#x0*22;/"/gi; $s =~ s/&#0*39;|&#x0*27;|&apos;/\x27/gi;
            $s =~ s/&lt;/</g; $s =~ s/&gt;/>/g; $s =~ s/&amp;/&/g; return $s; }
        while (/<($tag)\b[^>]*\bclass="(?:[^"]*\s)?\Q$class\E(?:\s[^"]*)?"[^>]*>(.*?)<\/\1\s*>/gsi) {
            my $t = $2; $t =~ s/<[^>]*>//g; $t =~ s/\s+/ /g; $t =~ s/^ | $//g; print unesc($t), "\n"; }
        BEGIN { @ARGV_T = splice(@ARGV, 0, 2); }' "$1" "$2" "${3:-$BODY_FILE}"
}

# html_inner TAG CLASS [FILE]: like html_texts, but the raw HTML inside each
# element, on one line each.
html_inner() {
    perl -0777 -ne '
        my ($tag, $class) = @ARGV_T;
        while (/<($tag)\b[^>]*\bclass="(?:[^"]*\s)?\Q$class\E(?:\s[^"]*)?"[^>]*>(.*?)<\/\1\s*>/gsi) {
            my $t = $2; $t =~ s/\n/ /g; print "$t\n"; }
        BEGIN { @ARGV_T = splice(@ARGV, 0, 2); }' "$1" "$2" "${3:-$BODY_FILE}"
}

# html_unescape TEXT
html_unescape() {
    perl -e '$_ = $ARGV[0]; s/&quot;|&#0*34;|&#x0*22;/"/gi; s/&#0*39;|&#x0*27;|&apos;/\x27/gi;
        s/&lt;/</g; s/&gt;/>/g; s/&amp;/&/g; print' "$1"
}

# query_param URL NAME: the decoded value of parameter NAME in URL's query.
query_param() {
    perl -e 'my ($u, $n) = @ARGV; $u =~ s/^[^?]*\?//; $u =~ s/#.*//;
        for (split /&/, $u) { my ($k, $v) = split /=/, $_, 2; $v //= "";
            for ($k, $v) { tr/+/ /; s/%([0-9A-Fa-f]{2})/chr(hex($1))/ge; }
            if ($k eq $n) { print $v; last } }' "$1" "$2"
}

# absolute_url HREF: HREF of a page of the server (CGI_URL) as an absolute URL.
absolute_url() {
    case $1 in
    http://* | https://*) printf '%s\n' "$1" ;;
    /*) printf 'http://127.0.0.1:%s%s\n' "$CGI_PORT" "$1" ;;
    \?*) printf '%s%s\n' "$CGI_URL" "$1" ;;
    *) printf '%s/%s\n' "${CGI_URL%/*}" "$1" ;;
    esac
}
