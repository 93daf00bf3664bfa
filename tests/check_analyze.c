/*
 * check_analyze.c - the analysis chain: segmentation, normalization, stems,
 * offsets, and bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/utext.h>
#include <unicode/uversion.h>
#include <utf8proc.h>

#include "sou/analyze.h"
#include "sou/normalize.h"
#include "sou/xapian.h"
#include "../lib/fold.h"
#include "../lib/icu.h"
#include "../lib/utf8.h"
#include "../lib/stem_cache.h"
#include "suites.h"

/* Renders tokens as "term term ..." with stems as "+stem", and checks that
 * every token's offsets point into the text. */
struct render {
    char out[4096];
    const char *text;
    size_t len;
    int with_stems;
    int with_pos;
};

static int render_token(void *ctx, int flags, const char *term, size_t term_len, size_t start,
                        size_t end, uint32_t pos)
{
    struct render *r = ctx;
    ck_assert_uint_le(start, end);
    ck_assert_uint_le(end, r->len);
    ck_assert_uint_eq(strlen(term), term_len);
    if ((flags & SOU_TOK_STEM) && !r->with_stems)
        return 0;
    size_t used = strlen(r->out);
    snprintf(r->out + used, sizeof r->out - used, "%s%s%.*s", used ? " " : "",
             (flags & SOU_TOK_STEM) ? "+" : "", (int)term_len, term);
    if (r->with_pos) {
        used = strlen(r->out);
        snprintf(r->out + used, sizeof r->out - used, "@%u", pos);
    }
    return 0;
}

static const char *analyze(const char *text, int with_stems, int with_pos)
{
    static struct render r;
    memset(&r, 0, sizeof r);
    r.text = text;
    r.len = strlen(text);
    r.with_stems = with_stems;
    r.with_pos = with_pos;
    sou_error err;
    int rc = sou_analyze(test_analyzer, SOU_MODE_DOCUMENT, text, r.len, &r, render_token, &err);
    ck_assert_msg(rc == SOU_OK, "analyze failed: %s", err.msg);
    return r.out;
}

static const struct {
    const char *text;
    const char *terms;
} mixed_cases[] = {
    /* Chinese terms are folded to Simplified (normalize.h). */
    {"「貿易暨投資委員會」(CTI)、", "贸易 暨 投资 委员会 cti"},
    {"數位與AI部長會議（TELMIN 12）", "数位 与 ai 部长 会议 telmin 12"},
    {"於5月20-23日在蘇州召開", "于 5 月 20 23 日 在 苏州 召开"},
    /* An ordinal and its classifier are two words. */
    {"第一次資深官員會議(SOM1)", "第一 次 资深 官员 会议 som1"},
    {"AI應用於投資便捷化", "ai 应用 于 投资 便捷 化"},
    /* Simplified text is cut where its Traditional form is. */
    {"贸易暨投资委员会 资深官员会议", "贸易 暨 投资 委员会 资深 官员 会议"},
    {"full-width ＡＰＥＣ", "full width apec"},
    {"ＣＴＩ cti CTI", "cti cti cti"},
    {"Ｔｈｅ　Ｆｉｒｓｔ", "the first"},   /* full-width letters and U+3000 */
    {"soft\xc2\xadhyphen", "softhyphen"},  /* default-ignorable code point dropped */
    {"Straße STRASSE", "strasse strasse"}, /* full case folding */
    {"１２３ ４５", "123 45"},             /* full-width digits */
    {"...!!! ，。「」", ""},               /* punctuation only */
    {"   \t\n ", ""},
};

START_TEST(test_analyze_mixed_text)
{
    ck_assert_str_eq(analyze(mixed_cases[_i].text, 0, 0), mixed_cases[_i].terms);
}
END_TEST

/* ICU's break iterator, and the data it reads, is opened only for text
 * that needs it: not for Han, Chinese punctuation, box drawing and shapes
 * (a zero written ○, a rule of ─), nor ASCII and its full-width forms. */
START_TEST(test_analyze_icu_only_when_needed)
{
    ck_assert_int_eq(sou_analyzer_icu_opened(test_analyzer), 0);
    ck_assert_str_eq(analyze("二○○五年〝貿易〞──●APEC ■CTI──", 0, 0), "二 五 年 贸易 apec cti");
    ck_assert_str_eq(analyze("Ｔｈｅ　ＡＰＥＣ，Officials' Meeting — 2,026.5 〔注〕○ △ ┼─ ▶", 0, 0),
                     "the apec officials meeting 2,026.5 注");
    ck_assert_str_eq(analyze("ㄒㄧㄤˇ 香 ㄉㄜ˙", 0, 0), "ㄒㄧㄤˇ 香 ㄉㄜ");
    ck_assert_int_eq(sou_analyzer_icu_opened(test_analyzer), 0);
    ck_assert_str_eq(analyze("café○", 0, 0), "café");
    ck_assert_int_eq(sou_analyzer_icu_opened(test_analyzer), 1);
}
END_TEST

