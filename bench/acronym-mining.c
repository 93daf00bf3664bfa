/*
 * acronym-mining.c - scores sou_mine_acronyms() against the glossary.
 *
 * Mines the title and body of every document of a JSON Lines file,
 * deduplicates the (acronym, name) pairs found and checks each against
 * glossary.tsv:
 *
 *   - an (acronym, zh) pair is correct if a row with that acronym has that
 *     zh_hant name or alias, exactly;
 *   - an (acronym, en) pair is correct if a row with that acronym has that
 *     english name, compared case-insensitively and ignoring a leading
 *     "The" and the word "APEC";
 *   - an acronym with an edition number ("TELMIN 12") that has no row of its
 *     own is checked against the row of the series ("TELMIN"), and marked so.
 *
 * Acronyms are compared in ASCII upper case (full-width ＣＴＩ is CTI).
 * Precision is correct pairs over mined pairs; recall is the glossary
 * acronyms that occur in the text as whole words (not inside a longer run
 * of ASCII letters and digits) and were found with a correct name for one
 * of their senses, over those acronyms.
 *
 * Usage: acronym-mining ARTICLE.jsonl GLOSSARY.tsv
 * Exit status: 0 once the report is printed, whatever the scores; 1 if a
 * file cannot be read or parsed or memory runs out; 2 for bad usage.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "sou/mine.h"

static const char USAGE[] = "usage: acronym-mining ARTICLE.jsonl GLOSSARY.tsv\n";

enum { EXIT_USAGE = 2 };

struct row {
    char *acr, *zh, *en;
    char *aliases; /* " | "-separated, possibly empty */
    int occurs;    /* the acronym is in the text as a whole word */
    int found;     /* some mined pair for it is correct */
};

enum kind { KIND_ZH, KIND_EN };

struct pair {
    char *acr; /* ASCII upper case */
    enum kind kind;
    char *name;
    int ok;
    int via_base; /* matched the series row ("TELMIN" for "TELMIN 12") */
};

struct bench {
    struct row *rows;
    size_t nrows;
    struct pair *pairs;
    size_t npairs, cap;
    char *text; /* every title and body, for the occurrence check */
    size_t text_len;
    size_t ndocs;
    int nomem;
};

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* ---- Reading ------------------------------------------------------------- */

/* Splits line at tabs into at most n fields, in place; returns the count. */
static size_t split_tabs(char *line, char **fields, size_t n)
{
    size_t k = 0;
    while (k < n) {
        fields[k++] = line;
        char *tab = strchr(line, '\t');
        if (!tab)
            break;
        *tab = '\0';
        line = tab + 1;
    }
    return k;
}

static int read_glossary(struct bench *b, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "acronym-mining: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, lineno = 0, rows_cap = 0;
    ssize_t got;
    int rc = 0;
    while ((got = getline(&line, &cap, f)) > 0) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (lineno == 1 || line[0] == '#' || line[0] == '\0')
            continue;
        char *fields[4];
        if (split_tabs(line, fields, 4) != 4) {
            fprintf(stderr, "acronym-mining: %s:%zu: not four fields\n", path, lineno);
            rc = -1;
            break;
        }
        if (b->nrows == rows_cap) {
            rows_cap = rows_cap ? 2 * rows_cap : 64;
            struct row *r = realloc(b->rows, rows_cap * sizeof *r);
            if (!r) {
                fprintf(stderr, "acronym-mining: out of memory\n");
                rc = -1;
                break;
            }
            b->rows = r;
        }
        struct row *r = &b->rows[b->nrows++];
        memset(r, 0, sizeof *r);
        r->acr = strdup(fields[0]);
        r->zh = strdup(fields[1]);
        r->en = strdup(fields[2]);
        r->aliases = strdup(fields[3]);
        if (!r->acr || !r->zh || !r->en || !r->aliases) {
            fprintf(stderr, "acronym-mining: out of memory\n");
            rc = -1;
            break;
        }
    }
    free(line);
    fclose(f);
    return rc;
}

/* The acronym in ASCII upper case: full-width letters, digits and space
 * folded. */
