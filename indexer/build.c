/*
 * build.c - a full build: J worker processes each read the whole corpus
 * and index the documents whose id hashes to them into a shard of a new
 * generation; the shards are then merged into one compacted database
 * (sou_db_compact), which gets the analysis settings and the glossary and
 * is swapped in (dbdir.h).
 *
 * Processes, not threads: Xapian's WritableDatabase and ICU's break
 * iterator are per-thread objects anyway, and a process is killed whole.
 * Worker 0 is the parent. It alone reports what cannot be parsed, shows
 * progress and learns acronym definitions (from every document, so the
 * glossary does not depend on the number of workers); the others only
 * index, and send their counts back through a pipe. Merging costs little
 * and roughly halves the index (MEASURED.md), so one worker compacts too.
 */
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sou/corpus.h"
#include "sou/dbdir.h"
#include "sou/docbuild.h"
#include "sou/grams.h"
#include "sou/layout.h"
#include "sou/settings.h"
#include "sou/xapian.h"

#include "build.h"
#include "indexdoc.h"
#include "names.h"
#include "progress.h"

/* Committing every few thousand documents keeps Xapian's memory bounded
 * and is faster than one huge batch (see MEASURED.md). */
#define COMMIT_EVERY 2000
#define MAX_JOBS     64

struct run {
    const struct options *opt;
    unsigned worker, jobs;
    struct names_build *names; /* worker 0 only */
    sou_analyzer *analyzer;
    sou_corpus *corpus;
    sou_wdb *wdb;
    unsigned long indexed;
    unsigned long skipped;
    struct progress progress;
};

/* The worker that indexes a document: a stable hash of its id, so a
 * repeated id always lands in the same shard and replaces the first. */
static unsigned owner(const sou_document *d, unsigned jobs)
{
    size_t len = 0;
    const char *id = sou_document_get(d, "id", &len);
    uint32_t h = 2166136261u;
    for (size_t i = 0; id && i < len; i++) {
        h ^= (unsigned char)id[i];
        h *= 16777619u;
    }
    return jobs > 1 ? h % jobs : 0;
}

static void report_skip(struct run *r, const sou_error *err)
{
    r->skipped++;
    progress_clear(&r->progress);
    fprintf(stderr, "sou-index: %s; skipped\n", err->msg);
}

/* Indexes this worker's documents; worker 0 also mines every document. */
static int index_all(struct run *r, sou_error *err)
{
    for (;;) {
        sou_document *d = NULL;
        int got = sou_corpus_next(r->corpus, &d, err);
        if (got == 0)
            break;
        if (got < 0) {
            if (err->code == SOU_ERR_NOMEM)
                return err->code;
            if (r->worker == 0)
                report_skip(r, err);
            continue;
        }
        /* Every worker checks every document, so worker 0 reports each bad
         * one in order and learns only from the good ones. */
        int rc = sou_doc_check(d, err);
        if (rc != SOU_OK) {
            locate_error(err, d);
            sou_document_free(d);
            if (r->worker == 0)
                report_skip(r, err);
            continue;
        }
        if (r->names)
            rc = names_mine(r->names, d, err);
        if (rc != SOU_OK) {
            sou_document_free(d);
            return rc;
        }
        if (owner(d, r->jobs) != r->worker) {
            sou_document_free(d);
            continue;
        }
        rc = index_document(r->analyzer, r->wdb, d, err);
        if (rc != SOU_OK) {
            int skip = is_document_error(rc);
            if (skip)
                locate_error(err, d);
            sou_document_free(d);
            if (!skip)
                return rc;
            report_skip(r, err);
            continue;
        }
        if (r->opt->verbose) {
            progress_clear(&r->progress);
            fprintf(stderr, "indexed %s\n", sou_document_get(d, "id", NULL));
        }
        sou_document_free(d);
        r->indexed++;
        if (r->indexed % COMMIT_EVERY == 0) {
            rc = sou_wdb_commit(r->wdb, err);
            if (rc != SOU_OK)
                return rc;
        }
        progress_update(&r->progress, r->indexed * r->jobs, sou_corpus_bytes_read(r->corpus),
                        sou_corpus_total_bytes(r->corpus));
    }
    return SOU_OK;
}

/* Worker k's shard: GEN/shards/k. Owned: free(). */
static char *shard_path(const char *gen, unsigned k)
{
    char *p = NULL;
    return asprintf(&p, "%s/shards/%u", gen, k) < 0 ? NULL : p;
}

