/*
 * check_xapian.c - tests for the C interface to libxapian (lib/xapian.cc).
 *
 * Every test runs in a fresh temporary directory (a checked fixture), builds
 * the small databases it needs there and asserts exact document ids, terms,
 * counts and status codes.
 */
#include <ftw.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sou/xapian.h"
#include "suites.h"

#define DATE_SLOT 0

/* ---- Fixtures: a temporary directory per test ------------------------------ */

/* The unchecked fixture makes rootdir once per run, in the parent process;
 * each test gets a fresh subdirectory. With forking on, a failed test exits
 * without its teardown, so removing rootdir at the end is what guarantees
 * nothing is left in /tmp. */
static char rootdir[64];
static char tmpdir[96];

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void make_root(void)
{
    snprintf(rootdir, sizeof rootdir, "/tmp/sou-check-xapian-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(rootdir));
}

static void remove_root(void)
{
    remove_tree(rootdir);
}

static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/test-XXXXXX", rootdir);
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
    remove_tree(tmpdir);
}

/* tmpdir/name in one of 8 rotating static buffers: valid until the 8th call
 * after this one. */
static const char *path_in(const char *name)
{
    static char bufs[8][160];
    static int next;
    char *p = bufs[next++ % 8];
    snprintf(p, sizeof bufs[0], "%s/%s", tmpdir, name);
    return p;
}

/* ---- Helpers ---------------------------------------------------------------- */

static sou_wdb *wdb_open(const char *name, int mode)
{
    sou_error err = {0, ""};
    sou_wdb *w = NULL;
    int rc = sou_wdb_open(path_in(name), mode, &w, &err);
    ck_assert_msg(rc == SOU_OK, "sou_wdb_open: %d %s", rc, err.msg);
    ck_assert_ptr_nonnull(w);
    return w;
}

static sou_db *db_open(const char *name)
{
    sou_error err = {0, ""};
    sou_db *db = NULL;
    int rc = sou_db_open(path_in(name), &db, &err);
    ck_assert_msg(rc == SOU_OK, "sou_db_open: %d %s", rc, err.msg);
    return db;
}

static uint32_t db_count(sou_db *db)
{
    uint32_t n = 99;
    ck_assert_int_eq(sou_db_doc_count(db, &n, NULL), SOU_OK);
    return n;
}

static uint32_t wdb_count(sou_wdb *w)
{
    uint32_t n = 99;
    ck_assert_int_eq(sou_wdb_doc_count(w, &n, NULL), SOU_OK);
    return n;
}

/* The committed document count of the database called name. */
static uint32_t count_on_disk(const char *name)
{
    sou_db *db = db_open(name);
    uint32_t n = db_count(db);
    sou_db_free(db);
    return n;
}

/* A document with id term "Q<id>", data id, each space-separated word as a
 * posting at positions 1, 2, ..., and (if date is not NULL) a date value. */
static sou_doc *make_doc(const char *id, const char *words, const char *date)
{
    sou_error err = {0, ""};
    sou_doc *doc = NULL;
    char idterm[64];
    ck_assert_int_eq(sou_doc_new(&doc, &err), SOU_OK);
    snprintf(idterm, sizeof idterm, "Q%s", id);
    ck_assert_int_eq(sou_doc_add_boolean_term(doc, idterm, strlen(idterm), &err), SOU_OK);
    ck_assert_int_eq(sou_doc_set_data(doc, id, strlen(id), &err), SOU_OK);
    if (date)
        ck_assert_int_eq(sou_doc_add_value(doc, DATE_SLOT, date, strlen(date), &err), SOU_OK);
    uint32_t pos = 1;
    for (const char *w = words; *w;) {
        size_t len = strcspn(w, " ");
        if (len > 0)
            ck_assert_int_eq(sou_doc_add_posting(doc, w, len, pos++, 1, &err), SOU_OK);
        w += len;
        w += strspn(w, " ");
    }
    return doc;
}

/* Adds (or replaces) the document with the given id; returns its docid. */
static uint32_t put_doc(sou_wdb *w, const char *id, const char *words, const char *date)
{
    sou_error err = {0, ""};
    sou_doc *doc = make_doc(id, words, date);
    char idterm[64];
    uint32_t did = 0;
    snprintf(idterm, sizeof idterm, "Q%s", id);
    int rc = sou_wdb_replace_document(w, idterm, strlen(idterm), doc, &did, &err);
    ck_assert_msg(rc == SOU_OK, "replace %s: %d %s", id, rc, err.msg);
    sou_doc_free(doc);
    return did;
}

static void commit(sou_wdb *w)
{
    sou_error err = {0, ""};
    int rc = sou_wdb_commit(w, &err);
    ck_assert_msg(rc == SOU_OK, "commit: %d %s", rc, err.msg);
}

/* The fruit corpus: docids equal ids because they are added in order. The
 * dates are deliberately not in docid order. */
static void add_fruit(sou_wdb *w, int first, int last)
{
    static const char *const words[] = {"apple banana", "apple cherry", "banana cherry", "durian"};
    static const char *const dates[] = {"20230610", "20230105", "20241231", "20240101"};
    static const char *const tags[] = {"Kfruit", "Kred", "Kfruit", "Kred"};
    for (int i = first; i <= last; i++) {
        sou_error err = {0, ""};
        char id[8];
        snprintf(id, sizeof id, "%d", i);
        sou_doc *doc = make_doc(id, words[i - 1], dates[i - 1]);
        const char *tag = tags[i - 1];
        ck_assert_int_eq(sou_doc_add_boolean_term(doc, tag, strlen(tag), &err), SOU_OK);
        char idterm[16];
        snprintf(idterm, sizeof idterm, "Q%d", i);
        ck_assert_int_eq(sou_wdb_replace_document(w, idterm, strlen(idterm), doc, NULL, &err),
                         SOU_OK);
        sou_doc_free(doc);
    }
}

static sou_db *fruit_db(void)
{
    sou_wdb *w = wdb_open("fruit", SOU_WDB_CREATE);
    add_fruit(w, 1, 4);
    ck_assert_int_eq(sou_wdb_close(w, NULL), SOU_OK);
    sou_wdb_free(w);
    return db_open("fruit");
}

static sou_query *tq(const char *term)
{
    sou_query *q = NULL;
    ck_assert_int_eq(sou_query_term(term, strlen(term), 1, 0, &q, NULL), SOU_OK);
    return q;
}

/* Combines n queries with op and frees them: combining copies its subs. */
static sou_query *combine(int op, uint32_t window, size_t n, ...)
{
    sou_query *subs[8];
    sou_query *q = NULL;
    sou_error err = {0, ""};
    va_list ap;
    ck_assert_uint_le(n, 8);
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        subs[i] = va_arg(ap, sou_query *);
    va_end(ap);
    int rc = sou_query_combine(op, subs, n, window, &q, &err);
    ck_assert_msg(rc == SOU_OK, "combine: %d %s", rc, err.msg);
    for (size_t i = 0; i < n; i++)
        sou_query_free(subs[i]);
    return q;
}

static sou_query *scaled(sou_query *q, double factor)
{
    sou_query *s = NULL;
    ck_assert_int_eq(sou_query_scale(q, factor, &s, NULL), SOU_OK);
    sou_query_free(q);
    return s;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Formats n numbers as "1,2,3". */
static void join_ids(const uint32_t *ids, size_t n, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && used < cap; i++)
        used += (size_t)snprintf(out + used, cap - used, i ? ",%u" : "%u", ids[i]);
}

/* Runs q on enq and writes the docids as "a,b,c", in rank order or sorted. */
static void ids_of(sou_enquire *enq, const sou_query *q, int sorted, char *out, size_t cap)
{
    sou_error err = {0, ""};
    sou_mset *ms = NULL;
    uint32_t ids[32];
    ck_assert_int_eq(sou_enquire_set_query(enq, q, &err), SOU_OK);
    int rc = sou_enquire_mset(enq, 0, 32, 32, &ms, &err);
    ck_assert_msg(rc == SOU_OK, "mset: %d %s", rc, err.msg);
    size_t n = sou_mset_size(ms);
    for (size_t i = 0; i < n; i++) {
        sou_hit hit;
        ck_assert_int_eq(sou_mset_hit(ms, i, &hit, &err), SOU_OK);
        ids[i] = hit.docid;
    }
    if (sorted)
        qsort(ids, n, sizeof ids[0], cmp_u32);
    join_ids(ids, n, out, cap);
    sou_mset_free(ms);
}

/* Searches db for q (which it frees) and checks the result ids. */
static void expect_ids(sou_db *db, sou_query *q, int sorted, const char *want)
{
    sou_enquire *enq = NULL;
    char got[256];
    ck_assert_int_eq(sou_enquire_new(db, &enq, NULL), SOU_OK);
    ids_of(enq, q, sorted, got, sizeof got);
    ck_assert_str_eq(got, want);
    sou_enquire_free(enq);
    sou_query_free(q);
}

/* Collects terms from a callback as "a,b,c"; stops after stop_after calls
 * when that is non-zero. */
struct terms {
    char buf[512];
    int calls;
    int stop_after;
};

static int collect_term(void *ctx, const char *term, size_t len)
{
    struct terms *t = ctx;
    size_t used = strlen(t->buf);
    snprintf(t->buf + used, sizeof t->buf - used, "%s%.*s", t->calls ? "," : "", (int)len, term);
    t->calls++;
    return t->stop_after && t->calls >= t->stop_after;
}

/* ---- Writing and reading ---------------------------------------------------- */

START_TEST(test_xapian_replace_by_id_term_keeps_one_doc)
{
    sou_wdb *w = wdb_open("db", SOU_WDB_CREATE_OR_OPEN);
    uint32_t a = put_doc(w, "a", "one two", NULL);
    uint32_t again = put_doc(w, "a", "three", NULL);
    ck_assert_uint_eq(a, 1);
    ck_assert_uint_eq(again, a);
    ck_assert_uint_eq(wdb_count(w), 1);
    ck_assert_uint_eq(put_doc(w, "b", "four", NULL), 2);
    ck_assert_uint_eq(wdb_count(w), 2);
    commit(w);

    sou_db *db = db_open("db");
    uint32_t freq = 99;
    ck_assert_int_eq(sou_db_term_freq(db, "one", 3, &freq, NULL), SOU_OK);
    ck_assert_uint_eq(freq, 0); /* replaced away */
    ck_assert_int_eq(sou_db_term_freq(db, "three", 5, &freq, NULL), SOU_OK);
    ck_assert_uint_eq(freq, 1);
    ck_assert_int_eq(sou_db_term_freq(db, "zebra", 5, &freq, NULL), SOU_OK);
    ck_assert_uint_eq(freq, 0);
    sou_db_free(db);
    sou_wdb_free(w);
}
END_TEST

START_TEST(test_xapian_delete_by_id_term)
{
    sou_wdb *w = wdb_open("db", SOU_WDB_CREATE);
    put_doc(w, "a", "one", NULL);
    put_doc(w, "b", "two", NULL);
    ck_assert_int_eq(sou_wdb_delete_document(w, "Qa", 2, NULL), SOU_OK);
    ck_assert_uint_eq(wdb_count(w), 1);
    /* Deleting what is not there is not an error. */
    ck_assert_int_eq(sou_wdb_delete_document(w, "Qzz", 3, NULL), SOU_OK);
    ck_assert_uint_eq(wdb_count(w), 1);
    ck_assert_int_eq(sou_wdb_close(w, NULL), SOU_OK);
    sou_wdb_free(w);
    ck_assert_uint_eq(count_on_disk("db"), 1);
}
END_TEST

START_TEST(test_xapian_reopen_sees_commits)
{
    sou_wdb *w = wdb_open("db", SOU_WDB_CREATE);
    put_doc(w, "a", "one", NULL);
    commit(w);
    sou_db *db = db_open("db");
    ck_assert_uint_eq(db_count(db), 1);

    put_doc(w, "b", "two", NULL);
    ck_assert_uint_eq(db_count(db), 1); /* not committed */
    commit(w);
    ck_assert_uint_eq(db_count(db), 1); /* committed, but db is a snapshot */
    ck_assert_int_eq(sou_db_reopen(db, NULL), SOU_OK);
    ck_assert_uint_eq(db_count(db), 2);
    sou_db_free(db);
    sou_wdb_free(w);
}
END_TEST

START_TEST(test_xapian_revision_counts_commits)
{
    sou_wdb *w = wdb_open("db", SOU_WDB_CREATE);
    put_doc(w, "a", "one", NULL);
    commit(w);
    sou_db *db = db_open("db");
    uint64_t first = 0, second = 0;
    ck_assert_int_eq(sou_db_revision(db, &first, NULL), SOU_OK);
    ck_assert_uint_gt(first, 0);
    put_doc(w, "b", "two", NULL);
    commit(w);
    ck_assert_int_eq(sou_db_reopen(db, NULL), SOU_OK);
    ck_assert_int_eq(sou_db_revision(db, &second, NULL), SOU_OK);
    ck_assert_uint_eq(second, first + 1);
    ck_assert_int_eq(sou_wdb_close(w, NULL), SOU_OK);
    sou_wdb_free(w);

    /* Several databases have no one revision. */
    w = wdb_open("other", SOU_WDB_CREATE);
    put_doc(w, "c", "three", NULL);
    ck_assert_int_eq(sou_wdb_close(w, NULL), SOU_OK);
    sou_wdb_free(w);
    const char *paths[] = {path_in("db"), path_in("other")};
    sou_db *many = NULL;
    sou_error err = {0, ""};
    ck_assert_int_eq(sou_db_open_many(paths, 2, &many, &err), SOU_OK);
    uint64_t rev = 7;
    ck_assert_int_eq(sou_db_revision(many, &rev, &err), SOU_ERR_INVALID_ARG);
    ck_assert_uint_eq(rev, 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "one database"));
    sou_db_free(many);
    sou_db_free(db);
}
END_TEST

