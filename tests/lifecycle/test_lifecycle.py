"""After the apply: `k8smig wait`, `diff`, ApplySets with `--prune`, `delete`, `history`,
`rollback`, `apply --atomic`, impersonation, `--help` everywhere and shell completion,
against the real test apiserver with a controller manager (K8SMIG_TEST_KUBECONFIG, -kcm).

Every stream of every k8smig run is kept; the last test checks that the Secret values
planted here never appear in any of them."""
import base64
import hashlib
import json
import os
import shutil
import subprocess
import threading
import time
import uuid

import pytest

K8SMIG = os.environ.get("K8SMIG_BIN", "k8smig")
KUBECONFIG = os.environ.get("K8SMIG_TEST_KUBECONFIG")
HERE = os.path.dirname(os.path.abspath(__file__))
MARKERS = ["s3cr3t-MARKER-one", "s3cr3t-MARKER-two"]
STREAMS = []

needs_cluster = pytest.mark.skipif(not KUBECONFIG, reason="K8SMIG_TEST_KUBECONFIG is not set (no test cluster)")


def k8smig(*args, stdin=None, env=None, timeout=180):
    r = subprocess.run([K8SMIG, *args], input=stdin, capture_output=True, text=True, timeout=timeout,
                       env=dict(os.environ, **(env or {})))
    STREAMS.append(r.stdout + r.stderr)
    return r


def kc(*args, check=True, env=None):
    """kubectl of the server's version (the harness's), as admin."""
    r = subprocess.run([harness_kubectl(), "kubectl", "--kubeconfig", KUBECONFIG, *args], capture_output=True, text=True,
                       timeout=120, env=dict(os.environ, **(env or {})))
    if check:
        assert r.returncode == 0, r.stderr
    return r


_harness = []


def harness_kubectl():
    if not _harness:
        root = os.path.dirname(os.path.dirname(HERE))
        _harness.append(subprocess.run(["bash", os.path.join(root, "tests/cluster/build.sh")], capture_output=True,
                                       text=True, check=True).stdout.strip())
    return _harness[0]


def namespace():
    ns = f"life-{uuid.uuid4().hex[:8]}"
    kc("create", "namespace", ns)
    return ns


def deployment(name, ns, image="nginx:1.27", replicas=1):
    return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n"
            f"  replicas: {replicas}\n  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n"
            f"    metadata: {{labels: {{app: {name}}}}}\n    spec: {{containers: [{{name: c, image: {image}}}]}}\n")


