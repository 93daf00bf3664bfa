/*
 * utf8.h - one UTF-8 character in and out, for code that walks text it
 * has already validated (sou_utf8_valid). Internal to libsou; header-only
 * so the build-time tools in lib/gen use it too.
 */
#ifndef SOU_LIB_UTF8_H
#define SOU_LIB_UTF8_H

#include <stddef.h>

/* Decodes the character at s[0..len) into *cp; returns its length (1 for
 * a stray byte, which then stands for itself). */
static inline size_t sou_utf8_decode(const unsigned char *s, size_t len, int *cp)
{
    size_t n = s[0] < 0x80 ? 1 : s[0] < 0xC0 ? 0 : s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
    if (n == 0 || n > len) {
        *cp = s[0];
        return 1;
    }
    int c = n == 1 ? s[0] : s[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++)
        c = (c << 6) | (s[i] & 0x3F);
    *cp = c;
    return n;
}

/* Han: CJK Unified Ideographs, their extensions and the compatibility
 * block, the characters the lexicon pass cuts. */
static inline int sou_is_han(int c)
{
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
}

/* The length of s[0..len) cut to at most max bytes without splitting a
 * character: for text quoted in a message, which must stay valid UTF-8. */
static inline size_t sou_utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

/* Encodes code point c at out (room for 4 bytes); returns the length. */
static inline size_t sou_utf8_encode(int c, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (c < 0x80) {
        o[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (unsigned char)(0xC0 | (c >> 6));
        o[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (c >> 12));
        o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (c >> 18));
    o[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

#endif
