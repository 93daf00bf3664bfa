/*
 * dbdir.h - the index directory: generations swapped in atomically, and the
 * writer's lock (layout in layout.h).
 *
 * A full build writes a new generation next to the live one and, only once
 * it is complete and committed, points the directory's XAPIANDB stub at it
 * with an atomic rename. Readers open the directory and see either the old
 * or the new index, never a half-written one; a writer killed at any point
 * leaves the previous generation live. The generation before the live one
 * is kept until the next build, so readers that opened it just before the
 * swap can finish.
 */
#ifndef SOU_DBDIR_H
#define SOU_DBDIR_H

#include "sou/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sou_dbdir sou_dbdir;

/* Takes the writer's lock on the index directory path, creating the
 * directory if needed, and removes generations left by killed writers.
 * *out is owned: sou_dbdir_unlock(). Returns SOU_OK; SOU_ERR_DB_LOCKED
 * ("being updated by pid N") when another writer holds it; SOU_ERR_DB_OPENING
 * when path exists but is neither empty nor a Sou index (so it is never
 * clobbered); SOU_ERR_IO or SOU_ERR_NOMEM. */
int sou_dbdir_lock(const char *path, sou_dbdir **out, sou_error *err);

/* Releases the lock and frees d (NULL is a no-op). */
void sou_dbdir_unlock(sou_dbdir *d);

/* Reads again which generation is live and removes the others but the
 * previous one: for the lock holder after another process it forked has
 * written the index, or died writing it. SOU_OK, or an error as
 * sou_dbdir_lock(). */
int sou_dbdir_reload(sou_dbdir *d, sou_error *err);

/* Frees a forked process's copy of d without releasing the lock or
 * changing the directory: the process that took the lock keeps both. */
void sou_dbdir_free_copy(sou_dbdir *d);

/* The path of the live generation, or NULL if the index has none yet.
 * Borrowed: valid until the next call on d. */
const char *sou_dbdir_live(const sou_dbdir *d);

/* The path for a new generation (not created yet). Borrowed: valid until
 * sou_dbdir_publish() or sou_dbdir_discard(). SOU_OK or SOU_ERR_NOMEM. */
int sou_dbdir_new_generation(sou_dbdir *d, const char **gen_path, sou_error *err);

/* The number of databases (shards) of the live generation: 1 for an
 * unsharded index, 0 when there is none. */
unsigned sou_dbdir_live_shards(const sou_dbdir *d);

/* Sets how many shards the new generation holds (default 1: the
 * generation is itself the database). */
void sou_dbdir_set_shards(sou_dbdir *d, unsigned n);

/* Shard k of the n of generation gen: gen itself when n is 1, else
 * gen/shard-k. Owned: free(); NULL when out of memory. */
char *sou_dbdir_shard_path(const char *gen, unsigned k, unsigned n);

/* Makes the new generation live: its databases must be complete and
 * closed. Writes the stubs XAPIANDB (what opening the directory opens) and
 * sou.stub (the same list, for Xapian's tools and xapian-tcpsrv). Removes
 * all but the new and the previous generation. SOU_OK or SOU_ERR_IO
 * (the previous generation then stays live). */
int sou_dbdir_publish(sou_dbdir *d, sou_error *err);

/* Deletes the new generation after a failed build. */
void sou_dbdir_discard(sou_dbdir *d);

#ifdef __cplusplus
}
#endif

#endif
