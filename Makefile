# Sou - bilingual Traditional Chinese + English full-text search.
# One plain GNU Makefile: settings first, then libsou, the programs and tests.

# ---- Settings ---------------------------------------------------------------
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
DESTDIR ?=
BUILD   ?= build
SHARED  ?= ../shared

CC  ?= cc
CXX ?= c++
PKG_CONFIG ?= pkg-config

# Debian packages that building, testing and the demo need.
# lighttpd, curl and wrk: `make serve` and the end-to-end tests of sou.cgi
# behind a real web server (the browser test installs Chromium itself).
# python3-jieba and opencc: the word lists the segmentation lexicon is
# built from (jieba's dictionary, OpenCC's Taiwan and Traditional
# phrases). time: GNU time, which the performance benchmark (and its test
# on a tiny corpus) uses.
# procps: pgrep, with which tests check that no worker outlives a build.
# clang, libclang-rt-14-dev (libFuzzer and the sanitizers' runtime) and
# llvm-14 (llvm-symbolizer, for file:line in reports): the fuzz targets.
DEB_PACKAGES = build-essential pkg-config libxapian-dev libicu-dev libutf8proc-dev valgrind \
               libjansson-dev check xapian-tools jq lighttpd curl wrk python3-jieba opencc time \
               procps clang libclang-rt-14-dev llvm-14

PKGS       = xapian-core icu-uc libutf8proc jansson
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
# ICU is not linked: libsou loads it the first time a text needs it
# (lib/icu.h). Only the unit tests, which compare with ICU, link it.
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(filter-out icu-uc,$(PKGS)) 2>/dev/null)
ICU_LIBS   = $(shell $(PKG_CONFIG) --libs icu-uc 2>/dev/null)
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

OPT      ?= -O2 -g
WARN      = -Wall -Wextra -Werror -Wshadow
CWARN     = $(WARN) -Wstrict-prototypes -Wmissing-prototypes
# SAN=1 builds everything with AddressSanitizer and UndefinedBehaviorSanitizer.
ifeq ($(SAN),1)
SANFLAGS  = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif
CPPFLAGS += -Iinclude -D_GNU_SOURCE
CFLAGS   += -std=c11 $(OPT) $(CWARN) $(SANFLAGS) -fvisibility=hidden $(PKG_CFLAGS) -MMD -MP
CXXFLAGS += -std=c++17 $(OPT) $(WARN) $(SANFLAGS) -fvisibility=hidden $(PKG_CFLAGS) -MMD -MP
LDFLAGS  += $(SANFLAGS)
LDLIBS    = $(PKG_LIBS) -lm

