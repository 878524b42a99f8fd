# Satchel: two set-up commands for a fresh Debian or Ubuntu machine.
#   make run    install what is missing, build, start the desktop app
#   make test   install what is missing, run every test (core, CLI, desktop E2E)

SHELL := /bin/bash
.DEFAULT_GOAL := help
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := build-essential pkg-config curl ca-certificates libwebkit2gtk-4.1-dev \
	xvfb xauth webkit2gtk-driver fonts-dejavu-core chromium chromium-driver python3-venv nodejs \
	dbus-daemon rpm lintian desktop-file-utils appstream openssl
CARGO := $(shell command -v cargo 2>/dev/null || echo $$HOME/.cargo/bin/cargo)

.PHONY: help deps system-deps rust tauri-driver tauri-cli interop-deps smtp-venv run test test-core fuzz-build fmt package

help:
	@echo "make run    - install what is missing, build and start the Satchel desktop app"
	@echo "make test   - install what is missing and run every test (core, CLI, desktop E2E, packages)"
	@echo "make package - build the release .deb and .rpm into target/package/"

deps: system-deps rust tauri-driver smtp-venv

system-deps:
	@if ! dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
	  echo "== installing system packages: $(APT_PACKAGES)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	fi

rust:
	@if ! command -v cargo >/dev/null 2>&1 && [ ! -x "$$HOME/.cargo/bin/cargo" ]; then \
	  echo "== installing the Rust toolchain (rustup)"; \
	  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal; \
	fi
	@PATH="$$HOME/.cargo/bin:$$PATH"; \
	if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then \
	  echo "== installing rustfmt and clippy"; \
	  rustup component add rustfmt clippy; \
	fi

tauri-driver: rust
	@if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$$HOME/.cargo/bin/tauri-driver" ]; then \
	  echo "== installing tauri-driver 2"; \
	  $(CARGO) install tauri-driver --version '^2' --locked --quiet; \
	fi

# Tauri's bundler, for `make package`: 2.x only (never a 3.0 pre-release).
tauri-cli: rust
	@if ! PATH="$$HOME/.cargo/bin:$$PATH" cargo tauri --version 2>/dev/null | grep -q '^tauri-cli 2\.'; then \
	  echo "== installing tauri-cli 2"; \
	  $(CARGO) install tauri-cli --version '^2' --locked --quiet; \
	fi

# The release .deb and .rpm (desktop app and CLI) in target/package/.
package: system-deps tauri-cli
	@bash packaging/build.sh

# The independent Open Badges implementations the interoperability tests run
# (tests/interop/): pinned, into target/interop/, a no-op once installed.
interop-deps:
	@bash tests/interop/install.sh

# The SMTP server the badge-email tests send to (127.0.0.1 only), pinned.
SMTP_VENV := target/smtp-venv
smtp-venv: system-deps
	@if ! $(SMTP_VENV)/bin/python -c 'import aiosmtpd' >/dev/null 2>&1; then \
	  echo "== installing aiosmtpd into $(SMTP_VENV)"; \
	  python3 -m venv $(SMTP_VENV) && $(SMTP_VENV)/bin/pip install -q aiosmtpd==1.4.6; \
	fi

run: system-deps rust
	$(CARGO) build -p satchel-desktop
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
	  echo "No display found: starting Satchel inside a virtual X server (xvfb-run)."; \
	  xvfb-run -a -s '-screen 0 1280x800x24' target/debug/satchel-desktop; \
	else \
	  target/debug/satchel-desktop; \
	fi

# Formatting and clippy first (either failing fails the run), then one
# `cargo test --workspace` so every crate builds once with one feature set.
# The E2E test starts its own Xvfb and driver; it needs no display from outside.
# Last, the packages: built, listed, linted, unpacked and run (packaging/check.sh).
test: deps interop-deps
	@if [ "$$CI" = true ] && [ ! -d "$${SATCHEL_CORPUS:-../shared/fixtures/public}" ]; then \
	  echo "CI=true but the shared badge corpus is missing (set SATCHEL_CORPUS)"; exit 1; \
	fi
	PATH="$$HOME/.cargo/bin:$$PATH" $(CARGO) fmt --all --check
	PATH="$$HOME/.cargo/bin:$$PATH" $(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	PATH="$$HOME/.cargo/bin:$$PATH" env -u DISPLAY TAURI_E2E=1 $(CARGO) test --workspace --locked
	$(MAKE) --no-print-directory package
	PATH="$$HOME/.cargo/bin:$$PATH" env -u DISPLAY bash packaging/check.sh

# The core crate alone (fast loop while developing).
test-core: rust
	$(CARGO) test

fmt:
	$(CARGO) fmt --all