static char *fold_acronym(const char *s, size_t n)
{
    char *d = malloc(n + 1), *o = d;
    if (!d)
        return NULL;
    for (size_t i = 0; i < n;) {
        const unsigned char *u = (const unsigned char *)s + i;
        if (i + 2 < n && u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0xBF) {
            *o++ = (char)toupper(u[2] - 0x90 + '0'); /* U+FF10..FF3F */
            i += 3;
        } else if (i + 2 < n && u[0] == 0xEF && u[1] == 0xBD && u[2] >= 0x80 && u[2] <= 0x9A) {
            *o++ = (char)toupper(u[2] - 0x80 + '`'); /* U+FF40..FF5A */
            i += 3;
        } else if (i + 2 < n && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80) {
            *o++ = ' '; /* U+3000 */
            i += 3;
        } else {
            *o++ = (char)toupper(u[0]);
            i++;
        }
    }
    *o = '\0';
    return d;
}

static void add_pair(struct bench *b, const char *acr, size_t acr_len, enum kind kind,
                     const char *name, size_t name_len)
{
    char *a = fold_acronym(acr, acr_len);
    if (!a) {
        b->nomem = 1;
        return;
    }
    for (size_t i = 0; i < b->npairs; i++) {
        struct pair *p = &b->pairs[i];
        if (p->kind == kind && strcmp(p->acr, a) == 0 && strlen(p->name) == name_len &&
            memcmp(p->name, name, name_len) == 0) {
            free(a);
            return;
        }
    }
    if (b->npairs == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 64;
        struct pair *p = realloc(b->pairs, cap * sizeof *p);
        if (!p) {
            free(a);
            b->nomem = 1;
            return;
        }
        b->pairs = p;
        b->cap = cap;
    }
    char *nm = dup_n(name, name_len);
    if (!nm) {
        free(a);
        b->nomem = 1;
        return;
    }
    b->pairs[b->npairs++] = (struct pair){a, kind, nm, 0, 0};
}

static int on_definition(void *ctx, const char *acr, size_t acr_len, const char *zh, size_t zh_len,
                         const char *en, size_t en_len, size_t offset)
{
    struct bench *b = ctx;
    (void)offset;
    if (zh)
        add_pair(b, acr, acr_len, KIND_ZH, zh, zh_len);
    if (en)
        add_pair(b, acr, acr_len, KIND_EN, en, en_len);
    return b->nomem;
}

/* Mines one field and appends it to b->text. */
static int mine_field(struct bench *b, const char *s, size_t n, const char *where)
{
    sou_error err;
    int rc = sou_mine_acronyms(s, n, on_definition, b, &err);
    if (rc != SOU_OK) {
        fprintf(stderr, "acronym-mining: %s: %s\n", where, b->nomem ? "out of memory" : err.msg);
        return -1;
    }
    char *t = realloc(b->text, b->text_len + n + 2);
    if (!t) {
        fprintf(stderr, "acronym-mining: out of memory\n");
        return -1;
    }
    b->text = t;
    memcpy(t + b->text_len, s, n);
    b->text_len += n;
    t[b->text_len++] = '\n';
    t[b->text_len] = '\0';
    return 0;
}

static int read_corpus(struct bench *b, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "acronym-mining: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char *line = NULL, where[512];
    size_t cap = 0, lineno = 0;
    ssize_t got;
    int rc = 0;
    while (rc == 0 && (got = getline(&line, &cap, f)) > 0) {
        lineno++;
        if (strspn(line, " \t\r\n") == (size_t)got)
            continue;
        snprintf(where, sizeof where, "%s:%zu", path, lineno);
        json_error_t jerr;
        json_t *doc = json_loadb(line, (size_t)got, 0, &jerr);
        if (!json_is_object(doc)) {
            fprintf(stderr, "acronym-mining: %s: %s\n", where,
                    doc ? "not a JSON object" : jerr.text);
            json_decref(doc);
            rc = -1;
            break;
        }
        static const char *const fields[] = {"title", "body"};
        for (size_t i = 0; rc == 0 && i < 2; i++) {
            json_t *v = json_object_get(doc, fields[i]);
            if (json_is_string(v))
                rc = mine_field(b, json_string_value(v), json_string_length(v), where);
        }
        json_decref(doc);
        b->ndocs++;
    }
    free(line);
    fclose(f);
    return rc;
}

