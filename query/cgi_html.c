/*
 * cgi_html.c - sou.cgi's HTML page (cgi_render.h): the search form, the
 * result count, expansions, facets, results with highlighted snippets,
 * pagination and the suggestions shown when nothing matched. No
 * JavaScript. Every string from the request or the index goes through
 * html_escape() or url_encode() (cgi_escape.h); the rest is literal markup.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "sou/normalize.h"
#include "cgi_render.h"

#define SEP " · "

/* The page's only styling, inline since the Content-Security-Policy allows
 * no other source; one rule per line. */
static const char style[] =
    "body{font-family:system-ui,\"Noto Sans TC\",\"PingFang TC\",\"Microsoft JhengHei\","
    "sans-serif;margin:0 auto;max-width:60em;padding:0 1em 2em;line-height:1.6;color:#222}\n"
    "header{display:flex;flex-wrap:wrap;align-items:center;gap:.5em 1em;padding:1em 0;"
    "border-bottom:1px solid #ddd}\n"
    "h1{font-size:1.5em;margin:0}\n"
    "h1 a{color:inherit;text-decoration:none}\n"
    "form{display:flex;flex:1;gap:.5em;min-width:16em}\n"
    "input[type=search]{flex:1;font-size:1em;padding:.4em;min-width:0}\n"
    "button{font-size:1em;padding:.4em 1em}\n"
    ".error{color:#a00;font-weight:bold}\n"
    ".warning{color:#850}\n"
    ".count,.meta{color:#666;font-size:.9em}\n"
    ".expansions,.suggestions{padding-left:1.2em}\n"
    ".main{display:grid;gap:0 2em}\n"
    "@media (min-width:50em){.main{grid-template-columns:1fr 14em}}\n"
    ".results{padding-left:1.5em}\n"
    ".result{margin:0 0 1.2em}\n"
    ".title{font-size:1.1em;margin:0}\n"
    ".meta,.snippet{margin:.1em 0}\n"
    "mark{background:#fff3a0;color:inherit}\n"
    ".facet h3{font-size:1em;margin:.8em 0 .2em}\n"
    ".facet ul{list-style:none;padding:0;margin:0}\n"
    ".pages{display:flex;gap:1em;margin:1em 0}\n";

/* Bilingual headings for the facets of search.h. */
static const char *facet_heading(const char *name)
{
    if (strcmp(name, "type") == 0)
        return "類型" SEP "Type";
    if (strcmp(name, "city") == 0)
        return "城市" SEP "City";
    if (strcmp(name, "month") == 0)
        return "月份" SEP "Month";
    return name;
}

static void keep_param(struct buf *b, const char *name, unsigned value, int hidden)
{
    if (hidden)
        buf_printf(b, "<input type=\"hidden\" name=\"%s\" value=\"%u\">\n", name, value);
    else
        buf_printf(b, "&amp;%s=%u", name, value);
}

/* The parameters that are not at their defaults, as link parameters
 * ("&amp;n=20") or hidden form inputs, so that they survive a click. */
static void keep_params(struct buf *b, const struct request *req, int hidden)
{
    if (req->n != REQUEST_N_DEFAULT)
        keep_param(b, "n", req->n, hidden);
    if (!req->facets)
        keep_param(b, "facets", 0, hidden);
    if (!req->expand)
        keep_param(b, "expand", 0, hidden);
}

/* href="SCRIPT?q=QUERY[&amp;page=N]..." for q[0..qlen); page 0 leaves out
 * page=. */
static void href(struct buf *b, const struct page *p, const char *q, size_t qlen, unsigned page)
{
    buf_adds(b, " href=\"");
    url_encode_path(b, p->script, strlen(p->script));
    buf_adds(b, "?q=");
    url_encode(b, q, qlen);
    if (page > 0)
        buf_printf(b, "&amp;page=%u", page);
    keep_params(b, p->req, 0);
    buf_addc(b, '"');
}

