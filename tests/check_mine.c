/*
 * check_mine.c - tests for sou_mine_acronyms(): the exact (acronym, zh, en)
 * triples found in real sentences of the seed article
 * (000_333558341a9819e2) and of the corpus's English paragraphs, the forms
 * that are not definitions, and the failure paths.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sou/mine.h"
#include "suites.h"

/* Every definition found, as "ACR|zh|en" lines ("-" for a missing name). */
struct found {
    char buf[2048];
    size_t len;
    size_t calls;
    size_t stop_after; /* 0: never stop */
    size_t last_offset;
};

static void put(struct found *f, const char *s, size_t n)
{
    if (!s) {
        s = "-";
        n = 1;
    }
    ck_assert_uint_lt(f->len + n + 1, sizeof f->buf);
    memcpy(f->buf + f->len, s, n);
    f->len += n;
    f->buf[f->len] = '\0';
}

static int collect(void *ctx, const char *acr, size_t acr_len, const char *zh, size_t zh_len,
                   const char *en, size_t en_len, size_t offset)
{
    struct found *f = ctx;
    ck_assert_ptr_nonnull(acr);
    ck_assert(zh || en);
    ck_assert(zh ? zh_len > 0 : zh_len == 0);
    ck_assert(en ? en_len > 0 : en_len == 0);
    if (f->calls > 0)
        put(f, "\n", 1);
    put(f, acr, acr_len);
    put(f, "|", 1);
    put(f, zh, zh_len);
    put(f, "|", 1);
    put(f, en, en_len);
    f->calls++;
    f->last_offset = offset;
    return f->stop_after && f->calls >= f->stop_after ? 42 : 0;
}

/* Mines text and returns the lines found ("" for none). */
static const char *mine(struct found *f, const char *text)
{
    memset(f, 0, sizeof *f);
    sou_error err;
    int rc = sou_mine_acronyms(text, strlen(text), collect, f, &err);
    ck_assert_msg(rc == SOU_OK, "sou_mine_acronyms: %d %s", rc, err.msg);
    return f->buf;
}

struct mine_case {
    const char *text;
    const char *want;
};

