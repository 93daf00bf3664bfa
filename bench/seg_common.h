/*
 * seg_common.h - what the benchmark programs that read gold segmentations
 * (segscore, fmm-baseline, retrieval-gen, bench-corpus) share: a set of
 * words read from a word list, line ends, word separators, CoNLL-U token
 * lines, growable arrays and the seeded random numbers the generators draw.
 */
#ifndef SOU_BENCH_SEG_COMMON_H
#define SOU_BENCH_SEG_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sou/normalize.h"

/* A set of words (open addressing, FNV-1a); the strings are owned. */
struct wordset {
    char **slot;
    size_t *slen;
    size_t cap, n;
    size_t max_chars; /* the longest word, in characters */
};

static inline uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static inline size_t wordset_find(const struct wordset *w, const char *s, size_t len)
{
    size_t i = (size_t)hash_bytes(s, len) & (w->cap - 1);
    while (w->slot[i] && !(w->slen[i] == len && memcmp(w->slot[i], s, len) == 0))
        i = (i + 1) & (w->cap - 1);
    return i;
}

static inline int wordset_has(const struct wordset *w, const char *s, size_t len)
{
    return w->cap && w->slot[wordset_find(w, s, len)] != NULL;
}

static inline int wordset_add(struct wordset *w, const char *s, size_t len)
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

static inline void wordset_release(struct wordset *w)
{
    for (size_t i = 0; i < w->cap; i++)
        free(w->slot[i]);
    free(w->slot);
    free(w->slen);
}

static inline size_t chomp(char *line, size_t n)
{
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    return n;
}

static inline int read_wordset(const char *path, struct wordset *w)
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

static inline size_t separator_len(const char *s, size_t left)
{
    if (*s == ' ' || *s == '\t')
        return 1;
    if (left >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0)
        return 3;
    return 0;
}

/* The FORM of a CoNLL-U token line, or NULL for a range (3-4), an empty
 * node (5.1) or a line that is not a token. */
static inline const char *conllu_form(const char *line, size_t *form_len)
{
    const char *tab = strchr(line, '\t');
    if (!tab || tab == line)
        return NULL;
    for (const char *p = line; p < tab; p++)
        if (*p < '0' || *p > '9')
            return NULL;
    const char *end = strchr(tab + 1, '\t');
    *form_len = end ? (size_t)(end - tab - 1) : strlen(tab + 1);
    return tab + 1;
}

/* p (an array of *cap items of size bytes) with room for need items: p
 * itself, or a larger copy (*cap updated), or NULL if out of memory (p
 * untouched). */
static inline void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t n = *cap ? *cap : 256;
    while (n < need)
        n *= 2;
    void *q = realloc(p, n * size);
    if (q)
        *cap = n;
    return q;
}

/* splitmix64: a seed always gives the same numbers, on any machine. */
static inline uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* A number in [0, n), n > 0; the modulo bias is below 2^-40 for any n here. */
static inline size_t draw(uint64_t *state, size_t n)
{
    return (size_t)(splitmix64(state) % n);
}

#endif
