/*
 * document.c - a document's named string fields and where it came from.
 * See include/sou/document.h for the contract.
 *
 * Fields live in one array in insertion order and are found by a linear
 * scan: a document has a handful of fields, so a hash table would cost more
 * than it saves.
 */
#include <stdlib.h>
#include <string.h>

#include "sou/document.h"
#include "sou/normalize.h"
#include "internal.h"

SOU_API int sou_document_new(sou_document **out, sou_error *err)
{
    if (!out)
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "sou_document_new: out is NULL");
    *out = calloc(1, sizeof **out);
    if (!*out)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory creating a document");
    return SOU_OK;
}

SOU_API void sou_document_free(sou_document *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->nfields; i++) {
        free(doc->fields[i].name);
        free(doc->fields[i].value);
    }
    free(doc->fields);
    free(doc->source);
    free(doc);
}

static sou_field *find_field(const sou_document *doc, const char *name)
{
    for (size_t i = 0; i < doc->nfields; i++)
        if (strcmp(doc->fields[i].name, name) == 0)
            return &doc->fields[i];
    return NULL;
}

static char *copy_bytes(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (p) {
        if (len)
            memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

/* Replaces control characters in the valid UTF-8 s[0..len) by spaces. */
static void blank_controls(char *s, size_t len)
{
    unsigned char *u = (unsigned char *)s;
    for (size_t i = 0; i < len; i++) {
        if ((u[i] < 0x20 && u[i] != '\t' && u[i] != '\n') || u[i] == 0x7F)
            u[i] = ' ';
        else if (u[i] == 0xC2 && i + 1 < len && u[i + 1] >= 0x80 && u[i + 1] <= 0x9F)
            u[i] = u[i + 1] = ' '; /* C1: U+0080..U+009F */
    }
}

static int set_field(sou_document *doc, const char *name, const char *value, size_t len, int blank,
                     sou_error *err)
{
    if (!doc || !name || !*name || (!value && len))
        return sou_error_set(err, SOU_ERR_INVALID_ARG,
                             "sou_document_set: NULL document, empty name or NULL value");
    size_t bad = 0;
    if (!sou_utf8_valid(value, len, &bad))
        return sou_error_set(err, SOU_ERR_UTF8, "field \"%s\": invalid UTF-8 at byte %zu", name,
                             bad);
    /* Copy first, so a failed call leaves the document as it was. */
    char *copy = copy_bytes(value, len);
    if (!copy)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory setting field \"%s\"", name);
    if (blank)
        blank_controls(copy, len);
    sou_field *f = find_field(doc, name);
    if (f) {
        free(f->value);
        f->value = copy;
        f->len = len;
        return SOU_OK;
    }
    if (doc->nfields == SOU_FIELDS_MAX) {
        free(copy);
        return sou_error_set(err, SOU_ERR_DOC, "more than %d fields", SOU_FIELDS_MAX);
    }
    if (doc->nfields == doc->cap) {
        size_t cap = doc->cap ? doc->cap * 2 : 8;
        sou_field *fields = realloc(doc->fields, cap * sizeof *fields);
        if (!fields) {
            free(copy);
            return sou_error_set(err, SOU_ERR_NOMEM, "out of memory setting field \"%s\"", name);
        }
        doc->fields = fields;
        doc->cap = cap;
    }
    char *name_copy = copy_bytes(name, strlen(name));
    if (!name_copy) {
        free(copy);
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory setting field \"%s\"", name);
    }
    doc->fields[doc->nfields++] = (sou_field){.name = name_copy, .value = copy, .len = len};
    return SOU_OK;
}

SOU_API int sou_document_set(sou_document *doc, const char *name, const char *value, size_t len,
                             sou_error *err)
{
    return set_field(doc, name, value, len, 0, err);
}

SOU_API int sou_document_set_text(sou_document *doc, const char *name, const char *value,
                                  size_t len, sou_error *err)
{
    return set_field(doc, name, value, len, 1, err);
}

SOU_API const char *sou_document_get(const sou_document *doc, const char *name, size_t *len)
{
    const sou_field *f = (doc && name) ? find_field(doc, name) : NULL;
    if (len)
        *len = f ? f->len : 0;
    return f ? f->value : NULL;
}

SOU_API int sou_document_set_source(sou_document *doc, const char *path, unsigned long line,
                                    sou_error *err)
{
    if (!doc)
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "sou_document_set_source: doc is NULL");
    char *copy = NULL;
    if (path && !(copy = copy_bytes(path, strlen(path))))
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory recording a document's source");
    free(doc->source);
    doc->source = copy;
    doc->line = line;
    return SOU_OK;
}
