/*
 * snippet.c - picks the passage of a document to show under a result and
 * the spans to highlight in it. See include/sou/snippet.h for the contract.
 *
 * Matches come from sou_analyze(), so a word is highlighted exactly when the
 * search matched it, at the analyzer's byte offsets. Lengths are measured in
 * "columns": code points of the text as it will be shown, where a run of
 * whitespace counts once (it becomes one space). Every step is one forward
 * pass over the text or over the matches, so a 1 MB document costs little
 * more than its analysis.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "sou/normalize.h"
#include "sou/snippet.h"
#include "internal.h"
#include "utf8.h"

/* One matched word: its bytes in the text, its columns (filled after the
 * analysis) and which query term it counts as. */
struct match {
    size_t start, end;
    size_t col_start, col_end;
    size_t term; /* index into words, or nwords + index into stems */
    uint32_t pos;
};

/* The last words seen, for phrases: a ring of RECENT entries. */
#define RECENT 16

struct recent {
    char term[SOU_WORD_MAX + 1];
    size_t len;
    size_t start, end;
    uint32_t pos;
    int matched; /* already a match */
};

/* The analysis callback's state. */
struct collect {
    const sou_match_terms *mt;
    size_t base;        /* offset of the analyzed piece in the text */
    const size_t *lens; /* word lengths, then stem lengths, then phrase lengths */
    struct match *m;
    size_t n, cap;
    int nomem;
    int tokens; /* whether the analysis can find what light_han cannot */
    struct recent recent[RECENT];
    size_t nrecent; /* entries filled, at most RECENT */
    size_t head;    /* index of the newest entry */
};

/* A position in the text with its column. in_ws says whether the previous
 * code point was whitespace, so the next whitespace joins its run. */
struct cursor {
    size_t byte;
    size_t col;
    int in_ws;
};

/* Byte length of the whitespace character at s[0..n), or 0 if there is none:
 * ASCII whitespace, NEL, LINE/PARAGRAPH SEPARATOR and IDEOGRAPHIC SPACE. */
static inline size_t ws_len(const unsigned char *s, size_t n)
{
    if (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r'))
        return 1;
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0x85)
        return 2;
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0xA8 || s[2] == 0xA9))
        return 3;
    if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
        return 3;
    return 0;
}

/* Length of the code point at s[p], never past len. */
static inline size_t cp_len(const char *s, size_t len, size_t p)
{
    size_t n = sou_utf8_seqlen((unsigned char)s[p]);
    return n < len - p ? n : len - p;
}

/* Moves c over one code point. */
static inline void cursor_step(const char *s, size_t len, struct cursor *c)
{
    size_t w = ws_len((const unsigned char *)s + c->byte, len - c->byte);
    if (w) {
        if (!c->in_ws)
            c->col++;
        c->in_ws = 1;
        c->byte += w;
    } else {
        c->col++;
        c->in_ws = 0;
        c->byte += cp_len(s, len, c->byte);
    }
}

/* Moves c to the code point where column col begins (or to len). */
static void cursor_seek_col(const char *s, size_t len, struct cursor *c, size_t col)
{
    while (c->byte < len) {
        int starts = !c->in_ws || !ws_len((const unsigned char *)s + c->byte, len - c->byte);
        if (starts && c->col == col)
            return;
        cursor_step(s, len, c);
    }
}

static int find_term(const char *const *list, const size_t *lens, size_t n, const char *term,
                     size_t len, size_t *idx)
{
    for (size_t i = 0; i < n; i++) {
        if (lens[i] == len && memcmp(list[i], term, len) == 0) {
            *idx = i;
            return 1;
        }
    }
    return 0;
}

static int push_match(struct collect *c, size_t start, size_t end, size_t term, uint32_t pos)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        struct match *m = cap > SIZE_MAX / sizeof *m ? NULL : realloc(c->m, cap * sizeof *m);
        if (!m) {
            c->nomem = 1;
            return 1;
        }
        c->m = m;
        c->cap = cap;
    }
    c->m[c->n++] = (struct match){.start = start, .end = end, .term = term, .pos = pos};
    return 0;
}

/* The match of the word at start among the last few, or NULL. */
static struct match *recent_match(struct collect *c, size_t start)
{
    for (size_t k = c->n, seen = 0; k > 0 && seen < 2 * RECENT; k--, seen++)
        if (c->m[k - 1].start == start)
            return &c->m[k - 1];
    return NULL;
}

