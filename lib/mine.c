/*
 * mine.c - acronym mining (include/sou/mine.h): finds "name (ACR)"
 * definitions in running text.
 *
 * One pass over the text looks for opening parentheses. For each, the
 * contents up to the matching close are parsed as "ACR" or "English Long
 * Form, ACR"; anything else is not a definition. Then the name before the
 * parenthesis is found by the first of these that applies to the character
 * just before it (spaces skipped):
 *
 *   a closing 」》』〉   the quoted text back to its opening mark
 *   a CJK ideograph      an unquoted run of ideographs (unquoted_name)
 *   an ASCII letter      an English long form (schwartz_hearst), only when
 *                        the parenthesis holds the acronym alone
 *
 * Every look-back and look-ahead is bounded by the constants below, and a
 * look-ahead stops at the next opening parenthesis, so the run is linear in
 * the text length. Nothing is allocated: the names point into the text.
 */
#include <stdint.h>
#include <string.h>

#include "internal.h"
#include "utf8.h"
#include "sou/mine.h"
#include "sou/normalize.h"

#define PAREN_MAX   256 /* bytes inside a parenthesis, long English forms included */
#define QUOTED_MAX  48  /* code points inside 「」 */
#define RUN_SCAN    24  /* code points scanned back for an unquoted name */
#define RUN_MAX     16  /* longest unquoted name kept, in code points */
#define ENGLISH_MAX 256 /* bytes scanned back for an English long form */
#define ACR_MAX     10  /* letters and digits of an acronym, before any number */
#define ACR_NUM_MAX 4   /* digits of the number after it ("TELMIN 12") */

/* A span of the text: [b, e). */
struct span {
    size_t b, e;
};

/* ---- Code points ------------------------------------------------------------
 * The text is valid UTF-8 by the time these run, so they do not re-check. */

static uint32_t cp_at(const unsigned char *s, size_t i, size_t *n)
{
    unsigned char c = s[i];
    if (c < 0x80) {
        *n = 1;
        return c;
    }
    if (c < 0xE0) {
        *n = 2;
        return (uint32_t)(c & 0x1F) << 6 | (s[i + 1] & 0x3F);
    }
    if (c < 0xF0) {
        *n = 3;
        return (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
    }
    *n = 4;
    return (uint32_t)(c & 0x07) << 18 | (uint32_t)(s[i + 1] & 0x3F) << 12 |
           (uint32_t)(s[i + 2] & 0x3F) << 6 | (s[i + 3] & 0x3F);
}

/* The start of the code point that ends at i (i > 0). */
static size_t cp_before(const unsigned char *s, size_t i)
{
    do
        i--;
    while (i > 0 && (s[i] & 0xC0) == 0x80);
    return i;
}

/* Full-width Latin letters and digits (ＣＴＩ, １２) as their ASCII forms. */
static uint32_t ascii_form(uint32_t cp)
{
    if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
        (cp >= 0xFF41 && cp <= 0xFF5A))
        return cp - 0xFF00 + 0x20;
    return cp;
}

static int is_upper(uint32_t cp)
{
    cp = ascii_form(cp);
    return cp >= 'A' && cp <= 'Z';
}

static int is_digit(uint32_t cp)
{
    cp = ascii_form(cp);
    return cp >= '0' && cp <= '9';
}

static int is_letter(uint32_t cp)
{
    cp = ascii_form(cp);
    return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
}

static int is_alnum(uint32_t cp)
{
    return is_letter(cp) || is_digit(cp);
}

/* CJK unified ideographs (with extensions A-G and compatibility forms) and
 * 〇; CJK punctuation is not one. */
static int is_ideograph(uint32_t cp)
{
    return sou_is_han((int)cp) || cp == 0x3007;
}

static int is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x3000;
}

static int is_open_paren(uint32_t cp)
{
    return cp == '(' || cp == 0xFF08;
}

static int is_close_paren(uint32_t cp)
{
    return cp == ')' || cp == 0xFF09;
}

/* The opening mark for a closing 」》』〉, or 0. */
static uint32_t quote_opener(uint32_t cp)
{
    switch (cp) {
    case 0x300D: /* 」 */
    case 0x300B: /* 》 */
    case 0x300F: /* 』 */
    case 0x3009: /* 〉 */
        return cp - 1;
    }
    return 0;
}

