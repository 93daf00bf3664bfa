#!/usr/bin/env bash
# sou-index --tokenize: the index's segmentation of each stdin line, words
# as written, dropped punctuation one character each, one output line per
# input line.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# tokenize TEXT: runs --tokenize with TEXT (printf'd as is) on stdin.
tokenize() {
    printf '%s' "$1" >stdin.txt
    RUN_STDIN=stdin.txt si --tokenize
}

# segments LINE EXPECTED
segments() {
    tokenize "$1"$'\n'
    assert_exit 0 "--tokenize [$1]"
    assert_eq "$2" "$OUT" "segmentation of [$1]"
    assert_eq "" "$ERR" "--tokenize [$1]: stderr"
}

segments '「貿易暨投資委員會」(CTI)、' '「 貿易 暨 投資 委員會 」 ( CTI ) 、'
segments '數位與AI部長會議（TELMIN 12）' '數位 與 AI 部長 會議 （ TELMIN 12 ）'
segments '於5月20-23日在蘇州召開' '於 5 月 20 - 23 日 在 蘇州 召開'
segments '中國廣州召開「第一次資深官員會議」' '中國 廣州 召開 「 第一 次 資深 官員 會議 」'
segments 'ＡＰＥＣ數位週（Digital Weeks）' 'ＡＰＥＣ 數位 週 （ Digital Weeks ）'
segments '婦女與經濟論壇（WEF）：於5月15-16日在上海召開' \
    '婦女 與 經濟 論壇 （ WEF ） ： 於 5 月 15 - 16 日 在 上海 召開'
segments '中小企業部長會議（SMEEM）' '中小企業 部長 會議 （ SMEEM ）'
segments "APEC Senior Officials' Meeting (SOM1)" "APEC Senior Officials ' Meeting ( SOM1 )"
segments 'Asia-Pacific Economic Cooperation, APEC' 'Asia - Pacific Economic Cooperation , APEC'
# Whitespace, including U+3000 and U+00A0, separates and is not printed.
segments $'  APEC\t會議　廣州\u00a0CTI  ' 'APEC 會議 廣州 CTI'
segments '、。！' '、 。 ！'

# One output line per input line, empty lines included.
tokenize $'APEC會議\n\n   \n廣州\n'
assert_exit 0 "--tokenize with empty lines"
assert_eq $'APEC 會議\n\n\n廣州' "$OUT" "empty lines stay"
assert_eq 4 "$(wc -l <"$E2E_SCRATCH/out")" "four lines in, four out"

# CRLF line ends: the same output, without CR.
tokenize $'數位與AI部長會議（TELMIN 12）\r\n\r\nCTI\r\n'
assert_exit 0 "--tokenize with CRLF"
assert_eq $'數位 與 AI 部長 會議 （ TELMIN 12 ）\n\nCTI\n' "$(cat "$E2E_SCRATCH/out")"$'\n' \
    "CRLF input"
assert_eq 0 "$(tr -cd '\r' <"$E2E_SCRATCH/out" | wc -c)" "no CR in the output"

# A last line without a newline still gets one.
tokenize '於5月20-23日'
assert_eq '於 5 月 20 - 23 日' "$OUT" "last line without a newline"
assert_eq 1 "$(wc -l <"$E2E_SCRATCH/out")" "last line without a newline: newline added"

# Empty input, empty output.
tokenize ''
assert_exit 0 "--tokenize of nothing"
assert_eq 0 "$(wc -c <"$E2E_SCRATCH/out")" "nothing in, nothing out"

# Invalid UTF-8: the lines before it are printed, then exit 3 naming the line.
tokenize $'廣州\nbad \xff here\nafter\n'
assert_exit 3 "--tokenize of invalid UTF-8"
assert_eq '廣州' "$OUT" "invalid UTF-8: the lines before it"
assert_eq 'sou-index: stdin:2: invalid UTF-8 at byte 4' "$ERR" "invalid UTF-8: message"

# A big input goes through line by line.
awk 'BEGIN { for (i = 1; i <= 2000; i++) print "第" i "次資深官員會議(SOM" i ")" }' >many.txt
RUN_STDIN=many.txt si --tokenize
assert_exit 0 "--tokenize of 2000 lines"
assert_eq 2000 "$(wc -l <"$E2E_SCRATCH/out")" "2000 lines in, 2000 out"
assert_eq '第 1234 次 資深 官員 會議 ( SOM1234 )' "$(sed -n 1234p <<<"$OUT")" "line 1234"
