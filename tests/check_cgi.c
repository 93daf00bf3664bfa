/*
 * check_cgi.c - sou.cgi's modules: the escapers over every byte and on
 * mixed Chinese and English text, the bounded buffer and its sticky error,
 * the request parser on every bad case of the contract, the response
 * writer, and whole pages rendered from a small real index.
 */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sou/docbuild.h"
#include "sou/layout.h"
#include "sou/names.h"
#include "sou/search.h"
#include "../query/cgi_escape.h"
#include "../query/cgi_render.h"
#include "../query/cgi_request.h"
#include "suites.h"

#define FFFD "\xEF\xBF\xBD"

/* ---- HTML escaping ------------------------------------------------------------ */

/* What each byte, alone, becomes: ranges in order covering 0..255 once;
 * NULL means the byte itself. */
static const struct {
    unsigned lo, hi;
    const char *out;
} html_bytes[] = {
    {0x00, 0x08, FFFD},                                                /* C0 controls */
    {0x09, 0x0A, NULL},                                                /* TAB, LF */
    {0x0B, 0x0C, FFFD},                                                /* VT, FF */
    {0x0D, 0x0D, NULL},                                                /* CR */
    {0x0E, 0x1F, FFFD},                                                /* C0 controls */
    {0x20, 0x21, NULL},                                                /* space ! */
    {0x22, 0x22, "&quot;"}, {0x23, 0x25, NULL},                        /* # $ % */
    {0x26, 0x26, "&amp;"},  {0x27, 0x27, "&#39;"}, {0x28, 0x3B, NULL}, /* ( ) * + , - . / 0-9 : ; */
    {0x3C, 0x3C, "&lt;"},   {0x3D, 0x3D, NULL},                        /* = */
    {0x3E, 0x3E, "&gt;"},   {0x3F, 0x7E, NULL}, /* ? @ A-Z [ \ ] ^ _ ` a-z { | } ~ */
    {0x7F, 0x7F, FFFD},                         /* DEL */
    {0x80, 0xFF, FFFD},                         /* never valid UTF-8 on their own */
};

static const char *html_byte_expected(unsigned c, char *self)
{
    for (size_t i = 0; i < sizeof html_bytes / sizeof html_bytes[0]; i++)
        if (c >= html_bytes[i].lo && c <= html_bytes[i].hi) {
            if (html_bytes[i].out)
                return html_bytes[i].out;
            self[0] = (char)c;
            self[1] = '\0';
            return self;
        }
    ck_abort_msg("byte 0x%02X is not in the table", c);
    return NULL;
}

START_TEST(test_cgi_html_escape_table_covers_every_byte)
{
    unsigned next = 0;
    for (size_t i = 0; i < sizeof html_bytes / sizeof html_bytes[0]; i++) {
        ck_assert_uint_eq(html_bytes[i].lo, next);
        ck_assert_uint_ge(html_bytes[i].hi, html_bytes[i].lo);
        next = html_bytes[i].hi + 1;
    }
    ck_assert_uint_eq(next, 256);
}
END_TEST

/* Byte _i alone, and between two letters (so runs around it are kept). */
START_TEST(test_cgi_html_escape_every_byte)
{
    char self[2], in[3] = {'a', (char)_i, 'b'}, want[16];
    const char *exp = html_byte_expected((unsigned)_i, self);
    struct buf b;
    buf_init(&b, 64);
    ck_assert_int_eq(html_escape(&b, in + 1, 1), BUF_OK);
    ck_assert_str_eq(buf_str(&b), exp);
    ck_assert_uint_eq(b.len, strlen(exp));
    buf_release(&b);
    ck_assert_int_eq(html_escape(&b, in, 3), BUF_OK);
    snprintf(want, sizeof want, "a%sb", exp);
    ck_assert_str_eq(buf_str(&b), want);
    buf_release(&b);
}
END_TEST

