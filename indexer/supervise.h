/*
 * supervise.h - runs a command that writes an index in a child process,
 * holding the index's lock in the parent.
 *
 * Xapian 1.4 ends the process (std::terminate from a noexcept frame) when
 * some writes fail inside a commit, for instance when the disk fills up, so
 * no C++ handler can turn that failure into an error. Running the writer in
 * a child costs one fork and means such a failure, or any crash, ends the
 * child only: the parent, which never touched the index, then checks what
 * is live, removes what the child left half-written and says so.
 */
#ifndef SOU_INDEXER_SUPERVISE_H
#define SOU_INDEXER_SUPERVISE_H

#include "sou/dbdir.h"

#include "options.h"

/* A writing command: changes the index in dir, whose lock the caller
 * holds, and returns an exit_code, having reported its errors. */
typedef int (*writer_fn)(const struct options *opt, sou_dbdir *dir);

/* Locks opt->db, runs write in a child process and returns its exit code,
 * or EXIT_FAILED with a message when the child did not end normally. */
int supervise(writer_fn write, const struct options *opt);

#endif