def configmap(name, ns, value="1"):
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}, namespace: {ns}}}\ndata: {{v: \"{value}\"}}\n"


def secret(name, ns, value):
    return f"apiVersion: v1\nkind: Secret\nmetadata: {{name: {name}, namespace: {ns}}}\nstringData: {{password: {value}}}\n"


def write(tmp_path, name, *docs):
    p = tmp_path / name
    p.write_text("---\n".join(docs))
    return str(p)


def names(ns, kinds="configmap,secret,deployment"):
    out = kc("get", kinds, "-n", ns, "-o", "json").stdout
    return sorted(f"{i['kind']}/{i['metadata']['name']}" for i in json.loads(out)["items"]
                  if not i["metadata"]["name"].startswith("kube-root-ca") and ".k8smig.rev." not in i["metadata"]["name"])


def applyset_id(name, ns, kind="Secret"):
    # KEP-3659: base64url(sha256("<name>.<namespace>.<kind>.<group>")), the core group being ""
    h = hashlib.sha256(f"{name}.{ns}.{kind}.".encode()).digest()
    return "applyset-" + base64.urlsafe_b64encode(h).decode().rstrip("=") + "-v1"


# ---- the command line: --help, long options, completion (no cluster needed) ----

COMMANDS = ["version", "fmt", "validate", "render", "generate", "apply", "diff", "wait", "delete", "history",
            "rollback", "completion"]


@pytest.mark.parametrize("cmd", COMMANDS)
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_every_command_answers_help(cmd, flag):
    r = k8smig(cmd, flag)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("usage: k8smig " + cmd) and r.stderr == ""


def test_validate_takes_f_and_long_options(tmp_path):
    f = write(tmp_path, "cm.yaml", configmap("cfg", "default"))
    for args in (["-f", f], ["--filename", f], [f], ["--output", "json", "-f", f]):
        r = k8smig("validate", *args)
        assert r.returncode == 0, (args, r.stderr)
    assert json.loads(k8smig("validate", "--output=json", "--filename", f).stdout) == []
    assert k8smig("fmt", "--output", "json", f).stdout.startswith("{")
    r = k8smig("validate", "--no-such-flag", f)
    assert r.returncode == 2 and "usage:" in r.stderr


def test_usage_errors():
    assert k8smig("apply", "-f", "x.yaml", "--prune").returncode == 2       # --prune needs --applyset
    assert k8smig("apply", "-f", "x.yaml", "--atomic").returncode == 2      # --atomic too
    assert k8smig("apply", "-f", "x.yaml", "--timeout", "soon").returncode == 2
    assert k8smig("history").returncode == 2
    r = k8smig("history", "--applyset", "x", "--prune")
    assert r.returncode == 2 and "--prune is not an option of history" in r.stderr
    assert k8smig("completion", "fish").returncode == 2


def test_completion_bash(tmp_path):
    r = k8smig("completion", "bash")
    assert r.returncode == 0
    script = tmp_path / "c.sh"
    script.write_text(r.stdout)
    probe = (f"source {script}; COMP_WORDS=(k8smig ro); COMP_CWORD=1; _k8smig; echo ${{COMPREPLY[@]}};"
             f"COMP_WORDS=(k8smig apply --app); COMP_CWORD=2; _k8smig; echo ${{COMPREPLY[@]}}")
    out = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == ["rollback", "--applyset"]


# zsh drives the completion widget for real: an interactive zsh on a pseudo-terminal (zpty),
# compinit, the script sourced, then "k8smig roll<TAB> --app<TAB><RET>" typed; k8smig is a
# function there that prints the words it got.
ZPTY_PROBE = r"""
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z 'autoload -U compinit; compinit -u -D; source %s; k8smig() { print -r -- "RES""ULT<$*>"; }'
zpty -w -n z $'k8smig roll\t --app\t\n'
zpty -r z out '*RESULT<*>*'
out=${out##*RESULT<}
print -r -- "${out%%%%>*}"
zpty -d z
"""


def test_completion_zsh_is_native(tmp_path):
    zsh = shutil.which("zsh")
    assert zsh, "zsh is needed to test its completion (scripts/setup.sh installs it)"
    r = k8smig("completion", "zsh")
    assert r.returncode == 0
    assert r.stdout.startswith("#compdef k8smig\n") and "bashcompinit" not in r.stdout and "COMPREPLY" not in r.stdout
    script = tmp_path / "_k8smig"
    script.write_text(r.stdout)
    subprocess.run([zsh, "-n", str(script)], check=True)
    # the candidates outside a widget: flags of a command, values of a flag, files
    cand = subprocess.run([zsh, "-f", "-c", f"compdef() {{ print -r -- registered $*; }}; source {script}; "
                           "__k8smig_candidates wait --for ''; __k8smig_candidates apply -f ''"],
                          capture_output=True, text=True, check=True).stdout.splitlines()
    assert cand == ["registered _k8smig k8smig", "ready", "delete", ":files"]
    probe = tmp_path / "probe.zsh"
    probe.write_text(ZPTY_PROBE % script)
    out = subprocess.run([zsh, "-f", str(probe)], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "rollback --applyset", out.stdout + out.stderr


# ---- wait ----


@needs_cluster
def test_wait_rolls_out_workloads_jobs_crds_and_custom_resources(tmp_path):
    ns = namespace()
    job = (f"apiVersion: batch/v1\nkind: Job\nmetadata: {{name: once, namespace: {ns}}}\nspec:\n"
           "  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n")
    sts = (f"apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: db, namespace: {ns}}}\nspec:\n  replicas: 2\n"
           "  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n"
           "    spec: {containers: [{name: c, image: postgres}]}\n")
    ds = (f"apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {{name: agent, namespace: {ns}}}\nspec:\n"
          "  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n"
          "    spec: {containers: [{name: c, image: fluent-bit}]}\n")
    f = write(tmp_path, "set.yaml", deployment("web", ns, replicas=3), job, sts, ds, configmap("cfg", ns),
              f"apiVersion: v1\nkind: Namespace\nmetadata: {{name: {ns}}}\n")
    t0 = time.monotonic()
    r = k8smig("apply", "--kubeconfig", KUBECONFIG, "-f", f, "--wait", "--timeout", "90s")
    assert r.returncode == 0, r.stderr
    assert "rollout: 6 of 6 objects current" in r.stdout
    assert time.monotonic() - t0 < 60
    d = json.loads(kc("get", "deployment", "web", "-n", ns, "-o", "json").stdout)
    assert d["status"]["readyReplicas"] == 3 and d["status"]["updatedReplicas"] == 3
    j = json.loads(kc("get", "job", "once", "-n", ns, "-o", "json").stdout)
    assert any(c["type"] == "Complete" and c["status"] == "True" for c in j["status"]["conditions"])

    # a custom resource: in progress while its Ready condition is False, current once True
    es = (f"apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {{name: creds, namespace: {ns}}}\n"
          "spec:\n  secretStoreRef: {name: aws, kind: SecretStore}\n  target: {name: creds}\n")
    ef = write(tmp_path, "es.yaml", es)
    assert k8smig("apply", "--kubeconfig", KUBECONFIG, "-f", ef).returncode == 0
    kc("patch", "externalsecret", "creds", "-n", ns, "--subresource=status", "--type=merge", "-p",
       json.dumps({"status": {"conditions": [{"type": "Ready", "status": "False", "reason": "SecretSyncedError",
                                              "message": "could not get secret data from provider"}]}}))
    r = k8smig("wait", "--kubeconfig", KUBECONFIG, "-f", ef, "--timeout", "2s")
    assert r.returncode == 1
    assert "externalsecret.external-secrets.io/creds" in r.stderr and "SecretSyncedError" in r.stderr

    def ready_later():
        time.sleep(1.5)
        kc("patch", "externalsecret", "creds", "-n", ns, "--subresource=status", "--type=merge", "-p",
           json.dumps({"status": {"conditions": [{"type": "Ready", "status": "True", "reason": "SecretSynced"}]}}))
    t = threading.Thread(target=ready_later)
    t.start()
    t0 = time.monotonic()
    r = k8smig("wait", "--kubeconfig", KUBECONFIG, "-f", ef, "--timeout", "30s")
    t.join()
    assert r.returncode == 0, r.stderr
    assert time.monotonic() - t0 < 10  # woken by the watch, not by a timeout
    kc("delete", "namespace", ns, "--wait=false")


@needs_cluster
def test_wait_timeout_names_the_reason(tmp_path):
    ns = namespace()
    f = write(tmp_path, "d.yaml", deployment("stuck", ns, image="k8smig.invalid/never-ready:1"), configmap("ok", ns))
    t0 = time.monotonic()
    r = k8smig("apply", "--kubeconfig", KUBECONFIG, "-f", f, "--wait", "--timeout", "5s")
    took = time.monotonic() - t0
    assert r.returncode == 1
    assert 5 <= took < 20
    assert "rollout: 1 of 2 objects current" in r.stdout
    err = r.stderr
    assert "not ready: deployment.apps/stuck" in err
    assert "0 of 1 updated replicas available" in err
    assert "ImagePullBackOff" in err and 'Back-off pulling image "k8smig.invalid/never-ready:1"' in err
    assert "event Warning Failed: Failed to pull image" in err
    assert "1 of 2 objects not ready after 5000 ms" in err
    kc("delete", "namespace", ns, "--wait=false")


# ---- diff ----


@needs_cluster
def test_diff_exit_codes_masking_and_other_managers(tmp_path):
    ns = namespace()
    hpa = (f"apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {{name: web, namespace: {ns}}}\n"
           "spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 1\n"
           "  maxReplicas: 5\n  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]\n")
    keep = secret("keep", ns, MARKERS[0])
    f = write(tmp_path, "v1.yaml", deployment("web", ns, replicas=2), hpa, secret("db", ns, MARKERS[0]), keep)
    assert k8smig("apply", "--kubeconfig", KUBECONFIG, "-f", f).returncode == 0
    # another manager owns the replica count now (as the HPA controller would)
    kc("scale", "deployment", "web", "-n", ns, "--replicas=4")
    r = k8smig("diff", "--kubeconfig", KUBECONFIG, "-f", f)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == ""
    # a change: the Secret's value and the image
    f2 = write(tmp_path, "v2.yaml", deployment("web", ns, image="nginx:1.28", replicas=2), hpa,
               secret("db", ns, MARKERS[1]), keep, configmap("new", ns))
    r = k8smig("diff", "--kubeconfig", KUBECONFIG, "-f", f2)
    assert r.returncode == 1, r.stderr
    out = r.stdout
    assert f"--- live/apps.v1.Deployment.{ns}.web\n+++ merged/apps.v1.Deployment.{ns}.web\n" in out
    assert "-        image: nginx:1.27\n+        image: nginx:1.28\n" in out
    assert '-  password: "*** (before)"\n+  password: "*** (after)"\n' in out
    assert f"v1.Secret.{ns}.keep" not in out  # equal value: no diff at all
    assert f"+++ merged/v1.ConfigMap.{ns}.new\n@@ -0,0 +1," in out
    for server_owned in ("managedFields", "resourceVersion", "creationTimestamp", "uid:", "status:", "generation"):
        assert server_owned not in out
    assert "replicas" not in out  # owned by another manager, not in our set
    assert "\033[" not in out     # no colour off a terminal
    r = k8smig("diff", "--kubeconfig", KUBECONFIG, "-f", f2, "--color", "always")
    assert "\033[31m-        image: nginx:1.27\033[0m" in r.stdout
    # an error: exit 2
    r = k8smig("diff", "--kubeconfig", KUBECONFIG, "-f", write(tmp_path, "bad.yaml", configmap("Bad_Name", ns)))
    assert r.returncode == 2
    # unchanged Secret with the same masked value, after apply: no diff
    assert k8smig("apply", "--kubeconfig", KUBECONFIG, "-f", f2).returncode == 0
    assert k8smig("diff", "--kubeconfig", KUBECONFIG, "-f", f2).returncode == 0
    kc("delete", "namespace", ns, "--wait=false")


@needs_cluster
def test_a_field_left_out_is_a_change(tmp_path):
    """Removing a field we applied: diff shows it (no no-op shortcut), apply says configured."""
    ns = namespace()
    two = write(tmp_path, "two.yaml", f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c, namespace: {ns}}}\n"
                                      "data: {a: \"1\", b: \"2\"}\n")
    one = write(tmp_path, "one.yaml", f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c, namespace: {ns}}}\n"
                                      "data: {a: \"1\"}\n")
    assert k8smig("apply", "--kubeconfig", KUBECONFIG, "-f", two).returncode == 0
    assert k8smig("diff", "--kubeconfig", KUBECONFIG, "-f", two).returncode == 0
    r = k8smig("diff", "--kubeconfig", KUBECONFIG, "-f", one)
    assert r.returncode == 1 and '-  b: "2"\n' in r.stdout
    assert k8smig("apply", "--kubeconfig", KUBECONFIG, "-f", one).stdout == "configmap/c configured\n"
    assert k8smig("apply", "--kubeconfig", KUBECONFIG, "-f", one).stdout == "configmap/c unchanged\n"
    assert k8smig("diff", "--kubeconfig", KUBECONFIG, "-f", one).returncode == 0
    # a label another manager added is theirs: no difference for us
    kc("label", "configmap", "c", "-n", ns, "team=payments")
    assert k8smig("diff", "--kubeconfig", KUBECONFIG, "-f", one).returncode == 0
    kc("delete", "namespace", ns, "--wait=false")