/* Definitions, from the article unless noted. */
static const struct mine_case found_cases[] = {
    /* 0: quoted zh, one acronym each; 「開放」(Openness) is not one. */
    {"亦同時召開四大委員會會議，「預算暨管理委員會」(BMC)、「貿易暨投資委員會」(CTI)、"
     "「經濟委員會」(EC)，及「經濟暨技術合作指導委員會」(SCE)。",
     "BMC|預算暨管理委員會|-\nCTI|貿易暨投資委員會|-\nEC|經濟委員會|-\n"
     "SCE|經濟暨技術合作指導委員會|-"},
    /* 1: zh and en; the later bare SOM1 mentions are not definitions. */
    {"中國於2月1日至10日，在中國廣州召開「第一次資深官員會議」(The First APEC Senior "
     "Officials' Meeting, SOM1)。相較以往，本次會議召開時間稍微提前，且會期亦較歷年SOM1為短，"
     "SOM1期間召開包含「衛生工作小組」(HWG)、「科學、技術及創新政策夥伴」(PPSTI)、"
     "「反貪污及透明化工作小組」(ACTWG)、「智慧財產權專家小組」(IPEG)等工作小組會議",
     "SOM1|第一次資深官員會議|The First APEC Senior Officials' Meeting\n"
     "HWG|衛生工作小組|-\nPPSTI|科學、技術及創新政策夥伴|-\n"
     "ACTWG|反貪污及透明化工作小組|-\nIPEG|智慧財產權專家小組|-"},
    /* 2: an English name without acronym, (如圖示), (圖/APEC官網): none. */
    {"2026年「亞太經濟合作」(APEC)由中國主辦，並在廣州白雲國際會議中心召開「第一次資深官員會議」"
     "(The First APEC Senior Officials' Meeting)，我國由資深官員外交部國際組織司司長孫儉元(如圖示)"
     "率團出席。(圖/APEC官網)",
     "APEC|亞太經濟合作|-"},
    /* 3: zh and en; the theme and the priorities are English names only. */
    {"2026年「亞太經濟合作」(Asia-Pacific Economic Cooperation, APEC)由中國舉辦，並且繼2001年及"
     "2014年後，第三度舉辦APEC。中國設定2026 APEC的年度主題為「打造繁榮共享的亞太社群」(Building "
     "an Asia-Pacific Community to Prosper Together)，三項優先領域為「開放」(Openness)、「創新」"
     "(Innovation)，及「合作」(Cooperation)。",
     "APEC|亞太經濟合作|Asia-Pacific Economic Cooperation"},
    /* 4: unquoted, with a number after the acronym, cut after 舉行. */
    {"- 數位週期間將於7月23日舉行數位與AI部長會議（TELMIN 12）、電信暨資訊工作小組（TELWG）"
     "會議及相關系列活動，包括高階論壇、數位經濟指導小組（DESG）會議、展覽與實地參訪；",
     "TELMIN 12|數位與AI部長會議|-\nTELWG|電信暨資訊工作小組|-\nDESG|數位經濟指導小組|-"},
    /* 5: full-width parentheses after 「」. */
    {"- 於5月20-23日在蘇州召開「貿易部長會議」（MRT）及相關高階論壇、CTI、工作小組與研討會，"
     "檢視進展並研議未來方向。",
     "MRT|貿易部長會議|-"},
    /* 6: unquoted, after 、 */
    {"- 推進貿易數位轉型合作，包括數位貿易、跨境電商、人工智慧（AI）應用於投資便捷化措施、"
     "投資便捷化及標準符合性等議題。",
     "AI|人工智慧|-"},
    /* 7: 《》 with Latin letters inside. */
    {"- "
     "持續深化結構改革合作，並聚焦推動《增進及強化APEC結構改革議程》（SEAASR）2026-2030年之落實。",
     "SEAASR|增進及強化APEC結構改革議程|-"},
    /* 8: unquoted after PPSTI、; (Digital Weeks) is not one. */
    {"於7月16-28日在成都辦理APEC數位週（Digital Weeks），促進APEC經濟體就AI與創新成長進行合作。"
     "在PPSTI、中小企業工作小組（SMEWG）、能源工作小組（EWG）等相關論壇推動數位轉型",
     "SMEWG|中小企業工作小組|-\nEWG|能源工作小組|-"},
    /* 9: unquoted at the start of a list item. */
    {"- 婦女與經濟論壇（WEF）：於5月15-16日在上海召開，關注推動性別平等與女性經濟賦權。\n"
     "- 人力資源發展部長會議（HRDMM）：於9月21-22日在南京召開",
     "WEF|婦女與經濟論壇|-\nHRDMM|人力資源發展部長會議|-"},
    /* 10: the run is cut after 運用 but keeps the adjective 新興 (the
     * glossary has 資通訊科技): a known limit of unquoted names. */
    {"討論運用新興資通訊科技（ICT）與數位技術", "ICT|新興資通訊科技|-"},
    /* 11: leading particles dropped (made up: 並由). */
    {"本案，並由經濟委員會（EC）主導", "EC|經濟委員會|-"},
    /* 12: full-width acronym, returned as written. */
    {"「貿易暨投資委員會」（ＣＴＩ）", "ＣＴＩ|貿易暨投資委員會|-"},
    /* 13-16: English (Schwartz & Hearst), from the corpus's English text. */
    {"Committee on Trade and Investment (CTI)", "CTI|-|Committee on Trade and Investment"},
    {"APEC's website files DESG under the Committee on Trade and Investment (CTI) rather",
     "CTI|-|Committee on Trade and Investment"},
    {"Alongside it met the Health Working Group (HWG), the Policy Partnership",
     "HWG|-|Health Working Group"},
    {"\n\nArtificial intelligence (AI) is not an APEC forum", "AI|-|Artificial intelligence"},
    /* 17-19: initials first (Schwartz & Hearst alone gives "and Transparency
     * Experts' Working Group" and "Partnership on Science, ..."), and the
     * words after the last match ("meeting") left out. */
    {"\n\nThe Anti-Corruption and Transparency Experts' Working Group (ACTWG) is a working group",
     "ACTWG|-|Anti-Corruption and Transparency Experts' Working Group"},
    {"新政策夥伴 Policy Partnership on Science, Technology and Innovation meeting (PPSTI)",
     "PPSTI|-|Policy Partnership on Science, Technology and Innovation"},
    {"Alongside it met the Health Working Group meeting (HWG)", "HWG|-|Health Working Group"},
    /* 20: the L of TELWG is not an initial: Schwartz & Hearst's match. */
    {"26年TELWG於7月在成都的「APEC數位週」期間開會。\n\nThe Telecommunications and Information "
     "Working Group (TELWG) is a working group under the",
     "TELWG|-|Telecommunications and Information Working Group"},
    /* 21: unquoted names start after 的. */
    {"2026年CTI於2月在廣州的SOM1期間開會，5月在蘇州的貿易部長會議(MRT)期間再度開會",
     "MRT|貿易部長會議|-"},
    /* 22: a run that reaches a number (1999年以...) is skipped. */
    {"「電子商務指導小組」(ECSG)是已走入歷史的次級論壇，1999年以資深官員會議(SOM)特別工作小組的"
     "形式成立",
     "ECSG|電子商務指導小組|-"},
    /* 23: no matching long form: (SOM1) after English, (CTI) after ")". */
    {"貿易暨投資委員會 Committee on Trade and Investment meeting (SOM1) (CTI)", ""},
    /* 18: both kinds of comma and parenthesis. */
    {"「亞太經濟合作」（Asia-Pacific Economic Cooperation，APEC）",
     "APEC|亞太經濟合作|Asia-Pacific Economic Cooperation"},
};

