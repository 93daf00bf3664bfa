/*
 * compact.h - `sou-index --compact DB`: the live databases of DB (its
 * shards, or the one database an update has grown) merged and compacted
 * into one new generation, swapped in like a build.
 */
#ifndef SOU_INDEXER_COMPACT_H
#define SOU_INDEXER_COMPACT_H

#include "sou/dbdir.h"

#include "options.h"

/* Compacts opt->db, whose lock dir is; returns an exit_code. Errors and
 * the summary go to stderr. */
int compact_index(const struct options *opt, sou_dbdir *dir);

#endif
