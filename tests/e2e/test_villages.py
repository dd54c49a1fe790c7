"""Issue 16, items 1, 2 and 9 (villages): a village name resolves where
people live. The national list (data/villages, 83k villages) is imported;
the gateway serves Kabupaten Semarang (area = 33.22). A name resolves among
the sender's own villages, then their kecamatan, then the area, then
everywhere; several candidates get a list, by SMS, USSD and at the office.
Through the real binary and database."""

import os
import sys
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, Gateway, Suite, check, check_eq, free_port, wait_until  # noqa: E402

NATIONAL = os.path.join(ROOT, "data", "villages", "wilayah-desa.csv.gz")
WATES = "33.22.01.2005"          # Wates, Kec. Getasan: 25 villages are called Wates
SUMOGAWE = "33.22.01.2007"
BATUR = "33.22.01.2002"          # Batur, Kec. Getasan (two more elsewhere)
JETIS_K = "33.22.17.2002"        # Jetis, Kec. Kaliwungu  } both in
JETIS_B = "33.22.20.2003"        # Jetis, Kec. Bandungan  } Kab. Semarang
KENTENG_S = "33.22.03.2012"      # Kenteng, Kec. Susukan (another in Bandungan)

VILLAGER = "+6285711110001"      # warga of Sumogawe
PLD = "+6281211110001"           # pendamping of Jetis (Bandungan) and Kenteng (Susukan)
KOORD = "+6281211110009"
STRANGER = "+6289900000001"
SECRET = "kunci-desa-getasan-2027"

gw = None
USSD = None


def send_and_reply(number, text):
    """Send text from number; (its message row, the reply) once processed."""
    before = len(gw.export("messages"))
    gw.inject(number, text)

    def processed():
        rows = [m for m in gw.export("messages") if m["direction"] == "in"
                and m["number"].lstrip("'") == number and m["text"] == text
                and m["state"] != "received"]
        return rows[-1] if rows else None
    msg = wait_until("processed: " + text, processed)
    wait_until("reply queued", lambda: len(gw.export("messages")) >= before + 2)
    out = [m for m in gw.export("messages") if m["direction"] == "out"
           and m["number"].lstrip("'") == number]
    return msg, out[-1]["text"]


def septets(text):
    return sum(2 if c in "[]{}~^\\|\u20ac" else 1 for c in text)


def records(number, kind):
    return [r for r in gw.export("records") if r["number"].lstrip("'") == number and r["kind"] == kind]


def ussd(session, phone, text):
    data = urllib.parse.urlencode({"sessionId": session, "serviceCode": "*123#", "phoneNumber": phone,
                                   "networkCode": "51010", "text": text}).encode()
    url = "http://127.0.0.1:%d/ussd?key=%s" % (USSD, SECRET)
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as r:
        return r.read().decode()


def setup():
    out = gw.cli("villages", "import", NATIONAL).stdout
    check("83762 villages imported" in out, out)
    path = os.path.join(gw.dir, "contacts.csv")
    with open(path, "w") as f:
        # a name is resolved by the office's import too, inside the area
        f.write("number,name,role,desa\n"
                "085711110001,Pak Darto,warga,Sumogawe\n"
                "081211110001,Ani Pendamping,pendamping,3322202003;3322032012\n"
                "081211110009,Citra Koordinator,koordinator,\n")
    out = gw.cli("contacts", "import", path).stdout
    check("3 contacts imported" in out, out)
    check(SUMOGAWE in gw.cli("contacts", "list").stdout, "Sumogawe by name, inside the area")


def test_area_resolves_a_common_name():
    # 25 villages are called Wates; one is in Kabupaten Semarang
    msg, rep = send_and_reply(STRANGER, "ADUAN Wates jembatan putus")
    check_eq(msg["state"], "processed", "state")
    check_eq(records(STRANGER, "aduan")[-1]["desa"], WATES, "the area's Wates")
    check("Wates" in rep, rep)


