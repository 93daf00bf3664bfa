/*
 * lexicon.c - the segmentation lexicon: a mapped hash table built at make
 * time (lexicon_format.h) and a small in-memory table for a user lexicon.
 */
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sou/normalize.h"
#include "fold.h"
#include "lexicon.h"
#include "lexicon_format.h"
#include "utf8.h"

#ifndef SOU_DATADIR
#define SOU_DATADIR "/usr/local/share"
#endif
#define LEXICON_FILE "share/sou/lexicon.bin"

/* A user word without a frequency counts as this common, enough to win
 * over the pieces a listed word would give. */
#define USER_DEFAULT_FREQ 100000.0
#define USER_MAX_BYTES    120

struct user_entry {
    char *key;
    uint32_t len;
    uint16_t cost;
    uint8_t is_word;
};

struct sou_lexicon {
    void *map;
    size_t map_len;
    const struct sou_lex_header *h;
    const uint32_t *chars;
    const uint64_t *slots;
    struct user_entry *user; /* open addressing; NULL without a user lexicon */
    size_t nuser, user_cap;
    uint32_t max_chars;
    char path[PATH_MAX];
    char digest[17];
    char user_digest[17];
};

/* Maps path; 1 if it exists and is a valid lexicon, 0 if it does not
 * exist, -1 (with err set) if it exists but is not usable. */
static int map_file(sou_lexicon *lx, const char *path, sou_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct stat st;
    if (fstat(fd, &st) != 0 || (size_t)st.st_size < sizeof(struct sou_lex_header)) {
        close(fd);
        sou_error_set(err, SOU_ERR_IO, "%s: not a Sou lexicon (too short)", path);
        return -1;
    }
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        sou_error_set(err, SOU_ERR_IO, "%s: cannot map: %m", path);
        return -1;
    }
    /* Lookups land anywhere in the table. Without this hint (given before
     * the header is read), each page fault on a cold cache reads ahead
     * around it, up to read_ahead_kb (8 MB on some disks): a process that
     * searches once (sou.cgi) read the whole lexicon to look up a few
     * words. Only advice: a kernel that ignores it costs time, not
     * correctness. */
    (void)madvise(map, (size_t)st.st_size, MADV_RANDOM);
    const struct sou_lex_header *h = map;
    size_t need = sizeof *h + 4 * (size_t)SOU_LEX_CHARS + 8 * (size_t)h->nslots;
    if (memcmp(h->magic, SOU_LEX_MAGIC, sizeof SOU_LEX_MAGIC) != 0 ||
        h->byte_order != SOU_LEX_BYTE_ORDER || h->nslots == 0 ||
        (h->nslots & (h->nslots - 1)) != 0 || need != (size_t)st.st_size) {
        munmap(map, (size_t)st.st_size);
        sou_error_set(err, SOU_ERR_IO, "%s: not a Sou lexicon, or from another version; rebuild it",
                      path);
        return -1;
    }
    lx->map = map;
    lx->map_len = (size_t)st.st_size;
    lx->h = h;
    lx->chars = (const uint32_t *)(h + 1);
    lx->slots = (const uint64_t *)(lx->chars + SOU_LEX_CHARS);
    lx->max_chars = h->max_chars;
    snprintf(lx->path, sizeof lx->path, "%s", path);
    snprintf(lx->digest, sizeof lx->digest, "%016llx", (unsigned long long)h->digest);
    return 1;
}

/* The places the default lexicon may be, in order. */
static int map_default(sou_lexicon *lx, sou_error *err)
{
    const char *env = getenv("SOU_LEXICON");
    if (env && *env) {
        int r = map_file(lx, env, err);
        if (r == 0)
            sou_error_set(err, SOU_ERR_IO, "no lexicon at %s (from $SOU_LEXICON)", env);
        return r;
    }
    char exe[PATH_MAX], tried[3][PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    size_t ntried = 0;
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        snprintf(tried[ntried++], sizeof tried[0], "%s/" LEXICON_FILE, exe);
        snprintf(tried[ntried++], sizeof tried[0], "%s/../" LEXICON_FILE, exe);
    }
    snprintf(tried[ntried++], sizeof tried[0], "%s/sou/lexicon.bin", SOU_DATADIR);
    for (size_t i = 0; i < ntried; i++) {
        int r = map_file(lx, tried[i], err);
        if (r != 0)
            return r;
    }
    sou_error_set(err, SOU_ERR_IO, "no segmentation lexicon in %s%s%s%s%s; set SOU_LEXICON",
                  tried[0], ntried > 1 ? ", " : "", ntried > 1 ? tried[1] : "",
                  ntried > 2 ? " or " : "", ntried > 2 ? tried[2] : "");
    return 0;
}

