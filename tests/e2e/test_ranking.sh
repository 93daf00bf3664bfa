#!/usr/bin/env bash
# Ranking and the query language on the fixture corpus tests/data/good:
# exact ranked lists, OR, exclusion, phrases, filters, dates, paging, JSON.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

cp -r "$E2E_DATA/good" good
si -o db good
assert_exit 0 "indexing tests/data/good"
assert_match "$ERR" '^sou-index: 11 documents indexed, 0 skipped, [0-9.]+ MB in [0-9.]+ s -> db$' \
    "indexing summary"
get_doc_count db
assert_eq 11 "$COUNT" "documents in the index"

TXT=good/notes/som2-notes.txt
MD=good/notes/digital-checklist.md

# ---- Ranking --------------------------------------------------------------------
# 能源 is in emm-beijing's title only and once in som1-guangzhou's body: the
# title (wdf 3) wins.
assert_ids db 能源 "emm-beijing som1-guangzhou"
# fsmm-hangzhou has 數位 and 貿易 twice each, apart; mrt-suzhou has them once,
# as 數位貿易. Typed with a space they are two words and fsmm-hangzhou ranks
# first; typed as one run, the phrase lifts mrt-suzhou above it.
assert_ids db '數位 貿易' "fsmm-hangzhou mrt-suzhou som1-guangzhou"
assert_ids db 數位貿易 "mrt-suzhou fsmm-hangzhou som1-guangzhou"
assert_eq '["數位","貿易"]' "$(jq -c .tokens <<<"$OUT")" "tokens of 數位貿易"
# 北京 ends emm-beijing's title and 部長 starts its body: both words match,
# but a phrase never runs from the title into the body.
assert_ids db 北京部長 "emm-beijing"
assert_no_results db '"北京部長"'
# English words match any form with the same stem (meets, Meeting).
assert_ids db meeting "wef-shanghai $TXT tourism-macao digital-weeks-chengdu"
assert_ids db meetings "wef-shanghai $TXT tourism-macao digital-weeks-chengdu"
assert_ids db 會議 "$TXT aelm-shenzhen som1-guangzhou emm-beijing fsmm-hangzhou mrt-suzhou"
assert_ids db 'digital trade' "digital-weeks-chengdu gyeongju-2025"
assert_ids db leaders "gyeongju-2025 aelm-shenzhen"
# Several words: all must match.
assert_ids db '資深 官員' "som1-guangzhou $TXT"
assert_no_results db '能源 Shanghai'

# ---- OR and exclusion -------------------------------------------------------------
assert_ids db '蘇州 OR 成都' "mrt-suzhou digital-weeks-chengdu"
assert_ids db 'APEC OR 廣州' "som1-guangzhou digital-weeks-chengdu $TXT gyeongju-2025"
# mrt-suzhou's title says 部長級 (one word), which 部長 finds as part of it.
assert_ids db 'ministers OR 部長' "tourism-macao mrt-suzhou emm-beijing fsmm-hangzhou"
# x a OR b means x AND (a OR b).
assert_ids db '會議 蘇州 OR 杭州' "fsmm-hangzhou mrt-suzhou"
assert_ids db 'meeting -Shanghai' "$TXT tourism-macao digital-weeks-chengdu"
assert_ids db '會議 -廣州 -蘇州' "aelm-shenzhen emm-beijing fsmm-hangzhou"
assert_ids db 'digital -"digital trade"' "digital-weeks-chengdu $MD"
# Only exclusions: every other document.
assert_id_set db '-Shanghai' "som1-guangzhou mrt-suzhou tourism-macao emm-beijing \
digital-weeks-chengdu fsmm-hangzhou gyeongju-2025 aelm-shenzhen $TXT $MD"

# ---- Phrases ----------------------------------------------------------------------
assert_ids db '"digital trade"' "gyeongju-2025"
assert_ids db '"數位貿易"' "mrt-suzhou"
assert_ids db '“artificial intelligence”' "gyeongju-2025 digital-weeks-chengdu"
# No stemming inside quotes: no document has the word "meetings".
assert_no_results db '"meetings"'
assert_no_results db '"trade digital"'

