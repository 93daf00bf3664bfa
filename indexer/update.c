/*
 * update.c - `--update` and `--delete`: the live generation is changed in
 * place inside one Xapian transaction, so a reader, or the index left by a
 * killed run, sees every change or none. The gram lists and the
 * glossary's document counts depend on all the documents, so they are
 * rewritten inside the same transaction, from the writer's own view.
 *
 * In a sharded index each document goes to its shard (indexdoc.h), and
 * each shard commits its own transaction: a run killed between two
 * commits leaves the shards committed before it changed.
 *
 * An update analyzes text the way the index was built (its recorded
 * settings), never with this run's options, so old and new documents are
 * cut alike. Glossary files are read by full builds only; definitions
 * mined from the changed documents replace what those documents taught.
 */
#include <stdio.h>
#include <string.h>

#include "sou/corpus.h"
#include "sou/dbdir.h"
#include "sou/docbuild.h"
#include "sou/layout.h"
#include "sou/settings.h"
#include "sou/xapian.h"

#include "indexdoc.h"
#include "names.h"
#include "progress.h"
#include "shardset.h"
#include "update.h"

struct update {
    const struct options *opt;
    sou_analyzer *analyzer;
    struct shardset set; /* the live generation's databases */
    struct names_build names;
    unsigned long changed, deleted, skipped;
};

static void report_skip(struct update *u, const sou_error *err)
{
    u->skipped++;
    fprintf(stderr, "sou-index: %s; skipped\n", err->msg);
}

static int add_documents(struct update *u, sou_error *err)
{
    sou_corpus *corpus = NULL;
    int rc = sou_corpus_open((const char *const *)u->opt->paths, u->opt->npaths, &corpus, err);
    while (rc == SOU_OK) {
        sou_document *d = NULL;
        int got = sou_corpus_next(corpus, &d, err);
        if (got == 0)
            break;
        if (got < 0) {
            if (err->code == SOU_ERR_NOMEM)
                rc = err->code;
            else
                report_skip(u, err);
            continue;
        }
        if ((rc = sou_doc_check(d, err)) != SOU_OK) {
            locate_error(err, d);
            report_skip(u, err);
            rc = SOU_OK;
        } else {
            names_forget(&u->names, sou_document_get(d, "id", NULL));
            rc = names_mine(&u->names, d, err);
            sou_wdb *shard = u->set.wdb[document_hash(d) % u->set.n];
            if (rc == SOU_OK && (rc = index_document(u->analyzer, shard, d, err)) != SOU_OK) {
                if (is_document_error(rc)) {
                    locate_error(err, d);
                    report_skip(u, err);
                    rc = SOU_OK;
                }
            } else if (rc == SOU_OK) {
                u->changed++;
                if (u->opt->verbose)
                    fprintf(stderr, "indexed %s\n", sou_document_get(d, "id", NULL));
            }
        }
        sou_document_free(d);
    }
    sou_corpus_free(corpus);
    return rc;
}

/* An id that names no document is reported and skipped: the others are
 * still deleted. */
static int delete_documents(struct update *u, sou_error *err)
{
    int rc = SOU_OK;
    for (size_t i = 0; rc == SOU_OK && i < u->opt->npaths; i++) {
        const char *id = u->opt->paths[i];
        size_t len = strlen(id);
        char term[SOU_ID_MAX + 2];
        uint32_t freq = 0;
        if (len == 0 || len > SOU_ID_MAX) {
            if (len)
                sou_error_set(err, SOU_ERR_DOC, "id '%.40s...' is longer than %d bytes", id,
                              SOU_ID_MAX);
            else
                sou_error_set(err, SOU_ERR_DOC, "an id is empty");
            report_skip(u, err);
            continue;
        }
        memcpy(term, SOU_PREFIX_ID, sizeof SOU_PREFIX_ID - 1);
        memcpy(term + sizeof SOU_PREFIX_ID - 1, id, len + 1);
        size_t tlen = sizeof SOU_PREFIX_ID - 1 + len;
        rc = sou_db_term_freq(u->set.view, term, tlen, &freq, err);
        if (rc == SOU_OK && freq == 0) {
            sou_error_set(err, SOU_ERR_DOC, "no document has id '%s'", id);
            report_skip(u, err);
            continue;
        }
        if (rc == SOU_OK)
            rc = sou_wdb_delete_document(u->set.wdb[id_hash(id, len) % u->set.n], term, tlen, err);
        if (rc == SOU_OK) {
            names_forget(&u->names, id);
            u->deleted++;
            if (u->opt->verbose)
                fprintf(stderr, "deleted %s\n", id);
        }
    }
    return rc;
}

static int apply(struct update *u, const char *live, unsigned shards, sou_error *err)
{
    int rc = shardset_open(&u->set, live, shards, err);
    if (rc == SOU_OK)
        rc = sou_settings_analyzer(u->set.view, u->opt->db, &u->analyzer, err);
    if (rc == SOU_OK)
        rc = names_load_stored(&u->names, u->set.view, err);
    if (rc == SOU_OK)
        rc = shardset_begin(&u->set, err);
    if (rc != SOU_OK)
        return rc;
    rc = u->opt->delete ? delete_documents(u, err) : add_documents(u, err);
    if (rc == SOU_OK && u->changed + u->deleted == 0)
        rc = sou_error_set(err, SOU_ERR_DOC, "no document could be %s",
                           u->opt->delete ? "deleted" : "indexed");
    names_prune(&u->names);
    if (rc == SOU_OK)
        rc = shardset_finish(&u->set, u->analyzer, &u->names, err);
    if (rc == SOU_OK)
        rc = shardset_commit(&u->set, err);
    if (rc == SOU_OK)
        rc = shardset_close(&u->set, err);
    /* Freeing what is left cancels the transactions not committed. */
    shardset_free(&u->set);
    return rc;
}

int update_index(const struct options *opt, sou_dbdir *dir)
{
    struct update u = {.opt = opt, .names = {.quiet = opt->quiet}};
    sou_error err;
    sou_error_clear(&err);
    struct progress clock;
    progress_init(&clock, 0);
    int rc = SOU_OK;
    const char *live = sou_dbdir_live(dir);
    if (!live)
        rc = sou_error_set(&err, SOU_ERR_DB_NOT_FOUND,
                           "%s holds no index to update; build one first: sou-index -o %s PATH...",
                           opt->db, opt->db);
    if (rc == SOU_OK)
        rc = apply(&u, live, sou_dbdir_live_shards(dir), &err);
    int status;
    if (rc != SOU_OK) {
        status = progress_failed(opt->db, err.msg);
    } else {
        if (!opt->quiet || u.skipped)
            fprintf(stderr, "sou-index: %lu documents %s, %lu skipped, in %.2f s -> %s\n",
                    opt->delete ? u.deleted : u.changed,
                    opt->delete ? "deleted" : "added or replaced", u.skipped,
                    progress_seconds(&clock), opt->db);
        status = u.skipped ? EXIT_SKIPPED : EXIT_OK;
    }
    names_release(&u.names);
    sou_analyzer_free(u.analyzer);
    return status;
}
