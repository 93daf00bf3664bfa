#!/usr/bin/env bash
# The bundled corpus end to end (corpus/: the seed article whole and in
# sections, the meetings and fora of APEC 2026, and glossary.tsv): indexing,
# the article's acronyms and their names, query expansion, Simplified and
# Traditional Chinese, filters, facets, the stored glossary and the README's
# demo queries.
#
# Expected values come from the corpus files (jq and awk over corpus/), never
# from the engine's own output, so that a bug cannot become an expectation.
# "Document D contains X" means D's title or body contains X (English names
# in any case).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

CORPUS=$E2E_ROOT/corpus
GLOSSARY=$CORPUS/glossary.tsv
WORK=$PWD
DB=$WORK/db

# ---- The corpus, as the expectations see it -------------------------------------
cat "$CORPUS"/*.jsonl >docs.jsonl
# id -> {text: title and body, lang}.
jq -s 'map({key: .id, value: {text: ((.title // "") + "\n" + (.body // "")), lang}})
    | from_entries' docs.jsonl >docs.json

# expect_ids JQ_CONDITION: the sorted ids of the documents (objects of
# docs.jsonl) that satisfy the condition. The condition may use
#   overlaps("A"; "B")  the document's date..end_date span overlaps A..B
#                       (each YYYY[-MM[-DD]], "" for an open end)
#   in_list(FIELD; V)   V is one of FIELD's comma-separated values
#   has_text(S)         title or body contains S
expect_ids() {
    jq -rs "
        def key(\$d; \$fill): (\$d | split(\"-\")) as \$p
            | \$p[0] + (\$p[1] // \$fill) + (\$p[2] // \$fill);
        def overlaps(\$a; \$b):
            .date != null
            and key(.date; \"00\") <= (if \$b == \"\" then \"9999\" else key(\$b; \"99\") end)
            and key(.end_date // .date; \"99\") >= (if \$a == \"\" then \"\" else key(\$a; \"00\") end);
        def in_list(f; \$v): any((f // \"\") | split(\",\")[] | gsub(\"^ +| +\$\"; \"\"); . == \$v);
        def has_text(\$s): ((.title // \"\") + \"\n\" + (.body // \"\")) | contains(\$s);
        [.[] | select($1) | .id] | sort | join(\" \")" docs.jsonl
}

# word_re WORD: a regex matching WORD (ASCII letters and digits) as a whole
# word, i.e. not next to another ASCII letter or digit: in Chinese text an
# acronym is written right against Chinese characters (推動FTAAP集體行動).
word_re() {
    printf '(?<![A-Za-z0-9])(?i:%s)(?![A-Za-z0-9])' "$1"
}

# naming_ids ACRONYM NAME...: the sorted ids of the documents that contain
# ACRONYM as a word (any case; "" for none) or any of the NAMEs (any case).
naming_ids() {
    local acr=$1
    shift
    jq -rn --arg re "$([ -n "$acr" ] && word_re "$acr")" --slurpfile d docs.json \
        '$ARGS.positional as $names | [$d[0] | to_entries[] | .value.text as $t
            | select(($re != "" and ($t | test($re)))
                or any($names[] | select(. != "") | ascii_downcase;
                       . as $n | $t | ascii_downcase | contains($n)))
            | .key] | sort | join(" ")' --args "$@"
}

# count_words "W...": how many words.
count_words() {
    wc -w <<<"$1" | tr -d ' '
}

# search QUERY [OPTION...]: sou-query --json on the corpus index, leaving
# the JSON in OUT (unchecked: any jq on it fails if it is not JSON, which
# fails the assertion).
search() {
    local query=$1
    shift
    sq -d "$DB" --json "$@" -- "$query"
    case $RC in
    0 | 1) ;;
    *) fail "sou-query [$query] failed with status $RC" "$ERR" ;;
    esac
}

# search_to FILE QUERY [OPTION...]: search, and the JSON into FILE.
search_to() {
    local file=$1
    shift
    search "$@"
    printf '%s\n' "$OUT" >"$file"
}

# sorted_ids: the ids of the results in OUT, sorted, on one line.
sorted_ids() {
    jq -r '[.results[].id] | sort | join(" ")' <<<"$OUT"
}

# result_ids: the ranked ids of the results in OUT, on one line.
result_ids() {
    jq -r '[.results[].id] | join(" ")' <<<"$OUT"
}

# lit ID: the distinct highlighted strings of result ID in OUT, sorted.
lit() {
    highlighted "$1" <<<"$OUT" | sort -u | paste -sd' ' -
}

# glossary_rows: the glossary's data rows as "LINE<TAB>row" (no header,
# comments or blank lines).
glossary_rows() {
    awk -F'\t' 'NR == 1 && $1 == "acronym" { next } /^#/ || $0 == "" { next }
        { print NR "\t" $0 }' "$GLOSSARY"
}

# ---- 1. Indexing ---------------------------------------------------------------------
# Every JSON Lines document, plus any Markdown or text file (there is none
# today: the README has no .md suffix).
n_jsonl=$(grep -c . docs.jsonl)
n_other=$(find "$CORPUS" -type f \( -name '*.md' -o -name '*.txt' \) -not -path '*/.*' | wc -l)
n_docs=$((n_jsonl + n_other))
assert_eq "$n_jsonl" "$(jq -r .id docs.jsonl | sort -u | wc -l)" "corpus: the JSONL ids are unique"

