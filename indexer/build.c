/*
 * build.c - a full build: J worker processes each read the whole corpus
 * and index the documents whose id hashes to them into a shard of a new
 * generation; the shards are then merged into one compacted database
 * (sou_db_compact), which gets the analysis settings and the glossary and
 * is swapped in (dbdir.h). With --shards J, each worker builds and
 * compacts one shard whole, and there is nothing to merge.
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
#include "shardset.h"

/* Committing every few hundred documents keeps Xapian's memory small and
 * is faster than bigger batches, whose in-memory changes grow slow to
 * merge: one worker indexed 100 MB in 68.7 s committing every 500
 * documents (49 MB peak RSS), 76.8 s every 2,000 (106 MB); every 250 the
 * writes begin to cost more than the merging saves. */
#define COMMIT_EVERY 500
#define MAX_JOBS     64

struct run {
    const struct options *opt;
    unsigned worker, jobs;
    unsigned shards;           /* databases of the index (--shards) */
    struct names_build *names; /* worker 0 only */
    sou_analyzer *analyzer;
    sou_corpus *corpus;
    sou_wdb *wdb[SHARDS_MAX]; /* this worker's part of each shard */
    unsigned long indexed;
    unsigned long skipped;
    struct progress progress;
};

/* Worker 0 does more than the others besides its share of the indexing:
 * it parses every document, not only its own, to mine them all and to
 * report the bad ones. That costs about LEAD_EXTRA thousandths of all the
 * indexing work (on 100 MB of the benchmark corpus, parsing the other
 * half took 0.7 s and mining 0.55 s, of 48 s), so it gets a smaller share,
 * for the workers to finish together. */
#define LEAD_EXTRA 26

/* Worker 0's share of the documents against 1000 for each other worker:
 * w = 1000 (1 - e (J - 1)) / (1 + e), with e = LEAD_EXTRA / 1000, makes
 * its extra work plus its share equal the others' share. */
static uint32_t lead_weight(unsigned jobs)
{
    uint32_t spare = 1000u * (jobs - 1) * LEAD_EXTRA / 1000u;
    return spare >= 1000 ? 0 : 1000u * (1000 - spare) / (1000 + LEAD_EXTRA);
}

/* With as many shards as workers, worker k builds shard k whole and
 * compacts it itself, so the workers compact in parallel and nothing is
 * left to merge. */
static int one_shard_each(const struct run *r)
{
    return r->jobs > 1 && r->shards == r->jobs;
}

/* The worker that indexes a document, from the same hash of its id that
 * picks its shard but independent of it, so the workers share each
 * shard's documents in the same proportions whatever the two numbers;
 * except with a shard per worker, when worker k takes shard k. */
static unsigned owner(const struct run *r, uint32_t hash)
{
    if (r->jobs == 1)
        return 0;
    if (one_shard_each(r))
        return hash % r->shards;
    uint32_t lead = lead_weight(r->jobs);
    uint32_t u = (hash / r->shards) % (lead + 1000 * (r->jobs - 1));
    return u < lead ? 0 : 1 + (u - lead) / 1000;
}

/* sou_corpus_set_keep()'s test for a worker other than 0: only its own
 * documents are parsed. */
static int owns(void *ctx, const char *id, size_t len)
{
    const struct run *r = ctx;
    return owner(r, id_hash(id, len)) == r->worker;
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
        uint32_t hash = document_hash(d);
        if (owner(r, hash) != r->worker) {
            sou_document_free(d);
            continue;
        }
        rc = index_document(r->analyzer, r->wdb[hash % r->shards], d, err);
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
        for (unsigned k = 0; r->indexed % COMMIT_EVERY == 0 && k < r->shards; k++)
            if (r->wdb[k] && (rc = sou_wdb_commit(r->wdb[k], err)) != SOU_OK)
                return rc;
        progress_update(&r->progress, r->indexed * r->jobs, sou_corpus_bytes_read(r->corpus),
                        sou_corpus_total_bytes(r->corpus));
    }
    return SOU_OK;
}

/* Worker w's part of shard k: GEN/parts/w-k. Owned: free(). */
static char *part_path(const char *gen, unsigned w, unsigned k)
{
    char *p = NULL;
    return asprintf(&p, "%s/parts/%u-%u", gen, w, k) < 0 ? NULL : p;
}

/* Compacts worker w's part of shard w into the shard (one_shard_each()). */
static int compact_own_shard(const struct run *r, const char *gen, sou_error *err)
{
    char *part = part_path(gen, r->worker, r->worker);
    char *dest = sou_dbdir_shard_path(gen, r->worker, r->shards);
    int rc = part && dest ? sou_db_compact((const char *const *)&part, 1, dest, err)
                          : sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    free(part);
    free(dest);
    return rc;
}

/* One worker's whole job: its part of every shard, written and closed;
 * with a shard per worker (one_shard_each()), its own shard, compacted. */
