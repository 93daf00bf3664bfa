/*
 * bench-corpus.c - writes the collection and query set of the performance
 * benchmark (indexing speed, index size, query latency against SQLite FTS5
 * and Xapian Omega): real sentences drawn with a seeded splitmix64, so a
 * seed and a size always give the same bytes.
 *
 * Sentences. Chinese: the lines of GOLD/as_test.utf8 (SIGHAN AS test input)
 * and the "# text = " lines of GOLD/zh_gsd-ud-test.conllu, plus the Chinese
 * sentences of the bundled corpus (the bodies of the .jsonl files in
 * CORPUS, each line cut after 。！？ and the closing quotes that follow).
 * English: the body lines of the bundled corpus without Han characters,
 * cut after ". ", "? " and "! ", and the runs of its titles between Han
 * characters. A Chinese sentence has a Han character; an English one more
 * ASCII letters than other letters and two words of two letters. Sentences
 * over SENTENCE_MAX bytes are left out; invalid UTF-8 bytes are dropped. A
 * missing gold file is a note on stderr: the corpus's Chinese sentences
 * stand in.
 *
 * Documents. In every block of BLOCK documents BLOCK_EN, at random places,
 * are English ("en"), the others Chinese ("zh-Hant"). A body is random
 * sentences of its language (Chinese ones run together, English ones
 * separated by a space) up to a length drawn uniformly in [BODY_MIN,
 * BODY_MAX] bytes; a sentence that would overrun it is passed over, and
 * after FILL_TRIES such sentences in a row the body ends (or, while still
 * under BODY_MIN, takes the sentence anyway). The title is a random sentence
 * of at most TITLE_CHARS characters, trailing commas dropped. Documents are
 * written while docs.jsonl stays within --size megabytes (10^6 bytes); the
 * last one is shortened to fit if it can keep BODY_MIN bytes.
 *
 * Queries. "kind<TAB>query" lines, kinds in turn: zh1, zh2, zh3 (that many
 * distinct gold words - only Han characters, at least two of them), char1
 * (one Han character), en (one or two words of 4+ ASCII letters), acronym
 * (from CORPUS/glossary.tsv's first column) and mixed (a Chinese word and
 * an acronym or English word). Each query but acronym is drawn from one
 * document of the collection, so its words occur together: documents are
 * sampled per language by reservoir sampling (a stream of its own, so
 * --queries never changes the documents), one per query. A Chinese query
 * takes the first document from its own on with enough distinct gold words
 * (mixed: and a Latin word, else a random English word or acronym); if
 * none has them (no gold files), its words are character pairs. Every
 * query word is Han or ASCII letters and digits: no query syntax.
 *
 * Usage: bench-corpus --seed N --size MB [--gold DIR] [--corpus DIR]
 *                     [--queries N] OUTDIR
 * Writes OUTDIR/docs.jsonl and OUTDIR/queries.tsv (OUTDIR is created) and
 * prints "documents N", "bytes N", "chinese N", "english N", "queries N".
 * Exit status: 0 written, 1 failed (no sentences, size too small, I/O),
 * 2 usage.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bench_corpus.h"
#include "seg_common.h"

static const char usage_text[] =
    "usage: bench-corpus --seed N --size MB [--gold DIR] [--corpus DIR] [--queries N] OUTDIR\n";

#define BODY_MIN   500 /* body bytes, drawn uniformly in [BODY_MIN, BODY_MAX] */
#define BODY_MAX   4000
#define FILL_TRIES 16
#define BLOCK      20 /* documents in a block, BLOCK_EN of them English: 85% Chinese */
#define BLOCK_EN   3

enum { K_ZH1, K_ZH2, K_ZH3, K_CHAR1, K_EN, K_ACRONYM, K_MIXED, NKINDS };
static const char *const kind_name[NKINDS] = {"zh1", "zh2",     "zh3",  "char1",
                                              "en",  "acronym", "mixed"};

/* ---- Documents ------------------------------------------------------------------------ */

