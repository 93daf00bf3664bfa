/*
 * glossary.c - senses (acronyms and names) from glossary files and from
 * definitions learned in the corpus; see include/sou/glossary.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "sou/glossary.h"
#include "sou/normalize.h"
#include "internal.h"
#include "strlist_json.h"

/* A learned sense keeps this many provenance entries at most: enough to
 * show where it comes from without growing with the corpus. */
#define SOURCES_MAX 5

SOU_API void sou_sense_release(sou_sense *s)
{
    if (!s)
        return;
    free(s->acronym);
    free(s->zh);
    free(s->en);
    sou_strlist_release(&s->aliases);
    sou_strlist_release(&s->sources);
    memset(s, 0, sizeof *s);
}

SOU_API void sou_glossary_release(sou_glossary *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->n; i++)
        sou_sense_release(&g->v[i]);
    free(g->v);
    memset(g, 0, sizeof *g);
}

static char *dup_or_null(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

static int failed_dup(const char *want, const char *got)
{
    return want && *want && !got;
}

/* Adds each " | "-separated alias of list to s. */
static int add_aliases(sou_sense *s, const char *list, sou_error *err)
{
    while (list && *list) {
        const char *bar = strstr(list, " | ");
        size_t n = bar ? (size_t)(bar - list) : strlen(list);
        while (n > 0 && list[n - 1] == ' ')
            n--;
        while (n > 0 && *list == ' ') {
            list++;
            n--;
        }
        if (n > 0 && sou_strlist_add(&s->aliases, list, n, 1, err) != SOU_OK)
            return SOU_ERR_NOMEM;
        list = bar ? bar + 3 : NULL;
    }
    return SOU_OK;
}

static sou_sense *append_sense(sou_glossary *g, sou_error *err)
{
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 32;
        sou_sense *v = realloc(g->v, cap * sizeof *v);
        if (!v) {
            sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
            return NULL;
        }
        g->v = v;
        g->cap = cap;
    }
    sou_sense *s = &g->v[g->n++];
    memset(s, 0, sizeof *s);
    return s;
}

SOU_API int sou_glossary_add(sou_glossary *g, const char *acronym, const char *zh, const char *en,
                             const char *aliases, const char *source, sou_error *err)
{
    int names = (acronym && *acronym) + (zh && *zh) + (en && *en) + (aliases && *aliases);
    if (names < 2)
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "a sense needs at least two names");
    sou_sense *s = append_sense(g, err);
    if (!s)
        return SOU_ERR_NOMEM;
    s->acronym = dup_or_null(acronym);
    s->zh = dup_or_null(zh);
    s->en = dup_or_null(en);
    int rc = SOU_OK;
    if (failed_dup(acronym, s->acronym) || failed_dup(zh, s->zh) || failed_dup(en, s->en))
        rc = sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    if (rc == SOU_OK)
        rc = add_aliases(s, aliases, err);
    if (rc == SOU_OK && source)
        rc = sou_strlist_add(&s->sources, source, strlen(source), 1, err);
    if (rc != SOU_OK) {
        sou_sense_release(s);
        g->n--;
    }
    return rc;
}

/* ---- Reading glossary files ------------------------------------------------ */

static void warn_line(sou_glossary_warn warn, void *ctx, size_t *skipped, const char *path,
                      unsigned long line, const char *what)
{
    char msg[SOU_ERROR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s:%lu: %s", path, line, what);
    if (warn)
        warn(ctx, msg);
    if (skipped)
        (*skipped)++;
}

/* Splits line at tabs into at most 5 fields (5 means "too many"). */
static int split_tabs(char *line, char **f)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p; p++)
        if (*p == '\t') {
            *p = '\0';
            if (n == 5)
                return n;
            f[n++] = p + 1;
        }
    return n;
}

