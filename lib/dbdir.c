/*
 * dbdir.c - generations and the writer's lock of an index directory; see
 * include/sou/dbdir.h and the diagram in include/sou/layout.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sou/dbdir.h"
#include "sou/layout.h"
#include "internal.h"

#define STUB_NAME        "XAPIANDB"
#define SHARDS_STUB_NAME "sou.stub"
#define LOCK_NAME        "lock"
#define GEN_PREFIX       "gen-"

struct sou_dbdir {
    char *path;
    int lock_fd;
    unsigned long live;     /* live generation number, 0 if none */
    unsigned long previous; /* the one before, kept for readers; 0 if none */
    unsigned long next;     /* generation being built, 0 if none */
    unsigned live_shards;   /* databases of the live generation */
    unsigned next_shards;   /* and of the new one (1: the generation is one) */
    char *live_path;
    char *next_path;
    int created; /* this writer made the directory */
};

static char *join(const char *dir, const char *name)
{
    char *p = NULL;
    if (asprintf(&p, "%s/%s", dir, name) < 0)
        return NULL;
    return p;
}

static char *gen_path(const char *dir, unsigned long gen)
{
    char *p = NULL;
    if (asprintf(&p, "%s/" GEN_PREFIX "%lu", dir, gen) < 0)
        return NULL;
    return p;
}

static int remove_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static void remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Parses "gen-N" into N; 0 if name is not a generation. */
static unsigned long gen_number(const char *name)
{
    size_t plen = sizeof GEN_PREFIX - 1;
    if (strncmp(name, GEN_PREFIX, plen) != 0 || name[plen] == '\0')
        return 0;
    char *end = NULL;
    unsigned long n = strtoul(name + plen, &end, 10);
    return *end == '\0' ? n : 0;
}

/* Parses a stub line's path "gen-N" or "gen-N/shard-K" into N; 0 if it
 * names no generation. */
static unsigned long stub_gen(const char *path)
{
    char name[64];
    size_t n = strcspn(path, "/");
    if (n >= sizeof name)
        return 0;
    memcpy(name, path, n);
    name[n] = '\0';
    return gen_number(name);
}

/* Reads the live generation from the stub: one "glass gen-N" line, or a
 * "glass gen-N/shard-K" line per shard; then "# previous gen-M". */
static int read_stub(sou_dbdir *d, sou_error *err)
{
    char *stub = join(d->path, STUB_NAME);
    if (!stub)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    FILE *f = fopen(stub, "r");
    free(stub);
    if (!f)
        return errno == ENOENT ? SOU_OK
                               : sou_error_set(err, SOU_ERR_IO, "%s/%s: %s", d->path, STUB_NAME,
                                               strerror(errno));
    char line[256];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "glass ", 6) == 0) {
            d->live = stub_gen(line + 6);
            d->live_shards++;
        } else if (strncmp(line, "# previous ", 11) == 0)
            d->previous = gen_number(line + 11);
    }
    fclose(f);
    if (d->live == 0)
        return sou_error_set(err, SOU_ERR_DB_OPENING, "%s/%s names no generation", d->path,
                             STUB_NAME);
    d->live_path = gen_path(d->path, d->live);
    return d->live_path ? SOU_OK : sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
}

/* A directory we may write into: empty, or already a Sou index. */
static int check_is_index(const char *path, sou_error *err)
{
    DIR *dir = opendir(path);
    if (!dir)
        return sou_error_set(err, SOU_ERR_IO, "%s: %s", path, strerror(errno));
    int foreign = 0, ours = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        size_t n = strlen(e->d_name);
        if (strcmp(e->d_name, STUB_NAME) == 0)
            ours = 1;
        else if (strcmp(e->d_name, LOCK_NAME) != 0 && gen_number(e->d_name) == 0 &&
                 !(n > 5 && strcmp(e->d_name + n - 5, ".stub") == 0))
            foreign = 1;
    }
    closedir(dir);
    if (foreign && !ours)
        return sou_error_set(err, SOU_ERR_DB_OPENING,
                             "%s exists and is not a Sou index; refusing to overwrite it", path);
    return SOU_OK;
}