/* A uniform sample of K documents of a language: slot i holds the sentence
 * numbers of a document's body. */
struct reservoir {
    struct ids *slot;
    size_t k, seen;
};

static int reservoir_offer(struct reservoir *r, uint64_t *state, const struct ids *doc)
{
    size_t i = r->seen++;
    if (r->k == 0)
        return 0;
    if (i >= r->k && (i = draw(state, i + 1)) >= r->k)
        return 0;
    struct ids *s = &r->slot[i];
    s->n = 0;
    for (size_t k = 0; k < doc->n; k++)
        if (ids_push(s, doc->v[k]) != 0)
            return -1;
    return 0;
}

/* The document of the query that uses slot i, or NULL if the language has
 * no document. */
static const struct ids *reservoir_doc(const struct reservoir *r, size_t i)
{
    size_t filled = r->seen < r->k ? r->seen : r->k;
    return filled ? &r->slot[i % filled] : NULL;
}
/* A random title of l appended to b (JSON-escaped): a short sentence, or the
 * first TITLE_CHARS characters of any if there is none; trailing commas,
 * colons and blanks dropped. */
static int put_title(struct buf *b, const struct lang *l, uint64_t *state)
{
    static const char *const trail[] = {
        "\xef\xbc\x8c", "\xe3\x80\x81", "\xef\xbc\x9b", "\xef\xbc\x9a", ",", ";", ":", " "};
    size_t i = l->titles.n ? l->titles.v[draw(state, l->titles.n)] : draw(state, l->ns);
    const char *s = l->text.p + l->s[i].off;
    size_t n = 0;
    for (size_t chars = 0; n < l->s[i].len && chars < TITLE_CHARS; chars++)
        next_cp(s, l->s[i].len, &n);
    for (int again = 1; again;) {
        again = 0;
        for (size_t k = 0; k < sizeof trail / sizeof *trail; k++) {
            size_t tl = strlen(trail[k]);
            if (n > tl && memcmp(s + n - tl, trail[k], tl) == 0)
                n -= tl, again = 1;
        }
    }
    return buf_put_json(b, s, n);
}

/* Appends random sentences of l to b (JSON-escaped) up to limit bytes (see
 * the top of the file), their numbers in doc; *raw is the body's length. */
static int put_body(struct buf *b, const struct lang *l, uint64_t *state, size_t limit,
                    struct ids *doc, size_t *raw)
{
    size_t len = 0, tries = 0, seplen = strlen(l->sep);
    doc->n = 0;
    while (len < limit) {
        size_t i = draw(state, l->ns), add = (len ? seplen : 0) + l->s[i].len;
        if (len + add > limit) {
            if (++tries < FILL_TRIES)
                continue;
            if (len >= BODY_MIN)
                break;
        }
        tries = 0;
        if ((len && buf_puts(b, l->sep) != 0) ||
            buf_put_json(b, l->text.p + l->s[i].off, l->s[i].len) != 0 || ids_push(doc, i) != 0)
            return -1;
        len += add;
    }
    *raw = len;
    return 0;
}

struct counts {
    size_t docs, bytes, lang[2];
};

/* Writes documents to out while the file stays within target bytes,
 * offering each to its language's reservoir. */
