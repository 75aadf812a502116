"""The generated tree, rehearsed on the real test cluster (issue 10).

For the bundled spec and for tests/migrate/two-services.yaml (each renamed so
that nothing collides with what other suites leave on a shared cluster):

1. generate the tree; no overlay renders a cluster-scoped object (the
   server's own list of cluster-scoped resources decides);
2. apply the admin layer (k8s/cluster, and k8s/monitoring for the bundled
   spec) as the admin;
3. as the CI group (impersonation from the kubeconfig: `as`, `as-groups`,
   exactly as an EKS access entry maps the CI role to that group), run each
   environment's deploy job of .github/workflows/deploy.yml: the `run:`
   steps themselves, in order, with GitHub's `if:` rules, skipping only the
   steps that reach AWS or build k8smig (checkout, credentials, kubeconfig,
   install); twice per environment: zero Forbidden, zero conflicts, the
   second apply changes nothing;
4. every Deployment becomes available with at least its HPA's minimum;
5. deploy a new tag through the workflow's commands and see it roll out;
   run the generated k8s/scripts/rollback.sh and check the old tag is back
   and every Deployment has at least its HPA minimum available;
6. deploy an image nobody pushed: the apply's wait fails, the workflow's
   rollback step runs and the previous tag is back;
7. the CI group cannot create Namespaces, Roles or PersistentVolumes.

The figures (objects applied as CI, Forbidden, conflicts, rollback results)
are printed and written to $K8SMIG_REHEARSAL_REPORT when set.

The harness (tests/cluster, -kcm) stands in for scheduler and kubelet: pods
become Ready at once, pods whose image is under k8smig.invalid/ stay in
ImagePullBackOff; the controller manager runs Deployments, ReplicaSets and
the HPAs (which raise a Deployment to minReplicas even without metrics).
"""
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8SMIG = os.environ.get("K8SMIG_BIN", str(ROOT / "build/examples/cli/k8smig"))
KUBECONFIG = os.environ.get("K8SMIG_TEST_KUBECONFIG", "")
CI_USER = "rehearsal-ci"

needs_cluster = pytest.mark.skipif(not KUBECONFIG, reason="no test cluster (K8SMIG_TEST_KUBECONFIG)")

FIGURES = {}


@pytest.fixture(scope="module")
def tools():
    out = subprocess.run(["bash", str(ROOT / "tests/rehearsal/tools.sh")], check=True, capture_output=True,
                         text=True, timeout=900)
    d = Path(out.stdout.strip())
    assert (d / "kustomize").exists() and (d / "actionlint").exists()
    return d


