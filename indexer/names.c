/*
 * names.c - collects the glossary a build stores in its index (glossary
 * files and mined definitions) and lists a stored one.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "sou/layout.h"
#include "sou/mine.h"
#include "sou/names.h"
#include "sou/xapian.h"

#include "names.h"

#define AUTO_GLOSSARY "glossary.tsv"

static void warn_line(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "sou-index: %s; skipped\n", msg);
}

static int load_one(struct names_build *nb, const char *path, sou_error *err)
{
    int rc = sou_glossary_load(&nb->glossary, path, warn_line, nb, &nb->skipped, err);
    if (rc == SOU_OK)
        nb->files++;
    return rc;
}

int names_load(struct names_build *nb, char **files, size_t nfiles, char **paths, size_t npaths,
               sou_error *err)
{
    int rc = SOU_OK;
    for (size_t i = 0; rc == SOU_OK && i < nfiles; i++)
        rc = load_one(nb, files[i], err);
    for (size_t i = 0; rc == SOU_OK && i < npaths; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        char *p = NULL;
        if (asprintf(&p, "%s/%s", paths[i], AUTO_GLOSSARY) < 0)
            return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
            rc = load_one(nb, p, err);
        free(p);
    }
    return rc;
}

struct mine_ctx {
    struct names_build *nb;
    const char *source;
    const char *text;
    sou_error *err;
};

/* Whether a mined definition is sure enough to add a new sense, rather
 * than only confirm a known one. A Chinese name must have been quoted
 * (「…」, 《…》): unquoted ones are cut from running text by guesswork. An
 * English name's initials must spell the acronym, with or without its
 * small words (Ministry of Foreign Affairs, MOFA; Ministers Responsible for
 * Trade, MRT). */
static int is_small_word(const char *w, size_t n)
{
    static const char *const small[] = {"of", "on", "and", "for", "the", "in", "to", "&"};
    for (size_t i = 0; i < sizeof small / sizeof small[0]; i++)
        if (strlen(small[i]) == n && strncasecmp(w, small[i], n) == 0)
            return 1;
    return 0;
}

static int initials_spell(const char *en, size_t len, const char *acr, size_t acr_len,
                          int skip_small)
{
    size_t k = 0;
    for (size_t i = 0; i < len;) {
        while (i < len && (en[i] == ' ' || en[i] == '-' || en[i] == ','))
            i++;
        size_t start = i;
        while (i < len && en[i] != ' ' && en[i] != '-' && en[i] != ',')
            i++;
        if (i == start || (skip_small && is_small_word(en + start, i - start)))
            continue;
        if (k == acr_len || tolower((unsigned char)en[start]) != tolower((unsigned char)acr[k]))
            return 0;
        k++;
    }
    return k == acr_len;
}

static int is_open_quote(const char *text, const char *zh)
{
    static const char *const quotes[] = {"「", "《", "『", "〈"};
    for (size_t i = 0; i < sizeof quotes / sizeof quotes[0]; i++) {
        size_t n = strlen(quotes[i]);
        if (zh - text >= (long)n && memcmp(zh - n, quotes[i], n) == 0)
            return 1;
    }
    return 0;
}

static int sure_enough(const struct mine_ctx *m, const char *acr, size_t acr_len, const char *zh,
                       const char *en, size_t en_len)
{
    if (zh)
        return is_open_quote(m->text, zh);
    return initials_spell(en, en_len, acr, acr_len, 1) ||
           initials_spell(en, en_len, acr, acr_len, 0);
}

static int learn(void *ctx, const char *acr, size_t acr_len, const char *zh, size_t zh_len,
                 const char *en, size_t en_len, size_t offset)
{
    struct mine_ctx *m = ctx;
    (void)offset;
    char *a = strndup(acr, acr_len);
    char *z = zh ? strndup(zh, zh_len) : NULL;
    char *e = en ? strndup(en, en_len) : NULL;
    int rc = SOU_ERR_NOMEM;
    if (a && (!zh || z) && (!en || e))
        rc = sou_glossary_learn(&m->nb->glossary, a, z, e, m->source,
                                sure_enough(m, acr, acr_len, zh, en, en_len), m->err);
    else
        sou_error_set(m->err, SOU_ERR_NOMEM, "out of memory");
    if (rc == SOU_OK)
        m->nb->mined++;
    free(a);
    free(z);
    free(e);
    return rc;
}

