# The SWIG module (generated from k8smig.i): untyped, reached only through k8smig's
# typed layer. Every attribute is Any to a type checker.
from typing import Any

def __getattr__(name: str) -> Any: ...
