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
from __future__ import annotations

import collections.abc
import dataclasses
import enum
import json
import re
import types
import queue
import threading
from typing import Any, Callable, Iterable, Iterator, List, Mapping, Optional, Sequence, TypeVar

from . import capi as _capi

__all__ = [
    "Object", "Client", "Finding", "ApplyResult", "Spec", "Import", "loads", "load", "dumps", "validate", "render", "version",
    "quantity", "ecs_cpu", "ecs_memory",
    "Error", "ValidationError", "KindError", "ParseError", "SchemaError", "NotFoundError",
    "AlreadyExistsError", "ConflictError", "AuthError", "TransportError", "APIError", "K8smigTimeoutError",
    "K8smigIOError", "BusyError", "Propagation", "MapView", "ListView", "__version__", "shutdown",
    "deployment", "daemon_set", "pod", "AccessMode", "UNSET", "write", "Report", "Change", "Quantity", "Progress",
    "WatchEvent", "Watch", "current_context", "write_file",
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


def _swig_error(e: BaseException) -> BaseException:
    """e itself when it is ours (a k8smig.Error), else SWIG's argument error in our words."""
    return e if isinstance(e, Error) else _translate(e)


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


# per struct type: option name -> whether it is a field (hasattr once per name, not per call)
_FIELD_OK: dict[type, dict[str, bool]] = {}


def _setattrs(target: Any, values: Mapping[str, Any], what: str) -> None:
    """Set option fields from a mapping; unknown names and wrong types raise our errors."""
    known = _FIELD_OK.get(type(target))
    if known is None:
        known = _FIELD_OK[type(target)] = {}
    for k, v in values.items():
        ok = known.get(k)
        if ok is None:
            ok = known[k] = not k.startswith("_") and hasattr(target, k)
        if not ok:
            raise ValidationError(f"{what}: unknown option {k!r}", _capi.K8SMIG_EINVAL, path=k)
        try:
            setattr(target, k, v)
        except (TypeError, OverflowError) as e:
            err = _translate(e)
            raise type(err)(f"{what}: option {k!r}: {err.message.split(': ', 1)[-1]}", err.code, path=k) from None


# ---- errors --------------------------------------------------------------------

class Error(Exception):
    """A libk8smig failure. `code` is the C k8smig_error_code (negative).

    C: k8smig_error_name()."""

    # Set (only) on the errors of Client.wait/diff/apply_applyset/rollback/delete_applyset/delete_set:
    # what did happen (a Rollout, a list of WaitResult, a DiffList). Declared, not defaulted.
    result: Any

    def __init__(self, message: str, code: int = -1, path: str = "", file: str = "", line: int = 0, column: int = 0,
                 http_status: int = 0, reason: str = "", name: str = "ERROR") -> None:
        super().__init__(message)
        self.message, self.code, self.path, self.file = message, code, path, file
        self.line, self.column, self.http_status, self.reason, self.name = line, column, http_status, reason, name

    def __str__(self) -> str:
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
class BusyError(Error): """EBUSY: the client is in use by another thread."""


# The names before 0.1 (kept as attributes, out of __all__: they would shadow builtins).
globals()["TimeoutError"] = K8smigTimeoutError
globals()["IOError"] = K8smigIOError

_BY_CODE = {
    _c.K8SMIG_EINVAL: ValidationError, _c.K8SMIG_EKIND: KindError, _c.K8SMIG_EPARSE: ParseError,
    _c.K8SMIG_ESCHEMA: SchemaError, _c.K8SMIG_ENOTFOUND: NotFoundError, _c.K8SMIG_EEXISTS: AlreadyExistsError,
    _c.K8SMIG_ECONFLICT: ConflictError, _c.K8SMIG_EAUTH: AuthError, _c.K8SMIG_ETRANSPORT: TransportError,
    _c.K8SMIG_EAPI: APIError, _c.K8SMIG_ETIMEOUT: K8smigTimeoutError, _c.K8SMIG_EIO: K8smigIOError,
    _c.K8SMIG_EBUSY: BusyError,
}


def _raise(code: int, message: str, path: str, file: str, line: int, column: int, http_status: int, reason: str,
           name: str) -> None:
    """Called by the SWIG glue when a C function returns a negative status."""
    if code == _c.K8SMIG_ENOMEM:
        raise MemoryError(message)
    cls = _BY_CODE.get(code, Error)
    raise cls(message, code, path, file, line, column, http_status, reason, name)


def shutdown() -> int:
    """Undo the library's process-wide initialisation (Client does it once); returns the
    remaining count. Only for embedders that unload the library; never needed otherwise.

    C: k8smig_shutdown()."""
    global _initialised
    with _init_lock:
        n = int(_c.k8smig_shutdown())
        _initialised = n > 0
        return n


def version() -> str:
    """The C library's version string ("0.1.0").

    C: k8smig_version()."""
    return str(_c.k8smig_version())


__version__: str = _c.k8smig_version()


# ---- objects -------------------------------------------------------------------

def _no_json(o: Any) -> Any:
    raise KindError(f"cannot store a {type(o).__name__} in a Kubernetes object", _c.K8SMIG_EKIND)


def _json_opts(compact: bool = True) -> Any:
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


# (enum class, name as given) -> member: names are looked up once, not per call
_ENUM_NAMES: dict[tuple[type, str], Any] = {}


class _CEnum(enum.IntEnum):
    """An enum of the C API; of() also takes the member's name, any case ("liveness")."""

    @classmethod
    def of(cls, value: Any) -> Any:
        """The member for a member, its name or its value (ValidationError otherwise)."""
        if type(value) is cls:
            return value
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            m = _ENUM_NAMES.get((cls, value))
            if m is not None:
                return m
            key = value.upper().replace("-", "_")
            if key in cls.__members__:
                m = _ENUM_NAMES[(cls, value)] = cls.__members__[key]
                return m
        elif isinstance(value, int) and not isinstance(value, bool):
            try:
                return cls(value)
            except ValueError:
                pass
        raise ValidationError(f"{value!r} is not a {cls.__name__} ({', '.join(m.lower() for m in cls.__members__)})",
                              _c.K8SMIG_EINVAL)


def _options(ctype: Any, values: Mapping[str, Any], fn: str) -> Any:
    """A C options struct (initialised to its defaults) with the given fields set."""
    o = ctype()
    if "handler" in values:  # the one enum among option fields (k8smig_probe_options)
        values = dict(values, handler=ProbeHandler.of(values["handler"]))
    _setattrs(o, values, fn)
    # a field given explicitly is written even when 0 or false (its has_ flag, where the struct has one)
    flags = _HAS_FLAG.get(ctype)
    if flags is None:
        flags = _HAS_FLAG[ctype] = {}
    for k in values:
        f = flags.get(k)
        if f is None:
            f = flags[k] = not k.startswith("has_") and hasattr(o, "has_" + k)
        if f:
            setattr(o, "has_" + k, True)
    return o


# per options type: option name -> whether the struct has a has_<name> flag
_HAS_FLAG: dict[Any, dict[str, bool]] = {}


_O = TypeVar("_O", bound="_BuilderMethods")

# ---- generated: builder methods (gen_builders.py) ----

class _BuilderMethods:
    """The typed builders that change an object (mixed into Object)."""

    __slots__ = ()
    _h: Any

    def _changed(self) -> None:
        raise NotImplementedError

    def deployment_set_replicas(self: _O, replicas: int) -> _O:
        """Set spec.replicas of a Deployment (0 survives emit and parse). Do not set it when an
        HorizontalPodAutoscaler manages the Deployment.

        replicas: 0 or more

        C: k8smig_deployment_set_replicas()."""
        self._changed()
        try:
            _capi.k8smig_deployment_set_replicas(self._h, replicas)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def workload_set_update_strategy(self: _O, type: str, max_surge: str, max_unavailable: str) -> _O:
        """Set the update strategy: spec.strategy of a Deployment ("RollingUpdate" or
        "Recreate"), spec.updateStrategy of a DaemonSet ("RollingUpdate" or "OnDelete").

        type: the strategy type
        max_surge: (RollingUpdate, optional) a count ("1") or a percentage ("25%")
        max_unavailable: (RollingUpdate, optional) a count or a percentage

        C: k8smig_workload_set_update_strategy()."""
        self._changed()
        try:
            _capi.k8smig_workload_set_update_strategy(self._h, type, max_surge, max_unavailable)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def selector_set(self: _O, key: str, value: str) -> _O:
        """Add key=value to what an object selects: spec.selector.matchLabels and the pod
        template labels of a Deployment, DaemonSet, StatefulSet or ReplicaSet;
        spec.selector.matchLabels of a PodDisruptionBudget; spec.selector of a Service.

        key: a label key (optional DNS prefix, '/', name of at most 63 characters)
        value: a label value (at most 63 characters, may be empty)

        C: k8smig_selector_set()."""
        self._changed()
        try:
            _capi.k8smig_selector_set(self._h, key, value)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def pod_set_service_account(self: _O, service_account: str) -> _O:
        """Set the pod's serviceAccountName.

        service_account: a DNS-1123 subdomain

        C: k8smig_pod_set_service_account()."""
        self._changed()
        try:
            _capi.k8smig_pod_set_service_account(self._h, service_account)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def pod_set_template_label(self: _O, key: str, value: str) -> _O:
        """Set a label of the pod template (or of a Pod). A workload's selector labels are set
        with k8smig_selector_set().

        key: a label key
        value: a label value

        C: k8smig_pod_set_template_label()."""
        self._changed()
        try:
            _capi.k8smig_pod_set_template_label(self._h, key, value)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def pod_set_template_annotation(self: _O, key: str, value: str) -> _O:
        """Set an annotation of the pod template (or of a Pod).

        key: an annotation key (same syntax as a label key)
        value: any UTF-8 text

        C: k8smig_pod_set_template_annotation()."""
        self._changed()
        try:
            _capi.k8smig_pod_set_template_annotation(self._h, key, value)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def pod_set_node_selector(self: _O, key: str, value: str) -> _O:
        """Set nodeSelector[key] = value.

        key: a label key, e.g. "kubernetes.io/os"
        value: a label value

        C: k8smig_pod_set_node_selector()."""
        self._changed()
        try:
            _capi.k8smig_pod_set_node_selector(self._h, key, value)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def pod_add_toleration(self: _O, key: str | None, op: str | None, value: str | None, effect: str | None, toleration_seconds: int) -> _O:
        """Append a toleration.

        key: taint key (a label key), or NULL to match every key (needs operator
            "Exists")
        op: "Equal" or "Exists"; NULL for the default (Equal)
        value: taint value for "Equal" (a label value), NULL for "Exists"
        effect: "NoSchedule", "PreferNoSchedule" or "NoExecute"; NULL matches all
            effects
        toleration_seconds: seconds a NoExecute taint is tolerated, or K8SMIG_UNSET

        C: k8smig_pod_add_toleration()."""
        self._changed()
        try:
            _capi.k8smig_pod_add_toleration(self._h, key, op, value, effect, toleration_seconds)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def pod_set_termination_grace_period(self: _O, seconds: int) -> _O:
        """Set terminationGracePeriodSeconds (0 survives emit and parse).

        seconds: 0 or more

        C: k8smig_pod_set_termination_grace_period()."""
        self._changed()
        try:
            _capi.k8smig_pod_set_termination_grace_period(self._h, seconds)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def pod_add_volume(self: _O, name: str, type: VolumeType | str | int, source: str) -> int:
        """Append a pod volume. Rare fields (items, defaultMode, sizeLimit, hostPath.type) go
        through k8smig_object_set_*() at "<pod spec>.volumes[<index>]...".

        name: a DNS-1123 label, unique among the pod's volumes
        type: the volume type
        source: what the type needs (see k8smig_volume_type)

        C: k8smig_pod_add_volume()."""
        type = VolumeType.of(type)
        self._changed()
        try:
            return int(_capi.k8smig_pod_add_volume(self._h, name, type, source))
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None

    def pod_set_security_context(self: _O, **options: Any) -> _O:
        """Set the pod-level securityContext (replacing it) from the fields opts sets.

        options: fields of k8smig_security_context_options: run_as_user (0 or more; 0
            only with has_run_as_user); run_as_group (0 or more; 0 only with
            has_run_as_group); fs_group (pod only: 0 or more; 0 only with has_fs_group);
            run_as_non_root (false only with has_run_as_non_root); read_only_root_filesystem
            (container only; false only with has_read_only_root_filesystem);
            allow_privilege_escalation (container only; false only with
            has_allow_privilege_escalation); privileged (container only; false only with
            has_privileged); capabilities_add (container only: NULL-terminated, e.g.
            "NET_BIND_SERVICE"); capabilities_drop (container only: NULL-terminated, e.g.
            "ALL"); seccomp_profile ("RuntimeDefault" or "Unconfined", or NULL);
            has_run_as_user (write run_as_user even when 0 (root)); has_run_as_group (write
            run_as_group even when 0); has_fs_group (write fs_group even when 0);
            has_run_as_non_root (write run_as_non_root even when false);
            has_read_only_root_filesystem (write read_only_root_filesystem even when false);
            has_allow_privilege_escalation (write allow_privilege_escalation even when
            false); has_privileged (write privileged even when false)

        C: k8smig_pod_set_security_context()."""
        _opts = _options(_c.k8smig_security_context_options, options, 'k8smig_pod_set_security_context')
        self._changed()
        try:
            _capi.k8smig_pod_set_security_context(self._h, _opts)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def pod_add_container(self: _O, name: str, image: str) -> int:
        """Append a container.

        name: a DNS-1123 label, unique in the pod
        image: a non-empty image reference without blanks

        C: k8smig_pod_add_container()."""
        self._changed()
        try:
            return int(_capi.k8smig_pod_add_container(self._h, name, image))
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None

    def container_set_image_pull_policy(self: _O, index: int, policy: str) -> _O:
        """Set imagePullPolicy.

        index: container index
        policy: "Always", "IfNotPresent" or "Never"

        C: k8smig_container_set_image_pull_policy()."""
        self._changed()
        try:
            _capi.k8smig_container_set_image_pull_policy(self._h, index, policy)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def container_set_command(self: _O, index: int, command: Sequence[str] | None = None, args: Sequence[str] | None = None) -> _O:
        """Set command and/or args (NULL-terminated arrays; NULL leaves one as it is, an empty
        array clears it).

        index: container index
        command: the entrypoint, or NULL
        args: its arguments, or NULL

        C: k8smig_container_set_command()."""
        self._changed()
        try:
            _capi.k8smig_container_set_command(self._h, index, command, args)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def container_add_port(self: _O, index: int, name: str | None, port: int, protocol: str | None = None) -> _O:
        """Append a container port.

        index: container index
        name: (optional) an IANA service name (lowercase, at most 15, a letter), unique
            in the container
        port: 1..65535
        protocol: "TCP", "UDP" or "SCTP"; NULL leaves the default (TCP)

        C: k8smig_container_add_port()."""
        self._changed()
        try:
            _capi.k8smig_container_add_port(self._h, index, name, port, protocol)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def container_add_env(self: _O, index: int, name: str, value: str) -> _O:
        """Append an environment variable with a literal value.

        index: container index
        name: [-._a-zA-Z][-._a-zA-Z0-9]*, not ".", ".." or starting with ".."
        value: UTF-8 text (may be empty)

        C: k8smig_container_add_env()."""
        self._changed()
        try:
            _capi.k8smig_container_add_env(self._h, index, name, value)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def container_add_env_ref(self: _O, index: int, name: str, source: EnvSource | str | int, object_name: str | None, key: str) -> _O:
        """Append an environment variable read from a ConfigMap key, a Secret key, a pod field
        or a resource field (valueFrom).

        index: container index
        name: the variable's name, as for k8smig_container_add_env()
        source: where the value comes from
        object_name: ConfigMap or Secret name; for K8SMIG_ENV_RESOURCE_FIELD an optional
            container name; NULL for K8SMIG_ENV_FIELD
        key: the key in the ConfigMap or Secret, the field path, or the resource

        C: k8smig_container_add_env_ref()."""
        source = EnvSource.of(source)
        self._changed()
        try:
            _capi.k8smig_container_add_env_ref(self._h, index, name, source, object_name, key)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def container_add_env_from(self: _O, index: int, source: EnvSource | str | int, name: str, prefix: str | None = None) -> _O:
        """Append envFrom: every key of a ConfigMap or Secret becomes a variable.

        index: container index
        source: K8SMIG_ENV_CONFIG_MAP or K8SMIG_ENV_SECRET
        name: the ConfigMap or Secret name
        prefix: (optional) prepended to every variable name

        C: k8smig_container_add_env_from()."""
        source = EnvSource.of(source)
        self._changed()
        try:
            _capi.k8smig_container_add_env_from(self._h, index, source, name, prefix)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def container_set_resources(self: _O, index: int, cpu_request: str | None = None, memory_request: str | None = None, cpu_limit: str | None = None, memory_limit: str | None = None) -> _O:
        """Set resources.requests and resources.limits (replacing both). Quantities are
        validated and stored canonical ("0.5" -> "500m", "1024Mi" -> "1Gi"); NULL leaves one
        out. A request above its limit is an error, as on the API server.

        index: container index
        cpu_request: e.g. "500m", or NULL
        memory_request: e.g. "512Mi", or NULL
        cpu_limit: or NULL
        memory_limit: or NULL

        C: k8smig_container_set_resources()."""
        self._changed()
        try:
            _capi.k8smig_container_set_resources(self._h, index, cpu_request, memory_request, cpu_limit, memory_limit)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def container_set_probe(self: _O, index: int, kind: ProbeKind | str | int, **options: Any) -> _O:
        """Set (replace) a liveness, readiness or startup probe.

        index: container index
        kind: which probe
        options: fields of k8smig_probe_options: handler; path (httpGet path
            ("/health"), or NULL); port (1..65535; 0 when port_name is used); port_name
            (httpGet/tcpSocket: a named container port, or NULL); scheme (httpGet: "HTTP" or
            "HTTPS", or NULL); command (exec: NULL-terminated argv); grpc_service (grpc:
            service name, or NULL); initial_delay_seconds (0 or more; 0 is written only with
            has_initial_delay_seconds); period_seconds (1 or more; 0: not set);
            timeout_seconds (1 or more; 0: not set); success_threshold (1 or more, 1 for
            liveness and startup; 0: not set); failure_threshold (1 or more; 0: not set);
            termination_grace_period_seconds (liveness and startup only: 1 or more; 0: not
            set); has_initial_delay_seconds (write initial_delay_seconds even when 0)

        C: k8smig_container_set_probe()."""
        kind = ProbeKind.of(kind)
        _opts = _options(_c.k8smig_probe_options, options, 'k8smig_container_set_probe')
        self._changed()
        try:
            _capi.k8smig_container_set_probe(self._h, index, kind, _opts)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def container_add_volume_mount(self: _O, index: int, volume: str, mount_path: str, read_only: bool, sub_path: str | None = None) -> _O:
        """Append a volume mount (readOnly is always written, so false survives).

        index: container index
        volume: the pod volume's name
        mount_path: absolute path in the container, without ':'
        read_only: mount read-only
        sub_path: (optional) relative path inside the volume, without ".."

        C: k8smig_container_add_volume_mount()."""
        self._changed()
        try:
            _capi.k8smig_container_add_volume_mount(self._h, index, volume, mount_path, read_only, sub_path)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def container_set_security_context(self: _O, index: int, **options: Any) -> _O:
        """Set the container's securityContext (replacing it) from the fields opts sets.

        index: container index
        options: fields of k8smig_security_context_options: run_as_user (0 or more; 0
            only with has_run_as_user); run_as_group (0 or more; 0 only with
            has_run_as_group); fs_group (pod only: 0 or more; 0 only with has_fs_group);
            run_as_non_root (false only with has_run_as_non_root); read_only_root_filesystem
            (container only; false only with has_read_only_root_filesystem);
            allow_privilege_escalation (container only; false only with
            has_allow_privilege_escalation); privileged (container only; false only with
            has_privileged); capabilities_add (container only: NULL-terminated, e.g.
            "NET_BIND_SERVICE"); capabilities_drop (container only: NULL-terminated, e.g.
            "ALL"); seccomp_profile ("RuntimeDefault" or "Unconfined", or NULL);
            has_run_as_user (write run_as_user even when 0 (root)); has_run_as_group (write
            run_as_group even when 0); has_fs_group (write fs_group even when 0);
            has_run_as_non_root (write run_as_non_root even when false);
            has_read_only_root_filesystem (write read_only_root_filesystem even when false);
            has_allow_privilege_escalation (write allow_privilege_escalation even when
            false); has_privileged (write privileged even when false)

        C: k8smig_container_set_security_context()."""
        _opts = _options(_c.k8smig_security_context_options, options, 'k8smig_container_set_security_context')
        self._changed()
        try:
            _capi.k8smig_container_set_security_context(self._h, index, _opts)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def service_add_port(self: _O, name: str | None, port: int, target_port: str | None, protocol: str | None, node_port: int) -> _O:
        """Append a Service port.

        name: a DNS-1123 label, unique; required once the Service has two ports (NULL
            otherwise)
        port: the Service's port, 1..65535
        target_port: the pods' port: a number ("8000") or a container port name
            ("http"); NULL for the same as port
        protocol: "TCP", "UDP" or "SCTP"; NULL leaves the default (TCP)
        node_port: 0, or 1..65535 for NodePort and LoadBalancer Services

        C: k8smig_service_add_port()."""
        self._changed()
        try:
            _capi.k8smig_service_add_port(self._h, name, port, target_port, protocol, node_port)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def ingress_add_path(self: _O, host: str | None, path: str, path_type: str, service: str, service_port: str) -> _O:
        """Route a path to a Service port. Paths of one host share a rule, in the order they
        are added (the AWS Load Balancer Controller keeps it).

        host: a DNS name, optionally starting with "*."; NULL for every host
        path: starts with '/'
        path_type: "Prefix", "Exact" or "ImplementationSpecific"
        service: the backend Service's name
        service_port: a port number ("8000") or a Service port name ("http")

        C: k8smig_ingress_add_path()."""
        self._changed()
        try:
            _capi.k8smig_ingress_add_path(self._h, host, path, path_type, service, service_port)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def ingress_add_tls(self: _O, secret_name: str | None = None, hosts: Sequence[str] | None = None) -> _O:
        """Append spec.tls[]. The AWS Load Balancer Controller ignores secretName: give it a
        certificate ARN (k8smig_ingress_set_alb()) instead.

        secret_name: the TLS Secret, or NULL
        hosts: NULL-terminated host names (at least one)

        C: k8smig_ingress_add_tls()."""
        self._changed()
        try:
            _capi.k8smig_ingress_add_tls(self._h, secret_name, hosts)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def ingress_set_alb(self: _O, **options: Any) -> _O:
        """Write the annotations that opts sets (listen-ports as [{"HTTP":80},{"HTTPS":443}]).
        Fields left NULL or 0 are not touched.

        options: fields of k8smig_alb_options: scheme ("internet-facing" or "internal",
            or NULL); target_type ("ip" (needed on Fargate) or "instance", or NULL);
            http_port (listen-ports: HTTP port, 0 for none); https_port (listen-ports: HTTPS
            port, 0 for none); certificate_arn (ACM certificate ARN(s), comma-separated, or
            NULL); ssl_redirect (redirect HTTP to this HTTPS port (== https_port), 0 for
            none); healthcheck_path (starts with '/', or NULL); group_name (share one ALB
            among Ingresses of this group, or NULL)

        C: k8smig_ingress_set_alb()."""
        _opts = _options(_c.k8smig_alb_options, options, 'k8smig_ingress_set_alb')
        self._changed()
        try:
            _capi.k8smig_ingress_set_alb(self._h, _opts)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def issuer_set_acme(self: _O, server: str, email: str | None, private_key_secret: str, ingress_class: str) -> _O:
        """Make the issuer an ACME issuer solving HTTP-01 through an Ingress class (replaces
        spec).

        server: ACME directory URL (https://...), e.g. Let's Encrypt's
        email: (optional) account e-mail
        private_key_secret: Secret holding the ACME account key
        ingress_class: ingressClassName of the solver Ingress

        C: k8smig_issuer_set_acme()."""
        self._changed()
        try:
            _capi.k8smig_issuer_set_acme(self._h, server, email, private_key_secret, ingress_class)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def issuer_set_ca(self: _O, secret_name: str) -> _O:
        """Make the issuer a CA issuer signing with the key pair in a Secret (replaces spec).

        secret_name: the CA Secret

        C: k8smig_issuer_set_ca()."""
        self._changed()
        try:
            _capi.k8smig_issuer_set_ca(self._h, secret_name)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def issuer_set_self_signed(self: _O) -> _O:
        """Make the issuer self-signed (replaces spec).

        C: k8smig_issuer_set_self_signed()."""
        self._changed()
        try:
            _capi.k8smig_issuer_set_self_signed(self._h)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def certificate_add_dns_name(self: _O, dns_name: str) -> _O:
        """Append spec.dnsNames[].

        dns_name: a DNS name, optionally starting with "*."

        C: k8smig_certificate_add_dns_name()."""
        self._changed()
        try:
            _capi.k8smig_certificate_add_dns_name(self._h, dns_name)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def hpa_add_resource_metric(self: _O, resource: str, utilization_percent: int) -> _O:
        """Append a Resource metric with an average utilization target (percent of the pods'
        requests, which the containers must therefore set).

        resource: "cpu", "memory" or "ephemeral-storage"
        utilization_percent: 1 or more (may exceed 100)

        C: k8smig_hpa_add_resource_metric()."""
        self._changed()
        try:
            _capi.k8smig_hpa_add_resource_metric(self._h, resource, utilization_percent)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def hpa_set_behavior(self: _O, direction: HpaDirection | str | int, stabilization_seconds: int, select_policy: str | None = None) -> _O:
        """Set the stabilization window and policy selection of one direction.

        direction: scale up or scale down
        stabilization_seconds: 0..3600 (0 survives emit and parse), or K8SMIG_UNSET (-1)
        select_policy: "Max", "Min" or "Disabled", or NULL

        C: k8smig_hpa_set_behavior()."""
        direction = HpaDirection.of(direction)
        self._changed()
        try:
            _capi.k8smig_hpa_set_behavior(self._h, direction, stabilization_seconds, select_policy)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def hpa_add_scaling_policy(self: _O, direction: HpaDirection | str | int, type: str, value: int, period_seconds: int) -> _O:
        """Append a scaling policy to one direction.

        direction: scale up or scale down
        type: "Pods" or "Percent"
        value: pods or percent per period, 1 or more
        period_seconds: 1..1800

        C: k8smig_hpa_add_scaling_policy()."""
        direction = HpaDirection.of(direction)
        self._changed()
        try:
            _capi.k8smig_hpa_add_scaling_policy(self._h, direction, type, value, period_seconds)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def storage_class_set_parameter(self: _O, key: str, value: str) -> _O:
        """Set parameters[key] = value (provisioner-specific).

        key: non-empty
        value: UTF-8 text

        C: k8smig_storage_class_set_parameter()."""
        self._changed()
        try:
            _capi.k8smig_storage_class_set_parameter(self._h, key, value)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def efs_storage_class_set_access_point(self: _O, directory_perms: str, uid: int, gid: int, base_path: str) -> _O:
        """Access-point settings of an EFS StorageClass (parameters directoryPerms, uid, gid,
        basePath). NULL or negative arguments leave a parameter unset.

        directory_perms: octal permissions of the access point's root, e.g. "700"
        uid: POSIX user id (0..4294967295), or -1
        gid: POSIX group id, or -1
        base_path: absolute path under which access points are created

        C: k8smig_efs_storage_class_set_access_point()."""
        self._changed()
        try:
            _capi.k8smig_efs_storage_class_set_access_point(self._h, directory_perms, uid, gid, base_path)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def storage_class_set_policies(self: _O, reclaim_policy: str, binding_mode: str) -> _O:
        """Set reclaimPolicy and volumeBindingMode; NULL leaves one unset.

        reclaim_policy: "Retain" or "Delete"
        binding_mode: "Immediate" or "WaitForFirstConsumer"

        C: k8smig_storage_class_set_policies()."""
        self._changed()
        try:
            _capi.k8smig_storage_class_set_policies(self._h, reclaim_policy, binding_mode)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def pv_set_access_modes(self: _O, modes: int) -> _O:
        """Set spec.accessModes of a PersistentVolume or PersistentVolumeClaim.

        modes: K8SMIG_ACCESS_* bits; at least one, ReadWriteOncePod alone

        C: k8smig_pv_set_access_modes()."""
        self._changed()
        try:
            _capi.k8smig_pv_set_access_modes(self._h, modes)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def pv_set_class(self: _O, storage_class: str | None = None, reclaim_policy: str | None = None) -> _O:
        """Set spec.storageClassName and spec.persistentVolumeReclaimPolicy of a
        PersistentVolume.

        storage_class: class name ("" for none), or NULL to leave it unset
        reclaim_policy: "Retain" or "Delete", or NULL

        C: k8smig_pv_set_class()."""
        self._changed()
        try:
            _capi.k8smig_pv_set_class(self._h, storage_class, reclaim_policy)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def pv_set_claim_ref(self: _O, namespace: str, claim_name: str) -> _O:
        """Reserve a PersistentVolume for one claim (spec.claimRef), so no other claim binds
        it.

        namespace: the claim's namespace
        claim_name: the claim's name

        C: k8smig_pv_set_claim_ref()."""
        self._changed()
        try:
            _capi.k8smig_pv_set_claim_ref(self._h, namespace, claim_name)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def pvc_set_volume_name(self: _O, pv_name: str) -> _O:
        """Bind a claim to a named PersistentVolume (spec.volumeName).

        pv_name: the volume's name (DNS-1123 subdomain)

        C: k8smig_pvc_set_volume_name()."""
        self._changed()
        try:
            _capi.k8smig_pvc_set_volume_name(self._h, pv_name)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def prometheus_rule_add_group(self: _O, name: str, interval: str | None = None) -> int:
        """Append a rule group.

        name: unique group name
        interval: (optional) evaluation interval, a Prometheus duration ("30s", "1m")

        C: k8smig_prometheus_rule_add_group()."""
        self._changed()
        try:
            return int(_capi.k8smig_prometheus_rule_add_group(self._h, name, interval))
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None

    def prometheus_rule_add_alert(self: _O, group: int, alert: str, expr: str, for_duration: str | None = None) -> int:
        """Append an alerting rule to a group.

        group: group index
        alert: alert name ([a-zA-Z_:][a-zA-Z0-9_:]*)
        expr: PromQL expression (not parsed here)
        for_duration: (optional) how long the condition must hold, a Prometheus duration
            ("5m")

        C: k8smig_prometheus_rule_add_alert()."""
        self._changed()
        try:
            return int(_capi.k8smig_prometheus_rule_add_alert(self._h, group, alert, expr, for_duration))
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None

    def prometheus_rule_set_alert_label(self: _O, group: int, alert: int, key: str, value: str) -> _O:
        """Set a label of an alert (e.g. severity).

        group: group index
        alert: alert index in the group
        key: a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)
        value: any UTF-8 text

        C: k8smig_prometheus_rule_set_alert_label()."""
        self._changed()
        try:
            _capi.k8smig_prometheus_rule_set_alert_label(self._h, group, alert, key, value)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def prometheus_rule_set_alert_annotation(self: _O, group: int, alert: int, key: str, value: str) -> _O:
        """Set an annotation of an alert (e.g. summary, description).

        group: group index
        alert: alert index in the group
        key: a Prometheus label name
        value: any UTF-8 text (templates such as {{ $labels.pod }} are kept as is)

        C: k8smig_prometheus_rule_set_alert_annotation()."""
        self._changed()
        try:
            _capi.k8smig_prometheus_rule_set_alert_annotation(self._h, group, alert, key, value)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def service_account_set_irsa(self: _O, role_arn: str, sts_regional_endpoints: bool) -> _O:
        """IAM Roles for Service Accounts: annotate the ServiceAccount with
        eks.amazonaws.com/role-arn and, when asked,
        eks.amazonaws.com/sts-regional-endpoints: "true".

        role_arn: arn:<partition>:iam::<12-digit account>:role/[<path>/]<name>
        sts_regional_endpoints: true to use the regional STS endpoint; false removes the
            annotation

        C: k8smig_service_account_set_irsa()."""
        self._changed()
        try:
            _capi.k8smig_service_account_set_irsa(self._h, role_arn, sts_regional_endpoints)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def service_account_set_automount_token(self: _O, automount: bool) -> _O:
        """Set automountServiceAccountToken (false survives emit and parse).

        automount: whether pods mount the token by default

        C: k8smig_service_account_set_automount_token()."""
        self._changed()
        try:
            _capi.k8smig_service_account_set_automount_token(self._h, automount)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def role_add_rule(self: _O, api_groups: Sequence[str] | None, resources: Sequence[str], verbs: Sequence[str], resource_names: Sequence[str] | None = None) -> int:
        """Append a policy rule to a Role or ClusterRole. Arrays are NULL-terminated.

        api_groups: API groups ("" is the core group); NULL or empty for none
        resources: resources ("pods", "pods/log", "*"); required
        verbs: verbs ("get", "list", "watch", "*", ...); required
        resource_names: (optional) restrict to these names

        C: k8smig_role_add_rule()."""
        self._changed()
        try:
            return int(_capi.k8smig_role_add_rule(self._h, api_groups, resources, verbs, resource_names))
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None

    def role_binding_add_subject(self: _O, kind: str, name: str, namespace: str | None = None) -> _O:
        """Append a subject to a RoleBinding or ClusterRoleBinding.

        kind: "ServiceAccount", "User" or "Group"
        name: the subject's name
        namespace: namespace of a ServiceAccount subject; NULL takes the RoleBinding's
            namespace (a ClusterRoleBinding needs it); must be NULL for users and groups

        C: k8smig_role_binding_add_subject()."""
        self._changed()
        try:
            _capi.k8smig_role_binding_add_subject(self._h, kind, name, namespace)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def config_map_set(self: _O, key: str, value: str) -> _O:
        """Set data[key] = value. Multi-line values are written as literal blocks.

        key: [-._a-zA-Z0-9]+, at most 253 bytes, not "." or starting with ".."
        value: UTF-8 text

        C: k8smig_config_map_set()."""
        self._changed()
        try:
            _capi.k8smig_config_map_set(self._h, key, value)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def config_map_set_binary(self: _O, key: str, data: bytes | str | None = None) -> _O:
        """Set binaryData[key] to the base64 encoding of len bytes.

        key: as for k8smig_config_map_set()
        data: the bytes (may be NULL when len is 0)
        len: number of bytes

        C: k8smig_config_map_set_binary()."""
        self._changed()
        try:
            _capi.k8smig_config_map_set_binary(self._h, key, data)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def config_map_set_immutable(self: _O, immutable: bool) -> _O:
        """Set immutable on a ConfigMap or a Secret (false survives emit and parse).

        immutable: whether the data can no longer change

        C: k8smig_config_map_set_immutable()."""
        self._changed()
        try:
            _capi.k8smig_config_map_set_immutable(self._h, immutable)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def secret_set_string(self: _O, key: str, value: str) -> _O:
        """Set stringData[key] = value (the API server encodes it into data).

        key: as for k8smig_config_map_set()
        value: UTF-8 text; never quoted in error messages

        C: k8smig_secret_set_string()."""
        self._changed()
        try:
            _capi.k8smig_secret_set_string(self._h, key, value)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def secret_set_data(self: _O, key: str, data: bytes | str | None = None) -> _O:
        """Set data[key] to the base64 encoding of len bytes.

        key: as for k8smig_config_map_set()
        data: the bytes (may be NULL when len is 0)
        len: number of bytes

        C: k8smig_secret_set_data()."""
        self._changed()
        try:
            _capi.k8smig_secret_set_data(self._h, key, data)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def secret_store_set_aws(self: _O, service: AwsSecretService | str | int, region: str, service_account: str | None = None, service_account_ns: str | None = None) -> _O:
        """Use the AWS provider: spec.provider.aws.{service, region} and, when service_account
        is given, IRSA auth (auth.jwt.serviceAccountRef).

        service: Secrets Manager or Parameter Store
        region: e.g. "us-east-1"
        service_account: (optional) ServiceAccount whose IRSA role reads the secrets;
            NULL uses the operator's own credentials
        service_account_ns: namespace of that ServiceAccount: required for a
            ClusterSecretStore, must be NULL for a SecretStore

        C: k8smig_secret_store_set_aws()."""
        service = AwsSecretService.of(service)
        self._changed()
        try:
            _capi.k8smig_secret_store_set_aws(self._h, service, region, service_account, service_account_ns)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def external_secret_set_target(self: _O, secret_name: str | None = None, creation_policy: str | None = None) -> _O:
        """Set spec.target: the Kubernetes Secret the operator writes.

        secret_name: the Secret's name (DNS-1123 subdomain); NULL means the
            ExternalSecret's name
        creation_policy: "Owner", "Orphan", "Merge" or "None"; NULL for the default
            (Owner)

        C: k8smig_external_secret_set_target()."""
        self._changed()
        try:
            _capi.k8smig_external_secret_set_target(self._h, secret_name, creation_policy)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def external_secret_add_data(self: _O, secret_key: str, remote_key: str, property: str | None = None, version: str | None = None) -> _O:
        """Append spec.data[]: one key of the target Secret from one remote secret.

        secret_key: key in the target Secret (as for k8smig_config_map_set())
        remote_key: name or ARN of the AWS secret or parameter
        property: (optional) JSON property inside the remote secret
        version: (optional) e.g. "AWSCURRENT" or a version id

        C: k8smig_external_secret_add_data()."""
        self._changed()
        try:
            _capi.k8smig_external_secret_add_data(self._h, secret_key, remote_key, property, version)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def external_secret_add_data_from(self: _O, remote_key: str) -> _O:
        """Append spec.dataFrom[].extract: every JSON property of a remote secret becomes a
        key.

        remote_key: name or ARN of the AWS secret

        C: k8smig_external_secret_add_data_from()."""
        self._changed()
        try:
            _capi.k8smig_external_secret_add_data_from(self._h, remote_key)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def kustomization_add_resource(self: _O, path: str) -> _O:
        """Append resources[]: a file, a directory (base) or a URL.

        path: relative path or URL, without blanks

        C: k8smig_kustomization_add_resource()."""
        self._changed()
        try:
            _capi.k8smig_kustomization_add_resource(self._h, path)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def kustomization_set_namespace(self: _O, namespace: str) -> _O:
        """Set namespace: every namespaced resource is moved to it.

        namespace: a DNS-1123 label

        C: k8smig_kustomization_set_namespace()."""
        self._changed()
        try:
            _capi.k8smig_kustomization_set_namespace(self._h, namespace)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def kustomization_add_image(self: _O, name: str, new_name: str | None = None, new_tag: str | None = None, digest: str | None = None) -> _O:
        """Append images[]: rewrite an image reference in every container.

        name: the image name as written in the containers (without tag)
        new_name: (optional) replacement repository, e.g. an ECR URL
        new_tag: (optional) replacement tag, e.g. a commit SHA
        digest: (optional) "sha256:..." instead of a tag

        C: k8smig_kustomization_add_image()."""
        self._changed()
        try:
            _capi.k8smig_kustomization_add_image(self._h, name, new_name, new_tag, digest)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def kustomization_add_replicas(self: _O, name: str, count: int) -> _O:
        """Append replicas[]: set a workload's replica count (0 survives emit and parse).

        name: the workload's name
        count: 0 or more

        C: k8smig_kustomization_add_replicas()."""
        self._changed()
        try:
            _capi.k8smig_kustomization_add_replicas(self._h, name, count)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def kustomization_add_label(self: _O, key: str, value: str, include_selectors: bool) -> _O:
        """Add a label to every resource (labels[].pairs). Labels with the same
        include_selectors share one entry.

        key: a label key
        value: a label value
        include_selectors: also add it to selectors (immutable on Deployments: choose
            once)

        C: k8smig_kustomization_add_label()."""
        self._changed()
        try:
            _capi.k8smig_kustomization_add_label(self._h, key, value, include_selectors)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def kustomization_add_patch(self: _O, path: str | None = None, patch: str | None = None, target_kind: str | None = None, target_name: str | None = None) -> _O:
        """Append patches[]: a patch file (path) or an inline patch with a target. Give exactly
        one of path and patch.

        path: (optional) relative path of a strategic-merge or JSON 6902 patch file
        patch: (optional) the patch text
        target_kind: (optional) kind of the objects to patch
        target_name: (optional) name of the object to patch

        C: k8smig_kustomization_add_patch()."""
        self._changed()
        try:
            _capi.k8smig_kustomization_add_patch(self._h, path, patch, target_kind, target_name)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self

    def kustomization_add_config_map_generator(self: _O, name: str, behavior: str | None = None) -> int:
        """Append configMapGenerator[]; fill it with
        k8smig_kustomization_add_generator_source().

        name: the ConfigMap's name (kustomize appends a content hash)
        behavior: (optional) "create", "replace" or "merge" (overlays)

        C: k8smig_kustomization_add_config_map_generator()."""
        self._changed()
        try:
            return int(_capi.k8smig_kustomization_add_config_map_generator(self._h, name, behavior))
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None

    def kustomization_add_generator_source(self: _O, generator: int, source: GeneratorSource | str | int, text: str) -> _O:
        """Append a literal, file or env file to a configMapGenerator entry.

        generator: the generator's index
        source: literals, files or envs
        text: "KEY=value" for a literal (KEY as a ConfigMap key), a path otherwise

        C: k8smig_kustomization_add_generator_source()."""
        source = GeneratorSource.of(source)
        self._changed()
        try:
            _capi.k8smig_kustomization_add_generator_source(self._h, generator, source, text)
        except (TypeError, OverflowError) as e:
            raise _swig_error(e) from None
        return self


# ---- end generated builder methods ----


_SIMPLE_KEY = re.compile(r"[^.\[\]]+")


def _child_path(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if _SIMPLE_KEY.fullmatch(key) else f"{path}[{key}]"


# The value readers take only handles the glue itself produced: they are called
# unguarded (_capi), which keeps obj["a"]["b"] close to the cost of the C lookups.
_value_type, _value_str, _value_int = _capi.k8smig_value_type, _capi.k8smig_value_str, _capi.k8smig_value_int
_value_bool, _value_double = _capi.k8smig_value_bool, _capi.k8smig_value_double
_value_lookup, _value_at, _value_size = _capi.k8smig_value_lookup, _capi.k8smig_value_at, _capi.k8smig_value_size
_T_STRING, _T_INT, _T_BOOL = _capi.K8SMIG_TYPE_STRING, _capi.K8SMIG_TYPE_INT, _capi.K8SMIG_TYPE_BOOL
_T_DOUBLE, _T_MAP, _T_LIST = _capi.K8SMIG_TYPE_DOUBLE, _capi.K8SMIG_TYPE_MAP, _capi.K8SMIG_TYPE_LIST


def _read(owner: "Object", path: Any, v: Any) -> Any:
    """A C value as Python: scalars converted, maps and lists as live views. path is
    the node's field path, or (parent view, key) to build it only when needed."""
    t = _value_type(v)
    if t == _T_STRING:
        return _value_str(v)
    if t == _T_INT:
        return _value_int(v)
    if t == _T_BOOL:
        return _value_bool(v)
    if t == _T_DOUBLE:
        return _value_double(v)
    if t == _T_MAP:
        return MapView(owner, path, v)
    if t == _T_LIST:
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

    def __init__(self, owner: "Object", path: Any, v: Any) -> None:
        self._owner, self._path, self._v, self._gen = owner, path, v, owner._gen

    def _node(self) -> Any:
        if self._gen != self._owner._gen:
            v = _c.k8smig_object_get(self._owner._h, self.path)
            if v is None:
                raise KeyError(self.path)
            self._v, self._gen = v, self._owner._gen
        return self._v

    @property
    def path(self) -> str:
        """The field path of this node in its object."""
        if not isinstance(self._path, str):
            parent, key = self._path
            self._path = _child_path(parent.path, key)
        return self._path

    def to_python(self) -> Any:
        """A plain dict or list copy of this node."""
        return _plain(self._node())

    def __len__(self) -> int:
        return int(_c.k8smig_value_size(self._node()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _View):
            return bool(_c.k8smig_value_equal(self._node(), other._node()))
        if isinstance(self, MapView):
            return isinstance(other, collections.abc.Mapping) and self.to_python() == dict(other)
        return isinstance(other, (list, tuple)) and self.to_python() == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.to_python()!r})"


class MapView(_View, collections.abc.Mapping[str, Any]):
    """A map inside an Object: ``obj["spec"]["replicas"]``.

    C: k8smig_value_lookup(), k8smig_value_size(), k8smig_value_equal()."""

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        if not isinstance(key, str):
            raise KeyError(key)
        v = _value_lookup(self._node(), key)
        if v is None:
            raise KeyError(key)
        return _read(self._owner, (self, key), v)

    def __iter__(self) -> Iterator[str]:
        e = _c.k8smig_value_first(self._node())
        gen = self._gen
        while e is not None:
            yield _c.k8smig_value_key(e)
            if gen != self._owner._gen:
                raise RuntimeError("the object changed during iteration")
            e = _c.k8smig_value_next(e)


class ListView(_View, collections.abc.Sequence[Any]):
    """A list inside an Object: ``obj["spec.template.spec.containers"][0]["image"]``.

    C: k8smig_value_at(), k8smig_value_size(), k8smig_value_equal()."""

    __slots__ = ()

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        node = self._node()
        n = _value_size(node)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        return _read(self._owner, (self, i), _value_at(node, i))

    def __iter__(self) -> Iterator[Any]:
        e = _c.k8smig_value_first(self._node())
        i, gen = 0, self._gen
        while e is not None:
            yield _read(self._owner, (self, i), e)
            if gen != self._owner._gen:
                raise RuntimeError("the object changed during iteration")
            e, i = _c.k8smig_value_next(e), i + 1



class Object(_BuilderMethods):
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
        """An object copied from a mapping (one document: apiVersion, kind, metadata...).

    C: k8smig_object_new().
    

    C: k8smig_parse()."""
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
        """A plain dict copy of the whole object.

    C: k8smig_object_emit()."""
        return json.loads(_c.k8smig_object_emit(self._h, _json_opts()))  # type: ignore[no-any-return]

    # identity
    @property
    def api_version(self) -> Optional[str]:
        """apiVersion ("apps/v1").

    C: k8smig_object_api_version()."""
        return _c.k8smig_object_api_version(self._h)  # type: ignore[no-any-return]

    @property
    def kind(self) -> Optional[str]:
        """kind ("Deployment").

    C: k8smig_object_kind()."""
        return _c.k8smig_object_kind(self._h)  # type: ignore[no-any-return]

    @property
    def name(self) -> Optional[str]:
        """metadata.name.

    C: k8smig_object_name(), k8smig_object_set_name()."""
        return _c.k8smig_object_name(self._h)  # type: ignore[no-any-return]

    @name.setter
    def name(self, value: str) -> None:
        self._changed()
        _c.k8smig_object_set_name(self._h, value)

    @property
    def namespace(self) -> Optional[str]:
        """metadata.namespace.

    C: k8smig_object_namespace(), k8smig_object_set_namespace()."""
        return _c.k8smig_object_namespace(self._h)  # type: ignore[no-any-return]

    @namespace.setter
    def namespace(self, value: str) -> None:
        self._changed()
        _c.k8smig_object_set_namespace(self._h, value)

    def label(self, key: str) -> Optional[str]:
        """metadata.labels[key], or None.

    C: k8smig_object_label()."""
        return _c.k8smig_object_label(self._h, key)  # type: ignore[no-any-return]

    def annotation(self, key: str) -> Optional[str]:
        """metadata.annotations[key], or None.

    C: k8smig_object_annotation()."""
        return _c.k8smig_object_annotation(self._h, key)  # type: ignore[no-any-return]

    def set_label(self, key: str, value: str) -> None:
        """Set metadata.labels[key].

    C: k8smig_object_set_label()."""
        self._changed()
        _c.k8smig_object_set_label(self._h, key, value)

    def set_annotation(self, key: str, value: str) -> None:
        """Set metadata.annotations[key].

    C: k8smig_object_set_annotation()."""
        self._changed()
        _c.k8smig_object_set_annotation(self._h, key, value)

    @property
    def source(self) -> "tuple[Optional[str], int]":
        """(file, line) of a parsed object's document, or (None, 0).

    C: k8smig_object_source()."""
        src, line = _c.k8smig_object_source(self._h)
        return src, line

    @property
    def memory(self) -> int:
        """Bytes the C object holds.

    C: k8smig_object_memory()."""
        return int(_c.k8smig_object_memory(self._h))

    def check(self) -> None:
        """Raise the sticky error of an earlier failed setter, if any.

    C: k8smig_object_status()."""
        _c.k8smig_object_status(self._h)

    # field paths
    def __contains__(self, path: str) -> bool:
        return bool(_c.k8smig_object_has(self._h, path))

    def __getitem__(self, path: str) -> Any:
        """The value at a field path: a str, int, float, bool or None, or a MapView /
        ListView (read through the C value readers; ``.to_python()`` copies).

    C: k8smig_object_get(), k8smig_value_type(), k8smig_value_str(), k8smig_value_strlen(), k8smig_value_int(), k8smig_value_bool(), k8smig_value_double()."""
        v = _c.k8smig_object_get(self._h, path)
        if v is None:
            if not isinstance(path, str):
                raise KindError(f"a field path is a str, not {type(path).__name__}", _c.K8SMIG_EKIND)
            raise KeyError(path)
        return _read(self, path, v)

    def get(self, path: str, default: Any = None) -> Any:
        """The value at path, or default when absent.

    C: k8smig_object_has()."""
        try:
            return self[path]
        except KeyError:
            return default

    def to_dict_at(self, path: str) -> Any:
        """A plain Python copy of the value at path.

    C: k8smig_object_get(), k8smig_value_first(), k8smig_value_next(), k8smig_value_key()."""
        v = _c.k8smig_object_get(self._h, path)
        if v is None:
            raise KeyError(path)
        return _plain(v)

    def __setitem__(self, path: str, value: Any) -> None:
        """Store a str, int, float, bool, None, mapping, list or view at path.

        C: k8smig_object_set_str(), k8smig_object_set_int(), k8smig_object_set_double(),
        k8smig_object_set_bool(), k8smig_object_set_null(), k8smig_object_set_value(),
        k8smig_object_list_get()."""
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
        """Remove the value at path.

        C: k8smig_object_unset()."""
        self._changed()
        _c.k8smig_object_unset(self._h, path)

    def get_str(self, path: str) -> Optional[str]:
        """The string at path, or None when absent or not a string.

        C: k8smig_object_get_str()."""
        return _c.k8smig_object_get_str(self._h, path)  # type: ignore[no-any-return]

    def get_int(self, path: str) -> int:
        """The integer at path, or 0 when absent or not an integer.

        C: k8smig_object_get_int()."""
        return int(_c.k8smig_object_get_int(self._h, path))

    def get_float(self, path: str) -> float:
        """The number at path (integers converted), or 0.0.

        C: k8smig_object_get_double()."""
        return float(_c.k8smig_object_get_double(self._h, path))

    def get_bool(self, path: str) -> bool:
        """The boolean at path, or False when absent or not a boolean.

        C: k8smig_object_get_bool()."""
        return bool(_c.k8smig_object_get_bool(self._h, path))

    def set_bytes(self, path: str, value: bytes) -> None:
        """Store UTF-8 bytes (which may hold NUL) as a string at path.

        C: k8smig_object_set_strn()."""
        self._changed()
        _c.k8smig_object_set_strn(self._h, path, value)

    def set_empty(self, path: str, container: type = dict) -> None:
        """Put an empty map (dict) or list (list) at path.

        C: k8smig_object_set_map(), k8smig_object_set_list()."""
        self._changed()
        if container is dict:
            _c.k8smig_object_set_map(self._h, path)
        elif container is list:
            _c.k8smig_object_set_list(self._h, path)
        else:
            raise KindError("set_empty takes dict or list", _c.K8SMIG_EKIND, path=path)

    def append(self, path: str, value: Any) -> int:
        """Append to the list at path (created when absent); returns the new index.

        C: k8smig_object_append_str(), k8smig_object_append_int(), k8smig_object_append_map(),
        k8smig_object_append_value()."""
        self._changed()
        if isinstance(value, str):
            return int(_c.k8smig_object_append_str(self._h, path, value))
        if isinstance(value, int) and not isinstance(value, bool):
            return int(_c.k8smig_object_append_int(self._h, path, value))
        if isinstance(value, collections.abc.Mapping) and not value:
            return int(_c.k8smig_object_append_map(self._h, path))
        if isinstance(value, _View):
            return int(_c.k8smig_object_append_value(self._h, path, value._node()))
        src, keep = _parse_json_value(value)
        i = int(_c.k8smig_object_append_value(self._h, path, _c.k8smig_object_get(src, "v")))
        del keep
        return i

    # serialization and checks
    def to_yaml(self) -> str:
        """Canonical YAML (one document, no ---).

        C: k8smig_object_emit()."""
        return _c.k8smig_object_emit(self._h, None)  # type: ignore[no-any-return]

    def to_json(self, compact: bool = False) -> str:
        """JSON (compact: on one line).

        C: k8smig_object_emit()."""
        return _c.k8smig_object_emit(self._h, _json_opts(compact))  # type: ignore[no-any-return]

    def validate(self) -> None:
        """Raise SchemaError with the field path of the first error finding.

        C: k8smig_object_validate()."""
        _c.k8smig_object_validate(self._h)

    def copy(self) -> Object:
        """A deep copy.

        C: k8smig_object_dup()."""
        return Object(_handle=_c.k8smig_object_dup(self._h))

    def __eq__(self, other: object) -> bool:
        """Deep equality of two objects.

        C: k8smig_object_equal()."""
        return isinstance(other, Object) and bool(_c.k8smig_object_equal(self._h, other._h))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        ns = f"{self.namespace}/" if self.namespace else ""
        return f"<k8smig.Object {self.kind or '?'} {ns}{self.name or '?'}>"


# ---- generated: builder functions (gen_builders.py) ----

class VolumeType(_CEnum):
    """C k8smig_volume_type."""
    PVC = 0
    CONFIG_MAP = 1
    SECRET = 2
    EMPTY_DIR = 3
    HOST_PATH = 4


class EnvSource(_CEnum):
    """C k8smig_env_source."""
    CONFIG_MAP = 0
    SECRET = 1
    FIELD = 2
    RESOURCE_FIELD = 3


class ProbeKind(_CEnum):
    """C k8smig_probe_kind."""
    LIVENESS = 0
    READINESS = 1
    STARTUP = 2


class ProbeHandler(_CEnum):
    """C k8smig_probe_handler."""
    HTTP_GET = 0
    TCP_SOCKET = 1
    EXEC = 2
    GRPC = 3


class HpaDirection(_CEnum):
    """C k8smig_hpa_direction."""
    UP = 0
    DOWN = 1


class AwsSecretService(_CEnum):
    """C k8smig_aws_secret_service."""
    SECRETS_MANAGER = 0
    PARAMETER_STORE = 1


class GeneratorSource(_CEnum):
    """C k8smig_generator_source."""
    LITERAL = 0
    FILE = 1
    ENV = 2


def _deployment(name: str, namespace: str | None = None) -> Object:
    """Create an apps/v1 Deployment whose selector, pod template labels and own labels carry
    app.kubernetes.io/name: <name>. spec.replicas stays unset (leave it unset when an HPA
    manages the Deployment).

    name: a DNS-1123 subdomain (at most 63 bytes, it becomes a label value)
    namespace: namespace, or NULL

    C: k8smig_deployment_new()."""
    try:
        return Object(_handle=_capi.k8smig_deployment_new(name, namespace))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def _daemon_set(name: str, namespace: str | None = None) -> Object:
    """Create an apps/v1 DaemonSet, labelled and selected as k8smig_deployment_new().

    name: a DNS-1123 subdomain (at most 63 bytes)
    namespace: namespace, or NULL

    C: k8smig_daemon_set_new()."""
    try:
        return Object(_handle=_capi.k8smig_daemon_set_new(name, namespace))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def _pod(name: str, namespace: str | None = None) -> Object:
    """Create a v1 Pod labelled app.kubernetes.io/name: <name> (e.g. a test pod that mounts a
    claim).

    name: a DNS-1123 subdomain (at most 63 bytes)
    namespace: namespace, or NULL

    C: k8smig_pod_new()."""
    try:
        return Object(_handle=_capi.k8smig_pod_new(name, namespace))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def pdb(name: str, namespace: str | None = None, min_available: str | None = None, max_unavailable: str | None = None) -> Object:
    """Create a policy/v1 PodDisruptionBudget; give exactly one of min_available and
    max_unavailable. Select pods with k8smig_selector_set().

    name: a DNS-1123 subdomain
    namespace: namespace, or NULL
    min_available: a count ("1") or a percentage ("50%"), or NULL
    max_unavailable: a count or a percentage, or NULL

    C: k8smig_pdb_new()."""
    try:
        return Object(_handle=_capi.k8smig_pdb_new(name, namespace, min_available, max_unavailable))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def service(name: str, namespace: str | None = None, type: str | None = None) -> Object:
    """Create a v1 Service.

    name: a DNS-1035 label (starts with a letter); other pods reach it as
        http://<name>:<port>
    namespace: namespace, or NULL
    type: "ClusterIP", "NodePort" or "LoadBalancer"; NULL leaves the default (ClusterIP)

    C: k8smig_service_new()."""
    try:
        return Object(_handle=_capi.k8smig_service_new(name, namespace, type))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def ingress(name: str, namespace: str | None = None, ingress_class: str | None = None) -> Object:
    """Create a networking.k8s.io/v1 Ingress.

    name: a DNS-1123 subdomain
    namespace: namespace, or NULL
    ingress_class: spec.ingressClassName (e.g. "alb"), or NULL

    C: k8smig_ingress_new()."""
    try:
        return Object(_handle=_capi.k8smig_ingress_new(name, namespace, ingress_class))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def ingress_class(name: str, controller: str, params_name: str | None = None) -> Object:
    """Create a networking.k8s.io/v1 IngressClass.

    name: a DNS-1123 subdomain, e.g. "alb"
    controller: a domain-prefixed path, e.g. "ingress.k8s.aws/alb"
    params_name: (optional) an elbv2.k8s.aws IngressClassParams to use

    C: k8smig_ingress_class_new()."""
    try:
        return Object(_handle=_capi.k8smig_ingress_class_new(name, controller, params_name))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def ingress_class_params(name: str, scheme: str | None = None, group_name: str | None = None) -> Object:
    """Create an elbv2.k8s.aws/v1beta1 IngressClassParams (cluster-scoped).

    name: a DNS-1123 subdomain
    scheme: "internet-facing" or "internal", or NULL
    group_name: IngressGroup for every Ingress of the class, or NULL

    C: k8smig_ingress_class_params_new()."""
    try:
        return Object(_handle=_capi.k8smig_ingress_class_params_new(name, scheme, group_name))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def issuer(name: str, namespace: str | None = None) -> Object:
    """Create a cert-manager.io/v1 Issuer (ns not NULL) or ClusterIssuer (ns NULL). Configure
    it with k8smig_issuer_set_acme(), _set_ca() or _set_self_signed().

    name: a DNS-1123 subdomain
    namespace: namespace of an Issuer, or NULL for a ClusterIssuer

    C: k8smig_issuer_new()."""
    try:
        return Object(_handle=_capi.k8smig_issuer_new(name, namespace))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def certificate(name: str, namespace: str | None, secret_name: str, issuer_kind: str, issuer_name: str) -> Object:
    """Create a cert-manager.io/v1 Certificate. Add names with
    k8smig_certificate_add_dns_name().

    name: a DNS-1123 subdomain
    namespace: namespace, or NULL
    secret_name: Secret the certificate is stored in
    issuer_kind: "Issuer" or "ClusterIssuer" (cert-manager.io), or "AWSPCAIssuer" or
        "AWSPCAClusterIssuer" (awspca.cert-manager.io, AWS Private CA)
    issuer_name: the issuer's name

    C: k8smig_certificate_new()."""
    try:
        return Object(_handle=_capi.k8smig_certificate_new(name, namespace, secret_name, issuer_kind, issuer_name))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def hpa(name: str, namespace: str | None, target_kind: str, target_name: str, min_replicas: int, max_replicas: int) -> Object:
    """Create an autoscaling/v2 HorizontalPodAutoscaler for an apps/v1 workload.

    name: a DNS-1123 subdomain
    namespace: namespace, or NULL
    target_kind: "Deployment", "StatefulSet" or "ReplicaSet"
    target_name: the workload's name
    min_replicas: 1 or more
    max_replicas: min_replicas or more

    C: k8smig_hpa_new()."""
    try:
        return Object(_handle=_capi.k8smig_hpa_new(name, namespace, target_kind, target_name, min_replicas, max_replicas))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def storage_class(name: str, provisioner: str) -> Object:
    """Create a storage.k8s.io/v1 StorageClass.

    name: a DNS-1123 subdomain
    provisioner: e.g. "efs.csi.aws.com", "ebs.csi.aws.com"

    C: k8smig_storage_class_new()."""
    try:
        return Object(_handle=_capi.k8smig_storage_class_new(name, provisioner))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def efs_storage_class(name: str, file_system_id: str) -> Object:
    """Create a StorageClass for dynamic EFS access points: provisioner efs.csi.aws.com,
    parameters provisioningMode: efs-ap and fileSystemId.

    name: a DNS-1123 subdomain
    file_system_id: "fs-" and 8 or 17 lowercase hex digits

    C: k8smig_efs_storage_class_new()."""
    try:
        return Object(_handle=_capi.k8smig_efs_storage_class_new(name, file_system_id))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def efs_pv(name: str, volume_handle: str, capacity: str) -> Object:
    """Create a v1 PersistentVolume on an existing EFS file system (static provisioning):
    spec.csi.driver efs.csi.aws.com, spec.csi.volumeHandle, spec.capacity.storage (EFS
    ignores it, the API requires it).

    name: a DNS-1123 subdomain
    volume_handle: "fs-<id>", "fs-<id>:/<subpath>", "fs-<id>::fsap-<id>" or
        "fs-<id>:/<subpath>:fsap-<id>"
    capacity: a quantity, e.g. "10Gi" (stored canonical)

    C: k8smig_efs_pv_new()."""
    try:
        return Object(_handle=_capi.k8smig_efs_pv_new(name, volume_handle, capacity))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def pvc(name: str, namespace: str | None, storage_class: str | None, size: str) -> Object:
    """Create a v1 PersistentVolumeClaim.

    name: a DNS-1123 subdomain
    namespace: namespace, or NULL
    storage_class: spec.storageClassName; "" disables dynamic provisioning; NULL leaves
        it unset
    size: spec.resources.requests.storage, a quantity (stored canonical)

    C: k8smig_pvc_new()."""
    try:
        return Object(_handle=_capi.k8smig_pvc_new(name, namespace, storage_class, size))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def prometheus_rule(name: str, namespace: str | None = None) -> Object:
    """Create a monitoring.coreos.com/v1 PrometheusRule.

    name: a DNS-1123 subdomain
    namespace: namespace, or NULL

    C: k8smig_prometheus_rule_new()."""
    try:
        return Object(_handle=_capi.k8smig_prometheus_rule_new(name, namespace))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def fluent_bit_config(name: str, namespace: str, **options: Any) -> Object:
    """Create the ConfigMap of a Fluent Bit DaemonSet (aws-for-fluent-bit): data
    fluent-bit.conf (tail of /var/log/containers, kubernetes filter that merges JSON logs,
    cloudwatch_logs output with one log group per service) and parsers.conf. Mount it at
    /fluent-bit/etc/. The config strings are multi-line, so they are written as readable
    literal blocks.

    name: a DNS-1123 subdomain
    namespace: namespace, e.g. "amazon-cloudwatch"
    options: fields of k8smig_fluent_bit_options: region (AWS region of CloudWatch Logs;
        required); log_group_prefix (e.g. "/ecs/layering-detection": group
        <prefix>/<service>; required); service_label (pod label naming the service; NULL:
        app.kubernetes.io/name); namespaces (NULL-terminated namespaces to collect; NULL:
        every namespace); log_retention_days (a CloudWatch retention (1, 3, 5, 7, 14, 30,
        ...), or 0 for none)

    C: k8smig_fluent_bit_config_new()."""
    _opts = _options(_c.k8smig_fluent_bit_options, options, 'k8smig_fluent_bit_config_new')
    try:
        return Object(_handle=_capi.k8smig_fluent_bit_config_new(name, namespace, _opts))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def namespace(name: str) -> Object:
    """Create a v1 Namespace.

    name: a DNS-1123 label

    C: k8smig_namespace_new()."""
    try:
        return Object(_handle=_capi.k8smig_namespace_new(name))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def service_account(name: str, namespace: str | None = None) -> Object:
    """Create a v1 ServiceAccount.

    name: a DNS-1123 subdomain
    namespace: namespace (DNS-1123 label), or NULL to leave it to the overlay

    C: k8smig_service_account_new()."""
    try:
        return Object(_handle=_capi.k8smig_service_account_new(name, namespace))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def role(name: str, namespace: str | None = None) -> Object:
    """Create an rbac.authorization.k8s.io/v1 Role (ns not NULL) or ClusterRole (ns NULL).

    name: any name without '/' or '%' (and not "." or "..")
    namespace: namespace of a Role, or NULL for a ClusterRole

    C: k8smig_role_new()."""
    try:
        return Object(_handle=_capi.k8smig_role_new(name, namespace))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def role_binding(name: str, namespace: str | None, role_kind: str, role_name: str) -> Object:
    """Create a RoleBinding (ns not NULL) or ClusterRoleBinding (ns NULL) with its roleRef.

    name: any name without '/' or '%'
    namespace: namespace of a RoleBinding, or NULL for a ClusterRoleBinding
    role_kind: "Role" or "ClusterRole" (a ClusterRoleBinding needs "ClusterRole")
    role_name: the role's name

    C: k8smig_role_binding_new()."""
    try:
        return Object(_handle=_capi.k8smig_role_binding_new(name, namespace, role_kind, role_name))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def config_map(name: str, namespace: str | None = None) -> Object:
    """Create a v1 ConfigMap.

    name: a DNS-1123 subdomain
    namespace: namespace, or NULL

    C: k8smig_config_map_new()."""
    try:
        return Object(_handle=_capi.k8smig_config_map_new(name, namespace))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def secret(name: str, namespace: str | None = None, type: str | None = None) -> Object:
    """Create a v1 Secret.

    name: a DNS-1123 subdomain
    namespace: namespace, or NULL
    type: e.g. "Opaque", "kubernetes.io/tls"; NULL for "Opaque"

    C: k8smig_secret_new()."""
    try:
        return Object(_handle=_capi.k8smig_secret_new(name, namespace, type))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def secret_store(name: str, namespace: str | None = None) -> Object:
    """Create an external-secrets.io/v1 SecretStore (ns not NULL) or ClusterSecretStore (ns
    NULL).

    name: a DNS-1123 subdomain
    namespace: namespace of a SecretStore, or NULL for a ClusterSecretStore

    C: k8smig_secret_store_new()."""
    try:
        return Object(_handle=_capi.k8smig_secret_store_new(name, namespace))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def external_secret(name: str, namespace: str | None, store_kind: str, store_name: str, refresh_interval: str | None = None) -> Object:
    """Create an external-secrets.io/v1 ExternalSecret reading from a store.

    name: a DNS-1123 subdomain
    namespace: namespace, or NULL
    store_kind: "SecretStore" or "ClusterSecretStore"
    store_name: the store's name
    refresh_interval: Go duration ("1h", "15m", "0" never refreshes); NULL for the
        operator default

    C: k8smig_external_secret_new()."""
    try:
        return Object(_handle=_capi.k8smig_external_secret_new(name, namespace, store_kind, store_name, refresh_interval))
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


def kustomization() -> Object:
    """Create an empty Kustomization.

    C: k8smig_kustomization_new()."""
    try:
        return Object(_handle=_capi.k8smig_kustomization_new())
    except (TypeError, OverflowError) as e:
        raise _swig_error(e) from None


__all__ += [
    'AwsSecretService',
    'EnvSource',
    'GeneratorSource',
    'HpaDirection',
    'ProbeHandler',
    'ProbeKind',
    'VolumeType',
    'certificate',
    'config_map',
    'efs_pv',
    'efs_storage_class',
    'external_secret',
    'fluent_bit_config',
    'hpa',
    'ingress',
    'ingress_class',
    'ingress_class_params',
    'issuer',
    'kustomization',
    'namespace',
    'pdb',
    'prometheus_rule',
    'pvc',
    'role',
    'role_binding',
    'secret',
    'secret_store',
    'service',
    'service_account',
    'storage_class',
]


# ---- end generated builder functions ----


# ---- workloads with the container in one call ------------------------------------------

def _workload(obj: Object, image: Optional[str], container_name: Optional[str], port: Optional[int],
              env: Optional[Mapping[str, str]], cpu: Optional[str], memory: Optional[str],
              service_account: Optional[str]) -> Object:
    if image is not None:
        i = obj.pod_add_container(container_name or obj.name or "app", image)
        if port is not None:
            obj.container_add_port(i, None, port)
        for k, v in (env or {}).items():
            obj.container_add_env(i, name=k, value=v)
        if cpu is not None or memory is not None:
            obj.container_set_resources(i, cpu_request=cpu, memory_request=memory)
    elif any(x is not None for x in (container_name, port, env, cpu, memory)):
        raise ValidationError("container_name, port, env, cpu and memory need an image", _c.K8SMIG_EINVAL)
    if service_account is not None:
        obj.pod_set_service_account(service_account)
    return obj


def deployment(name: str, namespace: Optional[str] = None, *, image: Optional[str] = None,
               replicas: Optional[int] = None, container_name: Optional[str] = None, port: Optional[int] = None,
               env: Optional[Mapping[str, str]] = None, cpu: Optional[str] = None, memory: Optional[str] = None,
               service_account: Optional[str] = None) -> Object:
    """An apps/v1 Deployment, labelled and selected by app.kubernetes.io/name: <name>;
    with image, one container (named container_name, default the Deployment's name) with
    an optional port, env and cpu/memory requests; replicas sets spec.replicas (leave it
    None when an HPA manages the Deployment).

    C: k8smig_deployment_new(), k8smig_pod_add_container(), k8smig_deployment_set_replicas()."""
    d = _workload(_deployment(name, namespace), image, container_name, port, env, cpu, memory, service_account)
    if replicas is not None:
        d.deployment_set_replicas(replicas)
    return d


def daemon_set(name: str, namespace: Optional[str] = None, *, image: Optional[str] = None,
               container_name: Optional[str] = None, port: Optional[int] = None,
               env: Optional[Mapping[str, str]] = None, cpu: Optional[str] = None, memory: Optional[str] = None,
               service_account: Optional[str] = None) -> Object:
    """An apps/v1 DaemonSet, with an optional container as deployment().

    C: k8smig_daemon_set_new()."""
    return _workload(_daemon_set(name, namespace), image, container_name, port, env, cpu, memory, service_account)


def pod(name: str, namespace: Optional[str] = None, *, image: Optional[str] = None,
        container_name: Optional[str] = None, port: Optional[int] = None,
        env: Optional[Mapping[str, str]] = None, cpu: Optional[str] = None, memory: Optional[str] = None,
        service_account: Optional[str] = None) -> Object:
    """A v1 Pod, with an optional container as deployment().

    C: k8smig_pod_new()."""
    return _workload(_pod(name, namespace), image, container_name, port, env, cpu, memory, service_account)


class AccessMode(enum.IntFlag):
    """PersistentVolume access modes for Object.pv_set_access_modes (combine with |)."""
    READ_WRITE_ONCE = _capi.K8SMIG_ACCESS_READ_WRITE_ONCE
    READ_ONLY_MANY = _capi.K8SMIG_ACCESS_READ_ONLY_MANY
    READ_WRITE_MANY = _capi.K8SMIG_ACCESS_READ_WRITE_MANY
    READ_WRITE_ONCE_POD = _capi.K8SMIG_ACCESS_READ_WRITE_ONCE_POD


UNSET: int = _capi.K8SMIG_UNSET
"""K8SMIG_UNSET: leave an integer option of a security context unset."""


# ---- lists, streams -------------------------------------------------------------------

def _to_c_list(objects: Object | Iterable[Object]) -> Any:
    if isinstance(objects, Object):
        objects = [objects]
    lst = _c.k8smig_object_list_new()
    for o in objects:
        if not isinstance(o, Object):
            raise KindError(f"expected k8smig.Object items, got {type(o).__name__}", _c.K8SMIG_EKIND)
        _c.k8smig_object_list_append(lst, o._h)
    return lst


def _from_c_list(lst: Any) -> List[Object]:
    # each object moved out of the list (from the end: O(1) each), so nothing handed to
    # Python depends on the list living on, and nothing is copied
    n = int(_c.k8smig_object_list_size(lst))
    out: List[Any] = [None] * n
    for i in range(n - 1, -1, -1):
        out[i] = Object(_handle=_c.k8smig_object_list_remove(lst, i))
    return out


def _format(format: str) -> int:
    try:
        return int({"auto": _c.K8SMIG_FORMAT_AUTO, "yaml": _c.K8SMIG_FORMAT_YAML, "json": _c.K8SMIG_FORMAT_JSON}[format])
    except KeyError:
        raise ValidationError(f"format must be 'auto', 'yaml' or 'json', not {format!r}", _c.K8SMIG_EINVAL) from None


def loads(text: str | bytes, source: Optional[str] = None, format: str = "auto") -> List[Object]:
    """Parse a YAML or JSON stream (str or bytes) into objects (the GIL is released
    while parsing). ParseError carries file (source), line, column and path.

    C: k8smig_parse(), k8smig_object_list_size(), k8smig_object_list_remove()."""
    po = _c.k8smig_parse_options()
    po.format = _format(format)
    if source:
        po.source_name = source
    return _from_c_list(_c.k8smig_parse(text, po))


def load(path: str) -> List[Object]:
    """Parse a YAML or JSON file; errors carry its name, line and column.

    C: k8smig_parse_file()."""
    return _from_c_list(_c.k8smig_parse_file(path, None))


def _emit_opts(format: str, compact: bool = False) -> Any:
    eo = _c.k8smig_emit_options()
    if format not in ("yaml", "json"):
        raise ValidationError(f"format must be 'yaml' or 'json', not {format!r}", _c.K8SMIG_EINVAL)
    eo.format = _c.K8SMIG_FORMAT_JSON if format == "json" else _c.K8SMIG_FORMAT_YAML
    eo.flags = _c.K8SMIG_EMIT_COMPACT if compact else 0
    return eo


def dumps(objects: Object | Iterable[Object], format: str = "yaml", compact: bool = False) -> str:
    """A canonical YAML stream (documents separated by ---) or JSON stream.

    C: k8smig_object_list_emit(), k8smig_object_list_new(), k8smig_object_list_append()."""
    return _c.k8smig_object_list_emit(_to_c_list(objects), _emit_opts(format, compact))  # type: ignore[no-any-return]


def write_file(objects: Object | Iterable[Object], path: str, format: str = "yaml", compact: bool = False) -> None:
    """Write objects to a file atomically (a temporary file renamed into place): the
    file has the old content or the new, never half of it.

    C: k8smig_object_list_write_file()."""
    _c.k8smig_object_list_write_file(_to_c_list(objects), path, _emit_opts(format, compact))


def write(objects: Object | Iterable[Object], write: Callable[[str], Any], format: str = "yaml",
          compact: bool = False) -> None:
    """Stream objects to write(piece) (a file's write, a socket's send...) without
    building the whole text; an exception raised by write stops it and propagates.

    C: k8smig_object_list_write()."""
    _c.k8smig_py_list_write(_to_c_list(objects), _emit_opts(format, compact), write)


# ---- validation -------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Finding:
    """One validation finding (k8smig_finding)."""
    severity: str   # "error", "warning" or "info"
    code: str
    kind: str
    namespace: str
    name: str
    path: str
    message: str
    source: str
    line: int

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}: " if self.source else ""
        obj = f"{self.kind}/{self.namespace + '/' if self.namespace else ''}{self.name}"
        return f"{where}{self.severity} {self.code} {obj} {self.path}: {self.message}"


