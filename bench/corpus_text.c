/*
 * corpus_text.c - bench-corpus's text helpers: growable buffers and lists,
 * UTF-8 decoding and character classes, JSON string escaping, and the
 * small JSON reader the bundled corpus is read with (it skips what it does
 * not want and drops invalid text rather than refusing the line).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_corpus.h"
#include "seg_common.h"

#define JSON_DEPTH 64 /* deeper values are malformed, so a line cannot exhaust the stack */

/* ---- Growable buffers and lists --------------------------------------------------- */

int buf_put(struct buf *b, const char *s, size_t n)
{
    char *p = grow(b->p, &b->cap, b->len + n + 1, 1);
    if (!p)
        return -1;
    b->p = p;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

int buf_puts(struct buf *b, const char *s)
{
    return buf_put(b, s, strlen(s));
}

/* Appends s[0..n) as the inside of a JSON string. */
int buf_put_json(struct buf *b, const char *s, size_t n)
{
    char *p = grow(b->p, &b->cap, b->len + 6 * n + 1, 1);
    if (!p)
        return -1;
    b->p = p;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = c == '"'    ? "\\\""
                          : c == '\\' ? "\\\\"
                          : c == '\t' ? "\\t"
                          : c == '\r' ? "\\r"
                          : c == '\n' ? "\\n"
                                      : NULL;
        if (esc) {
            memcpy(p + b->len, esc, 2);
            b->len += 2;
        } else if (c < 0x20) {
            b->len += (size_t)snprintf(p + b->len, 7, "\\u%04x", c);
        } else {
            p[b->len++] = (char)c;
        }
    }
    p[b->len] = '\0';
    return 0;
}

int ids_push(struct ids *l, size_t id)
{
    size_t *v = grow(l->v, &l->cap, l->n + 1, sizeof *v);
    if (!v)
        return -1;
    l->v = v;
    l->v[l->n++] = id;
    return 0;
}

int strs_push(struct strs *l, const char *p, size_t n)
{
    struct str *v = grow(l->v, &l->cap, l->n + 1, sizeof *v);
    if (!v)
        return -1;
    l->v = v;
    l->v[l->n++] = (struct str){p, n};
    return 0;
}

static int str_cmp(const void *a, const void *b)
{
    const struct str *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? -1 : 1;
    return memcmp(x->p, y->p, x->n);
}

/* Sorts the list and drops repeats: the result depends on the strings
 * only, not on their order or places. */
void strs_unique(struct strs *l)
{
    if (l->n < 2)
        return;
    qsort(l->v, l->n, sizeof *l->v, str_cmp);
    size_t k = 1;
    for (size_t i = 1; i < l->n; i++)
        if (str_cmp(&l->v[i], &l->v[k - 1]) != 0)
            l->v[k++] = l->v[i];
    l->n = k;
}

/* ---- UTF-8 -------------------------------------------------------------------- */

/* The length of the valid UTF-8 sequence at s[0..n) (n > 0), its code point
 * in *cp; 0 if the bytes there are not valid UTF-8 (overlong, surrogate,
 * above U+10FFFF, cut short). */
