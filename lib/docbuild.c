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
#include "fields.h"
#include "fold.h"
#include "internal.h"
#include "utf8.h"

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

/* The start and end keys of the document's span (layout.h): date, and
 * end_date or the date's own last day. */
static int date_keys(const sou_document *d, char keys[2][9], sou_error *err)
{
    size_t len = 0, end_len = 0;
    const char *date = sou_document_get(d, "date", &len);
    const char *end = sou_document_get(d, "end_date", &end_len);
    /* A bad value is quoted cut to 40 bytes, at a character so that the
     * message stays valid UTF-8. */
    if (date && len > 0 && sou_date_key(date, len, 0, keys[0]) != 0)
        return sou_error_set(err, SOU_ERR_DOC, "invalid date \"%.*s\" (want YYYY[-MM[-DD]])",
                             (int)sou_utf8_cut(date, len, 40), date);
    if (end && end_len > 0 && sou_date_key(end, end_len, 1, keys[1]) != 0)
        return sou_error_set(err, SOU_ERR_DOC, "invalid end_date \"%.*s\" (want YYYY[-MM[-DD]])",
                             (int)sou_utf8_cut(end, end_len, 40), end);
    if (keys[1][0] && !keys[0][0])
        return sou_error_set(err, SOU_ERR_DOC, "end_date without a date");
    if (keys[0][0] && !keys[1][0])
        sou_date_key(date, len, 1, keys[1]);
    if (keys[0][0] && strcmp(keys[1], keys[0]) < 0)
        return sou_error_set(err, SOU_ERR_DOC, "end_date is before date");
    return SOU_OK;
}

static int add_filter_value(sou_doc *doc, const struct sou_filter_field *f, sou_normbuf *nb,
                            const char *v, size_t len, sou_error *err)
{
    char term[SOU_TERM_MAX + 1];
    size_t tlen = 0;
    int rc = sou_filter_term(f, nb, v, len, term, &tlen, err);
    if (rc == SOU_ERR_DOC)
        return SOU_OK; /* an empty list item, or a value too long to filter by */
    if (rc == SOU_OK)
        rc = sou_doc_add_boolean_term(doc, term, tlen, err);
    /* lang:zh also finds zh-Hant: index the primary subtag too. */
    const char *dash = rc == SOU_OK ? memchr(term, '-', tlen) : NULL;
    if (dash && strcmp(f->prefix, SOU_PREFIX_LANG) == 0)
        rc = sou_doc_add_boolean_term(doc, term, (size_t)(dash - term), err);
    return rc;
}

/* Filter terms for every filter field (lib/fields.c) the document fills. */
static int add_filters(sou_doc *doc, const sou_document *d, sou_error *err)
{
    sou_normbuf nb;
    sou_normbuf_init(&nb);
    int rc = SOU_OK;
    for (size_t i = 0; rc == SOU_OK && i < sou_filter_field_count; i++) {
        const struct sou_filter_field *f = &sou_filter_fields[i];
        for (size_t k = 0; rc == SOU_OK && f->doc_fields[k]; k++) {
            size_t len = 0;
            const char *v = sou_document_get(d, f->doc_fields[k], &len);
            while (rc == SOU_OK && v && len > 0) {
                const char *comma = f->split ? memchr(v, ',', len) : NULL;
                size_t n = comma ? (size_t)(comma - v) : len;
                rc = add_filter_value(doc, f, &nb, v, n, err);
                v = comma ? comma + 1 : NULL;
                len = comma ? len - n - 1 : 0;
            }
        }
    }
    sou_normbuf_release(&nb);
    return rc;
}

static int add_value_str(sou_doc *doc, unsigned slot, const char *v, size_t len, sou_error *err)
{
    return len > 0 ? sou_doc_add_value(doc, slot, v, len, err) : SOU_OK;
}

/* Value slots (layout.h): the date span for ranges, and facets. */
static int add_values(sou_doc *doc, const sou_document *d, char keys[2][9], sou_error *err)
{
    int rc = SOU_OK;
    if (keys[0][0]) {
        rc = sou_doc_add_value(doc, SOU_SLOT_DATE, keys[0], 8, err);
        if (rc == SOU_OK)
            rc = sou_doc_add_value(doc, SOU_SLOT_END_DATE, keys[1], 8, err);
        /* A month is known when the key's month is not "00". */
        if (rc == SOU_OK && memcmp(keys[0] + 4, "00", 2) != 0) {
            char month[8] = {keys[0][0], keys[0][1], keys[0][2], keys[0][3],
                             '-',        keys[0][4], keys[0][5], '\0'};
            rc = sou_doc_add_value(doc, SOU_SLOT_MONTH, month, 7, err);
            if (rc == SOU_OK)
                rc = add_prefixed(doc, SOU_PREFIX_MONTH, month, 7, err);
        }
    }
    size_t len = 0;
    const char *type = sou_document_get(d, "type", &len);
    if (rc == SOU_OK && type)
        rc = add_value_str(doc, SOU_SLOT_TYPE, type, len, err);
    size_t zlen = 0, elen = 0;
    const char *zh = sou_document_get(d, "city_zh", &zlen);
    const char *en = sou_document_get(d, "city_en", &elen);
    if (!zh && !en)
        zh = sou_document_get(d, "city", &zlen);
    if (rc == SOU_OK && (zh || en)) {
        char city[256];
        int n = snprintf(city, sizeof city, "%.*s%s%.*s", (int)(zh ? zlen : 0), zh ? zh : "",
                         zh && en ? " / " : "", (int)(en ? elen : 0), en ? en : "");
        if (n > 0 && (size_t)n < sizeof city)
            rc = add_value_str(doc, SOU_SLOT_CITY, city, (size_t)n, err);
    }
    return rc;
}