/* Narrows sp to drop leading and trailing spaces. */
static struct span trim(const unsigned char *s, struct span sp)
{
    size_t n;
    while (sp.b < sp.e && is_space(cp_at(s, sp.b, &n)))
        sp.b += n;
    while (sp.e > sp.b) {
        size_t p = cp_before(s, sp.e);
        if (!is_space(cp_at(s, p, &n)))
            break;
        sp.e = p;
    }
    return sp;
}

/* ---- The parenthesis ------------------------------------------------------ */

/* Whether sp is exactly an acronym: 2-ACR_MAX upper-case letters and digits
 * starting with a letter, at least two letters, then optionally one space
 * and 1-ACR_NUM_MAX digits. */
static int is_acronym(const unsigned char *s, struct span sp)
{
    size_t i = sp.b, n, chars = 0, letters = 0;
    while (i < sp.e) {
        uint32_t cp = cp_at(s, i, &n);
        if (is_upper(cp))
            letters++;
        else if (!is_digit(cp) || chars == 0)
            break;
        chars++;
        i += n;
    }
    if (chars < 2 || chars > ACR_MAX || letters < 2)
        return 0;
    if (i == sp.e)
        return 1;
    if (s[i] != ' ')
        return 0;
    size_t digits = 0;
    for (i++; i < sp.e; i += n) {
        if (!is_digit(cp_at(s, i, &n)))
            return 0;
        digits++;
    }
    return digits >= 1 && digits <= ACR_NUM_MAX;
}

/* Whether sp looks like an English name: letters, digits, spaces and
 * '-&,./ (or ’) only, starting with a letter or digit, at least half
 * letters, and some lower case, which rules out a list of acronyms. */
static int looks_english(const unsigned char *s, struct span sp)
{
    size_t chars = 0, letters = 0, lower = 0, n;
    for (size_t i = sp.b; i < sp.e; i += n) {
        uint32_t cp = cp_at(s, i, &n);
        int ascii = cp > 0 && cp < 0x80;
        if (ascii ? !is_letter(cp) && !strchr(" 0123456789'-&,./", (int)cp) : cp != 0x2019)
            return 0;
        if (chars == 0 && !(ascii && is_alnum(cp)))
            return 0;
        if (ascii && is_letter(cp)) {
            letters++;
            lower += cp >= 'a';
        }
        chars++;
    }
    return chars > 0 && letters * 2 >= chars && lower > 0;
}

/* Parses the contents of a parenthesis as "ACR" or "English, ACR" (the last
 * ASCII or full-width comma splits). Returns 1 and sets *acr, and *en to
 * the English name or an empty span; 0 if it is not a definition. */
static int parse_contents(const unsigned char *s, struct span in, struct span *acr, struct span *en)
{
    size_t comma = SIZE_MAX, n;
    for (size_t i = in.b; i < in.e; i += n) {
        uint32_t cp = cp_at(s, i, &n);
        if (cp == ',' || cp == 0xFF0C)
            comma = i;
    }
    *en = (struct span){0, 0};
    if (comma == SIZE_MAX) {
        *acr = trim(s, in);
    } else {
        *acr = trim(s, (struct span){comma + sou_utf8_seqlen(s[comma]), in.e});
        *en = trim(s, (struct span){in.b, comma});
        if (!looks_english(s, *en))
            return 0;
    }
    return is_acronym(s, *acr);
}

/* ---- The name before it ---------------------------------------------------- */

/* The text inside a quote closed by the mark at close (code point cp):
 * back to its opening mark, at most QUOTED_MAX code points, no line break
 * or other quote mark inside, and some ideograph. */
static int quoted_name(const unsigned char *s, size_t close, uint32_t cp, struct span *zh)
{
    uint32_t open = quote_opener(cp);
    size_t i = close, n;
    int ideographs = 0;
    for (int k = 0; k <= QUOTED_MAX && i > 0; k++) {
        size_t p = cp_before(s, i);
        uint32_t c = cp_at(s, p, &n);
        if (c == open) {
            struct span name = trim(s, (struct span){i, close});
            if (!ideographs || name.b == name.e)
                return 0;
            *zh = name;
            return 1;
        }
        if (c == '\n' || c == '\r' || quote_opener(c) || quote_opener(c + 1))
            return 0;
        ideographs |= is_ideograph(c);
        i = p;
    }
    return 0;
}

