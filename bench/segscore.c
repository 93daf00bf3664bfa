/*
 * segscore.c - scores a word segmentation against a gold segmentation.
 *
 * The SIGHAN bakeoff measure: a test word is correct when its character
 * span [start, end) in the sentence is the same as a gold word's. Prints
 * word precision, recall and F1, and, given the training word list, the OOV
 * rate (share of gold words not in the list), OOV recall and IV recall.
 * --diff first prints the gold and test segmentation of every line whose
 * words differ.
 *
 * GOLD is SIGHAN format (one sentence a line, words separated by ASCII
 * spaces, tabs or U+3000) or, if its name ends in .conllu, CoNLL-U (words =
 * the FORM column; multiword ranges such as 3-4 and empty nodes such as 5.1
 * are skipped; a blank line ends a sentence). TEST is always SIGHAN format.
 * Both sides must hold the same characters once separators are removed;
 * a full-width ASCII form (U+FF01..U+FF5E) matches its ASCII character, as
 * the AS gold has "c" on one line where its raw text has "ｃ". Spans are
 * therefore counted in characters, not bytes.
 *
 * Usage: segscore [--words WORDLIST] [--diff] GOLD TEST
 * Exit status: 0 scored, 1 bad input (unreadable, invalid UTF-8, different
 * characters or sentence counts), 2 usage.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sou/normalize.h"

#include "seg_common.h"

static const char usage_text[] = "usage: segscore [--words WORDLIST] [--diff] GOLD TEST\n";

/* One sentence: its characters with the separators removed, and where each
 * word ends (byte offsets into text, word i is [ends[i-1], ends[i]); and
 * the same in characters, cends, which scoring compares). */
struct sentence {
    char *text;
    size_t len, nchars;
    size_t *ends, *cends;
    size_t nwords;
    size_t lineno; /* the line of its file where it starts */
};

struct segfile {
    const char *path;
    struct sentence *s;
    size_t n, cap;
};

static struct sentence *new_sentence(struct segfile *f, size_t lineno)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 1024;
        struct sentence *s = realloc(f->s, cap * sizeof *s);
        if (!s)
            return NULL;
        f->s = s;
        f->cap = cap;
    }
    struct sentence *s = &f->s[f->n++];
    memset(s, 0, sizeof *s);
    s->lineno = lineno;
    return s;
}

/* Appends word w[0..len) to s, dropping any separators inside it. */
static int add_word(struct sentence *s, const char *w, size_t len)
{
    char *text = realloc(s->text, s->len + len + 1);
    size_t *ends = realloc(s->ends, (s->nwords + 1) * sizeof *ends);
    if (ends)
        s->ends = ends;
    size_t *cends = realloc(s->cends, (s->nwords + 1) * sizeof *cends);
    if (text)
        s->text = text;
    if (cends)
        s->cends = cends;
    if (!text || !ends || !cends)
        return -1;
    size_t start = s->len;
    for (size_t i = 0; i < len;) {
        size_t sep = separator_len(w + i, len - i);
        if (sep) {
            i += sep;
            continue;
        }
        if (((unsigned char)w[i] & 0xC0) != 0x80)
            s->nchars++;
        s->text[s->len++] = w[i++];
    }
    s->text[s->len] = '\0';
    if (s->len > start) {
        s->cends[s->nwords] = s->nchars;
        s->ends[s->nwords++] = s->len;
    }
    return 0;
}

/* One SIGHAN line: words separated by runs of separators. */
static int parse_sighan_line(struct sentence *s, const char *line, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t sep;
        while (i < len && (sep = separator_len(line + i, len - i)))
            i += sep;
        size_t start = i;
        while (i < len && !separator_len(line + i, len - i))
            i += sou_utf8_seqlen((unsigned char)line[i]);
        if (i > len)
            i = len;
        if (i > start && add_word(s, line + start, i - start) != 0)
            return -1;
    }
    if (!s->text && !(s->text = calloc(1, 1)))
        return -1;
    return 0;
}

static int read_segfile(const char *path, int conllu, struct segfile *f)
{
    FILE *in = fopen(path, "r");
    if (!in) {
        perror(path);
        return -1;
    }
    f->path = path;
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n;
    int rc = 0;
    struct sentence *cur = NULL;
    while (rc == 0 && (n = getline(&line, &cap, in)) > 0) {
        size_t len = chomp(line, (size_t)n), bad;
        lineno++;
        if (!sou_utf8_valid(line, len, &bad)) {
            fprintf(stderr, "segscore: %s:%zu: invalid UTF-8 at byte %zu\n", path, lineno, bad + 1);
            rc = -1;
            break;
        }
        if (!conllu) {
            struct sentence *s = new_sentence(f, lineno);
            rc = s ? parse_sighan_line(s, line, len) : -1;
            continue;
        }
        if (len == 0) {
            cur = NULL;
            continue;
        }
        size_t form_len;
        const char *form = line[0] == '#' ? NULL : conllu_form(line, &form_len);
        if (!form)
            continue;
        if (!cur && !(cur = new_sentence(f, lineno)))
            rc = -1;
        else
            rc = add_word(cur, form, form_len);
    }
    free(line);
    fclose(in);
    return rc;
}

static void segfile_release(struct segfile *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->s[i].text);
        free(f->s[i].ends);
        free(f->s[i].cends);
    }
    free(f->s);
}

