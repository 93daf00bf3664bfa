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

#include "build.h"
#include "compact.h"
#include "names.h"
#include "options.h"
#include "shardset.h"
#include "supervise.h"
#include "tokenize.h"
#include "update.h"

#define DEFAULT_DB "sou.db"

static void usage(FILE *out)
{
    fprintf(out, "usage: sou-index [-o DB] [-q | -v] [-j N] [--shards N] [--glossary FILE]...\n"
                 "                 [--analysis MODE] [--lexicon FILE] PATH...\n"
                 "       sou-index [-q | -v] --update DB PATH...\n"
                 "       sou-index [-q | -v] --delete DB ID...\n"
                 "       sou-index [-q] --compact DB\n"
                 "       sou-index [--analysis MODE] [--lexicon FILE] --tokenize < TEXT\n"
                 "       sou-index --acronyms DB\n"
                 "\n"
                 "Indexes JSON Lines (*.jsonl), text (*.txt) and Markdown (*.md) files,\n"
                 "and directories of them, into the index directory DB: a full build,\n"
                 "swapped in when complete. --update adds the documents of PATH to an\n"
                 "existing index, replacing those with the same id, and --delete removes\n"
                 "the documents with those ids; each applies all its changes or none.\n"
                 "\n"
                 "  -o, --output DB   index directory (default: $SOU_DB or " DEFAULT_DB ")\n"
                 "  -q, --quiet       print errors only\n"
                 "  -v, --verbose     name each file and document as it is indexed\n"
                 "  -j, --jobs N      worker processes (default: one per processor)\n"
                 "      --shards N    split the index into N databases by a hash of the\n"
                 "                    id (default 1), for searching them on several\n"
                 "                    machines through xapian-tcpsrv\n"
                 "      --compact DB  merge the databases of DB into one, compacted\n"
                 "  -g, --glossary FILE  add the acronyms and names of a glossary file\n"
                 "                    (PATH/glossary.tsv is read for every directory PATH)\n"
                 "      --analysis MODE  how Chinese is cut into terms: words+grams (the\n"
                 "                    default: lexicon words, plus their characters and\n"
                 "                    character pairs), words, icu (ICU's words alone) or\n"
                 "                    bigrams; sou-query follows the index's mode\n"
                 "      --lexicon FILE  a user lexicon: one word a line, optionally with a\n"
                 "                    frequency; kept in the index for its queries\n"
                 "      --tokenize    segment stdin line by line, as the index does\n"
                 "      --update DB   add or replace documents in the index DB, analyzed\n"
                 "                    as DB was built (glossary files are read by full\n"
                 "                    builds only)\n"
                 "      --delete DB   delete the documents with the ids given from DB\n"
                 "      --acronyms DB list the glossary stored in index DB (given and\n"
                 "                    mined from the documents)\n"
                 "  -h, --help        show this help\n"
                 "\n"
                 "Exit status: 0 all indexed; 1 index written but documents skipped;\n"
                 "2 usage error; 3 failed, previous index unchanged.\n");
}

/* --update and --delete change an index as it was built: the options
 * that shape a build do not apply. */
static int check_change_options(const struct options *o)
{
    const char *mode = o->update ? "--update" : o->delete ? "--delete" : "--compact";
    const char *clash = o->tokenize         ? "--tokenize"
                        : o->acronyms       ? "--acronyms"
                        : o->nglossaries    ? "--glossary"
                        : o->analysis_given ? "--analysis"
                        : o->lexicon        ? "--lexicon"
                        : o->jobs_given     ? "--jobs"
                        : o->shards         ? "--shards"
                        : o->output_given   ? "-o"
                                            : NULL;
    if (clash) {
        fprintf(stderr,
                "sou-index: %s cannot be used with %s (it keeps the index as it was built; "
                "rebuild to change that)\n",
                clash, mode);
        return -1;
    }
    if (o->compact) {
        if (o->npaths == 0)
            return 0;
        fprintf(stderr, "sou-index: --compact DB takes no PATH\n");
        return -1;
    }
    if (o->npaths == 0) {
        fprintf(stderr, "sou-index: %s %s: no %s given\n", mode, o->db,
                o->update ? "PATH to index" : "ID to delete");
        return -1;
    }
    return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
    static const struct option longopts[] = {{"output", required_argument, NULL, 'o'},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"verbose", no_argument, NULL, 'v'},
                                             {"tokenize", no_argument, NULL, 'T'},
                                             {"glossary", required_argument, NULL, 'g'},
                                             {"acronyms", required_argument, NULL, 'A'},
                                             {"analysis", required_argument, NULL, 'M'},
                                             {"lexicon", required_argument, NULL, 'L'},
                                             {"jobs", required_argument, NULL, 'j'},
                                             {"update", required_argument, NULL, 'U'},
                                             {"delete", required_argument, NULL, 'D'},
                                             {"shards", required_argument, NULL, 'S'},
                                             {"compact", required_argument, NULL, 'C'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    o->glossaries = calloc((size_t)argc, sizeof *o->glossaries);
    if (!o->glossaries) {
        fprintf(stderr, "sou-index: out of memory\n");
        return -1;
    }
    const char *env = getenv("SOU_DB");
    o->db = env && *env ? env : DEFAULT_DB;
    int c;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = cpus > 0 ? (unsigned)(cpus < 16 ? cpus : 16) : 1;
    while ((c = getopt_long(argc, argv, "o:qvj:g:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            o->db = optarg;
            o->output_given = 1;
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
            o->analysis_given = 1;
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
        case 'U':
        case 'D':
        case 'C':
            if (o->update || o->delete || o->compact) {
                fprintf(stderr, "sou-index: give one of --update, --delete and --compact, once\n");
                return -1;
            }
            o->update = c == 'U';
            o->delete = c == 'D';
            o->compact = c == 'C';
            o->db = optarg;
            break;
        case 'S': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > SHARDS_MAX) {
                fprintf(stderr, "sou-index: --shards: '%s' is not a number from 1 to %d\n", optarg,
                        SHARDS_MAX);
                return -1;
            }
            o->shards = (unsigned)n;
            break;
        }
        case 'j': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 64) {
                fprintf(stderr, "sou-index: --jobs: '%s' is not a number from 1 to 64\n", optarg);
                return -1;
            }
            o->jobs = (unsigned)n;
            o->jobs_given = 1;
            break;
        }
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
    if (o->update || o->delete || o->compact)
        return check_change_options(o);
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
    else if (opt.update || opt.delete)
        status = supervise(update_index, &opt);
    else if (opt.compact)
        status = supervise(compact_index, &opt);
    else if (opt.tokenize)
        status = tokenize_stream(stdin, stdout, &opt.analysis) == 0 ? EXIT_OK : EXIT_FAILED;
    else
        status = supervise(build_index, &opt);
    free(opt.glossaries);
    free(opt.lexicon_text);
    return status;
}
