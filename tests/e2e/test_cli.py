"""The command line as people type it: -c FILE anywhere, help on stdout,
usage errors that name what was wrong (exit 2), one meaning for --format
and --desa on every command, and one status document for `kentongan
status --format json` and the admin /status."""

import csv
import datetime
import io
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, ROOT, Gateway, Suite, check, check_eq, free_port, wait_until  # noqa: E402

FIXTURE = os.path.join(ROOT, "tests", "fixtures", "villages.csv")
W = "+6285722220031"        # warga of Kopeng (33.22.01.2003)
NOW = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Jakarta"))
ADMIN = free_port()
gw = None
# Run from a folder without config/kentongan.ini: a -c that is not taken
# fails loudly instead of finding the default config.
ELSEWHERE = tempfile.mkdtemp(prefix="kentongan-cli-")


def run(*args, stdin=None):
    return subprocess.run([BIN] + list(args), capture_output=True, text=True,
                          input=stdin, cwd=ELSEWHERE)


def ok(*args):
    r = run(*args)
    if r.returncode != 0:
        raise AssertionError("kentongan %s failed (%d): %s" % (" ".join(args), r.returncode, r.stderr))
    return r.stdout


def admin(path):
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (ADMIN, path), timeout=10) as r:
        return r.status, r.headers.get("Content-Type"), r.read().decode()


def setup():
    # -c right after the command: the one place every version took it
    gw.cli("villages", "import", FIXTURE)
    gw.cli("contacts", "set", W, "--role", "warga", "--desa", "Kopeng", "--name", "Sutinah")
    until = (NOW + datetime.timedelta(days=30)).strftime("%Y-%m-%d")
    gw.cli("perdes", "open", "PD07", "--desa", "kopeng", "--title", "Air Bersih", "--until", until)
    gw.cli("meetings", "add", "--desa", "Kopeng", "--date", (NOW + datetime.timedelta(days=3)).strftime("%Y-%m-%d"),
           "--time", "09:00", "--type", "RKP")
    gw.inject(W, "ADUAN Kopeng jembatan rusak")
    wait_until("ticket", lambda: [t for t in gw.export("tickets") if t["desa"] == "33.22.01.2003"])


def test_config_in_any_position():
    c = gw.config
    for args in (["tickets", "list", "-c", c], ["-c", c, "tickets", "list"],
                 ["tickets", "-c", c, "list"], ["--config", c, "tickets", "list"],
                 ["tickets", "list", "--config=" + c], ["-c" + c, "tickets", "list"]):
        out = ok(*args)
        check("ADU-" in out, "%s: %s" % (args, out))
    path = os.path.join(gw.dir, "more.csv")
    with open(path, "w") as f:
        f.write("number,name,role,desa\n081211110077,Dewi,pendamping,3322012003\n")
    check("1 contact imported" in ok("contacts", "import", path, "-c", c), "import -c last")
    for cmd in (["villages", "find", "Kopeng"], ["contacts", "list"], ["perdes", "list"],
                ["meetings", "list", "--desa", "Kopeng"], ["report", "monthly", "--month", NOW.strftime("%Y-%m")],
                ["export", "records"], ["status"], ["reminders"], ["check-config"]):
        ok(*(cmd + ["-c", c]))
        ok(*(["-c", c] + cmd))
        ok(*(cmd[:1] + ["-c", c] + cmd[1:]))
    # without -c the default is looked for here, where there is none
    r = run("tickets", "list")
    check_eq(r.returncode, 1, "no config")
    check("config/kentongan.ini: cannot open: No such file or directory" in r.stderr, r.stderr)


def test_missing_config_names_the_cause():
    for args in (["status", "-c", "/nonexistent/k.ini"], ["-c", "/nonexistent/k.ini", "check-config"],
                 ["inject", "-c", "/nonexistent/k.ini", W, "x"], ["-c", "/nonexistent/k.ini", "run"],
                 ["run", "-c", "/nonexistent/k.ini"]):
        r = run(*args)
        check_eq(r.returncode, 1, " ".join(args))
        check("/nonexistent/k.ini: cannot open: No such file or directory" in r.stderr, r.stderr)
        check("Success" not in r.stderr, r.stderr)


