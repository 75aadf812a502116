"""Shared fixtures for the golden tests: where the k8smig binary and the cases are."""
import os
import pathlib
import subprocess

import pytest

HERE = pathlib.Path(__file__).resolve().parent


def k8smig_bin():
    path = os.environ.get("K8SMIG_BIN")
    if not path:
        raise RuntimeError("K8SMIG_BIN is not set (meson test sets it)")
    return path


def cases():
    return sorted(p for p in HERE.iterdir() if ".in." in p.name)


def case_name(path):
    return path.name.split(".in.")[0]


def fmt(*args, stdin=None):
    return subprocess.run([k8smig_bin(), "fmt", *args], input=stdin, capture_output=True, check=False)


@pytest.fixture(params=cases(), ids=case_name)
def case(request):
    return request.param
