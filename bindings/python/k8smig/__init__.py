"""libk8smig for Python: Kubernetes objects, YAML/JSON, validation and server-side apply.

    import k8smig
    d = k8smig.Object("apps/v1", "Deployment", name="web", namespace="dev")
    d["spec.replicas"] = 2
    d["spec.template.spec.containers"] = [{"name": "web", "image": "nginx:1.27"}]
    print(d.to_yaml())
    for finding in k8smig.validate([d]): print(finding)
    results = k8smig.Client().apply(k8smig.load("k8s/overlays/dev/all.yaml"))

Every failure raises k8smig.Error (or a subclass) carrying code, path, file, line,
column, http_status and reason, as the C library's last error does.
"""
import dataclasses
import json
from typing import Iterable, List, Optional, Sequence

from . import capi as _c

__all__ = [
    "Object", "Client", "Finding", "ApplyResult", "Spec", "Import", "loads", "load", "dumps", "validate", "render", "version",
    "quantity", "ecs_cpu", "ecs_memory",
    "Error", "ValidationError", "KindError", "ParseError", "SchemaError", "NotFoundError",
    "AlreadyExistsError", "ConflictError", "AuthError", "TransportError", "APIError", "TimeoutError", "IOError",
]


# ---- errors --------------------------------------------------------------------

class Error(Exception):
    """A libk8smig failure. `code` is the C k8smig_error_code (negative)."""

    def __init__(self, message, code=-1, path="", file="", line=0, column=0, http_status=0, reason="", name="ERROR"):
        super().__init__(message)
        self.message, self.code, self.path, self.file = message, code, path, file
        self.line, self.column, self.http_status, self.reason, self.name = line, column, http_status, reason, name

    def __str__(self):
        where = f"{self.file}:{self.line}:{self.column}: " if self.file and self.line else (f"{self.file}: " if self.file else "")
        at = f" (at {self.path})" if self.path else ""
        return f"{where}{self.message}{at}"


class ValidationError(Error, ValueError): """EINVAL: an invalid argument or value."""
class KindError(Error, TypeError): """EKIND: wrong kind or value type."""
class ParseError(Error, ValueError): """EPARSE: malformed YAML or JSON, or a parse limit."""
class SchemaError(Error, ValueError): """ESCHEMA: well-formed but breaks a schema rule."""
class NotFoundError(Error, LookupError): """ENOTFOUND."""
class AlreadyExistsError(Error): """EEXISTS."""
class ConflictError(Error): """ECONFLICT: field manager or resource version conflict."""
class AuthError(Error, PermissionError): """EAUTH: authentication or authorization failure."""
class TransportError(Error, ConnectionError): """ETRANSPORT: connection, TLS or protocol failure."""
class APIError(Error): """EAPI: the API server refused the request."""
class TimeoutError(Error, TimeoutError): """ETIMEOUT."""  # noqa: A001 (also a builtin TimeoutError)
class IOError(Error, OSError): """EIO: reading or writing a file failed."""  # noqa: A001
class BusyError(Error): """EBUSY: the client is in use by another thread."""

_BY_CODE = {
    _c.K8SMIG_EINVAL: ValidationError, _c.K8SMIG_EKIND: KindError, _c.K8SMIG_EPARSE: ParseError,
    _c.K8SMIG_ESCHEMA: SchemaError, _c.K8SMIG_ENOTFOUND: NotFoundError, _c.K8SMIG_EEXISTS: AlreadyExistsError,
    _c.K8SMIG_ECONFLICT: ConflictError, _c.K8SMIG_EAUTH: AuthError, _c.K8SMIG_ETRANSPORT: TransportError,
    _c.K8SMIG_EAPI: APIError, _c.K8SMIG_ETIMEOUT: TimeoutError, _c.K8SMIG_EIO: IOError,
    _c.K8SMIG_EBUSY: BusyError,
}


def _raise(code, message, path, file, line, column, http_status, reason, name):
    """Called by the SWIG glue when a C function returns a negative status."""
    if code == _c.K8SMIG_ENOMEM:
        raise MemoryError(message)
    cls = _BY_CODE.get(code, Error)
    raise cls(message, code, path, file, line, column, http_status, reason, name)


def version() -> str:
    return _c.k8smig_version()


# ---- objects -------------------------------------------------------------------

