#!/usr/bin/env bash
# bench/analyze.sh DB RULES [RUNS]
#   Times `lockaudit analyze` on a scanned database (wall time and peak RSS,
#   best of RUNS, default 3) and prints the analysis summary line. The target
#   for Xen staging (x86 defconfig), analysis and checks, is <= 3 s and
#   <= 600 MB on 2 cores (issue 11); measure on an otherwise idle machine.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 DB RULES [RUNS]" >&2; exit 2; }
db=$1 rules=$2 runs=${3:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
la=${LOCKAUDIT:-$here/build/lockaudit}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$db" "$work/db"   # analysis rewrites its result tables: keep the input as it was
best=""
for i in $(seq "$runs"); do
	/usr/bin/time -f '%e %M' -o "$work/t" "$la" analyze --db "$work/db" --rules "$rules" 2> "$work/log"
	read -r secs kb < "$work/t"
	if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; best_kb=$kb; fi
done
echo "lockaudit analyze: best of $runs: $best s wall, peak RSS $((best_kb / 1024)) MB   (target <= 3 s, <= 600 MB)"
tail -1 "$work/log"