/* The programs load ICU rather than link it (lib/icu.h); this binary
 * links it, so the two must be one library, whose version is the one an
 * index records. */
START_TEST(test_analyze_icu_loaded_is_linked)
{
    sou_error err = {0};
    const struct sou_icu *icu = sou_icu_load(&err);
    ck_assert_msg(icu != NULL, "%s", err.msg);
    ck_assert_ptr_eq(icu->brk_open, ubrk_open);
    ck_assert_ptr_eq(icu->brk_rule_status, ubrk_getRuleStatus);
    ck_assert_ptr_eq(icu->text_open_utf8, utext_openUTF8);
    UVersionInfo v;
    char version[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(v);
    u_versionToString(v, version);
    ck_assert_str_eq(sou_analyzer_icu_version(test_analyzer), version);
}
END_TEST

START_TEST(test_analyze_stems_and_positions)
{
    ck_assert_str_eq(analyze("Senior Officials Meetings 會議", 1, 1),
                     "senior@1 +senior@1 officials@2 +offici@2 meetings@3 +meet@3 会议@4");
    /* ICU calls a word with digits a number: it gets no stem, on either
     * side of the search. */
    ck_assert_str_eq(analyze("2026 SOM1 Meetings", 1, 0), "2026 som1 meetings +meet");
}
END_TEST

struct offsets {
    const char *text;
    char seen[512];
};

static int record_surface(void *ctx, int flags, const char *term, size_t term_len, size_t start,
                          size_t end, uint32_t pos)
{
    struct offsets *o = ctx;
    (void)term;
    (void)term_len;
    (void)pos;
    if (flags & SOU_TOK_COLOCATED)
        return 0;
    size_t used = strlen(o->seen);
    snprintf(o->seen + used, sizeof o->seen - used, "%s%.*s", used ? "|" : "", (int)(end - start),
             o->text + start);
    return 0;
}

START_TEST(test_analyze_offsets_are_original_bytes)
{
    struct offsets o = {.text = "數位週（Digital Weeks）ＡＰＥＣ"};
    sou_error err;
    ck_assert_int_eq(sou_analyze(test_analyzer, SOU_MODE_QUERY, o.text, strlen(o.text), &o,
                                 record_surface, &err),
                     SOU_OK);
    /* Surface forms, not normalized terms: highlights use these offsets. */
    ck_assert_str_eq(o.seen, "數位|週|Digital|Weeks|ＡＰＥＣ");
}
END_TEST

static int count_tokens(void *ctx, int flags, const char *term, size_t term_len, size_t start,
                        size_t end, uint32_t pos)
{
    size_t *n = ctx;
    (void)flags;
    (void)term;
    (void)term_len;
    (void)start;
    (void)end;
    (void)pos;
    (*n)++;
    return 0;
}

static const struct {
    const char *bytes;
    size_t len;
    size_t bad_at;
} invalid_cases[] = {
    {"abc\xff", 4, 3},          /* never valid */
    {"\xc0\xaf", 2, 0},         /* overlong '/' */
    {"ok \xe0\x80\xaf", 6, 3},  /* overlong three bytes */
    {"\xed\xa0\x80", 3, 0},     /* UTF-16 surrogate */
    {"\xf4\x90\x80\x80", 4, 0}, /* above U+10FFFF */
    {"會\xe8\xad", 5, 3},       /* truncated sequence */
    {"x\x80y", 3, 1},           /* lone continuation byte */
};

START_TEST(test_analyze_invalid_utf8)
{
    sou_error err;
    size_t n = 0;
    int rc = sou_analyze(test_analyzer, SOU_MODE_DOCUMENT, invalid_cases[_i].bytes,
                         invalid_cases[_i].len, &n, count_tokens, &err);
    ck_assert_int_eq(rc, SOU_ERR_UTF8);
    ck_assert_uint_eq(n, 0);
    char want[64];
    snprintf(want, sizeof want, "invalid UTF-8 at byte %zu", invalid_cases[_i].bad_at);
    ck_assert_str_eq(err.msg, want);
}
END_TEST

START_TEST(test_analyze_empty_input)
{
    sou_error err;
    size_t n = 0;
    ck_assert_int_eq(sou_analyze(test_analyzer, SOU_MODE_DOCUMENT, "", 0, &n, count_tokens, &err),
                     SOU_OK);
    ck_assert_int_eq(sou_analyze(test_analyzer, SOU_MODE_DOCUMENT, NULL, 0, &n, count_tokens, &err),
                     SOU_OK);
    ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_analyze_bad_arguments)
{
    sou_error err;
    size_t n = 0;
    ck_assert_int_eq(sou_analyze(test_analyzer, 99, "a", 1, &n, count_tokens, &err),
                     SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_analyze(test_analyzer, SOU_MODE_QUERY, "a", 1, &n, NULL, &err),
                     SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_analyze(NULL, SOU_MODE_QUERY, "a", 1, &n, count_tokens, NULL),
                     SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_analyze(test_analyzer, SOU_MODE_QUERY, NULL, 3, &n, count_tokens, &err),
                     SOU_ERR_INVALID_ARG);
}
END_TEST

/* A 1 MB line of mixed text: every word is seen, positions are dense. */
struct tally {
    size_t words;
    uint32_t last_pos;
};

static int tally_words(void *ctx, int flags, const char *term, size_t term_len, size_t start,
                       size_t end, uint32_t pos)
{
    struct tally *t = ctx;
    (void)term;
    (void)term_len;
    (void)start;
    (void)end;
    if (flags & SOU_TOK_COLOCATED)
        return 0;
    t->words++;
    ck_assert_uint_eq(pos, t->last_pos + 1);
    t->last_pos = pos;
    return 0;
}

START_TEST(test_analyze_one_megabyte_line)
{
    const char *unit = "貿易部長會議 trade ministers 2026 "; /* 6 words */
    size_t ulen = strlen(unit), reps = (1 << 20) / ulen + 1;
    char *text = malloc(ulen * reps + 1);
    ck_assert_ptr_nonnull(text);
    for (size_t i = 0; i < reps; i++)
        memcpy(text + i * ulen, unit, ulen);
    text[ulen * reps] = '\0';
    struct tally t = {0};
    sou_error err;
    ck_assert_int_eq(
        sou_analyze(test_analyzer, SOU_MODE_DOCUMENT, text, ulen * reps, &t, tally_words, &err),
        SOU_OK);
    ck_assert_uint_eq(t.words, 6 * reps);
    free(text);
}
END_TEST

static int long_token(void *ctx, int flags, const char *term, size_t term_len, size_t start,
                      size_t end, uint32_t pos)
{
    int *seen = ctx;
    (void)start;
    (void)pos;
    (void)end;
    if (flags & SOU_TOK_TOO_LONG) {
        ck_assert_uint_eq(term_len, 0);
        ck_assert_str_eq(term, "");
        seen[0]++;
    } else {
        ck_assert_uint_le(term_len, SOU_WORD_MAX);
        seen[1]++;
    }
    return 0;
}

START_TEST(test_analyze_very_long_token)
{
    /* One 10,000-letter word, then a normal word. */
    size_t n = 10000;
    char *text = malloc(n + 8);
    ck_assert_ptr_nonnull(text);
    memset(text, 'a', n);
    memcpy(text + n, " apec", 6);
    int seen[2] = {0, 0};
    sou_error err;
    ck_assert_int_eq(
        sou_analyze(test_analyzer, SOU_MODE_DOCUMENT, text, n + 5, seen, long_token, &err), SOU_OK);
    ck_assert_int_eq(seen[0], 1); /* the long word, flagged, no term */
    ck_assert_int_eq(seen[1], 2); /* apec and its stem */
    free(text);
}
END_TEST

static int stop_at_second(void *ctx, int flags, const char *term, size_t term_len, size_t start,
                          size_t end, uint32_t pos)
{
    size_t *n = ctx;
    (void)flags;
    (void)term;
    (void)term_len;
    (void)start;
    (void)end;
    (void)pos;
    return ++*n == 2 ? 42 : 0;
}

START_TEST(test_analyze_callback_stops)
{
    sou_error err;
    size_t n = 0;
    ck_assert_int_eq(sou_analyze(test_analyzer, SOU_MODE_DOCUMENT, "一 二 三 四",
                                 strlen("一 二 三 四"), &n, stop_at_second, &err),
                     42);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(err.code, SOU_ERR_CALLBACK);
}
END_TEST

START_TEST(test_analyze_normalize_reuses_buffer)
{
    sou_normbuf nb;
    sou_normbuf_init(&nb);
    const char *out = NULL;
    size_t len = 0;
    sou_error err;
    ck_assert_int_eq(sou_normalize(&nb, "ＡＰＥＣ", strlen("ＡＰＥＣ"), &out, &len, &err), SOU_OK);
    ck_assert_str_eq(out, "apec");
    ck_assert_int_eq(sou_normalize(&nb, "（", strlen("（"), &out, &len, &err), SOU_OK);
    ck_assert_str_eq(out, "(");
    ck_assert_int_eq(sou_normalize(&nb, "\xff", 1, &out, &len, &err), SOU_ERR_UTF8);
    sou_normbuf_release(&nb);
}
END_TEST

/* What sou_normalize must give for s: utf8proc's NFKC with case folding
 * and default-ignorables removed, then the fold of each character; -1
 * when utf8proc refuses s (an unassigned code point). */
static long reference_normal(const char *s, char *out)
{
    utf8proc_uint8_t *nfkc = utf8proc_NFKC_Casefold((const utf8proc_uint8_t *)s);
    if (!nfkc)
        return -1;
    size_t len = strlen((const char *)nfkc), n = 0;
    for (size_t i = 0; i < len;) {
        int c = 0;
        i += sou_utf8_decode(nfkc + i, len - i, &c);
        n += sou_utf8_encode(sou_fold_char(c), out + n);
    }
    out[n] = '\0';
    free(nfkc);
    return (long)n;
}

/* Words of ideographs take a shorter way through sou_normalize (no
 * utf8proc): every ideograph from U+3400 to U+FAFF, the compatibility ones
 * included, alone and next to its neighbour, must come out as utf8proc and
 * the fold make it, or be refused as utf8proc refuses it. */
START_TEST(test_analyze_normalize_han)
{
    sou_normbuf nb;
    sou_normbuf_init(&nb);
    sou_error err;
    size_t checked = 0;
    for (int c = 0x3400; c <= 0xFAFF; c++) {
        if (!sou_is_han(c))
            continue;
        for (int pair = 0; pair <= 1; pair++) {
            char s[16], want[32];
            size_t len = sou_utf8_encode(c, s);
            if (pair)
                len += sou_utf8_encode(c < 0xFAFF ? c + 1 : c, s + len);
            s[len] = '\0';
            long want_len = reference_normal(s, want);
            const char *got = NULL;
            size_t got_len = 0;
            int rc = sou_normalize(&nb, s, len, &got, &got_len, &err);
            checked++;
            if (want_len < 0) {
                ck_assert_msg(rc == SOU_ERR_UTF8, "U+%04X: normalized, though unassigned", c);
                continue;
            }
            ck_assert_msg(rc == SOU_OK, "U+%04X: %s", c, err.msg);
            ck_assert_msg(got_len == (size_t)want_len && memcmp(got, want, got_len) == 0,
                          "U+%04X: \"%s\" normalized to \"%.*s\", not \"%s\"", c, s, (int)got_len,
                          got, want);
        }
    }
    ck_assert_uint_gt(checked, 2 * 27000);
    sou_normbuf_release(&nb);
}
END_TEST

/* Every English word of the bundled corpus, and each with suffixes that
 * change its stem, in text order and twice over: about 6,000 distinct
 * words for the cache's 4,096 slots, so words that share a slot push each
 * other out. The cache must answer exactly as Snowball does each time. */
START_TEST(test_analyze_stem_cache_agrees)
{
    static const char *const files[] = {"corpus/article.jsonl", "corpus/fora.jsonl",
                                        "corpus/meetings.jsonl"};
    static const char *const suffixes[] = {"", "s", "ing", "ed", "ly", "ness", "ational", "ies"};
    sou_error err;
    sou_stemmer *st = NULL;
    sou_stem_cache *c = NULL;
    ck_assert_int_eq(sou_stemmer_new("english", &st, &err), SOU_OK);
    ck_assert_int_eq(sou_stem_cache_new(st, &c, &err), SOU_OK);
    size_t checked = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
            FILE *in = fopen(files[f], "r");
            ck_assert_msg(in != NULL, "cannot open %s", files[f]);
            char word[64];
            size_t len = 0;
            for (int ch = fgetc(in);; ch = fgetc(in)) {
                if (ch != EOF && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))) {
                    if (len < 40)
                        word[len++] = (char)(ch | 0x20);
                    continue;
                }
                for (size_t k = 0; len > 0 && k < sizeof suffixes / sizeof suffixes[0]; k++) {
                    size_t slen = strlen(suffixes[k]);
                    memcpy(word + len, suffixes[k], slen + 1);
                    char want[SOU_WORD_MAX + 1], got[SOU_WORD_MAX + 1];
                    size_t want_len = 0, got_len = 0;
                    ck_assert_int_eq(
                        sou_stem(st, word, len + slen, want, sizeof want, &want_len, &err), SOU_OK);
                    ck_assert_int_eq(
                        sou_stem_cached(c, word, len + slen, got, sizeof got, &got_len, &err),
                        SOU_OK);
                    ck_assert_msg(got_len == want_len && strcmp(got, want) == 0,
                                  "stem of %s: cache says %s, Snowball %s", word, got, want);
                    checked++;
                }
                len = 0;
                if (ch == EOF)
                    break;
            }
            fclose(in);
        }
    ck_assert_uint_gt(checked, 100000);
    sou_stem_cache_free(c);
    sou_stemmer_free(st);
}
END_TEST

