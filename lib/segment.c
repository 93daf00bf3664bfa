/*
 * segment.c - the lexicon pass: the cheapest cut of a run of ideographs
 * into lexicon words (a unigram model: a word costs -log of its
 * probability, a character no word covers costs as much as the rarest
 * word), then three rules for words no list holds:
 *
 *  - a run of single transliteration characters is one foreign name
 *    (斯/洛/維/尼/亞 -> 斯洛維尼亞);
 *  - a common surname followed by one or two single characters that are
 *    not function words is one person's name (吳/熙/文 -> 吳熙文);
 *  - consecutive numerals are one number (八/十/七 -> 八十七).
 *
 * ICU's own cut is not used inside a run: measured against the gold
 * standards, lexicon costs alone cut better (bench/seg-bench.sh).
 * Lookups run on the text folded to Simplified, the script of the
 * lexicon, so both scripts are cut the same way.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sou/normalize.h"
#include "fold.h"
#include "lexicon_format.h"
#include "segment.h"
#include "utf8.h"

/* Character classes, written in Traditional and folded at start-up. */
static const char numerals_src[] = "一二三四五六七八九十百千萬億兩零〇廿卅";
static const char translit_src[] =
    "阿埃艾愛安奧澳巴拔白班邦保貝本比彼畢波伯博布查達戴丹道德狄迪蒂丁東杜多厄恩爾法菲費芬弗佛"
    "福夫伏富蓋甘岡戈格哥貢古瓜圭哈海漢豪赫亨胡華霍基吉加迦賈傑杰金喀卡凱坎康柯科克肯孔庫寇拉"
    "萊蘭朗勞雷黎里理利莉列林琳靈留魯路倫羅洛呂瑪馬麥曼芒毛梅門蒙孟米密明摩莫默姆穆納奈南內尼"
    "涅紐努諾歐帕派潘佩彭皮普齊奇喬切琴丘薩塞森沙莎山珊舍聖施史斯松蘇索塔泰坦湯特提廷圖托瓦萬"
    "旺威韋維溫沃烏吾武西希錫席夏謝辛休修亞雅揚耶伊依因尤約贊扎澤詹茲佐";
static const char function_src[] =
    "的了是在和與及或也都就還又不沒有說到把被將對於為以從向跟給讓這那其此之而且但則並等";
static const char surnames_src[] =
    "王李張劉陳楊黃趙吳周徐孫馬朱胡郭何高林羅鄭梁謝宋唐許韓馮鄧曹彭曾蕭田董潘袁蔡蔣余于杜葉程"
    "蘇魏呂丁任沈姚盧姜崔鍾譚陸汪范金石廖賈夏韋傅方白鄒孟熊秦邱江尹薛閻段雷侯龍史陶黎賀顧毛郝"
    "龔邵萬錢嚴覃武戴莫孔向湯連施游簡賴翁洪柯莊詹顏溫歐左";

/* Which of the classes above a folded character belongs to: a byte of
 * flags for each code point from CLASS_FIRST (U+3007 〇 is a numeral) to
 * CLASS_LAST, so a lookup is one load. */
enum { NUMERAL = 1, TRANSLIT = 2, FUNCTION = 4, SURNAME = 8 };
#define CLASS_FIRST 0x3000
#define CLASS_LAST  0x9FFF

struct sou_segmenter {
    const sou_lexicon *lx;
    unsigned char *classes; /* CLASS_FIRST..CLASS_LAST */
    size_t cap;             /* characters the arrays below hold */
    size_t *off;            /* byte offset of each character in the text */
    size_t *foff;           /* ... and in the folded key buffer */
    int *cp;                /* folded code points */
    uint32_t *best;         /* cheapest cost of cutting the rest from here */
    size_t *next;           /* where the cheapest first word ends */
    size_t *cut;            /* word ends, in characters */
    size_t *ends;           /* word ends, in bytes (the result) */
    char *folded;
};

/* Marks the characters of src, folded, with flag; -1 if one is outside
 * the table. */
