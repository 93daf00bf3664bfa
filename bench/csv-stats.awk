# csv-stats.awk - loads a benchmark CSV (size_mb,round,tool,metric,value)
# and gives its reports medians and percentiles over the rounds. The
# first file of `awk -f csv-stats.awk -f REPORT.awk`; the report's END
# prints. cnt[s, t, m] counts the values of size s, tool t and metric m,
# val[s, t, m, i] and rnd[s, t, m, i] are the i-th value and its round.

function sortn(a, m,    i, j, x) {
    for (i = 2; i <= m; i++) {
        x = a[i]
        for (j = i - 1; j >= 1 && a[j] > x; j--)
            a[j + 1] = a[j]
        a[j + 1] = x
    }
}

function median(a, m) {
    sortn(a, m)
    return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
}

# The values of (s, t, m) in a[1..]; returns how many.
function vals(s, t, m, a,    k, i) {
    k = s SUBSEP t SUBSEP m
    for (i = 1; i <= cnt[k]; i++)
        a[i] = val[k, i] + 0
    return cnt[k] + 0
}

function med(s, t, m,    a, c) {
    c = vals(s, t, m, a)
    return c ? median(a, c) : ""
}

# Nearest-rank percentile, as qbench.h computes it.
function pct(s, t, m, p,    a, c, r) {
    c = vals(s, t, m, a)
    if (!c)
        return ""
    sortn(a, c)
    r = int(p * c)
    if (r < p * c)
        r++
    return a[r > 0 ? r : 1]
}

function fmt(f, x) {
    return x == "" ? "-" : sprintf(f, x)
}

# A ratio a/b, or "-".
function ratio(a, b) {
    return a == "" || b == "" || b == 0 ? "-" : sprintf("%.2f", a / b)
}

NR == 1 {
    next
}
{
    k = $1 SUBSEP $3 SUBSEP $4
    cnt[k]++
    val[k, cnt[k]] = $5
    rnd[k, cnt[k]] = $2
}
