#!/usr/bin/env bash
# A writer killed mid-build leaves the previous index live and answering as
# before; the next build cleans up after it. While a writer holds the lock,
# another one fails at once.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

cp -r "$E2E_DATA/good" good
QUERIES=(能源 數位貿易 '蘇州 OR 成都' meeting type:meeting 'date:2026-05..2026-09' 會議 '-Shanghai')


si -o db good
assert_exit 0 "first build"
assert_eq gen-1 "$(live_gen db)" "first build: live generation"
results_of db
before=$RESULTS
stub_before=$(cat db/XAPIANDB)

# A corpus big enough that its build takes seconds (60,000 documents).
bulk_corpus 60000 big.jsonl
assert_eq 60000 "$(wc -l <big.jsonl)" "generated corpus"

# Under memcheck the writer runs there too, so it is still busy while the
# (slower) readers check the old index.
"${memcheck[@]}" "$SOU_INDEX" -q -o db big.jsonl >writer.out 2>writer.err &
writer=$!
E2E_BG_PIDS+=("$writer")
# Once the first worker's part of the new generation holds data, the
# writer is writing.
if ! wait_for 60 test -s db/gen-2/parts/0-0/postlist.glass; then
    fail "the writer never wrote to db/gen-2" "$(ls -la db db/gen-2; cat writer.err)"
fi
assert_eq "$writer" "$(cat db/lock)" "the lock file holds the writer's pid"

# A second writer fails at once, naming the first one.
t0=$(date +%s%N)
si -o db good
t1=$(date +%s%N)
assert_exit 3 "second writer while the first holds the lock"
assert_eq "sou-index: index db is being updated by pid $writer
sou-index: failed; db is unchanged" "$ERR" "second writer: messages"
elapsed_ms=$(((t1 - t0) / 1000000))
if [ "$elapsed_ms" -gt 3000 ]; then
    fail "the second writer took $elapsed_ms ms to give up"
fi
# Readers meanwhile see the old index.
results_of db
assert_eq "$before" "$RESULTS" "results while the writer runs"

if ! kill -0 "$writer" 2>/dev/null; then
    fail "the big build ended before it could be killed" "$(cat writer.err)"
fi
kill -9 "$writer"
wait "$writer"
assert_eq 137 "$?" "the writer was killed by SIGKILL"
# Its worker processes die with it: nothing writes to the index any more.
# ([-] keeps pgrep from matching the shell that runs it.)
if ! wait_for 10 sh -c '! pgrep -f -- "[-]o db big[.]jsonl" >/dev/null'; then
    fail "worker processes outlived the killed writer" "$(pgrep -af -- '[-]o db big[.]jsonl')"
fi

# The old index is live and answers exactly as before.
assert_eq "$stub_before" "$(cat db/XAPIANDB)" "the stub is unchanged"
assert_eq gen-1 "$(live_gen db)" "the stub names the old generation"
assert_eq "gen-1 gen-2" "$(gens db)" "the killed writer's generation is left over"
results_of db
assert_eq "$before" "$RESULTS" "results after the kill"
assert_no_results db type:bulk
get_doc_count db
assert_eq 11 "$COUNT" "documents after the kill"

# The next build removes the leftover (marked here) and publishes anew.
touch db/gen-2/LEFTOVER
si -o db good
assert_exit 0 "build after the kill"
new=$(live_gen db)
if [ "$new" = gen-1 ] || [ ! -d "db/$new" ]; then
    fail "build after the kill: live generation '$new'"
fi
assert_eq "glass $new"$'\n'"# previous gen-1" "$(cat db/XAPIANDB)" "build after the kill: stub"
assert_eq "gen-1 $new" "$(gens db)" "build after the kill: generations"
if [ -e db/gen-2/LEFTOVER ]; then
    fail "the killed writer's generation was not removed"
fi
results_of db
assert_eq "$before" "$RESULTS" "results after the next build"
assert_no_results db type:bulk
get_doc_count db
assert_eq 11 "$COUNT" "documents after the next build"
