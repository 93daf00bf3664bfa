/*
 * check_qparse.c - the query language: the Xapian query built for each
 * construct, the words kept for highlighting, and syntax errors with their
 * columns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sou/qparse.h"
#include "suites.h"

/* Chinese terms are folded to Simplified (normalize.h), so both scripts
 * give the same query. */
static const struct {
    const char *query;
    const char *xapian;
} valid_cases[] = {
    {"廣州", "Query(广州@1)"},
    {"广州", "Query(广州@1)"},
    {"meetings", "Query(Zmeet@1)"},
    {"ＣＴＩ", "Query(Zcti@1)"},
    {"CTI 貿易", "Query((Zcti@1 AND 贸易@1))"},
    {"資深官員會議",
     "Query(((资深@1 AND 官员@2 AND 会议@3) AND_MAYBE (资深@1 PHRASE 3 官员@2 PHRASE 3 会议@3)))"},
    /* Simplified text is segmented as Traditional: 委员会 stays one word. */
    {"贸易投资委员会",
     "Query(((贸易@1 AND 投资@2 AND 委员会@3) AND_MAYBE (贸易@1 PHRASE 3 投资@2 PHRASE 3 "
     "委员会@3)))"},
    {"\"Digital Weeks\"", "Query((digital@1 PHRASE 2 weeks@2))"},
    {"“數位週”", "Query((数位@1 PHRASE 2 周@2))"},
    {"APEC -廣州", "Query((Zapec@1 AND_NOT 广州@1))"},
    {"APEC -\"Digital Weeks\"", "Query((Zapec@1 AND_NOT (digital@1 PHRASE 2 weeks@2)))"},
    {"a OR b c", "Query(((Za@1 OR Zb@1) AND Zc@1))"},
    {"x a OR b", "Query((Zx@1 AND (Za@1 OR Zb@1)))"},
    {"a OR b OR c", "Query(((Za@1 OR Zb@1) OR Zc@1))"},
    {"type:Meeting type:forum lang:zh 會議",
     "Query((会议@1 FILTER ((XTmeeting OR XTforum) AND Lzh)))"},
    {"type:forum OR type:meeting", "Query((<alldocuments> FILTER (XTforum OR XTmeeting)))"},
    {"id:apec-2026-som1-article", "Query((<alldocuments> FILTER Qapec-2026-som1-article))"},
    {"id:Mixed-Case", "Query((<alldocuments> FILTER QMixed-Case))"},
    {"city:廣州 city:Guangzhou", "Query((<alldocuments> FILTER (XC广州 OR XCguangzhou)))"},
    {"city:\"Hong Kong\" 會議", "Query((会议@1 FILTER XChong kong))"},
    {"priority:創新 acronym:ＣＴＩ forum:cti",
     "Query((<alldocuments> FILTER (XP创新 AND XActi AND XFcti)))"},
    {"date:2026-05..2026-09",
     "Query((<alldocuments> FILTER (VALUE_LE 0 20260999 AND VALUE_GE 1 20260500)))"},
    {"date:2026-08",
     "Query((<alldocuments> FILTER (VALUE_LE 0 20260899 AND VALUE_GE 1 20260800)))"},
    {"date:..2026", "Query((<alldocuments> FILTER VALUE_LE 0 20269999))"},
    {"date:2026-02-10..", "Query((<alldocuments> FILTER VALUE_GE 1 20260210))"},
    {"-廣州", "Query((<alldocuments> AND_NOT 广州@1))"},
    {"會議 -type:forum -city:廣州", "Query((会议@1 AND_NOT (XTforum OR XC广州)))"},
    {"-date:2026-02", "Query((<alldocuments> AND_NOT (VALUE_LE 0 20260299 AND VALUE_GE 1 "
                      "20260200)))"},
    {"month:2026-09 OR month:2026-10", "Query((<alldocuments> FILTER (XM2026-09 OR XM2026-10)))"},
    {"+APEC", "Query(Zapec@1)"},
    {"foo:bar", "Query(((Zfoo@1 AND Zbar@2) AND_MAYBE (foo@1 PHRASE 2 bar@2)))"},
    {"  廣州\u3000 ", "Query(广州@1)"},
    {"廣州 。。。", "Query(广州@1)"},
};

START_TEST(test_qparse_builds_query)
{
    sou_parsed_query pq;
    sou_error err;
    int rc = sou_qparse(test_analyzer, NULL, 0, valid_cases[_i].query,
                        strlen(valid_cases[_i].query), &pq, &err);
    ck_assert_msg(rc == SOU_OK, "%s: %s", valid_cases[_i].query, err.msg);
    char *desc = NULL;
    ck_assert_int_eq(sou_query_describe(pq.query, &desc, &err), SOU_OK);
    ck_assert_str_eq(desc, valid_cases[_i].xapian);
    free(desc);
    sou_parsed_query_release(&pq);
}
END_TEST

