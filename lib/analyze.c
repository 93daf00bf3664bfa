/*
 * analyze.c - the analysis chain: ICU word breaking over the UTF-8
 * between runs of Han (ICU's rules without ICU for plain text,
 * plain_words.c), the lexicon pass over the runs (segment.c), utf8proc
 * normalization and English stems. See include/sou/analyze.h for the
 * contract.
 *
 * ICU is opened once per analyzer (its rules are the costly part); each
 * stretch only points the iterator at a UText over the caller's bytes, so
 * no text is converted to UTF-16.
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/uversion.h>

#include "sou/analyze.h"
#include "sou/normalize.h"
#include "sou/xapian.h"
#include "fold.h"
#include "icu.h"
#include "internal.h"
#include "lexicon.h"
#include "plain_words.h"
#include "segment.h"
#include "stem_cache.h"
#include "utf8.h"

struct sou_analyzer {
    UBreakIterator *words;     /* opened by the first text that needs ICU */
    const struct sou_icu *icu; /* set with words */
    sou_lexicon *lexicon;      /* NULL for the icu and bigrams modes */
    sou_segmenter *segmenter;
    int segmentation; /* enum sou_segmentation */
    int grams;        /* the index keeps gram lists (layout.h) */
    sou_stemmer *stemmer;
    sou_stem_cache *stems;
    sou_normbuf norm;
    char *seg; /* icu mode: the text in the script ICU cuts best (fold.h) */
    size_t seg_cap;
};

static const struct {
    const char *name;
    int segmentation, no_grams;
} modes[] = {
    {"words+grams", SOU_SEG_WORDS, 0},
    {"words", SOU_SEG_WORDS, 1},
    {"icu", SOU_SEG_ICU, 1},
    {"bigrams", SOU_SEG_BIGRAMS, 1},
};

SOU_API int sou_analysis_mode_parse(const char *name, sou_analysis_opts *opts)
{
    for (size_t i = 0; name && i < sizeof modes / sizeof modes[0]; i++)
        if (strcmp(name, modes[i].name) == 0) {
            opts->segmentation = modes[i].segmentation;
            opts->no_grams = modes[i].no_grams;
            return 0;
        }
    return -1;
}

SOU_API const char *sou_analysis_mode_name(const sou_analysis_opts *opts)
{
    /* Grams only exist on top of lexicon words. */
    int no_grams = opts->segmentation != SOU_SEG_WORDS || opts->no_grams;
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        if (modes[i].segmentation == opts->segmentation && modes[i].no_grams == no_grams)
            return modes[i].name;
    return "unknown";
}

static int open_lexicon(sou_analyzer *a, const sou_analysis_opts *o, sou_error *err)
{
    int rc = sou_lexicon_open(o->lexicon_path, &a->lexicon, err);
    if (rc == SOU_OK && o->user_lexicon)
        rc =
            sou_lexicon_add_user(a->lexicon, o->user_lexicon, o->user_lexicon_len,
                                 o->user_lexicon_name ? o->user_lexicon_name : "user lexicon", err);
    if (rc == SOU_OK)
        rc = sou_segmenter_new(a->lexicon, &a->segmenter, err);
    return rc;
}

SOU_API int sou_analyzer_open(sou_analyzer **out, const sou_analysis_opts *opts, sou_error *err)
{
    static const sou_analysis_opts defaults = {0};
    if (!out)
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "sou_analyzer_open: out is NULL");
    *out = NULL;
    const sou_analysis_opts *o = opts ? opts : &defaults;
    if (o->segmentation < SOU_SEG_WORDS || o->segmentation > SOU_SEG_BIGRAMS)
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "unknown segmentation %d", o->segmentation);
    sou_analyzer *a = calloc(1, sizeof *a);
    if (!a)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory creating an analyzer");
    a->segmentation = o->segmentation;
    a->grams = o->segmentation == SOU_SEG_WORDS && !o->no_grams;
    sou_normbuf_init(&a->norm);
    int rc = sou_stemmer_new("english", &a->stemmer, err);
    if (rc == SOU_OK)
        rc = sou_stem_cache_new(a->stemmer, &a->stems, err);
    if (rc == SOU_OK && a->segmentation == SOU_SEG_WORDS)
        rc = open_lexicon(a, o, err);
    if (rc != SOU_OK) {
        sou_analyzer_free(a);
        return rc;
    }
    *out = a;
    return SOU_OK;
}

SOU_API int sou_analyzer_new(sou_analyzer **out, sou_error *err)
{
    return sou_analyzer_open(out, NULL, err);
}

SOU_API void sou_analyzer_free(sou_analyzer *a)
{
    if (!a)
        return;
    if (a->words)
        a->icu->brk_close(a->words);
    sou_stem_cache_free(a->stems);
    sou_stemmer_free(a->stemmer);
    sou_segmenter_free(a->segmenter);
    sou_lexicon_close(a->lexicon);
    sou_normbuf_release(&a->norm);
    free(a->seg);
    free(a);
}

SOU_API int sou_analyzer_icu_opened(const sou_analyzer *a)
{
    return a && a->words;
}

