/*
 * check_snippet.c - tests for sou_snippet_make(): which passage is chosen,
 * how it is cut and folded, and exactly which words are highlighted. The
 * texts are sentences of a real article (seed 000_333558341a9819e2).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sou/normalize.h"
#include "sou/snippet.h"
#include "suites.h"

/* Article line 10: Chinese with English in brackets. */
static const char LINE10[] =
    "2026年「亞太經濟合作」(APEC)由中國主辦，並在廣州白雲國際會議中心召開「第一次資深官員會議」"
    "(The First APEC Senior Officials' Meeting)，我國由資深官員外交部國際組織司司長孫儉元(如圖示)"
    "率團出席。(圖/APEC官網)";

static sou_analyzer *an;

static void setup(void)
{
    sou_error err;
    ck_assert_int_eq(sou_analyzer_new(&an, &err), SOU_OK);
}

static void teardown(void)
{
    sou_analyzer_free(an);
    an = NULL;
}

/* The words as the query parser gives them: normalized, so Traditional
 * Chinese folded to Simplified (normalize.h). Valid until the next call. */
static sou_match_terms folded(const char *const *words, size_t n)
{
    static char buf[16][64];
    static const char *ptrs[16];
    sou_normbuf nb;
    sou_normbuf_init(&nb);
    ck_assert_uint_le(n, 16);
    for (size_t i = 0; i < n; i++) {
        const char *out = NULL;
        size_t len = 0;
        sou_error err;
        ck_assert_int_eq(sou_normalize(&nb, words[i], strlen(words[i]), &out, &len, &err), SOU_OK);
        ck_assert_uint_lt(len, sizeof buf[i]);
        memcpy(buf[i], out, len + 1);
        ptrs[i] = buf[i];
    }
    sou_normbuf_release(&nb);
    sou_match_terms mt = {ptrs, n, NULL, 0, NULL, 0, NULL, 0};
    return mt;
}

/* Makes a snippet of text (NUL-terminated) and checks that it succeeded. */
static void make(const char *text, const char *const *words, size_t nwords,
                 const char *const *stems, size_t nstems, size_t max_chars, sou_snippet *out)
{
    sou_match_terms mt = folded(words, nwords);
    mt.stems = stems;
    mt.nstems = nstems;
    sou_error err;
    int rc = sou_snippet_make(an, text, strlen(text), &mt, max_chars, out, &err);
    ck_assert_msg(rc == SOU_OK, "sou_snippet_make: %d %s", rc, err.msg);
    ck_assert_ptr_nonnull(out->text);
    ck_assert_uint_eq(strlen(out->text), out->len);
}

/* Asserts the highlighted substrings are exactly want[0..n), in order. */
static void assert_spans(const sou_snippet *s, const char *const *want, size_t n)
{
    ck_assert_uint_eq(s->nspans, n);
    for (size_t i = 0; i < n; i++) {
        const sou_span *sp = &s->spans[i];
        ck_assert_uint_lt(sp->start, sp->end);
        ck_assert_uint_le(sp->end, s->len);
        if (i > 0)
            ck_assert_uint_le(s->spans[i - 1].end, sp->start);
        char got[256];
        size_t len = sp->end - sp->start;
        ck_assert_uint_lt(len, sizeof got);
        memcpy(got, s->text + sp->start, len);
        got[len] = '\0';
        ck_assert_str_eq(got, want[i]);
    }
}

