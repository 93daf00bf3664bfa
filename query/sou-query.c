/*
 * sou-query - searches a Sou index from the shell.
 *
 * Usage, options and exit codes are in usage() below and in the README.
 * The search itself (parsing, BM25, snippets, JSON) is libsou's search.h,
 * shared with sou.cgi.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "sou/search.h"

enum exit_code {
    EXIT_FOUND = 0, /* at least one result */
    EXIT_NONE = 1,  /* the search ran and found nothing */
    EXIT_USAGE = 2, /* bad command line or query syntax */
    EXIT_INDEX = 3  /* the index is missing, unreadable or incompatible; or
                     * the search cannot run (ICU cannot be loaded) */
};

#define DEFAULT_DB "sou.db"

enum long_only_option {
    OPT_OFFSET = 256,
    OPT_JSON,
    OPT_EXPLAIN,
    OPT_NO_EXPAND,
    OPT_FACETS,
    OPT_ALLOW_PARTIAL
};
#define MAX_RESULTS 10000

static void usage(FILE *out)
{
    fprintf(out,
            "usage: sou-query [-d DB]... [-n N] [--offset K] [--json] [--explain]\n"
            "                 [--facets] [--no-expand] [--allow-partial] QUERY...\n"
            "\n"
            "Searches the index DB and prints results ranked by BM25.\n"
            "\n"
            "  -d, --db DB       index directory (default: $SOU_DB or " DEFAULT_DB "), a\n"
            "                    stub file listing shards, or remote:HOST:PORT; given\n"
            "                    more than once, the databases are searched as one\n"
            "      --allow-partial  leave out shards that fail, with a warning\n"
            "  -n, --limit N     results to show (default 10, at most %d)\n"
            "      --offset K    skip the first K results\n"
            "      --json        print one JSON object\n"
            "      --explain     show the query's words and the Xapian query\n"
            "      --facets      count the results by type, city and month\n"
            "      --no-expand   do not expand acronyms and names\n"
            "  -h, --help        show this help\n"
            "\n"
            "Query language: words (all must match), \"a phrase\", -excluded,\n"
            "a OR b, type:T, lang:L, id:ID, city:C, priority:P, acronym:A, forum:F,\n"
            "date:2026-05..2026-09. Acronyms and names expand to their other names.\n"
            "\n"
            "Exit status: 0 results found; 1 no results; 2 usage or query syntax\n"
            "error; 3 index missing or unusable, or ICU's library cannot be loaded.\n",
            MAX_RESULTS);
}

#define MAX_DBS 64

struct options {
    const char *db[MAX_DBS];
    size_t ndb;
    sou_open_opts open;
    sou_search_opts search;
    int json;
    int explain;
    char *query; /* the QUERY arguments joined by spaces (owned) */
};