/* One worker's whole job: its shard, written and closed. */
static int run_worker(struct run *r, const char *gen, sou_error *err)
{
    const struct options *opt = r->opt;
    char *path = shard_path(gen, r->worker);
    if (!path)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    int rc = sou_corpus_open((const char *const *)opt->paths, opt->npaths, &r->corpus, err);
    if (rc == SOU_OK)
        rc = sou_wdb_open(path, SOU_WDB_CREATE_OR_OVERWRITE, &r->wdb, err);
    if (rc == SOU_OK)
        rc = index_all(r, err);
    if (rc == SOU_OK)
        rc = sou_wdb_close(r->wdb, err);
    sou_wdb_free(r->wdb);
    r->wdb = NULL;
    free(path);
    return rc;
}

struct child {
    pid_t pid;
    int fd; /* reads the child's "indexed skipped" */
};

/* Starts worker k in a child process that dies with its parent, so a
 * killed build leaves no writer behind. */
static int start_child(struct run *proto, const char *gen, unsigned k, struct child *c,
                       sou_error *err)
{
    int fds[2];
    if (pipe(fds) != 0)
        return sou_error_set(err, SOU_ERR_IO, "cannot start a worker: %s", strerror(errno));
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return sou_error_set(err, SOU_ERR_IO, "cannot start a worker: %s", strerror(errno));
    }
    if (pid == 0) {
        close(fds[0]);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(EXIT_FAILED);
        struct run r = *proto;
        r.worker = k;
        r.names = NULL;
        progress_init(&r.progress, 0);
        sou_error cerr;
        sou_error_clear(&cerr);
        int rc = run_worker(&r, gen, &cerr);
        if (rc != SOU_OK)
            fprintf(stderr, "sou-index: worker %u: %s\n", k, cerr.msg);
        dprintf(fds[1], "%lu %lu\n", r.indexed, r.skipped);
        sou_corpus_free(r.corpus);
        sou_analyzer_free(r.analyzer); /* this process's copy */
        fflush(NULL);
        _exit(rc == SOU_OK ? EXIT_OK : EXIT_FAILED);
    }
    close(fds[1]);
    c->pid = pid;
    c->fd = fds[0];
    return SOU_OK;
}

/* Waits for a child and adds its counts to r; fails if the child did. */
static int finish_child(struct run *r, struct child *c, sou_error *err)
{
    char buf[64] = "";
    ssize_t n = read(c->fd, buf, sizeof buf - 1);
    close(c->fd);
    int status = 0;
    while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
        ;
    unsigned long indexed = 0, skipped = 0;
    if (n <= 0 || sscanf(buf, "%lu %lu", &indexed, &skipped) != 2 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != EXIT_OK)
        return sou_error_set(err, SOU_ERR_INTERNAL, "a worker process failed");
    r->indexed += indexed;
    r->skipped += skipped;
    return SOU_OK;
}

/* Runs every worker and merges their shards into gen. */
static int index_shards(struct run *r, const char *gen, sou_error *err)
{
    unsigned jobs = r->jobs;
    char *dir = NULL;
    if (asprintf(&dir, "%s/shards", gen) < 0)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    int rc = SOU_OK;
    if ((mkdir(gen, 0755) != 0 && errno != EEXIST) || mkdir(dir, 0755) != 0)
        rc = sou_error_set(err, SOU_ERR_IO, "%s: %s", dir, strerror(errno));
    struct child children[MAX_JOBS];
    unsigned started = 0;
    for (unsigned k = 1; rc == SOU_OK && k < jobs; k++, started++)
        rc = start_child(r, gen, k, &children[started], err);
    if (rc == SOU_OK)
        rc = run_worker(r, gen, err);
    progress_clear(&r->progress);
    for (unsigned i = 0; i < started; i++) {
        sou_error cerr;
        sou_error_clear(&cerr);
        if (rc != SOU_OK)
            kill(children[i].pid, SIGKILL);
        int crc = finish_child(r, &children[i], &cerr);
        if (rc == SOU_OK && crc != SOU_OK)
            rc = sou_error_set(err, crc, "%s", cerr.msg);
    }
    char *paths[MAX_JOBS] = {0};
    for (unsigned k = 0; rc == SOU_OK && k < jobs; k++)
        if (!(paths[k] = shard_path(gen, k)))
            rc = sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    if (rc == SOU_OK && r->indexed > 0)
        rc = sou_db_compact((const char *const *)paths, jobs, gen, err);
    for (unsigned k = 0; k < jobs; k++)
        free(paths[k]);
    free(dir);
    return rc;
}

