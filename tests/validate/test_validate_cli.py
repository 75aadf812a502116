"""`k8smig validate`: the good set, one fixture per finding code (bad half and fixed half), output forms."""
import json
import os
import pathlib
import re
import subprocess

import pytest

K8SMIG = os.environ.get("K8SMIG_BIN", "k8smig")
HERE = pathlib.Path(__file__).resolve().parent
CASES = sorted((HERE / "cases").glob("*.yaml"))
SEPARATOR = "# ---- fixed ----\n"
TEXT_LINE = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+): (?P<sev>error|warning|info) (?P<code>K8SMIG-[A-Z0-9-]+) "
                       r"(?P<obj>\S+) (?P<path>\S+): (?P<msg>.+)$")


def run(*args, stdin=None):
    return subprocess.run([K8SMIG, *args], input=stdin, capture_output=True, check=False, timeout=60)


def expectation(text):
    m = re.search(r"^# expect: (\w+) (\S+) (\S+) (\S+) (\S+) (.+)$", text, re.M)
    assert m, "fixture has no '# expect:' line"
    sev, code, kind, ns, name, path = m.groups()
    return {"severity": sev, "code": code, "kind": kind, "namespace": "" if ns == "-" else ns, "name": name,
            "path": path}


def split(case, tmp_path):
    text = case.read_text()
    assert text.count(SEPARATOR) == 1, "fixture needs exactly one '# ---- fixed ----' line"
    bad, good = text.split(SEPARATOR)
    bad_file, good_file = tmp_path / ("bad-" + case.name), tmp_path / ("fixed-" + case.name)
    bad_file.write_text(bad)
    # keep the fixed half's line numbers as in the fixture
    good_file.write_text("\n" * bad.count("\n") + good)
    return expectation(text), bad_file, good_file


def test_layering_system_has_zero_findings():
    r = run("validate", str(HERE / "layering-system.yaml"))
    assert r.returncode == 0, r.stdout.decode() + r.stderr.decode()
    assert r.stdout == b""
    assert b": 0 errors, 0 warnings" in r.stderr
    r = run("validate", "-o", "json", str(HERE / "layering-system.yaml"))
    assert r.returncode == 0 and json.loads(r.stdout) == []


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_case_bad_half_yields_exactly_the_finding(case, tmp_path):
    want, bad, _ = split(case, tmp_path)
    r = run("validate", "-o", "json", str(bad))
    findings = json.loads(r.stdout)
    assert len(findings) == 1, findings
    f = findings[0]
    assert {k: f[k] for k in want} == want
    assert f["file"] == str(bad) and f["line"] > 0 and f["message"]
    assert r.returncode == (1 if want["severity"] == "error" else 0)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_case_fixed_half_has_zero_findings(case, tmp_path):
    _, _, good = split(case, tmp_path)
    r = run("validate", "-o", "json", str(good))
    assert json.loads(r.stdout) == [], r.stdout.decode()
    assert r.returncode == 0


def test_text_form(tmp_path):
    _, bad, _ = split(HERE / "cases" / "cross-namespace.yaml", tmp_path)
    r = run("validate", str(bad))
    assert r.returncode == 1
    lines = r.stdout.decode().splitlines()
    assert len(lines) == 1
    m = TEXT_LINE.match(lines[0])
    assert m, lines[0]
    assert m["file"] == str(bad) and m["line"] == "3" and m["sev"] == "error"
    assert m["code"] == "K8SMIG-CROSS-NAMESPACE" and m["obj"] == "Deployment/prod/web"
    assert m["path"] == "spec.template.spec.containers[0].envFrom[0].configMapRef.name"
    # no namespace: kind/name
    _, bad, _ = split(HERE / "cases" / "required.yaml", tmp_path)
    r = run("validate", str(bad))
    assert TEXT_LINE.match(r.stdout.decode().strip())["obj"] == "Deployment/web"


def test_warnings_alone_exit_0(tmp_path):
    _, bad, _ = split(HERE / "cases" / "configmap-credential-value.yaml", tmp_path)
    r = run("validate", str(bad))
    assert r.returncode == 0
    assert b"K8SMIG-CONFIGMAP-CREDENTIAL" in r.stdout
    assert b"AKIA" not in r.stdout and b"AKIA" not in r.stderr


def test_directories_are_read_recursively_and_references_cross_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b").mkdir()
    (tmp_path / "a" / "deploy.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n"
        "      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n"
        "      serviceAccountName: web\n      containers:\n        - name: web\n          image: nginx\n")
    (tmp_path / "a" / "b" / "sa.yml").write_text("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n")
    (tmp_path / "a" / "notes.txt").write_text("not a manifest: {{{\n")
    r = run("validate", str(tmp_path / "a"))
    assert r.returncode == 0, r.stdout.decode() + r.stderr.decode()
    assert b"2 objects: 0 errors, 0 warnings" in r.stderr
    r = run("validate", str(tmp_path / "a" / "deploy.yaml"))
    assert r.returncode == 1 and b"K8SMIG-SERVICEACCOUNT-MISSING" in r.stdout


def test_stdin_and_parse_errors(tmp_path):
    r = run("validate", "-", stdin=b"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Bad_Name\n")
    assert r.returncode == 1 and r.stdout.startswith(b"<stdin>:1: error K8SMIG-NAME-INVALID Namespace/Bad_Name")
    bad = tmp_path / "broken.yaml"
    bad.write_text("a: [1, 2\n")
    r = run("validate", str(bad))
    assert r.returncode == 1 and r.stdout == b"" and str(bad).encode() in r.stderr


def test_usage_errors_exit_2():
    assert run("validate").returncode == 2
    assert run("validate", "-o", "xml", "x.yaml").returncode == 2
    assert run("validate", "--bogus", "x.yaml").returncode == 2
    assert run("validate", "-h").returncode == 0
