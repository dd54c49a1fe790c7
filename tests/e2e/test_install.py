"""Issue 19 item 1: `make install` and `make uninstall` into a DESTDIR.

Installs with PREFIX=/usr/local and PREFIX=/usr and compares the tree
with the list of what must be there, file by file; a second install keeps
a config the admin edited (this version's goes beside it as
kentongan.ini.example); `make uninstall` leaves the config and the
database and removes everything else. The installed unit passes
`systemd-analyze verify` and `systemd-analyze security --offline=true`
rates it 3.0 or lower (the figure is printed)."""

import filecmp
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from systemd_unit import exposure, verify  # noqa: E402
from harness import ROOT, Suite, check, check_eq  # noqa: E402

with open(os.path.join(ROOT, "VERSION")) as _f:
    VERSION = _f.read().strip()


def make(*args):
    # not the calling make's jobserver or flags: this is a make of its own
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
    r = subprocess.run(["make", "-C", ROOT, "--no-print-directory"] + list(args),
                       env=env, capture_output=True, text=True)
    check_eq(r.returncode, 0, "make %s: %s%s" % (" ".join(args), r.stdout[-2000:],
                                                   r.stderr[-2000:]))
    return r.stdout


def tree(dest):
    """Every file under dest, as absolute paths of the target system."""
    out = set()
    for d, _, files in os.walk(dest):
        for f in files:
            out.add("/" + os.path.relpath(os.path.join(d, f), dest))
    return out


def expected(prefix, unitdir):
    doc = prefix + "/share/doc/kentongan"
    files = {prefix + "/bin/kentongan", unitdir + "/kentongan.service",
             prefix + "/share/man/man1/kentongan.1", doc + "/README.md",
             "/etc/kentongan/kentongan.ini"}
    for f in os.listdir(os.path.join(ROOT, "docs")):
        if f.endswith(".md"):
            files.add("%s/docs/%s" % (doc, f))
    for f in os.listdir(os.path.join(ROOT, "docs", "img")):
        files.add("%s/docs/img/%s" % (doc, f))
    for f in ("wilayah-desa.csv.gz", "LICENSE"):
        files.add(prefix + "/share/kentongan/villages/" + f)
    return files


def source_of(path, prefix):
    """The file of the tree that `path` was installed from, or None."""
    doc = prefix + "/share/doc/kentongan/"
    villages = prefix + "/share/kentongan/villages/"
    if path == prefix + "/bin/kentongan":
        return os.path.join(ROOT, "build", "installed", "kentongan")
    if path.endswith("/man1/kentongan.1"):
        return os.path.join(ROOT, "man", "kentongan.1")
    if path.startswith(doc):
        return os.path.join(ROOT, path[len(doc):])
    if path.startswith(villages):
        return os.path.join(ROOT, "data", "villages", path[len(villages):])
    if path == "/etc/kentongan/kentongan.ini":
        return os.path.join(ROOT, "config", "production.ini")
    return None


def unit_text(bindir, docdir):
    with open(os.path.join(ROOT, "config", "kentongan.service.in")) as f:
        lines = f.read().splitlines(True)
    return "".join(l if l.startswith("#") else
                   l.replace("@BINDIR@", bindir).replace("@SYSCONFDIR@", "/etc")
                   .replace("@DOCDIR@", docdir) for l in lines)


def run_installed(dest, prefix, *args):
    return subprocess.run([dest + prefix + "/bin/kentongan"] + list(args),
                          capture_output=True, text=True)


