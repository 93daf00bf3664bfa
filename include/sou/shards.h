/*
 * shards.h - opens what a user names as an index: an index directory, a
 * stub file listing databases (Xapian's format: "glass PATH", "auto
 * PATH", "remote HOST:PORT"), or "remote:HOST:PORT" for one database that
 * xapian-tcpsrv serves. A sharded index's shards open as one database,
 * whose statistics Xapian combines, so scores are those of one database.
 *
 * Stubs are read here rather than by Xapian so that remote shards get
 * timeouts (Xapian's stub reader leaves its defaults) and so that a shard
 * that cannot be opened can be named, or skipped on request.
 */
#ifndef SOU_SHARDS_H
#define SOU_SHARDS_H

#include "sou/status.h"
#include "sou/xapian.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Remote timeouts when none is given: long enough for a loaded server,
 * short enough that a dead one costs a page view a few seconds at most. */
#define SOU_REMOTE_TIMEOUT_MS         5000
#define SOU_REMOTE_CONNECT_TIMEOUT_MS 2000

/* Told about each shard skipped (allow_partial): msg names it and why. */
typedef void (*sou_shard_skipped)(void *ctx, const char *msg);

typedef struct sou_open_opts {
    unsigned timeout_ms;         /* 0: $SOU_REMOTE_TIMEOUT_MS, else SOU_REMOTE_TIMEOUT_MS */
    unsigned connect_timeout_ms; /* 0: $SOU_REMOTE_CONNECT_TIMEOUT_MS, else the constant */
    int allow_partial;           /* skip shards that fail, if one opens */
    sou_shard_skipped skipped;   /* may be NULL */
    void *ctx;
} sou_open_opts;

/* Opens path as described above and adds its databases to *db (a new one
 * when *db is NULL; owned: sou_db_free()). o may be NULL for defaults. A
 * shard that fails is an error naming it ("shard 2 of db/XAPIANDB (remote
 * 10.0.0.2:9001): NetworkError: ..."), unless o->allow_partial: then it is
 * reported to o->skipped and left out, and only no shard at all is an
 * error. A bad stub line is SOU_ERR_DB_OPENING naming file and line. */
int sou_shards_open(const char *path, const sou_open_opts *o, sou_db **db, sou_error *err);

#ifdef __cplusplus
}
#endif

#endif
