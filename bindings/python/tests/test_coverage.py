"""Every public C function (lib/libk8smig.map) has a Python counterpart.

A counterpart is a public name of the k8smig package whose docstring cites the C
function ("C: k8smig_x()."). A few C functions have no callable counterpart by
design (memory and option initialisation are automatic in Python): they are listed
below with the reason. Adding a public C function without citing it in a docstring
(or listing it here with a reason) fails this test.
"""
import inspect
import pathlib
import re
import subprocess
import sys

import k8smig
from k8smig import capi

ROOT = pathlib.Path(__file__).resolve().parents[3]
MAP = ROOT / "lib" / "libk8smig.map"

AUTOMATIC = {
    "k8smig_free": "strings returned by the library become Python str; the glue frees them",
    "k8smig_error_last": "a failing call raises k8smig.Error carrying the record",
    "k8smig_error_clear": "each failure is an exception; there is no error state to clear",
    "k8smig_object_list_append_take": "ownership transfer: Python keeps its objects, lists copy them",
    "k8smig_object_list_extend_take": "Python never moves one C list into another: lists are built from "
                                      "Python objects and emptied into them",
    "k8smig_object_list_get_mut": "Python never edits an object inside a C list: objects are moved out first",
    "k8smig_import_report_counts": "Import.report()['summary'] carries the same counts",
    "k8smig_client_set_transport_hook": "the sys/ tier's hook on every HTTP exchange, for fault-injection tests "
                                        "in C; not offered to Python",
}
AUTOMATIC_PATTERNS = [
    (re.compile(r"k8smig_\w+_free$"), "handles are freed when their Python owner is collected"),
    (re.compile(r"k8smig_\w+_options_init$"), "option structs are initialised when Python creates them"),
    (re.compile(r"k8smig_object_set_\w+_site$"), "a C string literal's call-site memory, used by object.h's macros; "
                                                 "Object's setters call the plain functions"),
]
CITE = re.compile(r"\bk8smig_[a-z0-9_]+(?=\(\))")


def map_symbols():
    text = re.sub(r"/\*.*?\*/", "", MAP.read_text(), flags=re.S)
    return set(re.findall(r"\b(k8smig_\w+)\s*;", text))


def public_docstrings():
    docs = {}
    seen = set()

    def visit(qual, obj):
        if id(obj) in seen:
            return
        seen.add(id(obj))
        doc = inspect.getdoc(obj) or ""
        docs[qual] = doc
        if inspect.isclass(obj) and obj.__module__ == "k8smig":
            for name, member in vars(obj).items():
                if name.startswith("_") and name not in ("__init__", "__getitem__", "__setitem__", "__delitem__",
                                                         "__eq__", "__contains__"):
                    continue
                if isinstance(member, (staticmethod, classmethod)):
                    member = member.__func__
                if isinstance(member, property):
                    member = member.fget
                if callable(member):
                    docs[f"{qual}.{name}"] = inspect.getdoc(member) or ""
            for base in obj.__mro__[1:]:
                if base.__module__ == "k8smig":
                    visit(f"{qual}<{base.__name__}>", base)

    for name in k8smig.__all__:
        visit(name, getattr(k8smig, name))
    return docs


def test_all_names_exist_and_shadow_no_builtin():
    import builtins
    for name in k8smig.__all__:
        assert hasattr(k8smig, name), name
        assert not hasattr(builtins, name) or name == "__version__", f"__all__ shadows the builtin {name}"


def test_every_public_c_function_has_a_python_counterpart():
    docs = public_docstrings()
    cited = {}
    for qual, doc in docs.items():
        for c in CITE.findall(doc):
            cited.setdefault(c, []).append(qual)
    symbols = map_symbols()
    assert len(symbols) > 200
    missing = []
    for sym in sorted(symbols):
        if sym in cited or sym in AUTOMATIC or any(p.match(sym) for p, _ in AUTOMATIC_PATTERNS):
            continue
        missing.append(sym)
    assert not missing, ("public C functions with no Python counterpart (cite them as 'C: name().' in the "
                         f"docstring of the Python name that calls them): {missing}")
    stale = sorted(set(cited) - symbols)
    assert not stale, f"docstrings cite C functions that are not public: {stale} (in {[cited[s] for s in stale]})"


def test_cited_functions_are_reachable_from_the_glue():
    # each cited C function is wrapped by SWIG, or called by one of the glue's helpers
    helpers = {"k8smig_generate": "k8smig_py_generate", "k8smig_client_apply_set": "k8smig_py_apply_set",
               "k8smig_object_list_write": "k8smig_py_list_write", "k8smig_client_watch": "k8smig_py_client_watch",
               # lifecycle.h: calls that hand back partial results with their error
               "k8smig_client_wait": "k8smig_py_wait", "k8smig_client_diff": "k8smig_py_diff",
               "k8smig_client_apply_applyset": "k8smig_py_rollout", "k8smig_client_rollback": "k8smig_py_rollout",
               "k8smig_client_delete_applyset": "k8smig_py_rollout", "k8smig_client_delete_set": "k8smig_py_rollout",
               "k8smig_client_impersonate": "k8smig_py_impersonate", "k8smig_object_readiness": "k8smig_py_readiness",
               "k8smig_readiness_name": "k8smig_py_readiness"}
    src = inspect.getsource(k8smig)
    glue = (ROOT / "bindings" / "python" / "k8smig.i").read_text()
    for sym in sorted(map_symbols()):
        if sym in AUTOMATIC or any(p.match(sym) for p, _ in AUTOMATIC_PATTERNS):
            continue
        via = helpers.get(sym, sym)
        assert hasattr(capi, via), f"{sym}: not in the SWIG module (k8smig.i must %include its header)"
        assert f"_c.{via}(" in src or f"_capi.{via}" in src or f"{via}(" in glue, \
            f"{sym}: neither the Python layer nor the glue calls it"


def test_public_names_have_docstrings():
    undocumented = [q for q, d in public_docstrings().items() if not d.strip()
                    and not q.rsplit(".", 1)[-1].startswith("__")]
    assert not undocumented, undocumented


def test_generated_builders_match_the_headers():
    gen = ROOT / "bindings" / "python" / "gen_builders.py"
    init = ROOT / "bindings" / "python" / "k8smig" / "__init__.py"
    p = subprocess.run([sys.executable, str(gen), str(ROOT / "include"), str(init), "--check"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
