/*
 * check_glossary.c - glossary files, learning from the corpus, the glossary
 * stored in an index, and query expansion through it.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sou/docbuild.h"
#include "sou/glossary.h"
#include "sou/names.h"
#include "sou/qparse.h"
#include "suites.h"

static char tmpdir[64];
static sou_analyzer *analyzer;

static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/sou-glossary-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    sou_error err;
    ck_assert_int_eq(sou_analyzer_new(&analyzer, &err), SOU_OK);
}

static void teardown(void)
{
    test_remove_tree(tmpdir);
    sou_analyzer_free(analyzer);
    analyzer = NULL;
}

static const char *write_file(const char *name, const char *text)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return path;
}

struct warnings {
    char text[1024];
};

static void collect_warning(void *ctx, const char *msg)
{
    struct warnings *w = ctx;
    strncat(w->text, msg, sizeof w->text - strlen(w->text) - 2);
    strcat(w->text, "\n");
}

START_TEST(test_glossary_load_reports_bad_lines)
{
    const char *path =
        write_file("g.tsv", "acronym\tzh_hant\tenglish\taliases\n"
                            "# a comment\n"
                            "CTI\t貿易暨投資委員會\tCommittee on Trade and Investment\t"
                            "貿易投資委員會 | 贸易和投资委员会\n"
                            "\n"
                            "ONLY\t\t\t\n"
                            "a\tb\tc\td\te\n"
                            "bad\xff\tx\ty\n"
                            "EC\t經濟委員會\tEconomic Committee\n");
    sou_glossary g = {0};
    struct warnings w = {""};
    size_t skipped = 0;
    sou_error err;
    ck_assert_int_eq(sou_glossary_load(&g, path, collect_warning, &w, &skipped, &err), SOU_OK);
    ck_assert_uint_eq(g.n, 2);
    ck_assert_uint_eq(skipped, 3);
    char want[1024];
    snprintf(want, sizeof want,
             "%s:5: fewer than two names\n"
             "%s:6: want 3 or 4 tab-separated columns: acronym, zh_hant, english, aliases\n"
             "%s:7: invalid UTF-8 at byte 3\n",
             path, path, path);
    ck_assert_str_eq(w.text, want);
    ck_assert_str_eq(g.v[0].acronym, "CTI");
    ck_assert_str_eq(g.v[0].zh, "貿易暨投資委員會");
    ck_assert_uint_eq(g.v[0].aliases.n, 2);
    ck_assert_str_eq(g.v[0].aliases.items[1], "贸易和投资委员会");
    snprintf(want, sizeof want, "%s:3", path);
    ck_assert_str_eq(g.v[0].sources.items[0], want);
    ck_assert_str_eq(g.v[1].en, "Economic Committee");
    ck_assert_uint_eq(g.v[1].aliases.n, 0);
    sou_glossary_release(&g);
}
END_TEST

START_TEST(test_glossary_load_missing_file)
{
    sou_glossary g = {0};
    sou_error err;
    ck_assert_int_eq(sou_glossary_load(&g, "/nonexistent/g.tsv", NULL, NULL, NULL, &err),
                     SOU_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/g.tsv: cannot open"));
    sou_glossary_release(&g);
}
END_TEST

static void add(sou_glossary *g, const char *acr, const char *zh, const char *en,
                const char *aliases)
{
    sou_error err;
    ck_assert_int_eq(sou_glossary_add(g, acr, zh, en, aliases, "test", &err), SOU_OK);
}

START_TEST(test_glossary_learn_merges_and_adds)
{
    sou_glossary g = {0};
    sou_error err;
    add(&g, "ICT", "資通訊科技", "information and communication technology", NULL);
    add(&g, "MRT", "貿易部長會議", "Meeting of APEC Ministers Responsible for Trade", NULL);
    /* Same acronym in another width and case, same name: a source only. */
    ck_assert_int_eq(sou_glossary_learn(&g, "ｉｃｔ", "資通訊科技", NULL, "mined:a", 1, &err),
                     SOU_OK);
    /* An over-long Chinese guess that ends with the known name. */
    ck_assert_int_eq(sou_glossary_learn(&g, "ICT", "運用新興資通訊科技", NULL, "mined:b", 1, &err),
                     SOU_OK);
    /* A shorter English name that ends the known one. */
    ck_assert_int_eq(
        sou_glossary_learn(&g, "MRT", NULL, "Ministers Responsible for Trade", "mined:c", 1, &err),
        SOU_OK);
    ck_assert_uint_eq(g.n, 2);
    ck_assert_uint_eq(g.v[0].aliases.n, 0);
    ck_assert_uint_eq(g.v[0].sources.n, 3);
    ck_assert_str_eq(g.v[0].sources.items[2], "mined:b");
    /* A new name for a known sense becomes an alias. */
    ck_assert_int_eq(
        sou_glossary_learn(&g, "ICT", "資通訊科技", "ICT technology", "mined:d", 1, &err), SOU_OK);
    ck_assert_uint_eq(g.v[0].aliases.n, 1);
    ck_assert_str_eq(g.v[0].aliases.items[0], "ICT technology");
    /* Unsure guesses only confirm; sure ones add a sense. */
    ck_assert_int_eq(sou_glossary_learn(&g, "HWG", "例如衛生", NULL, "mined:e", 0, &err), SOU_OK);
    ck_assert_uint_eq(g.n, 2);
    ck_assert_int_eq(sou_glossary_learn(&g, "HWG", "衛生工作小組", NULL, "mined:f", 1, &err),
                     SOU_OK);
    ck_assert_uint_eq(g.n, 3);
    ck_assert_str_eq(g.v[2].acronym, "HWG");
    ck_assert_ptr_null(g.v[2].en);
    ck_assert_int_eq(sou_glossary_learn(&g, "HWG", NULL, NULL, "mined:g", 1, &err),
                     SOU_ERR_INVALID_ARG);
    sou_glossary_release(&g);
}
END_TEST

