#!/usr/bin/env python3
"""Throughput at the physical limit (issue 5, item 7).

The emulated modem takes SEND_DELAY seconds of network time per AT+CMGS. N
replies are queued; the gateway sends them through one modem, then through
two. Printed:

  modem throughput: 1 modem N sends/min (limit L, R%), 2 modems M sends/min (ratio X)

L is what the emulated modem allows: 60 / (the mean time the modem spends on
one AT+CMGS, from the command line to its +CMGS answer, as the emulator
records it). That time is SEND_DELAY plus about 0.7 s that libGammu's AT
driver itself sleeps in every send (100 + 500 + 100 ms around the PDU in
ATGEN_SendSMS), which no caller of GSM_SendSMS can avoid. R = N / L: how
busy the gateway keeps the modem. The nominal 60 / SEND_DELAY is printed
too. Status reports are requested (the default), so the modem also stores
and the gateway also reads and deletes one report per send between sends.

Environment: BENCH_SENDS (per modem, default 20), BENCH_SEND_DELAY (s,
default 1; real modems take about 3 s: set 3 to see it, it takes longer)."""

import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "modem"))
from control import Emulator  # noqa: E402

BIN = os.path.join(ROOT, "kentongan")
SENDS = int(os.environ.get("BENCH_SENDS", "20"))
DELAY = float(os.environ.get("BENCH_SEND_DELAY", "1"))


def wait_until(what, fn, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = fn()
        if v:
            return v
        time.sleep(0.1)
    raise SystemExit("bench_modem: timed out waiting for %s" % what)


def run(nmodems):
    d = os.path.join(ROOT, "tests", "out", "bench_modem", "m%d" % nmodems)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    emus = [Emulator(os.path.join(d, "emu%d" % i), "--send-delay", str(DELAY))
            for i in range(nmodems)]
    proc = None
    try:
        for e in emus:
            e.start()
        db = os.path.join(d, "kentongan.db")
        cfg = os.path.join(d, "kentongan.ini")
        with open(cfg, "w") as f:
            f.write("[kentongan]\ndatabase = %s\ncreate_database = yes\nreceive_interval = 2\nquiet_hours = none\ndaily_cap = 1000\n" % db)
            for i, e in enumerate(emus):
                f.write("[gammu%s]\ndevice = %s\nconnection = at\nmodel = at\n"
                        "send_per_minute = 600\n" % (i if i else "", e.link))
        log = open(os.path.join(d, "kentongan.log"), "w")
        proc = subprocess.Popen([BIN, "run", "-c", cfg], stdout=log, stderr=log)
        wait_until("modems up", lambda: open(log.name).read().count("modem up") >= nmodems, 30)
        total = SENDS * nmodems
        values = ",".join("('+62812%08d', 'Balasan nomor %d untuk uji kecepatan kirim.',"
                          " 'notify', 5, 'queued', 0, 0)" % (i, i) for i in range(total))
        subprocess.run(["sqlite3", "-cmd", ".timeout 5000", db,
                        "INSERT INTO outbox (number, text, purpose, priority, state, next_at,"
                        " created_at) VALUES " + values], check=True)
        per = max(DELAY + 1.0, 1.0)
        wait_until("all sent", lambda: sum(len(e.ctl.sent()) for e in emus) >= total,
                   total * per / nmodems + 60)
        sent = [s for e in emus for s in e.ctl.sent() if s["ok"]]
        starts = [s["t_start"] for s in sent]
        ends = [s["t_end"] for s in sent]
        window = max(ends) - min(starts)
        rate = len(sent) / window * 60.0
        busy = sum(s["t_end"] - s["t_start"] for s in sent) / len(sent)
        per_modem = [len([s for s in e.ctl.sent() if s["ok"]]) for e in emus]
        return rate, 60.0 / busy, busy, per_modem
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=20)
        for e in emus:
            e.stop()


def main():
    r1, limit1, busy1, _ = run(1)
    r2, limit2, busy2, split = run(2)
    print("modem throughput: 1 modem %.1f sends/min (limit %.1f, %.0f%%), "
          "2 modems %.1f sends/min (ratio %.2f)"
          % (r1, limit1, 100.0 * r1 / limit1, r2, r2 / r1))
    print("  send delay %.1f s per AT+CMGS (nominal %.0f sends/min per modem); the modem"
          " is busy %.2f s per send (1 modem) and %.2f s (2 modems), libGammu's AT driver"
          " sleeps 0.7 s of that; %d sends per modem; 2 modems split %s"
          % (DELAY, 60.0 / DELAY, busy1, busy2, SENDS, "/".join(map(str, split))))
    ok = r1 >= 0.95 * limit1 and r2 >= 1.9 * r1
    if not ok:
        print("  below target (95% of the limit, 1.9x with two modems)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
