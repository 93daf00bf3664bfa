/*
 * tokenize.h - `sou-index --tokenize`: the index's segmentation of text,
 * one output line per input line, words separated by single spaces.
 */
#ifndef SOU_INDEXER_TOKENIZE_H
#define SOU_INDEXER_TOKENIZE_H

#include <stdio.h>

#include "sou/analyze.h"

/* Segments each line of in with an analyzer made from opts and writes it
 * to out. Returns 0, or -1 after printing an error naming the line. */
int tokenize_stream(FILE *in, FILE *out, const sou_analysis_opts *opts);

#endif
