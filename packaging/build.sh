#!/usr/bin/env bash
# `make package`: the release .deb and .rpm (desktop app and `satchel` CLI),
# built by Tauri's bundler from src-tauri/tauri.conf.json, copied to
# target/package/. A no-op rebuild when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
out=target/package
mkdir -p "$out"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)

# The CLI the packages carry in /usr/bin (tauri.conf.json names target/release/satchel).
cargo build --release --locked --bin satchel

# Debian's changelog, in Debian's format, dated by the last commit (so the
# same checkout gives the same file); CHANGELOG.md has the details.
when=$(git log -1 --format=%cD 2>/dev/null || date -R -d @0)
{
  echo "satchel ($version) unstable; urgency=medium"
  echo
  echo "  * Satchel $version; see CHANGELOG.md in the source for what it holds."
  echo
  echo " -- The Satchel developers <satchel@example.org>  $when"
} | gzip -9n >"$out/changelog.gz"

cargo tauri build --ci --bundles deb,rpm -- --locked

rm -f "$out"/*.deb "$out"/*.rpm
cp target/release/bundle/deb/Satchel_"$version"_*.deb target/release/bundle/rpm/Satchel-"$version"-1.*.rpm "$out"/
ls -l "$out"
