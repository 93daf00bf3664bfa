#!/usr/bin/env bash
# serve.sh - serves sou.cgi over an index with lighttpd on 127.0.0.1, in the
# foreground, until Ctrl-C (or SIGTERM), then stops lighttpd and exits 0.
#
#   query/serve.sh [-p PORT] [-c CGI] [-s STATE_DIR] [-e NAME=VALUE]... INDEX
#
#   INDEX       the index directory (sou-index -o INDEX ...), passed to sou.cgi
#               as SOU_DB. A missing index is only warned about: sou.cgi then
#               answers every search with 500.
#   -p PORT     the port on 127.0.0.1 (default 8080); 0 picks a free one
#   -c CGI      sou.cgi itself, or the directory holding it (default: the
#               repository's build/sou.cgi)
#   -s DIR      the state directory: the generated configuration, htdocs/ (an
#               empty document root), error.log (lighttpd's), cgi-error.log
#               (sou.cgi's standard error) and access.log. Default: a
#               temporary directory, removed at the end; a given one is kept.
#   -e N=V      also sets N=V in sou.cgi's environment (repeatable), e.g.
#               -e ASAN_OPTIONS=... (lighttpd gives CGIs a clean environment)
#
# Once lighttpd answers, prints the search page's URL on standard output
# (one line: http://127.0.0.1:PORT/sou.cgi); everything else goes to standard
# error. The configuration is query/lighttpd.conf (see its header), included
# from STATE_DIR/lighttpd.conf, which this script writes.
#
# Exit status: 0 stopped by a signal; 1 lighttpd could not start or died
# (its error log is printed); 2 usage error.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
template=$here/lighttpd.conf

usage() {
    sed -n '4,5p' "$0" | sed 's/^# *//' >&2
    exit 2
}
die() {
    printf 'serve.sh: %s\n' "$1" >&2
    exit "${2:-1}"
}

port=8080
cgi=$root/build/sou.cgi
state=''
extra_env=()
while getopts 'p:c:s:e:h' opt; do
    case $opt in
    p) port=$OPTARG ;;
    c) cgi=$OPTARG ;;
    s) state=$OPTARG ;;
    e) extra_env+=("$OPTARG") ;;
    *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
db=$1

case $port in
'' | *[!0-9]*) die "-p: not a port number: $port" 2 ;;
esac
[ "$port" -le 65535 ] || die "-p: not a port number: $port" 2

# absolute PATH: PATH made absolute (it need not exist).
absolute() {
    case $1 in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$PWD" "$1" ;;
    esac
}

[ -d "$cgi" ] && cgi=$cgi/sou.cgi
[ "$(basename "$cgi")" = sou.cgi ] || die "-c: the CGI must be named sou.cgi: $cgi" 2
[ -x "$cgi" ] || die "$cgi is missing or not executable; build it first (make all)"
cgi_dir=$(cd "$(dirname "$cgi")" && pwd)
db=$(absolute "$db")
[ -e "$db" ] || printf 'serve.sh: warning: no index at %s; sou.cgi will answer 500\n' "$db" >&2

lighttpd=$(command -v lighttpd || true)
[ -n "$lighttpd" ] || [ ! -x /usr/sbin/lighttpd ] || lighttpd=/usr/sbin/lighttpd
[ -n "$lighttpd" ] || die "lighttpd is not installed (make deps installs it; or apt-get install lighttpd)"

own_state=0
if [ -z "$state" ]; then
    state=$(mktemp -d "${TMPDIR:-/tmp}/sou-serve.XXXXXX") || die "cannot create a state directory"
    own_state=1
fi
mkdir -p "$state/htdocs" || die "cannot create $state/htdocs"
state=$(cd "$state" && pwd)

# The configuration's strings are double-quoted: refuse what would need escaping.
for v in "$cgi_dir" "$db" "$state" "${extra_env[@]}"; do
    case $v in
    *[\"\\]* | *$'\n'*) die "cannot put a path or value with a quote, backslash or newline into lighttpd's configuration: $v" 2 ;;
    esac
done
for kv in "${extra_env[@]}"; do
    case $kv in
    [A-Za-z_]*=*) ;;
    *) die "-e: expected NAME=VALUE: $kv" 2 ;;
    esac
done