START_TEST(test_xapian_free_discards_uncommitted)
{
    sou_wdb *w = wdb_open("db", SOU_WDB_CREATE);
    put_doc(w, "kept", "one", NULL);
    commit(w);
    put_doc(w, "lost", "two", NULL);
    ck_assert_uint_eq(wdb_count(w), 2);
    sou_wdb_free(w);
    ck_assert_uint_eq(count_on_disk("db"), 1);

    /* Also with nothing committed at all. */
    w = wdb_open("db2", SOU_WDB_CREATE);
    put_doc(w, "lost", "two", NULL);
    sou_wdb_free(w);
    ck_assert_uint_eq(count_on_disk("db2"), 0);
}
END_TEST

START_TEST(test_xapian_free_discards_open_transaction)
{
    /* A flushed transaction commits what precedes it at begin. */
    sou_wdb *w = wdb_open("db", SOU_WDB_CREATE);
    put_doc(w, "before", "one", NULL);
    ck_assert_int_eq(sou_wdb_begin_transaction(w, 1, NULL), SOU_OK);
    put_doc(w, "inside", "two", NULL);
    sou_wdb_free(w);
    ck_assert_uint_eq(count_on_disk("db"), 1);

    /* An unflushed one does not, so both are lost. */
    w = wdb_open("db2", SOU_WDB_CREATE);
    put_doc(w, "before", "one", NULL);
    ck_assert_int_eq(sou_wdb_begin_transaction(w, 0, NULL), SOU_OK);
    put_doc(w, "inside", "two", NULL);
    sou_wdb_free(w);
    ck_assert_uint_eq(count_on_disk("db2"), 0);
}
END_TEST

/* Outside a transaction Xapian commits by itself every XAPIAN_FLUSH_THRESHOLD
 * changes (default 10000); inside one it never does. */
START_TEST(test_xapian_auto_commit_only_outside_transactions)
{
    setenv("XAPIAN_FLUSH_THRESHOLD", "2", 1);
    sou_wdb *outside = wdb_open("out", SOU_WDB_CREATE);
    sou_wdb *inside = wdb_open("in", SOU_WDB_CREATE);
    unsetenv("XAPIAN_FLUSH_THRESHOLD");
    ck_assert_int_eq(sou_wdb_begin_transaction(inside, 0, NULL), SOU_OK);
    for (int i = 0; i < 5; i++) {
        char id[8];
        snprintf(id, sizeof id, "%d", i);
        put_doc(outside, id, "word", NULL);
        put_doc(inside, id, "word", NULL);
    }
    sou_wdb_free(outside);
    sou_wdb_free(inside);
    uint32_t kept = count_on_disk("out");
    ck_assert_uint_gt(kept, 0);
    ck_assert_uint_lt(kept, 5);
    ck_assert_uint_eq(count_on_disk("in"), 0);
}
END_TEST

START_TEST(test_xapian_close_commits_and_unlocks)
{
    sou_error err = {0, ""};
    sou_wdb *w = wdb_open("db", SOU_WDB_CREATE);
    put_doc(w, "a", "one", NULL);
    ck_assert_int_eq(sou_wdb_close(w, &err), SOU_OK);
    ck_assert_int_eq(sou_wdb_close(w, &err), SOU_OK); /* twice is fine */
    ck_assert_int_eq(sou_wdb_commit(w, &err), SOU_ERR_INVALID_ARG);
    ck_assert_str_eq(err.msg, "wdb is closed");
    uint32_t n = 99;
    ck_assert_int_eq(sou_wdb_doc_count(w, &n, NULL), SOU_ERR_INVALID_ARG);
    ck_assert_uint_eq(n, 0);
    ck_assert_uint_eq(count_on_disk("db"), 1);

    /* The lock is released at close, not at free. */
    sou_wdb *w2 = wdb_open("db", SOU_WDB_OPEN);
    sou_wdb_free(w2);
    sou_wdb_free(w);
}
END_TEST

START_TEST(test_xapian_close_refuses_open_transaction)
{
    sou_error err = {0, ""};
    sou_wdb *w = wdb_open("db", SOU_WDB_CREATE);
    ck_assert_int_eq(sou_wdb_begin_transaction(w, 1, NULL), SOU_OK);
    put_doc(w, "a", "one", NULL);
    ck_assert_int_eq(sou_wdb_close(w, &err), SOU_ERR_INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(err.msg, "InvalidOperationError"));
    /* Still open and usable. */
    ck_assert_int_eq(sou_wdb_commit_transaction(w, NULL), SOU_OK);
    ck_assert_int_eq(sou_wdb_close(w, NULL), SOU_OK);
    sou_wdb_free(w);
    ck_assert_uint_eq(count_on_disk("db"), 1);
}
END_TEST

START_TEST(test_xapian_transaction_commit_applies)
{
    sou_wdb *w = wdb_open("db", SOU_WDB_CREATE);
    ck_assert_int_eq(sou_wdb_begin_transaction(w, 1, NULL), SOU_OK);
    put_doc(w, "a", "one", NULL);
    put_doc(w, "b", "two", NULL);
    ck_assert_uint_eq(count_on_disk("db"), 0);
    ck_assert_int_eq(sou_wdb_commit_transaction(w, NULL), SOU_OK);
    ck_assert_uint_eq(count_on_disk("db"), 2); /* flushed: on disk already */

    /* Unflushed: applied as a whole but only written by the next commit. */
    ck_assert_int_eq(sou_wdb_begin_transaction(w, 0, NULL), SOU_OK);
    put_doc(w, "c", "three", NULL);
    ck_assert_int_eq(sou_wdb_commit_transaction(w, NULL), SOU_OK);
    ck_assert_uint_eq(wdb_count(w), 3);
    ck_assert_uint_eq(count_on_disk("db"), 2);
    commit(w);
    ck_assert_uint_eq(count_on_disk("db"), 3);
    sou_wdb_free(w);
}
END_TEST

START_TEST(test_xapian_transaction_cancel_discards)
{
    sou_error err = {0, ""};
    sou_wdb *w = wdb_open("db", SOU_WDB_CREATE);
    put_doc(w, "a", "one", NULL);
    commit(w);
    ck_assert_int_eq(sou_wdb_begin_transaction(w, 1, NULL), SOU_OK);
    put_doc(w, "b", "two", NULL);
    ck_assert_int_eq(sou_wdb_delete_document(w, "Qa", 2, NULL), SOU_OK);
    ck_assert_uint_eq(wdb_count(w), 1);
    ck_assert_int_eq(sou_wdb_cancel_transaction(w, NULL), SOU_OK);
    ck_assert_uint_eq(wdb_count(w), 1);

    /* Misuse is reported, not fatal. */
    ck_assert_int_eq(sou_wdb_cancel_transaction(w, &err), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_wdb_commit_transaction(w, &err), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_wdb_begin_transaction(w, 0, NULL), SOU_OK);
    ck_assert_int_eq(sou_wdb_begin_transaction(w, 0, &err), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_wdb_commit(w, &err), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_wdb_cancel_transaction(w, NULL), SOU_OK);

    ck_assert_int_eq(sou_wdb_close(w, NULL), SOU_OK);
    sou_wdb_free(w);
    sou_db *db = db_open("db");
    uint32_t freq = 99;
    ck_assert_int_eq(sou_db_term_freq(db, "Qa", 2, &freq, NULL), SOU_OK);
    ck_assert_uint_eq(freq, 1);
    ck_assert_int_eq(sou_db_term_freq(db, "Qb", 2, &freq, NULL), SOU_OK);
    ck_assert_uint_eq(freq, 0);
    sou_db_free(db);
}
END_TEST

