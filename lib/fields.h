/*
 * fields.h - the filter fields: which document fields fill which boolean
 * term prefix, and which query syntax (name:value) searches it. Shared by
 * lib/docbuild.c (writing) and lib/qparse.c (reading); the prefixes are
 * described in include/sou/layout.h. Internal to libsou.
 */
#ifndef SOU_LIB_FIELDS_H
#define SOU_LIB_FIELDS_H

#include <stddef.h>

#include "sou/normalize.h"
#include "sou/status.h"

struct sou_filter_field {
    const char *name;          /* as typed in queries: city:廣州 */
    const char *prefix;        /* term prefix, layout.h */
    const char *doc_fields[4]; /* document fields that fill it (NULL-ended) */
    int split;                 /* a field value is a comma-separated list */
    int exact;                 /* compared byte for byte, not normalized */
};

extern const struct sou_filter_field sou_filter_fields[];
extern const size_t sou_filter_field_count;

/* The filter field called name[0..len), or NULL. */
const struct sou_filter_field *sou_filter_field_named(const char *name, size_t len);

/* Makes the filter term for value[0..len) of field f into term (capacity
 * SOU_TERM_MAX + 1): the prefix, then the value normalized as terms are
 * (normalize.h) unless the field is exact. Returns SOU_OK, SOU_ERR_DOC (the
 * value is empty or too long), SOU_ERR_UTF8 or SOU_ERR_NOMEM. */
int sou_filter_term(const struct sou_filter_field *f, sou_normbuf *nb, const char *value,
                    size_t len, char *term, size_t *term_len, sou_error *err);

#endif
