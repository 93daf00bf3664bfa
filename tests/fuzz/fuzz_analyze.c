/*
 * fuzz_analyze.c - the analysis chain the indexer and the query side
 * share (analyze.h), on arbitrary bytes.
 *
 * Each input goes through every segmentation (lexicon words, ICU's own,
 * bigrams) and every mode (document, query, Han skipped). Invalid UTF-8
 * must be refused with SOU_ERR_UTF8 before any token, at the offset an
 * independent decoder (utf8proc) finds; so that mutations of valid text
 * are not all spent on that refusal, the input is also analyzed with each
 * invalid byte replaced by U+FFFD. Every token is checked against the
 * contract: offsets inside the text, positions that never go back, terms
 * NUL-terminated, valid UTF-8 and at most SOU_WORD_MAX bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "sou/normalize.h"
#include "fuzz.h"

static sou_analyzer *words, *icu, *bigrams;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    words = fuzz_analyzer("words+grams");
    icu = fuzz_analyzer("icu");
    bigrams = fuzz_analyzer("bigrams");
    return 0;
}

struct seen {
    size_t len;     /* of the text */
    size_t tokens;  /* reported so far */
    size_t stop_at; /* stop the run at this token (0: never) */
    uint32_t pos;   /* the last position */
};

static int check_token(void *ctx, int flags, const char *term, size_t term_len, size_t start,
                       size_t end, uint32_t pos)
{
    struct seen *s = ctx;
    FUZZ_ASSERT(start <= end && end <= s->len, "token offsets outside the text");
    FUZZ_ASSERT(term[term_len] == '\0', "term not NUL-terminated");
    FUZZ_ASSERT(term_len <= SOU_WORD_MAX, "term longer than SOU_WORD_MAX");
    FUZZ_ASSERT(sou_utf8_valid(term, term_len, NULL), "term is not valid UTF-8");
    FUZZ_ASSERT(!(flags & SOU_TOK_TOO_LONG) || term_len == 0, "too-long token with a term");
    FUZZ_ASSERT((flags & SOU_TOK_TOO_LONG) || term_len > 0, "empty term");
    if (flags & SOU_TOK_COLOCATED)
        FUZZ_ASSERT(pos == s->pos && s->tokens > 0, "colocated token at a new position");
    else
        FUZZ_ASSERT(pos == s->pos + 1, "positions are not consecutive");
    s->pos = pos;
    s->tokens++;
    return s->stop_at && s->tokens == s->stop_at ? 42 : 0;
}

/* The offset of the first byte utf8proc cannot decode, or len. */
static size_t first_invalid(const uint8_t *data, size_t len)
{
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate(data + i, (utf8proc_ssize_t)(len - i), &c);
        if (n <= 0)
            return i;
        i += (size_t)n;
    }
    return len;
}

static void analyze(sou_analyzer *a, int mode, const char *text, size_t len, size_t stop_at)
{
    struct seen s = {.len = len, .stop_at = stop_at};
    sou_error err;
    int rc = sou_analyze(a, mode, text, len, &s, check_token, &err);
    size_t bad = first_invalid((const uint8_t *)text, len);
    if (bad < len) {
        FUZZ_ASSERT(rc == SOU_ERR_UTF8 && s.tokens == 0, "invalid UTF-8 not refused");
        char want[64];
        snprintf(want, sizeof want, "invalid UTF-8 at byte %zu", bad);
        FUZZ_ASSERT(strcmp(err.msg, want) == 0, "wrong offset of the invalid byte");
    } else if (stop_at && s.tokens == stop_at) {
        FUZZ_ASSERT(rc == 42 && err.code == SOU_ERR_CALLBACK, "a stopped run not reported");
    } else {
        FUZZ_ASSERT(rc == SOU_OK, "valid text not analyzed");
    }
}

/* data with every byte utf8proc cannot decode replaced by U+FFFD. Owned. */
static char *repaired(const uint8_t *data, size_t len, size_t *out_len)
{
    char *out = malloc(3 * len + 1);
    if (!out)
        abort();
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate(data + i, (utf8proc_ssize_t)(len - i), &c);
        if (n > 0) {
            memcpy(out + o, data + i, (size_t)n);
            o += (size_t)n;
            i += (size_t)n;
        } else {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    *out_len = o;
    return out;
}

static void analyze_all(const char *text, size_t len)
{
    static const int modes[] = {SOU_MODE_DOCUMENT, SOU_MODE_QUERY, SOU_MODE_SKIP_HAN};
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        analyze(words, modes[m], text, len, 0);
        analyze(icu, modes[m], text, len, 0);
        analyze(bigrams, modes[m], text, len, 0);
    }
    /* A callback that stops the run part way. */
    analyze(words, SOU_MODE_DOCUMENT, text, len, 1 + len % 7);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The exact bytes, in a buffer of their own so ASan sees any read
     * past the end. */
    char *text = malloc(size ? size : 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    analyze_all(text, size);
    free(text);
    if (first_invalid(data, size) < size) {
        size_t len;
        char *fixed = repaired(data, size, &len);
        analyze_all(fixed, len);
        free(fixed);
    }
    return 0;
}
