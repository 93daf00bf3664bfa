/*
 * corpus.c - reading documents from JSON Lines, text and Markdown files and
 * from directory trees of them. See include/sou/corpus.h for the contract.
 *
 * sou_corpus_open() walks every path at once into a flat list of entries:
 * files to read, and paths that failed (missing, unopenable directories),
 * which sou_corpus_next() reports in turn. Walking first means the total
 * size is known before the first document, for progress reports. next()
 * then reads one JSON Lines line, or one whole text file, per call. Lines
 * come from getline(), so a line may be any length.
 *
 * Every failure becomes "path:line: what" (or "path: what" for a whole
 * file) and the reader moves past it: one bad line costs one document.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>
#include <utf8proc.h>

#include "sou/corpus.h"
#include "sou/layout.h"
#include "sou/normalize.h"
#include "internal.h"

/* A text file's title is at most this many bytes (see add_text_line). */
#define TEXT_TITLE_MAX 200

/* A line buffer larger than this is freed when its file is done. */
#define LINE_KEEP_MAX (1024 * 1024)

enum entry_kind {
    ENTRY_JSONL, /* a JSON Lines file: one document per line */
    ENTRY_TEXT,  /* a .txt or .md file: one document */
    ENTRY_ERROR  /* a path that could not be walked: reported in turn */
};

struct entry {
    char *path; /* as given, or joined from a walked directory */
    enum entry_kind kind;
    uint64_t size;    /* files: st_size when walked */
    int errnum;       /* ENTRY_ERROR: an errno value, or 0 */
    const char *what; /* ENTRY_ERROR: static text such as "cannot open" */
};

struct sou_corpus {
    struct entry *entries;
    size_t n, cap;
    size_t next;             /* the next entry to start */
    FILE *fp;                /* the file being read, or NULL */
    const struct entry *cur; /* its entry */
    unsigned long lineno;    /* lines of fp read so far */
    char *line;              /* getline()'s buffer, reused */
    size_t line_cap;
    uint64_t total;          /* sum of the walked files' sizes */
    uint64_t done;           /* bytes of the files finished */
    uint64_t cur_bytes;      /* bytes of fp read so far */
    sou_corpus_keep_fn keep; /* sou_corpus_set_keep(), or NULL */
    void *keep_ctx;
};

/* A directory being walked and those above it, to notice a symbolic link
 * that leads back up the tree. */
struct ancestor {
    dev_t dev;
    ino_t ino;
    const struct ancestor *up;
};

/* A growable NUL-terminated byte string. */
struct strbuf {
    char *p;
    size_t len, cap;
};

/* ---- Errors ------------------------------------------------------------ */

/* Room for text of up to SOU_ERROR_MSG_MAX bytes with every byte escaped. */
#define ESCAPED_MAX (4 * SOU_ERROR_MSG_MAX)

/* Copies src to dst (ESCAPED_MAX bytes) with each C0 control byte and DEL
 * written as \xNN, and U+FEFF as \uFEFF: a message quotes the input (Jansson's "near '...'", a
 * file name), which must not reach a terminal as an escape sequence or
 * break the one line a message takes. src is at most SOU_ERROR_MSG_MAX
 * bytes, so nothing is cut (sou_error_set cuts at a character). */
static void escape_controls(char dst[ESCAPED_MAX], const char *src)
{
    size_t o = 0;
    for (; *src && o + 5 < ESCAPED_MAX; src++) {
        unsigned char ch = (unsigned char)*src;
        if (ch < 0x20 || ch == 0x7F) {
            o += (size_t)snprintf(dst + o, ESCAPED_MAX - o, "\\x%02X", ch);
        } else if (strncmp(src, "\xEF\xBB\xBF", 3) == 0) { /* an invisible BOM */
            /* strncmp, not memcmp: src may end (NUL) before 3 bytes, and
             * memcmp may read all 3, past the end of a string such as a
             * walked path allocated to its exact length. */
            o += (size_t)snprintf(dst + o, ESCAPED_MAX - o, "\\uFEFF");
            src += 2;
        } else
            dst[o++] = (char)ch;
    }
    dst[o] = '\0';
}

/* Fills err with "path:line: message", or "path: message" when line is 0,
 * and returns -1, next()'s value for a failure. An over-long path keeps its
 * end, which names the file. Never allocates. */
