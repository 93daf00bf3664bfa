# shards-report.awk - the tables and the estimate of bench/shards.sh's
# report, from its CSV (size_mb,round,tool,metric,value; shards.sh says
# what is measured). Run after csv-stats.awk. Variables: big and small (the
# corpus sizes, MB), shards (N), qrounds (sou-qbench --rounds), and the
# estimate's target_gb, target_ms, ram_gib, cache_gib and cores.
# Every figure is a median over the rounds.

function num(x) {
    return x == "" ? 0 : x + 0
}

# MB/s of TOOL's build of the large corpus.
function mbps(t,    w) {
    w = med(big, t, "wall_s")
    return w == "" || w <= 0 ? "" : med(big, "corpus", "bytes") / 1e6 / w
}

function index_row(t, nshards, jobs,    w) {
    w = med(big, t, "wall_s")
    if (w == "")
        return
    printf "| %d | %d | %.2f | %s | %s | %s | %s | %s |\n", nshards, jobs, w, fmt("%.2f", mbps(t)),
        fmt("%.2f", med(big, t, "cpu_s")), fmt("%.0f", med(big, t, "rss_mb")),
        fmt("%.1f", med(big, t, "size_bytes") / 1e6),
        ratio(med(big, t, "size_bytes"), med(big, "corpus", "bytes"))
}

function indexing(    r) {
    r = cnt[big SUBSEP "single-j1" SUBSEP "wall_s"] + 0
    printf "## Indexing %s MB (%d documents; median of %d interleaved round%s)\n\n", big,
        med(big, "corpus", "documents"), r, r == 1 ? "" : "s"
    print "| shards | -j | wall s | MB/s | CPU s | peak RSS MB | index MB | index/input |"
    print "|---:|---:|---:|---:|---:|---:|---:|---:|"
    index_row("single-j1", 1, 1)
    index_row("single-j2", 1, 2)
    index_row("sharded-j1", shards, 1)
    index_row("sharded-j2", shards, 2)
    print ""
    printf "Speed-up of -j 2 over -j 1 (MB/s): %s with one database, %s with %d shards.",
        ratio(mbps("single-j2"), mbps("single-j1")), ratio(mbps("sharded-j2"), mbps("sharded-j1")),
        shards
    printf " %d shards ÷ one database, -j 2: MB/s %s, index size %s.\n\n", shards,
        ratio(mbps("sharded-j2"), mbps("single-j2")),
        ratio(med(big, "sharded-j2", "size_bytes"), med(big, "single-j2", "size_bytes"))
}

function query_row(s, t, label) {
    if (med(s, t, "p50_ms") == "")
        return
    printf "| %s | %s | %.3f | %.3f | %.3f | %.0f | %.3f |\n", label, s, med(s, t, "p50_ms"),
        med(s, t, "p95_ms"), med(s, t, "p99_ms"), med(s, t, "qps"), med(s, t, "zero_hit_rate")
}

# "p50 ratio / p95 ratio" of tools a and b at the large size.
function qratio(a, b) {
    return ratio(med(big, a, "p50_ms"), med(big, b, "p50_ms")) " / " ratio(med(big, a, "p95_ms"),
        med(big, b, "p95_ms"))
}