static int take_lock(sou_dbdir *d, sou_error *err)
{
    char *lock = join(d->path, LOCK_NAME);
    if (!lock)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    d->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    free(lock);
    if (d->lock_fd < 0)
        return sou_error_set(err, SOU_ERR_IO, "%s/%s: %s", d->path, LOCK_NAME, strerror(errno));
    if (flock(d->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = "";
        ssize_t n = pread(d->lock_fd, pid, sizeof pid - 1, 0);
        pid[n > 0 ? n : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        return sou_error_set(err, SOU_ERR_DB_LOCKED, "index %s is being updated by pid %s", d->path,
                             pid[0] ? pid : "(unknown)");
    }
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(d->lock_fd, 0) != 0 || pwrite(d->lock_fd, pid, (size_t)n, 0) != n)
        return sou_error_set(err, SOU_ERR_IO, "%s/%s: %s", d->path, LOCK_NAME, strerror(errno));
    return SOU_OK;
}

/* Removes generations other than the live and previous ones: leftovers of
 * writers that were killed, and generations readers no longer need. */
static void remove_stale(sou_dbdir *d)
{
    DIR *dir = opendir(d->path);
    if (!dir)
        return;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        unsigned long g = gen_number(e->d_name);
        if (g == 0 || g == d->live || g == d->previous || g == d->next)
            continue;
        char *p = join(d->path, e->d_name);
        if (p)
            remove_tree(p);
        free(p);
    }
    closedir(dir);
}

static unsigned long highest_generation(const char *path)
{
    unsigned long hi = 0;
    DIR *dir = opendir(path);
    if (!dir)
        return 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        unsigned long g = gen_number(e->d_name);
        if (g > hi)
            hi = g;
    }
    closedir(dir);
    return hi;
}

SOU_API int sou_dbdir_lock(const char *path, sou_dbdir **out, sou_error *err)
{
    *out = NULL;
    if (!path || !*path)
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "index path is empty");
    int created = mkdir(path, 0755) == 0;
    if (!created && errno != EEXIST)
        return sou_error_set(err, SOU_ERR_IO, "cannot create %s: %s", path, strerror(errno));
    int rc = check_is_index(path, err);
    if (rc != SOU_OK)
        return rc;
    sou_dbdir *d = calloc(1, sizeof *d);
    if (!d || !(d->path = strdup(path))) {
        free(d);
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    }
    d->lock_fd = -1;
    d->created = created;
    rc = take_lock(d, err);
    if (rc == SOU_OK)
        rc = read_stub(d, err);
    if (rc != SOU_OK) {
        sou_dbdir_unlock(d);
        return rc;
    }
    remove_stale(d);
    *out = d;
    return SOU_OK;
}

SOU_API void sou_dbdir_unlock(sou_dbdir *d)
{
    if (!d)
        return;
    /* A first build that failed leaves no trace, not an empty index
     * directory. */
    if (d->created && d->live == 0) {
        sou_dbdir_discard(d);
        char *lock = join(d->path, LOCK_NAME);
        if (lock)
            remove(lock);
        free(lock);
        rmdir(d->path);
    }
    sou_dbdir_free_copy(d); /* closing the last descriptor releases the flock */
}

SOU_API int sou_dbdir_reload(sou_dbdir *d, sou_error *err)
{
    free(d->live_path);
    free(d->next_path);
    d->live_path = d->next_path = NULL;
    d->live = d->previous = d->next = 0;
    d->live_shards = 0;
    int rc = read_stub(d, err);
    if (rc == SOU_OK)
        remove_stale(d);
    return rc;
}

SOU_API void sou_dbdir_free_copy(sou_dbdir *d)
{
    if (!d)
        return;
    if (d->lock_fd >= 0)
        close(d->lock_fd); /* the flock stays: the locker's descriptor holds it */
    free(d->path);
    free(d->live_path);
    free(d->next_path);
    free(d);
}

SOU_API const char *sou_dbdir_live(const sou_dbdir *d)
{
    return d->live_path;
}

SOU_API int sou_dbdir_new_generation(sou_dbdir *d, const char **out, sou_error *err)
{
    *out = NULL;
    free(d->next_path);
    d->next = highest_generation(d->path) + 1;
    d->next_path = gen_path(d->path, d->next);
    if (!d->next_path)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    remove_tree(d->next_path); /* cannot exist, but never build on leftovers */
    *out = d->next_path;
    return SOU_OK;
}

