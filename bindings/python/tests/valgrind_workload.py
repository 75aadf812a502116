"""The workload check_valgrind.py runs under valgrind: builders, options with strings
and string arrays, views, errors, parse/emit, streaming and a raising callback."""
import gc, k8smig
for i in range(30):
    d = k8smig.deployment(f"w{i}", "dev", image="nginx:1", replicas=2, env={"A": "1"})
    d.container_set_probe(0, "liveness", path="/h", port=80, command=None)
    d.container_set_security_context(0, capabilities_drop=["ALL"], seccomp_profile="RuntimeDefault")
    d.container_set_command(0, ["a"], ["b", "c"])
    v = d["spec"]["template"]
    o = k8smig.loads(d.to_yaml())[0]
    k8smig.Object({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})
    try:
        d.set_label(1, "x")
    except k8smig.Error:
        pass
    try:
        k8smig.loads("a: [", source="x")
    except k8smig.ParseError:
        pass
    pieces = []
    k8smig.write([d, o], pieces.append)
    k8smig.ingress("i", "dev", "alb").ingress_set_alb(scheme="internal", certificate_arn="arn:aws:acm:eu-west-1:123456789012:certificate/abc", https_port=443)
    k8smig.fluent_bit_config("fb", "logging", region="eu-west-1", log_group_prefix="/ecs/x", namespaces=["a", "b"])
    del v
import tempfile
with tempfile.TemporaryDirectory() as t:
    def boom(p, c):
        raise KeyError(p)
    try:
        k8smig.Spec.default().generate(t + "/o", on_file=boom)
    except KeyError:
        pass
gc.collect()
print("done")
