#!/usr/bin/env bash
# Rewrite the check-ir blocks of tests/corpus/lower/*.c from the current
# lowering. Review `git diff` afterwards: the blocks are the test oracle.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
la=${LOCKAUDIT:-$here/build/lockaudit}
cd "$here/tests/corpus/lower"
for f in ${@:-*.c}; do
	out=$("$la" ir --file "$f" -- -std=gnu11 -nostdinc)
	# the source above the expectation block (and its opening "/*")
	body=$(awk '/^ \* check-ir-start$/ { exit }
		    { l[n++] = $0 }
		    END { while (n > 0 && (l[n-1] == "/*" || l[n-1] == "")) n--
			  for (i = 0; i < n; i++) print l[i] }' "$f")
	{ printf '%s\n\n/*\n * check-ir-start\n' "$body"
	  printf '%s\n' "$out" | sed 's/^/ * /; s/ *$//'
	  printf ' * check-ir-end\n */\n'; } > "$f.new"
	mv "$f.new" "$f"
done