LISTS = """apiVersion: apps/v1
kind: Deployment
metadata: {{name: lists, namespace: {ns}}}
spec:
  selector: {{matchLabels: {{app: lists}}}}
  template:
    metadata: {{labels: {{app: lists}}}}
    spec:
      containers:
{containers}"""
CONT_A = """      - name: a
        image: nginx:1
        env: [{env}]
        ports: [{ports}]
"""
CONT_B = "      - name: b\n        image: {image}\n"


def changed_lines(diff):
    return [l for l in diff.splitlines() if l[:1] in "+-" and not l.startswith(("---", "+++"))]


@needs_cluster
def test_diff_of_lists_shows_the_changed_items_by_merge_key(tmp_path):
    """SSA reorders keyed lists to the applied order: the diff lines the live items up by
    merge key (containers and env by name, ports by containerPort), so moved items do not
    show as removed and added, and a changed or removed item shows alone."""
    ns = namespace()
    env3 = '{name: AA, value: "1"}, {name: BB, value: "2"}, {name: CC, value: "3"}'
    v1 = write(tmp_path, "v1.yaml", LISTS.format(ns=ns, containers=CONT_A.format(env=env3, ports="{containerPort: 80}, {containerPort: 81}")
                                                 + CONT_B.format(image="nginx:2")))
    assert k8smig("apply", "--kubeconfig", KUBECONFIG, "-f", v1).returncode == 0
    # every list reordered, one env value and one image changed
    env_moved = '{name: CC, value: "3"}, {name: AA, value: "1"}, {name: BB, value: "9"}'
    v2 = write(tmp_path, "v2.yaml", LISTS.format(ns=ns, containers=CONT_B.format(image="nginx:3")
                                                 + CONT_A.format(env=env_moved, ports="{containerPort: 81}, {containerPort: 80}")))
    r = k8smig("diff", "--kubeconfig", KUBECONFIG, "-f", v2)
    assert r.returncode == 1, r.stderr
    assert changed_lines(r.stdout) == ["-        image: nginx:2", "+        image: nginx:3",
                                       '-          value: "2"', '+          value: "9"'], r.stdout
    # kubectl's own diff of the same shows the moves as removals and additions (more lines)
    k = kc("diff", "--server-side", "--field-manager=k8smig", "-f", v2, check=False)
    assert k.returncode == 1 and len(changed_lines(k.stdout)) > 4
    # an env var and a container left out: those items alone, removed where they were
    v3 = write(tmp_path, "v3.yaml", LISTS.format(ns=ns, containers=CONT_A.format(env='{name: CC, value: "3"}, {name: AA, value: "1"}',
                                                                               ports="{containerPort: 80}, {containerPort: 81}")))
    r = k8smig("diff", "--kubeconfig", KUBECONFIG, "-f", v3)
    assert r.returncode == 1, r.stderr
    gone = changed_lines(r.stdout)
    assert gone[:2] == ["-        - name: BB", '-          value: "2"'] and gone[2:4] == ["-      - name: b", "-        image: nginx:2"]
    assert all(l.startswith("-") for l in gone), r.stdout
    kc("delete", "namespace", ns, "--wait=false")