START_TEST(test_glossary_sense_json_round_trip)
{
    sou_glossary g = {0};
    add(&g, "CTI", "貿易暨投資委員會", "Committee on Trade and Investment", "貿易投資委員會");
    g.v[0].docs = 7;
    char *json = sou_sense_to_json(&g.v[0]);
    ck_assert_str_eq(json, "{\"acronym\":\"CTI\",\"zh\":\"貿易暨投資委員會\",\"en\":\"Committee on "
                           "Trade and Investment\",\"aliases\":[\"貿易投資委員會\"],\"sources\":["
                           "\"test\"],\"docs\":7}");
    sou_sense s;
    sou_error err;
    ck_assert_int_eq(sou_sense_from_json(json, strlen(json), &s, &err), SOU_OK);
    ck_assert_str_eq(s.zh, "貿易暨投資委員會");
    ck_assert_uint_eq(s.docs, 7);
    ck_assert_str_eq(s.aliases.items[0], "貿易投資委員會");
    sou_sense_release(&s);
    ck_assert_int_eq(sou_sense_from_json("[1]", 3, &s, &err), SOU_ERR_JSON);
    free(json);
    sou_glossary_release(&g);
}
END_TEST

/* ---- An index with a glossary ------------------------------------------------- */

static void add_doc(sou_wdb *w, const char *id, const char *title, const char *body)
{
    sou_document *d = NULL;
    sou_error err;
    ck_assert_int_eq(sou_document_new(&d, &err), SOU_OK);
    sou_document_set(d, "id", id, strlen(id), &err);
    sou_document_set(d, "title", title, strlen(title), &err);
    sou_document_set(d, "body", body, strlen(body), &err);
    char id_term[256];
    sou_doc *doc = NULL;
    ck_assert_int_eq(sou_doc_build(analyzer, d, &doc, id_term, &err), SOU_OK);
    ck_assert_int_eq(sou_wdb_replace_document(w, id_term, strlen(id_term), doc, NULL, &err),
                     SOU_OK);
    sou_doc_free(doc);
    sou_document_free(d);
}

/* Builds an index of three documents with a glossary in which EC has two
 * senses, the second one named by more documents. */
