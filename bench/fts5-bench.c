/*
 * fts5-bench.c - SQLite FTS5 (trigram tokenizer) as a peer for Sou's
 * performance benchmark, over the same docs.jsonl and queries.tsv.
 *
 * index: one FTS5 table (id UNINDEXED, title, body; tokenize='trigram') with
 *   SQLite's durable defaults (rollback journal, synchronous=FULL), loaded in
 *   one transaction: that is all-or-nothing like sou-index's generation
 *   swap, memory stays flat (FTS5 flushes its pending terms at its own
 *   threshold) and it was 1.2-1.6x faster than committing every 2000 documents
 *   (--batch N reproduces that). --optimize merges the segments afterwards
 *   (timed on its own line), as xapian-compact would for Xapian.
 * query: every query --rounds times in one process, the first round a
 *   warm-up; each word of the query is a quoted string, AND-ed ("w1" "w2"),
 *   ranked by bm25, LIMIT 10, fetching id and title (and with --snippets a
 *   snippet() of up to 32 tokens, to match sou-qbench's default). An SQLite
 *   error counts as a zero hit. A word of fewer than 3 characters has no
 *   trigram (see has_short_word): the share of such queries is printed
 *   after the common statistics, as their rows are not matches.
 * one: one query, the top 10 ids, for timing a process per query.
 *
 * The statistics block is sou-qbench's (qbench.h): "NAME value" lines,
 * latencies in ms over the measured rounds.
 *
 * Exit status: 0 done, 1 failed (SQLite error, unreadable input), 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "qbench.h"

static const char usage_text[] =
    "usage: fts5-bench index [--batch N] [--optimize] DB DOCS.jsonl   (N 0: one transaction)\n"
    "       fts5-bench query [--rounds R] [--snippets] DB QUERIES.tsv\n"
    "       fts5-bench one DB QUERY\n";

#define LIMIT 10

static int db_fail(sqlite3 *db, const char *what)
{
    fprintf(stderr, "fts5-bench: %s: %s\n", what, sqlite3_errmsg(db));
    return 1;
}

/* ---- index ------------------------------------------------------------- */

static int exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : db_fail(db, sql);
}

static const char *json_str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static int cmd_index(const char *path, const char *docs, long batch, int optimize)
{
    FILE *in = fopen(docs, "r");
    if (!in) {
        fprintf(stderr, "fts5-bench: %s: %s\n", docs, strerror(errno));
        return 1;
    }
    /* A fresh database, like sou-index -o NEW. */
    char side[4096];
    unlink(path);
    snprintf(side, sizeof side, "%s-journal", path);
    unlink(side);

    sqlite3 *db = NULL;
    sqlite3_stmt *ins = NULL;
    char *line = NULL;
    size_t cap = 0, bytes = 0;
    long docs_n = 0, lineno = 0;
    ssize_t n;
    int rc = 1;
    double t0 = qb_now();
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        db_fail(db, path);
        goto out;
    }
    if (exec(db, "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
                 "tokenize='trigram')") ||
        exec(db, "BEGIN"))
        goto out;
    if (sqlite3_prepare_v2(db, "INSERT INTO docs(id, title, body) VALUES (?1, ?2, ?3)", -1, &ins,
                           NULL) != SQLITE_OK) {
        db_fail(db, "prepare insert");
        goto out;
    }
    while ((n = getline(&line, &cap, in)) > 0) {
        lineno++;
        bytes += (size_t)n;
        json_error_t jerr;
        json_t *doc = json_loadb(line, (size_t)n, 0, &jerr);
        if (!json_is_object(doc)) {
            fprintf(stderr, "fts5-bench: %s:%ld: %s\n", docs, lineno, jerr.text);
            json_decref(doc);
            continue;
        }
        sqlite3_bind_text(ins, 1, json_str(doc, "id"), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 2, json_str(doc, "title"), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 3, json_str(doc, "body"), -1, SQLITE_TRANSIENT);
        int src = sqlite3_step(ins);
        sqlite3_reset(ins);
        json_decref(doc);
        if (src != SQLITE_DONE) {
            db_fail(db, "insert");
            goto out;
        }
        docs_n++;
        if (batch > 0 && docs_n % batch == 0 && (exec(db, "COMMIT") || exec(db, "BEGIN")))
            goto out;
    }
    if (exec(db, "COMMIT"))
        goto out;
    double t1 = qb_now();
    printf("documents %ld\nbytes %zu\nseconds %.2f\nMB/s %.2f\n", docs_n, bytes, t1 - t0,
           (double)bytes / 1e6 / (t1 - t0));
    if (optimize) {
        if (exec(db, "INSERT INTO docs(docs) VALUES ('optimize')"))
            goto out;
        printf("optimize seconds %.2f\n", qb_now() - t1);
    }
    rc = 0;
out:
    sqlite3_finalize(ins);
    if (sqlite3_close(db) != SQLITE_OK)
        rc = db_fail(db, "close");
    struct stat st;
    if (rc == 0 && stat(path, &st) == 0)
        printf("db bytes %lld\n", (long long)st.st_size);
    free(line);
    fclose(in);
    return rc;
}

/* ---- querying ------------------------------------------------------------ */

/* Each space-separated word as an FTS5 string ("" doubles a quote), so no
 * word is read as an operator; adjacent strings are AND-ed. Owned: free(). */