/* ---- Scoring ------------------------------------------------------------- */

/* English for comparison: lower case, single spaces, no word "apec", no
 * leading "the". Returns a malloc'd string or NULL. */
static char *english_key(const char *s)
{
    size_t n = strlen(s);
    char *d = malloc(n + 1), *o = d;
    if (!d)
        return NULL;
    const char *p = s;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t w = strcspn(p, " ");
        if (w == 0)
            break;
        int drop = (w == 4 && strncasecmp(p, "apec", 4) == 0) ||
                   (o == d && w == 3 && strncasecmp(p, "the", 3) == 0);
        if (!drop) {
            if (o > d)
                *o++ = ' ';
            for (size_t i = 0; i < w; i++)
                *o++ = (char)tolower((unsigned char)p[i]);
        }
        p += w;
    }
    *o = '\0';
    return d;
}

static int has_alias(const char *aliases, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = aliases; *p;) {
        const char *sep = strstr(p, " | ");
        size_t len = sep ? (size_t)(sep - p) : strlen(p);
        if (len == n && memcmp(p, name, n) == 0)
            return 1;
        p += len + (sep ? 3 : 0);
    }
    return 0;
}

static int name_matches(const struct row *r, const struct pair *p, int *nomem)
{
    if (p->kind == KIND_ZH)
        return (r->zh[0] && strcmp(r->zh, p->name) == 0) || has_alias(r->aliases, p->name);
    if (!r->en[0])
        return 0;
    char *a = english_key(r->en), *b = english_key(p->name);
    int ok = a && b && a[0] && strcmp(a, b) == 0;
    *nomem |= !a || !b;
    free(a);
    free(b);
    return ok;
}

/* Scores p against the rows named acr; marks the rows it is correct for. */
static int score_against(struct bench *b, struct pair *p, const char *acr, int *nomem)
{
    int any = 0;
    for (size_t i = 0; i < b->nrows; i++) {
        struct row *r = &b->rows[i];
        if (strcmp(r->acr, acr) == 0 && name_matches(r, p, nomem)) {
            r->found = 1;
            any = 1;
        }
    }
    return any;
}

static int has_row(const struct bench *b, const char *acr)
{
    for (size_t i = 0; i < b->nrows; i++)
        if (strcmp(b->rows[i].acr, acr) == 0)
            return 1;
    return 0;
}

/* The series of an acronym with an edition number ("TELMIN" for
 * "TELMIN 12") in base (at least as large as acr), or 0 if it has none. */
static int series_of(const char *acr, char *base)
{
    const char *sp = strrchr(acr, ' ');
    if (!sp || !sp[1] || strspn(sp + 1, "0123456789") != strlen(sp + 1))
        return 0;
    memcpy(base, acr, (size_t)(sp - acr));
    base[sp - acr] = '\0';
    return 1;
}

static int is_word_char(char c)
{
    return isalnum((unsigned char)c);
}

static int occurs_as_word(const char *text, size_t len, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = text; n > 0 && (p = memmem(p, len - (size_t)(p - text), word, n)); p++) {
        if ((p == text || !is_word_char(p[-1])) && !is_word_char(p[n]))
            return 1;
    }
    return 0;
}

static int score(struct bench *b)
{
    int nomem = 0;
    for (size_t i = 0; i < b->npairs; i++) {
        struct pair *p = &b->pairs[i];
        char base[64];
        if (has_row(b, p->acr)) {
            p->ok = score_against(b, p, p->acr, &nomem);
        } else if (strlen(p->acr) < sizeof base && series_of(p->acr, base)) {
            p->ok = score_against(b, p, base, &nomem);
            p->via_base = 1;
        }
    }
    for (size_t i = 0; i < b->nrows; i++)
        b->rows[i].occurs = occurs_as_word(b->text ? b->text : "", b->text_len, b->rows[i].acr);
    return nomem ? -1 : 0;
}

