/*
 * cgi_render.c - runs a sou.cgi request through libsou's search (search.h,
 * as sou-query does) and renders the outcome as the HTML page or the JSON
 * body (cgi_render.h). Every outcome, failures included, ends as a
 * response.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sou/normalize.h"
#include "cgi_render.h"

/* What a 500 says; the detail goes to the server's error log only. */
#define INTERNAL_HTML "系統錯誤，暫時無法搜尋 · Internal error: search is unavailable right now."
#define INTERNAL_JSON "internal error"

/* Logs "sou.cgi: what: detail" as one line on stderr (the server's error
 * log): line breaks in detail become spaces. */
static void log_error(const char *what, const char *detail)
{
    char line[2 * SOU_ERROR_MSG_MAX];
    snprintf(line, sizeof line, "sou.cgi: %s%s%s", what, *detail ? ": " : "", detail);
    for (char *c = line; *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    fprintf(stderr, "%s\n", line);
}

/* libsou cuts an over-long message at a byte count, maybe inside a UTF-8
 * sequence: keeps the valid start of msg so it can go into JSON. */
static void valid_prefix(char *msg)
{
    size_t bad = 0;
    if (!sou_utf8_valid(msg, strlen(msg), &bad))
        msg[bad] = '\0';
}

/* Renders an error body for status with message msg (for a 500, the
 * generic one). */
static void render_error(struct response *resp, const struct request *req, const char *script,
                         int status, const char *msg)
{
    resp->status = status;
    buf_release(&resp->body);
    if (resp->format == FORMAT_JSON) {
        json_t *o =
            json_pack("{s:s, s:i}", "error", status == 500 ? INTERNAL_JSON : msg, "status", status);
        char *text = o ? json_dumps(o, JSON_PRESERVE_ORDER) : NULL;
        if (text) {
            buf_adds(&resp->body, text);
            buf_addc(&resp->body, '\n');
        } else {
            resp->body.err = BUF_ERR_NOMEM;
        }
        free(text);
        json_decref(o);
        return;
    }
    struct page p = {.req = req,
                     .script = script,
                     .status = status,
                     .error = status == 500 ? INTERNAL_HTML : msg,
                     .results = NULL};
    html_page(&resp->body, &p);
}

/* A 500 for a failure described by what and detail. */
static void internal_error(struct response *resp, const struct request *req, const char *script,
                           const char *what, const char *detail)
{
    log_error(what, detail);
    render_error(resp, req, script, 500, NULL);
}

static int is_query_error(int rc)
{
    return rc == SOU_ERR_QUERY_SYNTAX || rc == SOU_ERR_EMPTY_QUERY || rc == SOU_ERR_UTF8;
}

static void render_results(struct response *resp, const struct request *req, const char *script,
                           const sou_results *r, uint32_t offset)
{
    if (req->format == FORMAT_JSON) {
        char *text = sou_results_json(r, req->q, req->q_len, offset, 1);
        if (!text) {
            resp->body.err = BUF_ERR_NOMEM;
            return;
        }
        buf_adds(&resp->body, text);
        buf_addc(&resp->body, '\n');
        free(text);
        return;
    }
    struct page p = {.req = req, .script = script, .status = 200, .error = NULL, .results = r};
    html_page(&resp->body, &p);
}

/* Which shards failed, and where they live, is for the site's log, not
 * for its visitors: the answer only says it is partial. */
static int hide_shards(sou_results *r, sou_error *err)
{
    if (r->warnings.n == 0)
        return SOU_OK;
    for (size_t i = 0; i < r->warnings.n; i++)
        fprintf(stderr, "sou.cgi: partial results; left out %s\n", r->warnings.items[i]);
    char msg[128];
    snprintf(msg, sizeof msg, "%zu shard%s of the index did not answer; the results are partial",
             r->warnings.n, r->warnings.n == 1 ? "" : "s");
    sou_strlist_release(&r->warnings);
    return sou_strlist_add(&r->warnings, msg, strlen(msg), 0, err);
}

static void search(const struct request *req, const char *db_path, const char *script,
                   struct response *resp)
{
    sou_error err;
    sou_error_clear(&err);
    sou_searcher *s = NULL;
    sou_results r;
    memset(&r, 0, sizeof r);
    sou_search_opts o;
    sou_search_opts_init(&o);
    o.offset = (req->page - 1) * req->n;
    o.limit = req->n;
    o.snippet_chars = CGI_SNIPPET_CHARS;
    o.time_limit = CGI_TIME_LIMIT;
    if (!req->expand)
        o.flags |= SOU_SEARCH_NO_EXPAND;
    if (req->facets)
        o.flags |= SOU_SEARCH_FACETS;

    /* A site that shards its index may prefer partial answers to none
     * when a shard is down (SOU_ALLOW_PARTIAL=1). */
    const char *partial = getenv("SOU_ALLOW_PARTIAL");
    sou_open_opts open = {.allow_partial = partial && strcmp(partial, "1") == 0};
    int rc = sou_searcher_open_many(&db_path, 1, &open, &s, &err);
    if (rc != SOU_OK) {
        internal_error(resp, req, script, "cannot open the index", err.msg);
        goto done;
    }
    rc = sou_search(s, req->q, req->q_len, &o, &r, &err);
    if (is_query_error(rc)) {
        /* Every 400 names the parameter at fault: here always q. */
        char msg[sizeof "parameter q: " + SOU_ERROR_MSG_MAX];
        valid_prefix(err.msg);
        snprintf(msg, sizeof msg, "parameter q: %s", err.msg);
        render_error(resp, req, script, 400, msg);
    } else if (rc != SOU_OK) {
        internal_error(resp, req, script, "search failed", err.msg);
    } else {
        resp->status = 200;
        rc = hide_shards(&r, &err);
        if (rc == SOU_OK)
            render_results(resp, req, script, &r, o.offset);
        else
            internal_error(resp, req, script, "search failed", err.msg);
    }
done:
    sou_results_release(&r);
    sou_searcher_free(s);
}

int cgi_respond(const struct request *req, const char *db_path, const char *script_name,
                struct response *resp)
{
    response_init(resp);
    if (!script_name)
        script_name = "sou.cgi";
    resp->format = req->format;
    resp->head = req->head;
    if (req->status != 200) {
        render_error(resp, req, script_name, req->status, req->msg);
    } else if (req->q_len == 0) {
        /* The empty search page: the request parser has already turned
         * a JSON request without q into a 400. */
        struct page p = {.req = req, .script = script_name, .status = 200};
        resp->status = 200;
        html_page(&resp->body, &p);
    } else {
        search(req, db_path, script_name, resp);
    }
    if (resp->body.err) {
        int too_big = resp->body.err == BUF_ERR_TOO_BIG;
        internal_error(resp, req, script_name, too_big ? "response too large" : "out of memory",
                       "");
    }
    return resp->body.err ? 500 : resp->status;
}