/* The fields but the body as a JSON object, then the body after a NUL
 * (layout.h): a search reads the few short fields it shows without
 * parsing the body, the bulk of the bytes, and takes the body as it is. */
static int set_stored_data(sou_doc *doc, const sou_document *d, sou_error *err)
{
    const char *body = NULL;
    size_t body_len = 0;
    json_t *obj = json_object();
    if (!obj)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory storing fields");
    for (size_t i = 0; i < d->nfields; i++) {
        if (strcmp(d->fields[i].name, "body") == 0) {
            body = d->fields[i].value;
            body_len = d->fields[i].len;
            continue;
        }
        json_t *v = json_stringn(d->fields[i].value, d->fields[i].len);
        if (!v || json_object_set_new(obj, d->fields[i].name, v) != 0) {
            json_decref(obj);
            return sou_error_set(err, SOU_ERR_NOMEM, "out of memory storing fields");
        }
    }
    char *text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(obj);
    size_t text_len = text ? strlen(text) : 0;
    size_t len = text_len + (body ? 1 + body_len : 0);
    /* The body goes after the text's own terminating NUL. */
    char *data = text && body ? realloc(text, len) : text;
    if (!data) {
        free(text);
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory storing fields");
    }
    if (body)
        memcpy(data + text_len + 1, body, body_len);
    int rc = sou_doc_set_data(doc, data, len, err);
    free(data);
    return rc;
}

SOU_API int sou_doc_check(const sou_document *d, sou_error *err)
{
    size_t id_len = 0, title_len = 0, body_len = 0;
    const char *id = sou_document_get(d, "id", &id_len);
    const char *title = sou_document_get(d, "title", &title_len);
    const char *body = sou_document_get(d, "body", &body_len);
    if (!id || id_len == 0)
        return sou_error_set(err, SOU_ERR_DOC, "document has no id");
    if (id_len > SOU_ID_MAX)
        return sou_error_set(err, SOU_ERR_DOC, "id longer than %d bytes", SOU_ID_MAX);
    if ((!title || is_blank(title, title_len)) && (!body || is_blank(body, body_len)))
        return sou_error_set(err, SOU_ERR_DOC, "empty document (no title or body text)");
    char datekey[2][9] = {"", ""};
    return date_keys(d, datekey, err);
}

SOU_API int sou_doc_build(sou_analyzer *a, const sou_document *d, sou_doc **out, char *id_term,
                          sou_error *err)
{
    *out = NULL;
    int rc = sou_doc_check(d, err);
    if (rc != SOU_OK)
        return rc;
    size_t id_len = 0, title_len = 0, body_len = 0;
    const char *id = sou_document_get(d, "id", &id_len);
    const char *title = sou_document_get(d, "title", &title_len);
    const char *body = sou_document_get(d, "body", &body_len);
    char datekey[2][9] = {"", ""};
    rc = date_keys(d, datekey, err);
    if (rc != SOU_OK)
        return rc;

    sou_doc *doc = NULL;
    rc = sou_doc_new(&doc, err);
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
    if (rc == SOU_OK)
        rc = add_filters(doc, d, err);
    if (rc == SOU_OK)
        rc = add_values(doc, d, datekey, err);
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
    char buf[512];
    snprintf(buf, sizeof buf,
             "{\"version\":%d,\"mode\":\"%s\",\"segmenter\":\"icu-word\",\"icu\":\"%s\","
             "\"lexicon\":\"%s\",\"user_lexicon\":\"%s\",\"stemmer\":\"english\","
             "\"fold\":\"hant-hans icu %s\"}",
             SOU_ANALYSIS_VERSION, sou_analyzer_mode(a), sou_analyzer_icu_version(a),
             sou_analyzer_lexicon_digest(a), sou_analyzer_user_lexicon_digest(a),
             sou_fold_icu_version());
    return strdup(buf);
}
