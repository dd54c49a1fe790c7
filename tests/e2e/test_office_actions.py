"""Issue 17 items 3, 4, 5: the office acts on tickets, meetings and
broadcasts through the real binary.

Tickets: `tickets update` takes a status in any case, lists the valid ones
for a wrong one (so does `tickets list --status`), corrects the village
(the history keeps the old one) and, when its note does not fit the
villager's SMS, says how much was sent; STATUS by SMS shows the whole note.
Meetings: `meetings list` of every village, by date; `meetings cancel`
tells those who were told and its reminder never goes, not even one already
queued and held by quiet hours; `meetings update` announces the change and
moves the reminder. Broadcasts: a kecamatan and a role within a village or
kecamatan; `--dry-run` counts, skips the opted out, counts SMS parts and
says when quiet hours and the hourly budget let it go. The daemon runs on
a fake clock in December 2027 (the office CLI stamps rows with the real
time, which is earlier)."""

import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, Gateway, Suite, check, check_eq, wait_until  # noqa: E402

P = "+6281211110002"      # pendamping of Kalisidi
V = "+6285722220003"      # warga of Kalisidi
PK = "+6281211110005"     # pendamping of Kopeng (Kec. Getasan)
W1 = "+6285722220011"     # warga of Kopeng
W2 = "+6285722220012"     # warga of Kopeng, opted out
WB = "+6285722220013"     # warga of Batur (Kec. Getasan)
K = "+6281211110009"      # koordinator

gw = None


def setup():
    gw.cli("villages", "import", os.path.join(ROOT, "tests", "fixtures", "villages.csv"))
    path = os.path.join(gw.dir, "contacts.csv")
    with open(path, "w") as f:
        f.write("number,name,role,desa\n"
                "%s,Budi,pendamping,Kalisidi\n%s,Wati,warga,Kalisidi\n%s,Sari,pendamping,Kopeng\n"
                "%s,Ani,warga,Kopeng\n%s,Dedi,warga,Kopeng\n%s,Eko,warga,Batur\n%s,Kor,koordinator,\n"
                % (P, V, PK, W1, W2, WB, K))
    gw.cli("contacts", "import", path)
    gw.sql("UPDATE contacts SET opted_out = 1 WHERE number = '%s'" % W2)


def outbox(number, purpose, like="%"):
    return gw.sql("SELECT text FROM outbox WHERE number = '%s' AND purpose = '%s' AND text LIKE '%s' "
                  "ORDER BY id" % (number, purpose, like)).splitlines()


# ---- tickets ----------------------------------------------------------

LONG_NOTE = ("Tim desa sudah memeriksa jalan di RT 3 bersama kepala dusun. Perbaikan masuk "
             "usulan APBDes perubahan; bahan material dibeli minggu depan, pengerjaan oleh warga "
             "secara gotong royong mulai tanggal 12. Mohon warga RT 3 ikut kerja bakti ya.")


def test_ticket_status_any_case_and_the_valid_ones_listed():
    gw.inject(V, "ADUAN Kalisidi jalan RT 3 rusak parah")
    wait_until("ADU-1 filed", lambda: gw.sql("SELECT COUNT(*) FROM tickets") == "1")
    r = gw.cli("tickets", "list", "--status", "open", check=False)
    check_eq(r.returncode, 2, "unknown status refused")
    check("baru, diproses, selesai, ditolak" in r.stderr, "the valid ones listed: " + r.stderr)
    r = gw.cli("tickets", "update", "ADU-1", "--status", "open", check=False)
    check_eq(r.returncode, 2, "update with an unknown status")
    check("baru, diproses, selesai, ditolak" in r.stderr, r.stderr)
    out = gw.cli("tickets", "update", "ADU-1", "--status", "DIPROSES", "--note", "Dicek besok").stdout
    check("ADU-1: diproses" in out, out)
    check_eq(outbox(V, "ticket"), ["Kabar tiket ADU-1: diproses. Dicek besok"], "the villager's SMS")
    check("ADU-1" in gw.cli("tickets", "list", "--status", "Diproses").stdout, "list by status in any case")