def sh(cmd, env=None, cwd=None, check=True, timeout=300):
    p = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                       shell=isinstance(cmd, str), executable="/bin/bash" if isinstance(cmd, str) else None)
    if check and p.returncode != 0:
        raise AssertionError(f"{cmd} exited {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p


def admin_env(tools):
    env = dict(os.environ)
    env["KUBECONFIG"] = KUBECONFIG
    env["PATH"] = f"{Path(K8SMIG).parent}:{tools}:{env['PATH']}"
    return env


def ci_kubeconfig(tmp, group):
    """The admin's kubeconfig with the current user impersonating CI_USER in the CI group."""
    kc = yaml.safe_load(Path(KUBECONFIG).read_text())
    ctx = next(c for c in kc["contexts"] if c["name"] == kc["current-context"])
    user = next(u for u in kc["users"] if u["name"] == ctx["context"]["user"])
    user["user"]["as"] = CI_USER
    user["user"]["as-groups"] = [group]
    path = tmp / "ci.kubeconfig"
    path.write_text(yaml.safe_dump(kc))
    return str(path)


def kubectl_json(env, *args):
    return json.loads(sh(["kubectl", *args, "-o", "json"], env=env).stdout)


# ---- the workflow, run as GitHub would run its deploy job ----

SKIPPED_IDS = {"kubeconfig", "install"}  # AWS, and building k8smig: the test uses the harness and the built one


def expr(text, ctx):
    """${{ }} expressions of the generated workflow: github.*, env.*, vars.*, steps.<id>.outcome, job.status."""
    def one(m):
        e = m.group(1).strip()
        if e == "github.sha":
            return ctx["sha"]
        if e == "github.ref_name":
            return ctx["ref"]
        if e == "job.status":
            return "failure" if ctx["failed"] else "success"
        if e.startswith("env."):
            return ctx["env"].get(e[4:], "")
        if e.startswith("vars."):
            return ""
        m2 = re.fullmatch(r"steps\.([\w-]+)\.outcome", e)
        if m2:
            return ctx["outcomes"].get(m2.group(1), "")
        raise AssertionError(f"the rehearsal does not know the expression {e!r}")
    return re.sub(r"\$\{\{(.*?)\}\}", one, text)


def condition(cond, ctx):
    """The `if:` conditions the generator writes: always(), failure(), success(), ==, &&, ||."""
    if cond is None:
        return not ctx["failed"]
    e = re.sub(r"steps\.([\w-]+)\.outcome", lambda m: repr(ctx["outcomes"].get(m.group(1), "")), cond)
    e = e.replace("always()", "True").replace("failure()", repr(ctx["failed"])).replace("success()", repr(not ctx["failed"]))
    e = e.replace("&&", " and ").replace("||", " or ")
    assert re.fullmatch(r"[\w\s'=!()]*", e), f"unexpected condition {cond!r}"
    return bool(eval(e))  # noqa: S307 - only the tokens checked above


def run_job(workflow, job, tree, env_base, sha, ref, overrides=None):
    """Run the job's steps in a fresh copy of the tree (the checkout). Returns outcomes, output, summary."""
    j = workflow["jobs"][job]
    work = Path(env_base["REHEARSAL_TMP"]) / f"checkout-{job}-{sha}-{time.monotonic_ns()}"
    shutil.copytree(tree, work)
    ctx = {"sha": sha, "ref": ref, "failed": False, "outcomes": {}, "env": {}}
    env = dict(env_base)
    for k, v in workflow.get("env", {}).items():
        env[k] = str(v)
    ctx["env"] = env
    for k, v in j.get("env", {}).items():
        env[k] = expr(str(v), ctx)
    env.update(overrides or {})
    output, summary = (work / ".github-output"), (work / ".github-summary")
    env.update(GITHUB_OUTPUT=str(output), GITHUB_STEP_SUMMARY=str(summary), GITHUB_SHA=sha, RUNNER_TEMP=str(work))
    log = []
    for st in j["steps"]:
        if "uses" in st or st.get("id") in SKIPPED_IDS:
            continue
        if not condition(st.get("if"), ctx):
            if st.get("id"):
                ctx["outcomes"][st["id"]] = "skipped"
            continue
        step_env = dict(env)
        for k, v in st.get("env", {}).items():
            step_env[k] = expr(str(v), ctx)
        cwd = work / expr(st.get("working-directory", "."), ctx)
        p = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", expr(st["run"], ctx)],
                           cwd=cwd, env=step_env, capture_output=True, text=True, timeout=600)
        log.append(f"## {st['name']} (exit {p.returncode})\n{p.stdout}{p.stderr}")
        if st.get("id"):
            ctx["outcomes"][st["id"]] = "success" if p.returncode == 0 else "failure"
        if p.returncode != 0:
            ctx["failed"] = True
    text = "\n".join(log)
    summary_text = summary.read_text() if summary.exists() else ""
    shutil.rmtree(work)
    return ctx["outcomes"], text, summary_text


APPLY_LINE = re.compile(r"^(\S+/\S+) (created|configured|unchanged)$", re.M)


def count(text, word):
    return len(re.findall(word, text, re.I))


def deployments_at_min(env, ns, timeout=120):
    """Wait until every Deployment has >= its HPA's minReplicas available; return {name: (available, min)}."""
    deadline = time.monotonic() + timeout
    while True:
        deps = {d["metadata"]["name"]: d for d in kubectl_json(env, "-n", ns, "get", "deployments")["items"]}
        hpas = {h["spec"]["scaleTargetRef"]["name"]: h["spec"].get("minReplicas", 1)
                for h in kubectl_json(env, "-n", ns, "get", "hpa")["items"]}
        got = {n: (d["status"].get("availableReplicas", 0), hpas.get(n, 1)) for n, d in deps.items()}
        if deps and all(a >= m for a, m in got.values()):
            return got
        if time.monotonic() > deadline:
            raise AssertionError(f"{ns}: below the HPA minimum after {timeout}s: {got}")
        time.sleep(1)


def images(env, ns):
    return {d["metadata"]["name"]: d["spec"]["template"]["spec"]["containers"][0]["image"]
            for d in kubectl_json(env, "-n", ns, "get", "deployments")["items"]}