static int remove_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(p);
}

/* Records the analysis settings (and the user lexicon), the gram synonyms
 * and the glossary in the merged database, and counts its documents. */
static int finish_database(struct run *r, const char *gen, uint32_t *in_index, sou_error *err)
{
    char *shards = NULL;
    if (asprintf(&shards, "%s/shards", gen) < 0)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    nftw(shards, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(shards);
    sou_wdb *wdb = NULL;
    int rc = sou_wdb_open(gen, SOU_WDB_OPEN, &wdb, err);
    if (rc == SOU_OK)
        rc = sou_settings_store(wdb, r->analyzer, &r->opt->analysis, err);
    sou_db *view = NULL;
    if (rc == SOU_OK && sou_analyzer_grams(r->analyzer) &&
        (rc = sou_wdb_reader(wdb, &view, err)) == SOU_OK)
        rc = sou_grams_store(view, &wdb, 1, err);
    sou_db_free(view);
    if (rc == SOU_OK)
        rc = names_store(r->names, r->analyzer, wdb, err);
    if (rc == SOU_OK)
        rc = sou_wdb_doc_count(wdb, in_index, err);
    if (rc == SOU_OK)
        rc = sou_wdb_close(wdb, err);
    sou_wdb_free(wdb);
    return rc;
}

static void summary(const struct run *r, uint32_t in_index, double secs)
{
    const struct options *opt = r->opt;
    double mb = r->corpus ? (double)sou_corpus_bytes_read(r->corpus) / 1e6 : 0;
    /* Documents sharing an id replace each other: say so when the index
     * holds fewer than were read. */
    char replaced[64] = "";
    if (in_index < r->indexed)
        snprintf(replaced, sizeof replaced, " (%u after replacing repeated ids)",
                 (unsigned)in_index);
    if (!opt->quiet || r->skipped)
        fprintf(stderr,
                "sou-index: %lu documents indexed%s, %lu skipped, %.2f MB in %.2f s -> %s\n",
                r->indexed, replaced, r->skipped, mb, secs, opt->db);
}

int build_index(const struct options *opt)
{
    struct names_build names = {0};
    struct run r = {.opt = opt, .jobs = opt->jobs ? opt->jobs : 1, .names = &names};
    if (r.jobs > MAX_JOBS)
        r.jobs = MAX_JOBS;
    sou_error err;
    sou_error_clear(&err);
    sou_dbdir *dir = NULL;
    const char *gen = NULL;
    progress_init(&r.progress, !opt->quiet && !opt->verbose && isatty(STDERR_FILENO));

    int rc = sou_analyzer_open(&r.analyzer, &opt->analysis, &err);
    if (rc == SOU_OK)
        rc = names_load(&names, opt->glossaries, opt->nglossaries, opt->paths, opt->npaths, &err);
    if (rc == SOU_OK)
        rc = sou_dbdir_lock(opt->db, &dir, &err);
    if (rc == SOU_OK)
        rc = sou_dbdir_new_generation(dir, &gen, &err);
    if (rc == SOU_OK)
        rc = index_shards(&r, gen, &err);
    if (rc == SOU_OK && r.indexed == 0)
        rc = sou_error_set(&err, SOU_ERR_DOC, "no document could be indexed");
    uint32_t in_index = 0;
    if (rc == SOU_OK)
        rc = finish_database(&r, gen, &in_index, &err);
    if (rc == SOU_OK)
        rc = sou_dbdir_publish(dir, &err);
    if (rc != SOU_OK && dir)
        sou_dbdir_discard(dir);

    int status;
    if (rc != SOU_OK) {
        status = progress_failed(opt->db, err.msg);
    } else {
        summary(&r, in_index, progress_seconds(&r.progress));
        status = r.skipped ? EXIT_SKIPPED : EXIT_OK;
    }
    if (rc == SOU_OK && opt->verbose)
        fprintf(stderr,
                "sou-index: glossary: %zu senses from %zu files (%zu lines skipped), "
                "%zu definitions found in the documents\n",
                names.glossary.n, names.files, names.skipped, names.mined);
    if (rc == SOU_OK && names.skipped && status == EXIT_OK)
        status = EXIT_SKIPPED;
    names_release(&names);
    sou_dbdir_unlock(dir);
    sou_corpus_free(r.corpus);
    sou_analyzer_free(r.analyzer);
    return status;
}
