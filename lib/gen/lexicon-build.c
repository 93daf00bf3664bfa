/*
 * lexicon-build.c - builds the segmentation lexicon (lexicon_format.h) at
 * make time from word lists in Debian packages:
 *
 *   --jieba FILE     jieba's dictionary (python3-jieba, MIT): "word freq pos"
 *   --variants FILE  OpenCC's TWPhrases as text (opencc_dict -t text,
 *                    Apache-2.0): "mainland<TAB>taiwan ...", so Taiwan words
 *                    such as 軟體 get the frequency of their mainland twin
 *   -o FILE          the lexicon to write
 *
 * Words are folded to Simplified as terms are. Two kinds of entries are
 * dropped because Chinese segmentation standards (Academia Sinica, Penn
 * and Universal Dependencies alike) cut them, and because they hide the
 * words a searcher types: a demonstrative or numeral glued to its
 * classifier (这个, 三年), and a compound of three or more characters made
 * of two listed words of two or more characters each (大学教授), unless
 * jieba tags it a name, idiom or fixed expression.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../fold.h"
#include "../lexicon_format.h"
#include "../utf8.h"

#define MAX_WORD_BYTES 64

struct word {
    char *key;
    uint32_t len;
    uint64_t freq;
    int keep;     /* a name, idiom or fixed expression: never split by rule */
    int drop;     /* a classifier compound */
    int compound; /* two listed words of two or more characters */
};

struct table {
    struct word *v;
    size_t n, cap;
    size_t *slot; /* 1 + index into v, or 0 */
    size_t nslot;
};

static void die(const char *msg, const char *arg)
{
    fprintf(stderr, "lexicon-build: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p)
        die("out of memory", NULL);
    return p;
}

static size_t find_slot(const struct table *t, const char *key, size_t len)
{
    size_t mask = t->nslot - 1;
    size_t i = sou_lex_hash(key, len) & mask;
    while (t->slot[i]) {
        const struct word *w = &t->v[t->slot[i] - 1];
        if (w->len == len && memcmp(w->key, key, len) == 0)
            break;
        i = (i + 1) & mask;
    }
    return i;
}

static struct word *lookup(const struct table *t, const char *key, size_t len)
{
    size_t i = find_slot(t, key, len);
    return t->slot[i] ? &t->v[t->slot[i] - 1] : NULL;
}

static void grow(struct table *t)
{
    size_t nslot = t->nslot ? t->nslot * 2 : 1u << 16;
    free(t->slot);
    t->slot = calloc(nslot, sizeof *t->slot);
    if (!t->slot)
        die("out of memory", NULL);
    t->nslot = nslot;
    for (size_t k = 0; k < t->n; k++)
        t->slot[find_slot(t, t->v[k].key, t->v[k].len)] = k + 1;
}

static struct word *insert(struct table *t, const char *key, size_t len)
{
    if (2 * (t->n + 1) > t->nslot)
        grow(t);
    size_t i = find_slot(t, key, len);
    if (t->slot[i])
        return &t->v[t->slot[i] - 1];
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 1024;
        t->v = xrealloc(t->v, t->cap * sizeof *t->v);
    }
    struct word *w = &t->v[t->n];
    memset(w, 0, sizeof *w);
    w->key = xrealloc(NULL, len + 1);
    memcpy(w->key, key, len);
    w->key[len] = '\0';
    w->len = (uint32_t)len;
    t->slot[i] = ++t->n;
    return w;
}

/* Folds s to Simplified into out (at least MAX_WORD_BYTES); returns the
 * length, or 0 if s is not a word worth listing (too long, or not all
 * CJK ideographs: ICU handles Latin and digits). *chars gets its length
 * in characters. */
static size_t fold_word(const char *s, size_t len, char *out, size_t *chars)
{
    size_t o = 0, n = 0;
    for (size_t i = 0; i < len;) {
        int cp;
        i += sou_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        if (!sou_is_han(cp))
            return 0;
        if (o + 4 > MAX_WORD_BYTES)
            return 0;
        o += sou_utf8_encode(sou_fold_char(cp), out + o);
        n++;
    }
    *chars = n;
    return o;
}

/* Byte offset of character k of the NUL-terminated s. */
static size_t char_offset(const char *s, size_t k)
{
    size_t i = 0;
    while (k-- > 0 && s[i]) {
        int cp;
        i += sou_utf8_decode((const unsigned char *)s + i, strlen(s + i), &cp);
    }
    return i;
}

