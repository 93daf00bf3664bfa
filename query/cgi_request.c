/*
 * cgi_request.c - decodes and validates a sou.cgi request (cgi_request.h).
 * Nothing here allocates: names and values are decoded into stack buffers
 * no longer than the longest query string allowed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sou/normalize.h"
#include "cgi_request.h"

/* Longest name or method quoted in a message, in bytes. */
#define QUOTE_MAX 64

static const struct {
    const char *name;
    unsigned bit;
} params[] = {
    {"q", PARAM_Q},           {"page", PARAM_PAGE},     {"n", PARAM_N},
    {"format", PARAM_FORMAT}, {"facets", PARAM_FACETS}, {"expand", PARAM_EXPAND},
};

/* Sets the first error; later ones are dropped. */
static void fail(struct request *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct request *r, int status, const char *fmt, ...)
{
    if (r->status != 200)
        return;
    r->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->msg, sizeof r->msg, fmt, ap);
    va_end(ap);
}

/* Copies s[0..n) into out (capacity QUOTE_MAX + 4 bytes at least, since
 * U+FFFD and "…" are 3 bytes each) as printable, valid UTF-8: a byte that is
 * a control character or not part of a valid sequence becomes U+FFFD, and
 * text past QUOTE_MAX bytes is cut at a character and ends in "…". */
static void quote(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t step = sou_utf8_seqlen(c);
        int bad = c < 0x20 || c == 0x7F || step > n - i || !sou_utf8_valid(s + i, step, NULL);
        if (bad)
            step = 1;
        size_t w = bad ? 3 : step;
        if (o + w > QUOTE_MAX) {
            memcpy(out + o, "\xE2\x80\xA6", 3);
            o += 3;
            break;
        }
        memcpy(out + o, bad ? "\xEF\xBF\xBD" : s + i, w);
        o += w;
        i += step;
    }
    out[o] = '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes the form-urlencoded s[0..n) into out (capacity n + 1), setting
 * *out_len. Returns 0, or -1 at a '%' not followed by two hex digits. */
static int form_decode(const char *s, size_t n, char *out, size_t *out_len)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            out[o++] = ' ';
        } else if (s[i] == '%') {
            int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
            int lo = hi >= 0 ? hexval(s[i + 2]) : -1;
            if (lo < 0)
                return -1;
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    *out_len = o;
    return 0;
}

/* A plain decimal number from 1 to max (leading zeros allowed), or -1. */
static long parse_number(const char *s, size_t n, unsigned max)
{
    unsigned long v = 0;
    if (n == 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (unsigned long)(s[i] - '0');
        if (v > max)
            return -1;
    }
    return v >= 1 ? (long)v : -1;
}

/* 0 or 1 from "0" or "1", else -1. */
static int parse_flag(const char *s, size_t n)
{
    if (n == 1 && (s[0] == '0' || s[0] == '1'))
        return s[0] - '0';
    return -1;
}

/* Stores the value of the known parameter bit. */
static void set_param(struct request *r, unsigned bit, const char *v, size_t n)
{
    long num;
    int flag;
    switch (bit) {
    case PARAM_Q:
        if (!sou_utf8_valid(v, n, NULL))
            fail(r, 400, "parameter q is not valid UTF-8");
        else if (n > REQUEST_Q_MAX)
            fail(r, 400, "parameter q is longer than %d bytes", REQUEST_Q_MAX);
        else {
            memcpy(r->q, v, n);
            r->q[n] = '\0';
            r->q_len = n;
        }
        break;
    case PARAM_PAGE:
    case PARAM_N: {
        unsigned max = bit == PARAM_PAGE ? REQUEST_PAGE_MAX : REQUEST_N_MAX;
        const char *name = bit == PARAM_PAGE ? "page" : "n";
        if ((num = parse_number(v, n, max)) < 0)
            fail(r, 400, "parameter %s must be a number from 1 to %u", name, max);
        else if (bit == PARAM_PAGE)
            r->page = (unsigned)num;
        else
            r->n = (unsigned)num;
        break;
    }
    case PARAM_FORMAT:
        if (n == 4 && memcmp(v, "html", 4) == 0)
            r->format = FORMAT_HTML;
        else if (n == 4 && memcmp(v, "json", 4) == 0)
            r->format = FORMAT_JSON;
        else
            fail(r, 400, "parameter format must be html or json");
        break;
    case PARAM_FACETS:
    case PARAM_EXPAND:
        if ((flag = parse_flag(v, n)) < 0)
            fail(r, 400, "parameter %s must be 0 or 1", bit == PARAM_FACETS ? "facets" : "expand");
        else if (bit == PARAM_FACETS)
            r->facets = flag;
        else
            r->expand = flag;
        break;
    }
}

