/*
 * cgi_request.h - a sou.cgi request: the method and the parameters of the
 * query string (or of NAME=VALUE arguments from a shell), decoded and
 * validated against the contract before any search runs.
 *
 * Parameters (anything else, or any one given twice, is a 400):
 *   q       the query, sou-query's language; valid UTF-8, at most 1024 bytes
 *   page    1..100, default 1
 *   n       results per page, 1..50, default 10
 *   format  html (default) or json
 *   facets  0 or 1; default 1 for html, 0 for json
 *   expand  0 or 1, default 1 (0: do not expand acronyms and names)
 */
#ifndef SOU_CGI_REQUEST_H
#define SOU_CGI_REQUEST_H

#include <stddef.h>

#define REQUEST_Q_MAX     1024 /* bytes of q, after decoding */
#define REQUEST_QS_MAX    4096 /* bytes of the whole query string */
#define REQUEST_PAGE_MAX  100
#define REQUEST_N_MAX     50
#define REQUEST_N_DEFAULT 10
#define REQUEST_MSG_MAX   256

enum request_format { FORMAT_HTML, FORMAT_JSON };

/* One bit per parameter, set in request.given for those the request had. */
enum request_param {
    PARAM_Q = 1,
    PARAM_PAGE = 2,
    PARAM_N = 4,
    PARAM_FORMAT = 8,
    PARAM_FACETS = 16,
    PARAM_EXPAND = 32
};

/* Caller-owned and self-contained: nothing in it points elsewhere. */
struct request {
    int status;                /* 200, or 400 / 405 when the request is bad */
    char msg[REQUEST_MSG_MAX]; /* when not 200: why, naming the parameter */
    int head;                  /* HEAD: the response has no body */
    char q[REQUEST_Q_MAX + 1]; /* the query, NUL-terminated (may hold NULs) */
    size_t q_len;              /* bytes in q; 0 when missing or empty */
    unsigned page;             /* 1..REQUEST_PAGE_MAX */
    unsigned n;                /* 1..REQUEST_N_MAX */
    enum request_format format;
    int facets;     /* 0 or 1 */
    int expand;     /* 0 or 1 */
    unsigned given; /* request_param bits */
};

/* Parses a CGI request: method is REQUEST_METHOD, query_string is
 * QUERY_STRING (NULL is taken as empty), which is
 * application/x-www-form-urlencoded: '&' separates NAME=VALUE pairs (empty
 * pairs are skipped; a pair without '=' has an empty value), '+' is a space
 * and %XX an escaped byte, in names and values alike.
 *
 * Fills *r (every field; nothing is allocated) and returns r->status:
 *   200  the request is good (q may still be empty: the HTML search page);
 *   400  a parameter is bad: r->msg says which and why. The first problem
 *        in query-string order wins, but the rest is still read, so that a
 *        later format=json still chooses a JSON error body (also after a
 *        query string over 4096 bytes, whose pairs of at most 4096 bytes
 *        are read);
 *   405  method is neither GET nor HEAD (this wins over any 400).
 * The messages are:
 *   "query string longer than 4096 bytes"
 *   "unknown parameter X", "unknown parameter with an empty name"
 *   "parameter X given more than once"
 *   "bad percent-encoding in parameter X" (in a value),
 *   "bad percent-encoding in parameter name X"
 *   "parameter q is not valid UTF-8", "parameter q is longer than 1024 bytes"
 *   "parameter page must be a number from 1 to 100"
 *   "parameter n must be a number from 1 to 50"
 *   "parameter format must be html or json"
 *   "parameter facets must be 0 or 1", "parameter expand must be 0 or 1"
 *   "missing parameter q" (format=json only)
 *   "method M not allowed; use GET or HEAD"
 * where a name or method taken from the request is cut to 64 bytes, with
 * bytes that are invalid UTF-8 or control characters shown as U+FFFD, so a
 * message is always valid UTF-8 text. */
int request_parse(struct request *r, const char *method, const char *query_string);

/* Parses the request of a shell run: each of args[0..nargs) is NAME=VALUE
 * taken literally (no '+' or %XX decoding; an argument without '=' is a
 * name with an empty value), and the method is GET. Same checks, messages
 * and result as request_parse(); the 4096-byte limit applies to the
 * arguments joined by '&'. */
int request_parse_args(struct request *r, int nargs, char *const *args);

#endif