static sou_db *glossary_index(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/db", tmpdir);
    sou_error err;
    sou_wdb *w = NULL;
    ck_assert_int_eq(sou_wdb_open(path, SOU_WDB_CREATE, &w, &err), SOU_OK);
    add_doc(w, "a", "貿易暨投資委員會", "The Committee on Trade and Investment meets in May.");
    add_doc(w, "b", "European Commission", "The European Commission and the Economic Committee.");
    add_doc(w, "c", "European Commission", "A note on the European Commission.");
    ck_assert_int_eq(sou_wdb_close(w, &err), SOU_OK);
    sou_wdb_free(w);

    sou_glossary g = {0};
    add(&g, "CTI", "貿易暨投資委員會", "Committee on Trade and Investment", "贸易和投资委员会");
    add(&g, "EC", "經濟委員會", "Economic Committee", NULL);
    add(&g, "EC", NULL, "European Commission", NULL);
    add(&g, "", "APEC數位週", "APEC Digital Weeks", "數位週 | Digital Weeks | 数字周");
    sou_db *db = NULL;
    ck_assert_int_eq(sou_db_open(path, &db, &err), SOU_OK);
    ck_assert_int_eq(sou_names_count_docs(db, analyzer, &g, &err), SOU_OK);
    ck_assert_uint_eq(g.v[0].docs, 1);
    ck_assert_uint_eq(g.v[1].docs, 1);
    ck_assert_uint_eq(g.v[2].docs, 2);
    ck_assert_uint_eq(g.v[3].docs, 0);
    sou_db_free(db);
    ck_assert_int_eq(sou_wdb_open(path, SOU_WDB_OPEN, &w, &err), SOU_OK);
    ck_assert_int_eq(sou_names_store(w, analyzer, &g, &err), SOU_OK);
    ck_assert_int_eq(sou_wdb_close(w, &err), SOU_OK);
    sou_wdb_free(w);
    sou_glossary_release(&g);
    ck_assert_int_eq(sou_db_open(path, &db, &err), SOU_OK);
    return db;
}

START_TEST(test_glossary_name_keys_fold_case_width_script)
{
    char key[SOU_NAME_KEY_MAX + 1];
    size_t n = 0;
    sou_error err;
    ck_assert_int_eq(sou_name_key(analyzer, "ＣＴＩ", strlen("ＣＴＩ"), key, &n, &err), SOU_OK);
    ck_assert_str_eq(key, "cti");
    ck_assert_int_eq(
        sou_name_key(analyzer, "貿易暨投資委員會", strlen("貿易暨投資委員會"), key, &n, &err),
        SOU_OK);
    ck_assert_str_eq(key, "贸易 暨 投资 委员会");
    ck_assert_uint_eq(n, 4);
    ck_assert_int_eq(
        sou_name_key(analyzer, "贸易暨投资委员会", strlen("贸易暨投资委员会"), key, &n, &err),
        SOU_OK);
    ck_assert_str_eq(key, "贸易 暨 投资 委员会");
    ck_assert_int_eq(sou_name_key(analyzer, "「」", strlen("「」"), key, &n, &err), SOU_ERR_DOC);
}
END_TEST

/* A name of too many words is quoted cut to 60 bytes; the cut falls in the
 * ninth 會 and leaves it out, so the message stays valid UTF-8. */
START_TEST(test_glossary_long_name_quoted_whole_characters)
{
    const char *name = "a b c d e f g h i j k l m n o p q 會會會會會會會會會會";
    char key[SOU_NAME_KEY_MAX + 1];
    size_t n = 0;
    sou_error err;
    ck_assert_int_eq(sou_name_key(analyzer, name, strlen(name), key, &n, &err), SOU_ERR_DOC);
    ck_assert_str_eq(err.msg, "name \"a b c d e f g h i j k l m n o p q 會會會會會會會會\" has no "
                              "words or is too long");
}
END_TEST

