/*
 * corpus_read.c - bench-corpus's sentences: read from the gold files (with
 * their words, the query words), the bundled corpus's .jsonl titles and
 * bodies, and the glossary's acronyms, and cut into Chinese and English
 * sentences as bench-corpus.c's opening comment describes.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_corpus.h"
#include "seg_common.h"

#define SENTENCE_MAX 1000 /* longer sentences are left out, so a body stays in bounds */

/* ---- Sentences ------------------------------------------------------------------- */

void lang_release(struct lang *l)
{
    free(l->text.p);
    free(l->s);
    free(l->w);
    free(l->titles.v);
}

/* Adds s[0..n) as a sentence of l: invalid UTF-8 bytes and byte order marks
 * dropped, blanks trimmed. Returns 1 if added, 0 if nothing or too much was
 * left (not added), -1 if out of memory. */
static int add_sentence(struct lang *l, const char *s, size_t n)
{
    struct sentence *v = grow(l->s, &l->scap, l->ns + 1, sizeof *v);
    if (!v)
        return -1;
    l->s = v;
    char *text = grow(l->text.p, &l->text.cap, l->text.len + n + 1, 1);
    if (!text)
        return -1;
    l->text.p = text;
    char *out = l->text.p + l->text.len;
    size_t m = 0, bl;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        if (len && cp != 0xFEFF)
            memcpy(out + m, s + i, len), m += len;
        i += len ? len : 1;
    }
    size_t start = 0;
    while (start < m && (bl = separator_len(out + start, m - start)))
        start += bl;
    while (m > start && (out[m - 1] == ' ' || out[m - 1] == '\t'))
        m--;
    while (m >= start + 3 && memcmp(out + m - 3, "\xe3\x80\x80", 3) == 0)
        m -= 3;
    if (m == start || m - start > SENTENCE_MAX)
        return 0;
    memmove(out, out + start, m - start);
    l->s[l->ns++] = (struct sentence){l->text.len, m - start, l->nw, 0};
    l->text.len += m - start;
    return 1;
}

/* Records gold word w[0..n) of the last sentence if it may be a query word
 * (only Han, 2+ characters) and is found there at or after byte *cursor,
 * which then moves past it; other words are passed over. */
static int add_word(struct lang *l, size_t *cursor, const char *w, size_t n)
{
    if (l->ns == 0 || han_only(w, n) < 2)
        return 0;
    struct sentence *s = &l->s[l->ns - 1];
    const char *t = l->text.p + s->off;
    for (size_t i = *cursor; i + n <= s->len; i++)
        if (memcmp(t + i, w, n) == 0) {
            struct sentence *v = grow(l->w, &l->wcap, l->nw + 1, sizeof *v);
            if (!v)
                return -1;
            l->w = v;
            l->w[l->nw++] = (struct sentence){s->off + i, n, 0, 0};
            s->nw++;
            *cursor = i + n;
            return 0;
        }
    return 0;
}

/* 1 if s[0..n) reads as English: more ASCII letters than other letters, and
 * two words of two ASCII letters or more. */
static int english(const char *s, size_t n)
{
    size_t ascii = 0, other = 0, words = 0, run = 0;
    for (size_t i = 0; i < n;) {
        uint32_t c = next_cp(s, n, &i);
        if (c < 0x80 && ascii_letter((unsigned char)c)) {
            ascii++;
            words += ++run == 2;
            continue;
        }
        run = 0;
        if (c >= 0xC0 && !(c >= 0x2000 && c <= 0x2BFF) && !is_cjk_mark(c) && c != 0xFFFD)
            other++;
    }
    return ascii > other && words >= 2;
}

static int add_english(struct lang *en, const char *s, size_t n)
{
    return english(s, n) ? add_sentence(en, s, n) : 0;
}

/* A Chinese sentence has a Han character. */
static int add_chinese(struct lang *zh, const char *s, size_t n)
{
    return has_han(s, n) ? add_sentence(zh, s, n) : 0;
}

/* The length of a sentence end at s (。！？), or 0. */
static size_t zh_stop(const char *s, size_t n)
{
    if (n < 3)
        return 0;
    return memcmp(s, "\xe3\x80\x82", 3) == 0 || memcmp(s, "\xef\xbc\x81", 3) == 0 ||
                   memcmp(s, "\xef\xbc\x9f", 3) == 0
               ? 3
               : 0;
}

/* The length of a closing quote or bracket at s that stays with the
 * sentence before it (」』）" '), or 0. */
static size_t zh_closer(const char *s, size_t n)
{
    if (*s == '"' || *s == '\'' || *s == ')')
        return 1;
    if (n < 3)
        return 0;
    return memcmp(s, "\xe3\x80\x8d", 3) == 0 || memcmp(s, "\xe3\x80\x8f", 3) == 0 ||
                   memcmp(s, "\xef\xbc\x89", 3) == 0
               ? 3
               : 0;
}

/* Adds the sentences of one line of a corpus body: a line with Han
 * characters is Chinese, cut after 。！？; any other is cut after ". ",
 * "? " and "! " into English sentences. */