@needs_cluster
def test_secret_string_data_reapply_is_unchanged(tmp_path):
    ns = namespace()
    f = write(tmp_path, "s.yaml", secret("db", ns, MARKERS[0]))
    r = k8smig("apply", "--kubeconfig", KUBECONFIG, "-f", f)
    assert r.stdout == "secret/db created\n"
    r = k8smig("apply", "--kubeconfig", KUBECONFIG, "-f", f)
    assert r.stdout == "secret/db unchanged\n"
    f2 = write(tmp_path, "s2.yaml", secret("db", ns, MARKERS[1]))
    assert k8smig("apply", "--kubeconfig", KUBECONFIG, "-f", f2).stdout == "secret/db configured\n"
    kc("delete", "namespace", ns, "--wait=false")


# ---- ApplySets, prune, history, rollback, atomic, delete ----


@needs_cluster
def test_applyset_labels_match_kubectl_and_prune_is_exact(tmp_path):
    ns = namespace()
    v1 = write(tmp_path, "v1.yaml", configmap("a", ns), configmap("b", ns), secret("s", ns, MARKERS[0]), deployment("web", ns))
    r = k8smig("apply", "--kubeconfig", KUBECONFIG, "-n", ns, "-f", v1, "--applyset", "app", "--prune")
    assert r.returncode == 0, r.stderr
    parent = json.loads(kc("get", "secret", "app", "-n", ns, "-o", "json").stdout)["metadata"]
    sid = applyset_id("app", ns)
    assert parent["labels"] == {"applyset.kubernetes.io/id": sid}
    assert parent["annotations"]["applyset.kubernetes.io/contains-group-kinds"] == "ConfigMap,Deployment.apps,Secret"
    assert parent["annotations"]["applyset.kubernetes.io/additional-namespaces"] == ""
    assert parent["annotations"]["applyset.kubernetes.io/tooling"].startswith("kubectl/")
    # the same keys kubectl writes for its own parent
    kv = write(tmp_path, "k.yaml", configmap("kubectl-made", ns))
    kc("apply", "--server-side", "--prune", "--applyset=kparent", "-n", ns, "-f", kv, env={"KUBECTL_APPLYSET": "true"})
    kparent = json.loads(kc("get", "secret", "kparent", "-n", ns, "-o", "json").stdout)["metadata"]
    assert kparent["labels"] == {"applyset.kubernetes.io/id": applyset_id("kparent", ns)}  # our formula is kubectl's
    assert sorted(kparent["annotations"]) == sorted(parent["annotations"])
    for n in ("a", "b"):
        labels = json.loads(kc("get", "configmap", n, "-n", ns, "-o", "json").stdout)["metadata"]["labels"]
        assert labels == {"applyset.kubernetes.io/part-of": sid}
    # a bystander: same kind, a part-of label of another applyset
    kc("create", "configmap", "bystander", "-n", ns)
    kc("label", "configmap", "bystander", "-n", ns, f"applyset.kubernetes.io/part-of={applyset_id('other', ns)}")
    v2 = write(tmp_path, "v2.yaml", configmap("a", ns))
    r = k8smig("diff", "--kubeconfig", KUBECONFIG, "-n", ns, "-f", v2, "--applyset", "app")
    assert r.returncode == 1
    assert sorted(l for l in r.stdout.splitlines() if l.startswith("--- live/")) == [
        f"--- live/apps.v1.Deployment.{ns}.web", f"--- live/v1.ConfigMap.{ns}.b", f"--- live/v1.Secret.{ns}.s"]
    r = k8smig("apply", "--kubeconfig", KUBECONFIG, "-n", ns, "-f", v2, "--applyset", "app", "--prune", "--dry-run=server")
    assert r.returncode == 0 and "configmap/b pruned (server dry run)" in r.stdout
    assert "ConfigMap/b" in names(ns)
    r = k8smig("apply", "--kubeconfig", KUBECONFIG, "-n", ns, "-f", v2, "--applyset", "app", "--prune")
    assert r.returncode == 0, r.stderr
    assert sorted(l for l in r.stdout.splitlines() if l.endswith(" pruned")) == [
        "configmap/b pruned", "deployment.apps/web pruned", "secret/s pruned"]
    assert names(ns) == ["ConfigMap/a", "ConfigMap/bystander", "ConfigMap/kubectl-made", "Secret/app", "Secret/kparent"]
    kc("delete", "namespace", ns, "--wait=false")