def check_install(dest, prefix, unitdir):
    got = tree(dest)
    want = expected(prefix, unitdir)
    check_eq(sorted(got - want), [], "installed but not expected")
    check_eq(sorted(want - got), [], "expected but not installed")
    for path in sorted(got):
        src = source_of(path, prefix)
        if src is not None:
            check(filecmp.cmp(src, dest + path, shallow=False), "%s differs from %s" % (path, src))
    # the installed binary reads the installed config without -c; the
    # clone's ./kentongan still reads the clone's
    r = run_installed(dest, prefix, "--help")
    check("(default /etc/kentongan/kentongan.ini)" in r.stdout, r.stdout[-300:])
    r = subprocess.run([os.path.join(ROOT, "kentongan"), "--help"], capture_output=True, text=True)
    check("(default config/kentongan.ini)" in r.stdout, "./kentongan: " + r.stdout[-300:])
    unit = dest + unitdir + "/kentongan.service"
    with open(unit) as f:
        check_eq(f.read(), unit_text(prefix + "/bin", prefix + "/share/doc/kentongan"),
                 "the unit with the paths filled in")
    for path in got:
        mode = stat.S_IMODE(os.stat(dest + path).st_mode)
        check_eq(mode, 0o755 if path.endswith("/bin/kentongan") else 0o644, path)
    st = os.stat(dest + "/var/lib/kentongan")
    check(stat.S_ISDIR(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o750,
          "/var/lib/kentongan, 0750: %o" % st.st_mode)
    for args in (["--version"], ["version"]):
        r = run_installed(dest, prefix, *args)
        check_eq((r.returncode, r.stdout), (0, "kentongan %s\n" % VERSION), " ".join(args))
    # the production config as installed: only a modem that is not there
    # (check-config does not look for the device) keeps it from running
    r = run_installed(dest, prefix, "check-config", "-c", dest + "/etc/kentongan/kentongan.ini")
    check_eq((r.returncode, r.stdout.strip()), (0, "configuration OK"), "check-config: " + r.stderr)


def install_cycle(prefix, unitdir):
    dest = tempfile.mkdtemp(prefix="kentongan-install-")
    try:
        make("install", "DESTDIR=" + dest, "PREFIX=" + prefix)
        check_install(dest, prefix, unitdir)
        conf = dest + "/etc/kentongan/kentongan.ini"
        with open(conf, "a") as f:
            f.write("; edited by the office\n")
        with open(conf) as f:
            edited = f.read()
        out = make("install", "DESTDIR=" + dest, "PREFIX=" + prefix)
        check("kept %s" % conf in out, "the second install says it kept the config: " + out)
        with open(conf) as f:
            check_eq(f.read(), edited, "the edited config after a second install")
        check(filecmp.cmp(conf + ".example", os.path.join(ROOT, "config", "production.ini"),
                          shallow=False), "this version's config beside it")
        db = dest + "/var/lib/kentongan/kentongan.db"
        con = sqlite3.connect(db)
        con.execute("CREATE TABLE t (x)")
        con.commit()
        con.close()
        make("uninstall", "DESTDIR=" + dest, "PREFIX=" + prefix)
        check_eq(sorted(tree(dest)), sorted(["/etc/kentongan/kentongan.ini",
                                             "/var/lib/kentongan/kentongan.db"]),
                 "what uninstall leaves")
        with open(conf) as f:
            check_eq(f.read(), edited, "the config after uninstall")
        check(not os.path.exists(dest + prefix + "/share/doc/kentongan"), "the docs' folder is gone")
    finally:
        shutil.rmtree(dest, ignore_errors=True)


def test_install_usr_local():
    install_cycle("/usr/local", "/usr/local/lib/systemd/system")


def test_install_usr():
    install_cycle("/usr", "/usr/lib/systemd/system")


def test_installed_unit_verified_and_exposure():
    if shutil.which("systemd-analyze") is None:
        raise AssertionError("systemd-analyze missing: make test-deps installs systemd")
    dest = tempfile.mkdtemp(prefix="kentongan-unit-")
    try:
        make("install", "DESTDIR=" + dest, "PREFIX=/usr/local")
        unit = dest + "/usr/local/lib/systemd/system/kentongan.service"
        # verify looks for ExecStart's binary on this machine: the copy
        # checked reads it under DESTDIR, and is otherwise the installed unit
        checked = os.path.join(dest, "kentongan.service")
        with open(unit) as f:
            text = f.read()
        check("ExecStart=/usr/local/bin/kentongan run -c /etc/kentongan/kentongan.ini\n" in text,
              "ExecStart as installed")
        with open(checked, "w") as f:
            f.write(text.replace("ExecStart=/usr/local/bin/", "ExecStart=%s/usr/local/bin/" % dest))
        verify(checked)
        e = exposure(unit)
        print("installed unit: systemd-analyze security --offline: exposure %.1f" % e)
        check(e <= 3.0, "exposure %.1f above 3.0" % e)
    finally:
        shutil.rmtree(dest, ignore_errors=True)


def main():
    s = Suite("e2e-install")
    for t in (test_install_usr_local, test_install_usr, test_installed_unit_verified_and_exposure):
        s.run(t)
    s.finish()


if __name__ == "__main__":
    main()