static int write_docs(FILE *out, struct lang *langs, uint64_t seed, size_t target,
                      struct reservoir *res, struct counts *c)
{
    uint64_t dstate = seed, rstate = ~seed;
    struct buf line = {0};
    struct ids doc = {0};
    unsigned english_mask = 0;
    int rc = -1;
    for (;;) {
        if (c->docs % BLOCK == 0) { /* BLOCK_EN distinct places in the next block */
            english_mask = 0;
            for (int k = 0; k < BLOCK_EN;) {
                unsigned bit = 1u << draw(&dstate, BLOCK);
                k += !(english_mask & bit);
                english_mask |= bit;
            }
        }
        int lg = english_mask >> (c->docs % BLOCK) & 1 ? EN : ZH;
        struct lang *l = &langs[lg];
        size_t want = BODY_MIN + draw(&dstate, BODY_MAX - BODY_MIN + 1), raw;
        char head[64];
        snprintf(head, sizeof head, "{\"id\":\"d%07zu\",\"title\":\"", c->docs + 1);
        static const char mid[] = "\",\"body\":\"", tail[] = "\",\"lang\":\"";
        line.len = 0;
        if (buf_puts(&line, head) != 0 || put_title(&line, l, &dstate) != 0 ||
            buf_puts(&line, mid) != 0)
            goto out;
        size_t rest = line.len + strlen(tail) + strlen(l->code) + 3; /* "}\n */
        if (c->bytes + rest + BODY_MIN > target)
            break;
        size_t limit = target - c->bytes - rest < want ? target - c->bytes - rest : want;
        if (put_body(&line, l, &dstate, limit, &doc, &raw) != 0 || buf_puts(&line, tail) != 0 ||
            buf_puts(&line, l->code) != 0 || buf_puts(&line, "\"}\n") != 0)
            goto out;
        if (c->bytes + line.len > target)
            break;
        if (fwrite(line.p, 1, line.len, out) != line.len) {
            perror("bench-corpus: docs.jsonl");
            rc = -2;
            goto out;
        }
        c->bytes += line.len;
        c->docs++;
        c->lang[lg]++;
        if (reservoir_offer(&res[lg], &rstate, &doc) != 0)
            goto out;
    }
    rc = 0;
out:
    if (rc == -1)
        fprintf(stderr, "bench-corpus: out of memory\n");
    free(line.p);
    free(doc.v);
    return rc ? -1 : 0;
}

/* ---- Queries ---------------------------------------------------------------------------- */

/* The distinct gold words of a Chinese document's sentences; if it has
 * fewer than pairs_below, its distinct pairs of Han characters as well. */
static int doc_words(const struct lang *zh, const struct ids *doc, size_t pairs_below,
                     struct strs *out)
{
    out->n = 0;
    for (size_t k = 0; k < doc->n; k++) {
        const struct sentence *s = &zh->s[doc->v[k]];
        for (size_t w = s->w0; w < s->w0 + s->nw; w++)
            if (strs_push(out, zh->text.p + zh->w[w].off, zh->w[w].len) != 0)
                return -1;
    }
    strs_unique(out);
    for (size_t k = 0; out->n < pairs_below && k < doc->n; k++) {
        const struct sentence *s = &zh->s[doc->v[k]];
        const char *t = zh->text.p + s->off;
        for (size_t i = 0, prev = 0, prev_han = 0; i < s->len;) {
            size_t at = i;
            int han = is_han(next_cp(t, s->len, &i));
            if (han && prev_han && strs_push(out, t + prev, i - prev) != 0)
                return -1;
            prev = at, prev_han = han;
        }
    }
    strs_unique(out);
    return 0;
}

/* The distinct Han characters of a Chinese document. */
static int doc_chars(const struct lang *zh, const struct ids *doc, struct strs *out)
{
    out->n = 0;
    for (size_t k = 0; k < doc->n; k++) {
        const struct sentence *s = &zh->s[doc->v[k]];
        const char *t = zh->text.p + s->off;
        for (size_t i = 0; i < s->len;) {
            size_t at = i;
            if (is_han(next_cp(t, s->len, &i)) && strs_push(out, t + at, i - at) != 0)
                return -1;
        }
    }
    strs_unique(out);
    return 0;
}

/* The distinct Latin words of sentences ids of l (all of them if ids is
 * NULL): the maximal runs of ASCII letters and digits that are words of 4+
 * letters or, if acr is given, acronyms. */
