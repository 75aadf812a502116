"""The k8smig command: version, fmt, and every kind of bad input fmt must survive."""
import os
import re
import subprocess

import pytest

K8SMIG = os.environ.get("K8SMIG_BIN", "k8smig")
ERROR_LINE = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<msg>[^\n]+)\n$")


def run(*args, stdin=None):
    return subprocess.run([K8SMIG, *args], input=stdin, capture_output=True, check=False, timeout=60)


def test_version():
    r = run("version")
    assert r.returncode == 0
    assert re.match(rb"^k8smig \d+\.\d+\.\d+ \(libk8smig \d+\.\d+\.\d+\)\n$", r.stdout)


def test_usage_errors_exit_2():
    assert run().returncode == 2
    assert run("frobnicate").returncode == 2
    assert run("fmt", "-o", "xml").returncode == 2
    assert run("fmt", "--bogus").returncode == 2


def test_fmt_reads_stdin_and_many_files(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.json"
    a.write_text("kind: A\napiVersion: v1\n")
    b.write_text('{"apiVersion": "v1", "kind": "B"}')
    r = run("fmt", str(a), str(b))
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"apiVersion: v1\nkind: A\n---\napiVersion: v1\nkind: B\n"
    r = run("fmt", "-o", "json", "-", stdin=b"kind: C\n")
    assert r.stdout == b'{\n    "kind": "C"\n}\n'


BAD_INPUTS = {
    "unclosed-flow": (b"a: [1, 2\n", 2, 1),
    "duplicate-key": (b"metadata:\n  name: a\n  name: b\n", 3, 3),
    "bad-indent": (b"a:\n  b: 1\n c: 2\n", 3, 2),
    "tab-indent": (b"a: 1\n\tb: 2\n", 2, 1),
    "not-a-mapping": (b"- just\n- a list\n", 1, 1),
    "scalar-doc": (b"hello\n", 1, 1),
    "unknown-alias": (b"a: *x\n", 1, 4),
    "custom-tag": (b"a: !Ref x\n", 1, 4),
    "invalid-utf8": (b"a: \xff\xfe\n", 1, 4),
    "nul-byte": (b"a: b\x00c\n", 1, 5),
    "json-trailing-comma": (b'{"a": 1,}\n', 1, 9),
    "json-duplicate": (b'{"a": 1, "a": 2}\n', 1, 12),
    "json-not-object": (b'{"a": 1}\n[2]\n', 2, 1),
    "deep-nesting": (b"a: " + b"[" * 1000 + b"\n", 1, None),
    "alias-bomb": (b"a: &a [x,x,x,x,x,x,x,x,x,x]\n" + b"".join(
        b"%c: &%c [%s]\n" % (97 + i, 97 + i, b",".join([b"*%c" % (96 + i)] * 10)) for i in range(1, 8)), None, None),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_fmt_bad_input_is_one_line_error(tmp_path, name):
    data, line, col = BAD_INPUTS[name]
    f = tmp_path / f"{name}.yaml"
    f.write_bytes(data)
    r = run("fmt", str(f))
    assert r.returncode == 1
    assert r.stdout == b"", "nothing may be printed when the input is bad"
    err = r.stderr.decode()
    m = ERROR_LINE.match(err)
    assert m, f"not a file:line:column: message line: {err!r}"
    assert m["file"] == str(f)
    if line is not None:
        assert int(m["line"]) == line, err
    if col is not None:
        assert int(m["col"]) == col, err
    if col is None and line is None:
        assert "alias" in m["msg"]


def test_fmt_error_names_field_path(tmp_path):
    f = tmp_path / "d.yaml"
    f.write_text("spec:\n  template:\n    spec:\n      containers:\n      - name: a\n        name: b\n")
    r = run("fmt", str(f))
    assert r.returncode == 1
    assert r.stderr.decode() == f"{f}:6:9: duplicate key (at spec.template.spec.containers[0].name)\n"


def test_fmt_never_prints_values_in_errors(tmp_path):
    f = tmp_path / "secret.yaml"
    f.write_text("apiVersion: v1\nkind: Secret\nstringData:\n  password: hunter2-supersecret\n  password: again-supersecret\n")
    r = run("fmt", str(f))
    assert r.returncode == 1
    assert b"supersecret" not in r.stderr


def test_fmt_bad_file_in_the_middle_prints_nothing(tmp_path):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text("kind: A\n")
    bad.write_text("kind: [\n")
    r = run("fmt", str(good), str(bad), str(good))
    assert r.returncode == 1
    assert r.stdout == b""
    assert r.stderr.decode().startswith(f"{bad}:2:1: ")


def test_fmt_missing_file(tmp_path):
    r = run("fmt", str(tmp_path / "nope.yaml"))
    assert r.returncode == 1
    assert str(tmp_path / "nope.yaml").encode() in r.stderr


def test_fmt_large_stream(tmp_path):
    """10,000 documents in, 10,000 out, same data."""
    docs = "".join(f"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\ndata:\n  k: v{i}\n" for i in range(10000))
    r = run("fmt", "-", stdin=docs.encode())
    assert r.returncode == 0
    assert r.stdout.count(b"---\n") == 9999
    assert b"name: cm-9999\n" in r.stdout
