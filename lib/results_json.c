/*
 * results_json.c - search results as JSON (the shape is documented in
 * include/sou/search.h), written with jansson so the output is always valid.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sou/search.h"
#include "internal.h"
#include "strlist_json.h"

/* Code points in s[0..n): JSON readers index strings by character. */
static size_t chars_in(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

static json_t *highlights(const sou_snippet *sn)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < sn->nspans; i++) {
        size_t start = chars_in(sn->text, sn->spans[i].start);
        size_t end =
            start + chars_in(sn->text + sn->spans[i].start, sn->spans[i].end - sn->spans[i].start);
        if (json_array_append_new(a, json_pack("[II]", (json_int_t)start, (json_int_t)end)) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *result_json(const sou_result *res)
{
    /* The fields shown are the stored ones but the body, which the
     * snippet stands for: a shallow copy, as the results keep theirs. */
    json_t *parsed = sou_result_fields(res), *stored = json_object();
    if (parsed && stored)
        json_object_update(stored, parsed);
    json_decref(parsed);
    json_t *id = json_incref(json_object_get(stored, "id"));
    json_t *title = json_incref(json_object_get(stored, "title"));
    json_object_del(stored, "body");
    json_t *o = json_pack(
        "{s:I, s:o, s:o, s:f, s:i, s:s%, s:b, s:b, s:o, s:o}", "rank", (json_int_t)res->rank, "id",
        id ? id : json_string(""), "title", title ? title : json_string(""), "score", res->score,
        "percent", res->percent, "snippet", res->snippet.text ? res->snippet.text : "",
        res->snippet.len, "snippet_cut_before", res->snippet.cut_before, "snippet_cut_after",
        res->snippet.cut_after, "highlights", highlights(&res->snippet), "fields", stored);
    return o;
}

static json_t *sense_json(const sou_sense *s)
{
    char *text = sou_sense_to_json(s);
    json_t *o = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    return o;
}

static json_t *expansions_json(const sou_parsed_query *pq)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < pq->nexpansions; i++) {
        const sou_expansion *e = &pq->expansions[i];
        json_t *senses = json_array();
        for (size_t k = 0; senses && k < e->senses.n; k++)
            json_array_append_new(senses, sense_json(&e->senses.v[k]));
        json_array_append_new(a, json_pack("{s:s, s:o}", "from", e->from, "senses", senses));
    }
    return a;
}

SOU_API int sou_facet_filter(const sou_facet *f, const char *value, char *out, size_t cap)
{
    /* A city is stored as "zh / en": either name selects it. */
    const char *sep = strstr(value, " / ");
    size_t n = sep ? (size_t)(sep - value) : strlen(value);
    if (n == 0 || memchr(value, '"', n))
        return -1; /* the query language has no escape inside quotes */
    int quote = memchr(value, ' ', n) || memchr(value, '\t', n) || memchr(value, ':', n) ||
                value[0] == '-' || value[0] == '+';
    int w = snprintf(out, cap, "%s:%s%.*s%s", f->filter, quote ? "\"" : "", (int)n, value,
                     quote ? "\"" : "");
    return w >= 0 && (size_t)w < cap ? 0 : -1;
}

static json_t *facets_json(const sou_results *r)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < r->nfacets; i++) {
        const sou_facet *f = &r->facets[i];
        json_t *a = json_array();
        for (size_t k = 0; a && k < f->n; k++) {
            char filter[512];
            if (sou_facet_filter(f, f->v[k].value, filter, sizeof filter) != 0)
                continue;
            json_array_append_new(a, json_pack("{s:s, s:I, s:s}", "value", f->v[k].value, "count",
                                               (json_int_t)f->v[k].count, "filter", filter));
        }
        json_object_set_new(o, f->name, a);
    }
    return o;
}

SOU_API char *sou_results_json(const sou_results *r, const char *query, size_t len, uint32_t offset,
                               int pretty)
{
    json_t *results = json_array();
    for (size_t i = 0; results && i < r->n; i++)
        json_array_append_new(results, result_json(&r->v[i]));
    json_t *o =
        json_pack("{s:s%, s:o, s:o, s:I, s:I, s:o}", "query", query, len, "tokens",
                  sou_strlist_json(&r->pq.tokens), "expansions", expansions_json(&r->pq), "total",
                  (json_int_t)r->estimated, "offset", (json_int_t)offset, "results", results);
    if (!o)
        return NULL;
    if (r->nfacets > 0) {
        json_object_set_new(o, "facets", facets_json(r));
        json_object_set_new(o, "facets_counted", json_integer((json_int_t)r->counted));
        json_object_set_new(o, "facets_exact", json_boolean(sou_results_facets_exact(r)));
    }
    if (r->warnings.n > 0)
        json_object_set_new(o, "warnings", sou_strlist_json(&r->warnings));
    json_object_set_new(o, "time_ms", json_real(r->seconds * 1000.0));
    char *text = json_dumps(o, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
    json_decref(o);
    return text;
}
