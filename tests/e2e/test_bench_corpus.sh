#!/usr/bin/env bash
# bench/bench-corpus, the performance benchmark's collection and query set.
# On hand-written fixtures (tests/data/bench-corpus, described in its README):
# exactly which sentences, words and acronyms it draws from, escaping, notes
# and warnings. On the real gold sets (../shared/data/seg-gold, else the
# fixtures) and the bundled corpus at 0.2 MB: reproducible seeds, the size,
# the language shares, valid documents that sou-index takes, and queries
# whose words occur together in a document and that sou-query finds.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

build=$(dirname "$SOU_INDEX")
fix=$E2E_DATA/bench-corpus
gen() { run "${memcheck[@]}" "$build/bench/bench-corpus" "$@"; }

# figure NAME: the value of bench-corpus's "NAME value" line in OUT.
figure() {
    printf '%s\n' "$OUT" | sed -n "s/^$1 //p"
}

# The words of the queries of the given kinds in DIR/queries.tsv, one a line;
# mixed queries give their first (Chinese) or last (Latin) word.
query_words() {
    local dir=$1
    shift
    for kind in "$@"; do
        case $kind in
        mixed-zh) awk -F'\t' '$1 == "mixed" { split($2, w, " "); print w[1] }' "$dir/queries.tsv" ;;
        mixed-latin) awk -F'\t' '$1 == "mixed" { split($2, w, " "); print w[2] }' "$dir/queries.tsv" ;;
        *) awk -F'\t' -v k="$kind" '$1 == k { n = split($2, w, " "); for (i = 1; i <= n; i++) print w[i] }' \
            "$dir/queries.tsv" ;;
        esac
    done
}

# not_in WORDS SET: the words (one a line) that are not lines of SET.
not_in() {
    grep -vxF -f <(printf '%s\n' "$2") <<<"$1" || true
}

# check_documents DIR: every line of DIR/docs.jsonl is a JSON object with
# exactly id, title, body and lang, all strings; ids d0000001 on; bodies
# 500-4000 bytes, Han in Chinese ones and none in English ones; titles of 1-40
# characters.
check_documents() {
    local dir=$1
    run jq -r 'select((keys != ["body", "id", "lang", "title"])
        or ([.[] | type] | unique != ["string"])
        or (.lang != "zh-Hant" and .lang != "en")
        or (.body | utf8bytelength) < 500 or (.body | utf8bytelength) > 4000
        or (.title | length) < 1 or (.title | length) > 40
        or ((.lang == "en") == (.body | test("\\p{Han}")))) | .id' "$dir/docs.jsonl"
    assert_exit 0 "$dir/docs.jsonl: every line is JSON"
    assert_eq "" "$OUT" "$dir: documents with other fields or out of bounds"
    assert_eq "$(seq -f 'd%07g' 1 "$(wc -l <"$dir/docs.jsonl")")" "$(jq -r .id "$dir/docs.jsonl")" \
        "$dir: ids in order"
    iconv -f UTF-8 -t UTF-8 "$dir/docs.jsonl" >/dev/null 2>&1 || fail "$dir: invalid UTF-8"
}

# check_queries DIR ACRONYMS: the shape of every query line (kinds in turn,
# each word Han or ASCII letters, no query syntax), acronyms from ACRONYMS
# (one a line), and the words of every query but acronym's together in one
# document's body.
check_queries() {
    local dir=$1 acronyms=$2 n
    n=$(wc -l <"$dir/queries.tsv")
    local kinds=(zh1 zh2 zh3 char1 en acronym mixed) expect='' i
    for ((i = 0; i < n; i++)); do
        expect+=${kinds[i % 7]}$'\n'
    done
    assert_eq "${expect%$'\n'}" "$(cut -f1 "$dir/queries.tsv")" "$dir: kinds in turn"
    local w='\p{Han}{2,}' latin='[A-Za-z0-9]+' en='[A-Za-z]{4,}'
    local shape="^(zh1\t$w|zh2\t$w $w|zh3\t$w $w $w|char1\t\p{Han}|en\t$en( $en)?|acronym\t$latin|mixed\t$w $latin)\$"
    assert_eq "" "$(grep -vP "$shape" "$dir/queries.tsv")" "$dir: queries of the wrong shape"
    assert_eq "" "$(awk -F'\t' '{ n = split($2, w, " "); for (i = 1; i < n; i++) for (j = i + 1; j <= n; j++)
        if (w[i] == w[j]) print }' "$dir/queries.tsv")" "$dir: a word repeated in a query"
    assert_eq "" "$(query_words "$dir" zh1 zh2 zh3 en acronym mixed-zh mixed-latin | grep -x OR)" \
        "$dir: OR as a query word"
    assert_eq "" "$(not_in "$(query_words "$dir" acronym)" "$acronyms")" \
        "$dir: acronyms not in the glossary"
    run jq -nr --rawfile q "$dir/queries.tsv" '[inputs | .body] as $bodies
        | $q | split("\n")[] | split("\t") | select(length == 2 and .[0] != "acronym")
        | (.[1] | split(" ")) as $w
        | select(any($bodies[]; . as $b | all($w[]; . as $x | $b | contains($x))) | not)
        | join("\t")' "$dir/docs.jsonl"
    assert_eq "" "$OUT" "$dir: queries whose words no one document has"
}

