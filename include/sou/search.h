/*
 * search.h - one search from query text to ranked, snippeted results: the
 * part sou-query and sou.cgi share, so both rank and show results alike.
 */
#ifndef SOU_SEARCH_H
#define SOU_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "sou/qparse.h"
#include "sou/shards.h"
#include "sou/snippet.h"
#include "sou/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sou_searcher sou_searcher;
struct json_t; /* jansson's */

enum sou_search_flag {
    SOU_SEARCH_NO_EXPAND = 1, /* do not expand acronyms and names */
    SOU_SEARCH_FACETS = 2     /* count results by type, city and month */
};

typedef struct sou_search_opts {
    uint32_t offset;      /* results to skip */
    uint32_t limit;       /* results to return */
    size_t snippet_chars; /* 0: no snippets */
    double time_limit;    /* with SOU_SEARCH_FACETS, seconds after which
                           * counting every match stops; 0: none */
    int flags;            /* sou_search_flag bits */
} sou_search_opts;

/* Defaults: offset 0, limit 10, snippets of 160 characters, 1 s, no
 * flags. */
void sou_search_opts_init(sou_search_opts *o);

typedef struct sou_result {
    uint32_t rank; /* 1-based, over the whole result list */
    double score;  /* BM25 weight */
    int percent;
    char *data; /* stored data: the fields as a JSON object, then the body (layout.h); owned */
    size_t data_len;
    sou_snippet snippet;   /* zeroed when snippets are off */
    struct json_t *fields; /* data parsed for the snippet (owned); see sou_result_fields() */
} sou_result;

/* One facet value and how many matching documents have it. */
typedef struct sou_facet_value {
    char *value; /* owned */
    uint32_t count;
} sou_facet_value;

/* Counts of the matching documents by one field, most frequent first. */
typedef struct sou_facet {
    const char *name;   /* "type", "city" or "month": static */
    const char *filter; /* the query field that selects a value: static */
    sou_facet_value *v;
    size_t n;
} sou_facet;

#define SOU_FACETS 3

typedef struct sou_results {
    sou_parsed_query pq;   /* the parsed query and its words */
    char *description;     /* Xapian's view of the query (owned) */
    uint32_t estimated;    /* estimated number of matches */
    uint32_t lower, upper; /* bounds of that estimate */
    sou_result *v;         /* this page, best first */
    size_t n;
    double seconds;               /* time taken by parsing, matching and snippets */
    sou_facet facets[SOU_FACETS]; /* with SOU_SEARCH_FACETS */
    size_t nfacets;
    uint32_t counted;     /* the matches the facets count */
    sou_strlist warnings; /* shards left out of a partial answer */
} sou_results;

/* Opens the index directory db_path for searching and checks that it was
 * built with this analysis chain. *out is owned: sou_searcher_free().
 * Returns SOU_OK; SOU_ERR_DB_NOT_FOUND ("no index at PATH; run sou-index
 * first"); SOU_ERR_DB_OPENING when the index was built with other analysis
 * settings or is not a Sou index; or another open error. */
int sou_searcher_open(const char *db_path, sou_searcher **out, sou_error *err);

/* The same for several databases searched as one index: each an index
 * directory, a stub file or remote:HOST:PORT (shards.h); o (may be NULL)
 * sets remote timeouts and allow_partial, with which shards that fail,
 * when opening or during a search, are left out and named in each
 * result's warnings instead of failing it. Its callback is not used. */
int sou_searcher_open_many(const char *const *paths, size_t n, const sou_open_opts *o,
                           sou_searcher **out, sou_error *err);
void sou_searcher_free(sou_searcher *s);

/* Runs query[0..len). Fills *out, which the caller releases with
 * sou_results_release() whatever the result (out->pq.error_column tells
 * where a syntax error is). Returns SOU_OK, a sou_qparse() error, or a
 * database error; a database changed under the search is reopened and the
 * search retried. */
int sou_search(sou_searcher *s, const char *query, size_t len, const sou_search_opts *opts,
               sou_results *out, sou_error *err);

void sou_results_release(sou_results *r);

/* Whether r's facet counts cover every match (r->counted is r->upper):
 * false when the time limit stopped the counting first. */
int sou_results_facets_exact(const sou_results *r);

/* The stored fields of res as a jansson object, without the body (stored
 * apart, layout.h; an older index keeps it among them): those the search
 * parsed for the snippet, or parsed now, so that they are parsed once.
 * Returns a new reference (the caller json_decref()s it), or NULL if the
 * data is not a JSON object. */
struct json_t *sou_result_fields(const sou_result *res);

/* Writes the query text that selects facet value value of f (e.g.
 * type:meeting, city:廣州, city:"Hong Kong", month:2026-05) into out
 * (capacity cap, NUL-terminated): a city stored as "zh / en" is selected
 * by its first name; a value with spaces, a colon or a leading - is
 * quoted. Returns 0, or -1 if it does not fit or cannot be written as a
 * query (a value holding a double quote). */
int sou_facet_filter(const sou_facet *f, const char *value, char *out, size_t cap);

/* The results as the JSON object that sou-query --json and sou.cgi print:
 *   {"query", "tokens", "expansions", "total", "offset", "results":
 *    [{"rank", "id", "title", "score", "percent", "snippet",
 *    "snippet_cut_before", "snippet_cut_after", "highlights", "fields"}],
 *    "facets", "facets_counted", "facets_exact", "warnings", "time_ms"}
 * "highlights" are [start, end) pairs of character (code point) offsets
 * into "snippet"; "fields" holds every stored field except the body.
 * "expansions" lists each expanded name: {"from", "senses": [{"acronym",
 * "zh", "en", "aliases", "sources", "docs"}]}. With facets, "facets" maps
 * "type", "city" and "month" to [{"value", "count", "filter"}], where
 * filter is the query text that selects that value (sou_facet_filter);
 * "facets_counted" is r->counted, and "facets_exact"
 * sou_results_facets_exact(). "warnings", only when some shards were left out of the answer
 * (allow_partial), names each of them and why.
 * Owned: free(). NULL when out of memory. */
char *sou_results_json(const sou_results *r, const char *query, size_t len, uint32_t offset,
                       int pretty);

#ifdef __cplusplus
}
#endif

#endif