size_t utf8_decode(const char *str, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t len;
    uint32_t v, min;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    } else if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        len = 2, v = s[0] & 0x1F, min = 0x80;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        len = 3, v = s[0] & 0x0F, min = 0x800;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        len = 4, v = s[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

/* The next code point of s[*i..n), *i moved past it; an invalid byte reads
 * as U+FFFD and is skipped alone. */
uint32_t next_cp(const char *s, size_t n, size_t *i)
{
    uint32_t cp;
    size_t len = utf8_decode(s + *i, n - *i, &cp);
    *i += len ? len : 1;
    return len ? cp : 0xFFFD;
}

int is_han(uint32_t c)
{
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
}

/* CJK punctuation and full-width forms: where a title's English part ends. */
int is_cjk_mark(uint32_t c)
{
    return (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF);
}

int ascii_letter(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

int ascii_alnum(unsigned char c)
{
    return ascii_letter(c) || (c >= '0' && c <= '9');
}

int has_han(const char *s, size_t n)
{
    for (size_t i = 0; i < n;)
        if (is_han(next_cp(s, n, &i)))
            return 1;
    return 0;
}

/* The number of characters of s[0..n) if all are Han, else 0. */
size_t han_only(const char *s, size_t n)
{
    size_t chars = 0;
    for (size_t i = 0; i < n; chars++)
        if (!is_han(next_cp(s, n, &i)))
            return 0;
    return chars;
}

size_t count_chars(const char *s, size_t n)
{
    size_t chars = 0;
    for (size_t i = 0; i < n; chars++)
        next_cp(s, n, &i);
    return chars;
}

/* ---- JSON ----------------------------------------------------------------------------- */

void json_ws(struct json *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

static int hex4(const char *p, const char *end, uint32_t *v)
{
    *v = 0;
    if (end - p < 4)
        return -1;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        *v = *v << 4 | (uint32_t)d;
    }
    return 0;
}

static int put_cp(struct buf *b, uint32_t c)
{
    char u[4];
    size_t n;
    if (c < 0x80)
        u[0] = (char)c, n = 1;
    else if (c < 0x800)
        u[0] = (char)(0xC0 | c >> 6), u[1] = (char)(0x80 | (c & 0x3F)), n = 2;
    else if (c < 0x10000)
        u[0] = (char)(0xE0 | c >> 12), u[1] = (char)(0x80 | (c >> 6 & 0x3F)),
        u[2] = (char)(0x80 | (c & 0x3F)), n = 3;
    else
        u[0] = (char)(0xF0 | c >> 18), u[1] = (char)(0x80 | (c >> 12 & 0x3F)),
        u[2] = (char)(0x80 | (c >> 6 & 0x3F)), u[3] = (char)(0x80 | (c & 0x3F)), n = 4;
    return buf_put(b, u, n);
}

/* Reads the JSON string at j->p (its opening quote) into out, decoded (a
 * lone surrogate dropped), or skips it if out is NULL. Returns 0, -1 if
 * malformed, -2 if out of memory. */
int json_string(struct json *j, struct buf *out)
{
    if (out)
        out->len = 0;
    j->p++;
    while (j->p < j->end && *j->p != '"') {
        const char *run = j->p;
        while (j->p < j->end && *j->p != '"' && *j->p != '\\')
            j->p++;
        if (out && buf_put(out, run, (size_t)(j->p - run)) != 0)
            return -2;
        if (j->p >= j->end || *j->p == '"')
            break;
        if (++j->p >= j->end)
            return -1;
        char c = *j->p++;
        static const char escaped[] = "\"\\/bfnrt", decoded[] = "\"\\/\b\f\n\r\t";
        const char *plain = c ? strchr(escaped, c) : NULL;
        uint32_t u, lo;
        if (c == 'u') {
            if (hex4(j->p, j->end, &u) != 0)
                return -1;
            j->p += 4;
            if (u >= 0xD800 && u <= 0xDBFF && j->end - j->p >= 6 && j->p[0] == '\\' &&
                j->p[1] == 'u' && hex4(j->p + 2, j->end, &lo) == 0 && lo >= 0xDC00 &&
                lo <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                j->p += 6;
            }
            if (out && !(u >= 0xD800 && u <= 0xDFFF) && put_cp(out, u) != 0)
                return -2;
        } else if (plain) {
            if (out && buf_put(out, &decoded[plain - escaped], 1) != 0)
                return -2;
        } else {
            return -1;
        }
    }
    if (j->p >= j->end)
        return -1;
    j->p++;
    return 0;
}

/* Skips one JSON value (any kind). Returns 0, or -1 if malformed. */
int json_skip(struct json *j, int depth)
{
    json_ws(j);
    if (j->p >= j->end || depth > JSON_DEPTH)
        return -1;
    if (*j->p == '"')
        return json_string(j, NULL);
    if (*j->p == '{' || *j->p == '[') {
        char close = *j->p == '{' ? '}' : ']';
        j->p++;
        json_ws(j);
        if (j->p < j->end && *j->p == close)
            return j->p++, 0;
        for (;;) {
            if (close == '}') {
                json_ws(j);
                if (j->p >= j->end || *j->p != '"' || json_string(j, NULL) != 0)
                    return -1;
                json_ws(j);
                if (j->p >= j->end || *j->p++ != ':')
                    return -1;
            }
            if (json_skip(j, depth + 1) != 0)
                return -1;
            json_ws(j);
            if (j->p >= j->end)
                return -1;
            if (*j->p == close)
                return j->p++, 0;
            if (*j->p++ != ',')
                return -1;
        }
    }
    const char *start = j->p;
    while (j->p < j->end && (ascii_alnum((unsigned char)*j->p) || strchr("+-.", *j->p)))
        j->p++;
    return j->p > start ? 0 : -1;
}