SOU_API const char *sou_analyzer_icu_version(const sou_analyzer *a)
{
    return a ? U_ICU_VERSION : "";
}

SOU_API const char *sou_analyzer_mode(const sou_analyzer *a)
{
    sou_analysis_opts o = {.segmentation = a->segmentation, .no_grams = !a->grams};
    return sou_analysis_mode_name(&o);
}

SOU_API int sou_analyzer_grams(const sou_analyzer *a)
{
    return a->grams;
}

SOU_API int sou_analyzer_skips_han(const sou_analyzer *a)
{
    return a->segmentation != SOU_SEG_ICU;
}

SOU_API const char *sou_analyzer_lexicon_digest(const sou_analyzer *a)
{
    return a->lexicon ? sou_lexicon_digest(a->lexicon) : "";
}

SOU_API const char *sou_analyzer_user_lexicon_digest(const sou_analyzer *a)
{
    return a->lexicon ? sou_lexicon_user_digest(a->lexicon) : "";
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
    int rc = sou_stem_cached(a->stems, term, len, stem, sizeof stem, &stem_len, err);
    if (rc != SOU_OK)
        return rc;
    int r =
        cb(ctx, SOU_TOK_LETTER | SOU_TOK_STEM | SOU_TOK_COLOCATED, stem, stem_len, start, end, pos);
    if (r != 0)
        note_stop(err);
    return r;
}

/* One sou_analyze call's state. */
struct run {
    sou_analyzer *a;
    int mode;
    const char *text;
    void *ctx;
    sou_token_cb cb;
    sou_error *err;
    uint32_t pos;
};

static int call(struct run *r, int flags, const char *term, size_t len, size_t start, size_t end)
{
    int rc = r->cb(r->ctx, flags, term, len, start, end, r->pos);
    if (rc != 0)
        note_stop(r->err);
    return rc;
}

/* Normalizes and reports the word text[start, end) at the next position,
 * with its stem. */
static int emit_word(struct run *r, int flags, size_t start, size_t end)
{
    sou_analyzer *a = r->a;
    const char *term = NULL;
    size_t term_len = 0;
    int rc = sou_normalize(&a->norm, r->text + start, end - start, &term, &term_len, r->err);
    if (rc != SOU_OK)
        return rc;
    if (term_len == 0)
        return SOU_OK; /* only default-ignorable code points: not a word */
    r->pos++;
    if (term_len > SOU_WORD_MAX) {
        term = "";
        term_len = 0;
        flags |= SOU_TOK_TOO_LONG;
    }
    rc = call(r, flags, term, term_len, start, end);
    if (rc != 0 || (flags & SOU_TOK_TOO_LONG))
        return rc;
    if ((flags & SOU_TOK_LETTER) && wants_stem(term, term_len))
        return emit_stem(a, term, term_len, start, end, r->pos, r->ctx, r->cb, r->err);
    return SOU_OK;
}

/* Cuts the run of Han text[s, e) into lexicon words, or into overlapping
 * pairs, and reports them. */
static int cut_run(struct run *r, size_t s, size_t e)
{
    sou_analyzer *a = r->a;
    if (a->segmentation == SOU_SEG_BIGRAMS) {
        size_t c1 = s + sou_utf8_seqlen((unsigned char)r->text[s]);
        if (c1 >= e)
            return emit_word(r, SOU_TOK_CJK, s, e);
        for (size_t at = s; c1 < e;) {
            size_t c2 = c1 + sou_utf8_seqlen((unsigned char)r->text[c1]);
            int rc = emit_word(r, SOU_TOK_CJK, at, c2);
            if (rc != SOU_OK)
                return rc;
            at = c1;
            c1 = c2;
        }
        return SOU_OK;
    }
    const size_t *ends;
    size_t n;
    int rc = sou_segment(a->segmenter, r->text + s, e - s, &ends, &n, r->err);
    for (size_t k = 0, from = s; rc == SOU_OK && k < n; from = s + ends[k], k++)
        rc = emit_word(r, SOU_TOK_CJK, from, s + ends[k]);
    return rc;
}

/* Whether ICU might make c part of a word: not plain text that never is
 * one (plain_words.h), such as the spaces, punctuation and shapes Chinese
 * text puts between its runs of Han, nor the other general punctuation and
 * half-width marks, which ICU never calls a word. Anything else might:
 * letters, digits, "_", "@" (a word to ICU even alone), other scripts,
 * other symbols. */
static int may_be_word(int c)
{
    return !sou_plain_never_word((uint32_t)c) && !(c >= 0x2010 && c <= 0x2027) &&
           !(c >= 0xFF5F && c <= 0xFF65);
}

/* The end of the run of characters from s[i] that are Han (han set) or
 * are not; for a run without Han, *words is set when ICU might find a
 * word in it. */
static size_t run_end(const unsigned char *s, size_t i, size_t len, int han, int *words)
{
    while (i < len) {
        int c;
        size_t n = sou_utf8_decode(s + i, len - i, &c);
        if (sou_is_han(c) != han)
            break;
        if (!han && !*words)
            *words = may_be_word(c);
        i += n;
    }
    return i;
}

