/*
 * cgi_render.h - from a parsed request to a complete CGI response: the
 * search through libsou (cgi_render.c), the HTML page (cgi_html.c), the
 * JSON body (sou_results_json) and the headers (cgi_response.c).
 */
#ifndef SOU_CGI_RENDER_H
#define SOU_CGI_RENDER_H

#include <stdio.h>

#include "sou/search.h"
#include "cgi_escape.h"
#include "cgi_request.h"

/* The search's match time limit, in seconds. */
#define CGI_TIME_LIMIT 0.5
/* Characters of snippet per result, as sou-query shows. */
#define CGI_SNIPPET_CHARS 160
/* Facet values listed on the HTML page per facet (JSON lists them all). */
#define CGI_FACET_VALUES_MAX 50

/* A rendered response. Caller-owned: response_init(), response_release(). */
struct response {
    int status; /* 200, 400, 405 or 500 */
    enum request_format format;
    int head;        /* HEAD: write the headers only */
    struct buf body; /* at most BUF_BODY_MAX bytes; body.err set: see
                        response_write() */
};

void response_init(struct response *resp);
void response_release(struct response *resp);

/* Answers req: a bad request becomes its 400 or 405 page; an empty q the
 * HTML search page; otherwise the index at db_path is searched (offset
 * (page - 1) * n, limit n, CGI_TIME_LIMIT) and the results rendered as
 * HTML or as sou-query --json's JSON. A query syntax error is a 400 with
 * libsou's message; a missing, corrupt or incompatible index, or running
 * out of memory, is a 500, logged as one line "sou.cgi: ..." on stderr with
 * a generic message in the body. script_name is where the page's form and
 * links point (CGI's SCRIPT_NAME, decoded; NULL: "sou.cgi"). Fills *resp
 * (initialized here; the caller releases it) and returns its status. */
int cgi_respond(const struct request *req, const char *db_path, const char *script_name,
                struct response *resp);

/* What the HTML page shows (cgi_html.c). */
struct page {
    const struct request *req; /* q fills the form; n, facets, expand are kept */
    const char *script;        /* SCRIPT_NAME */
    int status;
    const char *error;          /* shown above the results, or NULL */
    const sou_results *results; /* NULL when no search ran */
};

/* Appends the whole HTML document for p to b. Returns b->err. */
int html_page(struct buf *b, const struct page *p);

/* Writes resp to out: the Status line, Content-Type, the exact
 * Content-Length of the body, Cache-Control (public, max-age=60 on a 200,
 * no-store otherwise), X-Content-Type-Options, the Content-Security-Policy
 * of an HTML page, Allow on a 405, a blank line and the body (not for
 * HEAD). Header lines end in LF, the CGI newline on Unix (RFC 3875 7.2).
 * When resp->body has an error, a small static 500 response is written
 * instead, so a response always goes out. Returns 0, or -1 if writing
 * failed. */
int response_write(FILE *out, const struct response *resp);

/* "OK", "Bad Request", ... for the status codes above. */
const char *response_reason(int status);

#endif
