/*
 * xapian.cc - the C interface to libxapian declared in sou/xapian.h.
 *
 * libsou's only C++ file. Every extern "C" function has one shape: check its
 * arguments, clear its out-pointers, then
 *
 *     try { ...; return SOU_OK; } catch (...) { return map_exception(err); }
 *
 * so no C++ exception ever crosses into C. Strings handed to C are malloc'd
 * copies or are passed to a callback while the std::string they live in is
 * still in scope; no pointer into a C++ object outlives the call.
 */
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include <unistd.h>
#include <xapian.h>

#include "sou/xapian.h"
#include "internal.h"

/* The handles. Xapian's classes are reference-counted handles themselves, so
 * copying one into a handle (or a handle into another) is cheap and keeps the
 * underlying object alive for as long as either copy lives. */
struct sou_db {
    Xapian::Database db;
};

struct sou_wdb {
    Xapian::WritableDatabase db;
    bool closed; /* sou_wdb_close() succeeded: the lock is released */
};

struct sou_doc {
    Xapian::Document doc;
};

struct sou_query {
    Xapian::Query q;
};

/* The Enquire does not expose its database or query, and a sou_mset needs
 * both (see struct sou_mset), so the session keeps its own copies. facets
 * lists the value slots to count; the match spies themselves are made
 * afresh for each search (see sou_enquire_mset), because a spy accumulates
 * over every get_mset() it is registered for. */
struct sou_enquire {
    Xapian::Database db;
    Xapian::Enquire enq;
    Xapian::Query q;
    std::vector<Xapian::valueno> facets;
};

/* One value's count in one slot, and one slot's counts in the order
 * sou_mset_facets() reports them. */
struct facet_value {
    std::string value;
    Xapian::doccount count;
};

struct facet_counts {
    Xapian::valueno slot;
    std::vector<facet_value> values;
};

/* Matching terms come from Enquire::get_matching_terms_begin(), which reads
 * the Enquire's *current* query. The MSet keeps its own Enquire, over the
 * same database and holding the query that produced these results, so a
 * later sou_enquire_set_query() or sou_enquire_free() cannot change or
 * invalidate what sou_mset_matching_terms() reports. Building an Enquire does
 * no matching; it is a small allocation. The MSet holds a reference to the
 * search's own Enquire internals, which it uses to fetch documents. */
struct sou_mset {
    Xapian::MSet mset;
    Xapian::Enquire terms;
    std::vector<facet_counts> facets; /* copied from the search's spies */
    Xapian::doccount facet_docs;      /* the documents they saw */
};

struct sou_stemmer {
    Xapian::Stem stem;
};

