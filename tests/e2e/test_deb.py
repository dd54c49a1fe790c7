"""Issue 19 item 4: `make deb` builds build/deb/kentongan_VERSION_ARCH.deb
with Debian's tools, outside the source tree, and lintian finds no error
in it (its warnings are printed). The package as dpkg-deb shows it: the
version of VERSION, dependencies computed from the shared libraries, the
config a conffile, the maintainer scripts that make the user, the first
database and the enabled unit, and no state folder of dpkg's.
(tests/fresh/run.sh installs it on a minimal Debian 12.)"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import ROOT, Suite, check, check_eq  # noqa: E402

with open(os.path.join(ROOT, "VERSION")) as _f:
    VERSION = _f.read().strip()


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def deb_path():
    arch = run(["dpkg", "--print-architecture"]).stdout.strip()
    return os.path.join(ROOT, "build", "deb", "kentongan_%s_%s.deb" % (VERSION, arch))


def git_status():
    return run(["git", "-C", ROOT, "status", "--porcelain", "--ignored=no"]).stdout


def test_make_deb_and_lintian():
    before = git_status()
    # not the calling make's jobserver or flags: this is a make of its own
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
    r = run(["make", "-C", ROOT, "--no-print-directory", "deb"], env=env)
    check_eq(r.returncode, 0, "make deb: " + r.stdout[-3000:] + r.stderr[-2000:])
    check(os.path.isfile(deb_path()), "no " + deb_path())
    check_eq(git_status(), before, "make deb wrote in the source tree")
    check(not os.path.exists(os.path.join(ROOT, "debian", "kentongan")), "debian/kentongan")
    r = run(["lintian", deb_path()])
    tags = [l for l in r.stdout.splitlines() if re.match(r"[EWIPX]: ", l)]
    errors = [l for l in tags if l.startswith("E: ")]
    warnings = [l for l in tags if l.startswith("W: ")]
    print("lintian: %d errors, %d warnings" % (len(errors), len(warnings)))
    for l in errors + warnings:
        print("  " + l)
    check_eq(errors, [], "lintian errors")


def test_package_contents():
    deb = deb_path()
    check(os.path.isfile(deb), "make deb first")
    info = run(["dpkg-deb", "-f", deb]).stdout
    fields = dict(re.findall(r"^([A-Za-z-]+): (.*)$", info, re.M))
    check_eq(fields.get("Package"), "kentongan", "Package")
    check_eq(fields.get("Version"), VERSION, "Version")
    depends = fields.get("Depends", "")
    # from dpkg-shlibdeps, with versions: nothing written by hand
    for lib in ("libgammu8 (>=", "libevent-2.1-7 (>=", "libsqlite3-0 (>=", "libsodium23 (>=",
                "libc6 (>="):
        check(lib in depends, "Depends lacks %s: %s" % (lib, depends))
    check("adduser" in depends and "${" not in depends, depends)
    d = tempfile.mkdtemp(prefix="kentongan-deb-")
    try:
        run(["dpkg-deb", "-e", deb, d + "/DEBIAN"])
        with open(d + "/DEBIAN/conffiles") as f:
            check_eq(f.read().split(), ["/etc/kentongan/kentongan.ini"], "conffiles")
        scripts = {}
        for name in ("postinst", "prerm", "postrm"):
            path = os.path.join(d, "DEBIAN", name)
            check(os.access(path, os.X_OK), name + " missing or not executable")
            with open(path) as f:
                scripts[name] = f.read()
        post = scripts["postinst"]
        for want in ("adduser --quiet --system --group --home \"$state\"",
                     "adduser --quiet kentongan dialout",
                     "install -d -o kentongan -g kentongan -m 0750",
                     "runuser -u kentongan -- kentongan init -c \"$conf\"",
                     "deb-systemd-helper enable 'kentongan.service'",
                     "deb-systemd-invoke $_dh_action 'kentongan.service'"):
            check(want in post, "postinst lacks: " + want)
        # the user and the database come before the unit is enabled
        check(post.index("kentongan init") < post.index("deb-systemd-helper enable"),
              "init before enable")
        check("rm -rf /var/lib/kentongan" in scripts["postrm"], "postrm purges the state")
        check("deb-systemd-invoke stop" in scripts["prerm"], "prerm stops the unit")
        listing = run(["dpkg-deb", "-c", deb]).stdout
        paths = [l.split()[-1] for l in listing.splitlines()]
        for p in ("./usr/bin/kentongan", "./lib/systemd/system/kentongan.service",
                  "./etc/kentongan/kentongan.ini", "./usr/share/doc/kentongan/README.md",
                  "./usr/share/doc/kentongan/copyright", "./usr/share/man/man1/kentongan.1.gz",
                  "./usr/share/kentongan/villages/wilayah-desa.csv.gz"):
            check(p in paths, "the package lacks " + p)
        check(not [p for p in paths if p.startswith("./var")],
              "dpkg owns no /var/lib/kentongan: the user's folder, made by postinst")
        run(["dpkg-deb", "-x", deb, d])
        with open(d + "/lib/systemd/system/kentongan.service") as f:
            unit = f.read()
        check("\nExecStart=/usr/bin/kentongan run -c /etc/kentongan/kentongan.ini\n" in unit,
              "ExecStart")
        check("\nDocumentation=file:/usr/share/doc/kentongan/README.md\n" in unit, "Documentation")
        with open(os.path.join(ROOT, "config", "production.ini")) as f:
            with open(d + "/etc/kentongan/kentongan.ini") as g:
                check_eq(g.read(), f.read(), "the shipped config is config/production.ini")
    finally:
        shutil.rmtree(d, ignore_errors=True)


def main():
    s = Suite("e2e-deb")
    for t in (test_make_deb_and_lintian, test_package_contents):
        s.run(t)
    s.finish()


if __name__ == "__main__":
    main()
