#!/usr/bin/env bash
# Build the libFuzzer target (clang, ASan + UBSan) and run it for a bounded time
# over the seed corpus and the regressions (inputs that once found a bug).
#
#   K8SMIG_FUZZ_SECONDS   how long to fuzz (default 30)
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
build=${1:-build}
secs=${K8SMIG_FUZZ_SECONDS:-30}
out=$(mktemp -d /tmp/k8smig-fuzz.XXXXXX)
trap 'rm -rf "$out"' EXIT

clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-I include -I "$build/include" -I lib \
	tests/fuzz/fuzz_parse.c lib/core/*.c lib/model/object.c lib/model/list.c lib/model/keys.c lib/serialize/*.c \
	-lyaml -ljansson -lpthread -lm -o "$out/fuzz_parse"

# every regression must pass on its own first
for f in tests/fuzz/regressions/*; do
	"$out/fuzz_parse" "$f" >/dev/null 2>&1 || { echo "fuzz regression fails: $f" >&2; "$out/fuzz_parse" "$f"; exit 1; }
done
mkdir "$out/corpus"
cp tests/fuzz/corpus/* tests/fuzz/regressions/* "$out/corpus/"
cd "$out"
if ! ./fuzz_parse -max_total_time="$secs" -max_len=4096 -rss_limit_mb=1024 -print_final_stats=1 corpus >fuzz.log 2>&1; then
	tail -40 fuzz.log >&2
	for c in crash-* leak-* timeout-* oom-*; do
		[ -e "$c" ] && cp "$c" "$top/tests/fuzz/" && echo "fuzz: found $c (copied to tests/fuzz/)" >&2
	done
	exit 1
fi
runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' fuzz.log | grep -o '[0-9]*$')
echo "fuzz: $runs runs in ${secs}s, no crash, leak or sanitizer report"
echo "1 passed, 0 failed"
