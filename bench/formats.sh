#!/usr/bin/env bash
# bench/formats.sh DB [RULES] [RUNS]
#   Times `lockaudit check --all` in each report format (text, json, sarif,
#   codequality) on an analysed database: wall time and peak RSS, best of
#   RUNS (default 3), the output's size and its number of findings, which
#   must be the same in every format. With RULES the database (a copy) is
#   analysed first. When the SARIF multitool is installed (scripts/setup.sh
#   test, or LOCKAUDIT_SARIF_MULTITOOL), the SARIF file is validated too.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 DB [RULES] [RUNS]" >&2; exit 2; }
db=$1 rules=${2:-} runs=${3:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
la=${LOCKAUDIT:-$here/build/lockaudit}
mt=${LOCKAUDIT_SARIF_MULTITOOL:-$here/build/node/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$db" "$work/db"   # the check may re-analyse: keep the input as it was
if [ -n "$rules" ]; then
	"$la" analyze --db "$work/db" --rules "$rules" 2> "$work/analyze.log" || { cat "$work/analyze.log"; exit 1; }
	grep '^analyze:' "$work/analyze.log"
fi

count() {   # count FORMAT FILE: the findings in it
	case $1 in
	text) grep -c '\[lockaudit-' "$2" || true ;;
	json) sqlite3 :memory: "SELECT json_array_length(CAST(readfile('$2') AS TEXT), '\$.findings')" ;;
	sarif) sqlite3 :memory: "SELECT json_array_length(CAST(readfile('$2') AS TEXT), '\$.runs[0].results')" ;;
	codequality) sqlite3 :memory: "SELECT json_array_length(CAST(readfile('$2') AS TEXT))" ;;
	esac
}

printf '%-12s %8s %8s %9s %9s\n' format seconds "RSS MB" "size KB" findings
counts=""
for fmt in text json sarif codequality; do
	best=""
	for i in $(seq "$runs"); do
		status=0
		/usr/bin/time -f '%e %M' -o "$work/t" "$la" check --db "$work/db" --all --format "$fmt" \
			-o "$work/out.$fmt" 2> "$work/err" || status=$?
		[ $status = 0 ] || [ $status = 2 ] || { cat "$work/err"; exit 1; }
		read -r secs kb < <(tail -1 "$work/t")   # after "Command exited with non-zero status 2"
		if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; best_kb=$kb; fi
	done
	n=$(count "$fmt" "$work/out.$fmt")
	counts="$counts $n"
	printf '%-12s %8s %8d %9d %9s\n' "$fmt" "$best" $((best_kb / 1024)) $(($(stat -c %s "$work/out.$fmt") / 1024)) "$n"
done
echo "stderr: $(tail -1 "$work/err")"
set -- $counts
[ "$1" = "$2" ] && [ "$1" = "$3" ] && [ "$1" = "$4" ] || { echo "FAIL: the formats disagree on the count:$counts"; exit 1; }
if [ -x "$mt" ]; then
	"$mt" validate "$work/out.sarif" > "$work/validate" 2>&1 || true
	errors=$(grep -cE ': error [A-Z]+[0-9]+:' "$work/validate" || true)
	warnings=$(grep -cE ': warning [A-Z]+[0-9]+:' "$work/validate" || true)
	echo "sarif-multitool validate: $errors errors, $warnings warnings"
	[ "$errors" = 0 ] || { grep -E ': error ' "$work/validate" | head; exit 1; }
else
	echo "(no SARIF multitool at $mt: not validated)"
fi
