#!/usr/bin/env bash
# bench/analyze.sh DB RULES [RUNS]
#   Times `lockaudit analyze` on a scanned database (wall time and peak RSS,
#   best of RUNS, default 3) and prints the analysis summary line. The target
#   for Xen x86 defconfig is <= 5 s and <= 1 GB on this machine class.
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
echo "lockaudit analyze: best of $runs: $best s wall, peak RSS $((best_kb / 1024)) MB   (target <= 5 s, <= 1024 MB)"
tail -1 "$work/log"
