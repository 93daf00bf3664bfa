/*
 * settings.c - writes and checks the analysis settings an index records;
 * see include/sou/settings.h.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sou/docbuild.h"
#include "sou/layout.h"
#include "sou/settings.h"
#include "internal.h"

SOU_API int sou_settings_store(sou_wdb *wdb, const sou_analyzer *a, const sou_analysis_opts *o,
                               sou_error *err)
{
    char *settings = sou_analysis_settings(a);
    if (!settings)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    int rc = sou_wdb_set_metadata(wdb, SOU_META_ANALYSIS, settings, strlen(settings), err);
    if (rc == SOU_OK && o->user_lexicon && o->user_lexicon_len > 0)
        rc = sou_wdb_set_metadata(wdb, SOU_META_USER_LEXICON, o->user_lexicon, o->user_lexicon_len,
                                  err);
    free(settings);
    return rc;
}

/* Names the first setting in which stored and mine differ. */
static int settings_mismatch(const char *name, json_t *stored, json_t *mine, sou_error *err)
{
    const char *key;
    json_t *value;
    json_object_foreach(mine, key, value)
    {
        json_t *theirs = json_object_get(stored, key);
        if (theirs && json_equal(theirs, value))
            continue;
        char *a = theirs ? json_dumps(theirs, JSON_ENCODE_ANY) : NULL;
        char *b = json_dumps(value, JSON_ENCODE_ANY);
        sou_error_set(err, SOU_ERR_DB_OPENING,
                      "%s was built with %s %s, but this program has %s %s; rebuild it with "
                      "sou-index",
                      name, key, a ? a : "(none)", key, b ? b : "?");
        free(a);
        free(b);
        return SOU_ERR_DB_OPENING;
    }
    return sou_error_set(err, SOU_ERR_DB_OPENING,
                         "%s was built with other analysis settings; rebuild it with sou-index",
                         name);
}

/* The index must have been built by this analysis chain, or a word would
 * be segmented differently on the two sides: queries are analyzed in the
 * index's mode, with its user lexicon, and the rest must match. */
SOU_API int sou_settings_analyzer(const sou_db *db, const char *name, sou_analyzer **out,
                                  sou_error *err)
{
    *out = NULL;
    char *stored = NULL, *user = NULL;
    size_t len = 0, user_len = 0;
    int rc = sou_db_get_metadata(db, SOU_META_ANALYSIS, &stored, &len, err);
    if (rc != SOU_OK)
        return rc;
    json_t *st = stored ? json_loadb(stored, len, 0, NULL) : NULL;
    const char *mode = json_string_value(json_object_get(st, "mode"));
    sou_analysis_opts o = {0};
    if (!st)
        rc = sou_error_set(err, SOU_ERR_DB_OPENING,
                           "%s is not a Sou index (no analysis settings recorded)", name);
    else if (sou_analysis_mode_parse(mode ? mode : "", &o) != 0)
        rc = sou_error_set(err, SOU_ERR_DB_OPENING,
                           "%s was built by another version of Sou (analysis mode %s); rebuild "
                           "it with sou-index",
                           name, mode ? mode : "unknown");
    if (rc == SOU_OK)
        rc = sou_db_get_metadata(db, SOU_META_USER_LEXICON, &user, &user_len, err);
    if (rc == SOU_OK) {
        o.user_lexicon = user;
        o.user_lexicon_len = user_len;
        o.user_lexicon_name = "the index's user lexicon";
        rc = sou_analyzer_open(out, &o, err);
    }
    char *mine = rc == SOU_OK ? sou_analysis_settings(*out) : NULL;
    if (rc == SOU_OK && !mine)
        rc = sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    if (rc == SOU_OK && strcmp(stored, mine) != 0) {
        json_t *my = json_loads(mine, 0, NULL);
        rc = settings_mismatch(name, st, my, err);
        json_decref(my);
    }
    json_decref(st);
    free(stored);
    free(user);
    free(mine);
    if (rc != SOU_OK) {
        sou_analyzer_free(*out);
        *out = NULL;
    }
    return rc;
}
