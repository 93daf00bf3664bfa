/*
 * grams.h - the gram lists of a words+grams index (layout.h): for each
 * character and character pair of its Chinese words, the words it is part
 * of, so a query for part of a word finds the word.
 */
#ifndef SOU_GRAMS_H
#define SOU_GRAMS_H

#include <stddef.h>

#include "sou/status.h"
#include "sou/xapian.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The most words one gram lists: the most frequent ones. It bounds what
 * a one-character query costs. */
#define SOU_GRAM_WORDS_MAX 64

/* Reads every Chinese word of db and writes the gram lists (layout.h:
 * SOU_META_GRAM) into each of wdbs[0..n), replacing any they had: the
 * shards of one index all get the lists of the whole index. db is usually
 * the writers' own view (sou_wdb_reader()); the caller commits. Returns
 * SOU_OK, an error from the wrapper, or SOU_ERR_NOMEM. */
int sou_grams_store(const sou_db *db, sou_wdb *const *wdbs, size_t n, sou_error *err);

#ifdef __cplusplus
}
#endif

#endif
