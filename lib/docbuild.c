/*
 * docbuild.c - builds Xapian documents from corpus documents, as laid out
 * in include/sou/layout.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sou/docbuild.h"
#include "sou/layout.h"
#include "internal.h"

/* State shared by the token callback while one field is analyzed. */
struct field_sink {
    sou_doc *doc;
    uint32_t pos_base; /* added to the analyzer's positions */
    uint32_t last_pos;
    uint32_t wdf;
    sou_error *err;
    char term[SOU_TERM_MAX + 1];
};

static int add_token(void *ctx, int flags, const char *term, size_t term_len, size_t start,
                     size_t end, uint32_t pos)
{
    struct field_sink *s = ctx;
    (void)start;
    (void)end;
    s->last_pos = s->pos_base + pos;
    if (flags & SOU_TOK_TOO_LONG)
        return 0;
    if (flags & SOU_TOK_STEM) {
        size_t plen = sizeof SOU_PREFIX_STEM - 1;
        memcpy(s->term, SOU_PREFIX_STEM, plen);
        memcpy(s->term + plen, term, term_len);
        return sou_doc_add_term(s->doc, s->term, plen + term_len, s->wdf, s->err);
    }
    return sou_doc_add_posting(s->doc, term, term_len, s->pos_base + pos, s->wdf, s->err);
}

/* A failing sou_doc_* call stops the analysis with its own status and
 * message, which sou_analyze passes back unchanged. */
static int index_field(sou_analyzer *a, struct field_sink *s, const char *text, size_t len)
{
    return sou_analyze(a, SOU_MODE_DOCUMENT, text, len, s, add_token, s->err);
}

static int add_prefixed(sou_doc *doc, const char *prefix, const char *value, size_t len,
                        sou_error *err)
{
    char term[SOU_TERM_MAX + 1];
    size_t plen = strlen(prefix);
    if (plen + len > SOU_TERM_MAX)
        return sou_error_set(err, SOU_ERR_DOC, "%s value too long (%zu bytes)", prefix, len);
    memcpy(term, prefix, plen);
    memcpy(term + plen, value, len);
    return sou_doc_add_boolean_term(doc, term, plen + len, err);
}

/* Filter values (type, lang) are matched case-insensitively: lower-case
 * ASCII, keep the rest as written. */
static int add_filter(sou_doc *doc, const char *prefix, const char *value, size_t len,
                      sou_error *err)
{
    char buf[SOU_TERM_MAX + 1];
    if (len > SOU_TERM_MAX)
        return sou_error_set(err, SOU_ERR_DOC, "%s value too long (%zu bytes)", prefix, len);
    for (size_t i = 0; i < len; i++)
        buf[i] = (value[i] >= 'A' && value[i] <= 'Z') ? (char)(value[i] + 32) : value[i];
    return add_prefixed(doc, prefix, buf, len, err);
}

static int is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return 0;
    return 1;
}

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

SOU_API int sou_date_key(const char *s, size_t len, int upper, char out[9])
{
    const char *fill = upper ? "99" : "00";
    if (!(len == 4 || len == 7 || len == 10) || !digits(s, 4))
        return -1;
    memcpy(out, s, 4);
    memcpy(out + 4, fill, 2);
    memcpy(out + 6, fill, 2);
    out[8] = '\0';
    if (len >= 7) {
        if (s[4] != '-' || !digits(s + 5, 2))
            return -1;
        int month = (s[5] - '0') * 10 + (s[6] - '0');
        if (month < 1 || month > 12)
            return -1;
        memcpy(out + 4, s + 5, 2);
    }
    if (len == 10) {
        if (s[7] != '-' || !digits(s + 8, 2))
            return -1;
        int day = (s[8] - '0') * 10 + (s[9] - '0');
        if (day < 1 || day > 31)
            return -1;
        memcpy(out + 6, s + 8, 2);
    }
    return 0;
}

