"""Hostile input (issue 15): each a clear error (or a correct result), in bounded time and
memory, with existing outputs untouched. Peak memory is the child's own (wait4's rusage)."""
import hashlib
import os
import re
import subprocess
import time

import pytest

K8SMIG = os.environ.get("K8SMIG_BIN", "k8smig")
HERE = os.path.dirname(os.path.abspath(__file__))
TWO_SERVICES = os.path.join(HERE, "..", "migrate", "two-services.yaml")
ASAN = "asan" in K8SMIG  # the sanitizer build's baseline is larger


class Run:
    def __init__(self, rc, out, err, seconds, rss_mb):
        self.returncode, self.stdout, self.stderr, self.seconds, self.rss_mb = rc, out, err, seconds, rss_mb


def run(*args, stdin=None, timeout=60):
    """Run k8smig under GNU time; its exit status, output, wall time and peak RSS (MB)."""
    t0 = time.monotonic()
    try:
        p = subprocess.run(["/usr/bin/time", "-f", "K8SMIG-MAXRSS-KB=%M", K8SMIG, *args], input=stdin,
                           capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"k8smig {' '.join(args)} still running after {timeout} s")
    dt = time.monotonic() - t0
    err = p.stderr.decode(errors="replace")
    m = re.search(r"(?:Command exited with non-zero status \d+\n)?K8SMIG-MAXRSS-KB=(\d+)\n$", err)
    assert m, err
    return Run(p.returncode, p.stdout, err[:m.start()], dt, int(m[1]) / 1024)


def small(mb):
    return mb * 4 if ASAN else mb