/* A word too long to keep is still stemmed; a stem that does not fit the
 * caller's buffer is refused as sou_stem() refuses it, also when the
 * cache holds it. */
START_TEST(test_analyze_stem_cache_limits)
{
    sou_error err;
    sou_stemmer *st = NULL;
    sou_stem_cache *c = NULL;
    ck_assert_int_eq(sou_stemmer_new("english", &st, &err), SOU_OK);
    ck_assert_int_eq(sou_stem_cache_new(st, &c, &err), SOU_OK);
    char out[64], want[64];
    size_t n = 0, want_n = 0;
    const char *longw = "internationalizationalities"; /* 27 bytes */
    ck_assert_int_eq(sou_stem(st, longw, strlen(longw), want, sizeof want, &want_n, &err), SOU_OK);
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(sou_stem_cached(c, longw, strlen(longw), out, sizeof out, &n, &err),
                         SOU_OK);
        ck_assert_str_eq(out, want);
        ck_assert_uint_eq(n, want_n);
    }
    ck_assert_int_eq(sou_stem_cached(c, "meetings", 8, out, sizeof out, &n, &err), SOU_OK);
    ck_assert_str_eq(out, "meet");
    ck_assert_int_eq(sou_stem_cached(c, "meetings", 8, out, 4, &n, &err), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_stem(st, "meetings", 8, out, 4, &n, &err), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_stem_cached(c, "meetings", 8, out, 5, &n, &err), SOU_OK);
    ck_assert_str_eq(out, "meet");
    sou_stem_cache_free(c);
    sou_stemmer_free(st);
}
END_TEST

