"""`k8smig generate` against hostile output trees and failing file systems (issue 15).

Symbolic links planted in the output tree must not let generate write outside it; a full
file system (a small tmpfs) or a read-only one must leave the old tree byte for byte. The
file-system tests mount a tmpfs, so they need root (CI runs as root); without it they are
reported as skipped, never passed.
"""
import hashlib
import os
import pathlib
import subprocess
import tempfile
import time

import pytest

HERE = pathlib.Path(__file__).resolve().parent
TWO = HERE / "two-services.yaml"


def k8smig():
    path = os.environ.get("K8SMIG_BIN")
    if not path:
        raise RuntimeError("K8SMIG_BIN is not set (meson test sets it)")
    return path


def run(*args, spec=TWO, cwd=None):
    return subprocess.run([k8smig(), "generate", "--spec", str(spec), *args], capture_output=True, text=True,
                          check=False, timeout=60, cwd=cwd)


def digest(root):
    """Every entry under root (links not followed): file hashes, link targets, directories."""
    out = {}
    for d, dirs, files in os.walk(root):
        for n in dirs + files:
            p = os.path.join(d, n)
            rel = os.path.relpath(p, root)
            if os.path.islink(p):
                out[rel] = "link:" + os.readlink(p)
            elif os.path.isdir(p):
                out[rel] = "dir"
            elif not os.path.isfile(p):
                out[rel] = "special"  # a FIFO: never opened (that would block)
            else:
                out[rel] = hashlib.sha256(open(p, "rb").read()).hexdigest()
    return out


def changed_spec(tmp_path):
    """The two-services spec with a new image tag: an update that rewrites several files."""
    s = tmp_path / "changed.yaml"
    s.write_text(TWO.read_text().replace('tag: "2.4.1"', 'tag: "2.5.0"'))
    assert s.read_text() != TWO.read_text()
    return s


@pytest.mark.parametrize("link,target_is_dir", [
    ("k8s/base", True),
    ("k8s/services", True),
    ("k8s/overlays/prod/kustomization.yaml", False),
    ("aws", True),
])
def test_planted_symlink_is_refused_and_nothing_outside_changes(tmp_path, link, target_is_dir):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    r = run("-o", str(out))
    assert r.returncode == 0, r.stderr
    elsewhere.mkdir()
    victim = elsewhere / "victim.txt"
    victim.write_text("precious\n")
    planted = out / link
    # replace the directory or file by a link to elsewhere (or to a file there)
    subprocess.run(["rm", "-rf", str(planted)], check=True)
    target = elsewhere if target_is_dir else victim
    os.symlink(os.path.relpath(target, planted.parent), planted)
    before_out, before_else = digest(out), digest(elsewhere)
    for spec in (TWO, changed_spec(tmp_path)):
        r = run("-o", str(out), spec=spec)
        assert r.returncode == 1, r.stdout
        assert f"{out / link}: is a symbolic link" in r.stderr, r.stderr
        assert digest(elsewhere) == before_else, "generate wrote through the link"
        assert digest(out) == before_out
    assert victim.read_text() == "precious\n"
    # --check refuses it too (it would read through the link)
    r = run("-o", str(out), "--check")
    assert r.returncode == 1 and "symbolic link" in r.stderr


