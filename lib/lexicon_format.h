/*
 * lexicon_format.h - the on-disk layout of the segmentation lexicon, shared
 * by its writer (lib/gen/lexicon-build.c) and its reader (lib/lexicon.c).
 * Internal to libsou.
 *
 * The file is a hash table made to be mapped, not parsed: a process that
 * searches once (sou.cgi) pays for the few pages it touches, not for
 * loading a few hundred thousand words.
 *
 *   header   struct sou_lex_header
 *   chars    uint32_t[SOU_LEX_CHARS]: the one-character keys of the CJK
 *            blocks by code point (sou_lex_char_index()), 0 for none, else
 *            SOU_LEX_CHAR_PRESENT, SOU_LEX_CHAR_WORD and the cost in the
 *            low 16 bits: a third of all lookups, served from 110 KB that
 *            stay in cache
 *   slots    uint64_t[nslots]: 0 for an empty slot, else an entry: the
 *            high 46 bits of its key's sou_lex_hash() (SOU_LEX_CHECK),
 *            SOU_LEX_USED, SOU_LEX_WORD and the cost in the low 16 bits;
 *            open addressing from hash & (nslots - 1), linear probing.
 *
 * A slot is the whole entry, so a lookup reads one cache line, not two:
 * storing the keys apart (UTF-8, Simplified, as terms are folded) made the
 * file 14 MB instead of 8.5 and segmenting 7% slower. Instead, 46 bits of
 * a 64-bit hash tell the keys apart: a key that is not there matches
 * another's about once in 10^13 lookups, that is, in some 10^13
 * characters of Chinese text. The writer checks that no two keys share
 * those bits.
 *
 * Every proper prefix of a word has an entry too (without SOU_LEX_WORD),
 * so a lookup that extends a key one character at a time can stop at the
 * first key that has no entry.
 */
#ifndef SOU_LIB_LEXICON_FORMAT_H
#define SOU_LIB_LEXICON_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define SOU_LEX_MAGIC      "SOULEX4"
#define SOU_LEX_BYTE_ORDER 0x01020304u

/* A slot's parts. */
#define SOU_LEX_CHECK 0xFFFFFFFFFFFC0000ull /* these bits of the key's hash */
#define SOU_LEX_USED  0x20000ull            /* the slot holds an entry */
#define SOU_LEX_WORD  0x10000ull            /* a word, not only the start of one */
#define SOU_LEX_COST  0xFFFFull

struct sou_lex_header {
    char magic[8];         /* SOU_LEX_MAGIC, NUL-padded */
    uint32_t byte_order;   /* SOU_LEX_BYTE_ORDER as written */
    uint32_t nslots;       /* a power of two */
    uint32_t nkeys;        /* entries: words and their beginnings */
    uint32_t max_chars;    /* characters in the longest word */
    uint32_t unknown_cost; /* cost of a character that is no word */
    uint32_t nwords;       /* entries with SOU_LEX_WORD */
    uint32_t reserved;     /* 0 */
    uint64_t digest;       /* sou_lex_digest() of chars and slots */
};

/* The dense table of one-character keys: U+3400..U+9FFF, U+F900..U+FAFF. */
#define SOU_LEX_CHARS        (0x6C00 + 0x200)
#define SOU_LEX_CHAR_PRESENT 0x80000000u
#define SOU_LEX_CHAR_WORD    0x40000000u

/* The index of code point c in the dense table, or -1. */
static inline long sou_lex_char_index(int c)
{
    if (c >= 0x3400 && c < 0xA000)
        return c - 0x3400;
    if (c >= 0xF900 && c < 0xFB00)
        return 0x6C00 + (c - 0xF900);
    return -1;
}

/* An entry's cost is 100 * ln(total / frequency), rounded: the DP adds
 * costs, so the cheapest segmentation is the most probable one under a
 * unigram model. */
#define SOU_LEX_COST_SCALE 100.0

/* FNV-1a, 64 bits, continued from h (start with SOU_LEX_DIGEST_INIT).
 * The digest of the file: the writer stores it, so a reader names the
 * file without reading it. */
#define SOU_LEX_DIGEST_INIT 14695981039346656037ull
static inline uint64_t sou_lex_digest(uint64_t h, const void *p, size_t len)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < len; i++) {
        h ^= s[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* A key's hash, the same FNV-1a: a key extended by a character rehashes
 * only the new bytes. FNV's low bits, which pick the slot, mix poorly, so
 * the result is finished with a multiply and shift (Fibonacci hashing). */
#define SOU_LEX_HASH_INIT SOU_LEX_DIGEST_INIT
static inline uint64_t sou_lex_hash_more(uint64_t h, const char *s, size_t len)
{
    return sou_lex_digest(h, s, len);
}

static inline uint64_t sou_lex_hash_final(uint64_t h)
{
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 32);
}

static inline uint64_t sou_lex_hash(const char *s, size_t len)
{
    return sou_lex_hash_final(sou_lex_hash_more(SOU_LEX_HASH_INIT, s, len));
}

#endif