def test_candidates_listed_in_one_sms():
    # two Jetis inside the area: both listed with kecamatan and code
    msg, rep = send_and_reply(STRANGER, "ADUAN Jetis lampu jalan mati")
    check_eq((msg["state"], msg["detail"]), ("rejected", "desa_ambiguous"), "rejected")
    check("Ada 2 desa JETIS" in rep, rep)
    check("Kec. Kaliwungu 3322172002" in rep and "Kec. Bandungan 3322202003" in rep, rep)
    check("ADUAN" in rep and "kode desa" in rep, rep)
    check(septets(rep) <= 160, "one SMS: %d" % septets(rep))
    # outside the area: as many of the 119 Sukamaju as fit, and how many more
    msg, rep = send_and_reply(STRANGER, "ADUAN Sukamaju jalan rusak")
    check("Ada 119 desa SUKAMAJU" in rep and "lain" in rep, rep)
    check(rep.count("Kec. ") >= 2, "at least two candidates: " + rep)
    check(septets(rep) <= 160, "one SMS: %d %s" % (septets(rep), rep))
    check_eq(records(STRANGER, "aduan")[-1]["desa"], WATES, "no record for either")
    # with the code from the list, it goes through
    send_and_reply(STRANGER, "ADUAN 3322202003 lampu jalan mati")
    check_eq(records(STRANGER, "aduan")[-1]["desa"], JETIS_B, "by code")


def test_own_villages_first():
    # the facilitator's own Jetis, though the area has two
    msg, rep = send_and_reply(PLD, "RAPAT jetis 1/11 RKP 4 5")
    check_eq(msg["state"], "processed", "state: " + rep)
    rec = records(PLD, "rapat")[-1]
    check_eq((rec["desa"], rec["state"]), (JETIS_B, "counted"), "own village, counted")
    # her own Kenteng of Susukan, not the one in her first village's kecamatan
    send_and_reply(PLD, "KADER kenteng 2/11 10 posyandu")
    check_eq(records(PLD, "kader")[-1]["desa"], KENTENG_S, "own Kenteng")
    # a villager's own kecamatan: Batur of Getasan (two more elsewhere)
    send_and_reply(VILLAGER, "ADUAN Batur jalan licin")
    check_eq(records(VILLAGER, "aduan")[-1]["desa"], BATUR, "Batur of Getasan")


def test_aduan_defaults_to_the_senders_village():
    msg, rep = send_and_reply(VILLAGER, "aduan jalan ke sawah longsor")
    check_eq(msg["state"], "processed", "state: " + rep)
    rec = records(VILLAGER, "aduan")[-1]
    check_eq((rec["desa"], rec["isi"]), (SUMOGAWE, "jalan ke sawah longsor"), "whole text, own village")
    check("desa Sumogawe" in rep and rec["tiket"] in rep, "the reply names the village: " + rep)
    # one word, no isi at all
    msg, rep = send_and_reply(VILLAGER, "ADUAN longsor")
    check_eq(records(VILLAGER, "aduan")[-1]["isi"], "longsor", "one word")
    check("Sumogawe" in rep, rep)
    # a stranger has no village of their own: still unknown
    msg, rep = send_and_reply(STRANGER, "aduan jalan ke sawah longsor")
    check_eq(msg["detail"], "desa_unknown", "stranger")
    # a facilitator of two villages: no guess
    msg, rep = send_and_reply(PLD, "aduan jalan ke sawah longsor")
    check_eq(msg["detail"], "desa_unknown", "two villages")


def test_daftar_and_siaran_get_candidates():
    msg, rep = send_and_reply(STRANGER, "DAFTAR Jetis Siti Aminah")
    check("Ada 2 desa JETIS" in rep and "DAFTAR" in rep and "ADUAN" not in rep, rep)
    msg, rep = send_and_reply(KOORD, "SIARAN Jetis Musdes Senin jam 9")
    check_eq(msg["detail"], "desa_ambiguous", "SIARAN: " + rep)
    check("Ada 2 desa JETIS" in rep and "SIARAN" in rep, rep)
    msg, rep = send_and_reply(KOORD, "SIARAN Sumogawe Musdes Senin jam 9")
    check_eq(msg["state"], "processed", rep)
    check("1 penerima" in rep, rep)
    wait_until("the broadcast queued to the villager",
               lambda: [m for m in gw.export("messages") if m["direction"] == "out"
                        and m["number"].lstrip("'") == VILLAGER and "Musdes Senin" in m["text"]])


