/*
 * sou-index - builds a Sou index from files and directories.
 *
 * Usage, options and exit codes are in usage() below and in the README.
 * A build goes into a new generation of the index directory and is swapped
 * in only when complete (dbdir.h): a failed or killed run leaves the
 * previous index searchable.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sou/analyze.h"
#include "sou/corpus.h"
#include "sou/dbdir.h"
#include "sou/docbuild.h"
#include "sou/layout.h"
#include "sou/xapian.h"

#include "names.h"
#include "progress.h"
#include "tokenize.h"

enum exit_code {
    EXIT_OK = 0,      /* every document indexed */
    EXIT_SKIPPED = 1, /* index written, but some documents were skipped */
    EXIT_USAGE = 2,   /* bad command line */
    EXIT_FAILED = 3   /* nothing written: the previous index is unchanged */
};

#define DEFAULT_DB "sou.db"
/* Committing every few thousand documents keeps Xapian's memory bounded
 * and is faster than one huge batch (see MEASURED.md). */
#define COMMIT_EVERY 2000

static void usage(FILE *out)
{
    fprintf(out, "usage: sou-index [-o DB] [-q | -v] [--glossary FILE]... [--analysis MODE]\n"
                 "                 [--lexicon FILE] PATH...\n"
                 "       sou-index [--analysis MODE] [--lexicon FILE] --tokenize < TEXT\n"
                 "       sou-index --acronyms DB\n"
                 "\n"
                 "Indexes JSON Lines (*.jsonl), text (*.txt) and Markdown (*.md) files,\n"
                 "and directories of them, into the index directory DB.\n"
                 "\n"
                 "  -o, --output DB   index directory (default: $SOU_DB or " DEFAULT_DB ")\n"
                 "  -q, --quiet       print errors only\n"
                 "  -v, --verbose     name each file and document as it is indexed\n"
                 "  -g, --glossary FILE  add the acronyms and names of a glossary file\n"
                 "                    (PATH/glossary.tsv is read for every directory PATH)\n"
                 "      --analysis MODE  how Chinese is cut into terms: words+grams (the\n"
                 "                    default: lexicon words, plus their characters and\n"
                 "                    character pairs), words, icu (ICU's words alone) or\n"
                 "                    bigrams; sou-query follows the index's mode\n"
                 "      --lexicon FILE  a user lexicon: one word a line, optionally with a\n"
                 "                    frequency; kept in the index for its queries\n"
                 "      --tokenize    segment stdin line by line, as the index does\n"
                 "      --acronyms DB list the glossary stored in index DB (given and\n"
                 "                    mined from the documents)\n"
                 "  -h, --help        show this help\n"
                 "\n"
                 "Exit status: 0 all indexed; 1 index written but documents skipped;\n"
                 "2 usage error; 3 failed, previous index unchanged.\n");
}

struct options {
    const char *db;
    int quiet;
    int verbose;
    int tokenize;
    const char *acronyms; /* --acronyms DB */
    sou_analysis_opts analysis;
    const char *lexicon; /* --lexicon FILE */
    char *lexicon_text;  /* its contents (owned) */
    char **glossaries;   /* --glossary FILE, in order (owned array) */
    size_t nglossaries;
    char **paths;
    size_t npaths;
};

