"""Render one kustomization with k8smig and kubectl kustomize; print the differences."""
import os
import subprocess
import sys

import yaml


def render(cmd, case):
    p = subprocess.run(cmd + [case], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def docs(text):
    return [d for d in yaml.safe_load_all(text) if d is not None]


def compare(k8smig_bin, case):
    rc1, out1, err1 = render([k8smig_bin, 'render'], case)
    rc2, out2, err2 = render(['kubectl', 'kustomize'], case)
    if rc2 != 0:
        return rc1 != 0, f'kubectl failed: {err2.strip()}\nk8smig: rc={rc1} {err1.strip()}'
    if rc1 != 0:
        return False, f'k8smig failed: {err1.strip()}'
    a, b = docs(out1), docs(out2)
    if a == b:
        return True, ''
    lines = []
    if [(d['kind'], d['metadata'].get('name')) for d in a] != [(d['kind'], d['metadata'].get('name')) for d in b]:
        lines.append('order/ids: k8smig %s\n           kubectl %s' % (
            [(d['kind'], d['metadata'].get('name')) for d in a], [(d['kind'], d['metadata'].get('name')) for d in b]))
    for x, y in zip(a, b):
        if x != y:
            lines.append('k8smig:  %s\nkubectl: %s' % (x, y))
    return False, '\n'.join(lines)


if __name__ == '__main__':
    bin_ = os.environ.get('K8SMIG_BIN', 'k8smig')
    ok_all = True
    for case in sys.argv[1:]:
        ok, why = compare(bin_, case)
        print(('ok   ' if ok else 'FAIL ') + case)
        if not ok:
            ok_all = False
            print(why)
    sys.exit(0 if ok_all else 1)
