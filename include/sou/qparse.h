/*
 * qparse.h - the query language, parsed with the index's own analysis
 * chain into a Xapian query (layout in layout.h).
 *
 *   words        all must match; English words match any form with the
 *                same stem (meetings finds meeting)
 *   資深官員會議   a run of text without spaces: its words must all match,
 *                and documents holding them as a phrase rank higher
 *   "a phrase"   the words in this order, exactly (no stemming); “…” too
 *   -word        documents with word are left out (-"a phrase",
 *                -type:forum and -date:2026-02 too)
 *   a OR b       either; OR binds the clauses next to it, so
 *                `x a OR b` means x AND (a OR b)
 *   type:T lang:L id:ID city:C priority:P acronym:A forum:F month:YYYY-MM
 *                filters (lib/fields.c); several values of one field are
 *                alternatives; a value with spaces is quoted:
 *                city:"Hong Kong"; values match in any case, width or
 *                Chinese script
 *   date:A..B    documents dated from A to B, each YYYY[-MM[-DD]]; either
 *                end may be left open (date:2026-05.. or date:..2026-09);
 *                date:A alone means that year, month or day; a document
 *                matches when its span (date to end_date) overlaps
 *
 * Names expand both ways when an index is given (names.h): an acronym in
 * any case or width, or a full Chinese or English name, matches every name
 * of its senses, as one SYNONYM group so BM25 counts it once. An acronym is
 * one word of the query, never part of a longer one.
 */
#ifndef SOU_QPARSE_H
#define SOU_QPARSE_H

#include <stddef.h>

#include "sou/analyze.h"
#include "sou/glossary.h"
#include "sou/status.h"
#include "sou/strlist.h"
#include "sou/xapian.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Limits that keep one query's work bounded, whoever sends it (sou-query,
 * sou.cgi). Matching costs about one posting list per term, and a short
 * Chinese word is a SYNONYM of up to 64 words (grams, layout.h), so the
 * work grows with the words; Xapian's time limit does not bound it (it
 * only stops counting matches beyond the page). A query over a limit is
 * refused with SOU_ERR_QUERY_SYNTAX and a message naming the limit,
 * rather than searched in part, which would quietly find something else
 * than was asked. Measured costs: README, "Limits". */

/* Bytes of query text: room for SOU_QUERY_WORDS_MAX long English words;
 * it bounds the analysis run before the words are counted. */
#define SOU_QUERY_BYTES_MAX 4096
/* Words of the query (as analyzed: 資深官員會議 is three), quoted and
 * excluded ones included. Web search engines stop at about 32; a 10 MB
 * index takes ~1.2 ms a word at worst (a single Chinese character). */
#define SOU_QUERY_WORDS_MAX 32
/* Filters (type:, city:, date:, ... and excluded ones): there are nine
 * fields, and a facet link adds one; 16 leaves room for alternatives. */
#define SOU_QUERY_FILTERS_MAX 16
/* Acronyms and names expanded in one query: each may bring several
 * senses, each with several names and aliases as phrases. */
#define SOU_EXPANSIONS_MAX 16
/* Senses of one expanded name: the index's glossary decides how many an
 * acronym has, not the query, so the rest (least used) are dropped
 * rather than refused. */
#define SOU_SENSES_MAX 8

/* One expanded name of the query. */
typedef struct sou_expansion {
    char *from;          /* the query text that was expanded (owned) */
    sou_glossary senses; /* its senses, best known first */
} sou_expansion;

typedef struct sou_parsed_query {
    sou_query *query;    /* owned: released by sou_parsed_query_release() */
    sou_strlist tokens;  /* every word of the query as typed, in order */
    sou_strlist words;   /* normalized words to highlight (expansions too) */
    sou_strlist typed;   /* those of them the user typed */
    sou_strlist stems;   /* English stems to highlight */
    sou_strlist phrases; /* expanded names of several words to highlight */
    sou_expansion *expansions;
    size_t nexpansions;
    size_t error_column; /* on SOU_ERR_QUERY_SYNTAX: 1-based character */
} sou_parsed_query;

enum sou_qparse_flag {
    SOU_QPARSE_NO_EXPAND = 1 /* do not expand names */
};

/* Parses text[0..len). names_db (may be NULL: no expansion) is the index
 * whose glossary expands names. On SOU_OK, *out holds the query, word lists
 * and expansions; the caller releases it with sou_parsed_query_release()
 * whatever the result. Returns SOU_OK; SOU_ERR_QUERY_SYNTAX (message and
 * error_column say where; also a query over a limit above, the message
 * naming it); SOU_ERR_EMPTY_QUERY when nothing searchable is
 * left; SOU_ERR_UTF8; SOU_ERR_NOMEM; or an analysis, index or wrapper
 * error. */
int sou_qparse(sou_analyzer *a, const sou_db *names_db, int flags, const char *text, size_t len,
               sou_parsed_query *out, sou_error *err);

void sou_parsed_query_release(sou_parsed_query *pq);

#ifdef __cplusplus
}
#endif

#endif
