/*
 * icu.c - loads ICU's word break functions on first use; see icu.h.
 *
 * The ICU headers rename every function after its major version
 * (ubrk_open is ubrk_open_72), so each is looked up by the name the
 * headers give it, and the library by the same major version.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <unicode/uversion.h>

#include "icu.h"

#define STRINGIFY_(x) #x
#define STRINGIFY(x)  STRINGIFY_(x)
#define ICU_LIBRARY   "libicuuc.so." STRINGIFY(U_ICU_VERSION_MAJOR_NUM)

static struct sou_icu icu;
static const struct sou_icu *loaded;
static char load_error[SOU_ERROR_MSG_MAX];
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

/* Stores the address of the function called name in lib at fn, a
 * function pointer; 0 if lib has none. POSIX makes a function pointer and
 * the void * that dlsym returns the same size. */
static int resolve(void *lib, const char *name, void *fn)
{
    _Static_assert(sizeof(void (*)(void)) == sizeof(void *), "function pointers fit a void *");
    void *p = dlsym(lib, name);
    if (!p) {
        snprintf(load_error, sizeof load_error, "cannot load ICU: %s has no %s", ICU_LIBRARY, name);
        return 0;
    }
    memcpy(fn, &p, sizeof p);
    return 1;
}

#define RESOLVE(field, fn) resolve(lib, STRINGIFY(fn), &icu.field)

static void load(void)
{
    void *lib = dlopen(ICU_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(load_error, sizeof load_error, "cannot load ICU: %s", dlerror());
        return;
    }
    __typeof__(u_getVersion) *get_version = NULL;
    __typeof__(u_versionToString) *version_string = NULL;
    if (!(RESOLVE(brk_open, ubrk_open) && RESOLVE(brk_close, ubrk_close) &&
          RESOLVE(brk_set_utext, ubrk_setUText) && RESOLVE(brk_first, ubrk_first) &&
          RESOLVE(brk_next, ubrk_next) && RESOLVE(brk_rule_status, ubrk_getRuleStatus) &&
          RESOLVE(text_open_utf8, utext_openUTF8) && RESOLVE(text_close, utext_close) &&
          RESOLVE(error_name, u_errorName) && resolve(lib, STRINGIFY(u_getVersion), &get_version) &&
          resolve(lib, STRINGIFY(u_versionToString), &version_string))) {
        dlclose(lib);
        return;
    }
    /* The index records U_ICU_VERSION (analyze.h): a library of the same
     * major version but another release might cut words differently. */
    UVersionInfo v;
    char version[U_MAX_VERSION_STRING_LENGTH];
    get_version(v);
    version_string(v, version);
    if (strcmp(version, U_ICU_VERSION) != 0) {
        snprintf(load_error, sizeof load_error,
                 "cannot load ICU: %s is ICU %s, but Sou was built with ICU %s; rebuild Sou",
                 ICU_LIBRARY, version, U_ICU_VERSION);
        dlclose(lib);
        return;
    }
    loaded = &icu;
}

const struct sou_icu *sou_icu_load(sou_error *err)
{
    pthread_once(&load_once, load);
    if (!loaded)
        sou_error_set(err, SOU_ERR_ICU, "%s", load_error);
    return loaded;
}
