/*
 * analyze.h - the analysis chain shared by the indexer and the query side.
 *
 * Text is segmented with ICU's word break iterator (locale zh_Hant; ICU uses
 * one Chinese/Japanese dictionary for all locales) run over the UTF-8 bytes
 * directly, so every token carries byte offsets into the original text.
 * In the default modes ICU does not see Han: runs of Han characters are
 * cut with a lexicon instead (lib/segment.c), which fixes most of ICU's
 * errors on unknown words and glued function words and cuts both scripts
 * alike. In the icu mode ICU cuts Han itself, reading Simplified
 * characters as their Traditional forms (its dictionary keeps 委員會 whole
 * but splits 委员会).
 * Whitespace and punctuation are
 * dropped; letters, numbers, ideographs and kana are kept. Each kept word is
 * normalized (see normalize.h: NFKC, case folding, and Traditional folded
 * to Simplified, so 貿易 and 贸易 are one term). Words with Latin letters
 * also yield their English Snowball stem as a colocated token.
 *
 * Because the indexer and sou-query call the same function, a word is
 * segmented and normalized identically on both sides. Terms longer than
 * SOU_WORD_MAX bytes after normalization are not indexable (they are
 * reported with SOU_TOK_TOO_LONG and no term, and still take a position).
 *
 * The model is SQLite FTS5's xTokenize: the caller passes a callback that
 * receives each token; the term is valid only during that call.
 */
#ifndef SOU_ANALYZE_H
#define SOU_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

#include "sou/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest indexable normalized word, in bytes. Leaves room for a term
 * prefix under Xapian's 245-byte term limit. */
#define SOU_WORD_MAX 120

typedef struct sou_analyzer sou_analyzer;

enum sou_analyze_mode {
    SOU_MODE_DOCUMENT = 1, /* text being indexed */
    SOU_MODE_QUERY = 2,    /* text typed by a user */
    SOU_MODE_SKIP_HAN = 3  /* as DOCUMENT, but runs of Han are neither cut nor
                              reported (in the icu mode, as DOCUMENT): for a
                              caller that finds Chinese words as written */
};

/* Token flags (a bit set). */
enum sou_token_flag {
    SOU_TOK_CJK = 0x01,       /* ideographic or kana word */
    SOU_TOK_NUMBER = 0x02,    /* digits */
    SOU_TOK_LETTER = 0x04,    /* alphabetic word (Latin, Greek, Cyrillic, ...) */
    SOU_TOK_COLOCATED = 0x08, /* same position as the previous token */
    SOU_TOK_STEM = 0x10,      /* the term is a stem of the previous token */
    SOU_TOK_TOO_LONG = 0x20   /* word over SOU_WORD_MAX: term is empty */
};

/* How runs of ideographs are cut into terms. */
enum sou_segmentation {
    SOU_SEG_WORDS = 0,  /* ICU, then the lexicon pass (the default) */
    SOU_SEG_ICU = 1,    /* ICU's words as they come */
    SOU_SEG_BIGRAMS = 2 /* overlapping character pairs, no words */
};

/* An analyzer's settings; zero-initialized means the defaults. */
typedef struct sou_analysis_opts {
    int segmentation;         /* enum sou_segmentation */
    int no_grams;             /* words only: the index keeps no gram lists */
    const char *lexicon_path; /* NULL: the default lexicon (see lexicon.h) */
    const char *user_lexicon; /* a user lexicon's text, or NULL */
    size_t user_lexicon_len;
    const char *user_lexicon_name; /* for error messages */
} sou_analysis_opts;

/* The analysis modes by name: "words+grams" (the default), "words", "icu"
 * and "bigrams". Sets opts' segmentation and no_grams; returns 0, or -1 for
 * an unknown name. */
int sou_analysis_mode_parse(const char *name, sou_analysis_opts *opts);

/* The name of opts' mode. Static string. */
const char *sou_analysis_mode_name(const sou_analysis_opts *opts);

/* Called for each token. term[0..term_len) is NUL-terminated and borrowed
 * until the callback returns; start/end are byte offsets of the word in the
 * original text; pos counts kept words from 1 (colocated tokens repeat the
 * position). A non-zero return stops the run; sou_analyze returns it. */
typedef int (*sou_token_cb)(void *ctx, int flags, const char *term, size_t term_len, size_t start,
                            size_t end, uint32_t pos);

/* A new analyzer: lexicon, stemmer and scratch buffers, made once and
 * reused for every text; ICU is loaded and its break iterator opened by
 * the first text that needs it (sou_analyze then returns SOU_ERR_ICU if it
 * cannot be, naming the library).
 * Not thread-safe: use one per thread. opts may be NULL (the defaults); it
 * is not kept. *out is owned: sou_analyzer_free(). Returns SOU_OK,
 * SOU_ERR_IO (no lexicon), SOU_ERR_DOC (a bad user lexicon line, named in
 * the message) or SOU_ERR_NOMEM. */
int sou_analyzer_open(sou_analyzer **out, const sou_analysis_opts *opts, sou_error *err);

/* sou_analyzer_open with the defaults. */
int sou_analyzer_new(sou_analyzer **out, sou_error *err);
void sou_analyzer_free(sou_analyzer *a);

/* Segments and normalizes text[0..len) (need not be NUL-terminated) and
 * calls cb for each token in order. Returns SOU_OK; SOU_ERR_UTF8 for invalid
 * UTF-8 (the message gives the byte offset, and no token is emitted);
 * SOU_ERR_ICU or SOU_ERR_NOMEM; SOU_ERR_INVALID_ARG for a bad mode, NULL, or
 * text over 2 GiB (INT32_MAX bytes, ICU's limit);
 * or the callback's non-zero return value. err is cleared on entry; a
 * callback that stops the run may fill it (its message is kept), otherwise
 * it is set to SOU_ERR_CALLBACK. */
int sou_analyze(sou_analyzer *a, int mode, const char *text, size_t len, void *ctx, sou_token_cb cb,
                sou_error *err);

/* Whether a text has needed ICU's break iterator yet (opening it reads
 * ICU's data). Outside the icu mode, Han, the punctuation and symbols
 * between runs of Han, and ASCII text but '_' and '@' (and its full-width
 * forms) never do; other scripts may. In the icu mode every text does. */
int sou_analyzer_icu_opened(const sou_analyzer *a);

/* The ICU version the analyzer segments with, e.g. "72.1": the one libsou
 * was built with, since it loads no other (ICU is loaded when a text first
 * needs it, and that load fails on another release). Borrowed, static. */
const char *sou_analyzer_icu_version(const sou_analyzer *a);

/* The analyzer's mode name, and digests of its lexicon and user lexicon
 * ("" when it uses none). Borrowed, valid for the life of a. */
const char *sou_analyzer_mode(const sou_analyzer *a);

/* Whether the mode has grams: the index lists each gram's words as
 * synonyms (layout.h), and a one- or two-character query word also
 * matches those words. */
int sou_analyzer_grams(const sou_analyzer *a);

/* Whether SOU_MODE_SKIP_HAN leaves Han out, so that it reports no word
 * holding Han: in every mode but icu, which cuts all text with ICU. */
int sou_analyzer_skips_han(const sou_analyzer *a);
const char *sou_analyzer_lexicon_digest(const sou_analyzer *a);
const char *sou_analyzer_user_lexicon_digest(const sou_analyzer *a);

#ifdef __cplusplus
}
#endif

#endif
