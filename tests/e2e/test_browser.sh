#!/usr/bin/env bash
# sou.cgi's pages in a real browser: Debian's Chromium, headless, against
# lighttpd on 127.0.0.1 over the bundled corpus.
#
# The page has no JavaScript, so a search is what a GET form does: the
# browser goes to ACTION?q=QUERY, the form's fields encoded as
# application/x-www-form-urlencoded. The test reads the form from the DOM
# Chromium built for the empty search page (its action, method and field),
# builds that URL as the browser would, and loads it with --dump-dom, which
# prints the DOM after the page has loaded: the result titles must be
# sou-query's, and a hostile query must stay text (no <script> or <img>
# element in the DOM; its text present). It also saves a screenshot of the
# results for CTI: $E2E_SCREENSHOTS/cgi-results.png (make e2e sets it to
# build/screenshots; default: screenshots/ next to the binaries), and of the
# empty search page, cgi-search.png.
#
# Chromium is installed when missing (apt-get, as root; a CJK font too, for
# a readable screenshot). Not root and no Chromium: the test prints
# "skipped: ..." and passes.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# ---- Chromium ------------------------------------------------------------------------
# apt_install PACKAGE...: installs the packages (root only), updating the
# package lists once if the first try fails.
apt_install() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >>apt.log 2>&1 ||
        { DEBIAN_FRONTEND=noninteractive apt-get update -q >>apt.log 2>&1 &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >>apt.log 2>&1; }
}
if ! command -v chromium >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "# skipped: chromium is not installed and only root can install it (apt-get install chromium)"
        exit 0
    fi
    if ! apt_install chromium || ! command -v chromium >/dev/null; then
        fail "could not install Debian's chromium (apt-get install -y --no-install-recommends chromium)" \
            "$(tail -n 20 apt.log)"
        exit 1
    fi
    echo "# installed $(chromium --version 2>/dev/null | head -n 1)"
fi
if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh-tw 2>/dev/null)" ] && [ "$(id -u)" -eq 0 ]; then
    apt_install fonts-wqy-microhei || echo "# note: no CJK font could be installed; the screenshot shows boxes for Chinese"
fi

# shellcheck source=cgi_server.sh
. "$(dirname "$0")/cgi_server.sh"

