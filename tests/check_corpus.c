/*
 * check_corpus.c - tests for reading documents (lib/corpus.c) and the
 * document record (lib/document.c).
 *
 * Every test gets a fresh temporary directory, writes real files into it
 * and reads them back with sou_corpus_*. Results are compared as one
 * string, a line per document id or error, with the temporary directory
 * shown as "T", so a failure prints the whole sequence on both sides.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sou/corpus.h"
#include "sou/docbuild.h"
#include "sou/document.h"
#include "sou/normalize.h"
#include "suites.h"

static char tmpdir[PATH_MAX];

static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/sou-corpus-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void teardown(void)
{
    nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* tmpdir/rel, in one of a few rotating buffers so a call can use several. */
static const char *tpath(const char *rel)
{
    static char bufs[8][PATH_MAX];
    static int next;
    char *p = bufs[next++ % 8];
    int n = snprintf(p, PATH_MAX, "%s/%s", tmpdir, rel);
    ck_assert(n > 0 && n < PATH_MAX);
    return p;
}

static void make_dir(const char *rel)
{
    ck_assert_int_eq(mkdir(tpath(rel), 0700), 0);
}

/* Writes len bytes to tmpdir/rel, creating directories on the way. */
static void write_bytes(const char *rel, const char *data, size_t len)
{
    char dirs[PATH_MAX];
    snprintf(dirs, sizeof dirs, "%s", rel);
    for (char *slash = strchr(dirs, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdir(tpath(dirs), 0700) != 0)
            ck_assert_int_eq(errno, EEXIST);
        *slash = '/';
    }
    FILE *f = fopen(tpath(rel), "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

static void write_file(const char *rel, const char *text)
{
    write_bytes(rel, text, strlen(text));
}

static uint64_t file_size(const char *rel)
{
    struct stat st;
    ck_assert_int_eq(stat(tpath(rel), &st), 0);
    return (uint64_t)st.st_size;
}

/* Appends s to the growing string *out, with tmpdir replaced by "T". */
static void append(char **out, size_t *len, const char *s)
{
    size_t tlen = strlen(tmpdir);
    size_t slen = strlen(s);
    *out = realloc(*out, *len + slen + 2);
    ck_assert_ptr_nonnull(*out);
    for (size_t i = 0; i < slen; i++) {
        if (strncmp(s + i, tmpdir, tlen) == 0) {
            (*out)[(*len)++] = 'T';
            i += tlen - 1;
        } else {
            (*out)[(*len)++] = s[i];
        }
    }
    (*out)[(*len)++] = '\n';
    (*out)[*len] = '\0';
}

/* Reads all of paths; returns a line per result: a document's id, or
 * "!CODE MESSAGE" for an error. Owned: free(). */
static char *read_paths(const char *const *paths, size_t n)
{
    sou_corpus *c = NULL;
    sou_error err;
    ck_assert_int_eq(sou_corpus_open(paths, n, &c, &err), SOU_OK);
    char *out = calloc(1, 1);
    size_t len = 0;
    for (int guard = 0; guard < 1000; guard++) {
        sou_document *doc = NULL;
        int r = sou_corpus_next(c, &doc, &err);
        if (r == 0)
            break;
        if (r < 0) {
            char line[SOU_ERROR_MSG_MAX + 16];
            ck_assert_ptr_null(doc);
            snprintf(line, sizeof line, "!%d %s", err.code, err.msg);
            append(&out, &len, line);
        } else {
            ck_assert_int_eq(r, 1);
            ck_assert_ptr_nonnull(doc);
            append(&out, &len, sou_document_get(doc, "id", NULL));
            sou_document_free(doc);
        }
    }
    sou_corpus_free(c);
    return out;
}

static char *read_path(const char *path)
{
    return read_paths(&path, 1);
}

#define ck_assert_read(path, expected)                                                             \
    do {                                                                                           \
        char *got_ = read_path(path);                                                              \
        ck_assert_str_eq(got_, expected);                                                          \
        free(got_);                                                                                \
    } while (0)

/* Opens a corpus of the one path. Owned: sou_corpus_free(). */
static sou_corpus *open_one(const char *path)
{
    sou_corpus *c = NULL;
    sou_error err;
    ck_assert_int_eq(sou_corpus_open(&path, 1, &c, &err), SOU_OK);
    return c;
}

/* Opens a corpus of the one path and reads one result, which must be a
 * document. */
static sou_document *read_one(sou_corpus **c, const char *path)
{
    sou_error err;
    sou_document *doc = NULL;
    ck_assert_int_eq(sou_corpus_open(&path, 1, c, &err), SOU_OK);
    int r = sou_corpus_next(*c, &doc, &err);
    ck_assert_msg(r == 1, "next returned %d: %s", r, err.msg);
    return doc;
}

#define ck_assert_field(doc, name, expected)                                                       \
    ck_assert_pstr_eq(sou_document_get(doc, name, NULL), expected)

/* ---- JSON Lines ------------------------------------------------------------ */

START_TEST(test_corpus_jsonl_fields)
{
    write_file("docs.jsonl",
               "{\"id\":\"apec-1\",\"title\":\"資深官員會議\",\"body\":\"APEC 數位週\","
               "\"lang\":\"zh-Hant\",\"type\":\"news\",\"date\":\"2026-05-01\","
               "\"url\":\"https://example.org/1\",\"author\":\"王小明\"}\n"
               "{\"id\":\"b\",\"title\":\"Digital Weeks\"}"); /* no final newline */
    sou_corpus *c = NULL;
    sou_document *doc = read_one(&c, tpath("docs.jsonl"));
    ck_assert_field(doc, "id", "apec-1");
    ck_assert_field(doc, "title", "資深官員會議");
    ck_assert_field(doc, "body", "APEC 數位週");
    ck_assert_field(doc, "lang", "zh-Hant");
    ck_assert_field(doc, "type", "news");
    ck_assert_field(doc, "date", "2026-05-01");
    ck_assert_field(doc, "url", "https://example.org/1");
    ck_assert_field(doc, "author", "王小明");
    ck_assert_uint_eq(doc->nfields, 8);
    ck_assert_str_eq(doc->fields[0].name, "id"); /* in the order of the line */
    ck_assert_str_eq(doc->fields[7].name, "author");
    size_t len = 0;
    sou_document_get(doc, "title", &len);
    ck_assert_uint_eq(len, strlen("資深官員會議"));
    ck_assert_str_eq(doc->source, tpath("docs.jsonl"));
    ck_assert_uint_eq(doc->line, 1);
    sou_document_free(doc);

    sou_error err;
    ck_assert_int_eq(sou_corpus_next(c, &doc, &err), 1);
    ck_assert_field(doc, "id", "b");
    ck_assert_field(doc, "title", "Digital Weeks");
    ck_assert_ptr_null(sou_document_get(doc, "body", NULL));
    ck_assert_uint_eq(doc->line, 2);
    sou_document_free(doc);
    ck_assert_int_eq(sou_corpus_next(c, &doc, &err), 0);
    ck_assert_ptr_null(doc);
    ck_assert_int_eq(sou_corpus_next(c, &doc, &err), 0); /* and stays at the end */
    sou_corpus_free(c);
}
END_TEST

START_TEST(test_corpus_jsonl_numbers_and_booleans_as_text)
{
    write_file("n.jsonl", "{ \"id\" : 7 ,\"title\":\"a\\\"b,c}: 1\",\"date\":2026,\"neg\":-42,"
                          "\"ver\":1.10,\"tenth\":0.1,\"big\":1.5e3,\"small\":-2.5E-07,"
                          "\"yes\":true,\"no\":false,\"last\":\t0 }\n");
    sou_corpus *c = NULL;
    sou_document *doc = read_one(&c, tpath("n.jsonl"));
    ck_assert_field(doc, "id", "7");
    ck_assert_field(doc, "date", "2026");
    ck_assert_field(doc, "neg", "-42");
    ck_assert_field(doc, "title", "a\"b,c}: 1");
    ck_assert_field(doc, "ver", "1.10"); /* the text, not a double's */
    ck_assert_field(doc, "tenth", "0.1");
    ck_assert_field(doc, "big", "1.5e3");
    ck_assert_field(doc, "small", "-2.5E-07");
    ck_assert_field(doc, "yes", "true");
    ck_assert_field(doc, "no", "false");
    ck_assert_field(doc, "last", "0");
    sou_document_free(doc);
    sou_corpus_free(c);
}
END_TEST

START_TEST(test_corpus_jsonl_escapes_decoded)
{
    write_file("e.jsonl", "{\"id\":\"e\",\"title\":\"a\\\"b\\\\c\\n\\u8cc7\\ud83d\\ude00\"}\n");
    sou_corpus *c = NULL;
    sou_document *doc = read_one(&c, tpath("e.jsonl"));
    ck_assert_field(doc, "title", "a\"b\\c\n資😀");
    sou_document_free(doc);
    sou_corpus_free(c);
}
END_TEST

START_TEST(test_corpus_jsonl_blank_lines_skipped)
{
    write_file("b.jsonl", "\n   \n{\"id\":\"a\",\"title\":\"A\"}\n\t\n\r\n\n"
                          "{\"id\":\"b\",\"title\":\"B\"}\n\n");
    sou_corpus *c = NULL;
    sou_document *doc = read_one(&c, tpath("b.jsonl"));
    ck_assert_field(doc, "id", "a");
    ck_assert_uint_eq(doc->line, 3);
    sou_document_free(doc);
    sou_error err;
    ck_assert_int_eq(sou_corpus_next(c, &doc, &err), 1);
    ck_assert_field(doc, "id", "b");
    ck_assert_uint_eq(doc->line, 7);
    sou_document_free(doc);
    ck_assert_int_eq(sou_corpus_next(c, &doc, &err), 0);
    sou_corpus_free(c);
}
END_TEST

START_TEST(test_corpus_jsonl_bom_and_crlf)
{
    write_file("w.jsonl", "\xEF\xBB\xBF{\"id\":\"a\",\"title\":\"A\"}\r\n\r\n"
                          "{\"id\":\"b\",\"title\":\"B\"}\r\n");
    ck_assert_read(tpath("w.jsonl"), "a\nb\n");
}
END_TEST

/* Files joined with cat keep their BOMs: one at the start of any line is
 * dropped, and a line of a BOM alone is blank. Elsewhere it is refused,
 * and shown as \uFEFF, since it is invisible. */
START_TEST(test_corpus_jsonl_bom_at_any_line_start)
{
    write_file("w.jsonl",
               "{\"id\":\"a\",\"title\":\"A\"}\n\xEF\xBB\xBF{\"id\":\"b\",\"title\":\"B\"}\n"
               "\xEF\xBB\xBF\n{\"id\":\"c\",\xEF\xBB\xBF\"title\":\"C\"}\n");
    ck_assert_read(tpath("w.jsonl"),
                   "a\nb\n!13 T/w.jsonl:4: malformed JSON at column 11: string or '}' expected "
                   "near '\\uFEFF'\n");
}
END_TEST

START_TEST(test_corpus_jsonl_errors_and_recovery)
{
    write_file("m.jsonl", "{\"id\":\"one\",\"title\":\"1\"}\n"
                          "{\"id\":\"bad\",\n"
                          "{\"id\":\"two\",\"title\":\"2\"}\n"
                          "{\"id\":\"x\",\"title\":\"\xC3\x28\"}\n"
                          "{\"id\":\"three\",\"title\":\"3\"}\n");
    sou_error err;
    const char *path = tpath("m.jsonl");
    sou_corpus *c = open_one(path);
    const char *ids[] = {"one", NULL, "two", NULL, "three"};
    for (size_t i = 0; i < 5; i++) {
        sou_document *doc = NULL;
        int r = sou_corpus_next(c, &doc, &err);
        if (ids[i]) {
            ck_assert_int_eq(r, 1);
            ck_assert_field(doc, "id", ids[i]);
            ck_assert_uint_eq(doc->line, i + 1);
            sou_document_free(doc);
        } else {
            ck_assert_int_eq(r, -1);
            ck_assert_ptr_null(doc);
            char want[PATH_MAX + 32];
            snprintf(want, sizeof want, "%s:%zu: ", path, i + 1);
            ck_assert_msg(strncmp(err.msg, want, strlen(want)) == 0, "\"%s\" lacks \"%s\"", err.msg,
                          want);
            ck_assert_int_eq(err.code, i == 1 ? SOU_ERR_JSON : SOU_ERR_UTF8);
        }
    }
    ck_assert_str_eq(err.msg + strlen(path),
                     ":4: invalid UTF-8 at byte 19 (C3: a lead byte without all its continuation "
                     "bytes)");
    sou_document *doc = NULL;
    ck_assert_int_eq(sou_corpus_next(c, &doc, &err), 0);
    sou_corpus_free(c);
}
END_TEST

/* sou_corpus_set_keep(): what a worker of sou-index asks of the corpus. */
struct offers {
    char seen[512];
};

/* Declines every id that starts with "no", and notes each id offered. */
static int keep_unless_no(void *ctx, const char *id, size_t len)
{
    struct offers *o = ctx;
    size_t used = strlen(o->seen);
    snprintf(o->seen + used, sizeof o->seen - used, "%.*s|", (int)len, id);
    return !(len >= 2 && memcmp(id, "no", 2) == 0);
}

START_TEST(test_corpus_keep_passes_over_declined_ids)
{
    /* Only an id the text tells for certain is offered; a declined line
     * is not parsed, so its other faults go unreported, while a line
     * whose id needs parsing is parsed and returned, declined or not. */
    write_file("k.jsonl",
               "{\"id\":\"yes1\",\"body\":\"a\"}\n"
               " { \"title\" : {\"id\":\"nested\"} , \"id\" : \"no1\" , \"body\":\"b\"}\n"
               "{\"body\":\"c\",\"id\":\"no2\",\"title\":\"\\u0000\"}\n"
               "{\"id\":42,\"body\":\"d\"}\n"
               "{\"id\":-7,\"body\":\"e\"}\n"
               "{\"id\":\"n\\u006f3\",\"body\":\"f\"}\n"
               "{\"\\u0069d\":\"no4\",\"body\":\"g\"}\n"
               "{\"id\":\"no5\",\"id\":\"no6\",\"body\":\"h\"}\n"
               "{\"id\":null,\"body\":\"i\"}\n"
               "{\"id\":\"no7\" \"body\":\"j\"}\n"
               "{\"id\":\"no8\",\"body\":\"k\"}\n");
    sou_error err;
    const char *path = tpath("k.jsonl");
    sou_corpus *c = open_one(path);
    struct offers offers = {""};
    sou_corpus_set_keep(c, keep_unless_no, &offers);
    char *out = calloc(1, 1);
    size_t len = 0;
    for (;;) {
        sou_document *doc = NULL;
        int r = sou_corpus_next(c, &doc, &err);
        if (r == 0)
            break;
        char line[SOU_ERROR_MSG_MAX + 16];
        if (r < 0) /* "PATH:LINE: what": the line */
            snprintf(line, sizeof line, "!%lu", strtoul(err.msg + strlen(path) + 1, NULL, 10));
        else
            snprintf(line, sizeof line, "%s:%lu", sou_document_get(doc, "id", NULL), doc->line);
        append(&out, &len, line);
        sou_document_free(doc);
    }
    sou_corpus_free(c);
    ck_assert_str_eq(offers.seen, "yes1|no1|no2|42|-7|no8|");
    ck_assert_str_eq(out, "yes1:1\n42:4\n-7:5\nno3:6\nno4:7\n!8\n!9\n!10\n");
    free(out);
}
END_TEST

/* One bad line between two good ones: the error names line 2 and reading
 * goes on. */
struct bad_line {
    const char *line;
    size_t len; /* 0: strlen(line) */
    int code;
    const char *msg; /* the error after "T/f.jsonl:2: " */
    int prefix;      /* msg is only the start (the rest is Jansson's) */
};

#define LONG_ID                                                                                    \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static const struct bad_line bad_lines[] = {
    {"{\"id\":\"x\",", 0, SOU_ERR_JSON, "malformed JSON at column ", 1},
    {"{\"id\":\"x\",\"title\":\"t\"} extra", 0, SOU_ERR_JSON, "malformed JSON at column ", 1},
    {"{\"id\":\"x\",\"id\":\"y\",\"title\":\"t\"}", 0, SOU_ERR_JSON, "malformed JSON", 1},
    /* Jansson quotes the bad escape with the first byte of 數 after it. */
    {"{\"id\":\"x\",\"title\":\"\\u000數\"}", 0, SOU_ERR_JSON, "malformed JSON at column ", 1},
    {"{\"id\":\"x\",\"title\":\"a\xff\"}", 0, SOU_ERR_UTF8,
     "invalid UTF-8 at byte 20 (FF: a byte that never occurs in UTF-8)", 0},
    {"\xed\xa0\x80", 0, SOU_ERR_UTF8,
     "invalid UTF-8 at byte 0 (ED A0 80: an encoded UTF-16 surrogate)", 0},
    {"{\"id\":\"x\",\0\"title\":\"t\"}", 23, SOU_ERR_JSON, "NUL byte at byte 10", 0},
    {"{\"id\":\"x\",\"title\":\"a\\u0000b\"}", 0, SOU_ERR_DOC,
     "string contains \\u0000 (NUL), which is not allowed, at column ", 1},
    {"[1,2]", 0, SOU_ERR_JSON, "expected a JSON object, found an array", 0},
    {"\"just a string\"", 0, SOU_ERR_JSON, "expected a JSON object, found a string", 0},
    {"{\"id\":\"x\",\"title\":{\"a\":1}}", 0, SOU_ERR_DOC,
     "field \"title\" must be a string, not an object", 0},
    {"{\"id\":\"x\",\"title\":\"t\",\"tags\":[\"a\"]}", 0, SOU_ERR_DOC,
     "field \"tags\" must be a string, not an array", 0},
    {"{\"id\":\"x\",\"title\":null}", 0, SOU_ERR_DOC, "empty document", 0}, /* null: absent */
    {"{\"id\":null,\"title\":\"t\"}", 0, SOU_ERR_DOC, "missing \"id\"", 0},
    {"{\"id\":true,\"title\":\"t\"}", 0, SOU_ERR_DOC,
     "field \"id\" must be a string or a number, not a boolean", 0},
    {"{\"id\":\" \\u3000\",\"title\":\"t\"}", 0, SOU_ERR_DOC, "\"id\" is empty or only white space",
     0},
    {"{\"id\":\"x\",\"\":\"v\",\"title\":\"t\"}", 0, SOU_ERR_DOC, "empty field name", 0},
    {"{\"title\":\"t\",\"body\":\"b\"}", 0, SOU_ERR_DOC, "missing \"id\"", 0},
    {"{\"id\":\"\",\"title\":\"t\"}", 0, SOU_ERR_DOC, "\"id\" is empty or only white space", 0},
    {"{\"id\":\"" LONG_ID LONG_ID LONG_ID "\",\"title\":\"t\"}", 0, SOU_ERR_DOC,
     "id is 270 bytes, longer than 200", 0},
    {"{\"id\":\"a\\tb\",\"title\":\"t\"}", 0, SOU_ERR_DOC,
     "id contains a control character at byte 1", 0},
    {"{\"id\":\"ab\\u007f\",\"title\":\"t\"}", 0, SOU_ERR_DOC,
     "id contains a control character at byte 2", 0},
    {"{\"id\":\"\\u0085\",\"title\":\"t\"}", 0, SOU_ERR_DOC,
     "id contains a control character at byte 0", 0},
    {"{\"id\":\"x\"}", 0, SOU_ERR_DOC, "empty document", 0},
    /* Input quoted in a message cannot drive a terminal. */
    {"{\"id\":\"x\",\"title\":\"t\"}\x1B[2J", 0, SOU_ERR_JSON,
     "malformed JSON at column 23: end of file expected near '\\x1B'", 0},
    /* Lone CR line ends make one long line, which says why it fails. */
    {"{\"id\":\"x\",\"title\":\"t\"}\r{\"id\":\"y\",\"title\":\"u\"}\r", 0, SOU_ERR_JSON,
     "malformed JSON at column 24: end of file expected near '{' (the line holds a lone CR: "
     "lines must end with LF or CRLF)",
     0},
    {"{\"id\":\"x\",\"title\":\"t\"}\xE6\x96", 0, SOU_ERR_UTF8,
     "invalid UTF-8 at byte 22 (E6 96: a sequence cut short by the end of the line)", 0},
    {"{\"id\":\"x\",\"title\":\" \\t\",\"body\":\"\\u3000\\n\"}", 0, SOU_ERR_DOC, "empty document",
     0},
    {"{\"id\":\"x\",\"title\":\"\",\"url\":\"u\"}", 0, SOU_ERR_DOC, "empty document", 0},
};

START_TEST(test_corpus_jsonl_bad_line)
{
    const struct bad_line *b = &bad_lines[_i];
    size_t len = b->len ? b->len : strlen(b->line);
    const char *good1 = "{\"id\":\"a\",\"title\":\"A\"}\n";
    const char *good2 = "\n{\"id\":\"b\",\"title\":\"B\"}\n";
    size_t n1 = strlen(good1), n2 = strlen(good2);
    char *data = malloc(n1 + len + n2);
    memcpy(data, good1, n1);
    memcpy(data + n1, b->line, len);
    memcpy(data + n1 + len, good2, n2);
    write_bytes("f.jsonl", data, n1 + len + n2);
    free(data);

    char *got = read_path(tpath("f.jsonl"));
    ck_assert_msg(sou_utf8_valid(got, strlen(got), NULL), "not valid UTF-8: \"%s\"", got);
    char want[512];
    snprintf(want, sizeof want, "a\n!%d T/f.jsonl:2: %s%s", b->code, b->msg, b->prefix ? "" : "\n");
    if (b->prefix) {
        /* The rest of the message is Jansson's: check where it starts and
         * that reading went on. */
        size_t n = strlen(got);
        ck_assert_msg(strncmp(got, want, strlen(want)) == 0, "got \"%s\", want \"%s...\"", got,
                      want);
        ck_assert_msg(n > 3 && strcmp(got + n - 3, "\nb\n") == 0, "got \"%s\"", got);
        ck_assert_ptr_eq(strchr(got + 2, '\n'), got + n - 3);
    } else {
        ck_assert_str_eq(got, strcat(want, "b\n"));
    }
    free(got);
}
END_TEST

/* A bad date is quoted in the message cut to 40 bytes; the cut falls in
 * the eleventh 會 and leaves it out, so the message stays valid UTF-8. */
START_TEST(test_corpus_bad_date_quoted_whole_characters)
{
    write_file("d.jsonl", "{\"id\":\"d\",\"title\":\"t\",\"date\":\"2026-01\","
                          "\"end_date\":\"2026-02-會會會會會會會會會會會會\"}\n");
    sou_corpus *c = NULL;
    sou_document *doc = read_one(&c, tpath("d.jsonl"));
    sou_error err;
    ck_assert_int_eq(sou_doc_check(doc, &err), SOU_ERR_DOC);
    ck_assert_str_eq(err.msg,
                     "invalid end_date \"2026-02-會會會會會會會會會會\" (want YYYY[-MM[-DD]])");
    sou_document_free(doc);
    sou_corpus_free(c);
}
END_TEST

START_TEST(test_corpus_jsonl_id_of_200_bytes_accepted)
{
    char line[300];
    snprintf(line, sizeof line, "{\"id\":\"%.200s\",\"title\":\"t\"}\n", LONG_ID LONG_ID LONG_ID);
    write_file("id.jsonl", line);
    sou_corpus *c = NULL;
    sou_document *doc = read_one(&c, tpath("id.jsonl"));
    size_t len = 0;
    ck_assert_ptr_nonnull(sou_document_get(doc, "id", &len));
    ck_assert_uint_eq(len, 200);
    sou_document_free(doc);
    sou_corpus_free(c);
}
END_TEST

START_TEST(test_corpus_jsonl_long_line)
{
    size_t body_len = 5 * 1024 * 1024;
    const char *head = "{\"id\":\"big\",\"title\":\"t\",\"body\":\"";
    const char *tail = "\"}\n";
    size_t hl = strlen(head), tl = strlen(tail);
    char *data = malloc(hl + body_len + tl);
    memcpy(data, head, hl);
    for (size_t i = 0; i < body_len; i++)
        data[hl + i] = "abcdefghij "[i % 11];
    memcpy(data + hl + body_len, tail, tl);
    write_bytes("big.jsonl", data, hl + body_len + tl);
    write_file("small.jsonl", "{\"id\":\"small\",\"title\":\"s\"}\n");

    const char *paths[] = {tpath("big.jsonl"), tpath("small.jsonl")};
    sou_corpus *c = NULL;
    sou_error err;
    ck_assert_int_eq(sou_corpus_open(paths, 2, &c, &err), SOU_OK);
    sou_document *doc = NULL;
    ck_assert_int_eq(sou_corpus_next(c, &doc, &err), 1);
    size_t len = 0;
    const char *body = sou_document_get(doc, "body", &len);
    ck_assert_uint_eq(len, body_len);
    ck_assert(memcmp(body, data + hl, body_len) == 0);
    ck_assert_uint_eq(body[len], '\0');
    sou_document_free(doc);
    free(data);
    ck_assert_int_eq(sou_corpus_next(c, &doc, &err), 1);
    ck_assert_field(doc, "id", "small");
    sou_document_free(doc);
    ck_assert_int_eq(sou_corpus_next(c, &doc, &err), 0);
    sou_corpus_free(c);
}
END_TEST

/* ---- Text and Markdown --------------------------------------------------- */

START_TEST(test_corpus_txt_title_and_body)
{
    write_file("note.txt", "\n  \n  標題 Title  \n\n\n第一行\n\n  second line\n\n\n");
    sou_corpus *c = NULL;
    sou_document *doc = read_one(&c, tpath("note.txt"));
    ck_assert_field(doc, "id", tpath("note.txt"));
    ck_assert_field(doc, "title", "標題 Title");
    ck_assert_field(doc, "body", "第一行\n\n  second line");
    ck_assert_str_eq(doc->source, tpath("note.txt"));
    ck_assert_uint_eq(doc->line, 0);
    ck_assert_uint_eq(doc->nfields, 3);
    sou_document_free(doc);
    sou_corpus_free(c);
}
END_TEST

START_TEST(test_corpus_md_title_only_without_markers)
{
    /* A Markdown heading's markers are not part of the title; a .txt
     * title keeps what it says. */
    write_file("readme.md", "## Heading #1\n");
    sou_corpus *c = NULL;
    sou_document *doc = read_one(&c, tpath("readme.md"));
    ck_assert_field(doc, "title", "Heading #1");
    ck_assert_ptr_null(sou_document_get(doc, "body", NULL));
    sou_document_free(doc);
    sou_corpus_free(c);
}
END_TEST

START_TEST(test_corpus_txt_bom_and_crlf)
{
    write_file("w.txt", "\xEF\xBB\xBFTitle\r\n\r\nline 1\r\nline 2\r\n");
    sou_corpus *c = NULL;
    sou_document *doc = read_one(&c, tpath("w.txt"));
    ck_assert_field(doc, "title", "Title");
    ck_assert_field(doc, "body", "line 1\nline 2");
    sou_document_free(doc);
    sou_corpus_free(c);
}
END_TEST

struct bad_text {
    const char *data;
    size_t len;      /* 0: strlen(data) */
    const char *msg; /* after "T/bad.txt" */
    int code;
};

static const struct bad_text bad_texts[] = {
    {"", 0, ": empty document", SOU_ERR_DOC},
    {"\n \n\t\n\xE3\x80\x80\n", 0, ": empty document", SOU_ERR_DOC},
    {"\xEF\xBB\xBF\r\n", 0, ": empty document", SOU_ERR_DOC},
    {"title\nbody\nab\xC0\xAF\n", 0,
     ":3: invalid UTF-8 at byte 2 (C0 AF: an overlong encoding; C0 and C1 never occur in UTF-8)",
     SOU_ERR_UTF8},
    {"\xFF title\n", 0, ":1: invalid UTF-8 at byte 0 (FF: a byte that never occurs in UTF-8)",
     SOU_ERR_UTF8},
    {"title\nb\0dy\n", 11, ":2: NUL byte at byte 1", SOU_ERR_DOC},
    /* UTF-16 and UTF-32: one message for the file, not one per line. */
    {"\xFF\xFET\0\n\0b\0\n\0", 10,
     ": UTF-16LE text (it starts with a UTF-16LE byte order mark), not UTF-8; convert it with "
     "iconv -f UTF-16LE -t UTF-8",
     SOU_ERR_UTF8},
    {"\xFE\xFF\0T\0\n\0b\0\n", 10,
     ": UTF-16BE text (it starts with a UTF-16BE byte order mark), not UTF-8; convert it with "
     "iconv -f UTF-16BE -t UTF-8",
     SOU_ERR_UTF8},
    {"\xFF\xFE\0\0T\0\0\0\n\0\0\0", 12,
     ": UTF-32LE text (it starts with a UTF-32LE byte order mark), not UTF-8; convert it with "
     "iconv -f UTF-32LE -t UTF-8",
     SOU_ERR_UTF8},
    {"\0\0\xFE\xFF\0\0\0T\0\0\0\n", 12,
     ": UTF-32BE text (it starts with a UTF-32BE byte order mark), not UTF-8; convert it with "
     "iconv -f UTF-32BE -t UTF-8",
     SOU_ERR_UTF8},
};

/* A bad text file is reported once, and the next file is read. */
START_TEST(test_corpus_txt_bad_file)
{
    const struct bad_text *b = &bad_texts[_i];
    make_dir("d");
    write_bytes("d/bad.txt", b->data, b->len ? b->len : strlen(b->data));
    write_file("d/good.txt", "Good\n");
    char want[256];
    snprintf(want, sizeof want, "!%d T/d/bad.txt%s\nT/d/good.txt\n", b->code, b->msg);
    ck_assert_read(tpath("d"), want);
}
END_TEST

/* ---- Walking ----------------------------------------------------------------- */

START_TEST(test_corpus_directory_order)
{
    const char *doc = "{\"id\":\"%s\",\"title\":\"t\"}\n";
    char line[128];
#define PUT(rel, id)                                                                               \
    do {                                                                                           \
        snprintf(line, sizeof line, doc, id);                                                      \
        write_file(rel, line);                                                                     \
    } while (0)
    PUT("root/b.jsonl", "b");
    PUT("root/a/z.jsonl", "a/z");
    PUT("root/a/y/x.jsonl", "a/y/x");
    PUT("root/B.jsonl", "B");
    PUT("root/中文.jsonl", "中文");
    PUT("root/.hidden.jsonl", "hidden");
    PUT("root/.git/c.jsonl", "git");
    PUT("root/a/.cache/d.jsonl", "cache");
    PUT("root/c.json", "json");
    PUT("root/c.csv", "csv");
    PUT("root/c.jsonl.bak", "bak");
    PUT("root/e.JSONL", "upper");
#undef PUT
    write_file("root/a/m.md", "Markdown\n");
    write_file("root/a/t.txt", "Text\n");
    /* Byte order: upper case first, UTF-8 last; directories in place. */
    ck_assert_read(tpath("root"), "B\nT/root/a/m.md\nT/root/a/t.txt\na/y/x\na/z\nb\n中文\n");
}
END_TEST

START_TEST(test_corpus_txt_id_is_joined_path)
{
    write_file("d/sub/n.txt", "N\n");
    ck_assert_read(tpath("d"), "T/d/sub/n.txt\n");
    ck_assert_read(tpath("d/"), "T/d/sub/n.txt\n");
    ck_assert_read(tpath("d//sub"), "T/d//sub/n.txt\n");
}
END_TEST

START_TEST(test_corpus_named_paths_in_given_order)
{
    write_file("z.jsonl", "{\"id\":\"z\",\"title\":\"t\"}\n");
    write_file("a.jsonl", "{\"id\":\"a\",\"title\":\"t\"}\n");
    write_file(".hidden.jsonl", "{\"id\":\"h\",\"title\":\"t\"}\n");
    write_file("notes.csv", "x\n");
    const char *paths[] = {tpath("z.jsonl"), tpath("a.jsonl"), tpath(".hidden.jsonl"),
                           tpath("notes.csv")};
    char *got = read_paths(paths, 4);
    /* A named file is read even if hidden; a named file of another type is
     * an error rather than silently nothing. */
    ck_assert_str_eq(got, "z\na\nh\n!5 T/notes.csv: not a .jsonl, .txt or .md file\n");
    free(got);
}
END_TEST

START_TEST(test_corpus_missing_path_then_good_file)
{
    write_file("good.jsonl", "{\"id\":\"g\",\"title\":\"t\"}\n");
    const char *paths[] = {tpath("missing.jsonl"), tpath("nodir"), tpath("good.jsonl")};
    char *got = read_paths(paths, 3);
    ck_assert_str_eq(got, "!5 T/missing.jsonl: cannot open: No such file or directory\n"
                          "!5 T/nodir: cannot open: No such file or directory\n"
                          "g\n");
    free(got);
}
END_TEST

START_TEST(test_corpus_file_vanished_after_open)
{
    write_file("a.jsonl", "{\"id\":\"a\",\"title\":\"t\"}\n");
    write_file("b.txt", "B\n");
    write_file("c.jsonl", "{\"id\":\"c\",\"title\":\"t\"}\n");
    const char *path = tmpdir;
    sou_corpus *c = NULL;
    sou_error err;
    ck_assert_int_eq(sou_corpus_open(&path, 1, &c, &err), SOU_OK);
    ck_assert_int_eq(unlink(tpath("a.jsonl")), 0);
    ck_assert_int_eq(unlink(tpath("b.txt")), 0);
    sou_document *doc = NULL;
    ck_assert_int_eq(sou_corpus_next(c, &doc, &err), -1);
    ck_assert_int_eq(err.code, SOU_ERR_IO);
    ck_assert_str_eq(err.msg + strlen(tmpdir), "/a.jsonl: cannot open: No such file or directory");
    ck_assert_int_eq(sou_corpus_next(c, &doc, &err), -1);
    ck_assert_str_eq(err.msg + strlen(tmpdir), "/b.txt: cannot open: No such file or directory");
    ck_assert_int_eq(sou_corpus_next(c, &doc, &err), 1);
    ck_assert_field(doc, "id", "c");
    sou_document_free(doc);
    ck_assert_int_eq(sou_corpus_next(c, &doc, &err), 0);
    /* The lost files count as done, so progress ends at 100%. */
    ck_assert_uint_eq(sou_corpus_bytes_read(c), sou_corpus_total_bytes(c));
    sou_corpus_free(c);
}
END_TEST

START_TEST(test_corpus_unreadable_file_and_directory)
{
    if (geteuid() == 0)
        return; /* root reads anything: covered by test_corpus_file_vanished_after_open */
    write_file("a.jsonl", "{\"id\":\"a\",\"title\":\"t\"}\n");
    write_file("b/x.jsonl", "{\"id\":\"x\",\"title\":\"t\"}\n");
    write_file("c.jsonl", "{\"id\":\"c\",\"title\":\"t\"}\n");
    ck_assert_int_eq(chmod(tpath("a.jsonl"), 0), 0);
    ck_assert_int_eq(chmod(tpath("b"), 0), 0);
    char *got = read_path(tmpdir);
    chmod(tpath("a.jsonl"), 0600); /* so teardown can remove them */
    chmod(tpath("b"), 0700);
    ck_assert_str_eq(got, "!5 T/a.jsonl: cannot open: Permission denied\n"
                          "!5 T/b: cannot open directory: Permission denied\n"
                          "c\n");
    free(got);
}
END_TEST

START_TEST(test_corpus_symlinks)
{
    write_file("d/a.jsonl", "{\"id\":\"a\",\"title\":\"t\"}\n");
    write_file("real.txt", "Real\n");
    ck_assert_int_eq(symlink("..", tpath("d/loop")), 0);
    ck_assert_int_eq(symlink("nowhere.txt", tpath("d/m.txt")), 0);
    ck_assert_int_eq(symlink("../real.txt", tpath("d/r.txt")), 0);
    ck_assert_read(tpath("d"), "a\n"
                               "!5 T/d/loop/d: cannot open directory: Too many levels of "
                               "symbolic links\n"
                               "T/d/loop/real.txt\n"
                               "!5 T/d/m.txt: cannot open: No such file or directory\n"
                               "T/d/r.txt\n");
}
END_TEST

START_TEST(test_corpus_long_path_in_message)
{
    char rel[PATH_MAX] = "";
    for (int i = 0; i < 12; i++)
        strcat(rel, "directory-name-of-some-length/");
    strcat(rel, "empty.txt");
    write_file(rel, "  \n");
    strcpy(strrchr(rel, '/') + 1, "full.txt");
    write_file(rel, "Title\n");
    char *got = read_path(tmpdir);
    /* The end of the path is kept: it names the file. */
    ck_assert(strncmp(got, "!14 ...", 7) == 0);
    ck_assert_ptr_nonnull(
        strstr(got, "/directory-name-of-some-length/empty.txt: empty document\n"));
    /* A text file's id is its path, so the path must fit the id limit. */
    char want[128];
    snprintf(want, sizeof want, "/full.txt: id is %zu bytes, longer than 200\n",
             strlen(tpath(rel)));
    ck_assert_ptr_nonnull(strstr(got, want));
    ck_assert_ptr_eq(strchr(strchr(got, '\n') + 1, '\n'), got + strlen(got) - 1);
    free(got);
}
END_TEST

START_TEST(test_corpus_no_paths)
{
    sou_corpus *c = NULL;
    sou_error err;
    ck_assert_int_eq(sou_corpus_open(NULL, 0, &c, &err), SOU_OK);
    sou_document *doc = NULL;
    ck_assert_int_eq(sou_corpus_next(c, &doc, &err), 0);
    ck_assert_uint_eq(sou_corpus_total_bytes(c), 0);
    ck_assert_uint_eq(sou_corpus_bytes_read(c), 0);
    sou_corpus_free(c);
    sou_corpus_free(NULL);
}
END_TEST

START_TEST(test_corpus_invalid_arguments)
{
    sou_corpus *c = (sou_corpus *)&c;
    sou_error err;
    const char *paths[] = {"a", NULL};
    ck_assert_int_eq(sou_corpus_open(paths, 2, &c, &err), SOU_ERR_INVALID_ARG);
    ck_assert_ptr_null(c);
    ck_assert_int_eq(sou_corpus_open(NULL, 1, &c, &err), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_corpus_open(paths, 1, NULL, &err), SOU_ERR_INVALID_ARG);
    sou_document *doc = (sou_document *)&doc;
    ck_assert_int_eq(sou_corpus_next(NULL, &doc, &err), -1);
    ck_assert_int_eq(err.code, SOU_ERR_INVALID_ARG);
    ck_assert_ptr_null(doc);
}
END_TEST

START_TEST(test_corpus_free_in_the_middle)
{
    write_file("a.jsonl", "{\"id\":\"a\",\"title\":\"t\"}\n{\"id\":\"b\",\"title\":\"t\"}\n");
    sou_corpus *c = NULL;
    sou_document *doc = read_one(&c, tpath("a.jsonl"));
    sou_document_free(doc);
    sou_corpus_free(c); /* with the file still open: no leak */
}
END_TEST

START_TEST(test_corpus_byte_counts)
{
    write_file("d/a.jsonl",
               "{\"id\":\"a\",\"title\":\"t\"}\n\n{bad}\n{\"id\":\"b\",\"title\":\"t\"}\n");
    write_file("d/b.txt", "Title\nbody\n");
    write_file("d/skip.csv", "not counted\n");
    write_file("d/.hidden.txt", "not counted\n");
    uint64_t total = file_size("d/a.jsonl") + file_size("d/b.txt");
    const char *path = tpath("d");
    sou_corpus *c = NULL;
    sou_error err;
    ck_assert_int_eq(sou_corpus_open(&path, 1, &c, &err), SOU_OK);
    ck_assert_uint_eq(sou_corpus_total_bytes(c), total);
    ck_assert_uint_eq(sou_corpus_bytes_read(c), 0);
    sou_document *doc = NULL;
    ck_assert_int_eq(sou_corpus_next(c, &doc, &err), 1);
    sou_document_free(doc);
    ck_assert_uint_eq(sou_corpus_bytes_read(c), strlen("{\"id\":\"a\",\"title\":\"t\"}\n"));
    ck_assert_int_eq(sou_corpus_next(c, &doc, &err), -1);
    ck_assert_uint_eq(sou_corpus_bytes_read(c),
                      strlen("{\"id\":\"a\",\"title\":\"t\"}\n\n{bad}\n"));
    ck_assert_int_eq(sou_corpus_next(c, &doc, &err), 1);
    sou_document_free(doc);
    ck_assert_uint_eq(sou_corpus_bytes_read(c), file_size("d/a.jsonl"));
    ck_assert_int_eq(sou_corpus_next(c, &doc, &err), 1);
    sou_document_free(doc);
    ck_assert_uint_eq(sou_corpus_bytes_read(c), total);
    ck_assert_int_eq(sou_corpus_next(c, &doc, &err), 0);
    ck_assert_uint_eq(sou_corpus_bytes_read(c), total);
    sou_corpus_free(c);
}
END_TEST

/* ---- sou_document -------------------------------------------------------- */

START_TEST(test_corpus_document_set_get_replace)
{
    sou_document *doc = NULL;
    sou_error err;
    ck_assert_int_eq(sou_document_new(&doc, &err), SOU_OK);
    ck_assert_int_eq(sou_document_set(doc, "title", "old", 3, &err), SOU_OK);
    ck_assert_int_eq(sou_document_set(doc, "body", "b", 1, &err), SOU_OK);
    ck_assert_int_eq(sou_document_set(doc, "title", "新的 value", strlen("新的 value"), &err),
                     SOU_OK);
    ck_assert_uint_eq(doc->nfields, 2);
    ck_assert_str_eq(doc->fields[0].name, "title"); /* keeps its place */
    size_t len = 0;
    ck_assert_str_eq(sou_document_get(doc, "title", &len), "新的 value");
    ck_assert_uint_eq(len, strlen("新的 value"));
    /* Only len bytes are copied, and the copy is NUL-terminated. */
    ck_assert_int_eq(sou_document_set(doc, "body", "abcdef", 2, &err), SOU_OK);
    ck_assert_field(doc, "body", "ab");
    ck_assert_int_eq(sou_document_set(doc, "empty", NULL, 0, &err), SOU_OK);
    ck_assert_field(doc, "empty", "");
    for (int i = 0; i < 20; i++) { /* grows past the first allocation */
        char name[16];
        snprintf(name, sizeof name, "f%d", i);
        ck_assert_int_eq(sou_document_set(doc, name, name, strlen(name), &err), SOU_OK);
    }
    ck_assert_uint_eq(doc->nfields, 23);
    ck_assert_field(doc, "f19", "f19");
    sou_document_free(doc);
}
END_TEST

START_TEST(test_corpus_document_get_missing)
{
    sou_document *doc = NULL;
    ck_assert_int_eq(sou_document_new(&doc, NULL), SOU_OK);
    size_t len = 99;
    ck_assert_ptr_null(sou_document_get(doc, "title", &len));
    ck_assert_uint_eq(len, 0);
    ck_assert_ptr_null(sou_document_get(doc, "title", NULL));
    ck_assert_ptr_null(sou_document_get(NULL, "title", NULL));
    ck_assert_ptr_null(doc->source);
    ck_assert_uint_eq(doc->line, 0);
    sou_document_free(doc);
}
END_TEST

/* UTF-16 in JSON Lines: one message for the file, then the next file. */
START_TEST(test_corpus_jsonl_utf16_refused_whole)
{
    make_dir("d");
    write_bytes("d/a.jsonl", "\xFF\xFE{\0}\0\n\0{\0}\0\n\0", 14);
    write_file("d/b.jsonl", "{\"id\":\"b\",\"title\":\"B\"}\n");
    ck_assert_read(tpath("d"), "!3 T/d/a.jsonl: UTF-16LE text (it starts with a UTF-16LE byte "
                               "order mark), not UTF-8; convert it with iconv -f UTF-16LE -t "
                               "UTF-8\nb\n");
}
END_TEST

/* A line of Unicode white space (not JSON white space) is blank. */
START_TEST(test_corpus_jsonl_unicode_blank_line)
{
    write_file("w.jsonl", "{\"id\":\"a\",\"title\":\"A\"}\n\xE3\x80\x80\xC2\xA0\v\f\n"
                          "{\"id\":\"b\",\"title\":\"B\"}\n");
    ck_assert_read(tpath("w.jsonl"), "a\nb\n");
}
END_TEST

/* null is an absent field; a number is an id as written. */
START_TEST(test_corpus_jsonl_null_fields_absent)
{
    write_file("w.jsonl", "{\"id\":42,\"title\":\"T\",\"body\":null,\"url\":null}\n");
    sou_corpus *c = NULL;
    sou_document *doc = read_one(&c, tpath("w.jsonl"));
    ck_assert_field(doc, "id", "42");
    ck_assert_ptr_null(sou_document_get(doc, "body", NULL));
    ck_assert_ptr_null(sou_document_get(doc, "url", NULL));
    ck_assert_uint_eq(doc->nfields, 2);
    sou_document_free(doc);
    sou_corpus_free(c);
}
END_TEST

/* Control characters in text become spaces of the same length. */
START_TEST(test_corpus_jsonl_controls_blanked)
{
    write_file(
        "w.jsonl",
        "{\"id\":\"a\",\"title\":\"x\\u001b[2Jy\",\"body\":\"a\\tb\\r\\nc\\u007f\\u0085d\"}\n");
    sou_corpus *c = NULL;
    sou_document *doc = read_one(&c, tpath("w.jsonl"));
    ck_assert_field(doc, "title", "x [2Jy");
    ck_assert_field(doc, "body", "a\tb \nc   d");
    sou_document_free(doc);
    sou_corpus_free(c);
}
END_TEST

/* 100000 keys used to take minutes (a linear scan per field): now the
 * line is refused at the limit, and the next one read. */
START_TEST(test_corpus_jsonl_too_many_fields)
{
    size_t cap = 100000 * 16 + 64, len = 0;
    char *data = malloc(cap);
    ck_assert_ptr_nonnull(data);
    len += (size_t)snprintf(data, cap, "{\"id\":\"x\",\"title\":\"t\"");
    for (int i = 0; i < 100000; i++)
        len += (size_t)snprintf(data + len, cap - len, ",\"k%d\":\"v\"", i);
    len += (size_t)snprintf(data + len, cap - len, "}\n{\"id\":\"b\",\"title\":\"B\"}\n");
    write_bytes("w.jsonl", data, len);
    free(data);
    ck_assert_read(tpath("w.jsonl"), "!14 T/w.jsonl:1: more than 1000 fields\nb\n");
}
END_TEST

/* A first line of more than 200 bytes: the title is its start, cut at a
 * space, and the rest begins the body. */
START_TEST(test_corpus_txt_long_first_line)
{
    char text[1400] = ""; /* 100 words of 12 bytes and a second line */
    for (int i = 0; i < 100; i++)
        strcat(text, "word 字詞 ");
    strcat(text, "\nsecond line\n");
    write_file("w.txt", text);
    sou_corpus *c = NULL;
    sou_document *doc = read_one(&c, tpath("w.txt"));
    size_t tlen = 0, blen = 0;
    const char *title = sou_document_get(doc, "title", &tlen);
    const char *body = sou_document_get(doc, "body", &blen);
    ck_assert_uint_eq(tlen, 196); /* up to the last space before byte 200 */
    ck_assert_int_eq(strncmp(title, "word 字詞 word", 16), 0);
    ck_assert_int_eq(strncmp(title + 192, "word", 4), 0);
    ck_assert_int_eq(strncmp(body, "字詞 word", 11), 0);
    ck_assert_uint_eq(tlen + 1 + blen, strlen(text) - 2); /* no text lost */
    ck_assert_str_eq(body + blen - 12, "\nsecond line");
    sou_document_free(doc);
    sou_corpus_free(c);
}
END_TEST

/* Classic Mac OS line ends in a text file: a lone CR ends a line. */
START_TEST(test_corpus_txt_lone_cr)
{
    write_file("w.txt", "Title\rline 1\r\rline 2\x01\r");
    sou_corpus *c = NULL;
    sou_document *doc = read_one(&c, tpath("w.txt"));
    ck_assert_field(doc, "title", "Title");
    ck_assert_field(doc, "body", "line 1\n\nline 2 ");
    sou_document_free(doc);
    sou_corpus_free(c);
}
END_TEST

static const struct {
    const char *bytes;
    const char *problem;
} utf8_problems[] = {
    {"\xC0\xAF", "an overlong encoding; C0 and C1 never occur in UTF-8"},
    {"\xE0\x80\xAF", "an overlong encoding"},
    {"\xF0\x80\x80\xAF", "an overlong encoding"},
    {"\xED\xA0\x80", "an encoded UTF-16 surrogate"},
    {"\xF4\x90\x80\x80", "a code point above U+10FFFF"},
    {"\xE6\x96", "a sequence cut short by the end of the line"},
    {"\xE6\x96x", "a lead byte without all its continuation bytes"},
    {"\x80", "a continuation byte without a lead byte"},
    {"\xF5\x80\x80\x80", "a byte that never occurs in UTF-8"},
    {"\xFF", "a byte that never occurs in UTF-8"},
};

START_TEST(test_corpus_utf8_problem)
{
    char text[16];
    int n = snprintf(text, sizeof text, "ab%s", utf8_problems[_i].bytes);
    size_t bad = 0;
    ck_assert_int_eq(sou_utf8_valid(text, (size_t)n, &bad), 0);
    ck_assert_uint_eq(bad, 2);
    ck_assert_str_eq(sou_utf8_problem(text, (size_t)n, bad), utf8_problems[_i].problem);
}
END_TEST

START_TEST(test_corpus_document_field_limit)
{
    sou_document *doc = NULL;
    sou_error err;
    char name[16];
    ck_assert_int_eq(sou_document_new(&doc, &err), SOU_OK);
    for (int i = 0; i < SOU_FIELDS_MAX; i++) {
        snprintf(name, sizeof name, "f%d", i);
        ck_assert_int_eq(sou_document_set(doc, name, "v", 1, &err), SOU_OK);
    }
    ck_assert_int_eq(sou_document_set(doc, "one-more", "v", 1, &err), SOU_ERR_DOC);
    ck_assert_str_eq(err.msg, "more than 1000 fields");
    ck_assert_int_eq(sou_document_set(doc, "f7", "w", 1, &err), SOU_OK); /* replacing is fine */
    ck_assert_uint_eq(doc->nfields, SOU_FIELDS_MAX);
    sou_document_free(doc);
}
END_TEST

START_TEST(test_corpus_document_set_rejects)
{
    sou_document *doc = NULL;
    sou_error err;
    ck_assert_int_eq(sou_document_new(&doc, &err), SOU_OK);
    ck_assert_int_eq(sou_document_set(doc, "title", "ok", 2, &err), SOU_OK);
    ck_assert_int_eq(sou_document_set(doc, "title", "bad\xC0\x80", 5, &err), SOU_ERR_UTF8);
    ck_assert_int_eq(err.code, SOU_ERR_UTF8);
    ck_assert_str_eq(err.msg, "field \"title\": invalid UTF-8 at byte 3");
    ck_assert_field(doc, "title", "ok"); /* unchanged */
    ck_assert_int_eq(sou_document_set(doc, NULL, "x", 1, &err), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_document_set(doc, "", "x", 1, &err), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_document_set(doc, "x", NULL, 1, &err), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_document_set(NULL, "x", "x", 1, &err), SOU_ERR_INVALID_ARG);
    ck_assert_int_eq(sou_document_new(NULL, &err), SOU_ERR_INVALID_ARG);
    ck_assert_uint_eq(doc->nfields, 1);
    sou_document_free(doc);
}
END_TEST

START_TEST(test_corpus_document_source)
{
    sou_document *doc = NULL;
    sou_error err;
    ck_assert_int_eq(sou_document_new(&doc, &err), SOU_OK);
    ck_assert_int_eq(sou_document_set_source(doc, "a.jsonl", 3, &err), SOU_OK);
    ck_assert_str_eq(doc->source, "a.jsonl");
    ck_assert_uint_eq(doc->line, 3);
    ck_assert_int_eq(sou_document_set_source(doc, "b.txt", 0, &err), SOU_OK);
    ck_assert_str_eq(doc->source, "b.txt");
    ck_assert_uint_eq(doc->line, 0);
    ck_assert_int_eq(sou_document_set_source(NULL, "x", 0, &err), SOU_ERR_INVALID_ARG);
    sou_document_free(doc);
}
END_TEST

START_TEST(test_corpus_document_free_null)
{
    sou_document_free(NULL);
}
END_TEST

Suite *corpus_suite(void)
{
    Suite *s = suite_create("corpus");
    TCase *tc = tcase_create("corpus");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_corpus_jsonl_fields);
    tcase_add_test(tc, test_corpus_keep_passes_over_declined_ids);
    tcase_add_test(tc, test_corpus_jsonl_numbers_and_booleans_as_text);
    tcase_add_test(tc, test_corpus_jsonl_escapes_decoded);
    tcase_add_test(tc, test_corpus_jsonl_blank_lines_skipped);
    tcase_add_test(tc, test_corpus_jsonl_bom_and_crlf);
    tcase_add_test(tc, test_corpus_jsonl_bom_at_any_line_start);
    tcase_add_test(tc, test_corpus_jsonl_errors_and_recovery);
    tcase_add_loop_test(tc, test_corpus_jsonl_bad_line, 0,
                        (int)(sizeof bad_lines / sizeof bad_lines[0]));
    tcase_add_test(tc, test_corpus_jsonl_id_of_200_bytes_accepted);
    tcase_add_test(tc, test_corpus_jsonl_long_line);
    tcase_add_test(tc, test_corpus_bad_date_quoted_whole_characters);
    tcase_add_test(tc, test_corpus_txt_title_and_body);
    tcase_add_test(tc, test_corpus_md_title_only_without_markers);
    tcase_add_test(tc, test_corpus_txt_bom_and_crlf);
    tcase_add_loop_test(tc, test_corpus_txt_bad_file, 0,
                        (int)(sizeof bad_texts / sizeof bad_texts[0]));
    tcase_add_test(tc, test_corpus_directory_order);
    tcase_add_test(tc, test_corpus_txt_id_is_joined_path);
    tcase_add_test(tc, test_corpus_named_paths_in_given_order);
    tcase_add_test(tc, test_corpus_missing_path_then_good_file);
    tcase_add_test(tc, test_corpus_file_vanished_after_open);
    tcase_add_test(tc, test_corpus_unreadable_file_and_directory);
    tcase_add_test(tc, test_corpus_symlinks);
    tcase_add_test(tc, test_corpus_long_path_in_message);
    tcase_add_test(tc, test_corpus_no_paths);
    tcase_add_test(tc, test_corpus_invalid_arguments);
    tcase_add_test(tc, test_corpus_free_in_the_middle);
    tcase_add_test(tc, test_corpus_byte_counts);
    tcase_add_test(tc, test_corpus_document_set_get_replace);
    tcase_add_test(tc, test_corpus_document_get_missing);
    tcase_add_test(tc, test_corpus_document_set_rejects);
    tcase_add_test(tc, test_corpus_jsonl_utf16_refused_whole);
    tcase_add_test(tc, test_corpus_jsonl_unicode_blank_line);
    tcase_add_test(tc, test_corpus_jsonl_null_fields_absent);
    tcase_add_test(tc, test_corpus_jsonl_controls_blanked);
    tcase_add_test(tc, test_corpus_jsonl_too_many_fields);
    tcase_add_test(tc, test_corpus_txt_lone_cr);
    tcase_add_test(tc, test_corpus_txt_long_first_line);
    tcase_add_loop_test(tc, test_corpus_utf8_problem, 0,
                        sizeof utf8_problems / sizeof utf8_problems[0]);
    tcase_add_test(tc, test_corpus_document_field_limit);
    tcase_add_test(tc, test_corpus_document_source);
    tcase_add_test(tc, test_corpus_document_free_null);
    suite_add_tcase(s, tc);
    return s;
}
