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
out=$(mktemp -d /tmp/k8smig-fuzz.XXXXXX)
trap 'rm -rf "$out"' EXIT

flags=(-D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I include -I "$build/include" -I lib)
clang "${flags[@]}" tests/fuzz/fuzz_parse.c lib/core/*.c lib/model/object.c lib/model/list.c lib/model/keys.c \
	lib/serialize/*.c -lyaml -lpthread -lm -o "$out/fuzz_parse"
clang "${flags[@]}" tests/fuzz/fuzz_json.c lib/core/*.c lib/model/object.c lib/model/list.c lib/model/keys.c \
	lib/serialize/*.c -lyaml -lpthread -lm -o "$out/fuzz_json"
# the spec loader and planner need everything but the client (and the bundled spec meson generates)
clang "${flags[@]}" tests/fuzz/fuzz_spec.c lib/core/*.c lib/model/*.c lib/serialize/*.c lib/migrate/*.c lib/render/*.c \
	"$build/lib/default_spec.c" -lyaml -lpthread -lm -o "$out/fuzz_spec"
for t in fuzz_import_ecs fuzz_import_tf; do
	clang "${flags[@]}" tests/fuzz/$t.c lib/core/*.c lib/model/*.c lib/serialize/*.c lib/migrate/*.c \
		"$build/lib/default_spec.c" -lyaml -lpthread -lm -o "$out/$t"
done

# field paths and quantities
clang "${flags[@]}" tests/fuzz/fuzz_values.c lib/core/*.c lib/model/*.c lib/serialize/*.c \
	-lyaml -lpthread -lm -o "$out/fuzz_values"
# the kustomization renderer with its patches (writes its inputs to a temporary directory)
clang "${flags[@]}" tests/fuzz/fuzz_render.c lib/core/*.c lib/model/*.c lib/serialize/*.c lib/migrate/*.c lib/render/*.c \
	"$build/lib/default_spec.c" -lyaml -lpthread -lm -o "$out/fuzz_render"
# strategic-merge and JSON 6902 patches on their own (no files: ~15x the renderer's rate)
clang "${flags[@]}" tests/fuzz/fuzz_patch.c lib/core/*.c lib/model/*.c lib/serialize/*.c lib/migrate/*.c lib/render/*.c \
	"$build/lib/default_spec.c" -lyaml -lpthread -lm -o "$out/fuzz_patch"
# kubeconfig and exec-plugin output (the client; libcurl is loaded at run time)
clang "${flags[@]}" tests/fuzz/fuzz_kubeconfig.c lib/core/*.c lib/model/*.c lib/serialize/*.c lib/client/*.c \
	-lyaml -lz -lpthread -lm -ldl -o "$out/fuzz_kubeconfig"

# every regression must pass on its own first
for f in tests/fuzz/regressions/*; do
	for t in fuzz_parse fuzz_json; do
		"$out/$t" "$f" >/dev/null 2>&1 || { echo "fuzz regression fails ($t): $f" >&2; "$out/$t" "$f"; exit 1; }
	done
done
for t in values render kubeconfig patch; do
	for f in tests/fuzz/regressions-$t/*; do
		[ -e "$f" ] || continue
		"$out/fuzz_$t" "$f" >/dev/null 2>&1 || { echo "fuzz regression fails: $f" >&2; "$out/fuzz_$t" "$f"; exit 1; }
	done
done
mkdir "$out/corpus" "$out/spec-corpus" "$out/json-corpus" "$out/import-ecs-corpus" "$out/import-tf-corpus" "$out/values-corpus" "$out/render-corpus" "$out/kubeconfig-corpus" "$out/patch-corpus"
cp tests/fuzz/import-ecs-corpus/* "$out/import-ecs-corpus/"
cp tests/fuzz/import-tf-corpus/* "$out/import-tf-corpus/"
cp tests/fuzz/corpus/* tests/fuzz/regressions/* "$out/corpus/"
cp tests/fuzz/corpus/*.json tests/fuzz/regressions/*.json bench/deployment.json "$out/json-corpus/"
cp tests/fuzz/spec-corpus/* "$out/spec-corpus/"
for t in values render kubeconfig patch; do
	cp tests/fuzz/$t-corpus/* "$out/$t-corpus/"
	cp tests/fuzz/regressions-$t/* "$out/$t-corpus/" 2>/dev/null || true
done
cd "$out"

fuzz() { # name corpus runs max_len
	local name=$1 corpus=$2 n=$3 max_len=$4 budget
	if [ -n "$secs" ]; then budget=(-max_total_time="$secs"); else budget=(-runs="$n" -seed=1); fi
	if ! "./$name" "${budget[@]}" -max_len="$max_len" -rss_limit_mb=1500 -print_final_stats=1 "$corpus" >"$name.log" 2>&1; then
		tail -40 "$name.log" >&2
		for c in crash-* leak-* timeout-* oom-*; do
			[ -e "$c" ] && cp "$c" "$top/tests/fuzz/" && echo "fuzz: $name found $c (copied to tests/fuzz/)" >&2
		done
		exit 1
	fi
	echo "fuzz: $name: $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$name.log" | grep -o '[0-9]*$') runs" \
	     "($(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$name.log" | grep -o '[0-9]*$') exec/s), no crash, leak or sanitizer report"
}
fuzz fuzz_parse corpus "$runs" 4096
fuzz fuzz_json json-corpus "$runs" 4096
fuzz fuzz_spec spec-corpus $((runs / 8)) 16384
fuzz fuzz_import_ecs import-ecs-corpus $((runs / 8)) 16384
fuzz fuzz_import_tf import-tf-corpus $((runs / 8)) 16384
fuzz fuzz_values values-corpus $((runs / 4)) 256
fuzz fuzz_render render-corpus $((runs / 40)) 8192
fuzz fuzz_patch patch-corpus $((runs / 4)) 4096
fuzz fuzz_kubeconfig kubeconfig-corpus $((runs / 200)) 4096
echo "9 passed, 0 failed"
