/*
 * fuzz_support.c - helpers shared by the fuzz targets (fuzz.h).
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

void fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "fuzz: %s:%d: %s\n", file, line, what);
    abort();
}

sou_analyzer *fuzz_analyzer(const char *mode)
{
    sou_analysis_opts opts = {0};
    sou_error err;
    sou_analyzer *a = NULL;
    if (sou_analysis_mode_parse(mode, &opts) != 0) {
        fprintf(stderr, "fuzz: unknown analysis mode %s\n", mode);
        exit(2);
    }
    if (sou_analyzer_open(&a, &opts, &err) != SOU_OK) {
        fprintf(stderr, "fuzz: %s\n", err.msg);
        exit(2);
    }
    return a;
}

static char scratch[64];

static int remove_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static void remove_scratch(void)
{
    nftw(scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

const char *fuzz_scratch_dir(void)
{
    if (scratch[0])
        return scratch;
    const char *tmp = getenv("TMPDIR");
    snprintf(scratch, sizeof scratch, "%s/sou-fuzz.XXXXXX",
             tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    if (!mkdtemp(scratch)) {
        perror("fuzz: mkdtemp");
        exit(2);
    }
    atexit(remove_scratch);
    return scratch;
}

const char *fuzz_write_file(const char *dir, const char *name, const uint8_t *data, size_t size)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || (size > 0 && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        perror(path);
        exit(2);
    }
    return path;
}