static int fail(sou_error *err, int code, const char *path, unsigned long line, const char *fmt,
                ...) __attribute__((format(printf, 5, 6)));

static int fail(sou_error *err, int code, const char *path, unsigned long line, const char *fmt,
                ...)
{
    if (!err)
        return -1;
    char msg[SOU_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *dots = "";
    size_t plen = strlen(path);
    if (plen > SOU_ERROR_MSG_MAX / 2) {
        dots = "...";
        path += plen - SOU_ERROR_MSG_MAX / 2;
        while ((*path & 0xC0) == 0x80) /* do not start inside a UTF-8 sequence */
            path++;
    }
    char safe_path[ESCAPED_MAX], safe_msg[ESCAPED_MAX];
    escape_controls(safe_path, path);
    escape_controls(safe_msg, msg);
    if (line)
        sou_error_set(err, code, "%s%s:%lu: %s", dots, safe_path, line, safe_msg);
    else
        sou_error_set(err, code, "%s%s: %s", dots, safe_path, safe_msg);
    return -1;
}

/* ---- Walking ------------------------------------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* The kind of file name path, or -1 for a type that is not read. */
static int file_kind(const char *path)
{
    if (ends_with(path, ".jsonl"))
        return ENTRY_JSONL;
    if (ends_with(path, ".txt") || ends_with(path, ".md"))
        return ENTRY_TEXT;
    return -1;
}

/* Appends an entry; takes path, freeing it if that fails. */
static int add_entry(sou_corpus *c, char *path, enum entry_kind kind, uint64_t size, int errnum,
                     const char *what)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        struct entry *v = realloc(c->entries, cap * sizeof *v);
        if (!v) {
            free(path);
            return SOU_ERR_NOMEM;
        }
        c->entries = v;
        c->cap = cap;
    }
    c->entries[c->n++] =
        (struct entry){.path = path, .kind = kind, .size = size, .errnum = errnum, .what = what};
    return SOU_OK;
}

static char *join_path(const char *dir, const char *name)
{
    size_t dlen = strlen(dir), nlen = strlen(name);
    size_t slash = dlen && dir[dlen - 1] != '/';
    char *p = malloc(dlen + slash + nlen + 1);
    if (!p)
        return NULL;
    memcpy(p, dir, dlen);
    if (slash)
        p[dlen] = '/';
    memcpy(p + dlen + slash, name, nlen + 1);
    return p;
}

static int compare_names(const void *a, const void *b)
{
    /* strcmp compares as unsigned char: byte order, which is code point
     * order for UTF-8 names. */
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(sou_corpus *c, char *path, int named, const struct ancestor *up);

/* Walks the directory path (taken) whose status is st. */
static int walk_dir(sou_corpus *c, char *path, const struct stat *st, const struct ancestor *up)
{
    for (const struct ancestor *a = up; a; a = a->up)
        if (a->dev == st->st_dev && a->ino == st->st_ino)
            return add_entry(c, path, ENTRY_ERROR, 0, ELOOP, "cannot open directory");
    DIR *d = opendir(path);
    if (!d)
        return add_entry(c, path, ENTRY_ERROR, 0, errno, "cannot open directory");

    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = SOU_OK, read_errno = 0;
    for (;;) {
        errno = 0;
        struct dirent *de = readdir(d);
        if (!de) {
            read_errno = errno;
            break;
        }
        if (de->d_name[0] == '.') /* hidden, and "." and ".." */
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            char **v = realloc(names, ncap * sizeof *v);
            if (!v) {
                rc = SOU_ERR_NOMEM;
                break;
            }
            names = v;
            cap = ncap;
        }
        if (!(names[n] = strdup(de->d_name))) {
            rc = SOU_ERR_NOMEM;
            break;
        }
        n++;
    }
    closedir(d);

    if (rc == SOU_OK && n > 1)
        qsort(names, n, sizeof *names, compare_names);
    const struct ancestor self = {.dev = st->st_dev, .ino = st->st_ino, .up = up};
    for (size_t i = 0; i < n && rc == SOU_OK; i++) {
        char *child = join_path(path, names[i]);
        rc = child ? walk(c, child, 0, &self) : SOU_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (rc == SOU_OK && read_errno)
        return add_entry(c, path, ENTRY_ERROR, 0, read_errno, "cannot read directory");
    free(path);
    return rc;
}

/* Adds what path (taken) holds to the list. named: the caller gave path,
 * so a file of a type that is not read is reported, not skipped. */
static int walk(sou_corpus *c, char *path, int named, const struct ancestor *up)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return add_entry(c, path, ENTRY_ERROR, 0, errno, "cannot open");
    if (S_ISDIR(st.st_mode))
        return walk_dir(c, path, &st, up);
    int kind = S_ISREG(st.st_mode) ? file_kind(path) : -1;
    if (kind < 0) {
        if (named)
            return add_entry(c, path, ENTRY_ERROR, 0, 0,
                             S_ISREG(st.st_mode) ? "not a .jsonl, .txt or .md file"
                                                 : "not a regular file or directory");
        free(path);
        return SOU_OK;
    }
    uint64_t size = st.st_size > 0 ? (uint64_t)st.st_size : 0;
    c->total += size;
    return add_entry(c, path, (enum entry_kind)kind, size, 0, NULL);
}