/* ---- Report -------------------------------------------------------------- */

/* The glossary's names for acr, for a wrong pair's line. */
static void print_expected(const struct bench *b, const struct pair *p)
{
    char base[64];
    const char *acr = p->acr;
    if (!has_row(b, acr) && strlen(acr) < sizeof base && series_of(acr, base))
        acr = base;
    int any = 0;
    for (size_t i = 0; i < b->nrows; i++) {
        const struct row *r = &b->rows[i];
        if (strcmp(r->acr, acr) != 0)
            continue;
        const char *want = p->kind == KIND_ZH ? r->zh : r->en;
        printf("%s%s", any ? " / " : "   (glossary: ", want[0] ? want : "(none)");
        if (p->kind == KIND_ZH && r->aliases[0])
            printf(" | %s", r->aliases);
        any = 1;
    }
    printf("%s", any ? ")" : "   (not in the glossary)");
}

static void report(const struct bench *b, const char *corpus, const char *glossary)
{
    size_t ok = 0, occurring = 0, found = 0;
    printf("Acronym mining: %s (%zu documents) against %s (%zu rows)\n\n", corpus, b->ndocs,
           glossary, b->nrows);
    printf("Mined pairs (%zu):\n", b->npairs);
    for (size_t i = 0; i < b->npairs; i++) {
        const struct pair *p = &b->pairs[i];
        ok += p->ok != 0;
        printf("  %-7s %-10s %s  %s", p->ok ? "correct" : "WRONG", p->acr,
               p->kind == KIND_ZH ? "zh" : "en", p->name);
        if (p->via_base && p->ok)
            printf("   (by its series row)");
        if (!p->ok)
            print_expected(b, p);
        printf("\n");
    }
    /* An acronym with several rows (senses) counts once: found when a
     * correct name of any of its senses was mined. */
    printf("\nMissed acronyms (in the text, no correct name mined):\n");
    for (size_t i = 0; i < b->nrows; i++) {
        const struct row *r = &b->rows[i];
        int first = 1, any_found = 0;
        for (size_t k = 0; k < b->nrows; k++)
            if (strcmp(b->rows[k].acr, r->acr) == 0) {
                first &= k >= i;
                any_found |= b->rows[k].found != 0;
            }
        if (!r->occurs || !first)
            continue;
        occurring++;
        if (any_found) {
            found++;
            continue;
        }
        printf("  %-10s %s%s%s\n", r->acr, r->zh, r->zh[0] && r->en[0] ? " / " : "", r->en);
    }
    printf("\nprecision: %zu/%zu = %.1f%% (correct mined pairs / mined pairs)\n", ok, b->npairs,
           b->npairs ? 100.0 * (double)ok / (double)b->npairs : 0.0);
    printf("recall:    %zu/%zu = %.1f%% (glossary acronyms found / acronyms in the text)\n", found,
           occurring, occurring ? 100.0 * (double)found / (double)occurring : 0.0);
}

static void bench_release(struct bench *b)
{
    for (size_t i = 0; i < b->nrows; i++) {
        free(b->rows[i].acr);
        free(b->rows[i].zh);
        free(b->rows[i].en);
        free(b->rows[i].aliases);
    }
    for (size_t i = 0; i < b->npairs; i++) {
        free(b->pairs[i].acr);
        free(b->pairs[i].name);
    }
    free(b->rows);
    free(b->pairs);
    free(b->text);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs(USAGE, stderr);
        return EXIT_USAGE;
    }
    struct bench b = {0};
    int status = EXIT_FAILURE;
    if (read_glossary(&b, argv[2]) != 0 || read_corpus(&b, argv[1]) != 0)
        goto out;
    if (score(&b) != 0) {
        fprintf(stderr, "acronym-mining: out of memory\n");
        goto out;
    }
    report(&b, argv[1], argv[2]);
    status = EXIT_SUCCESS;
out:
    bench_release(&b);
    return status;
}