_SEVERITY = {_capi.K8SMIG_SEVERITY_ERROR: "error", _capi.K8SMIG_SEVERITY_WARNING: "warning",
             _capi.K8SMIG_SEVERITY_INFO: "info"}
_SEVERITY_C = {v: k for k, v in _SEVERITY.items()}


class Report(List[Finding]):
    """The findings of validate(): a list, with the C counts by severity."""

    errors: int = 0
    warnings: int = 0
    infos: int = 0

    def by_severity(self, severity: str) -> List[Finding]:
        """The findings of one severity ("error", "warning" or "info")."""
        if severity not in _SEVERITY_C:
            raise ValidationError(f"unknown severity {severity!r}", _c.K8SMIG_EINVAL)
        return [f for f in self if f.severity == severity]


def validate(objects: Object | Iterable[Object], lints: bool = True, cross: bool = True,
             fargate: bool = False) -> Report:
    """Validate a set: each object alone, the references between them, and the AWS lints
    (the GIL is released meanwhile).

    C: k8smig_validate(), k8smig_report_size(), k8smig_report_get(), k8smig_report_count()."""
    vo = _c.k8smig_validate_options()
    vo.flags = ((0 if lints else _c.K8SMIG_VALIDATE_NO_LINTS) | (0 if cross else _c.K8SMIG_VALIDATE_NO_CROSS)
                | (_c.K8SMIG_VALIDATE_FARGATE if fargate else 0))
    report = _c.k8smig_validate(_to_c_list(objects), vo)
    out = Report()
    for i in range(_c.k8smig_report_size(report)):
        f = _c.k8smig_report_get(report, i)
        out.append(Finding(_SEVERITY.get(f.severity, "info"), f.code, f.kind, f.namespace_, f.name, f.path,
                           f.message, f.source, f.line))
    out.errors = int(_c.k8smig_report_count(report, _c.K8SMIG_SEVERITY_ERROR))
    out.warnings = int(_c.k8smig_report_count(report, _c.K8SMIG_SEVERITY_WARNING))
    out.infos = int(_c.k8smig_report_count(report, _c.K8SMIG_SEVERITY_INFO))
    return out


