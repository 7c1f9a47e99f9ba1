#!/usr/bin/env bash
# scripts/setup.sh example|test
#   example: install what is missing (Debian 12 packages), build, and run the
#            main job (scan + queries) on the bundled example examples/minixen.
#   test:    install what is missing, build with warnings as errors, run the
#            whole test suite, then again under AddressSanitizer + UBSan.
set -euo pipefail
mode=${1:-}
case "$mode" in example|test) ;; *) echo "usage: $0 example|test" >&2; exit 2 ;; esac
top=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)

# --- packages (Debian's only) ---
sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
updated=0
apt_install() {  # apt_install PACKAGE...: apt-get update once, then install
	if [ $updated = 0 ]; then
		$sudo apt-get update -qq
		updated=1
	fi
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}
packages=(gcc make cmake pkg-config libclang-19-dev clang-19 libsqlite3-dev libcjson-dev check sqlite3)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]}"
	apt_install "${missing[@]}"
fi

# --- the browser test (tests/browser): Debian's chromium, node and the
# pinned puppeteer-core of tests/browser/package-lock.json ---
if [ "$mode" = test ]; then
	if ! command -v chromium >/dev/null; then
		echo "setup: installing chromium (the HTML pages are tested in it)"
		apt_install chromium ||
			echo "setup: warning: chromium could not be installed: the browser test will be skipped (in CI it fails)"
	fi
	if ! command -v npm >/dev/null; then
		echo "setup: installing nodejs and npm (they drive the browser)"
		apt_install nodejs npm
	fi
	# npm ci when the lock file changed since the last install
	browser="$top/tests/browser"
	if ! cmp -s "$browser/package-lock.json" "$browser/node_modules/.lockaudit-installed" 2>/dev/null; then
		echo "setup: npm ci in tests/browser"
		(cd "$browser" && npm ci --no-audit --no-fund --loglevel=error) >/dev/null
		cp "$browser/package-lock.json" "$browser/node_modules/.lockaudit-installed"
	fi
fi

# --- the SARIF multitool (npm, pinned) that the tests validate SARIF with ---
# In build/node (ignored by git). npm may skip the package's postinstall,
# which only makes the bundled binary executable: do it here.
SARIF_MULTITOOL_VERSION=5.7.0
sarif_multitool() {
	local dir="$top/build/node"
	local pkg="$dir/node_modules/@microsoft/sarif-multitool-linux"
	if ! grep -qs "\"version\": \"$SARIF_MULTITOOL_VERSION\"" "$pkg/package.json"; then
		if ! command -v npm >/dev/null; then
			echo "setup: installing nodejs npm"
			apt_install nodejs npm
		fi
		echo "setup: installing @microsoft/sarif-multitool@$SARIF_MULTITOOL_VERSION in build/node"
		mkdir -p "$dir"
		npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
			"@microsoft/sarif-multitool@$SARIF_MULTITOOL_VERSION" \
			"@microsoft/sarif-multitool-linux@$SARIF_MULTITOOL_VERSION" >/dev/null
	fi
	chmod u+x "$pkg/Sarif.Multitool"
	export LOCKAUDIT_SARIF_MULTITOOL="$pkg/Sarif.Multitool"
}

build() {  # build DIR [cmake options...]
	local dir=$1; shift
	cmake -S "$top" -B "$dir" -DLOCKAUDIT_WERROR=ON "$@" >/dev/null
	cmake --build "$dir" -j "$jobs"
}

if [ "$mode" = example ]; then
	build "$top/build" -DBUILD_TESTING=OFF
	la="$top/build/lockaudit"
	db="$top/build/minixen.db"
	rm -f "$db"
	cd "$top/examples/minixen"
	echo "== lockaudit scan -p examples/minixen --db build/minixen.db"
	"$la" scan --db "$db"
	echo; echo "== lockaudit accesses pci_dev.vpci"
	"$la" accesses pci_dev.vpci --db "$db"
	echo; echo "== lockaudit calls vpci_read"
	"$la" calls vpci_read --db "$db"
	echo; echo "== lockaudit analyze --rules rules/xen-pci.json"
	"$la" analyze --db "$db" --rules "$top/rules/xen-pci.json"
	echo; echo "== lockaudit guards pci_dev.vpci"
	"$la" guards pci_dev.vpci --db "$db"
	echo; echo "== lockaudit held drivers/vpci.c:221   (the handler call in vpci_read)"
	"$la" held drivers/vpci.c:221 --db "$db"
	echo; echo "== lockaudit check   (the bugs planted in minixen)"
	"$la" check --db "$db" || [ $? = 2 ]   # 2: findings, as expected here
	echo; echo "The database is $db; try: sqlite3 $db 'SELECT * FROM access_held_v LIMIT 5'"
	exit 0
fi

sarif_multitool
build "$top/build" -DBUILD_TESTING=ON
(cd "$top/build" && ctest --output-on-failure -j "$jobs")
echo "== again under AddressSanitizer and UBSan"
build "$top/build-asan" -DBUILD_TESTING=ON -DLOCKAUDIT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
(cd "$top/build-asan" && ASAN_OPTIONS=detect_leaks=0 ctest --output-on-failure -j "$jobs")
