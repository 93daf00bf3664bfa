/*
 * check_segment.c - the analysis modes and the lexicon pass: how runs of
 * ideographs are cut, the modes, user lexicons, and a missing or damaged
 * lexicon.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/lexicon.h"
#include "sou/analyze.h"
#include "sou/normalize.h"
#include "suites.h"

struct render {
    char out[2048];
    const char *text;
    int with_pos;
    char spans[512]; /* "start-end" of each token, with with_pos */
};

static int render_token(void *ctx, int flags, const char *term, size_t term_len, size_t start,
                        size_t end, uint32_t pos)
{
    struct render *r = ctx;
    ck_assert_uint_eq(strlen(term), term_len);
    if (flags & SOU_TOK_STEM)
        return 0;
    size_t used = strlen(r->out);
    snprintf(r->out + used, sizeof r->out - used, "%s%.*s", used ? " " : "", (int)term_len, term);
    if (r->with_pos) {
        used = strlen(r->out);
        snprintf(r->out + used, sizeof r->out - used, "@%u", pos);
        used = strlen(r->spans);
        snprintf(r->spans + used, sizeof r->spans - used, "%s%zu-%zu", used ? " " : "", start, end);
    }
    return 0;
}

/* Terms of text analyzed in mode by an analyzer opened with opts. */
static const char *cut(const sou_analysis_opts *opts, int mode, const char *text, int with_pos,
                       struct render *r)
{
    static struct render mine;
    if (!r)
        r = &mine;
    memset(r, 0, sizeof *r);
    r->text = text;
    r->with_pos = with_pos;
    sou_analyzer *a = NULL;
    sou_error err;
    ck_assert_msg(sou_analyzer_open(&a, opts, &err) == SOU_OK, "open: %s", err.msg);
    int rc = sou_analyze(a, mode, text, strlen(text), r, render_token, &err);
    ck_assert_msg(rc == SOU_OK, "analyze: %s", err.msg);
    sou_analyzer_free(a);
    return r->out;
}

static sou_analysis_opts mode(const char *name)
{
    sou_analysis_opts o = {0};
    ck_assert_int_eq(sou_analysis_mode_parse(name, &o), 0);
    return o;
}

START_TEST(test_segment_mode_names)
{
    static const char *const names[] = {"words+grams", "words", "icu", "bigrams"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        sou_analysis_opts o = mode(names[i]);
        ck_assert_str_eq(sou_analysis_mode_name(&o), names[i]);
    }
    sou_analysis_opts o = {0};
    ck_assert_str_eq(sou_analysis_mode_name(&o), "words+grams"); /* the default */
    ck_assert_int_eq(sou_analysis_mode_parse("trigrams", &o), -1);
    ck_assert_int_eq(sou_analysis_mode_parse(NULL, &o), -1);
}
END_TEST

/* sou_analyzer_skips_han() says what SOU_MODE_SKIP_HAN does: in every
 * mode but icu it reports the words around the Han and no Han. */
START_TEST(test_segment_skips_han_as_said)
{
    static const char *const names[] = {"words+grams", "words", "icu", "bigrams"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        sou_analysis_opts o = mode(names[i]);
        sou_analyzer *a = NULL;
        sou_error err;
        ck_assert_int_eq(sou_analyzer_open(&a, &o, &err), SOU_OK);
        int skips = sou_analyzer_skips_han(a);
        sou_analyzer_free(a);
        ck_assert_int_eq(skips, strcmp(names[i], "icu") != 0);
        const char *terms = cut(&o, SOU_MODE_SKIP_HAN, "APEC會議在廣州 2026", 0, NULL);
        ck_assert_msg(skips ? strcmp(terms, "apec 2026") == 0 : strstr(terms, "会议") != NULL,
                      "%s: %s", names[i], terms);
    }
}
END_TEST

