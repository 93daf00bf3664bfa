/*
 * analyze.c - the analysis chain: ICU word breaking over UTF-8, utf8proc
 * normalization, English stems. See include/sou/analyze.h for the contract.
 *
 * ICU is opened once per analyzer (the break iterator's rules and the CJ
 * dictionary are the costly part); each call only points the iterator at a
 * new UText over the caller's bytes, so no text is copied to UTF-16 (text
 * with Simplified characters is copied once, see below).
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uclean.h>
#include <unicode/utext.h>
#include <unicode/uversion.h>

#include "sou/analyze.h"
#include "sou/normalize.h"
#include "sou/xapian.h"
#include "fold.h"
#include "internal.h"

struct sou_analyzer {
    UBreakIterator *words;
    sou_stemmer *stemmer;
    sou_normbuf norm;
    char *seg; /* the text in the script ICU segments best (fold.h) */
    size_t seg_cap;
    char icu_version[U_MAX_VERSION_STRING_LENGTH];
};

SOU_API int sou_analyzer_new(sou_analyzer **out, sou_error *err)
{
    if (!out)
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "sou_analyzer_new: out is NULL");
    *out = NULL;
    sou_analyzer *a = calloc(1, sizeof *a);
    if (!a)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory creating an analyzer");
    sou_normbuf_init(&a->norm);
    UErrorCode status = U_ZERO_ERROR;
    a->words = ubrk_open(UBRK_WORD, "zh_Hant", NULL, 0, &status);
    if (U_FAILURE(status)) {
        sou_analyzer_free(a);
        return sou_error_set(err, SOU_ERR_ICU, "cannot open ICU word break iterator: %s",
                             u_errorName(status));
    }
    int rc = sou_stemmer_new("english", &a->stemmer, err);
    if (rc != SOU_OK) {
        sou_analyzer_free(a);
        return rc;
    }
    UVersionInfo v;
    u_getVersion(v);
    u_versionToString(v, a->icu_version);
    *out = a;
    return SOU_OK;
}

SOU_API void sou_analyzer_free(sou_analyzer *a)
{
    if (!a)
        return;
    if (a->words)
        ubrk_close(a->words);
    sou_stemmer_free(a->stemmer);
    sou_normbuf_release(&a->norm);
    free(a->seg);
    free(a);
}

SOU_API const char *sou_analyzer_icu_version(const sou_analyzer *a)
{
    return a ? a->icu_version : "";
}

/* Maps ICU's rule status for a word to token flags; 0 means "drop it"
 * (whitespace, punctuation, symbols). */
static int flags_for_status(int32_t st)
{
    if (st >= UBRK_WORD_IDEO && st < UBRK_WORD_IDEO_LIMIT)
        return SOU_TOK_CJK;
    if (st >= UBRK_WORD_KANA && st < UBRK_WORD_KANA_LIMIT)
        return SOU_TOK_CJK;
    if (st >= UBRK_WORD_LETTER && st < UBRK_WORD_LETTER_LIMIT)
        return SOU_TOK_LETTER;
    if (st >= UBRK_WORD_NUMBER && st < UBRK_WORD_NUMBER_LIMIT)
        return SOU_TOK_NUMBER;
    return 0;
}

/* Words with a Latin letter get an English stem; ICU marks a word like
 * "AI應用" or "R&D" as letters too, so check the normalized term itself. */
static int wants_stem(const char *term, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)term[i];
        if (c >= 'a' && c <= 'z')
            return 1;
    }
    return 0;
}

/* A callback that stopped the run may have said why in err; keep that. */
static void note_stop(sou_error *err)
{
    if (err && err->code == SOU_OK)
        sou_error_set(err, SOU_ERR_CALLBACK, "token callback stopped the analysis");
}

