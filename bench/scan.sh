#!/usr/bin/env bash
# bench/scan.sh TREE [JOBS]
#   Times `lockaudit scan` on TREE (a directory with compile_commands.json)
#   against `clang-19 -fsyntax-only` on the same TUs with the same arguments
#   (`lockaudit tu-args`) and the same parallelism, then a no-change rescan.
#   Prints the measured numbers and their ratios; asserts nothing.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 TREE [JOBS]" >&2; exit 2; }
tree=$(cd "$1" && pwd)
jobs=${2:-$(nproc)}
here=$(cd "$(dirname "$0")/.." && pwd)
la=${LOCKAUDIT:-$here/build/lockaudit}
[ -x "$la" ] || { echo "bench: $la not built (cmake --build build)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }

"$la" tu-args -p "$tree" > "$work/cmds"
ntu=$(wc -l < "$work/cmds")

t0=$(now)
# each line is a complete shell command; a TU clang rejects still counts its time
xargs -d '\n' -P "$jobs" -I CMD sh -c 'CMD >/dev/null 2>&1 || true' < "$work/cmds"
t1=$(now)
clang_s=$(awk "BEGIN{print $t1 - $t0}")

/usr/bin/time -f '%M' -o "$work/rss" "$la" scan -p "$tree" --db "$work/bench.db" -j "$jobs" 2> "$work/scan.log" || true
t2=$(now)
scan_s=$(awk "BEGIN{print $t2 - $t1}")
worker_rss=$(sed -n 's/.*peak worker RSS \([0-9]*\) MB.*/\1/p' "$work/scan.log")
parent_rss=$(( $(head -1 "$work/rss") / 1024 ))

t3=$(now)
"$la" scan -p "$tree" --db "$work/bench.db" -j "$jobs" 2> "$work/rescan.log" || true
t4=$(now)
rescan_s=$(awk "BEGIN{print $t4 - $t3}")

echo "tree:                 $tree ($ntu TUs, -j $jobs)"
echo "clang-19 -fsyntax-only: $(printf %.1f "$clang_s") s"
echo "lockaudit scan:         $(printf %.1f "$scan_s") s"
echo "ratio scan/clang:       $(awk "BEGIN{printf \"%.2f\", $scan_s / $clang_s}")   (target <= 1.30)"
echo "no-change rescan:       $(printf %.2f "$rescan_s") s   (target <= 2)"
echo "peak RSS per worker:    ${worker_rss:-?} MB   (target <= 500)"
echo "peak RSS, whole scan:   ${parent_rss} MB"
echo "database size:          $(( $(stat -c %s "$work/bench.db") / 1024 / 1024 )) MB"
tail -1 "$work/scan.log"
