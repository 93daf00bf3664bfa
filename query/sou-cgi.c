/*
 * sou-cgi - sou.cgi, the web search endpoint: a CGI/1.1 program (RFC 3875)
 * that answers one request with an HTML page or sou-query's JSON.
 *
 * Usage:
 *   as CGI      the server sets REQUEST_METHOD (GET or HEAD), QUERY_STRING
 *               (q, page, n, format, facets, expand: query/cgi_request.h),
 *               SCRIPT_NAME (for the form and links; default "sou.cgi")
 *               and SOU_DB (the index directory; unset or empty: the
 *               compiled-in SOU_CGI_DB, set by the Makefile).
 *   from a shell  with no REQUEST_METHOD in the environment, the arguments
 *               NAME=VALUE (taken literally, not URL-encoded) form a GET:
 *                 SOU_DB=build/demo.db build/sou.cgi q=CTI format=json
 * Output: always one complete CGI response, whatever happens: Status,
 * Content-Type, Content-Length, Cache-Control, X-Content-Type-Options
 * (and Content-Security-Policy for HTML, Allow for a 405), a blank line,
 * then the body (none for HEAD). 400 for a bad parameter or query syntax,
 * 405 for another method, 500 when the index is missing, corrupt or built
 * with other analysis settings, or memory runs out; a 500's detail is
 * logged as one line "sou.cgi: ..." on stderr (the server's error log).
 *
 * Exit status: 0 whenever a response was written, a 400 or a 500
 * included; 1 if writing the response itself failed.
 *
 * The work is in query/cgi_*.c: parse (cgi_request.c), search and render
 * (cgi_render.c, cgi_html.c, escaping in cgi_escape.c), write
 * (cgi_response.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include "cgi_render.h"
#include "cgi_request.h"

#ifndef SOU_CGI_DB
#define SOU_CGI_DB "/var/lib/sou/sou.db"
#endif

enum exit_code {
    EXIT_WRITTEN = 0,     /* a response went out, whatever its status */
    EXIT_WRITE_FAILED = 1 /* the response could not be written */
};

/* The variable if set and not empty, else fallback. */
static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

int main(int argc, char **argv)
{
    struct request req;
    struct response resp;
    const char *method = getenv("REQUEST_METHOD");
    if (method)
        request_parse(&req, method, getenv("QUERY_STRING"));
    else
        request_parse_args(&req, argc - 1, argv + 1);
    cgi_respond(&req, env_or("SOU_DB", SOU_CGI_DB), env_or("SCRIPT_NAME", "sou.cgi"), &resp);
    int rc = response_write(stdout, &resp);
    response_release(&resp);
    if (rc != 0) {
        fprintf(stderr, "sou.cgi: cannot write the response\n");
        return EXIT_WRITE_FAILED;
    }
    return EXIT_WRITTEN;
}
