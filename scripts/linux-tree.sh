#!/usr/bin/env bash
# scripts/linux-tree.sh DEST
#   Prepares a real Linux tree for lockaudit without committing any kernel
#   code: Debian's linux-source-6.1 package (apt-get download), unpacked in
#   DEST; an LLVM=1 x86_64 defconfig with the PCI passthrough options (VFIO,
#   VFIO_PCI, PCI_IOV, PCI hotplug, AER, DPC, KVM, Xen's pciback); `make
#   prepare`, a build of the PCI/VFIO/KVM directories, and
#   scripts/clang-tools/gen_compile_commands.py, which writes
#   DEST/linux/compile_commands.json for what was built.
#   Needs: Debian packages (installed when missing, apt-get update first).
#   Env: JOBS (default: nproc). Keep DEST under /tmp: it is large.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DEST" >&2; exit 2; }
dest=$1
need=()
for p in clang lld llvm flex bison bc libelf-dev libssl-dev python3 xz-utils; do
	dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
cd "$dest"
if [ ! -d linux ]; then
	if ! ls linux-source-6.1_*.deb >/dev/null 2>&1; then
		apt-get update -qq
		apt-get download linux-source-6.1
	fi
	dpkg-deb -x linux-source-6.1_*.deb pkg
	tar -xaf pkg/usr/src/linux-source-6.1.tar.xz
	mv linux-source-6.1 linux
	rm -rf pkg
fi
cd linux
make -s LLVM=1 defconfig
scripts/config --enable PCI --enable PCI_IOV --enable PCIEPORTBUS --enable PCIEAER --enable PCIE_DPC \
	--enable HOTPLUG_PCI --enable HOTPLUG_PCI_PCIE --enable VFIO --enable VFIO_PCI --enable VFIO_PCI_CORE \
	--enable KVM --enable KVM_INTEL --enable KVM_AMD --enable HYPERVISOR_GUEST --enable PARAVIRT \
	--enable XEN --enable XEN_DOM0 --enable XEN_BACKEND --enable XEN_PCIDEV_BACKEND
make -s LLVM=1 olddefconfig
make -s LLVM=1 -j"${JOBS:-$(nproc)}" prepare
# the directories of the PCI passthrough code; a directory that fails to
# build still leaves the commands of what did in the .cmd files
for d in drivers/pci/ drivers/vfio/ drivers/xen/xen-pciback/ arch/x86/kvm/ virt/kvm/; do
	make -s LLVM=1 -j"${JOBS:-$(nproc)}" "$d" >"$dest/build-$(echo "$d" | tr / _).log" 2>&1 ||
		echo "note: make $d failed (see $dest/build-*.log); its built TUs are still listed" >&2
done
python3 scripts/clang-tools/gen_compile_commands.py -d . -o compile_commands.json
echo "$dest/linux/compile_commands.json: $(grep -c '"file"' compile_commands.json) TUs"
