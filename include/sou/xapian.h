/*
 * xapian.h - a thin C interface to libxapian.
 *
 * The implementation (lib/xapian.cc) is libsou's only C++ file. Every
 * function catches every exception and returns a sou_status with the Xapian
 * error class and message copied into the caller's struct sou_error; no C++
 * exception ever reaches C. Out-pointers are set to NULL (or 0) before any
 * work, so they are safe to free after a failure.
 *
 * Handles are opaque and owned by the caller unless a comment says otherwise;
 * each is freed with its _free function, and every _free accepts NULL.
 * Strings passed in are (pointer, length) pairs and are copied; strings
 * handed out are either malloc'd copies the caller frees with free(), or are
 * passed to a callback and valid only during that call.
 */
#ifndef SOU_XAPIAN_H
#define SOU_XAPIAN_H

#include <stddef.h>
#include <stdint.h>

#include "sou/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sou_db sou_db;           /* a read-only database (one or several) */
typedef struct sou_wdb sou_wdb;         /* a writable database */
typedef struct sou_doc sou_doc;         /* a document being built */
typedef struct sou_query sou_query;     /* an immutable query tree */
typedef struct sou_enquire sou_enquire; /* a search session over a sou_db */
typedef struct sou_mset sou_mset;       /* one page of ranked results */
typedef struct sou_stemmer sou_stemmer; /* a Snowball stemmer */

/* Xapian's own limit on a term's length in bytes (glass backend). */
#define SOU_TERM_MAX 245

/* ---- Read-only databases ------------------------------------------------ */

/* Opens the database at path: a Xapian database directory, a stub file, or a
 * directory holding a XAPIANDB stub. *out is owned: sou_db_free().
 * Returns SOU_OK, SOU_ERR_DB_NOT_FOUND, SOU_ERR_DB_OPENING, SOU_ERR_DB_CORRUPT,
 * SOU_ERR_NETWORK, SOU_ERR_INVALID_ARG, SOU_ERR_NOMEM or SOU_ERR_XAPIAN. */
int sou_db_open(const char *path, sou_db **out, sou_error *err);

/* Opens the database xapian-tcpsrv serves at host:port. Every request
 * fails after timeout_ms without an answer (connecting, after
 * connect_timeout_ms) rather than waiting: SOU_ERR_NETWORK. *out is owned:
 * sou_db_free(). */
int sou_db_open_remote(const char *host, unsigned port, unsigned timeout_ms,
                       unsigned connect_timeout_ms, sou_db **out, sou_error *err);

/* Opens n databases and searches them as one (statistics are combined, so
 * scores equal those of a single merged database). Same returns as
 * sou_db_open; n must be at least 1. *out is owned: sou_db_free(). */
int sou_db_open_many(const char *const *paths, size_t n, sou_db **out, sou_error *err);

/* Brings db up to the latest committed revision. SOU_OK or an error as
 * sou_db_open. */
int sou_db_reopen(sou_db *db, sou_error *err);

/* Adds the databases of other to db, so db searches both as one (the
 * shards of an index); other is not changed and may be freed. */
int sou_db_add(sou_db *db, const sou_db *other, sou_error *err);

void sou_db_free(sou_db *db);

/* The committed revision of db, which must be a single database (one
 * shard): SOU_ERR_INVALID_ARG for several. */
int sou_db_revision(const sou_db *db, uint64_t *out, sou_error *err);

/* Number of documents. */
int sou_db_doc_count(const sou_db *db, uint32_t *out, sou_error *err);

/* Number of documents indexed by term (0 if the term is absent). */
int sou_db_term_freq(const sou_db *db, const char *term, size_t len, uint32_t *out, sou_error *err);

/* The metadata value for key; *out is owned (free()), NUL-terminated, and
 * set to NULL with *out_len 0 when the key has no value. */
int sou_db_get_metadata(const sou_db *db, const char *key, char **out, size_t *out_len,
                        sou_error *err);

