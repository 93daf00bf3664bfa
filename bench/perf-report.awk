# perf-report.awk - the tables of bench/perf.sh's report, computed from its
# CSV (size_mb,round,tool,metric,value; perf.sh says what is measured).
# Variables: sizes and scaling (the size lists), jobs (Sou's default -j),
# nq (the queries timed a process each).
# Indexing figures are medians over the rounds, with the range of the wall
# times and of each round's speed ratios beside them; MB/s is the input
# over the median wall time; "Omega + compact" adds each round's
# compaction to its indexing (time, CPU) and keeps the larger RSS and the
# compacted size.
# Run after csv-stats.awk (awk -f csv-stats.awk -f perf-report.awk).

# The values of (s, t, m) by round in out[round]; returns how many rounds
# have one. Omega + compact combines each round's indexing and compaction
# (see above): times add up, RSS is the larger.
function by_round(s, t, m, out,    k, i, c, part) {
    if (t == "omega+compact") {
        by_round(s, "omega-compact", m, part)
        c = by_round(s, "omega", m, out)
        for (i in out)
            if (!(i in part)) {
                delete out[i]
                c--
            } else if (m != "rss_mb")
                out[i] += part[i]
            else if (part[i] > out[i])
                out[i] = part[i]
        return c
    }
    k = s SUBSEP t SUBSEP m
    for (i = 1; i <= cnt[k]; i++)
        out[rnd[k, i]] = val[k, i] + 0
    return cnt[k] + 0
}

# Omega + compact's figure: the median of the combined rounds, or the
# compacted size.
function omega_compact(s, m,    v, a, c, r) {
    if (m == "size_bytes")
        return med(s, "omega-compact", m)
    by_round(s, "omega+compact", m, v)
    for (r in v)
        a[++c] = v[r]
    return c ? median(a, c) : ""
}

function get(s, t, m) {
    return t == "omega+compact" ? omega_compact(s, m) : med(s, t, m)
}

# sprintf(f, lowest, highest) of the values of v, or "" for fewer than two.
function span(v, f,    r, lo, hi, c) {
    for (r in v) {
        if (!c++ || v[r] < lo)
            lo = v[r]
        if (c == 1 || v[r] > hi)
            hi = v[r]
    }
    return c > 1 ? sprintf(f, lo, hi) : ""
}

# The fastest and slowest of t's wall times over the rounds, or "-".
function wall_range(s, t,    w, x) {
    by_round(s, t, "wall_s", w)
    x = span(w, "%.2f–%.2f")
    return x == "" ? "-" : x
}

# The peer's wall time over Sou's build t: the ratio of the medians, then
# in brackets the lowest and highest ratio of one round's runs, which ran
# side by side, when there are two rounds or more.
function speed_ratio(s, t, peer,    m, w, p, x, r) {
    m = ratio(get(s, peer, "wall_s"), get(s, t, "wall_s"))
    if (m == "-")
        return m
    by_round(s, t, "wall_s", w)
    by_round(s, peer, "wall_s", p)
    for (r in w)
        if ((r in p) && w[r] > 0)
            x[r] = p[r] / w[r]
    return m span(x, " (%.2f–%.2f)")
}

function index_row(s, t, label,    wall, input) {
    wall = get(s, t, "wall_s")
    if (wall == "")
        return
    input = med(s, "corpus", "bytes")
    printf "| %s | %.2f | %s | %s | %s | %s | %s | %s |\n", label, wall, wall_range(s, t),
        (wall > 0 ? sprintf("%.2f", input / 1e6 / wall) : "-"), fmt("%.2f", get(s, t, "cpu_s")),
        fmt("%.0f", get(s, t, "rss_mb")), fmt("%.1f", get(s, t, "size_bytes") / 1e6),
        ratio(get(s, t, "size_bytes"), input)
}

# Throughput of Sou's build t against each peer (same input).
function speed_ratios(s, t) {
    printf "| MB/s, %s | %s | %s | %s |\n", label[t], speed_ratio(s, t, "fts5"),
        speed_ratio(s, t, "omega"), speed_ratio(s, t, "omega+compact")
}

function indexing(s,    i, rounds) {
    rounds = cnt[s SUBSEP "sou" SUBSEP "wall_s"] + 0
    printf "## Indexing %s MB (%d documents; median of %d interleaved round%s)\n\n", s,
        med(s, "corpus", "documents"), rounds, rounds == 1 ? "" : "s"
    print "| indexer | wall s | rounds s | MB/s | CPU s | peak RSS MB | index MB | index/input |"
    print "|---|---:|---:|---:|---:|---:|---:|---:|"
    for (i = 1; i <= ntools; i++)
        index_row(s, tool[i], label[tool[i]])
    print ""
    print "| Sou ÷ peer | FTS5 | Omega | Omega + compact |"
    print "|---|---:|---:|---:|"
    speed_ratios(s, "sou")
    speed_ratios(s, "sou-j1")
    if (get(s, "sou-shards", "wall_s") != "")
        speed_ratios(s, "sou-shards")
    printf "| index size | %s | %s | %s |\n", ratio(get(s, "sou", "size_bytes"),
        get(s, "fts5", "size_bytes")), ratio(get(s, "sou", "size_bytes"), get(s, "omega",
        "size_bytes")), ratio(get(s, "sou", "size_bytes"), get(s, "omega+compact", "size_bytes"))
    print ""
}