/* Where ICU sees each token: the text with every Han character masked as
 * whitespace of its length (U+3000, then a space for a four-byte one), cut
 * by ICU's word rules, keeping the segments it calls words, each with the
 * kind its status gives. The analyzer gives ICU only the stretches between
 * runs of Han, and cuts plain text by ICU's rules itself; its tokens
 * outside Han must be exactly these, at the same offsets, of the same kind. */
struct span_list {
    size_t v[3 * 4096]; /* start, end, kind (SOU_TOK_*) */
    size_t n;
};

#define TOKEN_KINDS (SOU_TOK_CJK | SOU_TOK_NUMBER | SOU_TOK_LETTER)

static size_t kind_of_status(int32_t st)
{
    if ((st >= UBRK_WORD_IDEO && st < UBRK_WORD_IDEO_LIMIT) ||
        (st >= UBRK_WORD_KANA && st < UBRK_WORD_KANA_LIMIT))
        return SOU_TOK_CJK;
    if (st >= UBRK_WORD_LETTER && st < UBRK_WORD_LETTER_LIMIT)
        return SOU_TOK_LETTER;
    return SOU_TOK_NUMBER;
}

static void icu_reference(UBreakIterator *bi, const char *text, size_t len, struct span_list *out)
{
    char *masked = malloc(len + 1);
    ck_assert_ptr_nonnull(masked);
    memcpy(masked, text, len);
    for (size_t i = 0; i < len;) {
        int c = 0;
        size_t n = sou_utf8_decode((const unsigned char *)text + i, len - i, &c);
        if (sou_is_han(c))
            memcpy(masked + i, "\xe3\x80\x80 ", n);
        i += n;
    }
    UErrorCode status = U_ZERO_ERROR;
    UText *ut = utext_openUTF8(NULL, masked, (int64_t)len, &status);
    ubrk_setUText(bi, ut, &status);
    ck_assert_msg(U_SUCCESS(status), "ICU: %s", u_errorName(status));
    sou_normbuf nb;
    sou_normbuf_init(&nb);
    out->n = 0;
    int32_t start = ubrk_first(bi);
    for (int32_t end = ubrk_next(bi); end != UBRK_DONE; start = end, end = ubrk_next(bi)) {
        int32_t st = ubrk_getRuleStatus(bi);
        if (st < UBRK_WORD_NUMBER)
            continue;
        const char *term = NULL;
        size_t term_len = 0;
        sou_error err;
        ck_assert_int_eq(
            sou_normalize(&nb, text + start, (size_t)(end - start), &term, &term_len, &err),
            SOU_OK);
        if (term_len == 0)
            continue; /* the analyzer drops a word of default-ignorables */
        ck_assert_uint_lt(out->n, sizeof out->v / sizeof out->v[0]);
        out->v[out->n++] = (size_t)start;
        out->v[out->n++] = (size_t)end;
        out->v[out->n++] = kind_of_status(st);
    }
    sou_normbuf_release(&nb);
    /* Detach the iterator from the masked text before it is freed. */
    UText *empty = utext_openUTF8(NULL, "", 0, &status);
    ubrk_setUText(bi, empty, &status);
    utext_close(empty);
    utext_close(ut);
    free(masked);
}

