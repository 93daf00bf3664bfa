#!/usr/bin/env bash
# make-hostile.sh DIR - writes the hostile corpus files whose bytes are
# awkward to keep in git (invalid UTF-8, NUL, BOMs, CR, control bytes,
# UTF-16, deep nesting, huge lines) into DIR. Every byte is spelled out
# here with printf escapes, so the inputs can be reviewed. The files that
# are plain UTF-8 text (scripts.*, types.jsonl) sit beside this script.
#
# Each good document has a distinctive word (zebrafinch-N, ...) so that a
# test can tell it was indexed; the bad lines between them must be
# reported and skipped without costing their neighbours.
set -eu
out=${1:?usage: make-hostile.sh DIR}
mkdir -p "$out"
cd "$out"

# good ID WORD: a good JSON Lines document.
good() { printf '{"id":"%s","body":"good document %s"}\n' "$1" "$2"; }
# bad ID BYTES: a line whose body holds BYTES (printf escapes).
bad() { printf '{"id":"%s","body":"before ' "$1"; printf "$2"; printf ' after"}\n'; }

# ---- Invalid UTF-8, one class a line, between good documents ---------------
{
    good utf8-ok-1 zebrafinch
    bad overlong-slash '\xC0\xAF'          # line 2: '/' in 2 bytes
    bad overlong-nul '\xC0\x80'            # 3: NUL in 2 bytes
    bad overlong-slash-3 '\xE0\x80\xAF'    # 4: '/' in 3 bytes
    bad overlong-4 '\xF0\x80\x80\xAF'      # 5: '/' in 4 bytes
    bad surrogate-high '\xED\xA0\x80'      # 6: U+D800
    bad surrogate-low '\xED\xBF\xBF'       # 7: U+DFFF
    bad above-max '\xF4\x90\x80\x80'       # 8: U+110000
    bad truncated-mid '\xE6\x96'           # 9: 2 of 3 bytes, then '"'
    bad stray-cont '\x80'                  # 10
    bad stray-cont-run '\xBF\xBF\xBF'      # 11
    bad byte-c0 '\xC0'                     # 12
    bad byte-c1 '\xC1\xBF'                 # 13
    bad byte-f5 '\xF5\x80\x80\x80'         # 14
    bad byte-f8 '\xF8\x88\x80\x80\x80'     # 15: an old 5-byte form
    bad byte-fe '\xFE'                     # 16
    bad byte-ff '\xFF'                     # 17
    printf '{"id":"bad-\xFF-id","body":"x"}\n' # 18: in the id
    printf '{"bad\xC0key":"v","id":"k","body":"x"}\n' # 19: in a key
    good utf8-ok-2 kingfisher              # 20
    printf '{"id":"trunc-eol","body":"x"}\xE6\x96\n' # 21: truncated at the line end
    good utf8-ok-3 wagtail                 # 22
    printf '{"id":"trunc-eof","body":"x"}\xE6\x96' # 23: truncated at the end of the file
} >utf8.jsonl

printf 'Utf8 text title\nbody with osprey and a truncated sequence at the end \xE6\x96' \
    >utf8-eof.txt
printf '# Markdown title\n\nstray byte \x80 here\n' >utf8-stray.md
printf 'Overlong title\nslash \xC0\xAF here\n' >utf8-overlong.txt

# ---- NUL ------------------------------------------------------------------
{
    good nul-ok-1 pelican
    printf '{"id":"nul-escaped","body":"a\\u0000b"}\n' # 2: \u0000 in a string
    printf '{"id":"nul-raw","body":"a\0b"}\n'          # 3: a raw NUL in a string
    printf '{"id":"nul-raw-out","body":"ab"}\0\n'       # 4: a raw NUL after the object
    printf '{"a\\u0000b":"k","id":"nul-key","body":"x"}\n' # 5: \u0000 in a key
    good nul-ok-2 cormorant                            # 6
} >nul.jsonl
printf 'Nul title\nbody with a raw \0 NUL\n' >nul.txt

