/*
 * fmm-baseline.c - forward maximum matching, the SIGHAN bakeoff baseline.
 *
 * Segments each stdin line greedily from the left: the longest word of the
 * word list that starts here, else one character. Whitespace (ASCII space,
 * tab, U+3000) ends a word and is dropped; CR/LF line ends are dropped.
 * Prints one line per input line, words separated by single spaces, ready
 * for segscore.
 *
 * Usage: fmm-baseline WORDLIST < TEXT
 * Exit status: 0 done, 1 unreadable word list or invalid UTF-8, 2 usage.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sou/normalize.h"

static const char usage_text[] = "usage: fmm-baseline WORDLIST < TEXT\n";

/* A set of words (open addressing, FNV-1a); the strings are owned. */
struct wordset {
    char **slot;
    size_t *slen;
    size_t cap, n;
    size_t max_chars; /* the longest word, in characters */
};

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static size_t wordset_find(const struct wordset *w, const char *s, size_t len)
{
    size_t i = (size_t)hash_bytes(s, len) & (w->cap - 1);
    while (w->slot[i] && !(w->slen[i] == len && memcmp(w->slot[i], s, len) == 0))
        i = (i + 1) & (w->cap - 1);
    return i;
}

static int wordset_has(const struct wordset *w, const char *s, size_t len)
{
    return w->cap && w->slot[wordset_find(w, s, len)] != NULL;
}

static int wordset_add(struct wordset *w, const char *s, size_t len)
{
    if (2 * (w->n + 1) > w->cap) {
        struct wordset g = {0};
        g.cap = w->cap ? w->cap * 2 : 1024;
        g.slot = calloc(g.cap, sizeof *g.slot);
        g.slen = calloc(g.cap, sizeof *g.slen);
        if (!g.slot || !g.slen) {
            free(g.slot);
            free(g.slen);
            return -1;
        }
        for (size_t i = 0; i < w->cap; i++)
            if (w->slot[i]) {
                size_t j = wordset_find(&g, w->slot[i], w->slen[i]);
                g.slot[j] = w->slot[i];
                g.slen[j] = w->slen[i];
            }
        g.n = w->n;
        g.max_chars = w->max_chars;
        free(w->slot);
        free(w->slen);
        *w = g;
    }
    size_t i = wordset_find(w, s, len);
    if (w->slot[i])
        return 0;
    if (!(w->slot[i] = strndup(s, len)))
        return -1;
    w->slen[i] = len;
    w->n++;
    size_t chars = 0;
    for (size_t k = 0; k < len; k += sou_utf8_seqlen((unsigned char)s[k]))
        chars++;
    if (chars > w->max_chars)
        w->max_chars = chars;
    return 0;
}

static void wordset_release(struct wordset *w)
{
    for (size_t i = 0; i < w->cap; i++)
        free(w->slot[i]);
    free(w->slot);
    free(w->slen);
}

static size_t chomp(char *line, size_t n)
{
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    return n;
}

static int read_wordset(const char *path, struct wordset *w)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;
    while (rc == 0 && (n = getline(&line, &cap, f)) > 0) {
        size_t len = chomp(line, (size_t)n);
        if (len > 0)
            rc = wordset_add(w, line, len);
    }
    free(line);
    fclose(f);
    return rc;
}

static size_t separator_len(const char *s, size_t left)
{
    if (*s == ' ' || *s == '\t')
        return 1;
    if (left >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0)
        return 3;
    return 0;
}

/* Segments the run s[0..len) (no separators) and prints its words, each
 * preceded by a space unless it is the line's first. */
static void segment_run(const struct wordset *w, const char *s, size_t len, size_t *bounds,
                        int *first)
{
    size_t nch = 0;
    for (size_t i = 0; i < len; i += sou_utf8_seqlen((unsigned char)s[i]))
        bounds[nch++] = i;
    bounds[nch] = len;
    for (size_t c = 0; c < nch;) {
        size_t take = 1;
        size_t most = nch - c < w->max_chars ? nch - c : w->max_chars;
        for (size_t k = most; k >= 2; k--)
            if (wordset_has(w, s + bounds[c], bounds[c + k] - bounds[c])) {
                take = k;
                break;
            }
        printf("%s%.*s", *first ? "" : " ", (int)(bounds[c + take] - bounds[c]), s + bounds[c]);
        *first = 0;
        c += take;
    }
}

int main(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-') {
        fputs(usage_text, stderr);
        return 2;
    }
    struct wordset words = {0};
    char *line = NULL;
    size_t cap = 0, *bounds = NULL, bcap = 0, lineno = 0;
    ssize_t n;
    int rc = 1;
    if (read_wordset(argv[1], &words) != 0)
        goto out;
    while ((n = getline(&line, &cap, stdin)) > 0) {
        size_t len = chomp(line, (size_t)n), bad;
        lineno++;
        if (!sou_utf8_valid(line, len, &bad)) {
            fprintf(stderr, "fmm-baseline: line %zu: invalid UTF-8 at byte %zu\n", lineno, bad + 1);
            goto out;
        }
        if (len + 1 > bcap) {
            bcap = len + 1;
            free(bounds);
            if (!(bounds = malloc(bcap * sizeof *bounds)))
                goto out;
        }
        int first = 1;
        for (size_t i = 0; i < len;) {
            size_t sep = separator_len(line + i, len - i);
            if (sep) {
                i += sep;
                continue;
            }
            size_t start = i;
            while (i < len && !separator_len(line + i, len - i))
                i += sou_utf8_seqlen((unsigned char)line[i]);
            segment_run(&words, line + start, i - start, bounds, &first);
        }
        printf("\n");
    }
    rc = 0;
out:
    wordset_release(&words);
    free(line);
    free(bounds);
    return rc;
}
