/*
 * indexdoc.h - one document into a writable database: what a full build's
 * workers and an update share.
 */
#ifndef SOU_INDEXER_INDEXDOC_H
#define SOU_INDEXER_INDEXDOC_H

#include <stdint.h>

#include "sou/analyze.h"
#include "sou/document.h"
#include "sou/xapian.h"

/* A stable hash of d's id (FNV-1a): a document lives in shard
 * hash % shards, so a repeated id, or an update, always finds it there. */
uint32_t document_hash(const sou_document *d);
uint32_t id_hash(const char *id, size_t len);

/* Analyzes d and adds it to wdb, replacing any document with its id. */
int index_document(sou_analyzer *a, sou_wdb *wdb, const sou_document *d, sou_error *err);

/* Prefixes err's message with the document's file and line. */
void locate_error(sou_error *err, const sou_document *d);

/* Whether an error concerns one document, which is skipped, rather than
 * the database, which ends the run. */
int is_document_error(int code);

#endif