def _json_opts(compact=True):
    o = _c.k8smig_emit_options()
    o.format = _c.K8SMIG_FORMAT_JSON
    o.flags = _c.K8SMIG_EMIT_COMPACT if compact else 0
    return o


def _parse_json_value(value):
    """A Python value as a one-off C object {"v": value}, to copy from."""
    po = _c.k8smig_parse_options()
    po.format = _c.K8SMIG_FORMAT_JSON
    lst = _c.k8smig_parse(json.dumps({"v": value}, ensure_ascii=False), po)
    return _c.k8smig_object_list_get(lst, 0), lst


class Object:
    """One Kubernetes object of any kind: an ordered tree addressed by field paths
    (``spec.template.spec.containers[0].image``, ``metadata.labels[app.kubernetes.io/name]``)."""

    __slots__ = ("_h",)

    def __init__(self, api_version: Optional[str] = None, kind: Optional[str] = None, *,
                 name: Optional[str] = None, namespace: Optional[str] = None, _handle=None):
        self._h = _handle if _handle is not None else _c.k8smig_object_new(api_version, kind)
        if name is not None:
            self.name = name
        if namespace is not None:
            self.namespace = namespace

    @classmethod
    def from_dict(cls, data: dict) -> "Object":
        objs = loads(json.dumps(data, ensure_ascii=False))
        if len(objs) != 1:
            raise ValidationError("from_dict needs one mapping", _c.K8SMIG_EINVAL)
        return objs[0]

    def to_dict(self) -> dict:
        return json.loads(_c.k8smig_object_emit(self._h, _json_opts()))

    # identity
    api_version = property(lambda self: _c.k8smig_object_api_version(self._h))
    kind = property(lambda self: _c.k8smig_object_kind(self._h))

    @property
    def name(self) -> Optional[str]:
        return _c.k8smig_object_name(self._h)

    @name.setter
    def name(self, value: str):
        _c.k8smig_object_set_name(self._h, value)

    @property
    def namespace(self) -> Optional[str]:
        return _c.k8smig_object_namespace(self._h)

    @namespace.setter
    def namespace(self, value: str):
        _c.k8smig_object_set_namespace(self._h, value)

    def set_label(self, key: str, value: str):
        _c.k8smig_object_set_label(self._h, key, value)

    def set_annotation(self, key: str, value: str):
        _c.k8smig_object_set_annotation(self._h, key, value)

    @property
    def source(self):
        """(file, line) of a parsed object's document, or (None, 0)."""
        src, line = _c.k8smig_object_source(self._h)
        return src, line

    # field paths
    def __contains__(self, path: str) -> bool:
        return _c.k8smig_object_has(self._h, path)

    def __getitem__(self, path: str):
        if not _c.k8smig_object_has(self._h, path):
            raise KeyError(path)
        return self.to_dict_at(path)

    def get(self, path: str, default=None):
        return self[path] if path in self else default

    def to_dict_at(self, path: str):
        tmp = Object()
        _c.k8smig_object_set_value(tmp._h, "v", _c.k8smig_object_get(self._h, path))
        return tmp.to_dict()["v"]

    def __setitem__(self, path: str, value):
        if isinstance(value, bool):
            _c.k8smig_object_set_bool(self._h, path, value)
        elif isinstance(value, int):
            _c.k8smig_object_set_int(self._h, path, value)
        elif isinstance(value, float):
            _c.k8smig_object_set_double(self._h, path, value)
        elif isinstance(value, str):
            _c.k8smig_object_set_str(self._h, path, value)
        elif value is None:
            _c.k8smig_object_set_null(self._h, path)
        elif isinstance(value, (dict, list, tuple)):
            src, keep = _parse_json_value(value)
            _c.k8smig_object_set_value(self._h, path, _c.k8smig_object_get(src, "v"))
            del keep
        else:
            raise TypeError(f"cannot store a {type(value).__name__} in a Kubernetes object")

    def __delitem__(self, path: str):
        _c.k8smig_object_unset(self._h, path)

    # serialization and checks
    def to_yaml(self) -> str:
        return _c.k8smig_object_emit(self._h, None)

    def to_json(self, compact: bool = False) -> str:
        return _c.k8smig_object_emit(self._h, _json_opts(compact))

    def validate(self):
        """Raise SchemaError with the field path of the first error finding."""
        _c.k8smig_object_validate(self._h)

    def copy(self) -> "Object":
        return Object(_handle=_c.k8smig_object_dup(self._h))

    def __eq__(self, other):
        return isinstance(other, Object) and _c.k8smig_object_equal(self._h, other._h)

    __hash__ = None

    def __repr__(self):
        ns = f"{self.namespace}/" if self.namespace else ""
        return f"<k8smig.Object {self.kind or '?'} {ns}{self.name or '?'}>"