def test_ticket_village_corrected_history_keeps_the_old():
    out = gw.cli("tickets", "update", "adu 1", "--desa", "Kopeng").stdout
    check("village 33.22.01.2003 (was 33.22.18.2002)" in out, out)
    check("no SMS" in out, out)
    check_eq(len(outbox(V, "ticket")), 1, "a correction alone is no news for the villager")
    check("ADU-1" in gw.cli("tickets", "list", "--desa", "Kopeng").stdout, "listed under Kopeng now")
    check("ADU-1" not in gw.cli("tickets", "list", "--desa", "Kalisidi").stdout, "not under Kalisidi")
    show = gw.cli("tickets", "show", "ADU-1").stdout
    check("33.22.18.2002" in show, "the history keeps the old village: " + show)
    check_eq(gw.sql("SELECT status || '|' || note FROM ticket_history ORDER BY id DESC LIMIT 1"),
             "diproses|Dicek besok", "status and note stay")
    r = gw.cli("tickets", "update", "ADU-1", "--desa", "Nowhere", check=False)
    check_eq(r.returncode, 1, "an unknown village refused")


def test_long_note_cut_in_the_sms_whole_in_status():
    out = gw.cli("tickets", "update", "ADU-1", "--status", "selesai", "--note", LONG_NOTE).stdout
    line = [l for l in out.splitlines() if l.startswith("note cut")]
    check(line, "the command says the note was cut: " + out)
    sent = int(line[0].split(":")[1].split()[0])
    check("of %d characters sent" % len(LONG_NOTE) in line[0], line[0])
    sms = outbox(V, "ticket")[-1]
    check(len(sms) <= 160, "one SMS: %d" % len(sms))
    check(sms.endswith(".. Lengkap: kirim STATUS ADU-1"), sms)
    check(LONG_NOTE[:sent] in sms and LONG_NOTE[:sent + 1] not in sms, "exactly %d sent: %s" % (sent, sms))
    gw.inject(V, "STATUS ADU-1")
    reply = wait_until("STATUS answered", lambda: outbox(V, "reply", "STATUS tiket ADU-1%"))
    check_eq(reply[-1], "STATUS tiket ADU-1: selesai. " + LONG_NOTE, "STATUS shows the whole note")
    r = gw.cli("tickets", "update", "ADU-1", "--note", "x" * 301, check=False)
    check_eq(r.returncode, 2, "a note STATUS could not show whole is refused")


# ---- meetings ---------------------------------------------------------

def meeting_ids():
    return dict((l.split("|")[1] + " " + l.split("|")[2], int(l.split("|")[0]))
                for l in gw.sql("SELECT id, desa, tanggal FROM meetings").splitlines())


def reminders(day):
    return gw.sql("SELECT number || '|' || text || '|' || state FROM outbox WHERE purpose = 'reminder' "
                  "AND text LIKE '%%%s%%' ORDER BY number" % day).splitlines()


def test_meetings_listed_for_every_village_by_date():
    for desa, date, time in (("Kalisidi", "2027-12-20", "19:30"), ("Kalisidi", "21/12/2027", "19:30"),
                             ("Kopeng", "2027-12-24", "22:00")):
        out = gw.cli("meetings", "add", "--desa", desa, "--date", date, "--time", time, "--type", "RKP",
                     "--place", "Balai Desa").stdout
        check("announced to" in out, out)
    out = gw.cli("meetings", "list").stdout
    check("33.22.18.2002" in out and "33.22.01.2003" in out, "every village: " + out)
    check(out.index("2027-12-20") < out.index("2027-12-21") < out.index("2027-12-24"), "by date")
    out = gw.cli("meetings", "list", "--desa", "Kopeng").stdout
    check("2027-12-24" in out and "2027-12-20" not in out, out)
    out = gw.cli("meetings", "list", "--from", "21/12/2027", "--to", "2027-12-23").stdout
    check("2027-12-21" in out and "2027-12-20" not in out and "2027-12-24" not in out, out)
    r = gw.cli("meetings", "list", "--from", "2027-13-01", check=False)
    check_eq(r.returncode, 2, "a wrong date refused")
    check("YYYY-MM-DD or d/m/yyyy" in r.stderr, r.stderr)