/* Number of words of phrase ph[0..len) if the newest recent words spell
 * it, else 0. */
static size_t phrase_ends_here(const struct collect *c, const char *ph, size_t len)
{
    size_t k = 1;
    for (size_t i = 0; i < len; i++)
        k += ph[i] == ' ';
    if (k > c->nrecent)
        return 0;
    const char *w = ph;
    for (size_t j = 0; j < k; j++) {
        const struct recent *r = &c->recent[(c->head + RECENT - (k - 1) + j) % RECENT];
        const char *sp = memchr(w, ' ', (size_t)(ph + len - w));
        size_t wl = sp ? (size_t)(sp - w) : (size_t)(ph + len - w);
        if (wl != r->len || memcmp(w, r->term, wl) != 0)
            return 0;
        w += wl + 1;
    }
    return k;
}

/* Remembers a word, and marks the words of every phrase it completes. */
static int note_recent(struct collect *c, const char *term, size_t term_len, size_t start,
                       size_t end, uint32_t pos, int matched)
{
    const sou_match_terms *mt = c->mt;
    c->head = (c->head + 1) % RECENT;
    if (c->nrecent < RECENT)
        c->nrecent++;
    struct recent *r = &c->recent[c->head];
    memcpy(r->term, term, term_len);
    r->len = term_len;
    r->start = start;
    r->end = end;
    r->pos = pos;
    r->matched = matched;
    for (size_t p = 0; p < mt->nphrases; p++) {
        size_t k = phrase_ends_here(c, mt->phrases[p], c->lens[mt->nwords + mt->nstems + p]);
        for (size_t j = 0; j < k; j++) {
            struct recent *e = &c->recent[(c->head + RECENT - (k - 1) + j) % RECENT];
            if (!e->matched &&
                push_match(c, e->start, e->end, mt->nwords + mt->nstems + p, e->pos) != 0)
                return 1;
            e->matched = 1;
        }
    }
    return 0;
}

/* A word matches through its term, its stem or a phrase, but counts once:
 * the stem token follows its word at the same position and then only
 * relabels the match, so "Meeting" and "meetings" count as one term when
 * both stem to a query stem. */
static int on_token(void *ctx, int flags, const char *term, size_t term_len, size_t start,
                    size_t end, uint32_t pos)
{
    struct collect *c = ctx;
    const sou_match_terms *mt = c->mt;
    size_t idx = 0;
    start += c->base;
    end += c->base;
    if (term_len == 0) {
        c->nrecent = 0; /* a word too long to index breaks every phrase */
        return 0;
    }
    if (!(flags & SOU_TOK_STEM)) {
        int found = find_term(mt->words, c->lens, mt->nwords, term, term_len, &idx);
        if (found && push_match(c, start, end, idx, pos) != 0)
            return 1;
        return note_recent(c, term, term_len, start, end, pos, found);
    }
    if (!find_term(mt->stems, c->lens + mt->nwords, mt->nstems, term, term_len, &idx))
        return 0;
    struct match *m = recent_match(c, start);
    if (m) {
        m->term = mt->nwords + idx;
        return 0;
    }
    c->recent[c->head].matched = 1;
    return push_match(c, start, end, mt->nwords + idx, pos);
}

/* ---- Where to look ------------------------------------------------------------ */

#define MAX_CANDIDATES 32