def _to_c_list(objects: Iterable[Object]):
    lst = _c.k8smig_object_list_new()
    for o in objects:
        _c.k8smig_object_list_append(lst, o._h)
    return lst


def _from_c_list(lst) -> List[Object]:
    return [Object(_handle=_c.k8smig_object_dup(_c.k8smig_object_list_get(lst, i)))
            for i in range(_c.k8smig_object_list_size(lst))]


def loads(text, source: Optional[str] = None, format: str = "auto") -> List[Object]:
    """Parse a YAML or JSON stream (str or bytes) into objects."""
    po = _c.k8smig_parse_options()
    po.format = {"auto": _c.K8SMIG_FORMAT_AUTO, "yaml": _c.K8SMIG_FORMAT_YAML, "json": _c.K8SMIG_FORMAT_JSON}[format]
    if source:
        po.source_name = source
    return _from_c_list(_c.k8smig_parse(text, po))


def load(path: str) -> List[Object]:
    """Parse a YAML or JSON file; errors carry its name, line and column."""
    return _from_c_list(_c.k8smig_parse_file(path, None))


def dumps(objects: Sequence[Object], format: str = "yaml") -> str:
    """A canonical YAML stream (documents separated by ---) or JSON stream."""
    eo = _c.k8smig_emit_options()
    eo.format = _c.K8SMIG_FORMAT_JSON if format == "json" else _c.K8SMIG_FORMAT_YAML
    return _c.k8smig_object_list_emit(_to_c_list(objects), eo)


# ---- validation -------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Finding:
    severity: str   # "error", "warning" or "info"
    code: str
    kind: str
    namespace: str
    name: str
    path: str
    message: str
    source: str
    line: int

    def __str__(self):
        where = f"{self.source}:{self.line}: " if self.source else ""
        obj = f"{self.kind}/{self.namespace + '/' if self.namespace else ''}{self.name}"
        return f"{where}{self.severity} {self.code} {obj} {self.path}: {self.message}"


_SEVERITY = {0: "error", 1: "warning", 2: "info"}


def validate(objects: Sequence[Object], lints: bool = True, cross: bool = True) -> List[Finding]:
    """Validate a set: each object alone, the references between them, and the AWS lints."""
    vo = _c.k8smig_validate_options()
    vo.flags = (0 if lints else _c.K8SMIG_VALIDATE_NO_LINTS) | (0 if cross else _c.K8SMIG_VALIDATE_NO_CROSS)
    report = _c.k8smig_validate(_to_c_list(objects), vo)
    out = []
    for i in range(_c.k8smig_report_size(report)):
        f = _c.k8smig_report_get(report, i)
        out.append(Finding(_SEVERITY.get(f.severity, "info"), f.code, f.kind, f.namespace_, f.name, f.path,
                           f.message, f.source, f.line))
    return out


# ---- render and the migration engine ---------------------------------------------------

def render(directory: str, load_anywhere: bool = False, keep_order: bool = False) -> List[Object]:
    """Build a kustomization directory in-library, as `kubectl kustomize` would."""
    ro = _c.k8smig_render_options()
    ro.flags = (_c.K8SMIG_RENDER_LOAD_ANYWHERE if load_anywhere else 0) | (_c.K8SMIG_RENDER_KEEP_ORDER if keep_order else 0)
    return _from_c_list(_c.k8smig_render(directory, ro))