namespace
{

/* Fills err with "<Xapian class>: <message> (context)". The strings are the
 * ones the exception already holds; nothing is allocated. */
int set_xapian_error(sou_error *err, int code, const Xapian::Error &e) noexcept
{
    /* The system's reason ("No space left on device") is kept apart from
     * the message ("Error writing block 34"), and is what users act on. */
    const char *sys = e.get_error_string();
    std::string msg = e.get_msg();
    if (sys && *sys)
        msg += std::string(": ") + sys;
    const std::string &context = e.get_context();
    if (context.empty())
        return sou_error_set(err, code, "%s: %s", e.get_type(), msg.c_str());
    return sou_error_set(err, code, "%s: %s (%s)", e.get_type(), msg.c_str(), context.c_str());
}

/* Turns the exception being handled into a status. Call only from a catch
 * block. Subclasses come before their bases: DatabaseNotFoundError is a
 * DatabaseOpeningError, and every Database*Error is a DatabaseError. */
int map_exception(sou_error *err) noexcept
{
    try {
        throw;
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return set_xapian_error(err, SOU_ERR_DB_NOT_FOUND, e);
    } catch (const Xapian::DatabaseLockError &e) {
        return set_xapian_error(err, SOU_ERR_DB_LOCKED, e);
    } catch (const Xapian::DatabaseModifiedError &e) {
        return set_xapian_error(err, SOU_ERR_DB_MODIFIED, e);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return set_xapian_error(err, SOU_ERR_DB_CORRUPT, e);
    } catch (const Xapian::DatabaseOpeningError &e) {
        return set_xapian_error(err, SOU_ERR_DB_OPENING, e);
    } catch (const Xapian::NetworkError &e) {
        return set_xapian_error(err, SOU_ERR_NETWORK, e);
    } catch (const Xapian::InvalidArgumentError &e) {
        return set_xapian_error(err, SOU_ERR_INVALID_ARG, e);
    } catch (const Xapian::InvalidOperationError &e) {
        return set_xapian_error(err, SOU_ERR_INVALID_ARG, e);
    } catch (const Xapian::Error &e) {
        return set_xapian_error(err, SOU_ERR_XAPIAN, e);
    } catch (const std::bad_alloc &) {
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    } catch (const std::exception &e) {
        return sou_error_set(err, SOU_ERR_INTERNAL, "C++ exception: %s", e.what());
    } catch (...) {
        return sou_error_set(err, SOU_ERR_INTERNAL, "unknown C++ exception");
    }
}

int invalid(sou_error *err, const char *what) noexcept
{
    return sou_error_set(err, SOU_ERR_INVALID_ARG, "%s", what);
}

/* A (pointer, length) string may be NULL only when it is empty. */
bool bad_str(const char *s, size_t len) noexcept
{
    return s == nullptr && len != 0;
}

std::string str(const char *s, size_t len)
{
    return len ? std::string(s, len) : std::string();
}

/* Hands s to C as a malloc'd, NUL-terminated copy; len may be NULL. */
int copy_out(const std::string &s, char **out, size_t *len, sou_error *err) noexcept
{
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (!p)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    *out = p;
    if (len)
        *len = s.size();
    return SOU_OK;
}

/* Passes each term to cb; the term lives in a std::string that stays in scope
 * for the whole call. */
int walk_terms(Xapian::TermIterator it, const Xapian::TermIterator &end, sou_term_cb cb, void *ctx,
               sou_error *err)
{
    for (; it != end; ++it) {
        const std::string term = *it;
        if (cb(ctx, term.data(), term.size()) != 0)
            return sou_error_set(err, SOU_ERR_CALLBACK, "stopped by callback");
    }
    return SOU_OK;
}

/* The hit at index i of ms, or end() when i is out of range. */
Xapian::MSetIterator hit_at(const sou_mset *ms, size_t i)
{
    if (i >= ms->mset.size())
        return ms->mset.end();
    return ms->mset[static_cast<Xapian::doccount>(i)];
}

/* Glass rejects a term over SOU_TERM_MAX bytes only part-way through
 * replace_document(), and any failure there makes it discard *every*
 * uncommitted change, not just this document. Checking first turns the one
 * failure a caller can cause with its data into a harmless refusal. */
int check_term_lengths(const Xapian::Document &doc, sou_error *err)
{
    for (Xapian::TermIterator t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        const std::string term = *t;
        if (term.size() > SOU_TERM_MAX) {
            /* Quote the start, cut before a UTF-8 continuation byte. */
            int shown = 32;
            while (shown > 0 && (static_cast<unsigned char>(term[shown]) & 0xC0) == 0x80)
                shown--;
            return sou_error_set(err, SOU_ERR_INVALID_ARG,
                                 "term too long (%zu bytes, the limit is %d): %.*s...", term.size(),
                                 SOU_TERM_MAX, shown, term.c_str());
        }
    }
    return SOU_OK;
}

/* Unregisters an Enquire's match spies when it goes out of scope, so the
 * Enquire never keeps a pointer to a spy that has been freed, even when
 * get_mset() throws. Declare it after the spies it guards. */
class SpyGuard
{
  public:
    explicit SpyGuard(Xapian::Enquire &enq) : enq_(enq)
    {
    }
    SpyGuard(const SpyGuard &) = delete;
    SpyGuard &operator=(const SpyGuard &) = delete;
    ~SpyGuard()
    {
        try {
            enq_.clear_matchspies();
        } catch (...) {
        }
    }

  private:
    Xapian::Enquire &enq_;
};

/* Copies a spy's counts, most frequent first and ties in byte order:
 * values_begin() walks in byte order, and the stable sort keeps it. */
facet_counts copy_counts(const Xapian::ValueCountMatchSpy &spy, Xapian::valueno slot)
{
    facet_counts fc{slot, {}};
    for (Xapian::TermIterator it = spy.values_begin(); it != spy.values_end(); ++it)
        fc.values.push_back(facet_value{*it, it.get_termfreq()});
    std::stable_sort(fc.values.begin(), fc.values.end(),
                     [](const facet_value &a, const facet_value &b) { return a.count > b.count; });
    return fc;
}

int check_wdb(const sou_wdb *wdb, sou_error *err) noexcept
{
    if (!wdb)
        return invalid(err, "wdb is NULL");
    if (wdb->closed)
        return invalid(err, "wdb is closed");
    return SOU_OK;
}

/* The argument checks of a function that reads one number of db into
 * *out, which they clear. */
template <typename T> int check_db_out(const sou_db *db, T *out, sou_error *err) noexcept
{
    if (!out)
        return invalid(err, "out is NULL");
    *out = 0;
    return db ? SOU_OK : invalid(err, "db is NULL");
}

} // namespace

