"""A year of a busy office written straight into a migrated database, for
the console's benchmark: messages, tickets with their records and
history, the other reports, contacts, meetings, consultations and the
outbox, in the shapes the gateway itself writes them (a live run's rows
were the model). The count triggers of store migration 8 keep row_counts
as the rows go in.

Times run forward with the row ids, as they do in a real store: message
n+1 arrived after message n. Everything in the outbox that could still
be sent is due next year, so the daemon sends none of it while measured."""

import random
import sqlite3
import time

STATUSES = ["baru"] * 3 + ["diproses"] * 3 + ["selesai"] * 3 + ["ditolak"]
ADU_TOPICS = ["jalan rusak di RT %d", "lampu jalan mati di dusun %d", "saluran air mampet RT %d",
              "jembatan retak dekat balai %d", "sampah menumpuk di pasar blok %d",
              "bantuan sembako belum sampai RT %d"]
ASP_TOPICS = ["mohon tambah anggaran posyandu %d", "usul perbaikan irigasi blok %d",
              "mohon pelatihan pemuda angkatan %d"]
JENIS = ["RPJM", "RKP", "APB", "PERDES", "SOS", "EVAL", "KAD", "LAIN"]
NOTES = ["sudah dicek petugas", "diteruskan ke dinas PU", "selesai diperbaiki",
         "di luar kewenangan desa", "menunggu anggaran"]
OTHER_TEXTS = ["STATUS ADU-%d", "halo pak, rapat besok jam berapa %d", "terima kasih %d",
               "BERHENTI", "info rapat desa minggu ini? %d", "cek pulsa %d", "MULAI"]
PURPOSES = ["reply"] * 5 + ["broadcast", "reminder", "ticket", "announcement", "notify"]
OUT_STATES = ["sent"] * 5 + ["delivered"] * 3 + ["dead", "failed", "queued", "withheld"]


def counts_from_env(env):
    """The row counts, BENCH_CONSOLE_* in env overriding the defaults."""
    want = {"messages": 1000000, "tickets": 100000, "reports": 20000, "contacts": 5000,
            "meetings": 2000, "perdes": 200, "outbox": 300000, "numbers": 20000}
    return {k: int(env.get("BENCH_CONSOLE_" + k.upper(), v)) for k, v in want.items()}


def digits(code):
    return code.replace(".", "")