# ---- render and the migration engine ---------------------------------------------------

def render(directory: str, load_anywhere: bool = False, keep_order: bool = False) -> List[Object]:
    """Build a kustomization directory in-library, as `kubectl kustomize` would.

    C: k8smig_render()."""
    ro = _c.k8smig_render_options()
    ro.flags = (_c.K8SMIG_RENDER_LOAD_ANYWHERE if load_anywhere else 0) | (_c.K8SMIG_RENDER_KEEP_ORDER if keep_order else 0)
    return _from_c_list(_c.k8smig_render(directory, ro))


class Change(enum.IntEnum):
    """What generation does (or would do) to one file (k8smig_change)."""
    NONE = _capi.K8SMIG_CHANGE_NONE
    CREATE = _capi.K8SMIG_CHANGE_CREATE
    UPDATE = _capi.K8SMIG_CHANGE_UPDATE


class Spec:
    """A migration spec (docs/spec.md): the bundled default, a file, or text."""

    __slots__ = ("_h",)

    def __init__(self, _handle: Any) -> None:
        self._h = _handle

    @classmethod
    def default(cls) -> Spec:
        """The bundled spec: the layering-detection system of the reference plan.

    C: k8smig_spec_load_default()."""
        return cls(_c.k8smig_spec_load_default())

    @staticmethod
    def default_text() -> str:
        """The bundled spec's YAML text.

    C: k8smig_spec_default_text()."""
        return _c.k8smig_spec_default_text()  # type: ignore[no-any-return]

    @classmethod
    def load(cls, path: str) -> Spec:
        """A spec read from a YAML file.

    C: k8smig_spec_load_file()."""
        return cls(_c.k8smig_spec_load_file(path))

    @classmethod
    def loads(cls, text: str, source: Optional[str] = None) -> Spec:
        """A spec parsed from YAML text (source names it in errors).

    C: k8smig_spec_load()."""
        return cls(_c.k8smig_spec_load(text, source))

    @property
    def name(self) -> str:
        """The system's name.

    C: k8smig_spec_name()."""
        return _c.k8smig_spec_name(self._h)  # type: ignore[no-any-return]

    @property
    def environments(self) -> dict[str, str]:
        """Environment name -> namespace.

    C: k8smig_spec_environment_count(), k8smig_spec_environment_name(), k8smig_spec_environment_namespace()."""
        return {_c.k8smig_spec_environment_name(self._h, i): _c.k8smig_spec_environment_namespace(self._h, i)
                for i in range(_c.k8smig_spec_environment_count(self._h))}

    def plan(self, environment: Optional[str] = None) -> List[Object]:
        """The objects of one environment: its part of the admin layer k8s/cluster (Namespace,
        StorageClass, PersistentVolumes, the CI group's Role and RoleBinding), then its overlay's
        objects; or the base objects when None.

    C: k8smig_plan()."""
        return _from_c_list(_c.k8smig_plan(self._h, environment))

    def generate(self, out_dir: str, check: bool = False,
                 on_file: Optional[Callable[[str, Change], Any]] = None) -> int:
        """Write the whole tree under out_dir (atomically, byte-identical on a re-run);
        with check, write nothing. on_file(path, Change) is called for every file (a
        true return stops; an exception stops and propagates). Returns the number of
        files changed (or that would be).

        C: k8smig_generate()."""
        go = _c.k8smig_generate_options()
        go.flags = _c.K8SMIG_GENERATE_CHECK if check else 0
        cb = None if on_file is None else (lambda path, change: on_file(path, Change(change)))
        return int(_c.k8smig_py_generate(self._h, out_dir, go, cb))