# ---- Sources ------------------------------------------------------------------
LIB_C    = $(wildcard lib/*.c)
LIB_CXX  = lib/xapian.cc
LIB_OBJ  = $(LIB_C:%.c=$(BUILD)/%.o) $(LIB_CXX:%.cc=$(BUILD)/%.o)
LIBSOU   = $(BUILD)/libsou.a

INDEX_OBJ = $(patsubst %.c,$(BUILD)/%.o,$(wildcard indexer/*.c))
QUERY_OBJ = $(BUILD)/query/sou-query.o
# sou.cgi: its main, and its modules (request parsing, escaping, rendering),
# which the unit tests link too.
CGI_MAIN  = $(BUILD)/query/sou-cgi.o
CGI_OBJ   = $(patsubst %.c,$(BUILD)/%.o,$(wildcard query/cgi_*.c))
# The index sou.cgi searches when the server sets no SOU_DB.
SOU_CGI_DB ?= /var/lib/sou/sou.db
CHECK_OBJ = $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/check_*.c))

PROGRAMS = $(BUILD)/sou-index $(BUILD)/sou-query $(BUILD)/sou.cgi
CHECK_BIN = $(BUILD)/check_sou
# The segmentation lexicon, found beside the programs (lib/lexicon.h).
LEXICON  = $(BUILD)/share/sou/lexicon.bin
JIEBA_DICT  ?= /usr/lib/python3/dist-packages/jieba/dict.txt
OPENCC_TW   ?= /usr/share/opencc/TWPhrases.ocd2
OPENCC_TS   ?= /usr/share/opencc/TSPhrases.ocd2

# ---- Targets --------------------------------------------------------------------
.PHONY: all deps demo serve serve-shards check test unit e2e valgrind install clean format
.PHONY: fuzz fuzz-check
.PHONY: bench bench-acronyms bench-fold bench-seg bench-retrieval bench-perf bench-cgi bench-shards

all: $(PROGRAMS) $(LEXICON)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/lib/xapian.o: lib/xapian.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c -o $@ $<

# The Traditional -> Simplified fold table, generated from the ICU we link
# with (lib/fold.c explains why it is not computed at run time).
$(BUILD)/gen/fold-table: lib/gen/fold-table.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O1 $(WARN) $(shell $(PKG_CONFIG) --cflags icu-i18n icu-uc) -o $@ $< \
	  $(shell $(PKG_CONFIG) --libs icu-i18n icu-uc)

$(BUILD)/gen/fold_table.h: $(BUILD)/gen/fold-table
	$< > $@.tmp && mv $@.tmp $@

$(BUILD)/lib/fold.o: $(BUILD)/gen/fold_table.h
$(BUILD)/lib/fold.o: CPPFLAGS += -I$(BUILD)/gen

# The segmentation lexicon, built from word lists in Debian packages
# (lib/gen/lexicon-build.c says which and why).
$(BUILD)/gen/lexicon-build: lib/gen/lexicon-build.c lib/fold.c lib/lexicon_format.h lib/utf8.h \
                            $(BUILD)/gen/fold_table.h
	$(CC) -std=c11 -O2 $(CWARN) -Iinclude -I$(BUILD)/gen -o $@ lib/gen/lexicon-build.c lib/fold.c -lm

$(BUILD)/gen/TWPhrases.txt: $(OPENCC_TW)
	@mkdir -p $(dir $@)
	opencc_dict -i $< -o $@ -f ocd2 -t text

$(BUILD)/gen/TSPhrases.txt: $(OPENCC_TS)
	@mkdir -p $(dir $@)
	opencc_dict -i $< -o $@ -f ocd2 -t text

$(LEXICON): $(BUILD)/gen/lexicon-build $(JIEBA_DICT) $(BUILD)/gen/TWPhrases.txt \
            $(BUILD)/gen/TSPhrases.txt
	@mkdir -p $(dir $@)
	$< --jieba $(JIEBA_DICT) --variants $(BUILD)/gen/TWPhrases.txt \
	   --phrases $(BUILD)/gen/TSPhrases.txt -o $@

$(BUILD)/lib/lexicon.o: CPPFLAGS += -DSOU_DATADIR='"$(DATADIR)"'
$(PROGRAMS) $(CHECK_BIN): | $(LEXICON)

$(LIBSOU): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# Linked with the C++ driver: libxapian and libsou's wrapper need libstdc++.
$(BUILD)/sou-index: $(INDEX_OBJ) $(LIBSOU)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/sou-query: $(QUERY_OBJ) $(LIBSOU)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/sou.cgi: $(CGI_MAIN) $(CGI_OBJ) $(LIBSOU)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(CGI_MAIN) $(CGI_OBJ): CPPFLAGS += -DSOU_CGI_DB='"$(SOU_CGI_DB)"'

$(BUILD)/tests/%.o: CFLAGS += $(CHECK_CFLAGS)
$(CHECK_BIN): $(CHECK_OBJ) $(CGI_OBJ) $(LIBSOU)
	$(CXX) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(LDLIBS) $(ICU_LIBS)

# Installs only the Debian packages that are missing.
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" -ne 0 ]; then \
	  echo "missing packages; run as root:"; \
	  echo "  apt-get update && apt-get install -y$$missing"; exit 1; \
	fi; \
	echo "installing:$$missing"; \
	DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing

DEMO_DB = $(BUILD)/demo.db
demo: deps
	$(MAKE) all
	$(BUILD)/sou-index -o $(DEMO_DB) corpus
	@for q in 資深官員會議 數位週 APEC '"Digital Weeks"' 廣州 CTI 貿易暨投資委員會 \
	          贸易部长会议 数字周 'EC' 'type:meeting city:Guangzhou date:2026-02'; do \
	  echo; echo "\$$ sou-query -d $(DEMO_DB) -n 3 '$$q'"; \
	  $(BUILD)/sou-query -d $(DEMO_DB) -n 3 "$$q" || exit 1; \
	done
	@echo; echo "\$$ sou-query -d $(DEMO_DB) -n 0 --facets type:meeting"
	@$(BUILD)/sou-query -d $(DEMO_DB) -n 0 --facets type:meeting

# sou.cgi behind lighttpd on 127.0.0.1:$(PORT), over the demo's index
# (indexed first if missing); Ctrl-C stops it. Logs: $(BUILD)/serve/.
PORT ?= 8080
serve: deps
	$(MAKE) all
	@[ -e $(DEMO_DB) ] || { echo "$(BUILD)/sou-index -o $(DEMO_DB) corpus"; \
	  $(BUILD)/sou-index -o $(DEMO_DB) corpus; }
	query/serve.sh -p $(PORT) -c $(BUILD)/sou.cgi -s $(BUILD)/serve $(DEMO_DB)

# Each shard of a sharded index (SHARDS_DB, built with --shards; by default
# the demo corpus as 4 shards, built first if missing) served by its own
# xapian-tcpsrv on 127.0.0.1:$(SHARDS_PORT)+K, and SHARDS_DB/remote.stub
# naming them, for sou-query -d and sou.cgi's SOU_DB; Ctrl-C stops them.
SHARDS_DB   ?= $(BUILD)/demo-shards.db
SHARDS_PORT ?= 9100
serve-shards: deps
	$(MAKE) all
	@[ -e $(SHARDS_DB) ] || { echo "$(BUILD)/sou-index --shards 4 -o $(SHARDS_DB) corpus"; \
	  $(BUILD)/sou-index --shards 4 -o $(SHARDS_DB) corpus; }
	query/serve-shards.sh -p $(SHARDS_PORT) $(SHARDS_DB)

# The README's test command: unit and end-to-end tests, then all of them again
# under ASan+UBSan in a separate build tree.
check: deps
	$(MAKE) test
	$(MAKE) BUILD=build/san SAN=1 test
	$(MAKE) fuzz-check FUZZ_TIME=10

test: unit e2e

unit: $(CHECK_BIN)
	$(CHECK_BIN)

# The browser test saves its screenshots of sou.cgi's pages here.
SCREENSHOTS ?= $(BUILD)/screenshots
# The segmentation scorer and baseline, the retrieval benchmark's generator,
# and the performance benchmark's corpus generator and query timer, which
# tests/e2e/test_segscore.sh, test_retrieval.sh and test_perf*.sh run.
SEG_BENCH = $(BUILD)/bench/segscore $(BUILD)/bench/fmm-baseline $(BUILD)/bench/retrieval-gen \
            $(BUILD)/bench/bench-corpus $(BUILD)/bench/sou-qbench
e2e: $(PROGRAMS) $(SEG_BENCH)
	BUILD=$(BUILD) SHARED=$(SHARED) E2E_SCREENSHOTS=$(SCREENSHOTS) tests/e2e/run.sh

# Every test again under valgrind's memcheck: no errors, no definite leaks.
VALGRIND = valgrind -q --error-exitcode=88 --leak-check=full --errors-for-leak-kinds=definite \
           --suppressions=tests/valgrind.supp
valgrind: deps
	$(MAKE) $(PROGRAMS) $(CHECK_BIN) $(SEG_BENCH)
	CK_FORK=no CK_DEFAULT_TIMEOUT=600 $(VALGRIND) $(CHECK_BIN)
	E2E_VALGRIND=1 BUILD=$(BUILD) SHARED=$(SHARED) E2E_SCREENSHOTS=$(SCREENSHOTS) tests/e2e/run.sh

# Benchmarks: acronym mining scored against the glossary (precision,
# recall); what Chinese script folding costs the analysis chain; every
# segmentation mode scored against the gold sets (SEG_GOLD: a folder or file).
FOLD_TEXT ?= $(SHARED)/data/seg-gold/as_test.utf8
SEG_GOLD  ?= $(SHARED)/data/seg-gold
bench: bench-acronyms bench-fold bench-seg bench-retrieval bench-perf bench-cgi bench-shards
.SECONDARY: $(patsubst %.c,$(BUILD)/%.o,$(wildcard bench/*.c))

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIBSOU) | $(LEXICON)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# bench-corpus: three files (bench/bench_corpus.h), no library.
BENCH_CORPUS_OBJ = $(patsubst %.c,$(BUILD)/%.o,bench/bench-corpus.c bench/corpus_read.c \
                   bench/corpus_text.c)
$(BUILD)/bench/bench-corpus: $(BENCH_CORPUS_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^

# fts5-bench, the SQLite FTS5 peer: SQLite and jansson, not libsou. Not in
# SEG_BENCH, so that `make check` needs no SQLite (its tests skip it).
SQLITE_CFLAGS = $(shell $(PKG_CONFIG) --cflags sqlite3 2>/dev/null)
SQLITE_LIBS   = $(shell $(PKG_CONFIG) --libs sqlite3 jansson 2>/dev/null)
$(BUILD)/bench/fts5-bench.o: CFLAGS += $(SQLITE_CFLAGS)
$(BUILD)/bench/fts5-bench: $(BUILD)/bench/fts5-bench.o
	$(CC) $(LDFLAGS) -o $@ $^ $(SQLITE_LIBS) -lm

bench-acronyms: $(BUILD)/bench/acronym-mining
	$(BUILD)/bench/acronym-mining corpus/article.jsonl corpus/glossary.tsv

bench-fold: $(BUILD)/bench/fold-cost
	$(BUILD)/bench/fold-cost $(FOLD_TEXT) 5

bench-seg: $(BUILD)/sou-index $(SEG_BENCH)
	BUILD=$(BUILD) bench/seg-bench.sh $(SEG_GOLD)

# Known-item search per analysis mode on collections made from the gold sets
# (bench/retrieval.sh: MODES, QUERIES, SEED, SENTENCES_PER_DOC, MAX_DF).
bench-retrieval: $(BUILD)/sou-index $(BUILD)/sou-query $(BUILD)/bench/retrieval-gen
	BUILD=$(BUILD) bench/retrieval.sh $(SEG_GOLD)

# Indexing speed, index size and query latency against SQLite FTS5 and Xapian
# Omega on generated corpora (bench/perf.sh: PERF_SIZES, PERF_ROUNDS,
# PERF_SCALING, ...). The peers (and GNU time, jq, xapian-compact and quest)
# are installed here when missing, through deps, and only here.
PERF_PEERS = xapian-omega libsqlite3-dev xapian-tools jq time
bench-perf:
	$(MAKE) deps DEB_PACKAGES="$(PERF_PEERS)"
	$(MAKE) $(BUILD)/sou-index $(BUILD)/sou-query $(BUILD)/bench/bench-corpus \
	  $(BUILD)/bench/sou-qbench $(BUILD)/bench/fts5-bench
	BUILD=$(BUILD) PERF_GOLD=$(SEG_GOLD) bench/perf.sh

# sou.cgi behind lighttpd: wrk at 16 and 64 connections over real queries,
# and the cost of every request of tests/data/hostile-queries.txt against a
# normal query's, on corpus/ and on a generated corpus (bench/cgi.sh:
# CGI_CORPORA, CGI_CONNS, CGI_SECONDS, CGI_REPEAT, CGI_MB, CGI_BOUND).
bench-cgi: deps
	$(MAKE) $(BUILD)/sou-index $(BUILD)/sou.cgi $(BUILD)/bench/bench-corpus
	BUILD=$(BUILD) CGI_GOLD=$(SEG_GOLD) bench/cgi.sh

# One corpus indexed as one database and as 4 shards (-j 1 and -j 2), and
# searched as one database, as local shards and as shards behind
# xapian-tcpsrv on loopback; then a paper estimate for 100 GB (bench/shards.sh:
# SHARDS_MB, SHARDS_SMALL_MB, SHARDS_N, SHARDS_ROUNDS, SHARDS_TARGET_GB, ...).
bench-shards: deps
	$(MAKE) $(BUILD)/sou-index $(BUILD)/bench/bench-corpus $(BUILD)/bench/sou-qbench
	BUILD=$(BUILD) SHARDS_GOLD=$(SEG_GOLD) bench/shards.sh

# ---- Fuzzing ------------------------------------------------------------------
# libFuzzer targets (tests/fuzz/fuzz_*.c) with ASan and UBSan, built by
# clang in an object tree of their own so the gcc build is untouched. They
# find the lexicon beside the build tree, as the programs do.
FUZZ_CC   ?= clang
FUZZ_CXX  ?= clang++
FUZZ_DIR   = $(BUILD)/fuzz
FUZZ_TIME ?= 60
FUZZ_SAN   = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_FLAGS = -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link -fvisibility=hidden $(PKG_CFLAGS) -MMD -MP
FUZZ_NAMES = $(patsubst tests/fuzz/fuzz_%.c,%,$(filter-out tests/fuzz/fuzz_support.c \
               tests/fuzz/fuzz_index.c,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS  = $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz_%)
FUZZ_LIB_OBJ = $(LIB_C:%.c=$(FUZZ_DIR)/obj/%.o) $(FUZZ_DIR)/obj/lib/xapian.o
FUZZ_SUPPORT = $(FUZZ_DIR)/obj/tests/fuzz/fuzz_support.o $(FUZZ_DIR)/obj/tests/fuzz/fuzz_index.o
FUZZ_CGI_OBJ = $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(wildcard query/cgi_*.c))

fuzz: $(FUZZ_BINS)

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) -Iquery -Itests/fuzz -std=c11 $(CWARN) $(FUZZ_FLAGS) -c -o $@ $<

$(FUZZ_DIR)/obj/lib/xapian.o: lib/xapian.cc
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(CPPFLAGS) -std=c++17 $(WARN) $(FUZZ_FLAGS) -c -o $@ $<

$(FUZZ_DIR)/obj/lib/fold.o: $(BUILD)/gen/fold_table.h
$(FUZZ_DIR)/obj/lib/fold.o: CPPFLAGS += -I$(BUILD)/gen
$(FUZZ_DIR)/obj/lib/lexicon.o: CPPFLAGS += -DSOU_DATADIR='"$(DATADIR)"'

$(FUZZ_DIR)/libsou.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_DIR)/fuzz_cgi: $(FUZZ_CGI_OBJ)
$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_%.o $(FUZZ_SUPPORT) $(FUZZ_DIR)/libsou.a \
                    | $(LEXICON)
	$(FUZZ_CXX) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $(filter %.o,$^) $(filter %.a,$^) $(LDLIBS)

# Each target for FUZZ_TIME seconds from a scratch copy of its seeds in
# tests/fuzz/NAME/ (tests/fuzz/run.sh); fails on any crash, leak or timeout.
fuzz-check: $(FUZZ_BINS)
	FUZZ_DIR=$(FUZZ_DIR) FUZZ_TIME=$(FUZZ_TIME) SOU_LEXICON=$(abspath $(LEXICON)) \
	  tests/fuzz/run.sh $(FUZZ_NAMES)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/sou
	install -m 755 $(PROGRAMS) $(DESTDIR)$(BINDIR)
	install -m 644 $(LEXICON) $(DESTDIR)$(DATADIR)/sou

clean:
	rm -rf build

format:
	clang-format -i $(wildcard include/sou/*.h lib/*.c lib/*.h lib/*.cc lib/gen/*.c indexer/*.c indexer/*.h \
	  query/*.c query/*.h tests/*.c tests/*.h tests/fuzz/*.c tests/fuzz/*.h bench/*.c bench/*.h)

-include $(LIB_OBJ:.o=.d) $(INDEX_OBJ:.o=.d) $(patsubst %.c,$(BUILD)/%.d,$(wildcard bench/*.c)) $(QUERY_OBJ:.o=.d) $(CHECK_OBJ:.o=.d) \
	$(CGI_MAIN:.o=.d) $(CGI_OBJ:.o=.d) $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_SUPPORT:.o=.d) \
	$(FUZZ_CGI_OBJ:.o=.d) $(FUZZ_NAMES:%=$(FUZZ_DIR)/obj/tests/fuzz/fuzz_%.d)