extern "C" {

/* ---- Read-only databases ------------------------------------------------ */

SOU_API int sou_db_open(const char *path, sou_db **out, sou_error *err)
{
    if (!out)
        return invalid(err, "out is NULL");
    *out = nullptr;
    if (!path)
        return invalid(err, "path is NULL");
    try {
        *out = new sou_db{Xapian::Database(path)};
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_db_open_remote(const char *host, unsigned port, unsigned timeout_ms,
                               unsigned connect_timeout_ms, sou_db **out, sou_error *err)
{
    if (!out)
        return invalid(err, "out is NULL");
    *out = nullptr;
    if (!host)
        return invalid(err, "host is NULL");
    try {
        *out = new sou_db{Xapian::Remote::open(host, port, timeout_ms, connect_timeout_ms)};
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_db_open_many(const char *const *paths, size_t n, sou_db **out, sou_error *err)
{
    if (!out)
        return invalid(err, "out is NULL");
    *out = nullptr;
    if (!paths)
        return invalid(err, "paths is NULL");
    if (n == 0)
        return invalid(err, "n is 0: at least one path is needed");
    for (size_t i = 0; i < n; i++)
        if (!paths[i])
            return sou_error_set(err, SOU_ERR_INVALID_ARG, "paths[%zu] is NULL", i);
    try {
        Xapian::Database db;
        for (size_t i = 0; i < n; i++)
            db.add_database(Xapian::Database(paths[i]));
        *out = new sou_db{db};
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_db_add(sou_db *db, const sou_db *other, sou_error *err)
{
    if (!db || !other)
        return invalid(err, "db or other is NULL");
    try {
        db->db.add_database(other->db);
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_db_reopen(sou_db *db, sou_error *err)
{
    if (!db)
        return invalid(err, "db is NULL");
    try {
        db->db.reopen();
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API void sou_db_free(sou_db *db)
{
    delete db;
}

SOU_API int sou_db_revision(const sou_db *db, uint64_t *out, sou_error *err)
{
    if (int rc = check_db_out(db, out, err))
        return rc;
    try {
        *out = db->db.get_revision();
        return SOU_OK;
    } catch (const Xapian::InvalidOperationError &) {
        return invalid(err, "a revision belongs to one database, not to several");
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_db_doc_count(const sou_db *db, uint32_t *out, sou_error *err)
{
    if (int rc = check_db_out(db, out, err))
        return rc;
    try {
        *out = db->db.get_doccount();
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_db_term_freq(const sou_db *db, const char *term, size_t len, uint32_t *out,
                             sou_error *err)
{
    if (int rc = check_db_out(db, out, err))
        return rc;
    if (!term)
        return invalid(err, "term is NULL");
    try {
        *out = db->db.get_termfreq(str(term, len));
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_db_get_metadata(const sou_db *db, const char *key, char **out, size_t *out_len,
                                sou_error *err)
{
    if (!out)
        return invalid(err, "out is NULL");
    *out = nullptr;
    if (out_len)
        *out_len = 0;
    if (!db)
        return invalid(err, "db is NULL");
    if (!key)
        return invalid(err, "key is NULL");
    try {
        const std::string value = db->db.get_metadata(key);
        if (value.empty())
            return SOU_OK;
        return copy_out(value, out, out_len, err);
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_db_synonyms(const sou_db *db, const char *term, size_t len, sou_term_cb cb,
                            void *ctx, sou_error *err)
{
    if (!db)
        return invalid(err, "db is NULL");
    if (!term)
        return invalid(err, "term is NULL");
    if (!cb)
        return invalid(err, "cb is NULL");
    try {
        const std::string t = str(term, len);
        return walk_terms(db->db.synonyms_begin(t), db->db.synonyms_end(t), cb, ctx, err);
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_db_all_terms(const sou_db *db, const char *prefix, size_t len, sou_term_cb cb,
                             void *ctx, sou_error *err)
{
    if (!db)
        return invalid(err, "db is NULL");
    if (bad_str(prefix, len))
        return invalid(err, "prefix is NULL");
    if (!cb)
        return invalid(err, "cb is NULL");
    try {
        const std::string p = str(prefix, len);
        return walk_terms(db->db.allterms_begin(p), db->db.allterms_end(p), cb, ctx, err);
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_db_metadata_keys(const sou_db *db, const char *prefix, size_t len, sou_term_cb cb,
                                 void *ctx, sou_error *err)
{
    if (!db)
        return invalid(err, "db is NULL");
    if (bad_str(prefix, len))
        return invalid(err, "prefix is NULL");
    if (!cb)
        return invalid(err, "cb is NULL");
    try {
        const std::string p = str(prefix, len);
        return walk_terms(db->db.metadata_keys_begin(p), db->db.metadata_keys_end(p), cb, ctx, err);
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_db_compact(const char *const *sources, size_t n, const char *dest, sou_error *err)
{
    if (!sources || n == 0)
        return invalid(err, "no database to compact");
    if (!dest)
        return invalid(err, "dest is NULL");
    for (size_t i = 0; i < n; i++)
        if (!sources[i])
            return invalid(err, "a source path is NULL");
    try {
        Xapian::Database db;
        for (size_t i = 0; i < n; i++)
            db.add_database(Xapian::Database(sources[i]));
        /* Several passes keep the merge's memory and open files bounded
         * with many sources; with a few it changes nothing. */
        db.compact(dest, n > 3 ? Xapian::DBCOMPACT_MULTIPASS : 0);
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

/* ---- Writable databases --------------------------------------------------- */

SOU_API int sou_wdb_open(const char *path, int mode, sou_wdb **out, sou_error *err)
{
    if (!out)
        return invalid(err, "out is NULL");
    *out = nullptr;
    if (!path)
        return invalid(err, "path is NULL");
    int flags;
    switch (mode & ~(SOU_WDB_NO_SYNC | SOU_WDB_IN_PLACE)) {
    case SOU_WDB_CREATE_OR_OPEN:
        flags = Xapian::DB_CREATE_OR_OPEN;
        break;
    case SOU_WDB_CREATE:
        flags = Xapian::DB_CREATE;
        break;
    case SOU_WDB_CREATE_OR_OVERWRITE:
        flags = Xapian::DB_CREATE_OR_OVERWRITE;
        break;
    case SOU_WDB_OPEN:
        flags = Xapian::DB_OPEN;
        break;
    default:
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "mode %d is not a sou_wdb_mode", mode);
    }
    if (mode & SOU_WDB_NO_SYNC)
        flags |= Xapian::DB_NO_SYNC;
    if (mode & SOU_WDB_IN_PLACE)
        flags |= Xapian::DB_DANGEROUS;
    try {
        *out = new sou_wdb{Xapian::WritableDatabase(path, flags), false};
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_wdb_close(sou_wdb *wdb, sou_error *err)
{
    if (!wdb)
        return invalid(err, "wdb is NULL");
    if (wdb->closed)
        return SOU_OK;
    try {
        /* close() alone would commit too, but it silently aborts an open
         * transaction. commit() first refuses that (InvalidOperationError)
         * and reports any failure to write, leaving wdb open either way. */
        wdb->db.commit();
        wdb->db.close();
        wdb->closed = true;
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API void sou_wdb_free(sou_wdb *wdb)
{
    if (!wdb)
        return;
    /* Xapian's destructor commits pending changes unless a transaction is
     * active, in which case it cancels it. An unflushed transaction's cancel
     * also discards the changes pending before it began, so beginning one
     * here makes the destructor throw everything uncommitted away. If a
     * transaction is already active, begin fails and the destructor cancels
     * that one: a flushed transaction committed what preceded it at begin. */
    if (!wdb->closed) {
        try {
            wdb->db.begin_transaction(false);
        } catch (...) {
        }
    }
    delete wdb;
}

SOU_API int sou_wdb_commit(sou_wdb *wdb, sou_error *err)
{
    if (int rc = check_wdb(wdb, err))
        return rc;
    try {
        wdb->db.commit();
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_wdb_begin_transaction(sou_wdb *wdb, int flushed, sou_error *err)
{
    if (int rc = check_wdb(wdb, err))
        return rc;
    try {
        wdb->db.begin_transaction(flushed != 0);
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_wdb_commit_transaction(sou_wdb *wdb, sou_error *err)
{
    if (int rc = check_wdb(wdb, err))
        return rc;
    try {
        wdb->db.commit_transaction();
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_wdb_cancel_transaction(sou_wdb *wdb, sou_error *err)
{
    if (int rc = check_wdb(wdb, err))
        return rc;
    try {
        wdb->db.cancel_transaction();
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_wdb_replace_document(sou_wdb *wdb, const char *id_term, size_t len,
                                     const sou_doc *doc, uint32_t *docid, sou_error *err)
{
    if (docid)
        *docid = 0;
    if (int rc = check_wdb(wdb, err))
        return rc;
    if (!id_term)
        return invalid(err, "id_term is NULL");
    if (!doc)
        return invalid(err, "doc is NULL");
    try {
        if (int rc = check_term_lengths(doc->doc, err))
            return rc;
        const Xapian::docid did = wdb->db.replace_document(str(id_term, len), doc->doc);
        if (docid)
            *docid = did;
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_wdb_delete_document(sou_wdb *wdb, const char *id_term, size_t len, sou_error *err)
{
    if (int rc = check_wdb(wdb, err))
        return rc;
    if (!id_term)
        return invalid(err, "id_term is NULL");
    try {
        wdb->db.delete_document(str(id_term, len));
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_wdb_doc_count(const sou_wdb *wdb, uint32_t *out, sou_error *err)
{
    if (!out)
        return invalid(err, "out is NULL");
    *out = 0;
    if (int rc = check_wdb(wdb, err))
        return rc;
    try {
        *out = wdb->db.get_doccount();
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_wdb_reader(sou_wdb *wdb, sou_db **out, sou_error *err)
{
    if (!out)
        return invalid(err, "out is NULL");
    *out = nullptr;
    if (int rc = check_wdb(wdb, err))
        return rc;
    try {
        /* A Database copy of a WritableDatabase shares its internals, so
         * it reads the pending changes too. */
        *out = new sou_db{wdb->db};
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_wdb_add_synonym(sou_wdb *wdb, const char *term, size_t term_len,
                                const char *synonym, size_t syn_len, sou_error *err)
{
    if (int rc = check_wdb(wdb, err))
        return rc;
    if (!term)
        return invalid(err, "term is NULL");
    if (!synonym)
        return invalid(err, "synonym is NULL");
    try {
        wdb->db.add_synonym(str(term, term_len), str(synonym, syn_len));
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_wdb_clear_synonyms(sou_wdb *wdb, const char *term, size_t len, sou_error *err)
{
    if (int rc = check_wdb(wdb, err))
        return rc;
    if (!term)
        return invalid(err, "term is NULL");
    try {
        wdb->db.clear_synonyms(str(term, len));
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_wdb_clear_metadata(sou_wdb *wdb, const char *prefix, size_t len, sou_error *err)
{
    if (int rc = check_wdb(wdb, err))
        return rc;
    if (bad_str(prefix, len))
        return invalid(err, "prefix is NULL");
    try {
        /* List the keys first: an iterator must not outlive a change to
         * what it walks. */
        const std::string p = str(prefix, len);
        std::vector<std::string> keys(wdb->db.metadata_keys_begin(p), wdb->db.metadata_keys_end(p));
        for (const std::string &k : keys)
            wdb->db.set_metadata(k, std::string());
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_wdb_set_metadata(sou_wdb *wdb, const char *key, const char *value, size_t value_len,
                                 sou_error *err)
{
    if (int rc = check_wdb(wdb, err))
        return rc;
    if (!key)
        return invalid(err, "key is NULL");
    if (bad_str(value, value_len))
        return invalid(err, "value is NULL");
    try {
        wdb->db.set_metadata(key, str(value, value_len));
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

/* ---- Documents ------------------------------------------------------------ */

SOU_API int sou_doc_new(sou_doc **out, sou_error *err)
{
    if (!out)
        return invalid(err, "out is NULL");
    *out = nullptr;
    try {
        *out = new sou_doc{Xapian::Document()};
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API void sou_doc_free(sou_doc *doc)
{
    delete doc;
}

SOU_API int sou_doc_add_posting(sou_doc *doc, const char *term, size_t len, uint32_t pos,
                                uint32_t wdf_inc, sou_error *err)
{
    if (!doc)
        return invalid(err, "doc is NULL");
    if (!term)
        return invalid(err, "term is NULL");
    if (pos == 0)
        return invalid(err, "pos is 0: positions start at 1");
    try {
        doc->doc.add_posting(str(term, len), pos, wdf_inc);
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_doc_add_term(sou_doc *doc, const char *term, size_t len, uint32_t wdf_inc,
                             sou_error *err)
{
    if (!doc)
        return invalid(err, "doc is NULL");
    if (!term)
        return invalid(err, "term is NULL");
    try {
        doc->doc.add_term(str(term, len), wdf_inc);
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_doc_add_boolean_term(sou_doc *doc, const char *term, size_t len, sou_error *err)
{
    if (!doc)
        return invalid(err, "doc is NULL");
    if (!term)
        return invalid(err, "term is NULL");
    try {
        doc->doc.add_boolean_term(str(term, len));
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_doc_add_value(sou_doc *doc, unsigned slot, const char *value, size_t len,
                              sou_error *err)
{
    if (!doc)
        return invalid(err, "doc is NULL");
    if (bad_str(value, len))
        return invalid(err, "value is NULL");
    try {
        doc->doc.add_value(slot, str(value, len));
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_doc_set_data(sou_doc *doc, const char *data, size_t len, sou_error *err)
{
    if (!doc)
        return invalid(err, "doc is NULL");
    if (bad_str(data, len))
        return invalid(err, "data is NULL");
    try {
        doc->doc.set_data(str(data, len));
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

/* ---- Queries -------------------------------------------------------------- */

SOU_API int sou_query_term(const char *term, size_t len, uint32_t wqf, uint32_t pos,
                           sou_query **out, sou_error *err)
{
    if (!out)
        return invalid(err, "out is NULL");
    *out = nullptr;
    if (!term)
        return invalid(err, "term is NULL");
    try {
        *out = new sou_query{Xapian::Query(str(term, len), wqf, pos)};
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_query_combine(int op, sou_query *const *subs, size_t n, uint32_t window,
                              sou_query **out, sou_error *err)
{
    if (!out)
        return invalid(err, "out is NULL");
    *out = nullptr;
    Xapian::Query::op xop;
    switch (op) {
    case SOU_OP_AND:
        xop = Xapian::Query::OP_AND;
        break;
    case SOU_OP_OR:
        xop = Xapian::Query::OP_OR;
        break;
    case SOU_OP_AND_NOT:
        xop = Xapian::Query::OP_AND_NOT;
        break;
    case SOU_OP_AND_MAYBE:
        xop = Xapian::Query::OP_AND_MAYBE;
        break;
    case SOU_OP_FILTER:
        xop = Xapian::Query::OP_FILTER;
        break;
    case SOU_OP_PHRASE:
        xop = Xapian::Query::OP_PHRASE;
        break;
    case SOU_OP_NEAR:
        xop = Xapian::Query::OP_NEAR;
        break;
    case SOU_OP_SYNONYM:
        xop = Xapian::Query::OP_SYNONYM;
        break;
    case SOU_OP_ELITE_SET:
        xop = Xapian::Query::OP_ELITE_SET;
        break;
    default:
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "op %d is not a sou_query_op", op);
    }
    if (!subs && n != 0)
        return invalid(err, "subs is NULL");
    for (size_t i = 0; i < n; i++)
        if (!subs[i])
            return sou_error_set(err, SOU_ERR_INVALID_ARG, "subs[%zu] is NULL", i);
    /* Xapian reads window as the elite set size for OP_ELITE_SET; the header
     * promises it is ignored there, so only PHRASE and NEAR see it (where 0
     * already means "the number of subqueries"). */
    if (xop != Xapian::Query::OP_PHRASE && xop != Xapian::Query::OP_NEAR)
        window = 0;
    try {
        if (n == 0) {
            *out = new sou_query{Xapian::Query()};
            return SOU_OK;
        }
        std::vector<Xapian::Query> qs;
        qs.reserve(n);
        for (size_t i = 0; i < n; i++)
            qs.push_back(subs[i]->q);
        *out = new sou_query{Xapian::Query(xop, qs.begin(), qs.end(), window)};
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_query_value_range(unsigned slot, const char *lo, const char *hi, sou_query **out,
                                  sou_error *err)
{
    if (!out)
        return invalid(err, "out is NULL");
    *out = nullptr;
    try {
        if (lo && hi)
            *out = new sou_query{Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi)};
        else if (lo)
            *out = new sou_query{Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo)};
        else if (hi)
            *out = new sou_query{Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi)};
        else
            *out = new sou_query{Xapian::Query::MatchAll};
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_query_scale(const sou_query *q, double factor, sou_query **out, sou_error *err)
{
    if (!out)
        return invalid(err, "out is NULL");
    *out = nullptr;
    if (!q)
        return invalid(err, "q is NULL");
    if (!(factor >= 0.0) || std::isinf(factor))
        return invalid(err, "factor must be finite and >= 0");
    try {
        *out = new sou_query{Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor)};
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_query_describe(const sou_query *q, char **out, sou_error *err)
{
    if (!out)
        return invalid(err, "out is NULL");
    *out = nullptr;
    if (!q)
        return invalid(err, "q is NULL");
    try {
        return copy_out(q->q.get_description(), out, nullptr, err);
    } catch (...) {
        return map_exception(err);
    }
}

/* NULL counts as empty: like the empty query, it matches nothing. */
SOU_API int sou_query_is_empty(const sou_query *q)
{
    return q == nullptr || q->q.empty();
}

SOU_API void sou_query_free(sou_query *q)
{
    delete q;
}

/* ---- Searching ------------------------------------------------------------ */

SOU_API int sou_enquire_new(sou_db *db, sou_enquire **out, sou_error *err)
{
    if (!out)
        return invalid(err, "out is NULL");
    *out = nullptr;
    if (!db)
        return invalid(err, "db is NULL");
    try {
        *out = new sou_enquire{db->db, Xapian::Enquire(db->db), Xapian::Query(), {}};
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API void sou_enquire_free(sou_enquire *enq)
{
    delete enq;
}

SOU_API int sou_enquire_set_query(sou_enquire *enq, const sou_query *q, sou_error *err)
{
    if (!enq)
        return invalid(err, "enq is NULL");
    if (!q)
        return invalid(err, "q is NULL");
    try {
        enq->enq.set_query(q->q);
        enq->q = q->q;
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_enquire_set_bm25(sou_enquire *enq, double k1, double k2, double k3, double b,
                                 double min_normlen, sou_error *err)
{
    if (!enq)
        return invalid(err, "enq is NULL");
    /* BM25Weight silently clamps out-of-range values; report them instead. */
    const double nonneg[] = {k1, k2, k3, min_normlen};
    for (double v : nonneg)
        if (!(v >= 0.0) || std::isinf(v))
            return invalid(err, "k1, k2, k3 and min_normlen must be finite and >= 0");
    if (!(b >= 0.0 && b <= 1.0))
        return invalid(err, "b must be in [0, 1]");
    try {
        /* set_weighting_scheme() keeps a clone. */
        enq->enq.set_weighting_scheme(Xapian::BM25Weight(k1, k2, k3, b, min_normlen));
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_enquire_set_time_limit(sou_enquire *enq, double seconds, sou_error *err)
{
    if (!enq)
        return invalid(err, "enq is NULL");
    if (!(seconds >= 0.0))
        return invalid(err, "seconds must be >= 0");
    try {
        enq->enq.set_time_limit(seconds);
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_enquire_sort_by_value(sou_enquire *enq, unsigned slot, int reverse, sou_error *err)
{
    if (!enq)
        return invalid(err, "enq is NULL");
    try {
        enq->enq.set_sort_by_value_then_relevance(slot, reverse != 0);
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_enquire_add_facet(sou_enquire *enq, unsigned slot, sou_error *err)
{
    if (!enq)
        return invalid(err, "enq is NULL");
    try {
        if (std::find(enq->facets.begin(), enq->facets.end(), slot) != enq->facets.end())
            return SOU_OK;
        if (enq->facets.size() >= SOU_FACETS_MAX)
            return sou_error_set(err, SOU_ERR_INVALID_ARG,
                                 "slot %u: enq already counts %d facets, the most allowed", slot,
                                 SOU_FACETS_MAX);
        enq->facets.push_back(slot);
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_enquire_mset(sou_enquire *enq, uint32_t first, uint32_t max,
                             uint32_t check_at_least, sou_mset **out, sou_error *err)
{
    if (!out)
        return invalid(err, "out is NULL");
    *out = nullptr;
    if (!enq)
        return invalid(err, "enq is NULL");
    try {
        /* Fresh spies for this search only; the guard unregisters them
         * before they are freed, and their counts are copied into the mset,
         * so nothing here outlives the call. */
        std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
        for (Xapian::valueno slot : enq->facets)
            spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(slot));
        enq->enq.clear_matchspies();
        SpyGuard guard(enq->enq);
        for (const auto &spy : spies)
            enq->enq.add_matchspy(spy.get());

        Xapian::MSet mset = enq->enq.get_mset(first, max, check_at_least);
        std::vector<facet_counts> facets;
        facets.reserve(spies.size());
        for (size_t i = 0; i < spies.size(); i++)
            facets.push_back(copy_counts(*spies[i], enq->facets[i]));
        Xapian::Enquire terms(enq->db);
        terms.set_query(enq->q);
        Xapian::doccount seen = spies.empty() ? 0 : spies[0]->get_total();
        *out = new sou_mset{mset, terms, std::move(facets), seen};
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API void sou_mset_free(sou_mset *ms)
{
    delete ms;
}

SOU_API size_t sou_mset_size(const sou_mset *ms)
{
    return ms ? ms->mset.size() : 0;
}

SOU_API uint32_t sou_mset_matches_estimated(const sou_mset *ms)
{
    try {
        return ms ? ms->mset.get_matches_estimated() : 0;
    } catch (...) {
        return 0;
    }
}

SOU_API uint32_t sou_mset_matches_lower_bound(const sou_mset *ms)
{
    try {
        return ms ? ms->mset.get_matches_lower_bound() : 0;
    } catch (...) {
        return 0;
    }
}

SOU_API uint32_t sou_mset_matches_upper_bound(const sou_mset *ms)
{
    try {
        return ms ? ms->mset.get_matches_upper_bound() : 0;
    } catch (...) {
        return 0;
    }
}

SOU_API int sou_mset_hit(const sou_mset *ms, size_t i, sou_hit *out, sou_error *err)
{
    if (out)
        *out = sou_hit{0, 0, 0.0, 0};
    if (!ms)
        return invalid(err, "ms is NULL");
    try {
        const Xapian::MSetIterator it = hit_at(ms, i);
        if (it == ms->mset.end())
            return sou_error_set(err, SOU_ERR_INVALID_ARG, "i %zu is out of range", i);
        if (out)
            *out = sou_hit{*it, it.get_rank(), it.get_weight(), it.get_percent()};
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_mset_data(const sou_mset *ms, size_t i, char **out, size_t *out_len, sou_error *err)
{
    if (!out)
        return invalid(err, "out is NULL");
    *out = nullptr;
    if (out_len)
        *out_len = 0;
    if (!ms)
        return invalid(err, "ms is NULL");
    try {
        const Xapian::MSetIterator it = hit_at(ms, i);
        if (it == ms->mset.end())
            return sou_error_set(err, SOU_ERR_INVALID_ARG, "i %zu is out of range", i);
        return copy_out(it.get_document().get_data(), out, out_len, err);
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_mset_value(const sou_mset *ms, size_t i, unsigned slot, char **out, size_t *out_len,
                           sou_error *err)
{
    if (!out)
        return invalid(err, "out is NULL");
    *out = nullptr;
    if (out_len)
        *out_len = 0;
    if (!ms)
        return invalid(err, "ms is NULL");
    try {
        const Xapian::MSetIterator it = hit_at(ms, i);
        if (it == ms->mset.end())
            return sou_error_set(err, SOU_ERR_INVALID_ARG, "i %zu is out of range", i);
        return copy_out(it.get_document().get_value(slot), out, out_len, err);
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API int sou_mset_matching_terms(const sou_mset *ms, size_t i, sou_term_cb cb, void *ctx,
                                    sou_error *err)
{
    if (!ms)
        return invalid(err, "ms is NULL");
    if (!cb)
        return invalid(err, "cb is NULL");
    try {
        const Xapian::MSetIterator it = hit_at(ms, i);
        if (it == ms->mset.end())
            return sou_error_set(err, SOU_ERR_INVALID_ARG, "i %zu is out of range", i);
        return walk_terms(ms->terms.get_matching_terms_begin(it),
                          ms->terms.get_matching_terms_end(it), cb, ctx, err);
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API uint32_t sou_mset_facet_docs(const sou_mset *ms)
{
    return ms ? ms->facet_docs : 0;
}

SOU_API int sou_mset_facets(const sou_mset *ms, unsigned slot, sou_facet_cb cb, void *ctx,
                            sou_error *err)
{
    if (!ms)
        return invalid(err, "ms is NULL");
    if (!cb)
        return invalid(err, "cb is NULL");
    try {
        for (const facet_counts &fc : ms->facets) {
            if (fc.slot != slot)
                continue;
            for (const facet_value &v : fc.values)
                if (cb(ctx, v.value.data(), v.value.size(), v.count) != 0)
                    return sou_error_set(err, SOU_ERR_CALLBACK, "stopped by callback");
            return SOU_OK;
        }
        return sou_error_set(err, SOU_ERR_INVALID_ARG,
                             "slot %u had no facet registered when ms was made", slot);
    } catch (...) {
        return map_exception(err);
    }
}

/* ---- Stemming ------------------------------------------------------------- */

SOU_API int sou_stemmer_new(const char *language, sou_stemmer **out, sou_error *err)
{
    if (!out)
        return invalid(err, "out is NULL");
    *out = nullptr;
    if (!language)
        return invalid(err, "language is NULL");
    try {
        *out = new sou_stemmer{Xapian::Stem(language)};
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

SOU_API void sou_stemmer_free(sou_stemmer *st)
{
    delete st;
}

SOU_API int sou_stem(sou_stemmer *st, const char *word, size_t len, char *out, size_t cap,
                     size_t *out_len, sou_error *err)
{
    if (out_len)
        *out_len = 0;
    if (!out || cap == 0)
        return invalid(err, "out is NULL or cap is 0");
    out[0] = '\0';
    if (!st)
        return invalid(err, "st is NULL");
    if (bad_str(word, len))
        return invalid(err, "word is NULL");
    try {
        const std::string stem = st->stem(str(word, len));
        if (stem.size() >= cap)
            return sou_error_set(err, SOU_ERR_INVALID_ARG,
                                 "out is too small: the stem needs %zu bytes, cap is %zu",
                                 stem.size() + 1, cap);
        std::memcpy(out, stem.data(), stem.size());
        out[stem.size()] = '\0';
        if (out_len)
            *out_len = stem.size();
        return SOU_OK;
    } catch (...) {
        return map_exception(err);
    }
}

/* ---- Misc ----------------------------------------------------------------- */

SOU_API const char *sou_xapian_version(void)
{
    return Xapian::version_string();
}

static const char *abort_prog = "sou";
static int abort_status = 1;

/* The terminate handler sou_xapian_on_abort() installs. When Xapian ends
 * the process from a noexcept frame, no exception is active any more, and
 * errno (still that of the failed write, in the cases seen) is all that is
 * left of the cause. */
[[noreturn]] static void report_abort() noexcept
{
    int saved = errno;
    std::string what;
    if (std::exception_ptr e = std::current_exception()) {
        try {
            std::rethrow_exception(e);
        } catch (const Xapian::Error &x) {
            what = x.get_description();
        } catch (const std::exception &x) {
            what = x.what();
        } catch (...) {
            what = "an unknown exception";
        }
        dprintf(STDERR_FILENO, "%s: Xapian stopped the process: %s\n", abort_prog, what.c_str());
    } else if (saved) {
        dprintf(STDERR_FILENO,
                "%s: Xapian stopped the process after an error it could not report; "
                "the last system error was: %s\n",
                abort_prog, strerror(saved));
    } else {
        dprintf(STDERR_FILENO,
                "%s: Xapian stopped the process after an error it could not report\n", abort_prog);
    }
    _exit(abort_status);
}

SOU_API void sou_xapian_on_abort(const char *prog, int status)
{
    abort_prog = prog;
    abort_status = status;
    std::set_terminate(report_abort);
}

} // extern "C"
