/*
 * search.c - opens an index for searching and runs queries: parse, match
 * with BM25, fetch stored fields, make snippets.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "sou/docbuild.h"
#include "sou/layout.h"
#include "sou/search.h"
#include "sou/settings.h"
#include "sou/shards.h"
#include "internal.h"

/* Retries of a search that met a database changed by a writer. */
#define MODIFIED_RETRIES 3
#define CHECK_EXTRA      200

struct sou_searcher {
    sou_db *db;
    sou_analyzer *analyzer;
    char *path;   /* the first database, to name in messages */
    char **paths; /* every database, for reopening */
    size_t npaths;
    sou_open_opts open;
    sou_strlist warnings; /* shards left out (allow_partial) */
};

SOU_API void sou_search_opts_init(sou_search_opts *o)
{
    o->offset = 0;
    o->limit = 10;
    o->snippet_chars = 160;
    o->time_limit = 1.0;
    o->flags = 0;
}

static const struct {
    const char *name;
    const char *filter;
    unsigned slot;
} facet_slots[SOU_FACETS] = {
    {"type", "type", SOU_SLOT_TYPE},
    {"city", "city", SOU_SLOT_CITY},
    {"month", "month", SOU_SLOT_MONTH},
};

static void shard_skipped(void *ctx, const char *msg)
{
    sou_searcher *s = ctx;
    sou_error ignored;
    sou_strlist_add(&s->warnings, msg, strlen(msg), 1, &ignored);
}

/* Opens every database of s as one index, and the analysis chain it was
 * built with. */
static int open_index(sou_searcher *s, sou_error *err)
{
    int rc = SOU_OK;
    for (size_t i = 0; rc == SOU_OK && i < s->npaths; i++)
        rc = sou_shards_open(s->paths[i], &s->open, &s->db, err);
    if (rc == SOU_OK)
        rc = sou_settings_analyzer(s->db, s->path, &s->analyzer, err);
    return rc;
}

SOU_API int sou_searcher_open_many(const char *const *paths, size_t n, const sou_open_opts *o,
                                   sou_searcher **out, sou_error *err)
{
    *out = NULL;
    for (size_t i = 0; i < n; i++)
        if (!paths[i] || !*paths[i])
            return sou_error_set(err, SOU_ERR_INVALID_ARG, "index path is empty");
    if (n == 0)
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "index path is empty");
    sou_searcher *s = calloc(1, sizeof *s);
    if (!s || !(s->paths = calloc(n, sizeof *s->paths))) {
        free(s);
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    }
    int rc = SOU_OK;
    for (size_t i = 0; rc == SOU_OK && i < n; i++, s->npaths++)
        if (!(s->paths[i] = strdup(paths[i])))
            rc = sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    s->path = s->paths[0];
    if (o)
        s->open = *o;
    s->open.skipped = shard_skipped;
    s->open.ctx = s;
    if (rc == SOU_OK)
        rc = open_index(s, err);
    if (rc != SOU_OK) {
        sou_searcher_free(s);
        return rc;
    }
    *out = s;
    return SOU_OK;
}

SOU_API int sou_searcher_open(const char *db_path, sou_searcher **out, sou_error *err)
{
    return sou_searcher_open_many(&db_path, 1, NULL, out, err);
}

SOU_API void sou_searcher_free(sou_searcher *s)
{
    if (!s)
        return;
    sou_db_free(s->db);
    sou_analyzer_free(s->analyzer);
    for (size_t i = 0; i < s->npaths; i++)
        free(s->paths[i]);
    free(s->paths);
    sou_strlist_release(&s->warnings);
    free(s);
}

static int run_match(sou_searcher *s, const sou_search_opts *o, const sou_query *q, sou_mset **ms,
                     sou_error *err)
{
    sou_enquire *enq = NULL;
    int rc = sou_enquire_new(s->db, &enq, err);
    /* Examining a few hundred matches more than are shown makes the
     * estimated total exact for most queries, at little cost. */
    uint32_t check = o->offset + o->limit + CHECK_EXTRA;
    if (rc == SOU_OK)
        rc = sou_enquire_set_query(enq, q, err);
    /* Facet counts are exact only when every match is examined. Only then
     * can the time limit save work: Xapian 1.4 applies it to counting
     * matches past the page, which otherwise stops CHECK_EXTRA past it.
     * Its timer starts a thread, which a process searching once pays for. */
    if (rc == SOU_OK && (o->flags & SOU_SEARCH_FACETS)) {
        rc = sou_db_doc_count(s->db, &check, err);
        if (rc == SOU_OK && o->time_limit > 0)
            rc = sou_enquire_set_time_limit(enq, o->time_limit, err);
    }
    for (size_t i = 0; rc == SOU_OK && (o->flags & SOU_SEARCH_FACETS) && i < SOU_FACETS; i++)
        rc = sou_enquire_add_facet(enq, facet_slots[i].slot, err);
    if (rc == SOU_OK)
        rc = sou_enquire_mset(enq, o->offset, o->limit, check, ms, err);
    sou_enquire_free(enq);
    return rc;
}