/* Words that precede names without being part of them, for names that
 * are not quoted:
 *   - CUTS end the name wherever they are: scanning back from the
 *     parenthesis, the name starts after the nearest one. They are the
 *     verbs and conjunctions that introduce meetings and bodies in news
 *     text (舉行, 召開, ...; two characters, so a name rarely contains one),
 *     the attributive 的 and the copulas 是 and 為 ("在蘇州的貿易部長會議",
 *     "議題為經濟與技術合作"), which names almost never contain.
 *   - PARTICLES are dropped only from the start of the name: inside a name
 *     they are common (數位與AI部長會議, 增進及強化...).
 * Either is trimmed only when a non-empty name remains. Kept short on
 * purpose: a longer list cuts more real names than it saves. */
static const char *const CUTS[] = {"舉行", "召開", "推動", "包括", "配合",
                                   "運用", "以及", "的",   "是",   "為"};
static const char *const PARTICLES[] = {"在", "於", "及", "與", "和", "並", "由", "之"};

/* How many bytes of s[i..end) a word of the list starts with, or 0. */
static size_t starts_with(const unsigned char *s, size_t i, size_t end, const char *const *words,
                          size_t nwords)
{
    for (size_t w = 0; w < nwords; w++) {
        size_t len = strlen(words[w]);
        if (end - i >= len && memcmp(s + i, words[w], len) == 0)
            return len;
    }
    return 0;
}

/* Whether s[..i) ends with a word of the list. */
static int ends_with(const unsigned char *s, size_t i, const char *const *words, size_t nwords)
{
    for (size_t w = 0; w < nwords; w++) {
        size_t len = strlen(words[w]);
        if (i >= len && memcmp(s + i - len, words[w], len) == 0)
            return 1;
    }
    return 0;
}

/* The unquoted Chinese name ending at end: the run of ideographs and
 * embedded Latin letters and digits (AI in 數位與AI部長會議) back to a
 * delimiter (any other character: punctuation, spaces, the start) or a CUT
 * word, stripped of leading PARTICLES. Skipped, as precision matters more
 * than recall: a run that reaches a bare number (a date or an ordinal:
 * "2月10日舉辦", "第14屆") before a delimiter, one longer than RUN_SCAN,
 * and a name shorter than two or longer than RUN_MAX code points. */
static int unquoted_name(const unsigned char *s, size_t end, struct span *zh)
{
    size_t b = end, n;
    for (int k = 0; b > 0; k++) {
        if (k > RUN_SCAN)
            return 0;
        if (b < end && ends_with(s, b, CUTS, sizeof CUTS / sizeof CUTS[0]))
            break;
        size_t p = cp_before(s, b);
        uint32_t cp = cp_at(s, p, &n);
        if (is_ideograph(cp)) {
            b = p;
            continue;
        }
        if (!is_alnum(cp))
            break;
        /* A Latin token: part of the name if it has a letter. */
        int letter = 0;
        for (; b > 0; k++) {
            if (k > RUN_SCAN)
                return 0;
            p = cp_before(s, b);
            cp = cp_at(s, p, &n);
            if (!is_alnum(cp))
                break;
            letter |= is_letter(cp);
            b = p;
        }
        if (!letter)
            return 0;
    }
    for (;;) {
        n = starts_with(s, b, end, PARTICLES, sizeof PARTICLES / sizeof PARTICLES[0]);
        if (n == 0 || b + n >= end)
            break;
        b += n;
    }
    size_t chars = 0;
    for (size_t i = b; i < end; i += sou_utf8_seqlen(s[i]))
        chars++;
    if (chars < 2 || chars > RUN_MAX)
        return 0;
    *zh = (struct span){b, end};
    return 1;
}

static int ascii_alnum(unsigned char c)
{
    return c < 0x80 && is_alnum(c);
}

