#!/usr/bin/env python3
"""Stage `meson install` with DESTDIR, then build and run a program exactly as a user would:
cc prog.c $(pkg-config --cflags --libs k8smig)."""
import os
import pathlib
import shlex
import subprocess
import sys
import tempfile

build_dir, example = sys.argv[1:3]

with tempfile.TemporaryDirectory() as dest:
    subprocess.run(["meson", "install", "-C", build_dir, "--no-rebuild", "--quiet", "--destdir", dest],
                   check=True, capture_output=True)
    pcs = list(pathlib.Path(dest).rglob("k8smig.pc"))
    assert len(pcs) == 1, f"expected one k8smig.pc, found {pcs}"
    env = dict(os.environ, PKG_CONFIG_PATH=str(pcs[0].parent), PKG_CONFIG_SYSROOT_DIR=dest)
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "k8smig"], env=env, check=True,
                           capture_output=True, text=True).stdout
    exe = os.path.join(dest, "hello")
    cmd = [os.environ.get("CC", "cc"), example, *shlex.split(flags), "-o", exe]
    subprocess.run(cmd, check=True)
    libdir = [a[2:] for a in shlex.split(flags) if a.startswith("-L")][0]
    out = subprocess.run([exe], env=dict(os.environ, LD_LIBRARY_PATH=libdir), check=True,
                         capture_output=True, text=True).stdout
    assert "kind: Deployment" in out and "containerPort: 8000" in out, out
    installed = {str(p.relative_to(dest)) for p in pathlib.Path(dest).rglob("*") if p.is_file() or p.is_symlink()}
    for want in ("include/k8smig.h", "include/k8smig/object.h", "include/k8smig/version.h", "bin/k8smig"):
        assert any(p.endswith(want) for p in installed), f"{want} not installed"
    assert any(".so.0.1" in p for p in installed), "no versioned shared library"
print("1 passed, 0 failed")
