/*
 * check_search.c - searching an index that a writer changes meanwhile, and
 * what a search hands back.
 */
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
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(f, "body")), "marker v0"));
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
    suite_add_tcase(s, tc);
    return s;
}