static const struct {
    const char *query;
    int code;
    size_t column;
} error_cases[] = {
    {"\"unterminated", SOU_ERR_QUERY_SYNTAX, 1},
    {"APEC \"Digital", SOU_ERR_QUERY_SYNTAX, 6},
    {"OR foo", SOU_ERR_QUERY_SYNTAX, 1},
    {"foo OR", SOU_ERR_QUERY_SYNTAX, 5},
    {"foo OR OR bar", SOU_ERR_QUERY_SYNTAX, 8},
    {"-foo OR bar", SOU_ERR_QUERY_SYNTAX, 6},
    {"會議 OR type:forum", SOU_ERR_QUERY_SYNTAX, 4},
    {"type:", SOU_ERR_QUERY_SYNTAX, 1},
    {"會議 lang:", SOU_ERR_QUERY_SYNTAX, 4},
    {"date:2026-13", SOU_ERR_QUERY_SYNTAX, 1},
    {"date:2026-09..2026-05", SOU_ERR_QUERY_SYNTAX, 1},
    {"date:..", SOU_ERR_QUERY_SYNTAX, 1},
    {"date:2026 date:2025", SOU_ERR_QUERY_SYNTAX, 11},
    {"city:\"Hong Kong", SOU_ERR_QUERY_SYNTAX, 6},
    {"CTI "
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     SOU_ERR_QUERY_SYNTAX, 5},
    {"type:forum OR -type:meeting", SOU_ERR_QUERY_SYNTAX, 12},
    {"type:forum OR date:2026", SOU_ERR_QUERY_SYNTAX, 12},
    {"city:\"\"", SOU_ERR_QUERY_SYNTAX, 1},
    {"", SOU_ERR_EMPTY_QUERY, 0},
    {"   ", SOU_ERR_EMPTY_QUERY, 0},
    {"。，！", SOU_ERR_EMPTY_QUERY, 0},
    {"\xff", SOU_ERR_UTF8, 0},
};

START_TEST(test_qparse_reports_errors)
{
    sou_parsed_query pq;
    sou_error err;
    int rc = sou_qparse(test_analyzer, NULL, 0, error_cases[_i].query,
                        strlen(error_cases[_i].query), &pq, &err);
    ck_assert_msg(rc == error_cases[_i].code, "%s: got %d (%s)", error_cases[_i].query, rc,
                  err.msg);
    ck_assert_ptr_null(pq.query);
    if (rc == SOU_ERR_QUERY_SYNTAX) {
        ck_assert_uint_eq(pq.error_column, error_cases[_i].column);
        char want[32];
        snprintf(want, sizeof want, "column %zu:", error_cases[_i].column);
        ck_assert_ptr_nonnull(strstr(err.msg, want));
    }
    sou_parsed_query_release(&pq);
}
END_TEST

static void assert_list(const sou_strlist *l, const char *joined)
{
    char buf[512] = "";
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            strcat(buf, " ");
        strcat(buf, l->items[i]);
    }
    ck_assert_str_eq(buf, joined);
}

START_TEST(test_qparse_collects_match_terms)
{
    const char *q = "Meetings 資深官員 -廣州 \"Digital Weeks\" type:forum";
    sou_parsed_query pq;
    sou_error err;
    ck_assert_int_eq(sou_qparse(test_analyzer, NULL, 0, q, strlen(q), &pq, &err), SOU_OK);
    /* Tokens are the words as typed; words to highlight are normalized. */
    assert_list(&pq.tokens, "Meetings 資深 官員 廣州 Digital Weeks");
    /* Excluded words are never highlighted; quoted words match exactly, so
     * only the unquoted English word contributes a stem. */
    assert_list(&pq.words, "meetings 资深 官员 digital weeks");
    assert_list(&pq.stems, "meet");
    sou_parsed_query_release(&pq);
}
END_TEST

START_TEST(test_qparse_release_is_idempotent)
{
    sou_parsed_query pq;
    sou_error err;
    ck_assert_int_eq(sou_qparse(test_analyzer, NULL, 0, "a", 1, &pq, &err), SOU_OK);
    sou_parsed_query_release(&pq);
    sou_parsed_query_release(&pq);
    sou_parsed_query_release(NULL);
    ck_assert_int_eq(sou_qparse(NULL, NULL, 0, "a", 1, &pq, &err), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_qparse(test_analyzer, NULL, 0, "a", 1, NULL, &err), SOU_ERR_INVALID_ARG);
}
END_TEST

