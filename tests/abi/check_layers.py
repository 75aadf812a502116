"""The library's layers call only down (docs/architecture.md): every symbol an object file of
lib/<layer>/ uses from another object file must be defined in a layer it may depend on.

    check_layers.py path/to/libk8smig-internal.a

Read from the compiled objects (nm), so a call through a public header counts as much as an
#include of an internal one.
"""
import collections
import subprocess
import sys

ALLOWED = {
    'core': set(),
    'model': {'core'},
    'serialize': {'core', 'model'},
    'render': {'core', 'model', 'serialize'},
    'migrate': {'core', 'model', 'serialize'},
    'client': {'core', 'model', 'serialize'},
}
GENERATED = {'default_spec.c.o': 'migrate'}  # the bundled spec, compiled in


def layer_of(member):
    for name, layer in GENERATED.items():
        if member.endswith('_' + name):
            return layer
    layer = member.split('_', 1)[0]
    assert layer in ALLOWED, f'{member}: not in a known layer (lib/<layer>/); add it to ALLOWED'
    return layer


def main(archive):
    out = subprocess.run(['nm', '-A', archive], capture_output=True, text=True, check=True).stdout
    defined, used = {}, collections.defaultdict(set)
    for line in out.splitlines():
        where, _, rest = line.rpartition(':')
        member = where.rsplit(':', 1)[-1].rsplit('/', 1)[-1]
        parts = rest.split()
        if len(parts) == 3 and parts[1] in 'TDBRV':
            defined[parts[2]] = layer_of(member)
        elif len(parts) == 2 and parts[0] == 'U':
            used[(layer_of(member), member)].add(parts[1])
    assert defined, f'no symbols read from {archive}'
    bad = []
    for (layer, member), syms in sorted(used.items()):
        for s in sorted(syms):
            owner = defined.get(s)
            if owner and owner != layer and owner not in ALLOWED[layer]:
                bad.append(f'{layer}/{member[:-2]} uses {s} from {owner}')
    for b in bad:
        print(b)
    print(f'{len(used)} objects checked, {len(bad)} calls against the layering')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
