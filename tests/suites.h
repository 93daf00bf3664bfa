/*
 * suites.h - the Check suites that check_main.c runs, one per module.
 */
#ifndef SOU_TESTS_SUITES_H
#define SOU_TESTS_SUITES_H

#include <check.h>

#include "sou/analyze.h"

/* A fresh analyzer per test (check_fixtures.c): add analyzer_setup and
 * analyzer_teardown as a checked fixture and use test_analyzer. */
extern sou_analyzer *test_analyzer;
void analyzer_setup(void);
void analyzer_teardown(void);

/* Removes dir and everything in it (a test's scratch folder). */
void test_remove_tree(const char *dir);

Suite *xapian_suite(void);
Suite *snippet_suite(void);
Suite *corpus_suite(void);
Suite *analyze_suite(void);
Suite *segment_suite(void);
Suite *qparse_suite(void);
Suite *mine_suite(void);
Suite *glossary_suite(void);
Suite *status_suite(void);
Suite *cgi_suite(void);
Suite *search_suite(void);

#endif