int sou_lexicon_open(const char *path, sou_lexicon **out, sou_error *err)
{
    *out = NULL;
    sou_lexicon *lx = calloc(1, sizeof *lx);
    if (!lx)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory opening the lexicon");
    int r;
    if (path) {
        r = map_file(lx, path, err);
        if (r == 0)
            sou_error_set(err, SOU_ERR_IO, "no lexicon at %s", path);
    } else {
        r = map_default(lx, err);
    }
    if (r <= 0) {
        free(lx);
        return SOU_ERR_IO;
    }
    *out = lx;
    return SOU_OK;
}

void sou_lexicon_close(sou_lexicon *lx)
{
    if (!lx)
        return;
    if (lx->map)
        munmap(lx->map, lx->map_len);
    for (size_t i = 0; i < lx->user_cap; i++)
        free(lx->user[i].key);
    free(lx->user);
    free(lx);
}

/* The mapped entry (slot) for the key with hash, or 0. A damaged file
 * gives wrong words, never a wild read: probing stays in the table. */
static uint64_t find_base(const sou_lexicon *lx, uint64_t hash)
{
    uint32_t mask = lx->h->nslots - 1;
    for (uint32_t i = (uint32_t)hash & mask, probes = 0; probes <= mask;
         i = (i + 1) & mask, probes++) {
        uint64_t slot = lx->slots[i];
        if (slot == 0)
            return 0;
        if ((slot & SOU_LEX_CHECK) == (hash & SOU_LEX_CHECK))
            return slot;
    }
    return 0;
}

static struct user_entry *find_user(const sou_lexicon *lx, const char *key, size_t len,
                                    uint64_t hash)
{
    if (!lx->user)
        return NULL;
    size_t mask = lx->user_cap - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        struct user_entry *e = &lx->user[i];
        if (!e->key)
            return NULL;
        if (e->len == len && memcmp(e->key, key, len) == 0)
            return e;
    }
}

int sou_lexicon_find(const sou_lexicon *lx, const char *key, size_t len, int *is_word,
                     uint16_t *cost)
{
    return sou_lexicon_find_hashed(lx, key, len, sou_lex_hash(key, len), is_word, cost);
}

int sou_lexicon_find_hashed(const sou_lexicon *lx, const char *key, size_t len, uint64_t hash,
                            int *is_word, uint16_t *cost)
{
    const struct user_entry *u = find_user(lx, key, len, hash);
    uint64_t b = find_base(lx, hash);
    *is_word = 0;
    if (u && u->is_word) {
        *is_word = 1;
        *cost = u->cost;
    } else if (b & SOU_LEX_WORD) {
        *is_word = 1;
        *cost = (uint16_t)(b & SOU_LEX_COST);
    }
    return u || b;
}

void sou_lexicon_prefetch(const sou_lexicon *lx, uint64_t hash)
{
    __builtin_prefetch(&lx->slots[(uint32_t)hash & (lx->h->nslots - 1)]);
}

int sou_lexicon_find_char(const sou_lexicon *lx, int c, const char *key, size_t len, uint64_t hash,
                          int *is_word, uint16_t *cost)
{
    long i = sou_lex_char_index(c);
    if (i < 0 || lx->user)
        return sou_lexicon_find_hashed(lx, key, len, hash, is_word, cost);
    uint32_t e = lx->chars[i];
    *is_word = (e & SOU_LEX_CHAR_WORD) != 0;
    if (*is_word)
        *cost = (uint16_t)(e & 0xFFFF);
    return (e & SOU_LEX_CHAR_PRESENT) != 0;
}

uint32_t sou_lexicon_unknown_cost(const sou_lexicon *lx)
{
    return lx->h->unknown_cost;
}

uint32_t sou_lexicon_max_chars(const sou_lexicon *lx)
{
    return lx->max_chars;
}

const char *sou_lexicon_digest(const sou_lexicon *lx)
{
    return lx->digest;
}

const char *sou_lexicon_user_digest(const sou_lexicon *lx)
{
    return lx->user_digest;
}

const char *sou_lexicon_path(const sou_lexicon *lx)
{
    return lx->path;
}

static int user_grow(sou_lexicon *lx, sou_error *err)
{
    size_t cap = lx->user_cap ? 2 * lx->user_cap : 256;
    struct user_entry *v = calloc(cap, sizeof *v);
    if (!v)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory reading a user lexicon");
    for (size_t i = 0; i < lx->user_cap; i++) {
        struct user_entry *e = &lx->user[i];
        if (!e->key)
            continue;
        size_t j = sou_lex_hash(e->key, e->len) & (cap - 1);
        while (v[j].key)
            j = (j + 1) & (cap - 1);
        v[j] = *e;
    }
    free(lx->user);
    lx->user = v;
    lx->user_cap = cap;
    return SOU_OK;
}

/* Adds key (and, as beginnings, each of its prefixes ending at a
 * character boundary in ends[0..nends)). */