function query_row(s, t, label) {
    if (med(s, t, "p50_ms") == "")
        return
    printf "| %s | %.3f | %.3f | %.3f | %.0f | %.3f | %s |\n", label, med(s, t, "p50_ms"),
        med(s, t, "p95_ms"), med(s, t, "p99_ms"), med(s, t, "qps"), med(s, t, "zero_hit_rate"),
        fmt("%.3f", med(s, t, "short_word_rate"))
}

function process_row(s, t, label,    k, i, z) {
    k = s SUBSEP t SUBSEP "hits"
    if (!cnt[k])
        return
    for (i = 1; i <= cnt[k]; i++)
        z += val[k, i] <= 0
    printf "| %s | %s | %s | %s | %s | %.3f |\n", label, fmt("%.1f", pct(s, t, "warm_ms", 0.5)),
        fmt("%.1f", pct(s, t, "warm_ms", 0.95)), fmt("%.1f", pct(s, t, "cold_ms", 0.5)),
        fmt("%.1f", pct(s, t, "cold_ms", 0.95)), z / cnt[k]
}

# sou-query's p50 over quest's (t), warm and cold, when quest ran.
function process_ratio(s, t, label) {
    if (!cnt[s SUBSEP t SUBSEP "hits"])
        return
    printf "| %s | %s | %s |\n", label, ratio(pct(s, "sou-query", "warm_ms", 0.5),
        pct(s, t, "warm_ms", 0.5)), ratio(pct(s, "sou-query", "cold_ms", 0.5),
        pct(s, t, "cold_ms", 0.5))
}

function queries(s,    k, i, same) {
    if (med(s, "sou-qbench", "p50_ms") == "")
        return
    printf "## Queries in one process, %s MB (warm; %d queries, 2 measured rounds)\n\n", s,
        med(s, "corpus", "queries")
    print "| engine | p50 ms | p95 ms | p99 ms | queries/s | 0-hit rate | short-word rate |"
    print "|---|---:|---:|---:|---:|---:|---:|"
    query_row(s, "sou-qbench", "Sou, snippets")
    query_row(s, "sou-qbench-nosnip", "Sou, no snippets")
    query_row(s, "sou-qbench-shards", "Sou, snippets, a shard per worker")
    query_row(s, "fts5-query-snip", "FTS5, snippets")
    query_row(s, "fts5-query", "FTS5, no snippets")
    print ""
    printf "## A process per query, %s MB (the first %d queries; ms from fork to exit)\n\n", s, nq
    print "| command (index) | warm p50 ms | warm p95 ms | cold p50 ms | cold p95 ms | 0-hit rate |"
    print "|---|---:|---:|---:|---:|---:|"
    process_row(s, "sou-query", "sou-query -n 10 --json (Sou)")
    process_row(s, "quest-sou", "quest -m 10 (the same Sou index)")
    process_row(s, "quest-same", "quest -m 10, Sou's query (the same Sou index)")
    process_row(s, "fts5-one", "fts5-bench one (FTS5)")
    process_row(s, "quest-omega", "quest -o and -m 10, CJK n-grams (Omega, compacted)")
    print ""
    k = s SUBSEP "quest-same" SUBSEP "same_top"
    if (!cnt[k])
        return
    print "| sou-query ÷ quest, p50 | warm | cold |"
    print "|---|---:|---:|"
    process_ratio(s, "quest-sou", "quest given the query text")
    process_ratio(s, "quest-same", "quest given Sou's query")
    print ""
    for (i = 1; i <= cnt[k]; i++)
        same += val[k, i]
    printf "quest given Sou's query found the same 10 best documents, in order, for %d of %d queries.\n\n",
        same, cnt[k]
}

function scaling_table(    n, S, i, s, wall, input) {
    n = split(scaling, S, " ")
    if (!n)
        return
    printf "## Scaling: %s\n\n", label["sou"]
    print "| size MB | documents | runs | wall s | MB/s | CPU s | peak RSS MB | index MB | index/input |"
    print "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for (i = 1; i <= n; i++) {
        s = S[i]
        wall = med(s, "sou", "wall_s")
        if (wall == "")
            continue
        input = med(s, "corpus", "bytes")
        printf "| %s | %d | %d | %.2f | %s | %.2f | %.0f | %.1f | %.2f |\n", s,
            med(s, "corpus", "documents"), cnt[s SUBSEP "sou" SUBSEP "wall_s"], wall,
            (wall > 0 ? sprintf("%.2f", input / 1e6 / wall) : "-"), med(s, "sou", "cpu_s"),
            med(s, "sou", "rss_mb"), med(s, "sou", "size_bytes") / 1e6,
            med(s, "sou", "size_bytes") / input
    }
    print ""
}

END {
    ntools = split("sou sou-j1 sou-shards fts5 omega omega+compact", tool, " ")
    label["sou"] = "Sou (-j " jobs ", the default)"
    label["sou-j1"] = "Sou -j 1"
    label["sou-shards"] = "Sou --shards " jobs " (a shard per worker)"
    label["fts5"] = "SQLite FTS5 trigram"
    label["omega"] = "Omega (scriptindex, CJK n-grams)"
    label["omega+compact"] = "Omega + xapian-compact"
    n = split(sizes, S, " ")
    for (i = 1; i <= n; i++) {
        indexing(S[i])
        queries(S[i])
    }
    scaling_table()
}
