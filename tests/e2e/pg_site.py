"""A private PostgreSQL 15 cluster for a test: initdb and pg_ctl from
Debian's postgresql-15, run as an unprivileged user (initdb refuses root:
as root the cluster belongs to nobody), listening on a Unix socket in its
own folder only, so it never meets the machine's own PostgreSQL."""

import os
import shutil
import subprocess
import tempfile

from harness import wait_until

PGBIN = "/usr/lib/postgresql/15/bin"
USER = "kentongan"


def available():
    return all(os.access(os.path.join(PGBIN, b), os.X_OK) for b in ("initdb", "pg_ctl", "postgres"))


class PgCluster:
    def __init__(self, name):
        # not under tests/out: nobody must be able to reach it, and the
        # socket path must stay short (108 bytes)
        self.dir = tempfile.mkdtemp(prefix="kentongan-pg-%s-" % name)
        os.chmod(self.dir, 0o755)
        self.data = os.path.join(self.dir, "data")
        self.sock = self.dir
        self.log = os.path.join(self.dir, "postgres.log")
        self.as_user = ["runuser", "-u", "nobody", "--"] if os.getuid() == 0 else []
        if self.as_user:
            shutil.chown(self.dir, "nobody")
        self.running = False

    def _run(self, *argv, check=True):
        return subprocess.run(self.as_user + list(argv), capture_output=True, text=True,
                              check=check, cwd=self.dir)

    def start(self, nice=0):
        """nice: the server's niceness (a benchmark's stand-in for a
        central server that is not the gateway's box)."""
        if not os.path.isdir(self.data):
            self._run(os.path.join(PGBIN, "initdb"), "-D", self.data, "-A", "trust",
                      "-U", USER, "-E", "UTF8", "--locale=C.UTF-8")
        self._run(*(["nice", "-n", str(nice)] if nice else []), os.path.join(PGBIN, "pg_ctl"), "-D", self.data, "-l", self.log, "-w",
                  "-o", "-c listen_addresses='' -k %s -c fsync=off" % self.sock, "start")
        self.running = True
        return self

    def stop(self, mode="fast"):
        if self.running:
            self._run(os.path.join(PGBIN, "pg_ctl"), "-D", self.data, "-m", mode, "-w", "stop",
                      check=False)
            self.running = False

    def destroy(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def conninfo(self, db="central"):
        return "host=%s dbname=%s user=%s" % (self.sock, db, USER)

    def psql(self, sql, db="central"):
        """Rows of sql as lists of strings (| between columns in psql -A)."""
        r = subprocess.run(["psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", self.sock,
                            "-U", USER, "-d", db, "-c", sql],
                           capture_output=True, text=True, check=True)
        return [line.split("|") for line in r.stdout.splitlines() if line != ""]

    def createdb(self, db="central"):
        self.psql("CREATE DATABASE %s" % db, db="postgres")

    def wait_value(self, what, sql, want, timeout=30):
        wait_until(what, lambda: self.psql(sql) == want, timeout=timeout)
