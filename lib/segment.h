/*
 * segment.h - the lexicon pass of the analysis chain: re-cuts a run of
 * ideographs that ICU segmented, with the lexicon. Internal to libsou.
 */
#ifndef SOU_LIB_SEGMENT_H
#define SOU_LIB_SEGMENT_H

#include <stddef.h>

#include "sou/status.h"
#include "lexicon.h"

typedef struct sou_segmenter sou_segmenter;

/* A segmenter over lx (borrowed; it must outlive the segmenter). *out is
 * owned: sou_segmenter_free(). Returns SOU_OK or SOU_ERR_NOMEM. */
int sou_segmenter_new(const sou_lexicon *lx, sou_segmenter **out, sou_error *err);
void sou_segmenter_free(sou_segmenter *sg);

/* Cuts text[0..len), valid UTF-8 made of ideographs, into words: *ends
 * gets the byte offset where each word ends, *n their count. The array
 * is borrowed until the next call. Returns SOU_OK or SOU_ERR_NOMEM. */
int sou_segment(sou_segmenter *sg, const char *text, size_t len, const size_t **ends, size_t *n,
                sou_error *err);

#endif