class Spec:
    """A migration spec (docs/spec.md): the bundled default, a file, or text."""

    def __init__(self, _handle):
        self._h = _handle

    @classmethod
    def default(cls) -> "Spec":
        """The bundled spec: the layering-detection system of the reference plan."""
        return cls(_c.k8smig_spec_load_default())

    @classmethod
    def load(cls, path: str) -> "Spec":
        return cls(_c.k8smig_spec_load_file(path))

    @classmethod
    def loads(cls, text: str, source: Optional[str] = None) -> "Spec":
        return cls(_c.k8smig_spec_load(text, source))

    name = property(lambda self: _c.k8smig_spec_name(self._h))

    @property
    def environments(self) -> dict:
        """Environment name -> namespace."""
        return {_c.k8smig_spec_environment_name(self._h, i): _c.k8smig_spec_environment_namespace(self._h, i)
                for i in range(_c.k8smig_spec_environment_count(self._h))}

    def plan(self, environment: Optional[str] = None) -> List[Object]:
        """The objects of one environment (or of the base when None)."""
        return _from_c_list(_c.k8smig_plan(self._h, environment))

    def generate(self, out_dir: str, check: bool = False) -> int:
        """Write the whole tree under out_dir (atomically, byte-identical on a re-run);
        with check, write nothing. Returns the number of files changed (or that would be)."""
        go = _c.k8smig_generate_options()
        go.flags = _c.K8SMIG_GENERATE_CHECK if check else 0
        return _c.k8smig_generate(self._h, out_dir, go)


class Import:
    """An import of the running ECS system into a spec, with a report (docs/import.md).

        imp = k8smig.Import(name="billing")
        imp.add_file("task-definition", "td-api.json")
        imp.add_file("services", "services.json")
        spec = imp.spec()                  # a Spec, as if written by hand
        report = imp.report()              # dict: summary, services, entries

    Kinds: "task-definition", "services", "scalable-targets", "scaling-policies", "terraform".
    `base` is a spec (text or an Object) whose name, aws, environments and ci are kept."""

    _KINDS = {"task-definition": 1, "services": 2, "scalable-targets": 3, "scaling-policies": 4, "terraform": 5}

    def __init__(self, name: Optional[str] = None, base=None):
        o = _c.k8smig_import_options()
        if name is not None:
            o.name = name
        if base is not None:
            base_obj = base if isinstance(base, Object) else loads(base, source="base spec")[0]
            o.base = base_obj._h   # copied by k8smig_import_new
        self._h = _c.k8smig_import_new(o)
        self._doc = None

    def _kind(self, kind: str) -> int:
        if kind not in self._KINDS:
            raise ValidationError(f"unknown input kind {kind!r} (one of {', '.join(self._KINDS)})", _c.K8SMIG_EINVAL)
        return self._KINDS[kind]

    def add(self, kind: str, text, source: Optional[str] = None):
        """Add one input (JSON text or bytes)."""
        _c.k8smig_import_add(self._h, self._kind(kind), text, source)

    def add_file(self, kind: str, path: str):
        _c.k8smig_import_add_file(self._h, self._kind(kind), path)

    def build(self) -> Object:
        """The spec document (built once; later calls return it again)."""
        if self._doc is None:
            self._doc = Object(_handle=_c.k8smig_import_build(self._h))
        return self._doc

    def spec(self) -> Spec:
        """The spec, loaded by the ordinary spec loader."""
        return Spec(_c.k8smig_spec_load_object(self.build()._h, "imported spec"))

    def report(self, format: str = "dict"):
        """The report: "dict" (parsed JSON), "json", "text" or "html"."""
        self.build()
        fmt = {"dict": 0, "json": 0, "text": 1, "html": 2}.get(format)
        if fmt is None:
            raise ValidationError(f"unknown report format {format!r}", _c.K8SMIG_EINVAL)
        text = _c.k8smig_import_report(self._h, fmt)
        return json.loads(text) if format == "dict" else text


# ---- quantities ---------------------------------------------------------------------

def quantity(text: str) -> str:
    """The canonical form of a Kubernetes quantity ("0.5" -> "500m"); ValidationError if malformed."""
    q = _c.k8smig_quantity()
    _c.k8smig_quantity_parse(q, text)
    return _c.k8smig_quantity_format_str(q)


def ecs_cpu(units: int) -> str:
    """ECS CPU units to a CPU quantity: 512 -> "500m"."""
    return _c.k8smig_quantity_from_ecs_cpu(units)


def ecs_memory(mib: int) -> str:
    """ECS memory in MiB to a memory quantity: 1024 -> "1Gi"."""
    return _c.k8smig_quantity_from_ecs_memory(mib)


# ---- client --------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class ApplyResult:
    action: str     # "created", "configured", "unchanged" or "failed"
    kind: str
    namespace: str
    name: str
    resource: str
    error: Optional[Error]
    live: Optional[Object]   # the object as the server returned it


_initialised = False


