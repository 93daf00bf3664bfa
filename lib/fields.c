/*
 * fields.c - the filter fields table and filter terms (lib/fields.h).
 */
#include <string.h>

#include "sou/layout.h"
#include "sou/xapian.h"
#include "fields.h"

/* Keep in step with the filter prefixes in include/sou/layout.h. */
const struct sou_filter_field sou_filter_fields[] = {
    {"type", SOU_PREFIX_TYPE, {"type", NULL}, 0, 0},
    {"lang", SOU_PREFIX_LANG, {"lang", NULL}, 1, 0},
    {"id", SOU_PREFIX_ID, {NULL}, 0, 1},
    {"city", SOU_PREFIX_CITY, {"city_zh", "city_en", "city", NULL}, 0, 0},
    {"priority", SOU_PREFIX_PRIORITY, {"priority_zh", "priority_en", "priority", NULL}, 0, 0},
    {"acronym", SOU_PREFIX_ACRONYM, {"acronym", NULL}, 0, 0},
    {"forum", SOU_PREFIX_FORUM, {"fora", NULL}, 1, 0},
    /* Filled from the date by lib/docbuild.c: the month a document starts. */
    {"month", SOU_PREFIX_MONTH, {NULL}, 0, 1},
};
const size_t sou_filter_field_count = sizeof sou_filter_fields / sizeof sou_filter_fields[0];

const struct sou_filter_field *sou_filter_field_named(const char *name, size_t len)
{
    for (size_t i = 0; i < sou_filter_field_count; i++)
        if (strlen(sou_filter_fields[i].name) == len &&
            memcmp(sou_filter_fields[i].name, name, len) == 0)
            return &sou_filter_fields[i];
    return NULL;
}

int sou_filter_term(const struct sou_filter_field *f, sou_normbuf *nb, const char *value,
                    size_t len, char *term, size_t *term_len, sou_error *err)
{
    while (len > 0 && (*value == ' ' || *value == '\t')) {
        value++;
        len--;
    }
    while (len > 0 && (value[len - 1] == ' ' || value[len - 1] == '\t'))
        len--;
    const char *v = value;
    size_t vlen = len;
    if (!f->exact) {
        int rc = sou_normalize(nb, value, len, &v, &vlen, err);
        if (rc != SOU_OK)
            return rc;
    }
    size_t plen = strlen(f->prefix);
    if (vlen == 0 || plen + vlen > SOU_TERM_MAX)
        return sou_error_set(err, SOU_ERR_DOC, "%s value is empty or too long", f->name);
    memcpy(term, f->prefix, plen);
    memcpy(term + plen, v, vlen);
    term[plen + vlen] = '\0';
    *term_len = plen + vlen;
    return SOU_OK;
}
