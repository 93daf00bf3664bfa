/*
 * check_fixtures.c - fixtures shared by several suites.
 */
#include <ftw.h>
#include <stdio.h>

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

static int remove_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(p);
}

void test_remove_tree(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