SOU_API int sou_corpus_open(const char *const *paths, size_t n, sou_corpus **out, sou_error *err)
{
    if (!out)
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "sou_corpus_open: out is NULL");
    *out = NULL;
    if (n && !paths)
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "sou_corpus_open: paths is NULL");
    for (size_t i = 0; i < n; i++)
        if (!paths[i])
            return sou_error_set(err, SOU_ERR_INVALID_ARG, "sou_corpus_open: path %zu is NULL", i);
    sou_corpus *c = calloc(1, sizeof *c);
    if (!c)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory opening the corpus");
    for (size_t i = 0; i < n; i++) {
        char *path = strdup(paths[i]);
        if (!path || walk(c, path, 1, NULL) != SOU_OK) {
            sou_corpus_free(c);
            return sou_error_set(err, SOU_ERR_NOMEM, "out of memory walking %s", paths[i]);
        }
    }
    *out = c;
    return SOU_OK;
}

SOU_API void sou_corpus_free(sou_corpus *c)
{
    if (!c)
        return;
    if (c->fp)
        fclose(c->fp);
    for (size_t i = 0; i < c->n; i++)
        free(c->entries[i].path);
    free(c->entries);
    free(c->line);
    free(c);
}

SOU_API uint64_t sou_corpus_total_bytes(const sou_corpus *c)
{
    return c ? c->total : 0;
}

SOU_API uint64_t sou_corpus_bytes_read(const sou_corpus *c)
{
    return c ? c->done + c->cur_bytes : 0;
}

/* ---- Reading lines ------------------------------------------------------- */

static int open_file(sou_corpus *c, const struct entry *e)
{
    c->fp = fopen(e->path, "re");
    c->cur = e;
    c->lineno = 0;
    c->cur_bytes = 0;
    return c->fp ? 0 : -1;
}

/* Closes the current file. A file left early, or one that shrank, counts
 * as its walked size, so bytes_read reaches total_bytes at the end. */
static void finish_file(sou_corpus *c)
{
    if (c->fp)
        fclose(c->fp);
    c->fp = NULL;
    c->done += c->cur_bytes > c->cur->size ? c->cur_bytes : c->cur->size;
    c->cur_bytes = 0;
    if (c->line_cap > LINE_KEEP_MAX) { /* do not hold on to one huge line */
        free(c->line);
        c->line = NULL;
        c->line_cap = 0;
    }
}

/* Reads the next line of the current file without its line end and
 * without a UTF-8 BOM at its start: not only on line 1, since files
 * joined with cat keep theirs. Returns 1 with *out and *len set (borrowed
 * until the next call), 0 at the end of the file, or -1 with errno set. */
static int read_line(sou_corpus *c, char **out, size_t *len)
{
    errno = 0;
    ssize_t got = getline(&c->line, &c->line_cap, c->fp);
    if (got < 0) {
        if (!ferror(c->fp) && errno != ENOMEM)
            return 0;
        if (!errno)
            errno = EIO;
        return -1;
    }
    c->cur_bytes += (uint64_t)got;
    c->lineno++;
    char *s = c->line;
    size_t n = (size_t)got;
    if (n && s[n - 1] == '\n')
        n--;
    if (n && s[n - 1] == '\r')
        n--;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        s += 3;
        n -= 3;
    }
    *out = s;
    *len = n;
    return 1;
}

