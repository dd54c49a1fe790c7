"""Issue 15, item 7: the loop never waits for the office. Two figures, each
for this tree's binary and for the base branch's (main unless BASE is set),
printed side by side with their ratio:

- USSD p99 (wrk, tests/bench/ussd_mix.lua, 16 connections) while a
  200,000-row `contacts import` runs against the daemon's database (goal
  under 50 ms);
- the peak resident memory of `contacts import` of a CSV of about 100 MB
  (goal under 50 MB). The base binary held every row in memory (about
  2.5 KB a row): it is measured on a 10 MB file and on the 100 MB file
  under a 1 GB address-space limit, so it cannot take the machine down.
"""

import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "out", "bench-office")
BASE = os.environ.get("BASE", "main")
SECRET = "bench-office-secret"
VILLAGES = os.path.join(ROOT, "tests", "fixtures", "villages.csv")


def base_binary():
    """main's kentongan, built once per commit under tests/out."""
    commit = subprocess.check_output(["git", "rev-parse", BASE], cwd=ROOT, text=True).strip()
    d = os.path.join(OUT, "base-" + commit[:12])
    exe = os.path.join(d, "kentongan")
    if not os.path.exists(exe):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        subprocess.run("git archive %s | tar -x -C %s" % (commit, d), shell=True, cwd=ROOT, check=True)
        subprocess.run(["make", "-s", "-j2", "kentongan"], cwd=d, check=True,
                       stdout=subprocess.DEVNULL)
    return exe, commit[:8]


def contacts_csv(path, rows):
    if os.path.exists(path):
        return path
    with open(path + ".tmp", "w") as f:
        f.write("number,name,role,desa\n")
        for i in range(rows):
            f.write("+62857%07d,Warga Desa Kalisidi Nomor %d,warga,3322182002\n" % (i, i))
    os.rename(path + ".tmp", path)
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def config(d, port):
    os.makedirs(d, exist_ok=True)
    ini = os.path.join(d, "k.ini")
    with open(ini, "w") as f:
        f.write("[kentongan]\ndatabase = %s/k.db\ncreate_database = yes\nquiet_hours = none\n"
                "receive_interval = 1\nreplies_per_hour = 1000\n"
                "[gammu]\ndevice = %s/modem\nconnection = none\nmodel = dummy\n"
                "[ussd]\nlisten = 127.0.0.1:%d\nsecret = %s\n" % (d, d, port, SECRET))
    return ini


def wait_listening(port):
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("the daemon did not listen on %d" % port)


