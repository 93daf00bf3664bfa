/*
 * internal.h - definitions shared by libsou's own files, never installed.
 */
#ifndef SOU_INTERNAL_H
#define SOU_INTERNAL_H

/* Marks a function as part of libsou's public interface; everything else is
 * built with -fvisibility=hidden. */
#define SOU_API __attribute__((visibility("default")))

#endif