static int emit_stem(sou_analyzer *a, const char *term, size_t len, size_t start, size_t end,
                     uint32_t pos, void *ctx, sou_token_cb cb, sou_error *err)
{
    char stem[SOU_WORD_MAX + 1];
    size_t stem_len = 0;
    int rc = sou_stem(a->stemmer, term, len, stem, sizeof stem, &stem_len, err);
    if (rc != SOU_OK)
        return rc;
    int r =
        cb(ctx, SOU_TOK_LETTER | SOU_TOK_STEM | SOU_TOK_COLOCATED, stem, stem_len, start, end, pos);
    if (r != 0)
        note_stop(err);
    return r;
}

SOU_API int sou_analyze(sou_analyzer *a, int mode, const char *text, size_t len, void *ctx,
                        sou_token_cb cb, sou_error *err)
{
    if (!a || !cb || (!text && len > 0))
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "sou_analyze: NULL argument");
    if (mode != SOU_MODE_DOCUMENT && mode != SOU_MODE_QUERY)
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "sou_analyze: unknown mode %d", mode);
    sou_error_clear(err);
    size_t bad = 0;
    if (!sou_utf8_valid(text, len, &bad))
        return sou_error_set(err, SOU_ERR_UTF8, "invalid UTF-8 at byte %zu", bad);
    if (len == 0)
        return SOU_OK;
    /* ICU's break iterator reports offsets as int32_t. */
    if (len > INT32_MAX)
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "text longer than %d bytes", INT32_MAX);

    /* ICU's dictionary splits Simplified words it keeps whole in
     * Traditional (委员会 -> 委员 会), so segment a Traditional copy: the
     * copy has the same byte offsets, and terms come from the original. */
    const char *seg = text;
    if (sou_fold_for_segmentation(text, len, NULL)) {
        if (len > a->seg_cap) {
            char *p = realloc(a->seg, len);
            if (!p)
                return sou_error_set(err, SOU_ERR_NOMEM, "out of memory segmenting text");
            a->seg = p;
            a->seg_cap = len;
        }
        sou_fold_for_segmentation(text, len, a->seg);
        seg = a->seg;
    }

    UErrorCode status = U_ZERO_ERROR;
    UText *ut = utext_openUTF8(NULL, seg, (int64_t)len, &status);
    if (U_FAILURE(status))
        return sou_error_set(err, SOU_ERR_ICU, "cannot open text for ICU: %s", u_errorName(status));
    ubrk_setUText(a->words, ut, &status);
    if (U_FAILURE(status)) {
        utext_close(ut);
        return sou_error_set(err, SOU_ERR_ICU, "cannot segment text: %s", u_errorName(status));
    }

    int rc = SOU_OK;
    uint32_t pos = 0;
    int32_t start = ubrk_first(a->words);
    for (int32_t end = ubrk_next(a->words); end != UBRK_DONE;
         start = end, end = ubrk_next(a->words)) {
        int flags = flags_for_status(ubrk_getRuleStatus(a->words));
        if (!flags)
            continue;
        pos++;
        const char *term = NULL;
        size_t term_len = 0;
        rc = sou_normalize(&a->norm, text + start, (size_t)(end - start), &term, &term_len, err);
        if (rc != SOU_OK)
            break;
        if (term_len == 0) {
            /* Only default-ignorable code points: not a word after all. */
            pos--;
            continue;
        }
        if (term_len > SOU_WORD_MAX) {
            term = "";
            term_len = 0;
            flags |= SOU_TOK_TOO_LONG;
        }
        rc = cb(ctx, flags, term, term_len, (size_t)start, (size_t)end, pos);
        if (rc != 0) {
            note_stop(err);
            break;
        }
        if ((flags & SOU_TOK_LETTER) && !(flags & SOU_TOK_TOO_LONG) && wants_stem(term, term_len)) {
            rc = emit_stem(a, term, term_len, (size_t)start, (size_t)end, pos, ctx, cb, err);
            if (rc != 0)
                break;
        }
    }
    /* Detach the iterator from the caller's bytes before they go away. */
    UErrorCode ignore = U_ZERO_ERROR;
    UText *empty = utext_openUTF8(NULL, "", 0, &ignore);
    ubrk_setUText(a->words, empty, &ignore);
    utext_close(ut);
    utext_close(empty);
    return rc;
}