@needs_cluster
@pytest.mark.parametrize("kind", ["Secret", "ConfigMap"])
def test_kubectl_prunes_our_set_and_we_prune_kubectls(tmp_path, kind):
    """Both standard parents of KEP-3659: a Secret (--applyset NAME) and a ConfigMap
    (--applyset configmaps/NAME)."""
    env = {"KUBECTL_APPLYSET": "true"}
    prefix = "" if kind == "Secret" else "configmaps/"
    ns = namespace()
    full = write(tmp_path, "full.yaml", configmap("a", ns), configmap("b", ns), deployment("web", ns))
    less = write(tmp_path, "less.yaml", configmap("a", ns))
    # ours -> kubectl prunes
    assert k8smig("apply", "--kubeconfig", KUBECONFIG, "-n", ns, "-f", full, "--applyset", prefix + "ours").returncode == 0
    parent = json.loads(kc("get", kind.lower(), "ours", "-n", ns, "-o", "json").stdout)["metadata"]
    assert parent["labels"] == {"applyset.kubernetes.io/id": applyset_id("ours", ns, kind)}
    assert parent["annotations"]["applyset.kubernetes.io/contains-group-kinds"] == "ConfigMap,Deployment.apps"
    r = kc("apply", "--server-side", "--prune", f"--applyset={prefix}ours", "-n", ns, "-f", less, env=env)
    assert "configmap/b pruned" in r.stdout and "deployment.apps/web pruned" in r.stdout
    assert names(ns) == sorted(["ConfigMap/a", f"{kind}/ours"])
    ns2 = namespace()
    full2 = write(tmp_path, "full2.yaml", configmap("a", ns2), configmap("b", ns2), deployment("web", ns2))
    less2 = write(tmp_path, "less2.yaml", configmap("a", ns2))
    # kubectl's -> we prune, and kubectl can carry on with the set afterwards
    kc("apply", "--server-side", "--prune", f"--applyset={prefix}theirs", "-n", ns2, "-f", full2, env=env)
    r = k8smig("apply", "--kubeconfig", KUBECONFIG, "-n", ns2, "-f", less2, "--applyset", prefix + "theirs", "--prune")
    assert r.returncode == 0, r.stderr
    assert "configmap/b pruned" in r.stdout and "deployment.apps/web pruned" in r.stdout
    assert names(ns2) == sorted(["ConfigMap/a", f"{kind}/theirs"])
    kc("apply", "--server-side", "--prune", f"--applyset={prefix}theirs", "-n", ns2, "-f", full2, env=env)
    assert names(ns2) == sorted(["ConfigMap/a", "ConfigMap/b", "Deployment/web", f"{kind}/theirs"])
    for n in (ns, ns2):
        kc("delete", "namespace", n, "--wait=false")


