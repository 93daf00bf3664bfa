/*
 * strlist_json.h - a string list as a JSON array (jansson). Internal to
 * libsou.
 */
#ifndef SOU_LIB_STRLIST_JSON_H
#define SOU_LIB_STRLIST_JSON_H

#include <jansson.h>

#include "sou/strlist.h"

/* A new JSON array of the list's strings (a new reference), or NULL when out
 * of memory. */
static inline json_t *sou_strlist_json(const sou_strlist *l)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < l->n; i++)
        json_array_append_new(a, json_string(l->items[i]));
    return a;
}

#endif
