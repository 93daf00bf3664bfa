/*
 * qbench.h - what the in-process query benchmarks (sou-qbench, fts5-bench
 * query) share, so that their figures are measured and printed alike:
 * reading queries.tsv, the timed rounds and the statistics block.
 *
 * Static functions in a header, as seg_common.h: each benchmark stays one
 * object file (fts5-bench links SQLite, not libsou), and there is no
 * second copy to keep in step.
 *
 * The block: "NAME value" lines - queries, rounds, measured, p50/p95/p99 ms
 * (nearest rank, over every measured query), queries/s (measured queries
 * over the measured rounds' wall time), zero-hit rate, errors, then "zero
 * hits KIND z/n" per kind in order of first appearance.
 */
#ifndef SOU_BENCH_QBENCH_H
#define SOU_BENCH_QBENCH_H

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct query {
    char *kind, *text; /* owned, one allocation: kind\0text\0 */
    int hits;          /* results on the page in the last round; -1 error */
};

struct queries {
    struct query *v;
    size_t n;
};

static inline double qb_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static inline void queries_free(struct queries *qs)
{
    for (size_t i = 0; i < qs->n; i++)
        free(qs->v[i].kind);
    free(qs->v);
}

/* Reads "kind<TAB>query" lines; blank lines are skipped. No queries, or a
 * line without a tab, is an error (reported). */
static inline int queries_read(const char *path, struct queries *qs)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, alloc = 0, lineno = 0;
    ssize_t n;
    int rc = 0;
    while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0)
            continue;
        char *tab = strchr(line, '\t');
        if (!tab) {
            fprintf(stderr, "%s:%zu: no tab between kind and query\n", path, lineno);
            rc = -1;
            break;
        }
        *tab = '\0';
        if (qs->n == alloc) {
            alloc = alloc ? alloc * 2 : 256;
            struct query *v = realloc(qs->v, alloc * sizeof *v);
            if (!v) {
                rc = -1;
                break;
            }
            qs->v = v;
        }
        char *kind = malloc((size_t)n + 1);
        if (!kind) {
            rc = -1;
            break;
        }
        memcpy(kind, line, (size_t)n + 1);
        qs->v[qs->n++] = (struct query){kind, kind + (tab - line) + 1, 0};
    }
    free(line);
    fclose(f);
    if (rc == 0 && qs->n == 0) {
        fprintf(stderr, "%s: no queries\n", path);
        rc = -1;
    }
    return rc;
}

static inline int qb_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v[0..n). */
static inline double qb_percentile(const double *v, size_t n, double p)
{
    size_t k = (size_t)ceil(p * (double)n);
    return v[k > 0 ? k - 1 : 0];
}

/* Whether query i is the first of its kind. */
static inline int qb_first_of_kind(const struct queries *qs, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp(qs->v[j].kind, qs->v[i].kind) == 0)
            return 0;
    return 1;
}

/* Prints "LABEL KIND k/n" for each kind, in order of first appearance: k of
 * its n queries are those count() says yes to. */
static inline void qb_print_per_kind(const struct queries *qs, const char *label,
                                     int (*count)(const struct query *))
{
    for (size_t i = 0; i < qs->n; i++) {
        if (!qb_first_of_kind(qs, i))
            continue;
        size_t total = 0, k = 0;
        for (size_t j = i; j < qs->n; j++) {
            if (strcmp(qs->v[j].kind, qs->v[i].kind) == 0) {
                total++;
                k += count(&qs->v[j]) != 0;
            }
        }
        printf("%s %s %zu/%zu\n", label, qs->v[i].kind, k, total);
    }
}

static inline int qb_zero_hit(const struct query *q)
{
    return q->hits <= 0;
}

/* Prints "latency KIND p50 p99 ms" for each kind, in order of first
 * appearance, over its queries' measured rounds (by_query, m a query);
 * buf holds at least as many doubles as by_query. */