class Client:
    """A connection to a Kubernetes API server, configured as kubectl would be."""

    def __init__(self, kubeconfig: Optional[str] = None, context: Optional[str] = None,
                 namespace: Optional[str] = None, max_parallel: int = 0):
        global _initialised
        if not _initialised:
            _c.k8smig_init()
            _initialised = True
        kc = _c.k8smig_kubeconfig_load(kubeconfig)
        co = _c.k8smig_client_options()
        if context:
            co.context = context
        if namespace:
            co.namespace_ = namespace
        co.max_parallel = max_parallel
        self._h = _c.k8smig_client_new(kc, co)

    server = property(lambda self: _c.k8smig_client_server(self._h))
    namespace = property(lambda self: _c.k8smig_client_namespace(self._h))

    def get(self, api_version: str, kind: str, name: str, namespace: Optional[str] = None) -> Object:
        return Object(_handle=_c.k8smig_client_get(self._h, api_version, kind, namespace, name))

    def list(self, api_version: str, kind: str, namespace: Optional[str] = None,
             label_selector: Optional[str] = None) -> List[Object]:
        return _from_c_list(_c.k8smig_client_list(self._h, api_version, kind, namespace, label_selector))

    def delete(self, api_version: str, kind: str, name: str, namespace: Optional[str] = None,
               propagation: str = "default"):
        p = {"default": 0, "background": 1, "foreground": 2, "orphan": 3}[propagation]
        _c.k8smig_client_delete(self._h, api_version, kind, namespace, name, p)

    def apply(self, objects, field_manager: Optional[str] = None, force: bool = False,
              dry_run: bool = False, raise_on_failure: bool = True) -> List[ApplyResult]:
        """Server-side apply of one object or a set, in dependency order. Returns one
        result per object; raises Error (the first failure) unless raise_on_failure is False.
        When every object failed for one reason (server unreachable, Forbidden), that
        error is raised whatever raise_on_failure says: nothing was applied."""
        if isinstance(objects, Object):
            objects = [objects]
        apply_opts = _c.k8smig_apply_options()  # held here: ao only points at it
        if field_manager:
            apply_opts.field_manager = field_manager
        apply_opts.force = force
        apply_opts.dry_run = dry_run
        ao = _c.k8smig_apply_set_options()
        ao.apply = apply_opts
        lst = _to_c_list(objects)
        res = _c.k8smig_client_apply_set(self._h, lst, ao)
        out = []
        first_failure = None
        for i in range(_c.k8smig_apply_results_size(res)):
            r = _c.k8smig_apply_results_get(res, i)
            live = _c.k8smig_apply_results_object(res, i)
            err = None
            if r.action == _c.K8SMIG_APPLY_FAILED:
                err = _BY_CODE.get(r.error_code, Error)(r.error_message, r.error_code, r.error_path, "", 0, 0,
                                                        r.http_status, "", "")
                first_failure = first_failure or err
            out.append(ApplyResult(_c.k8smig_apply_action_name(r.action), r.kind, r.namespace_, r.name, r.resource,
                                   err, Object(_handle=_c.k8smig_object_dup(live)) if live else None))
        if first_failure and raise_on_failure:
            raise first_failure
        return out


# ---- after the apply: wait, diff, ApplySets, history, rollback, impersonation ----------
# (lifecycle.h; methods attached to Client below)

@dataclasses.dataclass(frozen=True)
class WaitResult:
    state: str      # "current", "in-progress", "failed", "not-found", "terminating"
    api_version: str
    kind: str
    namespace: str
    name: str
    reason: str     # why not current ("" when current)
    report: str     # after a timeout or failure: conditions and latest events of the object and its pods


@dataclasses.dataclass(frozen=True)
class DiffEntry:
    action: str     # "unchanged", "create", "change", "prune", "failed"
    api_version: str
    kind: str
    namespace: str
    name: str
    diff: str       # unified diff, Secret values masked
    error: str


@dataclasses.dataclass(frozen=True)
class PruneEntry:
    api_version: str
    kind: str
    namespace: str
    name: str
    error: str


@dataclasses.dataclass(frozen=True)
class Rollout:
    applied: List[ApplyResult]
    pruned: List[PruneEntry]
    waited: List[WaitResult]
    revision: int           # recorded revision, 0 when none
    rolled_back: bool       # an atomic apply undid itself
    rolled_back_to: int


