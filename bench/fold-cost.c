/*
 * fold-cost.c - what folding Chinese scripts costs the analysis chain.
 *
 * Times, over the lines of a text file, the whole analysis chain
 * (sou_analyze: ICU words, normalization, fold, stems) and the fold steps
 * alone (the Simplified -> Traditional copy made for segmenting, and the
 * Traditional -> Simplified fold of every character), each as the best of
 * several rounds, and prints the fold's share of the chain's time.
 *
 * Usage: fold-cost TEXT-FILE [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sou/analyze.h"
#include "sou/normalize.h"
#include "../lib/fold.h"

struct lines {
    char **v;
    size_t *len;
    size_t n;
    size_t bytes;
};

static int read_lines(const char *path, struct lines *l)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    size_t alloc = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (l->n == alloc) {
            alloc = alloc ? alloc * 2 : 1024;
            l->v = realloc(l->v, alloc * sizeof *l->v);
            l->len = realloc(l->len, alloc * sizeof *l->len);
            if (!l->v || !l->len)
                return -1;
        }
        l->len[l->n] = (size_t)n;
        l->v[l->n++] = strndup(line, (size_t)n);
        l->bytes += (size_t)n;
    }
    free(line);
    fclose(f);
    return 0;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int count_token(void *ctx, int flags, const char *term, size_t term_len, size_t start,
                       size_t end, uint32_t pos)
{
    (void)flags;
    (void)term;
    (void)term_len;
    (void)start;
    (void)end;
    (void)pos;
    (*(size_t *)ctx)++;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: fold-cost TEXT-FILE [ROUNDS]\n");
        return 2;
    }
    int rounds = argc > 2 ? atoi(argv[2]) : 5;
    struct lines l = {0};
    if (read_lines(argv[1], &l) != 0)
        return 1;
    sou_error err;
    sou_analyzer *a = NULL;
    if (sou_analyzer_new(&a, &err) != SOU_OK) {
        fprintf(stderr, "fold-cost: %s\n", err.msg);
        return 1;
    }
    char *copy = malloc(l.bytes + 1);
    double best_chain = 1e9, best_fold = 1e9;
    size_t tokens = 0;
    unsigned long sink = 0;
    for (int r = 0; r < rounds; r++) {
        double t0 = now();
        for (size_t i = 0; i < l.n; i++)
            if (sou_analyze(a, SOU_MODE_DOCUMENT, l.v[i], l.len[i], &tokens, count_token, &err) !=
                SOU_OK) {
                fprintf(stderr, "fold-cost: line %zu: %s\n", i + 1, err.msg);
                return 1;
            }
        double t1 = now();
        for (size_t i = 0; i < l.n; i++) {
            sou_fold_for_segmentation(l.v[i], l.len[i], copy);
            const unsigned char *s = (const unsigned char *)l.v[i];
            for (size_t k = 0; k + 2 < l.len[i]; k++)
                if (s[k] >= 0xE3 && s[k] <= 0xE9) {
                    int c = ((s[k] & 0x0F) << 12) | ((s[k + 1] & 0x3F) << 6) | (s[k + 2] & 0x3F);
                    sink += (unsigned long)sou_fold_char(c);
                    k += 2;
                }
        }
        double t2 = now();
        if (t1 - t0 < best_chain)
            best_chain = t1 - t0;
        if (t2 - t1 < best_fold)
            best_fold = t2 - t1;
    }
    double mb = (double)l.bytes / 1e6;
    printf("text: %s, %.2f MB, %zu lines (checksum %lu)\n", argv[1], mb, l.n, sink % 10);
    printf("analysis chain:  %.3f s  %.2f MB/s (best of %d)\n", best_chain, mb / best_chain,
           rounds);
    printf("fold steps only: %.3f s  %.2f MB/s\n", best_fold, mb / best_fold);
    printf("fold share of the chain: %.1f%%\n", 100.0 * best_fold / best_chain);
    printf("reproduce: make bench-fold  (or build/bench/fold-cost %s %d)\n", argv[1], rounds);
    sou_analyzer_free(a);
    for (size_t i = 0; i < l.n; i++)
        free(l.v[i]);
    free(l.v);
    free(l.len);
    free(copy);
    return 0;
}