class Import:
    """An import of the running ECS system into a spec, with a report (docs/import.md).

        imp = k8smig.Import(name="billing")
        imp.add_file("task-definition", "td-api.json")
        imp.add_file("services", "services.json")
        spec = imp.spec()                  # a Spec, as if written by hand
        report = imp.report()              # dict: summary, services, entries

    Kinds: "task-definition", "services", "scalable-targets", "scaling-policies", "terraform".
    `base` is a spec (text or an Object) whose name, aws, environments and ci are kept.

    C: k8smig_import_new()."""

    _KINDS = {"task-definition": 1, "services": 2, "scalable-targets": 3, "scaling-policies": 4, "terraform": 5}

    def __init__(self, name: Optional[str] = None, base: Optional[str | bytes | Object] = None) -> None:
        o = _c.k8smig_import_options()
        if name is not None:
            o.name = name
        if base is not None:
            base_obj = base if isinstance(base, Object) else loads(base, source="base spec")[0]
            o.base = base_obj._h   # copied by k8smig_import_new
        self._h = _c.k8smig_import_new(o)
        self._doc: Optional[Object] = None

    def _kind(self, kind: str) -> int:
        if kind not in self._KINDS:
            raise ValidationError(f"unknown input kind {kind!r} (one of {', '.join(self._KINDS)})", _c.K8SMIG_EINVAL)
        return self._KINDS[kind]

    def add(self, kind: str, text: str | bytes, source: Optional[str] = None) -> None:
        """Add one input (JSON text or bytes). C: k8smig_import_add()."""
        _c.k8smig_import_add(self._h, self._kind(kind), text, source)

    def add_file(self, kind: str, path: str) -> None:
        """Add one input read from a file (errors name the file). C: k8smig_import_add_file()."""
        _c.k8smig_import_add_file(self._h, self._kind(kind), path)

    def build(self) -> Object:
        """The spec document (built once; later calls return it again). C: k8smig_import_build()."""
        if self._doc is None:
            self._doc = Object(_handle=_c.k8smig_import_build(self._h))
        return self._doc

    def spec(self) -> Spec:
        """The spec, loaded by the ordinary spec loader. C: k8smig_spec_load_object()."""
        return Spec(_c.k8smig_spec_load_object(self.build()._h, "imported spec"))

    def report(self, format: str = "dict") -> Any:
        """The report: "dict" (parsed JSON), "json", "text" or "html". C: k8smig_import_report()."""
        self.build()
        fmt = {"dict": 0, "json": 0, "text": 1, "html": 2}.get(format)
        if fmt is None:
            raise ValidationError(f"unknown report format {format!r}", _c.K8SMIG_EINVAL)
        text = _c.k8smig_import_report(self._h, fmt)
        return json.loads(text) if format == "dict" else text


