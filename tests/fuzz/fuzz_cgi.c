/*
 * fuzz_cgi.c - sou.cgi's request parsing (query/cgi_request.h) and the
 * response it leads to (cgi_render.h), on arbitrary bytes.
 *
 * An input is "METHOD\nQUERY_STRING", as the server sets REQUEST_METHOD
 * and QUERY_STRING (an input without a newline is a GET's query string;
 * neither variable can hold a NUL, so the text stops at one). The query
 * string is also split at '&' into the NAME=VALUE arguments of a shell
 * run. Whatever the bytes, the status is 200, 400 or 405 with a message
 * that is valid UTF-8 without control characters; a good request is then
 * answered over a tiny index and the response must be complete, valid
 * UTF-8, and never carry the request's markup unescaped.
 */
#include <stdlib.h>
#include <string.h>

#include "sou/normalize.h"
#include "cgi_render.h"
#include "cgi_request.h"
#include "fuzz.h"

static const char *db_path;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    db_path = fuzz_build_index(fuzz_scratch_dir());
    return 0;
}

static void check_request(const struct request *r)
{
    FUZZ_ASSERT(r->status == 200 || r->status == 400 || r->status == 405, "bad status");
    if (r->status == 200) {
        FUZZ_ASSERT(r->page >= 1 && r->page <= REQUEST_PAGE_MAX, "page out of range");
        FUZZ_ASSERT(r->n >= 1 && r->n <= REQUEST_N_MAX, "n out of range");
        FUZZ_ASSERT(r->q_len <= REQUEST_Q_MAX && r->q[r->q_len] == '\0', "q too long");
        FUZZ_ASSERT(sou_utf8_valid(r->q, r->q_len, NULL), "q not valid UTF-8");
        return;
    }
    size_t n = strnlen(r->msg, sizeof r->msg);
    FUZZ_ASSERT(n > 0 && n < sizeof r->msg, "message empty or not terminated");
    FUZZ_ASSERT(sou_utf8_valid(r->msg, n, NULL), "message not valid UTF-8");
    for (size_t i = 0; i < n; i++)
        FUZZ_ASSERT((unsigned char)r->msg[i] >= 0x20 && r->msg[i] != 0x7F, "control character");
}

/* Answers r and checks the response's body. */
static void respond(const struct request *r)
{
    struct response resp;
    cgi_respond(r, db_path, "sou.cgi", &resp);
    FUZZ_ASSERT(resp.status == r->status || resp.status == 400, "response status changed");
    FUZZ_ASSERT(resp.body.err == 0, "response body failed");
    const char *body = buf_str(&resp.body);
    FUZZ_ASSERT(sou_utf8_valid(body, resp.body.len, NULL), "body not valid UTF-8");
    /* "<fz" is no tag of the page: seen, it came from the request. (JSON
     * carries the query as it is, served as JSON with nosniff.) */
    FUZZ_ASSERT(resp.format != FORMAT_HTML || !memmem(body, resp.body.len, "<fz", 3),
                "request markup in an HTML body");
    FILE *out = fopen("/dev/null", "w");
    FUZZ_ASSERT(out && response_write(out, &resp) == 0, "response not written");
    fclose(out);
    response_release(&resp);
}

/* Splits qs at '&' into args (literal NAME=VALUE arguments). Modifies qs. */
static int split_args(char *qs, char **args, int max)
{
    int n = 0;
    for (char *s = qs; n < max;) {
        args[n++] = s;
        char *amp = strchr(s, '&');
        if (!amp)
            break;
        *amp = '\0';
        s = amp + 1;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    char *nl = strchr(text, '\n');
    const char *method = "GET", *qs = text;
    if (nl) {
        *nl = '\0';
        method = text;
        qs = nl + 1;
    }
    struct request r;
    request_parse(&r, method, qs);
    check_request(&r);
    respond(&r);

    char *args[64];
    int nargs = split_args((char *)qs, args, 64);
    request_parse_args(&r, nargs, args);
    check_request(&r);
    free(text);
    return 0;
}