static int add_class(unsigned char *classes, const char *src, unsigned char flag)
{
    size_t len = strlen(src);
    for (size_t i = 0; i < len;) {
        int c;
        i += sou_utf8_decode((const unsigned char *)src + i, len - i, &c);
        c = sou_fold_char(c);
        if (c < CLASS_FIRST || c > CLASS_LAST)
            return -1;
        classes[c - CLASS_FIRST] |= flag;
    }
    return 0;
}

static int has_class(const sou_segmenter *sg, int c, unsigned char flag)
{
    return c >= CLASS_FIRST && c <= CLASS_LAST && (sg->classes[c - CLASS_FIRST] & flag);
}

int sou_segmenter_new(const sou_lexicon *lx, sou_segmenter **out, sou_error *err)
{
    *out = NULL;
    sou_segmenter *sg = calloc(1, sizeof *sg);
    if (sg)
        sg->classes = calloc(CLASS_LAST - CLASS_FIRST + 1, 1);
    if (!sg || !sg->classes) {
        sou_segmenter_free(sg);
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory creating a segmenter");
    }
    if (add_class(sg->classes, numerals_src, NUMERAL) != 0 ||
        add_class(sg->classes, translit_src, TRANSLIT) != 0 ||
        add_class(sg->classes, function_src, FUNCTION) != 0 ||
        add_class(sg->classes, surnames_src, SURNAME) != 0) {
        sou_segmenter_free(sg);
        return sou_error_set(err, SOU_ERR_INVALID_ARG,
                             "a character class of the segmenter is outside its table");
    }
    sg->lx = lx;
    *out = sg;
    return SOU_OK;
}

void sou_segmenter_free(sou_segmenter *sg)
{
    if (!sg)
        return;
    free(sg->classes);
    free(sg->off);
    free(sg->foff);
    free(sg->cp);
    free(sg->best);
    free(sg->next);
    free(sg->cut);
    free(sg->ends);
    free(sg->folded);
    free(sg);
}

/* Room for n characters (a run has at most as many as bytes). */
static int reserve(sou_segmenter *sg, size_t n)
{
    if (n + 1 <= sg->cap)
        return 0;
    size_t cap = n + 1;
#define GROW(field)                                                                                \
    do {                                                                                           \
        void *p = realloc(sg->field, cap * sizeof *sg->field);                                     \
        if (!p)                                                                                    \
            return -1;                                                                             \
        sg->field = p;                                                                             \
    } while (0)
    GROW(off);
    GROW(foff);
    GROW(cp);
    GROW(best);
    GROW(next);
    GROW(cut);
    GROW(ends);
#undef GROW
    char *f = realloc(sg->folded, 4 * cap);
    if (!f)
        return -1;
    sg->folded = f;
    sg->cap = cap;
    return 0;
}

/* How many characters ahead of its lookups cheapest_cut() prefetches the
 * slots of the two- and three-character keys, the lookups that leave the
 * cache: about a memory latency's worth of positions. It cut the time of
 * sou-index --tokenize by 5%. */
#define PREFETCH_AHEAD 8

/* Prefetches the slots of the two- and three-character keys at character
 * p (p + 3 <= the run's length). */
static void prefetch_keys(const sou_segmenter *sg, size_t p)
{
    uint64_t h = sou_lex_hash_more(SOU_LEX_HASH_INIT, sg->folded + sg->foff[p],
                                   sg->foff[p + 2] - sg->foff[p]);
    sou_lexicon_prefetch(sg->lx, sou_lex_hash_final(h));
    h = sou_lex_hash_more(h, sg->folded + sg->foff[p + 2], sg->foff[p + 3] - sg->foff[p + 2]);
    sou_lexicon_prefetch(sg->lx, sou_lex_hash_final(h));
}

/* The cheapest cut of characters [0, n): fills best[] and next[] from the
 * end, so that next[] read from 0 gives the words. Ties keep the shorter
 * word. */