def test_help_on_stdout():
    r = run("--help")
    check_eq((r.returncode, r.stderr), (0, ""), "--help")
    for cmd in ("tickets", "contacts", "perdes", "meetings", "report", "status", "export",
                "villages", "broadcast", "reminders", "check-config", "inject", "parse", "run"):
        check("kentongan %s" % cmd in r.stdout, "--help lacks " + cmd)
        for args in ([cmd, "--help"], ["help", cmd], [cmd, "-h"]):
            h = run(*args)
            check_eq((h.returncode, h.stderr), (0, ""), " ".join(args))
            check(h.stdout.startswith("usage:") and "kentongan %s" % cmd in h.stdout, h.stdout)
    check("update ADU-42 [--status S] [--note TEXT] [--desa D]" in run("help", "tickets").stdout, "tickets usage")
    check_eq(run().returncode, 2, "no command")


def test_usage_errors_name_the_cause():
    cases = [
        (["tickets", "list", "--bogus"], "--bogus"),
        (["tickets", "frob"], "'frob'"),
        (["tickets"], "missing action"),
        (["tickets", "list", "--format", "xml"], "'xml'"),
        (["tickets", "list", "--status", "lost"], "'lost'"),
        (["tickets", "update", "ADU-1"], "--status, --note or --desa"),
        (["tickets", "show", "XYZ-1"], "'XYZ-1'"),
        (["export", "records", "surplus"], "'surplus'"),
        (["export", "records", "--from", "yesterday"], "'yesterday'"),
        (["broadcast", "WARGA"], "missing argument"),
        (["report", "monthly"], "--month"),
        (["report", "monthly", "--month", "2026-13"], "'2026-13'"),
        (["meetings", "list", "--to", "31/02/2027"], "d/m/yyyy"),
        (["reminders", "--now", "noon"], "'noon'"),
        (["perdes", "open", "PD08", "--desa", "Kopeng"], "--title"),
        (["frobnicate"], "'frobnicate'"),
        (["--frob", "status"], "'--frob'"),
        (["tickets", "list", "--note", "x"], "--note"),
        (["villages", "import", "x.csv", "--format", "csv"], "--format"),
        (["meetings", "add", "--desa", "Kopeng", "--format", "json"], "--format"),
    ]
    for args, named in cases:
        r = run(*(args + ["-c", gw.config]))
        check_eq(r.returncode, 2, " ".join(args) + ": " + r.stderr)
        check(named in r.stderr, "%s: %r not named in %r" % (" ".join(args), named, r.stderr))
        check("usage" in r.stderr, r.stderr)


LISTINGS = [
    ["contacts", "list"], ["tickets", "list"], ["perdes", "list"], ["perdes", "export", "PD07"],
    ["meetings", "list", "--desa", "Kopeng"], ["export", "records"], ["export", "tickets"],
    ["export", "messages"], ["report", "monthly", "--month", NOW.strftime("%Y-%m")],
    ["villages", "find", "Kopeng"], ["reminders"],
]


def test_format_means_one_thing():
    for cmd in LISTINGS:
        what = " ".join(cmd)
        js = json.loads(ok(*(cmd + ["--format", "json", "-c", gw.config])))
        check(isinstance(js, list) and all(isinstance(r, dict) for r in js), what + ": " + repr(js)[:200])
        jl = [json.loads(l) for l in ok(*(cmd + ["--format", "jsonl", "-c", gw.config])).splitlines()]
        check_eq(jl, js, what + " jsonl")
        rows = list(csv.DictReader(io.StringIO(ok(*(cmd + ["--format", "csv", "-c", gw.config])))))
        # CSV guards a leading + = - @ with a quote (spreadsheet formulas)
        check_eq([{k: v.lstrip("'") for k, v in r.items()} for r in rows],
                 [{k: v.lstrip("'") for k, v in r.items()} for r in js], what + " csv")
        check(ok(*(cmd + ["--format", "table", "-c", gw.config])).strip() != "" or js == [], what + " table")
    # the listings the setup filled are not empty
    for cmd, key in ((["tickets", "list"], "tiket"), (["meetings", "list", "--desa", "Kopeng"], "jenis"),
                     (["villages", "find", "Kopeng"], "kode"), (["perdes", "list"], None),
                     (["reminders"], "reminder")):
        js = json.loads(ok(*(cmd + ["--format", "json", "-c", gw.config])))
        check(len(js) >= 1 and (key is None or key in js[0]), " ".join(cmd) + ": " + repr(js))
    check_eq(json.loads(ok("villages", "find", "Kopeng", "--format", "json", "-c", gw.config))[0]["kode"],
             "33.22.01.2003", "find")
    check_eq(json.loads(ok("reminders", "--format", "json", "-c", gw.config))[0]["reminder"], "digest", "digest")
    # an empty listing is still one document
    check_eq(json.loads(ok("tickets", "list", "--status", "ditolak", "--format", "json", "-c", gw.config)), [],
             "empty")


