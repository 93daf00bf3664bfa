/*
 * retrieval-gen.c - turns a gold segmentation into a small search collection
 * and a known-item query set, for bench/retrieval.sh.
 *
 * Documents are runs of S consecutive gold sentences (empty ones skipped),
 * written as JSON Lines {"id":"PREFIX-000001","title":"","body":"..."}; the
 * body is the sentences' words concatenated (a space only between two ASCII
 * letters or digits, so Latin words stay apart). The title stays empty
 * because sou-index weights title words (SOU_WDF_TITLE), which would favour
 * the first sentence's words.
 *
 * Queries are TSV lines "TARGET-ID<TAB>W1 W2 W3": 1 to 3 distinct gold words
 * of the target, drawn uniformly among its eligible words with a seeded
 * splitmix64, so a seed always gives the same file. A word is eligible if it
 * has a Han character, no character the query language gives a meaning to
 * (ASCII punctuation, curly quotes), and a document frequency - counted over
 * gold words, i.e. under a perfect segmentation - of at most --max-df
 * (default 50, or 5% of the documents if that is less, so that GSD's 50
 * documents stay selective too). Under the gold segmentation such a query
 * finds its target among a few dozen documents at worst, so what a mode
 * loses is what its segmentation costs. Targets are drawn pass after pass
 * over a shuffled list of the documents that have an eligible word, so all
 * get about as many queries; a (target, query) pair is never repeated, and a
 * document with no new query left is passed over.
 *
 * Options: --seed N (default 1); --queries N in all (default 1000) or
 * --per-doc K (at most K for each document); --sentences-per-doc S (default
 * 10); --max-df D; --prefix P for the ids (default doc).
 *
 * GOLD is SIGHAN format (one sentence a line, words separated by ASCII
 * spaces, tabs or U+3000) or, if its name ends in .conllu, CoNLL-U (the FORM
 * column; ranges 3-4 and empty nodes 5.1 skipped; a blank line ends a
 * sentence), as in segscore.c.
 *
 * Usage: retrieval-gen [options] GOLD DOCS.jsonl QUERIES.tsv
 * Prints "documents N", "sentences N", "max df N" and "queries N".
 * Exit status: 0 written, 1 bad input or nothing to query, 2 usage.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sou/normalize.h"

#include "seg_common.h"

static const char usage_text[] =
    "usage: retrieval-gen [--seed N] [--queries N | --per-doc K] [--sentences-per-doc S]\n"
    "                     [--max-df D] [--prefix P] GOLD DOCS.jsonl QUERIES.tsv\n";

#define MAX_WORDS 3 /* words per query, at most */
#define TRIES     8 /* draws per target before passing it over */

/* The gold text: every word concatenated into text; word i is
 * [wstart(i), wend[i]); sentence s holds words [sfirst[s], sfirst[s + 1]). */
struct gold {
    char *text;
    size_t len, cap;
    size_t *wend, nw, wcap;
    size_t *sfirst, ns, scap;
};

static size_t wstart(const struct gold *g, size_t i)
{
    return i ? g->wend[i - 1] : 0;
}

/* Appends word w[0..n) (separators inside it dropped) to the open sentence. */
static int add_word(struct gold *g, const char *w, size_t n)
{
    char *text = grow(g->text, &g->cap, g->len + n + 1, 1);
    if (text)
        g->text = text;
    size_t *wend = grow(g->wend, &g->wcap, g->nw + 1, sizeof *wend);
    if (wend)
        g->wend = wend;
    if (!text || !wend)
        return -1;
    size_t start = g->len;
    for (size_t i = 0; i < n;) {
        size_t sep = separator_len(w + i, n - i);
        if (sep)
            i += sep;
        else
            g->text[g->len++] = w[i++];
    }
    if (g->len > start)
        g->wend[g->nw++] = g->len;
    return 0;
}

/* Closes the sentence opened at word first; an empty one is dropped. */
static int end_sentence(struct gold *g, size_t first)
{
    if (g->nw == first)
        return 0;
    size_t *sfirst = grow(g->sfirst, &g->scap, g->ns + 2, sizeof *sfirst);
    if (!sfirst)
        return -1;
    g->sfirst = sfirst;
    g->sfirst[g->ns++] = first;
    g->sfirst[g->ns] = g->nw;
    return 0;
}

