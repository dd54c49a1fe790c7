"""systemd-analyze on a unit file, for the tests of the unit as shipped
(test_service) and as installed (test_install)."""

import re
import subprocess

from harness import check, check_eq


def verify(path):
    """systemd-analyze verify passes and says nothing about the unit."""
    r = subprocess.run(["systemd-analyze", "verify", path], capture_output=True, text=True)
    check_eq(r.returncode, 0, "systemd-analyze verify: " + r.stderr)
    check_eq([l for l in r.stderr.splitlines() if "kentongan" in l], [],
             "nothing said about the unit")


def exposure(path):
    """The overall exposure systemd-analyze security --offline gives."""
    r = subprocess.run(["systemd-analyze", "security", "--offline=true", "--no-pager", path],
                       capture_output=True, text=True)
    m = re.search(r"Overall exposure level for kentongan.service: ([0-9.]+)", r.stdout)
    check(m, "an exposure figure: " + r.stdout[-300:] + r.stderr)
    return float(m.group(1))
