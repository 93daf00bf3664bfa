/*
 * fuzz_lexicon.c - a user lexicon (sou-index --user-lexicon, analyze.h's
 * user_lexicon) on arbitrary bytes, and the analysis with it.
 *
 * Each input is taken as a user lexicon's text. A text that is refused
 * must be refused with SOU_ERR_DOC and a message naming the file; one
 * that is taken is then analyzed, as a document and as a query, with the
 * analyzer it made, so its own words meet the lexicon pass they joined.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sou/normalize.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    sou_analyzer_free(fuzz_analyzer("words")); /* fails early without a lexicon */
    return 0;
}

static int check_token(void *ctx, int flags, const char *term, size_t term_len, size_t start,
                       size_t end, uint32_t pos)
{
    size_t len = *(const size_t *)ctx;
    (void)flags;
    (void)pos;
    FUZZ_ASSERT(start <= end && end <= len, "token offsets outside the text");
    FUZZ_ASSERT(term_len <= SOU_WORD_MAX && sou_utf8_valid(term, term_len, NULL), "bad term");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    sou_analysis_opts opts = {
        .user_lexicon = text, .user_lexicon_len = size, .user_lexicon_name = "user.txt"};
    sou_analyzer *a = NULL;
    sou_error err;
    int rc = sou_analyzer_open(&a, &opts, &err);
    if (rc != SOU_OK) {
        FUZZ_ASSERT(rc == SOU_ERR_DOC && a == NULL, err.msg);
        FUZZ_ASSERT(strncmp(err.msg, "user.txt:", 9) == 0, "message without the file");
        FUZZ_ASSERT(sou_utf8_valid(err.msg, strlen(err.msg), NULL), "message not valid UTF-8");
    } else {
        FUZZ_ASSERT(strlen(sou_analyzer_user_lexicon_digest(a)) == 16, "no user digest");
        rc = sou_analyze(a, SOU_MODE_DOCUMENT, text, size, &size, check_token, &err);
        FUZZ_ASSERT(rc == SOU_OK, err.msg);
        rc = sou_analyze(a, SOU_MODE_QUERY, text, size, &size, check_token, &err);
        FUZZ_ASSERT(rc == SOU_OK, err.msg);
    }
    sou_analyzer_free(a);
    free(text);
    return 0;
}