@needs_cluster
def test_configmap_parent_history_delete_and_usage(tmp_path):
    ns = namespace()
    full = write(tmp_path, "full.yaml", configmap("a", ns), configmap("b", ns))
    r = k8smig("apply", "--kubeconfig", KUBECONFIG, "-n", ns, "-f", full, "--applyset", "configmaps/set")
    assert r.returncode == 0, r.stderr
    for n in ("a", "b"):
        labels = json.loads(kc("get", "configmap", n, "-n", ns, "-o", "json").stdout)["metadata"]["labels"]
        assert labels == {"applyset.kubernetes.io/part-of": applyset_id("set", ns, "ConfigMap")}
    # no Secret parent of that name; the history is the ConfigMap parent's, not a Secret parent's
    assert "Secret/set" not in names(ns)
    h = k8smig("history", "--kubeconfig", KUBECONFIG, "-n", ns, "--applyset", "configmaps/set")
    assert h.returncode == 0 and h.stdout.splitlines()[1].split()[0] == "1", h.stdout + h.stderr
    assert k8smig("history", "--kubeconfig", KUBECONFIG, "-n", ns, "--applyset", "set").stdout.count("\n") == 1  # header only
    # delete the applyset: members, the parent ConfigMap and the records go
    r = k8smig("delete", "--kubeconfig", KUBECONFIG, "-n", ns, "--applyset", "configmaps/set", "--timeout", "60s")
    assert r.returncode == 0, r.stderr
    assert names(ns) == []
    assert ".k8smig.rev." not in kc("get", "secrets", "-n", ns, "-o", "name").stdout
    # another parent kind is a usage error
    r = k8smig("apply", "--kubeconfig", KUBECONFIG, "-n", ns, "-f", full, "--applyset", "deployments/x")
    assert r.returncode == 2 and "Secret or a ConfigMap" in r.stderr
    kc("delete", "namespace", ns, "--wait=false")