static const struct {
    const char *in;
    const char *out;
} html_cases[] = {
    {"", ""},
    {"貿易暨投資委員會", "貿易暨投資委員會"},
    {"CTI → 貿易暨投資委員會 · Committee on Trade & Investment",
     "CTI → 貿易暨投資委員會 · Committee on Trade &amp; Investment"},
    {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
    {"\"><img src=x onerror=alert(1)>", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"},
    {"「貿易」<b>'部長'</b>會議", "「貿易」&lt;b&gt;&#39;部長&#39;&lt;/b&gt;會議"},
    {"ＣＴＩ　全形", "ＣＴＩ　全形"},          /* full-width letters and space */
    {"贸易 & 貿易", "贸易 &amp; 貿易"},        /* Simplified and Traditional */
    {"emoji 😀 <", "emoji 😀 &lt;"},             /* 4-byte sequence */
    {"貿\xE6\x98", "貿" FFFD FFFD},            /* a cut sequence: each byte */
    {"\xC0\xAF<", FFFD FFFD "&lt;"},           /* overlong '/' */
    {"\xED\xA0\x80x", FFFD FFFD FFFD "x"},     /* a UTF-16 surrogate */
    {"\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD}, /* above U+10FFFF */
    {"a\x01"
     "b\x7F"
     "c\td\ne",
     "a" FFFD "b" FFFD "c\td\ne"},
    {"會議\xE8\xB2\xBF易", "會議貿易"}, /* escapes written as bytes */
};

START_TEST(test_cgi_html_escape_mixed_text)
{
    struct buf b;
    buf_init(&b, 1024);
    ck_assert_int_eq(html_escapes(&b, html_cases[_i].in), BUF_OK);
    ck_assert_str_eq(buf_str(&b), html_cases[_i].out);
    buf_release(&b);
}
END_TEST

/* ---- URL encoding --------------------------------------------------------------- */

static int is_unreserved(unsigned c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

/* Byte _i: the 66 unreserved bytes stay, every other becomes %XX, upper
 * case; the path encoder also keeps '/'. */
START_TEST(test_cgi_url_encode_every_byte)
{
    char in = (char)_i, want[4];
    if (is_unreserved((unsigned)_i))
        snprintf(want, sizeof want, "%c", _i);
    else
        snprintf(want, sizeof want, "%%%02X", (unsigned)_i);
    struct buf b;
    buf_init(&b, 16);
    ck_assert_int_eq(url_encode(&b, &in, 1), BUF_OK);
    ck_assert_str_eq(buf_str(&b), want);
    buf_release(&b);
    ck_assert_int_eq(url_encode_path(&b, &in, 1), BUF_OK);
    ck_assert_str_eq(buf_str(&b), _i == '/' ? "/" : want);
    buf_release(&b);
}
END_TEST

START_TEST(test_cgi_url_encode_counts_unreserved)
{
    unsigned kept = 0;
    for (unsigned c = 0; c < 256; c++)
        kept += is_unreserved(c);
    ck_assert_uint_eq(kept, 26 + 26 + 10 + 4);
}
END_TEST

static const struct {
    const char *in;
    const char *out;
    size_t len; /* 0: strlen(in) */
} url_cases[] = {
    {"", "", 0},
    {"CTI", "CTI", 0},
    {"CTI type:meeting", "CTI%20type%3Ameeting", 0},
    {"貿易", "%E8%B2%BF%E6%98%93", 0},
    {"city:\"Hong Kong\"", "city%3A%22Hong%20Kong%22", 0},
    {"a+b c", "a%2Bb%20c", 0},
    {":/?#[]@", "%3A%2F%3F%23%5B%5D%40", 0},                 /* gen-delims */
    {"!$&'()*+,;=", "%21%24%26%27%28%29%2A%2B%2C%3B%3D", 0}, /* sub-delims */
    {"-._~", "-._~", 0},                                     /* unreserved */
    {"100%", "100%25", 0},
    {"<script>", "%3Cscript%3E", 0},
    {"ＣＴＩ 数字周", "%EF%BC%A3%EF%BC%B4%EF%BC%A9%20%E6%95%B0%E5%AD%97%E5%91%A8", 0},
    {"\xFF\x00", "%FF%00", 2}, /* not UTF-8, a NUL: bytes all the same */
};

START_TEST(test_cgi_url_encode_mixed_text)
{
    struct buf b;
    buf_init(&b, 1024);
    size_t n = url_cases[_i].len ? url_cases[_i].len : strlen(url_cases[_i].in);
    ck_assert_int_eq(url_encode(&b, url_cases[_i].in, n), BUF_OK);
    ck_assert_str_eq(buf_str(&b), url_cases[_i].out);
    buf_release(&b);
}
END_TEST

START_TEST(test_cgi_url_encode_path_keeps_slashes)
{
    struct buf b;
    buf_init(&b, 1024);
    const char *p = "/cgi-bin/搜 sou.cgi";
    ck_assert_int_eq(url_encode_path(&b, p, strlen(p)), BUF_OK);
    ck_assert_str_eq(buf_str(&b), "/cgi-bin/%E6%90%9C%20sou.cgi");
    buf_release(&b);
}
END_TEST

/* ---- The buffer ------------------------------------------------------------------- */

START_TEST(test_cgi_buf_empty_is_a_string)
{
    struct buf b;
    buf_init(&b, 10);
    ck_assert_str_eq(buf_str(&b), "");
    ck_assert_int_eq(buf_add(&b, "", 0), BUF_OK);
    ck_assert_str_eq(buf_str(&b), "");
    buf_release(&b);
    buf_release(&b);
    ck_assert_ptr_null(b.p);
}
END_TEST

START_TEST(test_cgi_buf_overflow_is_sticky)
{
    struct buf b;
    buf_init(&b, 8);
    ck_assert_int_eq(buf_adds(&b, "12345"), BUF_OK);
    ck_assert_int_eq(buf_adds(&b, "678"), BUF_OK); /* exactly max */
    ck_assert_uint_eq(b.len, 8);
    ck_assert_int_eq(buf_addc(&b, '9'), BUF_ERR_TOO_BIG);
    /* The contents stay as they were, NUL-terminated; later appends,
     * even empty ones, report the same error and add nothing. */
    ck_assert_str_eq(buf_str(&b), "12345678");
    ck_assert_int_eq(buf_add(&b, "", 0), BUF_ERR_TOO_BIG);
    ck_assert_int_eq(buf_printf(&b, "%d", 1), BUF_ERR_TOO_BIG);
    ck_assert_int_eq(html_escapes(&b, "<"), BUF_ERR_TOO_BIG);
    ck_assert_int_eq(url_encode(&b, "x", 1), BUF_ERR_TOO_BIG);
    ck_assert_str_eq(buf_str(&b), "12345678");
    /* Release clears the error and keeps the limit. */
    buf_release(&b);
    ck_assert_int_eq(b.err, BUF_OK);
    ck_assert_uint_eq(b.max, 8);
    ck_assert_int_eq(buf_adds(&b, "abc"), BUF_OK);
    buf_release(&b);
}
END_TEST

START_TEST(test_cgi_buf_escaping_overflows_midway)
{
    struct buf b;
    buf_init(&b, 10);
    /* "&amp;&amp;&amp;" is 15 bytes: the third entity does not fit. */
    ck_assert_int_eq(html_escapes(&b, "&&&"), BUF_ERR_TOO_BIG);
    ck_assert_str_eq(buf_str(&b), "&amp;&amp;");
    buf_release(&b);
    ck_assert_int_eq(url_encode(&b, "貿易", strlen("貿易")), BUF_ERR_TOO_BIG);
    ck_assert_str_eq(buf_str(&b), "%E8%B2%BF");
    buf_release(&b);
}
END_TEST

START_TEST(test_cgi_buf_printf_grows)
{
    struct buf b;
    buf_init(&b, 4096);
    char big[1000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ck_assert_int_eq(buf_printf(&b, "<%s>%d", big, 42), BUF_OK);
    ck_assert_uint_eq(b.len, 999 + 4);
    ck_assert_int_eq(strncmp(buf_str(&b) + 1000, ">42", 4), 0);
    ck_assert_int_eq(buf_printf(&b, "%s%s%s%s", big, big, big, big), BUF_ERR_TOO_BIG);
    ck_assert_uint_eq(b.len, 999 + 4);
    buf_release(&b);
}
END_TEST

#ifndef __SANITIZE_ADDRESS__
/* An allocation that cannot succeed (4 EiB: more than any address space)
 * sets BUF_ERR_NOMEM. AddressSanitizer aborts on such a request instead, so
 * this runs only without it. The length is never read: the buffer fails
 * before copying. */
START_TEST(test_cgi_buf_out_of_memory_is_sticky)
{
    struct buf b;
    buf_init(&b, (size_t)1 << 62);
    ck_assert_int_eq(buf_adds(&b, "ok"), BUF_OK);
    ck_assert_int_eq(buf_add(&b, "x", ((size_t)1 << 62) - 16), BUF_ERR_NOMEM);
    ck_assert_int_eq(buf_adds(&b, "more"), BUF_ERR_NOMEM);
    ck_assert_str_eq(buf_str(&b), "ok");
    buf_release(&b);
}
END_TEST
#endif

/* ---- The request parser ----------------------------------------------------------- */

static const char Q1025[] =
    "q=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaa"; /* q= and 1025 bytes */

/* A query string of len bytes: q=%E8%B2%BF repeated, padded with 'a'.
 * Owned: free(). */
static char *long_query_string(size_t len)
{
    char *s = malloc(len + 1);
    ck_assert_ptr_nonnull(s);
    memcpy(s, "q=", 2);
    size_t i = 2;
    for (; i + 9 <= len; i += 9)
        memcpy(s + i, "%E8%B2%BF", 9);
    memset(s + i, 'a', len - i);
    s[len] = '\0';
    return s;
}

static const struct {
    const char *method;
    const char *qs;
    int status;
    const char *msg;
    int json; /* the error is for a JSON request */
} bad_requests[] = {
    {"GET", "q=CTI&page=0", 400, "parameter page must be a number from 1 to 100", 0},
    {"GET", "q=CTI&page=101", 400, "parameter page must be a number from 1 to 100", 0},
    {"GET", "q=CTI&page=1.5", 400, "parameter page must be a number from 1 to 100", 0},
    {"GET", "q=CTI&page=+1", 400, "parameter page must be a number from 1 to 100", 0},
    {"GET", "q=CTI&page=-1", 400, "parameter page must be a number from 1 to 100", 0},
    {"GET", "q=CTI&page=0x10", 400, "parameter page must be a number from 1 to 100", 0},
    {"GET", "q=CTI&page=%201", 400, "parameter page must be a number from 1 to 100", 0},
    {"GET", "q=CTI&page=", 400, "parameter page must be a number from 1 to 100", 0},
    {"GET", "q=CTI&page=99999999999999999999", 400, "parameter page must be a number from 1 to 100",
     0},
    {"GET", "q=CTI&n=0", 400, "parameter n must be a number from 1 to 50", 0},
    {"GET", "q=CTI&n=51", 400, "parameter n must be a number from 1 to 50", 0},
    {"GET", "q=CTI&n=ten", 400, "parameter n must be a number from 1 to 50", 0},
    {"GET", "q=CTI&format=xml", 400, "parameter format must be html or json", 0},
    {"GET", "q=CTI&format=JSON", 400, "parameter format must be html or json", 0},
    {"GET", "q=CTI&format=", 400, "parameter format must be html or json", 0},
    {"GET", "q=CTI&facets=2", 400, "parameter facets must be 0 or 1", 0},
    {"GET", "q=CTI&facets=true", 400, "parameter facets must be 0 or 1", 0},
    {"GET", "q=CTI&facets", 400, "parameter facets must be 0 or 1", 0},
    {"GET", "q=CTI&expand=yes", 400, "parameter expand must be 0 or 1", 0},
    {"GET", "q=CTI&expand=00", 400, "parameter expand must be 0 or 1", 0},
    {"GET", "q=CTI&q=APEC", 400, "parameter q given more than once", 0},
    {"GET", "q=CTI&n=5&n=5", 400, "parameter n given more than once", 0},
    {"GET", "q=CTI&%71=APEC", 400, "parameter q given more than once", 0},
    {"GET", "q=CTI&offset=10", 400, "unknown parameter offset", 0},
    {"GET", "q=CTI&Q=x", 400, "unknown parameter Q", 0},
    {"GET", "q=CTI&=x", 400, "unknown parameter with an empty name", 0},
    {"GET", "q=CTI&a%3Cb%3E=1", 400, "unknown parameter a<b>", 0},
    {"GET", "q=CTI&%E8%B2%BF=1", 400, "unknown parameter 貿", 0},
    {"GET", "q=CTI&%FF%00x=1", 400, "unknown parameter " FFFD FFFD "x", 0},
    {"GET",
     "q=CTI&"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=1",
     400, "unknown parameter aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…", 0},
    {"GET", "q=%E8%B2", 400, "parameter q is not valid UTF-8", 0},
    {"GET", "q=%C0%AF", 400, "parameter q is not valid UTF-8", 0},
    {"GET", "q=%ED%A0%80", 400, "parameter q is not valid UTF-8", 0},
    {"GET", "q=\xFF", 400, "parameter q is not valid UTF-8", 0},
    {"GET", Q1025, 400, "parameter q is longer than 1024 bytes", 0},
    {"GET", "q=%zz", 400, "bad percent-encoding in parameter q", 0},
    {"GET", "q=abc%", 400, "bad percent-encoding in parameter q", 0},
    {"GET", "q=abc%4", 400, "bad percent-encoding in parameter q", 0},
    {"GET", "q=%%41", 400, "bad percent-encoding in parameter q", 0},
    {"GET", "q=CTI&n=%G1", 400, "bad percent-encoding in parameter n", 0},
    {"GET", "q%=x", 400, "bad percent-encoding in parameter name q%", 0},
    {"GET", "format=json", 400, "missing parameter q", 1},
    {"GET", "q=&format=json", 400, "missing parameter q", 1},
    {"GET", "format=json&n=3", 400, "missing parameter q", 1},
    /* The first problem wins, but a later format=json still counts. */
    {"GET", "q=a&page=0&format=json", 400, "parameter page must be a number from 1 to 100", 1},
    {"GET", "n=0&foo=1", 400, "parameter n must be a number from 1 to 50", 0},
    {"GET", "foo=1&n=0", 400, "unknown parameter foo", 0},
    {"GET", "q=CTI&format=json&format=json", 400, "parameter format given more than once", 1},
    {"POST", "q=CTI", 405, "method POST not allowed; use GET or HEAD", 0},
    {"PUT", "q=CTI&format=json", 405, "method PUT not allowed; use GET or HEAD", 1},
    {"get", "q=CTI", 405, "method get not allowed; use GET or HEAD", 0},
    {"", "q=CTI", 405, "method  not allowed; use GET or HEAD", 0},
    {"DELETE", "page=0", 405, "method DELETE not allowed; use GET or HEAD", 0},
    {"GET\nX: y", "q=CTI", 405, "method GET" FFFD "X: y not allowed; use GET or HEAD", 0},
};

START_TEST(test_cgi_request_rejects_bad_ones)
{
    struct request r;
    int status = request_parse(&r, bad_requests[_i].method, bad_requests[_i].qs);
    ck_assert_msg(status == bad_requests[_i].status, "%s: got %d (%s)", bad_requests[_i].qs, status,
                  r.msg);
    ck_assert_int_eq(r.status, status);
    ck_assert_str_eq(r.msg, bad_requests[_i].msg);
    ck_assert_int_eq(r.format, bad_requests[_i].json ? FORMAT_JSON : FORMAT_HTML);
}
END_TEST

START_TEST(test_cgi_request_limits_query_string_length)
{
    struct request r;
    char *qs = long_query_string(REQUEST_QS_MAX + 1);
    ck_assert_int_eq(request_parse(&r, "GET", qs), 400);
    ck_assert_str_eq(r.msg, "query string longer than 4096 bytes");
    free(qs);
    /* At the limit: parsed (its q decodes to 1,365 bytes, over q's limit). */
    qs = long_query_string(REQUEST_QS_MAX);
    ck_assert_int_eq(request_parse(&r, "GET", qs), 400);
    ck_assert_str_eq(r.msg, "parameter q is longer than 1024 bytes");
    free(qs);
    /* Over the limit, format=json still makes the error JSON; a pair too
     * long to decode is passed over. */
    qs = long_query_string(2 * REQUEST_QS_MAX);
    size_t len = strlen(qs);
    char *with_json = malloc(len + sizeof "&format=json&n=0");
    ck_assert_ptr_nonnull(with_json);
    memcpy(with_json, qs, len);
    strcpy(with_json + len, "&format=json&n=0");
    ck_assert_int_eq(request_parse(&r, "GET", with_json), 400);
    ck_assert_str_eq(r.msg, "query string longer than 4096 bytes");
    ck_assert_int_eq(r.format, FORMAT_JSON);
    ck_assert_uint_eq(r.q_len, 0);
    free(with_json);
    free(qs);
    /* q of exactly 1024 bytes, percent-encoded to 3,072 characters. */
    qs = long_query_string(2 + 9 * 341 + 1);
    ck_assert_int_eq(request_parse(&r, "GET", qs), 200);
    ck_assert_uint_eq(r.q_len, 1024);
    ck_assert_int_eq(memcmp(r.q, "\xE8\xB2\xBF", 3), 0);
    free(qs);
}
END_TEST

START_TEST(test_cgi_request_decodes_and_defaults)
{
    struct request r;
    ck_assert_int_eq(request_parse(&r, "GET", NULL), 200);
    ck_assert_uint_eq(r.q_len, 0);
    ck_assert_str_eq(r.q, "");
    ck_assert_uint_eq(r.page, 1);
    ck_assert_uint_eq(r.n, 10);
    ck_assert_int_eq(r.format, FORMAT_HTML);
    ck_assert_int_eq(r.facets, 1);
    ck_assert_int_eq(r.expand, 1);
    ck_assert_int_eq(r.head, 0);
    ck_assert_uint_eq(r.given, 0);

    ck_assert_int_eq(request_parse(&r, "GET", "q=%e8%b2%bf%E6%98%93+type%3Ameeting+a%2Bb"), 200);
    ck_assert_str_eq(r.q, "貿易 type:meeting a+b");
    ck_assert_uint_eq(r.given, PARAM_Q);

    ck_assert_int_eq(
        request_parse(&r, "HEAD", "&q=%22Digital+Weeks%22&&page=007&n=50&format=json&expand=0&"),
        200);
    ck_assert_int_eq(r.head, 1);
    ck_assert_str_eq(r.q, "\"Digital Weeks\"");
    ck_assert_uint_eq(r.page, 7);
    ck_assert_uint_eq(r.n, 50);
    ck_assert_int_eq(r.format, FORMAT_JSON);
    ck_assert_int_eq(r.facets, 0); /* the JSON default */
    ck_assert_int_eq(r.expand, 0);

    ck_assert_int_eq(request_parse(&r, "GET", "q=x&format=json&facets=1"), 200);
    ck_assert_int_eq(r.facets, 1);
    ck_assert_int_eq(request_parse(&r, "GET", "q=x&facets=0&page=100&n=1"), 200);
    ck_assert_int_eq(r.facets, 0);
    ck_assert_uint_eq(r.page, 100);
    ck_assert_uint_eq(r.given, PARAM_Q | PARAM_FACETS | PARAM_PAGE | PARAM_N);
    /* A pair without '=' has an empty value: q empty is the search page. */
    ck_assert_int_eq(request_parse(&r, "GET", "q"), 200);
    ck_assert_uint_eq(r.q_len, 0);
    /* A NUL byte is valid UTF-8: kept, with its length. */
    ck_assert_int_eq(request_parse(&r, "GET", "q=a%00b"), 200);
    ck_assert_uint_eq(r.q_len, 3);
    ck_assert_int_eq(memcmp(r.q, "a\0b", 4), 0);
}
END_TEST

START_TEST(test_cgi_request_from_shell_arguments)
{
    struct request r;
    char *ok[] = {"q=a+b %41=", "format=json", "n=3"};
    ck_assert_int_eq(request_parse_args(&r, 3, ok), 200);
    ck_assert_str_eq(r.q, "a+b %41="); /* taken literally */
    ck_assert_int_eq(r.format, FORMAT_JSON);
    ck_assert_uint_eq(r.n, 3);
    ck_assert_int_eq(r.head, 0);

    ck_assert_int_eq(request_parse_args(&r, 0, NULL), 200);
    ck_assert_uint_eq(r.q_len, 0);

    char *bad[] = {"q=CTI", "CTI"};
    ck_assert_int_eq(request_parse_args(&r, 2, bad), 400);
    ck_assert_str_eq(r.msg, "unknown parameter CTI");
    char *twice[] = {"q=CTI", "q=APEC"};
    ck_assert_int_eq(request_parse_args(&r, 2, twice), 400);
    ck_assert_str_eq(r.msg, "parameter q given more than once");
    char *utf8[] = {"q=\xE8\xB2"};
    ck_assert_int_eq(request_parse_args(&r, 1, utf8), 400);
    ck_assert_str_eq(r.msg, "parameter q is not valid UTF-8");
    char *json[] = {"format=json"};
    ck_assert_int_eq(request_parse_args(&r, 1, json), 400);
    ck_assert_str_eq(r.msg, "missing parameter q");

    char *qs = long_query_string(REQUEST_QS_MAX);
    char *huge[] = {qs, "n=1", "format=json"};
    ck_assert_int_eq(request_parse_args(&r, 3, huge), 400);
    ck_assert_str_eq(r.msg, "query string longer than 4096 bytes");
    ck_assert_int_eq(r.format, FORMAT_JSON);
    free(qs);
}
END_TEST

/* ---- The response writer ----------------------------------------------------------- */

/* Writes resp into a string. Owned: free(). */
static char *written(const struct response *resp)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(response_write(f, resp), 0);
    fclose(f);
    return text;
}

START_TEST(test_cgi_response_headers)
{
    struct response resp;
    response_init(&resp);
    resp.status = 200;
    buf_adds(&resp.body, "<p>貿易</p>\n");
    char *text = written(&resp);
    ck_assert_str_eq(text,
                     "Status: 200 OK\n"
                     "Content-Type: text/html; charset=utf-8\n"
                     "Content-Length: 14\n"
                     "Cache-Control: public, max-age=60\n"
                     "X-Content-Type-Options: nosniff\n"
                     "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; "
                     "form-action 'self'; base-uri 'none'\n"
                     "\n"
                     "<p>貿易</p>\n");
    free(text);

    resp.head = 1;
    text = written(&resp);
    ck_assert_ptr_nonnull(strstr(text, "Content-Length: 14\n"));
    ck_assert_ptr_nonnull(strstr(text, "'none'\n\n"));
    ck_assert_str_eq(strstr(text, "\n\n"), "\n\n"); /* nothing after the headers */
    free(text);

    resp.head = 0;
    resp.status = 405;
    resp.format = FORMAT_JSON;
    buf_release(&resp.body);
    buf_adds(&resp.body, "{}\n");
    text = written(&resp);
    ck_assert_str_eq(text, "Status: 405 Method Not Allowed\n"
                           "Content-Type: application/json; charset=utf-8\n"
                           "Content-Length: 3\n"
                           "Cache-Control: no-store\n"
                           "X-Content-Type-Options: nosniff\n"
                           "Allow: GET, HEAD\n"
                           "\n"
                           "{}\n");
    free(text);
    response_release(&resp);
}
END_TEST

START_TEST(test_cgi_response_failed_body_becomes_500)
{
    struct response resp;
    response_init(&resp);
    resp.status = 200;
    resp.format = FORMAT_JSON;
    resp.body.err = BUF_ERR_NOMEM;
    char *text = written(&resp);
    ck_assert_str_eq(text, "Status: 500 Internal Server Error\n"
                           "Content-Type: application/json; charset=utf-8\n"
                           "Content-Length: 43\n"
                           "Cache-Control: no-store\n"
                           "X-Content-Type-Options: nosniff\n"
                           "\n"
                           "{\"error\": \"internal error\", \"status\": 500}\n");
    free(text);
    resp.format = FORMAT_HTML;
    text = written(&resp);
    ck_assert_ptr_nonnull(strstr(text, "Status: 500 Internal Server Error\n"));
    ck_assert_ptr_nonnull(strstr(text, "Internal server error</p>"));
    free(text);
    response_release(&resp);
}
END_TEST

START_TEST(test_cgi_response_write_failure_is_reported)
{
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        return; /* no /dev/full here */
    struct response resp;
    response_init(&resp);
    resp.status = 200;
    buf_adds(&resp.body, "x");
    ck_assert_int_eq(response_write(f, &resp), -1);
    fclose(f);
    response_release(&resp);
}
END_TEST

/* ---- Pages from a real index -------------------------------------------------------- */

static char tmpdir[64];
static char dbpath[96];

static void add_doc(sou_wdb *w, sou_analyzer *a, const char *const *kv)
{
    sou_document *d = NULL;
    sou_error err;
    ck_assert_int_eq(sou_document_new(&d, &err), SOU_OK);
    for (size_t i = 0; kv[i]; i += 2)
        ck_assert_int_eq(sou_document_set(d, kv[i], kv[i + 1], strlen(kv[i + 1]), &err), SOU_OK);
    char id_term[256];
    sou_doc *doc = NULL;
    ck_assert_int_eq(sou_doc_build(a, d, &doc, id_term, &err), SOU_OK);
    ck_assert_int_eq(sou_wdb_replace_document(w, id_term, strlen(id_term), doc, NULL, &err),
                     SOU_OK);
    sou_doc_free(doc);
    sou_document_free(d);
}

/* Four documents with "trade", one with a hostile title and a web url, one
 * with a javascript: url; CTI in the glossary. Built once for the suite. */
static void index_setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/sou-cgi-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(dbpath, sizeof dbpath, "%s/db", tmpdir);
    sou_error err;
    sou_analyzer *a = NULL;
    ck_assert_int_eq(sou_analyzer_new(&a, &err), SOU_OK);
    sou_wdb *w = NULL;
    ck_assert_int_eq(sou_wdb_open(dbpath, SOU_WDB_CREATE, &w, &err), SOU_OK);
    const char *m1[] = {
        "id",       "m1",
        "type",     "meeting",
        "title",    "<b>Trade</b> & \"Investment\" ministers",
        "body",     "Trade ministers met in Suzhou to discuss trade and investment.",
        "date",     "2026-05-20",
        "end_date", "2026-05-23",
        "city_zh",  "蘇州",
        "city_en",  "Suzhou",
        "url",      "https://example.org/m1?x=1&y=\"2\"",
        NULL};
    const char *m2[] = {"id",      "m2",
                        "type",    "meeting",
                        "title",   "Committee on Trade and Investment",
                        "body",    "The committee on trade and investment met in Hong Kong.",
                        "date",    "2026-02-01",
                        "city_en", "Hong Kong",
                        "url",     "javascript:alert(1)",
                        NULL};
    const char *a1[] = {"id",    "a1",         "type", "article",
                        "title", "貿易與投資", "body", "貿易暨投資委員會(CTI)討論貿易議題 trade。",
                        "date",  "2026-03",    NULL};
    const char *f1[] = {
        "id", "f1", "type", "forum", "title", "Trade forum", "body", "A forum on trade.", NULL};
    add_doc(w, a, m1);
    add_doc(w, a, m2);
    add_doc(w, a, a1);
    add_doc(w, a, f1);
    char *settings = sou_analysis_settings(a);
    ck_assert_ptr_nonnull(settings);
    ck_assert_int_eq(sou_wdb_set_metadata(w, SOU_META_ANALYSIS, settings, strlen(settings), &err),
                     SOU_OK);
    free(settings);
    sou_glossary g = {0};
    ck_assert_int_eq(sou_glossary_add(&g, "CTI", "貿易暨投資委員會",
                                      "Committee on Trade and Investment", NULL, "test", &err),
                     SOU_OK);
    ck_assert_int_eq(sou_names_store(w, a, &g, &err), SOU_OK);
    sou_glossary_release(&g);
    ck_assert_int_eq(sou_wdb_close(w, &err), SOU_OK);
    sou_wdb_free(w);
    sou_analyzer_free(a);
}

static void index_teardown(void)
{
    test_remove_tree(tmpdir);
}

/* Runs the query string qs against the test index; the body is in
 * resp->body (release resp). Returns the status. */
static int respond(const char *method, const char *qs, const char *script, struct response *resp)
{
    struct request req;
    request_parse(&req, method, qs);
    return cgi_respond(&req, dbpath, script, resp);
}

/* Occurrences of needle in haystack. */
static int count(const char *haystack, const char *needle)
{
    int n = 0;
    for (const char *p = haystack; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

#define assert_has(body, s)   ck_assert_msg(strstr(body, s) != NULL, "missing: %s", s)
#define assert_lacks(body, s) ck_assert_msg(strstr(body, s) == NULL, "present: %s", s)

/* The hostile query "trade OR <script>alert(1)</script>" finds the trade
 * documents; page 2 of 1 result per page. */
START_TEST(test_cgi_render_results_page)
{
    struct response resp;
    int status = respond("GET", "q=trade+OR+%3Cscript%3Ealert%281%29%3C%2Fscript%3E&page=2&n=1",
                         "/cgi-bin/sou.cgi", &resp);
    ck_assert_int_eq(status, 200);
    const char *body = buf_str(&resp.body);
    ck_assert_uint_eq(strlen(body), resp.body.len);

    /* The query is only ever escaped: in the title, the form, the links. */
    assert_lacks(body, "<script");
    assert_lacks(body, "alert(1)</");
    ck_assert_int_eq(count(body, "trade OR &lt;script&gt;alert(1)&lt;/script&gt;"), 2);
    assert_has(body, "<title>搜 Sou — trade OR &lt;script&gt;alert(1)&lt;/script&gt;</title>");
    assert_has(body, "<input type=\"search\" name=\"q\" value=\"trade OR "
                     "&lt;script&gt;alert(1)&lt;/script&gt;\"");
    assert_has(body, "<form method=\"get\" action=\"/cgi-bin/sou.cgi\"");
    assert_has(body, "<input type=\"hidden\" name=\"n\" value=\"1\">");
    assert_lacks(body, "name=\"page\"");

    assert_has(body, "<html lang=\"zh-Hant\">");
    assert_has(body, "<meta name=\"viewport\"");
    assert_has(body, "搜尋 Search</button>");
    assert_has(body, "約 4 筆結果 · About 4 results (");
    assert_has(body, "<ol class=\"results\" start=\"2\">");
    ck_assert_int_eq(count(body, "<li class=\"result\">"), 1);
    ck_assert_int_eq(count(body, "<mark>"), count(body, "</mark>"));
    ck_assert_int_gt(count(body, "<mark>"), 0);

    /* Pagination: both neighbours, URL-encoded, with page= and n=. */
    const char *enc = "q=trade%20OR%20%3Cscript%3Ealert%281%29%3C%2Fscript%3E";
    char want[256];
    snprintf(want, sizeof want, "<a rel=\"prev\" href=\"/cgi-bin/sou.cgi?%s&amp;page=1&amp;n=1\">",
             enc);
    assert_has(body, want);
    snprintf(want, sizeof want, "<a rel=\"next\" href=\"/cgi-bin/sou.cgi?%s&amp;page=3&amp;n=1\">",
             enc);
    assert_has(body, want);

    /* Facets: the current query plus each value's filter, URL-encoded. */
    snprintf(want, sizeof want,
             "<a href=\"/cgi-bin/sou.cgi?%s%%20type%%3Ameeting&amp;n=1\">meeting (2)</a>", enc);
    assert_has(body, want);
    snprintf(want, sizeof want,
             "<a href=\"/cgi-bin/sou.cgi?%s%%20city%%3A%%22Hong%%20Kong%%22&amp;n=1\">"
             "Hong Kong (1)</a>",
             enc);
    assert_has(body, want);
    snprintf(want, sizeof want,
             "<a href=\"/cgi-bin/sou.cgi?%s%%20month%%3A2026-05&amp;n=1\">2026-05 (1)</a>", enc);
    assert_has(body, want);
    assert_has(body, "<h3>類型 · Type</h3>");
    response_release(&resp);
}
END_TEST

/* Every result of "trade": escaped titles, links only to web URLs, the
 * meta line, <mark> around the matched words, "…" only where cut. */
START_TEST(test_cgi_render_results_escape_index_text)
{
    struct response resp;
    ck_assert_int_eq(respond("GET", "q=trade&facets=0", NULL, &resp), 200);
    const char *body = buf_str(&resp.body);
    assert_has(body, "<h2 class=\"title\"><a href=\"https://example.org/m1?x=1&amp;y=&quot;2&quot;"
                     "\">&lt;b&gt;Trade&lt;/b&gt; &amp; &quot;Investment&quot; ministers</a></h2>");
    assert_has(body, "<p class=\"meta\">m1 · 2026-05-20–2026-05-23 · meeting</p>");
    assert_has(body, "<p class=\"snippet\"><mark>Trade</mark> ministers met in Suzhou to discuss "
                     "<mark>trade</mark> and investment.</p>");
    /* A javascript: url is not linked. */
    assert_has(body, "<h2 class=\"title\">Committee on Trade and Investment</h2>");
    assert_lacks(body, "javascript:");
    assert_has(body, "<p class=\"meta\">f1 · forum</p>");
    assert_has(body, "<p class=\"meta\">a1 · 2026-03 · article</p>");
    assert_has(body, "<input type=\"hidden\" name=\"facets\" value=\"0\">");
    assert_lacks(body, "class=\"facets\"");
    assert_lacks(body, "…");
    assert_lacks(body, "class=\"pages\"");
    ck_assert_int_eq(count(body, "<li class=\"result\">"), 4);
    /* The default SCRIPT_NAME. */
    assert_has(body, "action=\"sou.cgi\"");
    response_release(&resp);
}
END_TEST

START_TEST(test_cgi_render_expansion)
{
    struct response resp;
    ck_assert_int_eq(respond("GET", "q=CTI", "sou.cgi", &resp), 200);
    const char *body = buf_str(&resp.body);
    assert_has(body, "<li class=\"expansion\">CTI → 貿易暨投資委員會 · Committee on Trade and "
                     "Investment</li>");
    assert_has(body, "<mark>貿易暨投資委員會</mark>");
    response_release(&resp);

    ck_assert_int_eq(respond("GET", "q=CTI&expand=0", "sou.cgi", &resp), 200);
    body = buf_str(&resp.body);
    assert_lacks(body, "class=\"expansion\"");
    assert_has(body, "<input type=\"hidden\" name=\"expand\" value=\"0\">");
    response_release(&resp);
}
END_TEST

START_TEST(test_cgi_render_no_results_suggests)
{
    struct response resp;
    ck_assert_int_eq(respond("GET", "q=%E8%B4%B8%E6%98%93+CTI+zzzq%3C", "sou.cgi", &resp), 200);
    const char *body = buf_str(&resp.body);
    assert_has(body, "<p class=\"none\">找不到符合的結果 · No results for 贸易 CTI zzzq&lt;</p>");
    /* The expanded sense's names, and the Traditional form. */
    assert_has(body, "<a href=\"sou.cgi?q=%E8%B2%BF%E6%98%93%E6%9A%A8%E6%8A%95%E8%B3%87"
                     "%E5%A7%94%E5%93%A1%E6%9C%83%20OR%20%22Committee%20on%20Trade%20and%20"
                     "Investment%22\">CTI · 貿易暨投資委員會 · Committee on Trade and "
                     "Investment</a>");
    assert_has(body, "<a href=\"sou.cgi?q=%E8%B2%BF%E6%98%93%20CTI%20zzzq%3C\">貿易 CTI "
                     "zzzq&lt;</a>");
    assert_lacks(body, "<ol");
    assert_lacks(body, "class=\"facets\"");
    response_release(&resp);

    /* Nothing to suggest: Traditional already, no names. */
    ck_assert_int_eq(respond("GET", "q=%3Cscript%3Ealert(1)%3C/script%3E", "sou.cgi", &resp), 200);
    body = buf_str(&resp.body);
    assert_has(body, "No results for &lt;script&gt;alert(1)&lt;/script&gt;</p>");
    assert_lacks(body, "class=\"suggestions\"");
    assert_lacks(body, "<script");
    response_release(&resp);
}
END_TEST

START_TEST(test_cgi_render_page_past_the_end)
{
    struct response resp;
    ck_assert_int_eq(respond("GET", "q=trade&page=9", "sou.cgi", &resp), 200);
    ck_assert_int_eq(count(buf_str(&resp.body), "rel=\"prev\""), 1);
    const char *body = buf_str(&resp.body);
    assert_has(body, "此頁沒有結果 · No results on this page");
    /* "Previous" goes to the last page there is. */
    assert_has(body, "<a rel=\"prev\" href=\"sou.cgi?q=trade&amp;page=1\">");
    assert_lacks(body, "rel=\"next\"");
    response_release(&resp);
}
END_TEST

START_TEST(test_cgi_render_empty_search_page)
{
    struct response resp;
    ck_assert_int_eq(respond("GET", "n=20&facets=0&expand=0", "/s", &resp), 200);
    const char *body = buf_str(&resp.body);
    assert_has(body, "<title>搜 Sou</title>");
    assert_has(body, "<input type=\"search\" name=\"q\" value=\"\"");
    assert_has(body, "<input type=\"hidden\" name=\"n\" value=\"20\">\n"
                     "<input type=\"hidden\" name=\"facets\" value=\"0\">\n"
                     "<input type=\"hidden\" name=\"expand\" value=\"0\">\n");
    assert_has(body, "<main>\n</main>");
    response_release(&resp);
    /* The defaults given explicitly need no hidden inputs. */
    ck_assert_int_eq(respond("GET", "n=10&facets=1&expand=1", "/s", &resp), 200);
    assert_lacks(buf_str(&resp.body), "type=\"hidden\"");
    response_release(&resp);
}
END_TEST

/* The JSON body is sou_results_json() of the same search, then a newline,
 * as sou-query --json prints it; only time_ms may differ. */
static char *without_time(const char *json)
{
    char *s = strdup(json);
    ck_assert_ptr_nonnull(s);
    char *t = strstr(s, "\"time_ms\"");
    ck_assert_ptr_nonnull(t);
    char *end = strchr(t, '\n');
    ck_assert_ptr_nonnull(end);
    memmove(t, end, strlen(end) + 1);
    return s;
}

START_TEST(test_cgi_render_json_matches_sou_query)
{
    struct response resp;
    ck_assert_int_eq(respond("GET", "q=trade&format=json&facets=1&page=2&n=2", NULL, &resp), 200);
    sou_error err;
    sou_searcher *s = NULL;
    ck_assert_int_eq(sou_searcher_open(dbpath, &s, &err), SOU_OK);
    sou_search_opts o;
    sou_search_opts_init(&o);
    o.offset = 2;
    o.limit = 2;
    o.flags = SOU_SEARCH_FACETS;
    sou_results r;
    ck_assert_int_eq(sou_search(s, "trade", 5, &o, &r, &err), SOU_OK);
    char *json = sou_results_json(&r, "trade", 5, o.offset, 1);
    ck_assert_ptr_nonnull(json);
    char *want = without_time(json), *got = without_time(buf_str(&resp.body));
    size_t n = strlen(want);
    ck_assert_str_eq(got + n, "\n");
    got[n] = '\0';
    ck_assert_str_eq(got, want);
    assert_has(got, "\"facets\"");
    free(want);
    free(got);
    free(json);
    sou_results_release(&r);
    sou_searcher_free(s);
    response_release(&resp);
}
END_TEST

/* Facet counts say when they cover every match, and when the time limit
 * stopped them first: then the page and the JSON say how many they count.
 * A real search counts every match; counted is then lowered by hand, as
 * the time limit would, which a test cannot make happen on time. */
START_TEST(test_cgi_render_partial_facets)
{
    sou_error err;
    sou_searcher *s = NULL;
    ck_assert_int_eq(sou_searcher_open(dbpath, &s, &err), SOU_OK);
    sou_search_opts o;
    sou_search_opts_init(&o);
    o.flags = SOU_SEARCH_FACETS;
    sou_results r;
    ck_assert_int_eq(sou_search(s, "trade", 5, &o, &r, &err), SOU_OK);
    ck_assert_uint_gt(r.upper, 1);
    ck_assert_uint_eq(r.counted, r.upper);
    struct request req;
    ck_assert_int_eq(request_parse(&req, "GET", "q=trade"), 200);
    struct page p = {.req = &req, .script = "sou.cgi", .status = 200, .results = &r};
    for (int partial = 0; partial < 2; partial++) {
        if (partial)
            r.counted = 1;
        ck_assert_int_eq(sou_results_facets_exact(&r), !partial);
        char *json = sou_results_json(&r, "trade", 5, 0, 0);
        ck_assert_ptr_nonnull(json);
        assert_has(json, partial ? "\"facets_counted\":1," : "\"facets_exact\":true");
        if (partial)
            assert_has(json, "\"facets_exact\":false");
        free(json);
        struct buf b;
        buf_init(&b, 1 << 20);
        ck_assert_int_eq(html_page(&b, &p), 0);
        if (partial)
            assert_has(buf_str(&b), "Counts of the first 1 matches");
        else
            assert_lacks(buf_str(&b), "Counts of the first");
        buf_release(&b);
    }
    sou_results_release(&r);
    sou_searcher_free(s);
}
END_TEST

static const struct {
    const char *method;
    const char *qs;
    int status;
    const char *body;
} json_errors[] = {
    {"GET", "format=json", 400, "{\"error\": \"missing parameter q\", \"status\": 400}\n"},
    {"GET", "q=%22trade&format=json", 400,
     "{\"error\": \"parameter q: syntax error at column 1: unterminated quote\", \"status\": "
     "400}\n"},
    {"GET", "q=-&format=json", 400,
     "{\"error\": \"parameter q: the query has no searchable words\", \"status\": 400}\n"},
    {"POST", "q=trade&format=json", 405,
     "{\"error\": \"method POST not allowed; use GET or HEAD\", \"status\": 405}\n"},
    {"GET", "q=x&format=json&%FF=1", 400,
     "{\"error\": \"unknown parameter " FFFD "\", \"status\": 400}\n"},
};

START_TEST(test_cgi_render_json_errors)
{
    struct response resp;
    ck_assert_int_eq(respond(json_errors[_i].method, json_errors[_i].qs, NULL, &resp),
                     json_errors[_i].status);
    ck_assert_int_eq(resp.status, json_errors[_i].status);
    ck_assert_int_eq(resp.format, FORMAT_JSON);
    ck_assert_str_eq(buf_str(&resp.body), json_errors[_i].body);
    response_release(&resp);
}
END_TEST

/* A query over one of libsou's limits is the client's fault: a 400
 * naming q and the limit, in JSON and in HTML. */
START_TEST(test_cgi_render_query_limits)
{
    char qs[64 + 7 * (SOU_QUERY_FILTERS_MAX + 1)] = "q=";
    for (int i = 0; i <= SOU_QUERY_FILTERS_MAX; i++)
        strcat(qs, "type:x+");
    struct response resp;
    size_t at = strlen(qs);
    strcat(qs, "&format=json");
    ck_assert_int_eq(respond("GET", qs, NULL, &resp), 400);
    ck_assert_str_eq(buf_str(&resp.body),
                     "{\"error\": \"parameter q: the query has more than 16 filters (the first "
                     "too many at column 113); at most 16 are allowed\", \"status\": 400}\n");
    response_release(&resp);
    qs[at] = '\0';
    ck_assert_int_eq(respond("GET", qs, NULL, &resp), 400);
    assert_has(buf_str(&resp.body), "Error 400: parameter q: the query has more than 16 filters");
    response_release(&resp);
}
END_TEST

START_TEST(test_cgi_render_html_errors_keep_the_form)
{
    struct response resp;
    ck_assert_int_eq(
        respond("GET", "q=%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E", "sou.cgi", &resp), 400);
    const char *body = buf_str(&resp.body);
    assert_has(
        body,
        "<p class=\"error\" role=\"alert\">錯誤 · Error 400: parameter q: syntax error at column "
        "1: unterminated quote</p>");
    assert_has(body, "value=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\"");
    assert_lacks(body, "<img");
    response_release(&resp);

    ck_assert_int_eq(respond("GET", "q=trade&page=0", "sou.cgi", &resp), 400);
    body = buf_str(&resp.body);
    assert_has(body, "Error 400: parameter page must be a number from 1 to 100</p>");
    assert_has(body, "value=\"trade\"");
    response_release(&resp);

    ck_assert_int_eq(respond("DELETE", "q=trade", "sou.cgi", &resp), 405);
    assert_has(buf_str(&resp.body), "Error 405: method DELETE not allowed; use GET or HEAD</p>");
    response_release(&resp);
}
END_TEST

START_TEST(test_cgi_render_missing_index_is_500)
{
    struct request req;
    struct response resp;
    char path[128];
    snprintf(path, sizeof path, "%s/none", tmpdir);
    request_parse(&req, "GET", "q=trade");
    ck_assert_int_eq(cgi_respond(&req, path, "sou.cgi", &resp), 500);
    const char *body = buf_str(&resp.body);
    assert_has(body, "Internal error: search is unavailable right now.</p>");
    assert_lacks(body, path); /* the detail goes to the log only */
    response_release(&resp);

    /* A directory that is not a Sou index. */
    request_parse(&req, "GET", "q=trade&format=json");
    ck_assert_int_eq(cgi_respond(&req, tmpdir, "sou.cgi", &resp), 500);
    ck_assert_str_eq(buf_str(&resp.body), "{\"error\": \"internal error\", \"status\": 500}\n");
    response_release(&resp);
}
END_TEST

/* HEAD: the headers of the GET, Content-Length included, and no body. */
START_TEST(test_cgi_render_head_has_no_body)
{
    struct response resp;
    ck_assert_int_eq(respond("HEAD", "q=trade&format=json", NULL, &resp), 200);
    ck_assert_int_eq(resp.head, 1);
    char *text = written(&resp);
    char want[64];
    snprintf(want, sizeof want, "Content-Length: %zu\n", resp.body.len);
    assert_has(text, want);
    ck_assert_str_eq(strstr(text, "\n\n"), "\n\n");
    free(text);
    response_release(&resp);
}
END_TEST

Suite *cgi_suite(void)
{
    Suite *s = suite_create("cgi");
    TCase *tc = tcase_create("escape");
    tcase_add_test(tc, test_cgi_html_escape_table_covers_every_byte);
    tcase_add_loop_test(tc, test_cgi_html_escape_every_byte, 0, 256);
    tcase_add_loop_test(tc, test_cgi_html_escape_mixed_text, 0,
                        sizeof html_cases / sizeof html_cases[0]);
    tcase_add_loop_test(tc, test_cgi_url_encode_every_byte, 0, 256);
    tcase_add_test(tc, test_cgi_url_encode_counts_unreserved);
    tcase_add_loop_test(tc, test_cgi_url_encode_mixed_text, 0,
                        sizeof url_cases / sizeof url_cases[0]);
    tcase_add_test(tc, test_cgi_url_encode_path_keeps_slashes);
    tcase_add_test(tc, test_cgi_buf_empty_is_a_string);
    tcase_add_test(tc, test_cgi_buf_overflow_is_sticky);
    tcase_add_test(tc, test_cgi_buf_escaping_overflows_midway);
    tcase_add_test(tc, test_cgi_buf_printf_grows);
#ifndef __SANITIZE_ADDRESS__
    tcase_add_test(tc, test_cgi_buf_out_of_memory_is_sticky);
#endif
    suite_add_tcase(s, tc);

    tc = tcase_create("request");
    tcase_add_loop_test(tc, test_cgi_request_rejects_bad_ones, 0,
                        sizeof bad_requests / sizeof bad_requests[0]);
    tcase_add_test(tc, test_cgi_request_limits_query_string_length);
    tcase_add_test(tc, test_cgi_request_decodes_and_defaults);
    tcase_add_test(tc, test_cgi_request_from_shell_arguments);
    suite_add_tcase(s, tc);

    tc = tcase_create("response");
    tcase_add_test(tc, test_cgi_response_headers);
    tcase_add_test(tc, test_cgi_response_failed_body_becomes_500);
    tcase_add_test(tc, test_cgi_response_write_failure_is_reported);
    suite_add_tcase(s, tc);

    tc = tcase_create("render");
    tcase_add_unchecked_fixture(tc, index_setup, index_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_cgi_render_results_page);
    tcase_add_test(tc, test_cgi_render_results_escape_index_text);
    tcase_add_test(tc, test_cgi_render_expansion);
    tcase_add_test(tc, test_cgi_render_no_results_suggests);
    tcase_add_test(tc, test_cgi_render_page_past_the_end);
    tcase_add_test(tc, test_cgi_render_empty_search_page);
    tcase_add_test(tc, test_cgi_render_json_matches_sou_query);
    tcase_add_test(tc, test_cgi_render_partial_facets);
    tcase_add_loop_test(tc, test_cgi_render_json_errors, 0,
                        sizeof json_errors / sizeof json_errors[0]);
    tcase_add_test(tc, test_cgi_render_html_errors_keep_the_form);
    tcase_add_test(tc, test_cgi_render_query_limits);
    tcase_add_test(tc, test_cgi_render_missing_index_is_500);
    tcase_add_test(tc, test_cgi_render_head_has_no_body);
    suite_add_tcase(s, tc);
    return s;
}
