/*
 * names.h - the glossary inside an index: senses stored as metadata, looked
 * up by the words of any of their names, and turned into queries.
 *
 * Metadata layout (see also layout.h):
 *   SOU_META_SENSES          number of senses, decimal
 *   SOU_META_SENSE  + N      sense N (0-based) as JSON (glossary.h)
 *   SOU_META_NAME   + KEY    JSON array of the sense numbers that have a
 *                            name whose words are KEY
 * A name's KEY is its analyzed words (analyze.h: normalized and folded)
 * joined by single spaces, so a name typed in any case, width or script
 * finds its senses: CTI, cti and ＣＴＩ all give "cti"; 贸易暨投资委员会
 * and 貿易暨投資委員會 give the same key.
 */
#ifndef SOU_NAMES_H
#define SOU_NAMES_H

#include <stddef.h>

#include "sou/analyze.h"
#include "sou/glossary.h"
#include "sou/status.h"
#include "sou/strlist.h"
#include "sou/xapian.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest name, in words, that is looked up. */
#define SOU_NAME_WORDS_MAX 16
/* Longest key, in bytes. */
#define SOU_NAME_KEY_MAX 200

/* Computes the key of name[0..len) into key (capacity SOU_NAME_KEY_MAX + 1)
 * and its number of words. Returns SOU_OK; SOU_ERR_DOC when the name has no
 * words or is too long to be a key; or an analysis error. */
int sou_name_key(sou_analyzer *a, const char *name, size_t len, char *key, size_t *nwords,
                 sou_error *err);

/* Writes every sense of g and the keys of all their names into the index,
 * replacing the glossary it held. Returns SOU_OK or a wrapper or analysis
 * error. */
int sou_names_store(sou_wdb *wdb, sou_analyzer *a, const sou_glossary *g, sou_error *err);

/* Appends to out the senses that have a name with this key, best known
 * first (most documents, then glossary order). Returns SOU_OK (nothing
 * appended when the key names nothing), or an error. */
int sou_names_lookup(const sou_db *db, const char *key, size_t len, sou_glossary *out,
                     sou_error *err);

/* Appends every sense stored in the index, in stored order. */
int sou_names_load_all(const sou_db *db, sou_glossary *out, sou_error *err);

/* The query for sense s: one SYNONYM over all its names (a single-word name
 * as its term, a longer one as a phrase), so BM25 counts them as one word.
 * extra (may be NULL) is put in the group too. For highlighting, names of
 * one word are added to words and longer names, as their keys, to phrases
 * (either may be NULL). *out is owned: sou_query_free(); NULL when no name
 * has a searchable word. */
int sou_sense_query(sou_analyzer *a, const sou_sense *s, const sou_query *extra, sou_query **out,
                    sou_strlist *words, sou_strlist *phrases, sou_error *err);

/* The same for senses v[0..n) together: one SYNONYM in which a name shared
 * by several senses (their acronym, say) is one member, not one per sense,
 * since each member adds its occurrences to the group's wdf. typed (may be
 * NULL; borrowed) comes first: the query for what was typed. A one-word
 * name whose key is typed_word (may be NULL) is highlighted but left out of
 * the query, as typed matches it already (the word, or its stem, which the
 * indexer adds wherever the word is). */
int sou_senses_query(sou_analyzer *a, const sou_sense *v, size_t n, const sou_query *typed,
                     const char *typed_word, sou_query **out, sou_strlist *words,
                     sou_strlist *phrases, sou_error *err);

/* Sets docs of every sense of g to the number of documents in db that
 * contain one of its names other than the acronym (which senses may share).
 * Returns SOU_OK or an error. */
int sou_names_count_docs(sou_db *db, sou_analyzer *a, sou_glossary *g, sou_error *err);

#ifdef __cplusplus
}
#endif

#endif
