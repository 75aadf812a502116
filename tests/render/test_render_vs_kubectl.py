"""k8smig render == kubectl kustomize, as parsed YAML lists (order included), for every
fixture under cases/ (any directory holding a kustomization.yaml), plus error cases.

kubectl's output for every case is stored under expected/ (expected/<case>.yaml), so the
comparison with kustomize runs on every machine: k8smig render is compared with the stored
output always, and the stored output with kubectl kustomize (which these tests require, like
the rest of the suite: a missing kubectl fails, it never skips). After a fixture changes, or to
take a newer kustomize's word, refresh the goldens from kubectl:

    python3 tests/render/test_render_vs_kubectl.py --update

render_tree_vs_kubectl(root) is the entry point for other suites (the generator's golden
tree): it compares every overlay under root/k8s/overlays/*.
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest
import yaml

HERE = pathlib.Path(__file__).resolve().parent
CASES = HERE / 'cases'
EXPECTED = HERE / 'expected'
K8SMIG = os.environ.get('K8SMIG_BIN', 'k8smig')
KUBECTL = shutil.which('kubectl')


def kubectl():
    """kubectl's path; its absence is a failure (scripts/setup.sh installs it), never a skip."""
    assert KUBECTL, 'kubectl is required to check the stored kustomize output (install it: scripts/setup.sh)'
    return KUBECTL


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def docs(text):
    return [d for d in yaml.safe_load_all(text) if d is not None]


def ids(ds):
    return [(d.get('kind'), d['metadata'].get('namespace'), d['metadata'].get('name')) for d in ds]


def same_docs(a, b):
    """The same objects in the same order (ids first, for a readable failure)."""
    assert ids(a) == ids(b)
    for x, y in zip(a, b):
        assert x == y


def kustomize(directory):
    theirs = run([kubectl(), 'kustomize', str(directory)])
    assert theirs.returncode == 0, theirs.stderr
    return theirs.stdout


def render_equal(directory):
    """Assert k8smig render and kubectl kustomize produce the same list of objects."""
    ours = run([K8SMIG, 'render', str(directory)])
    assert ours.returncode == 0, ours.stderr
    a = docs(ours.stdout)
    same_docs(a, docs(kustomize(directory)))
    return a


def render_tree_vs_kubectl(root):
    """For the generator's tests: every overlay of a generated tree renders like kubectl."""
    overlays = sorted((pathlib.Path(root) / 'k8s' / 'overlays').glob('*/kustomization.yaml'))
    assert overlays, f'no overlays under {root}/k8s/overlays'
    return {p.parent.name: render_equal(p.parent) for p in overlays}


def case_dirs():
    return sorted(str(p.parent.relative_to(CASES)) for p in CASES.rglob('kustomization.yaml'))


def expected(case):
    return EXPECTED / (case + '.yaml')


def update_expected():
    """Store kubectl kustomize's output of every case (and drop goldens of removed cases)."""
    EXPECTED.mkdir(exist_ok=True)
    keep = set()
    for case in case_dirs():
        path = expected(case)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(kustomize(CASES / case))
        keep.add(path)
    for old in EXPECTED.rglob('*.yaml'):
        if old not in keep:
            old.unlink()


def test_every_case_has_a_golden():
    stored = sorted(str(p.relative_to(EXPECTED))[:-len('.yaml')] for p in EXPECTED.rglob('*.yaml'))
    assert stored == case_dirs(), 'run: python3 tests/render/test_render_vs_kubectl.py --update'


@pytest.mark.parametrize('case', case_dirs())
def test_same_as_stored_kustomize_output(case):
    """Runs everywhere: k8smig render against kubectl's stored output."""
    ours = run([K8SMIG, 'render', str(CASES / case)])
    assert ours.returncode == 0, ours.stderr
    want = docs(expected(case).read_text())
    assert want, f'{expected(case)} is empty'
    same_docs(docs(ours.stdout), want)


@pytest.mark.parametrize('case', case_dirs())
def test_stored_output_is_kubectls(case):
    """The goldens are kubectl's word, not ours: kubectl kustomize still prints them."""
    same_docs(docs(kustomize(CASES / case)), docs(expected(case).read_text()))


def test_json_output_parses():
    ours = run([K8SMIG, 'render', '-o', 'json', str(CASES / 'basic')])
    assert ours.returncode == 0, ours.stderr
    dec, text, objs = json.JSONDecoder(), ours.stdout.strip(), []
    while text:
        obj, end = dec.raw_decode(text)
        objs.append(obj)
        text = text[end:].strip()
    yaml_out = docs(run([K8SMIG, 'render', str(CASES / 'basic')]).stdout)
    assert objs == yaml_out and len(objs) == 20


def write(root, files):
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return root


DEPLOY = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {template: {spec: {containers: [{name: a, image: x}]}}}\n'

