"""make bench-compare: the same N inbound SMS, as Gammu's dummy driver
stores them, placed in three modem folders and drained, one after the
other, by

  floor       tests/bench/floor_drain.c: libGammu GetNextSMS + DeleteSMS
              and nothing else, the least the driver allows;
  kentongan   ./kentongan run (receive_interval = 1): stores each SMS,
              deletes it, parses it, stores a record or ticket and queues
              a reply;
  gammu-smsd  Debian's gammu-smsd, SQL service on SQLite (libdbi sqlite3
              driver, its shipped schema, WAL on), ReceiveFrequency = 1.

Times run from the process start. For the floor, the drain time is its
wall time: it reads and deletes until the driver says the inbox is empty,
then exits. For kentongan and gammu-smsd (daemons that do not exit) it is
when the modem folders are empty; kentongan's worker has then also had
the driver's "empty" (its last deletes wait for the last commit to be on
disk, and arrive while the worker makes that final scan). The floor's own
folders-empty moment comes before its final scan; the ratio against it is
printed too. For kentongan "processed" is when every message is also
parsed and answered, for gammu-smsd when its inbox table holds all N. CPU is user +
system from /proc (the gateway's includes its modem worker); peak RSS is
VmHWM. The gateway's figure is the daemon's own; its worker is printed
beside it.

Each program runs COMPARE_REPEAT times (default 3) per N, interleaved;
the median run of each is reported, with the range.

usage: bench_compare.py N [N ...]
The last line is the summary for the largest N.
"""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "out", "bench-compare")
KENTONGAN = os.path.join(ROOT, "kentongan")
FLOOR = os.path.join(ROOT, "build", "bench", "floor_drain")
SMSD = shutil.which("gammu-smsd") or "/usr/bin/gammu-smsd"
SMSD_SCHEMA = "/usr/share/doc/gammu-smsd/examples/sqlite.sql"
PER_FOLDER = 5000       # the dummy driver reads locations 1..9,999 a folder
TICK = os.sysconf("SC_CLK_TCK")
POLL = 0.02
DEADLINE = 600
REPEAT = int(os.environ.get("COMPARE_REPEAT", "3"))

TEXTS = [
    "ADUAN sukamaju jalan rusak di RT %d",
    "RAPAT 3322012005 27/09 RKP 45 %d",
    "KADER 3322012005 28/09 posyandu %d 12",
    "BANTU",
    "STATUS ADU-%d",
    "halo pak, ini pesan nomor %d",
]


def sms_file(number, text, when):
    """One SMS in Gammu's SMS backup format (what `kentongan inject` and
    `gammu addsms` write)."""
    return ("[SMSBackup000]\nSMSC = \"+6281100000\"\nPDU = Deliver\n"
            "DateTime = %s\nState = UnRead\nNumber = \"%s\"\n"
            "NumberUnicode = %s\nText00 = %s\nCoding = Default_No_Compression\n"
            "Folder = 1\nLength = %d\nClass = -1\n\n"
            % (when, number, number.encode("utf-16-be").hex().upper(),
               text.encode("utf-16-be").hex().upper(), len(text)))