@pytest.mark.parametrize("out_arg,refused_at", [
    ("k8s", "k8s"),               # the output directory itself, relative
    ("k8s/", "k8s"),              # a trailing slash must not follow it
    ("deploy/k8s", "deploy"),     # a component of a relative path (in the checkout)
    ("ABS/k8s", "ABS/k8s"),       # the output directory itself, absolute
])
def test_a_link_at_the_output_directory_is_refused(tmp_path, out_arg, refused_at):
    """A checkout can plant a link where CI's `generate -o DIR` writes: at DIR itself or, for
    a relative DIR, at any component of it. Refused before anything is written, --check too."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "victim.txt").write_text("precious\n")
    if out_arg.startswith("deploy/"):
        os.symlink("elsewhere", tmp_path / "deploy")
    else:
        os.symlink("elsewhere", tmp_path / "k8s")
    out_arg = out_arg.replace("ABS", str(tmp_path))
    refused_at = refused_at.replace("ABS", str(tmp_path))
    before = digest(elsewhere)
    for extra in ((), ("--check",)):
        r = run("-o", out_arg, *extra, cwd=tmp_path)
        assert r.returncode == 1, r.stdout
        assert f"{refused_at}: is a symbolic link" in r.stderr, r.stderr
        assert digest(elsewhere) == before, "generate wrote through the link"


def test_a_link_above_an_absolute_output_directory_is_followed(tmp_path):
    """An absolute DIR is the caller's choice: links above its last component (/tmp on some
    systems) are followed, and the tree lands in the link's target."""
    (tmp_path / "real").mkdir()
    os.symlink("real", tmp_path / "via")
    r = run("-o", str(tmp_path / "via" / "out"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "real" / "out" / "k8s" / "base" / "kustomization.yaml").is_file()


def generated_entries():
    """Every file and directory of the two-services tree (relative paths), generated once."""
    with tempfile.TemporaryDirectory() as d:
        r = run("-o", os.path.join(d, "out"))
        assert r.returncode == 0, r.stderr
        return sorted(digest(os.path.join(d, "out")).items())


ENTRIES = generated_entries()


def test_the_tree_is_what_the_planting_tests_cover():
    kinds = [k for _, k in ENTRIES]
    assert kinds.count("dir") >= 10 and len(kinds) - kinds.count("dir") >= 35, ENTRIES


@pytest.mark.parametrize("rel,kind", ENTRIES, ids=[rel for rel, _ in ENTRIES])
def test_a_link_planted_at_any_entry_is_refused(tmp_path, rel, kind):
    """Every directory of the tree replaced by a link to a directory elsewhere, every file by a
    dangling link to a file elsewhere (following it would create that file): refused before
    anything is written, by a same-spec run, an update and --check alike."""
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    assert run("-o", str(out)).returncode == 0
    elsewhere.mkdir()
    (elsewhere / "victim.txt").write_text("precious\n")
    planted = out / rel
    subprocess.run(["rm", "-rf", str(planted)], check=True)
    target = elsewhere if kind == "dir" else elsewhere / "new-file.yaml"
    os.symlink(os.path.relpath(target, planted.parent), planted)
    before_out, before_else = digest(out), digest(elsewhere)
    for args in (("-o", str(out)), ("-o", str(out), "--check")):
        for spec in (TWO, changed_spec(tmp_path)):
            r = run(*args, spec=spec)
            assert r.returncode == 1, r.stdout
            assert f"{planted}: is a symbolic link" in r.stderr, r.stderr
            assert digest(elsewhere) == before_else, "generate wrote through the link"
            assert digest(out) == before_out


@pytest.mark.parametrize("what", ["fifo", "dir-for-file", "file-for-dir"])
def test_a_fifo_or_wrong_kind_of_entry_is_refused(tmp_path, what):
    """A FIFO where a file goes blocked generate's comparison read forever; a directory where a
    file goes failed the rename after other files were replaced (half an update)."""
    out = tmp_path / "out"
    assert run("-o", str(out)).returncode == 0
    if what == "fifo":
        planted = out / "k8s/base/kustomization.yaml"
        planted.unlink()
        os.mkfifo(planted)
        msg = "is not a regular file"
    elif what == "dir-for-file":
        planted = out / "k8s/overlays/prod/kustomization.yaml"  # the file the changed spec rewrites
        planted.unlink()
        planted.mkdir()
        (planted / "x").write_text("x\n")
        msg = "is not a regular file"
    else:
        planted = out / "k8s/services"
        subprocess.run(["rm", "-rf", str(planted)], check=True)
        planted.write_text("x\n")
        msg = "is not a directory"
    before = digest(out)
    for spec in (TWO, changed_spec(tmp_path)):
        t0 = time.monotonic()
        r = run("-o", str(out), spec=spec)
        assert time.monotonic() - t0 < 10
        assert r.returncode == 1, r.stdout
        assert f"{planted}: {msg}" in r.stderr, r.stderr
        assert digest(out) == before


@pytest.fixture
def small_fs():
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mnt = tempfile.mkdtemp(prefix="k8smig-fs-")
    mounted = []

    def mount(size):
        if mounted:
            subprocess.run(["umount", mnt], check=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", mnt], check=True)
        mounted[:] = [True]
        return pathlib.Path(mnt)

    yield mount
    if mounted:
        subprocess.run(["umount", mnt], check=False)
    os.rmdir(mnt)


def test_new_tree_on_a_full_filesystem_leaves_nothing(small_fs):
    fs = small_fs("64k")
    out = fs / "out"
    r = run("-o", str(out))
    assert r.returncode == 1
    assert "No space left on device" in r.stderr, r.stderr
    assert os.listdir(fs) == [], "a temporary directory or half a tree was left behind"


def fill(fs):
    """Fill the file system to the last block."""
    fd = os.open(fs / "filler", os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)


def test_update_on_a_full_filesystem_keeps_the_old_tree(small_fs, tmp_path):
    fs = small_fs("1m")
    out = fs / "out"
    r = run("-o", str(out))
    assert r.returncode == 0, r.stderr
    before = digest(out)
    fill(fs)
    r = run("-o", str(out), spec=changed_spec(tmp_path))
    assert r.returncode == 1
    assert "No space left on device" in r.stderr, r.stderr
    assert digest(out) == before, "the old tree changed"
    assert sorted(os.listdir(fs)) == ["filler", "out"]
    # room again: the update goes through
    os.unlink(fs / "filler")
    r = run("-o", str(out), spec=changed_spec(tmp_path))
    assert r.returncode == 0, r.stderr
    assert digest(out) != before


def test_update_on_a_read_only_filesystem_keeps_the_old_tree(small_fs, tmp_path):
    fs = small_fs("1m")
    out = fs / "out"
    r = run("-o", str(out))
    assert r.returncode == 0, r.stderr
    before = digest(out)
    subprocess.run(["mount", "-o", "remount,ro", str(fs)], check=True)
    r = run("-o", str(out), spec=changed_spec(tmp_path))
    assert r.returncode == 1
    assert "Read-only file system" in r.stderr, r.stderr
    assert digest(out) == before
    # and a new tree there
    r = run("-o", str(fs / "new"))
    assert r.returncode == 1 and "Read-only file system" in r.stderr
    assert sorted(os.listdir(fs)) == ["out"]


def three_services_spec(tmp_path):
    """The two-services spec with a third service (a copy of worker named extra): an update that
    rewrites 13 files and creates 4, one of them in a new directory (k8s/services/extra)."""
    text = TWO.read_text()
    start = text.index("  - name: worker")
    end = start + 1
    while end < len(text) and not (text[end - 1] == "\n" and text[end].isalpha()):
        end += 1
    worker = text[start:end]
    s = tmp_path / "three.yaml"
    s.write_text(text[:end] + worker.replace("  - name: worker", "  - name: extra", 1) + text[end:])
    return s


def used(fs):
    st = os.statvfs(fs)
    return st.f_files - st.f_ffree, (st.f_blocks - st.f_bfree) * st.f_frsize


@pytest.mark.parametrize("limit", ["inodes", "bytes"])
def test_an_update_cut_short_at_every_point_keeps_the_old_tree(small_fs, tmp_path, limit):
    """A file system that runs out of inodes (or blocks) after 0, 1, 2, ... more of them: the
    update fails wherever that falls - a temporary directory, a file in it, its data - and leaves
    the old tree byte for byte, or, once there is room, goes through whole. Never half."""
    three = three_services_spec(tmp_path)
    ref = tmp_path / "ref"
    assert run("-o", str(ref)).returncode == 0
    old = digest(ref)
    r = run("-o", str(ref), spec=three)
    new = digest(ref)
    # an update that creates files and rewrites others (counted on disk, not taken from our summary)
    files = lambda t: {k: v for k, v in t.items() if not v.startswith("dir")}
    created = len(files(new).keys() - files(old).keys())
    updated = sum(1 for k, v in files(new).items() if k in old and old[k] != v)
    assert r.returncode == 0 and created >= 2 and updated >= 5, r.stderr
    assert f"{created} created, {updated} updated" in r.stderr, r.stderr
    fs = small_fs("4m")
    assert run("-o", str(fs / "out")).returncode == 0
    inodes, size = used(fs)
    outcomes = []
    for extra in range(0, 40):
        if limit == "inodes":
            fs = small_fs(f"4m,nr_inodes={inodes + extra}")  # the root of the mount counts too
        else:
            fs = small_fs(f"{size + 4096 * (extra + 1)}")  # tmpfs rounds to whole pages
        r = run("-o", str(fs / "out"))
        if r.returncode != 0:
            assert limit == "bytes" and extra < 2, r.stderr  # the first tree itself needs a little room
            continue
        assert digest(fs / "out") == old
        r = run("-o", str(fs / "out"), spec=three)
        if r.returncode == 0:
            assert digest(fs / "out") == new, f"{limit} +{extra}: the update went through, but not whole"
            outcomes.append("updated")
        else:
            assert "No space left on device" in r.stderr, r.stderr
            assert digest(fs / "out") == old, f"{limit} +{extra}: half an update: {r.stderr}"
            outcomes.append("kept")
        assert [n for n in os.listdir(fs / "out") if n.startswith(".k8smig")] == []
    # the sweep crossed from failing updates to one that fits
    print(f"# {limit}: {outcomes.count('kept')} updates cut short kept the old tree, then "
          f"{outcomes.count('updated')} went through whole")
    assert outcomes.count("kept") >= 10 and "updated" in outcomes, outcomes