START_TEST(test_glossary_stored_and_looked_up)
{
    sou_db *db = glossary_index();
    sou_glossary all = {0}, found = {0};
    sou_error err;
    ck_assert_int_eq(sou_names_load_all(db, &all, &err), SOU_OK);
    ck_assert_uint_eq(all.n, 4);
    ck_assert_str_eq(all.v[3].zh, "APEC數位週");
    ck_assert_ptr_null(all.v[3].acronym);
    /* Ambiguous: the sense more documents name comes first. */
    ck_assert_int_eq(sou_names_lookup(db, "ec", 2, &found, &err), SOU_OK);
    ck_assert_uint_eq(found.n, 2);
    ck_assert_str_eq(found.v[0].en, "European Commission");
    ck_assert_str_eq(found.v[1].en, "Economic Committee");
    sou_glossary_release(&found);
    ck_assert_int_eq(sou_names_lookup(db, "ecsg", 4, &found, &err), SOU_OK);
    ck_assert_uint_eq(found.n, 0);
    ck_assert_int_eq(sou_names_lookup(db, "数字 周", strlen("数字 周"), &found, &err), SOU_OK);
    ck_assert_uint_eq(found.n, 1);
    sou_glossary_release(&found);
    sou_glossary_release(&all);
    sou_db_free(db);
}
END_TEST

/* An index without a glossary stores an empty one: nothing expands. */
START_TEST(test_glossary_empty_index_glossary)
{
    char path[128];
    snprintf(path, sizeof path, "%s/empty", tmpdir);
    sou_error err;
    sou_wdb *w = NULL;
    ck_assert_int_eq(sou_wdb_open(path, SOU_WDB_CREATE, &w, &err), SOU_OK);
    add_doc(w, "a", "CTI", "CTI meets.");
    sou_glossary none = {0};
    ck_assert_int_eq(sou_names_store(w, analyzer, &none, &err), SOU_OK);
    ck_assert_int_eq(sou_wdb_close(w, &err), SOU_OK);
    sou_wdb_free(w);
    sou_db *db = NULL;
    ck_assert_int_eq(sou_db_open(path, &db, &err), SOU_OK);
    sou_glossary all = {0};
    ck_assert_int_eq(sou_names_load_all(db, &all, &err), SOU_OK);
    ck_assert_uint_eq(all.n, 0);
    sou_parsed_query pq;
    ck_assert_int_eq(sou_qparse(analyzer, db, 0, "CTI", 3, &pq, &err), SOU_OK);
    ck_assert_uint_eq(pq.nexpansions, 0);
    sou_parsed_query_release(&pq);
    sou_db_free(db);
}
END_TEST

static const struct {
    const char *query;
    const char *from;  /* the expansion's text, NULL for none */
    const char *first; /* the first sense's zh or en name */
    size_t nsenses;
} expansion_cases[] = {
    {"CTI", "CTI", "貿易暨投資委員會", 1},
    {"ｃｔｉ", "ｃｔｉ", "貿易暨投資委員會", 1},
    {"貿易暨投資委員會", "貿易暨投資委員會", "貿易暨投資委員會", 1},
    {"贸易和投资委员会", "贸易和投资委员会", "貿易暨投資委員會", 1},
    {"Committee on Trade and Investment", "Committee on Trade and Investment", "貿易暨投資委員會",
     1},
    /* Quotes mean exactly the text typed: no expansion. */
    {"\"Committee on Trade and Investment\"", NULL, NULL, 0},
    {"meeting CTI 2026", "CTI", "貿易暨投資委員會", 1},
    {"EC", "EC", "European Commission", 2},
    {"数字周", "数字周", "APEC數位週", 1},
    {"Digital Weeks", "Digital Weeks", "APEC數位週", 1},
    {"\"Digital Weeks\"", NULL, NULL, 0},
    {"ECSG", NULL, NULL, 0}, /* an acronym never fires inside a longer word */
    {"CTIs", NULL, NULL, 0},
    {"-CTI APEC", NULL, NULL, 0}, /* nothing excluded is expanded */
    {"Digital Weeks extra", "Digital Weeks", "APEC數位週", 1},
    {"Committee on Trade OR Investment", NULL, NULL, 0},
};