/* Runs ICU's word breaking over text[from, to) and reports its words.
 * The break iterator is opened here, the first time: most text never
 * needs it (plain text and Han are cut without ICU), and opening it reads
 * ICU's data, which a process searching once would read from disk. */
static int icu_words(struct run *r, UText **ut, const char *text, size_t from, size_t to)
{
    UErrorCode status = U_ZERO_ERROR;
    const struct sou_icu *icu = r->a->icu;
    if (!r->a->words) {
        if (!(icu = sou_icu_load(r->err)))
            return SOU_ERR_ICU;
        UBreakIterator *bi = icu->brk_open(UBRK_WORD, "zh_Hant", NULL, 0, &status);
        if (U_FAILURE(status)) {
            icu->brk_close(bi);
            return sou_error_set(r->err, SOU_ERR_ICU, "cannot open ICU word break iterator: %s",
                                 icu->error_name(status));
        }
        r->a->words = bi;
        r->a->icu = icu;
    }
    *ut = icu->text_open_utf8(*ut, text + from, (int64_t)(to - from), &status);
    if (U_FAILURE(status))
        return sou_error_set(r->err, SOU_ERR_ICU, "cannot open text for ICU: %s",
                             icu->error_name(status));
    icu->brk_set_utext(r->a->words, *ut, &status);
    if (U_FAILURE(status))
        return sou_error_set(r->err, SOU_ERR_ICU, "cannot segment text: %s",
                             icu->error_name(status));
    int rc = SOU_OK;
    int32_t start = icu->brk_first(r->a->words);
    for (int32_t end = icu->brk_next(r->a->words); end != UBRK_DONE && rc == SOU_OK;
         start = end, end = icu->brk_next(r->a->words)) {
        int flags = flags_for_status(icu->brk_rule_status(r->a->words));
        if (flags)
            rc = emit_word(r, flags, from + (size_t)start, from + (size_t)end);
    }
    return rc;
}

/* Reports the words of text[from, to), a stretch without Han: through
 * ICU, or by ICU's own rules when the stretch is plain (plain_words.h),
 * as English text mostly is. */
static int stretch_words(struct run *r, UText **ut, size_t from, size_t to)
{
    if (!sou_plain_text(r->text + from, to - from))
        return icu_words(r, ut, r->text, from, to);
    int rc = SOU_OK;
    for (size_t at = from; rc == SOU_OK && at < to;) {
        size_t start = 0;
        int flags = 0;
        at = sou_plain_next_word(r->text, at, to, &start, &flags);
        if (start < to)
            rc = emit_word(r, flags, start, at);
    }
    return rc;
}

/* Reports the words of the whole text: ICU cuts the stretches between runs
 * of Han, the lexicon (or pairs) cuts the runs. ICU is not given the Han at
 * all: its Chinese dictionary is neither loaded (about a millisecond per
 * process) nor run, and in Chinese text it would spend most of its time
 * walking through Han it does not cut. Its word boundaries in a stretch are
 * the ones it finds with the Han masked as spaces around it. */
static int cut_stretches(struct run *r, UText **ut, size_t len)
{
    const unsigned char *s = (const unsigned char *)r->text;
    int rc = SOU_OK;
    for (size_t i = 0; rc == SOU_OK && i < len;) {
        int words = 0;
        size_t han = run_end(s, i, len, 0, &words);
        if (words)
            rc = stretch_words(r, ut, i, han);
        i = run_end(s, han, len, 1, &words);
        if (rc == SOU_OK && i > han && r->mode != SOU_MODE_SKIP_HAN)
            rc = cut_run(r, han, i);
    }
    return rc;
}

SOU_API int sou_analyze(sou_analyzer *a, int mode, const char *text, size_t len, void *ctx,
                        sou_token_cb cb, sou_error *err)
{
    if (!a || !cb || (!text && len > 0))
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "sou_analyze: NULL argument");
    if (mode != SOU_MODE_DOCUMENT && mode != SOU_MODE_QUERY && mode != SOU_MODE_SKIP_HAN)
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

    struct run r = {.a = a, .mode = mode, .text = text, .ctx = ctx, .cb = cb, .err = err};
    UText *ut = NULL;
    int rc;
    if (a->segmentation != SOU_SEG_ICU) {
        rc = cut_stretches(&r, &ut, len);
    } else {
        /* ICU cuts everything, reading a copy with the same byte offsets
         * (terms come from the original) where Simplified is read as
         * Traditional, since ICU's dictionary splits Simplified words it
         * keeps whole in Traditional (委员会 -> 委员 会). */
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
        rc = icu_words(&r, &ut, seg, 0, len);
    }
    /* Detach the iterator from the caller's bytes before they go away
     * (ut is NULL when ICU was given none). */
    if (ut) {
        UErrorCode ignore = U_ZERO_ERROR;
        UText *empty = a->icu->text_open_utf8(NULL, "", 0, &ignore);
        a->icu->brk_set_utext(a->words, empty, &ignore);
        a->icu->text_close(ut);
        a->icu->text_close(empty);
    }
    return rc;
}
