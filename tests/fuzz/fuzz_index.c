/*
 * fuzz_index.c - a tiny index for the targets that need one (the query
 * parser looks names up in it, the searcher reads it). Built through
 * libsou as sou-index builds one: documents, analysis settings, names and
 * gram lists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sou/corpus.h"
#include "sou/docbuild.h"
#include "sou/glossary.h"
#include "sou/grams.h"
#include "sou/layout.h"
#include "sou/names.h"
#include "sou/settings.h"
#include "fuzz.h"

static const char documents[] =
    "{\"id\": \"meeting-2026-som1\", \"type\": \"meeting\", \"lang\": \"zh-Hant,en\", "
    "\"acronym\": \"SOM1\", \"title\": \"第一次資深官員會議 First Senior Officials' Meeting\", "
    "\"city_zh\": \"廣州\", \"city_en\": \"Guangzhou\", \"date\": \"2026-02-01\", "
    "\"end_date\": \"2026-02-10\", \"body\": \"第一次資深官員會議(SOM1)於廣州舉行，"
    "貿易暨投資委員會(CTI)同時開會。Senior officials met in Guangzhou.\"}\n"
    "{\"id\": \"forum-cti\", \"type\": \"forum\", \"lang\": \"en\", \"title\": \"Committee on "
    "Trade and Investment (CTI)\", \"body\": \"The CTI works on trade and investment "
    "liberalization; its Digital Weeks discussed digital trade.\"}\n"
    "{\"id\": \"article-digital\", \"type\": \"article\", \"lang\": \"zh-Hant\", \"date\": "
    "\"2026-03\", \"city\": \"香港\", \"title\": \"數位週\", \"body\": \"APEC數位週討論數位貿易"
    "與人工智慧應用；亞太經濟合作會議各經濟體代表出席。\"}\n";

static const char glossary[] =
    "APEC\t亞太經濟合作\tAsia-Pacific Economic Cooperation\t亞太經合會 | 亞太經濟合作會議\n"
    "CTI\t貿易暨投資委員會\tCommittee on Trade and Investment\t貿易投資委員會\n"
    "SOM\t資深官員會議\tSenior Officials' Meeting\t高官會\n"
    "SOM1\t第一次資深官員會議\tFirst Senior Officials' Meeting\t\n";

static void check(int rc, const sou_error *err)
{
    if (rc != SOU_OK) {
        fprintf(stderr, "fuzz: building the index: %s\n", err->msg);
        exit(2);
    }
}

static void add_documents(sou_wdb *wdb, sou_analyzer *a, const char *path)
{
    sou_error err;
    sou_corpus *c = NULL;
    check(sou_corpus_open(&path, 1, &c, &err), &err);
    sou_document *d = NULL;
    int r;
    while ((r = sou_corpus_next(c, &d, &err)) == 1) {
        char id_term[SOU_ID_MAX + 2];
        sou_doc *doc = NULL;
        check(sou_doc_build(a, d, &doc, id_term, &err), &err);
        check(sou_wdb_replace_document(wdb, id_term, strlen(id_term), doc, NULL, &err), &err);
        sou_doc_free(doc);
        sou_document_free(d);
    }
    check(r == 0 ? SOU_OK : err.code, &err);
    sou_corpus_free(c);
}

const char *fuzz_build_index(const char *dir)
{
    static char db[256];
    snprintf(db, sizeof db, "%s/db", dir);
    char docs[256], names[256];
    snprintf(docs, sizeof docs, "%s",
             fuzz_write_file(dir, "docs.jsonl", (const uint8_t *)documents, strlen(documents)));
    snprintf(names, sizeof names, "%s",
             fuzz_write_file(dir, "glossary.tsv", (const uint8_t *)glossary, strlen(glossary)));

    sou_error err;
    sou_analyzer *a = fuzz_analyzer("words+grams");
    sou_wdb *wdb = NULL;
    check(sou_wdb_open(db, SOU_WDB_CREATE_OR_OVERWRITE, &wdb, &err), &err);
    add_documents(wdb, a, docs);
    check(sou_wdb_commit(wdb, &err), &err);

    sou_glossary g = {0};
    check(sou_glossary_load(&g, names, NULL, NULL, NULL, &err), &err);
    check(sou_names_store(wdb, a, &g, &err), &err);
    sou_glossary_release(&g);
    sou_analysis_opts defaults = {0};
    check(sou_settings_store(wdb, a, &defaults, &err), &err);
    sou_db *view = NULL;
    check(sou_wdb_reader(wdb, &view, &err), &err);
    check(sou_grams_store(view, &wdb, 1, &err), &err);
    sou_db_free(view);
    check(sou_wdb_close(wdb, &err), &err);
    sou_wdb_free(wdb);
    sou_analyzer_free(a);
    return db;
}
