/*
 * normalize.c - NFKC + case folding of terms with utf8proc, Traditional to
 * Simplified folding (fold.c), and UTF-8 validation.
 *
 * utf8proc_map() allocates a fresh string per call; the indexer normalizes
 * millions of words, so this file decomposes into a reusable code point
 * buffer and re-encodes into a reusable byte buffer instead. Words of
 * ASCII or of unified ideographs, which NFKC leaves alone, skip utf8proc.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "sou/normalize.h"
#include "fold.h"
#include "internal.h"
#include "utf8.h"

#define NORM_OPTIONS                                                                               \
    (UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE)

SOU_API void sou_normbuf_init(sou_normbuf *nb)
{
    memset(nb, 0, sizeof *nb);
}

SOU_API void sou_normbuf_release(sou_normbuf *nb)
{
    if (nb) {
        free(nb->bytes);
        free(nb->cps);
        sou_normbuf_init(nb);
    }
}

static int reserve_bytes(sou_normbuf *nb, size_t need)
{
    if (need <= nb->cap)
        return 0;
    size_t cap = nb->cap ? nb->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(nb->bytes, cap);
    if (!p)
        return -1;
    nb->bytes = p;
    nb->cap = cap;
    return 0;
}

static int reserve_cps(sou_normbuf *nb, size_t need)
{
    if (need <= nb->cps_cap)
        return 0;
    size_t cap = nb->cps_cap ? nb->cps_cap : 64;
    while (cap < need)
        cap *= 2;
    int *p = realloc(nb->cps, cap * sizeof *p);
    if (!p)
        return -1;
    nb->cps = p;
    nb->cps_cap = cap;
    return 0;
}

static int is_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

/* A word of CJK Unified Ideographs of the BMP alone (U+3400 to U+4DBF,
 * U+4E00 to U+9FFF), as most words of Chinese text are: NFKC and case
 * folding leave them as they are, so only the Traditional fold applies,
 * written to nb in the same pass. (The compatibility ideographs, U+F900 to
 * U+FAFF, have NFKC mappings.) Returns its length, or -1 at the first
 * other character (nb then holds nothing of use). */
static long fold_unified_han(sou_normbuf *nb, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t used = 0;
    for (size_t i = 0; i < len;) {
        int c = 0;
        size_t n = sou_utf8_decode(u + i, len - i, &c);
        if (n != 3 || c < 0x3400 || c > 0x9FFF || (c > 0x4DBF && c < 0x4E00))
            return -1;
        used += sou_utf8_encode(sou_fold_char(c), nb->bytes + used);
        i += n;
    }
    nb->bytes[used] = '\0';
    return (long)used;
}

SOU_API int sou_normalize(sou_normbuf *nb, const char *s, size_t len, const char **out,
                          size_t *out_len, sou_error *err)
{
    *out = NULL;
    *out_len = 0;
    /* Room for the fold of every three bytes into four, whatever s is. */
    if (reserve_bytes(nb, len / 3 * 4 + 1) != 0)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory normalizing a term");
    long han = fold_unified_han(nb, s, len);
    if (han >= 0) {
        *out = nb->bytes;
        *out_len = (size_t)han;
        return SOU_OK;
    }
    if (is_ascii(s, len)) {
        /* NFKC leaves ASCII alone, and ASCII folds to ASCII. */
        if (reserve_bytes(nb, len + 1) != 0)
            return sou_error_set(err, SOU_ERR_NOMEM, "out of memory normalizing a term");
        for (size_t i = 0; i < len; i++) {
            char c = s[i];
            nb->bytes[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
        }
        nb->bytes[len] = '\0';
        *out = nb->bytes;
        *out_len = len;
        return SOU_OK;
    }
    utf8proc_ssize_t n = 0;
    for (;;) {
        n = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
                               (utf8proc_int32_t *)nb->cps, (utf8proc_ssize_t)nb->cps_cap,
                               NORM_OPTIONS);
        if (n < 0) {
            if (n == UTF8PROC_ERROR_NOMEM)
                return sou_error_set(err, SOU_ERR_NOMEM, "out of memory normalizing a term");
            return sou_error_set(err, SOU_ERR_UTF8, "cannot normalize term: %s",
                                 utf8proc_errmsg(n));
        }
        if ((size_t)n <= nb->cps_cap)
            break;
        if (reserve_cps(nb, (size_t)n) != 0)
            return sou_error_set(err, SOU_ERR_NOMEM, "out of memory normalizing a term");
    }
    n = utf8proc_normalize_utf32((utf8proc_int32_t *)nb->cps, n, NORM_OPTIONS);
    if (n < 0)
        return sou_error_set(err, SOU_ERR_UTF8, "cannot normalize term: %s", utf8proc_errmsg(n));
    for (utf8proc_ssize_t i = 0; i < n; i++)
        nb->cps[i] = sou_fold_char(nb->cps[i]);
    if (reserve_bytes(nb, (size_t)n * 4 + 1) != 0)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory normalizing a term");
    size_t used = 0;
    for (utf8proc_ssize_t i = 0; i < n; i++)
        used += (size_t)utf8proc_encode_char(nb->cps[i], (utf8proc_uint8_t *)nb->bytes + used);
    nb->bytes[used] = '\0';
    *out = nb->bytes;
    *out_len = used;
    return SOU_OK;
}

SOU_API int sou_traditional_form(const char *s, size_t len, char *out)
{
    return sou_fold_for_segmentation(s, len, out);
}

SOU_API size_t sou_utf8_seqlen(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c >= 0xE0 && c <= 0xEF)
        return 3;
    if (c >= 0xF0 && c <= 0xF4)
        return 4;
    return 1;
}

SOU_API const char *sou_utf8_problem(const char *str, size_t len, size_t at)
{
    const unsigned char *s = (const unsigned char *)str + at;
    len = at < len ? len - at : 0;
    if (!len || s[0] < 0x80)
        return "no error";
    if (s[0] < 0xC0)
        return "a continuation byte without a lead byte";
    if (s[0] < 0xC2)
        return "an overlong encoding; C0 and C1 never occur in UTF-8";
    if (s[0] > 0xF4)
        return "a byte that never occurs in UTF-8";
    size_t n = sou_utf8_seqlen(s[0]);
    for (size_t k = 1; k < n; k++) {
        if (k == len)
            return "a sequence cut short by the end of the line";
        if (s[k] < 0x80 || s[k] > 0xBF)
            return "a lead byte without all its continuation bytes";
    }
    /* The second-byte ranges sou_utf8_valid() checks. */
    if (s[0] == 0xED)
        return "an encoded UTF-16 surrogate";
    if (s[0] == 0xF4)
        return "a code point above U+10FFFF";
    return "an overlong encoding";
}

SOU_API int sou_utf8_valid(const char *str, size_t len, size_t *bad_offset)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n = sou_utf8_seqlen(c);
        if (n == 1 || i + n > len)
            goto bad;
        /* Second-byte ranges rule out overlongs, surrogates and > U+10FFFF. */
        unsigned char lo = 0x80, hi = 0xBF;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
        else if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
        if (s[i + 1] < lo || s[i + 1] > hi)
            goto bad;
        for (size_t k = 2; k < n; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                goto bad;
        i += n;
    }
    return 1;
bad:
    if (bad_offset)
        *bad_offset = i;
    return 0;
}