def seed(db, villages, n, now=None, rnd=None):
    """Fill db (migrated, daemon stopped). villages: village codes (as the
    store keeps them) the office's rows spread over; n: counts_from_env.
    Returns what a benchmark needs to name pages by: the busiest number,
    the village with most tickets, the last full month."""
    rnd = rnd or random.Random(18)
    now = int(now or time.time())
    year = 365 * 86400
    t0 = now - year
    numbers = ["+62812%07d" % (1000000 + i) for i in range(n["numbers"])]
    home = {num: rnd.choice(villages) for num in numbers}
    c = sqlite3.connect(db, isolation_level=None)
    c.execute("PRAGMA journal_mode=WAL")
    c.execute("BEGIN")

    perdes = []
    for i in range(n["perdes"]):
        desa = villages[i % len(villages)]
        code = "PD%02d" % (i // len(villages) + 1)
        created = t0 + rnd.randrange(year)
        closed = i % 3 == 0
        perdes.append(code)
        c.execute("INSERT INTO perdes (code, desa, title, until, state, created_at, closed_at)"
                  " VALUES (?, ?, ?, date(?, 'unixepoch', '+30 days'), ?, ?, ?)",
                  (code, desa, "Rancangan Perdes nomor %d" % (i + 1), created,
                   "closed" if closed else "open", created, created + 30 * 86400 if closed
                   else None))
    perdes = perdes or ["PD01"]

    # Which messages are reports: tickets and other reports, at random ids.
    nrec = min(n["tickets"] + n["reports"], n["messages"])
    rec_ids = set(rnd.sample(range(1, n["messages"] + 1), nrec))
    ticket_ids = set(rnd.sample(sorted(rec_ids), min(n["tickets"], nrec)))
    step = year / max(n["messages"], 1)

    def when(i):
        return int(t0 + i * step)

    def messages():
        for i in range(1, n["messages"] + 1):
            num = rnd.choice(numbers)
            if i in ticket_ids:
                desa = home[num]
                if rnd.random() < 0.7:
                    kind, text = "aduan", "ADUAN %s %s" % (
                        digits(desa), rnd.choice(ADU_TOPICS) % rnd.randrange(1, 20))
                else:
                    kind, text = "aspirasi", "ASPIRASI %s %s" % (
                        rnd.choice(perdes), rnd.choice(ASP_TOPICS) % rnd.randrange(1, 20))
            elif i in rec_ids:
                kind, text = rnd.choice((("rapat", "RAPAT %s 5/11 RKP 45 30"),
                                         ("kader", "KADER %s 27/11 25 posyandu balita")))
                text = text % digits(home[num])
            else:
                kind, text = None, rnd.choice(OTHER_TEXTS).replace("%d", str(i % 997))
            state = "processed" if kind else rnd.choice(("processed", "ignored", "rejected"))
            yield (i, num, when(i), text.encode(), state, kind)
    c.executemany("INSERT INTO messages (id, number, number_raw, sender_class, received_at,"
                  " smsc_time, text, state, kind, processed_at)"
                  " VALUES (?1, ?2, ?2, 0, ?3, ?3, ?4, ?5, ?6, ?3)", messages())

    # The reports, their tickets and the tickets' history.
    seq = {"ADU": 0, "ASP": 0}
    busiest = {}
    rec_rows, tickets, history = [], [], []
    for mid, num, at, text, kind in c.execute(
            "SELECT id, number, received_at, text, kind FROM messages WHERE kind IS NOT NULL"
            " ORDER BY id").fetchall():
        words = text.decode().split(" ", 2)
        desa = home[num]
        day = time.strftime("%Y-%m-%d", time.gmtime(at + 7 * 3600))
        if kind == "aduan":
            rec_rows.append((mid, kind, num, desa, None, None, None, None, None, None,
                             words[2], None, "counted", at, desa))
        elif kind == "aspirasi":
            rec_rows.append((mid, kind, num, desa, None, None, None, None, None, None,
                             words[2], words[1], "counted", at, ""))
        elif kind == "rapat":
            rec_rows.append((mid, kind, num, desa, day, rnd.choice(JENIS), rnd.randrange(5, 60),
                             rnd.randrange(5, 60), None, None, None, None,
                             rnd.choice(("counted",) * 8 + ("not_counted", "withdrawn")), at, desa))
        else:
            rec_rows.append((mid, kind, num, desa, day, None, None, None, rnd.randrange(5, 40),
                             "posyandu balita", None, None, "counted", at, desa))
    c.executemany("INSERT INTO records (message_id, kind, number, desa, tanggal, jenis, laki,"
                  " perempuan, jumlah, topik, isi, perdes, state, created_at, desa_input)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rec_rows)
    for rid, kind, num, desa, at in c.execute(
            "SELECT id, kind, number, desa, created_at FROM records"
            " WHERE kind IN ('aduan', 'aspirasi') ORDER BY id").fetchall():
        typ = "ADU" if kind == "aduan" else "ASP"
        seq[typ] += 1
        status = rnd.choice(STATUSES)
        changed = min(at + rnd.randrange(3600, 20 * 86400), now)
        tickets.append((typ, seq[typ], rid, num, status, at,
                        changed if status != "baru" else at))
        busiest[desa] = busiest.get(desa, 0) + 1
    c.executemany("INSERT INTO tickets (type, seq, record_id, number, status, created_at,"
                  " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", tickets)
    for tid, status, at, changed in c.execute(
            "SELECT id, status, created_at, updated_at FROM tickets ORDER BY id").fetchall():
        history.append((tid, "baru", "", at))
        if status != "baru":
            history.append((tid, status, rnd.choice(NOTES), changed))
    c.executemany("INSERT INTO ticket_history (ticket_id, status, note, at) VALUES (?, ?, ?, ?)",
                  history)

    # Contacts: the senders first, a pendamping or two in every village.
    roles = ["warga"] * 8 + ["pendamping"] * 2
    crow, cdesa = [], []
    for i, num in enumerate(numbers[:n["contacts"]]):
        role = "koordinator" if i < 5 else rnd.choice(roles)
        at = t0 + rnd.randrange(year)
        crow.append((num, "Warga %s nomor %d" % (home[num], i), role, home[num],
                     1 if i % 50 == 7 else 0, at))
        cdesa.append((num, home[num]))
    c.executemany("INSERT INTO contacts (number, number_raw, name, role, desa, opted_out,"
                  " created_at, updated_at) VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?6)", crow)
    c.executemany("INSERT INTO contact_desa (number, desa) VALUES (?, ?)", cdesa)

    c.executemany("INSERT INTO meetings (desa, tanggal, waktu, jenis, tempat, created_at,"
                  " announced_at, state, reason) VALUES (?, date(?, 'unixepoch'), ?, ?, ?, ?, ?,"
                  " ?, ?)",
                  ((rnd.choice(villages), t0 + rnd.randrange(year + 60 * 86400),
                    "%02d:00" % rnd.randrange(8, 20), rnd.choice(JENIS), "Balai desa",
                    t0 + rnd.randrange(year), t0 + rnd.randrange(year),
                    "cancelled" if i % 20 == 0 else "scheduled",
                    "hujan deras" if i % 20 == 0 else "") for i in range(n["meetings"])))

    # The outbox: a reply to a message (one at most: outbox_one_reply),
    # the rest initiated; anything that could still go is due next year.
    def outbox():
        later = now + 366 * 86400
        for i in range(n["outbox"]):
            purpose = rnd.choice(PURPOSES)
            state = rnd.choice(OUT_STATES)
            mid = i + 1 if purpose == "reply" and i < n["messages"] else None
            at = when(mid) if mid else t0 + rnd.randrange(year)
            num = rnd.choice(numbers)
            final = state in ("sent", "delivered", "dead", "withheld")
            yield (num, "Balasan otomatis nomor %d" % i, purpose, mid, state,
                   at if final else later, at, at + 5 if state in ("sent", "delivered") else None,
                   "gammu" if state in ("sent", "delivered") else None,
                   at + 30 if state == "delivered" else None,
                   "quiet_hours" if state == "withheld" else None)
    c.executemany("INSERT INTO outbox (number, text, purpose, message_id, priority, state,"
                  " next_at, created_at, sent_at, modem, delivered_at, reason)"
                  " VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)", outbox())
    # a reply goes to the number its message came from
    c.execute("UPDATE outbox SET number = (SELECT number FROM messages m"
              " WHERE m.id = outbox.message_id) WHERE message_id IS NOT NULL")
    c.execute("COMMIT")
    top = c.execute("SELECT number FROM messages GROUP BY number ORDER BY COUNT(*) DESC"
                    " LIMIT 1").fetchone()
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    c.close()
    # the month before now's, in the gateway's zone (UTC+7, no DST)
    y, m = map(int, time.strftime("%Y %m", time.gmtime(now + 7 * 3600)).split())
    last_month = "%04d-%02d" % ((y, m - 1) if m > 1 else (y - 1, 12))
    return {"number": top[0] if top else numbers[0],
            "desa": max(busiest, key=busiest.get) if busiest else villages[0],
            "month": last_month}