static int latin_words(const struct lang *l, const struct ids *ids, const struct buf *acr,
                       const struct ids *ends, struct strs *out)
{
    out->n = 0;
    size_t n = ids ? ids->n : l->ns;
    for (size_t k = 0; k < n; k++) {
        const struct sentence *s = &l->s[ids ? ids->v[k] : k];
        const char *t = l->text.p + s->off;
        for (size_t i = 0; i < s->len;) {
            if (!ascii_alnum((unsigned char)t[i])) {
                i++;
                continue;
            }
            size_t start = i, letters = 0;
            for (; i < s->len && ascii_alnum((unsigned char)t[i]); i++)
                letters += ascii_letter((unsigned char)t[i]);
            int word = letters == i - start && letters >= 4;
            if ((word || (acr && is_acronym(acr, ends, t + start, i - start))) &&
                strs_push(out, t + start, i - start) != 0)
                return -1;
        }
    }
    strs_unique(out);
    return 0;
}

/* Writes k distinct strings of l (k at most l->n), drawn at random,
 * separated by spaces. */
static void put_draws(FILE *out, struct strs *l, size_t k, uint64_t *state)
{
    for (size_t m = 0; m < k && m < l->n; m++) {
        size_t r = m + draw(state, l->n - m);
        struct str t = l->v[r];
        l->v[r] = l->v[m];
        l->v[m] = t;
        fprintf(out, "%s%.*s", m ? " " : "", (int)t.n, t.p);
    }
}

struct query_src {
    const struct lang *langs;
    const struct reservoir *res;
    const struct buf *acr; /* acronyms, ends[i] ends the ith */
    const struct ids *ends;
    struct strs english; /* every English word, for want of a document's */
    struct ids all_zh;   /* every Chinese sentence, if no document is Chinese */
};

/* A random acronym (of the glossary, else of the English text). */
static int put_acronym(FILE *out, struct query_src *q, uint64_t *state)
{
    if (q->ends->n) {
        size_t i = draw(state, q->ends->n), start = i ? q->ends->v[i - 1] : 0;
        fprintf(out, "%.*s", (int)(q->ends->v[i] - start), q->acr->p + start);
        return 0;
    }
    struct strs caps = {0};
    for (size_t i = 0; i < q->english.n; i++) {
        size_t upper = 0;
        while (upper < q->english.v[i].n && q->english.v[i].p[upper] >= 'A' &&
               q->english.v[i].p[upper] <= 'Z')
            upper++;
        if (upper == q->english.v[i].n && strs_push(&caps, q->english.v[i].p, upper) != 0)
            return -1;
    }
    put_draws(out, caps.n ? &caps : &q->english, 1, state);
    free(caps.v);
    return 0;
}

/* The document of a Chinese query, from the Chinese reservoir's slot i on
 * (wrapping): the first with want distinct gold words and, if latin is not
 * NULL, a Latin word; else the first with want gold words; else slot i's
 * (or every Chinese sentence if no document is Chinese), its words topped
 * up with character pairs. Sets *words and *latin (empty if none was
 * found); returns NULL if out of memory. */
static const struct ids *zh_doc(struct query_src *q, size_t i, size_t want, struct strs *words,
                                struct strs *latin)
{
    const struct reservoir *r = &q->res[ZH];
    const struct lang *zh = &q->langs[ZH];
    size_t filled = r->seen < r->k ? r->seen : r->k;
    for (int pass = latin ? 0 : 1; pass < 2; pass++)
        for (size_t t = 0; t < filled; t++) {
            const struct ids *doc = reservoir_doc(r, i + t);
            if (doc_words(zh, doc, 0, words) != 0 ||
                (pass == 0 && words->n >= want &&
                 latin_words(zh, doc, q->acr, q->ends, latin) != 0))
                return NULL;
            if (words->n >= want && (pass == 1 || latin->n)) {
                if (latin && pass == 1)
                    latin->n = 0;
                return doc;
            }
        }
    const struct ids *doc = filled ? reservoir_doc(r, i) : &q->all_zh;
    if (latin)
        latin->n = 0;
    return doc_words(zh, doc, want, words) == 0 ? doc : NULL;
}

/* Writes n queries, kinds in turn; Chinese kinds take the Chinese
 * reservoir's slots in order (see zh_doc), en the English one's. */
