"""Golden files: `k8smig fmt` of each <case>.in.* must give <case>.yaml and <case>.json byte for byte.

The expected files were produced by k8smig and reviewed; test_readers.py checks their
content with independent readers, so a wrong golden file cannot hide here.
Regenerate after an intended change with: K8SMIG_BIN=build/examples/cli/k8smig python3 tests/golden/test_golden.py --update
"""
import sys

from conftest import HERE, case_name, cases, fmt


def expected(case, ext):
    return (HERE / f"{case_name(case)}.{ext}").read_bytes()


def test_yaml_matches_golden(case):
    r = fmt(str(case))
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout == expected(case, "yaml")


def test_json_matches_golden(case):
    r = fmt("-o", "json", str(case))
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout == expected(case, "json")


def test_canonical_yaml_is_a_fixed_point(case):
    """emit -> parse -> emit gives the same bytes, from YAML and from JSON."""
    golden_yaml = expected(case, "yaml")
    assert fmt("-", stdin=golden_yaml).stdout == golden_yaml
    assert fmt("-", stdin=expected(case, "json")).stdout == golden_yaml


def test_json_is_a_fixed_point(case):
    golden_json = expected(case, "json")
    assert fmt("-o", "json", "-", stdin=golden_json).stdout == golden_json


if __name__ == "__main__" and "--update" in sys.argv:
    for c in cases():
        for ext, args in (("yaml", []), ("json", ["-o", "json"])):
            r = fmt(*args, str(c))
            if r.returncode:
                sys.exit(r.stderr.decode())
            (HERE / f"{case_name(c)}.{ext}").write_bytes(r.stdout)
            print("wrote", f"{case_name(c)}.{ext}")
