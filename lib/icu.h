/*
 * icu.h - ICU's word break functions, loaded from libicuuc the first time
 * a text needs them. Internal to libsou.
 *
 * Linking libicuuc would map it and ICU's 30 MB data library into every
 * process at start: a sou-query with a cold page cache read 12.6 MB of
 * that data from disk, and a warm one spent about 0.3 ms relocating ICU,
 * though most queries never reach ICU (plain text and Han are cut
 * without it). So the programs do not link ICU, and this loads it.
 */
#ifndef SOU_LIB_ICU_H
#define SOU_LIB_ICU_H

#include <unicode/ubrk.h>
#include <unicode/utext.h>
#include <unicode/utypes.h>

#include "sou/status.h"

/* The ICU functions libsou calls, as the ICU headers declare them. */
struct sou_icu {
    __typeof__(ubrk_open) *brk_open;
    __typeof__(ubrk_close) *brk_close;
    __typeof__(ubrk_setUText) *brk_set_utext;
    __typeof__(ubrk_first) *brk_first;
    __typeof__(ubrk_next) *brk_next;
    __typeof__(ubrk_getRuleStatus) *brk_rule_status;
    __typeof__(utext_openUTF8) *text_open_utf8;
    __typeof__(utext_close) *text_close;
    __typeof__(u_errorName) *error_name;
};

/* Loads libicuuc.so.<major> of the ICU libsou was compiled with, once per
 * process (thread-safe), and checks that its version is that ICU's
 * (U_ICU_VERSION), which the index's analysis settings record. Returns the
 * functions, static and never freed; or NULL with err set (SOU_ERR_ICU,
 * naming the library) when it cannot be loaded or is another version. */
const struct sou_icu *sou_icu_load(sou_error *err);

#endif
