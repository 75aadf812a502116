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
import collections.abc
import dataclasses
import enum
import json
import re
import types
from typing import Any, Iterable, Iterator, List, Mapping, Optional, Sequence

from . import capi as _capi

__all__ = [
    "Object", "Client", "Finding", "ApplyResult", "Spec", "loads", "load", "dumps", "validate", "render", "version",
    "quantity", "ecs_cpu", "ecs_memory",
    "Error", "ValidationError", "KindError", "ParseError", "SchemaError", "NotFoundError",
    "AlreadyExistsError", "ConflictError", "AuthError", "TransportError", "APIError", "K8smigTimeoutError",
    "K8smigIOError", "Propagation", "MapView", "ListView", "__version__",
]


# ---- the SWIG layer, guarded ------------------------------------------------------
# A wrong argument type reaching SWIG raises SWIG's own TypeError ("in method 'x',
# argument 2 of type 'char const *'"); every C call goes through _guard, which turns
# that into a KindError (or ValidationError for a number out of range) in our words.

_SWIG_ARG = re.compile(r"in method '(\w+)', argument (\d+) of type '([^']+)'")
_PY_NAMES = {"char const *": "a str", "char *": "a str", "bool": "a bool", "double": "a float"}


def _translate(exc: BaseException) -> "Error":
    msg = str(exc)
    m = _SWIG_ARG.search(msg)
    if m:
        fn, n, ctype = m.group(1), m.group(2), m.group(3).strip()
        if ctype in _PY_NAMES:
            want = _PY_NAMES[ctype]
        elif re.fullmatch(r"(u?int\d*_t|int|unsigned int|size_t|long|long long|k8smig_\w+_(kind|type|source|event|action|propagation|format))", ctype):
            want = "an int (or an enum constant)"
        elif ctype.endswith("_options const *") or ctype.endswith("_options *"):
            want = "a dict of options"
        elif "k8smig_object" in ctype:
            want = "a k8smig.Object" + (" list" if "list" in ctype else "")
        else:
            want = f"a value for the C type {ctype}"
        if isinstance(exc, OverflowError):
            return ValidationError(f"{fn}: argument {n} is out of range for {ctype}", _capi.K8SMIG_EINVAL)
        return KindError(f"{fn}: argument {n} must be {want}", _capi.K8SMIG_EKIND)
    if isinstance(exc, OverflowError):
        return ValidationError(f"a number is out of range: {msg}", _capi.K8SMIG_EINVAL)
    return KindError(f"wrong argument: {msg}", _capi.K8SMIG_EKIND)


def _guard(fn: Any) -> Any:
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (TypeError, OverflowError) as e:
            if isinstance(e, Error):
                raise
            raise _translate(e) from None
    call.__name__ = call.__qualname__ = getattr(fn, "__name__", "call")
    call.__doc__ = fn.__doc__
    return call


_c: Any = types.SimpleNamespace(**{
    name: (_guard(v) if callable(v) and not isinstance(v, type) and name.startswith("k8smig_") else v)
    for name, v in vars(_capi).items() if not name.startswith("__")})


def _setattrs(target: Any, values: Mapping[str, Any], what: str) -> None:
    """Set option fields from a mapping; unknown names and wrong types raise our errors."""
    for k, v in values.items():
        if k.startswith("_") or not hasattr(target, k):
            raise ValidationError(f"{what}: unknown option {k!r}", _capi.K8SMIG_EINVAL, path=k)
        try:
            setattr(target, k, v)
        except (TypeError, OverflowError) as e:
            err = _translate(e)
            raise type(err)(f"{what}: option {k!r}: {err.message.split(': ', 1)[-1]}", err.code, path=k) from None


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
class K8smigTimeoutError(Error, TimeoutError): """ETIMEOUT (also a builtin TimeoutError)."""
class K8smigIOError(Error, OSError): """EIO: reading or writing a file failed (also an OSError)."""


# The names before 0.1 (kept as attributes, out of __all__: they would shadow builtins).
globals()["TimeoutError"] = K8smigTimeoutError
globals()["IOError"] = K8smigIOError