/* Term callbacks: term is borrowed, valid only during the call. A non-zero
 * return stops the walk; the function then returns SOU_ERR_CALLBACK. */
typedef int (*sou_term_cb)(void *ctx, const char *term, size_t len);

/* Calls cb for each synonym of term, in Xapian's (byte) order. */
int sou_db_synonyms(const sou_db *db, const char *term, size_t len, sou_term_cb cb, void *ctx,
                    sou_error *err);

/* Calls cb for each term that starts with prefix, in byte order. */
int sou_db_all_terms(const sou_db *db, const char *prefix, size_t len, sou_term_cb cb, void *ctx,
                     sou_error *err);

/* Calls cb for each metadata key that starts with prefix, in byte order; an
 * empty prefix (len 0, and then prefix may be NULL) lists every key. The key
 * is borrowed as in sou_term_cb; read its value with sou_db_get_metadata().
 * Returns SOU_OK, SOU_ERR_CALLBACK, SOU_ERR_INVALID_ARG or an error as
 * sou_db_open. */
int sou_db_metadata_keys(const sou_db *db, const char *prefix, size_t len, sou_term_cb cb,
                         void *ctx, sou_error *err);

/* Merges the databases at sources[0..n) into one new, compacted database
 * at dest (a directory holding no database yet), as xapian-compact does:
 * documents are renumbered, and a metadata key in several sources keeps
 * the first source's value. Returns SOU_OK or the mapped Xapian error. */
int sou_db_compact(const char *const *sources, size_t n, const char *dest, sou_error *err);

/* ---- Writable databases --------------------------------------------------- */

enum sou_wdb_mode {
    SOU_WDB_CREATE_OR_OPEN = 1,      /* open, or create if absent */
    SOU_WDB_CREATE = 2,              /* create; fail if it exists */
    SOU_WDB_CREATE_OR_OVERWRITE = 3, /* create, discarding what is there */
    SOU_WDB_OPEN = 4,                /* open; fail if absent */
    /* Or'd with a mode: commits do not wait for the disk (no fsync), for
     * scratch databases whose loss in a crash costs nothing. */
    SOU_WDB_NO_SYNC = 0x100,
    /* Or'd with a mode: changed blocks are written over the old ones
     * instead of copied (Xapian's DB_DANGEROUS), which writes less. A
     * reader cannot share the database meanwhile, and one left unclosed
     * may be unreadable: for scratch databases too. */
    SOU_WDB_IN_PLACE = 0x200
};

/* Opens path for writing. Only one writer may hold a database: a second gets
 * SOU_ERR_DB_LOCKED. *out is owned: sou_wdb_close() then sou_wdb_free(). */
int sou_wdb_open(const char *path, int mode, sou_wdb **out, sou_error *err);

/* Commits pending changes and releases the lock. Errors from the final
 * commit are reported here, never lost in sou_wdb_free(). Inside a
 * transaction it fails with SOU_ERR_INVALID_ARG and leaves wdb open: commit
 * or cancel the transaction first. Closing twice is harmless. */
int sou_wdb_close(sou_wdb *wdb, sou_error *err);

/* Frees the handle. Changes not yet committed are discarded, never
 * half-applied: call sou_wdb_close() or sou_wdb_commit() first to keep them.
 * Note that outside a transaction Xapian also commits by itself every
 * XAPIAN_FLUSH_THRESHOLD (default 10000) changed documents, and those stay;
 * inside a transaction it never does. */
void sou_wdb_free(sou_wdb *wdb);

int sou_wdb_commit(sou_wdb *wdb, sou_error *err);

/* Transactions: everything between begin and commit is applied as a whole
 * or not at all. flushed != 0 makes commit_transaction also commit to disk. */
int sou_wdb_begin_transaction(sou_wdb *wdb, int flushed, sou_error *err);
int sou_wdb_commit_transaction(sou_wdb *wdb, sou_error *err);
int sou_wdb_cancel_transaction(sou_wdb *wdb, sou_error *err);

