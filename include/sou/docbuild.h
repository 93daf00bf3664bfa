/*
 * docbuild.h - turning a corpus document into a Xapian document, following
 * the index layout in layout.h.
 */
#ifndef SOU_DOCBUILD_H
#define SOU_DOCBUILD_H

#include <stddef.h>

#include "sou/analyze.h"
#include "sou/document.h"
#include "sou/status.h"
#include "sou/xapian.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The checks sou_doc_build() starts with, which need no analysis: an id
 * of at most SOU_ID_MAX bytes, some title or body text, valid dates.
 * Returns SOU_OK or SOU_ERR_DOC with the message saying which failed. */
int sou_doc_check(const sou_document *d, sou_error *err);

/* Builds the Xapian document for d: title and body terms with positions,
 * stems, id, type and lang filter terms, the date value and the stored
 * fields. On SOU_OK *out is owned (sou_doc_free()) and id_term (capacity at
 * least SOU_ID_MAX + 2) holds the unique id term to replace by.
 * Returns SOU_OK, SOU_ERR_DOC (no id, an empty document, or an invalid date,
 * with the message saying which), SOU_ERR_UTF8, SOU_ERR_NOMEM or an error
 * from the analyzer or the wrapper. */
int sou_doc_build(sou_analyzer *a, const sou_document *d, sou_doc **out, char *id_term,
                  sou_error *err);

/* Converts an ISO date "YYYY", "YYYY-MM" or "YYYY-MM-DD" into the 8-digit
 * sortable key of layout.h: missing parts become "00", or "99" when upper
 * is non-zero (for the top end of a range). out must hold 9 bytes.
 * Returns 0, or -1 if s is not such a date (a month over 12 or a day over
 * 31 included). */
int sou_date_key(const char *s, size_t len, int upper, char out[9]);

/* The analysis settings recorded in an index (layout.h, SOU_META_ANALYSIS):
 * a JSON text naming the chain's version, mode, lexicon digests and ICU
 * version. Owned: free(). NULL when out of memory. */
char *sou_analysis_settings(const sou_analyzer *a);

#ifdef __cplusplus
}
#endif

#endif