static int in_set(const char *set, const char *s, size_t len)
{
    for (const char *p = set; *p;) {
        size_t n = 1;
        while (((unsigned char)p[n] & 0xC0) == 0x80)
            n++;
        if (n == len && memcmp(p, s, n) == 0)
            return 1;
        p += n;
    }
    return 0;
}

/* Demonstratives and numerals, and the classifiers and units they take. */
static const char demonstratives[] = "一二三四五六七八九十两几这那哪每各该某此本半整";
static const char classifiers[] =
    "个种次项年月日天位名件条张家所场部台只双对份句座片口元岁号届段篇首门间辆架层批股套支颗根块类";

/* jieba tags of names (person, place, organisation, other), idioms,
 * fixed expressions and abbreviations. */
static int keeps_whole(const char *tag)
{
    static const char *const tags[] = {"i", "l", "j", "nr", "ns", "nt", "nz", "nrt", "nrfg"};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        if (strcmp(tag, tags[i]) == 0)
            return 1;
    return 0;
}

static void read_jieba(struct table *t, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot open", path);
    char line[512];
    unsigned long lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char word[256], tag[32] = "";
        unsigned long long freq;
        int n = sscanf(line, "%255s %llu %31s", word, &freq, tag);
        if (n < 2) {
            fprintf(stderr, "lexicon-build: %s:%lu: not \"word freq [tag]\"\n", path, lineno);
            exit(1);
        }
        char key[MAX_WORD_BYTES];
        size_t chars, len = fold_word(word, strlen(word), key, &chars);
        if (len == 0 || freq == 0)
            continue;
        struct word *w = insert(t, key, len);
        if (freq > w->freq)
            w->freq = freq;
        w->keep |= keeps_whole(tag);
    }
    fclose(f);
}

static size_t chars_of(const struct word *w)
{
    size_t n = 0;
    for (uint32_t i = 0; i < w->len; i++)
        n += ((unsigned char)w->key[i] & 0xC0) != 0x80;
    return n;
}

static void apply_rules(struct table *t)
{
    for (size_t k = 0; k < t->n; k++) {
        struct word *w = &t->v[k];
        if (chars_of(w) != 2 || w->keep)
            continue;
        size_t b = char_offset(w->key, 1);
        if (in_set(demonstratives, w->key, b) && in_set(classifiers, w->key + b, w->len - b))
            w->drop = 1;
    }
    for (size_t k = 0; k < t->n; k++) {
        struct word *w = &t->v[k];
        size_t n = chars_of(w);
        if (n < 3 || w->keep || w->drop)
            continue;
        for (size_t c = 2; c + 2 <= n && !w->compound; c++) {
            size_t b = char_offset(w->key, c);
            struct word *l = lookup(t, w->key, b), *r = lookup(t, w->key + b, w->len - b);
            w->compound = l && r && !l->drop && !r->drop;
        }
    }
}

/* Taiwan forms missing from the list take their mainland twin's
 * frequency (or a modest one). */
static void read_variants(struct table *t, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot open", path);
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        char key[MAX_WORD_BYTES];
        size_t chars, len = fold_word(line, strlen(line), key, &chars);
        struct word *twin = len ? lookup(t, key, len) : NULL;
        uint64_t freq = twin && twin->freq ? twin->freq : 100;
        for (char *v = strtok(tab + 1, " \n"); v; v = strtok(NULL, " \n")) {
            char vkey[MAX_WORD_BYTES];
            size_t vlen = fold_word(v, strlen(v), vkey, &chars);
            if (vlen == 0 || lookup(t, vkey, vlen))
                continue;
            insert(t, vkey, vlen)->freq = freq;
        }
    }
    fclose(f);
}

static int by_key(const void *pa, const void *pb)
{
    const struct word *a = pa, *b = pb;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->key, b->key, n);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* Writes the kept words and every prefix of them, in key order, so the
 * same inputs give the same file byte for byte. */
