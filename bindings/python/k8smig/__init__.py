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
    "Object", "Client", "Finding", "ApplyResult", "Spec", "loads", "load", "dumps", "validate", "render", "version",
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

_BY_CODE = {
    _c.K8SMIG_EINVAL: ValidationError, _c.K8SMIG_EKIND: KindError, _c.K8SMIG_EPARSE: ParseError,
    _c.K8SMIG_ESCHEMA: SchemaError, _c.K8SMIG_ENOTFOUND: NotFoundError, _c.K8SMIG_EEXISTS: AlreadyExistsError,
    _c.K8SMIG_ECONFLICT: ConflictError, _c.K8SMIG_EAUTH: AuthError, _c.K8SMIG_ETRANSPORT: TransportError,
    _c.K8SMIG_EAPI: APIError, _c.K8SMIG_ETIMEOUT: TimeoutError, _c.K8SMIG_EIO: IOError,
}


def _raise(code, message, path, file, line, column, http_status, reason, name):
    """Called by the SWIG glue when a C function returns a negative status."""
    if code == _c.K8SMIG_ENOMEM:
        raise MemoryError(message)
    cls = _BY_CODE.get(code, Error)
    raise cls(message, code, path, file, line, column, http_status, reason, name)


def version() -> str:
    """The C library's version string ("0.1.0")."""
    return _c.k8smig_version()


__version__: str = _c.k8smig_version()


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
        result per object; raises Error (the first failure) unless raise_on_failure is False."""
        if isinstance(objects, Object):
            objects = [objects]
        ao = _c.k8smig_apply_set_options()
        if field_manager:
            ao.apply.field_manager = field_manager
        ao.apply.force = force
        ao.apply.dry_run = dry_run
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