/* Adds doc, or replaces every document indexed by id_term with it. The
 * document is copied; the caller still frees doc. *docid may be NULL.
 * A term longer than SOU_TERM_MAX is refused (SOU_ERR_INVALID_ARG) before
 * the database is touched. Any other failure here or in
 * sou_wdb_delete_document() makes Xapian discard *every* change not yet
 * committed, not just this document's. */
int sou_wdb_replace_document(sou_wdb *wdb, const char *id_term, size_t len, const sou_doc *doc,
                             uint32_t *docid, sou_error *err);

/* Deletes every document indexed by id_term (none is not an error). */
int sou_wdb_delete_document(sou_wdb *wdb, const char *id_term, size_t len, sou_error *err);

int sou_wdb_doc_count(const sou_wdb *wdb, uint32_t *out, sou_error *err);

/* A read-only view of wdb that sees its changes not yet committed, even
 * inside a transaction (an update counts and lists what it is writing).
 * *out is owned: sou_db_free() it before closing wdb, whose lock it
 * shares. */
int sou_wdb_reader(sou_wdb *wdb, sou_db **out, sou_error *err);

int sou_wdb_add_synonym(sou_wdb *wdb, const char *term, size_t term_len, const char *synonym,
                        size_t syn_len, sou_error *err);
int sou_wdb_clear_synonyms(sou_wdb *wdb, const char *term, size_t len, sou_error *err);

/* Removes every metadata entry whose key starts with prefix: what an
 * update rewrites whole. */
int sou_wdb_clear_metadata(sou_wdb *wdb, const char *prefix, size_t len, sou_error *err);

/* Sets (or, with an empty value, removes) a metadata entry. */
int sou_wdb_set_metadata(sou_wdb *wdb, const char *key, const char *value, size_t value_len,
                         sou_error *err);

/* ---- Documents ------------------------------------------------------------ */

/* A new empty document; *out is owned: sou_doc_free(). */
int sou_doc_new(sou_doc **out, sou_error *err);
void sou_doc_free(sou_doc *doc);

/* Adds term at word position pos (pos >= 1), raising its wdf by wdf_inc. */
int sou_doc_add_posting(sou_doc *doc, const char *term, size_t len, uint32_t pos, uint32_t wdf_inc,
                        sou_error *err);

/* Adds term without a position, raising its wdf by wdf_inc. */
int sou_doc_add_term(sou_doc *doc, const char *term, size_t len, uint32_t wdf_inc, sou_error *err);

/* Adds a filter term: no wdf, so it never changes the document's length or
 * weight. */
int sou_doc_add_boolean_term(sou_doc *doc, const char *term, size_t len, sou_error *err);

int sou_doc_add_value(sou_doc *doc, unsigned slot, const char *value, size_t len, sou_error *err);

/* Sets the stored data (opaque bytes) returned with each match. */
int sou_doc_set_data(sou_doc *doc, const char *data, size_t len, sou_error *err);

/* ---- Queries -------------------------------------------------------------- */

enum sou_query_op {
    SOU_OP_AND = 1,
    SOU_OP_OR = 2,
    SOU_OP_AND_NOT = 3,   /* first minus the others */
    SOU_OP_AND_MAYBE = 4, /* first, weighted up by the others */
    SOU_OP_FILTER = 5,    /* first, restricted by the others without weight */
    SOU_OP_PHRASE = 6,    /* in this order, within window positions */
    SOU_OP_NEAR = 7,      /* in any order, within window positions */
    SOU_OP_SYNONYM = 8,   /* one term for weighting: wdf and freq combined */
    SOU_OP_ELITE_SET = 9
};

/* A query for one term; wqf is its within-query frequency (usually 1) and
 * pos its position in the query (for phrase display; 0 if none). An empty
 * term (len 0) is Xapian's match-all query. *out is owned: sou_query_free(). */
int sou_query_term(const char *term, size_t len, uint32_t wqf, uint32_t pos, sou_query **out,
                   sou_error *err);