_BY_CODE = {
    _c.K8SMIG_EINVAL: ValidationError, _c.K8SMIG_EKIND: KindError, _c.K8SMIG_EPARSE: ParseError,
    _c.K8SMIG_ESCHEMA: SchemaError, _c.K8SMIG_ENOTFOUND: NotFoundError, _c.K8SMIG_EEXISTS: AlreadyExistsError,
    _c.K8SMIG_ECONFLICT: ConflictError, _c.K8SMIG_EAUTH: AuthError, _c.K8SMIG_ETRANSPORT: TransportError,
    _c.K8SMIG_EAPI: APIError, _c.K8SMIG_ETIMEOUT: K8smigTimeoutError, _c.K8SMIG_EIO: K8smigIOError,
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

def _no_json(o: Any) -> Any:
    raise KindError(f"cannot store a {type(o).__name__} in a Kubernetes object", _c.K8SMIG_EKIND)


def _json_opts(compact=True):
    o = _c.k8smig_emit_options()
    o.format = _c.K8SMIG_FORMAT_JSON
    o.flags = _c.K8SMIG_EMIT_COMPACT if compact else 0
    return o


def _parse_json_value(value: Any) -> Any:
    """A Python value as a one-off C object {"v": value}, to copy from."""
    po = _c.k8smig_parse_options()
    po.format = _c.K8SMIG_FORMAT_JSON
    try:
        text = json.dumps({"v": value}, ensure_ascii=False, allow_nan=False,
                          default=lambda o: o.to_python() if isinstance(o, _View) else o.to_dict()
                          if isinstance(o, Object) else _no_json(o))
    except ValueError as e:
        raise ValidationError(f"cannot store in a Kubernetes object: {e}", _c.K8SMIG_EINVAL) from None
    lst = _c.k8smig_parse(text, po)
    return _c.k8smig_object_list_get(lst, 0), lst


_SIMPLE_KEY = re.compile(r"[^.\[\]]+")


def _child_path(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if _SIMPLE_KEY.fullmatch(key) else f"{path}[{key}]"


def _read(owner: "Object", path: str, v: Any) -> Any:
    """A C value as Python: scalars converted, maps and lists as live views."""
    t = _c.k8smig_value_type(v)
    if t == _c.K8SMIG_TYPE_STRING:
        return _c.k8smig_value_str(v)
    if t == _c.K8SMIG_TYPE_INT:
        return _c.k8smig_value_int(v)
    if t == _c.K8SMIG_TYPE_BOOL:
        return _c.k8smig_value_bool(v)
    if t == _c.K8SMIG_TYPE_DOUBLE:
        return _c.k8smig_value_double(v)
    if t == _c.K8SMIG_TYPE_MAP:
        return MapView(owner, path, v)
    if t == _c.K8SMIG_TYPE_LIST:
        return ListView(owner, path, v)
    return None


def _plain(v: Any) -> Any:
    """A C value as plain Python (dict/list/scalars), read node by node."""
    t = _c.k8smig_value_type(v)
    if t == _c.K8SMIG_TYPE_MAP:
        out = {}
        e = _c.k8smig_value_first(v)
        while e is not None:
            out[_c.k8smig_value_key(e)] = _plain(e)
            e = _c.k8smig_value_next(e)
        return out
    if t == _c.K8SMIG_TYPE_LIST:
        items = []
        e = _c.k8smig_value_first(v)
        while e is not None:
            items.append(_plain(e))
            e = _c.k8smig_value_next(e)
        return items
    return _read(None, "", v)  # type: ignore[arg-type]


class _View:
    """A read-only window on a map or list inside an Object, read through the C value
    readers. It keeps its Object alive; after the Object changes, it looks its node up
    again by path (and raises KeyError if the node is gone)."""

    __slots__ = ("_owner", "_path", "_v", "_gen")

    def __init__(self, owner: "Object", path: str, v: Any) -> None:
        self._owner, self._path, self._v, self._gen = owner, path, v, owner._gen

    def _node(self) -> Any:
        if self._gen != self._owner._gen:
            v = _c.k8smig_object_get(self._owner._h, self._path)
            if v is None:
                raise KeyError(self._path)
            self._v, self._gen = v, self._owner._gen
        return self._v

    @property
    def path(self) -> str:
        """The field path of this node in its object."""
        return self._path

    def to_python(self) -> Any:
        """A plain dict or list copy of this node."""
        return _plain(self._node())

    def __len__(self) -> int:
        return int(_c.k8smig_value_size(self._node()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.to_python()!r})"


class MapView(_View, collections.abc.Mapping):  # type: ignore[misc]
    """A map inside an Object: ``obj["spec"]["replicas"]``."""

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        if not isinstance(key, str):
            raise KeyError(key)
        v = _c.k8smig_value_lookup(self._node(), key)
        if v is None:
            raise KeyError(key)
        return _read(self._owner, _child_path(self._path, key), v)

    def __iter__(self) -> Iterator[str]:
        e = _c.k8smig_value_first(self._node())
        gen = self._gen
        while e is not None:
            yield _c.k8smig_value_key(e)
            if gen != self._owner._gen:
                raise RuntimeError("the object changed during iteration")
            e = _c.k8smig_value_next(e)


class ListView(_View, collections.abc.Sequence):  # type: ignore[misc]
    """A list inside an Object: ``obj["spec.template.spec.containers"][0]["image"]``."""

    __slots__ = ()

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        return _read(self._owner, _child_path(self._path, i), _c.k8smig_value_at(self._node(), i))

    def __iter__(self) -> Iterator[Any]:
        e = _c.k8smig_value_first(self._node())
        i, gen = 0, self._gen
        while e is not None:
            yield _read(self._owner, _child_path(self._path, i), e)
            if gen != self._owner._gen:
                raise RuntimeError("the object changed during iteration")
            e, i = _c.k8smig_value_next(e), i + 1

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ListView):
            other = other.to_python()
        return isinstance(other, (list, tuple)) and self.to_python() == list(other)

    __hash__ = None  # type: ignore[assignment]


class Object:
    """One Kubernetes object of any kind: an ordered tree addressed by field paths
    (``spec.template.spec.containers[0].image``, ``metadata.labels[app.kubernetes.io/name]``).

    ``Object("apps/v1", "Deployment", name="web")`` makes an empty one;
    ``Object({"apiVersion": "v1", "kind": "ConfigMap", ...})`` copies a mapping."""

    __slots__ = ("_h", "_gen", "__weakref__")

    def __init__(self, api_version: "Optional[str] | Mapping[str, Any]" = None, kind: Optional[str] = None, *,
                 name: Optional[str] = None, namespace: Optional[str] = None, _handle: Any = None) -> None:
        self._gen = 0
        if _handle is not None:
            self._h = _handle
        elif isinstance(api_version, collections.abc.Mapping):
            if kind is not None:
                raise KindError("Object(mapping) takes no kind: the mapping holds it", _c.K8SMIG_EKIND)
            self._h = Object.from_dict(api_version)._h
        else:
            if api_version is not None and not isinstance(api_version, str):
                raise KindError(f"Object() needs an apiVersion str or a mapping, not {type(api_version).__name__}",
                                _c.K8SMIG_EKIND)
            self._h = _c.k8smig_object_new(api_version, kind)
        if name is not None:
            self.name = name
        if namespace is not None:
            self.namespace = namespace

    def _changed(self) -> None:
        self._gen += 1

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Object":
        """An object copied from a mapping (one document: apiVersion, kind, metadata...)."""
        if not isinstance(data, collections.abc.Mapping):
            raise KindError(f"from_dict needs a mapping, not {type(data).__name__}", _c.K8SMIG_EKIND)
        try:
            text = json.dumps(dict(data), ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as e:
            raise KindError(f"cannot store in a Kubernetes object: {e}", _c.K8SMIG_EKIND) from None
        objs = loads(text, format="json")
        if len(objs) != 1:
            raise ValidationError("from_dict needs one mapping", _c.K8SMIG_EINVAL)
        return objs[0]

    def to_dict(self) -> "dict[str, Any]":
        """A plain dict copy of the whole object."""
        return json.loads(_c.k8smig_object_emit(self._h, _json_opts()))  # type: ignore[no-any-return]

    # identity
    @property
    def api_version(self) -> Optional[str]:
        """apiVersion ("apps/v1")."""
        return _c.k8smig_object_api_version(self._h)  # type: ignore[no-any-return]

    @property
    def kind(self) -> Optional[str]:
        """kind ("Deployment")."""
        return _c.k8smig_object_kind(self._h)  # type: ignore[no-any-return]

    @property
    def name(self) -> Optional[str]:
        """metadata.name."""
        return _c.k8smig_object_name(self._h)  # type: ignore[no-any-return]

    @name.setter
    def name(self, value: str) -> None:
        self._changed()
        _c.k8smig_object_set_name(self._h, value)

    @property
    def namespace(self) -> Optional[str]:
        """metadata.namespace."""
        return _c.k8smig_object_namespace(self._h)  # type: ignore[no-any-return]

    @namespace.setter
    def namespace(self, value: str) -> None:
        self._changed()
        _c.k8smig_object_set_namespace(self._h, value)

    def label(self, key: str) -> Optional[str]:
        """metadata.labels[key], or None."""
        return _c.k8smig_object_label(self._h, key)  # type: ignore[no-any-return]

    def annotation(self, key: str) -> Optional[str]:
        """metadata.annotations[key], or None."""
        return _c.k8smig_object_annotation(self._h, key)  # type: ignore[no-any-return]

    def set_label(self, key: str, value: str) -> None:
        """Set metadata.labels[key]."""
        self._changed()
        _c.k8smig_object_set_label(self._h, key, value)

    def set_annotation(self, key: str, value: str) -> None:
        """Set metadata.annotations[key]."""
        self._changed()
        _c.k8smig_object_set_annotation(self._h, key, value)

    @property
    def source(self) -> "tuple[Optional[str], int]":
        """(file, line) of a parsed object's document, or (None, 0)."""
        src, line = _c.k8smig_object_source(self._h)
        return src, line

    @property
    def memory(self) -> int:
        """Bytes the C object holds."""
        return int(_c.k8smig_object_memory(self._h))

    def check(self) -> None:
        """Raise the sticky error of an earlier failed setter, if any."""
        _c.k8smig_object_status(self._h)

    # field paths
    def __contains__(self, path: str) -> bool:
        return bool(_c.k8smig_object_has(self._h, path))

    def __getitem__(self, path: str) -> Any:
        """The value at a field path: a str, int, float, bool or None, or a MapView /
        ListView (read through the C value readers; ``.to_python()`` copies)."""
        v = _c.k8smig_object_get(self._h, path)
        if v is None:
            if not isinstance(path, str):
                raise KindError(f"a field path is a str, not {type(path).__name__}", _c.K8SMIG_EKIND)
            raise KeyError(path)
        return _read(self, path, v)

    def get(self, path: str, default: Any = None) -> Any:
        """The value at path, or default when absent."""
        try:
            return self[path]
        except KeyError:
            return default

    def to_dict_at(self, path: str) -> Any:
        """A plain Python copy of the value at path."""
        v = _c.k8smig_object_get(self._h, path)
        if v is None:
            raise KeyError(path)
        return _plain(v)

    def __setitem__(self, path: str, value: Any) -> None:
        self._changed()
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
        elif isinstance(value, _View):
            _c.k8smig_object_set_value(self._h, path, value._node())
        elif isinstance(value, (collections.abc.Mapping, list, tuple)):
            src, keep = _parse_json_value(value)
            _c.k8smig_object_set_value(self._h, path, _c.k8smig_object_get(src, "v"))
            del keep
        else:
            raise KindError(f"cannot store a {type(value).__name__} in a Kubernetes object", _c.K8SMIG_EKIND,
                            path=path if isinstance(path, str) else "")

    def __delitem__(self, path: str) -> None:
        self._changed()
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


class Propagation(enum.IntEnum):
    """How a delete treats dependents (k8smig_propagation)."""
    DEFAULT = _capi.K8SMIG_PROPAGATION_DEFAULT
    BACKGROUND = _capi.K8SMIG_PROPAGATION_BACKGROUND
    FOREGROUND = _capi.K8SMIG_PROPAGATION_FOREGROUND
    ORPHAN = _capi.K8SMIG_PROPAGATION_ORPHAN

    @classmethod
    def of(cls, value: "Propagation | str | int") -> "Propagation":
        """A Propagation from itself, its name ("orphan") or its value."""
        if isinstance(value, str):
            try:
                return cls[value.upper()]
            except KeyError:
                raise ValidationError(f"unknown propagation {value!r}", _c.K8SMIG_EINVAL) from None
        try:
            return cls(value)
        except ValueError:
            raise ValidationError(f"unknown propagation {value!r}", _c.K8SMIG_EINVAL) from None


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
               propagation: "Propagation | str" = Propagation.DEFAULT) -> None:
        """Delete one object; propagation is a Propagation constant (or its name)."""
        _c.k8smig_client_delete(self._h, api_version, kind, namespace, name, Propagation.of(propagation))

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
