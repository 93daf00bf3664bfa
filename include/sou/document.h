/*
 * document.h - a document as read from the corpus: named UTF-8 string
 * fields, plus where it came from for error messages.
 *
 * Field names used by Sou: id, title, body, lang, type, date, url. Any other
 * string field is stored and returned with results.
 */
#ifndef SOU_DOCUMENT_H
#define SOU_DOCUMENT_H

#include <stddef.h>

#include "sou/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sou_field {
    char *name;  /* owned by the document, NUL-terminated */
    char *value; /* owned by the document, NUL-terminated, valid UTF-8 */
    size_t len;  /* bytes in value, excluding the NUL */
} sou_field;

typedef struct sou_document {
    sou_field *fields; /* in insertion order; names are unique */
    size_t nfields;
    size_t cap;
    char *source;       /* file the document came from (owned), or NULL */
    unsigned long line; /* line in source (1-based), 0 for a whole file */
} sou_document;

/* At most this many fields a document: fields are found by a linear scan,
 * so an object with 100000 keys would take quadratic time to read. */
#define SOU_FIELDS_MAX 1000

/* A new empty document; *out is owned: sou_document_free(). */
int sou_document_new(sou_document **out, sou_error *err);
void sou_document_free(sou_document *doc);

/* Sets field name to a copy of value[0..len), replacing an earlier value of
 * the same name. value must be valid UTF-8: SOU_ERR_UTF8 otherwise; a new
 * field beyond SOU_FIELDS_MAX is SOU_ERR_DOC.
 * Returns SOU_OK, SOU_ERR_UTF8, SOU_ERR_DOC, SOU_ERR_NOMEM or
 * SOU_ERR_INVALID_ARG. */
int sou_document_set(sou_document *doc, const char *name, const char *value, size_t len,
                     sou_error *err);

/* The same, but each control character in the copy (C0 other than TAB and
 * LF, DEL, C1) becomes spaces of the same byte length, so that text read
 * from files cannot move a terminal's cursor or change its colours when
 * shown, and byte offsets into it stay those of the input. */
int sou_document_set_text(sou_document *doc, const char *name, const char *value, size_t len,
                          sou_error *err);

/* The value of field name, or NULL if absent. Borrowed: valid until the
 * field is set again or the document is freed. *len may be NULL. */
const char *sou_document_get(const sou_document *doc, const char *name, size_t *len);

/* Records where the document came from (path is copied). */
int sou_document_set_source(sou_document *doc, const char *path, unsigned long line,
                            sou_error *err);

#ifdef __cplusplus
}
#endif

#endif