static int read_gold(const char *path, struct gold *g)
{
    size_t plen = strlen(path);
    int conllu = plen >= 7 && strcmp(path + plen - 7, ".conllu") == 0;
    FILE *in = fopen(path, "r");
    if (!in) {
        perror(path);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, lineno = 0, first = 0, bad;
    ssize_t n;
    int rc = 0;
    while (rc == 0 && (n = getline(&line, &cap, in)) > 0) {
        size_t len = chomp(line, (size_t)n);
        lineno++;
        if (!sou_utf8_valid(line, len, &bad)) {
            fprintf(stderr, "retrieval-gen: %s:%zu: invalid UTF-8 at byte %zu\n", path, lineno,
                    bad + 1);
            rc = -1;
        } else if (conllu && len == 0) {
            rc = end_sentence(g, first);
            first = g->nw;
        } else if (conllu) {
            size_t flen;
            const char *form = line[0] == '#' ? NULL : conllu_form(line, &flen);
            if (form)
                rc = add_word(g, form, flen);
        } else {
            for (size_t i = 0, sep; rc == 0 && i < len;) {
                while (i < len && (sep = separator_len(line + i, len - i)))
                    i += sep;
                size_t start = i;
                while (i < len && !separator_len(line + i, len - i))
                    i++;
                if (i > start)
                    rc = add_word(g, line + start, i - start);
            }
            if (rc == 0)
                rc = end_sentence(g, first);
            first = g->nw;
        }
    }
    if (rc == 0)
        rc = end_sentence(g, first);
    free(line);
    fclose(in);
    return rc;
}

/* 1 if the word may go into a query: a Han character, and nothing the
 * query parser reads as syntax ("phrase", -word, field:value, ...). */
static int query_word(const char *s, size_t len)
{
    int han = 0;
    for (size_t i = 0; i < len;) {
        const unsigned char *p = (const unsigned char *)s + i;
        size_t n = sou_utf8_seqlen(*p);
        if (n == 1 && ((*p >= 0x21 && *p <= 0x2F) || (*p >= 0x3A && *p <= 0x40) ||
                       (*p >= 0x5B && *p <= 0x60) || (*p >= 0x7B && *p <= 0x7E)))
            return 0;
        if (n == 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x9C || p[2] == 0x9D))
            return 0; /* curly double quotes open a phrase */
        uint32_t c = n == 1 ? p[0] : p[0] & (0xFFu >> (n + 1));
        for (size_t k = 1; k < n; k++)
            c = (c << 6) | (p[k] & 0x3F);
        han |= (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
               (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
        i += n;
    }
    return han;
}

static int ascii_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static void put_json_string(FILE *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            putc(c, out);
    }
}

static void write_doc(FILE *out, const struct gold *g, const char *prefix, size_t d, size_t w0,
                      size_t w1)
{
    fprintf(out, "{\"id\":\"%s-%06zu\",\"title\":\"\",\"body\":\"", prefix, d + 1);
    for (size_t i = w0; i < w1; i++) {
        size_t s = wstart(g, i);
        if (i > w0 && ascii_alnum((unsigned char)g->text[s - 1]) &&
            ascii_alnum((unsigned char)g->text[s]))
            putc(' ', out);
        put_json_string(out, g->text + s, g->wend[i] - s);
    }
    fputs("\"}\n", out);
}

struct options {
    uint64_t seed;
    size_t queries, per_doc, sentences, max_df;
    const char *prefix;
};

static int parse_size(const char *s, size_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || v > SIZE_MAX / 4)
        return -1;
    *out = (size_t)v;
    return 0;
}

/* Draws 1 to MAX_WORDS distinct words of words[0..n) (pick: room for n) and
 * appends them to *q from byte qlen on, separated by spaces, in document
 * order so the same words make the same query. Returns the new length, or 0
 * when out of memory. */
static size_t draw_query(const struct gold *g, const size_t *words, size_t n, size_t *pick,
                         uint64_t *state, char **q, size_t *qcap, size_t qlen)
{
    size_t k = 1 + draw(state, MAX_WORDS);
    k = k < n ? k : n;
    memcpy(pick, words, n * sizeof *pick);
    for (size_t m = 0; m < k; m++) { /* a partial shuffle, its head kept sorted */
        size_t r = m + draw(state, n - m), w = pick[r];
        pick[r] = pick[m];
        pick[m] = w;
        for (size_t j = m; j > 0 && pick[j - 1] > pick[j]; j--) {
            pick[j] = pick[j - 1];
            pick[j - 1] = w;
        }
    }
    for (size_t m = 0; m < k; m++) {
        size_t w0 = wstart(g, pick[m]), wl = g->wend[pick[m]] - w0;
        char *nq = grow(*q, qcap, qlen + wl + 2, 1);
        if (!nq)
            return 0;
        *q = nq;
        if (m)
            (*q)[qlen++] = ' ';
        memcpy(*q + qlen, g->text + w0, wl);
        qlen += wl;
    }
    (*q)[qlen] = '\0';
    return qlen;
}