# Indexed from the repository as "corpus", so that the glossary's rows are
# cited as corpus/glossary.tsv:LINE.
cd "$E2E_ROOT" || exit 1
si -o "$DB" corpus
cd "$WORK" || exit 1
assert_exit 0 "indexing corpus/"
assert_match "$ERR" "^sou-index: $n_docs documents indexed, 0 skipped, [0-9.]+ MB in [0-9.]+ s -> $DB\$" \
    "indexing summary (no glossary row skipped)"
get_doc_count "$DB"
assert_eq "$n_docs" "$COUNT" "documents in the index"
assert_eq "" "$(comm -23 <(jq -r .id docs.jsonl | sort) <(tr ' ' '\n' <<<"$IDS" | sort))" \
    "every JSONL document is in the index (ids missing)"

# ---- 2. The seed article's acronyms --------------------------------------------------
# The glossary acronyms that have a zh_hant name and occur in the article's
# body as whole words. An acronym with several rows (EC, TMM, ...) takes its
# first row with a zh_hant name: the sense of the shared glossary, the one
# its forum-<acronym> document describes.
jq -r .body "$CORPUS/article.jsonl" | LC_ALL=C tr -c 'A-Za-z0-9' '\n' | sort -u >article-words
glossary_rows | cut -f2- |
    awk -F'\t' '$1 != "" && $2 != "" && !seen[$1]++ { print $1 "\t" $2 "\t" $3 }' |
    sort >glossary-zh
awk -F'\t' 'NR == FNR { w[$1] = 1; next } w[$1]' article-words glossary-zh >article-acronyms
article_acronyms=$(cut -f1 article-acronyms | paste -sd' ' -)
# Guards on the derivation: CTI is in parentheses, FTAAP against Chinese
# characters (推動FTAAP集體行動), which grep -w would miss.
assert_contains " $article_acronyms " " CTI " "article acronyms: CTI"
assert_contains " $article_acronyms " " FTAAP " "article acronyms: FTAAP"
echo "# $(count_words "$article_acronyms") acronyms of the article: $article_acronyms"

# The queries run first, then one jq checks them all.
mkdir q2
while IFS=$'\t' read -r acr zh en; do
    search_to "q2/$acr.acronym" "$acr" -n 3
    search_to "q2/$acr.zh" "$zh" -n 3
    # All results, for the ranks of the documents missing from the top 10.
    [ -z "$en" ] || search_to "q2/$acr.en" "$en" -n 10000
