/*
 * plain_words.c - ICU's word rules (UAX #29 as ICU 72 tailors it) over
 * plain text. There only these matter: letters and digits join (WB5,
 * WB8-10); '.', '\'' and U+2018/U+2019 join two letters (WB6-7) or two
 * digits (WB11-12), ',' and ';' two digits; every other character stands
 * alone and is not a word (':' is no MidLetter in ICU's tailoring). ICU's
 * status for a word is the one of its last character: "a1" is a number,
 * "1a" letters. The Check test test_analyze_plain_words_match_icu compares
 * these rules with ICU itself, exhaustively over short strings.
 */
#include "sou/analyze.h"
#include "plain_words.h"

enum word_class { OTHER, LETTER, DIGIT, MID_LETTER_NUM, MID_NUM };

/* The class of the character at s[0] of plain text, and its length. */
static enum word_class class_of(const unsigned char *s, size_t *len)
{
    unsigned char c = s[0];
    *len = 1;
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
        return LETTER;
    if (c >= '0' && c <= '9')
        return DIGIT;
    if (c == '.' || c == '\'')
        return MID_LETTER_NUM;
    if (c == ',' || c == ';')
        return MID_NUM;
    if (c < 0x80)
        return OTHER;
    if (c == 0xC2) { /* U+00A0 */
        *len = 2;
        return OTHER;
    }
    *len = 3; /* U+20xx */
    return s[2] == 0x98 || s[2] == 0x99 ? MID_LETTER_NUM : OTHER;
}

int sou_plain_text(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = u[i];
        if (c < 0x80) {
            if (c == '_' || c == '@')
                return 0;
        } else if (c == 0xC2 && i + 1 < n && u[i + 1] == 0xA0) {
            i++;
        } else if (c == 0xE2 && i + 2 < n && u[i + 1] == 0x80 &&
                   (u[i + 2] == 0x93 || u[i + 2] == 0x94 || u[i + 2] == 0x98 || u[i + 2] == 0x99 ||
                    u[i + 2] == 0x9C || u[i + 2] == 0x9D || u[i + 2] == 0xA6)) {
            i += 2;
        } else {
            return 0;
        }
    }
    return 1;
}

/* Whether mid, between last and next, joins them into one word. */
static int joins(enum word_class last, enum word_class mid, enum word_class next)
{
    if (last != next)
        return 0;
    if (mid == MID_LETTER_NUM)
        return last == LETTER || last == DIGIT;
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