static int ascii_only(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* A place where query term `term` appears as written. */
struct cand {
    size_t at;
    size_t term;
};

/* The first place at or after from where needle[0..n) starts in text,
 * ASCII letters in any case (needle is normalized: lower case), or len. */
static size_t find_next(const char *text, size_t len, size_t from, const char *needle, size_t n)
{
    unsigned char first = (unsigned char)needle[0];
    int upper = first >= 'a' && first <= 'z' ? first - 32 : -1;
    while (from + n <= len) {
        const char *p = memchr(text + from, first, len - from);
        if (upper >= 0) {
            const char *q = memchr(text + from, upper, (p ? (size_t)(p - text) : len) - from);
            if (q)
                p = q;
        }
        if (!p)
            break;
        size_t i = (size_t)(p - text), k = 1;
        if (i + n > len)
            break;
        while (k < n && lower((unsigned char)text[i + k]) == (unsigned char)needle[k])
            k++;
        if (k == n)
            return i;
        from = i + 1;
    }
    return len;
}

/* Adds the places where needle[0..n) starts in text, up to the room left
 * in c[]. */
static void find_all(const char *text, size_t len, const char *needle, size_t n, size_t term,
                     struct cand *c, size_t *nc, size_t max)
{
    if (n == 0 || n > len)
        return;
    for (size_t i = find_next(text, len, 0, needle, n); i < len && *nc < max;
         i = find_next(text, len, i + 1, needle, n))
        c[(*nc)++] = (struct cand){i, term};
}

static int by_offset(const void *pa, const void *pb)
{
    const struct cand *a = pa, *b = pb;
    return (a->at > b->at) - (a->at < b->at);
}

/* Where query terms appear as written: each word (in Simplified, and in
 * its Traditional form), each stem, each phrase's first word. Terms are
 * normalized, so text written otherwise (full-width letters) is not found
 * here; the caller then analyzes the whole text. Returns the count. */
static size_t find_candidates(const char *text, size_t len, const sou_match_terms *mt,
                              struct cand *c)
{
    size_t n = 0;
    char trad[SOU_WORD_MAX + 1];
    for (size_t i = 0; i < mt->nwords + mt->nstems + mt->nphrases; i++) {
        const char *t = i < mt->nwords                ? mt->words[i]
                        : i < mt->nwords + mt->nstems ? mt->stems[i - mt->nwords]
                                                      : mt->phrases[i - mt->nwords - mt->nstems];
        size_t tl = strcspn(t, " ");
        find_all(text, len, t, tl, i, c, &n, MAX_CANDIDATES);
        if (tl <= SOU_WORD_MAX && sou_traditional_form(t, tl, trad))
            find_all(text, len, trad, tl, i, c, &n, MAX_CANDIDATES);
    }
    qsort(c, n, sizeof *c, by_offset);
    return n;
}

/* The run of candidates c[*first..*last] within width bytes with the most
 * distinct typed terms, then distinct terms, then candidates. */
static void best_cluster(const struct cand *c, size_t n, size_t width, const unsigned char *typed,
                         size_t nterms, size_t *first, size_t *last)
{
    size_t best[3] = {0, 0, 0};
    *first = *last = 0;
    for (size_t i = 0; i < n; i++) {
        size_t score[3] = {0, 0, 0};
        for (size_t j = i; j < n && c[j].at - c[i].at <= width; j++) {
            int seen = 0;
            for (size_t k = i; k < j && !seen; k++)
                seen = c[k].term == c[j].term;
            if (!seen) {
                score[0] += c[j].term < nterms && typed[c[j].term];
                score[1]++;
            }
            score[2]++;
            if (score[0] != best[0]   ? score[0] > best[0]
                : score[1] != best[1] ? score[1] > best[1]
                                      : score[2] > best[2]) {
                memcpy(best, score, sizeof best);
                *first = i;
                *last = j;
            }
        }
    }
}

/* Whether s[0..n) is Chinese words (Han, or spaces between words). */
static int han_words(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' && i > 0) {
            i++;
            continue;
        }
        if (c < 0xE3)
            return 0;
        i += sou_utf8_seqlen(c);
    }
    return n > 0;
}

/* Lights the Chinese words and phrases of mt where they are written in
 * text[s, e), in either script: the cut of the text is not needed, since
 * a query word of one or two characters matches inside longer words too,
 * and finding them as written spares the snippet the lexicon pass. */
static void light_han(const char *text, size_t s, size_t e, const sou_match_terms *mt,
                      struct collect *col)
{
    char joined[SOU_WORD_MAX * 4 + 1], trad[sizeof joined];
    struct cand c[MAX_CANDIDATES];
    for (size_t i = 0; i < mt->nwords + mt->nphrases; i++) {
        int phrase = i >= mt->nwords;
        size_t term = phrase ? i + mt->nstems : i;
        const char *t = phrase ? mt->phrases[i - mt->nwords] : mt->words[i];
        size_t tl = 0;
        for (; *t && tl < sizeof joined - 1; t++)
            if (*t != ' ')
                joined[tl++] = *t;
        if (!han_words(joined, tl))
            continue;
        size_t n = 0;
        find_all(text + s, e - s, joined, tl, term, c, &n, MAX_CANDIDATES);
        if (sou_traditional_form(joined, tl, trad))
            find_all(text + s, e - s, trad, tl, term, c, &n, MAX_CANDIDATES);
        for (size_t k = 0; k < n && !col->nomem; k++)
            push_match(col, s + c[k].at, s + c[k].at + tl, c[k].term, 0);
    }
}