static int split_line(struct lang *zh, struct lang *en, const char *s, size_t n)
{
    size_t start = 0, stop;
    int rc = 0, chinese = has_han(s, n);
    for (size_t i = 0; rc >= 0 && i < n;) {
        if (chinese && (stop = zh_stop(s + i, n - i))) {
            size_t c;
            i += stop;
            while (i < n && (c = zh_closer(s + i, n - i)))
                i += c;
        } else if (!chinese && (s[i] == '.' || s[i] == '?' || s[i] == '!') && i + 1 < n &&
                   s[i + 1] == ' ') {
            i++;
        } else {
            i++;
            if (i < n)
                continue;
        }
        if (chinese)
            rc = add_chinese(zh, s + start, i - start);
        else
            rc = add_english(en, s + start, i - start);
        start = i;
    }
    return rc < 0 ? -1 : 0;
}

/* Adds the English runs of a corpus title (between Han characters and CJK
 * punctuation: 資深官員會議 Senior Officials' Meeting (SOM)). */
static int split_title(struct lang *en, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i <= n;) {
        size_t at = i;
        uint32_t c = i < n ? next_cp(s, n, &i) : 0;
        if (at == n || is_han(c) || is_cjk_mark(c)) {
            if (add_english(en, s + start, at - start) < 0)
                return -1;
            start = i;
            if (at == n)
                break;
        }
    }
    return 0;
}

static int split_body(struct lang *zh, struct lang *en, const char *s, size_t n)
{
    for (size_t start = 0, i = 0; i <= n; i++)
        if (i == n || s[i] == '\n') {
            if (split_line(zh, en, s + start, i - start) != 0)
                return -1;
            start = i + 1;
        }
    return 0;
}

/* ---- Gold files ---------------------------------------------------------------------- */

/* Opens dir/name, or returns NULL after a note that it is missing. */
static FILE *open_gold(const char *dir, const char *name, const char *instead)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        fprintf(stderr, "bench-corpus: note: %s: %s; %s\n", path, strerror(errno), instead);
    return f;
}

/* The SIGHAN AS test input (its lines are the sentences) and its gold
 * segmentation, line for line (words separated by blanks or U+3000). */
int read_sighan(struct lang *zh, const char *dir, int *found)
{
    FILE *in = open_gold(dir, "as_test.utf8", "no AS sentences");
    if (!in)
        return 0;
    FILE *gold = open_gold(dir, "as_testing_gold.utf8", "AS sentences give no query words");
    char *line = NULL, *gline = NULL;
    size_t cap = 0, gcap = 0;
    ssize_t n, gn = 0;
    int rc = 0;
    while (rc >= 0 && (n = getline(&line, &cap, in)) > 0) {
        size_t len = chomp(line, (size_t)n), glen = 0, cursor = 0;
        if (gold && (gn = getline(&gline, &gcap, gold)) > 0)
            glen = chomp(gline, (size_t)gn);
        if ((rc = add_chinese(zh, line, len)) <= 0)
            continue;
        for (size_t i = 0, sep; rc >= 0 && i < glen;) {
            while (i < glen && (sep = separator_len(gline + i, glen - i)))
                i += sep;
            size_t start = i;
            while (i < glen && !separator_len(gline + i, glen - i))
                i++;
            if (i > start)
                rc = add_word(zh, &cursor, gline + start, i - start);
        }
    }
    free(line);
    free(gline);
    fclose(in);
    if (gold)
        fclose(gold);
    *found = 1;
    return rc < 0 ? -1 : 0;
}

/* The UD test set: each "# text = " line a sentence, its FORMs the words. */
int read_conllu(struct lang *zh, const char *dir, int *found)
{
    static const char text_key[] = "# text = ";
    FILE *in = open_gold(dir, "zh_gsd-ud-test.conllu", "no UD sentences");
    if (!in)
        return 0;
    char *line = NULL;
    size_t cap = 0, cursor = 0, flen;
    ssize_t n;
    int rc = 0, open = 0;
    while (rc >= 0 && (n = getline(&line, &cap, in)) > 0) {
        size_t len = chomp(line, (size_t)n);
        const char *form;
        if (len == 0) {
            open = 0;
        } else if (strncmp(line, text_key, sizeof text_key - 1) == 0) {
            rc = add_chinese(zh, line + sizeof text_key - 1, len - (sizeof text_key - 1));
            open = rc > 0;
            cursor = 0;
        } else if (open && line[0] != '#' && (form = conllu_form(line, &flen))) {
            rc = add_word(zh, &cursor, form, flen);
        }
    }
    free(line);
    fclose(in);
    *found = 1;
    return rc < 0 ? -1 : 0;
}

/* ---- The bundled corpus ----------------------------------------------------------------- */

/* Adds the sentences of one corpus line's title and body. Returns 0, -1 if
 * the line is not a JSON object, -2 if out of memory. */