conf=$state/lighttpd.conf
# write_conf PORT: the configuration for PORT.
write_conf() {
    {
        echo "# Written by query/serve.sh; the settings are in $template."
        echo "var.sou_port = $1"
        echo "var.sou_cgi_dir = \"$cgi_dir\""
        echo "var.sou_db = \"$db\""
        echo "var.sou_state_dir = \"$state\""
        echo "include \"$template\""
        for kv in "${extra_env[@]}"; do
            echo "setenv.add-environment += ( \"${kv%%=*}\" => \"${kv#*=}\" )"
        done
    } >"$conf"
}

# listening PORT: whether something listens on 127.0.0.1:PORT or any address.
listening() {
    local hex
    hex=$(printf ':%04X ' "$1")
    # Column 2 is local address:port, column 4 the state (0A: LISTEN).
    cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v p="$hex" '$4 == "0A" && index($2 " ", p)' | grep -q .
}

# answers PORT: lighttpd on PORT answers GET / with its redirect to /sou.cgi.
answers() {
    local line
    # shellcheck disable=SC2015 # the || covers a failed connect as well
    line=$(
        exec 2>/dev/null
        exec 3<>"/dev/tcp/127.0.0.1/$1" &&
            printf 'GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 &&
            IFS= read -r -t 2 line <&3 && printf '%s' "$line"
    ) || return 1
    [[ $line == "HTTP/1."[01]" 302 "* ]]
}

pid=''
stop() {
    trap '' INT TERM HUP
    if [ -n "$pid" ]; then
        kill -TERM "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    fi
    [ "$own_state" = 1 ] && rm -rf "$state"
    exit "${1:-0}"
}
trap 'printf "serve.sh: stopping\n" >&2; stop 0' INT TERM HUP

# Checks the configuration once, for a clear message.
write_conf "$([ "$port" -eq 0 ] && echo 8080 || echo "$port")"
if ! "$lighttpd" -tt -f "$conf" >"$state/lighttpd.out" 2>&1; then
    cat "$state/lighttpd.out" >&2
    die "lighttpd rejects the configuration $conf"
fi

# start PORT: starts lighttpd on PORT; returns 0 once it answers, 1 if it
# died (e.g. the port was taken meanwhile).
start() {
    write_conf "$1"
    : >"$state/lighttpd.out"
    "$lighttpd" -D -f "$conf" >>"$state/lighttpd.out" 2>&1 &
    pid=$!
    local deadline=$((SECONDS + 15))
    while [ "$SECONDS" -lt "$deadline" ]; do
        if ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid" 2>/dev/null
            pid=''
            return 1
        fi
        answers "$1" && return 0
        sleep 0.05
    done
    kill -TERM "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    pid=''
    return 1
}

failed_start() {
    cat "$state/lighttpd.out" >&2
    [ -f "$state/error.log" ] && tail -n 20 "$state/error.log" >&2
    [ -s "$state/cgi-error.log" ] && tail -n 20 "$state/cgi-error.log" >&2
}

if [ "$port" -eq 0 ]; then
    started=0
    for _ in 1 2 3 4 5 6 7 8; do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        listening "$port" && continue
        if start "$port"; then
            started=1
            break
        fi
    done
    if [ "$started" = 0 ]; then
        failed_start
        printf 'serve.sh: lighttpd did not start on any free port\n' >&2
        stop 1
    fi
else
    if listening "$port"; then
        printf 'serve.sh: port %s is in use\n' "$port" >&2
        stop 1
    fi
    if ! start "$port"; then
        failed_start
        printf 'serve.sh: lighttpd did not start on 127.0.0.1:%s\n' "$port" >&2
        stop 1
    fi
fi

printf 'http://127.0.0.1:%s/sou.cgi\n' "$port"
printf 'serve.sh: serving %s with %s (logs: %s/{error,cgi-error,access}.log); Ctrl-C stops\n' \
    "$db" "$cgi" "$state" >&2

wait "$pid"
rc=$?
# Here when lighttpd ended by itself (a signal to this script runs stop):
# status 0 after a graceful shutdown (SIGINT from Ctrl-C reaches it too).
pid=''
if [ "$rc" -eq 0 ]; then
    printf 'serve.sh: lighttpd stopped\n' >&2
    stop 0
fi
printf 'serve.sh: lighttpd exited with status %s\n' "$rc" >&2
failed_start
stop 1
