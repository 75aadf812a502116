#!/usr/bin/env python3
"""Generate the typed-builder part of k8smig/__init__.py from the C headers.

    gen_builders.py INCLUDE_DIR INIT_PY          rewrite the generated regions in place
    gen_builders.py INCLUDE_DIR INIT_PY --check  exit 1 when INIT_PY is out of date

Every builder header function becomes a Python name that mirrors it:
  k8smig_<kind>_new(out, args...)     -> k8smig.<kind>(args...) -> Object
  k8smig_<verb>(obj, args...)         -> Object.<verb>(args...) -> the Object (chainable),
                                         or the new index for the *_add_* with index_out
Parameters keep their C names and order (ns becomes namespace); `or NULL` /
`(optional)` parameters take None, and default to None after the last required one; enum parameters take the enum, its name ("liveness")
or its value; option structs (const k8smig_*_options *) become keyword arguments;
string arrays take a list of str; docstrings come from the header comments.
"""
import os
import re
import sys

HEADERS = ["workloads", "networking", "scaling", "storage", "monitoring", "identity", "config", "kustomize"]
# builders whose Python name takes extra conveniences (hand-written in __init__.py)
PRIVATE_NEW = {"deployment", "daemon_set", "pod"}
BEGIN_M, END_M = "# ---- generated: builder methods (gen_builders.py) ----", "# ---- end generated builder methods ----"
BEGIN_F, END_F = "# ---- generated: builder functions (gen_builders.py) ----", "# ---- end generated builder functions ----"

DECL = re.compile(r"/\*\*((?:(?!\*/).)*)\*/\s*K8SMIG_EXTERN\(([^)]*)\)\s*(\w+)\s*\(([^;]*?)\)\s*(?:K8SMIG_[A-Z_]+\s*)*;",
                  re.S)
ENUM = re.compile(r"typedef enum (\w+) \{(.*?)\} \w+;", re.S)
STRUCT = re.compile(r"typedef struct (k8smig_\w+_options) \{(.*?)\} \w+;", re.S)
ENUM_ITEM = re.compile(r"(K8SMIG_\w+)\s*=\s*(\d+)")


def camel(name):
    return "".join(p.capitalize() for p in name[len("k8smig_"):].split("_"))


def clean_doc(text):
    lines = [re.sub(r"^\s*\* ?", "", ln).rstrip() for ln in text.strip("*\n ").splitlines()]
    summary, params = [], {}
    for ln in lines:
        m = re.match(r"@param (\w+) (.*)", ln)
        if m:
            params[m.group(1)] = m.group(2)
            last = m.group(1)
        elif ln.startswith("@"):
            last = None
        elif params and last and ln.startswith(" "):
            params[last] += " " + ln.strip()
        elif not params:
            summary.append(ln)
    return " ".join(s.strip() for s in summary if s.strip()), params


def parse(include):
    funcs, enums, structs = [], {}, {}
    for h in HEADERS:
        text = open(os.path.join(include, "k8smig", h + ".h")).read()
        for m in ENUM.finditer(text):
            enums[m.group(1)] = ENUM_ITEM.findall(m.group(2))
        for m in STRUCT.finditer(text):
            fields = []
            for ln in m.group(2).splitlines():
                f = re.match(r"\s*(.*?)\s*\b(\w+);\s*(?:/\*\*<\s*(.*?)\s*\*/)?", ln)
                if f and f.group(2) != "version":
                    fields.append((f.group(2), f.group(1), f.group(3) or ""))
            structs[m.group(1)] = fields
        for m in DECL.finditer(text):
            doc, ret, name, params = m.groups()
            if name.endswith("_options_init"):
                continue
            summary, pdoc = clean_doc(doc)
            plist = []
            for p in re.sub(r"\s+", " ", params).split(","):
                p = p.strip()
                pm = re.match(r"(.*?)\s*(\w+)$", p)
                plist.append((pm.group(1).replace(" *", "*").strip(), pm.group(2)))
            funcs.append((h, name, ret, summary, plist, pdoc))
    return funcs, enums, structs


def py_type(ctype, enums):
    t = ctype.replace("const ", "").strip()
    if t == "char*":
        return "str"
    if t == "char**" or "char* const*" in ctype or ctype.endswith("const*") and "char" in ctype:
        return "Sequence[str]"
    if t in ("int32_t", "int64_t", "size_t", "unsigned int", "int"):
        return "int"
    if t == "bool":
        return "bool"
    if t in enums:
        return f"{camel(t)} | str | int"
    if t == "void*":
        return "bytes | str"
    raise SystemExit(f"gen_builders: no Python type for C type {ctype!r}")


def wrap_doc(text, indent):
    words, lines, cur = text.split(), [], ""
    for w in words:
        if len(cur) + len(w) + 1 > 92 - indent:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return lines