static inline void qb_print_latency_per_kind(const struct queries *qs, const double *by_query,
                                             size_t m, double *buf)
{
    for (size_t i = 0; i < qs->n; i++) {
        if (!qb_first_of_kind(qs, i))
            continue;
        size_t k = 0;
        for (size_t j = i; j < qs->n; j++)
            if (strcmp(qs->v[j].kind, qs->v[i].kind) == 0)
                for (size_t r = 0; r < m; r++)
                    buf[k++] = by_query[j * m + r];
        qsort(buf, k, sizeof *buf, qb_cmp_double);
        printf("latency %s %.3f %.3f ms\n", qs->v[i].kind, qb_percentile(buf, k, 0.50) * 1e3,
               qb_percentile(buf, k, 0.99) * 1e3);
    }
}

/* Prints "slowest MS KIND<TAB>QUERY" for the count queries with the
 * highest median over the measured rounds. */
static inline void qb_print_slowest(const struct queries *qs, const double *by_query, size_t m,
                                    size_t count)
{
    double *med = malloc(qs->n * sizeof *med), *buf = malloc(m * sizeof *buf);
    size_t *order = malloc(qs->n * sizeof *order);
    for (size_t i = 0; med && buf && order && i < qs->n; i++) {
        memcpy(buf, by_query + i * m, m * sizeof *buf);
        qsort(buf, m, sizeof *buf, qb_cmp_double);
        med[i] = qb_percentile(buf, m, 0.50);
        order[i] = i;
    }
    /* A selection of the few slowest: count is small. */
    for (size_t k = 0; med && buf && order && k < count && k < qs->n; k++) {
        size_t best = k;
        for (size_t i = k + 1; i < qs->n; i++)
            if (med[order[i]] > med[order[best]])
                best = i;
        size_t t = order[k];
        order[k] = order[best];
        order[best] = t;
        printf("slowest %.3f ms %s\t%s\n", med[order[k]] * 1e3, qs->v[order[k]].kind,
               qs->v[order[k]].text);
    }
    free(med);
    free(buf);
    free(order);
}

/* Runs every query rounds times (rounds >= 2; round 0, the warm-up, is not
 * measured), each timed around run(ctx, text, first_round), which returns
 * the results on the page or -1 on an error (worth reporting when
 * first_round is set); then prints the statistics block. Returns 0, or -1
 * if out of memory. */
static inline int qb_run(struct queries *qs, int rounds,
                         int (*run)(void *ctx, const char *text, int first_round), void *ctx)
{
    size_t m = (size_t)(rounds - 1), n = qs->n * m;
    /* by_query[i * m + r - 1]: query i in round r; lat: all, sorted */
    double *by_query = malloc(n * sizeof *by_query), *lat = malloc(n * sizeof *lat), wall = 0;
    if (!by_query || !lat) {
        free(by_query);
        free(lat);
        return -1;
    }
    for (int r = 0; r < rounds; r++) {
        double r0 = qb_now();
        for (size_t i = 0; i < qs->n; i++) {
            double t0 = qb_now();
            qs->v[i].hits = run(ctx, qs->v[i].text, r == 0);
            if (r > 0)
                by_query[i * m + (size_t)r - 1] = qb_now() - t0;
        }
        if (r > 0)
            wall += qb_now() - r0;
    }
    memcpy(lat, by_query, n * sizeof *lat);
    qsort(lat, n, sizeof *lat, qb_cmp_double);
    size_t zero = 0, errors = 0;
    for (size_t i = 0; i < qs->n; i++) {
        zero += qs->v[i].hits <= 0;
        errors += qs->v[i].hits < 0;
    }
    printf("queries %zu\nrounds %d\nmeasured %zu\n", qs->n, rounds, n);
    printf("p50 ms %.3f\np95 ms %.3f\np99 ms %.3f\n", qb_percentile(lat, n, 0.50) * 1e3,
           qb_percentile(lat, n, 0.95) * 1e3, qb_percentile(lat, n, 0.99) * 1e3);
    printf("queries/s %.1f\nzero-hit rate %.3f\nerrors %zu\n", (double)n / wall,
           (double)zero / (double)qs->n, errors);
    qb_print_per_kind(qs, "zero hits", qb_zero_hit);
    qb_print_latency_per_kind(qs, by_query, m, lat);
    qb_print_slowest(qs, by_query, m, 5);
    free(by_query);
    free(lat);
    return 0;
}

#endif
