/*
 * cgi_escape.h - sou.cgi's output buffer and its escapers: HTML text and
 * attribute values, and percent-encoding for URL query components.
 *
 * Every byte that reaches a page from the request or the index goes through
 * one of these, chosen for the context it lands in.
 */
#ifndef SOU_CGI_ESCAPE_H
#define SOU_CGI_ESCAPE_H

#include <stddef.h>

/* A growable byte buffer with a stated maximum size (curl's dynbuf), whose
 * append functions share a sticky error (SQLite FTS5's pRc): once one append
 * fails, every later one does nothing, so a long render is checked once, at
 * the end. The contents are always NUL-terminated (buf_str()). */
struct buf {
    char *p;    /* owned; NULL until the first append */
    size_t len; /* bytes in p, excluding the NUL */
    size_t cap; /* bytes allocated in p */
    size_t max; /* len never exceeds this */
    int err;    /* BUF_OK, or the first error */
};

enum buf_error {
    BUF_OK = 0,
    BUF_ERR_NOMEM = 1,   /* an allocation failed */
    BUF_ERR_TOO_BIG = 2, /* an append would have made len exceed max */
};

/* The largest page or JSON body sou.cgi renders. */
#define BUF_BODY_MAX ((size_t)8 << 20)

/* Initializes an empty buffer that will hold at most max bytes. Allocates
 * nothing; release with buf_release(). */
void buf_init(struct buf *b, size_t max);

/* Frees what b owns and leaves it empty and error-free, with the same max.
 * Releasing twice is harmless. */
void buf_release(struct buf *b);

/* The contents, NUL-terminated ("" while empty). Borrowed: valid until the
 * next append or release. After an error it holds what was appended before
 * the failing call. */
const char *buf_str(const struct buf *b);

/* Appends s[0..n) / the string s / the byte c / printf-style text. Each
 * returns b->err: BUF_OK, or the sticky error (BUF_ERR_TOO_BIG,
 * BUF_ERR_NOMEM) set by this call or an earlier one, in which case nothing
 * is appended. */
int buf_add(struct buf *b, const char *s, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends s[0..n) escaped for HTML text and for double-quoted attribute
 * values (one escaping serves both):
 *   &  <  >  "  '   become  &amp; &lt; &gt; &quot; &#39;
 *   TAB, LF, CR and the other printable ASCII bytes are kept;
 *   other ASCII control bytes (NUL..US but TAB LF CR, and DEL) and every
 *   byte that does not start a valid UTF-8 sequence become U+FFFD, since
 *   none of them can appear in an HTML document;
 *   valid UTF-8 sequences (Chinese included) are kept as they are.
 * Returns b->err. */
int html_escape(struct buf *b, const char *s, size_t n);
int html_escapes(struct buf *b, const char *s);

/* Appends s[0..n) percent-encoded for a URL query component (RFC 3986):
 * the unreserved bytes A-Z a-z 0-9 - . _ ~ are kept and every other byte,
 * space and each byte of a UTF-8 sequence included, becomes %XX with
 * upper-case hex. The result is also safe, unchanged, in HTML attributes.
 * Returns b->err. */
int url_encode(struct buf *b, const char *s, size_t n);

/* Appends s[0..n) percent-encoded for a URL path: like url_encode(), but
 * '/' is kept. For SCRIPT_NAME, which CGI passes decoded. Returns b->err. */
int url_encode_path(struct buf *b, const char *s, size_t n);

#endif