START_TEST(test_mine_definitions)
{
    struct found f;
    const struct mine_case *c = &found_cases[_i];
    ck_assert_str_eq(mine(&f, c->text), c->want);
}
END_TEST

/* Not definitions. */
static const char *const none_cases[] = {
    "「開放」(Openness)、「創新」(Innovation)，及「合作」(Cooperation)",
    "因美伊戰事影響，目前美國尚未確認是否由其貿易代表葛里爾（Jamieson Greer）出席該會議",
    "「貿易暨投資委員會」(cti)",                      /* lower case */
    "「貿易暨投資委員會」(Cti)",                      /* one upper-case letter */
    "「衛生工作小組」(H)",                            /* a single letter */
    "「二十國集團」(G20)",                            /* one letter */
    "於2026年舉辦(2026)",                             /* a year */
    "本次會議(本次會議由中國主辦，王毅出席大會開幕)", /* a sentence */
    "「第一次資深官員會議大會」(SOM1 Plenary)",       /* a word after it */
    "「貿易暨投資委員會」(ABCDEFGHIJK)",              /* eleven letters */
    "「數位與AI部長會議」(TELMIN 12345)",             /* a five-digit number */
    "CTI（貿易暨投資委員會）",                        /* reversed */
    "「經濟委員會」(EC",                              /* not closed */
    "「經濟委員會」(EC\n)",                           /* closed on another line */
    "經濟委員會(E(C))",                               /* nested */
    "「」(CTI)",                                      /* empty quote */
    "「APEC」(ABC)",                                  /* no ideograph in the quote */
    "(CTI)",                                          /* nothing before */
    "、委(CTI)",                                      /* a one-character name */
    "「經濟委員會」(經濟, EC)",                       /* not an English name */
    "「經濟委員會」(APEC, EC)",                       /* an acronym, not a name */
    /* an unquoted run over 16 characters */
    "亞太經濟合作會議下設之經濟暨技術合作指導委員會(SCE)",
    /* an English run that does not spell the acronym */
    "the meeting of the Trade Committee (CTI)",
    "2026 (APEC)",
    /* Only one letter of MRT is an initial: Schwartz & Hearst's "ministers'
     * meeting" is refused. */
    "may decide whether the United States attends the APEC trade ministers' meeting (MRT) in",
    /* Steering is the seventh word back, past min(|A|+5, 2|A|) = 6. */
    "The SOM Steering Committee on Economic and Technical Cooperation (SCE) is",
};

START_TEST(test_mine_not_definitions)
{
    struct found f;
    ck_assert_str_eq(mine(&f, none_cases[_i]), "");
}
END_TEST

START_TEST(test_mine_offset)
{
    static const char text[] = "「預算暨管理委員會」(BMC)、「貿易暨投資委員會」（ＣＴＩ）";
    struct found f;
    mine(&f, text);
    ck_assert_uint_eq(f.calls, 2);
    ck_assert_uint_eq(f.last_offset, (size_t)(strstr(text, "ＣＴＩ") - text));
}
END_TEST

/* The text need not be NUL-terminated: a definition cut by len is not one. */
START_TEST(test_mine_length_bounds)
{
    static const char text[] = "「貿易暨投資委員會」(CTI)「經濟委員會」(EC)";
    struct found f;
    memset(&f, 0, sizeof f);
    size_t len = (size_t)(strstr(text, "(EC)") - text) + 3; /* "(EC" */
    ck_assert_int_eq(sou_mine_acronyms(text, len, collect, &f, NULL), SOU_OK);
    ck_assert_str_eq(f.buf, "CTI|貿易暨投資委員會|-");
}
END_TEST

