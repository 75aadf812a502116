"""Run valgrind_workload.py under valgrind (PYTHONMALLOC=malloc) and fail on any
memcheck error or definite leak whose stack passes through our code (the library or
the SWIG glue). The interpreter's own reports (its GC reads uninitialised words in a
build without valgrind support) and SWIG's runtime teardown are not ours.

    check_valgrind.py PYTHONPATH
"""
import os
import re
import shutil
import subprocess
import sys

OURS = re.compile(r"k8smig|_wrap\.c|libk8smig")
NOT_OURS = ("SWIG_Python_DestroyModule",)


def main():
    if not shutil.which("valgrind"):
        sys.exit("valgrind not found (scripts/setup.sh installs it)")
    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ, PYTHONMALLOC="malloc", PYTHONPATH=sys.argv[1])
    p = subprocess.run(["valgrind", "--leak-check=full", "--show-leak-kinds=definite", "--num-callers=30",
                        sys.executable, os.path.join(here, "valgrind_workload.py")],
                       capture_output=True, text=True, env=env, timeout=600)
    if p.returncode != 0 or "done" not in p.stdout:
        sys.exit(f"workload failed ({p.returncode}):\n{p.stdout}\n{p.stderr[-3000:]}")
    blocks = re.split(r"\n==\d+== \n", p.stderr)
    ours = [b for b in blocks
            if re.search(r"(Invalid|uninitialised|definitely lost|Mismatched|overlap)", b)
            and OURS.search(b) and not any(n in b for n in NOT_OURS)]
    if ours:
        sys.exit("valgrind reports in our code:\n" + "\n\n".join(ours[:5]))
    print(f"ok: no valgrind report in our code ({len(blocks)} blocks checked)")


if __name__ == "__main__":
    main()
