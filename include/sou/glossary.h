/*
 * glossary.h - names of things: acronyms with their Chinese and English
 * names and aliases, each set one "sense". Loaded from glossary files and
 * learned from the corpus, stored in the index (names.h) and used to
 * expand queries both ways: CTI finds 貿易暨投資委員會 and the English name,
 * and either name finds CTI.
 *
 * Glossary file format (UTF-8, tab-separated, one sense per line):
 *
 *   # comment lines and blank lines are ignored
 *   acronym<TAB>zh_hant<TAB>english<TAB>aliases
 *   CTI<TAB>貿易暨投資委員會<TAB>Committee on Trade and Investment<TAB>貿易投資委員會 |
 * 贸易和投资委员会
 *
 * The header line (first field "acronym") is optional. Any column but one
 * may be empty; the aliases column may be left out; aliases are separated
 * by " | ". A line with fewer than two names, or with more than four
 * columns, is reported with its file and line and skipped.
 */
#ifndef SOU_GLOSSARY_H
#define SOU_GLOSSARY_H

#include <stddef.h>
#include <stdint.h>

#include "sou/status.h"
#include "sou/strlist.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sou_sense {
    char *acronym;       /* owned; NULL when the sense has none */
    char *zh;            /* owned; NULL when absent */
    char *en;            /* owned; NULL when absent */
    sou_strlist aliases; /* other names: variants, Simplified forms, ... */
    sou_strlist sources; /* where it comes from: "FILE:LINE" or "mined:DOC-ID" */
    uint32_t docs;       /* documents of the index that name it */
} sou_sense;

/* Caller-owned; zero-initialize it ({0}) and release it with
 * sou_glossary_release(). */
typedef struct sou_glossary {
    sou_sense *v;
    size_t n;
    size_t cap;
} sou_glossary;

void sou_glossary_release(sou_glossary *g);

/* Called for each line of a glossary file that is skipped; msg names the
 * file and line. */
typedef void (*sou_glossary_warn)(void *ctx, const char *msg);

/* Appends the senses of the glossary file at path. Bad lines are passed to
 * warn (may be NULL) and counted in *skipped (may be NULL). Returns SOU_OK,
 * SOU_ERR_IO (the file cannot be read) or SOU_ERR_NOMEM. */
int sou_glossary_load(sou_glossary *g, const char *path, sou_glossary_warn warn, void *ctx,
                      size_t *skipped, sou_error *err);

/* Appends a sense; any name may be NULL or empty (at least two names must
 * be given: SOU_ERR_INVALID_ARG otherwise). aliases is " | "-separated (may
 * be NULL). Returns SOU_OK, SOU_ERR_INVALID_ARG or SOU_ERR_NOMEM. */
int sou_glossary_add(sou_glossary *g, const char *acronym, const char *zh, const char *en,
                     const char *aliases, const char *source, sou_error *err);

/* Merges a definition learned from the corpus (acronym and at least one of
 * zh, en). A sense with the same acronym (compared without case) and a
 * matching name gains the source, and the other name as an alias when it
 * is new; a learned Chinese name that merely ends with a known sense's
 * Chinese name (an over-long guess such as 運用新興資通訊科技 for 資通訊科技),
 * or an English one that starts with its English name ("Economic Committee
 * meeting"), counts as that sense. Otherwise, when may_add is non-zero, a
 * new sense is added; callers pass 0 for guesses they are not sure of, so
 * that those only confirm what is known. Returns SOU_OK,
 * SOU_ERR_INVALID_ARG or SOU_ERR_NOMEM. */
int sou_glossary_learn(sou_glossary *g, const char *acronym, const char *zh, const char *en,
                       const char *source, int may_add, sou_error *err);

/* The sense as a JSON object text {"acronym", "zh", "en", "aliases",
 * "sources", "docs"}; owned: free(). NULL when out of memory. */
char *sou_sense_to_json(const sou_sense *s);

/* Parses such a JSON text into *s (zeroed first; release it with
 * sou_sense_release()). Returns SOU_OK, SOU_ERR_JSON or SOU_ERR_NOMEM. */
int sou_sense_from_json(const char *text, size_t len, sou_sense *s, sou_error *err);

void sou_sense_release(sou_sense *s);

#ifdef __cplusplus
}
#endif

#endif
