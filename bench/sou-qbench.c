/*
 * sou-qbench.c - Sou's in-process query speed for the performance
 * benchmark: opens the index once, runs every query of a queries.tsv
 * ("kind<TAB>query") --rounds times, the first round a warm-up, with the
 * default search options (limit 10, 160-character snippets, acronym and
 * name expansion), and prints latency percentiles, queries/s and zero hits
 * in the same block as fts5-bench query (qbench.h).
 *
 * The query text goes to sou_search as typed: its words are AND-ed, as
 * fts5-bench's quoted strings are. A query with nothing searchable
 * (SOU_ERR_EMPTY_QUERY) is a zero hit, as a too-short word is for FTS5;
 * any other error is counted under errors (and as a zero hit) and reported
 * once. The time of a query covers sou_search and sou_results_release.
 *
 * Usage: sou-qbench DB QUERIES.tsv [--rounds R] [--no-snippets]
 * Exit status: 0 done, 1 failed (no index, unreadable queries), 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sou/search.h"

#include "qbench.h"

static const char usage_text[] = "usage: sou-qbench DB QUERIES.tsv [--rounds R] [--no-snippets]\n";

struct qrun {
    sou_searcher *s;
    sou_search_opts o;
};

/* Runs q (qb_run's callback); returns the results on the page, or -1 on
 * an error (reported when report is set). */
static int run_query(void *ctx, const char *q, int report)
{
    struct qrun *sr = ctx;
    sou_results r;
    memset(&r, 0, sizeof r); /* released whatever sou_search returns */
    sou_error err;
    int rc = sou_search(sr->s, q, strlen(q), &sr->o, &r, &err);
    int hits = rc == SOU_OK ? (int)r.n : rc == SOU_ERR_EMPTY_QUERY ? 0 : -1;
    sou_results_release(&r);
    if (hits < 0 && report)
        fprintf(stderr, "sou-qbench: [%s]: %s\n", q, err.msg);
    return hits;
}

int main(int argc, char **argv)
{
    const char *pos[2];
    int npos = 0, snippets = 1;
    long rounds = 3;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--no-snippets") == 0)
            snippets = 0;
        else if (npos < 2 && strncmp(argv[i], "--", 2) != 0)
            pos[npos++] = argv[i];
        else
            npos = 3;
    }
    /* Round 1 is the warm-up: at least one more is measured. */
    if (npos != 2 || rounds < 2 || rounds > 1000) {
        fputs(usage_text, stderr);
        return 2;
    }

    struct queries qs = {0};
    struct qrun sr = {0};
    sou_error err;
    int rc = 1;
    if (queries_read(pos[1], &qs))
        goto out;
    if (sou_searcher_open(pos[0], &sr.s, &err) != SOU_OK) {
        fprintf(stderr, "sou-qbench: %s\n", err.msg);
        goto out;
    }
    sou_search_opts_init(&sr.o);
    if (!snippets)
        sr.o.snippet_chars = 0;
    if (qb_run(&qs, (int)rounds, run_query, &sr) == 0)
        rc = 0;
out:
    sou_searcher_free(sr.s);
    queries_free(&qs);
    return rc;
}