/* One NAME=VALUE pair, still encoded when decode is non-zero. */
static void add_pair(struct request *r, const char *name, size_t nlen, const char *value,
                     size_t vlen, int decode)
{
    /* Both fit: the whole request is at most REQUEST_QS_MAX bytes. */
    char nbuf[REQUEST_QS_MAX + 1], vbuf[REQUEST_QS_MAX + 1], shown[QUOTE_MAX + 4];
    if (decode) {
        if (form_decode(name, nlen, nbuf, &nlen) != 0) {
            quote(name, nlen, shown);
            fail(r, 400, "bad percent-encoding in parameter name %s", shown);
            return;
        }
        name = nbuf;
    }
    unsigned bit = 0;
    const char *known = NULL;
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++)
        if (strlen(params[i].name) == nlen && memcmp(params[i].name, name, nlen) == 0) {
            bit = params[i].bit;
            known = params[i].name;
        }
    if (!known) {
        quote(name, nlen, shown);
        if (nlen == 0)
            fail(r, 400, "unknown parameter with an empty name");
        else
            fail(r, 400, "unknown parameter %s", shown);
        return;
    }
    if (r->given & bit) {
        fail(r, 400, "parameter %s given more than once", known);
        return;
    }
    r->given |= bit;
    if (decode) {
        if (form_decode(value, vlen, vbuf, &vlen) != 0) {
            fail(r, 400, "bad percent-encoding in parameter %s", known);
            return;
        }
        value = vbuf;
    }
    set_param(r, bit, value, vlen);
}

static void add_arg(struct request *r, const char *s, size_t n, int decode)
{
    const char *eq = memchr(s, '=', n);
    size_t nlen = eq ? (size_t)(eq - s) : n;
    const char *value = eq ? eq + 1 : s + n;
    add_pair(r, s, nlen, value, n - nlen - (eq ? 1 : 0), decode);
}

static void start(struct request *r)
{
    memset(r, 0, sizeof *r);
    r->status = 200;
    r->page = 1;
    r->n = REQUEST_N_DEFAULT;
    r->format = FORMAT_HTML;
    r->facets = -1; /* decided by the format in finish() */
    r->expand = 1;
}

static int finish(struct request *r, const char *method)
{
    if (r->facets < 0)
        r->facets = r->format == FORMAT_HTML;
    if (r->format == FORMAT_JSON && r->q_len == 0)
        fail(r, 400, "missing parameter q");
    if (strcmp(method, "HEAD") == 0) {
        r->head = 1;
    } else if (strcmp(method, "GET") != 0) {
        char shown[QUOTE_MAX + 4];
        quote(method, strlen(method), shown);
        r->status = 200; /* a bad method wins over a bad parameter */
        fail(r, 405, "method %s not allowed; use GET or HEAD", shown);
    }
    return r->status;
}

/* Adds one pair, unless it is too long to decode: an over-long query
 * string is already refused, but its short pairs are still read so that
 * format=json still chooses a JSON error body. */
static void add_short_arg(struct request *r, const char *s, size_t n, int decode)
{
    if (n <= REQUEST_QS_MAX)
        add_arg(r, s, n, decode);
}

int request_parse(struct request *r, const char *method, const char *query_string)
{
    start(r);
    const char *qs = query_string ? query_string : "";
    if (strlen(qs) > REQUEST_QS_MAX)
        fail(r, 400, "query string longer than %d bytes", REQUEST_QS_MAX);
    while (*qs) {
        size_t n = strcspn(qs, "&");
        if (n > 0)
            add_short_arg(r, qs, n, 1);
        qs += n + (qs[n] == '&');
    }
    return finish(r, method ? method : "");
}

int request_parse_args(struct request *r, int nargs, char *const *args)
{
    start(r);
    size_t len = 0;
    for (int i = 0; i < nargs; i++)
        len += strlen(args[i]) + (i > 0);
    if (len > REQUEST_QS_MAX)
        fail(r, 400, "query string longer than %d bytes", REQUEST_QS_MAX);
    for (int i = 0; i < nargs; i++)
        add_short_arg(r, args[i], strlen(args[i]), 0);
    return finish(r, "GET");
}