@dataclasses.dataclass(frozen=True)
class Revision:
    number: int
    applied_at: str
    status: str             # "deployed", "superseded", "failed"
    description: str
    objects: int


class RolloutError(Error):
    """An apply, wait, rollback or delete that did not fully succeed; `.result` holds
    what happened (a Rollout, a list of WaitResult or of DiffEntry)."""


_READINESS = ["current", "in-progress", "failed", "not-found", "terminating"]
_DIFF_ACTIONS = ["unchanged", "create", "change", "prune", "failed"]


def _raise_with(err, result):
    """err: the (code, message, ...) tuple from the glue, or 0 for success."""
    if not isinstance(err, tuple):
        return
    code = err[0]
    cls = _BY_CODE.get(code, RolloutError)
    e = cls(err[1], code, err[2], err[3], err[4], err[5], err[6], err[7], err[8])
    e.result = result
    raise e


def _wait_results(h):
    out = []
    for i in range(_c.k8smig_wait_results_size(h) if h is not None else 0):
        r = _c.k8smig_wait_results_get(h, i)
        out.append(WaitResult(_READINESS[r.state], r.api_version, r.kind, r.namespace_, r.name, r.reason, r.report))
    return out


def _rollout(h):
    if h is None:
        return None
    applied = []
    res = _c.k8smig_rollout_applied(h)
    for i in range(_c.k8smig_apply_results_size(res) if res is not None else 0):
        r = _c.k8smig_apply_results_get(res, i)
        live = _c.k8smig_apply_results_object(res, i)
        err = None
        if r.action == _c.K8SMIG_APPLY_FAILED:
            err = _BY_CODE.get(r.error_code, Error)(r.error_message, r.error_code, r.error_path, "", 0, 0, r.http_status, "", "")
        applied.append(ApplyResult(_c.k8smig_apply_action_name(r.action), r.kind, r.namespace_, r.name, r.resource,
                                   err, Object(_handle=_c.k8smig_object_dup(live)) if live else None))
    pruned = []
    for i in range(_c.k8smig_rollout_pruned_size(h)):
        p = _c.k8smig_rollout_pruned_get(h, i)
        pruned.append(PruneEntry(p.api_version, p.kind, p.namespace_, p.name, p.error_message))
    return Rollout(applied, pruned, _wait_results(_c.k8smig_rollout_waited(h)), _c.k8smig_rollout_revision(h),
                   bool(_c.k8smig_rollout_rolled_back(h)), _c.k8smig_rollout_rolled_back_to(h))


def _rollout_options(applyset, namespace, field_manager, force, dry_run, prune, wait, timeout, atomic, history_max):
    o = _c.k8smig_rollout_options()
    if applyset:
        o.applyset = applyset
    if namespace:
        o.applyset_namespace = namespace
    a = _c.k8smig_apply_options()  # o only points at it: the caller holds both
    if field_manager:
        a.field_manager = field_manager
    a.force = force
    a.dry_run = dry_run
    o.apply.apply = a
    o.prune, o.wait, o.atomic = prune, wait, atomic
    o.timeout_ms = int(timeout * 1000)
    o.history_max = history_max
    return o, a


def _client_wait(self, objects, timeout: float = 300, for_deletion: bool = False, progress=None) -> List[WaitResult]:
    """Wait until every object is current (kstatus), or gone with for_deletion. progress(stage,
    kind, namespace, name, state, ready, total) is called as objects change state. Raises
    TimeoutError / RolloutError with `.result` (the per-object reports) when not all got there."""
    o = _c.k8smig_wait_options()
    o.timeout_ms = int(timeout * 1000)
    o.for_deletion = for_deletion
    err, h = _c.k8smig_py_wait(self._h, _to_c_list(objects), o, progress)
    results = _wait_results(h)
    _raise_with(err, results)
    return results


def _client_diff(self, objects, applyset: Optional[str] = None, field_manager: Optional[str] = None,
                 force: bool = False) -> List[DiffEntry]:
    """Desired vs live through a server-side dry-run apply; with applyset, also the members
    that an apply with prune would delete."""
    o = _c.k8smig_diff_options()
    if field_manager:
        o.apply.field_manager = field_manager
    o.apply.force = force
    if applyset:
        o.applyset = applyset
    err, h = _c.k8smig_py_diff(self._h, _to_c_list(objects), o)
    out = []
    for i in range(_c.k8smig_diff_size(h) if h is not None else 0):
        e = _c.k8smig_diff_get(h, i)
        out.append(DiffEntry(_DIFF_ACTIONS[e.action], e.api_version, e.kind, e.namespace_, e.name, e.diff, e.error_message))
    _raise_with(err, out)
    return out