static void write_lexicon(struct table *t, const char *path)
{
    uint64_t total = 0;
    uint32_t max_chars = 0, nwords = 0;
    for (size_t k = 0; k < t->n; k++) {
        struct word *w = &t->v[k];
        if (w->drop || w->compound)
            w->freq = 0;
        total += w->freq;
    }
    struct table out = {0};
    for (size_t k = 0; k < t->n; k++) {
        const struct word *w = &t->v[k];
        if (!w->freq)
            continue;
        insert(&out, w->key, w->len)->freq = w->freq;
        nwords++;
        uint32_t n = (uint32_t)chars_of(w);
        if (n > max_chars)
            max_chars = n;
        for (size_t c = 1; c < n; c++)
            insert(&out, w->key, char_offset(w->key, c));
    }
    qsort(out.v, out.n, sizeof *out.v, by_key);
    size_t nslots = 1;
    while (nslots < 2 * out.n)
        nslots *= 2;
    uint64_t *slots = calloc(nslots, sizeof *slots);
    char *blob = NULL;
    size_t blob_size = 0, blob_cap = 0;
    if (!slots)
        die("out of memory", NULL);
    static uint32_t chars[SOU_LEX_CHARS];
    for (size_t k = 0; k < out.n; k++) {
        const struct word *w = &out.v[k];
        uint16_t cost = 0;
        uint8_t flags = 0;
        if (w->freq) {
            double c = SOU_LEX_COST_SCALE * log((double)total / (double)w->freq);
            cost = (uint16_t)(c > 65535 ? 65535 : c + 0.5);
            flags = SOU_LEX_WORD;
        }
        int cp;
        long ci = sou_utf8_decode((const unsigned char *)w->key, w->len, &cp) == w->len
                      ? sou_lex_char_index(cp)
                      : -1;
        if (ci >= 0)
            chars[ci] = SOU_LEX_CHAR_PRESENT | (flags ? SOU_LEX_CHAR_WORD : 0) | cost;
        if (blob_size + 4 + w->len > blob_cap) {
            blob_cap = blob_cap ? 2 * blob_cap : 1u << 20;
            blob = xrealloc(blob, blob_cap);
        }
        uint32_t hash = sou_lex_hash(w->key, w->len);
        size_t i = hash & (nslots - 1);
        while (slots[i])
            i = (i + 1) & (nslots - 1);
        slots[i] = ((uint64_t)hash << 32) | ((uint64_t)blob_size + 1);
        blob[blob_size] = (char)w->len;
        blob[blob_size + 1] = (char)flags;
        memcpy(blob + blob_size + 2, &cost, 2);
        memcpy(blob + blob_size + 4, w->key, w->len);
        blob_size += 4 + w->len;
    }
    struct sou_lex_header h = {.magic = SOU_LEX_MAGIC,
                               .byte_order = SOU_LEX_BYTE_ORDER,
                               .nslots = (uint32_t)nslots,
                               .blob_size = (uint32_t)blob_size,
                               .max_chars = max_chars,
                               .unknown_cost =
                                   (uint32_t)(SOU_LEX_COST_SCALE * log((double)total) + 0.5),
                               .nwords = nwords};
    h.digest = sou_lex_digest(SOU_LEX_DIGEST_INIT, chars, sizeof chars);
    h.digest = sou_lex_digest(h.digest, slots, 8 * nslots);
    h.digest = sou_lex_digest(h.digest, blob, blob_size);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f || fwrite(&h, sizeof h, 1, f) != 1 ||
        fwrite(chars, sizeof chars[0], SOU_LEX_CHARS, f) != SOU_LEX_CHARS ||
        fwrite(slots, 8, nslots, f) != nslots || fwrite(blob, 1, blob_size, f) != blob_size ||
        fclose(f) != 0 || rename(tmp, path) != 0)
        die("cannot write", path);
    fprintf(stderr, "lexicon-build: %s: %u words, %zu keys, %zu bytes\n", path, nwords, out.n,
            sizeof h + sizeof chars + 8 * nslots + blob_size);
}

int main(int argc, char **argv)
{
    const char *jieba = NULL, *variants = NULL, *out = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--jieba") == 0)
            jieba = argv[i + 1];
        else if (strcmp(argv[i], "--variants") == 0)
            variants = argv[i + 1];
        else if (strcmp(argv[i], "-o") == 0)
            out = argv[i + 1];
        else
            die("unknown option", argv[i]);
    }
    if (!jieba || !out || argc % 2 == 0)
        die("usage: lexicon-build --jieba FILE [--variants FILE] -o FILE", NULL);
    struct table t = {0};
    read_jieba(&t, jieba);
    apply_rules(&t);
    if (variants)
        read_variants(&t, variants);
    write_lexicon(&t, out);
    return 0;
}