/* The bytes of res's stored data that are its JSON fields: up to the NUL
 * before the body, or all of them (layout.h). */
static size_t fields_len(const sou_result *res)
{
    const char *nul = memchr(res->data, '\0', res->data_len);
    return nul ? (size_t)(nul - res->data) : res->data_len;
}

/* A JSON field's string, or "" (length 0) when it is not one. */
static const char *string_field(json_t *obj, const char *name, size_t *len)
{
    json_t *v = json_object_get(obj, name);
    *len = json_is_string(v) ? json_string_length(v) : 0;
    return json_is_string(v) ? json_string_value(v) : "";
}

/* The snippet comes from the body, or from the title of a body-less
 * document. */
static int make_snippet(sou_searcher *s, const sou_results *r, sou_result *res, size_t chars,
                        sou_error *err)
{
    json_t *obj = sou_result_fields(res);
    if (!obj)
        return sou_error_set(err, SOU_ERR_DB_CORRUPT, "stored fields are not a JSON object");
    size_t flen = fields_len(res), tlen = res->data_len - flen;
    const char *t = res->data + flen;
    if (tlen > 0) { /* past the NUL */
        t++;
        tlen--;
    } else {
        t = string_field(obj, "body", &tlen); /* an index with the body among the fields */
    }
    if (tlen == 0)
        t = string_field(obj, "title", &tlen);
    sou_match_terms mt = {
        .words = (const char *const *)r->pq.words.items,
        .nwords = r->pq.words.n,
        .stems = (const char *const *)r->pq.stems.items,
        .nstems = r->pq.stems.n,
        .phrases = (const char *const *)r->pq.phrases.items,
        .nphrases = r->pq.phrases.n,
        .typed = (const char *const *)r->pq.typed.items,
        .ntyped = r->pq.typed.n,
    };
    int rc = sou_snippet_make(s->analyzer, t, tlen, &mt, chars, &res->snippet, err);
    res->fields = obj; /* kept for the caller's output */
    if (rc == SOU_ERR_UTF8)
        rc = sou_error_set(err, SOU_ERR_DB_CORRUPT, "a stored body is not valid UTF-8");
    return rc;
}

