#!/usr/bin/env python3
"""Turn lib/migrate/default_spec.yaml into a C source (k8smig__default_spec), at build time."""
import sys

src, dst = sys.argv[1], sys.argv[2]
data = open(src, "rb").read()
lines = [", ".join(str(b) for b in data[i:i + 20]) for i in range(0, len(data), 20)]
with open(dst, "w") as f:
    f.write("/* Generated from lib/migrate/default_spec.yaml by embed_spec.py. Do not edit. */\n")
    f.write("#include <stddef.h>\n\n")
    f.write("extern const char k8smig__default_spec[];\nextern const size_t k8smig__default_spec_len;\n\n")
    f.write("const char k8smig__default_spec[] = {\n\t" + ",\n\t".join(lines) + ", 0\n};\n")
    f.write(f"const size_t k8smig__default_spec_len = {len(data)};\n")
