/*
 * qparse.c - parses the query language of include/sou/qparse.h into a
 * Xapian query, running every piece of text through the same analysis chain
 * as the indexer. Term spaces follow include/sou/layout.h.
 *
 * Three passes: the text is cut into items (words, phrases, OR, filters);
 * runs of words are matched against the index's names and expanded
 * (names.h); then each item becomes a query and the items are combined.
 */
#include <stdlib.h>
#include <string.h>

#include "sou/docbuild.h"
#include "sou/layout.h"
#include "sou/names.h"
#include "sou/normalize.h"
#include "sou/qparse.h"
#include "fields.h"
#include "internal.h"

/* Longest name, in words, tried when matching names in a query. */
#define NAME_SPAN_MAX 12

/* ---- Query lists ------------------------------------------------------------- */

struct qlist {
    sou_query **v;
    size_t n;
    size_t cap;
};

/* Takes ownership of q, also on failure. */
static int qlist_push(struct qlist *l, sou_query *q, sou_error *err)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        sou_query **v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            sou_query_free(q);
            return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = q;
    return SOU_OK;
}

static void qlist_release(struct qlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        sou_query_free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* Combines the list with op into *out: NULL for an empty list, the only
 * query itself for a list of one. The list keeps its queries. */
static int qlist_combine(const struct qlist *l, int op, sou_query **out, sou_error *err)
{
    *out = NULL;
    if (l->n == 0)
        return SOU_OK;
    return sou_query_combine(op, l->v, l->n, 0, out, err);
}

/* ---- Items ------------------------------------------------------------------- */

struct word {
    char *term;    /* normalized */
    char *stem;    /* English stem, or NULL */
    int short_cjk; /* a Chinese word of one or two characters */
    size_t start;  /* byte offsets in the query text */
    size_t end;
    int span; /* index of the name span covering it, or -1 */
};

struct words {
    struct word *v;
    size_t n;
    size_t cap;
    size_t base;     /* offset of the analyzed piece in the query text */
    size_t too_long; /* offset of a word too long to search, or 0 */
    int has_too_long;
    sou_error *err;
};

enum item_kind { ITEM_TEXT, ITEM_PHRASE, ITEM_OR, ITEM_FILTER, ITEM_DATE };

struct item {
    enum item_kind kind;
    int neg;
    size_t at;     /* where the item starts, for error columns */
    const char *s; /* TEXT/PHRASE: its text; FILTER/DATE: the value */
    size_t len;
    const struct sou_filter_field *field;
    struct words w; /* TEXT and PHRASE */
};

/* A run of words that names something in the index. */
struct span {
    size_t first_item, last_item;
    size_t first_word, last_word; /* in first_item and last_item */
    sou_query *query;
};

struct parser {
    sou_analyzer *a;
    const sou_db *db;    /* the index: gram lists (may be NULL) */
    const sou_db *names; /* the index when names expand, else NULL */
    const char *text;
    size_t len;
    sou_parsed_query *pq;
    sou_error *err;
    struct item *items;
    size_t nitems, items_cap;
    struct span *spans;
    size_t nspans, spans_cap;
};

/* Sets the error column to byte offset at, as a 1-based character
 * column, and returns it. */
static size_t error_column(struct parser *p, size_t at)
{
    size_t col = 1;
    for (size_t i = 0; i < at && i < p->len; i += sou_utf8_seqlen((unsigned char)p->text[i]))
        col++;
    return p->pq->error_column = col;
}

/* Reports a syntax error at byte offset at. */
static int syntax_error(struct parser *p, size_t at, const char *what)
{
    size_t col = error_column(p, at);
    return sou_error_set(p->err, SOU_ERR_QUERY_SYNTAX, "syntax error at column %zu: %s", col, what);
}

/* Reports a query over one of qparse.h's limits, max things (a plural
 * noun) at most, the first one too many starting at byte offset at. */
static int limit_error(struct parser *p, size_t at, size_t max, const char *things,
                       const char *hint)
{
    size_t col = error_column(p, at);
    return sou_error_set(p->err, SOU_ERR_QUERY_SYNTAX,
                         "the query has more than %zu %s (the first too many at column %zu); "
                         "at most %zu are allowed%s",
                         max, things, col, max, hint);
}

static void words_release(struct words *w)
{
    for (size_t i = 0; i < w->n; i++) {
        free(w->v[i].term);
        free(w->v[i].stem);
    }
    free(w->v);
    memset(w, 0, sizeof *w);
}

/* One or two characters? */
static int short_word(const char *term, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)term[i] & 0xC0) != 0x80;
    return n <= 2;
}