static int read_failed(sou_corpus *c, sou_error *err)
{
    int e = errno;
    return fail(err, e == ENOMEM ? SOU_ERR_NOMEM : SOU_ERR_IO, c->cur->path, c->lineno + 1,
                "cannot read: %s", strerror(e));
}

/* Reports the invalid UTF-8 s[0..len) (bad: sou_utf8_valid's offset) with
 * the bytes at fault and what is wrong with them. */
static int utf8_fail(sou_error *err, const char *path, unsigned long line, const char *what,
                     const char *s, size_t len, size_t bad)
{
    char bytes[16] = "";
    for (size_t k = 0, o = 0; k < 4 && bad + k < len; k++) {
        unsigned char ch = (unsigned char)s[bad + k];
        if (k && (ch < 0x80 || ch > 0xBF))
            break;
        o += (size_t)snprintf(bytes + o, sizeof bytes - o, "%s%02X", k ? " " : "", ch);
        if (!k && (ch < 0xC0 || ch > 0xF4)) /* no sequence follows */
            break;
    }
    return fail(err, SOU_ERR_UTF8, path, line, "%sinvalid UTF-8 at byte %zu (%s: %s)", what, bad,
                bytes, sou_utf8_problem(s, len, bad));
}

/* Checks a line before it is parsed: valid UTF-8 without NUL bytes. A NUL
 * is reported with nul_code. */
static int check_line(const sou_corpus *c, const char *s, size_t len, int nul_code, sou_error *err)
{
    size_t bad = 0;
    if (!sou_utf8_valid(s, len, &bad))
        return utf8_fail(err, c->cur->path, c->lineno, "", s, len, bad);
    const char *nul = memchr(s, '\0', len);
    if (nul)
        return fail(err, nul_code, c->cur->path, c->lineno, "NUL byte at byte %zu",
                    (size_t)(nul - s));
    return 0;
}

/* On line 1: refuses a file that starts with a UTF-16 or UTF-32 byte order
 * mark, as a whole and with one message, rather than with one "invalid
 * UTF-8" or "NUL byte" per line. The caller then gives up the file. */
static int check_encoding(const sou_corpus *c, const char *s, size_t len, sou_error *err)
{
    static const struct {
        const char *bom;
        size_t len;
        const char *name;
    } boms[] = {{"\xFF\xFE\0\0", 4, "UTF-32LE"},
                {"\0\0\xFE\xFF", 4, "UTF-32BE"},
                {"\xFF\xFE", 2, "UTF-16LE"},
                {"\xFE\xFF", 2, "UTF-16BE"}};
    if (c->lineno != 1)
        return 0;
    for (size_t i = 0; i < sizeof boms / sizeof boms[0]; i++)
        if (len >= boms[i].len && memcmp(s, boms[i].bom, boms[i].len) == 0)
            return fail(err, SOU_ERR_UTF8, c->cur->path, 0,
                        "%s text (it starts with a %s byte order mark), not UTF-8; convert it "
                        "with iconv -f %s -t UTF-8",
                        boms[i].name, boms[i].name, boms[i].name);
    return 0;
}

/* ---- Checking documents -------------------------------------------------- */

/* 1 if the valid UTF-8 s[0..len) is empty or only white space. */
static int is_blank(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0)
            return 0;
        if (!(cp == '\t' || cp == '\n' || cp == '\v' || cp == '\f' || cp == '\r' || cp == 0xFEFF ||
              utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS))
            return 0;
        i += (size_t)n;
    }
    return 1;
}

/* Checks that doc has a usable id and some text. */
static int check_document(const sou_document *doc, const char *path, unsigned long line,
                          sou_error *err)
{
    size_t len = 0;
    const unsigned char *id = (const unsigned char *)sou_document_get(doc, "id", &len);
    if (!id)
        return fail(err, SOU_ERR_DOC, path, line, "missing \"id\"");
    if (is_blank((const char *)id, len))
        return fail(err, SOU_ERR_DOC, path, line, "\"id\" is empty or only white space");
    if (len > SOU_ID_MAX)
        return fail(err, SOU_ERR_DOC, path, line, "id is %zu bytes, longer than %d", len,
                    SOU_ID_MAX);
    for (size_t i = 0; i < len; i++)
        /* C0 controls, DEL, and C1 controls (U+0080..U+009F, C2 80..C2 9F). */
        if (id[i] < 0x20 || id[i] == 0x7F || (id[i] == 0xC2 && id[i + 1] < 0xA0))
            return fail(err, SOU_ERR_DOC, path, line, "id contains a control character at byte %zu",
                        i);
    const char *title = sou_document_get(doc, "title", &len);
    if (title && !is_blank(title, len))
        return 0;
    const char *body = sou_document_get(doc, "body", &len);
    if (body && !is_blank(body, len))
        return 0;
    return fail(err, SOU_ERR_DOC, path, line, "empty document");
}