int names_mine(struct names_build *nb, const sou_document *d, sou_error *err)
{
    const char *id = sou_document_get(d, "id", NULL);
    char source[SOU_ID_MAX + 16];
    snprintf(source, sizeof source, "mined:%s", id ? id : "");
    struct mine_ctx m = {nb, source, NULL, err};
    /* Only running text defines acronyms; titles list names. */
    size_t len = 0;
    const char *body = sou_document_get(d, "body", &len);
    m.text = body;
    return body ? sou_mine_acronyms(body, len, learn, &m, err) : SOU_OK;
}

int names_store(struct names_build *nb, sou_analyzer *a, sou_db *view, sou_wdb *const *wdbs,
                size_t n, sou_error *err)
{
    int rc = sou_names_count_docs(view, a, &nb->glossary, err);
    for (size_t k = 0; rc == SOU_OK && k < n; k++)
        rc = sou_names_store(wdbs[k], a, &nb->glossary, err);
    return rc;
}

int names_load_stored(struct names_build *nb, const sou_db *db, sou_error *err)
{
    return sou_names_load_all(db, &nb->glossary, err);
}

/* Removes the string at l->items[i], keeping the order of the rest. */
static void strlist_remove(sou_strlist *l, size_t i)
{
    free(l->items[i]);
    memmove(&l->items[i], &l->items[i + 1], (l->n - i - 1) * sizeof *l->items);
    l->n--;
}

void names_forget(struct names_build *nb, const char *id)
{
    char source[SOU_ID_MAX + 16];
    snprintf(source, sizeof source, "mined:%s", id);
    size_t len = strlen(source);
    for (size_t i = 0; i < nb->glossary.n; i++) {
        sou_strlist *l = &nb->glossary.v[i].sources;
        for (size_t k = 0; k < l->n; k++)
            if (strlen(l->items[k]) == len && memcmp(l->items[k], source, len) == 0)
                strlist_remove(l, k--);
    }
}

void names_prune(struct names_build *nb)
{
    sou_glossary *g = &nb->glossary;
    size_t kept = 0;
    for (size_t i = 0; i < g->n; i++) {
        if (g->v[i].sources.n > 0) {
            g->v[kept++] = g->v[i];
            continue;
        }
        sou_sense_release(&g->v[i]);
    }
    g->n = kept;
}

void names_release(struct names_build *nb)
{
    sou_glossary_release(&nb->glossary);
}

static void print_field(FILE *out, const char *s)
{
    fputs(s ? s : "", out);
}

int names_list(const char *db_path, FILE *out)
{
    sou_error err;
    sou_db *db = NULL;
    sou_glossary g = {0};
    int rc = sou_db_open(db_path, &db, &err);
    if (rc == SOU_OK)
        rc = sou_names_load_all(db, &g, &err);
    if (rc != SOU_OK) {
        fprintf(stderr, "sou-index: %s: %s\n", db_path, err.msg);
        sou_db_free(db);
        sou_glossary_release(&g);
        return -1;
    }
    fprintf(out, "acronym\tzh_hant\tenglish\taliases\tdocs\tsources\n");
    for (size_t i = 0; i < g.n; i++) {
        const sou_sense *s = &g.v[i];
        print_field(out, s->acronym);
        fputc('\t', out);
        print_field(out, s->zh);
        fputc('\t', out);
        print_field(out, s->en);
        fputc('\t', out);
        for (size_t k = 0; k < s->aliases.n; k++)
            fprintf(out, "%s%s", k ? " | " : "", s->aliases.items[k]);
        fprintf(out, "\t%u\t", (unsigned)s->docs);
        for (size_t k = 0; k < s->sources.n; k++)
            fprintf(out, "%s%s", k ? " ; " : "", s->sources.items[k]);
        fputc('\n', out);
    }
    sou_db_free(db);
    sou_glossary_release(&g);
    return 0;
}
