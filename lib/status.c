/*
 * status.c - messages for sou_status codes and the error-record helpers.
 */
#include <stdarg.h>
#include <stdio.h>

#include "sou/normalize.h"
#include "sou/status.h"
#include "internal.h"

SOU_API const char *sou_strerror(int code)
{
    switch ((sou_status)code) {
    case SOU_OK:
        return "no error";
    case SOU_ERR_NOMEM:
        return "out of memory";
    case SOU_ERR_INVALID_ARG:
        return "invalid argument";
    case SOU_ERR_UTF8:
        return "invalid UTF-8";
    case SOU_ERR_ICU:
        return "ICU failure";
    case SOU_ERR_IO:
        return "I/O error";
    case SOU_ERR_DB_NOT_FOUND:
        return "index not found";
    case SOU_ERR_DB_LOCKED:
        return "index is locked by another writer";
    case SOU_ERR_DB_MODIFIED:
        return "index was modified while being read";
    case SOU_ERR_DB_CORRUPT:
        return "index is corrupt";
    case SOU_ERR_DB_OPENING:
        return "index cannot be opened";
    case SOU_ERR_XAPIAN:
        return "Xapian error";
    case SOU_ERR_QUERY_SYNTAX:
        return "query syntax error";
    case SOU_ERR_JSON:
        return "malformed JSON";
    case SOU_ERR_DOC:
        return "invalid document";
    case SOU_ERR_INTERNAL:
        return "internal error";
    case SOU_ERR_EMPTY_QUERY:
        return "empty query";
    case SOU_ERR_NETWORK:
        return "network error";
    case SOU_ERR_CALLBACK:
        return "stopped by callback";
    case SOU_STATUS_LAST:
        break;
    }
    return "unknown status";
}

SOU_API int sou_error_set(sou_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        /* A cut message must still be valid UTF-8: drop a partial
         * sequence at the end. */
        if (n >= (int)sizeof err->msg) {
            size_t len = sizeof err->msg - 1, start = len;
            while (start > 0 && ((unsigned char)err->msg[start - 1] & 0xC0) == 0x80)
                start--;
            if (start > 0 && (unsigned char)err->msg[start - 1] >= 0xC0 &&
                start - 1 + sou_utf8_seqlen((unsigned char)err->msg[start - 1]) > len)
                err->msg[start - 1] = '\0';
        }
    }
    return code;
}

SOU_API void sou_error_clear(sou_error *err)
{
    if (err) {
        err->code = SOU_OK;
        err->msg[0] = '\0';
    }
}