static size_t count_cps(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* A phrase lights its words only where they stand together: "on" and
 * "and" elsewhere stay plain. */
START_TEST(test_snippet_phrases_light_only_together)
{
    static const char *const phrases[] = {"committee on trade and investment",
                                          "贸易 暨 投资 委员会"};
    /* A Chinese phrase is lit as written, in one piece. */
    static const char *const want[] = {"貿易暨投資委員會", "Committee", "on", "Trade", "and",
                                       "Investment"};
    const char *text = "Based on trade and more. 貿易暨投資委員會 is the Committee on Trade and "
                       "Investment; on and on.";
    sou_match_terms mt = {NULL, 0, NULL, 0, phrases, 2, NULL, 0};
    sou_snippet s;
    sou_error err;
    ck_assert_int_eq(sou_snippet_make(an, text, strlen(text), &mt, 200, &s, &err), SOU_OK);
    assert_spans(&s, want, 6);
    sou_snippet_release(&s);
    /* A word of the phrase missing, or one too long between: no match. */
    const char *broken = "Committee on Trade Investment; 貿易暨投資 委員";
    ck_assert_int_eq(sou_snippet_make(an, broken, strlen(broken), &mt, 200, &s, &err), SOU_OK);
    ck_assert_uint_eq(s.nspans, 0);
    sou_snippet_release(&s);
}
END_TEST

/* The passage shows what was typed before what it was expanded to, even
 * where the expansions crowd together elsewhere. */
START_TEST(test_snippet_typed_words_first)
{
    static const char *const words[] = {"ec", "电子商务", "经济委员会"};
    static const char *const typed[] = {"经济委员会"};
    const char *text = "EC 電子商務 EC 電子商務 EC. Lorem ipsum dolor sit amet, consectetur "
                       "adipiscing elit, sed do eiusmod tempor. 經濟委員會 meets in May.";
    sou_match_terms mt = {words, 3, NULL, 0, NULL, 0, NULL, 0};
    sou_snippet s;
    sou_error err;
    ck_assert_int_eq(sou_snippet_make(an, text, strlen(text), &mt, 30, &s, &err), SOU_OK);
    ck_assert_ptr_null(strstr(s.text, "經濟委員會")); /* the crowd wins untyped */
    sou_snippet_release(&s);
    mt.typed = typed;
    mt.ntyped = 1;
    ck_assert_int_eq(sou_snippet_make(an, text, strlen(text), &mt, 30, &s, &err), SOU_OK);
    static const char *const want[] = {"經濟委員會"};
    assert_spans(&s, want, 1);
    sou_snippet_release(&s);
}
END_TEST

/* A long text is analyzed only around where the terms are written: the
 * passage still lands on the match, in either script and for a match
 * written so that no surface search finds it (full-width letters). */
START_TEST(test_snippet_long_text_windows)
{
    char text[8192] = "";
    for (int i = 0; i < 60; i++)
        strcat(text, "The weather was mild and nothing else happened that day. ");
    strcat(text, "At last the 貿易暨投資委員會 met about ＡＰＥＣ rules. ");
    for (int i = 0; i < 40; i++)
        strcat(text, "Then the weather stayed mild for a long while. ");
    ck_assert_uint_gt(strlen(text), 4096);
    static const char *const words[] = {"委员会"};
    static const char *const want[] = {"委員會"};
    sou_snippet s;
    make(text, words, 1, NULL, 0, 80, &s);
    assert_spans(&s, want, 1);
    sou_snippet_release(&s);
    /* Not findable as written: the whole text is analyzed. */
    static const char *const apec[] = {"apec"};
    static const char *const want_apec[] = {"ＡＰＥＣ"};
    make(text, apec, 1, NULL, 0, 80, &s);
    assert_spans(&s, want_apec, 1);
    sou_snippet_release(&s);
}
END_TEST

START_TEST(test_snippet_chinese_words)
{
    static const char *const words[] = {"資深", "官員", "會議"};
    static const char *const want[] = {"會議", "資深", "官員", "會議"};
    sou_snippet s;
    make(LINE10, words, 3, NULL, 0, 40, &s);
    /* Six characters of context, then 40 in all; the cut "S" of "Senior"
     * is dropped. */
    ck_assert_str_eq(s.text, "廣州白雲國際會議中心召開「第一次資深官員會議」(The First APEC");
    assert_spans(&s, want, 4);
    /* 資深官員: adjacent words stay two spans. */
    ck_assert_uint_eq(s.spans[1].end, s.spans[2].start);
    ck_assert_int_eq(s.cut_before, 1);
    ck_assert_int_eq(s.cut_after, 1);
    sou_snippet_release(&s);
}
END_TEST

START_TEST(test_snippet_short_text_whole)
{
    static const char *const words[] = {"資深", "官員", "會議"};
    static const char *const want[] = {"會議", "資深", "官員", "會議", "資深", "官員"};
    sou_snippet s;
    /* LINE10 is 133 characters. */
    for (size_t max_chars = 133; max_chars < SIZE_MAX / 2; max_chars = max_chars * 1000) {
        make(LINE10, words, 3, NULL, 0, max_chars, &s);
        ck_assert_str_eq(s.text, LINE10);
        assert_spans(&s, want, 6);
        ck_assert_int_eq(s.cut_before, 0);
        ck_assert_int_eq(s.cut_after, 0);
        sou_snippet_release(&s);
    }
    make(LINE10, words, 3, NULL, 0, SIZE_MAX, &s);
    ck_assert_str_eq(s.text, LINE10);
    sou_snippet_release(&s);

    /* One character short: rather than start inside "2026", the passage
     * starts at the bracket after it. */
    make(LINE10, words, 3, NULL, 0, 132, &s);
    ck_assert_str_eq(s.text, LINE10 + strlen("2026年"));
    assert_spans(&s, want, 6);
    ck_assert_int_eq(s.cut_before, 1);
    ck_assert_int_eq(s.cut_after, 0);
    sou_snippet_release(&s);
}
END_TEST

static const char EN[] =
    "The First APEC Senior Officials' Meeting opened in Guangzhou, and working "
    "group meetings followed.";

START_TEST(test_snippet_english_stems)
{
    static const char *const stems[] = {"meet"};
    static const char *const want[] = {"Meeting", "meetings"};
    sou_snippet s;
    make(EN, NULL, 0, stems, 1, 1000, &s);
    ck_assert_str_eq(s.text, EN);
    assert_spans(&s, want, 2);
    sou_snippet_release(&s);
}
END_TEST

START_TEST(test_snippet_english_word_boundaries)
{
    static const char *const stems[] = {"meet"};
    static const char *const want[] = {"Meeting"};
    sou_snippet s;
    /* Five characters of context would start inside "Officials'": the
     * start moves back to the word; the cut "G" of "Guangzhou" is dropped. */
    make(EN, NULL, 0, stems, 1, 30, &s);
    ck_assert_str_eq(s.text, "Officials' Meeting opened in");
    assert_spans(&s, want, 1);
    ck_assert_int_eq(s.cut_before, 1);
    ck_assert_int_eq(s.cut_after, 1);
    sou_snippet_release(&s);
}
END_TEST

START_TEST(test_snippet_word_and_stem_count_once)
{
    static const char text[] = "Meeting after meeting, the meetings went on for days in the city. "
                               "Later the APEC Meeting opened.";
    static const char *const words[] = {"meeting", "apec"};
    static const char *const stems[] = {"meet", "apec"};
    static const char *const want[] = {"APEC", "Meeting"};
    sou_snippet s;
    /* The first sentence has three matches of one term; "APEC Meeting" has
     * two terms and wins. Counting "meeting" and its stem "meet" apart would
     * wrongly give the first sentence two terms and six matches. */
    make(text, words, 2, stems, 2, 40, &s);
    ck_assert_str_eq(s.text, "the city. Later the APEC Meeting opened.");
    assert_spans(&s, want, 2);
    ck_assert_int_eq(s.cut_before, 1);
    ck_assert_int_eq(s.cut_after, 0);
    sou_snippet_release(&s);

    /* "Meeting after meeting, the meetings" is one term (meet) in three
     * matches, so the two terms of 官員會議...會議 win. Counting a word's
     * term and stem apart would make it two terms in five matches. */
    static const char text2[] =
        "Meeting after meeting, the meetings went on for days in the city. "
        "中國於2月1日至10日召開第一次資深官員會議，相較以往，本次會議召開時間"
        "稍微提前，且會期亦較歷年為短。";
    static const char *const words2[] = {"meeting", "官員", "會議"};
    static const char *const want2[] = {"官員", "會議", "會議"};
    make(text2, words2, 3, stems, 1, 40, &s);
    ck_assert_str_eq(
        s.text, "召開第一次資深官員會議，相較以往，本次會議召開時間稍微提前，且會期亦較歷年為短。");
    assert_spans(&s, want2, 3);
    ck_assert_int_eq(s.cut_before, 1);
    ck_assert_int_eq(s.cut_after, 0);
    sou_snippet_release(&s);

    /* A word matched by both its term and its stem is one span. */
    static const char *const one[] = {"Meeting"};
    make("Meeting", words, 1, stems, 1, 100, &s);
    ck_assert_str_eq(s.text, "Meeting");
    assert_spans(&s, one, 1);
    sou_snippet_release(&s);
}
END_TEST

START_TEST(test_snippet_case_folded)
{
    static const char text[] =
        "「預算暨管理委員會」(BMC)、「貿易暨投資委員會」(CTI)、「經濟委員會」(EC)，"
        "及「經濟暨技術合作指導委員會」(SCE)。";
    static const char *const words[] = {"cti"};
    static const char *const want[] = {"CTI"};
    sou_snippet s;
    make(text, words, 1, NULL, 0, 200, &s);
    ck_assert_str_eq(s.text, text);
    assert_spans(&s, want, 1);
    sou_snippet_release(&s);
}
END_TEST

START_TEST(test_snippet_full_width)
{
    static const char text[] = "２０２６年「亞太經濟合作」（ＡＰＥＣ）由中國主辦";
    static const char *const words[] = {"apec", "2026"};
    static const char *const want[] = {"２０２６", "ＡＰＥＣ"};
    sou_snippet s;
    make(text, words, 2, NULL, 0, 200, &s);
    ck_assert_str_eq(s.text, text);
    assert_spans(&s, want, 2);
    sou_snippet_release(&s);
}
END_TEST

START_TEST(test_snippet_most_distinct_terms_win)
{
    /* Three APECs within 50 characters, then far later APEC and 會議. */
    static const char text[] =
        "2026年「亞太經濟合作」(APEC)由中國舉辦，並且繼2001年及2014年後，第三度舉辦APEC。"
        "中國設定2026 APEC的年度主題為「打造繁榮共享的亞太社群」，三項優先領域為「開放」、"
        "「創新」，及「合作」。此外，相關出席安排亦可能視川習會進展而定，並進一步影響美方是否"
        "出席APEC貿易部長會議。";
    static const char *const words[] = {"apec", "會議"};
    static const char *const want[] = {"APEC", "會議"};
    sou_snippet s;
    /* Near the end, the passage slides back to hold 60 characters, and
     * starts at the opening bracket 「. */
    make(text, words, 2, NULL, 0, 60, &s);
    ck_assert_str_eq(s.text,
                     "「開放」、「創新」，及「合作」。此外，相關出席安排亦可能視川習會進展而定，"
                     "並進一步影響美方是否出席APEC貿易部長會議。");
    ck_assert_uint_eq(count_cps(s.text), 60);
    assert_spans(&s, want, 2);
    ck_assert_int_eq(s.cut_before, 1);
    ck_assert_int_eq(s.cut_after, 0);
    sou_snippet_release(&s);

    /* With only APEC asked for, the three-match cluster at the start wins;
     * ten characters of context reach back to the bracket 「. */
    static const char *const apec[] = {"apec"};
    static const char *const want3[] = {"APEC", "APEC", "APEC"};
    make(text, apec, 1, NULL, 0, 60, &s);
    ck_assert_str_eq(s.text, "「亞太經濟合作」(APEC)由中國舉辦，並且繼2001年及2014年後，"
                             "第三度舉辦APEC。中國設定2026 APEC的");
    assert_spans(&s, want3, 3);
    ck_assert_int_eq(s.cut_before, 1);
    ck_assert_int_eq(s.cut_after, 1);
    sou_snippet_release(&s);
}
END_TEST

START_TEST(test_snippet_whitespace_folded)
{
    /* The article's opening lines, with an ideographic space and a tab. */
    static const char text[] =
        " \n\n\n2026 APEC主題設定為 「打造繁榮共享的亞太社群」， 並在中國廣州召開 "
        "「第一次資深官員會議」\n\nAPEC研究中心助理研究員\xE3\x80\x80\t王薊暄\n\n\n\n";
    static const char folded[] =
        "2026 APEC主題設定為 「打造繁榮共享的亞太社群」， 並在中國廣州召開 "
        "「第一次資深官員會議」 APEC研究中心助理研究員 王薊暄";
    static const char *const words[] = {"apec"};
    static const char *const want[] = {"APEC", "APEC"};
    sou_snippet s;
    make(text, words, 1, NULL, 0, 1000, &s);
    ck_assert_str_eq(s.text, folded);
    assert_spans(&s, want, 2);
    ck_assert_uint_eq(s.spans[0].start, strlen("2026 "));
    ck_assert_uint_eq(s.spans[1].start, strstr(folded, "」 APEC") - folded + strlen("」 "));
    /* Leading and trailing whitespace is not text left out. */
    ck_assert_int_eq(s.cut_before, 0);
    ck_assert_int_eq(s.cut_after, 0);
    sou_snippet_release(&s);

    /* A folded run counts as one character; the passage ends before the
     * space that would make it 31. */
    make(text, words, 1, NULL, 0, 30, &s);
    ck_assert_str_eq(s.text, "2026 APEC主題設定為 「打造繁榮共享的亞太社群」，");
    assert_spans(&s, want, 1);
    ck_assert_int_eq(s.cut_before, 0);
    ck_assert_int_eq(s.cut_after, 1);
    sou_snippet_release(&s);
}
END_TEST

/* Where the match is decides which ends are cut; max_chars is 20. */
static const struct {
    const char *word;
    const char *text;
    int cut_before, cut_after;
} cut_cases[] = {
    /* At the start: the context would start inside "2026", so it starts
     * at the text's start. */
    {"亞太", "2026年「亞太經濟合作」(APEC)由", 0, 1},
    {"外交部", "深官員外交部國際組織司司長孫儉元(如圖示", 1, 1},
    /* At the end: slid back to fill 20 characters, from the bracket. */
    {"出席", "(如圖示)率團出席。(圖/APEC官網)", 1, 0},
};

START_TEST(test_snippet_cut_flags)
{
    const char *words[] = {cut_cases[_i].word};
    sou_snippet s;
    make(LINE10, words, 1, NULL, 0, 20, &s);
    ck_assert_str_eq(s.text, cut_cases[_i].text);
    assert_spans(&s, words, 1);
    ck_assert_int_eq(s.cut_before, cut_cases[_i].cut_before);
    ck_assert_int_eq(s.cut_after, cut_cases[_i].cut_after);
    sou_snippet_release(&s);
}
END_TEST

START_TEST(test_snippet_no_match)
{
    static const char *const words[] = {"臺北"};
    static const char *const stems[] = {"taipei"};
    sou_snippet s;
    make(LINE10, words, 1, stems, 1, 20, &s);
    ck_assert_str_eq(s.text, "2026年「亞太經濟合作」(APEC)由");
    ck_assert_uint_eq(s.nspans, 0);
    ck_assert_int_eq(s.cut_before, 0);
    ck_assert_int_eq(s.cut_after, 1);
    sou_snippet_release(&s);

    /* No terms at all: the start of the text too. */
    make(LINE10, NULL, 0, NULL, 0, 5, &s);
    ck_assert_str_eq(s.text, "2026年");
    ck_assert_uint_eq(s.nspans, 0);
    ck_assert_int_eq(s.cut_after, 1);
    sou_snippet_release(&s);
}
END_TEST

START_TEST(test_snippet_empty_text)
{
    static const char *const words[] = {"會議"};
    sou_match_terms mt = folded(words, 1);
    sou_error err;
    sou_snippet s;
    make("", words, 1, NULL, 0, 10, &s);
    ck_assert_str_eq(s.text, "");
    ck_assert_uint_eq(s.len, 0);
    ck_assert_uint_eq(s.nspans, 0);
    ck_assert_int_eq(s.cut_before, 0);
    ck_assert_int_eq(s.cut_after, 0);
    sou_snippet_release(&s);

    ck_assert_int_eq(sou_snippet_make(an, NULL, 0, &mt, 10, &s, &err), SOU_OK);
    ck_assert_str_eq(s.text, "");
    ck_assert_uint_eq(s.nspans, 0);
    sou_snippet_release(&s);

    /* Only whitespace is empty too. */
    make(" \n\xE3\x80\x80\t ", words, 1, NULL, 0, 10, &s);
    ck_assert_str_eq(s.text, "");
    ck_assert_int_eq(s.cut_before, 0);
    ck_assert_int_eq(s.cut_after, 0);
    sou_snippet_release(&s);
}
END_TEST

/* Twenty characters of filler without a match. */
static const char FILLER[] = "亞太經濟合作會議在各會員體之間輪流舉辦。";

/* About 1 MB of filler, then tail. Owned: free(). */
static char *long_text(const char *tail, size_t *len)
{
    size_t reps = (1u << 20) / (sizeof FILLER - 1);
    size_t tail_len = strlen(tail);
    char *t = malloc(reps * (sizeof FILLER - 1) + tail_len + 1);
    ck_assert_ptr_nonnull(t);
    for (size_t i = 0; i < reps; i++)
        memcpy(t + i * (sizeof FILLER - 1), FILLER, sizeof FILLER - 1);
    memcpy(t + reps * (sizeof FILLER - 1), tail, tail_len + 1);
    *len = reps * (sizeof FILLER - 1) + tail_len;
    return t;
}

START_TEST(test_snippet_long_text)
{
    static const char *const words[] = {"廣州"};
    sou_match_terms mt = folded(words, 1);
    sou_error err;
    sou_snippet s;
    size_t len = 0;
    char *text = long_text("在中國廣州召開「第一次資深官員會議」，並進行開幕致詞。"
                           "亞太經濟合作會議在各會員體之間輪流舉辦。"
                           "亞太經濟合作會議在各會員體之間輪流舉辦。",
                           &len);
    ck_assert_uint_gt(len, 1000000);
    ck_assert_int_eq(sou_snippet_make(an, text, len, &mt, 60, &s, &err), SOU_OK);
    ck_assert_str_eq(s.text, "之間輪流舉辦。在中國廣州召開「第一次資深官員會議」，並進行開幕致詞。"
                             "亞太經濟合作會議在各會員體之間輪流舉辦。亞太經濟合作");
    assert_spans(&s, words, 1);
    ck_assert_int_eq(s.cut_before, 1);
    ck_assert_int_eq(s.cut_after, 1);
    sou_snippet_release(&s);
    free(text);

    /* The match at the very end: slid back to fill the passage, and
     * started after the full stop. */
    text = long_text("在中國廣州召開「第一次資深官員會議」", &len);
    ck_assert_int_eq(sou_snippet_make(an, text, len, &mt, 60, &s, &err), SOU_OK);
    ck_assert_str_eq(
        s.text, "亞太經濟合作會議在各會員體之間輪流舉辦。亞太經濟合作會議在各會員體之間輪流舉辦。"
                "在中國廣州召開「第一次資深官員會議」");
    assert_spans(&s, words, 1);
    ck_assert_int_eq(s.cut_before, 1);
    ck_assert_int_eq(s.cut_after, 0);
    sou_snippet_release(&s);
    free(text);
}
END_TEST

static const char *const bad_utf8[] = {
    "會議\xFF",          /* not a lead byte */
    "\xC0\xAF",          /* overlong '/' */
    "會\xE6\x9C",        /* truncated sequence */
    "APEC \xED\xA0\x80", /* a surrogate */
};

START_TEST(test_snippet_invalid_utf8)
{
    static const char *const words[] = {"會議"};
    sou_match_terms mt = folded(words, 1);
    sou_error err;
    sou_snippet s;
    memset(&s, 0xAB, sizeof s);
    int rc = sou_snippet_make(an, bad_utf8[_i], strlen(bad_utf8[_i]), &mt, 10, &s, &err);
    ck_assert_int_eq(rc, SOU_ERR_UTF8);
    ck_assert_int_eq(err.code, SOU_ERR_UTF8);
    ck_assert_ptr_null(s.text);
    ck_assert_ptr_null(s.spans);
    ck_assert_uint_eq(s.len, 0);
    ck_assert_uint_eq(s.nspans, 0);
    sou_snippet_release(&s);
}
END_TEST

START_TEST(test_snippet_invalid_args)
{
    static const char *const words[] = {"會議"};
    static const char *const null_word[] = {"會議", NULL};
    sou_match_terms mt = folded(words, 1);
    sou_match_terms missing = {NULL, 1, NULL, 0, NULL, 0, NULL, 0};
    sou_match_terms has_null = {null_word, 2, NULL, 0, NULL, 0, NULL, 0};
    sou_error err;
    sou_snippet s;
    size_t len = strlen(LINE10);

    memset(&s, 0xAB, sizeof s);
    ck_assert_int_eq(sou_snippet_make(NULL, LINE10, len, &mt, 10, &s, &err), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(err.code, SOU_ERR_INVALID_ARG);
    ck_assert_ptr_null(s.text);
    ck_assert_uint_eq(s.nspans, 0);
    ck_assert_int_eq(sou_snippet_make(an, NULL, len, &mt, 10, &s, &err), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_snippet_make(an, LINE10, len, NULL, 10, &s, &err), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_snippet_make(an, LINE10, len, &mt, 0, &s, &err), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_snippet_make(an, LINE10, len, &missing, 10, &s, &err),
                     SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_snippet_make(an, LINE10, len, &has_null, 10, &s, &err),
                     SOU_ERR_INVALID_ARG);
    ck_assert_ptr_null(s.text);
    ck_assert_int_eq(sou_snippet_make(an, LINE10, len, &mt, 10, NULL, &err), SOU_ERR_INVALID_ARG);
    /* err may be NULL. */
    ck_assert_int_eq(sou_snippet_make(an, LINE10, len, &mt, 0, &s, NULL), SOU_ERR_INVALID_ARG);
}
END_TEST

START_TEST(test_snippet_release_twice)
{
    static const char *const words[] = {"會議"};
    sou_snippet s;
    make(LINE10, words, 1, NULL, 0, 10, &s);
    sou_snippet_release(&s);
    ck_assert_ptr_null(s.text);
    ck_assert_ptr_null(s.spans);
    ck_assert_uint_eq(s.nspans, 0);
    sou_snippet_release(&s);
    sou_snippet_release(NULL);
}
END_TEST

/* The article's opening, line 10 and the English sentence, with every kind
 * of whitespace. */
static const char MIXED[] =
    "  2026 APEC主題設定為 「打造繁榮共享的亞太社群」，\xE3\x80\x80並在中國廣州召開\n\n"
    "「第一次資深官員會議」\r\n\t2026年「亞太經濟合作」(APEC)由中國主辦，並在"
    "廣州白雲國際會議中心召開「第一次資深官員會議」(The First APEC Senior "
    "Officials' Meeting)，我國由資深官員外交部國際組織司司長\n"
    "The First APEC Senior Officials' Meeting opened in Guangzhou, and "
    "working group meetings followed.\n";

START_TEST(test_snippet_never_exceeds_max_chars)
{
    static const char *const words[] = {"資深", "官員", "會議", "apec"};
    static const char *const stems[] = {"meet"};
    static const char *const allowed[] = {"資深", "官員", "會議", "APEC", "Meeting", "meetings"};
    size_t max_chars = (size_t)_i;
    sou_snippet s;
    make(MIXED, words, 4, stems, 1, max_chars, &s);
    ck_assert_uint_le(count_cps(s.text), max_chars);
    ck_assert(sou_utf8_valid(s.text, s.len, NULL));
    ck_assert_ptr_null(strstr(s.text, "  "));
    ck_assert_ptr_null(strpbrk(s.text, "\t\r\n"));
    ck_assert_ptr_null(strstr(s.text, "\xE3\x80\x80"));
    if (s.len > 0) {
        ck_assert_int_ne(s.text[0], ' ');
        ck_assert_int_ne(s.text[s.len - 1], ' ');
    }
    for (size_t i = 0; i < s.nspans; i++) {
        const sou_span *sp = &s.spans[i];
        ck_assert_uint_lt(sp->start, sp->end);
        ck_assert_uint_le(sp->end, s.len);
        if (i > 0)
            ck_assert_uint_le(s.spans[i - 1].end, sp->start);
        int ok = 0;
        for (size_t k = 0; k < sizeof allowed / sizeof allowed[0]; k++)
            ok |= strlen(allowed[k]) == sp->end - sp->start &&
                  memcmp(allowed[k], s.text + sp->start, sp->end - sp->start) == 0;
        ck_assert_msg(ok, "span %zu of \"%s\" is not a matched word", i, s.text);
    }
    /* Every passage of 10 or more characters holds a match. */
    if (max_chars >= 10)
        ck_assert_uint_gt(s.nspans, 0);
    /* MIXED folds to 260 characters. */
    ck_assert_int_eq(s.cut_before || s.cut_after, max_chars < 260);
    if (max_chars >= 260)
        ck_assert_uint_eq(count_cps(s.text), 260);
    sou_snippet_release(&s);
}
END_TEST

Suite *snippet_suite(void)
{
    Suite *s = suite_create("snippet");
    TCase *tc = tcase_create("snippet");
    tcase_add_checked_fixture(tc, setup, teardown);
    /* The 1 MB texts take a while under valgrind or sanitizers. */
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_snippet_chinese_words);
    tcase_add_test(tc, test_snippet_phrases_light_only_together);
    tcase_add_test(tc, test_snippet_typed_words_first);
    tcase_add_test(tc, test_snippet_long_text_windows);
    tcase_add_test(tc, test_snippet_short_text_whole);
    tcase_add_test(tc, test_snippet_english_stems);
    tcase_add_test(tc, test_snippet_english_word_boundaries);
    tcase_add_test(tc, test_snippet_word_and_stem_count_once);
    tcase_add_test(tc, test_snippet_case_folded);
    tcase_add_test(tc, test_snippet_full_width);
    tcase_add_test(tc, test_snippet_most_distinct_terms_win);
    tcase_add_test(tc, test_snippet_whitespace_folded);
    tcase_add_loop_test(tc, test_snippet_cut_flags, 0, sizeof cut_cases / sizeof cut_cases[0]);
    tcase_add_test(tc, test_snippet_no_match);
    tcase_add_test(tc, test_snippet_empty_text);
    tcase_add_test(tc, test_snippet_long_text);
    tcase_add_loop_test(tc, test_snippet_invalid_utf8, 0, sizeof bad_utf8 / sizeof bad_utf8[0]);
    tcase_add_test(tc, test_snippet_invalid_args);
    tcase_add_test(tc, test_snippet_release_twice);
    tcase_add_loop_test(tc, test_snippet_never_exceeds_max_chars, 1, 271);
    suite_add_tcase(s, tc);
    return s;
}