static void cheapest_cut(sou_segmenter *sg, size_t n)
{
    uint32_t unknown = sou_lexicon_unknown_cost(sg->lx);
    size_t max = sou_lexicon_max_chars(sg->lx);
    sg->best[n] = 0;
    for (size_t i = n; i-- > 0;) {
        if (i >= PREFETCH_AHEAD)
            prefetch_keys(sg, i - PREFETCH_AHEAD);
        uint32_t best = unknown + sg->best[i + 1];
        size_t next = i + 1;
        uint64_t h = SOU_LEX_HASH_INIT;
        for (size_t j = i + 1; j <= n && j - i <= max; j++) {
            int is_word;
            uint16_t cost;
            const char *key = sg->folded + sg->foff[i];
            h = sou_lex_hash_more(h, sg->folded + sg->foff[j - 1], sg->foff[j] - sg->foff[j - 1]);
            uint64_t hash = sou_lex_hash_final(h);
            size_t klen = sg->foff[j] - sg->foff[i];
            int found =
                j == i + 1
                    ? sou_lexicon_find_char(sg->lx, sg->cp[i], key, klen, hash, &is_word, &cost)
                    : sou_lexicon_find_hashed(sg->lx, key, klen, hash, &is_word, &cost);
            if (!found)
                break;
            if (!is_word)
                continue;
            uint32_t total = cost + sg->best[j];
            if (j == i + 1 || total < best) {
                best = total;
                next = j;
            }
        }
        sg->best[i] = best;
        sg->next[i] = next;
    }
}

/* Whether cut k (characters [start, cut[k])) is one character. */
static int single(const sou_segmenter *sg, size_t k, size_t start)
{
    return sg->cut[k] - start == 1;
}

/* Applies the transliteration and name rules to the m words in cut[],
 * merging in place; returns the new count. */
static size_t join_names(sou_segmenter *sg, size_t m)
{
    size_t out = 0, start = 0;
    for (size_t k = 0; k < m;) {
        size_t take = 1;
        int c = sg->cp[start];
        if (single(sg, k, start) && has_class(sg, c, TRANSLIT)) {
            size_t j = k, s = start, nfunc = 0;
            while (j < m && single(sg, j, s) && has_class(sg, sg->cp[s], TRANSLIT)) {
                nfunc += has_class(sg, sg->cp[s], FUNCTION);
                s = sg->cut[j++];
            }
            if (j - k >= 3 || (j - k == 2 && nfunc == 0))
                take = j - k;
        }
        if (take == 1 && single(sg, k, start) && has_class(sg, c, SURNAME)) {
            size_t s = start + 1;
            while (take < 3 && k + take < m && single(sg, k + take, s) &&
                   !has_class(sg, sg->cp[s], FUNCTION)) {
                take++;
                s++;
            }
        }
        k += take;
        start = sg->cut[k - 1];
        sg->cut[out++] = start;
    }
    return out;
}

static int all_numerals(const sou_segmenter *sg, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (!has_class(sg, sg->cp[i], NUMERAL))
            return 0;
    return 1;
}

static size_t join_numbers(sou_segmenter *sg, size_t m)
{
    size_t out = 0, start = 0, prev_start = 0;
    for (size_t k = 0; k < m; k++) {
        size_t end = sg->cut[k];
        if (out > 0 && all_numerals(sg, start, end) && all_numerals(sg, prev_start, start)) {
            sg->cut[out - 1] = end;
        } else {
            sg->cut[out++] = end;
            prev_start = start;
        }
        start = end;
    }
    return out;
}

int sou_segment(sou_segmenter *sg, const char *text, size_t len, const size_t **ends, size_t *n,
                sou_error *err)
{
    if (reserve(sg, len) != 0)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory segmenting text");
    size_t nc = 0, fo = 0;
    for (size_t i = 0; i < len;) {
        int c;
        sg->off[nc] = i;
        sg->foff[nc] = fo;
        i += sou_utf8_decode((const unsigned char *)text + i, len - i, &c);
        sg->cp[nc] = sou_fold_char(c);
        fo += sou_utf8_encode(sg->cp[nc], sg->folded + fo);
        nc++;
    }
    sg->off[nc] = len;
    sg->foff[nc] = fo;
    cheapest_cut(sg, nc);
    size_t m = 0;
    for (size_t i = 0; i < nc; i = sg->next[i])
        sg->cut[m++] = sg->next[i];
    m = join_names(sg, m);
    m = join_numbers(sg, m);
    for (size_t k = 0; k < m; k++)
        sg->ends[k] = sg->off[sg->cut[k]];
    *ends = sg->ends;
    *n = m;
    return SOU_OK;
}
