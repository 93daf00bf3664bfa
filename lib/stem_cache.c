/*
 * stem_cache.c - a direct-mapped cache of English stems. See
 * lib/stem_cache.h.
 *
 * Snowball takes about 2,000 instructions a word, and a snippet or a
 * document stems every Latin word it has: in English text, stemming was
 * nearly half the time of making a snippet. Text repeats its words, so a
 * small table keyed by the word answers most of them. A slot holds one
 * word; a new word whose hash lands there replaces it.
 */
#include <stdlib.h>
#include <string.h>

#include "lexicon_format.h"
#include "stem_cache.h"

/* 4,096 slots of 52 bytes: about 200 KB, touched only as words come. */
#define SLOTS 4096
/* Longer words and stems are stemmed each time; few English words are. */
#define SLOT_CHARS 24

struct slot {
    unsigned char word_len; /* 0: empty */
    unsigned char stem_len;
    char word[SLOT_CHARS];
    char stem[SLOT_CHARS];
};

struct sou_stem_cache {
    sou_stemmer *stemmer;
    struct slot *slots;
};

int sou_stem_cache_new(sou_stemmer *st, sou_stem_cache **out, sou_error *err)
{
    *out = NULL;
    sou_stem_cache *c = calloc(1, sizeof *c);
    if (c)
        c->slots = calloc(SLOTS, sizeof *c->slots);
    if (!c || !c->slots) {
        free(c);
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory creating a stem cache");
    }
    c->stemmer = st;
    *out = c;
    return SOU_OK;
}

void sou_stem_cache_free(sou_stem_cache *c)
{
    if (!c)
        return;
    free(c->slots);
    free(c);
}

int sou_stem_cached(sou_stem_cache *c, const char *word, size_t len, char *out, size_t cap,
                    size_t *out_len, sou_error *err)
{
    if (len == 0 || len > SLOT_CHARS)
        return sou_stem(c->stemmer, word, len, out, cap, out_len, err);
    struct slot *s = &c->slots[sou_lex_hash(word, len) & (SLOTS - 1)];
    if (s->word_len == len && memcmp(s->word, word, len) == 0 && s->stem_len < cap) {
        memcpy(out, s->stem, s->stem_len);
        out[s->stem_len] = '\0';
        *out_len = s->stem_len;
        return SOU_OK;
    }
    int rc = sou_stem(c->stemmer, word, len, out, cap, out_len, err);
    if (rc == SOU_OK && *out_len <= SLOT_CHARS) {
        s->word_len = (unsigned char)len;
        s->stem_len = (unsigned char)*out_len;
        memcpy(s->word, word, len);
        memcpy(s->stem, out, *out_len);
    }
    return rc;
}