START_TEST(test_xapian_open_modes)
{
    sou_error err = {0, ""};
    sou_wdb *w = (sou_wdb *)&err;
    ck_assert_int_eq(sou_wdb_open(path_in("db"), SOU_WDB_OPEN, &w, &err), SOU_ERR_DB_NOT_FOUND);
    ck_assert_ptr_null(w);

    w = wdb_open("db", SOU_WDB_CREATE);
    put_doc(w, "a", "one", NULL);
    ck_assert_int_eq(sou_wdb_close(w, NULL), SOU_OK);
    sou_wdb_free(w);

    /* DB_CREATE on an existing database: Xapian's DatabaseCreateError. */
    ck_assert_int_eq(sou_wdb_open(path_in("db"), SOU_WDB_CREATE, &w, &err), SOU_ERR_XAPIAN);
    ck_assert_ptr_null(w);
    ck_assert_ptr_nonnull(strstr(err.msg, "DatabaseCreateError"));

    w = wdb_open("db", SOU_WDB_CREATE_OR_OPEN);
    ck_assert_uint_eq(wdb_count(w), 1);
    sou_wdb_free(w);
    w = wdb_open("db", SOU_WDB_OPEN);
    ck_assert_uint_eq(wdb_count(w), 1);
    sou_wdb_free(w);
    w = wdb_open("db", SOU_WDB_CREATE_OR_OVERWRITE);
    ck_assert_uint_eq(wdb_count(w), 0);
    sou_wdb_free(w);

    ck_assert_int_eq(sou_wdb_open(path_in("x"), 0, &w, &err), SOU_ERR_INVALID_ARG);
    ck_assert_ptr_null(w);
    ck_assert_str_eq(err.msg, "mode 0 is not a sou_wdb_mode");
    ck_assert_int_eq(sou_wdb_open(path_in("x"), 5, &w, NULL), SOU_ERR_INVALID_ARG);
    /* SOU_WDB_NO_SYNC qualifies a mode; alone it is none. */
    ck_assert_int_eq(sou_wdb_open(path_in("x"), SOU_WDB_NO_SYNC, &w, NULL), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(access(path_in("x"), F_OK), -1); /* nothing created */

    /* A database written without syncing reads back like any other. */
    w = wdb_open("scratch", SOU_WDB_CREATE | SOU_WDB_NO_SYNC);
    put_doc(w, "a", "one", NULL);
    commit(w);
    put_doc(w, "b", "two", NULL);
    ck_assert_int_eq(sou_wdb_close(w, NULL), SOU_OK);
    sou_wdb_free(w);
    ck_assert_uint_eq(count_on_disk("scratch"), 2);

    /* Written in place, it reads back too; and freed unclosed, it is
     * dropped without a crash, whatever state it is left in. */
    w = wdb_open("in-place", SOU_WDB_CREATE | SOU_WDB_NO_SYNC | SOU_WDB_IN_PLACE);
    put_doc(w, "a", "one", NULL);
    commit(w);
    put_doc(w, "b", "two", NULL);
    commit(w);
    put_doc(w, "c", "three", NULL);
    ck_assert_int_eq(sou_wdb_close(w, NULL), SOU_OK);
    sou_wdb_free(w);
    ck_assert_uint_eq(count_on_disk("in-place"), 3);
    w = wdb_open("in-place", SOU_WDB_OPEN | SOU_WDB_IN_PLACE);
    put_doc(w, "d", "four", NULL);
    sou_wdb_free(w);
    ck_assert_int_eq(sou_wdb_open(path_in("x"), SOU_WDB_IN_PLACE, &w, NULL), SOU_ERR_INVALID_ARG);
}
END_TEST

/* ---- Queries -------------------------------------------------------------- */

START_TEST(test_xapian_phrase_matches_in_order_only)
{
    sou_wdb *w = wdb_open("db", SOU_WDB_CREATE);
    put_doc(w, "1", "quick brown fox", NULL);
    put_doc(w, "2", "brown quick fox", NULL);
    put_doc(w, "3", "quick red brown", NULL);
    commit(w);
    sou_db *db = db_open("db");

    expect_ids(db, combine(SOU_OP_PHRASE, 0, 2, tq("quick"), tq("brown")), 1, "1");
    expect_ids(db, combine(SOU_OP_PHRASE, 3, 2, tq("quick"), tq("brown")), 1, "1,3");
    expect_ids(db, combine(SOU_OP_PHRASE, 0, 3, tq("quick"), tq("brown"), tq("fox")), 1, "1");
    expect_ids(db, combine(SOU_OP_NEAR, 0, 2, tq("quick"), tq("brown")), 1, "1,2");
    expect_ids(db, combine(SOU_OP_NEAR, 3, 2, tq("quick"), tq("brown")), 1, "1,2,3");
    expect_ids(db, combine(SOU_OP_AND, 0, 2, tq("quick"), tq("brown")), 1, "1,2,3");
    sou_db_free(db);
    sou_wdb_free(w);
}
END_TEST

START_TEST(test_xapian_boolean_operators)
{
    sou_db *db = fruit_db();
    expect_ids(db, combine(SOU_OP_AND, 0, 2, tq("apple"), tq("banana")), 1, "1");
    expect_ids(db, combine(SOU_OP_OR, 0, 2, tq("apple"), tq("banana")), 1, "1,2,3");
    expect_ids(db, combine(SOU_OP_AND_NOT, 0, 2, tq("apple"), tq("banana")), 1, "2");
    expect_ids(db, combine(SOU_OP_AND_NOT, 0, 3, tq("apple"), tq("banana"), tq("cherry")), 1, "");
    /* AND_MAYBE: only apple documents, the one with cherry ranked first. */
    expect_ids(db, combine(SOU_OP_AND_MAYBE, 0, 2, tq("apple"), tq("cherry")), 0, "2,1");
    expect_ids(db, combine(SOU_OP_FILTER, 0, 2, tq("apple"), tq("Kred")), 1, "2");
    expect_ids(db, combine(SOU_OP_FILTER, 0, 2, tq("banana"), tq("Kfruit")), 1, "1,3");
    expect_ids(db, combine(SOU_OP_SYNONYM, 0, 2, tq("banana"), tq("durian")), 1, "1,3,4");
    expect_ids(db, combine(SOU_OP_ELITE_SET, 0, 3, tq("apple"), tq("banana"), tq("cherry")), 1,
               "1,2,3");
    /* One sub: the sub itself. */
    expect_ids(db, combine(SOU_OP_OR, 0, 1, tq("durian")), 1, "4");
    sou_db_free(db);
}
END_TEST

/* FILTER restricts without adding weight: the same weight as the bare term. */
START_TEST(test_xapian_filter_adds_no_weight)
{
    sou_db *db = fruit_db();
    sou_enquire *enq = NULL;
    sou_mset *bare = NULL, *filtered = NULL;
    sou_hit a, b;
    ck_assert_int_eq(sou_enquire_new(db, &enq, NULL), SOU_OK);
    sou_query *q = tq("apple");
    ck_assert_int_eq(sou_enquire_set_query(enq, q, NULL), SOU_OK);
    sou_query_free(q);
    ck_assert_int_eq(sou_enquire_mset(enq, 0, 10, 0, &bare, NULL), SOU_OK);
    q = combine(SOU_OP_FILTER, 0, 2, tq("apple"), tq("Kred"));
    ck_assert_int_eq(sou_enquire_set_query(enq, q, NULL), SOU_OK);
    sou_query_free(q);
    ck_assert_int_eq(sou_enquire_mset(enq, 0, 10, 0, &filtered, NULL), SOU_OK);

    ck_assert_uint_eq(sou_mset_size(bare), 2);
    ck_assert_uint_eq(sou_mset_size(filtered), 1);
    ck_assert_int_eq(sou_mset_hit(filtered, 0, &b, NULL), SOU_OK);
    ck_assert_uint_eq(b.docid, 2);
    for (size_t i = 0; i < 2; i++) {
        ck_assert_int_eq(sou_mset_hit(bare, i, &a, NULL), SOU_OK);
        if (a.docid == 2)
            ck_assert_double_eq_tol(a.weight, b.weight, 1e-12);
    }
    ck_assert_double_gt(b.weight, 0.0);
    sou_mset_free(bare);
    sou_mset_free(filtered);
    sou_enquire_free(enq);
    sou_db_free(db);
}
END_TEST

START_TEST(test_xapian_value_range_on_dates)
{
    sou_db *db = fruit_db();
    sou_query *q = NULL;
    /* Dates: 1 20230610, 2 20230105, 3 20241231, 4 20240101. */
    ck_assert_int_eq(sou_query_value_range(DATE_SLOT, "20230101", "20231231", &q, NULL), SOU_OK);
    expect_ids(db, q, 1, "1,2");
    ck_assert_int_eq(sou_query_value_range(DATE_SLOT, "20240101", NULL, &q, NULL), SOU_OK);
    expect_ids(db, q, 1, "3,4");
    ck_assert_int_eq(sou_query_value_range(DATE_SLOT, NULL, "20230610", &q, NULL), SOU_OK);
    expect_ids(db, q, 1, "1,2"); /* inclusive */
    ck_assert_int_eq(sou_query_value_range(DATE_SLOT, NULL, "20230609", &q, NULL), SOU_OK);
    expect_ids(db, q, 1, "2");
    ck_assert_int_eq(sou_query_value_range(DATE_SLOT, NULL, NULL, &q, NULL), SOU_OK);
    expect_ids(db, q, 1, "1,2,3,4");
    ck_assert_int_eq(sou_query_value_range(DATE_SLOT + 1, NULL, "9", &q, NULL), SOU_OK);
    expect_ids(db, q, 1, ""); /* no document has that slot */

    /* Combined with text. */
    ck_assert_int_eq(sou_query_value_range(DATE_SLOT, "20240101", NULL, &q, NULL), SOU_OK);
    expect_ids(db, combine(SOU_OP_FILTER, 0, 2, tq("cherry"), q), 1, "3");
    sou_db_free(db);
}
END_TEST

START_TEST(test_xapian_bm25_ranks_higher_tf_first)
{
    sou_wdb *w = wdb_open("db", SOU_WDB_CREATE);
    /* Same lengths, so only the wdf of "cat" differs. */
    put_doc(w, "1", "cat dog dog dog", NULL);
    put_doc(w, "2", "cat cat cat dog", NULL);
    put_doc(w, "3", "dog mouse bird fish", NULL);
    commit(w);
    sou_db *db = db_open("db");
    sou_enquire *enq = NULL;
    sou_mset *ms = NULL;
    sou_hit h0, h1;
    char got[64];
    ck_assert_int_eq(sou_enquire_new(db, &enq, NULL), SOU_OK);
    sou_query *q = tq("cat");

    ids_of(enq, q, 0, got, sizeof got);
    ck_assert_str_eq(got, "2,1");
    ck_assert_int_eq(sou_enquire_mset(enq, 0, 10, 0, &ms, NULL), SOU_OK);
    ck_assert_int_eq(sou_mset_hit(ms, 0, &h0, NULL), SOU_OK);
    ck_assert_int_eq(sou_mset_hit(ms, 1, &h1, NULL), SOU_OK);
    ck_assert_double_gt(h0.weight, h1.weight);
    double default_top = h0.weight;
    sou_mset_free(ms);

    /* Xapian's defaults, set explicitly, change nothing. */
    ck_assert_int_eq(sou_enquire_set_bm25(enq, 1, 0, 1, 0.5, 0.5, NULL), SOU_OK);
    ck_assert_int_eq(sou_enquire_mset(enq, 0, 10, 0, &ms, NULL), SOU_OK);
    ck_assert_int_eq(sou_mset_hit(ms, 0, &h0, NULL), SOU_OK);
    ck_assert_double_eq_tol(h0.weight, default_top, 1e-12);
    sou_mset_free(ms);

    /* k1 = 0 ignores wdf: equal weights, ties broken by ascending docid. */
    ck_assert_int_eq(sou_enquire_set_bm25(enq, 0, 0, 1, 0.5, 0.5, NULL), SOU_OK);
    ids_of(enq, q, 0, got, sizeof got);
    ck_assert_str_eq(got, "1,2");
    ck_assert_int_eq(sou_enquire_mset(enq, 0, 10, 0, &ms, NULL), SOU_OK);
    ck_assert_int_eq(sou_mset_hit(ms, 0, &h0, NULL), SOU_OK);
    ck_assert_int_eq(sou_mset_hit(ms, 1, &h1, NULL), SOU_OK);
    ck_assert_double_eq_tol(h0.weight, h1.weight, 1e-12);
    sou_mset_free(ms);

    /* Xapian would clamp these silently; they are reported instead. */
    sou_error err = {0, ""};
    ck_assert_int_eq(sou_enquire_set_bm25(enq, -1, 0, 1, 0.5, 0.5, &err), SOU_ERR_INVALID_ARG);
    ck_assert_str_eq(err.msg, "k1, k2, k3 and min_normlen must be finite and >= 0");
    ck_assert_int_eq(sou_enquire_set_bm25(enq, 1, 0, 1, 0.5, NAN, &err), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_enquire_set_bm25(enq, 1, 0, 1, 1.5, 0.5, &err), SOU_ERR_INVALID_ARG);
    ck_assert_str_eq(err.msg, "b must be in [0, 1]");
    /* The last good setting (k1 = 0) is still in force. */
    ids_of(enq, q, 0, got, sizeof got);
    ck_assert_str_eq(got, "1,2");

    sou_query_free(q);
    sou_enquire_free(enq);
    sou_db_free(db);
    sou_wdb_free(w);
}
END_TEST

START_TEST(test_xapian_scaled_weights_order)
{
    sou_db *db = fruit_db();
    /* doc 1 = apple+banana = 3 units, doc 2 = apple+cherry = 5, doc 3 = 6. */
    expect_ids(
        db, combine(SOU_OP_OR, 0, 3, tq("apple"), scaled(tq("banana"), 2), scaled(tq("cherry"), 4)),
        0, "3,2,1");
    /* Scaling by 0 keeps the matches but drops their weight. */
    sou_enquire *enq = NULL;
    sou_mset *ms = NULL;
    sou_hit hit;
    ck_assert_int_eq(sou_enquire_new(db, &enq, NULL), SOU_OK);
    sou_query *q = scaled(tq("apple"), 0);
    ck_assert_int_eq(sou_enquire_set_query(enq, q, NULL), SOU_OK);
    ck_assert_int_eq(sou_enquire_mset(enq, 0, 10, 0, &ms, NULL), SOU_OK);
    ck_assert_uint_eq(sou_mset_size(ms), 2);
    ck_assert_int_eq(sou_mset_hit(ms, 0, &hit, NULL), SOU_OK);
    ck_assert_double_eq(hit.weight, 0.0);
    sou_mset_free(ms);
    sou_query_free(q);
    sou_enquire_free(enq);
    sou_db_free(db);
}
END_TEST

START_TEST(test_xapian_mset_data_values_and_terms)
{
    sou_db *db = fruit_db();
    sou_error err = {0, ""};
    sou_enquire *enq = NULL;
    sou_mset *ms = NULL;
    sou_hit hit;
    char *s = NULL;
    size_t len = 99;
    ck_assert_int_eq(sou_enquire_new(db, &enq, NULL), SOU_OK);
    sou_query *q = combine(SOU_OP_OR, 0, 3, tq("apple"), tq("cherry"), tq("zebra"));
    ck_assert_int_eq(sou_enquire_set_query(enq, q, NULL), SOU_OK);
    sou_query_free(q);
    ck_assert_int_eq(sou_enquire_mset(enq, 0, 10, 10, &ms, &err), SOU_OK);

    ck_assert_uint_eq(sou_mset_size(ms), 3);
    ck_assert_uint_eq(sou_mset_matches_estimated(ms), 3);
    ck_assert_uint_eq(sou_mset_matches_lower_bound(ms), 3);
    ck_assert_uint_eq(sou_mset_matches_upper_bound(ms), 3);

    ck_assert_int_eq(sou_mset_hit(ms, 0, &hit, NULL), SOU_OK);
    ck_assert_uint_eq(hit.docid, 2);
    ck_assert_uint_eq(hit.rank, 0);
    ck_assert_int_gt(hit.percent, 0);
    ck_assert_int_le(hit.percent, 100);
    ck_assert_int_eq(sou_mset_hit(ms, 0, NULL, NULL), SOU_OK);

    ck_assert_int_eq(sou_mset_data(ms, 0, &s, &len, NULL), SOU_OK);
    ck_assert_str_eq(s, "2");
    ck_assert_uint_eq(len, 1);
    free(s);
    ck_assert_int_eq(sou_mset_value(ms, 0, DATE_SLOT, &s, &len, NULL), SOU_OK);
    ck_assert_str_eq(s, "20230105");
    ck_assert_uint_eq(len, 8);
    free(s);
    ck_assert_int_eq(sou_mset_value(ms, 0, 7, &s, &len, NULL), SOU_OK);
    ck_assert_str_eq(s, ""); /* absent: an empty string, not NULL */
    ck_assert_uint_eq(len, 0);
    free(s);

    struct terms t = {{0}, 0, 0};
    ck_assert_int_eq(sou_mset_matching_terms(ms, 0, collect_term, &t, NULL), SOU_OK);
    ck_assert_str_eq(t.buf, "apple,cherry");
    struct terms t2 = {{0}, 0, 0};
    ck_assert_int_eq(sou_mset_hit(ms, 2, &hit, NULL), SOU_OK);
    ck_assert_int_eq(sou_mset_matching_terms(ms, 2, collect_term, &t2, NULL), SOU_OK);
    ck_assert_str_eq(t2.buf, hit.docid == 1 ? "apple" : "cherry");

    /* The mset keeps its own query: a new one, or freeing the session,
     * changes nothing. */
    q = tq("durian");
    ck_assert_int_eq(sou_enquire_set_query(enq, q, NULL), SOU_OK);
    sou_query_free(q);
    sou_enquire_free(enq);
    struct terms t3 = {{0}, 0, 0};
    ck_assert_int_eq(sou_mset_matching_terms(ms, 0, collect_term, &t3, NULL), SOU_OK);
    ck_assert_str_eq(t3.buf, "apple,cherry");
    ck_assert_int_eq(sou_mset_data(ms, 1, &s, NULL, NULL), SOU_OK);
    ck_assert_ptr_nonnull(s);
    free(s);

    /* Out of range. */
    s = (char *)&err;
    len = 99;
    ck_assert_int_eq(sou_mset_data(ms, 3, &s, &len, &err), SOU_ERR_INVALID_ARG);
    ck_assert_ptr_null(s);
    ck_assert_uint_eq(len, 0);
    ck_assert_str_eq(err.msg, "i 3 is out of range");
    hit.docid = 42;
    ck_assert_int_eq(sou_mset_hit(ms, 3, &hit, NULL), SOU_ERR_INVALID_ARG);
    ck_assert_uint_eq(hit.docid, 0);
    ck_assert_int_eq(sou_mset_value(ms, 3, 0, &s, NULL, NULL), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_mset_matching_terms(ms, 3, collect_term, &t, NULL), SOU_ERR_INVALID_ARG);

    sou_mset_free(ms);
    sou_db_free(db);
}
END_TEST

START_TEST(test_xapian_mset_paging_ranks)
{
    sou_db *db = fruit_db();
    sou_enquire *enq = NULL;
    sou_mset *ms = NULL;
    sou_hit hit;
    ck_assert_int_eq(sou_enquire_new(db, &enq, NULL), SOU_OK);
    sou_query *q = NULL;
    ck_assert_int_eq(sou_query_value_range(DATE_SLOT, NULL, NULL, &q, NULL), SOU_OK);
    ck_assert_int_eq(sou_enquire_set_query(enq, q, NULL), SOU_OK);
    sou_query_free(q);
    ck_assert_int_eq(sou_enquire_mset(enq, 2, 10, 0, &ms, NULL), SOU_OK);
    ck_assert_uint_eq(sou_mset_size(ms), 2);
    ck_assert_int_eq(sou_mset_hit(ms, 0, &hit, NULL), SOU_OK);
    ck_assert_uint_eq(hit.rank, 2);
    ck_assert_uint_eq(hit.docid, 3);
    sou_mset_free(ms);
    sou_enquire_free(enq);
    sou_db_free(db);
}
END_TEST

START_TEST(test_xapian_sort_by_value)
{
    sou_db *db = fruit_db();
    sou_enquire *enq = NULL;
    sou_query *q = NULL;
    char got[64];
    ck_assert_int_eq(sou_enquire_new(db, &enq, NULL), SOU_OK);
    ck_assert_int_eq(sou_query_value_range(DATE_SLOT, NULL, NULL, &q, NULL), SOU_OK);
    ids_of(enq, q, 0, got, sizeof got);
    ck_assert_str_eq(got, "1,2,3,4"); /* equal weights: docid order */
    ck_assert_int_eq(sou_enquire_sort_by_value(enq, DATE_SLOT, 0, NULL), SOU_OK);
    ids_of(enq, q, 0, got, sizeof got);
    ck_assert_str_eq(got, "2,1,4,3");
    ck_assert_int_eq(sou_enquire_sort_by_value(enq, DATE_SLOT, 1, NULL), SOU_OK);
    ids_of(enq, q, 0, got, sizeof got);
    ck_assert_str_eq(got, "3,4,1,2");
    sou_query_free(q);
    sou_enquire_free(enq);
    sou_db_free(db);
}
END_TEST

START_TEST(test_xapian_time_limit)
{
    sou_db *db = fruit_db();
    sou_enquire *enq = NULL;
    sou_error err = {0, ""};
    char got[64];
    ck_assert_int_eq(sou_enquire_new(db, &enq, NULL), SOU_OK);
    ck_assert_int_eq(sou_enquire_set_time_limit(enq, 5.0, &err), SOU_OK);
    sou_query *q = tq("apple");
    ids_of(enq, q, 1, got, sizeof got); /* far from the limit: all results */
    ck_assert_str_eq(got, "1,2");
    ck_assert_int_eq(sou_enquire_set_time_limit(enq, 0.0, &err), SOU_OK);
    ids_of(enq, q, 1, got, sizeof got);
    ck_assert_str_eq(got, "1,2");
    ck_assert_int_eq(sou_enquire_set_time_limit(enq, -1.0, &err), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_enquire_set_time_limit(enq, NAN, &err), SOU_ERR_INVALID_ARG);
    sou_query_free(q);
    sou_enquire_free(enq);
    sou_db_free(db);
}
END_TEST

START_TEST(test_xapian_empty_query)
{
    sou_db *db = fruit_db();
    sou_query *q = NULL;
    ck_assert_int_eq(sou_query_combine(SOU_OP_AND, NULL, 0, 0, &q, NULL), SOU_OK);
    ck_assert_int_ne(sou_query_is_empty(q), 0);
    ck_assert_int_ne(sou_query_is_empty(NULL), 0);
    sou_query *t = tq("apple");
    ck_assert_int_eq(sou_query_is_empty(t), 0);
    sou_query_free(t);
    expect_ids(db, q, 1, "");
    /* A session with no query set finds nothing. */
    sou_enquire *enq = NULL;
    sou_mset *ms = NULL;
    ck_assert_int_eq(sou_enquire_new(db, &enq, NULL), SOU_OK);
    ck_assert_int_eq(sou_enquire_mset(enq, 0, 10, 0, &ms, NULL), SOU_OK);
    ck_assert_uint_eq(sou_mset_size(ms), 0);
    ck_assert_uint_eq(sou_mset_matches_estimated(ms), 0);
    sou_mset_free(ms);
    sou_enquire_free(enq);
    /* An empty term is Xapian's match-all. */
    expect_ids(db, tq(""), 1, "1,2,3,4");
    sou_db_free(db);
}
END_TEST

START_TEST(test_xapian_describe)
{
    sou_query *q = combine(SOU_OP_AND, 0, 2, tq("a"), tq("b"));
    char *s = NULL;
    ck_assert_int_eq(sou_query_describe(q, &s, NULL), SOU_OK);
    ck_assert_str_eq(s, "Query((a AND b))");
    free(s);
    sou_query_free(q);

    q = combine(SOU_OP_PHRASE, 0, 2, tq("a"), tq("b"));
    ck_assert_int_eq(sou_query_describe(q, &s, NULL), SOU_OK);
    ck_assert_str_eq(s, "Query((a PHRASE 2 b))");
    free(s);
    sou_query_free(q);

    /* The window is ignored for operators other than PHRASE and NEAR. */
    q = combine(SOU_OP_OR, 7, 2, tq("a"), tq("b"));
    ck_assert_int_eq(sou_query_describe(q, &s, NULL), SOU_OK);
    ck_assert_str_eq(s, "Query((a OR b))");
    free(s);
    sou_query_free(q);

    ck_assert_int_eq(sou_query_term("t", 1, 2, 3, &q, NULL), SOU_OK);
    ck_assert_int_eq(sou_query_describe(q, &s, NULL), SOU_OK);
    ck_assert_str_eq(s, "Query(t#2@3)");
    free(s);
    sou_query_free(q);

    ck_assert_int_eq(sou_query_combine(SOU_OP_OR, NULL, 0, 0, &q, NULL), SOU_OK);
    ck_assert_int_eq(sou_query_describe(q, &s, NULL), SOU_OK);
    ck_assert_str_eq(s, "Query()");
    free(s);
    sou_query_free(q);

    ck_assert_int_eq(sou_query_value_range(2, "a", "b", &q, NULL), SOU_OK);
    ck_assert_int_eq(sou_query_describe(q, &s, NULL), SOU_OK);
    ck_assert_str_eq(s, "Query(VALUE_RANGE 2 a b)");
    free(s);
    sou_query_free(q);
}
END_TEST

/* ---- Facets ------------------------------------------------------------------ */

#define TYPE_SLOT  1
#define MONTH_SLOT 2

/* The facet corpus; docids equal ids, and "-" is no value in that slot:
 *
 *   id  words          type (slot 1)  month (slot 2)
 *   1   apec summit    meeting        2026-02
 *   2   apec forum     forum          2026-05
 *   3   apec meeting   meeting        2026-05
 *   4   trade article  article        2026-02
 *   5   apec article   article        -
 *   6   apec notes     -              2026-05
 *   7   apec           meeting        2026-03
 *   8   trade          meeting        2026-05
 */
static sou_db *facet_db(void)
{
    static const char *const rows[][3] = {
        {"apec summit", "meeting", "2026-02"},  {"apec forum", "forum", "2026-05"},
        {"apec meeting", "meeting", "2026-05"}, {"trade article", "article", "2026-02"},
        {"apec article", "article", NULL},      {"apec notes", NULL, "2026-05"},
        {"apec", "meeting", "2026-03"},         {"trade", "meeting", "2026-05"},
    };
    sou_wdb *w = wdb_open("facets", SOU_WDB_CREATE);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        sou_error err = {0, ""};
        char id[8], idterm[16];
        snprintf(id, sizeof id, "%zu", i + 1);
        snprintf(idterm, sizeof idterm, "Q%zu", i + 1);
        sou_doc *doc = make_doc(id, rows[i][0], NULL);
        const char *type = rows[i][1], *month = rows[i][2];
        if (type)
            ck_assert_int_eq(sou_doc_add_value(doc, TYPE_SLOT, type, strlen(type), &err), SOU_OK);
        if (month)
            ck_assert_int_eq(sou_doc_add_value(doc, MONTH_SLOT, month, strlen(month), &err),
                             SOU_OK);
        uint32_t did = 0;
        ck_assert_int_eq(sou_wdb_replace_document(w, idterm, strlen(idterm), doc, &did, &err),
                         SOU_OK);
        ck_assert_uint_eq(did, i + 1);
        sou_doc_free(doc);
    }
    ck_assert_int_eq(sou_wdb_close(w, NULL), SOU_OK);
    sou_wdb_free(w);
    return db_open("facets");
}

