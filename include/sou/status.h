/*
 * status.h - status codes and the caller-owned error record used by every
 * libsou function.
 *
 * Functions that can fail return an int status (SOU_OK on success) and, when
 * given a non-NULL struct sou_error, fill it with the code and a message.
 * Reporting an error never allocates.
 */
#ifndef SOU_STATUS_H
#define SOU_STATUS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Append-only: numbers are never reused or reordered. */
typedef enum sou_status {
    SOU_OK = 0,
    SOU_ERR_NOMEM = 1,         /* an allocation failed */
    SOU_ERR_INVALID_ARG = 2,   /* a NULL or out-of-range argument */
    SOU_ERR_UTF8 = 3,          /* input is not valid UTF-8 */
    SOU_ERR_ICU = 4,           /* ICU reported a failure */
    SOU_ERR_IO = 5,            /* reading or writing a file failed */
    SOU_ERR_DB_NOT_FOUND = 6,  /* no index at that path */
    SOU_ERR_DB_LOCKED = 7,     /* another writer holds the index */
    SOU_ERR_DB_MODIFIED = 8,   /* the index changed under a reader: reopen */
    SOU_ERR_DB_CORRUPT = 9,    /* the index is damaged */
    SOU_ERR_DB_OPENING = 10,   /* the index exists but cannot be opened */
    SOU_ERR_XAPIAN = 11,       /* any other Xapian error */
    SOU_ERR_QUERY_SYNTAX = 12, /* the query text cannot be parsed */
    SOU_ERR_JSON = 13,         /* malformed JSON input */
    SOU_ERR_DOC = 14,          /* a document lacks what it needs (id, text) */
    SOU_ERR_INTERNAL = 15,     /* a bug: should never happen */
    SOU_ERR_EMPTY_QUERY = 16,  /* the query has no searchable words */
    SOU_ERR_NETWORK = 17,      /* a remote database could not be reached */
    SOU_ERR_CALLBACK = 18,     /* a caller's callback stopped the work */
    SOU_STATUS_LAST            /* not a status: one past the last */
} sou_status;

#define SOU_ERROR_MSG_MAX 256

/* Caller-owned; libsou writes to it and never keeps a pointer to it. */
typedef struct sou_error {
    int code;                    /* a sou_status */
    char msg[SOU_ERROR_MSG_MAX]; /* always NUL-terminated */
} sou_error;

/* A short, static English description of a status; never NULL. Borrowed:
 * the string lives for the whole program. */
const char *sou_strerror(int code);

/* Fills err (if non-NULL) with code and a printf-style message and returns
 * code, so callers can write `return sou_error_set(err, SOU_ERR_IO, ...)`.
 * Never allocates; an over-long message is cut. */
int sou_error_set(sou_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Resets err (if non-NULL) to SOU_OK and an empty message. */
void sou_error_clear(sou_error *err);

#ifdef __cplusplus
}
#endif

#endif