SOU_API int sou_glossary_load(sou_glossary *g, const char *path, sou_glossary_warn warn, void *ctx,
                              size_t *skipped, sou_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return sou_error_set(err, SOU_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    unsigned long lineno = 0;
    int rc = SOU_OK;
    while (rc == SOU_OK && (got = getline(&line, &cap, f)) >= 0) {
        lineno++;
        size_t len = (size_t)got;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        char *text = line;
        if (lineno == 1 && len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
            text += 3;
            len -= 3;
        }
        if (len == 0 || text[0] == '#')
            continue;
        size_t bad = 0;
        if (!sou_utf8_valid(text, len, &bad)) {
            char what[64];
            snprintf(what, sizeof what, "invalid UTF-8 at byte %zu", bad);
            warn_line(warn, ctx, skipped, path, lineno, what);
            continue;
        }
        char *fld[5];
        int n = split_tabs(text, fld);
        if (strcmp(fld[0], "acronym") == 0)
            continue; /* the header */
        if (n < 3 || n > 4) {
            warn_line(warn, ctx, skipped, path, lineno,
                      "want 3 or 4 tab-separated columns: acronym, zh_hant, english, aliases");
            continue;
        }
        char source[SOU_ERROR_MSG_MAX];
        snprintf(source, sizeof source, "%s:%lu", path, lineno);
        sou_error e2;
        int r = sou_glossary_add(g, fld[0], fld[1], fld[2], n == 4 ? fld[3] : NULL, source, &e2);
        if (r == SOU_ERR_INVALID_ARG)
            warn_line(warn, ctx, skipped, path, lineno, "fewer than two names");
        else if (r != SOU_OK)
            rc = sou_error_set(err, r, "%s:%lu: %s", path, lineno, e2.msg);
    }
    if (rc == SOU_OK && ferror(f))
        rc = sou_error_set(err, SOU_ERR_IO, "%s: read error", path);
    free(line);
    fclose(f);
    return rc;
}

/* ---- Learning ---------------------------------------------------------------- */

/* Acronyms match without case and width: CTI, cti, ＣＴＩ. */
static int same_acronym(sou_normbuf *nb, const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    const char *na = NULL, *nb2 = NULL;
    size_t la = 0, lb = 0;
    char *copy = NULL;
    if (sou_normalize(nb, a, strlen(a), &na, &la, NULL) != SOU_OK || !(copy = strndup(na, la)))
        return 0;
    int same = sou_normalize(nb, b, strlen(b), &nb2, &lb, NULL) == SOU_OK && la == lb &&
               memcmp(copy, nb2, la) == 0;
    free(copy);
    return same;
}

/* English names match without case and without a leading "The ". */
static const char *skip_the(const char *s)
{
    return strncasecmp(s, "the ", 4) == 0 ? s + 4 : s;
}

static int same_english(const char *a, const char *b)
{
    return a && b && strcasecmp(skip_the(a), skip_the(b)) == 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return m > 0 && n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* "Economic Committee meeting" starts with the name "Economic Committee". */
static int starts_with_words(const char *s, const char *prefix)
{
    size_t n = strlen(prefix);
    return n > 0 && strncasecmp(skip_the(s), prefix, n) == 0 && skip_the(s)[n] == ' ';
}

/* "Meeting of APEC Ministers Responsible for Trade" ends with the words
 * "Ministers Responsible for Trade". */
static int ends_with_words(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return m > 0 && n > m && s[n - m - 1] == ' ' && strcasecmp(s + n - m, suffix) == 0;
}

/* 1 if the learned names belong to sense s; *exact says a name matched
 * exactly (rather than a Chinese name by its ending). */
static int learned_matches(const sou_sense *s, const char *zh, const char *en, int *exact)
{
    *exact = 1;
    if (zh && ((s->zh && strcmp(s->zh, zh) == 0) || sou_strlist_has(&s->aliases, zh, strlen(zh))))
        return 1;
    if (en && same_english(s->en, en))
        return 1;
    for (size_t i = 0; en && i < s->aliases.n; i++)
        if (same_english(s->aliases.items[i], en))
            return 1;
    *exact = 0;
    return (zh && s->zh && ends_with(zh, s->zh)) ||
           (en && s->en && (starts_with_words(en, s->en) || ends_with_words(s->en, en)));
}

static int add_source(sou_sense *s, const char *source, sou_error *err)
{
    if (!source || s->sources.n >= SOURCES_MAX)
        return SOU_OK;
    return sou_strlist_add(&s->sources, source, strlen(source), 1, err);
}

/* Keeps a learned name the sense lacks as an alias. */
static int add_new_name(sou_sense *s, const char *zh, const char *en, sou_error *err)
{
    int rc = SOU_OK;
    if (zh && !(s->zh && strcmp(s->zh, zh) == 0))
        rc = sou_strlist_add(&s->aliases, zh, strlen(zh), 1, err);
    if (rc == SOU_OK && en && !same_english(s->en, en)) {
        int known = 0;
        for (size_t i = 0; i < s->aliases.n; i++)
            known |= same_english(s->aliases.items[i], en);
        if (!known)
            rc = sou_strlist_add(&s->aliases, en, strlen(en), 1, err);
    }
    return rc;
}

SOU_API int sou_glossary_learn(sou_glossary *g, const char *acronym, const char *zh, const char *en,
                               const char *source, int may_add, sou_error *err)
{
    if (!acronym || !*acronym || ((!zh || !*zh) && (!en || !*en)))
        return sou_error_set(err, SOU_ERR_INVALID_ARG,
                             "a learned sense needs an acronym and a name");
    zh = zh && *zh ? zh : NULL;
    en = en && *en ? en : NULL;
    sou_normbuf nb;
    sou_normbuf_init(&nb);
    int rc = SOU_OK, found = 0;
    for (size_t i = 0; i < g->n && !found; i++) {
        sou_sense *s = &g->v[i];
        int exact = 0;
        if (!same_acronym(&nb, s->acronym, acronym) || !learned_matches(s, zh, en, &exact))
            continue;
        found = 1;
        rc = add_source(s, source, err);
        if (rc == SOU_OK && exact)
            rc = add_new_name(s, zh, en, err);
    }
    sou_normbuf_release(&nb);
    if (rc != SOU_OK || found || !may_add)
        return rc;
    sou_sense *s = append_sense(g, err);
    if (!s)
        return SOU_ERR_NOMEM;
    s->acronym = strdup(acronym);
    s->zh = dup_or_null(zh);
    s->en = dup_or_null(en);
    if (!s->acronym || failed_dup(zh, s->zh) || failed_dup(en, s->en) ||
        add_source(s, source, err) != SOU_OK) {
        sou_sense_release(s);
        g->n--;
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    }
    return SOU_OK;
}

/* ---- JSON ---------------------------------------------------------------------- */

SOU_API char *sou_sense_to_json(const sou_sense *s)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    if (s->acronym)
        json_object_set_new(o, "acronym", json_string(s->acronym));
    if (s->zh)
        json_object_set_new(o, "zh", json_string(s->zh));
    if (s->en)
        json_object_set_new(o, "en", json_string(s->en));
    json_object_set_new(o, "aliases", sou_strlist_json(&s->aliases));
    json_object_set_new(o, "sources", sou_strlist_json(&s->sources));
    json_object_set_new(o, "docs", json_integer(s->docs));
    char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return text;
}

static int take_string(json_t *o, const char *key, char **out)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        return 0;
    *out = strdup(json_string_value(v));
    return *out ? 0 : -1;
}

static int take_list(json_t *o, const char *key, sou_strlist *l, sou_error *err)
{
    json_t *a = json_object_get(o, key);
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        if (json_is_string(v) &&
            sou_strlist_add(l, json_string_value(v), json_string_length(v), 0, err) != SOU_OK)
            return -1;
    }
    return 0;
}

SOU_API int sou_sense_from_json(const char *text, size_t len, sou_sense *s, sou_error *err)
{
    memset(s, 0, sizeof *s);
    json_error_t je;
    json_t *o = json_loadb(text, len, 0, &je);
    if (!json_is_object(o)) {
        json_decref(o);
        return sou_error_set(err, SOU_ERR_JSON, "stored sense is not a JSON object: %s", je.text);
    }
    int bad = take_string(o, "acronym", &s->acronym) | take_string(o, "zh", &s->zh) |
              take_string(o, "en", &s->en) | take_list(o, "aliases", &s->aliases, err) |
              take_list(o, "sources", &s->sources, err);
    json_t *docs = json_object_get(o, "docs");
    s->docs = json_is_integer(docs) ? (uint32_t)json_integer_value(docs) : 0;
    json_decref(o);
    if (bad) {
        sou_sense_release(s);
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    }
    return SOU_OK;
}
