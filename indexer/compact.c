/*
 * compact.c - merges an index's shards into one database; see compact.h.
 * Every shard holds the same metadata (shardset.h), so the merged database
 * keeps one copy of it, which is what xapian-compact does with keys that
 * several sources share.
 */
#include <stdio.h>
#include <stdlib.h>

#include "sou/dbdir.h"
#include "sou/xapian.h"

#include "compact.h"
#include "progress.h"
#include "shardset.h"

static int merge(sou_dbdir *dir, unsigned n, sou_error *err)
{
    const char *gen = NULL;
    char *paths[SHARDS_MAX] = {0};
    int rc = sou_dbdir_new_generation(dir, &gen, err);
    for (unsigned k = 0; rc == SOU_OK && k < n; k++)
        if (!(paths[k] = sou_dbdir_shard_path(sou_dbdir_live(dir), k, n)))
            rc = sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    if (rc == SOU_OK)
        rc = sou_db_compact((const char *const *)paths, n, gen, err);
    for (unsigned k = 0; k < n; k++)
        free(paths[k]);
    sou_dbdir_set_shards(dir, 1);
    if (rc == SOU_OK)
        rc = sou_dbdir_publish(dir, err);
    if (rc != SOU_OK)
        sou_dbdir_discard(dir);
    return rc;
}

int compact_index(const struct options *opt, sou_dbdir *dir)
{
    struct progress clock;
    progress_init(&clock, 0);
    sou_error err;
    sou_error_clear(&err);
    int rc = SOU_OK;
    unsigned n = sou_dbdir_live_shards(dir);
    if (n == 0)
        rc = sou_error_set(&err, SOU_ERR_DB_NOT_FOUND, "%s holds no index to compact", opt->db);
    if (rc == SOU_OK && n > SHARDS_MAX)
        rc = sou_error_set(&err, SOU_ERR_DB_OPENING, "%s has %u shards; at most %d can be merged",
                           opt->db, n, SHARDS_MAX);
    if (rc == SOU_OK)
        rc = merge(dir, n, &err);
    if (rc != SOU_OK)
        return progress_failed(opt->db, err.msg);
    if (!opt->quiet)
        fprintf(stderr, "sou-index: %u database%s merged into one in %.2f s -> %s\n", n,
                n == 1 ? "" : "s", progress_seconds(&clock), opt->db);
    return EXIT_OK;
}