static int write_queries(FILE *out, struct query_src *q, size_t n, uint64_t seed)
{
    uint64_t state = seed;
    struct strs words = {0}, latin = {0};
    size_t zi = 0, ei = 0;
    int rc = -1;
    if (latin_words(&q->langs[EN], NULL, NULL, NULL, &q->english) != 0)
        goto out;
    for (size_t i = 0; !reservoir_doc(&q->res[ZH], 0) && i < q->langs[ZH].ns; i++)
        if (ids_push(&q->all_zh, i) != 0)
            goto out;
    for (size_t i = 0; i < n; i++) {
        int kind = (int)(i % NKINDS);
        const struct ids *doc = NULL;
        size_t k = kind == K_MIXED ? 1 : (size_t)(kind - K_ZH1) + 1;
        if (kind == K_EN)
            doc = reservoir_doc(&q->res[EN], ei++);
        else if (kind == K_CHAR1 && !(doc = reservoir_doc(&q->res[ZH], zi++)))
            doc = &q->all_zh;
        else if ((kind <= K_ZH3 || kind == K_MIXED) &&
                 !(doc = zh_doc(q, zi++, k, &words, kind == K_MIXED ? &latin : NULL)))
            goto out;
        fprintf(out, "%s\t", kind_name[kind]);
        if (kind <= K_ZH3 || kind == K_MIXED) {
            put_draws(out, &words, k, &state);
        } else if (kind == K_CHAR1) {
            if (doc_chars(&q->langs[ZH], doc, &words) != 0)
                goto out;
            put_draws(out, &words, 1, &state);
        } else if (kind == K_EN) {
            if (doc && latin_words(&q->langs[EN], doc, NULL, NULL, &words) != 0)
                goto out;
            put_draws(out, doc && words.n ? &words : &q->english, 1 + draw(&state, 2), &state);
        } else if (put_acronym(out, q, &state) != 0) {
            goto out;
        }
        if (kind == K_MIXED) { /* a Latin word of the same document, else any */
            putc(' ', out);
            if (latin.n)
                put_draws(out, &latin, 1, &state);
            else if (draw(&state, 2) && q->english.n)
                put_draws(out, &q->english, 1, &state);
            else if (put_acronym(out, q, &state) != 0)
                goto out;
        }
        putc('\n', out);
    }
    rc = 0;
out:
    if (rc)
        fprintf(stderr, "bench-corpus: out of memory\n");
    free(words.v);
    free(latin.v);
    return rc;
}

/* ---- Main --------------------------------------------------------------------------------- */

struct options {
    uint64_t seed;
    size_t size, queries;
    int have_seed;
    const char *gold, *corpus, *outdir;
};

static int parse_count(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || errno || v > max)
        return -1;
    *out = v;
    return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
    int i = 1;
    for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        const char *opt = argv[i], *val = argv[i + 1];
        unsigned long long v;
        char *end;
        if (strcmp(opt, "--seed") == 0 && parse_count(val, UINT64_MAX, &v) == 0) {
            o->seed = v;
            o->have_seed = 1;
        } else if (strcmp(opt, "--size") == 0) {
            double mb = strtod(val, &end);
            if (*val < '0' || *val > '9' || *end || !(mb > 0 && mb <= 1e6))
                return -1;
            o->size = (size_t)(mb * 1e6 + 0.5);
        } else if (strcmp(opt, "--queries") == 0 && parse_count(val, 10000000, &v) == 0) {
            o->queries = (size_t)v;
        } else if (strcmp(opt, "--gold") == 0 && *val) {
            o->gold = val;
        } else if (strcmp(opt, "--corpus") == 0 && *val) {
            o->corpus = val;
        } else {
            return -1;
        }
    }
    if (i + 1 != argc || !o->have_seed || !o->size || argv[i][0] == '-')
        return -1;
    o->outdir = argv[i];
    return 0;
}

static FILE *open_out(const char *dir, const char *name, char *buffer, size_t size)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        perror(path);
    else if (buffer)
        setvbuf(f, buffer, _IOFBF, size);
    return f;
}

