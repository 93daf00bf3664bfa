/*
 * suites.h - the Check suites that check_main.c runs, one per module.
 */
#ifndef SOU_TESTS_SUITES_H
#define SOU_TESTS_SUITES_H

#include <check.h>

Suite *xapian_suite(void);
Suite *snippet_suite(void);
Suite *corpus_suite(void);
Suite *analyze_suite(void);
Suite *qparse_suite(void);
Suite *mine_suite(void);
Suite *glossary_suite(void);
Suite *status_suite(void);
Suite *cgi_suite(void);

#endif
