/*
 * grams.c - writes the gram lists of an index once it is merged: one
 * pass over its vocabulary, not over its text, so part-of-word search
 * costs the build a second or so instead of a posting per character of
 * every document (which made indexing half as fast again).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sou/grams.h"
#include "sou/layout.h"
#include "internal.h"
#include "utf8.h"

/* A gram of a word: the word, its document frequency, the gram's bytes. */
struct pair {
    char gram[8]; /* two characters of up to four bytes */
    size_t glen;
    size_t word; /* index into the word list */
    uint32_t freq;
};

struct vocab {
    const sou_db *db;
    char **words;
    size_t nwords, words_cap;
    struct pair *pairs;
    size_t npairs, pairs_cap;
    sou_error *err;
};

static int push_pair(struct vocab *v, const char *gram, size_t glen, uint32_t freq)
{
    if (v->npairs == v->pairs_cap) {
        size_t cap = v->pairs_cap ? 2 * v->pairs_cap : 4096;
        struct pair *p = realloc(v->pairs, cap * sizeof *p);
        if (!p)
            return sou_error_set(v->err, SOU_ERR_NOMEM, "out of memory listing grams");
        v->pairs = p;
        v->pairs_cap = cap;
    }
    struct pair *p = &v->pairs[v->npairs++];
    memcpy(p->gram, gram, glen);
    p->glen = glen;
    p->word = v->nwords - 1;
    p->freq = freq;
    return SOU_OK;
}

/* Each term that is a Chinese word of two or more characters: its grams. */
static int add_word(void *ctx, const char *term, size_t len)
{
    struct vocab *v = ctx;
    size_t off[64], n = 0;
    for (size_t i = 0; i < len;) {
        int c;
        size_t k = sou_utf8_decode((const unsigned char *)term + i, len - i, &c);
        if (!sou_is_han(c) || n == sizeof off / sizeof off[0] - 1)
            return 0;
        off[n++] = i;
        i += k;
    }
    off[n] = len;
    if (n < 2)
        return 0;
    uint32_t freq = 0;
    int rc = sou_db_term_freq(v->db, term, len, &freq, v->err);
    if (rc != SOU_OK)
        return rc;
    if (v->nwords == v->words_cap) {
        size_t cap = v->words_cap ? 2 * v->words_cap : 4096;
        char **w = realloc(v->words, cap * sizeof *w);
        if (!w)
            return sou_error_set(v->err, SOU_ERR_NOMEM, "out of memory listing grams");
        v->words = w;
        v->words_cap = cap;
    }
    if (!(v->words[v->nwords] = strndup(term, len)))
        return sou_error_set(v->err, SOU_ERR_NOMEM, "out of memory listing grams");
    v->nwords++;
    for (size_t k = 0; k < n; k++)
        for (size_t w = 1; w <= 2 && k + w <= n; w++)
            if (w < n && (rc = push_pair(v, term + off[k], off[k + w] - off[k], freq)) != SOU_OK)
                return rc;
    return 0;
}

/* By gram, then most frequent word first, then word order. */
static int by_gram(const void *pa, const void *pb)
{
    const struct pair *a = pa, *b = pb;
    size_t n = a->glen < b->glen ? a->glen : b->glen;
    int c = memcmp(a->gram, b->gram, n);
    if (c || a->glen != b->glen)
        return c ? c : (a->glen > b->glen) - (a->glen < b->glen);
    if (a->freq != b->freq)
        return a->freq < b->freq ? 1 : -1;
    return (a->word > b->word) - (a->word < b->word);
}

/* Writes the words of the gram that starts at pairs[first] to out: at
 * most SOU_GRAM_WORDS_MAX, one a line, most frequent first. Returns the
 * index of the next gram's first pair. */
static size_t gram_words(const struct vocab *v, size_t first, FILE *out)
{
    const struct pair *g = &v->pairs[first];
    size_t i = first, listed = 0;
    for (; i < v->npairs && v->pairs[i].glen == g->glen &&
           memcmp(v->pairs[i].gram, g->gram, g->glen) == 0;
         i++)
        if (listed++ < SOU_GRAM_WORDS_MAX)
            fprintf(out, "%s%s", listed > 1 ? "\n" : "", v->words[v->pairs[i].word]);
    return i;
}

/* Sets key to the words of the gram at pairs[*i] in every database, and
 * moves *i past it. */
static int store_gram(const struct vocab *v, size_t *i, sou_wdb *const *wdbs, size_t n,
                      sou_error *err)
{
    size_t plen = sizeof SOU_META_GRAM - 1;
    char key[sizeof SOU_META_GRAM + 8];
    const struct pair *p = &v->pairs[*i];
    memcpy(key, SOU_META_GRAM, plen);
    memcpy(key + plen, p->gram, p->glen);
    key[plen + p->glen] = '\0';
    char *words = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&words, &len);
    if (!out)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory listing grams");
    *i = gram_words(v, *i, out);
    int rc = fclose(out) == 0 && words
                 ? SOU_OK
                 : sou_error_set(err, SOU_ERR_NOMEM, "out of memory listing grams");
    for (size_t k = 0; rc == SOU_OK && k < n; k++)
        rc = sou_wdb_set_metadata(wdbs[k], key, words, len, err);
    free(words);
    return rc;
}

SOU_API int sou_grams_store(const sou_db *db, sou_wdb *const *wdbs, size_t n, sou_error *err)
{
    struct vocab v = {.db = db, .err = err};
    int rc = SOU_OK;
    for (size_t k = 0; rc == SOU_OK && k < n; k++)
        rc = sou_wdb_clear_metadata(wdbs[k], SOU_META_GRAM, sizeof SOU_META_GRAM - 1, err);
    if (rc == SOU_OK)
        rc = sou_db_all_terms(db, "", 0, add_word, &v, err);
    if (rc == SOU_OK && v.npairs > 1)
        qsort(v.pairs, v.npairs, sizeof *v.pairs, by_gram);
    for (size_t i = 0; rc == SOU_OK && i < v.npairs;)
        rc = store_gram(&v, &i, wdbs, n, err);
    for (size_t i = 0; i < v.nwords; i++)
        free(v.words[i]);
    free(v.words);
    free(v.pairs);
    return rc;
}
