/*
 * corpus.h - reading documents from files and directories.
 *
 * Formats, chosen by file name:
 *   *.jsonl  JSON Lines: one object per line with string fields "id",
 *            "title", "body" and optional "lang", "type", "date", "url" and
 *            any other fields (strings; numbers and booleans are kept as
 *            their JSON text; null is an absent field). Lines that are
 *            only white space, JSON's or Unicode's, are skipped.
 *   *.txt, *.md  one document per file: the first non-empty line is the
 *            title, the rest the body, the path the id.
 * Directories are walked recursively in byte order of names; hidden entries
 * (starting with '.') and files of other types are skipped. A UTF-8 BOM at
 * the start of any line and CRLF line ends are accepted; in text files a
 * lone CR ends a line too. Control characters in text fields become
 * spaces. README.md ("Corpus format") lists what is refused.
 *
 * Reading never stops at a bad document: sou_corpus_next() reports it with
 * "file:line: what is wrong" and the next call goes on with the next one.
 */
#ifndef SOU_CORPUS_H
#define SOU_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "sou/document.h"
#include "sou/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sou_corpus sou_corpus;

/* Prepares to read the n paths (files or directories) in order. Paths that
 * do not exist are reported by sou_corpus_next() in turn, not here.
 * *out is owned: sou_corpus_free(). */
int sou_corpus_open(const char *const *paths, size_t n, sou_corpus **out, sou_error *err);
void sou_corpus_free(sou_corpus *c);

/* Reads the next document. Returns 1 with *doc set (owned by the caller:
 * sou_document_free()); 0 at the end; -1 when a document or file could not
 * be read, with err->msg naming the file and line and err->code one of
 * SOU_ERR_IO, SOU_ERR_UTF8, SOU_ERR_JSON, SOU_ERR_DOC, SOU_ERR_NOMEM.
 * After -1 the caller may call again to continue with what follows. */
int sou_corpus_next(sou_corpus *c, sou_document **doc, sou_error *err);

/* Says whether to build the document with id[0..len) (not
 * NUL-terminated, borrowed for the call): 1 for yes, 0 for no. */
typedef int (*sou_corpus_keep_fn)(void *ctx, const char *id, size_t len);

/* Lets the caller pass over documents it does not want without paying
 * for them: before parsing a JSON Lines document, the corpus reads its id
 * from the line's text and asks keep(ctx, id, len); a document declined
 * is neither parsed nor checked nor returned. Only an id that the text
 * tells for certain is offered (a string without escapes, or a number, in
 * a member named "id" without escapes); any other document is parsed and
 * returned as usual, so the caller must still check what it gets. Text
 * and Markdown files are always returned. keep NULL asks for everything
 * (the default). */
void sou_corpus_set_keep(sou_corpus *c, sou_corpus_keep_fn keep, void *ctx);

/* Total size in bytes of the regular files to be read (known after open),
 * and bytes consumed so far: for progress reports. */
uint64_t sou_corpus_total_bytes(const sou_corpus *c);
uint64_t sou_corpus_bytes_read(const sou_corpus *c);

#ifdef __cplusplus
}
#endif

#endif