static void head(struct buf *b, const struct page *p)
{
    buf_adds(b, "<!DOCTYPE html>\n<html lang=\"zh-Hant\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<title>搜 Sou");
    if (p->req->q_len > 0) {
        buf_adds(b, " — ");
        html_escape(b, p->req->q, p->req->q_len);
    }
    buf_printf(b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
}

static void form(struct buf *b, const struct page *p)
{
    buf_adds(b, "<header>\n<h1><a href=\"");
    url_encode_path(b, p->script, strlen(p->script));
    buf_adds(b, "\">搜 Sou</a></h1>\n<form method=\"get\" action=\"");
    url_encode_path(b, p->script, strlen(p->script));
    buf_adds(b, "\" role=\"search\">\n<input type=\"search\" name=\"q\" value=\"");
    html_escape(b, p->req->q, p->req->q_len);
    buf_adds(b, "\" aria-label=\"查詢" SEP "Query\">\n");
    keep_params(b, p->req, 1);
    buf_adds(b, "<button type=\"submit\">搜尋 Search</button>\n</form>\n</header>\n");
}

/* "CTI → 貿易暨投資委員會 · Committee on Trade and Investment", one item
 * per sense, as sou-query prints them: the sense's names other than the
 * text that was expanded, with document counts when a name has several
 * senses. */
static void expansions(struct buf *b, const sou_parsed_query *pq)
{
    if (pq->nexpansions == 0)
        return;
    buf_adds(b, "<ul class=\"expansions\">\n");
    for (size_t i = 0; i < pq->nexpansions; i++) {
        const sou_expansion *e = &pq->expansions[i];
        for (size_t k = 0; k < e->senses.n; k++) {
            const sou_sense *s = &e->senses.v[k];
            const char *names[3] = {s->acronym, s->zh, s->en};
            buf_adds(b, "<li class=\"expansion\">");
            html_escapes(b, e->from);
            buf_adds(b, " →");
            int first = 1;
            for (int n = 0; n < 3; n++)
                if (names[n] && *names[n] && strcmp(names[n], e->from) != 0) {
                    buf_adds(b, first ? " " : SEP);
                    html_escapes(b, names[n]);
                    first = 0;
                }
            if (e->senses.n > 1)
                buf_printf(b, " (%u 篇" SEP "%u document%s)", (unsigned)s->docs, (unsigned)s->docs,
                           s->docs == 1 ? "" : "s");
            buf_adds(b, "</li>\n");
        }
    }
    buf_adds(b, "</ul>\n");
}

/* The query q + " " + filter into out. Returns 0, or -1 if it does not
 * fit. */
static int refine(const struct request *req, const sou_facet *f, const char *value, struct buf *out)
{
    char filter[512];
    if (sou_facet_filter(f, value, filter, sizeof filter) != 0)
        return -1;
    buf_add(out, req->q, req->q_len);
    buf_addc(out, ' ');
    buf_adds(out, filter);
    return out->err ? -1 : 0;
}

static void facets(struct buf *b, const struct page *p)
{
    const sou_results *r = p->results;
    int any = 0;
    for (size_t i = 0; i < r->nfacets; i++)
        any |= r->facets[i].n > 0;
    if (!any)
        return;
    buf_adds(b, "<aside class=\"facets\" aria-label=\"篩選" SEP "Refine\">\n");
    /* The time limit stopped the counting: say what the counts cover. */
    if (!sou_results_facets_exact(r))
        buf_printf(b,
                   "<p class=\"partial\">前 %u 筆的統計" SEP "Counts of the first %u matches</p>\n",
                   (unsigned)r->counted, (unsigned)r->counted);
    for (size_t i = 0; i < r->nfacets; i++) {
        const sou_facet *f = &r->facets[i];
        if (f->n == 0)
            continue;
        buf_printf(b, "<section class=\"facet\">\n<h3>%s</h3>\n<ul>\n", facet_heading(f->name));
        for (size_t k = 0; k < f->n && k < CGI_FACET_VALUES_MAX; k++) {
            struct buf q;
            buf_init(&q, REQUEST_Q_MAX + 1024);
            if (refine(p->req, f, f->v[k].value, &q) == 0) {
                buf_adds(b, "<li><a");
                href(b, p, buf_str(&q), q.len, 0);
                buf_addc(b, '>');
                html_escapes(b, f->v[k].value);
                buf_printf(b, " (%u)</a></li>\n", (unsigned)f->v[k].count);
            } else if (q.err == BUF_ERR_NOMEM) {
                b->err = BUF_ERR_NOMEM;
            }
            buf_release(&q);
        }
        buf_adds(b, "</ul>\n</section>\n");
    }
    buf_adds(b, "</aside>\n");
}

static const char *field(json_t *obj, const char *name, size_t *len)
{
    json_t *v = json_object_get(obj, name);
    *len = json_is_string(v) ? json_string_length(v) : 0;
    return json_is_string(v) ? json_string_value(v) : "";
}

/* Only web links become links: a stored url such as javascript:... is not
 * followed. */
static int is_web_url(const char *url)
{
    return strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0;
}

/* The snippet with its matches in <mark> and "…" where it was cut. */
static void snippet(struct buf *b, const sou_snippet *sn)
{
    if (sn->len == 0)
        return;
    size_t at = 0;
    buf_adds(b, "<p class=\"snippet\">");
    if (sn->cut_before)
        buf_adds(b, "…");
    for (size_t i = 0; i < sn->nspans; i++) {
        /* Touching spans (the words of 貿易暨投資委員會) make one mark. */
        size_t start = sn->spans[i].start, end = sn->spans[i].end;
        while (i + 1 < sn->nspans && sn->spans[i + 1].start == end)
            end = sn->spans[++i].end;
        html_escape(b, sn->text + at, start - at);
        buf_adds(b, "<mark>");
        html_escape(b, sn->text + start, end - start);
        buf_adds(b, "</mark>");
        at = end;
    }
    html_escape(b, sn->text + at, sn->len - at);
    if (sn->cut_after)
        buf_adds(b, "…");
    buf_adds(b, "</p>\n");
}

/* One <li class="result">: the title (a link to the document's url field
 * when it is a web address), "id · date · type", the snippet. */
static void result(struct buf *b, const sou_result *res)
{
    json_t *f = sou_result_fields(res);
    size_t n, dn, en, tn;
    const char *title = field(f, "title", &n);
    const char *url = field(f, "url", &tn);
    buf_adds(b, "<li class=\"result\">\n<h2 class=\"title\">");
    if (is_web_url(url)) {
        buf_adds(b, "<a href=\"");
        html_escape(b, url, tn);
        buf_adds(b, "\">");
    }
    html_escape(b, title, n);
    buf_adds(b, is_web_url(url) ? "</a></h2>\n" : "</h2>\n");

    const char *id = field(f, "id", &n);
    const char *date = field(f, "date", &dn);
    const char *end = field(f, "end_date", &en);
    buf_adds(b, "<p class=\"meta\">");
    html_escape(b, id, n);
    if (dn > 0) {
        buf_adds(b, SEP);
        html_escape(b, date, dn);
        if (en > 0 && (en != dn || memcmp(end, date, dn) != 0)) {
            buf_adds(b, "–");
            html_escape(b, end, en);
        }
    }
    const char *type = field(f, "type", &n);
    if (n > 0) {
        buf_adds(b, SEP);
        html_escape(b, type, n);
    }
    buf_adds(b, "</p>\n");
    snippet(b, &res->snippet);
    buf_adds(b, "</li>\n");
    json_decref(f);
}

/* Links to the previous and next pages that exist; from past the last page
 * (an edited URL), "previous" goes to the last one. */
static void pages(struct buf *b, const struct page *p)
{
    const struct request *req = p->req;
    unsigned long total = p->results->estimated;
    unsigned long last = (total + req->n - 1) / req->n;
    if (last > REQUEST_PAGE_MAX)
        last = REQUEST_PAGE_MAX;
    unsigned prev_page = req->page - 1 < last ? req->page - 1 : (unsigned)last;
    int prev = prev_page >= 1;
    int next = req->page < last;
    if (!prev && !next)
        return;
    buf_adds(b, "<nav class=\"pages\" aria-label=\"頁次" SEP "Pages\">\n");
    if (prev) {
        buf_adds(b, "<a rel=\"prev\"");
        href(b, p, req->q, req->q_len, prev_page);
        buf_adds(b, ">← 上一頁" SEP "Previous</a>\n");
    }
    buf_printf(b, "<span>第 %u 頁" SEP "Page %u</span>\n", req->page, req->page);
    if (next) {
        buf_adds(b, "<a rel=\"next\"");
        href(b, p, req->q, req->q_len, req->page + 1);
        buf_adds(b, ">下一頁" SEP "Next →</a>\n");
    }
    buf_adds(b, "</nav>\n");
}

/* Appends a name to a query as one term: quoted when it has spaces. */
static void add_name(struct buf *q, const char *name)
{
    int quote = strpbrk(name, " \t") != NULL;
    if (q->len > 0)
        buf_adds(q, " OR ");
    if (quote)
        buf_addc(q, '"');
    for (const char *c = name; *c; c++)
        if (*c != '"')
            buf_addc(q, *c);
    if (quote)
        buf_addc(q, '"');
}

/* When nothing matched: a search for the names of each expanded sense
 * (its Chinese and English names, either of which finds the others), and
 * the query in Traditional characters when it has Simplified ones. */
static void suggestions(struct buf *b, const struct page *p)
{
    const sou_parsed_query *pq = &p->results->pq;
    char trad[REQUEST_Q_MAX + 1];
    int has_trad = sou_traditional_form(p->req->q, p->req->q_len, trad) == 1;
    if (pq->nexpansions == 0 && !has_trad)
        return;
    buf_adds(b, "<ul class=\"suggestions\">\n");
    for (size_t i = 0; i < pq->nexpansions; i++)
        for (size_t k = 0; k < pq->expansions[i].senses.n; k++) {
            const sou_sense *s = &pq->expansions[i].senses.v[k];
            const char *names[3] = {s->acronym, s->zh, s->en};
            struct buf q;
            buf_init(&q, REQUEST_Q_MAX);
            /* The full names pick this sense; an acronym may have others. */
            for (int n = 1; n < 3; n++)
                if (names[n] && *names[n])
                    add_name(&q, names[n]);
            if (q.len == 0 && names[0] && *names[0])
                add_name(&q, names[0]);
            if (q.len > 0 && !q.err) {
                buf_adds(b, "<li>試試" SEP "Try: <a");
                href(b, p, buf_str(&q), q.len, 0);
                buf_addc(b, '>');
                for (int n = 0, first = 1; n < 3; n++)
                    if (names[n] && *names[n]) {
                        buf_adds(b, first ? "" : SEP);
                        html_escapes(b, names[n]);
                        first = 0;
                    }
                buf_adds(b, "</a></li>\n");
            } else if (q.err == BUF_ERR_NOMEM) {
                b->err = BUF_ERR_NOMEM;
            }
            buf_release(&q);
        }
    if (has_trad) {
        buf_adds(b, "<li>您是不是要找" SEP "Did you mean: <a");
        href(b, p, trad, p->req->q_len, 0);
        buf_addc(b, '>');
        html_escape(b, trad, p->req->q_len);
        buf_adds(b, "</a></li>\n");
    }
    buf_adds(b, "</ul>\n");
}

static void results(struct buf *b, const struct page *p)
{
    const sou_results *r = p->results;
    if (r->estimated == 0) {
        expansions(b, &r->pq);
        buf_adds(b, "<p class=\"none\">找不到符合的結果" SEP "No results for ");
        html_escape(b, p->req->q, p->req->q_len);
        buf_adds(b, "</p>\n");
        suggestions(b, p);
        return;
    }
    /* Seconds with a fixed number of decimals, so that the length of the
     * page, which a HEAD reports, does not vary with the time taken. */
    buf_printf(b, "<p class=\"count\">約 %u 筆結果" SEP "About %u result%s (%.3f s)</p>\n",
               r->estimated, r->estimated, r->estimated == 1 ? "" : "s", r->seconds);
    for (size_t i = 0; i < r->warnings.n; i++) {
        buf_adds(b, "<p class=\"warning\" role=\"status\">部分結果" SEP);
        html_escapes(b, r->warnings.items[i]);
        buf_adds(b, "</p>\n");
    }
    expansions(b, &r->pq);
    buf_adds(b, "<div class=\"main\">\n");
    if (r->n == 0) {
        buf_adds(b, "<p class=\"none\">此頁沒有結果" SEP "No results on this page</p>\n");
    } else {
        buf_printf(b, "<ol class=\"results\" start=\"%u\">\n", r->v[0].rank);
        for (size_t i = 0; i < r->n; i++)
            result(b, &r->v[i]);
        buf_adds(b, "</ol>\n");
    }
    facets(b, p);
    buf_adds(b, "</div>\n");
    pages(b, p);
}

int html_page(struct buf *b, const struct page *p)
{
    head(b, p);
    form(b, p);
    buf_adds(b, "<main>\n");
    if (p->error) {
        buf_adds(b, "<p class=\"error\" role=\"alert\">");
        if (p->status != 500)
            buf_printf(b, "錯誤" SEP "Error %d: ", p->status);
        html_escapes(b, p->error);
        buf_adds(b, "</p>\n");
    }
    if (p->results)
        results(b, p);
    buf_adds(b, "</main>\n</body>\n</html>\n");
    return b->err;
}