static int set_stored_data(sou_doc *doc, const sou_document *d, sou_error *err)
{
    json_t *obj = json_object();
    if (!obj)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory storing fields");
    for (size_t i = 0; i < d->nfields; i++) {
        json_t *v = json_stringn(d->fields[i].value, d->fields[i].len);
        if (!v || json_object_set_new(obj, d->fields[i].name, v) != 0) {
            json_decref(obj);
            return sou_error_set(err, SOU_ERR_NOMEM, "out of memory storing fields");
        }
    }
    char *text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(obj);
    if (!text)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory storing fields");
    int rc = sou_doc_set_data(doc, text, strlen(text), err);
    free(text);
    return rc;
}

SOU_API int sou_doc_build(sou_analyzer *a, const sou_document *d, sou_doc **out, char *id_term,
                          sou_error *err)
{
    *out = NULL;
    size_t id_len = 0, title_len = 0, body_len = 0, len = 0;
    const char *id = sou_document_get(d, "id", &id_len);
    const char *title = sou_document_get(d, "title", &title_len);
    const char *body = sou_document_get(d, "body", &body_len);
    if (!id || id_len == 0)
        return sou_error_set(err, SOU_ERR_DOC, "document has no id");
    if (id_len > SOU_ID_MAX)
        return sou_error_set(err, SOU_ERR_DOC, "id longer than %d bytes", SOU_ID_MAX);
    if ((!title || is_blank(title, title_len)) && (!body || is_blank(body, body_len)))
        return sou_error_set(err, SOU_ERR_DOC, "empty document (no title or body text)");

    char datekey[9] = "";
    const char *date = sou_document_get(d, "date", &len);
    if (date && len > 0 && sou_date_key(date, len, 0, datekey) != 0)
        return sou_error_set(err, SOU_ERR_DOC, "invalid date \"%.*s\" (want YYYY[-MM[-DD]])",
                             (int)(len > 40 ? 40 : len), date);

    sou_doc *doc = NULL;
    int rc = sou_doc_new(&doc, err);
    if (rc != SOU_OK)
        return rc;
    struct field_sink sink = {.doc = doc, .pos_base = 0, .wdf = SOU_WDF_TITLE, .err = err};
    if (title)
        rc = index_field(a, &sink, title, title_len);
    if (rc == SOU_OK && body) {
        sink.pos_base = sink.last_pos + SOU_POS_GAP;
        sink.wdf = 1;
        rc = index_field(a, &sink, body, body_len);
    }
    if (rc == SOU_OK)
        rc = add_prefixed(doc, SOU_PREFIX_ID, id, id_len, err);
    const char *v = sou_document_get(d, "type", &len);
    if (rc == SOU_OK && v && len > 0)
        rc = add_filter(doc, SOU_PREFIX_TYPE, v, len, err);
    v = sou_document_get(d, "lang", &len);
    if (rc == SOU_OK && v && len > 0)
        rc = add_filter(doc, SOU_PREFIX_LANG, v, len, err);
    if (rc == SOU_OK && datekey[0])
        rc = sou_doc_add_value(doc, SOU_SLOT_DATE, datekey, 8, err);
    if (rc == SOU_OK)
        rc = set_stored_data(doc, d, err);
    if (rc != SOU_OK) {
        sou_doc_free(doc);
        return rc;
    }
    memcpy(id_term, SOU_PREFIX_ID, sizeof SOU_PREFIX_ID - 1);
    memcpy(id_term + sizeof SOU_PREFIX_ID - 1, id, id_len);
    id_term[sizeof SOU_PREFIX_ID - 1 + id_len] = '\0';
    *out = doc;
    return SOU_OK;
}

SOU_API char *sou_analysis_settings(const sou_analyzer *a)
{
    char buf[256];
    snprintf(buf, sizeof buf,
             "{\"version\":%d,\"segmenter\":\"icu-word\",\"icu\":\"%s\",\"stemmer\":\"english\"}",
             SOU_ANALYSIS_VERSION, sou_analyzer_icu_version(a));
    return strdup(buf);
}
