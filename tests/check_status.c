/*
 * check_status.c - status messages and the error record.
 */
#include <string.h>

#include "sou/normalize.h"
#include "sou/status.h"
#include "suites.h"

START_TEST(test_status_every_code_has_a_message)
{
    for (int code = SOU_OK; code < SOU_STATUS_LAST; code++)
        ck_assert_str_ne(sou_strerror(code), "unknown status");
    ck_assert_str_eq(sou_strerror(SOU_STATUS_LAST), "unknown status");
    ck_assert_str_eq(sou_strerror(-1), "unknown status");
}
END_TEST

/* A message cut to the record's size never ends inside a UTF-8 sequence. */
START_TEST(test_status_cut_message_stays_utf8)
{
    char text[600] = "";
    for (int i = 0; i < _i; i++)
        strcat(text, "a");
    while (strlen(text) + 3 < sizeof text)
        strcat(text, "會");
    sou_error err;
    ck_assert_int_eq(sou_error_set(&err, SOU_ERR_IO, "%s", text), SOU_ERR_IO);
    ck_assert_int_eq(err.code, SOU_ERR_IO);
    size_t len = strlen(err.msg);
    ck_assert_uint_le(len, SOU_ERROR_MSG_MAX - 1);
    ck_assert_uint_ge(len, SOU_ERROR_MSG_MAX - 3);
    ck_assert(sou_utf8_valid(err.msg, len, NULL));
    ck_assert_int_eq(memcmp(err.msg, text, len), 0);
}
END_TEST

START_TEST(test_status_null_record)
{
    ck_assert_int_eq(sou_error_set(NULL, SOU_ERR_NOMEM, "x"), SOU_ERR_NOMEM);
    sou_error_clear(NULL);
    sou_error err;
    sou_error_set(&err, SOU_ERR_IO, "boom");
    sou_error_clear(&err);
    ck_assert_int_eq(err.code, SOU_OK);
    ck_assert_str_eq(err.msg, "");
}
END_TEST

Suite *status_suite(void)
{
    Suite *s = suite_create("status");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_status_every_code_has_a_message);
    tcase_add_loop_test(tc, test_status_cut_message_stays_utf8, 0, 3);
    tcase_add_test(tc, test_status_null_record);
    suite_add_tcase(s, tc);
    return s;
}
