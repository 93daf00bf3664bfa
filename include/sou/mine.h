/*
 * mine.h - acronym mining: learning (acronym, Chinese name, English name)
 * definitions from running text, so the glossary can grow from the corpus.
 *
 * The forms recognised, with ASCII () or full-width （） parentheses:
 *
 *   「貿易暨投資委員會」(CTI)                  zh only (also 《…》, 『…』, 〈…〉)
 *   「亞太經濟合作」(Asia-Pacific Economic Cooperation, APEC)   zh and en
 *   人工智慧（AI）, 數位與AI部長會議（TELMIN 12）  zh only, unquoted
 *   Committee on Trade and Investment (CTI)   en only (Schwartz & Hearst)
 *
 * An acronym is 2-10 upper-case letters and digits starting with a letter,
 * with at least two letters, optionally followed by a space and a number of
 * up to four digits ("TELMIN 12"); full-width letters and digits (ＣＴＩ)
 * count too. It is returned as written: normalization is the caller's job.
 * Not definitions: 「開放」(Openness) (no acronym), ACR（中文名稱） (the
 * reversed form), lower-case or one-letter contents, years, sentences.
 * lib/mine.c explains how unquoted names are delimited.
 */
#ifndef SOU_MINE_H
#define SOU_MINE_H

#include <stddef.h>

#include "sou/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called once per definition found, in text order. acronym[0..acr_len) is
 * the acronym as written; zh[0..zh_len) the Chinese name and en[0..en_len)
 * the English one, either of them NULL with length 0 when the definition
 * gives only the other (never both). offset is the byte offset of the
 * acronym in the text. The strings are borrowed, point into the text, are
 * not NUL-terminated and are valid only during the call. A non-zero return
 * stops the run; sou_mine_acronyms returns it. */
typedef int (*sou_mine_cb)(void *ctx, const char *acronym, size_t acr_len, const char *zh,
                           size_t zh_len, const char *en, size_t en_len, size_t offset);

/* Finds the acronym definitions in text[0..len) (need not be
 * NUL-terminated) and calls cb for each, once per occurrence: the caller
 * deduplicates. Linear in len, allocates nothing, keeps no state, so it is
 * safe to run over every indexed document and from several threads.
 * Returns SOU_OK; SOU_ERR_INVALID_ARG if cb is NULL or text is NULL with a
 * non-zero len; SOU_ERR_UTF8 if the text is not valid UTF-8 (checked before
 * any callback; the message gives the byte offset); or the callback's
 * non-zero return value. err is cleared on entry; a callback that stops the
 * run may fill it (its message is kept), otherwise it is set to
 * SOU_ERR_CALLBACK. */
int sou_mine_acronyms(const char *text, size_t len, sou_mine_cb cb, void *ctx, sou_error *err);

#ifdef __cplusplus
}
#endif

#endif
