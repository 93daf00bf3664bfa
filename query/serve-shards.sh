#!/usr/bin/env bash
# serve-shards.sh - serves each shard of a sharded index with Xapian's
# xapian-tcpsrv on its own port, and writes a stub listing them, which
# sou-query -d and sou.cgi's SOU_DB open as one index.
#
#   query/serve-shards.sh [-p BASE_PORT] [-i ADDRESS] [-o STUB] [-b] INDEX
#
#   INDEX       a sharded index directory (sou-index --shards N -o INDEX ...);
#               shard K is served from INDEX/shard-K.stub, so a server follows
#               the index through rebuilds with the same number of shards
#   -p PORT     shard K listens on PORT+K (default 9100)
#   -i ADDRESS  the address to listen on, and to name in the stub (default
#               127.0.0.1; on other machines give the address they reach)
#   -o STUB     the stub to write (default INDEX/remote.stub): one
#               "remote ADDRESS:PORT" line a shard
#   -b          background: return once every server answers, leaving them
#               running; their PIDs are in STUB.pids (kill them to stop)
#
# The servers' messages go to STUB.log.
#
# Without -b it stays in the foreground until Ctrl-C (or SIGTERM), then
# stops the servers. Each server runs in its own session (setsid), because
# xapian-tcpsrv signals its whole process group when it stops.
#
# Exit status: 0 servers up (-b) or stopped by a signal; 1 a server could
# not start; 2 usage error.
set -u

usage() {
    sed -n '6p' "$0" | sed 's/^# *//' >&2
    exit 2
}
die() {
    printf 'serve-shards.sh: %s\n' "$1" >&2
    exit "${2:-1}"
}

base=9100 addr=127.0.0.1 stub='' background=0
while getopts 'p:i:o:bh' opt; do
    case $opt in
    p) base=$OPTARG ;;
    i) addr=$OPTARG ;;
    o) stub=$OPTARG ;;
    b) background=1 ;;
    *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
index=$1
[[ $base =~ ^[0-9]+$ ]] && [ "$base" -ge 1 ] && [ "$base" -le 65000 ] ||
    die "-p: '$base' is not a port from 1 to 65000" 2
command -v xapian-tcpsrv >/dev/null || die "xapian-tcpsrv is missing (Debian package xapian-tools)"
[ -f "$index/XAPIANDB" ] || die "$index is not an index directory (no XAPIANDB)"
shards=()
for k in $(seq 0 1023); do
    [ -f "$index/shard-$k.stub" ] || break
    shards+=("$index/shard-$k.stub")
done
[ ${#shards[@]} -gt 0 ] || die "$index is not sharded (no shard-0.stub); build it with sou-index --shards N"
[ -n "$stub" ] || stub=$index/remote.stub

pids=()
stop() {
    [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
    wait 2>/dev/null
}

# answers PORT: something accepts connections on ADDRESS:PORT.
answers() {
    (exec 3<>"/dev/tcp/$addr/$1") 2>/dev/null
}

for k in "${!shards[@]}"; do
    port=$((base + k))
    if answers "$port"; then
        stop
        die "port $port on $addr is already in use"
    fi
    setsid xapian-tcpsrv --quiet --interface "$addr" --port "$port" "${shards[$k]}" \
        </dev/null >>"$stub.log" 2>&1 &
    pids+=($!)
done
for k in "${!shards[@]}"; do
    port=$((base + k))
    for _ in $(seq 100); do
        answers "$port" && break
        kill -0 "${pids[$k]}" 2>/dev/null || break
        sleep 0.05
    done
    if ! answers "$port"; then
        stop
        die "xapian-tcpsrv for ${shards[$k]} did not start on $addr:$port"
    fi
done

tmp=$stub.tmp
for k in "${!shards[@]}"; do
    printf 'remote %s:%d\n' "$addr" $((base + k))
done >"$tmp" && mv "$tmp" "$stub" || { stop; die "cannot write $stub"; }
printf '%s\n' "${pids[@]}" >"$stub.pids"
printf 'serve-shards.sh: %d shards of %s on %s:%d-%d; stub %s\n' "${#shards[@]}" "$index" \
    "$addr" "$base" $((base + ${#shards[@]} - 1)) "$stub" >&2

[ "$background" = 1 ] && exit 0
trap 'stop; rm -f "$stub.pids"; exit 0' INT TERM
wait
