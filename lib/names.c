/*
 * names.c - the glossary stored in an index, looked up by name, and turned
 * into queries; see include/sou/names.h for the metadata layout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sou/layout.h"
#include "sou/names.h"
#include "internal.h"
#include "utf8.h"

/* The analyzed words of one name. */
struct name_words {
    sou_strlist words;
    size_t key_len; /* bytes of the words joined by spaces */
    sou_error *err;
};

static int add_name_word(void *ctx, int flags, const char *term, size_t term_len, size_t start,
                         size_t end, uint32_t pos)
{
    struct name_words *nw = ctx;
    (void)start;
    (void)end;
    (void)pos;
    if (flags & (SOU_TOK_STEM | SOU_TOK_TOO_LONG))
        return 0;
    nw->key_len += term_len + (nw->words.n ? 1 : 0);
    return sou_strlist_add(&nw->words, term, term_len, 0, nw->err);
}

static int name_words(sou_analyzer *a, const char *name, size_t len, struct name_words *nw,
                      sou_error *err)
{
    memset(nw, 0, sizeof *nw);
    nw->err = err;
    return sou_analyze(a, SOU_MODE_QUERY, name, len, nw, add_name_word, err);
}

SOU_API int sou_name_key(sou_analyzer *a, const char *name, size_t len, char *key, size_t *nwords,
                         sou_error *err)
{
    struct name_words nw;
    *nwords = 0;
    key[0] = '\0';
    int rc = name_words(a, name, len, &nw, err);
    if (rc == SOU_OK &&
        (nw.words.n == 0 || nw.words.n > SOU_NAME_WORDS_MAX || nw.key_len > SOU_NAME_KEY_MAX))
        rc = sou_error_set(err, SOU_ERR_DOC, "name \"%.*s\" has no words or is too long",
                           (int)sou_utf8_cut(name, len, 60), name); /* at a character */
    if (rc == SOU_OK) {
        size_t at = 0;
        for (size_t i = 0; i < nw.words.n; i++) {
            size_t n = strlen(nw.words.items[i]);
            if (i)
                key[at++] = ' ';
            memcpy(key + at, nw.words.items[i], n);
            at += n;
        }
        key[at] = '\0';
        *nwords = nw.words.n;
    }
    sou_strlist_release(&nw.words);
    return rc;
}

/* Calls fn for every name of s. */
static int each_name(const sou_sense *s, int (*fn)(void *, const char *), void *ctx)
{
    const char *fixed[3] = {s->acronym, s->zh, s->en};
    for (int i = 0; i < 3; i++)
        if (fixed[i]) {
            int rc = fn(ctx, fixed[i]);
            if (rc != SOU_OK)
                return rc;
        }
    for (size_t i = 0; i < s->aliases.n; i++) {
        int rc = fn(ctx, s->aliases.items[i]);
        if (rc != SOU_OK)
            return rc;
    }
    return SOU_OK;
}

/* ---- Storing ------------------------------------------------------------------ */

struct key_entry {
    char *key;
    size_t sense;
};

struct store_ctx {
    sou_analyzer *a;
    struct key_entry *v;
    size_t n, cap;
    size_t sense;
    sou_error *err;
};

static int collect_key(void *ctx, const char *name)
{
    struct store_ctx *c = ctx;
    char key[SOU_NAME_KEY_MAX + 1];
    size_t nwords = 0;
    sou_error e2;
    int rc = sou_name_key(c->a, name, strlen(name), key, &nwords, &e2);
    if (rc == SOU_ERR_DOC)
        return SOU_OK; /* a name that cannot be a key is simply not looked up */
    if (rc != SOU_OK)
        return sou_error_set(c->err, rc, "%s", e2.msg);
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].sense == c->sense && strcmp(c->v[i].key, key) == 0)
            return SOU_OK;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 128;
        struct key_entry *v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return sou_error_set(c->err, SOU_ERR_NOMEM, "out of memory");
        c->v = v;
        c->cap = cap;
    }
    if (!(c->v[c->n].key = strdup(key)))
        return sou_error_set(c->err, SOU_ERR_NOMEM, "out of memory");
    c->v[c->n++].sense = c->sense;
    return SOU_OK;
}

