/*
 * shardset.c - the databases of one generation, handled as a whole; see
 * shardset.h.
 */
#include <stdlib.h>
#include <string.h>

#include "sou/dbdir.h"
#include "sou/grams.h"

#include "shardset.h"

int shardset_open(struct shardset *s, const char *gen, unsigned n, sou_error *err)
{
    memset(s, 0, sizeof *s);
    if (n == 0 || n > SHARDS_MAX)
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "%u shards: from 1 to %d are possible", n,
                             SHARDS_MAX);
    int rc = SOU_OK;
    for (unsigned k = 0; rc == SOU_OK && k < n; k++) {
        char *path = sou_dbdir_shard_path(gen, k, n);
        rc = path ? sou_wdb_open(path, SOU_WDB_OPEN, &s->wdb[k], err)
                  : sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
        free(path);
        s->n = k + 1;
        sou_db *view = NULL;
        if (rc == SOU_OK)
            rc = sou_wdb_reader(s->wdb[k], k == 0 ? &s->view : &view, err);
        if (rc == SOU_OK && view)
            rc = sou_db_add(s->view, view, err);
        sou_db_free(view);
    }
    if (rc != SOU_OK)
        shardset_free(s);
    return rc;
}

int shardset_begin(struct shardset *s, sou_error *err)
{
    int rc = SOU_OK;
    for (unsigned k = 0; rc == SOU_OK && k < s->n; k++)
        rc = sou_wdb_begin_transaction(s->wdb[k], 1, err);
    return rc;
}

int shardset_commit(struct shardset *s, sou_error *err)
{
    int rc = SOU_OK;
    for (unsigned k = 0; rc == SOU_OK && k < s->n; k++)
        rc = sou_wdb_commit_transaction(s->wdb[k], err);
    return rc;
}

int shardset_finish(struct shardset *s, sou_analyzer *a, struct names_build *nb, sou_error *err)
{
    int rc = SOU_OK;
    if (sou_analyzer_grams(a))
        rc = sou_grams_store(s->view, s->wdb, s->n, err);
    if (rc == SOU_OK)
        rc = names_store(nb, a, s->view, s->wdb, s->n, err);
    return rc;
}

int shardset_doc_count(const struct shardset *s, uint32_t *out, sou_error *err)
{
    return sou_db_doc_count(s->view, out, err);
}

int shardset_close(struct shardset *s, sou_error *err)
{
    sou_db_free(s->view);
    s->view = NULL;
    int rc = SOU_OK;
    for (unsigned k = 0; rc == SOU_OK && k < s->n; k++)
        rc = sou_wdb_close(s->wdb[k], err);
    shardset_free(s);
    return rc;
}

void shardset_free(struct shardset *s)
{
    sou_db_free(s->view);
    s->view = NULL;
    for (unsigned k = 0; k < s->n; k++)
        sou_wdb_free(s->wdb[k]);
    s->n = 0;
}