static int collect_word(void *ctx, int flags, const char *term, size_t term_len, size_t start,
                        size_t end, uint32_t pos)
{
    struct words *w = ctx;
    (void)pos;
    if (flags & SOU_TOK_TOO_LONG) {
        if (!w->has_too_long)
            w->too_long = w->base + start;
        w->has_too_long = 1;
        return 0;
    }
    if (flags & SOU_TOK_STEM) {
        if (w->n > 0 && !w->v[w->n - 1].stem && !(w->v[w->n - 1].stem = strndup(term, term_len)))
            return sou_error_set(w->err, SOU_ERR_NOMEM, "out of memory");
        return 0;
    }
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 8;
        struct word *v = realloc(w->v, cap * sizeof *v);
        if (!v)
            return sou_error_set(w->err, SOU_ERR_NOMEM, "out of memory");
        w->v = v;
        w->cap = cap;
    }
    struct word *nw = &w->v[w->n];
    memset(nw, 0, sizeof *nw);
    nw->span = -1;
    nw->short_cjk = (flags & SOU_TOK_CJK) && short_word(term, term_len);
    nw->start = w->base + start;
    nw->end = w->base + end;
    if (!(nw->term = strndup(term, term_len)))
        return sou_error_set(w->err, SOU_ERR_NOMEM, "out of memory");
    w->n++;
    return 0;
}

/* Analyzes a TEXT or PHRASE item and records its words as typed. */
static int analyze_item(struct parser *p, struct item *it)
{
    it->w.err = p->err;
    it->w.base = (size_t)(it->s - p->text);
    int rc = sou_analyze(p->a, SOU_MODE_QUERY, it->s, it->len, &it->w, collect_word, p->err);
    /* Dropping it silently would search for less than was asked. */
    if (rc == SOU_OK && it->w.has_too_long)
        return syntax_error(p, it->w.too_long, "a word is too long to search");
    for (size_t i = 0; rc == SOU_OK && i < it->w.n; i++)
        rc = sou_strlist_add(&p->pq->tokens, p->text + it->w.v[i].start,
                             it->w.v[i].end - it->w.v[i].start, 0, p->err);
    return rc;
}