static int by_key_then_sense(const void *pa, const void *pb)
{
    const struct key_entry *a = pa, *b = pb;
    int c = strcmp(a->key, b->key);
    return c ? c : (a->sense > b->sense) - (a->sense < b->sense);
}

static int set_meta(sou_wdb *wdb, const char *prefix, const char *suffix, const char *value,
                    sou_error *err)
{
    char key[SOU_NAME_KEY_MAX + 32];
    snprintf(key, sizeof key, "%s%s", prefix, suffix);
    return sou_wdb_set_metadata(wdb, key, value, strlen(value), err);
}

/* Writes one SOU_META_NAME entry per distinct key: the senses it names. */
static int store_keys(sou_wdb *wdb, struct store_ctx *c, sou_error *err)
{
    if (c->n > 1)
        qsort(c->v, c->n, sizeof *c->v, by_key_then_sense);
    int rc = SOU_OK;
    for (size_t i = 0; rc == SOU_OK && i < c->n;) {
        size_t j = i;
        json_t *senses = json_array();
        for (; j < c->n && strcmp(c->v[j].key, c->v[i].key) == 0; j++)
            json_array_append_new(senses, json_integer((json_int_t)c->v[j].sense));
        char *text = json_dumps(senses, JSON_COMPACT);
        json_decref(senses);
        rc = text ? set_meta(wdb, SOU_META_NAME, c->v[i].key, text, err)
                  : sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
        free(text);
        i = j;
    }
    return rc;
}

SOU_API int sou_names_store(sou_wdb *wdb, sou_analyzer *a, const sou_glossary *g, sou_error *err)
{
    struct store_ctx c = {.a = a, .err = err};
    /* An update stores the glossary again: no sense or name of the old
     * one may outlive it. */
    int rc = sou_wdb_clear_metadata(wdb, SOU_META_SENSE, strlen(SOU_META_SENSE), err);
    if (rc == SOU_OK)
        rc = sou_wdb_clear_metadata(wdb, SOU_META_NAME, strlen(SOU_META_NAME), err);
    for (size_t i = 0; rc == SOU_OK && i < g->n; i++) {
        char num[32];
        snprintf(num, sizeof num, "%zu", i);
        char *json = sou_sense_to_json(&g->v[i]);
        rc = json ? set_meta(wdb, SOU_META_SENSE, num, json, err)
                  : sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
        free(json);
        c.sense = i;
        if (rc == SOU_OK)
            rc = each_name(&g->v[i], collect_key, &c);
    }
    if (rc == SOU_OK)
        rc = store_keys(wdb, &c, err);
    if (rc == SOU_OK) {
        char count[32];
        snprintf(count, sizeof count, "%zu", g->n);
        rc = set_meta(wdb, SOU_META_SENSES, "", count, err);
    }
    for (size_t i = 0; i < c.n; i++)
        free(c.v[i].key);
    free(c.v);
    return rc;
}

/* ---- Reading -------------------------------------------------------------------- */

static int load_sense(const sou_db *db, size_t n, sou_glossary *out, sou_error *err)
{
    char key[64];
    snprintf(key, sizeof key, SOU_META_SENSE "%zu", n);
    char *text = NULL;
    size_t len = 0;
    int rc = sou_db_get_metadata(db, key, &text, &len, err);
    if (rc != SOU_OK)
        return rc;
    if (!text)
        return sou_error_set(err, SOU_ERR_DB_CORRUPT, "index lacks %s", key);
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 8;
        sou_sense *v = realloc(out->v, cap * sizeof *v);
        if (!v) {
            free(text);
            return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
        }
        out->v = v;
        out->cap = cap;
    }
    rc = sou_sense_from_json(text, len, &out->v[out->n], err);
    free(text);
    if (rc == SOU_OK)
        out->n++;
    return rc;
}