SOU_API json_t *sou_result_fields(const sou_result *res)
{
    if (res->fields)
        return json_incref(res->fields);
    json_t *obj = json_loadb(res->data, fields_len(res), 0, NULL);
    if (!json_is_object(obj)) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

struct facet_sink {
    sou_facet *f;
    size_t cap;
    sou_error *err;
};

static int add_facet_value(void *ctx, const char *value, size_t len, uint32_t count)
{
    struct facet_sink *fs = ctx;
    sou_facet *f = fs->f;
    if (f->n == fs->cap) {
        size_t cap = fs->cap ? fs->cap * 2 : 16;
        sou_facet_value *v = realloc(f->v, cap * sizeof *v);
        if (!v)
            return sou_error_set(fs->err, SOU_ERR_NOMEM, "out of memory");
        f->v = v;
        fs->cap = cap;
    }
    if (!(f->v[f->n].value = strndup(value, len)))
        return sou_error_set(fs->err, SOU_ERR_NOMEM, "out of memory");
    f->v[f->n++].count = count;
    return 0;
}

static int collect_facets(const sou_mset *ms, sou_results *r, sou_error *err)
{
    int rc = SOU_OK;
    r->counted = sou_mset_facet_docs(ms);
    for (size_t i = 0; rc == SOU_OK && i < SOU_FACETS; i++) {
        sou_facet *f = &r->facets[i];
        f->name = facet_slots[i].name;
        f->filter = facet_slots[i].filter;
        r->nfacets = i + 1;
        struct facet_sink fs = {f, 0, err};
        rc = sou_mset_facets(ms, facet_slots[i].slot, add_facet_value, &fs, err);
    }
    return rc;
}

static int collect(sou_searcher *s, const sou_search_opts *o, const sou_mset *ms, sou_results *r,
                   sou_error *err)
{
    size_t n = sou_mset_size(ms);
    r->estimated = sou_mset_matches_estimated(ms);
    r->lower = sou_mset_matches_lower_bound(ms);
    r->upper = sou_mset_matches_upper_bound(ms);
    if (n == 0)
        return SOU_OK;
    r->v = calloc(n, sizeof *r->v);
    if (!r->v)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        sou_result *res = &r->v[i];
        sou_hit hit;
        int rc = sou_mset_hit(ms, i, &hit, err);
        if (rc == SOU_OK)
            rc = sou_mset_data(ms, i, &res->data, &res->data_len, err);
        r->n = i + 1;
        if (rc == SOU_OK && o->snippet_chars > 0)
            rc = make_snippet(s, r, res, o->snippet_chars, err);
        if (rc != SOU_OK)
            return rc;
        res->rank = hit.rank + 1;
        res->score = hit.weight;
        res->percent = hit.percent;
    }
    return SOU_OK;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Opens the index afresh after a writer changed it under this reader (an
 * update overwrote the revision it had open, or a full build swapped in a
 * new generation, whose analysis settings may differ too), or after a
 * remote shard failed when partial results are allowed. */
static int reopen(sou_searcher *s, sou_error *err)
{
    sou_db_free(s->db);
    s->db = NULL;
    sou_analyzer_free(s->analyzer);
    s->analyzer = NULL;
    sou_strlist_release(&s->warnings);
    return open_index(s, err);
}

static int search_once(sou_searcher *s, const char *query, size_t len, const sou_search_opts *opts,
                       sou_results *out, sou_error *err)
{
    int qflags = (opts->flags & SOU_SEARCH_NO_EXPAND) ? SOU_QPARSE_NO_EXPAND : 0;
    int rc = sou_qparse(s->analyzer, s->db, qflags, query, len, &out->pq, err);
    if (rc == SOU_OK)
        rc = sou_query_describe(out->pq.query, &out->description, err);
    sou_mset *ms = NULL;
    if (rc == SOU_OK)
        rc = run_match(s, opts, out->pq.query, &ms, err);
    if (rc == SOU_OK)
        rc = collect(s, opts, ms, out, err);
    if (rc == SOU_OK && (opts->flags & SOU_SEARCH_FACETS))
        rc = collect_facets(ms, out, err);
    sou_mset_free(ms);
    return rc;
}

SOU_API int sou_search(sou_searcher *s, const char *query, size_t len, const sou_search_opts *opts,
                       sou_results *out, sou_error *err)
{
    memset(out, 0, sizeof *out);
    if (!s || !opts || (!query && len > 0))
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "sou_search: NULL argument");
    double t0 = now();
    /* A reader meets a change only where it reads: parsing (synonyms,
     * names), matching or fetching documents. Any of them starts the whole
     * search again on a fresh view, so a result set never mixes two. */
    int rc = s->db && s->analyzer ? SOU_OK : reopen(s, err);
    for (int tries = 0; rc == SOU_OK; tries++) {
        rc = search_once(s, query, len, opts, out, err);
        int again = rc == SOU_ERR_DB_MODIFIED || (rc == SOU_ERR_NETWORK && s->open.allow_partial);
        if (!again || tries == MODIFIED_RETRIES)
            break;
        sou_results_release(out);
        rc = reopen(s, err);
    }
    for (size_t i = 0; rc == SOU_OK && i < s->warnings.n; i++)
        rc = sou_strlist_add(&out->warnings, s->warnings.items[i], strlen(s->warnings.items[i]), 0,
                             err);
    out->seconds = now() - t0;
    return rc;
}

SOU_API int sou_results_facets_exact(const sou_results *r)
{
    return r->counted >= r->upper;
}

SOU_API void sou_results_release(sou_results *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].data);
        json_decref(r->v[i].fields);
        sou_snippet_release(&r->v[i].snippet);
    }
    free(r->v);
    for (size_t i = 0; i < r->nfacets; i++) {
        for (size_t k = 0; k < r->facets[i].n; k++)
            free(r->facets[i].v[k].value);
        free(r->facets[i].v);
    }
    free(r->description);
    sou_strlist_release(&r->warnings);
    sou_parsed_query_release(&r->pq);
    memset(r, 0, sizeof *r);
}