# ---- quantities ---------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Quantity:
    """A parsed Kubernetes quantity, exact: mantissa * 10**scale (format: how it was written).

    C: k8smig_quantity_format_str()."""
    mantissa: int
    scale: int
    format: int

    @classmethod
    def parse(cls, text: str) -> Quantity:
        """Parse "500m", "0.5", "512Mi", "1e3"; ValidationError if malformed.

    C: k8smig_quantity_parse()."""
        q = _c.k8smig_quantity()
        _c.k8smig_quantity_parse(q, text)
        return cls(q.mantissa, q.scale, q.format)

    def _cq(self) -> Any:
        q = _c.k8smig_quantity()
        q.mantissa, q.scale, q.format = self.mantissa, self.scale, self.format
        return q

    def __str__(self) -> str:
        return _c.k8smig_quantity_format_str(self._cq())  # type: ignore[no-any-return]

    @property
    def milli(self) -> int:
        """The value in thousandths, rounded up (CPU millicores).

    C: k8smig_quantity_milli()."""
        return int(_c.k8smig_quantity_milli(self._cq()))

    @property
    def value(self) -> int:
        """The value rounded up to an integer (bytes).

    C: k8smig_quantity_value()."""
        return int(_c.k8smig_quantity_value(self._cq()))

    def cmp(self, other: Quantity) -> int:
        """Negative, 0 or positive as self is less than, equal to or greater than other, by value.

    C: k8smig_quantity_cmp()."""
        return int(_c.k8smig_quantity_cmp(self._cq(), other._cq()))

    def __lt__(self, other: Quantity) -> bool:
        return self.cmp(other) < 0

    def __le__(self, other: Quantity) -> bool:
        return self.cmp(other) <= 0


