# Sourced by the corpus runners (run-locks.sh, run-checks.sh).
# corpus_analyse LA DIR WORK RULES [DEFINE]: scan every DIR/*.c (one compile
# database, each compiled with -DDEFINE, by default -D__XEN__ (hypervisor
# code for rules "scope"), one program) into WORK/db and analyse it with
# RULES; on failure print the tool's output and return 1.
corpus_analyse() {
	local la=$1 dir=$2 work=$3 rules=$4 define=${5:-__XEN__} sep="" f
	{
		echo "["
		for f in "$dir"/*.c; do
			printf '%s{"directory": "%s", "file": "%s", "arguments": ["cc", "-std=gnu11", "-nostdinc", "-D%s", "-c", "%s"]}\n' \
				"$sep" "$dir" "$f" "$define" "$f"
			sep=","
		done
		echo "]"
	} > "$work/compile_commands.json"
	"$la" scan -p "$work" --db "$work/db" -j 2 > "$work/scan.log" 2>&1 || { cat "$work/scan.log"; return 1; }
	"$la" analyze --db "$work/db" --rules "$rules" > "$work/analyze.log" 2>&1 ||
		{ cat "$work/analyze.log"; return 1; }
}