static int parse_options(int argc, char **argv, struct options *o)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},   {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},        {"tokenize", no_argument, NULL, 'T'},
        {"glossary", required_argument, NULL, 'g'}, {"acronyms", required_argument, NULL, 'A'},
        {"analysis", required_argument, NULL, 'M'}, {"lexicon", required_argument, NULL, 'L'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    o->glossaries = calloc((size_t)argc, sizeof *o->glossaries);
    if (!o->glossaries) {
        fprintf(stderr, "sou-index: out of memory\n");
        return -1;
    }
    const char *env = getenv("SOU_DB");
    o->db = env && *env ? env : DEFAULT_DB;
    int c;
    while ((c = getopt_long(argc, argv, "o:qvg:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            o->db = optarg;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case 'v':
            o->verbose = 1;
            break;
        case 'T':
            o->tokenize = 1;
            break;
        case 'g':
            o->glossaries[o->nglossaries++] = optarg;
            break;
        case 'A':
            o->acronyms = optarg;
            break;
        case 'M':
            if (sou_analysis_mode_parse(optarg, &o->analysis) != 0) {
                fprintf(stderr,
                        "sou-index: --analysis: unknown mode '%s' (words+grams, words, icu or "
                        "bigrams)\n",
                        optarg);
                return -1;
            }
            break;
        case 'L':
            o->lexicon = optarg;
            break;
        case 'h':
            usage(stdout);
            exit(EXIT_OK);
        default:
            usage(stderr);
            return -1;
        }
    }
    o->paths = argv + optind;
    o->npaths = (size_t)(argc - optind);
    if (o->acronyms) {
        if (o->npaths > 0 || o->tokenize) {
            fprintf(stderr, "sou-index: --acronyms DB takes no PATH\n");
            return -1;
        }
        return 0;
    }
    if (!o->tokenize && o->npaths == 0) {
        fprintf(stderr, "sou-index: no PATH to index\n");
        usage(stderr);
        return -1;
    }
    if (o->tokenize && o->npaths > 0) {
        fprintf(stderr, "sou-index: --tokenize reads stdin and takes no PATH\n");
        return -1;
    }
    return 0;
}

/* Largest user lexicon read, a guard against a wrong file name. */
#define LEXICON_MAX (64u << 20)

/* Reads --lexicon FILE into o->analysis; the analyzer checks its lines. */
static int read_lexicon(struct options *o)
{
    if (!o->lexicon)
        return 0;
    FILE *f = fopen(o->lexicon, "rb");
    if (!f) {
        fprintf(stderr, "sou-index: --lexicon %s: %s\n", o->lexicon, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            char *p = cap < LEXICON_MAX ? realloc(buf, cap * 2) : NULL;
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap *= 2;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        fprintf(stderr, "sou-index: --lexicon %s: %s\n", o->lexicon,
                bad ? "read error" : "too large or out of memory");
        free(buf);
        return -1;
    }
    o->lexicon_text = buf;
    o->analysis.user_lexicon = buf;
    o->analysis.user_lexicon_len = len;
    o->analysis.user_lexicon_name = o->lexicon;
    return 0;
}

struct run {
    const struct options *opt;
    struct names_build names;
    sou_analyzer *analyzer;
    sou_corpus *corpus;
    sou_wdb *wdb;
    unsigned long indexed;
    unsigned long skipped;
    struct progress progress;
};

static void report_skip(struct run *r, const sou_error *err)
{
    r->skipped++;
    progress_clear(&r->progress);
    fprintf(stderr, "sou-index: %s; skipped\n", err->msg);
}

static int index_one(struct run *r, sou_document *d, sou_error *err)
{
    char id_term[SOU_ID_MAX + 2];
    sou_doc *doc = NULL;
    int rc = sou_doc_build(r->analyzer, d, &doc, id_term, err);
    if (rc == SOU_OK)
        rc = sou_wdb_replace_document(r->wdb, id_term, strlen(id_term), doc, NULL, err);
    sou_doc_free(doc);
    return rc;
}

/* Prefixes err's message with the document's file and line. */
static void locate(sou_error *err, const sou_document *d)
{
    char msg[SOU_ERROR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", err->msg);
    if (d->line)
        sou_error_set(err, err->code, "%s:%lu: %s", d->source, d->line, msg);
    else
        sou_error_set(err, err->code, "%s: %s", d->source, msg);
}

/* Errors that concern one document skip it; anything else (the database
 * failing) ends the build. */
static int is_document_error(int code)
{
    return code == SOU_ERR_DOC || code == SOU_ERR_UTF8 || code == SOU_ERR_JSON ||
           code == SOU_ERR_IO;
}

static int index_all(struct run *r, sou_error *err)
{
    for (;;) {
        sou_document *d = NULL;
        int got = sou_corpus_next(r->corpus, &d, err);
        if (got == 0)
            break;
        if (got < 0) {
            if (err->code == SOU_ERR_NOMEM)
                return err->code;
            report_skip(r, err);
            continue;
        }
        int rc = index_one(r, d, err);
        if (rc != SOU_OK) {
            locate(err, d);
            sou_document_free(d);
            if (!is_document_error(rc))
                return rc;
            report_skip(r, err);
            continue;
        }
        rc = names_mine(&r->names, d, err);
        if (rc != SOU_OK) {
            sou_document_free(d);
            return rc;
        }
        if (r->opt->verbose) {
            progress_clear(&r->progress);
            fprintf(stderr, "indexed %s\n", sou_document_get(d, "id", NULL));
        }
        sou_document_free(d);
        r->indexed++;
        if (r->indexed % COMMIT_EVERY == 0) {
            rc = sou_wdb_commit(r->wdb, err);
            if (rc != SOU_OK)
                return rc;
        }
        progress_update(&r->progress, r->indexed, sou_corpus_bytes_read(r->corpus),
                        sou_corpus_total_bytes(r->corpus));
    }
    return SOU_OK;
}

static int record_settings(struct run *r, sou_error *err)
{
    char *settings = sou_analysis_settings(r->analyzer);
    if (!settings)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    int rc = sou_wdb_set_metadata(r->wdb, SOU_META_ANALYSIS, settings, strlen(settings), err);
    free(settings);
    const sou_analysis_opts *a = &r->opt->analysis;
    if (rc == SOU_OK && a->user_lexicon && a->user_lexicon_len > 0)
        rc = sou_wdb_set_metadata(r->wdb, SOU_META_USER_LEXICON, a->user_lexicon,
                                  a->user_lexicon_len, err);
    return rc;
}

static int build(const struct options *opt)
{
    struct run r = {.opt = opt};
    sou_error err;
    sou_error_clear(&err);
    sou_dbdir *dir = NULL;
    const char *gen = NULL;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    progress_init(&r.progress, !opt->quiet && !opt->verbose && isatty(STDERR_FILENO));

    int rc = sou_analyzer_open(&r.analyzer, &opt->analysis, &err);
    if (rc == SOU_OK)
        rc = names_load(&r.names, opt->glossaries, opt->nglossaries, opt->paths, opt->npaths, &err);
    if (rc == SOU_OK)
        rc = sou_corpus_open((const char *const *)opt->paths, opt->npaths, &r.corpus, &err);
    if (rc == SOU_OK)
        rc = sou_dbdir_lock(opt->db, &dir, &err);
    if (rc == SOU_OK)
        rc = sou_dbdir_new_generation(dir, &gen, &err);
    if (rc == SOU_OK)
        rc = sou_wdb_open(gen, SOU_WDB_CREATE_OR_OVERWRITE, &r.wdb, &err);
    if (rc == SOU_OK)
        rc = index_all(&r, &err);
    progress_clear(&r.progress);
    if (rc == SOU_OK && r.indexed == 0)
        rc = sou_error_set(&err, SOU_ERR_DOC, "no document could be indexed");
    uint32_t in_index = 0;
    if (rc == SOU_OK)
        rc = sou_wdb_doc_count(r.wdb, &in_index, &err);
    if (rc == SOU_OK)
        rc = record_settings(&r, &err);
    if (rc == SOU_OK)
        rc = sou_wdb_close(r.wdb, &err);
    sou_wdb_free(r.wdb);
    if (rc == SOU_OK)
        rc = names_store(&r.names, r.analyzer, gen, &err);
    if (rc == SOU_OK)
        rc = sou_dbdir_publish(dir, &err);
    if (rc != SOU_OK && dir)
        sou_dbdir_discard(dir);

    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    double mb = r.corpus ? (double)sou_corpus_bytes_read(r.corpus) / 1e6 : 0;
    int status;
    if (rc != SOU_OK) {
        fprintf(stderr, "sou-index: %s\n", err.msg);
        fprintf(stderr, "sou-index: failed; %s is unchanged\n", opt->db);
        status = EXIT_FAILED;
    } else {
        /* Documents sharing an id replace each other: say so when the
         * index holds fewer than were read. */
        char replaced[64] = "";
        if (in_index < r.indexed)
            snprintf(replaced, sizeof replaced, " (%u after replacing repeated ids)",
                     (unsigned)in_index);
        if (!opt->quiet || r.skipped)
            fprintf(stderr,
                    "sou-index: %lu documents indexed%s, %lu skipped, %.2f MB in %.2f s -> %s\n",
                    r.indexed, replaced, r.skipped, mb, secs, opt->db);
        status = r.skipped ? EXIT_SKIPPED : EXIT_OK;
    }
    if (rc == SOU_OK && opt->verbose)
        fprintf(stderr,
                "sou-index: glossary: %zu senses from %zu files (%zu lines skipped), "
                "%zu definitions found in the documents\n",
                r.names.glossary.n, r.names.files, r.names.skipped, r.names.mined);
    if (rc == SOU_OK && r.names.skipped && status == EXIT_OK)
        status = EXIT_SKIPPED;
    names_release(&r.names);
    sou_dbdir_unlock(dir);
    sou_corpus_free(r.corpus);
    sou_analyzer_free(r.analyzer);
    return status;
}

int main(int argc, char **argv)
{
    struct options opt = {0};
    int status;
    if (parse_options(argc, argv, &opt) != 0)
        status = EXIT_USAGE;
    else if (read_lexicon(&opt) != 0)
        status = EXIT_FAILED;
    else if (opt.acronyms)
        status = names_list(opt.acronyms, stdout) == 0 ? EXIT_OK : EXIT_FAILED;
    else if (opt.tokenize)
        status = tokenize_stream(stdin, stdout, &opt.analysis) == 0 ? EXIT_OK : EXIT_FAILED;
    else
        status = build(&opt);
    free(opt.glossaries);
    free(opt.lexicon_text);
    return status;
}
