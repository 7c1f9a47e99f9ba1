#!/usr/bin/env bash
# bench/audit.sh TREE RULES BASE COMMIT [SEED_DB]
#   Times `lockaudit audit` in a git checkout TREE (with TREE/xen/compile_commands.json,
#   or TREE/compile_commands.json): first BASE alone (a full scan, or a copy
#   of SEED_DB and the TUs that differ), then the one-commit audit
#   BASE..COMMIT once BASE is cached (COMMIT's cache entry removed before each
#   run; best of 3), then the same audit again from the cache. The targets on
#   Xen with 2 cores: a one-commit audit touching one .c file <= 10 s.
#   The cache is kept in $AUDIT_CACHE (default /tmp/audit-bench-cache).
#   SERIES=B..T also times `audit --each-commit B..T` in a fresh cache that
#   holds only B (copied from $AUDIT_CACHE when there, else made first and
#   not timed; target for 10 commits <= 60 s), printing each commit's line.
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 TREE RULES BASE COMMIT [SEED_DB]" >&2; exit 2; }
tree=$1 rules=$2 base=$3 commit=$4 seed=${5:-}
here=$(cd "$(dirname "$0")/.." && pwd)
la=${LOCKAUDIT:-$here/build/lockaudit}
cache=${AUDIT_CACHE:-/tmp/audit-bench-cache}
AUDIT_CACHE_DIR=$cache
p=$tree/xen
[ -f "$p/compile_commands.json" ] || p=$tree
jobs=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
base_id=$(git -C "$tree" rev-parse "$base^{commit}")
commit_id=$(git -C "$tree" rev-parse "$commit^{commit}")
audit() {
	/usr/bin/time -f '%e' -o "$work/t" "$la" audit --rules "$rules" -p "$p" --cache "$cache" -j "$jobs" -v \
		${seed:+--seed-db "$seed"} "$@" > "$work/out" 2> "$work/log" || [ $? = 2 ]
	cat "$work/t"
}
# BASE: BASE..BASE is empty, so audit BASE..COMMIT with COMMIT removed from the cache
rm -f "$cache/$commit_id"-*.db
t=$(audit "$base_id..$commit_id")
echo "BASE $base (and the commit): $t s wall  [$(grep "^audit: ${base_id:0:12}" "$work/log" | head -1)]"
best=""
for i in 1 2 3; do
	rm -f "$cache/$commit_id"-*.db
	t=$(audit "$base_id..$commit_id")
	if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
done
echo "one-commit audit $commit (BASE cached): best of 3: $best s wall with -j $jobs   (target <= 10 s)"
grep "^audit: ${commit_id:0:12}" "$work/log" || true
t=$(audit "$base_id..$commit_id")
echo "the same audit again, from the cache: $t s wall"
sed -n 3,4p "$work/out"
if [ -n "${SERIES:-}" ]; then
	sbase=$(git -C "$tree" rev-parse "${SERIES%%..*}^{commit}")
	mkdir -p "$work/series"
	cache=$work/series seed=""
	if ! cp "$AUDIT_CACHE_DIR/$sbase"-*.db "$work/series/" 2>/dev/null; then
		# the target counts once BASE is analysed: make it (untimed), keep only it
		echo "(making the series' base first, untimed)"
		audit --each-commit "$SERIES" >/dev/null
		find "$work/series" -name '*.db' ! -name "$sbase-*" -delete
	fi
	t=$(audit --each-commit "$SERIES")
	echo "audit --each-commit $SERIES: $t s wall with -j $jobs, $(grep -c '^\[' "$work/out") commits   (target for 10 commits <= 60 s)"
	grep "^audit: " "$work/log"
fi