/* ---- JSON Lines -------------------------------------------------------- */

static int is_json_space_byte(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static int is_json_space(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!is_json_space_byte(s[i]))
            return 0;
    return 1;
}

static const char *json_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    }
    return "unknown";
}

/* A cursor over the members of an object that Jansson has already parsed,
 * to recover the text of numbers, which Jansson keeps only in binary: 1.10
 * would come back as 1.1 and 1.5e3 as 1500.0. Jansson iterates an object in
 * the order of its text (since 2.8) and duplicate keys are rejected, so the
 * k-th value found here belongs to the k-th member of json_object_foreach().
 * Every step is bounded by len. */
struct members {
    const char *s;
    size_t len, pos;
};

static void members_skip_space(struct members *m)
{
    while (m->pos < m->len && is_json_space_byte(m->s[m->pos]))
        m->pos++;
}

/* Moves past the string that starts at pos. */
static void members_skip_string(struct members *m)
{
    m->pos++;
    while (m->pos < m->len && m->s[m->pos] != '"')
        m->pos += m->s[m->pos] == '\\' ? 2 : 1;
    m->pos = m->pos < m->len ? m->pos + 1 : m->len;
}

/* Moves past the value that starts at pos: a string, a nested object or
 * array, or a number or literal. */
static void members_skip_value(struct members *m)
{
    int depth = 0;
    while (m->pos < m->len) {
        char ch = m->s[m->pos];
        if (ch == '"') {
            members_skip_string(m);
            if (!depth)
                return;
            continue;
        }
        if (ch == '{' || ch == '[') {
            depth++;
        } else if (ch == '}' || ch == ']') {
            if (!depth)
                return;
            if (!--depth) {
                m->pos++;
                return;
            }
        } else if (!depth && (ch == ',' || is_json_space_byte(ch))) {
            return;
        }
        m->pos++;
    }
}

/* The text of the next member's value; *len is its length. */
static const char *members_next(struct members *m, size_t *len)
{
    members_skip_space(m);
    if (m->pos < m->len && (m->s[m->pos] == '{' || m->s[m->pos] == ','))
        m->pos++;
    members_skip_space(m);
    members_skip_string(m); /* the key */
    members_skip_space(m);
    if (m->pos < m->len && m->s[m->pos] == ':')
        m->pos++;
    members_skip_space(m);
    size_t start = m->pos;
    members_skip_value(m);
    *len = m->pos - start;
    return m->s + start;
}

/* The raw string at m->pos without its quotes: 1 with *out and *len set,
 * 0 when it holds an escape (its text is not its value) or is unclosed. */
static int members_plain_string(struct members *m, const char **out, size_t *len)
{
    size_t start = m->pos + 1;
    members_skip_string(m);
    if (m->pos <= start || m->s[m->pos - 1] != '"')
        return 0;
    *out = m->s + start;
    *len = m->pos - 1 - start;
    return memchr(*out, '\\', *len) == NULL;
}

/* The id of the JSON object line s[0..len), read from its text without
 * parsing it: 1 with *id and *n set when the text tells it for certain,
 * that is, when the object has one member named "id" (spelled without
 * escapes, as every key must be) and its value is a string without
 * escapes or a number, whose text set_json_field() keeps as it is. 0
 * otherwise. The line need not be valid JSON: a line that is not fails
 * when parsed, whatever id was read from it. */
