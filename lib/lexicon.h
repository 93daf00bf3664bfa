/*
 * lexicon.h - the segmentation lexicon: the word list built at make time
 * (lexicon_format.h), mapped read-only, plus an optional user lexicon held
 * in memory. Internal to libsou.
 */
#ifndef SOU_LIB_LEXICON_H
#define SOU_LIB_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include "sou/status.h"

typedef struct sou_lexicon sou_lexicon;

/* Maps the lexicon file at path; with path NULL, the default one:
 * $SOU_LEXICON, else share/sou/lexicon.bin beside or above the running
 * program's directory (a build tree, or an installed prefix), else
 * SOU_DATADIR. *out is owned: sou_lexicon_close(). Returns SOU_OK,
 * SOU_ERR_IO (missing or unreadable; the message names every place
 * tried) or SOU_ERR_NOMEM. */
int sou_lexicon_open(const char *path, sou_lexicon **out, sou_error *err);
void sou_lexicon_close(sou_lexicon *lx);

/* Adds a user lexicon, text[0..len): one word a line, optionally followed
 * by whitespace and a frequency; '#' starts a comment. name labels error
 * messages ("name:line: ..."). Words must be CJK ideographs; they are
 * folded to Simplified. Returns SOU_OK, SOU_ERR_DOC for a bad line, or
 * SOU_ERR_NOMEM. */
int sou_lexicon_add_user(sou_lexicon *lx, const char *text, size_t len, const char *name,
                         sou_error *err);

/* Looks key[0..len) up (folded UTF-8): 0 when no word starts with it,
 * else 1, with *cost set when it is a word itself (and left alone when it
 * is only a word's beginning, *is_word then 0). */
int sou_lexicon_find(const sou_lexicon *lx, const char *key, size_t len, int *is_word,
                     uint16_t *cost);

/* The same, given hash = sou_lex_hash(key, len) (lexicon_format.h), which
 * a caller extending a key character by character computes cheaply. */
int sou_lexicon_find_hashed(const sou_lexicon *lx, const char *key, size_t len, uint64_t hash,
                            int *is_word, uint16_t *cost);

/* The same for the one character c, whose UTF-8 is key[0..len) with
 * hash; served from a dense table when c is in the CJK blocks. */
int sou_lexicon_find_char(const sou_lexicon *lx, int c, const char *key, size_t len, uint64_t hash,
                          int *is_word, uint16_t *cost);

/* Asks the processor to fetch the slot a lookup of hash will read first:
 * the table is megabytes, so a lookup mostly waits on memory, and the
 * segmenter knows the next keys well before it looks them up. */
void sou_lexicon_prefetch(const sou_lexicon *lx, uint64_t hash);

/* The cost of a character that is no word, and the longest word in
 * characters. */
uint32_t sou_lexicon_unknown_cost(const sou_lexicon *lx);
uint32_t sou_lexicon_max_chars(const sou_lexicon *lx);

/* Hex digests (FNV-1a 64) of the mapped file and of the user lexicon's
 * text ("" with none): recorded in the index so a query is segmented with
 * the same words. Borrowed, valid for the life of lx. */
const char *sou_lexicon_digest(const sou_lexicon *lx);
const char *sou_lexicon_user_digest(const sou_lexicon *lx);

/* The path that was mapped. Borrowed. */
const char *sou_lexicon_path(const sou_lexicon *lx);

#endif