def test_2gb_file_refused_by_size_in_bounded_memory(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as f:
        f.truncate(2 << 30)  # sparse: costs no disk
    for cmd in (["fmt", str(big)], ["validate", str(big)]):
        r = run(*cmd)
        assert r.returncode == 1, r.stderr
        assert f"{big}: input is larger than the limit of 268435456 bytes" in r.stderr
        assert r.stdout == b""
        assert r.seconds < 5
        assert r.rss_mb < small(64), f"{cmd[0]}: {r.rss_mb:.0f} MB"


def test_2gb_kustomization_refused_in_bounded_memory(tmp_path):
    d = tmp_path / "k"
    d.mkdir()
    with open(d / "kustomization.yaml", "wb") as f:
        f.truncate(2 << 30)
    r = run("render", str(d))
    assert r.returncode == 1
    assert "larger than the limit" in r.stderr, r.stderr
    assert r.rss_mb < small(64)


def test_100000_documents(tmp_path):
    docs = "".join(f"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm-{i}}}\ndata: {{k: v{i}}}\n"
                   for i in range(100000)).encode()
    r = run("fmt", "-", stdin=docs, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count(b"\n---\n") == 99999
    assert b"  name: cm-99999\n" in r.stdout
    assert r.seconds < (60 if ASAN else 15)
    assert r.rss_mb < small(400), f"{r.rss_mb:.0f} MB"


@pytest.mark.parametrize("name,data,msg", [
    ("yaml-flow", b"a: " + b"[" * 100000 + b"\n", "nesting is deeper than the limit"),
    ("yaml-block", b"a:\n" + b"- " * 100000 + b"x\n", "nesting is deeper than the limit"),  # compact block sequences
    ("json", b'{"a":' * 100000, "nesting is deeper than the limit"),
])
def test_100000_deep_nesting(tmp_path, name, data, msg):
    f = tmp_path / f"deep-{name}.yaml"
    f.write_bytes(data)
    r = run("fmt", str(f))
    assert r.returncode == 1
    assert msg in r.stderr, r.stderr
    assert re.match(rf"^{re.escape(str(f))}:\d+:\d+: ", r.stderr)
    assert r.stdout == b""
    assert r.seconds < 10
    assert r.rss_mb < small(128), f"{r.rss_mb:.0f} MB"


def test_alias_bomb_nine_levels(tmp_path):
    # a billion laughs: 10^9 nodes if expanded
    lines = [b"a0: &a0 [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
    lines += [b"a%d: &a%d [%s]" % (i, i, b",".join([b"*a%d" % (i - 1)] * 10)) for i in range(1, 10)]
    f = tmp_path / "bomb.yaml"
    f.write_bytes(b"\n".join(lines) + b"\n")
    r = run("fmt", str(f))
    assert r.returncode == 1
    assert "alias" in r.stderr
    assert r.seconds < 10
    assert r.rss_mb < small(256), f"{r.rss_mb:.0f} MB"


def test_bom_is_read_as_if_absent(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_bytes(b"\xef\xbb\xbfapiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    b.write_bytes(b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    ra, rb = run("fmt", str(a)), run("fmt", str(b))
    assert ra.returncode == 0, ra.stderr
    assert ra.stdout == rb.stdout


@pytest.mark.parametrize("data", [
    b"a: b\xc3\n",            # truncated UTF-8
    b"a: \xed\xa0\x80\n",     # an encoded surrogate
    b"a: \xc0\xaf\n",         # overlong '/'
    b"\xef\xbb\xbfa: 1\n\xff\n",
    b"a: 1\x00\n",
    b"a:\n\tb: 1\n",
])
def test_bad_bytes_are_one_clear_error(tmp_path, data):
    f = tmp_path / "bad.yaml"
    f.write_bytes(data)
    r = run("fmt", str(f))
    assert r.returncode == 1
    assert r.stdout == b""
    assert re.match(rf"^{re.escape(str(f))}:\d+:\d+: [^\n]+\n$", r.stderr), r.stderr


def test_numbers_beyond_int64_are_never_wrapped():
    r = run("fmt", "-o", "json", "-", stdin=b"max: 9223372036854775807\nmin: -9223372036854775808\n"
                                              b"over: 9223372036854775808\nunder: -9223372036854775809\n"
                                              b"huge: 99999999999999999999\n")
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode()
    assert '"max": 9223372036854775807' in out
    assert '"min": -9223372036854775808' in out
    # beyond int64 a number is read as a float (as kubectl's YAML reader does): never a wrapped integer
    over = re.search(r'"over": ([^,\n]+)', out)[1]
    under = re.search(r'"under": ([^,\n]+)', out)[1]
    huge = re.search(r'"huge": ([^,\n]+)', out)[1]
    assert float(over) == 9223372036854775808.0 and not over.startswith("-")
    assert float(under) == -9223372036854775809.0 and under.startswith("-")
    assert float(huge) == 1e20


def tree_digest(root):
    """Every file and link under root, with its content hash."""
    out = {}
    for d, dirs, files in os.walk(root):
        for n in files + dirs:
            p = os.path.join(d, n)
            rel = os.path.relpath(p, root)
            if os.path.islink(p):
                out[rel] = "link:" + os.readlink(p)
            elif os.path.isfile(p):
                out[rel] = hashlib.sha256(open(p, "rb").read()).hexdigest()
            else:
                out[rel] = "dir"
    return out


@pytest.mark.parametrize("name", ["../evil", "a/b", "..", "x\\0y", "/etc", "x\\u0000y", "ok\\n../../evil"])
def test_hostile_service_names_in_a_spec(tmp_path, name):
    out = tmp_path / "out"
    r = run("generate", "--spec", TWO_SERVICES, "-o", str(out))
    assert r.returncode == 0, r.stderr
    before, outside = tree_digest(out), os.listdir(tmp_path)
    spec = open(TWO_SERVICES).read().replace("  - name: worker", f'  - name: "{name}"', 1)
    assert spec != open(TWO_SERVICES).read()
    evil = tmp_path / "evil.yaml"
    evil.write_text(spec)
    r = run("generate", "--spec", str(evil), "-o", str(out))
    assert r.returncode == 1
    assert "(at services[1].name)" in r.stderr, r.stderr
    assert tree_digest(out) == before
    assert sorted(os.listdir(tmp_path)) == sorted(outside + ["evil.yaml"])
    assert not os.path.exists(tmp_path / "evil")


def test_kubeconfig_pointing_at_dev_zero(tmp_path):
    m = tmp_path / "m.yaml"
    m.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: default}\n")
    r = run("apply", "-f", str(m), "--kubeconfig", "/dev/zero")
    assert r.returncode == 1
    assert "/dev/zero: input is larger than the limit of 16777216 bytes" in r.stderr, r.stderr
    assert r.seconds < 10
    assert r.rss_mb < small(128), f"{r.rss_mb:.0f} MB"


def test_kubeconfig_and_input_pointing_at_a_fifo(tmp_path):
    m = tmp_path / "m.yaml"
    m.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: default}\n")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    # no writer: read as empty at once, never a blocked open
    r = run("apply", "-f", str(m), "--kubeconfig", str(fifo), timeout=20)
    assert r.returncode == 1
    assert str(fifo) in r.stderr and "one document" in r.stderr, r.stderr
    assert r.seconds < 10
    r = run("fmt", str(fifo), timeout=20)
    assert r.returncode == 0 and r.stdout == b""
    assert r.seconds < 10



def test_kubeconfig_at_an_endless_fifo_or_dev_urandom_or_a_link_to_dev_zero(tmp_path):
    """A FIFO whose writer never stops, a character device of endless bytes, a link to one: the
    size limit ends the read in bounded time and memory."""
    m = tmp_path / "m.yaml"
    m.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: default}\n")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    link = tmp_path / "zero"
    os.symlink("/dev/zero", link)
    writer = subprocess.Popen(["sh", "-c", f"while :; do echo 'apiVersion: v1'; done > {fifo}"],
                              stderr=subprocess.DEVNULL)
    try:
        for kc in (str(fifo), "/dev/urandom", str(link)):
            r = run("apply", "-f", str(m), "--kubeconfig", kc, timeout=30)
            assert r.returncode == 1
            assert f"{kc}: input is larger than the limit of 16777216 bytes" in r.stderr, r.stderr
            assert r.seconds < 10
            assert r.rss_mb < small(128), f"{kc}: {r.rss_mb:.0f} MB"
    finally:
        writer.kill()
        writer.wait()

# ---- symbolic links in a kustomization directory: the load restrictor sees through them ----
# Each case is checked against `kubectl kustomize` (kustomize v5, LoadRestrictionsRootOnly) on
# the same tree: kustomize resolves every file it loads (resources, patches, generator files, the
# kustomization file itself) with EvalSymlinks and refuses one whose real path is outside the
# kustomization's root; directories named in resources are not restricted.

OUTSIDE_MARK = "OUTSIDE-MARKER-5c1e"


def cm(name, value="v"):
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  k: {value}\n"


def plant(base, case):
    """base/root (the kustomization) and base/outside; returns the root."""
    root, out = base / "root", base / "outside"
    (out / "sub").mkdir(parents=True)
    (out / "kdir").mkdir()
    root.mkdir(exist_ok=True)
    (out / "out.yaml").write_text(cm("out", OUTSIDE_MARK))
    (out / "sub" / "a.yaml").write_text(cm("out", OUTSIDE_MARK))
    (out / "kdir" / "kustomization.yaml").write_text("resources:\n- a.yaml\n")
    (out / "kdir" / "a.yaml").write_text(cm("kd"))
    (out / "env").write_text(f"SECRET={OUTSIDE_MARK}\n")
    (out / "data.txt").write_text(OUTSIDE_MARK + "\n")
    (out / "p6902.yaml").write_text(f"- op: add\n  path: /data/x\n  value: {OUTSIDE_MARK}\n")
    (out / "smp.yaml").write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: in\ndata:\n  x: {OUTSIDE_MARK}\n")
    (out / "kust.yaml").write_text("resources:\n- in.yaml\n")
    (root / "in.yaml").write_text(cm("in"))
    k = root / "kustomization.yaml"
    link, target, kust = SYMLINK_CASES[case]
    if link:
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        t = target.replace("@", str(base))
        os.symlink(t if t.startswith("/") else os.path.relpath(base / t, (root / link).parent), root / link)
    if kust is not None:
        k.write_text(kust)
    return root


# case: (link planted in root, its target (relative to the case's base; '@' = base), kustomization)
SYMLINK_CASES = {
    "resource-file": ("r.yaml", "outside/out.yaml", "resources:\n- in.yaml\n- r.yaml\n"),
    "resource-file-absolute": ("r.yaml", "@/outside/out.yaml", "resources:\n- in.yaml\n- r.yaml\n"),
    "directory-component": ("sub", "outside/sub", "resources:\n- in.yaml\n- sub/a.yaml\n"),
    "deep-directory-component": ("d/l", "outside", "resources:\n- in.yaml\n- d/l/sub/a.yaml\n"),
    "kustomization-file": ("kustomization.yaml", "outside/kust.yaml", None),
    "patch": ("p.yaml", "outside/smp.yaml", "resources:\n- in.yaml\npatches:\n- path: p.yaml\n"),
    "patch-json6902": ("p.yaml", "outside/p6902.yaml",
                       "resources:\n- in.yaml\npatches:\n- path: p.yaml\n  target:\n    kind: ConfigMap\n"),
    "patchesStrategicMerge": ("p.yaml", "outside/smp.yaml", "resources:\n- in.yaml\npatchesStrategicMerge:\n- p.yaml\n"),
    "patchesJson6902": ("p.yaml", "outside/p6902.yaml", "resources:\n- in.yaml\npatchesJson6902:\n- path: p.yaml\n"
                        "  target:\n    version: v1\n    kind: ConfigMap\n    name: in\n"),
    "generator-file": ("data.txt", "outside/data.txt", "configMapGenerator:\n- name: g\n  files:\n  - data.txt\n"),
    "generator-file-with-key": ("data.txt", "outside/data.txt", "configMapGenerator:\n- name: g\n  files:\n  - k=data.txt\n"),
    "generator-envs": ("env", "outside/env", "secretGenerator:\n- name: g\n  envs:\n  - env\n"),
    "generator-env": ("env", "outside/env", "configMapGenerator:\n- name: g\n  env: env\n"),
    "generator-directory-component": ("o", "outside", "configMapGenerator:\n- name: g\n  files:\n  - o/data.txt\n"),
    "dangling": ("r.yaml", "outside/nothing.yaml", "resources:\n- in.yaml\n- r.yaml\n"),
    "self-loop": ("loop.yaml", "root/loop.yaml", "resources:\n- in.yaml\n- loop.yaml\n"),
    # accepted by both: links that stay inside, a linked directory named as a resource
    "inside-file": ("r.yaml", "root/s/s.yaml", "resources:\n- in.yaml\n- r.yaml\n"),
    "inside-kustomization-file": ("kustomization.yaml", "root/s/kust.yaml", None),
    "linked-kustomization-directory": ("kd", "outside/kdir", "resources:\n- in.yaml\n- kd\n"),
}
ACCEPTED = {"inside-file", "inside-kustomization-file", "linked-kustomization-directory"}


def kubectl_bin():
    import shutil
    k = shutil.which("kubectl")
    assert k, "kubectl is required to compare with kustomize (install it: scripts/setup.sh)"
    return k


@pytest.mark.parametrize("case", sorted(SYMLINK_CASES))
def test_symlink_in_a_kustomization_directory(tmp_path, case):
    if case.startswith("inside"):
        (tmp_path / "root" / "s").mkdir(parents=True)
        (tmp_path / "root" / "s" / "s.yaml").write_text(cm("s"))
        # read through the link, its paths stay relative to the kustomization's directory (both agree)
        (tmp_path / "root" / "s" / "kust.yaml").write_text("resources:\n- in.yaml\n")
    root = plant(tmp_path, case)
    k = subprocess.run([kubectl_bin(), "kustomize", str(root)], capture_output=True, text=True, timeout=60)
    r = run("render", str(root), timeout=30)
    out, err = r.stdout.decode(), r.stderr
    if case in ACCEPTED:
        assert k.returncode == 0, k.stderr
        assert r.returncode == 0, err
        import yaml
        assert list(yaml.safe_load_all(out)) == list(yaml.safe_load_all(k.stdout))
        return
    assert k.returncode != 0, f"kubectl kustomize accepted it:\n{k.stdout}"
    assert r.returncode == 1, out
    assert out == ""
    if case in ("dangling", "self-loop"):
        assert "no such file or directory" in err, err
    else:
        assert "security: file '" in err and f"' is not in or below '{os.path.realpath(root)}'" in err, err
    assert OUTSIDE_MARK not in err and OUTSIDE_MARK not in out
    assert r.seconds < 10
