"""The AWS half of the generated tree against recorded upstream facts (tests/fixtures/aws, docs/aws.md).

Each fixture holds what an upstream project publishes at a named release: the IAM statements of
the controllers, the chart versions, the Container Insights metrics with their dimension sets and
the conditions under which the agent emits them. These tests read the generated tree and check
it against those facts, never against the generator's own output:

- every IAM permission policy of a controller has exactly the upstream statements (actions,
  conditions; resources no wider than upstream's);
- every IRSA trust policy trusts one ServiceAccount of one namespace;
- each environment reads its own secrets, with its own role, and logs into its own log groups;
- every alarm's metric and dimensions are ones Container Insights emits, and the emission
  conditions hold for the pods the tree deploys;
- every install step pins its chart (or add-on) version, the one of the fixture;
- the PrometheusRule exists only when the spec asks for it; metrics-server is a checked
  prerequisite (the preflight runs against the real test cluster when K8SMIG_TEST_KUBECONFIG is set).
"""
import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile

import pytest
import yaml

import test_generate as tg

HERE = pathlib.Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures" / "aws"
APP = "layering-detection"
ACCOUNT = "123456789012"
REGION = "us-east-1"
CLUSTER = "layering-detection"
OIDC = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
ADDON_NS = "amazon-cloudwatch"


def fixture(name):
    return json.loads((FIXTURES / f"{name}.json").read_text())


def load_json(path):
    return json.loads(pathlib.Path(path).read_text())


def statements(policy):
    """A policy's statements in the fixtures' form, order-free."""
    out = []
    for s in policy["Statement"]:
        a = s["Action"]
        r = s["Resource"]
        d = {"effect": s["Effect"], "actions": sorted([a] if isinstance(a, str) else a),
             "resources": sorted([r] if isinstance(r, str) else r)}
        if "Condition" in s:
            d["condition"] = s["Condition"]
        out.append(d)
    return sorted(out, key=lambda d: json.dumps(d, sort_keys=True))


def default_spec():
    r = tg.run("generate", "--print-spec")
    assert r.returncode == 0, r.stderr
    return yaml.safe_load(r.stdout)


def generate_spec(tmp_path, spec):
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    out = tmp_path / "out"
    tg.generate(out, "--spec", str(path))
    return out


@pytest.fixture(scope="module")
def tree():
    d = pathlib.Path(tempfile.mkdtemp(prefix="k8smig-aws-"))
    try:
        tg.generate(d / "out")
        yield d / "out"
    finally:
        shutil.rmtree(d)


@pytest.fixture(scope="module")
def spec():
    return default_spec()


@pytest.fixture(scope="module")
def built(tree, spec):
    """Every overlay built with kubectl kustomize: env -> documents."""
    return {env: [d for d in yaml.safe_load_all(tg.kustomize(tree / "k8s/overlays" / env)) if d]
            for env in spec["environments"]}


def irsa_subject(trust):
    """The one ServiceAccount a trust policy lets assume the role."""
    assert len(trust["Statement"]) == 1
    st = trust["Statement"][0]
    assert st["Principal"]["Federated"] == f"arn:aws:iam::{ACCOUNT}:oidc-provider/{OIDC}"
    assert st["Action"] == "sts:AssumeRoleWithWebIdentity"
    cond = st["Condition"]
    assert set(cond) == {"StringEquals"}, "a StringLike subject would match more than one ServiceAccount"
    assert cond["StringEquals"][f"{OIDC}:aud"] == "sts.amazonaws.com"
    sub = cond["StringEquals"][f"{OIDC}:sub"]
    assert isinstance(sub, str), f"more than one subject: {sub}"
    return sub


def role_of(doc):
    arn = doc["metadata"]["annotations"]["eks.amazonaws.com/role-arn"]
    prefix = f"arn:aws:iam::{ACCOUNT}:role/"
    assert arn.startswith(prefix)
    return arn[len(prefix):]


# ---- IAM: upstream statements ----

@pytest.mark.parametrize("component,role", [("aws-load-balancer-controller", "aws-load-balancer-controller"),
                                            ("aws-efs-csi-driver", "efs-csi-driver")])
def test_controller_policy_is_the_upstream_one(tree, component, role):
    fx = fixture(component)
    got = load_json(tree / f"aws/iam/{APP}-{role}-policy.json")
    assert got["Version"] == "2012-10-17"
    assert statements(got) == sorted(fx["statements"], key=lambda d: json.dumps(d, sort_keys=True))
    sa = fx["serviceAccount"]
    trust = load_json(tree / f"aws/iam/{APP}-{role}-trust-policy.json")
    assert irsa_subject(trust) == f"system:serviceaccount:{sa['namespace']}:{sa['name']}"


def test_load_balancer_policy_has_listener_attributes_and_tag_conditions(tree):
    """The two failures the issue names, checked directly."""
    got = load_json(tree / f"aws/iam/{APP}-aws-load-balancer-controller-policy.json")
    actions = {a for s in statements(got) for a in s["actions"]}
    assert {"elasticloadbalancing:DescribeListenerAttributes", "elasticloadbalancing:ModifyListenerAttributes"} <= actions
    for s in statements(got):
        for a in ("ec2:DeleteSecurityGroup", "elasticloadbalancing:DeleteLoadBalancer", "ec2:DeleteTags",
                  "elasticloadbalancing:DeleteTargetGroup"):
            if a in s["actions"]:
                assert "condition" in s, f"{a} without a tag condition"


