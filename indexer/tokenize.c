/*
 * tokenize.c - prints the analysis chain's segmentation of each input line.
 *
 * Words are printed as they appear in the input (not normalized), so the
 * output can be scored against gold segmentations of the same text. The
 * punctuation and symbols that the index drops are printed one character
 * each, since gold standards count them as words too; whitespace separates
 * and is not printed.
 */
#include <stdlib.h>
#include <string.h>

#include "sou/analyze.h"
#include "sou/normalize.h"

#include "tokenize.h"

struct line_out {
    FILE *out;
    const char *text;
    size_t done; /* bytes of text already written */
    int first;
};

static int is_space_at(const char *s, size_t len, size_t *n)
{
    unsigned char c = (unsigned char)s[0];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
        *n = 1;
        return 1;
    }
    /* U+3000 IDEOGRAPHIC SPACE and U+00A0 NO-BREAK SPACE */
    if (len >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0) {
        *n = 3;
        return 1;
    }
    if (len >= 2 && memcmp(s, "\xc2\xa0", 2) == 0) {
        *n = 2;
        return 1;
    }
    return 0;
}

static void put_word(struct line_out *lo, const char *w, size_t n)
{
    if (!lo->first)
        fputc(' ', lo->out);
    fwrite(w, 1, n, lo->out);
    lo->first = 0;
}

/* Writes the dropped text between words: one character per word. */
static void put_gap(struct line_out *lo, size_t upto)
{
    while (lo->done < upto) {
        const char *p = lo->text + lo->done;
        size_t n;
        if (!is_space_at(p, upto - lo->done, &n)) {
            n = sou_utf8_seqlen((unsigned char)*p);
            put_word(lo, p, n);
        }
        lo->done += n;
    }
}

static int on_token(void *ctx, int flags, const char *term, size_t term_len, size_t start,
                    size_t end, uint32_t pos)
{
    struct line_out *lo = ctx;
    (void)term;
    (void)term_len;
    (void)pos;
    if (flags & SOU_TOK_COLOCATED)
        return 0;
    put_gap(lo, start);
    put_word(lo, lo->text + start, end - start);
    lo->done = end;
    return 0;
}

int tokenize_stream(FILE *in, FILE *out, const sou_analysis_opts *opts)
{
    sou_error err;
    sou_analyzer *a = NULL;
    if (sou_analyzer_open(&a, opts, &err) != SOU_OK) {
        fprintf(stderr, "sou-index: %s\n", err.msg);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long lineno = 0;
    int rc = 0;
    while ((n = getline(&line, &cap, in)) >= 0) {
        lineno++;
        size_t len = (size_t)n;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        size_t skip = 0;
        if (lineno == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
            skip = 3; /* a byte order mark is not text */
        struct line_out lo = {.out = out, .text = line + skip, .done = 0, .first = 1};
        len -= skip;
        if (sou_analyze(a, SOU_MODE_DOCUMENT, lo.text, len, &lo, on_token, &err) != SOU_OK) {
            fprintf(stderr, "sou-index: stdin:%lu: %s\n", lineno, err.msg);
            rc = -1;
            break;
        }
        put_gap(&lo, len);
        fputc('\n', out);
    }
    free(line);
    sou_analyzer_free(a);
    if (fflush(out) != 0)
        rc = -1;
    return rc;
}