def p99_during_import(exe, name, csv_path):
    """wrk's p99 (ms) while `contacts import` of csv_path runs."""
    d = os.path.join(OUT, name)
    shutil.rmtree(d, ignore_errors=True)
    port = free_port()
    ini = config(d, port)
    subprocess.run([exe, "villages", "-c", ini, "import", VILLAGES], check=True,
                   stdout=subprocess.DEVNULL)
    with open(os.path.join(d, "run.log"), "w") as log:
        gw = subprocess.Popen([exe, "run", "-c", ini], stderr=log)
    try:
        wait_listening(port)
        env = dict(os.environ, USSD_SECRET=SECRET, USSD_ROUND=name)
        # warm the sessions up, unmeasured
        subprocess.run(["wrk", "-t1", "-c16", "-d1s", "-s", os.path.join(ROOT, "tests/bench/ussd_mix.lua"),
                        "http://127.0.0.1:%d/ussd" % port], env=env, stdout=subprocess.DEVNULL, check=True)
        # wrk runs until the import ends (SIGINT makes it stop and print),
        # so the figure covers the whole import and nothing else
        # --timeout: wrk drops a request slower than 2 s from its figures
        wrk = subprocess.Popen(["wrk", "-t1", "-c16", "-d600s", "--timeout", "30s", "--latency", "-s",
                                os.path.join(ROOT, "tests/bench/ussd_mix.lua"),
                                "http://127.0.0.1:%d/ussd" % port],
                               env=env, stdout=subprocess.PIPE, text=True)
        time.sleep(0.5)
        t0 = time.monotonic()
        imp = subprocess.run([exe, "contacts", "-c", ini, "import", csv_path],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        took = time.monotonic() - t0
        wrk.send_signal(signal.SIGINT)
        out = wrk.communicate()[0]
        if imp.returncode != 0:
            raise SystemExit("%s: import failed: %s" % (name, imp.stderr))
    finally:
        gw.terminate()
        gw.wait()
    lat = {q: float(v) * {"us": 0.001, "ms": 1, "s": 1000}[u]
           for q, v, u in re.findall(r"\s(50|99)%\s+([\d.]+)(us|ms|s)\b", out)}
    unit = lambda v, u: float(v) * {"us": 0.001, "ms": 1, "s": 1000}[u]
    # plain wrk does not correct for coordinated omission: a stall of the
    # loop shows in the maximum (16 requests wait), hardly in the p99
    lat["max"] = unit(*re.search(r"Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)\b", out).groups())
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return lat["99"], lat["max"], lat["50"], rps, int(non2xx.group(1)) if non2xx else 0, took


def rss_of(exe, name, csv_path, limit=None):
    d = os.path.join(OUT, name)
    shutil.rmtree(d, ignore_errors=True)
    ini = config(d, free_port())
    subprocess.run([exe, "villages", "-c", ini, "import", VILLAGES], check=True,
                   stdout=subprocess.DEVNULL)
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        if limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        fd = os.open(os.path.join(d, "import.err"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(fd, 2)
        nul = os.open(os.devnull, os.O_WRONLY)
        os.dup2(nul, 1)
        os.execv(exe, [exe, "contacts", "-c", ini, "import", csv_path])
    _, status, ru = os.wait4(pid, 0)
    with open(os.path.join(d, "import.err")) as f:
        err = f.read().strip().splitlines()
    return ru.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status), err[-1] if err else "", \
        time.monotonic() - t0


def main():
    os.makedirs(OUT, exist_ok=True)
    if shutil.which("wrk") is None:
        print("office: wrk not installed; skipped")
        return
    new = os.path.join(ROOT, "kentongan")
    old, commit = base_binary()
    small = contacts_csv(os.path.join(OUT, "contacts-200k.csv"), 200000)
    big = contacts_csv(os.path.join(OUT, "contacts-100mb.csv"), 1900000)
    only = os.environ.get("OFFICE_ONLY", "")
    if only != "rss":
        ussd_figures(old, new, commit, small)
    if only != "ussd":
        rss_figures(old, new, small, big)


def ussd_figures(old, new, commit, small):
    p_old = p99_during_import(old, "ussd-base", small)
    p_new = p99_during_import(new, "ussd-new", small)
    for label, r in (("base %s" % commit, p_old), ("this tree", p_new)):
        print("office: USSD during a 200k-row contacts import, %s: p99 %.1f ms, max %.0f ms, p50 %.2f ms, "
              "%.0f req/s, non-2xx %d (import took %.1f s)" % ((label,) + r))
    print("office: USSD p99 during the import: %.1f ms (base %.1f ms, ratio %.3f; goal < 50 ms); "
          "max %.0f ms (base %.0f ms, ratio %.3f)"
          % (p_new[0], p_old[0], p_new[0] / p_old[0], p_new[1], p_old[1], p_new[1] / p_old[1]))


def rss_figures(old, new, small, big):
    mb = lambda p: os.path.getsize(p) / 1e6
    r_old_small = rss_of(old, "rss-base-small", small)
    r_new_small = rss_of(new, "rss-new-small", small)
    r_new_big = rss_of(new, "rss-new-big", big)
    r_old_big = rss_of(old, "rss-base-big", big, limit=1 << 30)
    print("office: import RSS, %.0f MB CSV: %.1f MB (base %.1f MB, ratio %.3f)"
          % (mb(small), r_new_small[0], r_old_small[0], r_new_small[0] / r_old_small[0]))
    print("office: import RSS, %.0f MB CSV: %.1f MB in %.0f s, exit %d; base under a 1 GB limit: "
          "%.1f MB, exit %d (%s) (goal < 50 MB)"
          % (mb(big), r_new_big[0], r_new_big[3], r_new_big[1], r_old_big[0], r_old_big[1],
             r_old_big[2]))


if __name__ == "__main__":
    main()