/* The lexicon pass against ICU alone, on cuts ICU gets wrong. */
static const struct {
    const char *text, *icu, *words;
} lexicon_cases[] = {
    /* function words ICU glues on */
    {"AI應用於投資便捷化", "ai 应用于 投资 便捷 化", "ai 应用 于 投资 便捷 化"},
    {"彈得一手好琴", "弹得 一手 好 琴", "弹 得 一手 好 琴"},
    /* a classifier stays apart from its numeral or demonstrative */
    {"這個計劃", "这个 计划", "这 个 计划"},
    /* a person's name and a transliterated one, unknown to both lists */
    {"的王受寧老師任教", "的 王 受 宁 老师 任教", "的 王受宁 老师 任教"},
    {"斯洛維尼亞總統", "斯 洛 维 尼亚 总统", "斯洛维尼亚 总统"},
    {"來自卡坦薩的代表", "来自 卡 坦 萨 的 代表", "来自 卡坦萨 的 代表"},
    /* but not a surname before a function word */
    {"張也說林的老師", "张 也 说 林 的 老师", "张 也 说 林 的 老师"},
    /* a number written in Chinese numerals */
    {"有八十七人", "有 八十 七人", "有 八十七 人"},
    {"兩千零五年有三百二十一人", "两千 零 五年 有 三百 二十 一人", "两千零五 年 有 三百二十一 人"},
};

START_TEST(test_segment_lexicon_beats_icu)
{
    sou_analysis_opts icu = mode("icu"), words = mode("words");
    ck_assert_str_eq(cut(&icu, SOU_MODE_DOCUMENT, lexicon_cases[_i].text, 0, NULL),
                     lexicon_cases[_i].icu);
    ck_assert_str_eq(cut(&words, SOU_MODE_DOCUMENT, lexicon_cases[_i].text, 0, NULL),
                     lexicon_cases[_i].words);
}
END_TEST

/* The lexicon's rules (lib/gen/lexicon-build.c): what Chinese standards
 * cut apart although jieba lists it whole, and what they keep whole. */
static const struct {
    const char *text, *words;
} rule_cases[] = {
    /* a place's suffix, and a verb with 於 */
    {"天津市位於華北平原", "天津 市 位 于 华北平原"},
    /* a field's suffix, and a verb with 為 */
    {"他成為地質學者", "他 成 为 地质 学者"},
    /* a localizer, and a negation with 是 */
    {"事實上不是這樣", "事实 上 不 是 这样"},
    /* a determiner and a noun, an adverb and a modal */
    {"各國只能等待", "各 国 只 能 等待"},
    /* a quantifier and its classifier, an ordinal and its classifier */
    {"多年來第一次", "多 年 来 第一 次"},
    /* kept whole: a unit, a month's name, and 計畫 (the Simplified 计划) */
    {"三百平方公里", "三百 平方公里"},
    {"這項計畫八月開始", "这 项 计画 八月 开始"},
};

START_TEST(test_segment_lexicon_rules)
{
    sou_analysis_opts words = mode("words");
    ck_assert_str_eq(cut(&words, SOU_MODE_DOCUMENT, rule_cases[_i].text, 0, NULL),
                     rule_cases[_i].words);
}
END_TEST

START_TEST(test_segment_same_cut_both_sides_and_scripts)
{
    sou_analysis_opts words = mode("words");
    const char *t = "亞太經濟合作會議貿易暨投資委員會在深圳舉行第一次資深官員會議";
    const char *s = "亚太经济合作会议贸易暨投资委员会在深圳举行第一次资深官员会议";
    char doc[1024];
    snprintf(doc, sizeof doc, "%s", cut(&words, SOU_MODE_DOCUMENT, t, 1, NULL));
    ck_assert_str_eq(cut(&words, SOU_MODE_QUERY, t, 1, NULL), doc);
    ck_assert_str_eq(cut(&words, SOU_MODE_QUERY, s, 1, NULL), doc);
    ck_assert_ptr_nonnull(strstr(doc, "委员会@"));
}
END_TEST

/* Grams live in the index's gram lists, not in the analysis: words+grams
 * cuts text exactly as words does. SOU_MODE_SKIP_HAN leaves Han out. */
START_TEST(test_segment_grams_and_skip_han)
{
    sou_analysis_opts dflt = {0}, words = mode("words");
    struct render r;
    ck_assert_str_eq(cut(&dflt, SOU_MODE_DOCUMENT, "在委員會", 1, &r), "在@1 委员会@2");
    ck_assert_str_eq(r.spans, "0-3 3-12");
    ck_assert_str_eq(cut(&words, SOU_MODE_DOCUMENT, "在委員會", 1, &r), "在@1 委员会@2");
    ck_assert_str_eq(r.spans, "0-3 3-12");
    ck_assert_str_eq(cut(&dflt, SOU_MODE_SKIP_HAN, "Trade 貿易 APEC會議", 1, &r), "trade@1 apec@2");
    ck_assert_str_eq(r.spans, "0-5 13-17");
}
END_TEST

