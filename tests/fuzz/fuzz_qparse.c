/*
 * fuzz_qparse.c - the query language (qparse.h) on arbitrary bytes, and
 * the search that runs it (search.h), over a tiny index built at start-up
 * so that names expand and gram lists are looked up.
 *
 * Each input is parsed with and without name expansion; a parsed query
 * must describe itself, a syntax error must point at a column inside the
 * text, and the same text then runs through sou_search with snippets and
 * facets, which parses it again and renders what it finds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sou/normalize.h"
#include "sou/qparse.h"
#include "sou/search.h"
#include "fuzz.h"

static sou_analyzer *analyzer;
static sou_db *db;
static sou_searcher *searcher;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *path = fuzz_build_index(fuzz_scratch_dir());
    sou_error err;
    analyzer = fuzz_analyzer("words+grams");
    if (sou_db_open(path, &db, &err) != SOU_OK || sou_searcher_open(path, &searcher, &err)) {
        fprintf(stderr, "fuzz: %s\n", err.msg);
        exit(2);
    }
    return 0;
}

/* The number of characters in text[0..len), valid UTF-8. */
static size_t characters(const char *text, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)text[i] & 0xC0) != 0x80;
    return n;
}

static void parse(const char *text, size_t len, int flags)
{
    sou_parsed_query pq;
    sou_error err;
    int rc = sou_qparse(analyzer, db, flags, text, len, &pq, &err);
    FUZZ_ASSERT(rc == SOU_OK || sou_utf8_valid(err.msg, strlen(err.msg), NULL),
                "message not valid UTF-8");
    if (rc == SOU_OK) {
        FUZZ_ASSERT(pq.query != NULL, "a parsed query without a query");
        char *desc = NULL;
        FUZZ_ASSERT(sou_query_describe(pq.query, &desc, &err) == SOU_OK, "cannot describe");
        free(desc);
    } else if (rc == SOU_ERR_QUERY_SYNTAX) {
        FUZZ_ASSERT(pq.error_column >= 1 && pq.error_column <= characters(text, len) + 1,
                    "syntax error column outside the query");
    } else {
        FUZZ_ASSERT(rc == SOU_ERR_EMPTY_QUERY || rc == SOU_ERR_UTF8, "unexpected error");
        FUZZ_ASSERT(rc != SOU_ERR_UTF8 || !sou_utf8_valid(text, len, NULL), "valid UTF-8 refused");
    }
    sou_parsed_query_release(&pq);
}

static void search(const char *text, size_t len)
{
    sou_search_opts o;
    sou_search_opts_init(&o);
    o.flags = SOU_SEARCH_FACETS;
    o.time_limit = 0;
    sou_results res;
    sou_error err;
    int rc = sou_search(searcher, text, len, &o, &res, &err);
    FUZZ_ASSERT(rc == SOU_OK || rc == SOU_ERR_QUERY_SYNTAX || rc == SOU_ERR_EMPTY_QUERY ||
                    rc == SOU_ERR_UTF8,
                err.msg);
    /* Each result's data: its fields as JSON, then after a NUL its body,
     * UTF-8 (layout.h). */
    for (size_t i = 0; rc == SOU_OK && i < res.n; i++) {
        const sou_result *r = &res.v[i];
        FUZZ_ASSERT(r->data && r->fields, "a result without its stored fields");
        size_t flen = strlen(r->data);
        FUZZ_ASSERT(flen == r->data_len ||
                        sou_utf8_valid(r->data + flen + 1, r->data_len - flen - 1, NULL),
                    "a stored body not valid UTF-8");
    }
    sou_results_release(&res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    parse(text, size, 0);
    parse(text, size, SOU_QPARSE_NO_EXPAND);
    search(text, size);
    free(text);
    return 0;
}