def test_cancel_tells_those_told_and_no_reminder():
    mid = meeting_ids()["33.22.18.2002 2027-12-20"]
    out = gw.cli("meetings", "cancel", str(mid), "--reason", "kepala desa dinas luar").stdout
    check("cancelled; announced to 2" in out, out)
    want = "Mohon maaf, musyawarah RKP desa Kalisidi 20/12 jam 19:30 DIBATALKAN. Alasan: kepala desa dinas luar"
    check_eq(outbox(P, "announcement", "Mohon maaf%"), [want], "P told")
    check_eq(outbox(V, "announcement", "Mohon maaf%"), [want], "V told")
    check_eq(outbox(W1, "announcement", "Mohon maaf%"), [], "not those never told")
    r = gw.cli("meetings", "cancel", str(mid), check=False)
    check(r.returncode == 1 and "cancelled already" in r.stderr, r.stderr)
    check("2027-12-20" not in gw.cli("meetings", "list").stdout, "no longer listed")
    # the day before, at the meeting's time: the old gateway sent "besok"
    gw.start("--now", "2027-12-19T19:30")
    wait_until("cancellation sent", lambda: gw.sql(
        "SELECT COUNT(*) FROM outbox WHERE text LIKE 'Mohon maaf%' AND state = 'sent'") == "2")
    gw.stop()
    check_eq(reminders("20/12"), [], "a cancelled meeting gets no reminder")


def test_update_announces_and_moves_the_reminder():
    mid = meeting_ids()["33.22.18.2002 2027-12-21"]
    out = gw.cli("meetings", "update", str(mid), "--date", "23/12/2027", "--time", "9:00",
                 "--place", "Balai RW 3").stdout
    check("change announced to 2" in out, out)
    check("reminder moved to 2027-12-22 09:00" in out, out)
    check_eq(outbox(V, "announcement", "Perubahan%"),
             ["Perubahan: musyawarah RKP desa Kalisidi menjadi 23/12 jam 09:00 di Balai RW 3 "
              "(semula 21/12 jam 19:30 di Balai Desa). Mohon hadir."], "the change")
    r = gw.cli("meetings", "update", str(mid), "--place", "Balai RW 3", check=False)
    check(r.returncode == 1 and "nothing to announce" in r.stderr, r.stderr)
    gw.start("--now", "2027-12-20T19:30")     # the old reminder's time
    wait_until("change sent", lambda: gw.sql(
        "SELECT COUNT(*) FROM outbox WHERE text LIKE 'Perubahan%' AND state = 'sent'") == "2")
    gw.stop()
    check_eq(reminders("21/12"), [], "no reminder for the old date")
    gw.start("--now", "2027-12-22T09:00")
    rows = wait_until("the moved reminder", lambda: reminders("23/12"))
    check_eq([r.split("|")[0] for r in rows], [P, V], "to those of the village")
    check_eq(rows[0].split("|")[1],
             "Pengingat: besok musyawarah RKP desa Kalisidi, 23/12 jam 09:00 di Balai RW 3.", "text")
    gw.stop()


def test_cancel_drops_a_reminder_held_by_quiet_hours():
    mid = meeting_ids()["33.22.01.2003 2027-12-24"]
    gw.start("--now", "2027-12-23T22:00")      # due now, held to 06:00
    rows = wait_until("reminder queued", lambda: reminders("24/12"))
    gw.stop()
    check(all(r.endswith("|queued") for r in rows), "held: %s" % rows)
    out = gw.cli("meetings", "cancel", str(mid)).stdout
    check("%d SMS about it still waiting dropped" % len(rows) in out, out)
    gw.start("--now", "2027-12-24T06:30")
    wait_until("cancellation sent", lambda: gw.sql(
        "SELECT COUNT(*) FROM outbox WHERE text LIKE 'Mohon maaf%%24/12%%' AND state = 'sent'") == "2")
    gw.stop()
    check(all(r.endswith("|dead") for r in reminders("24/12")), "never sent: %s" % reminders("24/12"))
    check_eq(gw.sql("SELECT DISTINCT reason FROM outbox WHERE purpose = 'reminder' AND text LIKE '%24/12%'"),
             "dropped: the meeting was cancelled", "with the reason")


# ---- broadcasts -------------------------------------------------------

