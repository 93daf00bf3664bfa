# quest-query.awk - the Xapian query sou-query runs, from its --explain
# output ("xapian: Query(...)"), in the syntax of Xapian's QueryParser as
# quest reads it with -s none -o synonym -p z:Z, so that quest runs the
# same search with the same weights (bench/perf.sh):
#   - a SYNONYM group is a bracket of words, the default operator;
#   - a PHRASE is a quoted string;
#   - (L AND_MAYBE R) is (+(L) R): a required part and an optional one;
#   - a stem, Z-prefixed, is z:STEM;
#   - positions (@N) are dropped: the parser numbers words itself.
# AND and OR stay as they are. Prints nothing for a line without a query.

# Rewrites each (L AND_MAYBE R) of s, innermost or outermost alike: L runs
# back from the operator to the bracket that opens its group.
function and_maybe(s,    p, o, d, c) {
    while ((p = index(s, " AND_MAYBE ")) > 0) {
        d = 0
        for (o = p - 1; o > 0; o--) {
            c = substr(s, o, 1)
            if (c == ")")
                d++
            else if (c == "(" && d-- == 0)
                break
        }
        s = substr(s, 1, o) "+(" substr(s, o + 1, p - o - 1) ") " substr(s, p + 11)
    }
    return s
}

/^xapian: Query\(.*\)$/ {
    q = substr($0, 15, length($0) - 15)
    gsub(/@[0-9]+/, "", q)
    # A phrase's group holds no bracket: its words and PHRASE N between.
    while (match(q, /\([^()]* PHRASE [0-9]+ [^()]*\)/)) {
        ph = substr(q, RSTART + 1, RLENGTH - 2)
        gsub(/ PHRASE [0-9]+ /, " ", ph)
        q = substr(q, 1, RSTART - 1) "\"" ph "\"" substr(q, RSTART + RLENGTH)
    }
    gsub(/ SYNONYM /, " ", q)
    q = and_maybe(q)
    q = prefix_stems(q)
    print q
}

# Each stem, Z at the start of a term (after a space, a bracket or a
# quote), as z:STEM.
function prefix_stems(s,    out, i, c, prev) {
    out = ""
    prev = " "
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (c == "Z" && (prev == " " || prev == "(" || prev == "\"") && i < length(s) &&
            substr(s, i + 1, 1) !~ /[ ()"]/)
            c = "z:"
        out = out c
        prev = substr(s, i, 1)
    }
    return out
}
