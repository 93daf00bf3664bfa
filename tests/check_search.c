/*
 * check_search.c - searching an index that a writer changes meanwhile, and
 * what a search hands back.
 */
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sou/docbuild.h"
#include "sou/document.h"
#include "sou/layout.h"
#include "sou/search.h"
#include "sou/settings.h"
#include "sou/xapian.h"
#include "suites.h"

#define NDOCS 400

static char tmpdir[64];
static char dbpath[96];

/* Rewrites all NDOCS documents as version v ("marker vV" in each body),
 * and commits: every change is one new revision of the database. */
static void write_version(sou_wdb *w, int v)
{
    sou_error err;
    for (int i = 0; i < NDOCS; i++) {
        char id[32], body[128], version[16];
        snprintf(id, sizeof id, "d%d", i);
        snprintf(version, sizeof version, "v%d", v);
        snprintf(body, sizeof body, "marker %s document %d, padding words to fill blocks %d",
                 version, i, v * 1000 + i);
        sou_document *d = NULL;
        ck_assert_int_eq(sou_document_new(&d, &err), SOU_OK);
        ck_assert_int_eq(sou_document_set(d, "id", id, strlen(id), &err), SOU_OK);
        ck_assert_int_eq(sou_document_set(d, "title", version, strlen(version), &err), SOU_OK);
        ck_assert_int_eq(sou_document_set(d, "body", body, strlen(body), &err), SOU_OK);
        char id_term[SOU_ID_MAX + 2];
        sou_doc *doc = NULL;
        ck_assert_int_eq(sou_doc_build(test_analyzer, d, &doc, id_term, &err), SOU_OK);
        ck_assert_int_eq(sou_wdb_replace_document(w, id_term, strlen(id_term), doc, NULL, &err),
                         SOU_OK);
        sou_doc_free(doc);
        sou_document_free(d);
    }
    ck_assert_int_eq(sou_wdb_commit(w, &err), SOU_OK);
}

/* A new index at dbpath holding version 0, still open for writing. */
static sou_wdb *new_index(void)
{
    sou_error err;
    sou_wdb *w = NULL;
    ck_assert_int_eq(sou_wdb_open(dbpath, SOU_WDB_CREATE, &w, &err), SOU_OK);
    ck_assert_int_eq(sou_settings_store(w, test_analyzer, &(sou_analysis_opts){0}, &err), SOU_OK);
    write_version(w, 0);
    return w;
}