static int collect_span(void *ctx, int flags, const char *term, size_t term_len, size_t start,
                        size_t end, uint32_t pos)
{
    struct span_list *l = ctx;
    (void)term;
    (void)term_len;
    (void)pos;
    if (flags & SOU_TOK_COLOCATED)
        return 0;
    ck_assert_uint_lt(l->n, sizeof l->v / sizeof l->v[0]);
    l->v[l->n++] = start;
    l->v[l->n++] = end;
    l->v[l->n++] = (size_t)(flags & TOKEN_KINDS);
    return 0;
}

static UBreakIterator *reference_words(void)
{
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "zh_Hant", NULL, 0, &status);
    ck_assert_msg(U_SUCCESS(status), "ICU: %s", u_errorName(status));
    return bi;
}

static void check_icu_spans(UBreakIterator *bi, const char *text, size_t len, const char *where)
{
    static struct span_list want, got;
    icu_reference(bi, text, len, &want);
    got.n = 0;
    sou_error err;
    ck_assert_int_eq(
        sou_analyze(test_analyzer, SOU_MODE_SKIP_HAN, text, len, &got, collect_span, &err), SOU_OK);
    size_t i = 0;
    while (i < want.n && i < got.n && want.v[i] == got.v[i])
        i++;
    size_t t = i - i % 3;
    ck_assert_msg(i == want.n && i == got.n,
                  "%s: token %zu differs from ICU's over the masked text: [%zu, %zu) kind %zu "
                  "against [%zu, %zu) kind %zu in \"%.*s\"",
                  where, t / 3, t < got.n ? got.v[t] : 0, t < got.n ? got.v[t + 1] : 0,
                  t < got.n ? got.v[t + 2] : 0, t < want.n ? want.v[t] : 0,
                  t < want.n ? want.v[t + 1] : 0, t < want.n ? want.v[t + 2] : 0,
                  (int)(len < 200 ? len : 200), text);
}