static int close_out(FILE *f, const char *name)
{
    if (!f)
        return 0;
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        fprintf(stderr, "bench-corpus: %s: write error\n", name);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct options o = {.queries = 200, .gold = "../shared/data/seg-gold", .corpus = "corpus"};
    if (parse_options(argc, argv, &o) != 0) {
        fputs(usage_text, stderr);
        return 2;
    }
    struct lang langs[2] = {{.code = "zh-Hant", .sep = ""}, {.code = "en", .sep = " "}};
    struct buf acr = {0};
    struct ids ends = {0};
    struct reservoir res[2] = {{0}, {0}};
    struct query_src q = {.langs = langs, .res = res, .acr = &acr, .ends = &ends};
    struct counts c = {0};
    FILE *docs = NULL, *queries = NULL;
    static char docs_buffer[1 << 20];
    int rc = 1, as = 0, ud = 0;
    uint64_t base = o.seed;
    uint64_t dseed = splitmix64(&base), qseed = splitmix64(&base);

    if (read_sighan(&langs[ZH], o.gold, &as) != 0 || read_conllu(&langs[ZH], o.gold, &ud) != 0 ||
        read_corpus(&langs[ZH], &langs[EN], o.corpus) != 0 ||
        read_acronyms(o.corpus, &acr, &ends) != 0 || find_titles(&langs[ZH]) != 0 ||
        find_titles(&langs[EN]) != 0) {
        fprintf(stderr, "bench-corpus: out of memory\n");
        goto out;
    }
    if (!as && !ud)
        fprintf(stderr,
                "bench-corpus: note: no gold files in %s: Chinese sentences from %s alone\n",
                o.gold, o.corpus);
    for (int lg = ZH; lg <= EN; lg++)
        if (langs[lg].ns == 0) {
            fprintf(stderr, "bench-corpus: no %s sentences (gold %s, corpus %s)\n",
                    lg == ZH ? "Chinese" : "English", o.gold, o.corpus);
            goto out;
        }
    for (size_t i = 0; i < o.queries; i++)
        if (i % NKINDS != K_ACRONYM)
            res[i % NKINDS == K_EN ? EN : ZH].k++;
    for (int lg = ZH; lg <= EN; lg++)
        if (res[lg].k && !(res[lg].slot = calloc(res[lg].k, sizeof *res[lg].slot))) {
            fprintf(stderr, "bench-corpus: out of memory\n");
            goto out;
        }

    if (mkdir(o.outdir, 0777) != 0 && errno != EEXIST) {
        perror(o.outdir);
        goto out;
    }
    if (!(docs = open_out(o.outdir, "docs.jsonl", docs_buffer, sizeof docs_buffer)) ||
        !(queries = open_out(o.outdir, "queries.tsv", NULL, 0)))
        goto out;
    if (write_docs(docs, langs, dseed, o.size, res, &c) != 0)
        goto out;
    if (c.docs == 0) {
        fprintf(stderr, "bench-corpus: --size %zu bytes holds no document\n", o.size);
        goto out;
    }
    if (write_queries(queries, &q, o.queries, qseed) != 0)
        goto out;
    rc = 0;
out:
    if (close_out(docs, "docs.jsonl") != 0 || close_out(queries, "queries.tsv") != 0)
        rc = 1;
    if (rc == 0)
        printf("documents %zu\nbytes %zu\nchinese %zu\nenglish %zu\nqueries %zu\n", c.docs, c.bytes,
               c.lang[ZH], c.lang[EN], o.queries);
    for (int lg = ZH; lg <= EN; lg++) {
        lang_release(&langs[lg]);
        for (size_t i = 0; i < res[lg].k && res[lg].slot; i++)
            free(res[lg].slot[i].v);
        free(res[lg].slot);
    }
    free(acr.p);
    free(ends.v);
    free(q.english.v);
    free(q.all_zh.v);
    return rc;
}