ERRORS = {
    'unknown-field': ({'kustomization.yaml': 'resources: [d.yaml]\nfoo: 1\n', 'd.yaml': DEPLOY},
                      'kustomization.yaml: invalid Kustomization: unknown field "foo" (at foo)'),
    'missing-file': ({'kustomization.yaml': 'resources: [d.yaml, nope.yaml]\n', 'd.yaml': DEPLOY},
                     'nope.yaml: no such file or directory'),
    'cycle': ({'kustomization.yaml': 'resources: [a]\n', 'a/kustomization.yaml': 'resources: [../b]\n',
               'b/kustomization.yaml': 'resources: [../a]\n'}, 'cycle in resources'),
    'bad-yaml': ({'kustomization.yaml': 'resources: [d.yaml]\n', 'd.yaml': 'kind: [\n'}, 'd.yaml:2:1:'),
    'json6902-no-target': ({'kustomization.yaml': 'resources: [d.yaml]\npatches:\n- patch: |\n    - op: remove\n      path: /spec\n',
                            'd.yaml': DEPLOY}, 'needs a target (at patches[0])'),
    'bad-pointer': ({'kustomization.yaml': 'resources: [d.yaml]\npatches:\n- target: {kind: Deployment}\n  patch: |\n'
                     '    - op: replace\n      path: /spec/nope/x\n      value: 1\n', 'd.yaml': DEPLOY},
                    'operation 0 (replace /spec/nope/x): parent path not found (at patches[0])'),
    'bad-target-field': ({'kustomization.yaml': 'resources: [d.yaml]\npatches:\n- target: {kinds: Deployment}\n'
                          '  patch: "{}"\n', 'd.yaml': DEPLOY}, '(at patches[0].target.kinds)'),
    'no-patch-match': ({'kustomization.yaml': 'resources: [d.yaml]\npatches:\n- patch: |\n    kind: Deployment\n'
                        '    metadata: {name: other}\n', 'd.yaml': DEPLOY}, 'no resource matches'),
    'duplicate-id': ({'kustomization.yaml': 'resources: [d.yaml, e.yaml]\n', 'd.yaml': DEPLOY, 'e.yaml': DEPLOY},
                     'already registered id'),
    'outside-root': ({'k/kustomization.yaml': 'resources: [../d.yaml]\n', 'd.yaml': DEPLOY}, 'security'),
    'bool-label': ({'kustomization.yaml': 'resources: [d.yaml]\ncommonLabels: {enabled: true}\n', 'd.yaml': DEPLOY},
                   '(at commonLabels[enabled])'),
    'merge-missing': ({'kustomization.yaml': 'configMapGenerator:\n- name: x\n  behavior: merge\n  literals: [A=1]\n'},
                      '(at configMapGenerator[0].behavior)'),
    'bad-literal': ({'kustomization.yaml': 'configMapGenerator:\n- name: x\n  literals: [novalue]\n'},
                    '(at configMapGenerator[0].literals[0])'),
    'no-kustomization': ({'x.yaml': DEPLOY}, 'no kustomization.yaml'),
}


@pytest.mark.parametrize('name', sorted(ERRORS))
def test_errors(tmp_path, name):
    files, want = ERRORS[name]
    write(tmp_path, files)
    target = tmp_path / 'k' if name == 'outside-root' else tmp_path
    ours = run([K8SMIG, 'render', str(target)])
    assert ours.returncode == 1, ours.stdout
    assert want in ours.stderr
    assert 'Segmentation' not in ours.stderr
    # kubectl refuses the same input
    assert run([kubectl(), 'kustomize', str(target)]).returncode != 0


def test_usage():
    assert run([K8SMIG, 'render']).returncode == 2
    assert run([K8SMIG, 'render', '-o', 'xml', '.']).returncode == 2


def test_generated_tree_renders_like_kubectl(tmp_path):
    """The generator's own output (the bundled spec): every kustomization in it."""
    gen = run([K8SMIG, 'generate', '-o', str(tmp_path)])
    assert gen.returncode == 0, gen.stderr
    render_tree_vs_kubectl(tmp_path)
    for k in sorted((tmp_path / 'k8s').rglob('kustomization.yaml')):
        if 'overlays' not in k.parts:
            render_equal(k.parent)


def test_apply_k_usage():
    both = run([K8SMIG, 'apply', '-k', str(CASES / 'basic'), '-f', 'x.yaml'])
    assert both.returncode == 2
    missing = run([K8SMIG, 'apply', '-k', str(CASES / 'no-such-dir')])
    assert missing.returncode == 1 and 'no such directory' in missing.stderr


if __name__ == '__main__':
    if sys.argv[1:] != ['--update']:
        sys.exit('usage: test_render_vs_kubectl.py --update   (store kubectl kustomize output of every case)')
    update_expected()
    print(f'stored kubectl kustomize output of {len(case_dirs())} cases under {EXPECTED}')