def quantity(text: str) -> str:
    """The canonical form of a Kubernetes quantity ("0.5" -> "500m"); ValidationError if malformed.

    C: k8smig_quantity_canonical()."""
    return _c.k8smig_quantity_canonical(text)  # type: ignore[no-any-return]


def ecs_cpu(units: int) -> str:
    """ECS CPU units to a CPU quantity: 512 -> "500m".

    C: k8smig_quantity_from_ecs_cpu()."""
    return _c.k8smig_quantity_from_ecs_cpu(units)  # type: ignore[no-any-return]


def ecs_memory(mib: int) -> str:
    """ECS memory in MiB to a memory quantity: 1024 -> "1Gi".

    C: k8smig_quantity_from_ecs_memory()."""
    return _c.k8smig_quantity_from_ecs_memory(mib)  # type: ignore[no-any-return]


# ---- client --------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class ApplyResult:
    """The outcome for one object of Client.apply.

    C: k8smig_apply_results_size(), k8smig_apply_results_get(), k8smig_apply_results_object(), k8smig_apply_action_name()."""
    action: str     # "created", "configured", "unchanged" or "failed"
    kind: str
    namespace: str
    name: str
    resource: str
    error: Optional[Error]
    live: Optional[Object]   # the object as the server returned it


@dataclasses.dataclass(frozen=True)
class Progress:
    """What Client.apply's progress callable receives after each object."""
    action: str
    kind: str
    namespace: str
    name: str
    resource: str
    http_status: int
    done: int
    total: int