function queries(    r, v, i, label) {
    r = cnt[big SUBSEP "q-single" SUBSEP "p50_ms"] + 0
    printf "## Queries (sou-qbench in one process, warm; %d queries of the %s MB corpus;" \
        " %d measured passes a round, median of %d interleaved round%s)\n\n",
        med(big, "corpus", "queries"), big, qrounds - 1, r, r == 1 ? "" : "s"
    print "| index | input MB | p50 ms | p95 ms | p99 ms | queries/s | 0-hit rate |"
    print "|---|---:|---:|---:|---:|---:|---:|"
    split("q-small q-single q-local q-remote1 q-remote", v, " ")
    label["q-small"] = label["q-single"] = "one database"
    label["q-local"] = shards " local shards"
    label["q-remote1"] = "the one database, remote (1 xapian-tcpsrv)"
    label["q-remote"] = shards " remote shards (" shards " xapian-tcpsrv)"
    for (i = 1; i <= 5; i++)
        query_row(v[i] == "q-small" ? small : big, v[i], label[v[i]] ", snippets")
    for (i = 1; i <= 5; i++)
        query_row(v[i] == "q-small" ? small : big, v[i] "-nosnip", label[v[i]] ", no snippets")
    print ""
    printf "| ratio (%s MB), p50 / p95 | snippets | no snippets |\n", big
    print "|---|---:|---:|"
    printf "| %d remote ÷ %d local shards | %s | %s |\n", shards, shards, qratio("q-remote", "q-local"),
        qratio("q-remote-nosnip", "q-local-nosnip")
    printf "| %d local shards ÷ one database | %s | %s |\n", shards, qratio("q-local", "q-single"),
        qratio("q-local-nosnip", "q-single-nosnip")
    printf "| %d remote shards ÷ one database | %s | %s |\n", shards, qratio("q-remote", "q-single"),
        qratio("q-remote-nosnip", "q-single-nosnip")
    printf "| one database: remote ÷ local | %s | %s |\n", qratio("q-remote1", "q-single"),
        qratio("q-remote1-nosnip", "q-single-nosnip")
    printf "| one database: %s MB ÷ %s MB | %s | %s |\n\n", big, small,
        ratio(med(big, "q-single", "p50_ms"), med(small, "q-small", "p50_ms")) " / " \
        ratio(med(big, "q-single", "p95_ms"), med(small, "q-small", "p95_ms")),
        ratio(med(big, "q-single-nosnip", "p50_ms"), med(small, "q-small-nosnip", "p50_ms")) " / " \
        ratio(med(big, "q-single-nosnip", "p95_ms"), med(small, "q-small-nosnip", "p95_ms"))
}

# ---- The estimate ------------------------------------------------------------------

# The model's query time with n shards of the target corpus, at the
# percentile whose coefficients are A, B, FAN and REM (set by fit()).
function model(n) {
    return A + B * C / n + (n - 1) * FAN + n * REM
}

# Fits the model's coefficients to percentile p ("p50_ms" or "p95_ms").
# Returns 0 when a measurement is missing.
function fit(p,    ts, tb, tl, tr, t1) {
    ts = med(small, "q-small", p)
    tb = med(big, "q-single", p)
    tl = med(big, "q-local", p)
    tr = med(big, "q-remote", p)
    t1 = med(big, "q-remote1", p)
    if (ts == "" || tb == "" || tl == "" || tr == "" || t1 == "")
        return 0
    B = (tb - ts) / (big - small)
    if (B < 0)
        B = 0
    A = tb - B * big
    FAN = (tl - tb) / (shards - 1)
    if (FAN < 0)
        FAN = 0
    REM1 = t1 - tb
    if (REM1 < 0)
        REM1 = 0
    # What makes the model give the measured N remote shards.
    REMN = (tr - (A + B * big / shards) - (shards - 1) * FAN) / shards
    REM = REMN > REM1 ? REMN : REM1
    MEASURED_N = tr
    return 1
}

function ceil(x) {
    return x == int(x) ? x : int(x) + 1
}

# The machines n shards need, each holding at most its cores' worth of
# shards and no more index than its page cache; 0 if one shard's index
# alone is larger than that.
function machines(n,    per) {
    per = int(cache_gib * 2 ^ 30 / (C * 1e6 * IDX / n))
    if (per > cores)
        per = cores
    return per < 1 ? 0 : ceil(n / per)
}