/* Whether an English word starts at s[i]: a letter or digit after anything
 * but a letter, a digit or an apostrophe (so not the s of APEC's). */
static int word_start(const unsigned char *s, size_t i)
{
    return ascii_alnum(s[i]) && (i == 0 || (!ascii_alnum(s[i - 1]) && s[i - 1] != '\''));
}

/* The acronym's letters (lower case) and digits, ASCII: na of them. */
struct acr_chars {
    char c[ACR_MAX + ACR_NUM_MAX + 1];
    size_t n;
};

/* The first pass: each letter of the acronym is the initial of a word and
 * each group of digits a whole word, matched right to left, words between
 * them skipped (Committee *on* Trade *and* Investment). On success *first is
 * the start of the word matched to the first letter and *last the start of
 * the word matched to the last character. */
static int match_initials(const unsigned char *s, size_t b, size_t end, const struct acr_chars *a,
                          size_t *first, size_t *last)
{
    size_t li = end, ai = a->n;
    while (ai > 0) {
        /* The unit: one letter, or the run of digits ending at ai. */
        size_t u = ai - 1;
        if (a->c[u] >= '0' && a->c[u] <= '9')
            while (u > 0 && a->c[u - 1] >= '0' && a->c[u - 1] <= '9')
                u--;
        int digits = a->c[u] >= '0' && a->c[u] <= '9';
        for (;;) {
            if (li == b)
                return 0;
            li--;
            if (!word_start(s, li) || (s[li] | 0x20) != a->c[u])
                continue;
            if (!digits)
                break;
            size_t w = ai - u;
            if (end - li >= w && memcmp(s + li, a->c + u, w) == 0 &&
                (li + w == end || !ascii_alnum(s[li + w])))
                break;
        }
        if (ai == a->n)
            *last = li;
        ai = u;
    }
    *first = li;
    return 1;
}

/* The second pass, Schwartz & Hearst's: each acronym character anywhere in
 * a word, right to left, the first one at a word start. Their shortest
 * match can take letters from inside words where initials were meant
 * ("and Transparency Experts' Working Group" for ACTWG), so it is kept only
 * when at least half the characters are still initials. */
static int match_anywhere(const unsigned char *s, size_t b, size_t end, const struct acr_chars *a,
                          size_t *first, size_t *last)
{
    size_t li = end, initials = 0;
    for (size_t ai = a->n; ai-- > 0;) {
        for (;;) {
            if (li == b)
                return 0;
            li--;
            if ((s[li] | 0x20) == a->c[ai] && ascii_alnum(s[li]) && (ai > 0 || word_start(s, li)))
                break;
        }
        if (ai == a->n - 1)
            *last = li;
        initials += word_start(s, li);
    }
    *first = li;
    return 2 * initials >= a->n;
}

/* The English long form ending at end for the acronym acr, after Schwartz &
 * Hearst (2003): within the last min(|A|+5, 2|A|) words before the
 * parenthesis, the shortest span whose words' letters contain the
 * acronym's letters and digits in order, its first letter the first letter
 * of the span's first word. Words are ASCII and stop at sentence
 * punctuation, parentheses or any non-ASCII character. Initials are tried
 * before letters inside words (match_initials, then match_anywhere), and
 * words after the one holding the last match are left out ("Health Working
 * Group meeting (HWG)" gives Health Working Group). */
static int schwartz_hearst(const unsigned char *s, size_t end, struct span acr, struct span *en)
{
    struct acr_chars a = {.n = 0};
    size_t n;
    for (size_t i = acr.b; i < acr.e; i += n) {
        uint32_t cp = ascii_form(cp_at(s, i, &n));
        if (is_alnum(cp))
            a.c[a.n++] = (char)(cp | 0x20); /* lower case; digits are unchanged */
    }
    size_t max_words = a.n + 5 < 2 * a.n ? a.n + 5 : 2 * a.n;

    /* The candidate: back over at most max_words words. */
    size_t b = end, words = 0;
    while (b > 0 && end - b < ENGLISH_MAX) {
        unsigned char c = s[b - 1];
        if (c >= 0x80 || c < 0x20 || strchr(".;:!?()[]{}\"<>", c))
            break;
        if (c != ' ' && (b == end || s[b] == ' ') && ++words > max_words)
            break;
        b--;
    }

    size_t first = end, last = end;
    if (!match_initials(s, b, end, &a, &first, &last) &&
        !match_anywhere(s, b, end, &a, &first, &last))
        return 0;
    while (last < end && s[last] != ' ')
        last++;
    while (last > first && (s[last - 1] == ' ' || s[last - 1] == ','))
        last--;

    /* Not a long form if it is no longer than the acronym or contains it. */
    size_t alen = acr.e - acr.b;
    if (last - first <= alen)
        return 0;
    for (size_t i = first; i + alen <= last; i++)
        if (memcmp(s + i, s + acr.b, alen) == 0 && (i == first || !ascii_alnum(s[i - 1])) &&
            (i + alen == last || !ascii_alnum(s[i + alen])))
            return 0;
    *en = (struct span){first, last};
    return 1;
}

