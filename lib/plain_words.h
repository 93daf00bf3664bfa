/*
 * plain_words.h - ICU's word breaking, as ICU 72 does it, for plain text
 * (ASCII, its full-width forms and common punctuation), without ICU. ICU
 * costs a couple of hundred instructions a character through a UText;
 * English text and the Latin stretches of Chinese text are mostly plain.
 * Internal to libsou.
 */
#ifndef SOU_LIB_PLAIN_WORDS_H
#define SOU_LIB_PLAIN_WORDS_H

#include <stddef.h>
#include <stdint.h>

/* Whether the valid UTF-8 s[0..n) is plain: ASCII other than '_' and '@'
 * (which ICU joins to words in ways not worth copying) and their full-width
 * and small forms (U+FF01-U+FF5E, U+FE50-U+FE6A); U+00A0, U+00B7, U+2013,
 * U+2014, U+2018, U+2019, U+201C, U+201D, U+2026 and U+2027;
 * U+2500-U+25FF, U+3000-U+3004, U+3008-U+3020, Bopomofo
 * (U+3105-U+312F) and its tone marks (U+02C7, U+02CA, U+02CB, U+02D9),
 * and the vertical forms U+FE30-U+FE4C but U+FE33 and U+FE34. */
int sou_plain_text(const char *s, size_t n);

/* Whether the code point cp is plain and never part of a word by itself:
 * a space, a mark or a symbol, or a character that only joins two others
 * (a stretch of such characters alone holds no word). */
int sou_plain_never_word(uint32_t cp);

/* The next word of the plain text s[from, to): its start in *start and its
 * end, or to when there is none (then *start is to). *flags is
 * SOU_TOK_LETTER or SOU_TOK_NUMBER (analyze.h), as ICU's status says. */
size_t sou_plain_next_word(const char *s, size_t from, size_t to, size_t *start, int *flags);

#endif
