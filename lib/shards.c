/*
 * shards.c - opens an index directory, a stub file or a remote database;
 * see include/sou/shards.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sou/shards.h"
#include "internal.h"

#define REMOTE_PREFIX "remote:"

struct opener {
    const sou_open_opts *o;
    sou_db **db;
    unsigned opened, skipped;
};

/* Adds shard to the databases being opened, taking it over. */
static int add_shard(struct opener *op, sou_db *shard, sou_error *err)
{
    if (!*op->db) {
        *op->db = shard;
        op->opened++;
        return SOU_OK;
    }
    int rc = sou_db_add(*op->db, shard, err);
    sou_db_free(shard);
    op->opened += rc == SOU_OK;
    return rc;
}

/* "HOST:PORT" or "[IPV6]:PORT" into host and port. */
static int split_host_port(const char *spec, char *host, size_t cap, unsigned *port)
{
    const char *colon = strrchr(spec, ':');
    if (!colon || colon == spec)
        return -1;
    const char *h = spec;
    size_t hlen = (size_t)(colon - spec);
    if (h[0] == '[' && hlen >= 2 && h[hlen - 1] == ']') {
        h++;
        hlen -= 2;
    }
    char *end = NULL;
    errno = 0;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (hlen == 0 || hlen >= cap || !colon[1] || *end || errno || p == 0 || p > 65535)
        return -1;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    *port = (unsigned)p;
    return 0;
}

/* A timeout from the environment (site owners set the CGI's there), or
 * fallback when unset or not a positive number. */
static unsigned env_ms(const char *name, unsigned fallback)
{
    const char *v = getenv(name);
    char *end = NULL;
    unsigned long ms = v ? strtoul(v, &end, 10) : 0;
    return v && *v && !*end && ms > 0 && ms <= 3600000 ? (unsigned)ms : fallback;
}

static int open_remote(const struct opener *op, const char *spec, sou_db **out, sou_error *err)
{
    char host[256];
    unsigned port = 0;
    if (split_host_port(spec, host, sizeof host, &port) != 0)
        return sou_error_set(err, SOU_ERR_INVALID_ARG,
                             "'%s' is not HOST:PORT (a port from 1 to 65535)", spec);
    const sou_open_opts *o = op->o;
    unsigned timeout =
        o && o->timeout_ms ? o->timeout_ms : env_ms("SOU_REMOTE_TIMEOUT_MS", SOU_REMOTE_TIMEOUT_MS);
    unsigned connect = o && o->connect_timeout_ms
                           ? o->connect_timeout_ms
                           : env_ms("SOU_REMOTE_CONNECT_TIMEOUT_MS", SOU_REMOTE_CONNECT_TIMEOUT_MS);
    return sou_db_open_remote(host, port, timeout, connect, out, err);
}

/* One shard's failure: an error naming it, or with allow_partial a note
 * to the caller and SOU_OK. */
static int shard_failed(struct opener *op, const char *what, sou_error *err)
{
    char msg[SOU_ERROR_MSG_MAX + 520]; /* what, ": ", then err's message */
    snprintf(msg, sizeof msg, "%s: %s", what, err->msg);
    if (!op->o || !op->o->allow_partial)
        return sou_error_set(err, err->code, "%s", msg);
    op->skipped++;
    if (op->o->skipped)
        op->o->skipped(op->o->ctx, msg);
    return SOU_OK;
}

/* Opens the database of one stub line (without its newline). */
static int open_line(struct opener *op, const char *stub, unsigned lineno, unsigned shard,
                     const char *line, sou_error *err)
{
    const char *sp = strchr(line, ' ');
    size_t tlen = sp ? (size_t)(sp - line) : strlen(line);
    const char *arg = sp ? sp + 1 : "";
    sou_db *one = NULL;
    int rc;
    if (tlen == 6 && memcmp(line, "remote", 6) == 0 && arg[0] != ':') {
        rc = open_remote(op, arg, &one, err);
    } else if ((tlen == 5 && memcmp(line, "glass", 5) == 0) ||
               (tlen == 4 && memcmp(line, "auto", 4) == 0)) {
        /* Relative paths are relative to the stub's directory. */
        const char *slash = strrchr(stub, '/');
        char *path = NULL;
        if (arg[0] == '/' || !slash)
            path = strdup(arg);
        else if (asprintf(&path, "%.*s/%s", (int)(slash - stub), stub, arg) < 0)
            path = NULL;
        rc = path ? sou_db_open(path, &one, err)
                  : sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
        free(path);
    } else {
        return sou_error_set(err, SOU_ERR_DB_OPENING,
                             "%s:%u: '%s' is not a database this program opens (glass PATH, "
                             "auto PATH or remote HOST:PORT)",
                             stub, lineno, line);
    }
    if (rc == SOU_OK)
        return add_shard(op, one, err);
    char what[512];
    snprintf(what, sizeof what, "shard %u of %s (%s)", shard, stub, line);
    return shard_failed(op, what, err);
}

static int open_stub(struct opener *op, const char *stub, sou_error *err)
{
    FILE *f = fopen(stub, "r");
    if (!f)
        return sou_error_set(err, SOU_ERR_DB_OPENING, "%s: %s", stub, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned lineno = 0, shard = 0;
    int rc = SOU_OK;
    while (rc == SOU_OK && (n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        rc = open_line(op, stub, lineno, shard++, line, err);
    }
    free(line);
    fclose(f);
    if (rc == SOU_OK && shard == 0)
        rc = sou_error_set(err, SOU_ERR_DB_OPENING, "%s lists no database", stub);
    if (rc == SOU_OK && op->opened == 0)
        rc = sou_error_set(err, SOU_ERR_NETWORK, "no shard of %s could be opened", stub);
    return rc;
}

SOU_API int sou_shards_open(const char *path, const sou_open_opts *o, sou_db **db, sou_error *err)
{
    if (!path || !db)
        return sou_error_set(err, SOU_ERR_INVALID_ARG, "path or db is NULL");
    struct opener op = {o, db, 0, 0};
    if (strncmp(path, REMOTE_PREFIX, sizeof REMOTE_PREFIX - 1) == 0) {
        sou_db *one = NULL;
        int rc = open_remote(&op, path + sizeof REMOTE_PREFIX - 1, &one, err);
        if (rc != SOU_OK)
            return sou_error_set(err, rc, "%s: %s", path, err->msg);
        return add_shard(&op, one, err);
    }
    struct stat st;
    char *stub = NULL;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
        stub = strdup(path);
    else if (asprintf(&stub, "%s/XAPIANDB", path) < 0)
        stub = NULL;
    if (!stub)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    int rc;
    if (stat(stub, &st) == 0 && S_ISREG(st.st_mode)) {
        rc = open_stub(&op, stub, err);
    } else {
        sou_db *one = NULL;
        rc = sou_db_open(path, &one, err);
        if (rc == SOU_ERR_DB_NOT_FOUND || rc == SOU_ERR_DB_OPENING)
            rc = sou_error_set(err, SOU_ERR_DB_NOT_FOUND, "no index at %s; run sou-index first",
                               path);
        if (rc == SOU_OK)
            rc = add_shard(&op, one, err);
    }
    free(stub);
    return rc;
}