/* Whether a phrase mixes Chinese and other words: only tokens find it. */
static int mixed_phrase(const sou_match_terms *mt)
{
    for (size_t i = 0; i < mt->nphrases; i++) {
        const char *p = mt->phrases[i];
        size_t n = strlen(p);
        if (!han_words(p, n) && !ascii_only(p, n))
            return 1;
    }
    return 0;
}

/* Whether s[0..n) is Han alone (sou_is_han), and spaces between words. */
static int only_han(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        int c = 0;
        i += sou_utf8_decode((const unsigned char *)s + i, n - i, &c);
        if (!sou_is_han(c) && !(c == ' ' && i > 1))
            return 0;
    }
    return n > 0;
}

/* Whether the analysis can find a match light_han does not: it reports no
 * word holding Han where it skips Han, so a query of Chinese words alone
 * (most queries) has nothing for it to find. lens are the terms' lengths,
 * as sou_snippet_make() lays them out. */
static int tokens_needed(const sou_analyzer *a, const sou_match_terms *mt, const size_t *lens)
{
    if (mt->nstems > 0 || !sou_analyzer_skips_han(a))
        return 1;
    for (size_t i = 0; i < mt->nwords; i++)
        if (!only_han(mt->words[i], lens[i]))
            return 1;
    for (size_t i = 0; i < mt->nphrases; i++)
        if (!only_han(mt->phrases[i], lens[mt->nwords + mt->nstems + i]))
            return 1;
    return 0;
}

/* Collects the matches of text[s, e): Chinese as written, the other words
 * through the analysis (which cuts Han too only for a mixed phrase). */
static int collect_range(sou_analyzer *a, const char *text, size_t s, size_t e,
                         const sou_match_terms *mt, struct collect *col, sou_error *err)
{
    if (!col->tokens) {
        /* The analysis would have refused bad text: so must its shortcut. */
        size_t bad = 0;
        if (!sou_utf8_valid(text + s, e - s, &bad))
            return sou_error_set(err, SOU_ERR_UTF8, "invalid UTF-8 at byte %zu", s + bad);
        light_han(text, s, e, mt, col);
        return SOU_OK;
    }
    int mode = mixed_phrase(mt) ? SOU_MODE_DOCUMENT : SOU_MODE_SKIP_HAN;
    col->base = s;
    col->nrecent = 0;
    int rc = sou_analyze(a, mode, text + s, e - s, col, on_token, err);
    col->base = 0;
    if (rc == SOU_OK)
        light_han(text, s, e, mt, col);
    return rc;
}

/* Collects the matches of the text. A text longer than a few passages is
 * analyzed only around the densest cluster of places where query terms
 * appear as written (a passage on each side), which makes a page of
 * results several times cheaper; the whole text when no term is found as
 * written. */
static int collect_matches(sou_analyzer *a, const char *text, size_t len, const sou_match_terms *mt,
                           size_t max_chars, const unsigned char *typed, struct collect *col,
                           sou_error *err)
{
    /* A passage of max_chars columns is at most 3 bytes a column; a text
     * not much longer is analyzed whole. */
    size_t width = 3 * max_chars, first, last;
    struct cand c[MAX_CANDIDATES];
    size_t n = len > 3 * width ? find_candidates(text, len, mt, c) : 0;
    if (n == 0)
        return collect_range(a, text, 0, len, mt, col, err);
    best_cluster(c, n, width, typed, mt->nwords, &first, &last);
    size_t s = c[first].at > width ? c[first].at - width : 0;
    size_t e = c[last].at + width < len ? c[last].at + width : len;
    while (s > 0 && ((unsigned char)text[s] & 0xC0) == 0x80)
        s--;
    while (e < len && ((unsigned char)text[e] & 0xC0) == 0x80)
        e++;
    return collect_range(a, text, s, e, mt, col, err);
}

/* Phrases complete after their first words were seen, so their matches
 * can arrive out of order: sort them by position. */
static int by_start(const void *pa, const void *pb)
{
    const struct match *a = pa, *b = pb;
    return (a->start > b->start) - (a->start < b->start);
}

/* Moves c up to byte target, raising *solid to the column just past each
 * non-whitespace character it crosses. */
