#!/usr/bin/env bash
# seg-bench.sh - scores every segmentation mode Sou has against the gold
# segmentations, and prints one Markdown table (also written to
# $BUILD/bench/seg.md): a row per mode, F1 / P / R / OOV recall per gold
# set, and the mode's speed in characters per second over all sets.
#
#   seg-bench.sh [PATH]                   gold sets in PATH, a folder or one
#                                         file (default ../shared/data/seg-gold)
#   seg-bench.sh --score NAME FILE GOLD [WORDS]
#                                         scores an external segmenter's output
#                                         FILE (one sentence a line, words
#                                         separated by spaces) against GOLD
#
# Gold sets it knows: as_testing_gold.utf8 (raw text as_test.utf8, word list
# as_training_words.utf8, beside it) and *.conllu (raw text from its
# "# text =" lines). Modes: icu (ICU alone) and words (ICU and the lexicon
# pass, the default index's cut), both through sou-index --tokenize, and
# fmm-baseline (forward maximum matching, only where a training word list
# exists). Speed: SEG_ROUNDS interleaved rounds (default 5), the median.
# Run by `make bench-seg`, which builds the programs in $BUILD.
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-build}
case $build in
/*) ;;
*) build=$root/$build ;;
esac
segscore=$build/bench/segscore
fmm=$build/bench/fmm-baseline
sou_index=$build/sou-index
export LC_ALL=C.UTF-8

usage() {
    echo "usage: seg-bench.sh [GOLD-PATH] | seg-bench.sh --score NAME FILE GOLD [WORDS]" >&2
    exit 2
}

for tool in "$segscore" "$fmm" "$sou_index"; do
    if [ ! -x "$tool" ]; then
        echo "seg-bench: $tool is missing; run make bench-seg" >&2
        exit 1
    fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sou-seg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# field NAME FILE: the value of segscore's "NAME value" line in FILE.
field() {
    sed -n "s/^$1 //p" "$2"
}

# score GOLD TEST [WORDS]: runs segscore, leaving its report in $tmp/score.
score() {
    local opt=()
    if [ $# -gt 2 ] && [ -n "$3" ]; then
        opt=(--words "$3")
    fi
    "$segscore" "${opt[@]}" "$1" "$2" >"$tmp/score"
}

if [ "${1:-}" = --score ]; then
    if [ $# -lt 4 ] || [ $# -gt 5 ]; then
        usage
    fi
    score "$4" "$3" "${5:-}" || exit 1
    printf '| mode | %s F1 | P | R | OOV R |\n|---|---|---|---|---|\n' "$(basename "$4")"
    printf '| %s | %s | %s | %s | %s |\n' "$2" "$(field F1 "$tmp/score")" \
        "$(field P "$tmp/score")" "$(field R "$tmp/score")" "$(field 'OOV recall' "$tmp/score")"
    exit 0
fi
[ $# -le 1 ] || usage
gold_path=${1:-$root/../shared/data/seg-gold}

# The gold sets: name, gold file, raw text, word list (or empty).
sets=()
add_set() {
    sets+=("$1|$2|$3|$4")
}
find_sets() {
    local g=$1 dir
    dir=$(dirname "$g")
    case $g in
    *as_testing_gold.utf8)
        if [ ! -f "$dir/as_test.utf8" ]; then
            echo "seg-bench: note: $dir/as_test.utf8 missing, AS skipped" >&2
            return
        fi
        local wl=$dir/as_training_words.utf8
        if [ ! -f "$wl" ]; then
            echo "seg-bench: note: $wl missing, no OOV figures or fmm-baseline for AS" >&2
            wl=
        fi
        add_set AS "$g" "$dir/as_test.utf8" "$wl"
        ;;
    *.conllu)
        local name raw
        name=$(basename "$g" .conllu)
        raw=$tmp/$name.txt
        case $name in
        zh_gsd-*) name=GSD ;;
        esac
        sed -n 's/^# text = //p' "$g" >"$raw"
        add_set "$name" "$g" "$raw" ""
        ;;
    esac
}
if [ -d "$gold_path" ]; then
    for f in as_testing_gold.utf8 zh_gsd-ud-test.conllu; do
        if [ -f "$gold_path/$f" ]; then
            find_sets "$gold_path/$f"
        else
            echo "seg-bench: note: $gold_path/$f missing, skipped" >&2
        fi
    done
    for f in "$gold_path"/*.conllu; do
        [ -f "$f" ] && [ "$(basename "$f")" != zh_gsd-ud-test.conllu ] && find_sets "$f"
    done
elif [ -f "$gold_path" ]; then
    find_sets "$gold_path"
else
    echo "seg-bench: $gold_path: no such file or folder" >&2
    exit 1
fi
if [ ${#sets[@]} -eq 0 ]; then
    echo "seg-bench: no gold sets found in $gold_path" >&2
    exit 1
fi

# run_mode MODE RAW WORDS OUT: segments RAW with MODE into OUT; fails if the
# mode does not apply to this set.
run_mode() {
    case $1 in
    icu | words) "$sou_index" --analysis "$1" --tokenize <"$2" >"$4" ;;
    fmm-baseline)
        [ -n "$3" ] || return 1
        "$fmm" "$3" <"$2" >"$4"
        ;;
    esac
}

now() { date +%s.%N; }

modes=(icu words fmm-baseline)
# Timing rounds, interleaved across modes; the median counts.
rounds=${SEG_ROUNDS:-5}
header='| mode |'
rule='|---|'
for s in "${sets[@]}"; do
    name=${s%%|*}
    header+=" $name F1 | P | R | OOV R |"
    rule+='---|---|---|---|'
done
table=$tmp/table.md
{
    echo "$header chars/s | speed / icu |"
    echo "$rule---|---|"
} >"$table"

# Speed: every mode over the raw text of every set it applies to, in
# interleaved rounds (the machines are shared and noisy); the median of a
# mode's rounds, in characters per second, and as a ratio to icu's.
declare -A speed
for ((r = 0; r < rounds; r++)); do
    for mode in "${modes[@]}"; do
        chars=0
        secs=0
        for s in "${sets[@]}"; do
            IFS='|' read -r _ gold raw words <<<"$s"
            t0=$(now)
            run_mode "$mode" "$raw" "$words" "$tmp/out" || continue
            t1=$(now)
            chars=$((chars + $(tr -d '\r\n' <"$raw" | wc -m)))
            secs=$(echo "$secs + $t1 - $t0" | bc -l)
        done
        [ "$chars" -gt 0 ] && speed[$mode]+="$(echo "$chars / $secs" | bc -l) "
    done
done
median() {
    tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{v[NR] = $1} END {if (NR) printf "%.0f", v[int((NR + 1) / 2)]}'
}

for mode in "${modes[@]}"; do
    row="| $mode |"
    for s in "${sets[@]}"; do
        IFS='|' read -r _ gold raw words <<<"$s"
        if ! run_mode "$mode" "$raw" "$words" "$tmp/out"; then
            row+=' - | - | - | - |'
            continue
        fi
        if ! score "$gold" "$tmp/out" "$words"; then
            echo "seg-bench: $mode on $gold: scoring failed" >&2
            exit 1
        fi
        row+=" $(field F1 "$tmp/score") | $(field P "$tmp/score") | $(field R "$tmp/score") |"
        row+=" $(field 'OOV recall' "$tmp/score") |"
    done
    cps=$(median <<<"${speed[$mode]:-}")
    icu=$(median <<<"${speed[icu]:-}")
    if [ -n "$cps" ] && [ -n "$icu" ]; then
        row+=" $cps | $(printf '%.2f' "$(echo "$cps / $icu" | bc -l)") |"
    else
        row+=' - | - |'
    fi
    echo "$row" >>"$table"
done
mkdir -p "$build/bench"
cp "$table" "$build/bench/seg.md"
cat "$table"
echo
echo "(F1 / P / R / OOV recall per set; chars/s over the sets each mode ran on, including"
echo "start-up such as loading the word list, the median of $rounds interleaved rounds;"
echo "written to $build/bench/seg.md)"