START_TEST(test_segment_bigrams)
{
    sou_analysis_opts bi = mode("bigrams");
    ck_assert_str_eq(cut(&bi, SOU_MODE_DOCUMENT, "委員會，議 APEC會議", 1, NULL),
                     "委员@1 员会@2 议@3 apec@4 会议@5");
    ck_assert_str_eq(cut(&bi, SOU_MODE_QUERY, "委員會", 1, NULL), "委员@1 员会@2");
}
END_TEST

START_TEST(test_segment_user_lexicon)
{
    sou_analysis_opts o = mode("words");
    ck_assert_str_eq(cut(&o, SOU_MODE_DOCUMENT, "深圳年會上討論", 0, NULL), "深圳 年 会上 讨论");
    const char *lex = "# APEC meetings\n深圳年會\n數位週 5000\r\n";
    o.user_lexicon = lex;
    o.user_lexicon_len = strlen(lex);
    ck_assert_str_eq(cut(&o, SOU_MODE_DOCUMENT, "深圳年會上討論", 0, NULL), "深圳年会 上 讨论");
    ck_assert_str_eq(cut(&o, SOU_MODE_QUERY, "深圳年会上讨论", 0, NULL), "深圳年会 上 讨论");
    ck_assert_str_eq(cut(&o, SOU_MODE_DOCUMENT, "APEC數位週", 0, NULL), "apec 数位周");
}
END_TEST

static const struct {
    const char *text, *msg;
} bad_user_lexicons[] = {
    {"深圳年會\nAPEC\n", "mylex:2: \"APEC\" is not a word of Chinese characters"},
    {"深圳年會 many\n", "mylex:1: \"many\" is not a frequency"},
    {"深圳年會 0\n", "mylex:1: \"0\" is not a frequency"},
    {"\xff\n", "mylex: invalid UTF-8 at byte 0"},
    /* A long frequency is quoted cut to 31 bytes, never inside a character
     * (the 會 that would straddle the cut is left out). */
    {"深圳年會 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx會\n",
     "mylex:1: \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\" is not a frequency"},
};

START_TEST(test_segment_bad_user_lexicon)
{
    sou_analysis_opts o = {.user_lexicon = bad_user_lexicons[_i].text,
                           .user_lexicon_len = strlen(bad_user_lexicons[_i].text),
                           .user_lexicon_name = "mylex"};
    sou_analyzer *a = NULL;
    sou_error err;
    ck_assert_int_eq(sou_analyzer_open(&a, &o, &err), SOU_ERR_DOC);
    ck_assert_ptr_null(a);
    ck_assert_msg(strstr(err.msg, bad_user_lexicons[_i].msg), "message: %s", err.msg);
    ck_assert_msg(sou_utf8_valid(err.msg, strlen(err.msg), NULL), "message: %s", err.msg);
}
END_TEST

