#!/usr/bin/env bash
# Hostile input (tests/data/hostile): every bad line or file is reported
# with its file, line and what is wrong, and skipped; every good document
# around it is indexed and found, in every script; nothing crashes or
# hangs. Then a 50 MB line, a 50 MB text file without a line end and a
# million tiny documents, each indexed in bounded memory.
#
# The README's "Corpus format" says which input is refused and which is
# repaired (a BOM or CR dropped, control characters made spaces).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

mkdir hostile
cp "$E2E_DATA"/hostile/*.jsonl "$E2E_DATA"/hostile/*.md "$E2E_DATA"/hostile/*.txt hostile/
"$E2E_DATA/hostile/make-hostile.sh" hostile

si -o db hostile
assert_exit 1 "indexing the hostile corpus"
assert_eq "" "$OUT" "indexing the hostile corpus: stdout"

# Every message, in file order: file, line (none for a whole file), what
# is wrong.
u8() { printf 'sou-index: hostile/utf8.jsonl:%s: invalid UTF-8 at byte %s; skipped' "$1" "$2"; }
never='a byte that never occurs in UTF-8'
c0c1='an overlong encoding; C0 and C1 never occur in UTF-8'
utf16() {
    printf 'sou-index: hostile/%s: %s text (it starts with a %s byte order mark), not UTF-8; convert it with iconv -f %s -t UTF-8; skipped' \
        "$1" "$2" "$2" "$2"
}
SKIPS="sou-index: hostile/bom.jsonl:5: malformed JSON at column 21: string or '}' expected near '\\uFEFF'; skipped
sou-index: hostile/cr.jsonl:1: malformed JSON at column 45: end of file expected near '{' (the line holds a lone CR: lines must end with LF or CRLF); skipped
sou-index: hostile/crlf.jsonl:4: malformed JSON at column 27: '}' expected near end of file; skipped
sou-index: hostile/ctrl.jsonl:2: malformed JSON at column 29: control character 0x1 near '\"raw '; skipped
sou-index: hostile/ctrl.jsonl:3: malformed JSON at column 32: control character 0x9 near '\"raw'; skipped
sou-index: hostile/ctrl.jsonl:5: id contains a control character at byte 5; skipped
sou-index: hostile/ctrl.jsonl:6: malformed JSON at column 28: end of file expected near '\\x0B'; skipped
sou-index: hostile/deep.jsonl:1: malformed JSON at column 2049: maximum parsing depth reached near '['; skipped
sou-index: hostile/deep.jsonl:2: malformed JSON at column 2: string or '}' expected near '{'; skipped
sou-index: hostile/deep.jsonl:3: malformed JSON at column 10241: maximum parsing depth reached near '{'; skipped
sou-index: hostile/deep.jsonl:4: malformed JSON at column 2085: maximum parsing depth reached near '['; skipped
sou-index: hostile/deep.jsonl:6: malformed JSON at column 31: end of file expected near ']'; skipped
sou-index: hostile/huge.jsonl:2: more than 1000 fields; skipped
sou-index: hostile/nul.jsonl:2: string contains \\u0000 (NUL), which is not allowed, at column 37; skipped
sou-index: hostile/nul.jsonl:3: NUL byte at byte 25; skipped
sou-index: hostile/nul.jsonl:4: NUL byte at byte 32; skipped
sou-index: hostile/nul.jsonl:5: malformed JSON at column 11: NUL byte in object key not supported near '\"a\\u0000b\"'; skipped
sou-index: hostile/nul.txt:2: NUL byte at byte 16; skipped
sou-index: hostile/types.jsonl:2: field \"id\" must be a string or a number, not a boolean; skipped
sou-index: hostile/types.jsonl:3: missing \"id\"; skipped
sou-index: hostile/types.jsonl:4: field \"id\" must be a string, not an array; skipped
sou-index: hostile/types.jsonl:5: field \"body\" must be a string, not an array; skipped
sou-index: hostile/types.jsonl:6: field \"body\" must be a string, not an object; skipped
sou-index: hostile/types.jsonl:9: missing \"id\"; skipped
sou-index: hostile/types.jsonl:10: \"id\" is empty or only white space; skipped
sou-index: hostile/types.jsonl:11: \"id\" is empty or only white space; skipped
sou-index: hostile/types.jsonl:12: id is 201 bytes, longer than 200; skipped
sou-index: hostile/types.jsonl:17: expected a JSON object, found a string; skipped
sou-index: hostile/types.jsonl:18: expected a JSON object, found a number; skipped
sou-index: hostile/types.jsonl:19: expected a JSON object, found an array; skipped
sou-index: hostile/types.jsonl:20: expected a JSON object, found null; skipped
sou-index: hostile/types.jsonl:21: malformed JSON at column 36: end of file expected near 'garbage'; skipped
sou-index: hostile/types.jsonl:22: malformed JSON at column 26: end of file expected near '{'; skipped
sou-index: hostile/types.jsonl:23: malformed JSON at column 26: end of file expected near ','; skipped
sou-index: hostile/types.jsonl:24: malformed JSON at column 19: duplicate object key near '\"id\"'; skipped
sou-index: hostile/types.jsonl:25: malformed JSON at column 34: duplicate object key near '\"body\"'; skipped
sou-index: hostile/types.jsonl:26: empty field name; skipped
sou-index: hostile/types.jsonl:27: empty document; skipped
sou-index: hostile/types.jsonl:30: malformed JSON at column 51: invalid Unicode '\\uD800' near '\"\\ud800 alone\"'; skipped
sou-index: hostile/types.jsonl:31: invalid date \"2026-02-30x\" (want YYYY[-MM[-DD]]); skipped
$(utf16 utf16be.jsonl UTF-16BE)
$(utf16 utf16be.md UTF-16BE)
$(utf16 utf16le.jsonl UTF-16LE)
$(utf16 utf16le.txt UTF-16LE)
$(utf16 utf32le.jsonl UTF-32LE)
sou-index: hostile/utf8-eof.txt:2: invalid UTF-8 at byte 53 (E6 96: a sequence cut short by the end of the line); skipped
sou-index: hostile/utf8-overlong.txt:2: invalid UTF-8 at byte 6 (C0 AF: $c0c1); skipped
sou-index: hostile/utf8-stray.md:3: invalid UTF-8 at byte 11 (80: a continuation byte without a lead byte); skipped
$(u8 2 "38 (C0 AF: $c0c1)")
$(u8 3 "36 (C0 80: $c0c1)")
$(u8 4 "40 (E0 80 AF: an overlong encoding)")
$(u8 5 "34 (F0 80 80 AF: an overlong encoding)")
$(u8 6 "38 (ED A0 80: an encoded UTF-16 surrogate)")
$(u8 7 "37 (ED BF BF: an encoded UTF-16 surrogate)")
$(u8 8 "33 (F4 90 80 80: a code point above U+10FFFF)")
$(u8 9 "37 (E6 96: a lead byte without all its continuation bytes)")
$(u8 10 "34 (80: a continuation byte without a lead byte)")
$(u8 11 "38 (BF: a continuation byte without a lead byte)")
$(u8 12 "31 (C0: $c0c1)")
$(u8 13 "31 (C1 BF: $c0c1)")
$(u8 14 "31 (F5: $never)")
$(u8 15 "31 (F8: $never)")
$(u8 16 "31 (FE: $never)")
$(u8 17 "31 (FF: $never)")
$(u8 18 "11 (FF: $never)")
$(u8 19 "5 (C0: $c0c1)")
$(u8 21 "29 (E6 96: a sequence cut short by the end of the line)")
$(u8 23 "29 (E6 96: a sequence cut short by the end of the line)")"
assert_eq "$SKIPS" "$(sed '$d' <<<"$ERR")" "one message per bad input, naming file, line and fault"
nskips=$(wc -l <<<"$SKIPS")
assert_match "$(tail -n 1 <<<"$ERR")" \
    "^sou-index: 50 documents indexed, $nskips skipped, [0-9.]+ MB in [0-9.]+ s -> db\$" "summary"

# Every good document, by its distinctive word: those between bad lines,
# those repaired (BOM, CR, control characters dropped; null fields
# absent), and the huge ones.
long_id=$(printf 'M%.0s' {1..200}) # SOU_ID_MAX bytes
while read -r word id; do
    assert_ids db "$word" "${id/MMMMID/$long_id}"
done <<'WORDS'
zebrafinch utf8-ok-1
kingfisher utf8-ok-2
wagtail utf8-ok-3
pelican nul-ok-1
cormorant nul-ok-2
heron bom-ok-1
egret bom-ok-2
bittern bom-ok-3
spoonbill bom-in-string
ibis bom-ok-4
flamingo hostile/bom.txt
avocet hostile/bom.md
puffin crlf-ok-1
gannet crlf-ok-2
shearwater crlf-ok-3
skua hostile/cr.txt
guillemot hostile/crlf.txt
razorbill ctrl-escaped
dunlin ctrl-del
sanderling ctrl-ok-1
turnstone hostile/ctrl.txt
plover deep-ok-1
lapwing huge-string
godwit many-fields
curlew huge-title
whimbrel huge-ok-1
sparrow 42
starling body-null
wren title-number
nightjar MMMMID
thrush types-ok-1
robin unicode-escapes
finch types-ok-2
WORDS
get_doc_count db
assert_eq 50 "$COUNT" "documents indexed"

# Nothing of a refused line is searchable.
for query in petrel fulmar albatross osprey id:nul-raw id:trailing id:two-1 id:dup-id \
    id:huge-keys id:deep-field id:trunc-eof id:overlong-slash; do
    assert_no_results db "$query"
done

# Repairs: no BOM in an id, CR and control characters are not stored.
assert_ids db id:bom-ok-3 bom-ok-3
json_search db id:hostile/cr.txt
assert_eq "Cr text title" "$(jq -r '.results[0].title' <<<"$OUT")" "a lone CR ends a text line"
json_search db id:hostile/ctrl.txt
assert_eq "Control title [2J" "$(jq -r '.results[0].title' <<<"$OUT")" "controls become spaces"
json_search db id:ctrl-escaped
assert_not_contains "$(jq -r '.results[0].snippet' <<<"$OUT")" $'\e' "no ESC in a snippet"

# Queries in every script find their documents (the .md and .txt files
# mix the scripts too).
while IFS=' ' read -r query ids; do
    assert_id_set db "$query" "$ids"
done <<'QUERIES'
crème script-latin
NGUYỄN script-latin
Ångström script-latin
Αθήνα script-greek hostile/scripts.txt
ΑΘΉΝΑ script-greek hostile/scripts.txt
Владивосток script-cyrillic hostile/scripts.md
владивосток script-cyrillic hostile/scripts.md
دبي script-arabic hostile/scripts.md
ירושלים script-hebrew hostile/scripts.md
दिल्ली script-devanagari hostile/scripts.md
ประชุม script-thai
กรุงเทพมหานคร script-thai hostile/scripts.md
서울 script-hangul hostile/scripts.md
무역 script-hangul hostile/scripts.txt
ヨコハマ script-japanese hostile/scripts.md
ｶﾀｶﾅ script-fullwidth script-japanese hostile/scripts.txt
𠮷 script-han-ext-b hostile/scripts.md
𠀋 script-han-ext-b hostile/scripts.txt
cassowary script-emoji
葛城 script-variation
emu script-variation
kiwi script-zero-width
tui script-zero-width
tokyowave script-fullwidth
ＴＯＫＹＯＷＡＶＥ script-fullwidth
apec2026 script-fullwidth
moa script-mixed-rtl
takahe hostile/scripts.md
kea hostile/scripts.txt
經濟 unicode-escapes
经济 unicode-escapes
QUERIES
# Emoji are not words: a query of them alone is refused, not a crash.
sq -d db -- 👍🏽
assert_exit 2 "an emoji query"
assert_contains "$ERR" "no searchable words" "an emoji query: message"

# ---- Big input --------------------------------------------------------------
# Each is indexed alone, timed, and its peak RSS must stay under 512 MB: a
# bound on memory, not a speed target. memcheck and ASan multiply the time
# and the memory, so the big cases run only in the plain build.
if [ "${E2E_VALGRIND:-0}" = 1 ]; then
    echo "# big input skipped under valgrind: a million documents take too long in memcheck"
    exit
fi
if grep -q __asan_init "$SOU_INDEX"; then
    echo "# big input skipped under ASan: its shadow memory makes peak RSS meaningless"
    exit
fi
RSS_MAX_KB=$((512 * 1024))

# big NAME FILE WORD ID: indexes FILE alone, checks the bound, and that
# WORD finds ID.
big() {
    rm -rf "db-$1"
    /usr/bin/time -f '%e %M' -o "time-$1" "$SOU_INDEX" -q -o "db-$1" "$2" 2>"err-$1"
    local rc=$? secs kb
    read -r secs kb <"time-$1"
    assert_eq 0 "$rc" "$1: exit status ($(cat "err-$1"))"
    [ "$kb" -lt "$RSS_MAX_KB" ] || fail "$1: peak RSS ${kb} kB, over $RSS_MAX_KB kB"
    echo "# $1: $(du -m "$2" | cut -f1) MB in $secs s, peak RSS $((kb / 1024)) MB"
    assert_ids "db-$1" "$3" "$4"
}

# 50 MB of words in one line, and without any line end in a .txt: the
# distinctive word sits in the middle.
half() { head -c 26214400 /dev/zero | tr '\0' 'a' | sed 's/a\{13\}/lorem 經濟 /g'; }
{ printf '{"id":"big-line","title":"Fifty megabytes","body":"'; half; printf ' megaline '; half; printf '"}\n'; } >big.jsonl
{ half; printf ' megatext '; half; } >big.txt
big line big.jsonl megaline big-line
big text big.txt megatext big.txt
# The text file's title is its start, not 50 MB.
json_search db-text id:big.txt
assert_eq "lorem 經濟" "$(jq -r '.results[0].title | .[0:8]' <<<"$OUT")" "big.txt: title"
title_len=$(jq -r '.results[0].title | utf8bytelength' <<<"$OUT")
[ "$title_len" -le 200 ] || fail "big.txt: a title of $title_len bytes"

# A million tiny documents in one file.
seq 1000000 | sed 's/.*/{"id":"d&","body":"tiny w&"}/' >million.jsonl
big million million.jsonl w765432 d765432
json_search db-million tiny -n 1
assert_eq 1000000 "$(jq -r '.total' <<<"$OUT")" "million: every document indexed"