/* Collects facet counts as "value=count,..."; stops after stop_after calls
 * when that is non-zero. */
struct facets {
    char buf[512];
    int calls;
    int stop_after;
};

static int collect_facet(void *ctx, const char *value, size_t len, uint32_t count)
{
    struct facets *f = ctx;
    size_t used = strlen(f->buf);
    snprintf(f->buf + used, sizeof f->buf - used, "%s%.*s=%u", f->calls ? "," : "", (int)len, value,
             count);
    f->calls++;
    return f->stop_after && f->calls >= f->stop_after;
}

/* Runs q (which it frees) on enq for the first max results, checking every
 * document so the counts are exact. */
static sou_mset *facet_search(sou_enquire *enq, sou_db *db, sou_query *q, uint32_t max)
{
    sou_error err = {0, ""};
    sou_mset *ms = NULL;
    ck_assert_int_eq(sou_enquire_set_query(enq, q, &err), SOU_OK);
    sou_query_free(q);
    int rc = sou_enquire_mset(enq, 0, max, db_count(db), &ms, &err);
    ck_assert_msg(rc == SOU_OK, "mset: %d %s", rc, err.msg);
    return ms;
}

/* Checks the counts ms holds for slot. */
static void expect_facets(const sou_mset *ms, unsigned slot, const char *want)
{
    sou_error err = {0, ""};
    struct facets f = {{0}, 0, 0};
    int rc = sou_mset_facets(ms, slot, collect_facet, &f, &err);
    ck_assert_msg(rc == SOU_OK, "facets of slot %u: %d %s", slot, rc, err.msg);
    ck_assert_str_eq(f.buf, want);
}

/* Most frequent first, ties in byte order, counted over every match and not
 * just the page returned, and only over matches. */
START_TEST(test_xapian_facets_count_matches_in_order)
{
    sou_db *db = facet_db();
    sou_enquire *enq = NULL;
    ck_assert_int_eq(sou_enquire_new(db, &enq, NULL), SOU_OK);
    ck_assert_int_eq(sou_enquire_add_facet(enq, TYPE_SLOT, NULL), SOU_OK);
    ck_assert_int_eq(sou_enquire_add_facet(enq, MONTH_SLOT, NULL), SOU_OK);

    sou_mset *ms = facet_search(enq, db, tq("apec"), 1);
    ck_assert_uint_eq(sou_mset_size(ms), 1);
    ck_assert_uint_eq(sou_mset_matches_estimated(ms), 6);
    ck_assert_uint_eq(sou_mset_facet_docs(ms), 6);
    expect_facets(ms, TYPE_SLOT, "meeting=3,article=1,forum=1");
    expect_facets(ms, MONTH_SLOT, "2026-05=3,2026-02=1,2026-03=1");
    sou_mset_free(ms);

    /* Every document: the counts above were restricted to the matches. */
    ms = facet_search(enq, db, tq(""), 10);
    ck_assert_uint_eq(sou_mset_size(ms), 8);
    ck_assert_uint_eq(sou_mset_facet_docs(ms), 8);
    expect_facets(ms, TYPE_SLOT, "meeting=4,article=2,forum=1");
    expect_facets(ms, MONTH_SLOT, "2026-05=4,2026-02=2,2026-03=1");
    sou_mset_free(ms);

    /* Not asked to check every match, the matcher stops at the first
     * document of a query whose every match weighs the same: the counts,
     * and the number they cover, are of that one, while the total is
     * exact (Xapian knows that every document matches). */
    sou_error err = {0, ""};
    sou_query *all = tq("");
    ck_assert_int_eq(sou_enquire_set_query(enq, all, &err), SOU_OK);
    sou_query_free(all);
    ck_assert_int_eq(sou_enquire_mset(enq, 0, 1, 0, &ms, &err), SOU_OK);
    ck_assert_uint_eq(sou_mset_facet_docs(ms), 1);
    ck_assert_uint_eq(sou_mset_matches_lower_bound(ms), 8);
    ck_assert_uint_eq(sou_mset_matches_upper_bound(ms), 8);
    expect_facets(ms, TYPE_SLOT, "meeting=1");
    sou_mset_free(ms);

    sou_enquire_free(enq);
    sou_db_free(db);
}
END_TEST

