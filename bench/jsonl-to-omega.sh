#!/bin/sh
# jsonl-to-omega.sh - turns docs.jsonl ({"id","title","body","lang"} a line)
# into scriptindex's input for bench/omega.index: name=value lines, a
# newline inside a value continued on a line starting with "=", and a blank
# line after each record.
#
# Usage: jsonl-to-omega.sh < docs.jsonl > docs.omega
exec jq -r 'def v: tostring | gsub("\r?\n"; "\n=");
    "id=\(.id | v)\ntitle=\(.title // "" | v)\nbody=\(.body // "" | v)\nlang=\(.lang // "" | v)\n"'
