"""The pip path, end to end: build a wheel from the checkout with meson-python
(`python -m build --wheel`, the same build `pip install .` runs), install it into a
fresh virtualenv, and import it from an unrelated directory.

    check_install.py SOURCE_ROOT EXPECTED_VERSION

Without build isolation (the test must not depend on the network): the venv sees this
interpreter's site-packages, where scripts/setup.sh installed meson-python and build.
"""
import os
import subprocess
import sys
import tempfile


def run(*cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.exit(f"FAILED ({p.returncode}): {' '.join(cmd)}\n{p.stdout[-4000:]}\n{p.stderr[-4000:]}")
    return p.stdout


def main():
    src, want = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="k8smig-pip-") as tmp:
        dist = os.path.join(tmp, "dist")
        run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--skip-dependency-check",
            "--outdir", dist, src, cwd=tmp)
        wheels = [w for w in os.listdir(dist) if w.endswith(".whl")]
        assert len(wheels) == 1 and wheels[0].startswith(f"k8smig-{want}-"), wheels
        venv = os.path.join(tmp, "venv")
        run(sys.executable, "-m", "venv", "--system-site-packages", venv)
        py = os.path.join(venv, "bin", "python")
        run(py, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-index",
            os.path.join(dist, wheels[0]))
        elsewhere = os.path.join(tmp, "elsewhere")
        os.mkdir(elsewhere)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        out = run(py, "-c", "import k8smig, os; print(k8smig.__version__); print(os.path.dirname(k8smig.__file__)); "
                  "print(k8smig.dumps(k8smig.loads('apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: c}\\n')), end='')",
                  cwd=elsewhere, env=env)
        lines = out.splitlines()
        assert lines[0] == want, out
        assert lines[1].startswith(venv), f"imported from {lines[1]}, not the venv"
        assert lines[2:] == ["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: c"], out
        files = run(py, "-m", "pip", "show", "-f", "k8smig")
        assert "py.typed" in files or os.environ.get("K8SMIG_NO_PYTYPED"), files
        # the extension carries the library: no libk8smig.so needed at run time
        ext = [f for f in os.listdir(lines[1]) if f.startswith("_capi")]
        assert len(ext) == 1, ext
        assert "libk8smig.so" not in run("ldd", os.path.join(lines[1], ext[0]))
    print("ok: wheel", wheels[0], "installs and imports as", want)


if __name__ == "__main__":
    main()