static int by_docs_descending(const void *pa, const void *pb)
{
    const sou_sense *a = pa, *b = pb;
    return (a->docs < b->docs) - (a->docs > b->docs);
}

SOU_API int sou_names_lookup(const sou_db *db, const char *key, size_t len, sou_glossary *out,
                             sou_error *err)
{
    char meta[SOU_NAME_KEY_MAX + 32];
    if (len > SOU_NAME_KEY_MAX)
        return SOU_OK;
    snprintf(meta, sizeof meta, SOU_META_NAME "%.*s", (int)len, key);
    char *text = NULL;
    size_t tlen = 0;
    int rc = sou_db_get_metadata(db, meta, &text, &tlen, err);
    if (rc != SOU_OK || !text)
        return rc;
    json_t *senses = json_loadb(text, tlen, 0, NULL);
    free(text);
    if (!json_is_array(senses)) {
        json_decref(senses);
        return sou_error_set(err, SOU_ERR_DB_CORRUPT, "index entry %s is not a JSON array", meta);
    }
    size_t first = out->n, i;
    json_t *v;
    json_array_foreach(senses, i, v)
    {
        if (rc == SOU_OK && json_is_integer(v))
            rc = load_sense(db, (size_t)json_integer_value(v), out, err);
    }
    json_decref(senses);
    /* Senses the corpus knows come first; qsort is not stable, but the
     * stored order is the tie-break, so restore it with insertion sort. */
    for (size_t a = first + 1; rc == SOU_OK && a < out->n; a++)
        for (size_t b = a; b > first && by_docs_descending(&out->v[b - 1], &out->v[b]) > 0; b--) {
            sou_sense t = out->v[b];
            out->v[b] = out->v[b - 1];
            out->v[b - 1] = t;
        }
    return rc;
}

SOU_API int sou_names_load_all(const sou_db *db, sou_glossary *out, sou_error *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = sou_db_get_metadata(db, SOU_META_SENSES, &text, &len, err);
    if (rc != SOU_OK || !text)
        return rc;
    size_t n = strtoul(text, NULL, 10);
    free(text);
    for (size_t i = 0; rc == SOU_OK && i < n; i++)
        rc = load_sense(db, i, out, err);
    return rc;
}

/* ---- Queries -------------------------------------------------------------------- */

struct query_ctx {
    sou_analyzer *a;
    sou_query **subs;
    size_t n, cap;
    sou_strlist keys;       /* names already in the group */
    const char *typed_word; /* a one-word name the group's first member matches */
    sou_strlist *words;
    sou_strlist *phrases;
    sou_error *err;
};

/* Takes q, freeing it on failure, unless it is borrowed. */
static int push_query(struct query_ctx *c, sou_query *q, int borrowed)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        sou_query **v = realloc(c->subs, cap * sizeof *v);
        if (!v) {
            if (!borrowed)
                sou_query_free(q);
            return sou_error_set(c->err, SOU_ERR_NOMEM, "out of memory");
        }
        c->subs = v;
        c->cap = cap;
    }
    c->subs[c->n++] = q;
    return SOU_OK;
}

