#!/usr/bin/env bash
# Set everything up and run the main job.
#
# The main job: generate the bundled migration (the layering-detection system of
# the reference plan) into out/, render every overlay and the monitoring directory
# in-library and validate each (zero errors), and apply monitoring plus the dev
# overlay when KUBECONFIG is set. Also formats the reference objects.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
[ -d build ] || meson setup build >/dev/null
meson compile -C build >/dev/null

out=${1:-out}
mkdir -p "$out"
build/examples/cli/k8smig version
build/examples/cli/k8smig fmt tests/golden/*.in.* >"$out/reference-objects.yaml"
build/examples/cli/k8smig fmt -o json tests/golden/*.in.* >"$out/reference-objects.json"
echo "wrote $out/reference-objects.yaml and $out/reference-objects.json"
k8smig=build/examples/cli/k8smig

# the whole tree: k8s/, aws/, .github/workflows/deploy.yml (atomic, byte-identical on a re-run)
"$k8smig" generate -o "$out" >/dev/null
"$k8smig" generate -o "$out" --check

# every overlay and the monitoring directory, rendered in-library, must validate with zero errors
mkdir -p "$out/rendered"
for dir in "$out"/k8s/overlays/* "$out/k8s/monitoring"; do
	name=$(basename "$dir")
	"$k8smig" render "$dir" >"$out/rendered/$name.yaml"
	"$k8smig" validate "$out/rendered/$name.yaml"
done
echo "generated $out/k8s, $out/aws and $out/.github; rendered and validated: $(ls "$out/rendered" | tr '\n' ' ')"

if [ -n "${KUBECONFIG:-}" ]; then
	"$k8smig" apply -f "$out/rendered/monitoring.yaml"
	"$k8smig" apply -f "$out/rendered/dev.yaml"
	echo "applied monitoring and the dev overlay to $(kubectl config current-context 2>/dev/null || echo "the KUBECONFIG cluster")"
else
	echo "KUBECONFIG is not set: nothing applied (set it to apply the dev overlay)"
fi