START_TEST(test_segment_missing_or_damaged_lexicon)
{
    sou_analysis_opts o = {.lexicon_path = "/nonexistent/lexicon.bin"};
    sou_analyzer *a = NULL;
    sou_error err;
    ck_assert_int_eq(sou_analyzer_open(&a, &o, &err), SOU_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/lexicon.bin"));
    char path[] = "/tmp/sou-lexicon-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    static const char junk[128] = "SOULEX2 but not really";
    ck_assert_int_eq(write(fd, junk, sizeof junk), (int)sizeof junk);
    close(fd);
    o.lexicon_path = path;
    ck_assert_int_eq(sou_analyzer_open(&a, &o, &err), SOU_ERR_IO);
    ck_assert_msg(strstr(err.msg, "not a Sou lexicon"), "message: %s", err.msg);
    unlink(path);
    /* The icu and bigrams modes need no lexicon. */
    sou_analysis_opts icu = mode("icu");
    icu.lexicon_path = "/nonexistent/lexicon.bin";
    ck_assert_int_eq(sou_analyzer_open(&a, &icu, &err), SOU_OK);
    sou_analyzer_free(a);
}
END_TEST

/* Pages of the file at path in the page cache. */
static size_t cached_pages(const char *path, size_t *total)
{
    int fd = open(path, O_RDONLY);
    ck_assert_int_ge(fd, 0);
    struct stat st;
    ck_assert_int_eq(fstat(fd, &st), 0);
    size_t page = (size_t)sysconf(_SC_PAGESIZE), n = ((size_t)st.st_size + page - 1) / page;
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    ck_assert_ptr_ne(map, MAP_FAILED);
    unsigned char *in = malloc(n);
    ck_assert_ptr_nonnull(in);
    ck_assert_int_eq(mincore(map, (size_t)st.st_size, in), 0);
    size_t cached = 0;
    for (size_t i = 0; i < n; i++)
        cached += in[i] & 1;
    free(in);
    munmap(map, (size_t)st.st_size);
    *total = n;
    return cached;
}

/* A copy of the default lexicon beside it, out of the page cache: returns
 * the pages still cached (valgrind reads a mapped file's first pages), or
 * sets path to "" if the file system keeps most of it cached (tmpfs). */
static size_t evicted_lexicon_copy(char *path, size_t size)
{
    sou_lexicon *lx = NULL;
    sou_error err;
    ck_assert_msg(sou_lexicon_open(NULL, &lx, &err) == SOU_OK, "lexicon: %s", err.msg);
    snprintf(path, size, "%s.cold-XXXXXX", sou_lexicon_path(lx));
    int out = mkstemp(path), in = open(sou_lexicon_path(lx), O_RDONLY);
    sou_lexicon_close(lx);
    ck_assert_int_ge(out, 0);
    ck_assert_int_ge(in, 0);
    char buf[65536];
    ssize_t got;
    while ((got = read(in, buf, sizeof buf)) > 0)
        ck_assert_int_eq(write(out, buf, (size_t)got), got);
    ck_assert_int_eq(got, 0);
    close(in);
    ck_assert_int_eq(fsync(out), 0);
    ck_assert_int_eq(posix_fadvise(out, 0, 0, POSIX_FADV_DONTNEED), 0);
    close(out);
    size_t total, cached = cached_pages(path, &total);
    if (cached * 8 > total) {
        fprintf(stderr, "segment: %s stays cached here; cold lexicon reads not checked\n", path);
        unlink(path);
        *path = '\0';
    }
    return cached;
}

/* A process that analyzes one query (sou.cgi) on a cold page cache reads
 * the lexicon pages its lookups touch, not the whole file through
 * readahead: lexicon.c maps it for random access. */
START_TEST(test_segment_lexicon_cold_reads)
{
    char path[PATH_MAX];
    size_t before = evicted_lexicon_copy(path, sizeof path);
    if (!*path)
        return;
    sou_analysis_opts o = {.lexicon_path = path};
    const char *query = "亞太經濟合作會議貿易暨投資委員會的中小企業數位貿易";
    struct render cold, warm;
    ck_assert_str_eq(cut(&o, SOU_MODE_QUERY, query, 0, &cold),
                     cut(NULL, SOU_MODE_QUERY, query, 0, &warm));
    size_t total, cached = cached_pages(path, &total);
    unlink(path);
    ck_assert_uint_gt(cached, before); /* the lookups did read the copy */
    ck_assert_msg(cached * 8 <= total, "%zu of the lexicon's %zu pages read for one query", cached,
                  total);
}
END_TEST

Suite *segment_suite(void)
{
    Suite *s = suite_create("segment");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_segment_mode_names);
    tcase_add_test(tc, test_segment_skips_han_as_said);
    tcase_add_loop_test(tc, test_segment_lexicon_beats_icu, 0,
                        (int)(sizeof lexicon_cases / sizeof lexicon_cases[0]));
    tcase_add_loop_test(tc, test_segment_lexicon_rules, 0,
                        (int)(sizeof rule_cases / sizeof rule_cases[0]));
    tcase_add_test(tc, test_segment_same_cut_both_sides_and_scripts);
    tcase_add_test(tc, test_segment_grams_and_skip_han);
    tcase_add_test(tc, test_segment_bigrams);
    tcase_add_test(tc, test_segment_user_lexicon);
    tcase_add_loop_test(tc, test_segment_bad_user_lexicon, 0,
                        (int)(sizeof bad_user_lexicons / sizeof bad_user_lexicons[0]));
    tcase_add_test(tc, test_segment_missing_or_damaged_lexicon);
    tcase_add_test(tc, test_segment_lexicon_cold_reads);
    suite_add_tcase(s, tc);
    return s;
}
