#!/usr/bin/env bash
# Build the libFuzzer target (clang, ASan + UBSan) and run it over the seed corpus
# and the regressions (inputs that once found a bug).
#
#   K8SMIG_FUZZ_RUNS      a fixed number of inputs with a fixed seed: the same run every
#                         time, as CI needs (default 400000)
#   K8SMIG_FUZZ_SECONDS   fuzz for this long with a random seed instead (exploring)
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
build=${1:-build}
secs=${K8SMIG_FUZZ_SECONDS:-}
runs=${K8SMIG_FUZZ_RUNS:-400000}
if [ -n "$secs" ]; then
	budget=(-max_total_time="$secs")
else
	budget=(-runs="$runs" -seed=1)
fi
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
if ! ./fuzz_parse "${budget[@]}" -max_len=4096 -rss_limit_mb=1024 -print_final_stats=1 corpus >fuzz.log 2>&1; then
	tail -40 fuzz.log >&2
	for c in crash-* leak-* timeout-* oom-*; do
		[ -e "$c" ] && cp "$c" "$top/tests/fuzz/" && echo "fuzz: found $c (copied to tests/fuzz/)" >&2
	done
	exit 1
fi
done_runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' fuzz.log | grep -o '[0-9]*$')
echo "fuzz: $done_runs runs, no crash, leak or sanitizer report"
echo "1 passed, 0 failed"