done <article-acronyms
# For each acronym, prints "note<TAB>TEXT" or "fail<TAB>WHAT<TAB>DETAIL":
# (a) the acronym finds, in its top 3, a document with its Chinese name;
# (b) the Chinese name finds forum-<acronym> in its top 3;
# (c) the English name finds a Chinese-language document about it (across
#     languages, through the expansion): one with the Chinese name but not
#     the English name. Only finding it is asserted: BM25 ranks the long
#     article, which names CTI in passing, below the short documents about
#     CTI's own fora (their ranks are printed when one is missing). When no
#     document has the Chinese name without the English one (the article
#     names FTAAP by its acronym only: 推動FTAAP集體行動), the zh-Hant
#     documents that name the acronym without the English name.
jq -nr --rawfile list article-acronyms --slurpfile d docs.json '
    (reduce inputs as $r ({}; .[input_filename | ltrimstr("q2/")] = $r)) as $res
    | def ids($k; $n): [$res[$k].results[:$n][].id];
      def has($t; $s): $t | ascii_downcase | contains($s | ascii_downcase);
      def among($set): . as $i | $set | index([$i]);
      $list | split("\n")[] | select(. != "") | split("\t") | .[0] as $acr | .[1] as $zh
    | (.[2] // "") as $en
    | (ids($acr + ".acronym"; 3) as $top
        | if any($top[]; ($d[0][.].text // "") | contains($zh)) then empty
          else "fail\tacronym \($acr): no document with its Chinese name \($zh)"
            + " in the top 3 of [\($acr)]\ttop 3: \($top | join(" "))" end),
      (ids($acr + ".zh"; 3) as $top | ("forum-" + ($acr | ascii_downcase)) as $f
        | if $f | among($top) then empty
          else "fail\tacronym \($acr): \($f) is not in the top 3 of its Chinese name [\($zh)]"
            + "\ttop 3: \($top | join(" "))" end),
      (select($en != "")
        | [$d[0] | to_entries[]
            | select((.value.text | contains($zh)) and (has(.value.text; $en) | not)) | .key] as $c1
        | ("(?<![A-Za-z0-9])" + $acr + "(?![A-Za-z0-9])") as $re
        | (if $c1 != [] then $c1 else [$d[0] | to_entries[]
            | select(.value.lang == "zh-Hant" and (.value.text | test($re))
                and (has(.value.text; $en) | not))
            | .key] end) as $cands
        | (if $c1 != [] then "with \($zh) but not \"\($en)\""
           else "in zh-Hant naming \($acr) but not \"\($en)\" (none has \($zh) without it)" end) as $kind
        | (if $c1 == [] then "note\t\($acr): no document has \($zh) without \"\($en)\";"
             + " looked for the zh-Hant documents naming \($acr)" else empty end),
          (ids($acr + ".en"; 10000) as $top
            | if any($top[]; among($cands)) then empty
              else "fail\tacronym \($acr): no document \($kind) among the results of its English name"
                + " [\($en)]\ttop 10: \($top[:10] | join(" "))¶such documents: \($cands | join(" "))"
                + "¶their ranks: \([$res[$acr + ".en"].results[] | select(.id | among($cands))
                    | "\(.id) \(.rank)"] | join(", "))" end))
' q2/* >q2.out || fail "checking the acronym queries (invalid JSON?)"
while IFS=$'\t' read -r kind what detail; do
    case $kind in
    note) echo "# $what" ;;
    fail) fail "$what" "${detail//¶/$'\n'}" ;;
    esac
done <q2.out

# ---- 3. Expansions -------------------------------------------------------------------
cti_line=$(awk -F'\t' '$1 == "CTI" { print NR; exit }' "$GLOSSARY")
cti_row=$(sed -n "${cti_line}p" "$GLOSSARY")
assert_eq $'CTI\t貿易暨投資委員會\tCommittee on Trade and Investment' "$(cut -f1-3 <<<"$cti_row")" \
    "corpus: the CTI row of glossary.tsv"
cti_aliases=$(cut -f4 <<<"$cti_row")
mapfile -t cti_names < <(cut -f2-4 <<<"$cti_row" | sed 's/\t/\n/g; s/ | /\n/g' | grep .)
cti_all=$(naming_ids CTI "${cti_names[@]}")
cti_word=$(naming_ids CTI)
cti_named=$(naming_ids "" "${cti_names[@]}")

search CTI -n 10000
assert_eq '["CTI"]' "$(jq -c '[.expansions[].from]' <<<"$OUT")" "[CTI]: expansions"
assert_eq '[["CTI","貿易暨投資委員會","Committee on Trade and Investment"]]' \
    "$(jq -c '.expansions[0].senses | map([.acronym, .zh, .en])' <<<"$OUT")" "[CTI]: its sense"
assert_eq "$(jq -cn --arg a "$cti_aliases" '$a | split(" | ")')" \
    "$(jq -c '.expansions[0].senses[0].aliases' <<<"$OUT")" "[CTI]: aliases"
assert_eq "corpus/glossary.tsv:$cti_line" "$(jq -r '.expansions[0].senses[0].sources[0]' <<<"$OUT")" \
    "[CTI]: first source"
assert_eq "$(count_words "$cti_named")" "$(jq '.expansions[0].senses[0].docs' <<<"$OUT")" \
    "[CTI]: docs (documents with one of its names)"
assert_eq "$cti_all" "$(sorted_ids)" \
    "[CTI]: the documents that name CTI"
n_cti=$(jq '.results | length' <<<"$OUT")

sq -d "$DB" -n 1 CTI
assert_exit 0 "text output of [CTI]"
assert_eq "CTI → 貿易暨投資委員會 · Committee on Trade and Investment" "$(sed -n 1p <<<"$OUT")" \
    "text output of [CTI]: the expansion line"
assert_eq "" "$(sed -n 2p <<<"$OUT")" "text output of [CTI]: blank line after the expansions"

# The names, in any case or width, expand to CTI.
for q in 貿易暨投資委員會 "Committee on Trade and Investment" 贸易和投资委员会 cti ＣＴＩ; do
    search "$q" -n 1
    assert_eq "$(jq -cn --arg q "$q" '[[$q, ["CTI"]]]')" \
        "$(jq -c '[.expansions[] | [.from, [.senses[].acronym]]]' <<<"$OUT")" "[$q] expands to CTI"
done

# --no-expand: no expansions. Every document with one of CTI's names also
# says CTI, so CTI itself finds no fewer documents without expansion...
search CTI -n 10000 --no-expand
assert_eq '[]' "$(jq -c .expansions <<<"$OUT")" "[CTI] --no-expand: expansions"
assert_eq "$cti_word" "$(sorted_ids)" \
    "[CTI] --no-expand: the documents with the word CTI"
n_noexp=$(jq '.results | length' <<<"$OUT")
[ "$n_noexp" -le "$n_cti" ] || fail "[CTI] --no-expand finds more than [CTI]: $n_noexp > $n_cti"
sq -d "$DB" --no-expand -n 1 CTI
assert_match "$(sed -n 1p <<<"$OUT")" '^1\. ' "text output of [CTI] --no-expand: no expansion line"
# ... but the English name (as a name, against the exact phrase without
# expansion), and EC, find fewer documents without expansion.
search '"Committee on Trade and Investment"' -n 10000 --no-expand
assert_eq "$(naming_ids "" "Committee on Trade and Investment")" "$(sorted_ids)" \
    "[\"Committee on Trade and Investment\"] --no-expand: the documents with the phrase"
n_noexp=$(jq '.results | length' <<<"$OUT")
search "Committee on Trade and Investment" -n 10000
assert_eq "$cti_all" "$(sorted_ids)" "[Committee on Trade and Investment]: the documents that name CTI"
n_exp=$(jq '.results | length' <<<"$OUT")
[ "$n_noexp" -lt "$n_exp" ] ||
    fail "[Committee on Trade and Investment]: --no-expand does not find fewer ($n_noexp, $n_exp)"

mapfile -t ec_names < <(glossary_rows | awk -F'\t' '$2 == "EC" { print $3; print $4; print $5 }' |
    sed 's/ | /\n/g' | grep .)
search EC -n 10000 --no-expand
assert_eq "$(naming_ids EC)" "$(sorted_ids)" \
    "[EC] --no-expand: the documents with the word EC"
n_noexp=$(jq '.results | length' <<<"$OUT")
search EC -n 10000
assert_eq "$(naming_ids EC "${ec_names[@]}")" "$(sorted_ids)" \
    "[EC]: the documents that name any sense of EC"
n_exp=$(jq '.results | length' <<<"$OUT")
[ "$n_noexp" -lt "$n_exp" ] || fail "[EC]: --no-expand does not find fewer ($n_noexp, $n_exp)"

# An acronym inside a longer word never expands: ECSG is not EC, CTIs and
# ECs are not CTI and EC.
search ECSG -n 10000
assert_eq '[["ECSG",["ECSG"]]]' "$(jq -c '[.expansions[] | [.from, ([.senses[].acronym] | unique)]]' <<<"$OUT")" \
    "[ECSG] expands to ECSG only"
for q in CTIs ECs; do
    search "$q" -n 10000
    assert_eq '[]' "$(jq -c .expansions <<<"$OUT")" "[$q] does not expand"
done
sq -d "$DB" CTIs
assert_not_contains "$OUT" "→" "text output of [CTIs]: no expansion"

# Ambiguous acronyms (several senses in the stored glossary) list every
# sense, those named by more documents first, ties in glossary order.
si --acronyms "$DB"
assert_exit 0 "sou-index --acronyms"
printf '%s\n' "$OUT" >acronyms.tsv
ambiguous=$(awk -F'\t' 'NR > 1 && $1 != "" { n[$1]++ } END { for (a in n) if (n[a] > 1) print a }' \
    acronyms.tsv | sort | paste -sd' ' -)
several_rows=$(glossary_rows | awk -F'\t' '$2 != "" { n[$2]++ } END { for (a in n) if (n[a] > 1) print a }' |
    sort | paste -sd' ' -)
assert_eq "" "$(comm -23 <(tr ' ' '\n' <<<"$several_rows") <(tr ' ' '\n' <<<"$ambiguous"))" \
    "acronyms with several glossary rows that are not ambiguous in the index"
echo "# ambiguous acronyms: $ambiguous"
for acr in $ambiguous; do
    expected=$(awk -F'\t' -v a="$acr" 'NR > 1 && $1 == a { print $2 "\t" $3 "\t" $5 }' acronyms.tsv | sort)
    search "$acr" -n 1
    assert_eq "$acr" "$(jq -r '.expansions[0].from' <<<"$OUT")" "[$acr]: expanded"
    assert_eq "$expected" "$(jq -r '.expansions[0].senses[] | "\(.zh // "")\t\(.en // "")\t\(.docs)"' <<<"$OUT" |
        sort)" "[$acr]: every sense (zh, en, docs), as sou-index --acronyms lists them"
    # Order key: more documents first, then the first glossary line (mined
    # senses, with none, last).
    order=$(jq -r '.expansions[0].senses[] | "\(.docs)\t\([.sources[] | select(startswith("corpus/"))
        | split(":")[1] | tonumber][0] // 999999)"' <<<"$OUT")
    assert_eq "$(sort -t$'\t' -k1,1nr -k2,2n <<<"$order")" "$order" \
        "[$acr]: senses ordered by docs, then glossary order"
    text=$(jq -r --arg a "$acr" '.expansions[0].senses | to_entries[]
        | (if .key == 0 then $a + " → " else "   → " end)
          + ([.value.zh, .value.en] | map(select(. != null)) | join(" · "))
          + "  (\(.value.docs) document\(if .value.docs == 1 then "" else "s" end))"' <<<"$OUT")
    sq -d "$DB" -n 1 "$acr"
    # (Today it says "1 documents": let that pass, and "1 document" too.)
    assert_eq "$text" "$(head -n "$(wc -l <<<"$text")" <<<"$OUT" | sed 's/  (1 documents)$/  (1 document)/')" \
        "text output of [$acr]: its senses"
done

# ---- 4. Simplified and Traditional Chinese -------------------------------------------
# Character for character Simplified forms (数位周 is 數位週's; 数字周, the
# mainland's own word, is a glossary alias and is checked below).
for pair in 贸易投资委员会:貿易投資委員會 数位周:數位週 贸易部长会议:貿易部長會議 \
    资深官员会议:資深官員會議 广州:廣州 经济委员会:經濟委員會; do
    simp=${pair%%:*} trad=${pair#*:}
    search "$trad" -n 5
    trad_ids=$(result_ids)
    trad_tokens=$(jq -r '.tokens[]' <<<"$OUT")
    trad_snips=$(jq -c '[.results[] | {id, snippet, highlights}] | sort_by(.id)' <<<"$OUT")
    search "$simp" -n 5
    assert_exit 0 "[$simp] finds documents"
    assert_eq "$trad_ids" "$(result_ids)" "top 5 of [$simp] and [$trad]"
    assert_eq "$trad_snips" "$(jq -c '[.results[] | {id, snippet, highlights}] | sort_by(.id)' <<<"$OUT")" \
        "snippets and highlights of [$simp] and [$trad]"
    # The snippets show the documents' Traditional text: the top result lights
    # every word of the Traditional query and no Simplified-only character.
    top=$(jq -r '.results[0].id' <<<"$OUT")
    lit_words=$(lit "$top")
    while IFS= read -r w; do
        assert_contains " $lit_words " " $w " "[$simp]: $top lights the Traditional word $w"
    done <<<"$trad_tokens"
    while IFS= read -r c; do
        case $trad in *"$c"*) continue ;; esac
        assert_not_contains "$lit_words" "$c" "[$simp]: $top lights no Simplified character"
    done < <(grep -o . <<<"$simp")
done

# 数字周, the mainland's word for 數位週 (a glossary alias), finds the
# Digital Weeks first and expands to its names.
search 数字周 -n 5
assert_exit 0 "[数字周] finds documents"
assert_eq meeting-2026-digital-weeks "$(jq -r '.results[0].id' <<<"$OUT")" "[数字周]: top result"
assert_eq "APEC數位週" "$(jq -r '.expansions[0].senses[0].zh' <<<"$OUT")" "[数字周]: expansion"
assert_contains " $(lit meeting-2026-digital-weeks) " " 數位 週 " "[数字周]: lights the Traditional 數位週"

# ---- 5. Filters ----------------------------------------------------------------------
# file_ids FILE...: the ids of the JSONL files.
file_ids() {
    jq -r .id "$@" | sort | paste -sd' ' -
}
assert_eq "$(file_ids "$CORPUS/meetings.jsonl")" "$(expect_ids '.type == "meeting"')" "corpus: the meetings"
assert_eq "$(file_ids "$CORPUS/fora.jsonl")" "$(expect_ids '.type == "forum"')" "corpus: the fora"
assert_eq "$(file_ids "$CORPUS/article.jsonl" "$CORPUS/article-sections.jsonl")" \
    "$(expect_ids '.type == "article"')" "corpus: the articles"

# check_filter CONDITION QUERY...: each QUERY finds exactly the documents
# that satisfy the jq CONDITION (see expect_ids).
check_filter() {
    local cond=$1 expected q
    shift
    expected=$(expect_ids "$cond")
    [ -n "$expected" ] || fail "corpus: no document satisfies $cond"
    for q in "$@"; do
        search "$q" -n 10000
        assert_eq "$expected" "$(sorted_ids)" "set of ids for [$q]"
    done
}
check_filter '.type == "meeting"' type:meeting type:MEETING
check_filter '.type == "forum"' type:forum
check_filter '.type == "article"' type:article
check_filter '.city_zh == "廣州" or .city_en == "Guangzhou" or .city == "Guangzhou"' \
    city:廣州 city:Guangzhou city:广州 city:guangzhou city:ＧＵＡＮＧＺＨＯＵ
check_filter '.city_zh == "香港" or .city_en == "Hong Kong"' 'city:"Hong Kong"' 'city:"hong kong"' city:香港
check_filter '.priority_zh == "創新" or (.priority_en // "" | ascii_downcase) == "innovation"' \
    priority:創新 priority:innovation priority:创新 priority:INNOVATION
check_filter '(.acronym // "" | ascii_downcase) == "cti"' acronym:CTI acronym:ｃｔｉ acronym:cti
check_filter '.acronym == "TELMIN 12"' 'acronym:"TELMIN 12"'
check_filter 'in_list(.fora; "CTI")' forum:CTI forum:cti
check_filter 'overlaps("2026-05"; "2026-09")' date:2026-05..2026-09
check_filter 'overlaps("2026-08"; "2026-08")' date:2026-08
check_filter 'overlaps("2026-02-10"; "2026-02-10")' date:2026-02-10
check_filter 'overlaps("2026-05"; "")' date:2026-05..
check_filter 'overlaps(""; "2026-02")' date:..2026-02
check_filter 'in_list(.lang; "en")' lang:en
check_filter 'in_list(.lang; "zh-Hant")' lang:zh-Hant lang:zh
# Several filters: all must hold; several values of one field: any.
check_filter '.type == "meeting" and .city_en == "Guangzhou" and overlaps("2026-02"; "2026-02")' \
    'type:meeting city:Guangzhou date:2026-02'
check_filter '.type == "meeting" and .priority_zh == "合作" and overlaps("2026-09"; "2026-09")' \
    'type:meeting priority:合作 date:2026-09'
check_filter '.city_zh == "北京" or .city_zh == "南京"' 'city:北京 city:南京' 'city:Beijing OR city:Nanjing'
check_filter '.type == "meeting" and in_list(.fora; "SOM1")' 'forum:SOM1 type:meeting'
# Filters with words.
check_filter '.type == "meeting" and has_text("廣州")' 'type:meeting 廣州'
check_filter '.type == "article" and has_text("創新")' 'type:article 創新'
check_filter ".city_en == \"Guangzhou\" and (.id as \$i | \" $cti_all \" | contains(\" \" + \$i + \" \"))" \
    'city:廣州 CTI'
check_filter "in_list(.lang; \"en\") and has_text(\"Digital Weeks\")" 'lang:en "Digital Weeks"'

# ---- 6. Facets -----------------------------------------------------------------------
# expect_facets CONDITION: the facets of the documents satisfying the jq
# CONDITION, each facet's values sorted by value.
expect_facets() {
    jq -sc "map(select($1)) as \$d | {
        type: (\$d | map(.type)),
        city: (\$d | map(if .city_zh and .city_en then .city_zh + \" / \" + .city_en
                         else .city_zh // .city_en // .city end)),
        month: (\$d | map(.date | values | .[0:7]))
    } | map_values(map(select(. != null)) | group_by(.)
        | map({value: .[0], count: length}))" docs.jsonl
}
search type:meeting --facets -n 0
assert_eq "$(expect_facets '.type == "meeting"')" \
    "$(jq -c '.facets | map_values(map({value, count}) | sort_by(.value))' <<<"$OUT")" \
    "--facets type:meeting: counts"
assert_eq true "$(jq '[.facets[] | [.[].count] | . == (sort | reverse)] | all' <<<"$OUT")" \
    "--facets type:meeting: most frequent first"
# Each value's filter, with type:meeting, selects exactly its count.
facets=$(jq -r '.facets[][] | "\(.count)\t\(.filter)"' <<<"$OUT")
facet_text=$(jq -r '.facets | to_entries[] | "\(.key): " + ([.value[] | "\(.value) (\(.count))"] | join(" · "))' <<<"$OUT")
while IFS=$'\t' read -r count filter; do
    search "type:meeting $filter" -n 10000
    assert_eq "$count" "$(jq '.results | length' <<<"$OUT")" "--facets type:meeting: [type:meeting $filter] finds its count"
done <<<"$facets"
sq -d "$DB" --facets -n 0 type:meeting
assert_exit 0 "text output of --facets type:meeting"
assert_eq "$facet_text" "$(head -n 3 <<<"$OUT")" "text output of --facets type:meeting: facet lines"
# A word query: CTI's documents by type.
search CTI --facets -n 0
assert_eq "$(jq -c --arg ids " $cti_all " '[.[] | .id as $id | select($ids | contains(" " + $id + " ")) | .type]
        | group_by(.) | map({value: .[0], count: length})' <(jq -s . docs.jsonl))" \
    "$(jq -c '.facets.type | map({value, count}) | sort_by(.value)' <<<"$OUT")" "--facets CTI: types"

# ---- 7. The stored glossary: sou-index --acronyms --------------------------------------
assert_eq $'acronym\tzh_hant\tenglish\taliases\tdocs\tsources' "$(head -n 1 acronyms.tsv)" \
    "--acronyms: header"
assert_eq "" "$(awk -F'\t' 'NR > 1 && (NF != 6 || $5 !~ /^[0-9]+$/ || $6 == "")' acronyms.tsv)" \
    "--acronyms: lines of 6 fields, with docs and sources"
# Every glossary row is one sense, cited by its line: the same acronym, zh
# and English names, and its aliases first (mined ones may follow).
glossary_rows >rows.tsv
assert_eq "" "$(awk -F'\t' 'NR == FNR { row["corpus/glossary.tsv:" $1] = $2 "\t" $3 "\t" $4; al["corpus/glossary.tsv:" $1] = $5; next }
    FNR > 1 { n = split($6, s, " ; ")
        for (i = 1; i <= n; i++) if (s[i] ~ /^corpus\/glossary\.tsv:/) {
            seen[s[i]]++
            if ($1 "\t" $2 "\t" $3 != row[s[i]]) print s[i] ": names " $1 "|" $2 "|" $3 " are not the row " row[s[i]]
            if (al[s[i]] != "" && $4 != al[s[i]] && index($4, al[s[i]] " | ") != 1) print s[i] ": aliases " $4 " do not start with " al[s[i]]
        } }
    END { for (k in row) if (seen[k] != 1) print k ": listed " seen[k] + 0 " times" }' rows.tsv acronyms.tsv)" \
    "--acronyms: each glossary row listed once, with its line"
n_rows=$(wc -l <rows.tsv)
n_mined=$(awk -F'\t' 'NR > 1 && $6 !~ /corpus\/glossary\.tsv:/' acronyms.tsv | wc -l)
assert_eq "$((n_rows + n_mined))" "$(($(wc -l <acronyms.tsv) - 1))" "--acronyms: one line per sense"
assert_eq "CTI" "$(awk -F'\t' -v s="corpus/glossary.tsv:$cti_line" 'NR > 1 { n = split($6, x, " ; "); for (i = 1; i <= n; i++) if (x[i] == s) print $1 }' acronyms.tsv)" \
    "--acronyms: corpus/glossary.tsv:$cti_line is CTI"
# Every mined:ID source names a document whose body has the acronym as a
# word; a mined-only sense's names are in that body too.
assert_eq "" "$(jq -Rr --slurpfile d <(jq -s 'map({key: .id, value: .body}) | from_entries' docs.jsonl) '
    split("\t") as $f | select($f[0] != "acronym")
    | ($f[5] | split(" ; ") | map(select(startswith("mined:")) | ltrimstr("mined:"))) as $ids
    | ($f[5] | contains("corpus/glossary.tsv:") | not) as $only
    | $ids[] | . as $id | $d[0][$id] as $body
    | if $body == null then "\($f[0]): mined from \($id), which is not a document"
      elif ($body | test("(?<![A-Za-z0-9])" + $f[0] + "(?![A-Za-z0-9])") | not)
      then "\($f[0]): \($id) does not say \($f[0])"
      elif $only and (($f[1] != "" and ($body | contains($f[1]) | not))
                      or ($f[2] != "" and ($body | contains($f[2]) | not)))
      then "\($f[0]): \($id) does not have its names \($f[1]) \($f[2])"
      else empty end' acronyms.tsv)" "--acronyms: mined sources"
# Acronyms that a document defines and the glossary lacks are mined:
# ABTC (forum-bmg) and MOFA (meeting-2026-som1), with their English names.
for def in 'ABTC|APEC Business Travel Card' 'MOFA|Ministry of Foreign Affairs'; do
    IFS='|' read -r acr en <<<"$def"
    assert_eq "" "$(cut -f1 rows.tsv | grep -x "$acr")" "corpus: $acr is not in the glossary"
    src=$(jq -r --arg re "$(word_re "$acr")" 'select(.body | test($re)) | "mined:" + .id' docs.jsonl |
        paste -sd';' - | sed 's/;/ ; /g')
    assert_eq "1" "$(jq -r --arg s "$en ($acr)" 'select(.body | contains($s)) | .id' docs.jsonl | wc -l)" \
        "corpus: one document defines $acr as $en"
    assert_eq "$(printf '%s\t\t%s\t\t%s\t%s' "$acr" "$en" "$(count_words "$(naming_ids "" "$en")")" "$src")" \
        "$(awk -F'\t' -v a="$acr" '$1 == a' acronyms.tsv)" "--acronyms: the mined sense $acr"
done
# docs: how many documents have one of the sense's names (the acronym
# aside), as the search finds them: each name as a quoted phrase, ORed,
# without expansion. A name ICU cuts otherwise inside a sentence (深圳年會上
# is 深圳/年/會上) is not counted, so docs is at most the number of
# documents whose text contains a name, which is checked too.
# (awk splits the lines and passes them on with a separator that, unlike a
# tab, read does not merge: the acronym may be empty.)
awk -F'\t' 'NR > 1 {
    q = ""
    n = split($4, al, " [|] ")
    names[1] = $2; names[2] = $3
    for (i = 1; i <= n; i++) names[2 + i] = al[i]
    for (i = 1; i <= n + 2; i++)
        if (names[i] != "") q = q (q == "" ? "" : " OR ") "\"" names[i] "\""
    delete names
    if (q != "") print $1 "\037" $5 "\037" q
}' acronyms.tsv | while IFS=$'\037' read -r acr docs q; do
    "$SOU_QUERY" -d db --json --no-expand -n 0 "$q" >docs.out 2>/dev/null
    found=$(jq .total docs.out 2>/dev/null)
    [ "$found" = "$docs" ] || echo "$acr: docs $docs, but [$q] finds ${found:-nothing}"
done >docs-mismatch
assert_eq "" "$(cat docs-mismatch)" "--acronyms: docs"
assert_eq "" "$(jq -Rr --slurpfile d <(jq -s 'map((.title // "") + "\n" + (.body // "") | ascii_downcase)' docs.jsonl) '
    split("\t") as $f | select($f[0] != "acronym")
    | ([$f[1], $f[2]] + ($f[3] | split(" | ")) | map(select(. != "") | ascii_downcase)) as $names
    | [$d[0][] | select(. as $t | any($names[]; . as $n | $t | contains($n)))] | length
    | select(. < ($f[4] | tonumber))
    | "\($f[0]) \($f[1]) \($f[2]): docs \($f[4]), but only \(.) documents have one of its names"' acronyms.tsv)" \
    "--acronyms: docs at most the documents with a name"

# ---- 8. The README's demo queries ------------------------------------------------------
# The top result lights every word of the query in its snippet.
for q in 資深官員會議 數位週 APEC '"Digital Weeks"' 廣州; do
    search "$q" -n 3
    assert_exit 0 "demo query [$q]"
    top=$(jq -r '.results[0].id' <<<"$OUT")
    total=$(jq .total <<<"$OUT")
    lit_words=$(lit "$top")
    while IFS= read -r w; do
        assert_contains " ${lit_words,,} " " ${w,,} " "demo query [$q]: $top lights $w"
    done < <(jq -r '.tokens[]' <<<"$OUT")
    sq -d "$DB" -n 3 "$q"
    assert_exit 0 "demo query [$q]: text output"
    assert_match "$(tail -n 1 <<<"$OUT")" "^Results 1-3 of about $total \\([0-9.]+ ms\\)\$" \
        "demo query [$q]: text output, last line"
done
# Case and width fold: ＡＰＥＣ and apec find what APEC finds.
search APEC -n 10000
apec_ids=$(result_ids)
for q in ＡＰＥＣ apec; do
    search "$q" -n 10000
    assert_eq "$apec_ids" "$(result_ids)" "ranked ids for [$q] and [APEC]"
done
# Words that are not in the corpus.
for q in 袋鼠 zebra; do
    assert_eq "" "$(naming_ids "" "$q")" "corpus: no document has $q"
    sq -d "$DB" "$q"
    assert_exit 1 "[$q] finds nothing"
    assert_eq "No results for \"$q\"." "$OUT" "[$q]: text output"
    assert_no_results "$DB" "$q"
done
