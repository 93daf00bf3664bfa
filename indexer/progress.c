/*
 * progress.c - the indexer's progress line (stderr, terminals only).
 */
#include <stdio.h>

#include "options.h"
#include "progress.h"

#define REDRAW_SECONDS 0.25

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void progress_init(struct progress *p, int enabled)
{
    p->enabled = enabled;
    p->shown = 0;
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    p->last = p->start;
}

void progress_update(struct progress *p, unsigned long docs, uint64_t bytes, uint64_t total)
{
    if (!p->enabled)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (seconds_between(&p->last, &now) < REDRAW_SECONDS)
        return;
    p->last = now;
    double elapsed = seconds_between(&p->start, &now);
    double mb = (double)bytes / 1e6;
    double rate = elapsed > 0 ? mb / elapsed : 0;
    fprintf(stderr, "\r%lu docs, %.1f/%.1f MB, %.2f MB/s", docs, mb, (double)total / 1e6, rate);
    if (rate > 0 && total >= bytes) {
        double left = ((double)(total - bytes) / 1e6) / rate;
        fprintf(stderr, ", %dm%02ds left", (int)(left / 60), (int)left % 60);
    }
    fprintf(stderr, "\033[K");
    p->shown = 1;
}

void progress_clear(struct progress *p)
{
    if (p->shown) {
        fprintf(stderr, "\r\033[K");
        p->shown = 0;
    }
}

double progress_seconds(const struct progress *p)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return seconds_between(&p->start, &now);
}

int progress_failed(const char *db, const char *msg)
{
    fprintf(stderr, "sou-index: %s\n", msg);
    fprintf(stderr, "sou-index: failed; %s is unchanged\n", db);
    return EXIT_FAILED;
}