def make_template(n):
    """N SMS from N senders: sms/1 holds up to PER_FOLDER, sms/3 the rest."""
    d = os.path.join(OUT, "template-%d" % n)
    if os.path.isdir(d):
        return d
    tmp = d + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    for folder in (1, 2, 3, 4, 5):
        os.makedirs(os.path.join(tmp, "sms", str(folder)))
    for i in range(n):
        folder, loc = (1, i + 1) if i < PER_FOLDER else (3, i - PER_FOLDER + 1)
        t = TEXTS[i % len(TEXTS)]
        text = t % (i % 97 + 1) if "%d" in t else t
        with open(os.path.join(tmp, "sms", str(folder), str(loc)), "w") as f:
            f.write(sms_file("+62812%07d" % i, text, "20261128T%02d%02d%02d"
                             % (8 + i // 3600 % 10, i // 60 % 60, i % 60)))
    os.rename(tmp, d)
    return d


def left(modem):
    return sum(len(os.listdir(os.path.join(modem, "sms", f))) for f in ("1", "3"))


def proc_figures(pid):
    """(cpu seconds, peak RSS kB) of a live process."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICK
    hwm = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    return cpu, hwm


def children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def wait_for(what, fn, t0):
    while not fn():
        if time.monotonic() - t0 > DEADLINE:
            raise SystemExit("bench-compare: %s took over %d s" % (what, DEADLINE))
        time.sleep(POLL)
    return time.monotonic() - t0


def count(db, sql):
    try:
        c = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=5)
        try:
            return c.execute(sql).fetchone()[0]
        finally:
            c.close()
    except sqlite3.Error:
        return -1


def fresh(name, template):
    d = os.path.join(OUT, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    shutil.copytree(template, os.path.join(d, "modem"))
    # Each program starts on a settled disk: the copy just made and what
    # the previous program left to write back would otherwise land in its
    # time (here, the one that ran right after another was up to 20% slower).
    os.sync()
    return d


def gammu_section(modem):
    return "[gammu]\ndevice = %s\nconnection = none\nmodel = dummy\n" % modem


def run_floor(n, template):
    d = fresh("floor", template)
    modem = os.path.join(d, "modem")
    cfg = os.path.join(d, "gammurc")
    with open(cfg, "w") as f:
        f.write(gammu_section(modem))
    t0 = time.monotonic()
    p = subprocess.Popen([FLOOR, cfg], stdout=subprocess.PIPE)
    # Drained when the folders are empty, seen by the same poll as the
    # others; it then still scans once more to find the inbox empty.
    drained = wait_for("floor drain", lambda: left(modem) == 0 or p.poll() is not None, t0)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    out = p.stdout.read().decode()
    p.stdout.close()
    p.returncode = status
    if status != 0 or "floor: %d SMS" % n not in out or left(modem):
        raise SystemExit("bench-compare: floor_drain failed: %r" % out)
    return dict(drained=drained, exited=wall, cpu=ru.ru_utime + ru.ru_stime, rss=ru.ru_maxrss)


def run_kentongan(n, template):
    d = fresh("kentongan", template)
    modem = os.path.join(d, "modem")
    db = os.path.join(d, "kentongan.db")
    cfg = os.path.join(d, "kentongan.ini")
    with open(cfg, "w") as f:
        f.write("[kentongan]\ndatabase = %s\ntimezone = Asia/Jakarta\n"
                "receive_interval = 1\nquiet_hours = none\n%s\n%s"
                % (db, create_key(), gammu_section(modem)))
    log = open(os.path.join(d, "kentongan.log"), "w")
    t0 = time.monotonic()
    p = subprocess.Popen([KENTONGAN, "run", "-c", cfg], stdout=log, stderr=log)
    try:
        drained = wait_for("kentongan drain", lambda: left(modem) == 0, t0)
        processed = wait_for("kentongan processing", lambda: count(
            db, "SELECT COUNT(*) FROM messages WHERE state != 'received'") == n, t0)
        cpu, rss = proc_figures(p.pid)
        wcpu = wrss = 0
        for c in children(p.pid):
            c_cpu, c_rss = proc_figures(c)
            wcpu += c_cpu
            wrss = max(wrss, c_rss)
    finally:
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=30)
        log.close()
    replies = count(db, "SELECT COUNT(*) FROM outbox WHERE purpose = 'reply'")
    records = count(db, "SELECT COUNT(*) FROM records")
    stored = count(db, "SELECT COUNT(*) FROM sms_in")
    if stored != n:
        raise SystemExit("bench-compare: kentongan stored %d of %d" % (stored, n))
    return dict(drained=drained, processed=processed, cpu=cpu + wcpu, rss=rss,
                worker_rss=wrss, daemon_cpu=cpu, replies=replies, records=records)


def create_key():
    """create_database = yes where this build knows the key."""
    probe = os.path.join(OUT, "probe.ini")
    with open(probe, "w") as f:
        f.write("[kentongan]\ncreate_database = yes\n")
    r = subprocess.run([KENTONGAN, "check-config", "-c", probe], capture_output=True, text=True)
    return "create_database = yes\n" if "create_database" not in r.stdout + r.stderr else ""


def run_smsd(n, template):
    d = fresh("gammu-smsd", template)
    modem = os.path.join(d, "modem")
    db = os.path.join(d, "smsd.db")
    with open(SMSD_SCHEMA) as f:
        schema = f.read()
    c = sqlite3.connect(db)
    c.executescript(schema)
    c.execute("PRAGMA journal_mode=WAL").fetchone()     # kept in the file
    c.close()
    cfg = os.path.join(d, "smsdrc")
    with open(cfg, "w") as f:
        f.write(gammu_section(modem) +
                "[smsd]\nservice = sql\ndriver = sqlite3\nsql = sqlite\n"
                "database = smsd.db\ndbdir = %s\nlogfile = %s\ndebuglevel = 0\n"
                "phoneid = bench\nreceivefrequency = 1\nstatusfrequency = 0\n"
                "checksecurity = 0\ncheckbattery = 0\nchecksignal = 0\n"
                "checknetwork = 0\nhangupcalls = 0\ndeliveryreport = no\n"
                % (d, os.path.join(d, "smsd.log")))
    log = open(os.path.join(d, "smsd.stderr"), "w")
    t0 = time.monotonic()
    p = subprocess.Popen([SMSD, "-c", cfg], stdout=log, stderr=log)
    try:
        drained = wait_for("gammu-smsd drain", lambda: left(modem) == 0 or p.poll() is not None, t0)
        processed = wait_for("gammu-smsd inbox", lambda: count(
            db, "SELECT COUNT(*) FROM inbox") >= n or p.poll() is not None, t0)
        if p.poll() is not None:
            raise SystemExit("bench-compare: gammu-smsd exited; see %s" % d)
        cpu, rss = proc_figures(p.pid)
    finally:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=30)
        log.close()
    return dict(drained=drained, processed=processed, cpu=cpu, rss=rss)


def report(n, fl, kt, sd):
    print("bench-compare n=%d: the same %d SMS (one each from %d numbers) in three dummy modem folders"
          % (n, n, n))
    print("  %-30s %10s %12s %8s %13s" % ("", "drained_s", "processed_s", "cpu_s", "peak_rss_kb"))
    print("  %-30s %10.2f %12s %8.2f %13d  (wall time; its folders were empty at %.2f s, before "
          "its final scan)" % ("floor (libGammu read+delete)", fl["exited"], "-", fl["cpu"], fl["rss"],
                               fl["drained"]))
    print("  %-30s %10.2f %12.2f %8.2f %13d  (daemon; modem worker %d kB, worker+daemon CPU)"
          % ("kentongan", kt["drained"], kt["processed"], kt["cpu"], kt["rss"], kt["worker_rss"]))
    print("  %-30s %10.2f %12.2f %8.2f %13d  (processed = all N rows in its inbox table)"
          % ("gammu-smsd (SQLite, WAL)", sd["drained"], sd["processed"], sd["cpu"], sd["rss"]))
    print("  kentongan also parsed every SMS, stored %d records/tickets and queued %d replies"
          % (kt["records"], kt["replies"]))
    r_floor = kt["drained"] / fl["exited"]
    r_smsd = kt["drained"] / sd["drained"]
    verdict = lambda ok: "met" if ok else "MISSED"  # noqa: E731
    print("  drain time: kentongan/floor = %.2f (goal <= 1.25: %s), kentongan/gammu-smsd = %.2f "
          "(goal <= 0.50: %s)" % (r_floor, verdict(r_floor <= 1.25), r_smsd, verdict(r_smsd <= 0.5)))
    print("  against the floor's folders-empty moment (before its final scan): %.2f"
          % (kt["drained"] / fl["drained"]))
    print("  processed:  kentongan/floor = %.2f, kentongan/gammu-smsd = %.2f"
          % (kt["processed"] / fl["exited"], kt["processed"] / sd["processed"]))
    print("  CPU: kentongan/floor = %.2f, kentongan/gammu-smsd = %.2f"
          % (kt["cpu"] / max(fl["cpu"], 0.01), kt["cpu"] / max(sd["cpu"], 0.01)))
    print("  peak RSS: kentongan %d kB (goal < 10240: %s), gammu-smsd %d kB (%.0fx)"
          % (kt["rss"], verdict(kt["rss"] < 10240), sd["rss"], sd["rss"] / kt["rss"]))
    sys.stdout.flush()


def median(results, key):
    """The run whose `key` time is the median."""
    return sorted(results, key=lambda r: r[key])[len(results) // 2]


def spread(results, key):
    v = sorted(r[key] for r in results)
    return "%.2f-%.2f" % (v[0], v[-1])


def main():
    ns = sorted(int(a) for a in sys.argv[1:]) or [1000]
    for n in ns:
        if not 0 < n <= 2 * PER_FOLDER:
            raise SystemExit("bench-compare: N from 1 to %d" % (2 * PER_FOLDER))
    os.makedirs(OUT, exist_ok=True)
    for path in (KENTONGAN, FLOOR, SMSD, SMSD_SCHEMA):
        if not os.path.exists(path):
            raise SystemExit("bench-compare: %s is missing (make bench-compare builds and "
                             "installs what it needs)" % path)
    last = None
    for n in ns:
        t = make_template(n)
        runs = {"floor": [], "kentongan": [], "smsd": []}
        # Each program REPEAT times, interleaved so that a slow moment of
        # the machine falls on all three; the median run of each counts.
        for _ in range(REPEAT):
            runs["floor"].append(run_floor(n, t))
            runs["kentongan"].append(run_kentongan(n, t))
            runs["smsd"].append(run_smsd(n, t))
        fl = median(runs["floor"], "exited")
        kt = median(runs["kentongan"], "drained")
        sd = median(runs["smsd"], "drained")
        report(n, fl, kt, sd)
        print("  %d runs each, medians above; ranges: floor %s s, kentongan %s s, gammu-smsd %s s"
              % (REPEAT, spread(runs["floor"], "exited"), spread(runs["kentongan"], "drained"),
                 spread(runs["smsd"], "drained")))
        last = (n, kt, sd, fl)
    n, kt, sd, fl = last
    print("summary n=%d kentongan_s=%.2f smsd_s=%.2f floor_s=%.2f kentongan_rss_kb=%d smsd_rss_kb=%d"
          % (n, kt["drained"], sd["drained"], fl["exited"], kt["rss"], sd["rss"]))


if __name__ == "__main__":
    main()
