/*
 * build.h - a full build of an index from files: documents spread over
 * worker processes by their id, each writing a shard, and the shards
 * merged into one compacted database that replaces the live one.
 */
#ifndef SOU_INDEXER_BUILD_H
#define SOU_INDEXER_BUILD_H

#include "sou/dbdir.h"

#include "options.h"

/* Builds opt->db, whose lock dir is, from opt->paths; returns an
 * exit_code. Errors and the summary go to stderr. */
int build_index(const struct options *opt, sou_dbdir *dir);

#endif
