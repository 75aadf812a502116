#!/usr/bin/env bash
# tests/rehearsal/tools.sh - builds, once per machine, the two tools the rehearsal
# needs that the machine does not have: actionlint (checks the generated GitHub
# workflow) and kustomize (the workflow and scripts run `kustomize edit set image`).
# Both come from the Go module proxy with `go install`, pinned, into
# ${K8SMIG_CACHE:-~/.cache/k8smig}/tools-<versions>/ (as tests/cluster/build.sh caches
# the harness); serialised with flock. Prints that directory on stdout, logs on stderr.
set -euo pipefail

ACTIONLINT=v1.7.12 # github.com/rhysd/actionlint
KUSTOMIZE=v5.7.1   # sigs.k8s.io/kustomize/kustomize/v5 (v5.8 needs Go 1.27)

cache=${K8SMIG_CACHE:-$HOME/.cache/k8smig}
dir=$cache/tools-actionlint-$ACTIONLINT-kustomize-$KUSTOMIZE
mkdir -p "$cache"
exec 9>"$cache/tools.lock"
flock 9
if [ ! -x "$dir/actionlint" ] || [ ! -x "$dir/kustomize" ]; then
	command -v go >/dev/null || { echo "tools.sh: go is not installed (scripts/setup.sh installs it)" >&2; exit 1; }
	echo "tools.sh: building actionlint $ACTIONLINT and kustomize $KUSTOMIZE (once, about 2 minutes)" >&2
	tmp=$(mktemp -d "$cache/tools.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	GOBIN=$tmp GOFLAGS=-buildvcs=false go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT" >&2
	GOBIN=$tmp GOFLAGS=-buildvcs=false go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE" >&2
	rm -rf "$dir"
	mv "$tmp" "$dir"
	trap - EXIT
fi
echo "$dir"