static int parse_count(const char *arg, const char *name, uint32_t max, uint32_t *out)
{
    char *end = NULL;
    long v = strtol(arg, &end, 10);
    if (*arg == '\0' || *end != '\0' || v < 0 || (unsigned long)v > max) {
        fprintf(stderr, "sou-query: %s must be a number from 0 to %u, not \"%s\"\n", name, max,
                arg);
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

static char *join_args(char **args, int n)
{
    size_t len = 1;
    for (int i = 0; i < n; i++)
        len += strlen(args[i]) + 1;
    char *q = malloc(len);
    if (!q)
        return NULL;
    q[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(q, " ");
        strcat(q, args[i]);
    }
    return q;
}

static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                         {"limit", required_argument, NULL, 'n'},
                                         {"offset", required_argument, NULL, OPT_OFFSET},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {"explain", no_argument, NULL, OPT_EXPLAIN},
                                         {"facets", no_argument, NULL, OPT_FACETS},
                                         {"no-expand", no_argument, NULL, OPT_NO_EXPAND},
                                         {"allow-partial", no_argument, NULL, OPT_ALLOW_PARTIAL},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};

/* 1 if arg is one of our options; *takes_value when its value is the next
 * argument. Short options take no attached value (-dDB), since "-dog" is
 * the query word "dog" excluded. */
static int is_option(const char *arg, int *takes_value)
{
    *takes_value = 0;
    if (strcmp(arg, "-d") == 0 || strcmp(arg, "-n") == 0) {
        *takes_value = 1;
        return 1;
    }
    if (strcmp(arg, "-h") == 0)
        return 1;
    if (strncmp(arg, "--", 2) != 0)
        return 0;
    for (const struct option *o = longopts; o->name; o++) {
        size_t n = strlen(o->name);
        if (strncmp(arg + 2, o->name, n) != 0)
            continue;
        if (arg[2 + n] == '\0') {
            *takes_value = o->has_arg == required_argument;
            return 1;
        }
        if (arg[2 + n] == '=' && o->has_arg == required_argument)
            return 1;
    }
    return 0;
}

/* Splits argv into our options and the query: "-word" excludes a word in
 * the query language, so anything that is not one of our options (or
 * follows "--") belongs to the query rather than being an unknown option. */
static int split_args(int argc, char **argv, char **opts, int *nopts, char **words, int *nwords)
{
    *nopts = *nwords = 0;
    opts[(*nopts)++] = argv[0];
    for (int i = 1; i < argc; i++) {
        int takes_value = 0;
        if (strcmp(argv[i], "--") == 0) {
            while (++i < argc)
                words[(*nwords)++] = argv[i];
            break;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0' && is_option(argv[i], &takes_value)) {
            opts[(*nopts)++] = argv[i];
            if (takes_value) {
                if (++i == argc) {
                    fprintf(stderr, "sou-query: %s needs a value\n", argv[i - 1]);
                    return -1;
                }
                opts[(*nopts)++] = argv[i];
            }
        } else if (argv[i][0] == '-' && argv[i][1] == '-' && argv[i][2] != '\0') {
            fprintf(stderr, "sou-query: unknown option %s\n", argv[i]);
            return -1;
        } else {
            words[(*nwords)++] = argv[i];
        }
    }
    opts[*nopts] = NULL;
    return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
    const char *env = getenv("SOU_DB");
    const char *db = env && *env ? env : DEFAULT_DB;
    sou_search_opts_init(&o->search);
    char **opts = calloc((size_t)argc + 1, sizeof *opts);
    char **words = calloc((size_t)argc + 1, sizeof *words);
    int nopts = 0, nwords = 0, rc = -1;
    if (!opts || !words) {
        fprintf(stderr, "sou-query: out of memory\n");
        goto done;
    }
    if (split_args(argc, argv, opts, &nopts, words, &nwords) != 0) {
        usage(stderr);
        goto done;
    }
    int c;
    while ((c = getopt_long(nopts, opts, "d:n:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (o->ndb == MAX_DBS) {
                fprintf(stderr, "sou-query: at most %d -d options\n", MAX_DBS);
                goto done;
            }
            o->db[o->ndb++] = optarg;
            break;
        case OPT_ALLOW_PARTIAL:
            o->open.allow_partial = 1;
            break;
        case 'n':
            if (parse_count(optarg, "-n", MAX_RESULTS, &o->search.limit) != 0)
                goto done;
            break;
        case OPT_OFFSET:
            if (parse_count(optarg, "--offset", UINT32_MAX - MAX_RESULTS, &o->search.offset) != 0)
                goto done;
            break;
        case OPT_JSON:
            o->json = 1;
            break;
        case OPT_EXPLAIN:
            o->explain = 1;
            break;
        case OPT_FACETS:
            o->search.flags |= SOU_SEARCH_FACETS;
            break;
        case OPT_NO_EXPAND:
            o->search.flags |= SOU_SEARCH_NO_EXPAND;
            break;
        case 'h':
            usage(stdout);
            exit(EXIT_FOUND);
        default:
            usage(stderr);
            goto done;
        }
    }
    if (o->ndb == 0)
        o->db[o->ndb++] = db;
    if (nwords == 0) {
        fprintf(stderr, "sou-query: no QUERY given\n");
        usage(stderr);
        goto done;
    }
    o->query = join_args(words, nwords);
    if (!o->query) {
        fprintf(stderr, "sou-query: out of memory\n");
        goto done;
    }
    rc = 0;
done:
    free(opts);
    free(words);
    return rc;
}

/* Prints the snippet with its matches in bold on a terminal, plain
 * otherwise. */
static void print_snippet(const sou_snippet *sn, int bold)
{
    size_t at = 0;
    fputs("   ", stdout);
    if (sn->cut_before)
        fputs("…", stdout);
    for (size_t i = 0; i < sn->nspans; i++) {
        fwrite(sn->text + at, 1, sn->spans[i].start - at, stdout);
        if (bold)
            fputs("\033[1m", stdout);
        fwrite(sn->text + sn->spans[i].start, 1, sn->spans[i].end - sn->spans[i].start, stdout);
        if (bold)
            fputs("\033[0m", stdout);
        at = sn->spans[i].end;
    }
    fwrite(sn->text + at, 1, sn->len - at, stdout);
    if (sn->cut_after)
        fputs("…", stdout);
    fputc('\n', stdout);
}

static const char *field(json_t *obj, const char *name)
{
    json_t *v = json_object_get(obj, name);
    return json_is_string(v) ? json_string_value(v) : "";
}

/* "CTI → 貿易暨投資委員會 · Committee on Trade and Investment", one line
 * per expanded name, each sense on its own line when there are several. */
static void print_expansions(const sou_parsed_query *pq)
{
    for (size_t i = 0; i < pq->nexpansions; i++) {
        const sou_expansion *e = &pq->expansions[i];
        for (size_t k = 0; k < e->senses.n; k++) {
            const sou_sense *s = &e->senses.v[k];
            const char *names[3] = {s->acronym, s->zh, s->en};
            printf("%s %s", k == 0 ? e->from : "", k == 0 ? "→" : "  →" + 0);
            int first = 1;
            for (int n = 0; n < 3; n++)
                if (names[n] && strcmp(names[n], e->from) != 0) {
                    printf("%s%s", first ? " " : " · ", names[n]);
                    first = 0;
                }
            if (e->senses.n > 1)
                printf("  (%u document%s)", (unsigned)s->docs, s->docs == 1 ? "" : "s");
            putchar('\n');
        }
    }
    if (pq->nexpansions > 0)
        putchar('\n');
}

static void print_facets(const sou_results *r)
{
    if (r->nfacets > 0 && !sou_results_facets_exact(r))
        printf("(counts of the first %u matches: the time limit stopped the counting)\n",
               (unsigned)r->counted);
    for (size_t i = 0; i < r->nfacets; i++) {
        const sou_facet *f = &r->facets[i];
        printf("%s:", f->name);
        for (size_t k = 0; k < f->n; k++)
            printf("%s %s (%u)", k ? " ·" : "", f->v[k].value, (unsigned)f->v[k].count);
        printf("%s\n", f->n ? "" : " -");
    }
    if (r->nfacets > 0)
        putchar('\n');
}

static void print_text(const struct options *o, const sou_results *r)
{
    int bold = isatty(STDOUT_FILENO);
    if (o->explain) {
        printf("tokens:");
        for (size_t i = 0; i < r->pq.tokens.n; i++)
            printf(" %s", r->pq.tokens.items[i]);
        printf("\nxapian: %s\n\n", r->description);
    }
    print_expansions(&r->pq);
    print_facets(r);
    for (size_t i = 0; i < r->n; i++) {
        const sou_result *res = &r->v[i];
        json_t *f = sou_result_fields(res);
        const char *date = field(f, "date");
        printf("%u. %s%s%s\n   id: %s%s%s  score: %.3f\n", res->rank, bold ? "\033[1m" : "",
               field(f, "title"), bold ? "\033[0m" : "", field(f, "id"), *date ? "  date: " : "",
               date, res->score);
        if (res->snippet.len > 0)
            print_snippet(&res->snippet, bold);
        putchar('\n');
        json_decref(f);
    }
    if (r->estimated == 0)
        printf("No results for \"%s\".\n", o->query);
    else if (r->n == 0)
        printf("Matches: about %u; none shown from result %u on.\n", r->estimated,
               o->search.offset + 1);
    else
        printf("Results %u-%zu of about %u (%.1f ms)\n", r->v[0].rank,
               (size_t)r->v[0].rank + r->n - 1, r->estimated, r->seconds * 1000.0);
}

static int exit_for(int code)
{
    switch (code) {
    case SOU_ERR_QUERY_SYNTAX:
    case SOU_ERR_EMPTY_QUERY:
    case SOU_ERR_UTF8:
    case SOU_ERR_INVALID_ARG:
        return EXIT_USAGE;
    default:
        return EXIT_INDEX;
    }
}

int main(int argc, char **argv)
{
    struct options o = {0};
    if (parse_options(argc, argv, &o) != 0)
        return EXIT_USAGE;
    sou_error err;
    sou_error_clear(&err);
    sou_searcher *s = NULL;
    sou_results r;
    memset(&r, 0, sizeof r);
    int status = EXIT_FOUND;
    int rc = sou_searcher_open_many(o.db, o.ndb, &o.open, &s, &err);
    if (rc == SOU_OK)
        rc = sou_search(s, o.query, strlen(o.query), &o.search, &r, &err);
    for (size_t i = 0; rc == SOU_OK && i < r.warnings.n; i++)
        fprintf(stderr, "sou-query: warning: partial results; left out %s\n", r.warnings.items[i]);
    if (rc != SOU_OK) {
        fprintf(stderr, "sou-query: %s\n", err.msg);
        status = exit_for(rc);
    } else if (o.json) {
        char *text = sou_results_json(&r, o.query, strlen(o.query), o.search.offset, 1);
        if (text) {
            puts(text);
            free(text);
        } else {
            fprintf(stderr, "sou-query: out of memory\n");
            status = EXIT_INDEX;
        }
    } else {
        print_text(&o, &r);
    }
    if (rc == SOU_OK && r.estimated == 0 && status == EXIT_FOUND)
        status = EXIT_NONE;
    sou_results_release(&r);
    sou_searcher_free(s);
    free(o.query);
    return status;
}
