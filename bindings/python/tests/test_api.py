"""The Python API over the public C functions: builders, values, callbacks, errors,
ownership, threads, PyYAML round trips and a leak check."""
import gc
import inspect
import os
import resource
import threading
import time
import typing

import pytest
import yaml

import k8smig

# ---- builders ------------------------------------------------------------------


def test_deployment_keywords_build_the_documented_object():
    d = k8smig.deployment("web", "dev", image="nginx:1.27", replicas=3, port=8080, env={"A": "1"},
                          cpu="250m", memory="256Mi", service_account="web-sa")
    sel = {"app.kubernetes.io/name": "web"}
    # expected from the Kubernetes Deployment schema and the builder's documented contract
    assert d.to_dict() == {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "dev", "labels": sel},
        "spec": {"replicas": 3, "selector": {"matchLabels": sel}, "template": {
            "metadata": {"labels": sel},
            "spec": {"serviceAccountName": "web-sa", "containers": [{
                "name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 8080}],
                "env": [{"name": "A", "value": "1"}],
                "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}}}]}}}}
    assert k8smig.validate([d], cross=False).errors == 0
    assert k8smig.validate([d, k8smig.service_account("web-sa", "dev")]).errors == 0


def test_builder_methods_chain_and_take_enums_by_name():
    d = k8smig.deployment("api", "dev", image="api:1")
    assert d.container_set_probe(0, "readiness", handler="tcp_socket", port=8080, period_seconds=5) is d
    assert d["spec.template.spec.containers[0].readinessProbe"].to_python() == {
        "tcpSocket": {"port": 8080}, "periodSeconds": 5}
    assert d.pod_add_volume("cfg", k8smig.VolumeType.CONFIG_MAP, "api-config") == 0
    assert d.pod_add_volume("tmp", "empty_dir", None) == 1
    d.container_add_volume_mount(0, "cfg", "/etc/api", True, None)
    d.container_set_command(0, ["/bin/api"], ["--port", "8080"])
    d.container_set_security_context(0, run_as_non_root=True, capabilities_drop=["ALL"],
                                     read_only_root_filesystem=True, allow_privilege_escalation=False,
                                     run_as_user=0)
    c = d["spec.template.spec.containers[0]"]
    assert c["command"] == ["/bin/api"] and c["args"] == ["--port", "8080"]
    assert c["securityContext"]["capabilities"]["drop"] == ["ALL"]
    # given explicitly, false and 0 are written (the has_ flags)
    assert c["securityContext"]["allowPrivilegeEscalation"] is False and c["securityContext"]["runAsUser"] == 0
    assert c["volumeMounts"][0].to_python() == {"name": "cfg", "mountPath": "/etc/api", "readOnly": True}
    assert d["spec.template.spec.volumes[1]"].to_python() == {"name": "tmp", "emptyDir": {}}


def test_networking_scaling_config_builders():
    hpa = k8smig.hpa("web", "dev", "Deployment", "web", 2, 5).hpa_add_resource_metric("cpu", 70)
    hpa.hpa_set_behavior(k8smig.HpaDirection.DOWN, 300, None)
    assert hpa["spec.minReplicas"] == 2 and hpa["spec.maxReplicas"] == 5
    assert hpa["spec.metrics[0].resource.target.averageUtilization"] == 70
    assert hpa["spec.behavior.scaleDown.stabilizationWindowSeconds"] == 300
    ing = k8smig.ingress("web", "dev", "alb")
    ing.ingress_add_path("example.com", "/", "Prefix", "web", "80").ingress_add_tls("web-tls", ["example.com"])
    ing.ingress_set_alb(scheme="internal", target_type="ip", http_port=80)
    assert ing["spec.rules[0].host"] == "example.com"
    assert ing["spec.tls[0].hosts"] == ["example.com"]
    assert ing.annotation("alb.ingress.kubernetes.io/scheme") == "internal"
    es = k8smig.external_secret("db", "dev", "SecretStore", "aws", "1h")
    es.external_secret_add_data("password", "prod/db", "password", None)
    assert es["spec.data[0].remoteRef"].to_python() == {"key": "prod/db", "property": "password"}
    sec = k8smig.secret("s", "dev", None).secret_set_data("bin", b"\x00\xff")
    assert sec["data.bin"] == "AP8="  # base64 of 00 ff
    role = k8smig.role("r", "dev")
    assert role.role_add_rule([""], ["configmaps"], ["get", "list"], None) == 0
    assert role["rules[0].verbs"] == ["get", "list"]
    k = k8smig.kustomization().kustomization_add_resource("deployment.yaml")
    assert k.kustomization_add_config_map_generator("cfg", None) == 0
    k.kustomization_add_generator_source(0, "literal", "A=1")
    assert k["configMapGenerator[0].literals"] == ["A=1"]
    pv = k8smig.efs_pv("pv", "fs-0123456789abcdef0", "5Gi")
    pv.pv_set_access_modes(k8smig.AccessMode.READ_WRITE_MANY)
    assert pv["spec.accessModes"] == ["ReadWriteMany"]


def _dummy(annotation):
    text = annotation.__name__ if isinstance(annotation, type) else str(annotation)
    if "Sequence" in text:
        return ["x"]
    if "bytes" in text:
        return b"x"
    for enum_cls in (k8smig.VolumeType, k8smig.EnvSource, k8smig.ProbeKind, k8smig.HpaDirection,
                     k8smig.AwsSecretService, k8smig.GeneratorSource):
        if enum_cls.__name__ in text:
            return list(enum_cls)[0]
    if text.startswith("int"):
        return 1
    if text.startswith("bool"):
        return True
    return "x"


def _builder_methods():
    return sorted(n for n, f in vars(k8smig._BuilderMethods).items() if not n.startswith("_") and callable(f))


@pytest.mark.parametrize("name", _builder_methods())
def test_every_builder_method_either_works_or_raises_a_k8smig_error(name):
    # on the wrong kind of object and with placeholder arguments: never a SWIG message
    method = getattr(k8smig.Object("v1", "ConfigMap", name="c"), name)
    params = [p for p in inspect.signature(method).parameters.values() if p.kind != p.VAR_KEYWORD]
    args = [_dummy(p.annotation) for p in params]
    try:
        method(*args)
    except k8smig.Error as e:
        assert "in method" not in str(e) and e.code < 0
    # and a wrong argument type is a KindError in our words
    if params and "str" in str(params[-1].annotation) and "Sequence" not in str(params[-1].annotation):
        with pytest.raises(k8smig.Error) as e:
            method(*args[:-1], object())
        assert "in method" not in str(e.value)


@pytest.mark.parametrize("name", [n for n in k8smig.__all__ if inspect.isfunction(getattr(k8smig, n))
                                  and f"C: k8smig_{n}_new()" in (getattr(k8smig, n).__doc__ or "")])
def test_every_builder_function_makes_its_kind(name):
    # placeholder arguments ("name-x", 1, the first enum member), except where the
    # builder checks a value's form: then a valid one
    valid = {"certificate": ["name-x", "dev", "tls", "ClusterIssuer", "le"],
             "efs_pv": ["name-x", "fs-0123456789abcdef0", "5Gi"],
             "efs_storage_class": ["name-x", "fs-0123456789abcdef0"],
             "external_secret": ["name-x", "dev", "SecretStore", "aws", None],
             "ingress_class": ["name-x", "ingress.k8s.aws/alb"],
             "pdb": ["name-x", "dev", "1"], "pvc": ["name-x", "dev", None, "1Gi"],
             "role_binding": ["name-x", "dev", "Role", "r"], "hpa": ["name-x", "dev", "Deployment", "d", 1, 2]}
    if name == "kustomization":
        assert k8smig.kustomization().kind == "Kustomization"
        return
    fn = getattr(k8smig, name)
    hints = typing.get_type_hints(fn)
    params = [p for p in inspect.signature(fn).parameters.values()
              if p.kind not in (p.VAR_KEYWORD, p.KEYWORD_ONLY) and p.default is p.empty]
    args = []
    for p in params:
        a = _dummy(hints.get(p.name, str))
        args.append(a if a != "x" else "name-x")
    kw = {"region": "eu-west-1", "log_group_prefix": "/ecs/x"} if name == "fluent_bit_config" else {}
    obj = fn(*valid.get(name, args), **kw)
    assert isinstance(obj, k8smig.Object) and obj.kind and obj.api_version and obj.name == "name-x"


# ---- values read through the C readers ----------------------------------------------


def test_views_read_live_and_follow_changes():
    d = k8smig.deployment("web", "dev", image="nginx:1")
    spec = d["spec"]
    containers = d["spec.template.spec.containers"]
    assert isinstance(spec, k8smig.MapView) and isinstance(containers, k8smig.ListView)
    assert spec["template"]["spec"]["containers"][0]["image"] == "nginx:1"
    assert len(containers) == 1 and containers[-1]["name"] == "web"
    d["spec.template.spec.containers[0].image"] = "nginx:2"   # the view looks its node up again
    assert containers[0]["image"] == "nginx:2"
    del d["spec.template"]
    with pytest.raises(KeyError):
        len(containers)
    with pytest.raises(KeyError):
        spec["nope"]
    with pytest.raises(IndexError):
        d["metadata.labels"]  # a map: fine
        k8smig.deployment("x", image="i:1")["spec.template.spec.containers"][5]


def test_labels_with_dots_and_slashes_through_views():
    d = k8smig.deployment("web", "dev")
    d.set_label("app.kubernetes.io/part-of", "sys")
    labels = d["metadata"]["labels"]
    assert labels["app.kubernetes.io/part-of"] == "sys"
    d.set_label("x", "y")  # a change: the nested view resolves its path again, brackets and all
    assert labels["app.kubernetes.io/part-of"] == "sys" and labels["x"] == "y"


def test_object_from_mapping_and_wrong_types_never_show_swig():
    cm = k8smig.Object({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"}})
    assert (cm.kind, cm.name, cm["data.a"]) == ("ConfigMap", "c", "1")
    for bad in (lambda: k8smig.Object(42), lambda: k8smig.Object({"a": object()}),
                lambda: cm.set_label(1, "x"), lambda: cm.__setitem__("data.x", object()),
                lambda: k8smig.loads(3), lambda: k8smig.quantity(None),
                lambda: k8smig.deployment("w", replicas="3", image="i:1")):
        with pytest.raises(k8smig.Error) as e:
            bad()
        assert "in method" not in str(e.value) and " of type '" not in str(e.value), str(e.value)
    with pytest.raises(k8smig.ValidationError):
        cm["spec.replicas"] = 2 ** 70


def test_errors_carry_path_line_and_code():
    with pytest.raises(k8smig.ValidationError) as e:
        k8smig.deployment("Bad_Name", "dev")
    assert e.value.path == "metadata.name" and e.value.code == -3 and e.value.name == "EINVAL"
    with pytest.raises(k8smig.ParseError) as e:
        k8smig.loads("a: [1,\n", source="s.yaml")
    assert e.value.file == "s.yaml" and e.value.line >= 1 and isinstance(e.value, ValueError)
    with pytest.raises(k8smig.NotFoundError) as e:
        k8smig.load("/nonexistent/dir/x.yaml")
    assert e.value.file == "/nonexistent/dir/x.yaml" and isinstance(e.value, LookupError)
    assert k8smig.TimeoutError is k8smig.K8smigTimeoutError  # the old names stay reachable


def test_quantities():
    q = k8smig.Quantity.parse("1.5Gi")
    assert str(q) == "1536Mi" and q.value == 1536 * 1024 * 1024
    assert k8smig.Quantity.parse("500m").milli == 500
    assert k8smig.Quantity.parse("1") > k8smig.Quantity.parse("999m")
    assert k8smig.quantity("0.5") == "500m" and k8smig.ecs_cpu(256) == "250m" and k8smig.ecs_memory(512) == "512Mi"
    with pytest.raises(k8smig.ValidationError):
        k8smig.Quantity.parse("12x")


# ---- callbacks -------------------------------------------------------------------------


class Boom(Exception):
    pass


def test_generate_on_file_sees_every_file_and_its_exception_propagates(tmp_path):
    spec = k8smig.Spec.default()
    seen = []
    n = spec.generate(str(tmp_path / "out"), on_file=lambda p, c: seen.append((p, c)))
    assert n == len(seen) > 10 and all(c == k8smig.Change.CREATE for _, c in seen)
    assert "k8s/base/kustomization.yaml" in {p for p, _ in seen}
    assert spec.generate(str(tmp_path / "out"), check=True) == 0

    def boom(path, change):
        raise Boom(path)
    with pytest.raises(Boom):
        spec.generate(str(tmp_path / "out2"), on_file=boom)
    stopped = []
    with pytest.raises(k8smig.Error, match="stopped by the callback"):  # a true return stops
        spec.generate(str(tmp_path / "out3"), check=True, on_file=lambda p, c: stopped.append(p) or True)
    assert len(stopped) == 1


def test_write_streams_and_propagates():
    objs = [k8smig.deployment(f"d{i}", "dev", image="i:1") for i in range(50)]
    pieces = []
    k8smig.write(objs, pieces.append)
    assert "".join(pieces) == k8smig.dumps(objs)

    def boom(piece):
        raise Boom()
    with pytest.raises(Boom):
        k8smig.write(objs, boom)


def test_long_parses_release_the_gil():
    text = k8smig.dumps([k8smig.deployment(f"d{i}", "dev", image="i:1") for i in range(4000)])
    ticks = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            ticks[0] += 1
    t = threading.Thread(target=spin)
    t.start()
    try:
        time.sleep(0.01)
        before = ticks[0]
        t0 = time.perf_counter()
        objs = k8smig.loads(text)
        elapsed = time.perf_counter() - t0
        during = ticks[0] - before
    finally:
        stop.set()
        t.join()
    assert len(objs) == 4000
    # the parse alone takes most of elapsed; the other thread kept running meanwhile
    assert during > 1000, (during, elapsed)


# ---- ownership ---------------------------------------------------------------------------


def test_objects_and_views_outlive_their_sources():
    objs = k8smig.loads("a: 1\n---\nb: [1, 2]\n")
    first, second = objs
    del objs
    gc.collect()
    view = second["b"]
    del second
    gc.collect()
    assert first["a"] == 1 and list(view) == [1, 2]
    spec = k8smig.Spec.default()
    plan = spec.plan("dev")
    del spec
    gc.collect()
    assert all(o.kind for o in plan)
    copies = [o.copy() for o in plan]
    for o in reversed(plan):
        del o
    del plan
    gc.collect()
    assert all(o.name for o in copies)


def test_objects_shared_across_threads_for_reading():
    d = k8smig.deployment("web", "dev", image="nginx:1", replicas=2)
    errors = []

    def reader():
        try:
            for _ in range(500):
                assert d["spec.replicas"] == 2 and d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1"
                assert k8smig.loads(d.to_yaml())[0] == d
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)
    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


# ---- PyYAML ---------------------------------------------------------------------------------


def test_round_trips_against_pyyaml():
    objs = [k8smig.deployment("web", "dev", image="nginx:1.27", replicas=2, env={"YES": "on", "MODE": "0755"}),
            k8smig.config_map("c", "dev").config_map_set("8080", "port").config_map_set("on", "yes"),
            k8smig.hpa("web", "dev", "Deployment", "web", 1, 3).hpa_add_resource_metric("cpu", 70)]
    text = k8smig.dumps(objs)
    docs = list(yaml.safe_load_all(text))
    assert docs == [o.to_dict() for o in objs]
    # and back: PyYAML's own dump parses to equal objects
    again = k8smig.loads(yaml.safe_dump_all(docs, sort_keys=False))
    assert again == objs
    assert k8smig.loads(yaml.safe_dump_all(docs, sort_keys=True)) == [k8smig.Object(d) for d in docs]


def test_pyyaml_and_kubernetes_disagree_on_plain_n():
    # PyYAML writes the string "N" unquoted; YAML 1.1 as Kubernetes reads it (go-yaml)
    # makes that plain scalar a boolean, and so does k8smig. k8smig itself quotes it.
    text = yaml.safe_dump({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"k": "N"}})
    assert "k: N\n" in text
    assert k8smig.loads(text)[0]["data.k"] is False
    cm = k8smig.config_map("c", None).config_map_set("k", "N")
    assert yaml.safe_load(cm.to_yaml())["data"]["k"] == "N" and k8smig.loads(cm.to_yaml())[0] == cm


# ---- leaks ------------------------------------------------------------------------------------


def _rss_kb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)


def test_10000_build_serialize_parse_cycles_keep_rss_flat():
    def cycle(i):
        d = k8smig.deployment(f"web-{i % 50}", "dev", image="nginx:1.27", replicas=2, port=8080,
                              env={"A": str(i)}, cpu="250m", memory="256Mi")
        d.container_set_probe(0, "liveness", path="/healthz", port=8080)
        text = d.to_yaml()
        back = k8smig.loads(text)[0]
        assert back["spec.replicas"] == 2
        return len(back.to_json())

    for i in range(2000):  # warm-up: allocator pools, caches
        cycle(i)
    gc.collect()
    before = _rss_kb()
    for i in range(10000):
        cycle(i)
    gc.collect()
    grown = _rss_kb() - before
    # a leak of even 100 bytes per cycle would show as ~1 MB
    assert grown < 1024, f"RSS grew by {grown} kB over 10,000 cycles"
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 0