/* Text where a stretch meets Han: marks and joiners that ICU attaches to
 * the character before them, numbers and abbreviations with inner
 * punctuation, full-width forms, other scripts, the punctuation that is
 * never handed to ICU and the symbols that are. */
static const char *const han_edges[] = {
    "貿易\xcc\x81"
    "abc 投資",
    "字\xcc\x81\xcc\x81x",
    "漢字\xe2\x80\x8d😀字",
    "字😀\xe2\x80\x8d😀字",
    "ＡＰＥＣ貿易１２３年",
    "2023年APEC會議",
    "3.14億元",
    "AI應用",
    "R&D投資",
    "字_字",
    "字__abc__字",
    "字々字〇字",
    "𠀀𠀁abc𠀂",
    "字 a.b 字",
    "e.g.字",
    "字's 字",
    "字‧字·字",
    "字—字…字",
    "「字」『字』《字》〈字〉【字】",
    "字，字。字、字；字：字！字？",
    "字＿字～字＄字＃字",
    "字\t\n字",
    "ｱｲｳ字カタカナ字ひらがな",
    "한국어字абв字αβγ字١٢٣",
    "字 #tag @user $100 100% 字",
    "字@字@@字 @ 字",
    "字\xc2\xa0字\xe2\x80\xa8字\xe3\x80\x80字\xef\xbb\xbf字\xe2\x80\x8b字",
    "\xcc\x81字",
    "abc\xcc\x81字\xe2\x83\x9d",
    "ⅠⅡⅢ字①②字㈠字℃字㎏",
    "字〜字〃字〆字ー字・字",
    "字1,000字1.5字v2.0",
    "字C++字.NET字A.P.E.C.字",
    "字...abc",
    "'字'\"字\"",
    "字.",
    ".字",
};

START_TEST(test_analyze_icu_sees_han_as_space)
{
    UBreakIterator *bi = reference_words();
    for (size_t i = 0; i < sizeof han_edges / sizeof han_edges[0]; i++)
        check_icu_spans(bi, han_edges[i], strlen(han_edges[i]), "edge case");
    static const char *const files[] = {"corpus/article.jsonl", "corpus/article-sections.jsonl",
                                        "corpus/fora.jsonl", "corpus/meetings.jsonl"};
    size_t lines = 0;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        FILE *in = fopen(files[f], "r");
        ck_assert_msg(in != NULL, "cannot open %s", files[f]);
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        while ((n = getline(&line, &cap, in)) > 0) {
            check_icu_spans(bi, line, (size_t)n, files[f]);
            lines++;
        }
        free(line);
        fclose(in);
    }
    ck_assert_uint_ge(lines, 100);
    ubrk_close(bi);
}
END_TEST