static void print_segmentation(const char *tag, const struct sentence *s)
{
    printf("%s", tag);
    size_t start = 0;
    for (size_t i = 0; i < s->nwords; i++) {
        printf("%s%.*s", i ? " " : "", (int)(s->ends[i] - start), s->text + start);
        start = s->ends[i];
    }
    printf("\n");
}

/* The code point at *s (valid UTF-8), advancing *s; full-width ASCII forms
 * come back as ASCII. */
static int32_t next_char(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    size_t n = sou_utf8_seqlen(*p);
    int32_t c = n == 1 ? p[0] : p[0] & (0xFF >> (n + 1));
    for (size_t i = 1; i < n; i++)
        c = (c << 6) | (p[i] & 0x3F);
    *s += n;
    return c >= 0xFF01 && c <= 0xFF5E ? c - 0xFEE0 : c;
}

static int same_chars(const struct sentence *g, const struct sentence *t)
{
    if (g->nchars != t->nchars)
        return 0;
    const char *a = g->text, *b = t->text;
    for (size_t i = 0; i < g->nchars; i++)
        if (next_char(&a) != next_char(&b))
            return 0;
    return 1;
}

struct counts {
    size_t gold, test, correct, oov, oov_correct;
};

/* Scores one sentence pair: the common word ends, walked in step. Returns
 * 1 if the segmentations differ. */
static int score_sentence(const struct sentence *g, const struct sentence *t,
                          const struct wordset *words, struct counts *c)
{
    size_t i = 0, j = 0, gstart = 0, tstart = 0, gbyte = 0, correct = 0;
    while (i < g->nwords) {
        size_t gend = g->cends[i], tend = j < t->nwords ? t->cends[j] : SIZE_MAX;
        int same = gstart == tstart && gend == tend;
        if (gend <= tend) {
            int oov = words->cap && !wordset_has(words, g->text + gbyte, g->ends[i] - gbyte);
            c->oov += (size_t)oov;
            c->oov_correct += (size_t)(oov && same);
            correct += (size_t)same;
            gstart = gend;
            gbyte = g->ends[i];
            i++;
        }
        if (tend <= gend) {
            tstart = tend;
            j++;
        }
    }
    c->gold += g->nwords;
    c->test += t->nwords;
    c->correct += correct;
    return correct != g->nwords || correct != t->nwords;
}

static void print_ratio(const char *name, size_t num, size_t den)
{
    if (den)
        printf("%s %.3f\n", name, (double)num / (double)den);
    else
        printf("%s -\n", name);
}

int main(int argc, char **argv)
{
    const char *words_path = NULL;
    int diff = 0, argi = 1;
    for (; argi < argc && argv[argi][0] == '-'; argi++) {
        if (strcmp(argv[argi], "--diff") == 0)
            diff = 1;
        else if (strcmp(argv[argi], "--words") == 0 && argi + 1 < argc)
            words_path = argv[++argi];
        else {
            fputs(usage_text, stderr);
            return 2;
        }
    }
    if (argc - argi != 2) {
        fputs(usage_text, stderr);
        return 2;
    }
    const char *gold_path = argv[argi], *test_path = argv[argi + 1];
    size_t glen = strlen(gold_path);
    int conllu = glen >= 7 && strcmp(gold_path + glen - 7, ".conllu") == 0;

    struct wordset words = {0};
    struct segfile gold = {0}, test = {0};
    struct counts c = {0};
    size_t differing = 0;
    int rc = 1;
    if (words_path && read_wordset(words_path, &words) != 0)
        goto out;
    if (read_segfile(gold_path, conllu, &gold) != 0 || read_segfile(test_path, 0, &test) != 0)
        goto out;
    if (gold.n != test.n) {
        fprintf(stderr, "segscore: %s has %zu sentences, %s has %zu\n", gold_path, gold.n,
                test_path, test.n);
        goto out;
    }
    for (size_t k = 0; k < gold.n; k++) {
        const struct sentence *g = &gold.s[k], *t = &test.s[k];
        if (!same_chars(g, t)) {
            fprintf(stderr,
                    "segscore: sentence %zu (%s:%zu, %s:%zu): different characters\n"
                    "  gold: %s\n  test: %s\n",
                    k + 1, gold_path, g->lineno, test_path, t->lineno, g->text, t->text);
            goto out;
        }
        if (score_sentence(g, t, &words, &c) && diff) {
            printf("line %zu\n", t->lineno);
            print_segmentation("- gold: ", g);
            print_segmentation("+ test: ", t);
            differing++;
        }
    }
    if (diff)
        printf("differing lines %zu\n", differing);
    printf("sentences %zu\n", gold.n);
    printf("gold words %zu\ntest words %zu\ncorrect %zu\n", c.gold, c.test, c.correct);
    print_ratio("P", c.correct, c.test);
    print_ratio("R", c.correct, c.gold);
    if (c.correct)
        printf("F1 %.3f\n", 2.0 * (double)c.correct / (double)(c.gold + c.test));
    else
        printf("F1 %.3f\n", 0.0);
    if (words_path) {
        printf("oov words %zu\n", c.oov);
        print_ratio("OOV rate", c.oov, c.gold);
        print_ratio("OOV recall", c.oov_correct, c.oov);
        print_ratio("IV recall", c.correct - c.oov_correct, c.gold - c.oov);
    } else {
        printf("OOV rate -\nOOV recall -\nIV recall -\n");
    }
    rc = 0;
out:
    wordset_release(&words);
    segfile_release(&gold);
    segfile_release(&test);
    return rc;
}
