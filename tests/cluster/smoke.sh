#!/usr/bin/env bash
# smoke.sh DIR: checks a running harness (start.sh DIR [...]) with kubectl.
# With a controller manager (-kcm; detected by the default ServiceAccount,
# or forced with K8SMIG_SMOKE_KCM=0/1) it also waits for a real rollout,
# Service endpoints and a Job, scales down and deletes the namespace.
# Exits non-zero on the first failure.
# kubectl is the harness' own ("harness kubectl", same version as the
# server) unless KUBECTL names another, e.g. KUBECTL=kubectl.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ $# -ne 1 ]; then
	echo "usage: $0 DIR" >&2
	exit 2
fi
export KUBECONFIG="$1/kubeconfig"
if [ -n "${KUBECTL:-}" ]; then
	kubectl=("$KUBECTL")
else
	# The very binary serving this DIR (even if its file was replaced since),
	# else the current build.
	bin="/proc/$(cat "$1/harness.pid" 2>/dev/null)/exe"
	[ -x "$bin" ] || bin="$("$here/build.sh")"
	kubectl=("$bin" kubectl)
fi
k() { "${kubectl[@]}" --request-timeout=30s "$@"; }

passed=0
ok() { passed=$((passed + 1)); echo "ok $passed - $*"; }
fail() {
	echo "FAIL - $*" >&2
	echo "smoke: $passed passed, 1 failed"
	exit 1
}

[ -f "$KUBECONFIG" ] || fail "no $KUBECONFIG (is the harness running?)"

k get ns >/dev/null || fail "kubectl get ns (token context)"
ok "token context: kubectl get ns"

if out="$(k --context viewer get pods 2>&1)"; then
	fail "viewer could list pods: $out"
fi
grep -q "Forbidden" <<<"$out" || fail "viewer: expected Forbidden, got: $out"
ok "viewer context: Forbidden ($out)"

k --context cert get ns >/dev/null || fail "kubectl --context cert get ns"
ok "cert context: kubectl get ns"

k --context rbac-admin get ns >/dev/null || fail "kubectl --context rbac-admin get ns"
ok "rbac-admin context: kubectl get ns"

kcm="${K8SMIG_SMOKE_KCM:-}"
if [ -z "$kcm" ]; then
	kcm=0
	k -n default get serviceaccount default >/dev/null 2>&1 && kcm=1
fi

ns="smoke-$$-$RANDOM"
k apply --server-side --field-manager=smoke -f - >/dev/null <<YAML || fail "server-side apply Namespace/Deployment/Service"
apiVersion: v1
kind: Namespace
metadata:
  name: $ns
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: $ns
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: $ns
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 80
YAML
k -n "$ns" get deploy/web svc/web >/dev/null || fail "get deploy/web svc/web"
ok "server-side apply of Namespace, Deployment and Service in $ns"

if [ "$kcm" = 1 ]; then
	k -n "$ns" rollout status deploy/web --timeout=60s || fail "rollout status deploy/web"
	ready="$(k -n "$ns" get deploy/web -o jsonpath='{.status.readyReplicas}')"
	[ "$ready" = 2 ] || fail "readyReplicas=$ready, want 2"
	ok "rollout complete: deploy/web has 2 ready replicas"

	for _ in $(seq 1 50); do
		eps="$(k -n "$ns" get endpointslices -l kubernetes.io/service-name=web -o jsonpath='{.items[*].endpoints[*].addresses[0]}')"
		[ "$(wc -w <<<"$eps")" = 2 ] && break
		sleep 0.2
	done
	[ "$(wc -w <<<"$eps")" = 2 ] || fail "service web: endpoints '$eps', want 2"
	ok "service web has 2 endpoints ($eps)"

	k -n "$ns" create job once --image=busybox -- true >/dev/null || fail "create job"
	k -n "$ns" wait --for=condition=Complete job/once --timeout=60s >/dev/null || fail "job once did not complete"
	ok "job completed"

	k -n "$ns" scale deploy/web --replicas=1 >/dev/null || fail "scale to 1"
	for _ in $(seq 1 100); do
		n="$(k -n "$ns" get pods -l app=web --no-headers 2>/dev/null | wc -l)"
		[ "$n" = 1 ] && break
		sleep 0.2
	done
	[ "$n" = 1 ] || fail "after scale to 1: $n pods"
	k -n "$ns" rollout status deploy/web --timeout=60s >/dev/null || fail "rollout status after scale-down"
	ok "scale-down to 1 replica: 1 pod left"
else
	echo "# no controller manager: rollout checks skipped"
fi

for crd in externalsecrets.external-secrets.io secretstores.external-secrets.io clustersecretstores.external-secrets.io \
	certificates.cert-manager.io issuers.cert-manager.io clusterissuers.cert-manager.io \
	prometheusrules.monitoring.coreos.com ingressclassparams.elbv2.k8s.aws targetgroupbindings.elbv2.k8s.aws; do
	k wait --for=condition=Established "crd/$crd" --timeout=30s >/dev/null || fail "CRD $crd not Established"
done
ok "9 CRDs Established"

k apply --server-side --field-manager=smoke -f - >/dev/null <<YAML || fail "server-side apply ExternalSecret"
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: db
  namespace: $ns
spec:
  refreshInterval: 1h
  secretStoreRef:
    kind: ClusterSecretStore
    name: aws
  target:
    name: db
  data:
  - secretKey: password
    remoteRef:
      key: prod/db
      property: password
YAML
v1beta1="$(k -n "$ns" get externalsecrets.v1beta1.external-secrets.io db -o jsonpath='{.apiVersion} {.spec.data[0].remoteRef.key}')"
[ "$v1beta1" = "external-secrets.io/v1beta1 prod/db" ] || fail "ExternalSecret via v1beta1: got '$v1beta1'"
ok "ExternalSecret applied as v1, read back as v1beta1"

if [ "$kcm" = 1 ]; then
	k delete ns "$ns" --wait=true --timeout=60s >/dev/null || fail "namespace $ns deletion did not finish"
	ok "namespace $ns deleted"
else
	# No namespace controller: the namespace would stay Terminating.
	k delete ns "$ns" --wait=false >/dev/null || fail "delete namespace $ns"
fi
echo "smoke: $passed passed, 0 failed"