# found DB DIR KINDS...: sets FOUND and MISSED to the queries of those kinds
# that sou-query finds something for (no expansion; exit status 0) and not.
# Hundreds of queries: sou-query runs outside memcheck (other tests cover it
# there), still under the sanitizers in their build.
FOUND='' MISSED=''
found() {
    local db=$1 dir=$2 kind query
    shift 2
    FOUND='' MISSED=''
    while IFS=$'\t' read -r kind query; do
        [[ " $* " == *" $kind "* ]] || continue
        run "$SOU_QUERY" -d "$db" -n 1 --no-expand -- "$query"
        if [ "$RC" = 0 ]; then
            FOUND+="$kind $query"$'\n'
        else
            MISSED+="$kind $query"$'\n'
        fi
    done <"$dir/queries.tsv"
}

lines() {
    printf '%s' "$1" | grep -c . || true
}

# ---- The fixtures: what is drawn from where ------------------------------------

gen --seed 3 --size 0.05 --queries 70 --gold "$fix/gold" --corpus "$fix/corpus" fx
assert_exit 0 "bench-corpus on the fixtures"
assert_contains "$ERR" "corpus/docs.jsonl:3: not a JSON object, skipped" "broken corpus line"
assert_eq "$(wc -l <fx/docs.jsonl) $(wc -c <fx/docs.jsonl) 70" \
    "$(figure documents) $(figure bytes) $(figure queries)" "figures printed"
check_documents fx
check_queries fx $'APEC\nCTI\nSOM1'
assert_eq $'APEC\nCTI\nSOM1' "$(query_words fx acronym | sort -u)" \
    "acronyms: header, comment, repeat, OR and A-B left out"

# Bodies are the fixture sentences and nothing else: CR and the invalid byte
# dropped, \u escapes decoded, the tab kept (the JSON escapes it).
zh_fix=(今天我們在台北開會， 颱風帶來豪雨，山區要小心。 他在APEC會議上發言。 圖書館週末開放到晚上九點。
    我們一起去看電影吧！ 學生們正在準備考試。 這座橋建於清朝。 "「亞太經濟合作」(APEC)在廣州開會。"
    會議討論貿易！ $'Ministers met\tagain in Lima. 會議延期?')
en_fix=('The meeting was held in Guangzhou.' 'Did trade grow?' 'Ministers agreed on "digital" trade.'
    'Asia-Pacific Economic Cooperation (APEC)')
zh_json=$(printf '%s\n' "${zh_fix[@]}" | jq -R . | jq -sc .)
en_json=$(printf '%s\n' "${en_fix[@]}" | jq -R . | jq -sc .)
assert_eq "" "$(jq -r --argjson zh "$zh_json" --argjson en "$en_json" '
    if .lang == "en" then reduce $en[] as $s (.body; split($s) | join("")) | gsub(" "; "")
    else reduce $zh[] as $s (.body; split($s) | join("")) end' fx/docs.jsonl | sort -u)" \
    "bodies made of the fixture sentences only"
assert_eq "" "$(jq -r --argjson zh "$zh_json" --argjson en "$en_json" '.title as $t
    | select(any($zh[], $en[], "今天我們在台北開會"; . == $t) | not) | $t' fx/docs.jsonl)" \
    "titles are fixture sentences (a trailing comma dropped)"
