/*
 * plain_words.c - ICU's word rules (UAX #29 as ICU 72 tailors it) over
 * plain text. There only these matter: letters and digits join (WB5,
 * WB8-10); '.', '\'' and U+2018/U+2019 join two letters (WB6-7) or two
 * digits (WB11-12), U+00B7 and U+2027 two letters, ',' and ';' two
 * digits; every other character stands alone and is not a word (':' is no
 * MidLetter in ICU's tailoring). A full-width form (U+FF01-U+FF5E) or a
 * small one (U+FE50-U+FE6A) behaves as its ASCII character does.
 * Bopomofo and its tone marks ˇ ˊ ˋ (U+02C7, U+02CA, U+02CB) are
 * letters; its light tone ˙ (U+02D9) stands alone.
 * ICU's status for a word is the one of its last character: "a1" is a
 * number, "1a" letters. The Check test test_analyze_plain_words_match_icu
 * compares these rules with ICU itself, exhaustively over short strings.
 */
#include <stdint.h>

#include "sou/analyze.h"
#include "plain_words.h"

enum word_class { NOT_PLAIN, OTHER, LETTER, DIGIT, MID_LETTER, MID_LETTER_NUM, MID_NUM };

/* ASCII's classes; '_' and '@' are not plain: ICU joins them to words in
 * ways not worth copying. */
static inline enum word_class ascii_class(unsigned char c)
{
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
        return LETTER;
    if (c >= '0' && c <= '9')
        return DIGIT;
    if (c == '.' || c == '\'')
        return MID_LETTER_NUM;
    if (c == ',' || c == ';')
        return MID_NUM;
    return c == '_' || c == '@' ? NOT_PLAIN : OTHER;
}

/* The class of a three-byte character: the plain typographic marks of
 * English (dashes, curly quotes, ellipsis, U+2027), Chinese punctuation
 * (the ideographic space, comma, full stop and marks U+3000-U+3004, the
 * brackets and quotes U+3008-U+3020, the vertical forms U+FE30-U+FE4C
 * and the small forms U+FE50-U+FE6A), Bopomofo letters (U+3105-U+312F),
 * the full-width forms, and box drawing and geometric shapes
 * (U+2500-U+25FF: lines, and the circle written for zero in 二○○五).
 * ICU's Extended_Pictographic among the shapes join nothing but a
 * preceding ZWJ, which is not plain. */
static enum word_class wide_class(uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        return ascii_class((unsigned char)(cp - 0xFEE0));
    if (cp >= 0x3105 && cp <= 0x312F) /* Bopomofo */
        return LETTER;
    if (cp >= 0xFE30 && cp <= 0xFE4C) /* vertical forms, but for two low lines */
        return cp == 0xFE33 || cp == 0xFE34 ? NOT_PLAIN : OTHER;
    if (cp >= 0xFE50 && cp <= 0xFE6A) {
        if (cp == 0xFE53 || cp == 0xFE67) /* unassigned */
            return NOT_PLAIN;
        return cp == 0xFE52 ? MID_LETTER_NUM : cp == 0xFE50 || cp == 0xFE54 ? MID_NUM : OTHER;
    }
    switch (cp) {
    case 0x2027:
        return MID_LETTER;
    case 0x2018:
    case 0x2019:
        return MID_LETTER_NUM;
    case 0x2013:
    case 0x2014:
    case 0x201C:
    case 0x201D:
    case 0x2026:
        return OTHER;
    default:
        return (cp >= 0x3000 && cp <= 0x3004) || (cp >= 0x3008 && cp <= 0x3020) ||
                       (cp >= 0x2500 && cp <= 0x25FF)
                   ? OTHER
                   : NOT_PLAIN;
    }
}

/* The class of a two-byte character: the no-break space, the middle dot,
 * and Bopomofo's tones (three modifier letters, and the light tone ˙). */
static enum word_class narrow_class(uint32_t cp)
{
    switch (cp) {
    case 0x00A0:
    case 0x02D9:
        return OTHER;
    case 0x00B7:
        return MID_LETTER;
    case 0x02C7:
    case 0x02CA:
    case 0x02CB:
        return LETTER;
    default:
        return NOT_PLAIN;
    }
}

/* The class of the character at s[0] of valid UTF-8, and its length. */
static inline enum word_class class_of(const unsigned char *s, size_t *len)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *len = 1;
        return ascii_class(c);
    }
    if (c < 0xE0) {
        *len = 2;
        return narrow_class((uint32_t)(c & 0x1F) << 6 | (uint32_t)(s[1] & 0x3F));
    }
    if (c >= 0xF0) {
        *len = 4;
        return NOT_PLAIN;
    }
    *len = 3;
    return wide_class((uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 |
                      (uint32_t)(s[2] & 0x3F));
}

int sou_plain_never_word(uint32_t cp)
{
    enum word_class k = cp < 0x80      ? ascii_class((unsigned char)cp)
                        : cp < 0x800   ? narrow_class(cp)
                        : cp < 0x10000 ? wide_class(cp)
                                       : NOT_PLAIN;
    return k != NOT_PLAIN && k != LETTER && k != DIGIT;
}

int sou_plain_text(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0, len; i < n; i += len)
        if (class_of(u + i, &len) == NOT_PLAIN || len > n - i)
            return 0;
    return 1;
}

/* Whether mid, between last and next, joins them into one word. */
static int joins(enum word_class last, enum word_class mid, enum word_class next)
{
    if (last != next)
        return 0;
    if (mid == MID_LETTER_NUM)
        return last == LETTER || last == DIGIT;
    if (mid == MID_LETTER)
        return last == LETTER;
    return mid == MID_NUM && last == DIGIT;
}

size_t sou_plain_next_word(const char *s, size_t from, size_t to, size_t *start, int *flags)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = from, n = 0;
    enum word_class last = OTHER;
    while (i < to && (last = class_of(u + i, &n)) != LETTER && last != DIGIT)
        i += n;
    *start = i;
    if (i == to)
        return to;
    for (i += n; i < to; i += n) {
        enum word_class k = class_of(u + i, &n), next;
        size_t next_len = 0;
        if (k == LETTER || k == DIGIT) {
            last = k;
            continue;
        }
        if (i + n >= to || !joins(last, k, next = class_of(u + i + n, &next_len)))
            break;
        i += n; /* the character after mid, of last's class */
        n = next_len;
    }
    *flags = last == LETTER ? SOU_TOK_LETTER : SOU_TOK_NUMBER;
    return i;
}
