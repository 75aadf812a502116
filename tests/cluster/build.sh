#!/usr/bin/env bash
# Builds the harness (kube-apiserver + kube-controller-manager + embedded etcd
# in one binary) once per source hash and prints the binary's path on stdout.
# Build output goes to stderr. A cold build takes ~5-8 min on 2 cores; after
# that the binary is reused, and the Go build cache makes source edits cheap.
#
#   K8SMIG_CACHE   where binaries are kept (default ~/.cache/k8smig)
#   GO             go command (default: go on PATH, else /usr/local/go/bin/go)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${K8SMIG_CACHE:-${HOME:-/root}/.cache/k8smig}"
go="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"

cd "$here"
sha="$(cat go.mod go.sum *.go | sha256sum | cut -c1-16)"
out="$cache/harness-$sha/harness"
if [ -x "$out" ]; then
	echo "$out"
	exit 0
fi

mkdir -p "$cache/harness-$sha"
# One build at a time per cache (parallel test jobs may all call us).
exec 9>"$cache/.build.lock"
flock 9
if [ -x "$out" ]; then
	echo "$out"
	exit 0
fi

# kube-apiserver reports the version stamped here at /version (default
# "v0.0.0-master+$Format:%H$", which kubectl and clients fail to parse).
k8s="$(awk '$1 == "k8s.io/kubernetes" { print $2; exit }' go.mod)" # e.g. v1.36.3
major="${k8s#v}"; major="${major%%.*}"
minor="${k8s#v*.}"; minor="${minor%%.*}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
	ldflags+=" -X $pkg.gitVersion=$k8s -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
	ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done

echo "build.sh: building harness ($k8s) into $out; a cold build takes ~5-8 min" >&2
start=$(date +%s)
# GOTOOLCHAIN=local: never try to download another Go. -mod=readonly: go.sum
# is complete; nothing may change go.mod behind the committer's back.
GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -mod=readonly" \
	"$go" build -p 2 -trimpath -buildvcs=false -ldflags "$ldflags" -o "$out.tmp" . >&2
mv "$out.tmp" "$out"
# Prune builds (160 MB each) beyond the three newest once a day old. A running
# harness does not need its file (its controller manager runs /proc/self/exe).
for old in $(ls -1dt "$cache"/harness-*/ | tail -n +4); do
	find "$old" -maxdepth 0 -mmin +1440 -exec rm -rf {} + || true
done
echo "build.sh: built in $(($(date +%s) - start))s: $(du -h "$out" | cut -f1)" >&2
echo "$out"