/* A document with no value in a slot is not counted there (6 has no type,
 * 5 no month), and a slot no match has a value in reports nothing. */
START_TEST(test_xapian_facets_skip_documents_without_value)
{
    sou_db *db = facet_db();
    sou_enquire *enq = NULL;
    ck_assert_int_eq(sou_enquire_new(db, &enq, NULL), SOU_OK);
    ck_assert_int_eq(sou_enquire_add_facet(enq, TYPE_SLOT, NULL), SOU_OK);
    ck_assert_int_eq(sou_enquire_add_facet(enq, MONTH_SLOT, NULL), SOU_OK);
    ck_assert_int_eq(sou_enquire_add_facet(enq, 7, NULL), SOU_OK); /* no document has it */

    sou_mset *ms = facet_search(enq, db, tq("notes"), 10);
    ck_assert_uint_eq(sou_mset_size(ms), 1);
    expect_facets(ms, TYPE_SLOT, "");
    expect_facets(ms, MONTH_SLOT, "2026-05=1");
    expect_facets(ms, 7, "");
    sou_mset_free(ms);

    ms = facet_search(enq, db, tq("article"), 10);
    ck_assert_uint_eq(sou_mset_size(ms), 2);
    expect_facets(ms, TYPE_SLOT, "article=2");
    expect_facets(ms, MONTH_SLOT, "2026-02=1");
    sou_mset_free(ms);

    /* No match at all: nothing counted. */
    ms = facet_search(enq, db, tq("zebra"), 10);
    ck_assert_uint_eq(sou_mset_size(ms), 0);
    expect_facets(ms, TYPE_SLOT, "");
    sou_mset_free(ms);

    sou_enquire_free(enq);
    sou_db_free(db);
}
END_TEST

/* Counts are asked for by slot and only for slots registered when the mset
 * was made. */