/* Combines n sub-queries with op. The subs are copied (Xapian queries are
 * reference-counted), so the caller still frees each. window is used by
 * PHRASE and NEAR (0 means the number of subs) and ignored otherwise.
 * n == 0 gives the empty query, which matches nothing. */
int sou_query_combine(int op, sou_query *const *subs, size_t n, uint32_t window, sou_query **out,
                      sou_error *err);

/* Documents whose value in slot lies in [lo, hi] by byte order; lo or hi
 * may be NULL for an open end. */
int sou_query_value_range(unsigned slot, const char *lo, const char *hi, sou_query **out,
                          sou_error *err);

/* q with its weight multiplied by factor (>= 0). */
int sou_query_scale(const sou_query *q, double factor, sou_query **out, sou_error *err);

/* Xapian's description of q, e.g. "Query((a AND b))"; *out is owned
 * (free()). */
int sou_query_describe(const sou_query *q, char **out, sou_error *err);

/* Non-zero when q is the empty query. */
int sou_query_is_empty(const sou_query *q);

void sou_query_free(sou_query *q);

/* ---- Searching ------------------------------------------------------------ */

/* A search session over db, which must outlive it. *out is owned:
 * sou_enquire_free(). */
int sou_enquire_new(sou_db *db, sou_enquire **out, sou_error *err);
void sou_enquire_free(sou_enquire *enq);

/* The query is copied. */
int sou_enquire_set_query(sou_enquire *enq, const sou_query *q, sou_error *err);

/* BM25 with Xapian's parameters (defaults k1 1, k2 0, k3 1, b 0.5,
 * min_normlen 0.5). SOU_ERR_INVALID_ARG unless k1, k2, k3 and min_normlen
 * are finite and >= 0 and b is in [0, 1] (Xapian would silently clamp). */
int sou_enquire_set_bm25(sou_enquire *enq, double k1, double k2, double k3, double b,
                         double min_normlen, sou_error *err);

/* After seconds (0 = no limit), the matcher stops examining matches past
 * the page that check_at_least asked for: the estimate and the facet
 * counts then cover the matches seen so far. The page itself is always
 * whole (Xapian 1.4's rule). Its timer starts a thread in the process. */
int sou_enquire_set_time_limit(sou_enquire *enq, double seconds, sou_error *err);

/* Sorts by value slot (ascending unless reverse) with relevance breaking
 * ties, instead of by relevance. */
int sou_enquire_sort_by_value(sou_enquire *enq, unsigned slot, int reverse, sou_error *err);

/* At most this many facets (value slots counted) per enquire. */
#define SOU_FACETS_MAX 8

/* Counts, in every later sou_enquire_mset() on enq, how many of the
 * documents the matcher examines have each value in slot (a Xapian
 * ValueCountMatchSpy); read the counts with sou_mset_facets(). Documents
 * with no value (an empty one) in slot are not counted. Registering a slot
 * already registered does nothing. Returns SOU_OK, or SOU_ERR_INVALID_ARG
 * when enq is NULL or SOU_FACETS_MAX other slots are already registered. */
int sou_enquire_add_facet(sou_enquire *enq, unsigned slot, sou_error *err);

/* Runs the search and returns results first .. first+max-1. check_at_least
 * makes the estimate exact up to that many matches, and makes the facet
 * counts exact: they cover only the documents the matcher examined, which
 * is every match when check_at_least >= the number of matches (pass the
 * database's doc count to be sure) but may be just some of them otherwise.
 * The counts are copied into the mset, so a later search on enq does not
 * change them. *out is owned: sou_mset_free(). SOU_ERR_DB_MODIFIED means
 * reopen the db and retry. */
int sou_enquire_mset(sou_enquire *enq, uint32_t first, uint32_t max, uint32_t check_at_least,
                     sou_mset **out, sou_error *err);

void sou_mset_free(sou_mset *ms);