function estimate(    ok, n, best, bestt, found, i, k, list, p50, t, m) {
    C = target_gb * 1000
    IDX = num(med(big, "sharded-j2", "size_bytes")) / num(med(big, "corpus", "bytes"))
    printf "## Paper estimate: %s GB of input, a query within %s ms at p95\n\n", target_gb, target_ms
    if (!fit("p50_ms") || IDX <= 0) {
        print "Not computed: a measurement it needs is missing (see the errors above).\n"
        return
    }
    # p50 coefficients, kept for the table.
    p50["A"] = A; p50["B"] = B; p50["FAN"] = FAN; p50["REM"] = REM
    fit("p95_ms")
    print "Measured (p95, snippets; p50 in brackets):\n"
    printf "- one database's time grows %.4f ms per input MB (%.4f) between %s and %s MB;" \
        " intercept %.3f ms (%.3f);\n", B, p50["B"], small, big, A, p50["A"]
    printf "- fan-out: each shard beyond the first adds %.3f ms (%.3f) when one process" \
        " searches %d local shards of the %s MB corpus instead of one database;\n",
        FAN, p50["FAN"], shards, big
    printf "- remote: serving the one database through xapian-tcpsrv adds %.3f ms;" \
        " the model then gives %.3f ms for %d remote shards, measured %.3f ms, so each" \
        " remote shard is charged %.3f ms (%.3f), the larger of the two readings;\n",
        REM1, A + B * big / shards + (shards - 1) * FAN + shards * REM1, shards, MEASURED_N, REM,
        p50["REM"]
    printf "- the %d-shard index is %.2f bytes per input byte (one database: %s at %s MB," \
        " %s at %s MB).\n\n", shards, IDX,
        ratio(med(big, "single-j2", "size_bytes"), med(big, "corpus", "bytes")), big,
        ratio(med(small, "single-j2", "size_bytes"), med(small, "corpus", "bytes")), small
    print "Model: T(N) = a + b × (input per shard) + (N − 1) × fan-out + N × remote, for N"
    print "shards searched at once, each on its own core. Assumptions:\n"
    printf "- extrapolated: a shard's time stays linear in its input, and so in its postings" \
        " (the index is a fixed multiple of the input), from the %s and %s MB measurements to" \
        " shards thousands of times larger; the lists of common terms grow with the shard, so" \
        " this is the likeliest way for it to be wrong;\n", small, big
    print "- the shards' matching runs in parallel (one core a shard for the query in hand): one" \
        " query at a time, no queueing, the slowest shard as fast as the typical one;"
    print "- the fan-out and remote costs are paid one after another by the client, as if" \
        " nothing overlapped (conservative: Xapian sends to every remote shard before waiting)," \
        " and measured on loopback: a real network adds its round trips;"
    printf "- a machine serves at most %d shards (its cores) and keeps its shards' indexes in" \
        " %s GiB of page cache (of %s GiB of RAM), so no query reads the disk;\n", cores,
        cache_gib, ram_gib
    print "- p95 of the whole is taken as the model at p95 of each part, which ignores how the" \
        " slowest of N shards exceeds one shard's p95.\n"
    for (n = 1; n <= 100000; n++) {
        t = model(n)
        if (!found && t <= target_ms && machines(n)) {
            found = n
            ok = t
        }
        if (bestt == "" || t < bestt) {
            bestt = t
            best = n
        }
    }
    print "| shards | input per shard GB | index per shard GB | p50 ms | p95 ms | machines |"
    print "|---:|---:|---:|---:|---:|---:|"
    for (n = 1; n <= 65536; n *= 4)
        list[++i] = n
    if (found)
        list[++i] = found
    list[++i] = best
    sortn(list, i)
    for (k = 1; k <= i; k++) {
        n = list[k]
        if (k > 1 && n == list[k - 1])
            continue
        printf "| %d | %.3g | %.3g | %.1f | %.1f | %s |\n", n, C / n / 1000, C * IDX / n / 1000,
            p50["A"] + p50["B"] * C / n + (n - 1) * p50["FAN"] + n * p50["REM"], model(n),
            machines(n) ? machines(n) : "- (a shard exceeds the cache)"
    }
    print ""
    if (found) {
        m = machines(found)
        printf "Estimate: %d shards of %.3g GB of input (%.3g GB of index each) answer in %.0f ms" \
            " at p95 on %d machines (%.0f GB of index in all, at most %d shards a machine).",
            found, C / found / 1000, C * IDX / found / 1000, ok, m, C * IDX / 1000, ceil(found / m)
    } else {
        printf "Estimate: no number of shards meets %s ms at p95 in this model: the fan-out and" \
            " remote costs grow faster than the shards' time falls. The fastest is %d shards," \
            " %.0f ms at p95, on %s machines; below that needs less per-shard cost (fewer," \
            " larger requests, or a tree of merging nodes), which the model does not cover.",
            target_ms, best, bestt, machines(best) ? machines(best) : "(no machine's cache holds a shard)"
    }
    if (found)
        printf " The fastest in the model: %d shards, %.0f ms.", best, bestt
    if (mbps("sharded-j2") != "")
        printf " Indexing, at this machine's %.2f MB/s (-j 2, %d shards) and linear in the" \
            " input: %.0f hours on one such machine, shards being built independently.",
            mbps("sharded-j2"), shards, C / mbps("sharded-j2") / 3600
    print "\n"
}

END {
    indexing()
    queries()
    estimate()
}
