#!/usr/bin/env bash
# The bundled corpus (one real article): the README's demo queries, stemming,
# full-width and case folding, and a word that is not there.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

ARTICLE=apec-2026-som1-article

si -o db "$E2E_ROOT/corpus"
assert_exit 0 "indexing corpus/"
assert_match "$ERR" '^sou-index: 1 documents indexed, 0 skipped, [0-9.]+ MB in [0-9.]+ s -> db$' \
    "indexing summary"

# QUERY|WORD|LIT: QUERY finds the article, WORD is in its snippet, and LIT
# are the distinct words the snippet highlights (meetings -> Meeting by
# stemming, ＡＰＥＣ -> APEC by NFKC, cti -> CTI by case folding; a run of
# Chinese or a phrase is lit word by word).
for triple in '資深官員會議|資深官員會議|官員 會議 資深' '數位週|數位週|數位 週' 'APEC|APEC|APEC' \
    '"Digital Weeks"|Digital Weeks|Digital Weeks' '廣州|廣州|廣州' 'meetings|Meeting|Meeting' \
    'ＡＰＥＣ|APEC|APEC' 'cti|CTI|CTI'; do
    IFS='|' read -r query word lit <<<"$triple"
    json_search db "$query"
    assert_exit 0 "[$query]"
    assert_eq "$ARTICLE" "$(jq -r '[.results[].id] | join(" ")' <<<"$OUT")" "ids for [$query]"
    assert_eq 1 "$(jq .total <<<"$OUT")" "total for [$query]"
    assert_contains "$(jq -r '.results[0].snippet' <<<"$OUT")" "$word" "snippet of [$query]"
    assert_eq "$lit" "$(highlighted "$ARTICLE" <<<"$OUT" | sort -u | paste -sd' ' -)" \
        "highlighted words for [$query]"
done

# The analysed tokens of the query, as the JSON reports them.
json_search db '資深官員會議'
assert_eq '["資深","官員","會議"]' "$(jq -c .tokens <<<"$OUT")" "tokens of 資深官員會議"
json_search db 'ＡＰＥＣ'
assert_eq '["apec"]' "$(jq -c .tokens <<<"$OUT")" "tokens of ＡＰＥＣ"

# The plain text output.
sq -d db -n 3 廣州
assert_exit 0 "text output"
assert_eq "1. 2026 APEC主題設定為 「打造繁榮共享的亞太社群」， 並在中國廣州召開 「第一次資深官員會議」" \
    "$(sed -n 1p <<<"$OUT")" "text output: title line"
assert_match "$(sed -n 2p <<<"$OUT")" "^   id: $ARTICLE  date: 2026-03  score: [0-9]+\\.[0-9]{3}\$" \
    "text output: id line"
assert_contains "$(sed -n 3p <<<"$OUT")" "廣州" "text output: snippet line"
assert_match "$(tail -n 1 <<<"$OUT")" '^Results 1-1 of about 1 \([0-9.]+ ms\)$' \
    "text output: last line"
assert_eq "" "$ERR" "text output: stderr"

# A word that is not in the corpus.
for query in 袋鼠 zebra '"Digital Meeting"'; do
    sq -d db "$query"
    assert_exit 1 "[$query] finds nothing"
    assert_eq "No results for \"$query\"." "$OUT" "[$query]: text output"
    assert_eq "" "$ERR" "[$query]: stderr"
    assert_no_results db "$query"
    assert_eq 0 "$(jq .total <<<"$OUT")" "[$query]: JSON total"
done
