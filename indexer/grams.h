/*
 * grams.h - the gram synonyms of a words+grams index (layout.h): for each
 * character and character pair of its Chinese words, the words it is part
 * of, so a query for part of a word finds the word.
 */
#ifndef SOU_INDEXER_GRAMS_H
#define SOU_INDEXER_GRAMS_H

#include "sou/status.h"
#include "sou/xapian.h"

/* The most words one gram lists: the most frequent ones. It bounds what
 * a one-character query costs. */
#define GRAM_WORDS_MAX 64

/* Reads every Chinese word of the database at path and writes the gram
 * synonyms through wdb (open on the same database). Returns SOU_OK or an
 * error from the wrapper, or SOU_ERR_NOMEM. */
int grams_store(const char *path, sou_wdb *wdb, sou_error *err);

#endif
