#!/usr/bin/env bash
# lockaudit scan on the bundled example, the queries on its database, and
# incremental rescans (unchanged, touched, edited header).
. "$(dirname "$0")/lib.sh" "$@"

copy_example mx
DB=$T/mx.db

# --- first scan: every TU parsed and stored ---
run "$LA" scan -p "$T/mx" --db "$DB"
expect_rc 0 "first scan"
expect_out err '(^|[^0-9])9 TUs: 9 ok, 0 failed, 0 skipped' "first scan summary"

# --- accesses: pci_dev.vpci is read and written all over ---
run "$LA" accesses pci_dev.vpci --db "$DB"
expect_rc 0 "accesses pci_dev.vpci"
n=$(wc -l <"$T/out")
[ "$n" -ge 20 ] || fail "accesses pci_dev.vpci: $n lines, expected at least 20"
expect_out out '^common/pci\.c:[0-9]+:[0-9]+: write pci_dev\.vpci in pci_remove_device: ' \
	"accesses pci_dev.vpci lists the write in pci_remove_device"
expect_out out '^drivers/vpci\.c:[0-9]+:[0-9]+: read  pci_dev\.vpci in vpci_read: pdev->vpci$' \
	"accesses pci_dev.vpci lists the reads in vpci_read"
expect_no_out out 'pci_dev\.(domain|sbdf)' "accesses pci_dev.vpci shows only that field"
expect_out err "^$n accesses: " "accesses summary counts the lines"

run "$LA" accesses pci_dev.vpci --mode write --db "$DB"
expect_rc 0 "accesses --mode write"
expect_out out 'write pci_dev\.vpci in pci_remove_device' "--mode write keeps the write"
expect_no_out out ' read ' "--mode write drops the reads"

# --- calls: r->read resolved through the stored function-pointer flows ---
run "$LA" calls vpci_read --db "$DB"
expect_rc 0 "calls vpci_read"
expect_out out '^vpci_read\(.*\)  drivers/vpci\.c:[0-9]+$' "calls vpci_read names the definition"
read_line=$(grep -E 'r->read\(' "$T/out")
case "$read_line" in
*"[indirect via vpci_register.read]"*vpci_hw_read16*) ;;
*) fail "calls vpci_read: r->read does not resolve to vpci_hw_read16: '$read_line'" ;;
esac
case "$read_line" in
*"[indirect via vpci_register.read]"*bar_read*) ;;
*) fail "calls vpci_read: r->read does not resolve to bar_read: '$read_line'" ;;
esac

# the other direction: vpci_read reaches vpci_hw_read16 through the slot
run "$LA" calls vpci_hw_read16 --db "$DB"
expect_rc 0 "calls vpci_hw_read16"
expect_out out 'vpci_read \(indirect, through vpci_register\.read\)' \
	"calls vpci_hw_read16 lists vpci_read as an indirect caller"

# iommu_call(&iommu_ops, quarantine_init, ...) in common/pci.c: an
# alternative_call-style asm call resolved to both vendors' hooks
grep -q 'iommu_call(&iommu_ops, quarantine_init' "$T/mx/common/pci.c" ||
	fail "example changed: common/pci.c has no iommu_call(&iommu_ops, quarantine_init, ...)"
run "$LA" calls iommu_quarantine_dev_init --db "$DB"
expect_rc 0 "calls iommu_quarantine_dev_init"
q_line=$(grep -E 'quarantine_init\(' "$T/out")
for target in amd_iommu_quarantine_init intel_iommu_quarantine_init; do
	case "$q_line" in
	*"via iommu_ops.quarantine_init]"*"$target ("*) ;;
	*) fail "calls iommu_quarantine_dev_init: the quarantine_init hook does not resolve to $target: '$q_line'" ;;
	esac
done

# --- second scan: nothing changed, nothing parsed ---
run "$LA" scan -p "$T/mx" --db "$DB"
expect_rc 0 "second scan"
expect_out err ' 0 ok, 0 failed, 9 skipped' "second scan skips every TU"

# --- touched (new mtime, same content): still nothing to parse ---
find "$T/mx" \( -name '*.c' -o -name '*.h' \) -exec touch {} +
run "$LA" scan -p "$T/mx" --db "$DB"
expect_rc 0 "scan after touch"
expect_out err ' 0 ok, 0 failed, 9 skipped' "touching files without changing them rescans nothing"

# --- an edited header: exactly the TUs that include it are parsed ---
mapfile -t including < <(sql "$DB" "SELECT DISTINCT tf.path FROM tu_include i
	JOIN file f ON f.id = i.file_id JOIN tu t ON t.id = i.tu_id JOIN file tf ON tf.id = t.file_id
	WHERE f.path LIKE '%/include/xen/vpci.h' ORDER BY tf.path")
k=${#including[@]}
if [ "$k" -le 0 ] || [ "$k" -ge 9 ]; then
	fail "expected some but not all TUs to include xen/vpci.h, found $k"
fi
echo "/* a comment that changes nothing but the text */" >>"$T/mx/include/xen/vpci.h"
run "$LA" scan -v -p "$T/mx" --db "$DB"
expect_rc 0 "scan after editing xen/vpci.h"
expect_out err " $k ok, 0 failed, $((9 - k)) skipped" "editing xen/vpci.h rescans the $k TUs including it"
rescanned=$(grep -Eo '^\[[0-9]+/[0-9]+\] [^ ]+' "$T/err" | awk '{ print $2 }' | sort)
expected=$(for p in "${including[@]}"; do echo "${p#"$T/mx/"}"; done | sort)
[ "$rescanned" = "$expected" ] ||
	fail "rescanned TUs differ from those including xen/vpci.h: got [$rescanned], expected [$expected]"

# the facts are still all there
run "$LA" accesses pci_dev.vpci --db "$DB"
[ "$(wc -l <"$T/out")" -eq "$n" ] || fail "accesses after the rescans: $(wc -l <"$T/out") lines, expected $n"

finish
