#!/usr/bin/env bash
# retrieval.sh - what Chinese segmentation costs search. Builds a collection
# and a known-item query set from each gold segmentation (retrieval-gen),
# indexes the collection once per analysis mode, runs every query, and
# prints one Markdown table (also written to $BUILD/bench/retrieval.md): a
# row per mode with MRR@10, recall@10 (share of queries whose target is in
# the top 10) and the zero-hit rate per gold set, and the index size and
# indexing time summed over the sets. Each query's rank goes to
# $BUILD/bench/retrieval/SET-MODE.tsv (target, query, rank or 0, results).
# RETRIEVAL_OUT names another folder for both (the tests use it).
#
#   retrieval.sh [--modes "M..."] [--queries N] [--seed N] [GOLD-PATH]
#
# GOLD-PATH is a folder (as_testing_gold.utf8 and *.conllu in it; default
# ../shared/data/seg-gold) or one gold file. Environment: MODES (default
# "icu words words+grams bigrams"; the mode "default" indexes without
# --analysis), QUERIES per gold set (default 1000), SEED (default 1),
# SENTENCES_PER_DOC (default 10), MAX_DF (retrieval-gen's --max-df; its
# comment says how queries are drawn). Each query is one sou-query process,
# with --no-expand so the glossary plays no part. Run by
# `make bench-retrieval`, which builds the programs in $BUILD.
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-build}
case $build in
/*) ;;
*) build=$root/$build ;;
esac
gen=$build/bench/retrieval-gen
sou_index=$build/sou-index
sou_query=$build/sou-query
export LC_ALL=C.UTF-8

modes=${MODES:-icu words words+grams bigrams}
queries=${QUERIES:-1000}
seed=${SEED:-1}
per_doc=${SENTENCES_PER_DOC:-10}

usage() {
    echo 'usage: retrieval.sh [--modes "M..."] [--queries N] [--seed N] [GOLD-PATH]' >&2
    exit 2
}
while [ $# -gt 0 ]; do
    case $1 in
    --modes) [ $# -ge 2 ] || usage; modes=$2; shift 2 ;;
    --queries) [ $# -ge 2 ] || usage; queries=$2; shift 2 ;;
    --seed) [ $# -ge 2 ] || usage; seed=$2; shift 2 ;;
    -*) usage ;;
    *) break ;;
    esac
done
[ $# -le 1 ] || usage
gold_path=${1:-$root/../shared/data/seg-gold}

for tool in "$gen" "$sou_index" "$sou_query"; do
    if [ ! -x "$tool" ]; then
        echo "retrieval: $tool is missing; run make bench-retrieval" >&2
        exit 1
    fi
done
command -v jq >/dev/null || { echo "retrieval: jq is missing (make deps)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sou-retrieval.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
out_dir=${RETRIEVAL_OUT:-$build/bench}
out=$out_dir/retrieval
mkdir -p "$out" || exit 1

# The gold sets, as "NAME|FILE".
sets=()
add_set() {
    local name
    case $(basename "$1") in
    as_testing_gold.utf8) name=AS ;;
    zh_gsd-*.conllu) name=GSD ;;
    *) name=$(basename "$1") name=${name%.*} ;;
    esac
    sets+=("$name|$1")
}
if [ -d "$gold_path" ]; then
    [ -f "$gold_path/as_testing_gold.utf8" ] && add_set "$gold_path/as_testing_gold.utf8"
    for f in "$gold_path"/*.conllu; do
        [ -f "$f" ] && add_set "$f"
    done
elif [ -f "$gold_path" ]; then
    add_set "$gold_path"
else
    echo "retrieval: $gold_path: no such file or folder" >&2
    exit 1
fi
if [ ${#sets[@]} -eq 0 ]; then
    echo "retrieval: no gold sets in $gold_path" >&2
    exit 1
fi

# The collections and query sets; their sizes go under the table.
notes=''
for s in "${sets[@]}"; do
    IFS='|' read -r name file <<<"$s"
    prefix=$(tr '[:upper:]' '[:lower:]' <<<"$name")
    if ! "$gen" --seed "$seed" --queries "$queries" --sentences-per-doc "$per_doc" \
        ${MAX_DF:+--max-df "$MAX_DF"} --prefix "$prefix" "$file" "$tmp/$name.jsonl" \
        "$tmp/$name.tsv" >"$tmp/$name.stats"; then
        echo "retrieval: retrieval-gen failed on $file" >&2
        exit 1
    fi
    notes+="$name: $(sed -n 's/^documents //p' "$tmp/$name.stats") documents of $per_doc"
    notes+=" sentences, $(sed -n 's/^queries //p' "$tmp/$name.stats") queries of words"
    notes+=" with df <= $(sed -n 's/^max df //p' "$tmp/$name.stats")."$'\n'
done

now() { date +%s.%N; }

# search DB QUERIES: runs each query and prints its top-10 ids, one line a
# query (empty: no hits). A query the parser rejects counts as no hits. One
# jq reads all the answers, which halves the processes started.
search() {
    local query rc
    while IFS=$'\t' read -r _ query; do
        "$sou_query" -d "$1" -n 10 --json --no-expand -- "$query" </dev/null
        rc=$?
        if [ "$rc" -gt 1 ]; then
            echo "retrieval: sou-query -d $1 -- '$query' failed with status $rc" >&2
            [ "$rc" -eq 2 ] || return 1
            echo '{"results": []}'
        fi
    done <"$2" >"$tmp/json" || return 1
    jq -r '[.results[].id] | join(" ")' "$tmp/json"
}

# score QUERIES IDS: prints "MRR R@10 ZERO" and leaves per-query ranks in
# $tmp/ranks.
score() {
    paste "$1" "$2" | awk -F'\t' -v ranks="$tmp/ranks" '
        { n++; rank = 0; k = split($3, id, " ")
          for (i = 1; i <= k; i++) if (id[i] == $1) { rank = i; break }
          if (rank) { rr += 1 / rank; hit++ }
          if (k == 0) zero++
          print $1 "\t" $2 "\t" rank "\t" k > ranks }
        END { if (n) printf "%.3f %.3f %.3f\n", rr / n, hit / n, zero / n; else print "- - -" }'
}

header='| mode |'
rule='|---|'
for s in "${sets[@]}"; do
    header+=" ${s%%|*} MRR@10 | R@10 | 0-hit |"
    rule+='---|---|---|'
done
table=$tmp/table.md
{
    echo "$header index MB | index s |"
    echo "$rule---|---|"
} >"$table"
status=0
for mode in $modes; do
    opt=(--analysis "$mode")
    [ "$mode" = default ] && opt=()
    row="| $mode |"
    kb=0
    secs=0
    for s in "${sets[@]}"; do
        name=${s%%|*}
        db=$tmp/db-$name-$mode
        t0=$(now)
        if ! "$sou_index" -q "${opt[@]}" -o "$db" "$tmp/$name.jsonl" 2>"$tmp/err"; then
            echo "retrieval: mode $mode skipped: sou-index${opt[*]:+ ${opt[*]}} failed on $name:" \
                "$(head -1 "$tmp/err")" >&2
            status=1
            kb=0
            break
        fi
        t1=$(now)
        secs=$(echo "$secs + $t1 - $t0" | bc -l)
        kb=$((kb + $(du -sk "$db" | cut -f1)))
        if ! search "$db" "$tmp/$name.tsv" >"$tmp/ids" ||
            [ "$(wc -l <"$tmp/ids")" -ne "$(wc -l <"$tmp/$name.tsv")" ]; then
            echo "retrieval: searching $name with mode $mode failed" >&2
            exit 1
        fi
        read -r mrr recall zero <<<"$(score "$tmp/$name.tsv" "$tmp/ids")"
        cp "$tmp/ranks" "$out/$name-$mode.tsv"
        row+=" $mrr | $recall | $zero |"
        rm -rf "$db"
    done
    if [ "$kb" -eq 0 ]; then
        row="| $mode |$(printf ' - | - | - |%.0s' "${sets[@]}") - | - |"
    else
        row+=" $(printf '%.1f' "$(echo "$kb / 1024" | bc -l)") | $(printf '%.2f' "$secs") |"
    fi
    echo "$row" >>"$table"
done
cp "$table" "$out_dir/retrieval.md"
cat "$table"
echo
printf '%s' "$notes"
echo "Seed $seed; index MB and s summed over the sets; per-query ranks in $out/,"
echo "table in $out_dir/retrieval.md."
exit "$status"