START_TEST(test_xapian_facets_unregistered_slot)
{
    sou_error err = {0, ""};
    sou_db *db = facet_db();
    sou_enquire *enq = NULL;
    struct facets f = {{0}, 0, 0};
    ck_assert_int_eq(sou_enquire_new(db, &enq, NULL), SOU_OK);

    /* None registered: every slot is refused, not reported empty. */
    sou_mset *none = facet_search(enq, db, tq("apec"), 10);
    ck_assert_int_eq(sou_mset_facets(none, TYPE_SLOT, collect_facet, &f, &err),
                     SOU_ERR_INVALID_ARG);
    ck_assert_str_eq(err.msg, "slot 1 had no facet registered when ms was made");

    ck_assert_int_eq(sou_enquire_add_facet(enq, TYPE_SLOT, NULL), SOU_OK);
    sou_mset *ms = facet_search(enq, db, tq("apec"), 10);
    expect_facets(ms, TYPE_SLOT, "meeting=3,article=1,forum=1");
    ck_assert_int_eq(sou_mset_facets(ms, MONTH_SLOT, collect_facet, &f, &err), SOU_ERR_INVALID_ARG);
    ck_assert_str_eq(err.msg, "slot 2 had no facet registered when ms was made");
    ck_assert_int_eq(sou_mset_facets(ms, 0, collect_facet, &f, &err), SOU_ERR_INVALID_ARG);
    /* Registering later does not reach an mset already made. */
    ck_assert_int_eq(sou_enquire_add_facet(enq, MONTH_SLOT, NULL), SOU_OK);
    ck_assert_int_eq(sou_mset_facets(ms, MONTH_SLOT, collect_facet, &f, &err), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_mset_facets(none, TYPE_SLOT, collect_facet, &f, &err),
                     SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(f.calls, 0);

    ck_assert_int_eq(sou_mset_facets(ms, TYPE_SLOT, NULL, NULL, &err), SOU_ERR_INVALID_ARG);
    ck_assert_str_eq(err.msg, "cb is NULL");
    ck_assert_int_eq(sou_mset_facets(NULL, TYPE_SLOT, collect_facet, &f, &err),
                     SOU_ERR_INVALID_ARG);
    ck_assert_str_eq(err.msg, "ms is NULL");
    sou_mset_free(none);
    sou_mset_free(ms);
    sou_enquire_free(enq);
    sou_db_free(db);
}
END_TEST

/* A later search on the same enquire neither adds to nor replaces an
 * earlier mset's counts, and the counts outlive the enquire. */
START_TEST(test_xapian_facets_belong_to_their_mset)
{
    sou_db *db = facet_db();
    sou_enquire *enq = NULL;
    ck_assert_int_eq(sou_enquire_new(db, &enq, NULL), SOU_OK);
    ck_assert_int_eq(sou_enquire_add_facet(enq, TYPE_SLOT, NULL), SOU_OK);
    ck_assert_int_eq(sou_enquire_add_facet(enq, MONTH_SLOT, NULL), SOU_OK);

    sou_mset *apec = facet_search(enq, db, tq("apec"), 10);
    sou_mset *trade = facet_search(enq, db, tq("trade"), 10);
    sou_mset *again = facet_search(enq, db, tq("apec"), 10);
    sou_enquire_free(enq);

    expect_facets(trade, TYPE_SLOT, "article=1,meeting=1");
    expect_facets(trade, MONTH_SLOT, "2026-02=1,2026-05=1");
    expect_facets(apec, TYPE_SLOT, "meeting=3,article=1,forum=1");
    expect_facets(apec, MONTH_SLOT, "2026-05=3,2026-02=1,2026-03=1");
    /* The same search twice counts the same, not double. */
    expect_facets(again, TYPE_SLOT, "meeting=3,article=1,forum=1");
    sou_mset_free(trade);
    expect_facets(apec, TYPE_SLOT, "meeting=3,article=1,forum=1");
    sou_mset_free(again);
    sou_mset_free(apec);
    sou_db_free(db);
}
END_TEST

START_TEST(test_xapian_facets_at_most_eight)
{
    sou_error err = {0, ""};
    sou_db *db = facet_db();
    sou_enquire *enq = NULL;
    ck_assert_int_eq(sou_enquire_new(db, &enq, NULL), SOU_OK);
    for (unsigned slot = 0; slot < SOU_FACETS_MAX; slot++)
        ck_assert_int_eq(sou_enquire_add_facet(enq, slot, &err), SOU_OK);
    /* Registering a slot again is not a new facet. */
    ck_assert_int_eq(sou_enquire_add_facet(enq, TYPE_SLOT, &err), SOU_OK);
    ck_assert_int_eq(sou_enquire_add_facet(enq, 8, &err), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(err.code, SOU_ERR_INVALID_ARG);
    ck_assert_str_eq(err.msg, "slot 8: enq already counts 8 facets, the most allowed");
    ck_assert_int_eq(sou_enquire_add_facet(NULL, 0, &err), SOU_ERR_INVALID_ARG);
    ck_assert_str_eq(err.msg, "enq is NULL");

    /* The eight still count; the refused one was not added. */
    sou_mset *ms = facet_search(enq, db, tq("trade"), 10);
    expect_facets(ms, TYPE_SLOT, "article=1,meeting=1");
    expect_facets(ms, MONTH_SLOT, "2026-02=1,2026-05=1");
    expect_facets(ms, 0, "");
    struct facets f = {{0}, 0, 0};
    ck_assert_int_eq(sou_mset_facets(ms, 8, collect_facet, &f, &err), SOU_ERR_INVALID_ARG);
    sou_mset_free(ms);
    sou_enquire_free(enq);
    sou_db_free(db);
}
END_TEST

START_TEST(test_xapian_facets_callback_stop)
{
    sou_error err = {0, ""};
    sou_db *db = facet_db();
    sou_enquire *enq = NULL;
    ck_assert_int_eq(sou_enquire_new(db, &enq, NULL), SOU_OK);
    ck_assert_int_eq(sou_enquire_add_facet(enq, MONTH_SLOT, NULL), SOU_OK);
    sou_mset *ms = facet_search(enq, db, tq("apec"), 10);
    struct facets f = {{0}, 0, 2};
    ck_assert_int_eq(sou_mset_facets(ms, MONTH_SLOT, collect_facet, &f, &err), SOU_ERR_CALLBACK);
    ck_assert_int_eq(err.code, SOU_ERR_CALLBACK);
    ck_assert_str_eq(err.msg, "stopped by callback");
    ck_assert_int_eq(f.calls, 2);
    ck_assert_str_eq(f.buf, "2026-05=3,2026-02=1");
    /* Stopping changes nothing: the next walk sees every value. */
    expect_facets(ms, MONTH_SLOT, "2026-05=3,2026-02=1,2026-03=1");
    sou_mset_free(ms);
    sou_enquire_free(enq);
    sou_db_free(db);
}
END_TEST

/* ---- Metadata, synonyms, term lists ---------------------------------------- */

START_TEST(test_xapian_metadata)
{
    sou_wdb *w = wdb_open("db", SOU_WDB_CREATE);
    ck_assert_int_eq(sou_wdb_set_metadata(w, "version", "3", 1, NULL), SOU_OK);
    ck_assert_int_eq(sou_wdb_set_metadata(w, "bin", "a\0b", 3, NULL), SOU_OK);
    ck_assert_int_eq(sou_wdb_set_metadata(w, "gone", "x", 1, NULL), SOU_OK);
    ck_assert_int_eq(sou_wdb_set_metadata(w, "gone", NULL, 0, NULL), SOU_OK);
    commit(w);
    sou_db *db = db_open("db");
    char *v = NULL;
    size_t len = 99;
    ck_assert_int_eq(sou_db_get_metadata(db, "version", &v, &len, NULL), SOU_OK);
    ck_assert_str_eq(v, "3");
    ck_assert_uint_eq(len, 1);
    free(v);
    ck_assert_int_eq(sou_db_get_metadata(db, "bin", &v, &len, NULL), SOU_OK);
    ck_assert_uint_eq(len, 3);
    ck_assert_mem_eq(v, "a\0b", 4); /* with the terminating NUL */
    free(v);
    v = (char *)&len;
    ck_assert_int_eq(sou_db_get_metadata(db, "missing", &v, &len, NULL), SOU_OK);
    ck_assert_ptr_null(v);
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(sou_db_get_metadata(db, "gone", &v, NULL, NULL), SOU_OK);
    ck_assert_ptr_null(v);

    sou_error err = {0, ""};
    ck_assert_int_eq(sou_wdb_set_metadata(w, "", "x", 1, &err), SOU_ERR_INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(err.msg, "InvalidArgumentError"));
    sou_db_free(db);
    sou_wdb_free(w);
}
END_TEST

START_TEST(test_xapian_metadata_keys_in_byte_order)
{
    sou_error err = {0, ""};
    sou_wdb *w = wdb_open("db", SOU_WDB_CREATE);
    /* Added out of order; "\xc3\xa9" (é) sorts after every ASCII byte. */
    static const char *const keys[] = {"sou.version", "\xc3\xa9t\xc3\xa9", "sou.built", "a",
                                       "sou",         "sou.corpus",        "sox",       "gone"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        ck_assert_int_eq(sou_wdb_set_metadata(w, keys[i], "v", 1, NULL), SOU_OK);
    ck_assert_int_eq(sou_wdb_set_metadata(w, "gone", NULL, 0, NULL), SOU_OK); /* removed */
    commit(w);
    sou_db *db = db_open("db");

    struct terms sou = {{0}, 0, 0};
    ck_assert_int_eq(sou_db_metadata_keys(db, "sou.", 4, collect_term, &sou, &err), SOU_OK);
    ck_assert_str_eq(sou.buf, "sou.built,sou.corpus,sou.version");
    struct terms so = {{0}, 0, 0};
    ck_assert_int_eq(sou_db_metadata_keys(db, "sou", 3, collect_term, &so, &err), SOU_OK);
    ck_assert_str_eq(so.buf, "sou,sou.built,sou.corpus,sou.version"); /* the prefix itself too */
    struct terms all = {{0}, 0, 0};
    ck_assert_int_eq(sou_db_metadata_keys(db, "", 0, collect_term, &all, &err), SOU_OK);
    ck_assert_str_eq(all.buf, "a,sou,sou.built,sou.corpus,sou.version,sox,\xc3\xa9t\xc3\xa9");
    struct terms null = {{0}, 0, 0};
    ck_assert_int_eq(sou_db_metadata_keys(db, NULL, 0, collect_term, &null, &err), SOU_OK);
    ck_assert_str_eq(null.buf, all.buf);
    struct terms none = {{0}, 0, 0};
    ck_assert_int_eq(sou_db_metadata_keys(db, "zz", 2, collect_term, &none, &err), SOU_OK);
    ck_assert_int_eq(none.calls, 0);
    /* The length counts, not the NUL: "sou.x" cut to "so". */
    struct terms cut = {{0}, 0, 0};
    ck_assert_int_eq(sou_db_metadata_keys(db, "sou.x", 2, collect_term, &cut, &err), SOU_OK);
    ck_assert_str_eq(cut.buf, "sou,sou.built,sou.corpus,sou.version,sox");
    sou_db_free(db);
    sou_wdb_free(w);
}
END_TEST

START_TEST(test_xapian_metadata_keys_callback_stop)
{
    sou_error err = {0, ""};
    sou_wdb *w = wdb_open("db", SOU_WDB_CREATE);
    ck_assert_int_eq(sou_wdb_set_metadata(w, "k1", "v", 1, NULL), SOU_OK);
    ck_assert_int_eq(sou_wdb_set_metadata(w, "k2", "v", 1, NULL), SOU_OK);
    ck_assert_int_eq(sou_wdb_set_metadata(w, "k3", "v", 1, NULL), SOU_OK);
    commit(w);
    sou_db *db = db_open("db");
    struct terms stop = {{0}, 0, 2};
    ck_assert_int_eq(sou_db_metadata_keys(db, "k", 1, collect_term, &stop, &err), SOU_ERR_CALLBACK);
    ck_assert_int_eq(err.code, SOU_ERR_CALLBACK);
    ck_assert_str_eq(err.msg, "stopped by callback");
    ck_assert_str_eq(stop.buf, "k1,k2");
    ck_assert_int_eq(stop.calls, 2);
    sou_db_free(db);
    sou_wdb_free(w);
}
END_TEST

/* The writer's own view sees what is not committed yet, inside a
 * transaction too; clearing by prefix leaves other keys. */
START_TEST(test_xapian_writer_view_and_clear_metadata)
{
    sou_error err = {0, ""};
    sou_wdb *w = wdb_open("db", SOU_WDB_CREATE);
    ck_assert_int_eq(sou_wdb_set_metadata(w, "g:a", "1", 1, NULL), SOU_OK);
    ck_assert_int_eq(sou_wdb_set_metadata(w, "g:b", "2", 1, NULL), SOU_OK);
    ck_assert_int_eq(sou_wdb_set_metadata(w, "h", "3", 1, NULL), SOU_OK);
    commit(w);
    ck_assert_int_eq(sou_wdb_begin_transaction(w, 1, NULL), SOU_OK);
    ck_assert_int_eq(sou_wdb_clear_metadata(w, "g:", 2, NULL), SOU_OK);
    ck_assert_int_eq(sou_wdb_set_metadata(w, "g:c", "4", 1, NULL), SOU_OK);
    sou_db *view = NULL, *other = db_open("db");
    ck_assert_int_eq(sou_wdb_reader(w, &view, NULL), SOU_OK);
    struct terms mine = {{0}, 0, 0}, theirs = {{0}, 0, 0};
    ck_assert_int_eq(sou_db_metadata_keys(view, "", 0, collect_term, &mine, NULL), SOU_OK);
    ck_assert_str_eq(mine.buf, "g:c,h");
    ck_assert_int_eq(sou_db_metadata_keys(other, "", 0, collect_term, &theirs, NULL), SOU_OK);
    ck_assert_str_eq(theirs.buf, "g:a,g:b,h");
    sou_db_free(view);
    ck_assert_int_eq(sou_wdb_cancel_transaction(w, NULL), SOU_OK);
    ck_assert_int_eq(sou_wdb_reader(w, NULL, &err), SOU_ERR_INVALID_ARG);
    ck_assert_str_eq(err.msg, "out is NULL");
    ck_assert_int_eq(sou_wdb_clear_metadata(w, NULL, 1, &err), SOU_ERR_INVALID_ARG);
    ck_assert_str_eq(err.msg, "prefix is NULL");
    sou_db_free(other);
    sou_wdb_free(w);
}
END_TEST

START_TEST(test_xapian_synonyms)
{
    sou_error err = {0, ""};
    sou_wdb *w = wdb_open("db", SOU_WDB_CREATE);
    ck_assert_int_eq(sou_wdb_add_synonym(w, "car", 3, "automobile", 10, NULL), SOU_OK);
    ck_assert_int_eq(sou_wdb_add_synonym(w, "car", 3, "auto", 4, NULL), SOU_OK);
    ck_assert_int_eq(sou_wdb_add_synonym(w, "car", 3, "auto", 4, NULL), SOU_OK); /* once */
    ck_assert_int_eq(sou_wdb_add_synonym(w, "bike", 4, "bicycle", 7, NULL), SOU_OK);
    commit(w);
    sou_db *db = db_open("db");

    struct terms t = {{0}, 0, 0};
    ck_assert_int_eq(sou_db_synonyms(db, "car", 3, collect_term, &t, NULL), SOU_OK);
    ck_assert_str_eq(t.buf, "auto,automobile");
    struct terms none = {{0}, 0, 0};
    ck_assert_int_eq(sou_db_synonyms(db, "boat", 4, collect_term, &none, NULL), SOU_OK);
    ck_assert_int_eq(none.calls, 0);

    struct terms stop = {{0}, 0, 1};
    ck_assert_int_eq(sou_db_synonyms(db, "car", 3, collect_term, &stop, &err), SOU_ERR_CALLBACK);
    ck_assert_int_eq(stop.calls, 1);
    ck_assert_int_eq(err.code, SOU_ERR_CALLBACK);
    ck_assert_str_eq(err.msg, "stopped by callback");

    ck_assert_int_eq(sou_wdb_clear_synonyms(w, "car", 3, NULL), SOU_OK);
    commit(w);
    ck_assert_int_eq(sou_db_reopen(db, NULL), SOU_OK);
    struct terms cleared = {{0}, 0, 0};
    ck_assert_int_eq(sou_db_synonyms(db, "car", 3, collect_term, &cleared, NULL), SOU_OK);
    ck_assert_int_eq(cleared.calls, 0);
    struct terms bike = {{0}, 0, 0};
    ck_assert_int_eq(sou_db_synonyms(db, "bike", 4, collect_term, &bike, NULL), SOU_OK);
    ck_assert_str_eq(bike.buf, "bicycle");
    sou_db_free(db);
    sou_wdb_free(w);
}
END_TEST

START_TEST(test_xapian_all_terms_with_prefix)
{
    sou_error err = {0, ""};
    sou_db *db = fruit_db();
    struct terms k = {{0}, 0, 0};
    ck_assert_int_eq(sou_db_all_terms(db, "K", 1, collect_term, &k, NULL), SOU_OK);
    ck_assert_str_eq(k.buf, "Kfruit,Kred");
    struct terms q = {{0}, 0, 0};
    ck_assert_int_eq(sou_db_all_terms(db, "Q", 1, collect_term, &q, NULL), SOU_OK);
    ck_assert_str_eq(q.buf, "Q1,Q2,Q3,Q4");
    struct terms z = {{0}, 0, 0};
    ck_assert_int_eq(sou_db_all_terms(db, "Z", 1, collect_term, &z, NULL), SOU_OK);
    ck_assert_int_eq(z.calls, 0);
    struct terms all = {{0}, 0, 0};
    ck_assert_int_eq(sou_db_all_terms(db, NULL, 0, collect_term, &all, NULL), SOU_OK);
    ck_assert_str_eq(all.buf, "Kfruit,Kred,Q1,Q2,Q3,Q4,apple,banana,cherry,durian");

    struct terms stop = {{0}, 0, 2};
    ck_assert_int_eq(sou_db_all_terms(db, "Q", 1, collect_term, &stop, &err), SOU_ERR_CALLBACK);
    ck_assert_str_eq(stop.buf, "Q1,Q2");
    ck_assert_str_eq(err.msg, "stopped by callback");
    sou_db_free(db);
}
END_TEST

/* ---- Several databases as one ---------------------------------------------- */

START_TEST(test_xapian_open_many_matches_one_database)
{
    sou_wdb *a = wdb_open("a", SOU_WDB_CREATE);
    sou_wdb *b = wdb_open("b", SOU_WDB_CREATE);
    sou_wdb *all = wdb_open("all", SOU_WDB_CREATE);
    add_fruit(a, 1, 2);
    add_fruit(b, 3, 4);
    add_fruit(all, 1, 4);
    ck_assert_int_eq(sou_wdb_close(a, NULL), SOU_OK);
    ck_assert_int_eq(sou_wdb_close(b, NULL), SOU_OK);
    ck_assert_int_eq(sou_wdb_close(all, NULL), SOU_OK);
    sou_wdb_free(a);
    sou_wdb_free(b);
    sou_wdb_free(all);

    const char *paths[] = {path_in("a"), path_in("b")};
    sou_error err = {0, ""};
    sou_db *many = NULL;
    int rc = sou_db_open_many(paths, 2, &many, &err);
    ck_assert_msg(rc == SOU_OK, "open_many: %d %s", rc, err.msg);
    sou_db *one = db_open("all");
    ck_assert_uint_eq(db_count(many), 4);

    /* Distinct weights, so the order does not depend on docids (which
     * differ: a sharded database interleaves them). */
    sou_query *q =
        combine(SOU_OP_OR, 0, 3, tq("apple"), scaled(tq("banana"), 2), scaled(tq("cherry"), 4));
    sou_db *dbs[] = {one, many};
    sou_mset *ms[2];
    sou_enquire *enq[2];
    for (int d = 0; d < 2; d++) {
        ck_assert_int_eq(sou_enquire_new(dbs[d], &enq[d], NULL), SOU_OK);
        ck_assert_int_eq(sou_enquire_set_query(enq[d], q, NULL), SOU_OK);
        ck_assert_int_eq(sou_enquire_mset(enq[d], 0, 10, 0, &ms[d], NULL), SOU_OK);
    }
    ck_assert_uint_eq(sou_mset_size(ms[0]), 3);
    ck_assert_uint_eq(sou_mset_size(ms[1]), 3);
    for (size_t i = 0; i < 3; i++) {
        static const char *const want[] = {"3", "2", "1"};
        sou_hit h[2];
        char *data[2];
        for (int d = 0; d < 2; d++) {
            ck_assert_int_eq(sou_mset_hit(ms[d], i, &h[d], NULL), SOU_OK);
            ck_assert_int_eq(sou_mset_data(ms[d], i, &data[d], NULL, NULL), SOU_OK);
        }
        ck_assert_str_eq(data[0], want[i]);
        ck_assert_str_eq(data[1], want[i]);
        ck_assert_double_eq_tol(h[0].weight, h[1].weight, 1e-9);
        free(data[0]);
        free(data[1]);
    }
    /* Document "3" is the first in b: docid 2 when interleaved. */
    sou_hit top;
    ck_assert_int_eq(sou_mset_hit(ms[1], 0, &top, NULL), SOU_OK);
    ck_assert_uint_eq(top.docid, 2);
    struct terms t = {{0}, 0, 0};
    ck_assert_int_eq(sou_mset_matching_terms(ms[1], 0, collect_term, &t, NULL), SOU_OK);
    ck_assert_str_eq(t.buf, "banana,cherry");

    for (int d = 0; d < 2; d++) {
        sou_mset_free(ms[d]);
        sou_enquire_free(enq[d]);
    }
    sou_query_free(q);
    sou_db_free(one);
    sou_db_free(many);

    /* Bad lists. */
    many = (sou_db *)&err;
    ck_assert_int_eq(sou_db_open_many(paths, 0, &many, &err), SOU_ERR_INVALID_ARG);
    ck_assert_ptr_null(many);
    const char *with_null[] = {path_in("a"), NULL};
    ck_assert_int_eq(sou_db_open_many(with_null, 2, &many, &err), SOU_ERR_INVALID_ARG);
    ck_assert_str_eq(err.msg, "paths[1] is NULL");
    const char *with_missing[] = {path_in("a"), path_in("missing")};
    ck_assert_int_eq(sou_db_open_many(with_missing, 2, &many, &err), SOU_ERR_DB_NOT_FOUND);
    ck_assert_ptr_null(many);
}
END_TEST

/* ---- Stemming and version ---------------------------------------------------- */

START_TEST(test_xapian_stemmer)
{
    sou_error err = {0, ""};
    sou_stemmer *st = NULL;
    char out[16];
    size_t len = 99;
    ck_assert_int_eq(sou_stemmer_new("english", &st, &err), SOU_OK);
    ck_assert_int_eq(sou_stem(st, "meetings", 8, out, sizeof out, &len, &err), SOU_OK);
    ck_assert_str_eq(out, "meet");
    ck_assert_uint_eq(len, 4);
    ck_assert_int_eq(sou_stem(st, "running", 7, out, sizeof out, &len, &err), SOU_OK);
    ck_assert_str_eq(out, "run");
    ck_assert_int_eq(sou_stem(st, NULL, 0, out, sizeof out, &len, &err), SOU_OK);
    ck_assert_str_eq(out, "");
    ck_assert_uint_eq(len, 0);

    /* "meet" needs 5 bytes with its NUL. */
    ck_assert_int_eq(sou_stem(st, "meetings", 8, out, 4, &len, &err), SOU_ERR_INVALID_ARG);
    ck_assert_str_eq(out, "");
    ck_assert_uint_eq(len, 0);
    ck_assert_str_eq(err.msg, "out is too small: the stem needs 5 bytes, cap is 4");
    ck_assert_int_eq(sou_stem(st, "meetings", 8, out, 5, &len, &err), SOU_OK);
    ck_assert_str_eq(out, "meet");
    ck_assert_int_eq(sou_stem(st, "meetings", 8, out, 0, &len, &err), SOU_ERR_INVALID_ARG);
    sou_stemmer_free(st);

    st = (sou_stemmer *)&err;
    ck_assert_int_eq(sou_stemmer_new("klingon", &st, &err), SOU_ERR_INVALID_ARG);
    ck_assert_ptr_null(st);
    ck_assert_int_eq(err.code, SOU_ERR_INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(err.msg, "InvalidArgumentError"));
    ck_assert_ptr_nonnull(strstr(err.msg, "klingon"));

    ck_assert_int_eq(sou_stemmer_new("none", &st, &err), SOU_OK);
    ck_assert_int_eq(sou_stem(st, "meetings", 8, out, sizeof out, &len, &err), SOU_OK);
    ck_assert_str_eq(out, "meetings");
    sou_stemmer_free(st);
}
END_TEST

START_TEST(test_xapian_version)
{
    const char *v = sou_xapian_version();
    ck_assert_ptr_nonnull(v);
    ck_assert_int_eq(strncmp(v, "1.4.", 4), 0);
    ck_assert_ptr_eq(sou_xapian_version(), v); /* static */
}
END_TEST

/* ---- Errors ---------------------------------------------------------------- */

START_TEST(test_xapian_missing_database_not_found)
{
    sou_error err = {0, ""};
    sou_db *db = (sou_db *)&err;
    ck_assert_int_eq(sou_db_open(path_in("missing"), &db, &err), SOU_ERR_DB_NOT_FOUND);
    ck_assert_ptr_null(db);
    ck_assert_int_eq(err.code, SOU_ERR_DB_NOT_FOUND);
    ck_assert_int_eq(strncmp(err.msg, "DatabaseNotFoundError: ", 23), 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "missing"));

    /* An empty directory is not a database either. */
    ck_assert_int_eq(mkdir(path_in("empty"), 0700), 0);
    ck_assert_int_eq(sou_db_open(path_in("empty"), &db, &err), SOU_ERR_DB_NOT_FOUND);
    ck_assert_ptr_null(db);
}
END_TEST

START_TEST(test_xapian_corrupt_database)
{
    /* A glass directory whose version file is garbage. */
    sou_wdb *w = wdb_open("db", SOU_WDB_CREATE);
    sou_wdb_free(w);
    FILE *f = fopen(path_in("db/iamglass"), "w");
    ck_assert_ptr_nonnull(f);
    fputs("not a version file", f);
    fclose(f);
    sou_error err = {0, ""};
    sou_db *db = NULL;
    int rc = sou_db_open(path_in("db"), &db, &err);
    ck_assert_msg(rc == SOU_ERR_DB_CORRUPT || rc == SOU_ERR_DB_OPENING, "rc %d: %s", rc, err.msg);
    ck_assert_ptr_null(db);
    ck_assert_int_ne(err.msg[0], '\0');
}
END_TEST

/* Replaces 2000 documents with words of this round, then commits. */
static void rewrite_all(sou_wdb *w, int round)
{
    for (int i = 0; i < 2000; i++) {
        char id[16], words[20 * 16] = "";
        size_t used = 0;
        for (int j = 0; j < 20; j++)
            used += (size_t)snprintf(words + used, sizeof words - used, "w%d_%d ",
                                     (i * 7 + j) % 500, round);
        snprintf(id, sizeof id, "%d", i);
        put_doc(w, id, words, NULL);
    }
    commit(w);
}

/* Glass keeps only the last two revisions: a reader left at an older one
 * finds its blocks reused and must reopen. */
START_TEST(test_xapian_modified_reader_must_reopen)
{
    sou_error err = {0, ""};
    sou_wdb *w = wdb_open("db", SOU_WDB_CREATE);
    rewrite_all(w, 0);
    sou_db *db = db_open("db");
    for (int round = 1; round <= 3; round++)
        rewrite_all(w, round);

    sou_enquire *enq = NULL;
    sou_mset *ms = (sou_mset *)&err;
    ck_assert_int_eq(sou_enquire_new(db, &enq, NULL), SOU_OK);
    sou_query *q = tq("w5_0");
    ck_assert_int_eq(sou_enquire_set_query(enq, q, NULL), SOU_OK);
    ck_assert_int_eq(sou_enquire_mset(enq, 0, 10, 0, &ms, &err), SOU_ERR_DB_MODIFIED);
    ck_assert_ptr_null(ms);
    ck_assert_int_eq(strncmp(err.msg, "DatabaseModifiedError: ", 23), 0);

    ck_assert_int_eq(sou_db_reopen(db, NULL), SOU_OK);
    ck_assert_int_eq(sou_enquire_mset(enq, 0, 10, 0, &ms, &err), SOU_OK);
    ck_assert_uint_eq(sou_mset_size(ms), 0); /* round 0's words are gone */
    sou_mset_free(ms);
    sou_query_free(q);
    q = tq("w5_3");
    ck_assert_int_eq(sou_enquire_set_query(enq, q, NULL), SOU_OK);
    ck_assert_int_eq(sou_enquire_mset(enq, 0, 10, 10, &ms, &err), SOU_OK);
    ck_assert_uint_gt(sou_mset_size(ms), 0);
    sou_mset_free(ms);
    sou_query_free(q);
    sou_enquire_free(enq);
    sou_db_free(db);
    sou_wdb_free(w);
}
END_TEST

START_TEST(test_xapian_second_writer_locked)
{
    sou_error err = {0, ""};
    sou_wdb *w = wdb_open("db", SOU_WDB_CREATE);
    sou_wdb *w2 = (sou_wdb *)&err;
    ck_assert_int_eq(sou_wdb_open(path_in("db"), SOU_WDB_OPEN, &w2, &err), SOU_ERR_DB_LOCKED);
    ck_assert_ptr_null(w2);
    ck_assert_int_eq(strncmp(err.msg, "DatabaseLockError: ", 19), 0);
    ck_assert_int_eq(sou_wdb_open(path_in("db"), SOU_WDB_CREATE_OR_OPEN, &w2, NULL),
                     SOU_ERR_DB_LOCKED);
    /* Readers are not blocked. */
    sou_db *db = db_open("db");
    sou_db_free(db);
    sou_wdb_free(w);
    w2 = wdb_open("db", SOU_WDB_OPEN); /* free released the lock */
    sou_wdb_free(w2);
}
END_TEST

START_TEST(test_xapian_term_too_long)
{
    sou_error err = {0, ""};
    char term[SOU_TERM_MAX + 1];
    memset(term, 'x', sizeof term);
    sou_wdb *w = wdb_open("db", SOU_WDB_CREATE);
    put_doc(w, "ok", "word", NULL);

    sou_doc *doc = NULL;
    ck_assert_int_eq(sou_doc_new(&doc, NULL), SOU_OK);
    ck_assert_int_eq(sou_doc_add_term(doc, term, SOU_TERM_MAX, 1, NULL), SOU_OK);
    ck_assert_int_eq(sou_wdb_replace_document(w, "Qmax", 4, doc, NULL, &err), SOU_OK);
    sou_doc_free(doc);

    ck_assert_int_eq(sou_doc_new(&doc, NULL), SOU_OK);
    ck_assert_int_eq(sou_doc_add_term(doc, "fine", 4, 1, NULL), SOU_OK);
    ck_assert_int_eq(sou_doc_add_term(doc, term, SOU_TERM_MAX + 1, 1, NULL), SOU_OK);
    uint32_t did = 99;
    ck_assert_int_eq(sou_wdb_replace_document(w, "Qlong", 5, doc, &did, &err), SOU_ERR_INVALID_ARG);
    ck_assert_uint_eq(did, 0);
    ck_assert_int_eq(strncmp(err.msg, "term too long (246 bytes, the limit is 245): xxx", 48), 0);
    sou_doc_free(doc);

    /* The quoted start of a long Chinese term is cut between characters:
     * 會 is 3 bytes, so 30 of the 32 quoted bytes are shown. */
    char zh[3 * 90 + 1] = "";
    for (int i = 0; i < 90; i++)
        strcat(zh, "\xe6\x9c\x83");
    ck_assert_int_eq(sou_doc_new(&doc, NULL), SOU_OK);
    ck_assert_int_eq(sou_doc_add_term(doc, zh, strlen(zh), 1, NULL), SOU_OK);
    ck_assert_int_eq(sou_wdb_replace_document(w, "Qzh", 3, doc, NULL, &err), SOU_ERR_INVALID_ARG);
    const char *quoted = strstr(err.msg, ": ");
    ck_assert_ptr_nonnull(quoted);
    ck_assert_str_eq(quoted + 2 + 30, "...");
    ck_assert_int_eq(memcmp(quoted + 2, zh, 30), 0);
    sou_doc_free(doc);

    /* Refused before Xapian saw it, so the uncommitted documents before it
     * survive (Xapian itself would have discarded them all). */
    ck_assert_uint_eq(wdb_count(w), 2);
    ck_assert_int_eq(sou_wdb_close(w, &err), SOU_OK);
    sou_wdb_free(w);
    ck_assert_uint_eq(count_on_disk("db"), 2);
}
END_TEST

START_TEST(test_xapian_message_is_nul_terminated)
{
    sou_error err;
    char path[400];
    /* A missing path longer than the record: Xapian's message quotes it. */
    int n = snprintf(path, sizeof path, "%s/", tmpdir);
    while (n < 350)
        n += snprintf(path + n, sizeof path - (size_t)n, "missing/");
    memset(&err, 'X', sizeof err);
    sou_db *db = NULL;
    ck_assert_int_eq(sou_db_open(path, &db, &err), SOU_ERR_DB_NOT_FOUND);
    ck_assert_int_eq(err.code, SOU_ERR_DB_NOT_FOUND);
    ck_assert_ptr_nonnull(memchr(err.msg, '\0', sizeof err.msg));
    ck_assert_uint_eq(strlen(err.msg), SOU_ERROR_MSG_MAX - 1); /* cut */
    ck_assert_int_eq(strncmp(err.msg, "DatabaseNotFoundError: ", 23), 0);

    memset(&err, 'X', sizeof err);
    sou_doc *doc = NULL;
    ck_assert_int_eq(sou_doc_new(&doc, NULL), SOU_OK);
    ck_assert_int_eq(sou_doc_add_term(doc, NULL, 1, 1, &err), SOU_ERR_INVALID_ARG);
    ck_assert_str_eq(err.msg, "term is NULL");
    sou_doc_free(doc);
}
END_TEST

START_TEST(test_xapian_null_err_accepted)
{
    sou_db *db = NULL;
    sou_wdb *w = NULL;
    sou_stemmer *st = NULL;
    ck_assert_int_eq(sou_db_open(path_in("missing"), &db, NULL), SOU_ERR_DB_NOT_FOUND);
    ck_assert_int_eq(sou_db_open(NULL, &db, NULL), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_wdb_open(path_in("db"), 99, &w, NULL), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_stemmer_new("klingon", &st, NULL), SOU_ERR_INVALID_ARG);
    w = wdb_open("db", SOU_WDB_CREATE);
    ck_assert_int_eq(sou_wdb_commit_transaction(w, NULL), SOU_ERR_INVALID_ARG);
    put_doc(w, "a", "one two", NULL);
    ck_assert_int_eq(sou_wdb_close(w, NULL), SOU_OK);
    sou_wdb_free(w);
    db = db_open("db");
    struct terms stop = {{0}, 0, 1};
    ck_assert_int_eq(sou_db_all_terms(db, NULL, 0, collect_term, &stop, NULL), SOU_ERR_CALLBACK);
    ck_assert_int_eq(stop.calls, 1);
    sou_db_free(db);
}
END_TEST

START_TEST(test_xapian_null_arguments)
{
    sou_error err = {0, ""};
    sou_db *db = fruit_db();
    sou_wdb *w = wdb_open("w", SOU_WDB_CREATE);
    sou_doc *doc = NULL;
    sou_query *q = tq("apple"), *out = NULL;
    sou_enquire *enq = NULL;
    sou_mset *ms = NULL;
    sou_stemmer *st = NULL;
    uint32_t n = 0;
    char *s = NULL;
    char buf[8];
    ck_assert_int_eq(sou_doc_new(&doc, NULL), SOU_OK);
    ck_assert_int_eq(sou_enquire_new(db, &enq, NULL), SOU_OK);
    ck_assert_int_eq(sou_stemmer_new("english", &st, NULL), SOU_OK);

#define EXPECT_INVALID(call, message)                                                              \
    do {                                                                                           \
        err.code = SOU_OK;                                                                         \
        err.msg[0] = '\0';                                                                         \
        ck_assert_int_eq((call), SOU_ERR_INVALID_ARG);                                             \
        ck_assert_int_eq(err.code, SOU_ERR_INVALID_ARG);                                           \
        ck_assert_str_eq(err.msg, message);                                                        \
    } while (0)

    sou_db *db2 = (sou_db *)&err;
    EXPECT_INVALID(sou_db_open(NULL, &db2, &err), "path is NULL");
    ck_assert_ptr_null(db2);
    EXPECT_INVALID(sou_db_open(path_in("fruit"), NULL, &err), "out is NULL");
    EXPECT_INVALID(sou_db_open_many(NULL, 1, &db2, &err), "paths is NULL");
    EXPECT_INVALID(sou_db_reopen(NULL, &err), "db is NULL");
    EXPECT_INVALID(sou_db_doc_count(NULL, &n, &err), "db is NULL");
    EXPECT_INVALID(sou_db_doc_count(db, NULL, &err), "out is NULL");
    EXPECT_INVALID(sou_db_term_freq(db, NULL, 0, &n, &err), "term is NULL");
    EXPECT_INVALID(sou_db_get_metadata(db, NULL, &s, NULL, &err), "key is NULL");
    EXPECT_INVALID(sou_db_get_metadata(NULL, "k", &s, NULL, &err), "db is NULL");
    EXPECT_INVALID(sou_db_synonyms(db, "a", 1, NULL, NULL, &err), "cb is NULL");
    EXPECT_INVALID(sou_db_synonyms(db, NULL, 0, collect_term, NULL, &err), "term is NULL");
    EXPECT_INVALID(sou_db_all_terms(db, NULL, 1, collect_term, NULL, &err), "prefix is NULL");
    EXPECT_INVALID(sou_db_all_terms(NULL, "", 0, collect_term, NULL, &err), "db is NULL");
    EXPECT_INVALID(sou_db_metadata_keys(NULL, "", 0, collect_term, NULL, &err), "db is NULL");
    EXPECT_INVALID(sou_db_metadata_keys(db, NULL, 1, collect_term, NULL, &err), "prefix is NULL");
    EXPECT_INVALID(sou_db_metadata_keys(db, "", 0, NULL, NULL, &err), "cb is NULL");

    sou_wdb *w2 = (sou_wdb *)&err;
    EXPECT_INVALID(sou_wdb_open(NULL, SOU_WDB_CREATE, &w2, &err), "path is NULL");
    ck_assert_ptr_null(w2);
    EXPECT_INVALID(sou_wdb_close(NULL, &err), "wdb is NULL");
    EXPECT_INVALID(sou_wdb_commit(NULL, &err), "wdb is NULL");
    EXPECT_INVALID(sou_wdb_begin_transaction(NULL, 1, &err), "wdb is NULL");
    EXPECT_INVALID(sou_wdb_commit_transaction(NULL, &err), "wdb is NULL");
    EXPECT_INVALID(sou_wdb_cancel_transaction(NULL, &err), "wdb is NULL");
    EXPECT_INVALID(sou_wdb_replace_document(w, NULL, 0, doc, NULL, &err), "id_term is NULL");
    EXPECT_INVALID(sou_wdb_replace_document(w, "Qa", 2, NULL, NULL, &err), "doc is NULL");
    EXPECT_INVALID(sou_wdb_delete_document(w, NULL, 0, &err), "id_term is NULL");
    EXPECT_INVALID(sou_wdb_doc_count(NULL, &n, &err), "wdb is NULL");
    EXPECT_INVALID(sou_wdb_add_synonym(w, "a", 1, NULL, 0, &err), "synonym is NULL");
    EXPECT_INVALID(sou_wdb_clear_synonyms(w, NULL, 0, &err), "term is NULL");
    EXPECT_INVALID(sou_wdb_set_metadata(w, NULL, "v", 1, &err), "key is NULL");
    EXPECT_INVALID(sou_wdb_set_metadata(w, "k", NULL, 1, &err), "value is NULL");

    EXPECT_INVALID(sou_doc_new(NULL, &err), "out is NULL");
    EXPECT_INVALID(sou_doc_add_posting(NULL, "a", 1, 1, 1, &err), "doc is NULL");
    EXPECT_INVALID(sou_doc_add_posting(doc, "a", 1, 0, 1, &err), "pos is 0: positions start at 1");
    EXPECT_INVALID(sou_doc_add_term(doc, NULL, 0, 1, &err), "term is NULL");
    EXPECT_INVALID(sou_doc_add_boolean_term(doc, NULL, 0, &err), "term is NULL");
    EXPECT_INVALID(sou_doc_add_value(doc, 0, NULL, 2, &err), "value is NULL");
    EXPECT_INVALID(sou_doc_set_data(NULL, "d", 1, &err), "doc is NULL");
    ck_assert_int_eq(sou_doc_set_data(doc, NULL, 0, &err), SOU_OK); /* empty data */
    /* Xapian's own checks arrive as INVALID_ARG too. */
    ck_assert_int_eq(sou_doc_add_term(doc, "", 0, 1, &err), SOU_ERR_INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(err.msg, "InvalidArgumentError"));
    ck_assert_int_eq(sou_wdb_replace_document(w, "", 0, doc, NULL, &err), SOU_ERR_INVALID_ARG);

    EXPECT_INVALID(sou_query_term(NULL, 0, 1, 0, &out, &err), "term is NULL");
    EXPECT_INVALID(sou_query_term("a", 1, 1, 0, NULL, &err), "out is NULL");
    EXPECT_INVALID(sou_query_combine(SOU_OP_OR, NULL, 2, 0, &out, &err), "subs is NULL");
    sou_query *subs[] = {q, NULL};
    EXPECT_INVALID(sou_query_combine(SOU_OP_OR, subs, 2, 0, &out, &err), "subs[1] is NULL");
    EXPECT_INVALID(sou_query_combine(0, subs, 1, 0, &out, &err), "op 0 is not a sou_query_op");
    EXPECT_INVALID(sou_query_combine(10, NULL, 0, 0, &out, &err), "op 10 is not a sou_query_op");
    ck_assert_ptr_null(out);
    EXPECT_INVALID(sou_query_value_range(0, "a", "b", NULL, &err), "out is NULL");
    EXPECT_INVALID(sou_query_scale(NULL, 1.0, &out, &err), "q is NULL");
    EXPECT_INVALID(sou_query_scale(q, -1.0, &out, &err), "factor must be finite and >= 0");
    EXPECT_INVALID(sou_query_scale(q, NAN, &out, &err), "factor must be finite and >= 0");
    EXPECT_INVALID(sou_query_scale(q, INFINITY, &out, &err), "factor must be finite and >= 0");
    EXPECT_INVALID(sou_query_describe(NULL, &s, &err), "q is NULL");

    sou_enquire *enq2 = (sou_enquire *)&err;
    EXPECT_INVALID(sou_enquire_new(NULL, &enq2, &err), "db is NULL");
    ck_assert_ptr_null(enq2);
    EXPECT_INVALID(sou_enquire_set_query(enq, NULL, &err), "q is NULL");
    EXPECT_INVALID(sou_enquire_set_query(NULL, q, &err), "enq is NULL");
    EXPECT_INVALID(sou_enquire_set_bm25(NULL, 1, 0, 1, 0.5, 0.5, &err), "enq is NULL");
    EXPECT_INVALID(sou_enquire_set_time_limit(NULL, 1, &err), "enq is NULL");
    EXPECT_INVALID(sou_enquire_sort_by_value(NULL, 0, 0, &err), "enq is NULL");
    EXPECT_INVALID(sou_enquire_add_facet(NULL, 0, &err), "enq is NULL");
    EXPECT_INVALID(sou_enquire_mset(NULL, 0, 10, 0, &ms, &err), "enq is NULL");
    EXPECT_INVALID(sou_enquire_mset(enq, 0, 10, 0, NULL, &err), "out is NULL");
    EXPECT_INVALID(sou_mset_hit(NULL, 0, NULL, &err), "ms is NULL");
    EXPECT_INVALID(sou_mset_data(NULL, 0, &s, NULL, &err), "ms is NULL");
    EXPECT_INVALID(sou_mset_value(NULL, 0, 0, &s, NULL, &err), "ms is NULL");
    EXPECT_INVALID(sou_mset_matching_terms(NULL, 0, collect_term, NULL, &err), "ms is NULL");
    EXPECT_INVALID(sou_mset_facets(NULL, 0, collect_facet, NULL, &err), "ms is NULL");
    ck_assert_uint_eq(sou_mset_size(NULL), 0);
    ck_assert_uint_eq(sou_mset_matches_estimated(NULL), 0);
    ck_assert_uint_eq(sou_mset_matches_lower_bound(NULL), 0);
    ck_assert_uint_eq(sou_mset_matches_upper_bound(NULL), 0);

    sou_stemmer *st2 = (sou_stemmer *)&err;
    EXPECT_INVALID(sou_stemmer_new(NULL, &st2, &err), "language is NULL");
    ck_assert_ptr_null(st2);
    EXPECT_INVALID(sou_stem(NULL, "a", 1, buf, sizeof buf, NULL, &err), "st is NULL");
    EXPECT_INVALID(sou_stem(st, NULL, 3, buf, sizeof buf, NULL, &err), "word is NULL");
    EXPECT_INVALID(sou_stem(st, "a", 1, NULL, 8, NULL, &err), "out is NULL or cap is 0");
#undef EXPECT_INVALID

    sou_stemmer_free(st);
    sou_enquire_free(enq);
    sou_query_free(q);
    sou_doc_free(doc);
    sou_wdb_free(w);
    sou_db_free(db);
}
END_TEST

START_TEST(test_xapian_free_null_is_noop)
{
    sou_db_free(NULL);
    sou_wdb_free(NULL);
    sou_doc_free(NULL);
    sou_query_free(NULL);
    sou_enquire_free(NULL);
    sou_mset_free(NULL);
    sou_stemmer_free(NULL);
    /* And an out-pointer left NULL by a failure is safe to free. */
    sou_db *db = (sou_db *)tmpdir;
    ck_assert_int_eq(sou_db_open(path_in("missing"), &db, NULL), SOU_ERR_DB_NOT_FOUND);
    sou_db_free(db);
}
END_TEST

Suite *xapian_suite(void)
{
    Suite *s = suite_create("xapian");
    TCase *tc = tcase_create("core");
    tcase_add_unchecked_fixture(tc, make_root, remove_root);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_xapian_replace_by_id_term_keeps_one_doc);
    tcase_add_test(tc, test_xapian_delete_by_id_term);
    tcase_add_test(tc, test_xapian_reopen_sees_commits);
    tcase_add_test(tc, test_xapian_revision_counts_commits);
    tcase_add_test(tc, test_xapian_free_discards_uncommitted);
    tcase_add_test(tc, test_xapian_free_discards_open_transaction);
    tcase_add_test(tc, test_xapian_auto_commit_only_outside_transactions);
    tcase_add_test(tc, test_xapian_close_commits_and_unlocks);
    tcase_add_test(tc, test_xapian_close_refuses_open_transaction);
    tcase_add_test(tc, test_xapian_transaction_commit_applies);
    tcase_add_test(tc, test_xapian_transaction_cancel_discards);
    tcase_add_test(tc, test_xapian_open_modes);
    tcase_add_test(tc, test_xapian_phrase_matches_in_order_only);
    tcase_add_test(tc, test_xapian_boolean_operators);
    tcase_add_test(tc, test_xapian_filter_adds_no_weight);
    tcase_add_test(tc, test_xapian_value_range_on_dates);
    tcase_add_test(tc, test_xapian_bm25_ranks_higher_tf_first);
    tcase_add_test(tc, test_xapian_scaled_weights_order);
    tcase_add_test(tc, test_xapian_mset_data_values_and_terms);
    tcase_add_test(tc, test_xapian_mset_paging_ranks);
    tcase_add_test(tc, test_xapian_sort_by_value);
    tcase_add_test(tc, test_xapian_time_limit);
    tcase_add_test(tc, test_xapian_empty_query);
    tcase_add_test(tc, test_xapian_describe);
    tcase_add_test(tc, test_xapian_facets_count_matches_in_order);
    tcase_add_test(tc, test_xapian_facets_skip_documents_without_value);
    tcase_add_test(tc, test_xapian_facets_unregistered_slot);
    tcase_add_test(tc, test_xapian_facets_belong_to_their_mset);
    tcase_add_test(tc, test_xapian_facets_at_most_eight);
    tcase_add_test(tc, test_xapian_facets_callback_stop);
    tcase_add_test(tc, test_xapian_metadata);
    tcase_add_test(tc, test_xapian_metadata_keys_in_byte_order);
    tcase_add_test(tc, test_xapian_metadata_keys_callback_stop);
    tcase_add_test(tc, test_xapian_synonyms);
    tcase_add_test(tc, test_xapian_writer_view_and_clear_metadata);
    tcase_add_test(tc, test_xapian_all_terms_with_prefix);
    tcase_add_test(tc, test_xapian_open_many_matches_one_database);
    tcase_add_test(tc, test_xapian_stemmer);
    tcase_add_test(tc, test_xapian_version);
    tcase_add_test(tc, test_xapian_missing_database_not_found);
    tcase_add_test(tc, test_xapian_corrupt_database);
    tcase_add_test(tc, test_xapian_modified_reader_must_reopen);
    tcase_add_test(tc, test_xapian_second_writer_locked);
    tcase_add_test(tc, test_xapian_term_too_long);
    tcase_add_test(tc, test_xapian_message_is_nul_terminated);
    tcase_add_test(tc, test_xapian_null_err_accepted);
    tcase_add_test(tc, test_xapian_null_arguments);
    tcase_add_test(tc, test_xapian_free_null_is_noop);
    suite_add_tcase(s, tc);
    return s;
}
