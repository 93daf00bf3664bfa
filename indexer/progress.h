/*
 * progress.h - a one-line progress report on a terminal for long runs:
 * documents, megabytes, MB/s and time left. Silent when disabled.
 */
#ifndef SOU_INDEXER_PROGRESS_H
#define SOU_INDEXER_PROGRESS_H

#include <stdint.h>
#include <time.h>

struct progress {
    int enabled;
    int shown; /* a line is on screen */
    struct timespec start;
    struct timespec last;
};

void progress_init(struct progress *p, int enabled);

/* Redraws the line at most a few times a second. */
void progress_update(struct progress *p, unsigned long docs, uint64_t bytes, uint64_t total);

/* Erases the line so other messages start on a clean line. */
void progress_clear(struct progress *p);

/* Seconds since p was initialized. */
double progress_seconds(const struct progress *p);

/* Reports a failed run of sou-index on db ("...; db is unchanged") and
 * returns its exit code. */
int progress_failed(const char *db, const char *msg);

#endif
