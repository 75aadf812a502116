"""Independent readers of the golden output.

PyYAML (YAML 1.1, the rules kubectl's go-yaml v2 follows), ruamel.yaml (YAML 1.2) and
`kubectl kustomize` must read every golden YAML as the same data that Python's json module
reads from the golden JSON. The quoting case is also checked against a list written here,
independently of what k8smig emits.
"""
import json
import shutil
import subprocess
import tempfile

import pytest
import yaml
from ruamel.yaml import YAML

from conftest import HERE, case_name, cases

GOLDEN = [c for c in cases()]


def json_stream(text):
    dec, i, out = json.JSONDecoder(), 0, []
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return out
        obj, i = dec.raw_decode(text, i)
        out.append(obj)


def golden_pair(case):
    name = case_name(case)
    return (HERE / f"{name}.yaml").read_text(encoding="utf-8"), json_stream((HERE / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", GOLDEN, ids=case_name)
def test_pyyaml_reads_yaml_as_json(case):
    text, docs = golden_pair(case)
    assert list(yaml.load_all(text, Loader=yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader)) == docs
    assert list(yaml.safe_load_all(text)) == docs


@pytest.mark.parametrize("case", GOLDEN, ids=case_name)
def test_yaml12_reader_agrees(case):
    text, docs = golden_pair(case)
    ry = YAML(typ="safe", pure=True)
    assert [json.loads(json.dumps(d)) for d in ry.load_all(text)] == docs


@pytest.mark.parametrize("case", GOLDEN, ids=case_name)
def test_kubectl_reads_yaml_as_json(case):
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl is needed as an independent reader"
    text, docs = golden_pair(case)
    with tempfile.TemporaryDirectory() as d:
        with open(f"{d}/objects.yaml", "w", encoding="utf-8") as f:
            f.write(text)
        with open(f"{d}/kustomization.yaml", "w", encoding="utf-8") as f:
            f.write("resources:\n- objects.yaml\n")
        r = subprocess.run([kubectl, "kustomize", d], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr
    key = lambda o: (o.get("kind", ""), o.get("metadata", {}).get("name", ""))
    got = sorted(yaml.safe_load_all(r.stdout), key=key)
    want = sorted(docs, key=key)
    if case_name(case) == "quoting":
        # kustomize re-emits U+0085 raw, which every YAML reader then folds into a
        # space: a kustomize emitter limit, not a reading difference. The other
        # readers check that string.
        got[0]["data"].pop("nel")
        want[0]["data"].pop("nel")
    assert got == want


EXPECTED_QUOTING = {
    "yes": "yes", "no": "no", "on": "on", "off": "off", "y": "y", "n": "n", "true": "true", "null": "null",
    "tilde": "~", "octal": "0755", "hex": "0x1F", "exp": "1e3", "underscore": "1_000", "time": "12:30",
    "date": "2024-01-01", "inf": ".inf", "empty": "", "leading-space": " x", "trailing-space": "x ",
    "colon-space": "a: b", "space-hash": "a #b", "dash-space": "- x", "at": "@x", "backtick": "`x",
    "star": "*x", "amp": "&x", "bang": "!x", "percent": "%x", "brace": "{x", "bracket": "[x",
    "control": "bell\a", "tab": "a\tb", "port": "8000", "float": "0.5", "flag": "--port=8080",
    "unicode": "héllo – ✓", "nel": "a\x85b",
}


def test_quoted_strings_come_back_as_the_same_strings():
    text = (HERE / "quoting.yaml").read_text(encoding="utf-8")
    for data in (yaml.safe_load(text)["data"], YAML(typ="safe", pure=True).load(text)["data"]):
        assert data == EXPECTED_QUOTING
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in data.items())


def test_fluent_bit_config_stays_a_readable_block():
    text = (HERE / "fluent-bit-config.yaml").read_text(encoding="utf-8")
    assert "  application-log.conf: |\n    [INPUT]\n" in text
    assert "  fluent-bit.conf: |\n    [SERVICE]\n" in text
    assert "  parsers.conf: |-\n" in text
