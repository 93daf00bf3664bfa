/*
 * qparse.h - the query language, parsed with the index's own analysis
 * chain into a Xapian query (layout in layout.h).
 *
 *   words        all must match; English words match any form with the
 *                same stem (meetings finds meeting)
 *   資深官員會議   a run of text without spaces: its words must all match,
 *                and documents holding them as a phrase rank higher
 *   "a phrase"   the words in this order, exactly (no stemming); “…” too
 *   -word        documents with word are left out (-"a phrase" too)
 *   a OR b       either; OR binds the clauses next to it, so
 *                `x a OR b` means x AND (a OR b)
 *   type:T lang:L id:ID
 *                filters; several values of one field are alternatives
 *   date:A..B    documents dated from A to B, each YYYY[-MM[-DD]]; either
 *                end may be left open (date:2026-05.. or date:..2026-09);
 *                date:A alone means that year, month or day
 */
#ifndef SOU_QPARSE_H
#define SOU_QPARSE_H

#include <stddef.h>

#include "sou/analyze.h"
#include "sou/status.h"
#include "sou/xapian.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A list of owned, NUL-terminated strings. */
typedef struct sou_strlist {
    char **items;
    size_t n;
    size_t cap;
} sou_strlist;

/* Appends a copy of s[0..len) unless already present when unique != 0.
 * Returns SOU_OK or SOU_ERR_NOMEM. */
int sou_strlist_add(sou_strlist *l, const char *s, size_t len, int unique, sou_error *err);
void sou_strlist_release(sou_strlist *l);

typedef struct sou_parsed_query {
    sou_query *query;    /* owned: released by sou_parsed_query_release() */
    sou_strlist tokens;  /* every analyzed word of the query, in order */
    sou_strlist words;   /* words of the clauses that must or may match */
    sou_strlist stems;   /* their English stems, where a stem was searched */
    size_t error_column; /* on SOU_ERR_QUERY_SYNTAX: 1-based character */
} sou_parsed_query;

/* Parses text[0..len). On SOU_OK, *out holds the query and term lists; the
 * caller releases it with sou_parsed_query_release() whatever the result.
 * Returns SOU_OK; SOU_ERR_QUERY_SYNTAX (message and error_column say where);
 * SOU_ERR_EMPTY_QUERY when nothing searchable is left; SOU_ERR_UTF8;
 * SOU_ERR_NOMEM; or an analysis or wrapper error. */
int sou_qparse(sou_analyzer *a, const char *text, size_t len, sou_parsed_query *out,
               sou_error *err);

void sou_parsed_query_release(sou_parsed_query *pq);

#ifdef __cplusplus
}
#endif

#endif