START_TEST(test_mine_invalid_utf8)
{
    static const char text[] = "「貿易暨投資委員會」(CTI)\xff";
    struct found f;
    memset(&f, 0, sizeof f);
    sou_error err;
    ck_assert_int_eq(sou_mine_acronyms(text, strlen(text), collect, &f, &err), SOU_ERR_UTF8);
    ck_assert_int_eq(err.code, SOU_ERR_UTF8);
    ck_assert_uint_eq(f.calls, 0); /* checked before any callback */
    char want[32];
    snprintf(want, sizeof want, "byte %zu", strlen(text) - 1);
    ck_assert_ptr_nonnull(strstr(err.msg, want));
}
END_TEST

START_TEST(test_mine_callback_stops)
{
    static const char text[] =
        "「預算暨管理委員會」(BMC)、「貿易暨投資委員會」(CTI)、「經濟委員會」(EC)";
    struct found f;
    memset(&f, 0, sizeof f);
    f.stop_after = 2;
    sou_error err;
    ck_assert_int_eq(sou_mine_acronyms(text, strlen(text), collect, &f, &err), 42);
    ck_assert_int_eq(err.code, SOU_ERR_CALLBACK);
    ck_assert_uint_eq(f.calls, 2);
    ck_assert_str_eq(f.buf, "BMC|預算暨管理委員會|-\nCTI|貿易暨投資委員會|-");
}
END_TEST

START_TEST(test_mine_empty_and_bad_args)
{
    struct found f;
    memset(&f, 0, sizeof f);
    sou_error err;
    ck_assert_int_eq(sou_mine_acronyms("", 0, collect, &f, &err), SOU_OK);
    ck_assert_int_eq(sou_mine_acronyms(NULL, 0, collect, &f, &err), SOU_OK);
    ck_assert_uint_eq(f.calls, 0);
    ck_assert_int_eq(sou_mine_acronyms(NULL, 1, collect, &f, &err), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(err.code, SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_mine_acronyms("x", 1, NULL, &f, NULL), SOU_ERR_INVALID_ARG);
}
END_TEST

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Fills a buffer of about 1 MB with copies of unit (NUL-terminated). */
static char *repeat(const char *unit, size_t *len)
{
    size_t n = strlen(unit), count = (1u << 20) / n;
    char *buf = malloc(count * n + 1);
    ck_assert_ptr_nonnull(buf);
    for (size_t i = 0; i < count; i++)
        memcpy(buf + i * n, unit, n);
    *len = count * n;
    buf[*len] = '\0';
    return buf;
}

/* Linear time: 1 MB of Chinese with full-width punctuation (whose lead
 * byte is that of （) and no parenthesis, and 1 MB of nothing but
 * candidate parentheses, each well under the timeout even under valgrind. */
static const char *const bulk_units[] = {
    "本次會議召開時間稍微提前，且會期亦較歷年為短。",
    "「經濟委員會」（EC）",
    "((((((((",
    "（",
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA (AB)",
    "經濟委員會經濟委員會經濟委員會經濟委員會經濟委員會經濟委員會(EC)",
};

static int count(void *ctx, const char *acr, size_t acr_len, const char *zh, size_t zh_len,
                 const char *en, size_t en_len, size_t offset)
{
    (void)acr, (void)acr_len, (void)zh, (void)zh_len, (void)en, (void)en_len, (void)offset;
    ++*(size_t *)ctx;
    return 0;
}

START_TEST(test_mine_linear)
{
    size_t len;
    char *text = repeat(bulk_units[_i], &len);
    size_t calls = 0;
    double t0 = seconds();
    ck_assert_int_eq(sou_mine_acronyms(text, len, count, &calls, NULL), SOU_OK);
    double t = seconds() - t0;
    /* Only the 「經濟委員會」（EC） unit is a definition. */
    ck_assert_uint_eq(calls, _i == 1 ? len / strlen(bulk_units[1]) : 0);
    free(text);
    ck_assert_msg(t < 2.0, "1 MB took %.3f s", t);
}
END_TEST

Suite *mine_suite(void)
{
    Suite *s = suite_create("mine");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_mine_definitions, 0,
                        (int)(sizeof found_cases / sizeof found_cases[0]));
    tcase_add_loop_test(tc, test_mine_not_definitions, 0,
                        (int)(sizeof none_cases / sizeof none_cases[0]));
    tcase_add_test(tc, test_mine_offset);
    tcase_add_test(tc, test_mine_length_bounds);
    tcase_add_test(tc, test_mine_invalid_utf8);
    tcase_add_test(tc, test_mine_callback_stops);
    tcase_add_test(tc, test_mine_empty_and_bad_args);
    tcase_add_loop_test(tc, test_mine_linear, 0, (int)(sizeof bulk_units / sizeof bulk_units[0]));
    suite_add_tcase(s, tc);
    return s;
}
