#!/usr/bin/env bash
# bench/fuzz.sh [SECONDS] [NAME...]
#   Builds the libFuzzer harnesses of tests/fuzz (clang-19, ASan + UBSan,
#   -DLOCKAUDIT_FUZZ=ON) and runs each (or each NAME: rules, compdb) for
#   SECONDS (default 60) on a copy of its seeds. Prints executions, executions
#   per second and libFuzzer's coverage (cov: edges, ft: features) at the end.
#   Nothing is written to the source tree: the build, the corpus and any crash
#   input go under $LOCKAUDIT_FUZZ_DIR (default ${TMPDIR:-/tmp}/lockaudit-fuzz).
#   A crash input is printed; once fixed, copy it to
#   tests/fuzz/NAME/regressions/ (ctest replays it: fuzz_replay_NAME).
#   Exit status: 0 no crash, 1 a fuzzer crashed, 2 build error.
set -uo pipefail
secs=${1:-60}
shift || true
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(rules compdb)
here=$(cd "$(dirname "$0")/.." && pwd)
work=${LOCKAUDIT_FUZZ_DIR:-${TMPDIR:-/tmp}/lockaudit-fuzz}
build=$work/build
mkdir -p "$work"

echo "fuzz: building in $build" >&2
if ! { CC=${CC:-clang-19} cmake -S "$here" -B "$build" -DLOCKAUDIT_FUZZ=ON -DBUILD_TESTING=OFF \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo &&
	cmake --build "$build" -j2 --target "${names[@]/#/fuzz_}"; } >"$work/build.log" 2>&1; then
	tail -n 30 "$work/build.log" >&2
	echo "fuzz: build failed (log: $work/build.log)" >&2
	exit 2
fi

status=0
printf '%-8s %8s %12s %9s %8s %8s %s\n' fuzzer seconds executions exec/s cov ft result
for name in "${names[@]}"; do
	src=$here/tests/fuzz/$name
	run=$work/$name
	rm -rf "$run"
	mkdir -p "$run/corpus" "$run/crashes"
	cp "$src"/seeds/* "$run/corpus/"
	dict=()
	[ -f "$src/$name.dict" ] && dict=("-dict=$src/$name.dict")
	# -rss_limit_mb: the loaders hold the whole file; 2 GB means a real leak
	(cd "$run" && "$build/tests/fuzz/fuzz_$name" "${dict[@]}" -max_total_time="$secs" -print_final_stats=1 \
		-rss_limit_mb=2048 -timeout=10 -max_len=65536 -artifact_prefix="$run/crashes/" \
		"$run/corpus" "$src/regressions" >"$run/log" 2>&1)
	rc=$?
	last=$(grep -E '^#[0-9]+' "$run/log" | tail -1)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$run/log")
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$run/log")
	crashes=$(ls "$run/crashes" | wc -l)
	result=ok
	if [ "$rc" -ne 0 ] || [ "$crashes" -gt 0 ]; then
		result="CRASH (exit $rc): $(ls "$run"/crashes/* 2>/dev/null | tr '\n' ' ')log $run/log"
		status=1
	fi
	printf '%-8s %8s %12s %9s %8s %8s %s\n' "$name" "$secs" "${execs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "$result"
done
exit $status