def listing(ns):
    """Every object of the test kinds with what matters of it."""
    out = json.loads(kc("get", "configmap,secret,deployment", "-n", ns, "-o", "json").stdout)["items"]
    rows = []
    for i in out:
        name = i["metadata"]["name"]
        if name.startswith("kube-root-ca") or ".k8smig.rev." in name or name == "app":
            continue
        body = i.get("data") if i["kind"] != "Deployment" else [c["image"] for c in i["spec"]["template"]["spec"]["containers"]]
        rows.append((i["kind"], name, json.dumps(body, sort_keys=True), json.dumps(i["metadata"].get("labels"), sort_keys=True)))
    return sorted(rows)


@needs_cluster
def test_atomic_failure_returns_every_object_to_the_previous_revision(tmp_path):
    ns = namespace()
    good = write(tmp_path, "good.yaml", deployment("web", ns), configmap("cfg", ns, "1"), configmap("old", ns),
                 secret("s", ns, MARKERS[0]))
    r = k8smig("apply", "--kubeconfig", KUBECONFIG, "-n", ns, "-f", good, "--applyset", "app", "--prune", "--wait")
    assert r.returncode == 0, r.stderr
    before = listing(ns)
    bad = write(tmp_path, "bad.yaml", deployment("web", ns, image="k8smig.invalid/broken:2"), configmap("cfg", ns, "2"),
                configmap("added", ns), secret("s", ns, MARKERS[1]))
    r = k8smig("apply", "--kubeconfig", KUBECONFIG, "-n", ns, "-f", bad, "--applyset", "app", "--prune", "--atomic",
               "--timeout", "6s")
    assert r.returncode == 1
    assert "ImagePullBackOff" in r.stderr
    assert "atomic: rolled back to revision 1" in r.stderr
    assert listing(ns) == before
    h = k8smig("history", "--kubeconfig", KUBECONFIG, "-n", ns, "--applyset", "app").stdout.splitlines()
    assert [l.split()[2] for l in h[1:]] == ["superseded", "failed", "deployed"]
    assert h[3].endswith("rollback to 1 (atomic)")
    # and the rolled-back Deployment is really rolled out again
    r = k8smig("wait", "--kubeconfig", KUBECONFIG, "-n", ns, "--applyset", "app", "--timeout", "60s")
    assert r.returncode == 0, r.stderr
    kc("delete", "namespace", ns, "--wait=false")


@needs_cluster
def test_history_is_bounded_and_rollback_prunes(tmp_path):
    ns = namespace()
    for i in range(1, 5):
        docs = [configmap("cfg", ns, str(i))] + ([configmap(f"extra{i}", ns)] if i == 3 else [])
        f = write(tmp_path, f"v{i}.yaml", *docs)
        r = k8smig("apply", "--kubeconfig", KUBECONFIG, "-n", ns, "-f", f, "--applyset", "app", "--prune", "--history-max", "3")
        assert r.returncode == 0 and f"applyset app: revision {i}" in r.stdout, r.stderr
    h = k8smig("history", "--kubeconfig", KUBECONFIG, "-n", ns, "--applyset", "app").stdout.splitlines()
    assert [l.split()[0] for l in h[1:]] == ["2", "3", "4"]  # the oldest went
    rec = json.loads(kc("get", "secret", "app.k8smig.rev.4", "-n", ns, "-o", "json").stdout)
    assert rec["type"] == "k8smig.io/revision.v1"
    assert base64.b64decode(rec["data"]["set"])[:2] == b"\x1f\x8b"  # gzip
    r = k8smig("rollback", "--kubeconfig", KUBECONFIG, "-n", ns, "--applyset", "app", "--to", "3", "--wait")
    assert r.returncode == 0, r.stderr
    assert "rolled back to revision 3 (recorded as revision 5)" in r.stdout
    assert json.loads(kc("get", "cm", "cfg", "-n", ns, "-o", "json").stdout)["data"] == {"v": "3"}
    assert "ConfigMap/extra3" in names(ns)
    r = k8smig("rollback", "--kubeconfig", KUBECONFIG, "-n", ns, "--applyset", "app")  # the one before: 4
    assert r.returncode == 0 and "configmap/extra3 pruned" in r.stdout, r.stdout + r.stderr
    assert "ConfigMap/extra3" not in names(ns)
    assert k8smig("rollback", "--kubeconfig", KUBECONFIG, "-n", ns, "--applyset", "app", "--to", "1").returncode == 1
    kc("delete", "namespace", ns, "--wait=false")