def _client_apply_applyset(self, objects, applyset: str, prune: bool = False, wait: bool = False, timeout: float = 300,
                           atomic: bool = False, history_max: int = 0, field_manager: Optional[str] = None,
                           force: bool = False, dry_run: bool = False, progress=None) -> Rollout:
    """Apply as a KEP-3659 ApplySet (parent Secret `applyset` in the client's namespace), prune
    members that left the set, record a revision, wait, roll back by itself with atomic.
    progress(stage, kind, namespace, name, state, done, total), stage "apply" or "wait"."""
    o, _apply_opts = _rollout_options(applyset, None, field_manager, force, dry_run, prune, wait, timeout, atomic, history_max)
    err, h = _c.k8smig_py_rollout(0, self._h, _to_c_list(objects), 0, o, progress)
    r = _rollout(h)
    _raise_with(err, r)
    return r


def _client_rollback(self, applyset: str, revision: int = 0, wait: bool = False, timeout: float = 300,
                     progress=None) -> Rollout:
    """Re-apply a recorded revision (0: the one before the current) and prune what it lacks."""
    o, _apply_opts = _rollout_options(applyset, None, None, False, False, True, wait, timeout, False, 0)
    err, h = _c.k8smig_py_rollout(1, self._h, None, revision, o, progress)
    r = _rollout(h)
    _raise_with(err, r)
    return r


def _client_delete_applyset(self, applyset: str, timeout: float = 300, dry_run: bool = False) -> Rollout:
    """Delete every member (reverse phase order), wait until gone, then the parent and history."""
    o, _apply_opts = _rollout_options(applyset, None, None, False, dry_run, False, False, timeout, False, 0)
    err, h = _c.k8smig_py_rollout(2, self._h, None, 0, o, None)
    r = _rollout(h)
    _raise_with(err, r)
    return r


def _client_delete_set(self, objects, timeout: float = 300, dry_run: bool = False) -> Rollout:
    """Delete objects in reverse phase order and wait until they are gone."""
    o, _apply_opts = _rollout_options(None, None, None, False, dry_run, False, False, timeout, False, 0)
    err, h = _c.k8smig_py_rollout(3, self._h, _to_c_list(objects), 0, o, None)
    r = _rollout(h)
    _raise_with(err, r)
    return r


def _client_history(self, applyset: str) -> List[Revision]:
    h = _c.k8smig_client_history(self._h, applyset, None)
    return [Revision(v.number, v.applied_at, v.status, v.description, v.objects)
            for v in (_c.k8smig_history_get(h, i) for i in range(_c.k8smig_history_size(h)))]


def _client_revision_objects(self, applyset: str, number: int) -> List[Object]:
    """The set recorded by revision `number`."""
    h = _c.k8smig_client_history(self._h, applyset, None)
    for i in range(_c.k8smig_history_size(h)):
        if _c.k8smig_history_get(h, i).number == number:
            return _from_c_list(_c.k8smig_history_objects(h, i))
    raise NotFoundError(f"applyset {applyset} has no revision {number}", _c.K8SMIG_ENOTFOUND, "revision")


def _client_impersonate(self, user: Optional[str], groups: Sequence[str] = (), uid: Optional[str] = None):
    """Act as `user` (and groups, uid) like kubectl --as/--as-group/--as-uid; None stops."""
    _raise_with(_c.k8smig_py_impersonate(self._h, user, list(groups), uid), None)


def readiness(obj: Object):
    """kstatus of a live object: (state, reason)."""
    state, extra = _c.k8smig_py_readiness(obj._h)
    if state == "":
        _raise_with(extra, None)
    return state, extra


Client.wait = _client_wait
Client.diff = _client_diff
Client.apply_applyset = _client_apply_applyset
Client.rollback = _client_rollback
Client.delete_applyset = _client_delete_applyset
Client.delete_set = _client_delete_set
Client.history = _client_history
Client.revision_objects = _client_revision_objects
Client.impersonate = _client_impersonate

__all__ += ["WaitResult", "DiffEntry", "PruneEntry", "Rollout", "Revision", "RolloutError", "readiness"]
