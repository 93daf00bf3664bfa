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
 *   slots    uint64_t[nslots]: 0 for an empty slot, else the entry's
 *            sou_lex_hash() in the high 32 bits and 1 + its offset in the
 *            blob in the low 32; open addressing, linear probing. The hash
 *            in the slot spares a lookup that misses a read of the blob,
 *            which is most of the cost of segmenting (cache misses)
 *   blob     entries: uint8_t len, uint8_t flags, uint16_t cost, then len
 *            bytes of UTF-8 (Simplified, as terms are folded)
 *
 * Every proper prefix of a word has an entry too (without SOU_LEX_WORD),
 * so a lookup that extends a key one character at a time can stop at the
 * first key that has no entry.
 */
#ifndef SOU_LIB_LEXICON_FORMAT_H
#define SOU_LIB_LEXICON_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define SOU_LEX_MAGIC      "SOULEX3"
#define SOU_LEX_BYTE_ORDER 0x01020304u

enum sou_lex_flag {
    SOU_LEX_WORD = 1 /* the key is a word, not only the start of one */
};

struct sou_lex_header {
    char magic[8];         /* SOU_LEX_MAGIC, NUL-padded */
    uint32_t byte_order;   /* SOU_LEX_BYTE_ORDER as written */
    uint32_t nslots;       /* a power of two */
    uint32_t blob_size;    /* bytes of entries */
    uint32_t max_chars;    /* characters in the longest word */
    uint32_t unknown_cost; /* cost of a character that is no word */
    uint32_t nwords;       /* entries with SOU_LEX_WORD */
    uint32_t reserved;     /* 0 */
    uint64_t digest;       /* sou_lex_digest() of chars, slots and blob */
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

/* FNV-1a, 32 bits, continued from h: a key extended by a character
 * rehashes only the new bytes. */
#define SOU_LEX_HASH_INIT 2166136261u
static inline uint32_t sou_lex_hash_more(uint32_t h, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static inline uint32_t sou_lex_hash(const char *s, size_t len)
{
    return sou_lex_hash_more(SOU_LEX_HASH_INIT, s, len);
}

/* FNV-1a, 64 bits, continued from h (start with SOU_LEX_DIGEST_INIT):
 * the writer stores it so a reader names the file without reading it. */
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

#endif
