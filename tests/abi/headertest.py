#!/usr/bin/env python3
"""Every public header compiles alone as strict C99 and as C++."""
import pathlib
import subprocess
import sys
import tempfile

src_include, build_include, cc, cxx = sys.argv[1:5]
headers = ["k8smig.h"] + sorted(f"k8smig/{p.name}" for p in pathlib.Path(src_include, "k8smig").glob("*.h"))
headers.append("k8smig/version.h")
headers += sorted(f"k8smig/sys/{p.name}" for p in pathlib.Path(src_include, "k8smig", "sys").glob("*.h"))
passed = failed = 0
with tempfile.TemporaryDirectory() as d:
    for h in headers:
        for compiler, flags, ext in ((cc, ["-std=c99", "-pedantic", "-Werror", "-Wall", "-Wextra"], "c"),
                                     (cxx, ["-std=c++11", "-pedantic", "-Werror", "-Wall", "-Wextra"], "cpp")):
            f = pathlib.Path(d, f"t.{ext}")
            f.write_text(f"#include <{h}>\nint main(void) {{ return 0; }}\n")
            r = subprocess.run([compiler, *flags, "-I", build_include, "-I", src_include, "-fsyntax-only", str(f)],
                               capture_output=True, text=True)
            if r.returncode:
                print(f"FAIL {h} ({ext}):\n{r.stderr}")
                failed += 1
            else:
                passed += 1
    # object.h's setter macros, expanded with a literal and a variable path
    use = ("#include <k8smig.h>\n"
           "int f(k8smig_object *o, const char *p);\n"
           "int f(k8smig_object *o, const char *p) {\n"
           "  return k8smig_object_set_str(o, \"a.b\", \"x\") | k8smig_object_set_str(o, p, \"y\") |\n"
           "         k8smig_object_set_strn(o, \"e\", \"zz\", 1) | k8smig_object_set_int(o, p, 1) |\n"
           "         k8smig_object_set_bool(o, \"d\", 1) | (k8smig_object_set_str)(o, \"a.b\", \"x\") |\n"
           "         k8smig_object_set_str(o, \"a.c\", NULL) | k8smig_object_set_str(o, \"a.d\", 0) |\n"
           "         k8smig_object_set_str(o, \"a.e\", p) | k8smig_object_set_str(o, NULL, \"z\") |\n"
           "         k8smig_object_set_int(o, 0, 1);\n"
           "}\n")
    for compiler, flags, ext in ((cc, ["-std=c99", "-pedantic", "-Werror", "-Wall", "-Wextra"], "c"),
                                 (cxx, ["-std=c++11", "-pedantic", "-Werror", "-Wall", "-Wextra"], "cpp")):
        f = pathlib.Path(d, f"use.{ext}")
        f.write_text(use)
        r = subprocess.run([compiler, *flags, "-O2", "-I", build_include, "-I", src_include, "-c", "-o",
                            str(pathlib.Path(d, "use.o")), str(f)], capture_output=True, text=True)
        if r.returncode:
            print(f"FAIL setter macros ({ext}):\n{r.stderr}")
            failed += 1
        else:
            passed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