static void cursor_advance(const char *s, size_t len, struct cursor *c, size_t target,
                           size_t *solid)
{
    while (c->byte < target && c->byte < len) {
        cursor_step(s, len, c);
        if (!c->in_ws)
            *solid = c->col;
    }
}

/* Fills the matches' columns in one pass and returns the column just past
 * the text's last non-whitespace character. */
static size_t assign_columns(const char *s, size_t len, struct match *m, size_t n)
{
    struct cursor c = {0, 0, 0};
    size_t solid = 0;
    for (size_t k = 0; k < n; k++) {
        cursor_advance(s, len, &c, m[k].start, &solid);
        m[k].col_start = c.col;
        cursor_advance(s, len, &c, m[k].end, &solid);
        m[k].col_end = c.col;
    }
    cursor_advance(s, len, &c, len, &solid);
    return solid;
}

/* The best run of matches m[first..last] that fits in max_chars columns:
 * most distinct typed words, then most distinct terms, then most matches,
 * then earliest. counts has one zeroed slot per query term; typed[t] says
 * whether term t was typed. Returns 0 if no single match fits. */
static int best_window(const struct match *m, size_t n, size_t max_chars, size_t *counts,
                       const unsigned char *typed, size_t *first, size_t *last)
{
    size_t i = 0, distinct = 0, ntyped = 0, best_distinct = 0, best_typed = 0, best_n = 0;
    for (size_t j = 0; j < n; j++) {
        if (counts[m[j].term]++ == 0) {
            distinct++;
            ntyped += typed[m[j].term];
        }
        while (i <= j && m[j].col_end - m[i].col_start > max_chars) {
            if (--counts[m[i].term] == 0) {
                distinct--;
                ntyped -= typed[m[i].term];
            }
            i++;
        }
        size_t nm = j + 1 - i;
        int better = ntyped != best_typed        ? ntyped > best_typed
                     : distinct != best_distinct ? distinct > best_distinct
                                                 : nm > best_n;
        if (nm > 0 && better) {
            best_typed = ntyped;
            best_distinct = distinct;
            best_n = nm;
            *first = i;
            *last = j;
        }
    }
    return best_n > 0;
}

/* The code point ending at byte p (p > 0). */
static int32_t cp_before(const char *s, size_t p)
{
    size_t q = p - 1;
    while (q > 0 && p - q < 4 && ((unsigned char)s[q] & 0xC0) == 0x80)
        q--;
    utf8proc_int32_t cp = -1;
    utf8proc_iterate((const utf8proc_uint8_t *)s + q, (utf8proc_ssize_t)(p - q), &cp);
    return cp;
}

/* The code point at p (p < len). */
static int32_t cp_at(const char *s, size_t len, size_t p)
{
    utf8proc_int32_t cp = -1;
    utf8proc_iterate((const utf8proc_uint8_t *)s + p, (utf8proc_ssize_t)cp_len(s, len, p), &cp);
    return cp;
}

/* A passage reads well from p when p opens a bracket or quote, or follows
 * whitespace, a control character or punctuation other than an opening one
 * (starting just after "(" would leave its ")" unmatched). */
static int good_start(const char *s, size_t len, size_t p)
{
    switch (utf8proc_category(cp_at(s, len, p))) {
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PI:
        return 1;
    default:
        break;
    }
    switch (utf8proc_category(cp_before(s, p))) {
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
        return 1;
    default:
        return 0;
    }
}

static int is_ascii_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Moves the start p of a passage to a better place when that is cheap:
 * from inside an ASCII word back to its start if that costs at most back
 * columns; else forward, never past limit, to a good_start() within budget
 * code points; else out of the ASCII word to the start of the next one.
 * Chinese has no spaces, so a start between two ideographs may stay. */
static size_t adjust_start(const char *s, size_t len, size_t p, size_t limit, size_t budget,
                           size_t back)
{
    if (p == 0)
        return 0;
    int mid_word = p < limit && is_ascii_alnum(s[p - 1]) && is_ascii_alnum(s[p]);
    size_t q = p;
    while (mid_word && q > 0 && p - q < back && is_ascii_alnum(s[q - 1]))
        q--;
    if (mid_word && (q == 0 || !is_ascii_alnum(s[q - 1])))
        return q;
    q = p;
    for (size_t k = 0; k <= budget && q <= limit && q < len; k++) {
        if (good_start(s, len, q))
            return q;
        q += cp_len(s, len, q);
    }
    if (!mid_word)
        return p;
    while (p < limit && is_ascii_alnum(s[p]))
        p++;
    while (p < limit && (unsigned char)s[p] < 0x80 && !is_ascii_alnum(s[p]) && !strchr("([{", s[p]))
        p++;
    return p;
}

