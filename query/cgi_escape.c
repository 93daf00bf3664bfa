/*
 * cgi_escape.c - sou.cgi's output buffer (bounded, sticky error) and the
 * escapers for HTML and URLs (cgi_escape.h).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sou/normalize.h"
#include "cgi_escape.h"

void buf_init(struct buf *b, size_t max)
{
    b->p = NULL;
    b->len = b->cap = 0;
    b->max = max;
    b->err = BUF_OK;
}

void buf_release(struct buf *b)
{
    free(b->p);
    buf_init(b, b->max);
}

const char *buf_str(const struct buf *b)
{
    return b->p ? b->p : "";
}

/* Makes room for n more bytes and the NUL, or sets the sticky error. */
static int grow(struct buf *b, size_t n)
{
    if (b->err)
        return b->err;
    if (n > b->max - b->len) {
        b->err = BUF_ERR_TOO_BIG;
        return b->err;
    }
    size_t need = b->len + n + 1;
    if (need <= b->cap)
        return BUF_OK;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if (cap > b->max + 1)
        cap = b->max + 1;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->err = BUF_ERR_NOMEM;
        return b->err;
    }
    b->p = p;
    b->cap = cap;
    return BUF_OK;
}

int buf_add(struct buf *b, const char *s, size_t n)
{
    if (grow(b, n) != BUF_OK)
        return b->err;
    if (n > 0)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return BUF_OK;
}

int buf_adds(struct buf *b, const char *s)
{
    return buf_add(b, s, strlen(s));
}

int buf_addc(struct buf *b, char c)
{
    return buf_add(b, &c, 1);
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
    if (b->err)
        return b->err;
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->err = BUF_ERR_NOMEM;
        return b->err;
    }
    if ((size_t)n < sizeof small)
        return buf_add(b, small, (size_t)n);
    if (grow(b, (size_t)n) != BUF_OK)
        return b->err;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return BUF_OK;
}

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* What an ASCII byte becomes in HTML, or NULL to keep it. */
static const char *html_entity(unsigned char c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    case '\t':
    case '\n':
    case '\r':
        return NULL;
    default:
        return c < 0x20 || c == 0x7F ? REPLACEMENT : NULL;
    }
}

int html_escape(struct buf *b, const char *s, size_t n)
{
    size_t i = 0, run = 0; /* s[run..i) is kept as it is */
    while (i < n && !b->err) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        size_t step = 1;
        if (c < 0x80) {
            rep = html_entity(c);
        } else {
            step = sou_utf8_seqlen(c);
            if (step > n - i || !sou_utf8_valid(s + i, step, NULL)) {
                rep = REPLACEMENT;
                step = 1;
            }
        }
        if (rep) {
            buf_add(b, s + run, i - run);
            buf_adds(b, rep);
            run = i + step;
        }
        i += step;
    }
    buf_add(b, s + run, i - run);
    return b->err;
}

int html_escapes(struct buf *b, const char *s)
{
    return html_escape(b, s, strlen(s));
}

static int unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

static int encode(struct buf *b, const char *s, size_t n, int keep_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t run = 0;
    for (size_t i = 0; i < n && !b->err; i++) {
        unsigned char c = (unsigned char)s[i];
        if (unreserved(c) || (keep_slash && c == '/'))
            continue;
        char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
        buf_add(b, s + run, i - run);
        buf_add(b, esc, 3);
        run = i + 1;
    }
    buf_add(b, s + run, n - run);
    return b->err;
}

int url_encode(struct buf *b, const char *s, size_t n)
{
    return encode(b, s, n, 0);
}

int url_encode_path(struct buf *b, const char *s, size_t n)
{
    return encode(b, s, n, 1);
}
