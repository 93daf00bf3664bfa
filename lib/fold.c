/*
 * fold.c - Chinese script folding, one code point at a time: Traditional to
 * Simplified for terms, Simplified to Traditional for segmentation.
 *
 * The tables are generated at build time by lib/gen/fold-table.c from ICU's
 * Hant-Hans and Hans-Hant transliterators: a lookup here costs one array
 * access, while opening a transliterator costs every process about 20 ms.
 */
#include <string.h>

#include "fold.h"

#include "fold_table.h"

const char *sou_fold_icu_version(void)
{
    return FOLD_ICU_VERSION;
}

int sou_fold_char(int c)
{
    if (c < FOLD_FIRST || c > FOLD_LAST)
        return c;
    unsigned short t = fold_to_hans[c - FOLD_FIRST];
    return t ? FOLD_FIRST + t - 1 : c;
}

/* Decodes the three-byte UTF-8 sequence at s (a code point in the CJK
 * block, which is all three-byte). */
static int decode3(const unsigned char *s)
{
    return ((s[0] & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
}

static void encode3(int c, unsigned char *out)
{
    out[0] = (unsigned char)(0xE0 | (c >> 12));
    out[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    out[2] = (unsigned char)(0x80 | (c & 0x3F));
}

int sou_fold_for_segmentation(const char *text, size_t len, char *out)
{
    const unsigned char *s = (const unsigned char *)text;
    int changed = 0;
    if (out)
        memcpy(out, text, len);
    for (size_t i = 0; i + 2 < len; i++) {
        /* Lead bytes E3..E9 cover U+3000..U+9FFF. */
        if (s[i] < 0xE3 || s[i] > 0xE9)
            continue;
        int c = decode3(s + i);
        if (c >= FOLD_FIRST && c <= FOLD_LAST && seg_to_hant[c - FOLD_FIRST]) {
            if (!out)
                return 1;
            encode3(FOLD_FIRST + seg_to_hant[c - FOLD_FIRST] - 1, (unsigned char *)out + i);
            changed = 1;
        }
        i += 2;
    }
    return changed;
}
