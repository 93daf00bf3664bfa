/*
 * fold.h - Chinese script folding (lib/fold.c), used by term normalization
 * and segmentation. Internal to libsou.
 */
#ifndef SOU_LIB_FOLD_H
#define SOU_LIB_FOLD_H

#include <stddef.h>

/* The Simplified form of code point c, or c itself. */
int sou_fold_char(int c);

/* Writes text[0..len) (valid UTF-8) to out with Simplified characters
 * replaced by their Traditional forms, byte for byte the same length, so
 * offsets into out are offsets into text. With out NULL only tells whether
 * anything would change. Returns 1 if something changed, else 0. */
int sou_fold_for_segmentation(const char *text, size_t len, char *out);

/* The ICU version the tables were generated from. Static string. */
const char *sou_fold_icu_version(void);

#endif