/* ---- The run ----------------------------------------------------------------- */

/* Tries the parenthesis opening at open (olen bytes). Returns the
 * callback's value, or 0 if there is no definition. */
static int try_paren(const unsigned char *s, size_t len, size_t open, size_t olen, sou_mine_cb cb,
                     void *ctx)
{
    size_t close = open + olen, n;
    for (;; close += n) {
        if (close >= len || close - open - olen > PAREN_MAX)
            return 0;
        uint32_t cp = cp_at(s, close, &n);
        if (is_close_paren(cp))
            break;
        if (is_open_paren(cp) || cp == '\n' || cp == '\r')
            return 0;
    }
    struct span acr, en, zh = {0, 0};
    if (!parse_contents(s, (struct span){open + olen, close}, &acr, &en))
        return 0;

    size_t end = open;
    uint32_t prev = 0;
    while (end > 0) {
        size_t p = cp_before(s, end);
        prev = cp_at(s, p, &n);
        if (prev != ' ' && prev != '\t')
            break;
        end = p;
    }
    if (end > 0) {
        size_t p = cp_before(s, end);
        if (quote_opener(prev))
            quoted_name(s, p, prev, &zh);
        else if (is_ideograph(prev))
            unquoted_name(s, end, &zh);
        else if (prev < 0x80 && is_letter(prev) && en.b == en.e)
            schwartz_hearst(s, end, acr, &en);
    }
    if (zh.b == zh.e && en.b == en.e)
        return 0;
    const char *t = (const char *)s;
    return cb(ctx, t + acr.b, acr.e - acr.b, zh.b < zh.e ? t + zh.b : NULL, zh.e - zh.b,
              en.b < en.e ? t + en.b : NULL, en.e - en.b, acr.b);
}

SOU_API int sou_mine_acronyms(const char *text, size_t len, sou_mine_cb cb, void *ctx,
                              sou_error *err)
{
    sou_error_clear(err);
    if (!cb || (!text && len > 0))
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "sou_mine_acronyms: NULL argument");
    size_t bad;
    if (!sou_utf8_valid(text, len, &bad))
        return sou_error_set(err, SOU_ERR_UTF8, "invalid UTF-8 at byte %zu", bad);
    const unsigned char *s = (const unsigned char *)text;
    /* Only '(' and the lead byte of '（' (EF BC 88) can start a parenthesis.
     * paren is the next '(' at or after i, found again only once passed,
     * so each memchr covers each byte once. */
    size_t i = 0, n, paren = SIZE_MAX;
    while (i < len) {
        if (paren == SIZE_MAX || paren < i) {
            const unsigned char *p = memchr(s + i, '(', len - i);
            paren = p ? (size_t)(p - s) : len;
        }
        const unsigned char *fw = memchr(s + i, 0xEF, paren - i);
        size_t at = fw ? (size_t)(fw - s) : paren;
        if (at >= len)
            break;
        uint32_t cp = cp_at(s, at, &n);
        if (is_open_paren(cp)) {
            int rc = try_paren(s, len, at, n, cb, ctx);
            if (rc != 0) {
                if (err && err->code == SOU_OK)
                    sou_error_set(err, SOU_ERR_CALLBACK, "acronym callback stopped the mining");
                return rc;
            }
        }
        i = at + n;
    }
    return SOU_OK;
}
