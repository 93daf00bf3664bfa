/*
 * snippet.h - choosing a passage of a document around the words a query
 * matched, and where to highlight them.
 *
 * The text is run through the same analysis chain as the index, so a match
 * is decided exactly as the search decided it: a token matches when its term
 * is one of the query's words, or its English stem is one of the query's
 * stems, or it is part of a run of tokens that spells one of the query's
 * phrases. Offsets come from the analyzer, so highlights never drift.
 */
#ifndef SOU_SNIPPET_H
#define SOU_SNIPPET_H

#include <stddef.h>

#include "sou/analyze.h"
#include "sou/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What to highlight: normalized words and English stems (both without any
 * index prefix), as given by the query parser. Borrowed by sou_snippet(). */
typedef struct sou_match_terms {
    const char *const *words;
    size_t nwords;
    const char *const *stems;
    size_t nstems;
    /* Names of several words (an expansion's "committee on trade and
     * investment"), each its normalized words joined by single spaces:
     * highlighted only where all its words stand together, so "on" and
     * "and" are not lit all over the text. May be NULL with nphrases 0. */
    const char *const *phrases;
    size_t nphrases;
    /* The words the user typed, among words (not their expansions): the
     * passage shows as many of them as it can before anything else. May
     * be NULL with ntyped 0. */
    const char *const *typed;
    size_t ntyped;
} sou_match_terms;

/* A highlighted span of the snippet text, in bytes. */
typedef struct sou_span {
    size_t start;
    size_t end;
} sou_span;

/* A passage: text (owned, NUL-terminated, valid UTF-8, runs of whitespace
 * folded to one space) and the spans within it to highlight, in order and
 * not overlapping. cut_before/cut_after say whether text was left out
 * before or after the passage (renderers show an ellipsis). */
typedef struct sou_snippet {
    char *text;
    size_t len;
    sou_span *spans;
    size_t nspans;
    int cut_before;
    int cut_after;
} sou_snippet;

/* Picks the passage of at most max_chars characters (code points) of
 * text[0..len) holding the most distinct matched terms, then the most
 * matches, starting a little before the first of them; with no match, the
 * start of the text. Fills *out, which the caller releases with
 * sou_snippet_release(). Returns SOU_OK, SOU_ERR_UTF8, SOU_ERR_NOMEM,
 * SOU_ERR_INVALID_ARG or an analysis error. */
int sou_snippet_make(sou_analyzer *a, const char *text, size_t len, const sou_match_terms *mt,
                     size_t max_chars, sou_snippet *out, sou_error *err);

/* Frees what *s owns and zeroes it; a zeroed snippet may be released again. */
void sou_snippet_release(sou_snippet *s);

#ifdef __cplusplus
}
#endif

#endif