def test_broadcast_kecamatan_and_role_groups():
    out = gw.cli("broadcast", "KECAMATAN:Getasan", "Kerja bakti Minggu").stdout
    check(out.startswith("3 SMS queued"), "PK, W1, WB (W2 opted out): " + out)
    out = gw.cli("broadcast", "warga@kec:getasan", "Posyandu Rabu").stdout
    check(out.startswith("2 SMS queued"), "W1, WB: " + out)
    out = gw.cli("broadcast", "WARGA@Kopeng", "Musdes Kopeng").stdout
    check(out.startswith("1 SMS queued"), "W1: " + out)
    check_eq(gw.sql("SELECT number FROM outbox WHERE text = 'Musdes Kopeng'"), W1, "only W1")
    out = gw.cli("broadcast", "PENDAMPING@KECAMATAN:Getasan", "Rapat pendamping").stdout
    check_eq(gw.sql("SELECT number FROM outbox WHERE text = 'Rapat pendamping'"), PK, "only PK")
    for bad in ("KECAMATAN:Getasn", "LURAH@Kopeng", "Getasn"):
        r = gw.cli("broadcast", bad, "x", check=False)
        check(r.returncode == 1 and "unknown group" in r.stderr, bad + ": " + r.stderr)


def test_dry_run_counts_parts_and_timing():
    before = gw.sql("SELECT COUNT(*) FROM outbox")
    out = gw.cli("broadcast", "--dry-run", "KECAMATAN:Getasan", "x" * 200).stdout
    check("would reach 3 numbers (1 skipped: opted out)" in out, out)
    check("2 SMS parts per message, 6 in all" in out, out)
    check_eq(gw.sql("SELECT COUNT(*) FROM outbox"), before, "nothing queued")
    out = gw.cli("broadcast", "--dry-run", "WARGA", "Salam sejahtera \u263a").stdout
    check("1 SMS part per message" in out, "UCS-2, one part: " + out)
    # the clock at the office: quiet hours 21:00-06:00 (Jakarta), and an
    # hourly budget of 2: three go in two hours' batches
    with open(gw.config) as f:
        ini = f.read()
    with open(gw.config, "w") as f:
        f.write(ini.replace("hourly_budget = 1000", "hourly_budget = 2"))
    # what the daemon sent on its fake clock is stamped in 2027, which the
    # budget would count as this hour's: put those sends two hours back
    gw.sql("UPDATE outbox SET sent_at = CAST(strftime('%s','now') AS INTEGER) - 7200 "
           "WHERE sent_at > CAST(strftime('%s','now') AS INTEGER) - 3600")
    now = datetime.datetime.utcnow() + datetime.timedelta(hours=7)
    quiet = now.hour >= 21 or now.hour < 6
    out = gw.cli("broadcast", "--dry-run", "KECAMATAN:Getasan", "Kerja bakti").stdout
    line = [l for l in out.splitlines() if l.startswith("sending")][0]
    if quiet:
        start = now if now.hour < 6 else now + datetime.timedelta(days=1)
        first = start.strftime("%Y-%m-%d") + " 06:00"
        check("first %s, last %s" % (first, start.strftime("%Y-%m-%d") + " 07:00") in line, line)
    else:
        check("first now, last " in line and not line.endswith("last now"), line)


def main():
    global gw
    s = Suite("e2e-office-actions")
    gw = Gateway("office-actions", extra_kentongan="quiet_hours = 21:00-06:00\nhourly_budget = 1000\n"
                 "digest_time = none")
    setup()
    try:
        gw.start()
        for t in (test_ticket_status_any_case_and_the_valid_ones_listed,
                  test_ticket_village_corrected_history_keeps_the_old,
                  test_long_note_cut_in_the_sms_whole_in_status):
            s.run(t)
        gw.stop()
        for t in (test_meetings_listed_for_every_village_by_date,
                  test_cancel_tells_those_told_and_no_reminder,
                  test_update_announces_and_moves_the_reminder,
                  test_cancel_drops_a_reminder_held_by_quiet_hours,
                  test_broadcast_kecamatan_and_role_groups,
                  test_dry_run_counts_parts_and_timing):
            s.run(t)
    finally:
        gw.stop()
    s.finish()


if __name__ == "__main__":
    main()
