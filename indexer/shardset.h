/*
 * shardset.h - the writable databases of one generation of an index (one,
 * or one per shard), handled as a whole: what depends on the entire index
 * (gram lists, the glossary's counts) is computed over all of them and
 * written into each, so every shard holds the same metadata.
 */
#ifndef SOU_INDEXER_SHARDSET_H
#define SOU_INDEXER_SHARDSET_H

#include "sou/analyze.h"
#include "sou/xapian.h"

#include "names.h"

#define SHARDS_MAX 64

struct shardset {
    unsigned n;
    sou_wdb *wdb[SHARDS_MAX];
    sou_db *view; /* every writer's changes, committed or not, as one index */
};

/* Opens the n databases of generation gen (sou_dbdir_shard_path()) for
 * writing. On failure nothing stays open. */
int shardset_open(struct shardset *s, const char *gen, unsigned n, sou_error *err);

/* A transaction in every shard. Commits go shard by shard: each shard is
 * whole, but a run killed between two commits leaves the shards before it
 * changed. */
int shardset_begin(struct shardset *s, sou_error *err);
int shardset_commit(struct shardset *s, sou_error *err);

/* Writes the gram lists (when a analyzes with grams) and the glossary nb
 * into every shard, from the view of them all. */
int shardset_finish(struct shardset *s, sou_analyzer *a, struct names_build *nb, sou_error *err);

/* Documents in all shards together. */
int shardset_doc_count(const struct shardset *s, uint32_t *out, sou_error *err);

/* Commits and closes every shard; then frees. shardset_free() alone
 * discards what is not committed. */
int shardset_close(struct shardset *s, sou_error *err);
void shardset_free(struct shardset *s);

#endif
