"""`k8smig apply` against the real test apiserver (K8SMIG_TEST_KUBECONFIG)."""
import os
import subprocess
import uuid

import pytest

K8SMIG = os.environ.get("K8SMIG_BIN", "k8smig")
KUBECONFIG = os.environ.get("K8SMIG_TEST_KUBECONFIG")
pytestmark = pytest.mark.skipif(not KUBECONFIG, reason="K8SMIG_TEST_KUBECONFIG is not set (no test cluster)")


def apply(*args, stdin=None):
    return subprocess.run([K8SMIG, "apply", "--kubeconfig", KUBECONFIG, *args], input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_apply_directory_in_dependency_order(tmp_path):
    ns = f"cli-{uuid.uuid4().hex[:8]}"
    (tmp_path / "b").mkdir()
    (tmp_path / "a-deploy.yaml").write_text(
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web, namespace: {ns}}}\nspec:\n"
        "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
        "    spec: {containers: [{name: web, image: nginx}]}\n")
    (tmp_path / "b" / "cm.json").write_text(
        f'{{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {{"name": "cfg", "namespace": "{ns}"}}, "data": {{"a": "1"}}}}')
    (tmp_path / "z-ns.yaml").write_text(f"apiVersion: v1\nkind: Namespace\nmetadata: {{name: {ns}}}\n")
    (tmp_path / "notes.txt").write_text("not a manifest")
    r = apply("-f", str(tmp_path))
    assert r.returncode == 0, r.stderr
    # one line per object, in input order (sorted paths), kubectl's names
    assert r.stdout.splitlines() == ["deployment.apps/web created", "configmap/cfg created", f"namespace/{ns} created"]
    r = apply("-f", str(tmp_path / "a-deploy.yaml"), "-f", str(tmp_path / "b"))
    assert r.stdout.splitlines() == ["deployment.apps/web unchanged", "configmap/cfg unchanged"]
    r = apply("-f", str(tmp_path / "b"), "-o", "json")
    assert r.returncode == 0 and '"resourceVersion"' in r.stdout


def test_apply_dry_run_and_stdin():
    name = f"dry-{uuid.uuid4().hex[:8]}"
    r = apply("-f", "-", "--dry-run=server", stdin=f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}}}\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"configmap/{name} created (server dry run)\n"
    r = apply("-f", "-", "--dry-run=server", stdin=f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}}}\n")
    assert "created" in r.stdout  # nothing was stored


def test_apply_failure_names_file_line_and_field(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok-one}\n---\n"
                 "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\n")
    r = apply("-f", str(f))
    assert r.returncode == 1
    assert r.stdout == "configmap/ok-one created\n" or r.stdout == "configmap/ok-one unchanged\n"
    assert r.stderr.startswith(f"{f}:5: configmap/Bad_Name failed: ")
    assert r.stderr.rstrip().endswith("(at metadata.name)")


def test_apply_conflict_then_force(tmp_path):
    name = f"owned-{uuid.uuid4().hex[:8]}"
    f = tmp_path / "cm.yaml"
    f.write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}}}\ndata: {{owner: other}}\n")
    assert apply("-f", str(f), "--field-manager", "other-tool").returncode == 0
    f.write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}}}\ndata: {{owner: k8smig}}\n")
    r = apply("-f", str(f))
    assert r.returncode == 1 and "other-tool" in r.stderr and "(at data.owner)" in r.stderr
    r = apply("-f", str(f), "--force-conflicts")
    assert r.returncode == 0 and r.stdout == f"configmap/{name} configured\n"