/* The byte where the passage starts: a little before the best window of
 * matches, slid back near the end of the text so the passage is full; the
 * start of the text without a match. counts is best_window()'s. */
static size_t choose_start(const char *s, size_t len, struct match *m, size_t n, size_t max_chars,
                           size_t *counts, const unsigned char *typed)
{
    size_t total = assign_columns(s, len, m, n);
    size_t first = 0, last = 0;
    if (!best_window(m, n, max_chars, counts, typed, &first, &last)) {
        /* Every match is longer than max_chars: show the first one's start. */
        struct cursor c = {0, 0, 0};
        cursor_seek_col(s, len, &c, n > 0 ? m[0].col_start : 0);
        return c.byte;
    }
    size_t slack = max_chars - (m[last].col_end - m[first].col_start);
    size_t context = max_chars / 6 < slack ? max_chars / 6 : slack;
    size_t col = m[first].col_start > context ? m[first].col_start - context : 0;
    size_t back = slack - (m[first].col_start - col);
    if (max_chars > total - col) {
        col = total > max_chars ? total - max_chars : 0;
        back = 0;
    }
    /* Seek from the end of the match before, if the start is past it. */
    struct cursor c = {0, 0, 0};
    if (first > 0 && m[first - 1].col_end <= col)
        c = (struct cursor){m[first - 1].end, m[first - 1].col_end, 0};
    cursor_seek_col(s, len, &c, col);
    return adjust_start(s, len, c.byte, m[first].start, max_chars / 12, back);
}

/* Whether text[0..p) holds anything but whitespace. */
static int text_before(const char *s, size_t p)
{
    for (;;) {
        if (p > 0 && ws_len((const unsigned char *)s + p - 1, 1))
            p--;
        else if (p >= 2 && ws_len((const unsigned char *)s + p - 2, 2) == 2)
            p -= 2;
        else if (p >= 3 && ws_len((const unsigned char *)s + p - 3, 3) == 3)
            p -= 3;
        else
            return p > 0;
    }
}

static int push_span(sou_snippet *out, size_t *cap, size_t start, size_t end)
{
    if (out->nspans > 0 && start < out->spans[out->nspans - 1].end) {
        if (end > out->spans[out->nspans - 1].end)
            out->spans[out->nspans - 1].end = end;
        return 0;
    }
    if (out->nspans == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        sou_span *sp = realloc(out->spans, ncap * sizeof *sp);
        if (!sp)
            return -1;
        out->spans = sp;
        *cap = ncap;
    }
    out->spans[out->nspans++] = (sou_span){start, end};
    return 0;
}

/* When the passage ends in the middle of an ASCII word (next is the
 * first byte left out), drops that word's head if it is at most budget
 * characters, and any span in it. Returns the new length. */
static size_t trim_cut_word(sou_snippet *out, size_t o, char next, size_t budget)
{
    if (o == 0 || !is_ascii_alnum(out->text[o - 1]) || !is_ascii_alnum(next))
        return o;
    size_t r = o;
    while (r > 0 && o - r < budget && is_ascii_alnum(out->text[r - 1]))
        r--;
    if (r == 0 || is_ascii_alnum(out->text[r - 1]))
        return o;
    while (r > 0 && out->text[r - 1] == ' ')
        r--;
    while (out->nspans > 0 && out->spans[out->nspans - 1].end > r)
        out->nspans--;
    return r;
}

/* Copies at most max_chars columns from text[p..) into out, folding
 * whitespace runs to one space and trimming both ends, and records the
 * spans of the matches m[k..) that are copied whole. */
