/*
 * fuzz_corpus.c - the files sou-index reads, on arbitrary bytes: the
 * corpus reader (corpus.h, document.h) with the bytes as a JSON Lines file
 * and as a Markdown file, every document it returns through the checks and
 * the build the indexer gives it (docbuild.h); and the glossary reader
 * (glossary.h) with the same bytes as a glossary file, each sense through
 * its JSON form and back and each name through its key (names.h).
 *
 * The reader must never stop early: it reports a bad line or file with
 * -1 and goes on, so a file of n lines yields at most n + 1 results. Every
 * document has valid UTF-8 fields and says where it came from, and an
 * error message names the file.
 */
#include <stdlib.h>
#include <string.h>

#include "sou/corpus.h"
#include "sou/docbuild.h"
#include "sou/glossary.h"
#include "sou/layout.h"
#include "sou/names.h"
#include "sou/normalize.h"
#include "fuzz.h"

static sou_analyzer *analyzer;
static const char *dir;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    analyzer = fuzz_analyzer("words+grams");
    dir = fuzz_scratch_dir();
    return 0;
}

static void check_document(const sou_document *d)
{
    FUZZ_ASSERT(d->source != NULL, "a document without its source");
    for (size_t i = 0; i < d->nfields; i++) {
        const sou_field *f = &d->fields[i];
        FUZZ_ASSERT(f->value[f->len] == '\0', "field value not NUL-terminated");
        FUZZ_ASSERT(sou_utf8_valid(f->value, f->len, NULL), "field value not valid UTF-8");
        for (size_t k = 0; k < i; k++)
            FUZZ_ASSERT(strcmp(d->fields[k].name, f->name) != 0, "a field name twice");
    }
    sou_error err;
    if (sou_doc_check(d, &err) != SOU_OK) {
        FUZZ_ASSERT(sou_utf8_valid(err.msg, strlen(err.msg), NULL), "message not valid UTF-8");
        return;
    }
    char id_term[SOU_ID_MAX + 2];
    sou_doc *doc = NULL;
    int rc = sou_doc_build(analyzer, d, &doc, id_term, &err);
    FUZZ_ASSERT(rc == SOU_OK || rc == SOU_ERR_DOC, err.msg);
    FUZZ_ASSERT(rc == SOU_OK || sou_utf8_valid(err.msg, strlen(err.msg), NULL),
                "message not valid UTF-8");
    sou_doc_free(doc);
}

/* The id sou_corpus_set_keep() offered last, kept whatever it is. */
struct offer {
    char *id; /* NULL when none was offered since the last result */
};

static int keep_and_note(void *ctx, const char *id, size_t len)
{
    struct offer *o = ctx;
    FUZZ_ASSERT(!o->id, "two ids offered for one result");
    o->id = strndup(id, len);
    FUZZ_ASSERT(o->id != NULL, "out of memory");
    return 1;
}

/* Reads the file at path to its end, with every id the text tells offered
 * to keep_and_note(): a document read after an offer has the id offered,
 * or workers of sou-index would disagree on who owns it. */
static void read_all(const char *path, size_t lines)
{
    sou_error err;
    sou_corpus *c = NULL;
    FUZZ_ASSERT(sou_corpus_open(&path, 1, &c, &err) == SOU_OK, err.msg);
    struct offer offer = {NULL};
    sou_corpus_set_keep(c, keep_and_note, &offer);
    size_t results = 0;
    int r;
    sou_document *d = NULL;
    while ((r = sou_corpus_next(c, &d, &err)) != 0) {
        FUZZ_ASSERT(++results <= lines + 1, "more results than lines");
        if (r == 1 && offer.id)
            FUZZ_ASSERT(strcmp(offer.id, sou_document_get(d, "id", NULL)) == 0,
                        "the id offered is not the document's");
        free(offer.id);
        offer.id = NULL;
        if (r == 1) {
            check_document(d);
            sou_document_free(d);
        } else {
            FUZZ_ASSERT(r == -1 && strstr(err.msg, "input.") != NULL, "error without the file");
            FUZZ_ASSERT(sou_utf8_valid(err.msg, strlen(err.msg), NULL), "message not valid UTF-8");
        }
    }
    FUZZ_ASSERT(sou_corpus_bytes_read(c) == sou_corpus_total_bytes(c), "bytes left unread");
    sou_corpus_free(c);
}

static void check_warning(void *ctx, const char *msg)
{
    (void)ctx;
    FUZZ_ASSERT(strstr(msg, "input.tsv:") != NULL, "glossary warning without file and line");
    FUZZ_ASSERT(sou_utf8_valid(msg, strlen(msg), NULL), "glossary warning not valid UTF-8");
}

static void check_name(const char *name)
{
    if (!name)
        return;
    char key[SOU_NAME_KEY_MAX + 1];
    size_t nwords = 0;
    sou_error err;
    int rc = sou_name_key(analyzer, name, strlen(name), key, &nwords, &err);
    FUZZ_ASSERT(rc == SOU_OK || rc == SOU_ERR_DOC, err.msg);
    FUZZ_ASSERT(rc == SOU_OK || sou_utf8_valid(err.msg, strlen(err.msg), NULL),
                "message not valid UTF-8");
    FUZZ_ASSERT(rc != SOU_OK || (nwords > 0 && strlen(key) <= SOU_NAME_KEY_MAX), "bad key");
}

/* Loads the glossary at path; each sense must survive its JSON form. */
static void read_glossary(const char *path)
{
    sou_glossary g = {0};
    sou_error err;
    FUZZ_ASSERT(sou_glossary_load(&g, path, check_warning, NULL, NULL, &err) == SOU_OK, err.msg);
    for (size_t i = 0; i < g.n; i++) {
        const sou_sense *s = &g.v[i];
        char *json = sou_sense_to_json(s);
        FUZZ_ASSERT(json != NULL, "sense without JSON");
        sou_sense back;
        FUZZ_ASSERT(sou_sense_from_json(json, strlen(json), &back, &err) == SOU_OK, err.msg);
        char *again = sou_sense_to_json(&back);
        FUZZ_ASSERT(again && strcmp(json, again) == 0, "sense changed through JSON");
        free(again);
        free(json);
        sou_sense_release(&back);
        check_name(s->acronym);
        check_name(s->zh);
        check_name(s->en);
        for (size_t k = 0; k < s->aliases.n; k++)
            check_name(s->aliases.items[k]);
    }
    sou_glossary_release(&g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    read_all(fuzz_write_file(dir, "input.jsonl", data, size), lines);
    read_all(fuzz_write_file(dir, "input.md", data, size), 1);
    read_glossary(fuzz_write_file(dir, "input.tsv", data, size));
    return 0;
}