static char *match_expr(const char *q)
{
    char *e = malloc(strlen(q) * 3 + 3), *p = e;
    if (!e)
        return NULL;
    for (const char *s = q; *s;) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        if (p != e)
            *p++ = ' ';
        *p++ = '"';
        for (; *s && *s != ' '; s++) {
            if (*s == '"')
                *p++ = '"';
            *p++ = *s;
        }
        *p++ = '"';
    }
    *p = '\0';
    return e;
}

/* Runs q; returns the number of rows (print: prints their ids), or -1 on an
 * SQLite error. */
static int run_query(sqlite3_stmt *st, const char *q, int print)
{
    char *e = match_expr(q);
    if (!e)
        return -1;
    int rows = 0, src;
    sqlite3_bind_text(st, 1, e, -1, SQLITE_TRANSIENT);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        /* Fetch every column, as an application showing results would. */
        for (int c = 0; c < sqlite3_column_count(st); c++)
            (void)sqlite3_column_text(st, c);
        if (print)
            printf("%s\n", (const char *)sqlite3_column_text(st, 0));
        rows++;
    }
    sqlite3_reset(st);
    free(e);
    return src == SQLITE_DONE ? rows : -1;
}

static int open_query(const char *path, int snippets, sqlite3 **db, sqlite3_stmt **st)
{
    const char *sql = snippets ? "SELECT id, title, snippet(docs, -1, '[', ']', '…', 32) FROM "
                                 "docs WHERE docs MATCH ?1 ORDER BY rank LIMIT 10"
                               : "SELECT id, title FROM docs WHERE docs MATCH ?1 ORDER BY rank "
                                 "LIMIT 10";
    *st = NULL;
    if (sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return db_fail(*db, path);
    if (sqlite3_prepare_v2(*db, sql, -1, st, NULL) != SQLITE_OK)
        return db_fail(*db, "prepare query");
    return 0;
}

/* Whether q has a word of fewer than 3 characters (code points). SQLite
 * 3.40's trigram tokenizer makes no trigram of it: alone it matches
 * nothing, but AND-ed with a longer word it is dropped, so "湊到 DESG"
 * returns every DESG document. Such results are rows, not matches. */
static int has_short_word(const char *q)
{
    int chars = 0;
    for (const char *s = q;; s++) {
        if (*s == ' ' || *s == '\0') {
            if (chars > 0 && chars < 3)
                return 1;
            chars = 0;
            if (!*s)
                return 0;
        } else if ((*s & 0xC0) != 0x80) {
            chars++;
        }
    }
}

static int query_has_short_word(const struct query *q)
{
    return has_short_word(q->text);
}

/* The share of queries with a short word, in all and per kind. */
static void print_short_words(const struct queries *qs)
{
    size_t n = 0;
    for (size_t i = 0; i < qs->n; i++)
        n += has_short_word(qs->v[i].text);
    printf("short-word rate %.3f\n", (double)n / (double)qs->n);
    qb_print_per_kind(qs, "short words", query_has_short_word);
}

struct qrun {
    sqlite3 *db;
    sqlite3_stmt *st;
};

/* qb_run's callback: run_query, an error reported in the first round. */
static int run_timed(void *ctx, const char *q, int report)
{
    struct qrun *r = ctx;
    int hits = run_query(r->st, q, 0);
    if (hits < 0 && report)
        fprintf(stderr, "fts5-bench: [%s]: %s\n", q, sqlite3_errmsg(r->db));
    return hits;
}

static int cmd_query(const char *path, const char *qpath, int rounds, int snippets)
{
    struct queries qs = {0};
    struct qrun r = {0};
    int rc = 1;
    if (queries_read(qpath, &qs) || open_query(path, snippets, &r.db, &r.st))
        goto out;
    if (qb_run(&qs, rounds, run_timed, &r) != 0)
        goto out;
    print_short_words(&qs);
    rc = 0;
out:
    sqlite3_finalize(r.st);
    sqlite3_close(r.db);
    queries_free(&qs);
    return rc;
}

static int cmd_one(const char *path, const char *q)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = open_query(path, 0, &db, &st);
    if (rc == 0 && run_query(st, q, 1) < 0)
        rc = db_fail(db, "query");
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

int main(int argc, char **argv)
{
    long batch = 0, rounds = 3;
    int optimize = 0, snippets = 0, npos = 0;
    const char *cmd = argc > 1 ? argv[1] : "", *pos[2];
    int index = strcmp(cmd, "index") == 0, query = strcmp(cmd, "query") == 0;
    /* Options anywhere after the command; "one" takes none (its query may
     * start with --). */
    for (int i = 2; i < argc; i++) {
        if (index && strcmp(argv[i], "--batch") == 0 && i + 1 < argc)
            batch = strtol(argv[++i], NULL, 10);
        else if (index && strcmp(argv[i], "--optimize") == 0)
            optimize = 1;
        else if (query && strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = strtol(argv[++i], NULL, 10);
        else if (query && strcmp(argv[i], "--snippets") == 0)
            snippets = 1;
        else if (npos < 2 && (!(index || query) || strncmp(argv[i], "--", 2) != 0))
            pos[npos++] = argv[i];
        else
            npos = 3;
    }
    if (index && npos == 2 && batch >= 0)
        return cmd_index(pos[0], pos[1], batch, optimize);
    /* Round 1 is the warm-up: at least one more is measured. */
    if (query && npos == 2 && rounds >= 2 && rounds <= 1000)
        return cmd_query(pos[0], pos[1], (int)rounds, snippets);
    if (strcmp(cmd, "one") == 0 && npos == 2)
        return cmd_one(pos[0], pos[1]);
    fputs(usage_text, stderr);
    return 2;
}