def rehearse(name, spec_text, tools, tmp_path):
    tree = tmp_path / "tree"
    spec = tmp_path / "spec.yaml"
    spec.write_text(spec_text)
    admin = admin_env(tools)
    sh([K8SMIG, "generate", "--spec", str(spec), "-o", str(tree)], env=admin)
    wf = yaml.safe_load((tree / ".github/workflows/deploy.yml").read_text())
    system = yaml.safe_load(spec_text)["name"]
    group = f"{system}-deployers"
    envs = [j for j in wf["jobs"] if j.startswith("deploy-")]
    assert envs, "the workflow has no deploy job"
    fig = FIGURES.setdefault(name, {"objects_applied_as_ci": 0, "forbidden": 0, "conflicts": 0})

    # 1. no overlay renders a cluster-scoped object (the server says which resources are)
    cluster_kinds = set(sh("kubectl api-resources --namespaced=false --no-headers | awk '{print $NF}'",
                           env=admin).stdout.split())
    assert "Namespace" in cluster_kinds and "PersistentVolume" in cluster_kinds
    for job in envs:
        overlay = tree / wf["jobs"][job]["env"]["OVERLAY"]
        objs = [o for o in yaml.safe_load_all(sh([K8SMIG, "render", str(overlay)], env=admin).stdout) if o]
        bad = [f"{o['kind']}/{o['metadata']['name']}" for o in objs if o["kind"] in cluster_kinds]
        assert not bad, f"{overlay} renders cluster-scoped objects: {bad}"
        assert all(o["metadata"].get("namespace") == wf["jobs"][job]["env"]["NAMESPACE"] for o in objs)

    # 2. the admin layer, as the admin (after what an earlier run left is gone)
    for doc in yaml.safe_load_all((tree / "k8s/cluster/namespaces.yaml").read_text()):
        sh(["kubectl", "wait", "--for=delete", f"namespace/{doc['metadata']['name']}", "--timeout=120s"], env=admin,
           check=False)
    sh([K8SMIG, "apply", "-k", str(tree / "k8s/cluster")], env=admin)
    if (tree / "k8s/monitoring").exists():
        mon_ns = yaml.safe_load((tree / "k8s/monitoring/kustomization.yaml").read_text()).get("namespace")
        sh([K8SMIG, "apply", "-k", str(tree / "k8s/monitoring"), "--applyset", f"{system}-monitoring", "-n",
            mon_ns or "default", "--prune", "--wait", "--timeout", "2m"], env=admin)

    ci = dict(admin)
    ci["KUBECONFIG"] = ci_kubeconfig(tmp_path, group)
    ci["REHEARSAL_TMP"] = str(tmp_path)
    ref = next(b for b in wf["on"]["push"]["branches"])  # any branch: the test runs each job itself
    try:
        for job in envs:
            ns = wf["jobs"][job]["env"]["NAMESPACE"]
            # 3. deploy rh-1 twice through the workflow's own steps, as CI
            for attempt in (1, 2):
                out, log, summary = run_job(wf, job, tree, ci, "rh-1", ref, {"TAG": "rh-1"})
                assert out.get("apply") == "success", log
                assert out.get("rollback") == "skipped", log
                applied = APPLY_LINE.findall(log)
                assert applied, log
                fig["objects_applied_as_ci"] += len(applied)
                fig["forbidden"] += count(log, "forbidden")
                fig["conflicts"] += count(log, "conflict")
                assert count(log, "forbidden") == 0 and count(log, "conflict") == 0, log
                if attempt == 2:
                    changed = [o for o, state in applied if state != "unchanged"]
                    assert not changed, f"the second apply changed {changed}\n{log}"
                assert "`rh-1`" in summary and "deployed" in summary, summary
            # 4. available, at least the HPA minimum
            at_min = deployments_at_min(admin, ns)
            assert all(i.endswith(":rh-1") for i in images(admin, ns).values())

            # 5. a new tag through the workflow, then the generated rollback script
            out, log, summary = run_job(wf, job, tree, ci, "rh-2", ref, {"TAG": "rh-2"})
            assert out.get("apply") == "success" and count(log, "forbidden|conflict") == 0, log
            assert all(i.endswith(":rh-2") for i in images(admin, ns).values()), images(admin, ns)
            env_name = wf["jobs"][job]["env"]["ENVIRONMENT"]
            p = sh(["bash", str(tree / "k8s/scripts/rollback.sh"), env_name], env=ci, check=False)
            assert p.returncode == 0, p.stdout + p.stderr
            assert count(p.stdout + p.stderr, "forbidden|conflict") == 0, p.stdout + p.stderr
            back = images(admin, ns)
            assert all(i.endswith(":rh-1") for i in back.values()), back
            after = deployments_at_min(admin, ns, timeout=5)  # the script itself waited for this
            # and the HPAs still act (an HPA stops at a Deployment of 0 replicas: ScalingDisabled)
            for h in kubectl_json(admin, "-n", ns, "get", "hpa")["items"]:
                reasons = {c.get("reason") for c in h.get("status", {}).get("conditions", [])}
                assert "ScalingDisabled" not in reasons, h["status"]
            fig.setdefault("rollback", {})[env_name] = {d: f"{a} available, HPA min {m}" for d, (a, m) in after.items()}

            out, log, summary = run_job(wf, job, tree, ci, "rh-3", ref, {"TAG": "rh-3"})
            assert out.get("apply") == "success" and count(log, "forbidden|conflict") == 0, log
            assert all(i.endswith(":rh-3") for i in images(admin, ns).values())
            deployments_at_min(admin, ns)

        # 6. an image nobody pushed: the wait fails, the workflow's rollback step restores rh-3
        job = envs[0]
        ns = wf["jobs"][job]["env"]["NAMESPACE"]
        t0 = time.monotonic()
        out, log, summary = run_job(wf, job, tree, ci, "rh-bad", ref,
                                    {"TAG": "rh-bad", "ECR_REGISTRY": "k8smig.invalid/rehearsal", "ROLLOUT_TIMEOUT": "10s"})
        assert out.get("apply") == "failure", log
        assert out.get("rollback") == "success", log
        assert count(log, "forbidden|conflict") == 0, log
        assert "rollback: success" in summary, summary
        assert all(i.endswith(":rh-3") and "k8smig.invalid" not in i for i in images(admin, ns).values())
        deployments_at_min(admin, ns)
        fig["failed_rollout_rolled_back_in_s"] = round(time.monotonic() - t0, 1)

        # 7. nothing cluster-wide, no RBAC for CI
        for verb, res, extra in [("create", "namespaces", []), ("create", "persistentvolumes", []),
                                 ("create", "storageclasses", []), ("create", "roles", ["-n", ns]),
                                 ("create", "rolebindings", ["-n", ns]), ("update", "deployments", ["-n", ns]),
                                 ("list", "deployments", ["-A"])]:
            p = sh(["kubectl", "auth", "can-i", verb, res, *extra], env=ci, check=False)
            assert p.stdout.strip() == "no", f"CI may {verb} {res} {extra}"
    finally:
        # everything this rehearsal made, by the admin (namespace deletion finishes in the background)
        sh(["kubectl", "delete", "--wait=false", "--ignore-not-found", "-k", str(tree / "k8s/cluster")], env=admin,
           check=False)
        if (tree / "k8s/monitoring").exists():
            sh(["kubectl", "delete", "--wait=false", "--ignore-not-found", "-k", str(tree / "k8s/monitoring")],
               env=admin, check=False)
    report = os.environ.get("K8SMIG_REHEARSAL_REPORT")
    if report:
        Path(report).write_text(json.dumps(FIGURES, indent=1, sort_keys=True))
    print(json.dumps({name: fig}, indent=1, sort_keys=True))