class Propagation(_CEnum):
    """How a delete treats dependents (k8smig_propagation)."""
    DEFAULT = _capi.K8SMIG_PROPAGATION_DEFAULT
    BACKGROUND = _capi.K8SMIG_PROPAGATION_BACKGROUND
    FOREGROUND = _capi.K8SMIG_PROPAGATION_FOREGROUND
    ORPHAN = _capi.K8SMIG_PROPAGATION_ORPHAN


class WatchEvent(_CEnum):
    """The type of a watch event (k8smig_watch_event)."""
    ADDED = _capi.K8SMIG_WATCH_ADDED
    MODIFIED = _capi.K8SMIG_WATCH_MODIFIED
    DELETED = _capi.K8SMIG_WATCH_DELETED
    BOOKMARK = _capi.K8SMIG_WATCH_BOOKMARK


class Watch:
    """An iterator over (WatchEvent, Object) pairs of Client.watch. The watch runs in a
    library thread (the GIL released); it ends at the timeout or on close() (or leaving
    a with block); `resource_version` then holds the last one seen, to resume from.
    An error of the watch is raised by the iteration."""

    _END = object()

    def __init__(self, client: Client, api_version: str, kind: str, namespace: Optional[str],
                 label_selector: Optional[str], field_selector: Optional[str], resource_version: Optional[str],
                 timeout: int) -> None:
        self._q: queue.Queue[Any] = queue.Queue(maxsize=1024)
        self._stop = threading.Event()
        self.resource_version: Optional[str] = resource_version
        self._error: Optional[BaseException] = None

        def on_event(t: int, h: Any) -> bool:
            while not self._stop.is_set():
                try:
                    self._q.put((WatchEvent(t), Object(_handle=h)), timeout=0.2)
                    break
                except queue.Full:
                    continue
            return self._stop.is_set()

        def run() -> None:
            try:
                rv = _c.k8smig_py_client_watch(client._h, api_version, kind, namespace, label_selector,
                                               field_selector, resource_version, timeout, on_event)
                if rv:
                    self.resource_version = rv
            except BaseException as e:  # handed to the iterating thread
                self._error = e
            finally:
                self._q.put(Watch._END)

        self._thread = threading.Thread(target=run, name="k8smig-watch", daemon=True)
        self._thread.start()

    def __iter__(self) -> Watch:
        return self

    def __next__(self) -> tuple[WatchEvent, Object]:
        item = self._q.get()
        if item is Watch._END:
            self._q.put(Watch._END)
            self._thread.join()
            if self._error is not None:
                err, self._error = self._error, None
                raise err
            raise StopIteration
        return item  # type: ignore[no-any-return]

    def close(self) -> None:
        """Stop the watch (at its next event or heartbeat) and wait for its thread."""
        self._stop.set()
        while self._thread.is_alive():
            try:
                self._q.get(timeout=0.2)
            except queue.Empty:
                pass
        self._thread.join()
        self._q.put(Watch._END)

    def __enter__(self) -> Watch:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


_init_lock = threading.Lock()
_initialised = False


def current_context(kubeconfig: Optional[str] = None) -> Optional[str]:
    """The current-context of a kubeconfig (None: found as kubectl finds it).

    C: k8smig_kubeconfig_load(), k8smig_kubeconfig_current_context()."""
    return _c.k8smig_kubeconfig_current_context(_c.k8smig_kubeconfig_load(kubeconfig))  # type: ignore[no-any-return]