WORK=$PWD
shots=${E2E_SCREENSHOTS:-$(dirname "$SOU_QUERY")/screenshots}
case $shots in
/*) ;;
*) shots=$E2E_ROOT/$shots ;;
esac
mkdir -p "$shots" || fail "cannot create $shots"

# chrome OUT ARG...: headless Chromium, flags as known to work on this
# machine (no background networking: the network is closed), with a fresh
# profile; its output into OUT, its chatter into chrome.log.
chrome_runs=0
chrome() {
    local out=$1
    shift
    chrome_runs=$((chrome_runs + 1))
    local profile=$WORK/profile-$chrome_runs
    mkdir -p "$profile"
    timeout "$((CGI_TIMEOUT + 60))" chromium --headless --no-sandbox --disable-gpu --disable-quic \
        --disable-background-networking --disable-component-update --disable-sync --no-first-run \
        --disable-extensions --disable-dev-shm-usage --user-data-dir="$profile" "$@" \
        >"$out" 2>>chrome.log </dev/null
    local rc=$?
    rm -rf "$profile"
    if [ "$rc" -ne 0 ]; then
        fail "chromium $* exited with status $rc" "$(grep -v -i dbus chrome.log | tail -n 20)"
        return 1
    fi
}

# form_encode STRING: STRING as a browser encodes a form field
# (application/x-www-form-urlencoded: space as +, all but * - . _ and ASCII
# letters and digits percent-encoded, UTF-8).
form_encode() {
    perl -e '$_ = $ARGV[0]; s/([^A-Za-z0-9*\-._ ])/sprintf("%%%02X", ord($1))/ge; tr/ /+/; print' "$1"
}

cd "$E2E_ROOT" || exit 1
si -q -o "$WORK/db" corpus
cd "$WORK" || exit 1
assert_exit 0 "indexing corpus/" || exit 1
cgi_server_start browser "$WORK/db"

# ---- The empty search page, and its form -----------------------------------------------
chrome search.dom --dump-dom "$CGI_URL"
assert_match "$(cat search.dom)" '<title>搜 Sou' "empty page: the title in the DOM"
form=$(perl -0777 -ne 'print $1 if /(<form\b.*?<\/form>)/si' search.dom)
[ -n "$form" ] || fail "empty page: no form in the DOM" "$(cat search.dom)"
method=$(perl -ne 'print lc($1) if /<form\b[^>]*\bmethod="([^"]*)"/i' <<<"$form")
action=$(html_unescape "$(perl -ne 'print $1 if /<form\b[^>]*\baction="([^"]*)"/i' <<<"$form")")
assert_eq get "$method" "empty page: the form's method"
assert_match "$form" '<input[^>]*name="q"' "empty page: the form's q field"
assert_contains "$form" '搜尋 Search' "empty page: the form's button"
# The other fields the form would send (hidden inputs: none by default).
hidden=$(perl -ne 'while (/<input\b[^>]*\btype="hidden"[^>]*>/gi) { print "$&\n" }' <<<"$form")
assert_eq "" "$hidden" "empty page: no hidden field"
chrome search.png --window-size=1280,400 --screenshot="$shots/cgi-search.png" "$CGI_URL"

# submit QUERY: the URL the form's GET goes to for QUERY.
submit() {
    printf '%s?q=%s\n' "$(absolute_url "${action:-$CGI_URL}")" "$(form_encode "$1")"
}

# ---- A search through the form ------------------------------------------------------------
for q in CTI 數位週 贸易部长会议; do
    url=$(submit "$q")
    chrome results.dom --dump-dom "$url"
    sq -d "$WORK/db" --json -n 10 "$q"
    assert_eq "$(jq -r '.results[].title' <<<"$OUT")" "$(html_texts h2 title results.dom)" \
        "form search [$q]: the result titles in the DOM"
    total=$(jq .total <<<"$OUT")
    assert_contains "$(cat results.dom)" "About $total results" "form search [$q]: the count"
    value=$(perl -0777 -ne 'print $1 if /<input\b[^>]*\bname="q"[^>]*\bvalue="([^"]*)"/si
        or /<input\b[^>]*\bvalue="([^"]*)"[^>]*\bname="q"/si' results.dom)
    assert_eq "$q" "$(html_unescape "$value")" "form search [$q]: the query is back in the field"
done
chrome shot.out --window-size=1280,1600 --hide-scrollbars --screenshot="$shots/cgi-results.png" "$(submit CTI)"
if [ "$(head -c 8 "$shots/cgi-results.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
    echo "# screenshot: $shots/cgi-results.png ($(wc -c <"$shots/cgi-results.png" | tr -d ' ') bytes)"
else
    fail "no PNG screenshot at $shots/cgi-results.png" "$(cat shot.out; grep -v -i dbus chrome.log | tail)"
fi

# ---- Hostile queries stay text --------------------------------------------------------------
for q in '<script>alert(1)</script>' '"><img src=x onerror=alert(1)>' \
    '<img src=x onerror=alert(1)> CTI'; do
    chrome hostile.dom --dump-dom "$(submit "$q")"
    dom=$(cat hostile.dom)
    assert_not_contains "${dom,,}" '<script' "hostile [$q]: no <script> element in the DOM"
    assert_not_contains "${dom,,}" '<img' "hostile [$q]: no <img> element in the DOM"
    assert_eq "" "$(grep -oP '<[a-zA-Z][^>]*>' hostile.dom | sed -E 's/="[^"]*"/=""/g' |
        grep -iP '\son[a-z]+\b' || true)" "hostile [$q]: no event handler attribute in the DOM"
    # The text is there: in the field, and in the page's text (its title at
    # least).
    value=$(perl -0777 -ne 'print $1 if /<input\b[^>]*\bname="q"[^>]*\bvalue="([^"]*)"/si
        or /<input\b[^>]*\bvalue="([^"]*)"[^>]*\bname="q"/si' hostile.dom)
    assert_eq "$q" "$(html_unescape "$value")" "hostile [$q]: the query is the field's value"
    text=$(perl -0777 -pe 's/<style\b.*?<\/style>//gs; s/<[^>]*>//g' hostile.dom)
    text=$(html_unescape "$text")
    assert_contains "$text" "${q%% CTI}" "hostile [$q]: the query is in the page's text"
done