/* Limits (qparse.h): a query of n copies of unit, separated by a space,
 * ahead of a given prefix. */
static char *repeated(const char *prefix, const char *unit, size_t n)
{
    size_t plen = strlen(prefix), ulen = strlen(unit);
    char *q = malloc(plen + n * (ulen + 1) + 1);
    ck_assert_ptr_nonnull(q);
    memcpy(q, prefix, plen);
    size_t at = plen;
    for (size_t i = 0; i < n; i++) {
        memcpy(q + at, unit, ulen);
        at += ulen;
        q[at++] = ' ';
    }
    q[at] = '\0';
    return q;
}

static const struct {
    const char *prefix, *unit;
    size_t n;      /* copies of unit: at the limit, then one more */
    size_t column; /* the error's column with one more */
    const char *what;
} limit_cases[] = {
    /* The 33rd word starts at column 32 * 2 + 1. */
    {"", "w", SOU_QUERY_WORDS_MAX, 65, "more than 32 words"},
    /* Quoted and excluded words count too; 資深官員 is two words. */
    {"\"a b\" -c ", "資深官員", (SOU_QUERY_WORDS_MAX - 3) / 2, 9 + 14 * 5 + 3,
     "more than 32 words"},
    {"", "-x", SOU_QUERY_WORDS_MAX, 97 + 1, "more than 32 words"},
    {"", "type:meeting", SOU_QUERY_FILTERS_MAX, 16 * 13 + 1, "more than 16 filters"},
    {"APEC date:2026 ", "-city:x", SOU_QUERY_FILTERS_MAX - 1, 16 + 15 * 8, "more than 16 filters"},
};

/* At a limit the query is searched; one more is refused, naming the
 * limit and where the first one too many is. */
START_TEST(test_qparse_limits)
{
    sou_parsed_query pq;
    sou_error err;
    char *q = repeated(limit_cases[_i].prefix, limit_cases[_i].unit, limit_cases[_i].n);
    ck_assert_msg(sou_qparse(test_analyzer, NULL, 0, q, strlen(q), &pq, &err) == SOU_OK, "%s: %s",
                  q, err.msg);
    sou_parsed_query_release(&pq);
    free(q);
    q = repeated(limit_cases[_i].prefix, limit_cases[_i].unit, limit_cases[_i].n + 1);
    ck_assert_int_eq(sou_qparse(test_analyzer, NULL, 0, q, strlen(q), &pq, &err),
                     SOU_ERR_QUERY_SYNTAX);
    ck_assert_ptr_null(pq.query);
    ck_assert_uint_eq(pq.error_column, limit_cases[_i].column);
    ck_assert_msg(strstr(err.msg, limit_cases[_i].what), "%s", err.msg);
    sou_parsed_query_release(&pq);
    free(q);
}
END_TEST

/* Bytes are counted before anything else: the words need not be valid. */
START_TEST(test_qparse_byte_limit)
{
    static char q[SOU_QUERY_BYTES_MAX + 2];
    sou_parsed_query pq;
    sou_error err;
    memset(q, ' ', sizeof q);
    q[0] = 'a';
    ck_assert_int_eq(sou_qparse(test_analyzer, NULL, 0, q, SOU_QUERY_BYTES_MAX, &pq, &err), SOU_OK);
    sou_parsed_query_release(&pq);
    q[SOU_QUERY_BYTES_MAX] = '\xff';
    ck_assert_int_eq(sou_qparse(test_analyzer, NULL, 0, q, SOU_QUERY_BYTES_MAX + 1, &pq, &err),
                     SOU_ERR_QUERY_SYNTAX);
    ck_assert_str_eq(err.msg, "the query is longer than 4096 bytes; at most 4096 are allowed");
    sou_parsed_query_release(&pq);
}
END_TEST

Suite *qparse_suite(void)
{
    Suite *s = suite_create("qparse");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, analyzer_setup, analyzer_teardown);
    tcase_add_loop_test(tc, test_qparse_builds_query, 0,
                        (int)(sizeof valid_cases / sizeof valid_cases[0]));
    tcase_add_loop_test(tc, test_qparse_reports_errors, 0,
                        (int)(sizeof error_cases / sizeof error_cases[0]));
    tcase_add_test(tc, test_qparse_collects_match_terms);
    tcase_add_test(tc, test_qparse_release_is_idempotent);
    tcase_add_loop_test(tc, test_qparse_limits, 0,
                        (int)(sizeof limit_cases / sizeof limit_cases[0]));
    tcase_add_test(tc, test_qparse_byte_limit);
    suite_add_tcase(s, tc);
    return s;
}
