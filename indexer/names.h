/*
 * names.h - the glossary a build stores in its index: glossary files given
 * or found beside the corpus, plus definitions mined from the documents.
 */
#ifndef SOU_INDEXER_NAMES_H
#define SOU_INDEXER_NAMES_H

#include <stdio.h>

#include "sou/analyze.h"
#include "sou/document.h"
#include "sou/glossary.h"
#include "sou/xapian.h"

struct names_build {
    sou_glossary glossary;
    size_t files;   /* glossary files read */
    size_t skipped; /* glossary lines skipped */
    size_t mined;   /* definitions found in documents */
    int quiet;
};

/* Loads each file in files, then PATH/glossary.tsv for every directory
 * PATH in paths. Bad lines are reported on stderr and skipped. Returns
 * SOU_OK, or SOU_ERR_IO when a named file cannot be read. */
int names_load(struct names_build *nb, char **files, size_t nfiles, char **paths, size_t npaths,
               sou_error *err);

/* Learns the acronym definitions in d's body. */
int names_mine(struct names_build *nb, const sou_document *d, sou_error *err);

/* Counts the documents of view (all the shards, changes not yet committed
 * included) that name each sense, then stores the glossary in each of
 * wdbs[0..n), replacing the old one; the caller commits. */
int names_store(struct names_build *nb, sou_analyzer *a, sou_db *view, sou_wdb *const *wdbs,
                size_t n, sou_error *err);

/* Appends the glossary stored in db: an update starts from it. */
int names_load_stored(struct names_build *nb, const sou_db *db, sou_error *err);

/* Forgets what document id taught: it is being replaced or deleted. A
 * replacement is mined again. */
void names_forget(struct names_build *nb, const char *id);

/* Drops the senses left with no source: learned only from documents that
 * are gone. */
void names_prune(struct names_build *nb);

void names_release(struct names_build *nb);

/* `sou-index --acronyms DB`: prints the glossary stored in the index, one
 * sense per line. Returns 0, or -1 after printing an error. */
int names_list(const char *db, FILE *out);

#endif