/* The characters plain text's word rules treat apart (plain_words.c):
 * letters and digits, what joins them, typographic marks that are plain
 * and some characters that are not: ICU must cut those. */
static const char *const plain_alphabet[] = {
    "a",
    "Z",
    "5",
    ".",
    "'",
    ",",
    ";",
    ":",
    "-",
    "_",
    "@",
    " ",
    "\n",
    "\xe2\x80\x99",
    "\xe2\x80\x93",
};

/* Full-width forms and Chinese punctuation, plain or not, for strings of
 * up to three characters with some of plain_alphabet. */
static const char *const wide_alphabet[] = {
    "a",
    "5",
    ".",
    ",",
    " ",
    "\xef\xbd\x81", /* U+FF41 a */
    "\xef\xbc\xba", /* U+FF3A Z */
    "\xef\xbc\x95", /* U+FF15 5 */
    "\xef\xbc\x8e", /* U+FF0E . */
    "\xef\xbc\x87", /* U+FF07 ' */
    "\xef\xbc\x8c", /* U+FF0C , */
    "\xef\xbc\x9b", /* U+FF1B ; */
    "\xef\xbc\x9a", /* U+FF1A : */
    "\xef\xbc\xbf", /* U+FF3F _ */
    "\xe3\x80\x82", /* U+3002 full stop */
    "\xe3\x80\x8c", /* U+300C corner bracket */
    "\xe3\x80\x80", /* U+3000 ideographic space */
    "\xef\xb9\x92", /* U+FE52 small . */
    "\xef\xb9\x90", /* U+FE50 small , */
    "\xc2\xb7",     /* U+00B7 middle dot */
    "\xe3\x84\x91", /* U+3111 Bopomofo */
    "\xef\xb8\xb0", /* U+FE30 vertical two dot leader */
    "\xe2\x97\x8b", /* U+25CB white circle, a zero in 二○○五 */
    "\xe2\x94\x80", /* U+2500 box drawing line */
    "\xe2\x96\xb6", /* U+25B6 play sign, Extended_Pictographic */
    "\xe3\x80\x9d", /* U+301D double prime quotation mark */
    "\xcb\x87",     /* U+02C7 caron, Bopomofo's third tone */
};

/* What may stand between two characters that join: every ASCII character,
 * the plain marks and a few that are not plain; then (built at run time)
 * every code point of the blocks plain text draws from (wide_ranges). */
static const char *const between[] = {
    "\xc2\xa0",     "\xe2\x80\x93", "\xe2\x80\x94", "\xe2\x80\x98", "\xe2\x80\x99",
    "\xe2\x80\x9c", "\xe2\x80\x9d", "\xe2\x80\xa6", "\xc2\xb7",     "\xc3\xa9",
    "\xe2\x82\xac", "\xcc\x81",     "\xe2\x80\x8b", "\xe2\x80\xa7", "\xcb\x87",
    "\xcb\x8a",     "\xcb\x8b",     "\xcb\x99",     "\xcb\x88",
};

/* The UTF-8 of the k-th character that may stand between joiners: ASCII
 * from 1, between[], then the code points of wide_ranges; "" past the end. */
static const uint32_t wide_ranges[][2] = {
    {0xFF01, 0xFF5F}, /* full-width forms */
    {0x3000, 0x303F}, /* CJK symbols and punctuation */
    {0x3100, 0x312F}, /* Bopomofo */
    {0xFE30, 0xFE6F}, /* vertical and small forms */
    {0x2500, 0x25FF}, /* box drawing, block elements, geometric shapes */
};