static int skim_id(const char *s, size_t len, const char **id, size_t *n)
{
    struct members m = {.s = s, .len = len, .pos = 0};
    int found = 0;
    members_skip_space(&m);
    if (m.pos >= len || s[m.pos] != '{')
        return 0;
    m.pos++;
    for (;;) {
        members_skip_space(&m);
        if (m.pos >= len || s[m.pos] != '"')
            return 0;
        const char *key;
        size_t key_len;
        if (!members_plain_string(&m, &key, &key_len))
            return 0;
        members_skip_space(&m);
        if (m.pos >= len || s[m.pos] != ':')
            return 0;
        m.pos++;
        members_skip_space(&m);
        if (key_len == 2 && memcmp(key, "id", 2) == 0) {
            if (found || m.pos >= len)
                return 0;
            char ch = s[m.pos];
            if (ch == '"') {
                if (!members_plain_string(&m, id, n))
                    return 0;
            } else if (ch == '-' || (ch >= '0' && ch <= '9')) {
                size_t start = m.pos;
                members_skip_value(&m);
                *id = s + start;
                *n = m.pos - start;
            } else {
                return 0;
            }
            found = 1;
        } else {
            members_skip_value(&m);
        }
        members_skip_space(&m);
        if (m.pos >= len)
            return 0;
        if (s[m.pos++] == '}')
            return found;
        if (s[m.pos - 1] != ',')
            return 0;
    }
}

/* Sets field key of doc from the JSON value v, whose text is raw[0..raw_len):
 * strings as they are, numbers and booleans as their JSON text. */