static struct item *new_item(struct parser *p, enum item_kind kind, size_t at)
{
    if (p->nitems == p->items_cap) {
        size_t cap = p->items_cap ? p->items_cap * 2 : 16;
        struct item *v = realloc(p->items, cap * sizeof *v);
        if (!v) {
            sou_error_set(p->err, SOU_ERR_NOMEM, "out of memory");
            return NULL;
        }
        p->items = v;
        p->items_cap = cap;
    }
    struct item *it = &p->items[p->nitems++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->at = at;
    return it;
}

/* ---- Lexing ------------------------------------------------------------------- */

/* Length of the separator at s (ASCII whitespace or U+3000), else 0. */
static size_t space_len(const char *s, size_t left)
{
    if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v')
        return 1;
    if (left >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0)
        return 3;
    return 0;
}

/* Length of an opening quote at s (" or U+201C), else 0. */
static size_t open_quote_len(const char *s, size_t left)
{
    if (*s == '"')
        return 1;
    if (left >= 3 && memcmp(s, "\xe2\x80\x9c", 3) == 0)
        return 3;
    return 0;
}

/* Finds the closing quote (" or U+201D) in s[0..left): its offset, and its
 * length in *qlen; -1 if there is none. */
static long find_close_quote(const char *s, size_t left, size_t *qlen)
{
    for (size_t i = 0; i < left; i++) {
        if (s[i] == '"') {
            *qlen = 1;
            return (long)i;
        }
        if (left - i >= 3 && memcmp(s + i, "\xe2\x80\x9d", 3) == 0) {
            *qlen = 3;
            return (long)i;
        }
    }
    return -1;
}

/* Reads a filter item (name:value or name:"a value") whose value starts at
 * value; n is the unquoted chunk's length from s. */
static int lex_filter(struct parser *p, struct item *it, const char *s, size_t n, size_t left,
                      const char *value, size_t *i)
{
    it->s = value;
    it->len = (size_t)(s + n - value);
    size_t vq = it->len == 0 && n < left ? open_quote_len(s + n, left - n) : 0;
    if (vq) {
        size_t qlen = 0;
        long close = find_close_quote(s + n + vq, left - n - vq, &qlen);
        if (close < 0)
            return syntax_error(p, (size_t)(s + n - p->text), "unterminated quote");
        it->s = s + n + vq;
        it->len = (size_t)close;
        *i = (size_t)(s + n + vq + close + qlen - p->text);
    }
    return SOU_OK;
}

/* Reads one item starting at *i (not at a separator). */
static int lex_item(struct parser *p, size_t *i)
{
    size_t at = *i;
    const char *s = p->text + *i;
    size_t left = p->len - *i;
    int neg = 0;
    if (left > 1 && (*s == '-' || *s == '+') && !space_len(s + 1, left - 1)) {
        neg = *s == '-';
        s++;
        left--;
    }
    size_t q = open_quote_len(s, left);
    if (q) {
        size_t qlen = 0;
        long close = find_close_quote(s + q, left - q, &qlen);
        if (close < 0)
            return syntax_error(p, at, "unterminated quote");
        struct item *it = new_item(p, ITEM_PHRASE, at);
        if (!it)
            return SOU_ERR_NOMEM;
        it->neg = neg;
        it->s = s + q;
        it->len = (size_t)close;
        *i = (size_t)(s + q + close + qlen - p->text);
        return SOU_OK;
    }
    size_t n = 0;
    while (n < left && !space_len(s + n, left - n) && !open_quote_len(s + n, left - n))
        n++;
    *i = (size_t)(s + n - p->text);
    if (!neg && n == 2 && memcmp(s, "OR", 2) == 0)
        return new_item(p, ITEM_OR, at) ? SOU_OK : SOU_ERR_NOMEM;
    const char *colon = memchr(s, ':', n);
    if (colon) {
        size_t name_len = (size_t)(colon - s);
        const struct sou_filter_field *f = sou_filter_field_named(s, name_len);
        int is_date = name_len == 4 && memcmp(s, "date", 4) == 0;
        if (f || is_date) {
            struct item *it = new_item(p, is_date ? ITEM_DATE : ITEM_FILTER, at);
            if (!it)
                return SOU_ERR_NOMEM;
            it->neg = neg;
            it->field = f;
            return lex_filter(p, it, s, n, left, colon + 1, i);
        }
    }
    struct item *it = new_item(p, ITEM_TEXT, at);
    if (!it)
        return SOU_ERR_NOMEM;
    it->neg = neg;
    it->s = s;
    it->len = n;
    return SOU_OK;
}

/* ---- Term queries ---------------------------------------------------------------- */

static int term_query(const char *prefix, const char *term, uint32_t pos, sou_query **out,
                      sou_error *err)
{
    char buf[SOU_TERM_MAX + 1];
    size_t plen = strlen(prefix), tlen = strlen(term);
    if (plen + tlen > SOU_TERM_MAX)
        return sou_error_set(err, SOU_ERR_QUERY_SYNTAX, "a query word is too long");
    memcpy(buf, prefix, plen);
    memcpy(buf + plen, term, tlen);
    return sou_query_term(buf, plen + tlen, 1, pos, out, err);
}

struct gram_words {
    struct qlist terms;
    sou_error *err;
};

/* Adds each word of list, one a line (layout.h: SOU_META_GRAM). */
static int add_gram_words(struct gram_words *g, const char *list, size_t len)
{
    int rc = SOU_OK;
    for (const char *w = list, *end = list + len; rc == SOU_OK && w < end;) {
        const char *nl = memchr(w, '\n', (size_t)(end - w));
        size_t wlen = (size_t)((nl ? nl : end) - w);
        sou_query *q = NULL;
        if (wlen > 0 && (rc = sou_query_term(w, wlen, 1, 0, &q, g->err)) == SOU_OK)
            rc = qlist_push(&g->terms, q, g->err);
        w += wlen + 1;
    }
    return rc;
}

/* A word as searched outside quotes: its stem when it has one; a short
 * Chinese word, in an index with grams, as itself or as any of the words
 * it is part of (委員 finds 委員會), which the index lists for the gram
 * (layout.h), so they weigh as the words they are. */
static int word_query(const struct parser *p, const struct word *w, uint32_t pos, sou_query **out,
                      sou_error *err)
{
    if (w->stem)
        return term_query(SOU_PREFIX_STEM, w->stem, pos, out, err);
    size_t plen = sizeof SOU_META_GRAM - 1, tlen = strlen(w->term);
    if (!w->short_cjk || !p->db || !sou_analyzer_grams(p->a) || plen + tlen > SOU_TERM_MAX)
        return term_query("", w->term, pos, out, err);
    char key[SOU_TERM_MAX + 1];
    memcpy(key, SOU_META_GRAM, plen);
    memcpy(key + plen, w->term, tlen + 1);
    struct gram_words g = {.err = err};
    sou_query *self = NULL;
    char *list = NULL;
    size_t len = 0;
    int rc = term_query("", w->term, pos, &self, err);
    if (rc == SOU_OK)
        rc = qlist_push(&g.terms, self, err);
    if (rc == SOU_OK)
        rc = sou_db_get_metadata(p->db, key, &list, &len, err);
    if (rc == SOU_OK && list)
        rc = add_gram_words(&g, list, len);
    if (rc == SOU_OK)
        rc = qlist_combine(&g.terms, SOU_OP_SYNONYM, out, err);
    qlist_release(&g.terms);
    free(list);
    return rc;
}

/* The exact words v[first..last] as a phrase, or a single term. */
static int phrase_query(const struct word *v, size_t first, size_t last, sou_query **out,
                        sou_error *err)
{
    struct qlist terms = {0};
    int rc = SOU_OK;
    for (size_t i = first; rc == SOU_OK && i <= last; i++) {
        sou_query *t = NULL;
        rc = term_query("", v[i].term, (uint32_t)(i - first + 1), &t, err);
        if (rc == SOU_OK)
            rc = qlist_push(&terms, t, err);
    }
    if (rc == SOU_OK)
        rc = qlist_combine(&terms, terms.n == 1 ? SOU_OP_AND : SOU_OP_PHRASE, out, err);
    qlist_release(&terms);
    return rc;
}

/* ---- Names ------------------------------------------------------------------------ */

/* A word of a group of items, for name matching. */
struct gword {
    size_t item, word;
};

static int add_span(struct parser *p, const struct span *sp)
{
    if (p->nspans == p->spans_cap) {
        size_t cap = p->spans_cap ? p->spans_cap * 2 : 8;
        struct span *v = realloc(p->spans, cap * sizeof *v);
        if (!v)
            return sou_error_set(p->err, SOU_ERR_NOMEM, "out of memory");
        p->spans = v;
        p->spans_cap = cap;
    }
    p->spans[p->nspans++] = *sp;
    return SOU_OK;
}

static struct word *gw(struct parser *p, const struct gword *g)
{
    return &p->items[g->item].w.v[g->word];
}

/* Records the expansion of the query text from..to for display; takes
 * the senses shown (at most SOU_SENSES_MAX), releasing the rest. */
static int note_expansion(struct parser *p, size_t from, size_t to, sou_glossary *senses,
                          size_t shown)
{
    sou_parsed_query *pq = p->pq;
    sou_expansion *v = realloc(pq->expansions, (pq->nexpansions + 1) * sizeof *v);
    if (!v)
        return sou_error_set(p->err, SOU_ERR_NOMEM, "out of memory");
    pq->expansions = v;
    sou_expansion *e = &v[pq->nexpansions];
    if (!(e->from = strndup(p->text + from, to - from)))
        return sou_error_set(p->err, SOU_ERR_NOMEM, "out of memory");
    for (size_t i = shown; i < senses->n; i++)
        sou_sense_release(&senses->v[i]);
    senses->n = shown;
    e->senses = *senses;
    memset(senses, 0, sizeof *senses);
    pq->nexpansions++;
    return SOU_OK;
}

/* The query for a matched span: one SYNONYM of what was typed and every
 * name of every sense, each once. Records the expansion for display. */
static int expand_span(struct parser *p, const struct gword *g, size_t first, size_t last,
                       sou_glossary *senses, sou_query **out)
{
    sou_error *err = p->err;
    /* What was typed keeps matching what it matches without expansion
     * (all its words, stemmed), so an expansion only ever adds documents:
     * a name's phrase can miss text that ICU cut differently in context. */
    struct qlist words = {0};
    int rc = SOU_OK;
    for (size_t i = first; rc == SOU_OK && i <= last; i++) {
        sou_query *q = NULL;
        rc = word_query(p, gw(p, &g[i]), (uint32_t)(i - first + 1), &q, err);
        if (rc == SOU_OK)
            rc = qlist_push(&words, q, err);
    }
    sou_query *typed = NULL;
    if (rc == SOU_OK)
        rc = qlist_combine(&words, SOU_OP_AND, &typed, err);
    qlist_release(&words);

    size_t shown = senses->n < SOU_SENSES_MAX ? senses->n : SOU_SENSES_MAX;
    const char *typed_word = first == last ? gw(p, &g[first])->term : NULL;
    if (rc == SOU_OK)
        rc = sou_senses_query(p->a, senses->v, shown, typed, typed_word, out, &p->pq->words,
                              &p->pq->phrases, err);
    sou_query_free(typed);
    if (rc == SOU_OK)
        rc = note_expansion(p, gw(p, &g[first])->start, gw(p, &g[last])->end, senses, shown);
    return rc;
}

/* Whether words first..last of the group may be one name: inside one
 * item, or whole items. */
static int span_allowed(struct parser *p, const struct gword *g, size_t first, size_t last)
{
    if (g[first].item == g[last].item)
        return 1;
    return g[first].word == 0 && g[last].word == p->items[g[last].item].w.n - 1;
}

/* Looks up the words first..last as a name; appends its senses. */
static int lookup_span(struct parser *p, const struct gword *g, size_t first, size_t last,
                       sou_glossary *senses)
{
    char key[SOU_NAME_KEY_MAX + 1];
    size_t at = 0;
    for (size_t i = first; i <= last; i++) {
        const char *t = gw(p, &g[i])->term;
        size_t n = strlen(t);
        if (at + n + 1 > SOU_NAME_KEY_MAX)
            return SOU_OK;
        if (i > first)
            key[at++] = ' ';
        memcpy(key + at, t, n);
        at += n;
    }
    return sou_names_lookup(p->names, key, at, senses, p->err);
}

/* Finds names in a group of words, longest first from each position. */
static int match_group(struct parser *p, const struct gword *g, size_t n)
{
    int rc = SOU_OK;
    for (size_t i = 0; rc == SOU_OK && i < n;) {
        size_t len = n - i < NAME_SPAN_MAX ? n - i : NAME_SPAN_MAX;
        sou_glossary senses = {0};
        for (; len > 0 && rc == SOU_OK && senses.n == 0; len--)
            if (span_allowed(p, g, i, i + len - 1))
                rc = lookup_span(p, g, i, i + len - 1, &senses);
        if (rc == SOU_OK && senses.n > 0 && p->pq->nexpansions == SOU_EXPANSIONS_MAX)
            rc =
                limit_error(p, gw(p, &g[i])->start, SOU_EXPANSIONS_MAX,
                            "acronyms and names to expand", "; search fewer, or without expansion");
        if (rc == SOU_OK && senses.n > 0) {
            len++; /* the loop stepped past the length that matched */
            struct span sp = {g[i].item, g[i + len - 1].item, g[i].word, g[i + len - 1].word, NULL};
            rc = expand_span(p, g, i, i + len - 1, &senses, &sp.query);
            if (rc == SOU_OK)
                rc = add_span(p, &sp);
            if (rc != SOU_OK)
                sou_query_free(sp.query);
            for (size_t k = i; rc == SOU_OK && k < i + len; k++)
                gw(p, &g[k])->span = (int)p->nspans - 1;
            i += len;
        } else {
            i++;
        }
        sou_glossary_release(&senses);
    }
    return rc;
}

/* Groups consecutive positive unquoted word items (OR, filters, phrases
 * and excluded words break groups) and matches names in each. A quoted
 * phrase means exactly that text, so it is never expanded. */
static int expand_names(struct parser *p)
{
    struct gword *g = calloc(SOU_QUERY_WORDS_MAX, sizeof *g);
    if (!g)
        return sou_error_set(p->err, SOU_ERR_NOMEM, "out of memory");
    size_t n = 0, seen = 0;
    int rc = SOU_OK;
    for (size_t k = 0; rc == SOU_OK && k <= p->nitems; k++) {
        struct item *it = k < p->nitems ? &p->items[k] : NULL;
        if (!it || it->kind != ITEM_TEXT || it->neg) {
            rc = match_group(p, g, n);
            n = 0;
            continue;
        }
        /* (count_words() has made sure that they fit.) */
        for (size_t w = 0; w < it->w.n && seen < SOU_QUERY_WORDS_MAX; w++, seen++)
            g[n++] = (struct gword){k, w};
    }
    free(g);
    return rc;
}

/* ---- Item queries ----------------------------------------------------------------- */

/* A run of words typed without quotes: every word must match (stemmed
 * where English; a matched name as its expansion), and the exact phrase,
 * when there are several words and not all of them are a name, adds
 * weight. *out is NULL when a name that started in an earlier item covers
 * the whole item. */
static int text_query(struct parser *p, size_t k, sou_query **out)
{
    struct item *it = &p->items[k];
    struct qlist parts = {0};
    int rc = SOU_OK, plain = 0;
    *out = NULL;
    for (size_t i = 0; rc == SOU_OK && i < it->w.n; i++) {
        const struct word *w = &it->w.v[i];
        sou_query *q = NULL;
        plain |= w->span < 0;
        if (w->span < 0) {
            rc = word_query(p, w, (uint32_t)(i + 1), &q, p->err);
        } else {
            const struct span *sp = &p->spans[w->span];
            if (sp->first_item != k || sp->first_word != i)
                continue; /* covered by a span already added */
            rc = sou_query_combine(SOU_OP_AND, (sou_query *const *)&sp->query, 1, 0, &q, p->err);
        }
        if (rc == SOU_OK)
            rc = qlist_push(&parts, q, p->err);
    }
    sou_query *all = NULL, *phrase = NULL;
    if (rc == SOU_OK)
        rc = qlist_combine(&parts, SOU_OP_AND, &all, p->err);
    /* A run that is all names gets no bonus for the exact text typed: its
     * other names (数字周 for 數位週) must rank alike. */
    if (rc == SOU_OK && all && it->w.n > 1 && plain) {
        rc = phrase_query(it->w.v, 0, it->w.n - 1, &phrase, p->err);
        if (rc == SOU_OK) {
            sou_query *pair[2] = {all, phrase};
            rc = sou_query_combine(SOU_OP_AND_MAYBE, pair, 2, 0, out, p->err);
        }
    } else if (rc == SOU_OK) {
        *out = all;
        all = NULL;
    }
    sou_query_free(all);
    sou_query_free(phrase);
    qlist_release(&parts);
    return rc;
}

/* Records the words (and stems) a matching document is highlighted for. */
static int note_match_terms(struct parser *p, const struct item *it)
{
    int stemmed = it->kind == ITEM_TEXT;
    int rc = SOU_OK;
    for (size_t i = 0; rc == SOU_OK && i < it->w.n; i++) {
        const struct word *w = &it->w.v[i];
        rc = sou_strlist_add(&p->pq->words, w->term, strlen(w->term), 1, p->err);
        if (rc == SOU_OK)
            rc = sou_strlist_add(&p->pq->typed, w->term, strlen(w->term), 1, p->err);
        if (rc == SOU_OK && stemmed && w->stem)
            rc = sou_strlist_add(&p->pq->stems, w->stem, strlen(w->stem), 1, p->err);
    }
    return rc;
}

/* The query of a TEXT or PHRASE item; NULL when it has no words. An
 * excluded run is excluded as a phrase: `-資深官員` should not drop every
 * document that merely mentions 資深 somewhere. */
static int item_query(struct parser *p, size_t k, sou_query **out)
{
    struct item *it = &p->items[k];
    *out = NULL;
    if (it->w.n == 0)
        return SOU_OK;
    if (!it->neg) {
        int rc = note_match_terms(p, it);
        if (rc != SOU_OK)
            return rc;
    }
    if (it->kind == ITEM_TEXT && !it->neg)
        return text_query(p, k, out);
    return phrase_query(it->w.v, 0, it->w.n - 1, out, p->err);
}

/* ---- Filters ----------------------------------------------------------------------- */

static int filter_query(struct parser *p, const struct item *it, sou_query **out)
{
    char term[SOU_TERM_MAX + 1];
    size_t tlen = 0;
    *out = NULL;
    if (it->len == 0)
        return syntax_error(p, it->at, "a filter needs a value, as in type:meeting");
    sou_normbuf nb;
    sou_normbuf_init(&nb);
    sou_error e2;
    int rc = sou_filter_term(it->field, &nb, it->s, it->len, term, &tlen, &e2);
    sou_normbuf_release(&nb);
    if (rc == SOU_ERR_DOC)
        return syntax_error(p, it->at, "filter value is empty or too long");
    if (rc != SOU_OK)
        return sou_error_set(p->err, rc, "%s", e2.msg);
    return sou_query_term(term, tlen, 1, 0, out, p->err);
}

/* Both ends of the span a date names: 2026-05 runs from 20260500 to
 * 20260599. */
static int date_keys(const char *s, size_t len, char lo[9], char hi[9])
{
    if (sou_date_key(s, len, 0, lo) != 0 || sou_date_key(s, len, 1, hi) != 0)
        return -1;
    return 0;
}

/* date:A..B matches documents whose span [date, end_date] overlaps
 * [A, B]: they start by B and end from A on. */
static int date_query(struct parser *p, const struct item *it, sou_query **out)
{
    static const char expect[] = "expected date:YYYY[-MM[-DD]][..YYYY[-MM[-DD]]]";
    const char *v = it->s;
    size_t len = it->len;
    char lo[9], hi[9], ignore[9];
    const char *dots = NULL;
    *out = NULL;
    for (size_t i = 0; i + 1 < len; i++)
        if (v[i] == '.' && v[i + 1] == '.') {
            dots = v + i;
            break;
        }
    int have_lo = 1, have_hi = 1;
    if (!dots) {
        if (len == 0 || date_keys(v, len, lo, hi) != 0)
            return syntax_error(p, it->at, expect);
    } else {
        size_t llen = (size_t)(dots - v), hlen = len - llen - 2;
        have_lo = llen > 0;
        have_hi = hlen > 0;
        if ((!have_lo && !have_hi) || (have_lo && date_keys(v, llen, lo, ignore) != 0) ||
            (have_hi && date_keys(dots + 2, hlen, ignore, hi) != 0))
            return syntax_error(p, it->at, expect);
        if (have_lo && have_hi && strcmp(lo, hi) > 0)
            return syntax_error(p, it->at, "date range ends before it starts");
    }
    sou_query *starts = NULL, *ends = NULL;
    int rc = SOU_OK;
    if (have_hi)
        rc = sou_query_value_range(SOU_SLOT_DATE, NULL, hi, &starts, p->err);
    if (rc == SOU_OK && have_lo)
        rc = sou_query_value_range(SOU_SLOT_END_DATE, lo, NULL, &ends, p->err);
    if (rc == SOU_OK && starts && ends) {
        sou_query *pair[2] = {starts, ends};
        rc = sou_query_combine(SOU_OP_AND, pair, 2, 0, out, p->err);
    } else if (rc == SOU_OK) {
        *out = starts ? starts : ends;
        starts = ends = NULL;
    }
    sou_query_free(starts);
    sou_query_free(ends);
    return rc;
}

/* ---- Putting it together ---------------------------------------------------------- */

enum clause_kind { CLAUSE_NONE, CLAUSE_POSITIVE, CLAUSE_NEGATIVE, CLAUSE_FILTER };

#define FILTER_FIELDS_MAX 16

struct combine {
    struct qlist positive;                                    /* ANDed; an OR chain is one entry */
    struct qlist negative;                                    /* ORed, then subtracted */
    struct qlist filter[FILTER_FIELDS_MAX];                   /* ORed within a field */
    const struct sou_filter_field *fields[FILTER_FIELDS_MAX]; /* which field each is */
    size_t nfields;
    sou_query *date;
    int pending_or; /* the previous item was OR */
    size_t or_at;
    enum clause_kind last;
};

static struct qlist *filter_list(struct combine *c, const struct sou_filter_field *f)
{
    for (size_t i = 0; i < c->nfields; i++)
        if (c->fields[i] == f)
            return &c->filter[i];
    c->fields[c->nfields] = f;
    return &c->filter[c->nfields++];
}

static int add_positive(struct parser *p, struct combine *c, sou_query *q)
{
    if (!c->pending_or) {
        c->last = CLAUSE_POSITIVE;
        return qlist_push(&c->positive, q, p->err);
    }
    if (c->last != CLAUSE_POSITIVE || c->positive.n == 0) {
        sou_query_free(q);
        return syntax_error(p, c->or_at, "OR must join two searchable clauses");
    }
    sou_query *pair[2] = {c->positive.v[c->positive.n - 1], q};
    sou_query *either = NULL;
    int rc = sou_query_combine(SOU_OP_OR, pair, 2, 0, &either, p->err);
    sou_query_free(q);
    if (rc != SOU_OK)
        return rc;
    sou_query_free(c->positive.v[c->positive.n - 1]);
    c->positive.v[c->positive.n - 1] = either;
    c->pending_or = 0;
    return SOU_OK;
}

/* Filters: type:x and -type:x, date:A..B and -date:A..B. */
static int combine_filter(struct parser *p, struct combine *c, const struct item *it)
{
    if (c->pending_or && (it->neg || it->kind == ITEM_DATE || c->last != CLAUSE_FILTER))
        return syntax_error(p, c->or_at, "OR can only join filters of one field");
    c->pending_or = 0; /* values of one field are alternatives anyway */
    if (it->kind == ITEM_DATE && !it->neg && c->date)
        return syntax_error(p, it->at, "only one date: filter is allowed");
    sou_query *q = NULL;
    int rc = it->kind == ITEM_DATE ? date_query(p, it, &q) : filter_query(p, it, &q);
    if (rc != SOU_OK)
        return rc;
    if (it->neg) {
        c->last = CLAUSE_NEGATIVE;
        return qlist_push(&c->negative, q, p->err);
    }
    c->last = CLAUSE_FILTER;
    if (it->kind == ITEM_DATE) {
        c->date = q;
        return SOU_OK;
    }
    return qlist_push(filter_list(c, it->field), q, p->err);
}

static int combine_item(struct parser *p, struct combine *c, size_t k)
{
    struct item *it = &p->items[k];
    switch (it->kind) {
    case ITEM_OR:
        if (c->pending_or || c->last == CLAUSE_NONE || c->last == CLAUSE_NEGATIVE)
            return syntax_error(p, it->at, "OR must join two searchable clauses");
        c->pending_or = 1;
        c->or_at = it->at;
        return SOU_OK;
    case ITEM_FILTER:
    case ITEM_DATE:
        return combine_filter(p, c, it);
    case ITEM_TEXT:
    case ITEM_PHRASE:
        break;
    }
    sou_query *q = NULL;
    int rc = item_query(p, k, &q);
    if (rc != SOU_OK || !q) {
        /* Nothing searchable (punctuation), or a name already counted. */
        if (rc == SOU_OK && c->pending_or && it->w.n == 0)
            return syntax_error(p, it->at, "OR must join two searchable clauses");
        return rc;
    }
    if (it->neg) {
        if (c->pending_or) {
            sou_query_free(q);
            return syntax_error(p, it->at, "OR cannot join an excluded clause");
        }
        c->last = CLAUSE_NEGATIVE;
        return qlist_push(&c->negative, q, p->err);
    }
    return add_positive(p, c, q);
}

/* (positive AND_NOT negative) FILTER filters. */
static int assemble(struct parser *p, struct combine *c, sou_query **out)
{
    sou_error *err = p->err;
    sou_query *q = NULL, *tmp = NULL;
    int rc = qlist_combine(&c->positive, SOU_OP_AND, &q, err);
    int has_filter = c->date != NULL || c->nfields > 0;
    if (rc == SOU_OK && !q) {
        if (c->negative.n == 0 && !has_filter)
            return sou_error_set(err, SOU_ERR_EMPTY_QUERY, "the query has no searchable words");
        rc = sou_query_term("", 0, 1, 0, &q, err); /* every document */
    }
    if (rc == SOU_OK && c->negative.n > 0) {
        sou_query *any = NULL;
        rc = qlist_combine(&c->negative, SOU_OP_OR, &any, err);
        if (rc == SOU_OK) {
            sou_query *pair[2] = {q, any};
            rc = sou_query_combine(SOU_OP_AND_NOT, pair, 2, 0, &tmp, err);
            sou_query_free(q);
            q = tmp;
        }
        sou_query_free(any);
    }
    struct qlist filters = {0};
    for (size_t f = 0; rc == SOU_OK && f < c->nfields; f++) {
        sou_query *any = NULL;
        rc = qlist_combine(&c->filter[f], SOU_OP_OR, &any, err);
        if (rc == SOU_OK)
            rc = qlist_push(&filters, any, err);
    }
    if (rc == SOU_OK && c->date) {
        rc = qlist_push(&filters, c->date, err);
        c->date = NULL;
    }
    if (rc == SOU_OK && filters.n > 0) {
        sou_query *all = NULL;
        rc = qlist_combine(&filters, SOU_OP_AND, &all, err);
        if (rc == SOU_OK) {
            sou_query *pair[2] = {q, all};
            rc = sou_query_combine(SOU_OP_FILTER, pair, 2, 0, &tmp, err);
            sou_query_free(q);
            q = tmp;
        }
        sou_query_free(all);
    }
    qlist_release(&filters);
    if (rc != SOU_OK) {
        sou_query_free(q);
        return rc;
    }
    *out = q;
    return SOU_OK;
}

static int build(struct parser *p, sou_query **out)
{
    struct combine c = {0};
    int rc = SOU_OK;
    for (size_t k = 0; rc == SOU_OK && k < p->nitems; k++)
        rc = combine_item(p, &c, k);
    if (rc == SOU_OK && c.pending_or)
        rc = syntax_error(p, c.or_at, "OR must join two searchable clauses");
    if (rc == SOU_OK)
        rc = assemble(p, &c, out);
    qlist_release(&c.positive);
    qlist_release(&c.negative);
    for (size_t f = 0; f < c.nfields; f++)
        qlist_release(&c.filter[f]);
    sou_query_free(c.date);
    return rc;
}

/* Refuses a query of more filters than SOU_QUERY_FILTERS_MAX. */
static int count_filters(struct parser *p)
{
    size_t n = 0;
    for (size_t k = 0; k < p->nitems; k++) {
        const struct item *it = &p->items[k];
        if ((it->kind == ITEM_FILTER || it->kind == ITEM_DATE) && ++n > SOU_QUERY_FILTERS_MAX)
            return limit_error(p, it->at, SOU_QUERY_FILTERS_MAX, "filters", "");
    }
    return SOU_OK;
}

/* Refuses a query of more words than SOU_QUERY_WORDS_MAX, once its items
 * are analyzed. */
static int count_words(struct parser *p)
{
    size_t n = 0;
    for (size_t k = 0; k < p->nitems; k++) {
        const struct words *w = &p->items[k].w;
        if (n + w->n > SOU_QUERY_WORDS_MAX)
            return limit_error(p, w->v[SOU_QUERY_WORDS_MAX - n].start, SOU_QUERY_WORDS_MAX, "words",
                               "");
        n += w->n;
    }
    return SOU_OK;
}

SOU_API int sou_qparse(sou_analyzer *a, const sou_db *names_db, int flags, const char *text,
                       size_t len, sou_parsed_query *out, sou_error *err)
{
    if (!out)
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "sou_qparse: out is NULL");
    memset(out, 0, sizeof *out);
    if (!a || (!text && len > 0))
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "sou_qparse: NULL argument");
    if (len > SOU_QUERY_BYTES_MAX)
        return sou_error_set(err, SOU_ERR_QUERY_SYNTAX,
                             "the query is longer than %d bytes; at most %d are allowed",
                             SOU_QUERY_BYTES_MAX, SOU_QUERY_BYTES_MAX);
    size_t bad = 0;
    if (!sou_utf8_valid(text, len, &bad))
        return sou_error_set(err, SOU_ERR_UTF8, "query is not valid UTF-8 (byte %zu)", bad);
    struct parser p = {.a = a, .text = text, .len = len, .pq = out, .err = err};
    p.db = names_db;
    p.names = (flags & SOU_QPARSE_NO_EXPAND) ? NULL : names_db;
    int rc = SOU_OK;
    for (size_t i = 0; rc == SOU_OK && i < len;) {
        size_t sp = space_len(text + i, len - i);
        if (sp)
            i += sp;
        else
            rc = lex_item(&p, &i);
    }
    if (rc == SOU_OK)
        rc = count_filters(&p);
    for (size_t k = 0; rc == SOU_OK && k < p.nitems; k++)
        if (p.items[k].kind == ITEM_TEXT || p.items[k].kind == ITEM_PHRASE)
            rc = analyze_item(&p, &p.items[k]);
    if (rc == SOU_OK)
        rc = count_words(&p);
    if (rc == SOU_OK && p.names)
        rc = expand_names(&p);
    if (rc == SOU_OK)
        rc = build(&p, &out->query);
    for (size_t k = 0; k < p.nitems; k++)
        words_release(&p.items[k].w);
    free(p.items);
    for (size_t s = 0; s < p.nspans; s++)
        sou_query_free(p.spans[s].query);
    free(p.spans);
    return rc;
}

SOU_API void sou_parsed_query_release(sou_parsed_query *pq)
{
    if (!pq)
        return;
    sou_query_free(pq->query);
    sou_strlist_release(&pq->tokens);
    sou_strlist_release(&pq->words);
    sou_strlist_release(&pq->typed);
    sou_strlist_release(&pq->stems);
    sou_strlist_release(&pq->phrases);
    for (size_t i = 0; i < pq->nexpansions; i++) {
        free(pq->expansions[i].from);
        sou_glossary_release(&pq->expansions[i].senses);
    }
    free(pq->expansions);
    memset(pq, 0, sizeof *pq);
}