def test_fluent_bit_policy_has_the_upstream_actions_on_the_environment_groups_only(tree, spec):
    fx = fixture("fluent-bit-cloudwatch-logs")
    got = statements(load_json(tree / f"aws/iam/{APP}-fluent-bit-policy.json"))
    assert len(got) == 1
    assert got[0]["actions"] == fx["statements"][0]["actions"]
    assert "*" not in got[0]["resources"]
    prefixes = sorted(f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/eks/{APP}/{env}/" for env in spec["environments"])
    for r in got[0]["resources"]:
        assert any(r.startswith(p) for p in prefixes), r
    for p in prefixes:
        assert p + "*" in got[0]["resources"] and p + "*:log-stream:*" in got[0]["resources"]


def test_cloudwatch_agent_uses_the_managed_policy_of_the_add_on(tree):
    addon = fixture("amazon-cloudwatch-observability")
    sa = addon["iam"]["serviceAccount"]
    trust = load_json(tree / f"aws/iam/{APP}-cloudwatch-agent-trust-policy.json")
    assert irsa_subject(trust) == f"system:serviceaccount:{sa['namespace']}:{sa['name']}"
    # the managed policy is attached, not copied (AWS keeps it current)
    assert not (tree / f"aws/iam/{APP}-cloudwatch-agent-policy.json").exists()
    doc = (tree / "k8s/monitoring/fluent-bit-install.md").read_text()
    assert f"--policy-arn {addon['iam']['managedPolicy']}" in doc
    assert fixture("cloudwatch-agent-server-policy")["upstream"]["arn"] == addon["iam"]["managedPolicy"]


def test_services_get_no_ecr_role_and_the_documents_say_the_node_role_pulls(tree, built):
    """The kubelet pulls images with the node role; a pod's IRSA role is never used for it."""
    for f in (tree / "aws/iam").iterdir():
        for s in load_json(f)["Statement"]:
            actions = s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
            if "github-actions" not in f.name:
                assert not [a for a in actions if a.startswith("ecr:")], f
    irsa = (tree / "k8s/base/irsa-setup.md").read_text()
    assert "node role" in irsa and "AmazonEC2ContainerRegistryReadOnly" in irsa
    assert f"pulls {APP}-" not in irsa
    for env, docs in built.items():
        for d in docs:
            if d["kind"] == "ServiceAccount" and d["metadata"]["name"] in [s["name"] for s in default_spec()["services"]]:
                assert "eks.amazonaws.com/role-arn" not in d["metadata"].get("annotations", {}), (env, d)


def test_every_trust_policy_trusts_one_service_account_of_one_namespace(tree):
    n = 0
    for f in sorted((tree / "aws/iam").glob("*-trust-policy.json")):
        if "github-actions" in f.name:
            continue
        sub = irsa_subject(load_json(f))
        assert re.fullmatch(r"system:serviceaccount:[a-z0-9-]+:[a-z0-9-]+", sub), (f, sub)
        n += 1
    assert n >= 6


# ---- isolation between environments ----

def test_each_environment_reads_its_own_secrets_with_its_own_role(tree, spec, built):
    fx = fixture("external-secrets")
    by_name = fx["statements"]["secretsManagerByName"]["actions"]
    seen = {}
    for env, docs in built.items():
        ns = spec["environments"][env]["namespace"]
        keys = set()
        for d in docs:
            if d["kind"] == "ExternalSecret":
                assert d["metadata"]["namespace"] == ns
                keys |= {x["remoteRef"]["key"] for x in d["spec"]["data"]}
        assert keys, env
        sas = [d for d in docs if d["kind"] == "ServiceAccount" and d["metadata"]["name"] == "external-secrets"]
        assert len(sas) == 1, env
        role = role_of(sas[0])
        assert role == f"{APP}-{env}-external-secrets"
        assert irsa_subject(load_json(tree / f"aws/iam/{role}-trust-policy.json")) == \
            f"system:serviceaccount:{ns}:external-secrets"
        got = statements(load_json(tree / f"aws/iam/{role}-policy.json"))
        assert len(got) == 1 and got[0]["actions"] == by_name
        assert got[0]["resources"] == sorted(
            f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{k}-??????" for k in keys)
        seen[env] = keys
    envs = list(seen)
    for i, a in enumerate(envs):
        for b in envs[i + 1:]:
            assert not seen[a] & seen[b], f"{a} and {b} share {seen[a] & seen[b]}"
    # the salt stays in prod: no other environment's role can read prod's entry
    prod_salt = [k for k in seen["prod"] if "salt" in k]
    assert prod_salt
    for env in envs:
        if env != "prod":
            pol = (tree / f"aws/iam/{APP}-{env}-external-secrets-policy.json").read_text()
            assert prod_salt[0] + "-" not in pol


def fluent_bit_sections(text):
    sections, cur = [], None
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        m = re.fullmatch(r"\[([A-Z]+)\]", s)
        if m:
            cur = (m.group(1), {})
            sections.append(cur)
        elif cur:
            k, _, v = s.partition(" ")
            cur[1][k.lower()] = v.strip()
    return sections


def test_each_environment_logs_into_its_own_groups_with_its_retention(tree, spec):
    docs = [d for d in yaml.safe_load_all(tg.kustomize(tree / "k8s/monitoring")) if d]
    cm = [d for d in docs if d["kind"] == "ConfigMap" and "fluent-bit.conf" in d.get("data", {})]
    assert len(cm) == 1
    sections = fluent_bit_sections(cm[0]["data"]["fluent-bit.conf"])
    inputs = [s for n, s in sections if n == "INPUT"]
    outputs = [s for n, s in sections if n == "OUTPUT"]
    retention_default = spec["logging"]["retentionDays"]
    allowed = set(fixture("fluent-bit-cloudwatch-logs")["options"]["log_retention_days"])
    assert len(outputs) == len(spec["environments"])
    for env, e in spec["environments"].items():
        ns = e["namespace"]
        mine = [i for i in inputs if f"_{ns}_" in i["path"]]
        assert len(mine) == 1, env
        assert mine[0]["path"] == f"/var/log/containers/*_{ns}_*.log"
        tag = mine[0]["tag"]
        out = [o for o in outputs if o["match"] == tag]
        assert len(out) == 1, env
        group = f"/eks/{APP}/{env}/"
        assert out[0]["log_group_template"].startswith(group)
        assert out[0]["log_group_name"].startswith(group)
        want = e.get("logging", {}).get("retentionDays", retention_default)
        assert int(out[0]["log_retention_days"]) == want and want in allowed
        # no other output takes this environment's records
        for o in outputs:
            if o is not out[0]:
                assert not re.fullmatch(o["match"].replace(".", r"\.").replace("*", ".*"), tag.replace("*", "x"))


# ---- Container Insights and the alarms ----

def alarm_metrics(alarm):
    if "MetricName" in alarm:
        return [{"Namespace": alarm["Namespace"], "MetricName": alarm["MetricName"],
                 "Dimensions": alarm["Dimensions"]}]
    return [q["MetricStat"]["Metric"] for q in alarm["Metrics"] if "MetricStat" in q]


def test_container_insights_is_the_add_on_with_a_pinned_version(tree, spec):
    addon = fixture("amazon-cloudwatch-observability")
    doc = (tree / "k8s/monitoring/fluent-bit-install.md").read_text()
    steps = install_steps(doc, "aws eks create-addon")
    assert len(steps) == 1, "one create-addon step"
    step = steps[0]
    assert "--addon-name amazon-cloudwatch-observability" in step
    assert f"--addon-version {addon['addonVersion']['assumed']}" in step
    assert f"--service-account-role-arn arn:aws:iam::{ACCOUNT}:role/{APP}-cloudwatch-agent" in step
    assert '"containerLogs":{"enabled":false}' in step.replace(" ", "")
    assert spec["versions"]["cloudwatchObservability"] == addon["addonVersion"]["assumed"]


def test_nothing_is_generated_into_the_add_on_namespace_or_its_names(tree):
    addon = fixture("amazon-cloudwatch-observability")
    cluster_names = {n for names in addon["clusterObjects"].values() for n in names}
    n = 0
    for f in sorted((tree / "k8s").rglob("*.yaml")):
        for d in yaml.safe_load_all(f.read_text()):
            if not d or "metadata" not in d:
                continue
            n += 1
            assert d["metadata"].get("namespace") != ADDON_NS, f
            assert not (d["kind"] == "Namespace" and d["metadata"]["name"] == ADDON_NS), f
            if d["kind"] in addon["clusterObjects"]:
                assert d["metadata"]["name"] not in cluster_names, f
            if d["kind"] == "ClusterRole":
                assert d["metadata"]["name"].startswith(APP), f"cluster-wide name without the system's prefix: {f}"
    assert n > 30


def on_fargate(tree):
    """(namespace, Deployment) pairs whose pods a Fargate profile of the tree selects (all of a selector's labels
    on the pod template, namespace and labels with EKS's * and ? wildcards)."""
    import fnmatch
    out = set()
    profiles = [load_json(f) for f in sorted((tree / "aws/fargate").glob("*-profile.json"))] \
        if (tree / "aws/fargate").exists() else []
    for f in sorted((tree / "k8s/overlays").iterdir()):
        for d in yaml.safe_load_all(tg.kustomize(f)):
            if not d or d["kind"] != "Deployment":
                continue
            ns, labels = d["metadata"]["namespace"], d["spec"]["template"]["metadata"]["labels"]
            for prof in profiles:
                for sel in prof["selectors"]:
                    if fnmatch.fnmatchcase(ns, sel["namespace"]) and all(
                            any(fnmatch.fnmatchcase(k, sk) and fnmatch.fnmatchcase(v, sv) for k, v in labels.items())
                            for sk, sv in sel.get("labels", {}).items()):
                        out.add((ns, d["metadata"]["name"]))
    return out


def test_every_alarm_is_on_a_metric_container_insights_emits_for_these_pods(tree, spec, built):
    check_alarms_against_the_metric_fixture(tree, spec, built)


def check_alarms_against_the_metric_fixture(tree, spec, built):
    fargate = on_fargate(tree)
    ci = fixture("container-insights-metrics")
    addon = fixture("amazon-cloudwatch-observability")
    mode = "enhanced" if addon["enhancedByDefault"] else "classic"
    alarms = load_json(tree / "aws/cloudwatch-alarms.json")["alarms"]
    assert alarms
    ns_env = {e["namespace"]: env for env, e in spec["environments"].items()}
    for alarm in alarms:
        for m in alarm_metrics(alarm):
            assert m["Namespace"] == ci["namespace"]
            facts = ci["metrics"].get(m["MetricName"])
            assert facts, f"{alarm['AlarmName']}: {m['MetricName']} is not a Container Insights metric"
            dims = {d["Name"]: d["Value"] for d in m["Dimensions"]}
            assert sorted(dims) in [sorted(s) for s in facts["dimensions"].get(mode, [])], \
                f"{alarm['AlarmName']}: {m['MetricName']} is not published with {sorted(dims)}"
            assert dims["ClusterName"] == CLUSTER
            docs = built[ns_env[dims["Namespace"]]]
            deployments = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Deployment"}
            services = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Service"}
            if "PodName" in dims:  # a Deployment's pods carry the Deployment's name
                assert dims["PodName"] in deployments, alarm["AlarmName"]
                pods = [deployments[dims["PodName"]]]
            if "Service" in dims:
                assert dims["Service"] in services, alarm["AlarmName"]
                sel = services[dims["Service"]]["spec"]["selector"]
                pods = [d for d in deployments.values()
                        if sel.items() <= d["spec"]["template"]["metadata"]["labels"].items()]
                assert pods, f"{alarm['AlarmName']}: Service {dims['Service']} selects no pods"
            for req in facts["requires"]:
                containers = [c for p in pods for c in p["spec"]["template"]["spec"]["containers"]]
                res = [c.get("resources", {}) for c in containers]
                if req == "cpu-limit-on-every-container":
                    assert all("cpu" in r.get("limits", {}) for r in res), (alarm["AlarmName"], req)
                elif req == "memory-limit-on-every-container":
                    assert all("memory" in r.get("limits", {}) for r in res), (alarm["AlarmName"], req)
                elif req == "cpu-request":
                    assert any(r.get("requests", {}).get("cpu") not in (None, "0") for r in res), req
                elif req == "memory-request":
                    assert any(r.get("requests", {}).get("memory") not in (None, "0") for r in res), req
                elif req == "enhanced":
                    assert mode == "enhanced"
                elif req == "leader":  # the add-on's agent has the leader-election Role
                    assert {"coordination.k8s.io"} <= {g for r in addon["agentRbac"]["role"] for g in r["apiGroups"]}
                    test_container_insights_is_the_add_on_with_a_pinned_version(tree, spec)
                elif req == "kubernetes-service":
                    assert "Service" in dims
                elif req == "node-agent":  # the add-on's DaemonSet computes it on the pod's node: none on Fargate
                    for p in pods:
                        assert (dims["Namespace"], p["metadata"]["name"]) not in fargate, \
                            f"{alarm['AlarmName']}: {m['MetricName']} is never emitted for Fargate pods"
                else:
                    pytest.fail(f"unknown condition {req}")


def test_alarms_are_the_ecs_alarms(tree, spec):
    """CPU 80 % of the request, memory 85 % of the limit, fewer than 1 running pod; per service and environment."""
    alarms = load_json(tree / "aws/cloudwatch-alarms.json")["alarms"]
    topic = spec["alarms"]["snsTopicArn"]
    envs = [env for env, e in spec["environments"].items() if e.get("alarms", True)]
    assert len(alarms) == 3 * len(envs) * len(spec["services"])
    for env in envs:
        ns = spec["environments"][env]["namespace"]
        for svc in spec["services"]:
            name = svc["name"]
            mine = {a["AlarmName"]: a for a in alarms if a["AlarmName"].startswith(f"{ns}-{name}-")
                    and a["AlarmName"][len(f"{ns}-{name}-"):] in ("high-cpu", "high-memory", "low-pods")}
            assert set(mine) == {f"{ns}-{name}-{w}" for w in ("high-cpu", "high-memory", "low-pods")}
            cpu = mine[f"{ns}-{name}-high-cpu"]
            ids = {q["Id"]: q for q in cpu["Metrics"]}
            expr = [q for q in cpu["Metrics"] if "Expression" in q]
            assert len(expr) == 1 and expr[0]["ReturnData"] is True
            usage = [i for i, q in ids.items() if q.get("MetricStat", {}).get("Metric", {}).get("MetricName") == "pod_cpu_usage_total"]
            request = [i for i, q in ids.items() if q.get("MetricStat", {}).get("Metric", {}).get("MetricName") == "pod_cpu_request"]
            assert len(usage) == 1 and len(request) == 1
            assert expr[0]["Expression"].replace(" ", "") == f"100*{usage[0]}/{request[0]}"
            assert cpu["Threshold"] == spec["alarms"]["cpuPercent"] == 80
            assert cpu["ComparisonOperator"] == "GreaterThanThreshold"
            mem = mine[f"{ns}-{name}-high-memory"]
            assert mem["MetricName"] == "pod_memory_utilization_over_pod_limit"
            assert mem["Threshold"] == spec["alarms"]["memoryPercent"] == 85
            pods = mine[f"{ns}-{name}-low-pods"]
            assert pods["MetricName"] == "service_number_of_running_pods"
            assert pods["Threshold"] == spec["alarms"]["minPods"] == 1
            assert pods["ComparisonOperator"] == "LessThanThreshold"
            assert pods["TreatMissingData"] == "breaching"
            for a in mine.values():
                assert a["AlarmActions"] == [topic] and a["EvaluationPeriods"] >= 1


def test_pods_keep_no_cpu_limit(built):
    """Deliberate: ECS never throttled these tasks at their CPU units; the CPU alarm works without a limit."""
    for env, docs in built.items():
        for d in docs:
            if d["kind"] == "Deployment":
                for c in d["spec"]["template"]["spec"]["containers"]:
                    assert "cpu" not in c["resources"].get("limits", {}), (env, d["metadata"]["name"])
                    assert c["resources"]["limits"]["memory"] == c["resources"]["requests"]["memory"]


# ---- optional parts, prerequisites, pinned versions ----

def test_prometheus_rule_only_when_the_spec_asks(tree, tmp_path):
    text = tg.kustomize(tree / "k8s/monitoring")
    assert "PrometheusRule" not in text
    assert not (tree / "k8s/monitoring/alerts.yaml").exists()
    spec = default_spec()
    spec.setdefault("monitoring", {})["prometheusRules"] = True
    out = generate_spec(tmp_path, spec)
    docs = [d for d in yaml.safe_load_all(tg.kustomize(out / "k8s/monitoring")) if d]
    rules = [d for d in docs if d["kind"] == "PrometheusRule"]
    assert len(rules) == 1 and rules[0]["apiVersion"] == "monitoring.coreos.com/v1"
    assert rules[0]["metadata"]["namespace"] != ADDON_NS


HELM_CHARTS = {  # chart reference -> fixture
    "eks/aws-load-balancer-controller": "aws-load-balancer-controller",
    "external-secrets/external-secrets": "external-secrets",
    "aws-efs-csi-driver/aws-efs-csi-driver": "aws-efs-csi-driver",
    "metrics-server/metrics-server": "metrics-server",
}


def install_steps(text, command):
    """Whole shell commands (backslash continuations joined) that start with command."""
    joined = re.sub(r"\\\n\s*", " ", text)
    return [line.strip() for line in joined.splitlines() if line.strip().startswith(command)]


def test_every_helm_install_pins_the_upstream_chart_version(tree, spec):
    seen = set()
    for f in sorted(tree.rglob("*")):
        if f.suffix not in (".md", ".sh", ".yml") or not f.is_file():
            continue
        text = f.read_text()
        assert "helm install " not in text, f"{f}: use helm upgrade --install"
        for step in install_steps(text, "helm upgrade --install"):
            chart = step.split()[4]
            assert chart in HELM_CHARTS, f"{f}: unknown chart in {step}"
            want = fixture(HELM_CHARTS[chart])["chart"]["version"]
            assert f"--version {want}" in step, f"{f}: {step}"
            seen.add(chart)
    assert seen == set(HELM_CHARTS)
    assert spec["versions"] == {
        "awsLoadBalancerController": fixture("aws-load-balancer-controller")["chart"]["version"],
        "externalSecrets": fixture("external-secrets")["chart"]["version"],
        "awsEfsCsiDriver": fixture("aws-efs-csi-driver")["chart"]["version"],
        "metricsServer": fixture("metrics-server")["chart"]["version"],
        "cloudwatchObservability": fixture("amazon-cloudwatch-observability")["addonVersion"]["assumed"],
    }


def test_a_version_changed_in_the_spec_changes_every_install_step(tmp_path):
    spec = default_spec()
    spec["versions"]["awsLoadBalancerController"] = "3.4.3"
    out = generate_spec(tmp_path, spec)
    doc = (out / "k8s/ingress/aws-load-balancer-controller-install.md").read_text()
    steps = install_steps(doc, "helm upgrade --install aws-load-balancer-controller")
    assert steps and all("--version 3.4.3" in s for s in steps)


def test_preflight_checks_metrics_server(tree):
    pre = tree / "k8s/preflight.sh"
    text = pre.read_text()
    assert subprocess.run(["bash", "-n", str(pre)], check=False).returncode == 0
    assert fixture("metrics-server")["apiService"] in text
    readme = (tree / "k8s/README.md").read_text()
    assert "preflight.sh" in readme and "metrics-server" in readme


@pytest.mark.skipif(not os.environ.get("K8SMIG_TEST_KUBECONFIG"), reason="needs the test cluster (K8SMIG_TEST_KUBECONFIG)")
def test_preflight_fails_on_a_cluster_without_metrics_server(tree):
    """The test cluster has no metrics-server: the preflight must stop and say so."""
    env = dict(os.environ, KUBECONFIG=os.environ["K8SMIG_TEST_KUBECONFIG"], K8SMIG_PREFLIGHT_SKIP_AWS="1")
    r = subprocess.run(["bash", str(tree / "k8s/preflight.sh")], capture_output=True, text=True, env=env,
                       check=False, timeout=120)
    assert r.returncode != 0
    assert "metrics-server" in r.stdout + r.stderr


# ---- the spec fields behind all this: errors name file, line and path ----

BAD_SPECS = {
    # name: (edit of the bundled spec, expected path, expected message part)
    "shared-secret": (("        key: layering-detection/${environment}/api-key\n",
                       "        key: layering-detection/api-key\n"),
                      "services[0].secrets[0].key", "the same for environments dev and staging"),
    "keys-of-no-environment": (("        keys: {prod: layering-detection/api-key}\n",
                                "        keys: {qa: layering-detection/api-key}\n"),
                               "services[0].secrets[0].keys", "not an environment"),
    "log-groups-shared": (("  logGroupPattern: /eks/${app}/${environment}/${service}\n",
                           "  logGroupPattern: /eks/${app}/${service}\n"),
                          "logging.logGroupPattern", "must contain ${environment}"),
    "add-on-namespace": (("  namespace: layering-detection-monitoring\n", "  namespace: amazon-cloudwatch\n"),
                         "monitoring.namespace", "belongs to the amazon-cloudwatch-observability add-on"),
    "add-on-version": (("  cloudwatchObservability: v6.4.0-eksbuild.1", "  cloudwatchObservability: 6.4.0"),
                       "versions.cloudwatchObservability", "EKS add-on version"),
    "chart-version": (("  metricsServer: 3.13.1", "  metricsServer: \"3.13 .1\""),
                      "versions.metricsServer", "not a chart or add-on version"),
    "unknown-version": (("  metricsServer: 3.13.1", "  metricServer: 3.13.1"), "versions.metricServer", "unknown field"),
    "cutover-vpc": (("  vpcId: vpc-0a1b2c3d4e5f60718\n", "  vpcId: vpc-xyz\n"), "cutover.vpcId", "must be vpc-"),
    "cutover-listener": (("  listenerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/",
                          "  listenerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/"),
                         "cutover.listenerArn", "Application Load Balancer listener"),
}


@pytest.mark.parametrize("case", sorted(BAD_SPECS))
def test_bad_aws_fields_fail_with_file_line_and_path(case, tmp_path):
    (old, new), path, message = BAD_SPECS[case]
    text = tg.spec_text()
    assert text.count(old) == 1, case
    bad = tmp_path / f"{case}.yaml"
    bad.write_text(text.replace(old, new, 1))
    line = text[:text.index(old)].count("\n") + 1
    r = tg.run("generate", "--spec", str(bad), "-o", str(tmp_path / "out"))
    assert r.returncode == 1
    err = r.stderr.strip()
    assert err.startswith(f"{bad}:{line}:"), err
    assert f"(at {path})" in err and message in err, err
    assert not (tmp_path / "out").exists()


def test_per_environment_retention_and_secret_template(tmp_path):
    spec = default_spec()
    spec["environments"]["prod"]["logging"] = {"retentionDays": 30}
    out = generate_spec(tmp_path, spec)
    conf = yaml.safe_load((out / "k8s/monitoring/fluent-bit-config.yaml").read_text())["data"]["fluent-bit.conf"]
    outputs = {o["match"]: o for n, o in fluent_bit_sections(conf) if n == "OUTPUT"}
    assert outputs["prod.*"]["log_retention_days"] == "30"
    assert outputs["dev.*"]["log_retention_days"] == "7"
    dev = [d for d in yaml.safe_load_all((out / "k8s/overlays/dev/external-secrets.yaml").read_text())
           if d["kind"] == "ExternalSecret"]
    assert {d["spec"]["data"][0]["remoteRef"]["key"] for d in dev} == {
        "layering-detection/dev/api-key", "layering-detection/dev/pseudonymization-salt"}


# ---- load test (task 7.2) ----

def test_load_test_is_valid_k6_javascript_on_the_spec_routes(tree, spec, tmp_path):
    script = tree / "k8s/tests/load-test.js"
    text = script.read_text()
    # k6 scripts are ES modules: node can check the syntax without k6's modules
    copy = tmp_path / "load-test.mjs"
    copy.write_text(text)
    r = subprocess.run(["node", "--check", str(copy)], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr
    entry = [s for s in spec["services"] if s.get("ingress")][0]
    assert f"{{ method: 'GET', path: '{entry['health']['path']}', service: '{entry['name']}' }}" in text
    assert f"{{ method: 'POST', path: '{entry['ingress'][0]['path']}', service: '{entry['name']}' }}" in text
    assert "executor: 'ramping-vus'" in text and "http_req_failed: ['rate<0.01']" in text
    # every step is held longer than the HPA's scale-up window
    window = entry["scaling"]["scaleUpStabilizationSeconds"]
    holds = [int(m) * 60 for m in re.findall(r"\{ duration: '(\d+)m', target: [1-9]\d* \}", text)]
    assert holds and max(holds) > window
    e2e = (tree / "k8s/tests/e2e-test.md").read_text()
    assert "k6 run --summary-export=eks.json" in e2e and "k6 run --summary-export=ecs.json" in e2e


# ---- cutover: ECS and EKS behind the ECS ALB, by weight ----

def test_cutover_binds_the_prod_pods_into_the_ecs_alb(tree, spec, built):
    cut = spec["cutover"]
    docs = [d for d in yaml.safe_load_all(tg.kustomize(tree / "k8s/cutover")) if d]
    assert [d["kind"] for d in docs] == ["TargetGroupBinding"]
    tgb = docs[0]
    prod = spec["environments"]["prod"]["namespace"]
    entry = [s for s in spec["services"] if s.get("ingress")][0]
    assert tgb["apiVersion"] == "elbv2.k8s.aws/v1beta1" and tgb["metadata"]["namespace"] == prod
    assert tgb["spec"]["serviceRef"] == {"name": entry["name"], "port": entry["port"]}
    assert tgb["spec"]["targetGroupName"] == f"{APP}-eks" and tgb["spec"]["targetType"] == "ip"
    ingress = tgb["spec"]["networking"]["ingress"][0]
    assert ingress["from"] == [{"securityGroup": {"groupID": cut["albSecurityGroupId"]}}]
    assert ingress["ports"] == [{"protocol": "TCP", "port": entry["port"]}]
    # the Service it names exists in prod with that port
    svc = [d for d in built["prod"] if d["kind"] == "Service" and d["metadata"]["name"] == entry["name"]][0]
    assert entry["port"] in [p["port"] for p in svc["spec"]["ports"]]
    runbook = (tree / "k8s/cutover/CUTOVER.md").read_text()
    for w in (10, 25, 50, 100):
        assert f"`bash k8s/cutover/cutover.sh weight {w}` | {w}% |" in runbook
    for watch in ("HTTPCode_Target_5XX_Count", "TargetResponseTime", "cutover.sh back", "EFS", "Logs Insights"):
        assert watch in runbook


def test_cutover_script_checks_its_arguments_before_calling_aws(tree, tmp_path):
    script = tree / "k8s/cutover/cutover.sh"
    assert subprocess.run(["bash", "-n", str(script)], check=False).returncode == 0
    env = dict(os.environ, PATH=str(tmp_path))  # no aws, no kubectl: only argument checks may run
    for args in ([], ["weight"], ["weight", "101"], ["weight", "ten"], ["sideways"]):
        r = subprocess.run(["/bin/bash", str(script), *args], capture_output=True, text=True, env=env, check=False)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert r.stderr.startswith("usage: cutover.sh"), r.stderr
    text = script.read_text()
    spec = default_spec()["cutover"]
    assert f"LISTENER={spec['listenerArn']}" in text and f"ECS_TG={spec['ecsTargetGroupArn']}" in text
    assert '"Weight\\":$1},{\\"TargetGroupArn\\":\\"$(eks_tg)\\",\\"Weight\\":$2}' in text


def test_no_cutover_without_the_section(tmp_path):
    spec = default_spec()
    del spec["cutover"]
    out = generate_spec(tmp_path, spec)
    assert not (out / "k8s/cutover").exists()


@pytest.mark.skipif(not os.environ.get("K8SMIG_TEST_KUBECONFIG"), reason="needs the test cluster (K8SMIG_TEST_KUBECONFIG)")
def test_cutover_binding_is_accepted_by_the_api_server(tree):
    """Server-side dry run against the real API server with the load balancer controller's CRDs."""
    kubeconfig = os.environ["K8SMIG_TEST_KUBECONFIG"]
    text = tg.kustomize(tree / "k8s/cutover")
    ns = yaml.safe_load(text)["metadata"]["namespace"]
    subprocess.run(["kubectl", "--kubeconfig", kubeconfig, "create", "namespace", ns], capture_output=True, check=False)
    r = subprocess.run(["kubectl", "--kubeconfig", kubeconfig, "apply", "--server-side", "--dry-run=server", "-f", "-"],
                       input=text, capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr
    assert "targetgroupbinding.elbv2.k8s.aws/orchestrator-ecs-alb serverside-applied (server dry run)" in r.stdout


# ---- Fargate: services with fargate: true ----

FARGATE_SERVICES = ("orchestrator", "layering")  # one routed and mounting EFS, one neither


def fargate_spec():
    spec = default_spec()
    for svc in spec["services"]:
        if svc["name"] in FARGATE_SERVICES:
            svc["fargate"] = True
    for e in spec["environments"].values():  # EFS on Fargate: static volumes only
        e.setdefault("storage", {})["reuseExisting"] = True
    return spec


@pytest.fixture(scope="module")
def fargate_tree(tmp_path_factory):
    return generate_spec(tmp_path_factory.mktemp("fargate"), fargate_spec())


@pytest.fixture(scope="module")
def fargate_built(fargate_tree, spec):
    return {env: [d for d in yaml.safe_load_all(tg.kustomize(fargate_tree / "k8s/overlays" / env)) if d]
            for env in spec["environments"]}


def test_default_tree_has_nothing_of_fargate(tree):
    assert not (tree / "aws/fargate").exists()
    assert not list((tree / "aws/iam").glob("*fargate*"))
    assert "name: aws-observability" not in tg.kustomize(tree / "k8s/monitoring")


def test_fargate_documents_say_who_pulls_the_images(fargate_tree, tree):
    # no node on Fargate: the pod execution role pulls (its managed policy grants the ECR reads)
    irsa = (fargate_tree / "k8s/base/irsa-setup.md").read_text()
    assert "images of orchestrator, layering are pulled with each environment's **Fargate pod execution role**" in irsa
    assert "Fargate" not in (tree / "k8s/base/irsa-setup.md").read_text()
    readme = (fargate_tree / "k8s/README.md").read_text()
    for name in FARGATE_SERVICES:
        assert f"| `services/{name}/` | Deployment (on Fargate: `aws/fargate/`)" in readme
    assert "| `services/aggregator/` | Deployment, Service" in readme


def test_fargate_profiles_select_exactly_the_fargate_services_pods(fargate_tree, spec):
    fx = fixture("fargate")
    selected = on_fargate(fargate_tree)
    want = {(e["namespace"], name) for e in spec["environments"].values() for name in FARGATE_SERVICES}
    assert selected == want
    for env, e in spec["environments"].items():
        prof = load_json(fargate_tree / f"aws/fargate/{env}-profile.json")
        assert set(prof) <= set(fx["profile"]["cliInput"])
        assert prof["clusterName"] == CLUSTER and prof["fargateProfileName"] == f"{APP}-{env}"
        assert prof["podExecutionRoleArn"] == f"arn:aws:iam::{ACCOUNT}:role/{APP}-{env}-fargate-pod-execution"
        assert 1 <= len(prof["selectors"]) <= fx["profile"]["maxSelectors"]
        assert {s["namespace"] for s in prof["selectors"]} == {e["namespace"]}
        assert "subnets" not in prof  # private subnets are the cluster's: given on the command line (README)
    text = (fargate_tree / "aws/fargate/README.md").read_text()
    for env in spec["environments"]:
        assert f"--cli-input-json file://aws/fargate/{env}-profile.json" in text
        assert f"--role-name {APP}-{env}-fargate-pod-execution" in text
    assert f"--policy-arn {fx['podExecutionRole']['managedPolicy']}" in text and "--subnets" in text


def test_fargate_pod_execution_role_is_scoped_to_its_environment(fargate_tree, spec):
    import fnmatch
    fx = fixture("fargate")["podExecutionRole"]
    for env, e in spec["environments"].items():
        role = f"{APP}-{env}-fargate-pod-execution"
        trust = load_json(fargate_tree / f"aws/iam/{role}-trust-policy.json")
        assert len(trust["Statement"]) == 1
        st = trust["Statement"][0]
        assert st["Effect"] == "Allow" and st["Principal"] == {"Service": fx["principal"]} and st["Action"] == fx["action"]
        pattern = st["Condition"][fx["conditionOperator"]][fx["conditionKey"]]
        upstream = fx["sourceArn"].replace("<region>", REGION).replace("<account>", ACCOUNT).replace("<cluster>", CLUSTER)
        assert fnmatch.fnmatchcase(pattern, upstream), "no wider than the documented trust"
        for other in spec["environments"]:  # a profile ARN is .../fargateprofile/<cluster>/<profile>/<uuid>
            arn = f"arn:aws:eks:{REGION}:{ACCOUNT}:fargateprofile/{CLUSTER}/{APP}-{other}/0123abcd-0000"
            assert fnmatch.fnmatchcase(arn, pattern) == (other == env), (env, other)
        perm = load_json(fargate_tree / f"aws/iam/{role}-policy.json")
        (st,) = perm["Statement"]
        assert sorted(st["Action"]) == sorted(fx["logsActions"])
        prefix = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/eks/{APP}/{env}/"
        assert st["Resource"] and all(r.startswith(prefix) for r in st["Resource"]), st["Resource"]


def fluent_sections(text):
    """[SECTION] -> list of {key(lower): value}; checks the router's indentation rule on the way."""
    out, cur, indents = [], None, set()
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.lstrip().startswith("["):
            assert line == line.lstrip(), f"directive indented: {line!r}"
            cur = (line.strip(), {})
            out.append(cur)
        else:
            indents.add(len(line) - len(line.lstrip()))
            k, _, v = line.strip().partition(" ")
            cur[1][k.lower()] = v.strip()
    assert len(indents) <= 1 and 0 not in indents, "key-value pairs: one indentation, deeper than the directives"
    return out


def test_fargate_log_router_configuration(fargate_tree, spec):
    import fnmatch
    fx = fixture("fargate")["logRouter"]
    docs = [d for d in yaml.safe_load_all(tg.kustomize(fargate_tree / "k8s/monitoring")) if d]
    (ns,) = [d for d in docs if d["kind"] == "Namespace" and d["metadata"]["name"] == fx["namespace"]]
    assert fx["namespaceLabel"].items() <= ns["metadata"]["labels"].items()
    (cm,) = [d for d in docs if d["kind"] == "ConfigMap" and d["metadata"].get("namespace") == fx["namespace"]]
    assert cm["metadata"]["name"] == fx["configMap"]
    data = cm["data"]
    assert sum(len(k) + len(v) for k, v in data.items()) <= fx["maxChars"]
    assert set(data) <= set(fx["sectionKeys"].values()) | set(fx["otherKeys"])
    assert "${" not in "".join(data.values()), fx["noEnvironmentVariables"]
    outputs = []
    for key, text in data.items():
        if key in fx["otherKeys"]:
            continue
        for name, kv in fluent_sections(text):
            assert fx["sectionKeys"][name] == key, f"{name} under {key}"
            assert all(r in kv for r in fx["required"][name]), (name, kv)
            if name == "[FILTER]":
                assert kv["name"] in fx["filters"]
                assert not set(kv) & set(fx["serviceOwnedKubernetesKeys"])
            if name == "[OUTPUT]":
                assert kv["name"] in fx["outputs"]
                outputs.append(kv)
    parsers = [kv["name"] for name, kv in fluent_sections(data["parsers.conf"])]
    for name, kv in fluent_sections(data["filters.conf"]):
        if kv["name"] == "parser":
            assert kv["parser"] in parsers
    retention_default = spec["logging"]["retentionDays"]
    for env, e in spec["environments"].items():
        # the tail input's tag: kube. + the file path with / as . ; kubelet names the files <pod>_<namespace>_<container>-<id>.log
        tag = f"{fx['inputTag'][:-1]}var.log.containers.orchestrator-5d8f7c-x2k4q_{e['namespace']}_app-0123abcd.log"
        (out,) = [o for o in outputs if fnmatch.fnmatchcase(tag, o["match"])]
        assert out["name"] == "cloudwatch_logs" and out["region"] == REGION
        assert out["log_group_template"] == f"/eks/{APP}/{env}/$kubernetes['labels']['app.kubernetes.io/name']"
        assert out["log_group_name"].startswith(f"/eks/{APP}/{env}/")
        assert int(out["log_retention_days"]) == e.get("logging", {}).get("retentionDays", retention_default)
    # the same groups as the Fluent Bit DaemonSet writes for the EC2 pods
    conf = yaml.safe_load((fargate_tree / "k8s/monitoring/fluent-bit-config.yaml").read_text())["data"]["fluent-bit.conf"]
    for out in outputs:
        assert f"log_group_template  {out['log_group_template']}" in conf


def test_fargate_alarms_are_only_on_metrics_emitted_for_fargate_pods(fargate_tree, fargate_built, spec, tree):
    check_alarms_against_the_metric_fixture(fargate_tree, spec, fargate_built)
    alarms = {a["AlarmName"]: a for a in load_json(fargate_tree / "aws/cloudwatch-alarms.json")["alarms"]}
    before = {a["AlarmName"]: a for a in load_json(tree / "aws/cloudwatch-alarms.json")["alarms"]}
    for env, e in spec["environments"].items():
        for svc in spec["services"]:
            mine = {n for n in alarms if n.startswith(f"{e['namespace']}-{svc['name']}-")}
            if not e.get("alarms", True):
                assert not mine
            elif svc["name"] in FARGATE_SERVICES:
                assert mine == {f"{e['namespace']}-{svc['name']}-low-pods"}
            else:  # EC2 services keep their three alarms, unchanged
                assert len(mine) == 3 and all(alarms[n] == before[n] for n in mine)
    ci = fixture("container-insights-metrics")
    adot = ci["fargate"]["adot"]
    assert all("PodName" not in d or "LaunchType" in d for d in adot["dimensions"])
    assert "node-agent" not in ci["metrics"]["service_number_of_running_pods"]["requires"]
    widgets = load_json(fargate_tree / "aws/cloudwatch-dashboard.json")["widgets"]
    for w in widgets:
        for m in w["properties"]["metrics"]:
            if isinstance(m[0], str) and "node-agent" in ci["metrics"][m[1]]["requires"]:
                assert (m[5], m[7]) not in on_fargate(fargate_tree), w["properties"]["title"]


def test_fargate_routes_use_ip_targets_and_ec2_services_are_unchanged(fargate_built, built):
    for env, docs in fargate_built.items():
        ing = [d for d in docs if d["kind"] == "Ingress"]
        backends = {p["backend"]["service"]["name"] for i in ing for r in i["spec"]["rules"] for p in r["http"]["paths"]}
        if backends & set(FARGATE_SERVICES):
            for i in ing:
                assert i["metadata"]["annotations"]["alb.ingress.kubernetes.io/target-type"] == "ip"
            for d in docs:
                if d["kind"] == "Service" and d["metadata"]["name"] in backends:
                    assert d["metadata"].get("annotations", {}).get("alb.ingress.kubernetes.io/target-type", "ip") == "ip"
        # the workloads themselves are the same: the profile selects them by the labels they already carry
        key = lambda d: (d["kind"], d["metadata"]["name"])
        kinds = ("Deployment", "Service", "HorizontalPodAutoscaler", "Ingress", "ServiceAccount")
        assert {key(d): d for d in docs if d["kind"] in kinds} == {key(d): d for d in built[env] if d["kind"] in kinds}


def test_fargate_tree_validates_clean(fargate_tree, spec):
    # what the cluster holds: the admin layer (Namespaces, the StorageClass and PVs the claims name) and every overlay
    tg.validate("---\n".join([tg.kustomize(fargate_tree / "k8s/cluster")] +
                             [tg.kustomize(fargate_tree / "k8s/overlays" / env) for env in spec["environments"]]))
    tg.validate(tg.kustomize(fargate_tree / "k8s/monitoring"))


def test_fargate_service_mounting_efs_needs_static_volumes(tmp_path):
    spec = fargate_spec()
    spec["environments"]["dev"]["storage"]["reuseExisting"] = False
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    r = tg.run("generate", "--spec", str(path), "-o", str(tmp_path / "out"))
    assert r.returncode == 1
    assert "(at services[0].fargate)" in r.stderr and "environments.dev.storage.reuseExisting" in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()


def test_fargate_must_be_a_boolean(tmp_path):
    spec = default_spec()
    spec["services"][1]["fargate"] = "yes"
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    r = tg.run("generate", "--spec", str(path), "-o", str(tmp_path / "out"))
    assert r.returncode == 1 and "services[1].fargate" in r.stderr, r.stderr


def test_more_fargate_services_than_profile_selectors_fail(tmp_path):
    spec = fargate_spec()
    base = spec["services"][1]
    for i in range(4):
        spec["services"].append(dict(base, name=f"extra-{i}", image=f"extra-{i}", fargate=True))
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    r = tg.run("generate", "--spec", str(path), "-o", str(tmp_path / "out"))
    assert r.returncode == 1 and "at most 5 selectors" in r.stderr, r.stderr


def test_fargate_log_router_configuration_over_the_eks_limit_fails(tmp_path):
    import copy
    spec = fargate_spec()
    for i in range(12):
        e = copy.deepcopy(spec["environments"]["dev"])
        e["namespace"] = f"{APP}-e{i}"
        spec["environments"][f"e{i}"] = e
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    r = tg.run("generate", "--spec", str(path), "-o", str(tmp_path / "out"))
    assert r.returncode == 1, r.stderr
    assert f"more than the {fixture('fargate')['logRouter']['maxChars']} EKS accepts" in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not os.environ.get("K8SMIG_TEST_KUBECONFIG"), reason="needs the test cluster (K8SMIG_TEST_KUBECONFIG)")
def test_fargate_tree_is_accepted_by_the_api_server(fargate_tree):
    """Server-side dry run of k8s/monitoring (with the aws-observability objects), the admin layer and every overlay."""
    kubeconfig = os.environ["K8SMIG_TEST_KUBECONFIG"]

    def kubectl(*args, text=None):
        return subprocess.run(["kubectl", "--kubeconfig", kubeconfig, *args], input=text, capture_output=True,
                              text=True, check=False)
    monitoring = [d for d in yaml.safe_load_all(tg.kustomize(fargate_tree / "k8s/monitoring")) if d]
    overlays = [[d for d in yaml.safe_load_all(tg.kustomize(env)) if d]
                for env in sorted((fargate_tree / "k8s/overlays").iterdir())]
    # the admin layer: the environments' Namespaces and the CI group's Roles
    cluster = [d for d in yaml.safe_load_all(tg.kustomize(fargate_tree / "k8s/cluster")) if d]
    namespaces = {d["metadata"]["name"] for docs in [monitoring, cluster] for d in docs if d["kind"] == "Namespace"}
    assert "aws-observability" in namespaces and len(overlays) == 3
    # other suites use the system's namespaces on the same cluster: move everything but aws-observability (the
    # name EKS looks for) into namespaces of this test's own
    moved = {ns: f"k8smig-fg{os.getpid()}-{i}" for i, ns in enumerate(sorted(namespaces - {"aws-observability"}))}
    for d in (d for docs in [monitoring, cluster, *overlays] for d in docs):
        if d["kind"] == "Namespace":
            d["metadata"]["name"] = moved.get(d["metadata"]["name"], d["metadata"]["name"])
        elif d["metadata"].get("namespace") in moved:
            d["metadata"]["namespace"] = moved[d["metadata"]["namespace"]]
    created = [ns for ns in ["aws-observability", *moved.values()] if kubectl("create", "namespace", ns).returncode == 0]
    try:
        for docs in (monitoring, cluster, *overlays):
            # cluster-scoped StorageClass/PVs: their immutable fields may differ from what other suites left
            docs = [d for d in docs if d["kind"] not in ("StorageClass", "PersistentVolume")]
            # --force-conflicts: other suites may have applied the same monitoring objects (with other values)
            r = kubectl("apply", "--server-side", "--force-conflicts", "--dry-run=server", "-f", "-",
                        text=yaml.safe_dump_all(docs))
            assert r.returncode == 0, r.stderr
            assert r.stdout.count("serverside-applied (server dry run)") == len(docs), r.stdout
        assert "configmap/aws-logging serverside-applied (server dry run)" in kubectl(
            "apply", "--server-side", "--force-conflicts", "--dry-run=server", "-f", "-",
            text=yaml.safe_dump_all([d for d in monitoring if d["kind"] == "ConfigMap"])).stdout
    finally:
        for ns in created:
            kubectl("delete", "namespace", ns, "--wait=false")


# ---- GitOps: Argo CD applies the overlays ----

# The real upstream CRDs (tests/fixtures/gitops-crds/README.md names release and commit of each): the API server
# validates the generated objects against Argo CD's and Flux's own OpenAPI schemas.
CRD_DIR = HERE.parent / "fixtures" / "gitops-crds"
CRD_SHA256 = {  # as recorded in the README: a changed file must come with a changed README
    "argo-cd-application-crd.yaml": "5dde0e229249b6b707beb98674c1deae3949d5c319a6c45b9f5a80c99618e40c",
    "flux-kustomize.toolkit.fluxcd.io_kustomizations.yaml":
        "da23ca0e6b4c80d3d26a91583137491e147ef4ef1e2208aece0d0af4ef851974",
    "flux-source.toolkit.fluxcd.io_gitrepositories.yaml":
        "39a5a46c81539c992abc53f9be3e5434cd70d50a10d169b1e8a450e0df1c9d09",
}


def test_gitops_crds_are_the_recorded_upstream_files():
    import hashlib
    readme = (CRD_DIR / "README.md").read_text()
    for name, digest in CRD_SHA256.items():
        data = (CRD_DIR / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, name
        assert f"{digest}  {name}" in readme, name
        crd = yaml.safe_load(data)
        assert crd["kind"] == "CustomResourceDefinition"
        # a real schema, not a preserve-unknown-fields placeholder
        for v in crd["spec"]["versions"]:
            schema = v["schema"]["openAPIV3Schema"]
            assert "spec" in schema["properties"] and not schema.get("x-kubernetes-preserve-unknown-fields"), name


def apply_crds(kubectl, names):
    """Apply upstream CRDs server-side and wait until the API server serves them; their metadata.names."""
    crds = []
    for name in names:
        text = (CRD_DIR / name).read_text()
        crds.append(yaml.safe_load(text)["metadata"]["name"])
        r = kubectl("apply", "--server-side", "--force-conflicts", "-f", "-", text=text)
        assert r.returncode == 0, r.stderr
    import time
    deadline = time.monotonic() + 60
    for crd in crds:  # polled: `kubectl wait` fails outright while the CRD has no status yet
        while True:
            r = kubectl("get", f"crd/{crd}", "-o", "jsonpath={.status.conditions[?(@.type=='Established')].status}")
            if r.returncode == 0 and r.stdout == "True":
                break
            assert time.monotonic() < deadline, f"{crd} not Established after 60 s: {r.stdout} {r.stderr}"
            time.sleep(0.5)
    return crds


@pytest.fixture(scope="module")
def gitops_tree(tmp_path_factory):
    spec = default_spec()
    spec["gitops"] = {"tool": "argocd"}
    return generate_spec(tmp_path_factory.mktemp("gitops"), spec)


def test_gitops_applications_follow_each_environments_branch(gitops_tree):
    spec = default_spec()
    branch_of = {env: branch for branch, env in spec["ci"]["branches"].items()}
    docs = [d for d in yaml.safe_load_all(tg.kustomize(gitops_tree / "k8s/gitops")) if d]
    apps = {d["metadata"]["name"]: d for d in docs}
    assert all(d["apiVersion"] == "argoproj.io/v1alpha1" and d["kind"] == "Application" for d in docs)
    assert set(apps) == {f"{APP}-{e}" for e in spec["environments"]} | {f"{APP}-monitoring"}
    for env, e in spec["environments"].items():
        a = apps[f"{APP}-{env}"]
        assert a["metadata"]["namespace"] == "argocd"
        assert a["spec"]["source"] == {"repoURL": "https://github.com/example-org/layering-detection.git",
                                       "targetRevision": branch_of[env], "path": f"k8s/overlays/{env}"}
        assert a["spec"]["destination"]["namespace"] == e["namespace"]
        assert a["spec"]["syncPolicy"]["automated"] == {"prune": True, "selfHeal": True}
        assert "ServerSideApply=true" in a["spec"]["syncPolicy"]["syncOptions"]
        assert (gitops_tree / a["spec"]["source"]["path"] / "kustomization.yaml").exists()
    wf = yaml.safe_load((gitops_tree / ".github/workflows/deploy.yml").read_text())
    runs = "\n".join(s.get("run", "") for s in wf["jobs"]["deploy"]["steps"])
    assert "kubectl apply" not in runs and "git push" in runs and "[skip ci]" in runs
    assert "kustomize edit set image" in runs
    assert wf["permissions"]["contents"] == "write"


def test_without_gitops_ci_applies_and_only_reads_the_repository(tree):
    assert not (tree / "k8s/gitops").exists()
    wf = yaml.safe_load((tree / ".github/workflows/deploy.yml").read_text())
    assert wf["permissions"]["contents"] == "read"


@pytest.mark.skipif(not os.environ.get("K8SMIG_TEST_KUBECONFIG"), reason="needs the test cluster (K8SMIG_TEST_KUBECONFIG)")
def test_gitops_applications_are_accepted_by_the_api_server(gitops_tree):
    kubeconfig = os.environ["K8SMIG_TEST_KUBECONFIG"]

    def kubectl(*args, text=None):
        return subprocess.run(["kubectl", "--kubeconfig", kubeconfig, *args], input=text, capture_output=True,
                              text=True, check=False)
    crds = apply_crds(kubectl, ["argo-cd-application-crd.yaml"])
    try:
        kubectl("create", "namespace", "argocd")
        r = kubectl("apply", "--server-side", "--dry-run=server", "-k", str(gitops_tree / "k8s/gitops"))
        assert r.returncode == 0, r.stderr
        assert r.stdout.count("serverside-applied (server dry run)") == 4, r.stdout
        # the schema is really checked: a wrong type and an unknown field are refused
        app = [d for d in yaml.safe_load_all(tg.kustomize(gitops_tree / "k8s/gitops")) if d][0]
        app["spec"]["syncPolicy"]["automated"]["prune"] = "yes"
        app["spec"]["source"]["pathh"] = "typo"
        r = kubectl("apply", "--server-side", "--dry-run=server", "-f", "-", text=yaml.safe_dump(app))
        assert r.returncode != 0 and "spec.syncPolicy.automated.prune" in r.stderr, r.stderr
    finally:
        kubectl("delete", "crd", *crds, "--wait=false")
        kubectl("delete", "namespace", "argocd", "--wait=false")


def test_gitops_needs_a_branch_per_environment(tmp_path):
    spec = default_spec()
    spec["gitops"] = {}
    del spec["ci"]["branches"]["develop"]
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    r = tg.run("generate", "--spec", str(path), "-o", str(tmp_path / "out"))
    assert r.returncode == 1
    assert "(at gitops)" in r.stderr and "dev has none" in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def flux_tree(tmp_path_factory):
    spec = default_spec()
    spec["gitops"] = {"tool": "flux"}
    return generate_spec(tmp_path_factory.mktemp("flux"), spec)


def test_flux_follows_each_environments_branch(flux_tree):
    spec = default_spec()
    branch_of = {env: branch for branch, env in spec["ci"]["branches"].items()}
    docs = [d for d in yaml.safe_load_all(tg.kustomize(flux_tree / "k8s/gitops")) if d]
    repos = {d["metadata"]["name"]: d for d in docs if d["kind"] == "GitRepository"}
    kusts = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Kustomization"}
    assert set(repos) == {f"{APP}-{e}" for e in spec["environments"]}
    assert set(kusts) == set(repos) | {f"{APP}-monitoring"}
    for env in spec["environments"]:
        r, k = repos[f"{APP}-{env}"], kusts[f"{APP}-{env}"]
        assert r["apiVersion"] == "source.toolkit.fluxcd.io/v1" and k["apiVersion"] == "kustomize.toolkit.fluxcd.io/v1"
        assert r["metadata"]["namespace"] == k["metadata"]["namespace"] == "flux-system"
        assert r["spec"]["url"] == "https://github.com/example-org/layering-detection.git"
        assert r["spec"]["ref"] == {"branch": branch_of[env]}
        assert k["spec"]["sourceRef"] == {"kind": "GitRepository", "name": f"{APP}-{env}"}
        assert k["spec"]["path"] == f"./k8s/overlays/{env}" and k["spec"]["prune"] is True
        assert (flux_tree / k["spec"]["path"] / "kustomization.yaml").exists()
    assert kusts[f"{APP}-monitoring"]["spec"]["sourceRef"]["name"] == f"{APP}-prod"
    wf = yaml.safe_load((flux_tree / ".github/workflows/deploy.yml").read_text())
    assert "kubectl apply" not in "\n".join(s.get("run", "") for s in wf["jobs"]["deploy"]["steps"])


@pytest.mark.skipif(not os.environ.get("K8SMIG_TEST_KUBECONFIG"), reason="needs the test cluster (K8SMIG_TEST_KUBECONFIG)")
def test_flux_objects_are_accepted_by_the_api_server(flux_tree):
    """Flux's own CRDs (source-controller's GitRepository, kustomize-controller's Kustomization)."""
    kubeconfig = os.environ["K8SMIG_TEST_KUBECONFIG"]

    def kubectl(*args, text=None):
        return subprocess.run(["kubectl", "--kubeconfig", kubeconfig, *args], input=text, capture_output=True,
                              text=True, check=False)
    crds = apply_crds(kubectl, ["flux-source.toolkit.fluxcd.io_gitrepositories.yaml",
                                "flux-kustomize.toolkit.fluxcd.io_kustomizations.yaml"])
    try:
        kubectl("create", "namespace", "flux-system")
        r = kubectl("apply", "--server-side", "--dry-run=server", "-k", str(flux_tree / "k8s/gitops"))
        assert r.returncode == 0, r.stderr
        assert r.stdout.count("serverside-applied (server dry run)") == 7, r.stdout
        kust = next(d for d in yaml.safe_load_all(tg.kustomize(flux_tree / "k8s/gitops")) if d and d["kind"] == "Kustomization")
        kust["spec"]["sourceRef"]["kind"] = "GitRepo"  # not in the CRD's enum
        r = kubectl("apply", "--server-side", "--dry-run=server", "-f", "-", text=yaml.safe_dump(kust))
        assert r.returncode != 0 and "spec.sourceRef.kind" in r.stderr, r.stderr
    finally:
        kubectl("delete", "crd", *crds, "--wait=false")
        kubectl("delete", "namespace", "flux-system", "--wait=false")