static int set_json_field(sou_document *doc, const char *key, const json_t *v, const char *raw,
                          size_t raw_len, const char *path, unsigned long line, sou_error *err)
{
    const char *text = raw;
    size_t len = raw_len;
    switch (json_typeof(v)) {
    case JSON_STRING:
        text = json_string_value(v);
        len = json_string_length(v);
        break;
    case JSON_INTEGER:
    case JSON_REAL:
        if (!raw_len || !(raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9')))
            return fail(err, SOU_ERR_JSON, path, line, "cannot find the text of field \"%s\"", key);
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        if (strcmp(key, "id") == 0) /* a boolean names nothing */
            return fail(err, SOU_ERR_DOC, path, line,
                        "field \"id\" must be a string or a number, not a boolean");
        text = json_is_true(v) ? "true" : "false";
        len = strlen(text);
        break;
    default:
        return fail(err, SOU_ERR_DOC, path, line, "field \"%s\" must be a string, not %s", key,
                    json_type_name(v));
    }
    sou_error e;
    /* The id is checked for control characters, not repaired. */
    int rc = strcmp(key, "id") == 0 ? sou_document_set(doc, key, text, len, &e)
                                    : sou_document_set_text(doc, key, text, len, &e);
    if (rc != SOU_OK)
        return fail(err, e.code, path, line, "%s", e.msg);
    return 0;
}

/* Jansson quotes the bytes it read up to an error, which can end inside a
 * character (a bad escape just before one): drops such partial sequences
 * in place, so the message made from it stays valid UTF-8. */
static void drop_partial_utf8(char *s)
{
    size_t n = strlen(s), o = 0;
    for (size_t i = 0; i < n;) {
        size_t step = sou_utf8_seqlen((unsigned char)s[i]);
        if (step > n - i || !sou_utf8_valid(s + i, step, NULL)) {
            i++;
            continue;
        }
        memmove(s + o, s + i, step);
        o += step;
        i += step;
    }
    s[o] = '\0';
}

/* Makes a document of the JSON Lines line s[0..len): 1 with *out set, -1
 * for a bad line, 0 for a line that is only white space (Unicode's too,
 * such as U+3000, which JSON does not count as white space). */
static int jsonl_document(sou_corpus *c, const char *s, size_t len, sou_document **out,
                          sou_error *err)
{
    const char *path = c->cur->path;
    unsigned long line = c->lineno;
    if (check_line(c, s, len, SOU_ERR_JSON, err) != 0)
        return -1;
    if (is_blank(s, len))
        return 0;
    json_error_t je;
    json_t *root = json_loadb(s, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        switch (json_error_code(&je)) {
        case json_error_null_character:
            return fail(err, SOU_ERR_DOC, path, line,
                        "string contains \\u0000 (NUL), which is not allowed, at column %d",
                        je.column);
        case json_error_out_of_memory:
            return fail(err, SOU_ERR_NOMEM, path, line, "out of memory parsing JSON");
        default:
            drop_partial_utf8(je.text);
            /* In JSON Lines a lone CR is white space, not a line end: a
             * file with classic Mac OS line ends is one long line. */
            return fail(err, SOU_ERR_JSON, path, line, "malformed JSON at column %d: %s%s",
                        je.column, je.text,
                        memchr(s, '\r', len)
                            ? " (the line holds a lone CR: lines must end with LF or CRLF)"
                            : "");
        }
    }
    int rc = -1;
    sou_document *doc = NULL;
    if (!json_is_object(root)) {
        fail(err, SOU_ERR_JSON, path, line, "expected a JSON object, found %s",
             json_type_name(root));
        goto done;
    }
    sou_error e;
    if (sou_document_new(&doc, &e) != SOU_OK) {
        fail(err, e.code, path, line, "%s", e.msg);
        goto done;
    }
    struct members members = {.s = s, .len = len, .pos = 0};
    const char *key;
    json_t *value;
    json_object_foreach(root, key, value)
    {
        size_t raw_len;
        const char *raw = members_next(&members, &raw_len);
        if (!*key) {
            fail(err, SOU_ERR_DOC, path, line, "empty field name");
            goto done;
        }
        if (json_is_null(value)) /* "url": null is an absent url */
            continue;
        if (set_json_field(doc, key, value, raw, raw_len, path, line, err) != 0)
            goto done;
    }
    if (check_document(doc, path, line, err) != 0)
        goto done;
    if (sou_document_set_source(doc, path, line, &e) != SOU_OK) {
        fail(err, e.code, path, line, "%s", e.msg);
        goto done;
    }
    *out = doc;
    doc = NULL;
    rc = 1;
done:
    sou_document_free(doc);
    json_decref(root);
    return rc;
}

/* Reads on in the current JSON Lines file: 1 for a document, -1 for a bad
 * line, 0 when the file is done (and closed). */
static int next_jsonl(sou_corpus *c, sou_document **doc, sou_error *err)
{
    for (;;) {
        char *s;
        size_t len;
        int r = read_line(c, &s, &len);
        if (r < 0) {
            read_failed(c, err);
            finish_file(c);
            return -1;
        }
        if (r == 0) {
            finish_file(c);
            return 0;
        }
        if (check_encoding(c, s, len, err) != 0) {
            finish_file(c);
            return -1;
        }
        const char *id;
        size_t id_len;
        if (c->keep && skim_id(s, len, &id, &id_len) && !c->keep(c->keep_ctx, id, id_len))
            continue;
        if (!is_json_space(s, len)) {
            r = jsonl_document(c, s, len, doc, err);
            if (r != 0)
                return r;
        }
    }
}

/* ---- Text and Markdown ------------------------------------------------- */

static int sb_append(struct strbuf *b, const char *s, size_t len)
{
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + len + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return -1;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, len);
    b->len += len;
    b->p[b->len] = '\0';
    return 0;
}

static int is_space_byte(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* Adds the text line s[0..len) (no line end) to the title or the body. */
static int add_text_line(const sou_corpus *c, struct strbuf *title, struct strbuf *body,
                         const char *s, size_t len)
{
    /* Blank lines before the title and before the body are dropped. */
    if ((!title->len || !body->len) && is_blank(s, len))
        return 0;
    if (body->len)
        return sb_append(body, "\n", 1) == 0 ? sb_append(body, s, len) : -1;
    if (title->len)
        return sb_append(body, s, len);
    while (len && is_space_byte(s[len - 1]))
        len--;
    while (len && is_space_byte(*s)) {
        s++;
        len--;
    }
    /* A Markdown heading's markers are not part of the title. */
    if (ends_with(c->cur->path, ".md"))
        while (len && (*s == '#' || is_space_byte(*s))) {
            s++;
            len--;
        }
    /* A longer first line is a paragraph (or a file without line ends):
     * the title is its start, cut at a space or a character, and the rest
     * begins the body, so no text is lost and no title is megabytes. */
    size_t cut = len;
    if (len > TEXT_TITLE_MAX) {
        cut = TEXT_TITLE_MAX;
        while (cut && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--;
        for (size_t k = cut; k > cut / 2; k--)
            if (s[k] == ' ') {
                cut = k;
                break;
            }
    }
    if (sb_append(title, s, cut) != 0)
        return -1;
    while (cut < len && is_space_byte(s[cut]))
        cut++;
    return cut < len ? sb_append(body, s + cut, len - cut) : 0;
}

/* Reads all of the current text file into title and body. */
static int read_text(sou_corpus *c, struct strbuf *title, struct strbuf *body, sou_error *err)
{
    const char *path = c->cur->path;
    for (;;) {
        char *s;
        size_t len;
        int r = read_line(c, &s, &len);
        if (r < 0)
            return read_failed(c, err);
        if (r == 0)
            break;
        if (check_encoding(c, s, len, err) != 0 || check_line(c, s, len, SOU_ERR_DOC, err) != 0)
            return -1;
        /* A lone CR ends a line too (classic Mac OS), or a file of them
         * would be one huge title. */
        for (;;) {
            const char *cr = memchr(s, '\r', len);
            size_t n = cr ? (size_t)(cr - s) : len;
            if (add_text_line(c, title, body, s, n) != 0)
                return fail(err, SOU_ERR_NOMEM, path, c->lineno, "out of memory reading the file");
            if (!cr)
                break;
            s += n + 1;
            len -= n + 1;
        }
    }
    while (body->len && is_space_byte(body->p[body->len - 1]))
        body->p[--body->len] = '\0';
    return 0;
}

/* Makes one document of the .txt or .md file of entry e. */
static int next_text(sou_corpus *c, const struct entry *e, sou_document **out, sou_error *err)
{
    if (open_file(c, e) != 0) {
        int errnum = errno;
        finish_file(c);
        return fail(err, SOU_ERR_IO, e->path, 0, "cannot open: %s", strerror(errnum));
    }
    struct strbuf title = {0}, body = {0};
    sou_document *doc = NULL;
    sou_error e2;
    int rc = -1;
    if (read_text(c, &title, &body, err) != 0)
        goto done;
    if (!title.len) {
        fail(err, SOU_ERR_DOC, e->path, 0, "empty document");
        goto done;
    }
    size_t bad = 0;
    if (!sou_utf8_valid(e->path, strlen(e->path), &bad)) {
        utf8_fail(err, e->path, 0, "file name, the id: ", e->path, strlen(e->path), bad);
        goto done;
    }
    if (sou_document_new(&doc, &e2) != SOU_OK ||
        sou_document_set(doc, "id", e->path, strlen(e->path), &e2) != SOU_OK ||
        sou_document_set_text(doc, "title", title.p, title.len, &e2) != SOU_OK ||
        (body.len && sou_document_set_text(doc, "body", body.p, body.len, &e2) != SOU_OK) ||
        sou_document_set_source(doc, e->path, 0, &e2) != SOU_OK) {
        fail(err, e2.code, e->path, 0, "%s", e2.msg);
        goto done;
    }
    if (check_document(doc, e->path, 0, err) != 0)
        goto done;
    *out = doc;
    doc = NULL;
    rc = 1;
done:
    finish_file(c);
    sou_document_free(doc);
    free(title.p);
    free(body.p);
    return rc;
}

/* ---- The iterator -------------------------------------------------------- */

SOU_API void sou_corpus_set_keep(sou_corpus *c, sou_corpus_keep_fn keep, void *ctx)
{
    if (!c)
        return;
    c->keep = keep;
    c->keep_ctx = ctx;
}

SOU_API int sou_corpus_next(sou_corpus *c, sou_document **doc, sou_error *err)
{
    if (doc)
        *doc = NULL;
    if (!c || !doc) {
        sou_error_set(err, SOU_ERR_INVALID_ARG, "sou_corpus_next: NULL corpus or doc");
        return -1;
    }
    sou_error_clear(err);
    for (;;) {
        if (c->fp) {
            int r = next_jsonl(c, doc, err);
            if (r != 0)
                return r;
            continue; /* that file is done */
        }
        if (c->next == c->n)
            return 0;
        const struct entry *e = &c->entries[c->next++];
        switch (e->kind) {
        case ENTRY_ERROR:
            if (e->errnum)
                return fail(err, SOU_ERR_IO, e->path, 0, "%s: %s", e->what, strerror(e->errnum));
            return fail(err, SOU_ERR_IO, e->path, 0, "%s", e->what);
        case ENTRY_TEXT:
            return next_text(c, e, doc, err);
        case ENTRY_JSONL:
            if (open_file(c, e) != 0) {
                int errnum = errno;
                finish_file(c);
                return fail(err, SOU_ERR_IO, e->path, 0, "cannot open: %s", strerror(errnum));
            }
            break;
        }
    }
}
