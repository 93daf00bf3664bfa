/*
 * strlist.h - a growable list of owned strings.
 */
#ifndef SOU_STRLIST_H
#define SOU_STRLIST_H

#include <stddef.h>

#include "sou/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Caller-owned; zero-initialize it ({0}) and release it with
 * sou_strlist_release(). Items are owned by the list, NUL-terminated. */
typedef struct sou_strlist {
    char **items;
    size_t n;
    size_t cap;
} sou_strlist;

/* Appends a copy of s[0..len), or does nothing when unique != 0 and an
 * equal item is already there. Returns SOU_OK or SOU_ERR_NOMEM. */
int sou_strlist_add(sou_strlist *l, const char *s, size_t len, int unique, sou_error *err);

/* 1 if the list holds an item equal to s[0..len). */
int sou_strlist_has(const sou_strlist *l, const char *s, size_t len);

void sou_strlist_release(sou_strlist *l);

#ifdef __cplusplus
}
#endif

#endif