# ---- Filters ----------------------------------------------------------------------
# Filters alone give the matching documents unranked (score 0).
assert_id_set db type:meeting "som1-guangzhou mrt-suzhou wef-shanghai emm-beijing fsmm-hangzhou"
assert_eq '[0]' "$(jq -c '[.results[].score] | unique' <<<"$OUT")" "type:meeting scores"
assert_id_set db type:MEETING "som1-guangzhou mrt-suzhou wef-shanghai emm-beijing fsmm-hangzhou"
# Several values of one field are alternatives.
assert_id_set db 'type:news type:statement' \
    "tourism-macao digital-weeks-chengdu gyeongju-2025 aelm-shenzhen"
assert_ids db '會議 type:meeting' "som1-guangzhou emm-beijing fsmm-hangzhou mrt-suzhou"
assert_no_results db 'type:agenda'
assert_id_set db lang:en "wef-shanghai tourism-macao digital-weeks-chengdu gyeongju-2025"
assert_ids db 'lang:zh-Hant 會議' "aelm-shenzhen som1-guangzhou emm-beijing fsmm-hangzhou mrt-suzhou"
assert_ids db 'lang:ZH-HANT 會議' "aelm-shenzhen som1-guangzhou emm-beijing fsmm-hangzhou mrt-suzhou"
assert_ids db 'lang:en type:news' "digital-weeks-chengdu gyeongju-2025"
assert_ids db id:mrt-suzhou "mrt-suzhou"
assert_ids db "id:$TXT" "$TXT"
assert_id_set db 'id:mrt-suzhou id:emm-beijing' "mrt-suzhou emm-beijing"
assert_ids db '會議 id:mrt-suzhou id:emm-beijing' "emm-beijing mrt-suzhou"
assert_no_results db 'id:mrt'

# ---- Dates ------------------------------------------------------------------------
# A date given to the month (2026-06, 2026-08) counts as inside that month.
assert_id_set db 'date:2026-05..2026-09' \
    "mrt-suzhou wef-shanghai tourism-macao emm-beijing digital-weeks-chengdu fsmm-hangzhou"
assert_id_set db 'date:2026-05..' \
    "mrt-suzhou wef-shanghai tourism-macao emm-beijing digital-weeks-chengdu fsmm-hangzhou aelm-shenzhen"
assert_id_set db 'date:..2026-05' "som1-guangzhou mrt-suzhou wef-shanghai gyeongju-2025"
assert_id_set db 'date:..2025' "gyeongju-2025"
assert_id_set db 'date:2026-05' "mrt-suzhou wef-shanghai"
assert_id_set db 'date:2026-06' "tourism-macao"
assert_id_set db 'date:2026-08' "fsmm-hangzhou"
assert_id_set db 'date:2026-05-15' "wef-shanghai"
assert_id_set db 'date:2026-05-16..2026-05-22' "mrt-suzhou"
assert_id_set db 'date:2025' "gyeongju-2025"
assert_no_results db 'date:2027..'
assert_ids db '會議 date:2026-05..2026-09' "emm-beijing fsmm-hangzhou mrt-suzhou"
assert_ids db '會議 date:2026-09..' "aelm-shenzhen emm-beijing"

# ---- Paging -------------------------------------------------------------------------
get_ids db 會議
full=$IDS
assert_eq 6 "$(wc -w <<<"$full")" "會議: number of results"
paged=''
for offset in 0 2 4 6; do
    json_search db 會議 -n 2 --offset "$offset"
    page=$(jq -r '[.results[].id] | join(" ")' <<<"$OUT")
    paged="$paged${page:+ $page}"
    assert_eq 6 "$(jq .total <<<"$OUT")" "會議 --offset $offset: total"
    assert_eq "$offset" "$(jq .offset <<<"$OUT")" "會議 --offset $offset: offset"
    if [ "$offset" -lt 6 ]; then
        assert_exit 0 "會議 --offset $offset"
        assert_eq "$((offset + 1)) $((offset + 2))" "$(jq -r '[.results[].rank] | join(" ")' <<<"$OUT")" \
            "會議 --offset $offset: ranks"
    else
        # Matches exist, none on this page: exit 0 (1 means no match at all).
        assert_exit 0 "會議 --offset $offset (past the end)"
    fi
