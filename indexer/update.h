/*
 * update.h - changes an existing index in place: `sou-index --update DB
 * PATH...` adds or replaces documents by id, `sou-index --delete DB ID...`
 * removes them.
 */
#ifndef SOU_INDEXER_UPDATE_H
#define SOU_INDEXER_UPDATE_H

#include "sou/dbdir.h"

#include "options.h"

/* Applies opt->paths (documents, or ids with opt->delete) to opt->db,
 * whose lock dir is, as one transaction; returns an exit_code. Errors and
 * the summary go to stderr. */
int update_index(const struct options *opt, sou_dbdir *dir);

#endif
