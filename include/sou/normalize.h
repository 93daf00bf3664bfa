/*
 * normalize.h - Unicode normalization of terms (utf8proc) and UTF-8
 * validation.
 *
 * A term is normalized with NFKC and full case folding, default-ignorable
 * code points (soft hyphens, zero-width joiners, ...) are removed, and
 * Traditional Chinese characters are folded to Simplified (ICU's Hant-Hans,
 * character by character), so `CTI`, `cti` and full-width `ＣＴＩ` are one
 * term, and so are 貿易 and 贸易. Pure ASCII takes a fast path that only
 * lower-cases.
 */
#ifndef SOU_NORMALIZE_H
#define SOU_NORMALIZE_H

#include <stddef.h>

#include "sou/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reusable scratch space, so normalizing a stream of terms allocates only
 * when a term is longer than any before it. Caller-owned: initialize with
 * sou_normbuf_init() and release with sou_normbuf_release(). */
typedef struct sou_normbuf {
    char *bytes; /* the last result, NUL-terminated */
    size_t cap;  /* bytes allocated in bytes */
    int *cps;    /* code point scratch for utf8proc */
    size_t cps_cap;
} sou_normbuf;

void sou_normbuf_init(sou_normbuf *nb);
void sou_normbuf_release(sou_normbuf *nb);

/* Normalizes the valid UTF-8 text s[0..len) into nb. On SOU_OK, *out points
 * to the NUL-terminated result (borrowed: valid until the next call with nb
 * or its release) and *out_len is its length, possibly 0.
 * Returns SOU_OK, SOU_ERR_UTF8 (s is not valid UTF-8) or SOU_ERR_NOMEM. */
int sou_normalize(sou_normbuf *nb, const char *s, size_t len, const char **out, size_t *out_len,
                  sou_error *err);

/* Writes s[0..len) (valid UTF-8) to out (capacity at least len; out is not
 * NUL-terminated) with each
 * Simplified Chinese character replaced by its Traditional form, character
 * by character (ICU's Hans-Hant), the same length in bytes. Returns 1 if
 * anything changed, else 0. For suggestions such as "did you mean 貿易部長
 * 會議?" on a Simplified query that found nothing. */
int sou_traditional_form(const char *s, size_t len, char *out);

/* Returns 1 if s[0..len) is valid UTF-8 (no overlongs, surrogates or code
 * points above U+10FFFF), else 0 and, if bad_offset is non-NULL, the byte
 * offset of the first invalid sequence. */
int sou_utf8_valid(const char *s, size_t len, size_t *bad_offset);

/* What is wrong with the invalid UTF-8 sequence at s[at] (the offset
 * sou_utf8_valid() reported), for error messages: "an overlong encoding",
 * "an encoded UTF-16 surrogate", ... Static text, never NULL. */
const char *sou_utf8_problem(const char *s, size_t len, size_t at);

/* The byte length of the UTF-8 sequence starting with lead byte c (1 for an
 * invalid lead byte, so a scan always advances). */
size_t sou_utf8_seqlen(unsigned char c);

#ifdef __cplusplus
}
#endif

#endif