def emit_func(fn, enums, structs, method):
    h, name, ret, summary, plist, pdoc = fn
    plist = list(plist)
    returns_index = returns_object = False
    if plist and plist[0] == ("k8smig_object**", "out"):
        returns_object = True
        plist = plist[1:]
    if plist and plist[0] == ("size_t*", "index_out"):
        returns_index = True
        plist = plist[1:]
    if method:
        plist = plist[1:]  # the object itself
    sig, call, conv, options = [], [], [], None
    params = []
    for ctype, pname in plist:
        if pname == "len" and any(p[1] == "data" for p in plist):
            continue
        struct = re.match(r"const (k8smig_\w+_options)\*", ctype)
        if struct:
            options = struct.group(1)
            call.append("_opts")
            continue
        doc = pdoc.get(pname, "")
        params.append((ctype, pname, "NULL" in doc or "(optional)" in doc))
        call.append("namespace" if pname == "ns" else pname)
    # C order kept; optional parameters default to None only after the last required one
    last_required = max([i for i, p in enumerate(params) if not p[2]], default=-1)
    for i, (ctype, pname, optional) in enumerate(params):
        pyname = "namespace" if pname == "ns" else pname
        ptype = py_type(ctype, enums)
        if optional:
            sig.append(f"{pyname}: {ptype} | None" + (" = None" if i > last_required else ""))
        else:
            sig.append(f"{pyname}: {ptype}")
        t = ctype.replace("const ", "").strip()
        if t in enums:
            conv.append(f"{pyname} = {camel(t)}.of({pyname})" if not optional else
                        f"{pyname} = None if {pyname} is None else {camel(t)}.of({pyname})")
    if options:
        sig.append("**options: Any")
    pyname = name[len("k8smig_"):]
    if returns_object:
        pyname = pyname[: -len("_new")]
        if pyname in PRIVATE_NEW:
            pyname = "_" + pyname
    ind = "    " if method else ""
    args = ", ".join((["self"] if method else []) + sig)
    rtype = "int" if returns_index else ("Object" if returns_object else "_O")
    selft = "self: _O" if method else ""
    if method:
        args = args.replace("self", selft, 1)
    out = [f"{ind}def {pyname}({args}) -> {rtype}:"]
    doc = wrap_doc(summary, len(ind) + 4)
    pdocs = []
    for ctype, pname in plist:
        if pname in pdoc and not (ctype.startswith("const k8smig_") and ctype.endswith("_options*")):
            pdocs.append(f"{'namespace' if pname == 'ns' else pname}: {pdoc[pname]}")
    if options:
        pdocs.append(f"options: fields of {options}: " + "; ".join(
            f"{f} ({d})" if d else f for f, _t, d in structs[options]))
    body = [f'{ind}    """{doc[0] if doc else name}']
    for ln in doc[1:]:
        body.append(f"{ind}    {ln}")
    if pdocs:
        body.append("")
        for p in pdocs:
            wl = wrap_doc(p, len(ind) + 8)
            body.append(f"{ind}    {wl[0]}")
            body.extend(f"{ind}        {w}" for w in wl[1:])
    body.append("")
    body.append(f"{ind}    C: {name}()." + ('"""'))
    out.extend(body)
    for c in conv:
        out.append(f"{ind}    {c}")
    if options:
        out.append(f"{ind}    _opts = _options(_c.{options}, options, {name!r})")
    target = ["self._h"] if method else []
    cargs = ", ".join(target + call)
    if method:
        out.append(f"{ind}    self._changed()")
    # the raw SWIG function, its argument errors translated here (one frame less than _c)
    out.append(f"{ind}    try:")
    if returns_object:
        out.append(f"{ind}        return Object(_handle=_capi.{name}({cargs}))")
    elif returns_index:
        out.append(f"{ind}        return int(_capi.{name}({cargs}))")
    else:
        out.append(f"{ind}        _capi.{name}({cargs})")
    out.append(f"{ind}    except (TypeError, OverflowError) as e:")
    out.append(f"{ind}        raise _swig_error(e) from None")
    if not (returns_object or returns_index):
        out.append(f"{ind}    return self")
    return pyname, "\n".join(out)


def generate(include):
    funcs, enums, structs = parse(include)
    methods, functions = [], []
    for fn in funcs:
        plist = fn[4]
        if plist and plist[0] == ("k8smig_object**", "out"):
            functions.append(emit_func(fn, enums, structs, False)[1])
        else:
            methods.append(emit_func(fn, enums, structs, True)[1])
    enum_src, names = [], []
    for fn in funcs:
        if fn[4] and fn[4][0] == ("k8smig_object**", "out"):
            n = fn[1][len("k8smig_"):-len("_new")]
            if n not in PRIVATE_NEW:
                names.append(n)
    for ename, items in enums.items():
        names.append(camel(ename))
        prefix = os.path.commonprefix([i[0] for i in items])
        prefix = prefix[: prefix.rfind("_") + 1]
        enum_src.append(f"class {camel(ename)}(_CEnum):\n    \"\"\"C {ename}.\"\"\"\n" + "\n".join(
            f"    {n[len(prefix):]} = {v}" for n, v in items))
    m = "\n\n".join(methods)
    all_src = "__all__ += [\n" + "".join(f"    {n!r},\n" for n in sorted(names)) + "]"
    f = "\n\n\n".join(enum_src + functions + [all_src])
    return (f"{BEGIN_M}\n\nclass _BuilderMethods:\n    \"\"\"The typed builders that change an object (mixed into Object).\"\"\"\n\n"
            f"    __slots__ = ()\n    _h: Any\n\n    def _changed(self) -> None:\n        raise NotImplementedError\n\n"
            + m.replace("\n\n    def", "\n\n    def") + f"\n\n\n{END_M}",
            f"{BEGIN_F}\n\n{f}\n\n\n{END_F}")


def replace_region(text, begin, end, new):
    a, b = text.index(begin), text.index(end) + len(end)
    return text[:a] + new + text[b:]


def main():
    include, init = sys.argv[1], sys.argv[2]
    methods, functions = generate(include)
    old = open(init).read()
    new = replace_region(replace_region(old, BEGIN_M, END_M, methods), BEGIN_F, END_F, functions)
    if "--check" in sys.argv:
        if new != old:
            sys.exit(f"{init} is out of date with {include}: run bindings/python/gen_builders.py {include} {init}")
        return
    if new != old:
        open(init, "w").write(new)


if __name__ == "__main__":
    main()