@needs_cluster
def test_rehearsal_bundled(tools, tmp_path):
    text = subprocess.run([K8SMIG, "generate", "--print-spec"], check=True, capture_output=True,
                          text=True).stdout
    # its own names and StorageClass: nothing collides with what other suites leave on the cluster
    text = text.replace("layering-detection", "rh-layering").replace("storageClass: efs-sc", "storageClass: rh-efs-sc")
    rehearse("bundled", text, tools, tmp_path)


@needs_cluster
def test_rehearsal_two_services(tools, tmp_path):
    text = (ROOT / "tests/migrate/two-services.yaml").read_text().replace("billing", "rh-billing")
    rehearse("two-services", text, tools, tmp_path)


def test_workflow_passes_actionlint(tools, tmp_path):
    """actionlint (github.com/rhysd/actionlint) on the workflow of both specs, gitops too."""
    specs = {
        "bundled": subprocess.run([K8SMIG, "generate", "--print-spec"], check=True, capture_output=True,
                                  text=True).stdout,
        "two-services": (ROOT / "tests/migrate/two-services.yaml").read_text(),
    }
    specs["gitops"] = specs["bundled"] + "\ngitops: {}\n"
    for name, text in specs.items():
        d = tmp_path / name
        d.mkdir()
        (d / "spec.yaml").write_text(text)
        subprocess.run([K8SMIG, "generate", "--spec", str(d / "spec.yaml"), "-o", str(d)], check=True,
                       capture_output=True)
        wf = d / ".github/workflows/deploy.yml"
        p = subprocess.run([str(tools / "actionlint"), "-no-color", str(wf)], capture_output=True, text=True)
        assert p.returncode == 0, f"{name}: {p.stdout}{p.stderr}"
        # and actionlint does fail on a broken workflow: the check is not vacuous
        broken = d / "broken.yml"
        broken.write_text(wf.read_text().replace("runs-on:", "runs_on:", 1))
        assert subprocess.run([str(tools / "actionlint"), "-no-color", str(broken)],
                              capture_output=True).returncode != 0
