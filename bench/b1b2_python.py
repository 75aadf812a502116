#!/usr/bin/env python3
"""B1/B2 from Python, in one run: the same N reference Deployments (bench/run.py's
reference: 3 env vars, 2 envFrom, 2 probes, port, resources, a mount, a PVC volume)
built and emitted as YAML, then parsed back, through

  - k8smig, typed builders (k8smig.deployment + builder methods)
  - k8smig, from dicts (k8smig.Object(mapping))
  - the official `kubernetes` client (V1Deployment models, sanitize, PyYAML's C dumper)
  - lightkube (its dataclass models, to_dict, PyYAML's C dumper)
  - parse: k8smig.loads vs PyYAML's C loader (CSafeLoader)

    PYTHONPATH=build/bindings/python python3 bench/b1b2_python.py [--n 10000] [--runs 3]

Prints µs/object (median of the runs), in wall time and in the process's CPU time, and the
ratios the issue targets in both: build+emit vs the official client (target 20x), parse vs
PyYAML's C loader (target 5x).
"""
import argparse
import statistics
import time

import yaml

import k8smig

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/layering:{}"
# the typed builder labels and selects by app.kubernetes.io/name: <object name>; every path does
def labels(i):
    return {"app.kubernetes.io/name": f"layering-{i}", "app.kubernetes.io/part-of": "layering-detection",
            "app.kubernetes.io/component": "algorithm"}
NS = "layering-detection-dev"


def k8smig_typed(n):
    out = []
    for i in range(n):
        d = k8smig.deployment(f"layering-{i}", NS, image=IMAGE.format(i), container_name="app", replicas=2,
                              env={"LOG_LEVEL": "INFO", "MAX_RETRIES": "3", "ALGORITHM_TIMEOUT_SECONDS": "30"},
                              service_account="layering")
        d.set_label("app.kubernetes.io/part-of", "layering-detection")
        d.set_label("app.kubernetes.io/component", "algorithm")
        d.container_add_env_from(0, "config_map", "app-config", None)
        d.container_add_env_from(0, "secret", "api-key", None)
        d.container_set_probe(0, "liveness", path="/health", port=8001, initial_delay_seconds=5, period_seconds=30,
                              timeout_seconds=10)
        d.container_set_probe(0, "readiness", path="/health", port=8001, period_seconds=10, timeout_seconds=5)
        d.container_add_port(0, "http", 8001)
        d.container_set_resources(0, "500m", "512Mi", "500m", "512Mi")
        d.container_add_volume_mount(0, "input", "/app/input", True, None)
        v = d.pod_add_volume("input", "pvc", "input-pvc")
        d[f"spec.template.spec.volumes[{v}].persistentVolumeClaim.readOnly"] = True
        out.append(d)
    return out


def reference_dict(i):
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": f"layering-{i}", "namespace": NS, "labels": labels(i)},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app.kubernetes.io/name": f"layering-{i}"}},
                     "template": {"metadata": {"labels": {"app.kubernetes.io/name": f"layering-{i}"}},
                                  "spec": {"serviceAccountName": "layering", "containers": [{
                                      "name": "app", "image": IMAGE.format(i),
                                      "env": [{"name": "LOG_LEVEL", "value": "INFO"},
                                              {"name": "MAX_RETRIES", "value": "3"},
                                              {"name": "ALGORITHM_TIMEOUT_SECONDS", "value": "30"}],
                                      "envFrom": [{"configMapRef": {"name": "app-config"}},
                                                  {"secretRef": {"name": "api-key"}}],
                                      "livenessProbe": {"httpGet": {"path": "/health", "port": 8001},
                                                        "initialDelaySeconds": 5, "periodSeconds": 30,
                                                        "timeoutSeconds": 10},
                                      "readinessProbe": {"httpGet": {"path": "/health", "port": 8001},
                                                         "periodSeconds": 10, "timeoutSeconds": 5},
                                      "ports": [{"containerPort": 8001, "name": "http"}],
                                      "resources": {"limits": {"cpu": "500m", "memory": "512Mi"},
                                                    "requests": {"cpu": "500m", "memory": "512Mi"}},
                                      "volumeMounts": [{"mountPath": "/app/input", "name": "input",
                                                        "readOnly": True}]}],
                                      "volumes": [{"name": "input", "persistentVolumeClaim": {
                                          "claimName": "input-pvc", "readOnly": True}}]}}}}


