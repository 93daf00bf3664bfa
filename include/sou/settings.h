/*
 * settings.h - the analysis settings an index records (layout.h:
 * SOU_META_ANALYSIS and SOU_META_USER_LEXICON). A build writes them; every
 * program that later analyzes text for the index (queries, updates) reads
 * them, so a word is cut and folded alike on both sides.
 */
#ifndef SOU_SETTINGS_H
#define SOU_SETTINGS_H

#include "sou/analyze.h"
#include "sou/status.h"
#include "sou/xapian.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Records a's settings, and o's user lexicon if it has one, through wdb
 * (the caller commits). SOU_OK, SOU_ERR_NOMEM or a wrapper error. */
int sou_settings_store(sou_wdb *wdb, const sou_analyzer *a, const sou_analysis_opts *o,
                       sou_error *err);

/* Opens the analysis chain db was built with: its mode and user lexicon,
 * refusing (SOU_ERR_DB_OPENING, naming the setting and name, the index's
 * path for messages) an index whose lexicon, ICU or version differ from
 * this program's. *out is owned: sou_analyzer_free(); NULL on failure. */
int sou_settings_analyzer(const sou_db *db, const char *name, sou_analyzer **out, sou_error *err);

#ifdef __cplusplus
}
#endif

#endif