@needs_cluster
def test_delete_waits_for_finalizers_in_reverse_order(tmp_path):
    ns = namespace()
    held = (f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: held, namespace: {ns}, finalizers: [example.com/hold]}}\n"
            "data: {v: \"1\"}\n")
    f = write(tmp_path, "set.yaml", held, deployment("web", ns), configmap("cfg", ns))
    assert k8smig("apply", "--kubeconfig", KUBECONFIG, "-n", ns, "-f", f, "--applyset", "app").returncode == 0
    r = k8smig("delete", "--kubeconfig", KUBECONFIG, "-n", ns, "--applyset", "app", "--timeout", "3s")
    assert r.returncode == 1
    assert "1 of 1 objects still exist" in r.stderr or "still exist" in r.stderr
    # reverse phases: the Deployment goes before the ConfigMaps
    lines = r.stdout.splitlines()
    assert lines[0] == "deployment.apps/web deleted"

    def release():
        time.sleep(1.5)
        kc("patch", "configmap", "held", "-n", ns, "--type=merge", "-p", '{"metadata":{"finalizers":null}}')
    t = threading.Thread(target=release)
    t.start()
    r = k8smig("delete", "--kubeconfig", KUBECONFIG, "-n", ns, "--applyset", "app", "--timeout", "30s")
    t.join()
    assert r.returncode == 0, r.stderr
    assert names(ns) == []
    assert k8smig("history", "--kubeconfig", KUBECONFIG, "-n", ns, "--applyset", "app").stdout.count("\n") == 1
    # delete -f: no applyset
    assert k8smig("apply", "--kubeconfig", KUBECONFIG, "-f", f).returncode == 0
    kc("patch", "configmap", "held", "-n", ns, "--type=merge", "-p", '{"metadata":{"finalizers":null}}')
    r = k8smig("delete", "--kubeconfig", KUBECONFIG, "-f", f, "--timeout", "30s")
    assert r.returncode == 0, r.stderr
    assert names(ns) == []
    kc("delete", "namespace", ns, "--wait=false")


# ---- impersonation ----


@needs_cluster
def test_impersonation_flags_and_kubeconfig(tmp_path):
    r = k8smig("diff", "--kubeconfig", KUBECONFIG, "--as", "viewer", "-f",
               write(tmp_path, "cm.yaml", configmap("x", "default")))
    assert r.returncode == 2
    assert 'User "viewer" cannot' in r.stderr
    # as a group member that may do everything
    r = k8smig("diff", "--kubeconfig", KUBECONFIG, "--as", "ci-bot", "--as-group", "system:masters",
               "-f", str(tmp_path / "cm.yaml"))
    assert r.returncode == 1, r.stderr  # works: would create it
    # kubeconfig `as` / `as-groups`
    cfg = subprocess.run([harness_kubectl(), "kubectl", "--kubeconfig", KUBECONFIG, "config", "view", "--raw", "-o", "json"],
                         capture_output=True, text=True, check=True).stdout
    cfg = json.loads(cfg)
    ctx = next(c for c in cfg["contexts"] if c["name"] == "token")["context"]
    user = next(u for u in cfg["users"] if u["name"] == ctx["user"])
    user["user"]["as"] = "viewer"
    p = tmp_path / "as.kubeconfig"
    p.write_text(json.dumps(cfg))
    r = k8smig("diff", "--kubeconfig", str(p), "--context", "token", "-f", str(tmp_path / "cm.yaml"))
    assert r.returncode == 2 and 'User "viewer" cannot' in r.stderr
    user["user"]["as-groups"] = ["system:masters"]
    p.write_text(json.dumps(cfg))
    r = k8smig("diff", "--kubeconfig", str(p), "--context", "token", "-f", str(tmp_path / "cm.yaml"))
    assert r.returncode == 1, r.stderr


# ---- last: no planted Secret value in any stream ----


def test_zz_no_secret_value_in_any_output():
    assert STREAMS, "no k8smig run recorded"
    for s in STREAMS:
        for m in MARKERS:
            assert m not in s
        # under a sanitizer build (K8SMIG_BIN from build-asan), any report fails the run
        assert "Sanitizer" not in s and "runtime error:" not in s, s[-3000:]