static int run_worker(struct run *r, const char *gen, sou_error *err)
{
    const struct options *opt = r->opt;
    int rc = sou_corpus_open((const char *const *)opt->paths, opt->npaths, &r->corpus, err);
    if (rc == SOU_OK && r->worker != 0)
        sou_corpus_set_keep(r->corpus, owns, r);
    for (unsigned k = 0; rc == SOU_OK && k < r->shards; k++) {
        if (one_shard_each(r) && k != r->worker)
            continue; /* it owns no document of shard k */
        char *path = part_path(gen, r->worker, k);
        /* A part is scratch, merged into its shard (which is synced)
         * before anything is published: its commits need not wait for
         * the disk, nor keep the blocks they replace (which saved about
         * a seventh of the build's system time on 100 MB). */
        rc = path ? sou_wdb_open(path,
                                 SOU_WDB_CREATE_OR_OVERWRITE | SOU_WDB_NO_SYNC | SOU_WDB_IN_PLACE,
                                 &r->wdb[k], err)
                  : sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
        free(path);
    }
    if (rc == SOU_OK)
        rc = index_all(r, err);
    for (unsigned k = 0; k < r->shards; k++) {
        if (rc == SOU_OK && r->wdb[k])
            rc = sou_wdb_close(r->wdb[k], err);
        sou_wdb_free(r->wdb[k]);
        r->wdb[k] = NULL;
    }
    if (rc == SOU_OK && one_shard_each(r))
        rc = compact_own_shard(r, gen, err);
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
        /* Named, so a worker Xapian stops is told apart from the others. */
        static char who[48];
        snprintf(who, sizeof who, "sou-index: worker %u", k);
        sou_xapian_on_abort(who, EXIT_FAILED);
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

/* Merges the workers' parts of shard k into it, compacted. */
static int merge_shard(const struct run *r, const char *gen, unsigned k, sou_error *err)
{
    char *parts[MAX_JOBS] = {0};
    char *dest = sou_dbdir_shard_path(gen, k, r->shards);
    int rc = dest ? SOU_OK : sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    for (unsigned w = 0; rc == SOU_OK && w < r->jobs; w++)
        if (!(parts[w] = part_path(gen, w, k)))
            rc = sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    if (rc == SOU_OK)
        rc = sou_db_compact((const char *const *)parts, r->jobs, dest, err);
    for (unsigned w = 0; w < r->jobs; w++)
        free(parts[w]);
    free(dest);
    return rc;
}

/* Runs every worker and merges their parts into the shards of gen. */
static int index_shards(struct run *r, const char *gen, sou_error *err)
{
    unsigned jobs = r->jobs;
    char *dir = NULL;
    if (asprintf(&dir, "%s/parts", gen) < 0)
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
    for (unsigned k = 0; rc == SOU_OK && r->indexed > 0 && !one_shard_each(r) && k < r->shards; k++)
        rc = merge_shard(r, gen, k, err);
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

/* Records the analysis settings (and the user lexicon), the gram lists
 * and the glossary in every shard, and counts the documents. */
static int finish_database(struct run *r, const char *gen, uint32_t *in_index, sou_error *err)
{
    char *parts = NULL;
    if (asprintf(&parts, "%s/parts", gen) < 0)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    nftw(parts, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(parts);
    struct shardset set;
    int rc = shardset_open(&set, gen, r->shards, err);
    for (unsigned k = 0; rc == SOU_OK && k < set.n; k++)
        rc = sou_settings_store(set.wdb[k], r->analyzer, &r->opt->analysis, err);
    if (rc == SOU_OK)
        rc = shardset_finish(&set, r->analyzer, r->names, err);
    if (rc == SOU_OK)
        rc = shardset_doc_count(&set, in_index, err);
    if (rc == SOU_OK)
        rc = shardset_close(&set, err);
    if (rc != SOU_OK)
        shardset_free(&set);
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

int build_index(const struct options *opt, sou_dbdir *dir)
{
    struct names_build names = {0};
    struct run r = {.opt = opt,
                    .jobs = opt->jobs ? opt->jobs : 1,
                    .shards = opt->shards ? opt->shards : 1,
                    .names = &names};
    if (r.jobs > MAX_JOBS)
        r.jobs = MAX_JOBS;
    sou_error err;
    sou_error_clear(&err);
    const char *gen = NULL;
    progress_init(&r.progress, !opt->quiet && !opt->verbose && isatty(STDERR_FILENO));

    int rc = sou_analyzer_open(&r.analyzer, &opt->analysis, &err);
    if (rc == SOU_OK)
        rc = names_load(&names, opt->glossaries, opt->nglossaries, opt->paths, opt->npaths, &err);
    if (rc == SOU_OK)
        rc = sou_dbdir_new_generation(dir, &gen, &err);
    if (rc == SOU_OK)
        sou_dbdir_set_shards(dir, r.shards);
    if (rc == SOU_OK)
        rc = index_shards(&r, gen, &err);
    if (rc == SOU_OK && r.indexed == 0)
        rc = sou_error_set(&err, SOU_ERR_DOC, "no document could be indexed");
    uint32_t in_index = 0;
    if (rc == SOU_OK)
        rc = finish_database(&r, gen, &in_index, &err);
    if (rc == SOU_OK)
        rc = sou_dbdir_publish(dir, &err);
    if (rc != SOU_OK)
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
    sou_corpus_free(r.corpus);
    sou_analyzer_free(r.analyzer);
    return status;
}