class Client:
    """A connection to a Kubernetes API server, configured as kubectl would be.
    Network calls release the GIL.

    C: k8smig_init(), k8smig_kubeconfig_load(), k8smig_client_new()."""

    __slots__ = ("_h",)

    def __init__(self, kubeconfig: Optional[str] = None, context: Optional[str] = None,
                 namespace: Optional[str] = None, max_parallel: int = 0) -> None:
        global _initialised
        with _init_lock:
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

    @property
    def server(self) -> str:
        """The API server URL.

    C: k8smig_client_server()."""
        return _c.k8smig_client_server(self._h)  # type: ignore[no-any-return]

    @property
    def namespace(self) -> str:
        """The default namespace (the context's, or "default").

    C: k8smig_client_namespace()."""
        return _c.k8smig_client_namespace(self._h)  # type: ignore[no-any-return]

    @property
    def warnings(self) -> Optional[str]:
        """The Warning headers of the last request (newline-separated), or None.

    C: k8smig_client_warnings()."""
        return _c.k8smig_client_warnings(self._h)  # type: ignore[no-any-return]

    def resource(self, api_version: str, kind: str) -> tuple[str, bool]:
        """(plural resource name, namespaced) of a kind, from discovery.

    C: k8smig_client_resource()."""
        res, namespaced = _c.k8smig_client_resource(self._h, api_version, kind)
        return res, bool(namespaced)

    def get(self, api_version: str, kind: str, name: str, namespace: Optional[str] = None) -> Object:
        """One object; NotFoundError when absent.

    C: k8smig_client_get()."""
        return Object(_handle=_c.k8smig_client_get(self._h, api_version, kind, namespace, name))

    def list(self, api_version: str, kind: str, namespace: Optional[str] = None,
             label_selector: Optional[str] = None) -> List[Object]:
        """The objects of a kind (in a namespace, or all), optionally by label selector.

    C: k8smig_client_list()."""
        return _from_c_list(_c.k8smig_client_list(self._h, api_version, kind, namespace, label_selector))

    def create(self, obj: Object) -> Object:
        """POST one object; AlreadyExistsError when it exists. Returns the live object.

    C: k8smig_client_create()."""
        return Object(_handle=_c.k8smig_client_create(self._h, obj._h))

    def delete(self, api_version: str, kind: str, name: str, namespace: Optional[str] = None,
               propagation: Propagation | str | int = Propagation.DEFAULT) -> None:
        """Delete one object; propagation is a Propagation constant (or its name).

    C: k8smig_client_delete()."""
        _c.k8smig_client_delete(self._h, api_version, kind, namespace, name, Propagation.of(propagation))

    def apply_one(self, obj: Object, field_manager: Optional[str] = None, force: bool = False,
                  dry_run: bool = False) -> Object:
        """Server-side apply of one object; returns the live object.

        C: k8smig_client_apply()."""
        ao = _c.k8smig_apply_options()
        if field_manager:
            ao.field_manager = field_manager
        ao.force, ao.dry_run = force, dry_run
        return Object(_handle=_c.k8smig_client_apply(self._h, obj._h, ao))

    def apply(self, objects: Object | Iterable[Object], field_manager: Optional[str] = None, force: bool = False,
              dry_run: bool = False, raise_on_failure: bool = True,
              progress: Optional[Callable[[Progress], Any]] = None, crd_timeout_ms: int = 0) -> List[ApplyResult]:
        """Server-side apply of one object or a set, in dependency order. Returns one
        result per object; raises Error (the first failure) unless raise_on_failure is
        False. When every object failed for one reason that is not theirs (server
        unreachable, Forbidden), that error is raised whatever raise_on_failure says:
        nothing was applied. progress(Progress) is called after each object (an
        exception raised in it propagates once the apply ends).

        C: k8smig_client_apply_set(), k8smig_apply_results_failed()."""
        apply_opts = _c.k8smig_apply_options()  # held here while the call runs: ao only points at it
        if field_manager:
            apply_opts.field_manager = field_manager
        apply_opts.force = force
        apply_opts.dry_run = dry_run
        ao = _c.k8smig_apply_set_options()
        ao.apply = apply_opts
        ao.crd_timeout_ms = crd_timeout_ms
        lst = _to_c_list(objects)
        cb = None if progress is None else (lambda *a: progress(Progress(*a)))
        res = _c.k8smig_py_apply_set(self._h, lst, ao, cb)
        out = []
        first_failure = None
        for i in range(_c.k8smig_apply_results_size(res)):
            r = _c.k8smig_apply_results_get(res, i)
            live = _c.k8smig_apply_results_object(res, i)
            err = None
            if r.action == _c.K8SMIG_APPLY_FAILED:
                err_cls: type[Error] = _BY_CODE.get(r.error_code, Error)
                err = err_cls(r.error_message, r.error_code, r.error_path, "", 0, 0,
                                                        r.http_status, "", "")
                first_failure = first_failure or err
            out.append(ApplyResult(_c.k8smig_apply_action_name(r.action), r.kind, r.namespace_ or "", r.name,
                                   r.resource or "", err,
                                   Object(_handle=_c.k8smig_object_dup(live)) if live else None))
        assert (first_failure is not None) == (_c.k8smig_apply_results_failed(res) > 0)
        if first_failure and raise_on_failure:
            raise first_failure
        return out

    def watch(self, api_version: str, kind: str, namespace: Optional[str] = None,
              label_selector: Optional[str] = None, resource_version: Optional[str] = None,
              timeout: int = 60, field_selector: Optional[str] = None) -> Watch:
        """Iterate over (WatchEvent, Object) as the server reports changes, for up to
        timeout seconds (close() or a with block stops it early). namespace None: the
        client's; "": all namespaces.

        C: k8smig_client_watch()."""
        return Watch(self, api_version, kind, namespace, label_selector, field_selector, resource_version, timeout)

    def wait(self, objects: Object | Iterable[Object], timeout: float = 300, for_deletion: bool = False,
             progress: Optional[Callable[..., Any]] = None) -> List[WaitResult]:
        """Wait until every object is current (kstatus), or gone with for_deletion. progress(stage,
        kind, namespace, name, state, ready, total) is called as objects change state. Raises
        K8smigTimeoutError / RolloutError with `.result` (the per-object reports) when not all got there.

        C: k8smig_client_wait(), k8smig_wait_results_size(), k8smig_wait_results_get()."""
        o = _c.k8smig_wait_options()
        o.timeout_ms = int(timeout * 1000)
        o.for_deletion = for_deletion
        err, h = _c.k8smig_py_wait(self._h, _to_c_list(objects), o, progress)
        results = _wait_results(h)
        _raise_with(err, results)
        return results

    def diff(self, objects: Object | Iterable[Object], applyset: Optional[str] = None, field_manager: Optional[str] = None,
             force: bool = False) -> List[DiffEntry]:
        """Desired vs live through a server-side dry-run apply; with applyset, also the members
        that an apply with prune would delete. The list's `changes` counts the entries that would
        change something (kubectl diff's exit status 1 when non-zero).

        C: k8smig_client_diff(), k8smig_diff_size(), k8smig_diff_get(), k8smig_diff_changes()."""
        o = _c.k8smig_diff_options()
        a = _c.k8smig_apply_options()  # o only points at it: held here until the call returns
        if field_manager:
            a.field_manager = field_manager
        a.force = force
        o.apply = a
        if applyset:
            o.applyset = applyset
        err, h = _c.k8smig_py_diff(self._h, _to_c_list(objects), o)
        del a
        out = DiffList()
        for i in range(_c.k8smig_diff_size(h) if h is not None else 0):
            e = _c.k8smig_diff_get(h, i)
            out.append(DiffEntry(_DIFF_ACTIONS[e.action], e.api_version, e.kind, e.namespace_, e.name, e.diff, e.error_message))
        out.changes = _c.k8smig_diff_changes(h) if h is not None else 0
        _raise_with(err, out)
        return out

    def apply_applyset(self, objects: Object | Iterable[Object], applyset: str, prune: bool = False, wait: bool = False, timeout: float = 300,
                       atomic: bool = False, history_max: int = 0, field_manager: Optional[str] = None,
                       force: bool = False, dry_run: bool = False, progress: Optional[Callable[..., Any]] = None) -> Rollout:
        """Apply as a KEP-3659 ApplySet (parent `applyset` in the client's namespace: a Secret for
        NAME or secrets/NAME, a ConfigMap for configmaps/NAME), prune
        members that left the set, record a revision, wait, roll back by itself with atomic.
        progress(stage, kind, namespace, name, state, done, total), stage "apply" or "wait".

        C: k8smig_client_apply_applyset(), k8smig_rollout_applied(), k8smig_rollout_pruned_size(),
        k8smig_rollout_pruned_get(), k8smig_rollout_waited(), k8smig_rollout_revision(),
        k8smig_rollout_rolled_back(), k8smig_rollout_rolled_back_to()."""
        o, _apply_opts = _rollout_options(applyset, None, field_manager, force, dry_run, prune, wait, timeout, atomic, history_max)
        err, h = _c.k8smig_py_rollout(0, self._h, _to_c_list(objects), 0, o, progress)
        r = _rollout(h)
        _raise_with(err, r)
        assert r is not None  # lifecycle.h: the rollout is set whenever the call succeeded
        return r

    def rollback(self, applyset: str, revision: int = 0, wait: bool = False, timeout: float = 300,
                 progress: Optional[Callable[..., Any]] = None) -> Rollout:
        """Re-apply a recorded revision (0: the one before the current) and prune what it lacks.
        C: k8smig_client_rollback()."""
        o, _apply_opts = _rollout_options(applyset, None, None, False, False, True, wait, timeout, False, 0)
        err, h = _c.k8smig_py_rollout(1, self._h, None, revision, o, progress)
        r = _rollout(h)
        _raise_with(err, r)
        assert r is not None  # lifecycle.h: the rollout is set whenever the call succeeded
        return r

    def delete_applyset(self, applyset: str, timeout: float = 300, dry_run: bool = False) -> Rollout:
        """Delete every member (reverse phase order), wait until gone, then the parent and history.
        C: k8smig_client_delete_applyset()."""
        o, _apply_opts = _rollout_options(applyset, None, None, False, dry_run, False, False, timeout, False, 0)
        err, h = _c.k8smig_py_rollout(2, self._h, None, 0, o, None)
        r = _rollout(h)
        _raise_with(err, r)
        assert r is not None  # lifecycle.h: the rollout is set whenever the call succeeded
        return r

    def delete_set(self, objects: Object | Iterable[Object], timeout: float = 300, dry_run: bool = False) -> Rollout:
        """Delete objects in reverse phase order and wait until they are gone. C: k8smig_client_delete_set()."""
        o, _apply_opts = _rollout_options(None, None, None, False, dry_run, False, False, timeout, False, 0)
        err, h = _c.k8smig_py_rollout(3, self._h, _to_c_list(objects), 0, o, None)
        r = _rollout(h)
        _raise_with(err, r)
        assert r is not None  # lifecycle.h: the rollout is set whenever the call succeeded
        return r

    def history(self, applyset: str) -> List[Revision]:
        """The recorded revisions of an applyset, oldest first.
        C: k8smig_client_history(), k8smig_history_size(), k8smig_history_get()."""
        h = _c.k8smig_client_history(self._h, applyset, None)
        return [Revision(v.number, v.applied_at, v.status, v.description, v.objects)
                for v in (_c.k8smig_history_get(h, i) for i in range(_c.k8smig_history_size(h)))]

    def revision_objects(self, applyset: str, number: int) -> List[Object]:
        """The set recorded by revision `number`. C: k8smig_history_objects()."""
        h = _c.k8smig_client_history(self._h, applyset, None)
        for i in range(_c.k8smig_history_size(h)):
            if _c.k8smig_history_get(h, i).number == number:
                return _from_c_list(_c.k8smig_history_objects(h, i))
        raise NotFoundError(f"applyset {applyset} has no revision {number}", _c.K8SMIG_ENOTFOUND, "revision")

    def impersonate(self, user: Optional[str], groups: Sequence[str] = (), uid: Optional[str] = None) -> None:
        """Act as `user` (and groups, uid) like kubectl --as/--as-group/--as-uid; None stops.
        C: k8smig_client_impersonate()."""
        _raise_with(_c.k8smig_py_impersonate(self._h, user, list(groups), uid), None)

    def impersonated_user(self) -> Optional[str]:
        """The user requests are sent as (kubeconfig `as` or impersonate()), or None.
        C: k8smig_client_impersonated_user()."""
        user: Optional[str] = _c.k8smig_client_impersonated_user(self._h)
        return user


# ---- after the apply: wait, diff, ApplySets, history, rollback, impersonation ----------
# (lifecycle.h; the Client methods are in the class above)

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


class DiffList(List[DiffEntry]):
    """What k8smig diff reports, one DiffEntry per object; `changes` counts those that would change."""
    changes: int = 0


class RolloutError(Error):
    """An apply, wait, rollback or delete that did not fully succeed; `.result` holds
    what happened (a Rollout, a list of WaitResult or of DiffEntry)."""


_READINESS = ["current", "in-progress", "failed", "not-found", "terminating"]
_DIFF_ACTIONS = ["unchanged", "create", "change", "prune", "failed"]


def _raise_with(err: Any, result: Any) -> None:
    """err: the (code, message, ...) tuple from the glue, or 0 for success."""
    if not isinstance(err, tuple):
        return
    code = err[0]
    cls = _BY_CODE.get(code, RolloutError)
    e = cls(err[1], code, err[2], err[3], err[4], err[5], err[6], err[7], err[8])
    e.result = result
    raise e


def _wait_results(h: Any) -> List[WaitResult]:
    out: List[WaitResult] = []
    for i in range(_c.k8smig_wait_results_size(h) if h is not None else 0):
        r = _c.k8smig_wait_results_get(h, i)
        out.append(WaitResult(_READINESS[r.state], r.api_version, r.kind, r.namespace_, r.name, r.reason, r.report))
    return out


def _rollout(h: Any) -> Optional[Rollout]:
    if h is None:
        return None
    applied: List[ApplyResult] = []
    res = _c.k8smig_rollout_applied(h)
    for i in range(_c.k8smig_apply_results_size(res) if res is not None else 0):
        r = _c.k8smig_apply_results_get(res, i)
        live = _c.k8smig_apply_results_object(res, i)
        err: Optional[Error] = None
        if r.action == _c.K8SMIG_APPLY_FAILED:
            err = _BY_CODE.get(r.error_code, Error)(r.error_message, r.error_code, r.error_path, "", 0, 0, r.http_status, "", "")
        applied.append(ApplyResult(_c.k8smig_apply_action_name(r.action), r.kind, r.namespace_, r.name, r.resource,
                                   err, Object(_handle=_c.k8smig_object_dup(live)) if live else None))
    pruned: List[PruneEntry] = []
    for i in range(_c.k8smig_rollout_pruned_size(h)):
        p = _c.k8smig_rollout_pruned_get(h, i)
        pruned.append(PruneEntry(p.api_version, p.kind, p.namespace_, p.name, p.error_message))
    return Rollout(applied, pruned, _wait_results(_c.k8smig_rollout_waited(h)), _c.k8smig_rollout_revision(h),
                   bool(_c.k8smig_rollout_rolled_back(h)), _c.k8smig_rollout_rolled_back_to(h))


def _rollout_options(applyset: Optional[str], namespace: Optional[str], field_manager: Optional[str], force: bool,
                     dry_run: bool, prune: bool, wait: bool, timeout: float, atomic: bool,
                     history_max: int) -> tuple[Any, Any]:
    """The rollout options and what they point at (apply-set options, apply options): the
    caller holds the second item as long as the first is in use."""
    o = _c.k8smig_rollout_options()
    if applyset:
        o.applyset = applyset
    if namespace:
        o.applyset_namespace = namespace
    a = _c.k8smig_apply_options()  # s points at it, o at s: the caller holds all three
    if field_manager:
        a.field_manager = field_manager
    a.force = force
    a.dry_run = dry_run
    s = _c.k8smig_apply_set_options()
    s.apply = a
    o.apply = s
    o.prune, o.wait, o.atomic = prune, wait, atomic
    o.timeout_ms = int(timeout * 1000)
    o.history_max = history_max
    return o, (s, a)


def applyset_id(name: str, namespace: str) -> str:
    """The ApplySet id kubectl gives a parent `name` in `namespace`: a Secret for NAME or
    secrets/NAME, a ConfigMap for configmaps/NAME
    (applyset-<base64url(sha256(NAME.namespace.Kind.))>-v1). C: k8smig_applyset_id()."""
    applyset: str = _c.k8smig_applyset_id(name, namespace)
    return applyset


def readiness(obj: Object) -> tuple[str, str]:
    """kstatus of a live object: (state, reason). C: k8smig_object_readiness(), k8smig_readiness_name()."""
    state, extra = _c.k8smig_py_readiness(obj._h)
    if state == "":
        _raise_with(extra, None)
    return state, extra


__all__ += ["WaitResult", "DiffEntry", "DiffList", "PruneEntry", "Rollout", "Revision", "RolloutError", "readiness",
            "applyset_id"]
