#!/usr/bin/env bash
# Set everything up and run the main job.
#
# The main job: generate the bundled migration (the layering-detection system of
# the reference plan) into out/, render every overlay and the monitoring directory
# in-library and validate each (zero errors), then apply monitoring plus the dev
# overlay with --wait, show that `k8smig diff` is then empty and print the rollout
# summary. Also formats the reference objects.
#
# The cluster: the one KUBECONFIG names when it is set; otherwise the real local
# cluster of tests/cluster (kube-apiserver + etcd + controller-manager, built on
# first use), started here and stopped on every exit path.
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

# the admin layer, every overlay and the monitoring directory, rendered in-library, must validate
# with zero errors: the admin layer with the overlays (the claims name its StorageClass and PVs)
mkdir -p "$out/rendered"
for dir in "$out/k8s/cluster" "$out"/k8s/overlays/* "$out/k8s/monitoring"; do
	"$k8smig" render "$dir" >"$out/rendered/$(basename "$dir").yaml"
done
"$k8smig" validate "$out/rendered/cluster.yaml" $(for d in "$out"/k8s/overlays/*; do echo "$out/rendered/$(basename "$d").yaml"; done)
"$k8smig" validate "$out/rendered/monitoring.yaml"
echo "generated $out/k8s, $out/aws and $out/.github; rendered and validated: $(ls "$out/rendered" | tr '\n' ' ')"

# ---- the cluster ----
cluster_dir=""
stop_cluster() {
	if [ -n "$cluster_dir" ]; then
		echo "stopping the local cluster ($cluster_dir)"
		bash tests/cluster/stop.sh "$cluster_dir" || true
		rm -rf "$cluster_dir"
		cluster_dir=""
	fi
}
trap stop_cluster EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if [ -n "${KUBECONFIG:-}" ]; then
	where="the KUBECONFIG cluster ($(kubectl config current-context 2>/dev/null || echo "$KUBECONFIG"))"
else
	cluster_dir=$(mktemp -d /tmp/k8smig-main-job.XXXXXX)
	echo "KUBECONFIG is not set: starting the local cluster from tests/cluster (kube-apiserver, etcd, controller-manager)"
	bash tests/cluster/build.sh >/dev/null 2>"$cluster_dir/build.log" &
	build_pid=$!
	# the first build takes minutes: show that it is moving
	while kill -0 "$build_pid" 2>/dev/null; do
		sleep 10
		kill -0 "$build_pid" 2>/dev/null && echo "  building the cluster binary (first use only): $(tail -n 1 "$cluster_dir/build.log" 2>/dev/null | cut -c1-100)"
	done
	if ! wait "$build_pid"; then
		echo "building the cluster failed; last lines of the log:" >&2
		tail -n 30 "$cluster_dir/build.log" >&2
		exit 1
	fi
	KUBECONFIG=$(bash tests/cluster/start.sh "$cluster_dir" -kcm)
	export KUBECONFIG
	where="the local cluster"
fi

# ---- apply, wait, diff ----
# each as an ApplySet: a re-run prunes what left the set and records a revision
# the admin layer first (namespaces, the CI group's RBAC, storage): the overlays hold no Namespace
"$k8smig" apply -f "$out/rendered/cluster.yaml"
"$k8smig" apply -f "$out/rendered/monitoring.yaml" --applyset monitoring -n layering-detection-monitoring --prune --wait --timeout 5m
"$k8smig" apply -f "$out/rendered/dev.yaml" --applyset layering-detection -n layering-detection-dev --prune --wait --timeout 5m
echo "applied monitoring and the dev overlay to $where"
for set in "monitoring layering-detection-monitoring" "dev layering-detection-dev"; do
	read -r name ns <<<"$set"
	applyset=$([ "$name" = dev ] && echo layering-detection || echo monitoring)
	if "$k8smig" diff -f "$out/rendered/$name.yaml" --applyset "$applyset" -n "$ns"; then
		echo "diff $name: no differences (exit 0)"
	else
		echo "diff $name: differences after apply" >&2
		exit 1
	fi
done
"$k8smig" history --applyset layering-detection -n layering-detection-dev