done
assert_eq "$full" "${paged# }" "pages of 2 put together"
get_ids db 會議 -n 3
assert_eq "$(cut -d' ' -f1-3 <<<"$full")" "$IDS" "會議 -n 3"
get_ids db 會議 --offset 5 -n 10
assert_eq "$(cut -d' ' -f6 <<<"$full")" "$IDS" "會議 --offset 5"
# The default page is 10 results; text output counts from the offset.
get_ids db '-qqqqzzzzxxxx' -n 10
assert_eq 10 "$(wc -w <<<"$IDS")" "-n 10 of 11"
sq -d db -n 2 --offset 2 會議
assert_exit 0 "text output with --offset"
assert_eq "3. 第一次資深官員會議在廣州閉幕" "$(sed -n 1p <<<"$OUT")" "text output: first rank shown"
assert_match "$(tail -n 1 <<<"$OUT")" '^Results 3-4 of about 6 \([0-9.]+ ms\)$' "text output: last line"

# ---- JSON -------------------------------------------------------------------------
json_search db 'digital trade'
assert_exit 0 "JSON for [digital trade]"
assert_eq 'true' "$(jq '
    (keys - ["query", "tokens", "expansions", "total", "offset", "results", "time_ms"] == []) and
    .expansions == [] and
    .query == "digital trade" and .tokens == ["digital", "trade"] and
    .total == 2 and .offset == 0 and (.time_ms | type) == "number" and
    ([.results[].rank] == [1, 2]) and
    ([.results[].score] | . == (sort | reverse) and all(type == "number" and . > 0)) and
    all(.results[];
        (.id | type) == "string" and (.title | type) == "string" and
        (.snippet | type) == "string" and (.percent | type) == "number" and
        .fields.id == .id and .fields.title == .title and (.fields | has("body") | not) and
        (.snippet as $s | .highlights | type == "array" and
            all(.[]; length == 2 and .[0] >= 0 and .[0] < .[1] and .[1] <= ($s | length))))
    ' <<<"$OUT")" "JSON shape of [digital trade]"
assert_eq '{"id":"gyeongju-2025","title":"2025 Leaders'"'"' Week in Gyeongju","date":"2025-10-31","lang":"en","type":"news"}' \
    "$(jq -c '.results[1].fields' <<<"$OUT")" "stored fields"
assert_eq 'digital trade' "$(highlighted gyeongju-2025 <<<"$OUT" | paste -sd' ' -)" \
    "highlights in gyeongju-2025's snippet"
assert_eq 'digital digital digital Trade' "$(highlighted digital-weeks-chengdu <<<"$OUT" | paste -sd' ' -)" \
    "highlights in digital-weeks-chengdu's snippet"
# Numbers and booleans are kept as their JSON text.
json_search db id:wef-shanghai
assert_eq '{"priority":"2","public":"true"}' "$(jq -c '.results[0].fields | {priority, public}' <<<"$OUT")" \
    "non-string fields"
# Highlights are character offsets, also in Chinese text.
json_search db 能源
assert_eq '能源' "$(highlighted som1-guangzhou <<<"$OUT")" "highlight of 能源"
assert_eq '' "$(highlighted emm-beijing <<<"$OUT")" "no highlight when the word is in the title only"
json_search db 數位貿易
# The body's 數位貿易, then 貿易 inside 世界貿易組織 and 自由貿易區.
assert_eq '數位 貿易 貿易 貿易' "$(highlighted mrt-suzhou <<<"$OUT" | paste -sd' ' -)" "highlights of 數位貿易"
json_search db 'CTI 廣州'
assert_eq '廣州 CTI' "$(highlighted som1-guangzhou <<<"$OUT" | paste -sd' ' -)" "highlights of [CTI 廣州]"
assert_eq '[[5,7],[27,30]]' "$(jq -c '.results[0].highlights' <<<"$OUT")" "offsets of [CTI 廣州]"
json_search db meeting
assert_eq 'Meeting' "$(highlighted tourism-macao <<<"$OUT")" "highlight of a stemmed match"

# ---- Text and Markdown files --------------------------------------------------------
# The first non-empty line is the title, the rest the body, the path the id.
json_search db "id:$TXT"
assert_eq '第二次資深官員會議筆記' "$(jq -r '.results[0].title' <<<"$OUT")" ".txt title"
assert_eq '會議地點預計在廣州以外的城市，議程包括貿易暨投資委員會的報告。 Notes: the second Senior Officials'"'"' Meeting will review the trade agenda.' \
    "$(jq -r '.results[0].snippet' <<<"$OUT")" ".txt body as snippet"
json_search db "id:$MD"
assert_contains "$(jq -r '.results[0].title' <<<"$OUT")" 'Digital Weeks checklist' ".md title"
assert_ids db DESG "$MD"