static int copy_window(const char *s, size_t len, size_t p, size_t max_chars, const struct match *m,
                       size_t n, size_t k, sou_snippet *out)
{
    size_t cap = len - p;
    if (max_chars <= (SIZE_MAX - 1) / 4 && max_chars * 4 < cap)
        cap = max_chars * 4;
    out->text = malloc(cap + 1);
    if (!out->text)
        return -1;
    out->cut_before = text_before(s, p);
    size_t o = 0, used = 0, span_start = 0, span_cap = 0;
    int pending = 0, open = 0;
    while (p < len) {
        size_t w = ws_len((const unsigned char *)s + p, len - p);
        if (w) {
            pending = o > 0;
            p += w;
            continue;
        }
        if (used + 1 + (size_t)pending > max_chars)
            break;
        if (pending) {
            out->text[o++] = ' ';
            used++;
            pending = 0;
        }
        while (!open && k < n && m[k].start < p)
            k++;
        if (!open && k < n && m[k].start == p) {
            open = 1;
            span_start = o;
        }
        size_t c = cp_len(s, len, p);
        memcpy(out->text + o, s + p, c);
        o += c;
        p += c;
        used++;
        if (open && m[k].end <= p) {
            if (push_span(out, &span_cap, span_start, o) != 0)
                return -1;
            open = 0;
            k++;
        }
    }
    out->cut_after = p < len;
    if (out->cut_after)
        o = trim_cut_word(out, o, s[p], max_chars / 12);
    out->text[o] = '\0';
    out->len = o;
    return 0;
}

SOU_API void sou_snippet_release(sou_snippet *s)
{
    if (!s)
        return;
    free(s->text);
    free(s->spans);
    memset(s, 0, sizeof *s);
}

static int check_terms(const char *const *list, size_t n)
{
    if (n > 0 && !list)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!list[i])
            return 0;
    return 1;
}

SOU_API int sou_snippet_make(sou_analyzer *a, const char *text, size_t len,
                             const sou_match_terms *mt, size_t max_chars, sou_snippet *out,
                             sou_error *err)
{
    if (!out)
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "sou_snippet_make: out is NULL");
    memset(out, 0, sizeof *out);
    if (!a || !mt || (!text && len > 0))
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "sou_snippet_make: NULL argument");
    if (max_chars == 0)
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "sou_snippet_make: max_chars is 0");
    if (!check_terms(mt->words, mt->nwords) || !check_terms(mt->stems, mt->nstems) ||
        !check_terms(mt->phrases, mt->nphrases))
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "sou_snippet_make: NULL match term");
    size_t nterms = mt->nwords + mt->nstems + mt->nphrases;
    if (nterms < mt->nwords || nterms > SIZE_MAX / (2 * sizeof(size_t)))
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "sou_snippet_make: too many terms");
    if (!text)
        text = "";

    /* lens[0..nterms) are the terms' lengths, lens[nterms..) the window's
     * per-term match counts. */
    size_t *lens = calloc(nterms ? 2 * nterms : 1, sizeof *lens);
    if (!lens)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory making a snippet");
    for (size_t i = 0; i < mt->nwords; i++)
        lens[i] = strlen(mt->words[i]);
    for (size_t i = 0; i < mt->nstems; i++)
        lens[mt->nwords + i] = strlen(mt->stems[i]);
    for (size_t i = 0; i < mt->nphrases; i++)
        lens[mt->nwords + mt->nstems + i] = strlen(mt->phrases[i]);

    /* typed[t]: term t is a word the user typed. */
    unsigned char *typed = calloc(nterms ? nterms : 1, 1);
    if (!typed) {
        free(lens);
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory making a snippet");
    }
    for (size_t i = 0; i < mt->nwords; i++)
        for (size_t k = 0; k < mt->ntyped && !typed[i]; k++)
            typed[i] = mt->typed[k] && strcmp(mt->typed[k], mt->words[i]) == 0;

    struct collect col = {.mt = mt, .lens = lens, .tokens = tokens_needed(a, mt, lens)};
    int rc = collect_matches(a, text, len, mt, max_chars, typed, &col, err);
    if (col.nomem)
        rc = sou_error_set(err, SOU_ERR_NOMEM, "out of memory collecting matches");
    if (rc != SOU_OK)
        goto done;
    /* Phrases and Chinese lit as written arrive out of order. */
    if (col.n > 1)
        qsort(col.m, col.n, sizeof *col.m, by_start);

    size_t p = choose_start(text, len, col.m, col.n, max_chars, lens + nterms, typed);

    /* The first match at or after p: matches are in text order. */
    size_t lo = 0, hi = col.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (col.m[mid].start < p)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (copy_window(text, len, p, max_chars, col.m, col.n, lo, out) != 0) {
        sou_snippet_release(out);
        rc = sou_error_set(err, SOU_ERR_NOMEM, "out of memory making a snippet");
    }

done:
    free(col.m);
    free(lens);
    free(typed);
    return rc;
}