def official(n):
    from kubernetes import client
    from kubernetes.client import ApiClient
    t0 = start()
    objs = []
    for i in range(n):
        c = client.V1Container(
            name="app", image=IMAGE.format(i),
            env=[client.V1EnvVar(name="LOG_LEVEL", value="INFO"), client.V1EnvVar(name="MAX_RETRIES", value="3"),
                 client.V1EnvVar(name="ALGORITHM_TIMEOUT_SECONDS", value="30")],
            env_from=[client.V1EnvFromSource(config_map_ref=client.V1ConfigMapEnvSource(name="app-config")),
                      client.V1EnvFromSource(secret_ref=client.V1SecretEnvSource(name="api-key"))],
            liveness_probe=client.V1Probe(http_get=client.V1HTTPGetAction(path="/health", port=8001),
                                          initial_delay_seconds=5, period_seconds=30, timeout_seconds=10),
            readiness_probe=client.V1Probe(http_get=client.V1HTTPGetAction(path="/health", port=8001),
                                           period_seconds=10, timeout_seconds=5),
            ports=[client.V1ContainerPort(container_port=8001, name="http")],
            resources=client.V1ResourceRequirements(limits={"cpu": "500m", "memory": "512Mi"},
                                                    requests={"cpu": "500m", "memory": "512Mi"}),
            volume_mounts=[client.V1VolumeMount(mount_path="/app/input", name="input", read_only=True)])
        objs.append(client.V1Deployment(
            api_version="apps/v1", kind="Deployment",
            metadata=client.V1ObjectMeta(name=f"layering-{i}", namespace=NS, labels=labels(i)),
            spec=client.V1DeploymentSpec(
                replicas=2, selector=client.V1LabelSelector(match_labels={"app.kubernetes.io/name": f"layering-{i}"}),
                template=client.V1PodTemplateSpec(
                    metadata=client.V1ObjectMeta(labels={"app.kubernetes.io/name": f"layering-{i}"}),
                    spec=client.V1PodSpec(containers=[c], service_account_name="layering", volumes=[
                        client.V1Volume(name="input", persistent_volume_claim=client.V1PersistentVolumeClaimVolumeSource(
                            claim_name="input-pvc", read_only=True))])))))
    api = ApiClient()
    text = yaml.dump_all([api.sanitize_for_serialization(d) for d in objs], Dumper=yaml.CSafeDumper)
    return since(t0), text


def lightkube_models(n):
    from lightkube.models.apps_v1 import DeploymentSpec
    from lightkube.models.core_v1 import (Container, ContainerPort, EnvFromSource, EnvVar, HTTPGetAction,
                                          PersistentVolumeClaimVolumeSource, PodSpec, PodTemplateSpec, Probe,
                                          ResourceRequirements, Volume, VolumeMount, ConfigMapEnvSource,
                                          SecretEnvSource)
    from lightkube.models.meta_v1 import LabelSelector, ObjectMeta
    from lightkube.resources.apps_v1 import Deployment
    t0 = start()
    objs = []
    for i in range(n):
        c = Container(name="app", image=IMAGE.format(i),
                      env=[EnvVar(name="LOG_LEVEL", value="INFO"), EnvVar(name="MAX_RETRIES", value="3"),
                           EnvVar(name="ALGORITHM_TIMEOUT_SECONDS", value="30")],
                      envFrom=[EnvFromSource(configMapRef=ConfigMapEnvSource(name="app-config")),
                               EnvFromSource(secretRef=SecretEnvSource(name="api-key"))],
                      livenessProbe=Probe(httpGet=HTTPGetAction(path="/health", port=8001), initialDelaySeconds=5,
                                          periodSeconds=30, timeoutSeconds=10),
                      readinessProbe=Probe(httpGet=HTTPGetAction(path="/health", port=8001), periodSeconds=10,
                                           timeoutSeconds=5),
                      ports=[ContainerPort(containerPort=8001, name="http")],
                      resources=ResourceRequirements(limits={"cpu": "500m", "memory": "512Mi"},
                                                     requests={"cpu": "500m", "memory": "512Mi"}),
                      volumeMounts=[VolumeMount(mountPath="/app/input", name="input", readOnly=True)])
        objs.append(Deployment(
            metadata=ObjectMeta(name=f"layering-{i}", namespace=NS, labels=labels(i)),
            spec=DeploymentSpec(replicas=2, selector=LabelSelector(matchLabels={"app.kubernetes.io/name": f"layering-{i}"}),
                                template=PodTemplateSpec(
                                    metadata=ObjectMeta(labels={"app.kubernetes.io/name": f"layering-{i}"}),
                                    spec=PodSpec(containers=[c], serviceAccountName="layering", volumes=[
                                        Volume(name="input", persistentVolumeClaim=PersistentVolumeClaimVolumeSource(
                                            claimName="input-pvc", readOnly=True))])))))
    text = yaml.dump_all([d.to_dict() for d in objs], Dumper=yaml.CSafeDumper)
    return since(t0), text


