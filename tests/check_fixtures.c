/*
 * check_fixtures.c - fixtures shared by several suites.
 */
#include "sou/analyze.h"
#include "suites.h"

sou_analyzer *test_analyzer;

void analyzer_setup(void)
{
    sou_error err;
    ck_assert_int_eq(sou_analyzer_new(&test_analyzer, &err), SOU_OK);
}

void analyzer_teardown(void)
{
    sou_analyzer_free(test_analyzer);
    test_analyzer = NULL;
}