# ---- Byte order marks and UTF-16/32 -------------------------------------------
{
    printf '\xEF\xBB\xBF'; good bom-ok-1 heron         # 1: BOM at the file start
    good bom-ok-2 egret                                # 2
    printf '\xEF\xBB\xBF'; good bom-ok-3 bittern       # 3: BOM at a line start (files joined with cat)
    printf '{"id":"bom-in-string","body":"bom\xEF\xBB\xBFinside spoonbill"}\n' # 4: U+FEFF in text
    printf '{"id":"bom-between",\xEF\xBB\xBF"body":"x"}\n' # 5: BOM between tokens
    printf '\xEF\xBB\xBF\n'                            # 6: a BOM alone: a blank line
    good bom-ok-4 ibis                                 # 7
} >bom.jsonl
printf '\xEF\xBB\xBFBom text title\nbody with flamingo\n' >bom.txt
printf '\xEF\xBB\xBF# Bom heading\n\n\xEF\xBB\xBFbody line with avocet\n' >bom.md
# UTF-16 and UTF-32 with a BOM: refused whole, with one message.
good utf16-doc albatross | iconv -f UTF-8 -t UTF-16LE | { printf '\xFF\xFE'; cat; } >utf16le.jsonl
good utf16-doc albatross | iconv -f UTF-8 -t UTF-16BE | { printf '\xFE\xFF'; cat; } >utf16be.jsonl
printf 'Title\nbody\n' | iconv -f UTF-8 -t UTF-16LE | { printf '\xFF\xFE'; cat; } >utf16le.txt
printf 'Title\nbody\n' | iconv -f UTF-8 -t UTF-16BE | { printf '\xFE\xFF'; cat; } >utf16be.md
good utf32-doc albatross | iconv -f UTF-8 -t UTF-32LE | { printf '\xFF\xFE\0\0'; cat; } >utf32le.jsonl

# ---- Line ends and control characters -------------------------------------
{
    good crlf-ok-1 puffin | sed 's/$/\r/'
    printf '\r\n'                                      # 2: an empty CRLF line
    good crlf-ok-2 gannet | sed 's/$/\r/'              # 3
    printf '{"id":"crlf-bad","body":"x"\r\n'           # 4: malformed
    good crlf-ok-3 shearwater | sed 's/$/\r/'          # 5
} >crlf.jsonl
# Lone CR line ends (classic Mac OS): in JSON Lines a CR is white space, so
# the whole file is one line with three objects: refused with a hint.
{ good cr-1 petrel; good cr-2 fulmar; } | tr '\n' '\r' >cr.jsonl
printf 'Cr text title\rbody with skua\rsecond line with tern\r' >cr.txt
printf 'Crlf text title\r\nbody with guillemot\r\n' >crlf.txt
{
    printf '{"id":"ctrl-escaped","body":"bell\\u0007 escape\\u001b[31m tab\\u0009 razorbill"}\n' # 1
    printf '{"id":"ctrl-raw","body":"raw \x01 control"}\n'         # 2: raw C0 in a string
    printf '{"id":"ctrl-raw-tab","body":"raw\ttab"}\n'             # 3: raw TAB in a string
    printf '{"id":"ctrl-del","body":"del \x7F and nel \xC2\x85 dunlin"}\n' # 4: DEL and C1 (allowed by JSON)
    printf '{"id":"ctrl-\\u0001-id","body":"x"}\n'                 # 5: a control in the id
    printf '{"id":"ctrl-vt","body":"x"}\v\f\n'                     # 6: VT FF after the object
    printf '\v\f\n'                                                # 7: only VT FF
    good ctrl-ok-1 sanderling                                      # 8
} >ctrl.jsonl
printf 'Control title\x1B[2J\nbody \x01\x02\x1B[31m with turnstone \x7F\f\n' >ctrl.txt

# ---- Deep nesting and huge values ------------------------------------------
rep() { head -c "$2" /dev/zero | tr '\0' "$1"; }
{
    rep '[' 100000; echo                               # 1
    rep '{' 100000; echo                               # 2 (not even a key)
    for _ in $(seq 100000); do printf '{"a":'; done; echo # 3
    printf '{"id":"deep-field","body":"x","meta":'; rep '[' 3000; rep ']' 3000; echo '}' # 4
    good deep-ok-1 plover                              # 5
    printf '{"id":"deep-close","body":"x"}'; rep ']' 100000; echo # 6
} >deep.jsonl
{
    printf '{"id":"huge-string","body":"'; rep 'x' 4000000; printf ' lapwing '; rep 'y' 4000000
    printf '"}\n'                                      # 1: an 8 MB string, good
    printf '{"id":"huge-keys","body":"x"'              # 2: 100000 keys
    seq 100000 | sed 's/.*/,"k&":"v"/' | tr -d '\n'; echo '}'
    printf '{"id":"many-fields","body":"godwit"'       # 3: 900 fields, good
    seq 900 | sed 's/.*/,"f&":"v"/' | tr -d '\n'; echo '}'
    printf '{"id":"huge-title","title":"'; rep 'z' 3000000; printf '","body":"curlew"}\n' # 4
    good huge-ok-1 whimbrel                            # 5
} >huge.jsonl