grep -q '\\t' fx/docs.jsonl || fail "the tab in a corpus sentence is not in any document"

# Query words: gold words of Han characters only (not the range 這座), Han
# characters of the sentences, English words of the English sentences, and
# for mixed the Latin words of the Chinese sentences.
gold_words=(今天 我們 台北 開會 颱風 帶來 豪雨 山區 小心 會議 發言 圖書館 週末 開放 晚上 九點 一起 電影
    學生們 正在 準備 考試 建於 清朝)
assert_eq "" "$(not_in "$(query_words fx zh1 zh2 zh3 mixed-zh)" "$(printf '%s\n' "${gold_words[@]}")")" \
    "Chinese query words not among the gold words"
assert_eq "" "$(not_in "$(query_words fx char1)" "$(printf '%s\n' "${zh_fix[@]}" | grep -oP '\p{Han}')")" \
    "char1 characters not in the Chinese sentences"
assert_eq "" "$(not_in "$(query_words fx en)" "$(printf '%s\n' "${en_fix[@]}" | grep -oE '[A-Za-z]{4,}')")" \
    "English query words not in the English sentences"
assert_eq "" "$(not_in "$(query_words fx mixed-latin)" $'APEC\nMinisters\nagain\nLima')" \
    "mixed: Latin words not from the Chinese sentences"

si -q -o fx.db fx/docs.jsonl
assert_exit 0 "sou-index on the fixture collection"
found fx.db fx zh1 zh2 zh3 char1 en mixed
assert_eq "" "$MISSED" "fixture queries sou-query finds nothing for"

# ---- The real gold sets and the bundled corpus -----------------------------------