def test_desa_code_or_name_everywhere():
    def tickets(d):
        return sorted(r["tiket"] for r in json.loads(ok("tickets", "list", "--desa", d, "--format", "json",
                                                          "-c", gw.config)))
    by_name = tickets("Kopeng")
    check(len(by_name) >= 1, "tickets list --desa Kopeng found none")
    for d in ("kopeng", "3322012003", "33.22.01.2003"):
        check_eq(tickets(d), by_name, "tickets --desa " + d)
    check_eq(tickets("Kalisidi"), [], "another village")

    def meetings(d):
        return json.loads(ok("meetings", "list", "--desa", d, "--format", "json", "-c", gw.config))
    check(len(meetings("Kopeng")) == 1, "meeting")
    for d in ("3322012003", "33.22.01.2003"):
        check_eq(meetings(d), meetings("Kopeng"), "meetings --desa " + d)
    pe = [r for r in json.loads(ok("perdes", "list", "--format", "json", "-c", gw.config)) if "PD07" in r.values()]
    check(pe and "33.22.01.2003" in pe[0].values(), "perdes open --desa kopeng stored the code: %r" % pe)
    r = run("tickets", "list", "--desa", "Atlantis", "-c", gw.config)
    check(r.returncode == 1 and "unknown village 'ATLANTIS'" in r.stderr, r.stderr)


def test_status_one_document():
    wait_until("modem row", lambda: json.loads(ok("status", "--format", "json", "-c", gw.config))["modems"])
    # A row only the store knows of (a paused modem): /status reads the
    # store, not the loop's memory, so it shows it too.
    gw.sql("INSERT INTO modems (name, state, since, signal, network, operator, manufacturer, model, imei, "
           "last_error, paused_until, updated_at) VALUES ('spare', 'paused', strftime('%s','now'), 40, "
           "'home', 'indosat', '', 'E173', '', 'CMS 330', strftime('%s','now') + 600, strftime('%s','now'))")
    cli = json.loads(ok("status", "--format", "json", "-c", gw.config))
    st, ctype, text = admin("/status")
    check_eq((st, ctype), (200, "application/json"), "/status")
    http = json.loads(text)
    check_eq(sorted(http), sorted(cli), "top-level fields")
    check_eq(sorted(http["queues"]), sorted(cli["queues"]), "queue names")
    check_eq([sorted(m) for m in http["modems"]], [sorted(m) for m in cli["modems"]], "modem fields")
    check_eq([m["name"] for m in http["modems"]], [m["name"] for m in cli["modems"]], "modems")
    for doc in (cli, http):
        m = {m["name"]: m for m in doc["modems"]}
        check_eq((m["spare"]["state"], m["spare"]["last_error"]), ("paused", "CMS 330"), "paused shown")
        check_eq(m["gammu"]["state"], "up", "running modem")
        check(m["gammu"]["sent_today"] >= 1, m["gammu"])
    rows = list(csv.DictReader(io.StringIO(ok("status", "--format", "csv", "-c", gw.config))))
    check_eq(sorted(r["name"] for r in rows), ["gammu", "spare"], "status csv")
    check("spare" in ok("status", "-c", gw.config), "status table")


def main():
    global gw
    s = Suite("e2e-cli")
    gw = Gateway("cli", extra="[admin]\nlisten = 127.0.0.1:%d\n" % ADMIN).start()
    try:
        setup()
        for t in (test_config_in_any_position, test_missing_config_names_the_cause, test_help_on_stdout,
                  test_usage_errors_name_the_cause, test_format_means_one_thing,
                  test_desa_code_or_name_everywhere, test_status_one_document):
            s.run(t)
    finally:
        gw.stop()
    s.finish()


if __name__ == "__main__":
    main()
