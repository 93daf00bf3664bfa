/*
 * qparse.c - parses the query language of include/sou/qparse.h into a
 * Xapian query, running every piece of text through the same analysis chain
 * as the indexer. Term spaces follow include/sou/layout.h.
 */
#include <stdlib.h>
#include <string.h>

#include "sou/docbuild.h"
#include "sou/layout.h"
#include "sou/normalize.h"
#include "sou/qparse.h"
#include "internal.h"

/* ---- String lists ------------------------------------------------------- */

SOU_API int sou_strlist_add(sou_strlist *l, const char *s, size_t len, int unique, sou_error *err)
{
    if (unique)
        for (size_t i = 0; i < l->n; i++)
            if (strlen(l->items[i]) == len && memcmp(l->items[i], s, len) == 0)
                return SOU_OK;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **v = realloc(l->items, cap * sizeof *v);
        if (!v)
            return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
        l->items = v;
        l->cap = cap;
    }
    char *copy = strndup(s, len);
    if (!copy)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    l->items[l->n++] = copy;
    return SOU_OK;
}

SOU_API void sou_strlist_release(sou_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ---- Query lists ---------------------------------------------------------- */

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

/* Combines the list with op into *out (NULL for an empty list). */
static int qlist_combine(const struct qlist *l, int op, sou_query **out, sou_error *err)
{
    *out = NULL;
    if (l->n == 0)
        return SOU_OK;
    return sou_query_combine(op, l->v, l->n, 0, out, err);
}

/* ---- Parser state ----------------------------------------------------------- */

enum field { FIELD_TYPE, FIELD_LANG, FIELD_ID, FIELD_COUNT };

static const struct {
    const char *name;
    const char *prefix;
    int fold_case;
} fields[FIELD_COUNT] = {
    [FIELD_TYPE] = {"type", SOU_PREFIX_TYPE, 1},
    [FIELD_LANG] = {"lang", SOU_PREFIX_LANG, 1},
    [FIELD_ID] = {"id", SOU_PREFIX_ID, 0},
};

enum clause_kind { CLAUSE_NONE, CLAUSE_POSITIVE, CLAUSE_NEGATIVE, CLAUSE_FILTER };

struct parser {
    sou_analyzer *a;
    const char *text;
    size_t len;
    size_t i;
    sou_parsed_query *pq;
    sou_error *err;
    struct qlist positive;            /* ANDed; an OR chain is one entry */
    struct qlist negative;            /* ORed, then subtracted */
    struct qlist filter[FIELD_COUNT]; /* ORed within a field */
    sou_query *date;
    int pending_or; /* the previous lexeme was OR */
    size_t or_at;   /* where that OR stood */
    enum clause_kind last;
};

/* Reports a syntax error at byte offset at, as a 1-based character column. */
static int syntax_error(struct parser *p, size_t at, const char *what)
{
    size_t col = 1;
    for (size_t i = 0; i < at && i < p->len; i += sou_utf8_seqlen((unsigned char)p->text[i]))
        col++;
    p->pq->error_column = col;
    return sou_error_set(p->err, SOU_ERR_QUERY_SYNTAX, "syntax error at column %zu: %s", col, what);
}

/* ---- Analysis of one piece of query text ------------------------------------- */

struct word {
    char *term;
    char *stem; /* NULL when the word has none */
};

struct words {
    struct word *v;
    size_t n;
    size_t cap;
    sou_error *err;
};

static void words_release(struct words *w)
{
    for (size_t i = 0; i < w->n; i++) {
        free(w->v[i].term);
        free(w->v[i].stem);
    }
    free(w->v);
    memset(w, 0, sizeof *w);
}

static int collect_word(void *ctx, int flags, const char *term, size_t term_len, size_t start,
                        size_t end, uint32_t pos)
{
    struct words *w = ctx;
    (void)start;
    (void)end;
    (void)pos;
    if (flags & SOU_TOK_TOO_LONG)
        return 0;
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
    w->v[w->n].stem = NULL;
    if (!(w->v[w->n].term = strndup(term, term_len)))
        return sou_error_set(w->err, SOU_ERR_NOMEM, "out of memory");
    w->n++;
    return 0;
}

static int analyze_piece(struct parser *p, const char *s, size_t len, struct words *w)
{
    memset(w, 0, sizeof *w);
    w->err = p->err;
    int rc = sou_analyze(p->a, SOU_MODE_QUERY, s, len, w, collect_word, p->err);
    for (size_t i = 0; rc == SOU_OK && i < w->n; i++)
        rc = sou_strlist_add(&p->pq->tokens, w->v[i].term, strlen(w->v[i].term), 0, p->err);
    return rc;
}

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

/* The exact words of w as a phrase (or a single term). */
static int phrase_query(struct words *w, sou_query **out, sou_error *err)
{
    struct qlist terms = {0};
    int rc = SOU_OK;
    for (size_t i = 0; rc == SOU_OK && i < w->n; i++) {
        sou_query *t = NULL;
        rc = term_query("", w->v[i].term, (uint32_t)(i + 1), &t, err);
        if (rc == SOU_OK)
            rc = qlist_push(&terms, t, err);
    }
    *out = NULL;
    if (rc == SOU_OK && terms.n == 1) {
        *out = terms.v[0];
        terms.n = 0;
    } else if (rc == SOU_OK) {
        rc = qlist_combine(&terms, SOU_OP_PHRASE, out, err);
    }
    qlist_release(&terms);
    return rc;
}

/* A run of text typed without quotes: every word must match (stemmed where
 * English), and the exact phrase, when there are several words, adds
 * weight. */
static int run_query(struct words *w, sou_query **out, sou_error *err)
{
    struct qlist terms = {0};
    int rc = SOU_OK;
    *out = NULL;
    for (size_t i = 0; rc == SOU_OK && i < w->n; i++) {
        sou_query *t = NULL;
        if (w->v[i].stem)
            rc = term_query(SOU_PREFIX_STEM, w->v[i].stem, (uint32_t)(i + 1), &t, err);
        else
            rc = term_query("", w->v[i].term, (uint32_t)(i + 1), &t, err);
        if (rc == SOU_OK)
            rc = qlist_push(&terms, t, err);
    }
    if (rc == SOU_OK && terms.n == 1) {
        *out = terms.v[0];
        terms.n = 0;
    } else if (rc == SOU_OK) {
        sou_query *all = NULL, *phrase = NULL;
        rc = qlist_combine(&terms, SOU_OP_AND, &all, err);
        if (rc == SOU_OK)
            rc = phrase_query(w, &phrase, err);
        if (rc == SOU_OK) {
            sou_query *pair[2] = {all, phrase};
            rc = sou_query_combine(SOU_OP_AND_MAYBE, pair, 2, 0, out, err);
        }
        sou_query_free(all);
        sou_query_free(phrase);
    }
    qlist_release(&terms);
    return rc;
}

/* Records the words (and stems) a matching document is highlighted for. */
static int note_match_terms(struct parser *p, const struct words *w, int stemmed)
{
    int rc = SOU_OK;
    for (size_t i = 0; rc == SOU_OK && i < w->n; i++) {
        rc = sou_strlist_add(&p->pq->words, w->v[i].term, strlen(w->v[i].term), 1, p->err);
        if (rc == SOU_OK && stemmed && w->v[i].stem)
            rc = sou_strlist_add(&p->pq->stems, w->v[i].stem, strlen(w->v[i].stem), 1, p->err);
    }
    return rc;
}

/* ---- Clauses ------------------------------------------------------------------ */

/* Adds a text clause (a quoted phrase or an unquoted run). */
static int add_text_clause(struct parser *p, const char *s, size_t len, int quoted, int neg,
                           size_t at)
{
    struct words w;
    int rc = analyze_piece(p, s, len, &w);
    if (rc != SOU_OK || w.n == 0) {
        words_release(&w);
        if (rc == SOU_OK && p->pending_or)
            return syntax_error(p, at, "OR must join two searchable clauses");
        return rc;
    }
    sou_query *q = NULL;
    /* An excluded run is excluded as a phrase: `-資深官員` should not drop
     * every document that merely mentions 資深 somewhere. */
    if (quoted || neg)
        rc = phrase_query(&w, &q, p->err);
    else
        rc = run_query(&w, &q, p->err);
    if (rc == SOU_OK && !neg)
        rc = note_match_terms(p, &w, !quoted);
    words_release(&w);
    if (rc != SOU_OK) {
        sou_query_free(q);
        return rc;
    }
    if (neg) {
        if (p->pending_or)
            rc = syntax_error(p, at, "OR cannot join an excluded clause");
        if (rc != SOU_OK) {
            sou_query_free(q);
            return rc;
        }
        p->last = CLAUSE_NEGATIVE;
        return qlist_push(&p->negative, q, p->err);
    }
    if (p->pending_or) {
        if (p->last != CLAUSE_POSITIVE || p->positive.n == 0) {
            sou_query_free(q);
            return syntax_error(p, p->or_at, "OR must join two searchable clauses");
        }
        sou_query *pair[2] = {p->positive.v[p->positive.n - 1], q};
        sou_query *either = NULL;
        rc = sou_query_combine(SOU_OP_OR, pair, 2, 0, &either, p->err);
        sou_query_free(q);
        if (rc != SOU_OK)
            return rc;
        sou_query_free(p->positive.v[p->positive.n - 1]);
        p->positive.v[p->positive.n - 1] = either;
        p->pending_or = 0;
        p->last = CLAUSE_POSITIVE;
        return SOU_OK;
    }
    p->last = CLAUSE_POSITIVE;
    return qlist_push(&p->positive, q, p->err);
}

static int add_filter_clause(struct parser *p, enum field f, const char *v, size_t len, size_t at)
{
    char value[SOU_TERM_MAX + 1];
    if (len == 0)
        return syntax_error(p, at, "a filter needs a value, as in type:meeting");
    if (len > SOU_ID_MAX)
        return syntax_error(p, at, "filter value too long");
    for (size_t i = 0; i < len; i++)
        value[i] = (fields[f].fold_case && v[i] >= 'A' && v[i] <= 'Z') ? (char)(v[i] + 32) : v[i];
    value[len] = '\0';
    if (p->pending_or && p->last != CLAUSE_FILTER)
        return syntax_error(p, p->or_at, "OR cannot join a filter and a word");
    p->pending_or = 0; /* values of one field are alternatives anyway */
    sou_query *q = NULL;
    int rc = term_query(fields[f].prefix, value, 0, &q, p->err);
    if (rc != SOU_OK)
        return rc;
    p->last = CLAUSE_FILTER;
    return qlist_push(&p->filter[f], q, p->err);
}

/* Both ends of the span a date names: 2026-05 runs from 20260500 to
 * 20260599. */
static int date_keys(const char *s, size_t len, char lo[9], char hi[9])
{
    if (sou_date_key(s, len, 0, lo) != 0 || sou_date_key(s, len, 1, hi) != 0)
        return -1;
    return 0;
}

static int add_date_clause(struct parser *p, const char *v, size_t len, size_t at)
{
    static const char expect[] = "expected date:YYYY[-MM[-DD]][..YYYY[-MM[-DD]]]";
    char lo[9], hi[9];
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < len; i++)
        if (v[i] == '.' && v[i + 1] == '.') {
            dots = v + i;
            break;
        }
    int have_lo, have_hi;
    if (!dots) {
        have_lo = have_hi = 1;
        if (len == 0 || date_keys(v, len, lo, hi) != 0)
            return syntax_error(p, at, expect);
    } else {
        size_t llen = (size_t)(dots - v), hlen = len - llen - 2;
        have_lo = llen > 0;
        have_hi = hlen > 0;
        char ignore[9];
        if ((!have_lo && !have_hi) || (have_lo && date_keys(v, llen, lo, ignore) != 0) ||
            (have_hi && date_keys(dots + 2, hlen, ignore, hi) != 0))
            return syntax_error(p, at, expect);
        if (have_lo && have_hi && strcmp(lo, hi) > 0)
            return syntax_error(p, at, "date range ends before it starts");
    }
    if (p->date)
        return syntax_error(p, at, "only one date: filter is allowed");
    if (p->pending_or)
        return syntax_error(p, p->or_at, "OR cannot join a date filter");
    p->last = CLAUSE_FILTER;
    return sou_query_value_range(SOU_SLOT_DATE, have_lo ? lo : NULL, have_hi ? hi : NULL, &p->date,
                                 p->err);
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

/* Finds the closing quote (" or U+201D) from s; returns its offset from s
 * and its length in *qlen, or -1 if there is none. */
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

static int field_by_name(const char *s, size_t len)
{
    for (int f = 0; f < FIELD_COUNT; f++)
        if (strlen(fields[f].name) == len && memcmp(fields[f].name, s, len) == 0)
            return f;
    return -1;
}

/* Parses one clause starting at p->i (not at a separator). */
static int parse_clause(struct parser *p)
{
    size_t at = p->i;
    const char *s = p->text + p->i;
    size_t left = p->len - p->i;
    int neg = 0;
    if (left > 1 && (*s == '-' || *s == '+') && !space_len(s + 1, left - 1)) {
        neg = *s == '-';
        s++;
        left--;
        p->i++;
    }
    size_t q = open_quote_len(s, left);
    if (q) {
        size_t qlen = 0;
        long close = find_close_quote(s + q, left - q, &qlen);
        if (close < 0)
            return syntax_error(p, at, "unterminated quote");
        p->i += q + (size_t)close + qlen;
        return add_text_clause(p, s + q, (size_t)close, 1, neg, at);
    }
    size_t n = 0;
    while (n < left && !space_len(s + n, left - n) && !open_quote_len(s + n, left - n))
        n++;
    p->i += n;
    if (!neg && n == 2 && memcmp(s, "OR", 2) == 0) {
        if (p->pending_or || p->last == CLAUSE_NONE || p->last == CLAUSE_NEGATIVE)
            return syntax_error(p, at, "OR must join two searchable clauses");
        p->pending_or = 1;
        p->or_at = at;
        return SOU_OK;
    }
    const char *colon = memchr(s, ':', n);
    if (!neg && colon) {
        size_t name_len = (size_t)(colon - s);
        size_t vlen = n - name_len - 1;
        int f = field_by_name(s, name_len);
        if (f >= 0)
            return add_filter_clause(p, (enum field)f, colon + 1, vlen, at);
        if (name_len == 4 && memcmp(s, "date", 4) == 0)
            return add_date_clause(p, colon + 1, vlen, at);
    }
    return add_text_clause(p, s, n, 0, neg, at);
}

/* Puts the parts together: (positive AND_NOT negative) FILTER filters. */
static int assemble(struct parser *p, sou_query **out)
{
    sou_error *err = p->err;
    sou_query *q = NULL, *tmp = NULL;
    int rc = qlist_combine(&p->positive, SOU_OP_AND, &q, err);
    int has_filter = p->date != NULL;
    for (int f = 0; f < FIELD_COUNT; f++)
        has_filter |= p->filter[f].n > 0;
    if (rc == SOU_OK && !q) {
        if (p->negative.n == 0 && !has_filter)
            return sou_error_set(err, SOU_ERR_EMPTY_QUERY, "the query has no searchable words");
        rc = sou_query_value_range(SOU_SLOT_DATE, NULL, NULL, &q, err); /* everything */
    }
    if (rc == SOU_OK && p->negative.n > 0) {
        sou_query *any = NULL;
        rc = qlist_combine(&p->negative, SOU_OP_OR, &any, err);
        if (rc == SOU_OK) {
            sou_query *pair[2] = {q, any};
            rc = sou_query_combine(SOU_OP_AND_NOT, pair, 2, 0, &tmp, err);
            sou_query_free(q);
            q = tmp;
        }
        sou_query_free(any);
    }
    struct qlist filters = {0};
    for (int f = 0; rc == SOU_OK && f < FIELD_COUNT; f++) {
        if (p->filter[f].n == 0)
            continue;
        sou_query *any = NULL;
        rc = qlist_combine(&p->filter[f], SOU_OP_OR, &any, err);
        if (rc == SOU_OK)
            rc = qlist_push(&filters, any, err);
    }
    if (rc == SOU_OK && p->date) {
        rc = qlist_push(&filters, p->date, err);
        p->date = NULL;
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

SOU_API int sou_qparse(sou_analyzer *a, const char *text, size_t len, sou_parsed_query *out,
                       sou_error *err)
{
    if (!out)
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "sou_qparse: out is NULL");
    memset(out, 0, sizeof *out);
    if (!a || (!text && len > 0))
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "sou_qparse: NULL argument");
    size_t bad = 0;
    if (!sou_utf8_valid(text, len, &bad))
        return sou_error_set(err, SOU_ERR_UTF8, "query is not valid UTF-8 (byte %zu)", bad);
    struct parser p = {.a = a, .text = text, .len = len, .pq = out, .err = err};
    int rc = SOU_OK;
    while (rc == SOU_OK && p.i < len) {
        size_t sp = space_len(text + p.i, len - p.i);
        if (sp) {
            p.i += sp;
            continue;
        }
        rc = parse_clause(&p);
    }
    if (rc == SOU_OK && p.pending_or)
        rc = syntax_error(&p, p.or_at, "OR must join two searchable clauses");
    if (rc == SOU_OK)
        rc = assemble(&p, &out->query);
    qlist_release(&p.positive);
    qlist_release(&p.negative);
    for (int f = 0; f < FIELD_COUNT; f++)
        qlist_release(&p.filter[f]);
    sou_query_free(p.date);
    return rc;
}

SOU_API void sou_parsed_query_release(sou_parsed_query *pq)
{
    if (!pq)
        return;
    sou_query_free(pq->query);
    sou_strlist_release(&pq->tokens);
    sou_strlist_release(&pq->words);
    sou_strlist_release(&pq->stems);
    memset(pq, 0, sizeof *pq);
}
