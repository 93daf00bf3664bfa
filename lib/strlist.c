/*
 * strlist.c - a growable list of owned strings (include/sou/strlist.h).
 */
#include <stdlib.h>
#include <string.h>

#include "sou/strlist.h"
#include "internal.h"

SOU_API int sou_strlist_has(const sou_strlist *l, const char *s, size_t len)
{
    for (size_t i = 0; i < l->n; i++)
        if (strlen(l->items[i]) == len && memcmp(l->items[i], s, len) == 0)
            return 1;
    return 0;
}

SOU_API int sou_strlist_add(sou_strlist *l, const char *s, size_t len, int unique, sou_error *err)
{
    if (unique && sou_strlist_has(l, s, len))
        return SOU_OK;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **v = realloc(l->items, cap * sizeof *v);
        if (!v)
            return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
        l->items = v;
        l->cap = cap;
    }
    char *copy = strndup(s, len);
    if (!copy)
        return sou_error_set(err, SOU_ERR_NOMEM, "out of memory");
    l->items[l->n++] = copy;
    return SOU_OK;
}

SOU_API void sou_strlist_release(sou_strlist *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}
