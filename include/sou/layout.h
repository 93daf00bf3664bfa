/*
 * layout.h - how a Sou index is laid out: term prefixes, value slots, stored
 * data and metadata. This is the one place that describes it; lib/docbuild.c
 * (writing) and lib/qparse.c + lib/search.c (reading) follow it and must
 * change together with it.
 *
 *   DB/                        an index is a directory:
 *     XAPIANDB                 a Xapian stub naming the live generation's
 *                              databases (so opening DB opens them all)
 *     sou.stub                 the same list, for Xapian's tools
 *     shard-K.stub             (sharded) shard K alone, for its server
 *     gen-N/                   the live glass database, or with
 *                              sou-index --shards K:
 *     gen-N/shard-0 .. K-1     K glass databases; a document lives in
 *                              shard hash(id) % K (indexdoc.h), and every
 *                              shard holds the same metadata (settings,
 *                              glossary, gram lists) for the whole index
 *     lock                     held by a writer; holds its pid
 *
 *   term             example        positions  wdf per occurrence
 *   ---------------  -------------  ---------  ------------------------------
 *   word             會議, cti       yes        SOU_WDF_TITLE in the title,
 *                                              1 in the body
 *   Z + stem         Zmeet          no         as the word it stems
 *   Q + id           Qapec-2026     no         boolean (unique id)
 *   XT + type        XTmeeting      no         boolean (type: filter)
 *   L + lang         Lzh-hant, Lzh  no         boolean (lang: filter; each
 *                                              language of a list, and its
 *                                              primary subtag)
 *   XC + city        XC广州,         no         boolean (city: filter, from
 *                    XCguangzhou               city_zh, city_en, city)
 *   XP + priority    XP开放          no         boolean (priority: filter)
 *   XA + acronym     XActi          no         boolean (acronym: filter)
 *   XF + forum       XFcti          no         boolean (forum: filter, from
 *                                              the list in fora)
 *   XM + YYYY-MM     XM2026-09      no         boolean (month: filter, the
 *                                              month the date falls in)
 *
 *   Gram lists (words+grams mode): metadata SOU_META_GRAM + gram (a
 *   character or character pair of a Chinese word of the index) holds
 *   the words it is part of, one a line, the SOU_GRAM_WORDS_MAX most
 *   frequent first (grams.h): sou:gram:委员 -> 委员会\n委员长\n... A one-
 *   or two-character query word is a SYNONYM of itself and those words.
 *   Metadata, not Xapian synonyms, because the remote backend serves
 *   metadata but not synonyms; every shard of an index holds the lists of
 *   the whole index (as it holds the same glossary and settings).

 *   Filter values are normalized like words (NFKC, case folded, Chinese
 *   folded to Simplified) but not segmented; lib/fields.c lists which
 *   document fields fill which prefix.
 *
 *   Words are what the analysis chain yields (analyze.h): ICU words, with
 *   runs of ideographs re-cut by the lexicon, NFKC + case folded. Chinese
 *   and English share one term space, so a mixed query needs no field
 *   juggling. Stems exist for words with Latin letters only.
 *
 *   Positions: title words from 1; body words from (title words +
 *   SOU_POS_GAP), so a phrase never runs from the title into the body.
 *
 *   value slot SOU_SLOT_DATE: the date as 8 digits YYYYMMDD, with 00 for
 *   an unknown month or day ("2026-08" -> "20260800"), so byte order is
 *   date order. SOU_SLOT_END_DATE: end_date the same way but with 99 for
 *   unknown parts, or the date's own last day when there is no end_date
 *   ("2026-08" -> "20260899"); date: ranges match documents whose span
 *   overlaps the range.
 *   Facet slots (counted by --facets): SOU_SLOT_TYPE the type as written;
 *   SOU_SLOT_CITY "city_zh / city_en" (either alone if only one is given);
 *   SOU_SLOT_MONTH the date's YYYY-MM.
 *
 *   document data: a JSON object holding every field of the document but
 *   the body as a string (id, title, date, ...), shown with results; then,
 *   if the document has a body, a NUL byte and the body's UTF-8 as it is,
 *   for snippets. JSON text never holds a NUL byte, so the first one ends
 *   it; data without one is the JSON object alone (an index written by an
 *   older Sou has the body in it, and is read as well).
 *
 *   metadata SOU_META_ANALYSIS: JSON describing the analysis chain that
 *   built the index (mode, lexicon digests, ICU version, ...); sou-query
 *   analyzes queries in the index's mode and refuses an index whose
 *   lexicon or ICU differs from its own. SOU_META_USER_LEXICON: the text
 *   of the user lexicon given at index time, so queries use it too.
 */
#ifndef SOU_LAYOUT_H
#define SOU_LAYOUT_H

/* A sharded generation's databases: gen-N/shard-K. */
#define SOU_SHARD_PREFIX "shard-"

#define SOU_PREFIX_STEM     "Z"
#define SOU_PREFIX_ID       "Q"
#define SOU_PREFIX_TYPE     "XT"
#define SOU_PREFIX_LANG     "L"
#define SOU_PREFIX_CITY     "XC"
#define SOU_PREFIX_PRIORITY "XP"
#define SOU_PREFIX_ACRONYM  "XA"
#define SOU_PREFIX_FORUM    "XF"
#define SOU_PREFIX_MONTH    "XM"

#define SOU_WDF_TITLE 3
#define SOU_POS_GAP   100

#define SOU_SLOT_DATE     0
#define SOU_SLOT_END_DATE 1
#define SOU_SLOT_TYPE     2
#define SOU_SLOT_CITY     3
#define SOU_SLOT_MONTH    4

#define SOU_META_ANALYSIS     "sou:analysis"
#define SOU_META_USER_LEXICON "sou:lexicon:user"
/* The words a gram is part of (grams.h). */
#define SOU_META_GRAM "sou:gram:"
/* The glossary (names.h). */
#define SOU_META_SENSES "sou:senses"
#define SOU_META_SENSE  "sou:sense:"
#define SOU_META_NAME   "sou:name:"

/* Bumped whenever the layout or the analysis chain changes in a way that
 * makes old indexes answer differently. */
#define SOU_ANALYSIS_VERSION 3

/* Longest document id, in bytes (it must fit in a term with its prefix). */
#define SOU_ID_MAX 200

#endif
