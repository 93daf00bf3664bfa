# shellcheck shell=bash
# hostile_requests.sh - reads tests/data/hostile-queries.txt (its header
# describes the format) for test_cgi_hostile.sh and bench/cgi.sh (sourced).
#
#   hostile_requests FILE
#       prints one line per request, fields separated by tabs: the line
#       number in FILE, the status it must get, the method, the target with
#       every {N*TEXT} expanded ("" for "-") and the body's size in bytes
#       (0 for none). A GET without format= comes twice, the second time
#       with &format=json appended. A malformed line is an error naming
#       FILE and the line (exit status 1).
#   hostile_send URL STATUS_VAR METHOD TARGET BODY_BYTES OUT [CURL_OPTION...]
#       sends one such request to URL (sou.cgi's) with curl, the body in
#       OUT; sets the variable STATUS_VAR to the status (000 if none).

hostile_requests() {
    perl -ne '
        BEGIN { $f = $ARGV[0]; $bad = 0 }
        chomp; next if /^\s*(#|$)/;
        if (!/^([0-9]{3}) ([A-Z]+) (\S+)(?: ([0-9]+))?$/) {
            print STDERR "$f:$.: expected STATUS METHOD TARGET [BODY_BYTES]\n"; $bad = 1; next;
        }
        my ($st, $m, $t, $b) = ($1, $2, $3, $4 // 0);
        $t = "" if $t eq "-";
        $t =~ s/\{([0-9]+)\*([^}]*)\}/$2 x $1/ge;
        print "$.\t$st\t$m\t$t\t$b\n";
        print "$.\t$st\t$m\t$t&format=json\t$b\n" if $m eq "GET" && $t !~ /(^|&)format=/;
        END { exit $bad }' "$1"
}

hostile_send() {
    local url=$1 var=$2 method=$3 target=$4 body=$5 out=$6 code
    shift 6
    local args=(-sS -g -o "$out" -w '%{http_code}' "$@")
    case $method in
    GET) ;;
    HEAD) args+=(--head) ;;
    *) args+=(-X "$method") ;;
    esac
    if [ "$body" -gt 0 ]; then
        head -c "$body" /dev/zero | tr '\0' a >"$out.body"
        args+=(--data-binary "@$out.body")
    fi
    code=$(curl "${args[@]}" "$url${target:+?$target}" 2>"$out.err")
    printf -v "$var" '%s' "${code:-000}"
}