static void db_setup(void)
{
    analyzer_setup();
    snprintf(tmpdir, sizeof tmpdir, "/tmp/sou-search-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(dbpath, sizeof dbpath, "%s/db", tmpdir);
}

static void db_teardown(void)
{
    test_remove_tree(tmpdir);
    analyzer_teardown();
}

/* Every result is a document of one and the same version: a result set
 * never mixes two states of the index. Returns that version. */
static int one_version(const sou_results *r)
{
    int version = -1;
    for (size_t i = 0; i < r->n; i++) {
        const char *t = strstr(r->v[i].data, "\"title\": \"v");
        if (!t)
            t = strstr(r->v[i].data, "\"title\":\"v");
        ck_assert_msg(t != NULL, "no version in %s", r->v[i].data);
        int v = atoi(strchr(t, 'v') + 1);
        if (version < 0)
            version = v;
        ck_assert_int_eq(v, version);
    }
    return version;
}

/* A reader that kept a revision the writer has since overwritten meets
 * DatabaseModifiedError; sou_search() reopens and answers from the newest
 * revision, whole. The first half proves the error does happen here, so
 * the second half tests the recovery and not luck. */
START_TEST(test_search_reopens_after_writes)
{
    sou_error err;
    sou_wdb *w = new_index();

    sou_db *stale = NULL;
    ck_assert_int_eq(sou_db_open(dbpath, &stale, &err), SOU_OK);
    sou_searcher *s = NULL;
    ck_assert_int_eq(sou_searcher_open(dbpath, &s, &err), SOU_OK);
    for (int v = 1; v <= 10; v++)
        write_version(w, v);

    sou_enquire *enq = NULL;
    sou_query *q = NULL;
    sou_mset *ms = NULL;
    ck_assert_int_eq(sou_query_term("marker", 6, 1, 0, &q, &err), SOU_OK);
    ck_assert_int_eq(sou_enquire_new(stale, &enq, &err), SOU_OK);
    ck_assert_int_eq(sou_enquire_set_query(enq, q, &err), SOU_OK);
    int rc = sou_enquire_mset(enq, 0, NDOCS, 0, &ms, &err);
    char *data = NULL;
    size_t len = 0;
    if (rc == SOU_OK)
        rc = sou_mset_data(ms, 0, &data, &len, &err);
    ck_assert_int_eq(rc, SOU_ERR_DB_MODIFIED);
    free(data);
    sou_mset_free(ms);
    sou_enquire_free(enq);
    sou_query_free(q);
    sou_db_free(stale);

    sou_search_opts o;
    sou_search_opts_init(&o);
    o.limit = NDOCS;
    sou_results r;
    ck_assert_int_eq(sou_search(s, "marker", 6, &o, &r, &err), SOU_OK);
    ck_assert_uint_eq(r.n, NDOCS);
    ck_assert_int_eq(one_version(&r), 10);
    sou_results_release(&r);

    ck_assert_int_eq(sou_wdb_close(w, &err), SOU_OK);
    sou_wdb_free(w);
    sou_searcher_free(s);
}
END_TEST

/* Each result's stored fields are parsed once: the search keeps what it
 * parsed for the snippet and sou_result_fields() hands that out; without
 * snippets it parses them when asked. */
static void check_fields(const sou_result *res, int kept)
{
    json_t *f = sou_result_fields(res);
    ck_assert_ptr_nonnull(f);
    if (kept)
        ck_assert_ptr_eq(f, res->fields);
    else
        ck_assert_ptr_null(res->fields);
    ck_assert_str_eq(json_string_value(json_object_get(f, "title")), "v0");
    ck_assert_ptr_nonnull(strstr(res->data, json_string_value(json_object_get(f, "id"))));
    /* The body is stored apart, after the fields and a NUL. */
    ck_assert_ptr_null(json_object_get(f, "body"));
    size_t flen = strlen(res->data);
    ck_assert_uint_lt(flen, res->data_len);
    ck_assert_int_eq(strncmp(res->data + flen + 1, "marker v0 document ", 19), 0);
    json_decref(f);
}

START_TEST(test_search_fields_parsed_once)
{
    sou_error err;
    sou_wdb *w = new_index();
    ck_assert_int_eq(sou_wdb_close(w, &err), SOU_OK);
    sou_wdb_free(w);

    sou_searcher *s = NULL;
    ck_assert_int_eq(sou_searcher_open(dbpath, &s, &err), SOU_OK);
    sou_search_opts o;
    sou_search_opts_init(&o);
    o.limit = 5;
    for (int snippets = 1; snippets >= 0; snippets--) {
        o.snippet_chars = snippets ? 80 : 0;
        sou_results r;
        ck_assert_int_eq(sou_search(s, "marker", 6, &o, &r, &err), SOU_OK);
        ck_assert_uint_eq(r.n, 5);
        for (size_t i = 0; i < r.n; i++) {
            ck_assert_int_eq(r.v[i].snippet.len > 0, snippets);
            check_fields(&r.v[i], snippets);
        }
        sou_results_release(&r);
    }
    sou_searcher_free(s);
}
END_TEST

/* Writes one document whose stored data is data[0..len), as sou_doc_build
 * makes it but for the data, and opens a searcher on the index. */
static sou_searcher *index_with_data(const char *body, size_t body_len, const char *data,
                                     size_t len)
{
    sou_error err;
    sou_wdb *w = NULL;
    ck_assert_int_eq(sou_wdb_open(dbpath, SOU_WDB_CREATE, &w, &err), SOU_OK);
    ck_assert_int_eq(sou_settings_store(w, test_analyzer, &(sou_analysis_opts){0}, &err), SOU_OK);
    sou_document *d = NULL;
    ck_assert_int_eq(sou_document_new(&d, &err), SOU_OK);
    ck_assert_int_eq(sou_document_set(d, "id", "x1", 2, &err), SOU_OK);
    ck_assert_int_eq(sou_document_set(d, "title", "Title words", 11, &err), SOU_OK);
    ck_assert_int_eq(sou_document_set(d, "body", body, body_len, &err), SOU_OK);
    char id_term[SOU_ID_MAX + 2];
    sou_doc *doc = NULL;
    ck_assert_int_eq(sou_doc_build(test_analyzer, d, &doc, id_term, &err), SOU_OK);
    if (data)
        ck_assert_int_eq(sou_doc_set_data(doc, data, len, &err), SOU_OK);
    ck_assert_int_eq(sou_wdb_replace_document(w, id_term, strlen(id_term), doc, NULL, &err),
                     SOU_OK);
    ck_assert_int_eq(sou_wdb_commit(w, &err), SOU_OK);
    ck_assert_int_eq(sou_wdb_close(w, &err), SOU_OK);
    sou_wdb_free(w);
    sou_doc_free(doc);
    sou_document_free(d);
    sou_searcher *s = NULL;
    ck_assert_int_eq(sou_searcher_open(dbpath, &s, &err), SOU_OK);
    return s;
}

/* Searches s for "committee", with snippets or without. */
static int search_committee(sou_searcher *s, int snippets, sou_results *r, sou_error *err)
{
    sou_search_opts o;
    sou_search_opts_init(&o);
    if (!snippets)
        o.snippet_chars = 0;
    return sou_search(s, "committee", 9, &o, r, err);
}

/* The stored data is the fields but the body as compact JSON, a NUL, and
 * the body byte for byte: quotes, backslashes, control characters and a
 * NUL of its own are not escaped. The snippet comes from that body. */
START_TEST(test_search_body_stored_apart)
{
    static const char body[] = "引號\"與\\反斜線\n第二行 committee 委員會\t\0結尾";
    sou_searcher *s = index_with_data(body, sizeof body - 1, NULL, 0);
    sou_error err;
    sou_results r;
    ck_assert_int_eq(search_committee(s, 1, &r, &err), SOU_OK);
    ck_assert_uint_eq(r.n, 1);
    const sou_result *res = &r.v[0];
    static const char fields[] = "{\"id\":\"x1\",\"title\":\"Title words\"}";
    ck_assert_uint_eq(res->data_len, sizeof fields + sizeof body - 1);
    ck_assert_str_eq(res->data, fields);
    ck_assert_mem_eq(res->data + sizeof fields, body, sizeof body - 1);
    ck_assert_ptr_nonnull(strstr(res->snippet.text, "第二行 committee 委員會"));
    json_t *f = sou_result_fields(res);
    ck_assert_ptr_null(json_object_get(f, "body"));
    ck_assert_str_eq(json_string_value(json_object_get(f, "title")), "Title words");
    json_decref(f);
    sou_results_release(&r);
    sou_searcher_free(s);
}
END_TEST

/* An index whose stored data is one JSON object with the body among the
 * fields (written by an older Sou) gives the same snippet. */
START_TEST(test_search_body_among_fields)
{
    static const char data[] =
        "{\"id\":\"x1\",\"title\":\"Title words\",\"body\":\"first committee meeting\"}";
    sou_searcher *s = index_with_data("first committee meeting", 23, data, sizeof data - 1);
    sou_error err;
    sou_results r;
    ck_assert_int_eq(search_committee(s, 1, &r, &err), SOU_OK);
    ck_assert_uint_eq(r.n, 1);
    ck_assert_str_eq(r.v[0].snippet.text, "first committee meeting");
    ck_assert_uint_eq(r.v[0].snippet.nspans, 1);
    sou_results_release(&r);
    sou_searcher_free(s);
}
END_TEST

/* A stored body that is not UTF-8 is a damaged index, said as such, not a
 * query error; nor are fields that are not JSON. */
START_TEST(test_search_damaged_data)
{
    static const char bad_body[] = "{\"id\":\"x1\",\"title\":\"t\"}\0committee \xff";
    static const char bad_json[] = "{\"id\":\"x1\",\0committee";
    const char *const data[] = {bad_body, bad_json};
    const size_t len[] = {sizeof bad_body - 1, sizeof bad_json - 1};
    const char *const msg[] = {"a stored body is not valid UTF-8",
                               "stored fields are not a JSON object"};
    for (int i = 0; i < 2; i++) {
        sou_searcher *s = index_with_data("committee", 9, data[i], len[i]);
        sou_error err;
        sou_results r;
        ck_assert_int_eq(search_committee(s, 1, &r, &err), SOU_ERR_DB_CORRUPT);
        ck_assert_str_eq(err.msg, msg[i]);
        sou_results_release(&r);
        /* Without snippets the data is not parsed. */
        ck_assert_int_eq(search_committee(s, 0, &r, &err), SOU_OK);
        ck_assert_uint_eq(r.n, 1);
        sou_results_release(&r);
        sou_searcher_free(s);
        test_remove_tree(dbpath);
    }
}
END_TEST

/* The threads of this process, from /proc/self/task. */
static int thread_count(void)
{
    DIR *d = opendir("/proc/self/task");
    ck_assert_ptr_nonnull(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* Xapian's time limit starts a timer thread. A search sets it only with
 * facets, where counting every match is what it can cut short; without
 * them, one query's process starts no thread. Under CK_FORK=no an earlier
 * test may have started the timer's thread already: then only the first
 * half says something. */
START_TEST(test_search_time_limit_only_with_facets)
{
    sou_searcher *s = index_with_data("committee meeting", 17, NULL, 0);
    sou_error err;
    sou_results r;
    sou_search_opts o;
    sou_search_opts_init(&o);
    ck_assert_double_gt(o.time_limit, 0);
    int before = thread_count();
    ck_assert_int_eq(sou_search(s, "committee", 9, &o, &r, &err), SOU_OK);
    ck_assert_uint_eq(r.n, 1);
    sou_results_release(&r);
    ck_assert_int_eq(thread_count(), before);
    o.flags |= SOU_SEARCH_FACETS;
    ck_assert_int_eq(sou_search(s, "committee", 9, &o, &r, &err), SOU_OK);
    ck_assert_uint_eq(r.n, 1);
    ck_assert_uint_eq(r.nfacets, SOU_FACETS);
    sou_results_release(&r);
    if (before == 1)
        ck_assert_int_eq(thread_count(), 2);
    sou_searcher_free(s);
}
END_TEST

Suite *search_suite(void)
{
    Suite *s = suite_create("search");
    TCase *tc = tcase_create("concurrent writer");
    tcase_add_checked_fixture(tc, db_setup, db_teardown);
    tcase_add_test(tc, test_search_reopens_after_writes);
    suite_add_tcase(s, tc);
    tc = tcase_create("results");
    tcase_add_checked_fixture(tc, db_setup, db_teardown);
    tcase_add_test(tc, test_search_fields_parsed_once);
    tcase_add_test(tc, test_search_body_stored_apart);
    tcase_add_test(tc, test_search_body_among_fields);
    tcase_add_test(tc, test_search_damaged_data);
    tcase_add_test(tc, test_search_time_limit_only_with_facets);
    suite_add_tcase(s, tc);
    return s;
}