shared=${SHARED:-../shared}
case $shared in
/*) ;;
*) shared=$E2E_ROOT/$shared ;;
esac
gold=$shared/data/seg-gold
if [ ! -f "$gold/as_test.utf8" ] || [ ! -f "$gold/zh_gsd-ud-test.conllu" ]; then
    echo "# $gold has no gold sets: the fixtures stand in"
    gold=$fix/gold
fi
corpus=$E2E_ROOT/corpus
acronyms=$(awk -F'\t' 'NR > 1 && $1 ~ /^[A-Za-z0-9]+$/ { print $1 }' "$corpus/glossary.tsv" | sort -u)

gen --seed 7 --size 0.2 --gold "$gold" --corpus "$corpus" c1
assert_exit 0 "bench-corpus --size 0.2"
assert_eq "" "$ERR" "no notes with every gold file there"
docs=$(figure documents) zh=$(figure chinese) en=$(figure english) bytes=$(figure bytes)
assert_eq "$docs $bytes 200" "$(wc -l <c1/docs.jsonl) $(wc -c <c1/docs.jsonl) $(wc -l <c1/queries.tsv)" \
    "figures are the files' documents, bytes and queries"
if [ "$bytes" -gt 200000 ] || [ "$bytes" -lt 195000 ]; then
    fail "docs.jsonl is $bytes bytes, not about 200000"
fi
assert_eq "$zh $en" "$(jq -r .lang c1/docs.jsonl | grep -c zh-Hant) $(jq -r .lang c1/docs.jsonl | grep -cx en)" \
    "chinese and english figures"
if [ $((100 * en)) -lt $((10 * docs)) ] || [ $((100 * en)) -gt $((20 * docs)) ]; then
    fail "$en English documents of $docs: not about 15%"
fi
assert_eq "" "$(jq -r .lang c1/docs.jsonl | awk '$0 == "en" { e++ } NR % 20 == 0 { if (e != 3) print NR; e = 0 }')" \
    "every 20 documents, 3 English"
check_documents c1
check_queries c1 "$acronyms"
for kind in zh1 zh2 zh3 char1 en acronym mixed; do
    count=$(grep -c "^$kind	" c1/queries.tsv)
    if [ "$count" -lt 28 ] || [ "$count" -gt 29 ]; then
        fail "$count $kind queries of 200"
    fi
done
goldfile=$(
    sed 's/\r$//; s/　/ /g' "$gold/as_testing_gold.utf8" | tr ' ' '\n'
    awk -F'\t' '$1 ~ /^[0-9]+$/ { print $2 }' "$gold/zh_gsd-ud-test.conllu"
)
assert_eq "" "$(not_in "$(query_words c1 zh1 zh2 zh3 mixed-zh | sort -u)" "$(sort -u <<<"$goldfile")")" \
    "Chinese query words not in the gold segmentations"

# Same seed, same bytes; another seed, other documents and queries; the
# number of queries leaves the documents alone.
gen --seed 7 --size 0.2 --gold "$gold" --corpus "$corpus" c2
cmp -s c1/docs.jsonl c2/docs.jsonl || fail "seed 7 twice: docs.jsonl differs"
cmp -s c1/queries.tsv c2/queries.tsv || fail "seed 7 twice: queries.tsv differs"
gen --seed 8 --size 0.2 --gold "$gold" --corpus "$corpus" c3
cmp -s c1/docs.jsonl c3/docs.jsonl && fail "seeds 7 and 8 give the same documents"
cmp -s c1/queries.tsv c3/queries.tsv && fail "seeds 7 and 8 give the same queries"
gen --seed 7 --size 0.2 --gold "$gold" --corpus "$corpus" --queries 20 c4
cmp -s c1/docs.jsonl c4/docs.jsonl || fail "--queries 20 changed the documents"
assert_eq "20" "$(wc -l <c4/queries.tsv)" "--queries 20"

# sou-index takes every document; sou-query finds every char1 and en query
# (a character is always a word or a gram), and nearly every Chinese one: a
# gold word that sou's segmentation cuts across in its document (本一心想著:
# 一 心想) is not found, which is sou's matter, not the generator's.
si -q -o c1.db c1/docs.jsonl
assert_exit 0 "sou-index on the generated collection"
get_doc_count c1.db
assert_eq "$docs" "$COUNT" "every document indexed"
found c1.db c1 char1 en
assert_eq "" "$MISSED" "char1 and en queries sou-query finds nothing for"
found c1.db c1 zh1 zh2 zh3 mixed
missed=$(lines "$MISSED") all=$((missed + $(lines "$FOUND")))
[ $((100 * missed)) -le $((10 * all)) ] || fail "$missed of $all Chinese and mixed queries find nothing" "$MISSED"
echo "# $missed of $all zh and mixed queries found nothing in sou${MISSED:+: $(printf '%s' "$MISSED" | paste -sd, -)}"

# ---- Without gold files, bad input, usage ---------------------------------------

gen --seed 3 --size 0.05 --gold "$PWD/no-gold" --corpus "$fix/corpus" ng
assert_exit 0 "bench-corpus without gold files"
assert_contains "$ERR" "no gold files in $PWD/no-gold" "the note on missing gold files"
assert_eq "" "$(jq -r --argjson zh "$zh_json" 'select(.lang == "zh-Hant")
    | reduce $zh[] as $s (.body; split($s) | join(""))' ng/docs.jsonl | sort -u)" \
    "without gold, Chinese bodies are made of corpus sentences"
assert_eq "" "$(jq -r 'select(.lang == "zh-Hant") | .body' ng/docs.jsonl | grep -E '今天|學生' || true)" \
    "without gold, no gold sentence"
assert_eq "" "$(query_words ng zh1 zh2 zh3 | grep -vP '^\p{Han}{2}$' || true)" \
    "without gold words, Chinese query words are character pairs"

gen --seed 1 --size 0.0001 --gold "$fix/gold" --corpus "$fix/corpus" tiny
assert_exit 1 "a size too small for a document"
assert_contains "$ERR" "holds no document" "too small: message"
gen --seed 1 --size 0.05 --gold "$PWD/no-gold" --corpus "$PWD/no-corpus" none
assert_exit 1 "no sentences at all"
assert_contains "$ERR" "no Chinese sentences" "no sentences: message"
gen --seed 1 --size 0.05 --gold "$fix/gold" --corpus "$fix/corpus" "$PWD/no-dir/out"
assert_exit 1 "an output directory that cannot be made"
for args in "--size 1 out" "--seed 1 out" "--seed x --size 1 out" "--seed 1 --size 0 out" \
    "--seed 1 --size abc out" "--seed 1 --size 1" "--seed 1 --size 1 out extra" \
    "--seed 1 --size 1 --queries -1 out" "--seed 1 --size 1 --bogus 1 out"; do
    read -ra argv <<<"$args"
    gen "${argv[@]}"
    assert_exit 2 "usage: $args"
    assert_contains "$ERR" "usage: bench-corpus" "usage text: $args"
done
