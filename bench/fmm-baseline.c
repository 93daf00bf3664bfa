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

#include "seg_common.h"

static const char usage_text[] = "usage: fmm-baseline WORDLIST < TEXT\n";

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