static int read_corpus_line(struct lang *zh, struct lang *en, const char *line, size_t len,
                            struct buf *key, struct buf *val)
{
    struct json j = {line, line + len};
    json_ws(&j);
    if (j.p >= j.end || *j.p++ != '{')
        return -1;
    json_ws(&j);
    if (j.p < j.end && *j.p == '}')
        return 0;
    for (;;) {
        int rc;
        json_ws(&j);
        if (j.p >= j.end || *j.p != '"')
            return -1;
        if ((rc = json_string(&j, key)) != 0)
            return rc;
        json_ws(&j);
        if (j.p >= j.end || *j.p++ != ':')
            return -1;
        json_ws(&j);
        int title = strcmp(key->p, "title") == 0, body = strcmp(key->p, "body") == 0;
        if ((title || body) && j.p < j.end && *j.p == '"') {
            if ((rc = json_string(&j, val)) != 0)
                return rc;
            if (title ? split_title(en, val->p, val->len) : split_body(zh, en, val->p, val->len))
                return -2;
        } else if (json_skip(&j, 0) != 0) {
            return -1;
        }
        json_ws(&j);
        if (j.p < j.end && *j.p == '}')
            return 0;
        if (j.p >= j.end || *j.p++ != ',')
            return -1;
    }
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sentences of every .jsonl file in CORPUS, in name order. A missing
 * directory is a note; a malformed line is a warning. */
int read_corpus(struct lang *zh, struct lang *en, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "bench-corpus: note: %s: %s; no corpus sentences\n", dir, strerror(errno));
        return 0;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 6, ".jsonl") != 0)
            continue;
        char **v = grow(names, &cap, n + 1, sizeof *v);
        if (!v || !(v[n] = strdup(e->d_name)))
            rc = -1;
        else
            n++;
        names = v ? v : names;
    }
    closedir(d);
    if (names)
        qsort(names, n, sizeof *names, name_cmp);
    struct buf key = {0}, val = {0};
    char *line = NULL, path[4096];
    size_t lcap = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *in = fopen(path, "r");
        if (!in) {
            perror(path);
            rc = -2;
            break;
        }
        ssize_t len;
        for (size_t lineno = 1; rc == 0 && (len = getline(&line, &lcap, in)) > 0; lineno++) {
            size_t l = chomp(line, (size_t)len);
            int r = l ? read_corpus_line(zh, en, line, l, &key, &val) : 0;
            if (r == -1)
                fprintf(stderr, "bench-corpus: %s:%zu: not a JSON object, skipped\n", path, lineno);
            rc = r == -2 ? -1 : 0;
        }
        fclose(in);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(line);
    free(key.p);
    free(val.p);
    if (rc == -1)
        fprintf(stderr, "bench-corpus: out of memory\n");
    return rc ? -1 : 0;
}

/* 1 if an acronym may be a query word: ASCII letters and digits, a letter,
 * and not the query operator OR. */
static int query_acronym(const char *s, size_t n)
{
    int letter = 0;
    for (size_t i = 0; i < n; i++) {
        if (!ascii_alnum((unsigned char)s[i]))
            return 0;
        letter |= ascii_letter((unsigned char)s[i]);
    }
    return letter && !(n == 2 && memcmp(s, "OR", 2) == 0);
}

/* 1 if s[0..n) is one of the acronyms. */
int is_acronym(const struct buf *acr, const struct ids *ends, const char *s, size_t n)
{
    for (size_t i = 0, start = 0; i < ends->n; start = ends->v[i++])
        if (ends->v[i] - start == n && memcmp(acr->p + start, s, n) == 0)
            return 1;
    return 0;
}

/* The distinct acronyms of CORPUS/glossary.tsv's first column (header,
 * comments, empty fields and what query_acronym refuses skipped), back to
 * back in text, the ith ending at ends->v[i]. */
int read_acronyms(const char *dir, struct buf *text, struct ids *ends)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/glossary.tsv", dir);
    FILE *in = fopen(path, "r");
    if (!in) {
        fprintf(stderr, "bench-corpus: note: %s: %s; acronyms from English text\n", path,
                strerror(errno));
        return 0;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;
    for (size_t lineno = 1; rc == 0 && (n = getline(&line, &cap, in)) > 0; lineno++) {
        size_t len = chomp(line, (size_t)n), f = strcspn(line, "\t");
        char *field = line;
        if (lineno == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
            field += 3, f -= 3;
        if (field[0] == '#' || (lineno == 1 && f == 7 && memcmp(field, "acronym", 7) == 0) ||
            !query_acronym(field, f) || is_acronym(text, ends, field, f))
            continue;
        rc = buf_put(text, field, f) != 0 || ids_push(ends, text->len) != 0 ? -1 : 0;
    }
    free(line);
    fclose(in);
    return rc;
}

int find_titles(struct lang *l)
{
    for (size_t i = 0; i < l->ns; i++)
        if (count_chars(l->text.p + l->s[i].off, l->s[i].len) <= TITLE_CHARS &&
            ids_push(&l->titles, i) != 0)
            return -1;
    return 0;
}
