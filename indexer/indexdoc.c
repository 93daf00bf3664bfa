/*
 * indexdoc.c - one document into a writable database; see indexdoc.h.
 */
#include <stdio.h>
#include <string.h>

#include "sou/docbuild.h"
#include "sou/layout.h"

#include "indexdoc.h"

uint32_t id_hash(const char *id, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; id && i < len; i++) {
        h ^= (unsigned char)id[i];
        h *= 16777619u;
    }
    return h;
}

uint32_t document_hash(const sou_document *d)
{
    size_t len = 0;
    const char *id = sou_document_get(d, "id", &len);
    return id_hash(id, len);
}

int index_document(sou_analyzer *a, sou_wdb *wdb, const sou_document *d, sou_error *err)
{
    char id_term[SOU_ID_MAX + 2];
    sou_doc *doc = NULL;
    int rc = sou_doc_build(a, d, &doc, id_term, err);
    if (rc == SOU_OK)
        rc = sou_wdb_replace_document(wdb, id_term, strlen(id_term), doc, NULL, err);
    sou_doc_free(doc);
    return rc;
}

void locate_error(sou_error *err, const sou_document *d)
{
    char msg[SOU_ERROR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", err->msg);
    if (d->line)
        sou_error_set(err, err->code, "%s:%lu: %s", d->source, d->line, msg);
    else
        sou_error_set(err, err->code, "%s: %s", d->source, msg);
}

int is_document_error(int code)
{
    return code == SOU_ERR_DOC || code == SOU_ERR_UTF8 || code == SOU_ERR_JSON ||
           code == SOU_ERR_IO;
}
