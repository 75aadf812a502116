#!/usr/bin/env bash
# Set everything up and run every test suite: a normal build, AddressSanitizer +
# UBSan, and valgrind. This is what .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

bash scripts/setup.sh

step() { printf '\n==> %s\n' "$*"; }

# Everything this run starts or creates is registered here and removed by one
# trap, on every exit path (success, failure, Ctrl-C, SIGTERM). A second
# `trap ... EXIT` would replace this one, so register with `cleanup_add` instead.
cleanup_dirs=()
cleanup_add() { cleanup_dirs+=("$1"); }
cleanup() {
	local d
	for d in "${cleanup_dirs[@]}"; do
		for c in "$d"/*/; do
			[ -f "$c/harness.pid" ] && { bash tests/cluster/stop.sh "$c" >/dev/null 2>&1 || true; }
		done
		rm -rf "$d"
	done
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "test cluster: build (cached per source hash) and start the real kube-apiserver harness"
cluster_dir=$(mktemp -d /tmp/k8smig-cluster.XXXXXX)
cleanup_add "$cluster_dir"
bash tests/cluster/build.sh >/dev/null
K8SMIG_TEST_KUBECONFIG=$(bash tests/cluster/start.sh "$cluster_dir/main" -kcm)
# a second server that refuses all but one request at a time: real 429s
K8SMIG_TEST_KUBECONFIG_THROTTLED=$(bash tests/cluster/start.sh "$cluster_dir/throttled" -max-requests-inflight 1)
export K8SMIG_TEST_KUBECONFIG K8SMIG_TEST_KUBECONFIG_THROTTLED

step "build (debugoptimized)"
[ -d build ] || meson setup build >/dev/null
meson compile -C build >/dev/null

step "tests"
# the allocation-failure sweep (suite alloc) runs once, in the sanitizer pass below
meson test -C build --print-errorlogs --no-suite alloc
# a skipped suite is not a passed one: the client suite must have run
if grep -q "^Skipped: *[1-9]" build/meson-logs/testlog.txt; then
	echo "some tests were skipped (is the test cluster up?)" >&2
	exit 1
fi

step "build and tests under AddressSanitizer + UndefinedBehaviorSanitizer"
[ -d build-asan ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
meson compile -C build-asan >/dev/null
# the install test re-links outside meson, and an instrumented Python extension needs
# the sanitizer runtime preloaded into python: both run in the normal pass
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	meson test -C build-asan --print-errorlogs --no-suite abi --no-suite python

step "fuzz: YAML/JSON parsers and emitters (libFuzzer + ASan/UBSan, a fixed seed and run count)"
bash tests/fuzz/run.sh build

step "valgrind: unit and client tests"
meson test -C build --suite unit --suite client --print-errorlogs --timeout-multiplier 4 \
	--wrap="valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=1 -q --suppressions=$top/tests/valgrind.supp"

step "valgrind: the CLI over every golden input and bad input"
vg=(valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 -q)
n=0
for f in tests/golden/*.in.* tests/golden/*.yaml; do
	for o in yaml json; do
		"${vg[@]}" build/examples/cli/k8smig fmt -o "$o" "$f" >/dev/null
		n=$((n + 1))
	done
done
tmp=$(mktemp -d)
cleanup_add "$tmp"
printf 'a: [1, 2\n' >"$tmp/unclosed.yaml"
printf 'a: 1\na: 2\n' >"$tmp/dup.yaml"
printf 'a: \xff\n' >"$tmp/utf8.yaml"
printf '{"a": 1,}' >"$tmp/bad.json"
python3 -c "print('a: ' + '[' * 1000)" >"$tmp/deep.yaml"
python3 -c "
print('a: &a [x,x,x,x,x,x,x,x,x,x]')
for i in range(1, 8): print('%s: &%s [%s]' % (chr(97+i), chr(97+i), ','.join(['*' + chr(96+i)] * 10)))" >"$tmp/bomb.yaml"
for f in "$tmp"/*; do
	set +e
	"${vg[@]}" build/examples/cli/k8smig fmt "$f" >/dev/null 2>&1
	rc=$?
	set -e
	if [ "$rc" -ne 1 ]; then
		echo "valgrind: k8smig fmt $f exited $rc (want 1)" >&2
		exit 1
	fi
	n=$((n + 1))
done
echo "valgrind: $n k8smig runs clean"

step "clean up: stop the test clusters and check that none of this run's harnesses is left"
cleanup
cleanup_dirs=()
# the harness and its controller-manager child both carry the cluster directory in argv
if pgrep -f -- "$cluster_dir/" >/dev/null; then
	echo "a harness started by this run is still running:" >&2
	pgrep -af -- "$cluster_dir/" >&2
	exit 1
fi
echo "$n passed, 0 failed"