static const char *between_char(size_t k, char buf[4])
{
    const size_t nb = sizeof between / sizeof between[0];
    if (k < 0x80) {
        buf[0] = (char)k;
        buf[1] = 0;
        return buf;
    }
    if ((k -= 0x80) < nb)
        return between[k];
    k -= nb;
    for (size_t r = 0; r < sizeof wide_ranges / sizeof wide_ranges[0]; r++) {
        size_t n = wide_ranges[r][1] - wide_ranges[r][0] + 1;
        if (k >= n) {
            k -= n;
            continue;
        }
        uint32_t cp = wide_ranges[r][0] + (uint32_t)k;
        buf[0] = (char)(0xE0 | cp >> 12);
        buf[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        buf[2] = (char)(0x80 | (cp & 0x3F));
        buf[3] = 0;
        return buf;
    }
    return "";
}

static size_t append(char *s, size_t at, const char *piece)
{
    size_t n = strlen(piece);
    memcpy(s + at, piece, n);
    return at + n;
}

/* Every string of up to max characters of alphabet[0..k) must give ICU's
 * words; returns how many there were. */
static size_t check_all_strings(UBreakIterator *bi, const char *const *alphabet, size_t k,
                                size_t max)
{
    char s[64];
    size_t strings = 0;
    for (size_t len = 1; len <= max; len++) {
        size_t total = 1;
        for (size_t i = 0; i < len; i++)
            total *= k;
        for (size_t code = 0; code < total; code++, strings++) {
            size_t n = 0;
            for (size_t i = 0, c = code; i < len; i++, c /= k)
                n = append(s, n, alphabet[c % k]);
            check_icu_spans(bi, s, n, "short string");
        }
    }
    return strings;
}

/* Plain text is cut without ICU, by ICU's rules: every string of up to
 * four characters of plain_alphabet and of up to three of wide_alphabet,
 * every character of between_char() between characters that join words,
 * and random strings must give ICU's words, offsets and kinds. */
START_TEST(test_analyze_plain_words_match_icu)
{
    UBreakIterator *bi = reference_words();
    const size_t k = sizeof plain_alphabet / sizeof plain_alphabet[0];
    size_t strings = check_all_strings(bi, plain_alphabet, k, 4);
    strings +=
        check_all_strings(bi, wide_alphabet, sizeof wide_alphabet / sizeof wide_alphabet[0], 3);
    static const char *const joiners[] = {
        "a", "5", ".", "'", ",", ";", "_", "@", "\xe2\x80\x99", "\xef\xbd\x81", "\xef\xbc\x95",
    };
    const size_t nj = sizeof joiners / sizeof joiners[0];
    char s[256], buf[4];
    size_t nbetween = 1;
    for (const char *c; *(c = between_char(nbetween, buf)); nbetween++)
        for (size_t i = 0; i < nj; i++)
            for (size_t j = 0; j < nj; j++, strings++) {
                size_t n = append(s, 0, joiners[i]);
                n = append(s, n, c);
                n = append(s, n, joiners[j]);
                n = append(s, n, joiners[i]);
                check_icu_spans(bi, s, n, "character between joiners");
            }
    uint32_t seed = 20261128;
    for (int t = 0; t < 3000; t++, strings++) {
        size_t len = 5 + (seed = seed * 1103515245u + 12345u) % 40, n = 0;
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            uint32_t r = seed >> 16;
            n = append(s, n,
                       r % 2 == 0 ? between_char(1 + r / 2 % (nbetween - 1), buf)
                                  : plain_alphabet[r / 2 % k]);
        }
        check_icu_spans(bi, s, n, "random string");
    }
    ck_assert_uint_eq(nbetween, 0x80 + sizeof between / sizeof between[0] + 0x5F + 0x40 + 0x30 +
                                    0x40 + 0x100);
    ck_assert_uint_gt(strings, 80000);
    ubrk_close(bi);
}
END_TEST

Suite *analyze_suite(void)
{
    Suite *s = suite_create("analyze");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, analyzer_setup, analyzer_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_analyze_mixed_text, 0,
                        (int)(sizeof mixed_cases / sizeof mixed_cases[0]));
    tcase_add_test(tc, test_analyze_icu_only_when_needed);
    tcase_add_test(tc, test_analyze_icu_loaded_is_linked);
    tcase_add_test(tc, test_analyze_stems_and_positions);
    tcase_add_test(tc, test_analyze_offsets_are_original_bytes);
    tcase_add_loop_test(tc, test_analyze_invalid_utf8, 0,
                        (int)(sizeof invalid_cases / sizeof invalid_cases[0]));
    tcase_add_test(tc, test_analyze_empty_input);
    tcase_add_test(tc, test_analyze_bad_arguments);
    tcase_add_test(tc, test_analyze_one_megabyte_line);
    tcase_add_test(tc, test_analyze_very_long_token);
    tcase_add_test(tc, test_analyze_callback_stops);
    tcase_add_test(tc, test_analyze_normalize_reuses_buffer);
    tcase_add_test(tc, test_analyze_normalize_han);
    tcase_add_test(tc, test_analyze_stem_cache_agrees);
    tcase_add_test(tc, test_analyze_stem_cache_limits);
    tcase_add_test(tc, test_analyze_icu_sees_han_as_space);
    tcase_add_test(tc, test_analyze_plain_words_match_icu);
    suite_add_tcase(s, tc);
    return s;
}
