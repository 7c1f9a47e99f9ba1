#!/usr/bin/env bash
# The examples of docs/checks/ print what their pages say: every finding line
# of a *-bad.c example appears verbatim in docs/checks/<check>.md, and every
# *-good.c example prints no finding.
. "$(dirname "$0")/lib.sh" "$@"
ex="$SRC/docs/checks/examples"
fail=0 n=0
for f in "$ex"/*-bad.c "$ex"/*-good.c; do
	name=$(basename "$f" .c)
	check=${name%-*}
	out=$(LOCKAUDIT_BIN=$LA bash "$ex/run.sh" "$f" 2>&1)
	findings=$(printf '%s\n' "$out" | grep -E '^[^ ]+:[0-9]+:[0-9]+: (error|warning|note): .*\[lockaudit-')
	n=$((n + 1))
	case "$name" in
	*-good)
		if [ -n "$findings" ]; then
			echo "FAIL: $name.c (a good example) has findings:"; printf '  %s\n' "$findings"; fail=1
		fi ;;
	*-bad)
		if [ -z "$findings" ]; then
			echo "FAIL: $name.c (a bad example) has no finding"; fail=1
		fi
		while IFS= read -r line; do
			[ -z "$line" ] && continue
			grep -qF -- "$line" "$SRC/docs/checks/$check.md" ||
				{ echo "FAIL: docs/checks/$check.md does not show: $line"; fail=1; }
		done <<< "$findings" ;;
	esac
done
[ $fail = 0 ] && echo "PASS: $n examples match docs/checks/"
exit $fail