# Wall time and the process's CPU time (user + system) of each workload: on a machine shared with
# other jobs the wall figures move with the load, the CPU figures much less.
LAST_CPU = 0.0
CPU = {}


def start():
    return time.perf_counter(), time.process_time()


def since(t0):
    """Wall seconds since t0; the CPU seconds go to LAST_CPU."""
    global LAST_CPU
    LAST_CPU = time.process_time() - t0[1]
    return time.perf_counter() - t0[0]


def timed(fn, runs, name=None):
    times, cpu, out = [], [], None
    for _ in range(runs):
        t, out = fn()
        times.append(t)
        cpu.append(LAST_CPU)
    if name:
        CPU[name] = statistics.median(cpu)
    return statistics.median(times), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    n = a.n

    def typed():
        t0 = start()
        text = k8smig.dumps(k8smig_typed(n))
        return since(t0), text

    def dicts():
        t0 = start()
        text = k8smig.dumps([k8smig.Object(reference_dict(i)) for i in range(n)])
        return since(t0), text

    rows = {}
    rows["k8smig typed builders + emit YAML"], text = timed(typed, a.runs, "k8smig typed builders + emit YAML")
    rows["k8smig Object(dict) + emit YAML"], text_d = timed(dicts, a.runs, "k8smig Object(dict) + emit YAML")
    # both paths build the same reference object
    assert k8smig.loads(text)[0] == k8smig.loads(text_d)[0], "typed and dict builds differ"
    rows["kubernetes client models + sanitize + PyYAML C dumper"], text_o = timed(lambda: official(n), a.runs,
                                                                            "kubernetes client models + sanitize + PyYAML C dumper")
    rows["lightkube models + to_dict + PyYAML C dumper"], _ = timed(lambda: lightkube_models(n), a.runs,
                                                                   "lightkube models + to_dict + PyYAML C dumper")
    assert yaml.load(text_o.split("\n---")[0], Loader=yaml.CSafeLoader) == k8smig.loads(text)[0].to_dict()

    def parse_k():
        t0 = start()
        objs = k8smig.loads(text)
        return since(t0), len(objs)

    def parse_y():
        t0 = start()
        docs = list(yaml.load_all(text, Loader=yaml.CSafeLoader))
        return since(t0), len(docs)
    rows["parse: k8smig.loads"], cnt = timed(parse_k, a.runs, "parse: k8smig.loads")
    rows["parse: PyYAML CSafeLoader"], cnt_y = timed(parse_y, a.runs, "parse: PyYAML CSafeLoader")
    assert cnt == cnt_y == n

    print(f"# B1/B2 from Python, N={n}, median of {a.runs} runs, {len(text) / 1e6:.1f} MB of YAML\n")
    print("| workload | wall µs/object | CPU µs/object |\n|---|---:|---:|")
    for k, v in rows.items():
        print(f"| {k} | {v / n * 1e6:.1f} | {CPU[k] / n * 1e6:.1f} |")
    for what, r in (("wall time", rows), ("CPU time", CPU)):
        off = r["kubernetes client models + sanitize + PyYAML C dumper"]
        print(f"\n{what}: build+emit vs the official client: typed {off / r['k8smig typed builders + emit YAML']:.1f}x, "
              f"dicts {off / r['k8smig Object(dict) + emit YAML']:.1f}x (target 20x); vs lightkube: typed "
              f"{r['lightkube models + to_dict + PyYAML C dumper'] / r['k8smig typed builders + emit YAML']:.1f}x; "
              f"parse vs PyYAML's C loader: {r['parse: PyYAML CSafeLoader'] / r['parse: k8smig.loads']:.1f}x (target 5x)")


if __name__ == "__main__":
    main()
