"""Issue 2: the real gateway on Gammu's dummy modem, end to end."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, Gateway, Suite, check, check_eq, wait_until  # noqa: E402

PENDAMPING = "+6281211110001"
WARGA = "+6285722220002"

gw = None


def message_by_text(text):
    rows = [m for m in gw.export("messages") if m["direction"] == "in" and m["text"] == text]
    return rows


def reply_to(number, contains):
    """The outbox rows to number whose text contains the given words."""
    return [m for m in gw.export("messages")
            if m["direction"] == "out" and m["number"].lstrip("'") == number
            and contains in m["text"]]


def wait_drained():
    wait_until("dummy inbox empty", lambda: gw.inbox() == [])


def test_facilitator_rapat():
    csvf = os.path.join(gw.dir, "contacts.csv")
    with open(csvf, "w") as f:
        f.write("number,name,role,desa\n0812-1111-0001,Siti Pendamping,pendamping,3322012005\n")
    out = gw.cli("contacts", "import", csvf).stdout
    check("1 contact imported" in out, out)
    gw.inject("081211110001", "RAPAT 3322012005 1/11 RKP 45 30")
    wait_drained()
    rec = wait_until("RAPAT record", lambda: [r for r in gw.export("records") if r["kind"] == "rapat"])
    r = rec[0]
    check_eq(r["desa"], "33.22.01.2005", "desa")
    check_eq(r["tanggal"], "2026-11-01", "tanggal")
    check_eq((r["jenis"], r["laki"], r["perempuan"]), ("RKP", "45", "30"), "fields")
    check_eq(r["state"], "counted", "state")
    check_eq(r["number"].lstrip("'"), PENDAMPING, "number normalised")
    sent = wait_until("confirmation sent", lambda: [m for m in reply_to(PENDAMPING, r["nomor"]) if m["state"] == "sent"])
    check(r["nomor"] + " " in sent[0]["text"] or sent[0]["text"].find(r["nomor"]) >= 0, sent[0]["text"])


def test_villager_aduan():
    gw.inject("0857-2222-0002", "ADUAN#Suka Maju#Jembatan di dusun 2 rusak, mohon dicek")
    wait_drained()
    rec = wait_until("ADUAN record", lambda: [r for r in gw.export("records") if r["kind"] == "aduan"])
    check_eq(rec[0]["desa"], "SUKA MAJU", "desa")
    check_eq(rec[0]["isi"], "Jembatan di dusun 2 rusak, mohon dicek", "isi")
    check(rec[0]["tiket"].startswith("ADU-"), rec[0]["tiket"])
    sent = wait_until("ADUAN reply sent", lambda: [m for m in reply_to(WARGA, rec[0]["tiket"]) if m["state"] == "sent"])
    check_eq(len(sent), 1, "one reply")


def test_unregistered_rapat_not_counted():
    gw.inject("+6289900000009", "RAPAT 3322012005 2/11 APB 10 12")
    wait_drained()
    rec = wait_until("record", lambda: [r for r in gw.export("records")
                                        if r["number"].lstrip("'") == "+6289900000009"])
    check_eq(rec[0]["state"], "not_counted", "state")
    wait_until("told to contact the coordinator",
               lambda: [m for m in reply_to("+6289900000009", "oordinator") if m["state"] == "sent"])


def test_alphanumeric_sender_no_reply():
    gw.inject("TELKOMSEL", "Selamat! Anda dapat bonus 1GB. Info *363#")
    wait_drained()
    msgs = wait_until("stored", lambda: message_by_text("Selamat! Anda dapat bonus 1GB. Info *363#"))
    wait_until("marked ignored", lambda: message_by_text("Selamat! Anda dapat bonus 1GB. Info *363#")[0]["state"] == "ignored")
    check_eq(len(msgs), 1, "stored once")
    out = [m for m in gw.export("messages") if m["direction"] == "out" and "TELKOMSEL" in m["number"]]
    check_eq(out, [], "no reply to TELKOMSEL")
    short = "3636"
    gw.inject(short, "Sisa kuota Anda 2GB")
    wait_until("short sender ignored", lambda: [m for m in message_by_text("Sisa kuota Anda 2GB") if m["state"] == "ignored"])
    check_eq([m for m in gw.export("messages") if m["direction"] == "out" and m["number"] == short], [], "no reply to short")


def test_three_parts_out_of_order():
    text = ("ADUAN 3322012005 " + "Saluran irigasi di dusun Krajan tersumbat sampah dan lumpur sejak musim hujan, "
            "sawah warga terancam gagal panen. " * 3).strip()
    out = gw.inject("+6285722220002", text, "--order", "3,1,2")
    check_eq(out.count("part "), 3, "three parts written: " + out)
    wait_drained()
    msgs = wait_until("joined message", lambda: [m for m in message_by_text(text) if m["state"] == "processed"])
    check_eq(len(msgs), 1, "one message")
    check_eq(gw.sql("SELECT parts, incomplete FROM messages WHERE id = %s" % msgs[0]["id"]), "3|0", "parts")
    check_eq(gw.sql("SELECT COUNT(*) FROM sms_in WHERE message_id = %s" % msgs[0]["id"]), "3", "three stored parts")


def test_same_sms_twice_stored_once():
    text = "ADUAN 3322012005 lampu jalan mati di RT 3"
    gw.inject("+6281300000003", text, "--time", "2026-11-28T08:00:00")
    gw.inject("+6281300000003", text, "--time", "2026-11-28T08:00:00")
    wait_drained()
    wait_until("processed", lambda: [m for m in message_by_text(text) if m["state"] == "processed"])
    check_eq(len(message_by_text(text)), 1, "same SMS read twice is stored once")
    gw.inject("+6281300000003", text, "--time", "2026-11-28T09:30:00")
    wait_drained()
    wait_until("second message", lambda: len(message_by_text(text)) == 2)
    replies = wait_until("two replies", lambda: len(reply_to("+6281300000003", "ADU-")) == 2 and reply_to("+6281300000003", "ADU-"))
    check_eq(len(replies), 2, "one reply per stored message")


def test_bantu_and_parse_error():
    gw.inject("+6281300000004", "BANTU")
    gw.inject("+6281300000004", "RAPAT 3322012005 kemarin XYZ 4 5")
    wait_drained()
    wait_until("help and error replies", lambda: len(reply_to("+6281300000004", "")) == 2)
    rej = wait_until("rejected", lambda: [m for m in message_by_text("RAPAT 3322012005 kemarin XYZ 4 5") if m["state"] == "rejected"])
    check("bad_jenis" in rej[0]["detail"], rej[0]["detail"])


def test_export_formula_guard_and_json():
    gw.inject("+6281300000005", "ADUAN 3322012005 =HYPERLINK(\"http://x\",\"klik\")")
    wait_drained()
    wait_until("stored", lambda: [r for r in gw.export("records") if "HYPERLINK" in r["isi"]])
    raw = gw.cli("export", "records").stdout
    check(",\"'=HYPERLINK(\"\"http://x\"\",\"\"klik\"\")\"" in raw, "formula guarded: " + raw[-300:])
    import json
    rows = json.loads(gw.cli("export", "records", "--format", "json").stdout)
    check(any(r["isi"] == "=HYPERLINK(\"http://x\",\"klik\")" for r in rows), "json keeps the text")


def test_restart_resumes_and_sending_row_retried_once():
    # A row left in 'sending' by a crash is retried once, and marked.
    gw.stop(); 
    gw.sql("INSERT INTO outbox (number, text, purpose, state, next_at, created_at, tries) "
           "VALUES ('+6281300000006', 'tes kirim ulang', 'notify', 'sending', 0, 0, 1)")
    gw.start()
    row = wait_until("retried after restart", lambda: [m for m in gw.export("messages")
                                                       if m["text"] == "tes kirim ulang" and m["state"] == "sent"])
    check("interrupted" in gw.sql("SELECT last_error FROM outbox WHERE text = 'tes kirim ulang'"), "marked")
    check_eq(gw.sql("SELECT crash_retries FROM outbox WHERE text = 'tes kirim ulang'"), "1", "crash retry counted")


def test_part_that_never_comes():
    # multipart_timeout is 2 s in this test's config
    text = ("ADUAN 3322012005 " + "Pipa air bersih bocor di depan balai desa, air terbuang setiap hari. " * 6).strip()
    out = gw.inject("+6281300000007", text, "--order", "1,3")
    check_eq(out.count("part "), 2, "two of three parts written: " + out)
    wait_drained()
    msg = wait_until("processed as incomplete",
                     lambda: gw.sql("SELECT incomplete, state, note FROM messages WHERE number = '+6281300000007' "
                                    "AND state != 'received'"))
    check_eq(msg, "1|processed|incomplete: parts missing", "incomplete flag")
    check("[...]" in gw.sql("SELECT text FROM messages WHERE number = '+6281300000007'"), "gap marked")


def test_poison_message_set_aside():
    # A message the store refuses (a trigger stands in for a bug) is set
    # aside; the messages around it are handled as usual.
    gw.sql("CREATE TRIGGER poison BEFORE INSERT ON records WHEN NEW.isi = 'RACUN' "
           "BEGIN SELECT RAISE(ABORT, 'poisoned'); END")
    gw.inject("+6281300000008", "ADUAN 3322012005 sebelum")
    gw.inject("+6281300000008", "ADUAN 3322012005 RACUN")
    gw.inject("+6281300000008", "ADUAN 3322012005 sesudah")
    wait_drained()
    st = wait_until("all three handled", lambda: (lambda r: r if r.count("|") == 5 and "received" not in r else None)(
        gw.sql("SELECT group_concat(state || '|' || COALESCE(error, ''), '|') FROM messages "
               "WHERE number = '+6281300000008' ORDER BY id")))
    check_eq(st, "processed||rejected|internal|processed|", "poison set aside, others processed")
    check("could not be handled" in gw.read_log(), "logged")
    gw.sql("DROP TRIGGER poison")


def test_sighup_ignored():
    """The log is stderr: SIGHUP has nothing to reopen and is ignored; the
    gateway goes on answering."""
    import signal
    gw.proc.send_signal(signal.SIGHUP)
    gw.inject("+6281300000009", "BANTU")
    wait_drained()
    wait_until("reply after SIGHUP", lambda: len(reply_to("+6281300000009", "")) == 1)
    check(gw.proc.poll() is None, "still running after SIGHUP")


def test_clean_stop():
    rc = gw.stop()
    check_eq(rc, 0, "exit code after SIGTERM")
    check("stopped" in gw.read_log(), "logged stop")


def worker_pids(config):
    """Modem workers started for this config that are still alive."""
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if b"modem-worker" in argv and config.encode() in argv:
            pids.append(int(d))
    return pids


def test_listener_failure_stops_workers():
    """A listener that cannot start ends `run`, and the modem workers it
    already started are stopped with it: reaped, and the modem shown down."""
    import socket
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        g = Gateway("foundation-listen",
                    extra="[admin]\nlisten = 127.0.0.1:%d\n" % port)
        with open(g.log, "w") as logf:
            p = subprocess.Popen([BIN, "run", "-v", "-c", g.config],
                                 stdout=logf, stderr=logf)
            rc = p.wait(timeout=30)
    check(rc != 0, "run fails when a listener cannot start")
    log = g.read_log()
    check("cannot listen" in log, "says why")
    check_eq(worker_pids(g.config), [], "workers left running")
    check_eq(g.sql("SELECT state FROM modems"), "down", "modem state")


def main():
    global gw
    s = Suite("e2e-foundation")
    gw = Gateway("foundation", extra_kentongan="multipart_timeout = 2").start()
    try:
        for t in (test_facilitator_rapat, test_villager_aduan, test_unregistered_rapat_not_counted,
                  test_alphanumeric_sender_no_reply, test_three_parts_out_of_order,
                  test_same_sms_twice_stored_once, test_bantu_and_parse_error,
                  test_export_formula_guard_and_json, test_part_that_never_comes,
                  test_restart_resumes_and_sending_row_retried_once, test_poison_message_set_aside,
                  test_sighup_ignored, test_clean_stop):
            s.run(t)
    finally:
        gw.stop()
    s.run(test_listener_failure_stops_workers)
    s.finish()


if __name__ == "__main__":
    main()
