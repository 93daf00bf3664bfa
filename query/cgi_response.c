/*
 * cgi_response.c - writes a rendered response as CGI output: headers, a
 * blank line, the body (cgi_render.h).
 */
#include <stdio.h>
#include <string.h>

#include "cgi_render.h"

#define CSP "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'"

void response_init(struct response *resp)
{
    resp->status = 500;
    resp->format = FORMAT_HTML;
    resp->head = 0;
    buf_init(&resp->body, BUF_BODY_MAX);
}

void response_release(struct response *resp)
{
    buf_release(&resp->body);
}

const char *response_reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 405:
        return "Method Not Allowed";
    default:
        return "Internal Server Error";
    }
}

/* Sent when even the error page could not be rendered (out of memory):
 * static, so it needs no allocation. */
static const char fallback_html[] =
    "<!DOCTYPE html>\n<html lang=\"zh-Hant\"><head><meta charset=\"utf-8\">"
    "<title>搜 Sou</title></head><body><p>系統錯誤 · Internal server error</p></body></html>\n";
static const char fallback_json[] = "{\"error\": \"internal error\", \"status\": 500}\n";

static int write_all(FILE *out, int status, enum request_format format, const char *body,
                     size_t len, int head)
{
    int html = format == FORMAT_HTML;
    fprintf(out,
            "Status: %d %s\n"
            "Content-Type: %s; charset=utf-8\n"
            "Content-Length: %zu\n"
            "Cache-Control: %s\n"
            "X-Content-Type-Options: nosniff\n",
            status, response_reason(status), html ? "text/html" : "application/json", len,
            status == 200 ? "public, max-age=60" : "no-store");
    if (html)
        fputs("Content-Security-Policy: " CSP "\n", out);
    if (status == 405)
        fputs("Allow: GET, HEAD\n", out);
    fputc('\n', out);
    if (!head && len > 0)
        fwrite(body, 1, len, out);
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

int response_write(FILE *out, const struct response *resp)
{
    if (resp->body.err) {
        int html = resp->format == FORMAT_HTML;
        const char *body = html ? fallback_html : fallback_json;
        return write_all(out, 500, resp->format, body, strlen(body), resp->head);
    }
    return write_all(out, resp->status, resp->format, buf_str(&resp->body), resp->body.len,
                     resp->head);
}
