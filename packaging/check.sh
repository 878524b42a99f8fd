#!/usr/bin/env bash
# The package checks `make test` runs after `make package`: the file lists of
# the .deb and .rpm against packaging/{deb,rpm}-files.expected (regenerate
# with UPDATE_EXPECT=1 and review the diff), lintian without errors (no overrides;
# its warnings are the missing manual pages and the description's length), desktop-file-validate and
# appstreamcli on the packaged files, then the .deb unpacked into a temporary
# root: its `satchel --version`, and its app through the desktop E2E
# harness (the "Open with" scenario, under Xvfb).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
shopt -s nullglob
debs=(target/package/*.deb)
rpms=(target/package/*.rpm)
[ ${#debs[@]} = 1 ] && [ ${#rpms[@]} = 1 ] || {
  echo "target/package/: expected one .deb and one .rpm (run make package)" >&2
  exit 1
}
deb=${debs[0]}
rpm=${rpms[0]}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
fail() { echo "package check failed: $*" >&2; exit 1; }

echo "== file lists"
compare() { # name, listing
  local expected=packaging/$1-files.expected
  if [ "${UPDATE_EXPECT:-}" = 1 ]; then
    printf '%s\n' "$2" >"$expected"
  fi
  diff -u "$expected" <(printf '%s\n' "$2") || fail "$1 file list differs from $expected"
}
compare deb "$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's#^\./#/#; s#/$##' | grep -v '^$' | sort)"
compare rpm "$(rpm -qlp "$rpm" 2>/dev/null | sort)"

echo "== lintian"
lintian --fail-on error --display-info "$deb" || fail "lintian reports errors on $deb"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"

echo "== desktop entry and AppStream metainfo"
desktop-file-validate "$root/usr/share/applications/Satchel.desktop" || fail "desktop entry"
grep -qx 'Exec=satchel-desktop %F' "$root/usr/share/applications/Satchel.desktop" || fail "Exec line"
appstreamcli validate --no-net "$root/usr/share/metainfo/org.satchel.app.metainfo.xml" || fail "metainfo"
[ ! -e "$root/usr/share/applications/mimeapps.list" ] || fail "the package must not set default applications"

echo "== dependencies"
depends=$(dpkg-deb -f "$deb" Depends)
case "$depends" in *libwebkit2gtk-4.1-0*) ;; *) fail "Depends lacks the WebKitGTK runtime: $depends" ;; esac
case "$depends" in *-dev*) fail "Depends names a -dev package: $depends" ;; esac

echo "== the unpacked binaries"
out=$("$root/usr/bin/satchel" --version)
case "$out" in "satchel $version "*) echo "$out" ;; *) fail "usr/bin/satchel --version said: $out" ;; esac
out=$("$root/usr/bin/satchel-desktop" --version)
case "$out" in "satchel-desktop $version "*) echo "$out" ;; *) fail "usr/bin/satchel-desktop --version said: $out" ;; esac

echo "== the unpacked app, end to end"
SATCHEL_E2E_APP="$root/usr/bin/satchel-desktop" TAURI_E2E=1 \
  cargo test -p satchel-desktop --test e2e --locked -- open_with
echo "package checks passed: $deb $rpm"