/* Number of results in this page. */
size_t sou_mset_size(const sou_mset *ms);

/* Xapian's estimate of all matches, and its bounds. */
uint32_t sou_mset_matches_estimated(const sou_mset *ms);
uint32_t sou_mset_matches_lower_bound(const sou_mset *ms);
uint32_t sou_mset_matches_upper_bound(const sou_mset *ms);

/* One result: i counts from 0 within the page; rank counts from 0 over the
 * whole result list. Any out-pointer may be NULL. */
typedef struct sou_hit {
    uint32_t docid;
    uint32_t rank;
    double weight;
    int percent;
} sou_hit;

int sou_mset_hit(const sou_mset *ms, size_t i, sou_hit *out, sou_error *err);

/* The stored data of result i; *out is owned (free()), NUL-terminated. */
int sou_mset_data(const sou_mset *ms, size_t i, char **out, size_t *out_len, sou_error *err);

/* The value in slot of result i; *out is owned (free()), NUL-terminated, and
 * an empty string when the document has no such value. */
int sou_mset_value(const sou_mset *ms, size_t i, unsigned slot, char **out, size_t *out_len,
                   sou_error *err);

/* Calls cb for each query term that result i contains, in query order. */
int sou_mset_matching_terms(const sou_mset *ms, size_t i, sou_term_cb cb, void *ctx,
                            sou_error *err);

/* Facet callbacks: value is borrowed, valid only during the call, and not
 * NUL-terminated (values are bytes); count is the number of documents with
 * it. A non-zero return stops the walk: SOU_ERR_CALLBACK. */
typedef int (*sou_facet_cb)(void *ctx, const char *value, size_t len, uint32_t count);

/* Calls cb for each value counted in slot by the search that produced ms
 * (see sou_enquire_add_facet), most frequent first, ties in byte order of
 * the value; nothing when no examined document had a value there. The
 * counts cover the documents the matcher examined: exact when the search's
 * check_at_least was >= the number of matches, possibly partial otherwise
 * (see sou_enquire_mset). Returns SOU_OK, SOU_ERR_CALLBACK, or
 * SOU_ERR_INVALID_ARG when ms or cb is NULL or slot had no facet registered
 * when ms was made. */
int sou_mset_facets(const sou_mset *ms, unsigned slot, sou_facet_cb cb, void *ctx, sou_error *err);

/* How many documents the facet counts of ms cover (every facet sees the
 * same ones): all the matches, or fewer when the search's check_at_least
 * was below their number or its time limit stopped the counting. 0 when
 * ms counts no facet. */
uint32_t sou_mset_facet_docs(const sou_mset *ms);

/* ---- Stemming ------------------------------------------------------------- */

/* A Snowball stemmer for language (e.g. "english"); *out is owned:
 * sou_stemmer_free(). SOU_ERR_INVALID_ARG for an unknown language. */
int sou_stemmer_new(const char *language, sou_stemmer **out, sou_error *err);
void sou_stemmer_free(sou_stemmer *st);

/* Stems word into out (capacity cap, NUL-terminated), setting *out_len.
 * SOU_ERR_INVALID_ARG if the stem does not fit. */
int sou_stem(sou_stemmer *st, const char *word, size_t len, char *out, size_t cap, size_t *out_len,
             sou_error *err);

/* ---- Misc ----------------------------------------------------------------- */

/* The libxapian version string, e.g. "1.4.22". Borrowed, static. */
const char *sou_xapian_version(void);

/* Makes a process that Xapian ends (through std::terminate, which
 * Xapian 1.4 calls when some writes fail inside a commit, where no
 * exception can reach the wrapper) write "prog: " and what is known of
 * the error to stderr, then _exit(status): no exit handler runs on the
 * half-finished state. Its database changes are unfinished, so the caller
 * runs it as a child process and checks the index after. prog is borrowed
 * and must outlive the process. */
void sou_xapian_on_abort(const char *prog, int status);

#ifdef __cplusplus
}
#endif

#endif
