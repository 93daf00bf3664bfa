/*
 * bench_corpus.h - what the files of bench-corpus share: bench-corpus.c
 * (options, documents, queries) uses corpus_read.c (the sentences, from
 * the gold files, the bundled corpus and its glossary), which uses
 * corpus_text.c (buffers, lists, UTF-8, JSON). bench-corpus.c's opening
 * comment describes what the program makes.
 */
#ifndef SOU_BENCH_CORPUS_H
#define SOU_BENCH_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#define TITLE_CHARS 40 /* a title's characters, at most */

enum { ZH, EN };

/* ---- corpus_text.c --------------------------------------------------------- */

/* A growable string, always NUL-terminated once written; p is owned. The
 * functions that add to it return 0, or -1 if out of memory. */
struct buf {
    char *p;
    size_t len, cap;
};

int buf_put(struct buf *b, const char *s, size_t n);
int buf_puts(struct buf *b, const char *s);
/* Appends s[0..n) as the inside of a JSON string. */
int buf_put_json(struct buf *b, const char *s, size_t n);

/* A list of sentence numbers; v is owned. */
struct ids {
    size_t *v;
    size_t n, cap;
};

int ids_push(struct ids *l, size_t id);

/* Borrowed strings (into the sentences, which no longer move once read);
 * the list's v is owned. */
struct str {
    const char *p;
    size_t n;
};

struct strs {
    struct str *v;
    size_t n, cap;
};

int strs_push(struct strs *l, const char *p, size_t n);
/* Sorts the list and drops repeats. */
void strs_unique(struct strs *l);

/* The length of the valid UTF-8 sequence at str[0..n), its code point in
 * *cp; 0 if not valid. */
size_t utf8_decode(const char *str, size_t n, uint32_t *cp);
/* The next code point of s[*i..n), *i moved past it (an invalid byte:
 * U+FFFD, skipped alone). */
uint32_t next_cp(const char *s, size_t n, size_t *i);
int is_han(uint32_t c);
int is_cjk_mark(uint32_t c);
int ascii_letter(unsigned char c);
int ascii_alnum(unsigned char c);
int has_han(const char *s, size_t n);
/* The number of characters of s[0..n) if all are Han, else 0. */
size_t han_only(const char *s, size_t n);
size_t count_chars(const char *s, size_t n);

/* A JSON text being read: p moves towards end. */
struct json {
    const char *p, *end;
};

void json_ws(struct json *j);
/* Reads the string at j->p (its opening quote) into out, decoded, or skips
 * it if out is NULL. Returns 0, -1 if malformed, -2 if out of memory. */
int json_string(struct json *j, struct buf *out);
/* Skips one value of any kind. Returns 0, or -1 if malformed. */
int json_skip(struct json *j, int depth);

/* ---- corpus_read.c --------------------------------------------------------- */

struct sentence {
    size_t off, len; /* in the language's text */
    size_t w0, nw;   /* its query words: words[w0, w0 + nw) */
};

/* The sentences of one language, back to back in text; everything owned. */
struct lang {
    const char *code; /* the lang field */
    const char *sep;  /* between two sentences of a body */
    struct buf text;
    struct sentence *s;
    size_t ns, scap;
    struct sentence *w; /* gold words: off and len in text */
    size_t nw, wcap;
    struct ids titles; /* sentences of at most TITLE_CHARS characters */
};

void lang_release(struct lang *l);

/* The readers add to zh (and en) and return 0, or -1 if out of memory. A
 * missing file or folder is a note on stderr, not an error; *found says
 * whether the gold file was there. */
int read_sighan(struct lang *zh, const char *dir, int *found);
int read_conllu(struct lang *zh, const char *dir, int *found);
int read_corpus(struct lang *zh, struct lang *en, const char *dir);
/* The distinct acronyms of DIR/glossary.tsv, back to back in text, the ith
 * ending at ends->v[i]. */
int read_acronyms(const char *dir, struct buf *text, struct ids *ends);
/* 1 if s[0..n) is one of the acronyms. */
int is_acronym(const struct buf *acr, const struct ids *ends, const char *s, size_t n);
/* Lists the sentences of l short enough for a title in l->titles. */
int find_titles(struct lang *l);

#endif
