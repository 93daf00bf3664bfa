/*
 * supervise.c - the writer in a child process; see supervise.h.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sou/xapian.h"

#include "progress.h"
#include "supervise.h"

/* The child's exit status when Xapian stopped it (sou_xapian_on_abort);
 * EX_SOFTWARE, which no writer returns itself. */
#define EXIT_STOPPED 70

/* What is live in dir: its generation and the committed revision of each
 * of its databases, which any finished build, update or compaction
 * changes. Owned: free(); NULL when out of memory. */
static char *fingerprint(sou_dbdir *dir)
{
    const char *live = sou_dbdir_live(dir);
    unsigned n = sou_dbdir_live_shards(dir);
    size_t cap = 64 + (live ? strlen(live) : 0) + (size_t)n * 24, len = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    len = (size_t)snprintf(s, cap, "%s", live ? live : "(none)");
    for (unsigned k = 0; k < n; k++) {
        char *path = sou_dbdir_shard_path(live, k, n);
        sou_db *db = NULL;
        uint64_t rev = 0;
        sou_error err;
        sou_error_clear(&err);
        if (!path || sou_db_open(path, &db, &err) != SOU_OK ||
            sou_db_revision(db, &rev, &err) != SOU_OK)
            rev = UINT64_MAX; /* unreadable: never equal to a revision */
        sou_db_free(db);
        free(path);
        len += (size_t)snprintf(s + len, cap - len, " %llu", (unsigned long long)rev);
    }
    return s;
}

/* Runs in the child: the writer, then exit with its status. */
_Noreturn static void run_child(writer_fn write, const struct options *opt, sou_dbdir *dir,
                                pid_t parent)
{
    /* A supervisor killed outright takes its writer with it. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(EXIT_FAILED);
    sou_xapian_on_abort("sou-index", EXIT_STOPPED);
    int status = write(opt, dir);
    sou_dbdir_free_copy(dir);
    exit(status);
}

/* Says how the child ended when it did not exit normally. After Xapian
 * stopped it, sou_xapian_on_abort() has already said why. */
static void report_end(int status)
{
    if (WIFSIGNALED(status))
        fprintf(stderr, "sou-index: the writing process ended by signal %d (%s)\n",
                WTERMSIG(status), strsignal(WTERMSIG(status)));
    else if (WEXITSTATUS(status) != EXIT_STOPPED)
        fprintf(stderr, "sou-index: the writing process exited with status %d\n",
                WEXITSTATUS(status));
}

int supervise(writer_fn write, const struct options *opt)
{
    sou_error err;
    sou_error_clear(&err);
    sou_dbdir *dir = NULL;
    if (sou_dbdir_lock(opt->db, &dir, &err) != SOU_OK)
        return progress_failed(opt->db, err.msg);
    char *before = fingerprint(dir);
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = before ? fork() : -1;
    if (pid == 0) {
        free(before);
        run_child(write, opt, dir, parent);
    }
    int code = EXIT_FAILED;
    if (pid < 0) {
        char msg[160];
        snprintf(msg, sizeof msg, "cannot start the writing process: %s",
                 before ? strerror(errno) : "out of memory");
        progress_failed(opt->db, msg);
    } else {
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        int normal = WIFEXITED(status) && WEXITSTATUS(status) <= EXIT_FAILED;
        if (normal)
            code = WEXITSTATUS(status);
        else
            report_end(status);
        /* Learn what the child published, and remove what it left. */
        if (sou_dbdir_reload(dir, &err) != SOU_OK)
            fprintf(stderr, "sou-index: %s\n", err.msg);
        if (!normal) {
            char *after = fingerprint(dir);
            if (after && strcmp(before, after) == 0)
                fprintf(stderr, "sou-index: failed; %s is unchanged\n", opt->db);
            else
                fprintf(stderr,
                        "sou-index: failed after committing changes to %s; the same command "
                        "run again finishes the job\n",
                        opt->db);
            free(after);
        }
    }
    free(before);
    sou_dbdir_unlock(dir);
    return code;
}