START_TEST(test_glossary_expands_queries)
{
    sou_db *db = glossary_index();
    sou_parsed_query pq;
    sou_error err;
    const char *q = expansion_cases[_i].query;
    ck_assert_int_eq(sou_qparse(analyzer, db, 0, q, strlen(q), &pq, &err), SOU_OK);
    if (!expansion_cases[_i].from) {
        ck_assert_uint_eq(pq.nexpansions, 0);
    } else {
        ck_assert_uint_eq(pq.nexpansions, 1);
        ck_assert_str_eq(pq.expansions[0].from, expansion_cases[_i].from);
        ck_assert_uint_eq(pq.expansions[0].senses.n, expansion_cases[_i].nsenses);
        const sou_sense *s = &pq.expansions[0].senses.v[0];
        ck_assert_str_eq(s->zh ? s->zh : s->en, expansion_cases[_i].first);
        char *desc = NULL;
        ck_assert_int_eq(sou_query_describe(pq.query, &desc, &err), SOU_OK);
        ck_assert_ptr_nonnull(strstr(desc, "SYNONYM"));
        free(desc);
    }
    sou_parsed_query_release(&pq);
    /* Turned off, nothing expands. */
    ck_assert_int_eq(sou_qparse(analyzer, db, SOU_QPARSE_NO_EXPAND, q, strlen(q), &pq, &err),
                     SOU_OK);
    ck_assert_uint_eq(pq.nexpansions, 0);
    sou_parsed_query_release(&pq);
    sou_db_free(db);
}
END_TEST

/* The expanded query matches what each name matches, counted once. */
START_TEST(test_glossary_expansion_finds_other_names)
{
    sou_db *db = glossary_index();
    sou_parsed_query pq;
    sou_error err;
    ck_assert_int_eq(sou_qparse(analyzer, db, 0, "CTI", 3, &pq, &err), SOU_OK);
    char *desc = NULL;
    ck_assert_int_eq(sou_query_describe(pq.query, &desc, &err), SOU_OK);
    /* The acronym typed is searched as its stem, which the indexer adds
     * wherever the acronym is, so the acronym's own term would count each
     * of its places twice in the group's wdf: it is left out. */
    ck_assert_str_eq(desc, "Query((Zcti@1 SYNONYM (贸易@1 PHRASE 4 暨@2 PHRASE 4 "
                           "投资@3 PHRASE 4 委员会@4) SYNONYM (committee@1 PHRASE 5 on@2 PHRASE 5 "
                           "trade@3 PHRASE 5 and@4 PHRASE 5 investment@5) SYNONYM (贸易@1 PHRASE 4 "
                           "和@2 PHRASE 4 投资@3 PHRASE 4 委员会@4)))");
    free(desc);
    /* Names are highlighted in results: a name of several words only where
     * its words stand together, so "on" and "and" are not lit alone. */
    ck_assert(sou_strlist_has(&pq.words, "cti", 3));
    ck_assert(sou_strlist_has(&pq.phrases, "贸易 暨 投资 委员会", strlen("贸易 暨 投资 委员会")));
    ck_assert(sou_strlist_has(&pq.phrases, "committee on trade and investment",
                              strlen("committee on trade and investment")));
    ck_assert(!sou_strlist_has(&pq.words, "on", 2));
    ck_assert(!sou_strlist_has(&pq.words, "委员会", strlen("委员会")));
    sou_enquire *enq = NULL;
    sou_mset *ms = NULL;
    ck_assert_int_eq(sou_enquire_new(db, &enq, &err), SOU_OK);
    ck_assert_int_eq(sou_enquire_set_query(enq, pq.query, &err), SOU_OK);
    ck_assert_int_eq(sou_enquire_mset(enq, 0, 10, 10, &ms, &err), SOU_OK);
    ck_assert_uint_eq(sou_mset_size(ms), 1);
    char *data = NULL;
    size_t len = 0;
    ck_assert_int_eq(sou_mset_data(ms, 0, &data, &len, &err), SOU_OK);
    ck_assert_ptr_nonnull(strstr(data, "\"id\":\"a\""));
    free(data);
    sou_mset_free(ms);
    sou_enquire_free(enq);
    sou_parsed_query_release(&pq);
    sou_db_free(db);
}
END_TEST