static int fsync_path(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Writes the stub name in d's directory, naming the new generation's
 * databases, through a temporary file renamed over it: readers see the old
 * stub or the new one, never a part. */
static int write_stub(const sou_dbdir *d, const char *name, int shard, sou_error *err)
{
    char *stub = join(d->path, name), *tmp = NULL;
    if (!stub || asprintf(&tmp, "%s.tmp", stub) < 0) {
        free(stub);
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    }
    int rc = SOU_OK;
    FILE *f = fopen(tmp, "w");
    if (!f) {
        rc = sou_error_set(err, SOU_ERR_IO, "%s: %s", tmp, strerror(errno));
        goto done;
    }
    if (shard >= 0)
        fprintf(f, "glass " GEN_PREFIX "%lu/" SOU_SHARD_PREFIX "%d\n", d->next, shard);
    else if (d->next_shards <= 1)
        fprintf(f, "glass " GEN_PREFIX "%lu\n", d->next);
    for (unsigned k = 0; shard < 0 && d->next_shards > 1 && k < d->next_shards; k++)
        fprintf(f, "glass " GEN_PREFIX "%lu/" SOU_SHARD_PREFIX "%u\n", d->next, k);
    if (d->live && shard < 0)
        fprintf(f, "# previous " GEN_PREFIX "%lu\n", d->live);
    int bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
    if (fclose(f) != 0 || bad)
        rc = sou_error_set(err, SOU_ERR_IO, "%s: %s", tmp, strerror(errno));
    else if (rename(tmp, stub) != 0)
        rc = sou_error_set(err, SOU_ERR_IO, "cannot replace %s: %s", stub, strerror(errno));
done:
    if (rc != SOU_OK)
        remove(tmp);
    free(stub);
    free(tmp);
    return rc;
}

SOU_API int sou_dbdir_publish(sou_dbdir *d, sou_error *err)
{
    if (!d->next_path)
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "no new generation to publish");
    /* XAPIANDB last: it is what makes the generation live. A shard's own
     * stub (shard-K.stub) lets a server of that shard follow rebuilds. */
    int rc = SOU_OK;
    for (unsigned k = 0; rc == SOU_OK && d->next_shards > 1 && k < d->next_shards; k++) {
        char name[64];
        snprintf(name, sizeof name, SOU_SHARD_PREFIX "%u.stub", k);
        rc = write_stub(d, name, (int)k, err);
    }
    if (rc == SOU_OK)
        rc = write_stub(d, SHARDS_STUB_NAME, -1, err);
    if (rc == SOU_OK)
        rc = write_stub(d, STUB_NAME, -1, err);
    if (rc != SOU_OK)
        return rc;
    fsync_path(d->path, O_RDONLY | O_DIRECTORY);
    /* Stubs of shards a rebuild with fewer shards no longer has. */
    for (unsigned k = d->next_shards > 1 ? d->next_shards : 0;; k++) {
        char name[64];
        snprintf(name, sizeof name, SOU_SHARD_PREFIX "%u.stub", k);
        char *p = join(d->path, name);
        int gone = p && remove(p) != 0;
        free(p);
        if (gone)
            break;
    }
    d->previous = d->live;
    d->live = d->next;
    d->live_shards = d->next_shards ? d->next_shards : 1;
    d->next = 0;
    free(d->live_path);
    d->live_path = d->next_path;
    d->next_path = NULL;
    remove_stale(d);
    return SOU_OK;
}

SOU_API unsigned sou_dbdir_live_shards(const sou_dbdir *d)
{
    return d->live ? (d->live_shards ? d->live_shards : 1) : 0;
}

SOU_API void sou_dbdir_set_shards(sou_dbdir *d, unsigned n)
{
    d->next_shards = n;
}

SOU_API char *sou_dbdir_shard_path(const char *gen, unsigned k, unsigned n)
{
    char *p = NULL;
    if (n <= 1)
        return strdup(gen);
    return asprintf(&p, "%s/" SOU_SHARD_PREFIX "%u", gen, k) < 0 ? NULL : p;
}

SOU_API void sou_dbdir_discard(sou_dbdir *d)
{
    if (d && d->next_path) {
        remove_tree(d->next_path);
        free(d->next_path);
        d->next_path = NULL;
        d->next = 0;
    }
}
