/*
 * options.h - sou-index's command line, as parsed, and its exit codes.
 */
#ifndef SOU_INDEXER_OPTIONS_H
#define SOU_INDEXER_OPTIONS_H

#include <stddef.h>

#include "sou/analyze.h"

enum exit_code {
    EXIT_OK = 0,      /* every document indexed */
    EXIT_SKIPPED = 1, /* index written, but some documents were skipped */
    EXIT_USAGE = 2,   /* bad command line */
    EXIT_FAILED = 3   /* nothing written: the previous index is unchanged */
};

struct options {
    const char *db;
    int quiet;
    int verbose;
    int tokenize;
    int update;                                   /* --update DB: add or replace documents in db */
    int delete;                                   /* --delete DB: paths are ids to remove from db */
    unsigned jobs;                                /* worker processes (--jobs) */
    unsigned shards;                              /* databases of the index (--shards; 0: one) */
    int compact;                                  /* --compact DB: merge its shards into one */
    int jobs_given, output_given, analysis_given; /* shape a full build only */
    const char *acronyms;                         /* --acronyms DB */
    sou_analysis_opts analysis;
    const char *lexicon; /* --lexicon FILE */
    char *lexicon_text;  /* its contents (owned) */
    char **glossaries;   /* --glossary FILE, in order (owned array) */
    size_t nglossaries;
    char **paths;
    size_t npaths;
};

#endif
