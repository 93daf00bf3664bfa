/*
 * check_main.c - runs every unit-test suite. CK_RUN_SUITE=name runs one;
 * CK_FORK=no runs in-process for gdb.
 */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
    Suite *(*const suites[])(void) = {
        xapian_suite, snippet_suite,  corpus_suite, analyze_suite, segment_suite, qparse_suite,
        mine_suite,   glossary_suite, cgi_suite,    status_suite,  search_suite,
    };
    SRunner *sr = srunner_create(NULL);
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++)
        srunner_add_suite(sr, suites[i]());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