def test_ussd_offers_a_numbered_choice():
    text = ussd("v-1", STRANGER, "2*Jetis")
    check(text.startswith("CON Ada beberapa desa"), text)
    check("1 Jetis (Kaliwungu)" in text and "2 Jetis (Bandungan)" in text, text)
    text = ussd("v-1", STRANGER, "2*Jetis*2")
    check("Aduan untuk Jetis" in text, text)
    text = ussd("v-1", STRANGER, "2*Jetis*2*Saluran air mampet")
    check(text.startswith("END Aduan diterima"), text)
    check_eq(records(STRANGER, "aduan")[-1]["desa"], JETIS_B, "the picked Jetis")
    # the area decides on the keypad too
    text = ussd("v-2", STRANGER, "4*Wates")
    check(text.startswith("END Jadwal di Wates"), text)


def test_office_commands():
    out = gw.cli("villages", "find", "Wates").stdout
    check_eq(len([l for l in out.splitlines() if "Wates, Kec." in l]), 25, "every Wates listed")
    check(out.startswith(WATES + " Wates, Kec. Getasan, Kabupaten Semarang (area)"), out)
    check("Kec. Wates, Kabupaten Kulon Progo" in out, "with kecamatan and kabupaten")
    r = gw.cli("villages", "find", "Jetis", check=False)
    check_eq(r.returncode, 1, "ambiguous")
    check("25 villages have this name, 2 inside the area" in r.stdout, r.stdout)
    r = gw.cli("meetings", "add", "--desa", "Jetis", "--date", "2030-01-05", "--time", "09:00",
               "--type", "RKP", check=False)
    check(r.returncode == 1 and "3322172002" in r.stderr.replace(".", "")
          and "Kaliwungu" in r.stderr and "Bandungan" in r.stderr, r.stderr)
    r = gw.cli("broadcast", "Jetis", "Kerja bakti", check=False)
    check(r.returncode == 1 and "Kaliwungu" in r.stderr, r.stderr)
    r = gw.cli("broadcast", "Sumogawe", "Kerja bakti Minggu")
    check("1 SMS queued" in r.stdout, r.stdout)
    r = gw.cli("tickets", "list", "--desa", "wates")
    check("Wates" in r.stdout or WATES in r.stdout, r.stdout)


def test_check_config_verifies_the_area():
    check_eq(gw.cli("check-config").stdout.strip(), "configuration OK", "the area is known")
    bad = os.path.join(gw.dir, "bad.ini")
    with open(gw.config) as f:
        text = f.read()
    with open(bad, "w") as f:
        f.write(text.replace("area = 33.22", "area = 33.22, 33.99"))
    r = gw.cli("check-config", "-c", bad, check=False)
    check_eq(r.returncode, 1, "exit")
    check("bad.ini:" in r.stderr and "area: no imported village has a code starting 33.99" in r.stderr, r.stderr)
    # without an area every Wates counts: ambiguous from the office
    with open(bad, "w") as f:
        f.write(text.replace("area = 33.22", ""))
    r = gw.cli("villages", "find", "Wates", "-c", bad, check=False)  # the last -c wins
    check("25 villages have this name; use the code" in r.stdout, r.stdout)


def main():
    global gw, USSD
    s = Suite("e2e-villages")
    USSD = free_port()
    gw = Gateway("villages", extra_kentongan="area = 33.22\nreplies_per_hour = 100\nerror_reply_minutes = 0",
                 extra="[ussd]\nlisten = 127.0.0.1:%d\npath = /ussd\nsecret = %s\n" % (USSD, SECRET))
    gw.start()
    try:
        setup()
        for t in (test_area_resolves_a_common_name, test_candidates_listed_in_one_sms,
                  test_own_villages_first, test_aduan_defaults_to_the_senders_village,
                  test_daftar_and_siaran_get_candidates, test_ussd_offers_a_numbered_choice,
                  test_office_commands, test_check_config_verifies_the_area):
            s.run(t)
    finally:
        gw.stop()
    s.finish()


if __name__ == "__main__":
    main()