static int add_name_query(void *ctx, const char *name)
{
    struct query_ctx *c = ctx;
    struct name_words nw;
    int rc = name_words(c->a, name, strlen(name), &nw, c->err);
    if (rc != SOU_OK || nw.words.n == 0 || nw.words.n > SOU_NAME_WORDS_MAX) {
        sou_strlist_release(&nw.words);
        return rc;
    }
    char key[SOU_NAME_KEY_MAX + 1];
    size_t nwords = 0;
    sou_error e2;
    if (sou_name_key(c->a, name, strlen(name), key, &nwords, &e2) == SOU_OK &&
        sou_strlist_has(&c->keys, key, strlen(key))) {
        sou_strlist_release(&nw.words);
        return SOU_OK;
    }
    rc = sou_strlist_add(&c->keys, key, strlen(key), 0, c->err);
    if (rc == SOU_OK && c->phrases && nw.words.n > 1)
        rc = sou_strlist_add(c->phrases, key, strlen(key), 1, c->err);
    if (rc == SOU_OK && nw.words.n == 1 && c->typed_word && strcmp(key, c->typed_word) == 0) {
        if (c->words)
            rc = sou_strlist_add(c->words, key, strlen(key), 1, c->err);
        sou_strlist_release(&nw.words);
        return rc;
    }
    sou_query **terms = calloc(nw.words.n, sizeof *terms);
    if (!terms)
        rc = sou_error_set(c->err, SOU_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == SOU_OK && i < nw.words.n; i++) {
        const char *w = nw.words.items[i];
        rc = sou_query_term(w, strlen(w), 1, (uint32_t)(i + 1), &terms[i], c->err);
        if (rc == SOU_OK && c->words && nw.words.n == 1)
            rc = sou_strlist_add(c->words, w, strlen(w), 1, c->err);
    }
    sou_query *q = NULL;
    if (rc == SOU_OK && nw.words.n == 1) {
        q = terms[0];
        terms[0] = NULL;
    } else if (rc == SOU_OK) {
        rc = sou_query_combine(SOU_OP_PHRASE, terms, nw.words.n, 0, &q, c->err);
    }
    for (size_t i = 0; terms && i < nw.words.n; i++)
        sou_query_free(terms[i]);
    free(terms);
    sou_strlist_release(&nw.words);
    return rc == SOU_OK ? push_query(c, q, 0) : rc;
}

SOU_API int sou_senses_query(sou_analyzer *a, const sou_sense *v, size_t n, const sou_query *typed,
                             const char *typed_word, sou_query **out, sou_strlist *words,
                             sou_strlist *phrases, sou_error *err)
{
    *out = NULL;
    struct query_ctx c = {
        .a = a, .words = words, .phrases = phrases, .typed_word = typed_word, .err = err};
    int rc = SOU_OK;
    /* typed stays the caller's: it is borrowed in subs[0], never freed. */
    if (typed)
        rc = push_query(&c, (sou_query *)typed, 1);
    for (size_t i = 0; rc == SOU_OK && i < n; i++)
        rc = each_name(&v[i], add_name_query, &c);
    if (rc == SOU_OK && c.n > 0)
        rc = sou_query_combine(SOU_OP_SYNONYM, c.subs, c.n, 0, out, err);
    for (size_t i = typed ? 1 : 0; i < c.n; i++)
        sou_query_free(c.subs[i]);
    free(c.subs);
    sou_strlist_release(&c.keys);
    return rc;
}

SOU_API int sou_sense_query(sou_analyzer *a, const sou_sense *s, const sou_query *extra,
                            sou_query **out, sou_strlist *words, sou_strlist *phrases,
                            sou_error *err)
{
    return sou_senses_query(a, s, 1, extra, NULL, out, words, phrases, err);
}

SOU_API int sou_names_count_docs(sou_db *db, sou_analyzer *a, sou_glossary *g, sou_error *err)
{
    uint32_t total = 0;
    int rc = sou_db_doc_count(db, &total, err);
    sou_enquire *enq = NULL;
    if (rc == SOU_OK)
        rc = sou_enquire_new(db, &enq, err);
    for (size_t i = 0; rc == SOU_OK && i < g->n; i++) {
        sou_query *q = NULL;
        sou_mset *ms = NULL;
        /* Senses that share an acronym are told apart by their other
         * names, so the acronym itself is not counted. */
        sou_sense named = g->v[i];
        named.acronym = NULL;
        rc = sou_sense_query(a, &named, NULL, &q, NULL, NULL, err);
        if (rc == SOU_OK && q)
            rc = sou_enquire_set_query(enq, q, err);
        if (rc == SOU_OK && q)
            rc = sou_enquire_mset(enq, 0, 0, total, &ms, err);
        g->v[i].docs = ms ? sou_mset_matches_estimated(ms) : 0;
        sou_mset_free(ms);
        sou_query_free(q);
    }
    sou_enquire_free(enq);
    return rc;
}