/* Senses that share a name (two ECs) make one group in which each name is
 * one member: a member per sense would count the shared name's places once
 * per sense. A one-word name typed is its own member, once. */
START_TEST(test_glossary_expansion_names_once)
{
    sou_db *db = glossary_index();
    sou_parsed_query pq;
    sou_error err;
    ck_assert_int_eq(sou_qparse(analyzer, db, 0, "EC", 2, &pq, &err), SOU_OK);
    ck_assert_uint_eq(pq.expansions[0].senses.n, 2);
    char *desc = NULL;
    ck_assert_int_eq(sou_query_describe(pq.query, &desc, &err), SOU_OK);
    ck_assert_str_eq(desc, "Query((Zec@1 SYNONYM (european@1 PHRASE 2 commission@2) SYNONYM "
                           "经济委员会@1 SYNONYM (economic@1 PHRASE 2 committee@2)))");
    free(desc);
    ck_assert(sou_strlist_has(&pq.words, "ec", 2));
    sou_parsed_query_release(&pq);
    const char *zh = "經濟委員會";
    ck_assert_int_eq(sou_qparse(analyzer, db, 0, zh, strlen(zh), &pq, &err), SOU_OK);
    ck_assert_int_eq(sou_query_describe(pq.query, &desc, &err), SOU_OK);
    ck_assert_str_eq(desc, "Query((经济委员会@1 SYNONYM ec@1 SYNONYM (economic@1 PHRASE 2 "
                           "committee@2)))");
    free(desc);
    sou_parsed_query_release(&pq);
    sou_db_free(db);
}
END_TEST

/* SOU_EXPANSIONS_MAX names expand; one more is refused (qparse.h), at
 * the column of the first one too many. */
START_TEST(test_glossary_expansion_limit)
{
    sou_db *db = glossary_index();
    sou_parsed_query pq;
    sou_error err;
    char q[4 * (SOU_EXPANSIONS_MAX + 1) + 1] = "";
    for (int i = 0; i < SOU_EXPANSIONS_MAX; i++)
        strcat(q, "CTI ");
    ck_assert_int_eq(sou_qparse(analyzer, db, 0, q, strlen(q), &pq, &err), SOU_OK);
    ck_assert_uint_eq(pq.nexpansions, SOU_EXPANSIONS_MAX);
    sou_parsed_query_release(&pq);
    strcat(q, "EC");
    ck_assert_int_eq(sou_qparse(analyzer, db, 0, q, strlen(q), &pq, &err), SOU_ERR_QUERY_SYNTAX);
    ck_assert_uint_eq(pq.error_column, 4 * SOU_EXPANSIONS_MAX + 1);
    ck_assert_ptr_nonnull(strstr(err.msg, "more than 16 acronyms and names to expand"));
    sou_parsed_query_release(&pq);
    /* Without expansion, the same query is searched. */
    ck_assert_int_eq(sou_qparse(analyzer, db, SOU_QPARSE_NO_EXPAND, q, strlen(q), &pq, &err),
                     SOU_OK);
    sou_parsed_query_release(&pq);
    sou_db_free(db);
}
END_TEST

Suite *glossary_suite(void)
{
    Suite *s = suite_create("glossary");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_glossary_load_reports_bad_lines);
    tcase_add_test(tc, test_glossary_load_missing_file);
    tcase_add_test(tc, test_glossary_learn_merges_and_adds);
    tcase_add_test(tc, test_glossary_sense_json_round_trip);
    tcase_add_test(tc, test_glossary_name_keys_fold_case_width_script);
    tcase_add_test(tc, test_glossary_long_name_quoted_whole_characters);
    tcase_add_test(tc, test_glossary_stored_and_looked_up);
    tcase_add_test(tc, test_glossary_empty_index_glossary);
    tcase_add_loop_test(tc, test_glossary_expands_queries, 0,
                        (int)(sizeof expansion_cases / sizeof expansion_cases[0]));
    tcase_add_test(tc, test_glossary_expansion_finds_other_names);
    tcase_add_test(tc, test_glossary_expansion_names_once);
    tcase_add_test(tc, test_glossary_expansion_limit);
    suite_add_tcase(s, tc);
    return s;
}