/* Draws the queries into out; *written is how many. elig[eoff[d]..eoff[d+1])
 * are the eligible words of document d (a word index for each distinct one).
 * Each pass over the shuffled documents gives each at most one query, so
 * --per-doc K is K passes. */
static int write_queries(FILE *out, const struct gold *g, const size_t *eoff, const size_t *elig,
                         size_t ndocs, const struct options *o, size_t *written)
{
    size_t *order = malloc((ndocs + 1) * sizeof *order), norder = 0, maxlen = 0;
    size_t *pick = NULL, qcap = 64;
    char *q = NULL;
    struct wordset seen = {0};
    int rc = -1;
    for (size_t d = 0; order && d < ndocs; d++)
        if (eoff[d + 1] > eoff[d]) {
            order[norder++] = d;
            maxlen = eoff[d + 1] - eoff[d] > maxlen ? eoff[d + 1] - eoff[d] : maxlen;
        }
    size_t target = o->per_doc ? SIZE_MAX : o->queries;
    size_t passes = o->per_doc ? o->per_doc : SIZE_MAX;
    if (!order || !(pick = malloc((maxlen + 1) * sizeof *pick)) || !(q = malloc(qcap)))
        goto out;
    uint64_t state = o->seed;
    *written = 0;
    int progress = 1;
    for (size_t pass = 0; pass < passes && *written < target && progress; pass++) {
        progress = 0;
        for (size_t i = norder; i > 1; i--) {
            size_t j = draw(&state, i), t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        for (size_t i = 0; i < norder && *written < target; i++) {
            size_t d = order[i], n = eoff[d + 1] - eoff[d];
            /* The key is "d<TAB>query": the same query for another target is fine. */
            size_t key = (size_t)snprintf(q, qcap, "%zu\t", d), len = 0;
            for (int t = 0; t < TRIES; t++) {
                if (!(len = draw_query(g, elig + eoff[d], n, pick, &state, &q, &qcap, key)))
                    goto out;
                if (!wordset_has(&seen, q, len))
                    break;
                len = 0;
            }
            if (!len)
                continue;
            if (wordset_add(&seen, q, len) != 0)
                goto out;
            fprintf(out, "%s-%06zu\t%s\n", o->prefix, d + 1, q + key);
            (*written)++;
            progress = 1;
        }
    }
    rc = 0;
out:
    free(order);
    free(pick);
    free(q);
    wordset_release(&seen);
    return rc;
}

static int parse_option(struct options *o, const char *opt, const char *val)
{
    size_t v = 0;
    if (!val)
        return -1;
    if (strcmp(opt, "--prefix") == 0) {
        o->prefix = val;
        return *val && !strpbrk(val, "\"\\\t\n") ? 0 : -1;
    }
    if (parse_size(val, &v) != 0)
        return -1;
    if (strcmp(opt, "--seed") == 0)
        o->seed = v;
    else if (strcmp(opt, "--queries") == 0)
        o->queries = v;
    else if (strcmp(opt, "--per-doc") == 0)
        o->per_doc = v;
    else if (strcmp(opt, "--sentences-per-doc") == 0 && v > 0)
        o->sentences = v;
    else if (strcmp(opt, "--max-df") == 0 && v > 0)
        o->max_df = v;
    else
        return -1;
    return 0;
}

/* The words [*w0, *w1) of document d. */
static void doc_words(const struct gold *g, size_t per, size_t d, size_t *w0, size_t *w1)
{
    size_t s1 = (d + 1) * per < g->ns ? (d + 1) * per : g->ns;
    *w0 = g->sfirst[d * per];
    *w1 = g->sfirst[s1];
}

int main(int argc, char **argv)
{
    struct options o = {.seed = 1, .queries = 1000, .sentences = 10, .prefix = "doc"};
    int argi = 1;
    for (; argi < argc && argv[argi][0] == '-'; argi += 2)
        if (parse_option(&o, argv[argi], argi + 1 < argc ? argv[argi + 1] : NULL) != 0)
            break;
    if (argc - argi != 3 || (argi < argc && argv[argi][0] == '-')) {
        fputs(usage_text, stderr);
        return 2;
    }
    struct gold g = {0};
    struct wordset ws = {0};
    size_t *wslot = NULL, *df = NULL, *last = NULL, *eoff = NULL, *elig = NULL;
    unsigned char *fit = NULL;
    FILE *docs = NULL, *queries = NULL;
    size_t ndocs = 0, nelig = 0, written = 0;
    int rc = 1;
    if (read_gold(argv[argi], &g) != 0)
        goto out;
    if (g.ns == 0) {
        fprintf(stderr, "retrieval-gen: %s: no sentences\n", argv[argi]);
        goto out;
    }
    ndocs = (g.ns + o.sentences - 1) / o.sentences;
    if (!o.max_df)
        o.max_df = ndocs / 20 >= 50 ? 50 : ndocs / 20 ? ndocs / 20 : 1;
    for (size_t i = 0; i < g.nw; i++)
        if (wordset_add(&ws, g.text + wstart(&g, i), g.wend[i] - wstart(&g, i)) != 0)
            goto nomem;
    /* Slots are stable now that every word is in: they index df, last, fit. */
    wslot = malloc(g.nw * sizeof *wslot);
    df = calloc(ws.cap, sizeof *df);
    last = calloc(ws.cap, sizeof *last);
    fit = calloc(ws.cap, 1);
    eoff = calloc(ndocs + 1, sizeof *eoff);
    elig = malloc(g.nw * sizeof *elig);
    if (!wslot || !df || !last || !fit || !eoff || !elig)
        goto nomem;
    for (size_t i = 0; i < g.nw; i++) {
        const char *w = g.text + wstart(&g, i);
        size_t len = g.wend[i] - wstart(&g, i), slot = wslot[i] = wordset_find(&ws, w, len);
        fit[slot] = (unsigned char)query_word(w, len);
    }
    /* last[slot] is the last document (+ 1) that counted the word: the
     * first pass counts document frequencies, the second (offset by ndocs)
     * collects each document's distinct eligible words. */
    for (size_t d = 0, w0, w1; d < ndocs; d++) {
        doc_words(&g, o.sentences, d, &w0, &w1);
        for (size_t i = w0; i < w1; i++)
            if (last[wslot[i]] != d + 1) {
                last[wslot[i]] = d + 1;
                df[wslot[i]]++;
            }
    }
    for (size_t d = 0, w0, w1; d < ndocs; d++) {
        doc_words(&g, o.sentences, d, &w0, &w1);
        for (size_t i = w0; i < w1; i++) {
            size_t slot = wslot[i];
            if (fit[slot] && df[slot] <= o.max_df && last[slot] != d + 1 + ndocs) {
                last[slot] = d + 1 + ndocs;
                elig[nelig++] = i;
            }
        }
        eoff[d + 1] = nelig;
    }
    if (nelig == 0) {
        fprintf(stderr, "retrieval-gen: %s: no word fit for a query (Han, df <= %zu)\n", argv[argi],
                o.max_df);
        goto out;
    }
    if (!(docs = fopen(argv[argi + 1], "w")) || !(queries = fopen(argv[argi + 2], "w"))) {
        perror(docs ? argv[argi + 2] : argv[argi + 1]);
        goto out;
    }
    for (size_t d = 0, w0, w1; d < ndocs; d++) {
        doc_words(&g, o.sentences, d, &w0, &w1);
        write_doc(docs, &g, o.prefix, d, w0, w1);
    }
    if (write_queries(queries, &g, eoff, elig, ndocs, &o, &written) != 0)
        goto nomem;
    if (ferror(docs) || ferror(queries)) {
        fprintf(stderr, "retrieval-gen: write error\n");
        goto out;
    }
    printf("documents %zu\nsentences %zu\nmax df %zu\nqueries %zu\n", ndocs, g.ns, o.max_df,
           written);
    rc = 0;
    goto out;
nomem:
    fprintf(stderr, "retrieval-gen: out of memory\n");
out:
    if (docs && fclose(docs) != 0)
        rc = 1;
    if (queries && fclose(queries) != 0)
        rc = 1;
    free(g.text);
    free(g.wend);
    free(g.sfirst);
    wordset_release(&ws);
    free(wslot);
    free(df);
    free(last);
    free(fit);
    free(eoff);
    free(elig);
    return rc;
}
