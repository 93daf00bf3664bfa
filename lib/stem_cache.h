/*
 * stem_cache.h - remembers the English stems of recent words, so that a
 * word met again is not run through Snowball again. Internal to libsou.
 */
#ifndef SOU_LIB_STEM_CACHE_H
#define SOU_LIB_STEM_CACHE_H

#include <stddef.h>

#include "sou/status.h"
#include "sou/xapian.h"

typedef struct sou_stem_cache sou_stem_cache;

/* A cache in front of st (borrowed; it must outlive the cache). *out is
 * owned: sou_stem_cache_free(). Returns SOU_OK or SOU_ERR_NOMEM. */
int sou_stem_cache_new(sou_stemmer *st, sou_stem_cache **out, sou_error *err);
void sou_stem_cache_free(sou_stem_cache *c);

/* As sou_stem() (xapian.h): the stem of word[0..len) into out[0..cap),
 * its length in *out_len; the same result, from the cache when it can. */
int sou_stem_cached(sou_stem_cache *c, const char *word, size_t len, char *out, size_t cap,
                    size_t *out_len, sou_error *err);

#endif
