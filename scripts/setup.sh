#!/usr/bin/env bash
# Install what libk8smig needs to build and test, on a fresh Debian machine.
# Idempotent and quick when everything is already there.
set -euo pipefail

APT_PACKAGES=(build-essential pkg-config meson ninja-build libyaml-dev libjansson-dev zlib1g-dev
              libcurl4-openssl-dev libcmocka-dev swig valgrind python3-dev clang zsh)
# meson-python + build: the pip/wheel test (bindings/python); meson pinned to the apt
# version so the pip copy meson-python pulls in does not change the meson on PATH.
PIP_PACKAGES=(pytest==9.2.0 PyYAML==6.0.3 ruamel.yaml==0.18.17 kubernetes-validate==1.37.0
              meson-python==0.22.1 meson==1.0.1 build==1.6.1 mypy==2.4.1)

missing=()
for p in "${APT_PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
	echo "setup: installing ${missing[*]}" >&2
	SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! python3 - "${PIP_PACKAGES[@]}" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
for spec in sys.argv[1:]:
    name, want = spec.split("==")
    if version(name) != want:
        sys.exit(1)
PY
then
	echo "setup: installing ${PIP_PACKAGES[*]}" >&2
	python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore "${PIP_PACKAGES[@]}"
fi
command -v kubectl >/dev/null || echo "setup: warning: kubectl not found; the golden reader test needs it" >&2