static int user_put(sou_lexicon *lx, const char *key, size_t len, int is_word, uint16_t cost,
                    sou_error *err)
{
    if (2 * (lx->nuser + 1) > lx->user_cap && user_grow(lx, err) != SOU_OK)
        return SOU_ERR_NOMEM;
    struct user_entry *e = find_user(lx, key, len, sou_lex_hash(key, len));
    if (!e) {
        size_t i = sou_lex_hash(key, len) & (lx->user_cap - 1);
        while (lx->user[i].key)
            i = (i + 1) & (lx->user_cap - 1);
        e = &lx->user[i];
        if (!(e->key = malloc(len)))
            return sou_error_set(err, SOU_ERR_NOMEM, "out of memory reading a user lexicon");
        memcpy(e->key, key, len);
        e->len = (uint32_t)len;
        lx->nuser++;
    }
    if (is_word) {
        e->is_word = 1;
        e->cost = cost;
    }
    return SOU_OK;
}

/* Folds a user word to Simplified into out; returns its length in bytes
 * (0 if it is not all ideographs) and its characters in *chars. */
static size_t fold_user_word(const char *s, size_t len, char *out, size_t *ends, size_t *chars)
{
    size_t o = 0, n = 0;
    for (size_t i = 0; i < len;) {
        size_t k = sou_utf8_seqlen((unsigned char)s[i]);
        if (k != 3 || i + k > len)
            return 0;
        const unsigned char *u = (const unsigned char *)s + i;
        int cp = ((u[0] & 0x0F) << 12) | ((u[1] & 0x3F) << 6) | (u[2] & 0x3F);
        if (!sou_is_han(cp))
            return 0;
        if (o + 3 > USER_MAX_BYTES)
            return 0;
        o += sou_utf8_encode(sou_fold_char(cp), out + o);
        ends[n++] = o;
        i += k;
    }
    *chars = n;
    return o;
}

int sou_lexicon_add_user(sou_lexicon *lx, const char *text, size_t len, const char *name,
                         sou_error *err)
{
    size_t bad;
    if (!sou_utf8_valid(text, len, &bad))
        return sou_error_set(err, SOU_ERR_DOC, "%s: invalid UTF-8 at byte %zu", name, bad);
    uint64_t digest = sou_lex_digest(SOU_LEX_DIGEST_INIT, text, len);
    unsigned long lineno = 0;
    for (size_t at = 0; at < len;) {
        const char *line = text + at;
        const char *nl = memchr(line, '\n', len - at);
        size_t n = nl ? (size_t)(nl - line) : len - at;
        at += n + (nl ? 1 : 0);
        lineno++;
        const char *hash = memchr(line, '#', n);
        if (hash)
            n = (size_t)(hash - line);
        size_t w0 = 0;
        while (w0 < n && (line[w0] == ' ' || line[w0] == '\t' || line[w0] == '\r'))
            w0++;
        size_t w1 = w0;
        while (w1 < n && line[w1] != ' ' && line[w1] != '\t' && line[w1] != '\r')
            w1++;
        if (w0 == w1)
            continue;
        double freq = USER_DEFAULT_FREQ;
        size_t f0 = w1;
        while (f0 < n && (line[f0] == ' ' || line[f0] == '\t' || line[f0] == '\r'))
            f0++;
        if (f0 < n) {
            char num[32];
            size_t fl = n - f0;
            while (fl > 0 && (line[f0 + fl - 1] == ' ' || line[f0 + fl - 1] == '\r'))
                fl--;
            char *end;
            /* Quoted in the error message: cut at a character. */
            fl = sou_utf8_cut(line + f0, fl, sizeof num - 1);
            memcpy(num, line + f0, fl);
            num[fl] = '\0';
            freq = strtod(num, &end);
            if (*end || !(freq >= 1))
                return sou_error_set(err, SOU_ERR_DOC,
                                     "%s:%lu: \"%s\" is not a frequency (a number >= 1)", name,
                                     lineno, num);
        }
        char key[USER_MAX_BYTES];
        size_t ends[USER_MAX_BYTES], chars;
        size_t klen = fold_user_word(line + w0, w1 - w0, key, ends, &chars);
        if (klen == 0)
            return sou_error_set(err, SOU_ERR_DOC,
                                 "%s:%lu: \"%.*s\" is not a word of Chinese characters (at most "
                                 "%d)",
                                 name, lineno, (int)(w1 - w0), line + w0, USER_MAX_BYTES / 3);
        double c = (double)lx->h->unknown_cost - SOU_LEX_COST_SCALE * log(freq);
        uint16_t cost = (uint16_t)(c < 0 ? 0 : c + 0.5);
        for (size_t k = 0; k + 1 < chars; k++)
            if (user_put(lx, key, ends[k], 0, 0, err) != SOU_OK)
                return SOU_ERR_NOMEM;
        if (user_put(lx, key, klen, 1, cost, err) != SOU_OK)
            return SOU_ERR_NOMEM;
        if (chars > lx->max_chars)
            lx->max_chars = (uint32_t)chars;
    }
    snprintf(lx->user_digest, sizeof lx->user_digest, "%016llx", (unsigned long long)digest);
    return SOU_OK;
}