def test_apply_usage_and_bad_kubeconfig(tmp_path):
    assert subprocess.run([K8SMIG, "apply"], capture_output=True).returncode == 2
    assert apply("-f", "x.yaml", "--dry-run=client").returncode == 2
    r = subprocess.run([K8SMIG, "apply", "--kubeconfig", str(tmp_path / "none"), "-f", "-"], input="kind: A\n",
                       capture_output=True, text=True)
    assert r.returncode == 1 and str(tmp_path / "none") in r.stderr
    r = apply("--context", "nosuch", "-f", "-", stdin="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    assert r.returncode == 1 and 'context "nosuch" not found' in r.stderr


def test_apply_kustomization_directory(tmp_path):
    ns = f"kz-{uuid.uuid4().hex[:8]}"
    (tmp_path / "kustomization.yaml").write_text(
        f"namespace: {ns}\nresources: [ns.yaml, deploy.yaml]\n"
        "configMapGenerator:\n- name: app-config\n  literals: [LOG_LEVEL=INFO]\n"
        "images:\n- name: nginx\n  newTag: '1.27'\n")
    (tmp_path / "ns.yaml").write_text(f"apiVersion: v1\nkind: Namespace\nmetadata: {{name: {ns}}}\n")
    (tmp_path / "deploy.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
        "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
        "    spec: {containers: [{name: web, image: nginx, envFrom: [{configMapRef: {name: app-config}}]}]}\n")
    r = apply("-k", str(tmp_path))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == f"namespace/{ns} created"
    # the generated ConfigMap carries kustomize's hash suffix, and the Deployment refers to it
    assert lines[1].startswith("configmap/app-config-") and lines[1].endswith(" created")
    assert lines[2] == "deployment.apps/web created"
    r = apply("-k", str(tmp_path), "-o", "json")
    assert '"image": "nginx:1.27"' in r.stdout and lines[1].split()[0].split("/")[1] in r.stdout
    assert apply("-k", str(tmp_path), "-f", str(tmp_path / "ns.yaml")).returncode == 2


def test_apply_through_the_kubeconfig_proxy_url(tmp_path):
    """proxy-url: the client tunnels through an HTTP CONNECT proxy (a minimal one, here)."""
    import socket
    import socketserver
    import threading

    import yaml

    connects = []

    class Tunnel(socketserver.BaseRequestHandler):
        def handle(self):
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = self.request.recv(4096)
                if not chunk:
                    return
                head += chunk
            line = head.split(b"\r\n", 1)[0].decode()
            method, target, _ = line.split(" ", 2)
            if method != "CONNECT":
                self.request.sendall(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
                return
            connects.append(target)
            host, port = target.rsplit(":", 1)
            upstream = socket.create_connection((host, int(port)))
            self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")

            def pump(a, b):
                try:
                    while True:
                        data = a.recv(65536)
                        if not data:
                            break
                        b.sendall(data)
                except OSError:
                    pass
                finally:
                    for s in (a, b):
                        try:
                            s.shutdown(socket.SHUT_RDWR)
                        except OSError:
                            pass

            t = threading.Thread(target=pump, args=(upstream, self.request), daemon=True)
            t.start()
            pump(self.request, upstream)
            t.join(5)
            upstream.close()

    class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
        daemon_threads = True
        allow_reuse_address = True

    with Server(("127.0.0.1", 0), Tunnel) as proxy:
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        kc = yaml.safe_load(open(KUBECONFIG))
        for c in kc["clusters"]:
            c["cluster"]["proxy-url"] = f"http://127.0.0.1:{proxy.server_address[1]}"
        path = tmp_path / "kubeconfig"
        path.write_text(yaml.safe_dump(kc))
        r = subprocess.run([K8SMIG, "apply", "--kubeconfig", str(path), "--dry-run=server", "-f", "-"],
                           input="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: via-proxy}\n",
                           capture_output=True, text=True, timeout=60)
        proxy.shutdown()
    assert r.returncode == 0, r.stderr
    server = kc["clusters"][0]["cluster"]["server"].split("://", 1)[1]
    assert connects and all(c == server for c in connects)


def test_apply_shows_progress_on_a_terminal(tmp_path):
    """On a terminal (stderr is a tty) a [done/total] line tracks the apply; not otherwise."""
    import pty

    f = tmp_path / "cms.yaml"
    f.write_text("".join(f"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: progress-{i}}}\n" for i in range(5)))
    master, slave = pty.openpty()
    try:
        r = subprocess.run([K8SMIG, "apply", "--kubeconfig", KUBECONFIG, "--dry-run=server", "-f", str(f)],
                           stdout=subprocess.PIPE, stderr=slave, timeout=60)
        os.close(slave)
        shown = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(master)
    assert r.returncode == 0
    assert b"[1/5] ConfigMap progress-" in shown and b"[5/5] ConfigMap progress-" in shown
    assert r.stdout.decode().count(" created (server dry run)") == 5
    plain = apply("--dry-run=server", "-f", str(f))
    assert "[1/5]" not in plain.stderr


def test_apply_one_cause_is_printed_once():
    """Every object Forbidden: nothing applied, the reason once (issue 16.7), exit 1."""
    name = f"forbidden-{uuid.uuid4().hex[:8]}"
    docs = "".join(f"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}-{i}}}\n" for i in range(3))
    r = apply("--context", "viewer", "-f", "-", stdin=docs)
    assert r.returncode == 1
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "forbidden" in lines[0] and f"ConfigMap default/{name}-0" in lines[0]
