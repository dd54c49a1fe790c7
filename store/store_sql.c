/* Every statement the store runs, indexed by enum stmt_id (store_int.h). */
#include "store/store_int.h"

/* Who a reminder or a broadcast reaches (struct recipient_query): by role
 * (or everyone), village or kecamatan; ?5 (YYYY-MM) keeps only
 * facilitators with no report dated then; ?4 = 1 counts those who opted
 * out too; ?6 is left out (the sender of a SIARAN). */
#define RECIPIENTS_WHERE \
	" WHERE (c.opted_out = 0 OR ?4 = 1) AND (?6 IS NULL OR c.number != ?6)" \
	" AND (?1 IS NULL OR ?1 = 'semua' OR c.role = ?1)" \
	" AND (?2 IS NULL OR EXISTS (SELECT 1 FROM contact_desa d" \
	"  WHERE d.number = c.number AND d.desa = ?2))" \
	" AND (?3 IS NULL OR EXISTS (SELECT 1 FROM contact_desa d" \
	"  JOIN villages w ON w.code = d.desa WHERE d.number = c.number" \
	"  AND upper(w.kecamatan) = upper(?3)))" \
	" AND (?5 IS NULL OR (c.role = 'pendamping' AND NOT EXISTS (SELECT 1" \
	"  FROM records r WHERE r.number = c.number AND r.kind IN ('rapat'," \
	"  'kader') AND r.state != 'withdrawn'" \
	"  AND substr(r.tanggal, 1, 7) = ?5)))"

/* Initiated SMS to ?1 sent (or taken by Kannel) since ?3, or going now:
 * the daily cap's count. */
#define POLICY_TODAY \
	"SELECT COUNT(*) FROM outbox WHERE number = ?1 AND purpose != 'reply'" \
	" AND (state = 'sending' OR (" OUTBOX_TAKEN " AND sent_at >= ?3))"

/* A meeting as store_meeting_row reads it. */
#define MEETING_COLUMNS "id, desa, tanggal, waktu, jenis, tempat, created_at," \
	" COALESCE(announced_at, 0), state, reason"

const char *const store_sql[Q__COUNT] = {
	[Q_SMS_INSERT] =
	"INSERT INTO sms_in (dedup_key, modem, number, number_raw,"
	" sender_class, smsc_time, received_at, coding, text, concat_ref,"
	" concat_total, concat_seq, is_report, report_ref, report_status,"
	" is_binary, state, message_id, kannel_id)"
	" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,"
	" ?19) ON CONFLICT DO NOTHING",
	[Q_SMS_LINK] =
	"UPDATE sms_in SET message_id = ?2 WHERE id = ?1",
	[Q_PART_COUNT] =
	"SELECT COUNT(DISTINCT concat_seq) FROM sms_in WHERE state = 'waiting'"
	" AND part_set = ?1",
	/* MIN(id) makes the bare columns come from the first copy of a part. */
	[Q_PART_TEXTS] =
	"SELECT concat_seq, text, MIN(id), number_raw, sender_class,"
	" MIN(received_at), number, smsc_time FROM sms_in"
	" WHERE state = 'waiting' AND part_set = ?1"
	" GROUP BY concat_seq ORDER BY concat_seq",
	[Q_PARTS_JOIN] =
	"UPDATE sms_in SET state = 'joined', message_id = ?2"
	" WHERE state = 'waiting' AND part_set = ?1",
	[Q_PARTS_EXPIRED] =
	"SELECT part_set, MAX(concat_total) FROM sms_in"
	" WHERE state = 'waiting' GROUP BY part_set HAVING MIN(received_at) < ?1",
	/* The same part again (same number, the same seq and text, ?5..?6 the
	 * SMSC time window): the nearest copy, waiting or already joined. */
	[Q_PART_COPY_OF] =
	"SELECT part_set, state, message_id FROM sms_in"
	" WHERE number = ?1 AND concat_ref = ?2 AND concat_total = ?3"
	" AND concat_seq = ?4 AND concat_total > 1 AND smsc_time BETWEEN ?5 AND ?6"
	" AND text = ?7 AND id != ?8 ORDER BY abs(smsc_time - ?9), id LIMIT 1",
	/* The waiting set a new part ?4 sent at ?5 belongs to: one that lacks
	 * that part and stays within the window ?6 with it, the nearest in
	 * SMSC time. An unknown time (0) fits anything. */
	[Q_PART_SET_PICK] =
	"SELECT part_set FROM sms_in WHERE state = 'waiting'"
	" AND number = ?1 AND concat_ref = ?2 AND concat_total = ?3 AND id != ?7"
	" GROUP BY part_set HAVING SUM(concat_seq = ?4) = 0"
	" AND (?5 = 0 OR MIN(NULLIF(smsc_time, 0)) IS NULL"
	" OR max(MAX(smsc_time), ?5) - min(MIN(NULLIF(smsc_time, 0)), ?5) <= ?6)"
	" ORDER BY COALESCE(MIN(abs(NULLIF(smsc_time, 0) - ?5)), 0), part_set"
	" LIMIT 1",
	[Q_PART_PLACE] =
	"UPDATE sms_in SET part_set = ?2, state = ?3, message_id = ?4"
	" WHERE id = ?1",
	[Q_MSG_INSERT] =
	"INSERT INTO messages (channel, number, number_raw, sender_class,"
	" received_at, text, parts, incomplete, is_report, is_binary, state,"
	" smsc_time)"
	" VALUES ('sms', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'received', ?10)",
	[Q_MSG_RECEIVED] =
	"SELECT id FROM messages WHERE state = 'received' ORDER BY id LIMIT ?1",
	[Q_MSG_GET] =
	"SELECT id, number, number_raw, sender_class, received_at, parts,"
	" incomplete, is_report, is_binary, channel, text,"
	" COALESCE(smsc_time, 0) FROM messages WHERE id = ?1",
	[Q_MSG_DONE] =
	"UPDATE messages SET state = ?2, kind = ?3, error = ?4, note = ?5,"
	" processed_at = ?6 WHERE id = ?1",
	[Q_CONTACT_GET] =
	"SELECT number, number_raw, name, role, desa, opted_out"
	" FROM contacts WHERE number = ?1",
	/* opted_out is set for a new contact only: an existing one's changes
	 * by BERHENTI and MULAI from that number (Q_CONTACT_OPT_OUT), never
	 * by an office import or edit. */
	[Q_CONTACT_PUT] =
	"INSERT INTO contacts (number, number_raw, name, role, desa, opted_out,"
	" consent_at, created_at, updated_at) SELECT ?1, ?2, ?3, ?4, ?5,"
	" COALESCE(k.opted_out, ?6), k.consent_at, ?7, ?7"
	" FROM (SELECT 1) LEFT JOIN consent_kept k ON k.number = ?1 WHERE 1"
	" ON CONFLICT (number) DO UPDATE SET number_raw = excluded.number_raw,"
	" name = excluded.name, role = excluded.role, desa = excluded.desa,"
	" updated_at = excluded.updated_at",
	[Q_RECORD_INSERT] =
	"INSERT INTO records (message_id, kind, number, desa, tanggal, jenis,"
	" laki, perempuan, jumlah, topik, catatan, isi, perdes, state, flags,"
	" created_at, desa_input, duplicate_of) VALUES (?1,?2,?3,?4,?5,?6,?7,"
	"?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)",
	[Q_TICKET_NEXT] =
	"SELECT COALESCE(MAX(seq), 0) + 1 FROM tickets WHERE type = ?1",
	[Q_TICKET_INSERT] =
	"INSERT INTO tickets (type, seq, record_id, number, status, created_at,"
	" updated_at) VALUES (?1, ?2, ?3, ?4, 'baru', ?5, ?5)",
	[Q_TICKET_HISTORY] =
	"INSERT INTO ticket_history (ticket_id, status, note, at, desa_was)"
	" VALUES (?1, ?2, ?3, ?4, ?5)",
	[Q_TICKET_GET] =
	"SELECT t.number, t.status, COALESCE((SELECT note FROM ticket_history h"
	" WHERE h.ticket_id = t.id ORDER BY h.id DESC LIMIT 1), ''), r.desa"
	" FROM tickets t JOIN records r ON r.id = t.record_id"
	" WHERE t.type = ?1 AND t.seq = ?2",
	[Q_RECORD_GET] =
	"SELECT number, kind, state, created_at, desa, COALESCE(tanggal, ''),"
	" COALESCE(jenis, ''), flags, COALESCE(duplicate_of, 0), review_note"
	" FROM records WHERE id = ?1",
	/* ?1 the new state, ?2 the record, ?3 now, ?4 the note */
	[Q_RECORD_REVIEW] =
	"UPDATE records SET state = ?1, reviewed_at = ?3, review_note = ?4"
	" WHERE id = ?2 AND state != ?1",
	/* The earlier counted report a new one repeats: same sender, kind,
	 * village,
	 * date and (a RAPAT) type. */
	[Q_RECORD_SAME] =
	"SELECT id FROM records WHERE number = ?1 AND kind = ?2 AND desa = ?3"
	" AND tanggal = ?4 AND jenis IS ?5 AND state = 'counted'"
	" ORDER BY id LIMIT 1",
	/* The report that takes ?1's place once ?1 is withdrawn: the first
	 * that repeats it and waits for nothing else. */
	[Q_RECORD_SUCCESSOR] =
	"SELECT id FROM records WHERE duplicate_of = ?1"
	" AND state = 'not_counted' AND flags = 'duplicate' ORDER BY id LIMIT 1",
	/* ?2 counts in place of ?1: the other repeats of ?1 now repeat ?2 */
	[Q_RECORD_REPOINT] =
	"UPDATE records SET duplicate_of = ?2 WHERE duplicate_of = ?1"
	" AND id != ?2",
	/* A waiting report found, at review, to repeat counted report ?2 */
	[Q_RECORD_MARK_REPEAT] =
	"UPDATE records SET duplicate_of = ?2,"
	" flags = TRIM(flags || ' duplicate') WHERE id = ?1"
	" AND state = 'not_counted' AND ' ' || flags || ' ' NOT LIKE"
	" '% duplicate %'",
	/* ?5 is when the command was sent: one sent before the change that
	 * stands changes nothing, whenever it is read. */
	[Q_CONTACT_CONSENT] =
	/* a number the office removed comes back with the consent it kept
	 * (consent_kept), unless this one was sent later */
	"INSERT INTO contacts (number, number_raw, role, opted_out, consent_at,"
	" created_at, updated_at) SELECT ?1, ?2, 'warga',"
	" CASE WHEN k.consent_at > ?5 THEN k.opted_out ELSE ?3 END,"
	" max(COALESCE(k.consent_at, ?5), ?5), ?4, ?4"
	" FROM (SELECT 1) LEFT JOIN consent_kept k ON k.number = ?1 WHERE 1"
	" ON CONFLICT (number) DO UPDATE SET opted_out = excluded.opted_out,"
	" consent_at = excluded.consent_at, updated_at = excluded.updated_at"
	" WHERE contacts.consent_at IS NULL"
	" OR contacts.consent_at <= excluded.consent_at",
	[Q_CONTACT_CONSENT_GET] =
	"SELECT opted_out, COALESCE(consent_at, 0) FROM contacts"
	" WHERE number = ?1",
	/* sms_in_by_message; the first part's time for a long SMS */
	[Q_MSG_SENT_AT] =
	"SELECT COALESCE(MIN(NULLIF(smsc_time, 0)), 0) FROM sms_in"
	" WHERE message_id = ?1",
	/* At dispatch: one lookup on the primary key (sqlite_autoindex_contacts_1),
	 * then, for a number the office removed, what it had asked. */
	[Q_CONTACT_OPTED_OUT] =
	"SELECT COALESCE((SELECT opted_out FROM contacts WHERE number = ?1),"
	" (SELECT opted_out FROM consent_kept WHERE number = ?1), 0)",
	[Q_VILLAGE_PUT] =
	"INSERT INTO villages (code, name, name_key, kecamatan, kabupaten,"
	" provinsi) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (code) DO UPDATE"
	" SET name = excluded.name, name_key = excluded.name_key,"
	" kecamatan = excluded.kecamatan, kabupaten = excluded.kabupaten,"
	" provinsi = excluded.provinsi",
	[Q_VILLAGE_COUNT] =
	"SELECT COUNT(*) FROM villages",
	[Q_VILLAGE_BY_CODE] =
	"SELECT code, name, kecamatan, kabupaten FROM villages WHERE code = ?1",
	/* Every village of that name, with how it stands to the sender ?2:
	 * one of theirs, or in the kecamatan (33.22.01: the code's first
	 * eight characters) of one of theirs. */
	[Q_VILLAGE_BY_NAME] =
	"SELECT v.code, v.name, v.kecamatan, v.kabupaten,"
	" EXISTS (SELECT 1 FROM contact_desa d WHERE d.number = ?2"
	"  AND d.desa = v.code),"
	" EXISTS (SELECT 1 FROM contact_desa d WHERE d.number = ?2"
	"  AND substr(d.desa, 1, 8) = substr(v.code, 1, 8))"
	" FROM villages v WHERE v.name_key = ?1 ORDER BY v.code LIMIT 200",
	/* GLOB on the primary key is a range search; ?1 is digits and dots. */
	[Q_VILLAGE_PREFIX] =
	"SELECT EXISTS (SELECT 1 FROM villages WHERE code GLOB ?1 || '.*')",
	[Q_KECAMATANS] =
	"SELECT substr(code, 1, 8), kecamatan, kabupaten FROM villages"
	" GROUP BY 1 ORDER BY 1",
	[Q_CONTACT_RENAME] =
	"UPDATE contacts SET name = ?2, updated_at = ?3 WHERE number = ?1",
	[Q_CONTACT_DESA_CLEAR] =
	"DELETE FROM contact_desa WHERE number = ?1",
	[Q_CONTACT_DESA_ADD] =
	"INSERT OR IGNORE INTO contact_desa (number, desa) VALUES (?1, ?2)",
	[Q_CONTACT_DESA_PRIMARY] =
	"UPDATE contacts SET desa = ?2 WHERE number = ?1",
	[Q_CONTACT_HAS_DESA] =
	"SELECT 1 FROM contact_desa WHERE number = ?1 AND desa = ?2",
	[Q_CONTACT_DESA_FIRST] =
	"SELECT desa FROM contact_desa WHERE number = ?1 LIMIT 2",
	/* the first village (contacts.desa) first */
	[Q_CONTACT_DESA_LIST] =
	"SELECT d.desa FROM contact_desa d JOIN contacts c"
	" ON c.number = d.number WHERE d.number = ?1"
	" ORDER BY d.desa != c.desa, d.desa",
	/* A removed contact's word on consent outlives it (migration 13) */
	[Q_CONTACT_CONSENT_KEEP] =
	"INSERT OR REPLACE INTO consent_kept (number, opted_out, consent_at)"
	" SELECT number, opted_out, consent_at FROM contacts WHERE number = ?1"
	" AND (opted_out = 1 OR consent_at IS NOT NULL)",
	/* contact_desa goes with it (ON DELETE CASCADE); messages, records
	 * and tickets name the number, not the contact, and stay */
	[Q_CONTACT_REMOVE] =
	"DELETE FROM contacts WHERE number = ?1",
	[Q_TICKET_SET] =
	"UPDATE tickets SET status = ?3, updated_at = ?4"
	" WHERE type = ?1 AND seq = ?2 RETURNING id",
	[Q_PERDES_OPEN] =
	"INSERT INTO perdes (code, desa, title, until, state, created_at)"
	" VALUES (?1, ?2, ?3, ?4, 'open', ?5) ON CONFLICT (code, desa) DO UPDATE"
	" SET title = excluded.title, until = excluded.until, state = 'open',"
	" closed_at = NULL",
	[Q_PERDES_CLOSE] =
	"UPDATE perdes SET state = 'closed', closed_at = ?3"
	" WHERE code = ?1 AND (?2 IS NULL OR desa = ?2) AND state = 'open'"
	" RETURNING desa",
	[Q_PERDES_FIND] =
	"SELECT code, desa, title, until, state FROM perdes WHERE code = ?1"
	" AND (?2 IS NULL OR desa = ?2) AND state = 'open' AND until >= ?3"
	" LIMIT 2",
	[Q_PERDES_CODES] =
	"SELECT code FROM perdes WHERE desa = ?1 AND state = 'open'"
	" AND until >= ?2 ORDER BY code LIMIT 20",
	[Q_OUTBOX_INSERT] =
	"INSERT INTO outbox (number, text, purpose, message_id, priority, state,"
	" next_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 'queued', ?6, ?6)"
	" ON CONFLICT DO NOTHING",
	/* A reply that is not sent stays a row, with its reason: never
	 * silence nobody can see. */
	[Q_OUTBOX_WITHHOLD] =
	"INSERT INTO outbox (number, text, purpose, message_id, priority, state,"
	" next_at, created_at, reason) VALUES (?1, ?2, 'reply', ?3, 0,"
	" 'withheld', ?4, ?4, ?5) ON CONFLICT DO NOTHING",
	[Q_OUTBOX_SENDING] =
	"UPDATE outbox SET state = 'sending', tries = tries + 1, modem = ?2"
	" WHERE id = ?1 AND state IN ('queued','failed')",
	[Q_OUTBOX_SENT] =
	"UPDATE outbox SET state = 'sent', parts = ?2, sent_at = ?3"
	" WHERE id = ?1 AND state = 'sending'",
	[Q_OUTBOX_FAILED] =
	"UPDATE outbox SET state = 'failed', last_error = ?2, next_at = ?3"
	" WHERE id = ?1 AND state = 'sending'",
	[Q_OUTBOX_DEAD] =
	"UPDATE outbox SET state = 'dead', last_error = ?2"
	" WHERE id = ?1 AND state = 'sending'",
	/* A row left in 'sending' may or may not have left the modem: retry
	 * it once, and say so, so a duplicate is visible. */
	[Q_OUTBOX_RECOVER] =
	"UPDATE outbox SET state = 'queued', crash_retries = crash_retries + 1,"
	" next_at = ?1, last_error = 'interrupted while sending (' ||"
	" (crash_retries + 1) || 'x): may have been sent; retried'"
	" WHERE state = 'sending' AND crash_retries < ?2",
	[Q_OUTBOX_RECOVER_DEAD] =
	"UPDATE outbox SET state = 'dead',"
	" last_error = 'interrupted while sending ' || (crash_retries + 1) ||"
	" ' times; not retried' WHERE state = 'sending'",
	[Q_REPLIES_SINCE] =
	"SELECT COUNT(*) FROM outbox WHERE number = ?1 AND purpose = 'reply'"
	" AND created_at >= ?2 AND state != 'withheld'",
	/* ---- dispatch, parts, send classes, status reports ---- */
	/* Due rows, best first; a final failure (no_retry) is never due. */
	[Q_OBX_DUE] =
	"SELECT id, number, tries, purpose, COALESCE(modem, ''), parts_sent,"
	" crash_retries FROM outbox WHERE state IN ('queued','failed')"
	" AND no_retry = 0 AND next_at <= ?1"
	" ORDER BY priority DESC, next_at, id LIMIT ?2",
	[Q_OBX_TEXT] =
	"SELECT text, COALESCE(concat_ref, -1), parts_sent FROM outbox"
	" WHERE id = ?1",
	[Q_OBX_NEXT_DUE] =
	"SELECT MIN(next_at) FROM outbox WHERE state IN ('queued','failed')"
	" AND no_retry = 0",
	/* A resent part replaces the earlier try's row: its MR is the one a
	 * status report will carry. */
	[Q_OBX_PART] =
	"INSERT OR REPLACE INTO outbox_parts (outbox_id, seq, total, modem, mr,"
	" sent_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[Q_OBX_PARTS_SENT] =
	"UPDATE outbox SET parts_sent = ?2, concat_ref = ?3 WHERE id = ?1",
	[Q_OBX_PERMANENT] =
	"UPDATE outbox SET state = 'failed', no_retry = 1,"
	" error_class = 'permanent', last_error = ?2"
	" WHERE id = ?1 AND state = 'sending'",
	/* A local error is ours, not the message's: the try is given back. */
	[Q_OBX_LOCAL] =
	"UPDATE outbox SET state = 'queued', tries = MAX(tries - 1, 0),"
	" error_class = 'local', last_error = ?2, next_at = ?3"
	" WHERE id = ?1 AND state = 'sending'",
	/* Handed to the modem, never answered: maybe sent. Retried, like a
	 * row interrupted by a crash, and said so, up to ?4 times. */
	[Q_OBX_UNCERTAIN] =
	"UPDATE outbox SET state = CASE WHEN crash_retries < ?4 THEN 'queued'"
	" ELSE 'dead' END, crash_retries = crash_retries + 1,"
	" error_class = 'uncertain', next_at = ?3, last_error = ?2 ||"
	" CASE WHEN crash_retries < ?4 THEN '; maybe sent: retried'"
	" ELSE '; maybe sent, too often: not retried' END"
	" WHERE id = ?1 AND state = 'sending'",
	[Q_OBX_CLASS] =
	"UPDATE outbox SET error_class = ?2 WHERE id = ?1",
	[Q_OBX_SETTLE_FAIL] =
	"UPDATE outbox SET state = 'failed', no_retry = 1, error_class = 'report',"
	" last_error = 'status report: not delivered (TP-Status ' ||"
	" (SELECT MAX(report_status) FROM outbox_parts WHERE outbox_id = ?1"
	" AND reported_at IS NOT NULL) || ')'"
	" WHERE id = ?1 AND state IN ('sent','delivered') AND EXISTS (SELECT 1"
	" FROM outbox_parts WHERE outbox_id = ?1 AND reported_at IS NOT NULL"
	" AND report_status >= 64)",
	[Q_OBX_SETTLE_OK] =
	"UPDATE outbox SET state = 'delivered', delivered_at = ?2"
	" WHERE id = ?1 AND state = 'sent' AND parts > 0 AND (SELECT COUNT(*)"
	" FROM outbox_parts WHERE outbox_id = ?1 AND reported_at IS NOT NULL"
	" AND report_status < 32) >= parts",
	[Q_RPT_INFO] =
	"SELECT modem, COALESCE(report_ref, -1), COALESCE(report_status, -1),"
	" number FROM sms_in WHERE message_id = ?1 AND is_report = 1 LIMIT 1",
	/* MRs are one byte per modem and come round again: the newest open
	 * part to the same number wins. */
	[Q_RPT_MATCH] =
	"SELECT p.outbox_id, p.seq FROM outbox_parts p"
	" JOIN outbox o ON o.id = p.outbox_id"
	" WHERE p.modem = ?1 AND p.mr = ?2 AND p.reported_at IS NULL"
	" ORDER BY (o.number = ?3) DESC, p.sent_at DESC, p.rowid DESC LIMIT 1",
	[Q_RPT_PART] =
	"UPDATE outbox_parts SET report_status = ?3, reported_at = ?4"
	" WHERE outbox_id = ?1 AND seq = ?2",
	[Q_MODEM_PUT] =
	"INSERT INTO modems (name, state, since, signal, network, operator,"
	" manufacturer, model, imei, last_error, paused_until, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
	" ON CONFLICT (name) DO UPDATE SET state = excluded.state,"
	" since = excluded.since, signal = excluded.signal,"
	" network = excluded.network, operator = excluded.operator,"
	" manufacturer = excluded.manufacturer, model = excluded.model,"
	" imei = excluded.imei, last_error = excluded.last_error,"
	" paused_until = excluded.paused_until,"
	" updated_at = excluded.updated_at",
	[Q_MODEM_CREDIT] =
	"UPDATE modems SET credit_text = ?2, credit = ?3, credit_at = ?4,"
	" credit_low = ?5 WHERE name = ?1",
	[Q_MODEM_CREDIT_LOW] =
	"SELECT credit_low FROM modems WHERE name = ?1",
	[Q_MODEM_LIST] =
	"SELECT name, state, since, COALESCE(signal, -1), network, operator,"
	" manufacturer, model, imei, last_error, paused_until, credit_text,"
	" COALESCE(credit, -1), COALESCE(credit_at, 0), credit_low, updated_at,"
	" COALESCE(d.sent, 0), COALESCE(d.received, 0), COALESCE(d.failed, 0),"
	" (SELECT COUNT(*) FROM outbox o WHERE o.modem = m.name"
	"  AND o.state IN ('sending','accepted'))"
	" FROM modems m LEFT JOIN modem_days d ON d.modem = m.name"
	" AND d.day = date(?1, 'unixepoch', 'localtime') ORDER BY name",
	[Q_QUEUE_DEPTHS] =
	"SELECT 'out_' || state, SUM(n) FROM row_counts WHERE tbl = 'out'"
	" GROUP BY state HAVING SUM(n) > 0"
	" UNION ALL SELECT 'in_unprocessed', COALESCE(SUM(n), 0) FROM row_counts"
	" WHERE tbl = 'in' AND state = 'received'"
	" UNION ALL SELECT 'in_parts_waiting', COUNT(*) FROM sms_in"
	" WHERE state = 'waiting'",
	[Q_ALARM_COORD] =
	"INSERT INTO outbox (number, text, purpose, priority, state, next_at,"
	" created_at) SELECT number, ?1, 'notify', 5, 'queued', ?2, ?2"
	" FROM contacts WHERE role = 'koordinator' AND opted_out = 0",
	[Q_OBX_STATE] =
	"SELECT state FROM outbox WHERE id = ?1",
	/* Kannel took it (HTTP 202): the SMSC has not yet. A delivery
	 * report may have come first and moved it on: forward only. */
	[Q_OBX_ACCEPTED] =
	"UPDATE outbox SET state = 'accepted', parts = ?2, parts_sent = ?2,"
	" sent_at = ?3 WHERE id = ?1 AND state = 'sending'",
	/* A Kannel delivery report ?3 (the state it means) for row ?1 sent
	 * by bearer ?4: accepted -> sent -> delivered | failed, never back
	 * (reports come out of order: a 1 before the 8). A failed one is
	 * final (no_retry): the SMSC had it, sending again would repeat. */
	[Q_OBX_DLR] =
	"UPDATE outbox SET state = ?3,"
	" sent_at = COALESCE(sent_at, ?2),"
	" delivered_at = CASE WHEN ?3 = 'delivered' THEN ?2 END,"
	" no_retry = CASE WHEN ?3 = 'failed' THEN 1 ELSE no_retry END,"
	" error_class = CASE WHEN ?3 = 'failed' THEN 'report' ELSE error_class"
	" END, last_error = CASE WHEN ?3 = 'failed' THEN ?5 ELSE last_error END"
	" WHERE id = ?1 AND modem = ?4 AND (state IN ('sending','accepted')"
	" OR (state = 'sent' AND ?3 != 'sent'))",
	/* what a Kannel bearer sent today, as a modem's parts count */
	[Q_OBX_ACCEPTED_DAY] =
	"INSERT INTO modem_days (modem, day, sent) SELECT modem,"
	" date(?3, 'unixepoch', 'localtime'), ?2 FROM outbox WHERE id = ?1"
	" ON CONFLICT DO UPDATE SET sent = sent + ?2",
	/* a failed try or report, on the day's row of the bearer that sent */
	[Q_OBX_FAILED_DAY] =
	"INSERT INTO modem_days (modem, day, failed) SELECT modem,"
	" date(?2, 'unixepoch', 'localtime'), 1 FROM outbox WHERE id = ?1"
	" AND modem IS NOT NULL ON CONFLICT DO UPDATE SET failed = failed + 1",
	/* ---- the central database: its rows are the exports' ---- */
	[Q_CEN_CHANGES] =
	"SELECT seq, tbl, key FROM central_changes WHERE seq > ?1"
	" ORDER BY seq LIMIT ?2",
	[Q_CEN_BACKLOG] =
	"SELECT COUNT(*) FROM central_changes WHERE seq > ?1",
	[Q_CEN_IN] =
	"SELECT id, number, CAST(text AS TEXT), state, " LOCALTIME("received_at")
	", COALESCE(" LOCALTIME("smsc_time") ", ''), COALESCE(kind, ''),"
	" TRIM(COALESCE(error, '') || ' ' || COALESCE(note, ''))"
	" FROM messages WHERE id = ?1",
	[Q_CEN_OUT] =
	"SELECT id, number, text, state, " LOCALTIME("created_at") ", '',"
	" purpose, CASE state WHEN 'withheld' THEN reason"
	" ELSE COALESCE(last_error, '') END FROM outbox WHERE id = ?1",
	[Q_CEN_RECORDS] =
	"SELECT r.id, 'R-' || r.id, " LOCALTIME("r.created_at") ","
	" COALESCE(" LOCALTIME("m.received_at") ", ''),"
	" COALESCE(" LOCALTIME("m.smsc_time") ", ''), r.number, r.kind, r.desa,"
	" COALESCE(v.name, ''), r.tanggal, r.jenis, r.laki, r.perempuan,"
	" r.jumlah, r.topik, r.isi, r.catatan, r.perdes,"
	" COALESCE(t.type || '-' || t.seq, ''), r.state, r.flags, r.message_id"
	" FROM records r LEFT JOIN tickets t ON t.record_id = r.id"
	" LEFT JOIN villages v ON v.code = r.desa"
	" LEFT JOIN messages m ON m.id = r.message_id WHERE r.id = ?1",
	/* closed_at: the last change to selesai of a ticket still selesai.
	 * A note written on it since is a history row with status selesai
	 * too, and closes nothing again (as the monthly report counts). */
	[Q_CEN_TICKETS] =
	"SELECT t.id, t.type || '-' || t.seq, t.type, t.status, t.number,"
	" r.desa, COALESCE(v.name, ''), COALESCE(r.perdes, ''), r.isi, "
	LOCALTIME("t.created_at") ", " LOCALTIME("t.updated_at") ","
	" CASE WHEN t.status = 'selesai' THEN COALESCE((SELECT "
	LOCALTIME("MAX(h.at)") " FROM ticket_history h WHERE h.ticket_id = t.id"
	"  AND h.status = 'selesai' AND (SELECT p.status FROM ticket_history p"
	"   WHERE p.ticket_id = h.ticket_id AND p.id < h.id"
	"   ORDER BY p.id DESC LIMIT 1) IS NOT 'selesai'), "
	LOCALTIME("t.updated_at") ") END"
	" FROM tickets t JOIN records r ON r.id = t.record_id"
	" LEFT JOIN villages v ON v.code = r.desa WHERE t.id = ?1",
	[Q_CEN_CONTACTS] =
	"SELECT c.number, c.name, c.role,"
	" c.desa || COALESCE((SELECT ';' || group_concat(d.desa, ';')"
	"  FROM contact_desa d WHERE d.number = c.number"
	"  AND d.desa != c.desa), ''), c.opted_out"
	" FROM contacts c WHERE c.number = ?1",
	[Q_CEN_VILLAGES] =
	"SELECT code, name, kecamatan, kabupaten, provinsi FROM villages"
	" WHERE code = ?1",
	[Q_CEN_PRUNE] =
	"DELETE FROM central_changes WHERE seq <= ?1",
	[Q_CEN_PUSHED] =
	"UPDATE central_state SET pushed_seq = MAX(pushed_seq, ?1),"
	" backlog = ?2, last_push_at = ?3, last_error = '', error_since = 0,"
	" updated_at = ?3",
	[Q_CEN_FAILED] =
	"UPDATE central_state SET last_error = ?1, error_since ="
	" CASE WHEN error_since = 0 THEN ?2 ELSE error_since END,"
	" updated_at = ?2",
	[Q_CEN_STATUS] =
	"SELECT enabled, site, pushed_seq, last_push_at, backlog, last_error,"
	" error_since, updated_at FROM central_state",
	[Q_OBX_STATE_ON] =
	"SELECT state FROM outbox WHERE id = ?1 AND modem = ?2",
	/* ---- USSD sessions and meetings ---- */
	[Q_USSD_GET] =
	"SELECT session_id, number, service_code, network_code, started_at,"
	" last_at, requests, state, last_text FROM ussd_sessions"
	" WHERE session_id = ?1",
	[Q_USSD_PUT] =
	"INSERT INTO ussd_sessions (session_id, number, service_code,"
	" network_code, started_at, last_at, requests, state, last_text)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
	/* every column: an id the aggregator recycles is a new session */
	" ON CONFLICT (session_id) DO UPDATE SET number = excluded.number,"
	" service_code = excluded.service_code,"
	" network_code = excluded.network_code,"
	" started_at = excluded.started_at, last_at = excluded.last_at,"
	" requests = excluded.requests, state = excluded.state,"
	" last_text = excluded.last_text",
	[Q_USSD_ACTION_GET] =
	"SELECT tiket FROM ussd_actions WHERE session_id = ?1 AND path = ?2"
	" AND created_at >= ?3",
	[Q_USSD_ACTION_PUT] =
	"INSERT INTO ussd_actions (session_id, path, action, tiket, message_id,"
	" created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
	" ON CONFLICT (session_id, path) DO UPDATE SET action = excluded.action,"
	" tiket = excluded.tiket, message_id = excluded.message_id,"
	" created_at = excluded.created_at",
	/* The purge reads the oldest sessions by ussd_sessions_by_last: a
	 * bounded batch, never a scan. The same subquery in one transaction
	 * picks the same rows for both deletes. */
	[Q_USSD_STALE_ANY] =
	"SELECT 1 FROM ussd_sessions WHERE last_at < ?1 LIMIT 1",
	[Q_USSD_PURGE_ACTIONS] =
	"DELETE FROM ussd_actions WHERE session_id IN (SELECT session_id"
	" FROM ussd_sessions WHERE last_at < ?1 ORDER BY last_at, rowid LIMIT ?2)",
	[Q_USSD_PURGE_SESSIONS] =
	"DELETE FROM ussd_sessions WHERE session_id IN (SELECT session_id"
	" FROM ussd_sessions WHERE last_at < ?1 ORDER BY last_at, rowid LIMIT ?2)",
	[Q_MSG_INSERT_CHANNEL] =
	"INSERT INTO messages (channel, number, number_raw, sender_class,"
	" received_at, text, parts, state, kind, processed_at)"
	" VALUES (?1, ?2, ?2, 0, ?3, ?4, 1, 'processed', ?5, ?3)",
	[Q_MEETING_ADD] =
	"INSERT INTO meetings (desa, tanggal, waktu, jenis, tempat, created_at,"
	" announced_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
	[Q_MEETINGS_NEXT] =
	"SELECT tanggal, waktu, jenis, tempat FROM meetings WHERE desa = ?1"
	" AND tanggal >= ?2 AND state = 'scheduled'"
	" ORDER BY tanggal, waktu LIMIT ?3",
	[Q_REMINDER_LAST] =
	"SELECT last_due FROM reminder_state WHERE name = ?1",
	[Q_REMINDER_FIRED] =
	"INSERT INTO reminder_state (name, last_due, fired_at, recipients,"
	" outcome) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO UPDATE"
	" SET last_due = excluded.last_due, fired_at = excluded.fired_at,"
	" recipients = excluded.recipients, outcome = excluded.outcome",
	/* Who a reminder or a broadcast reaches: by role (or everyone),
	 * village or kecamatan; ?5 (YYYY-MM) keeps only facilitators with no
	 * report dated then; ?4 = 1 counts those who opted out too; ?6 is
	 * left out (the sender of a SIARAN). */
	[Q_RECIPIENTS] =
	"SELECT c.number, c.name, COALESCE(v.name, c.desa) FROM contacts c"
	" LEFT JOIN villages v ON v.code = c.desa" RECIPIENTS_WHERE
	" ORDER BY c.number",
	/* The same people, queued in one statement (a broadcast to every
	 * warga of a kabupaten is tens of thousands of rows); contacts.number
	 * is unique, so one row each. */
	[Q_BROADCAST_TO] =
	"INSERT INTO outbox (number, text, purpose, priority, state, next_at,"
	" created_at) SELECT c.number, ?7, 'broadcast', 0, 'queued', ?8, ?8"
	" FROM contacts c" RECIPIENTS_WHERE,
	[Q_OUTBOX_AT] =
	"INSERT INTO outbox (number, text, purpose, priority, state, next_at,"
	" created_at) VALUES (?1, ?2, ?3, ?4, 'queued', ?5, ?6)",
	[Q_DIGEST] =
	"SELECT (SELECT COUNT(*) FROM records WHERE kind IN ('rapat','kader')"
	"  AND state != 'withdrawn' AND created_at >= ?1 AND created_at < ?2),"
	" (SELECT COUNT(*) FROM tickets WHERE created_at >= ?1"
	"  AND created_at < ?2),"
	" (SELECT COUNT(*) FROM tickets WHERE status IN ('baru','diproses')"
	"  AND created_at < ?3),"
	" (SELECT COUNT(*) FROM outbox WHERE state = 'withheld'"
	"  AND created_at >= ?1 AND created_at < ?2),"
	" (SELECT COUNT(*) FROM kegiatan WHERE flagged_at >= ?1"
	"  AND flagged_at < ?2)",
	[Q_MEETING_PEOPLE] =
	"SELECT DISTINCT c.number FROM contacts c JOIN contact_desa d"
	" ON d.number = c.number WHERE d.desa = ?1 AND c.opted_out = 0"
	" AND c.role IN ('warga','pendamping')",
	/* The loop guard: the same text from one sender, and the same text
	 * answered with the same error, within a window. */
	[Q_SAME_TEXT] =
	/* ?3 is a time of sending (SMSC); received_at, a day earlier,
	 * keeps the search on the index (an SMSC clock may run ahead) */
	"SELECT COUNT(*) FROM messages WHERE number = ?1 AND text = ?2"
	" AND received_at >= ?3 - 86400"
	" AND COALESCE(smsc_time, received_at) >= ?3"
	" AND channel = 'sms' AND id <= ?4",
	[Q_SAME_ERROR] =
	"SELECT COUNT(*) FROM messages m JOIN outbox o ON o.message_id = m.id"
	" AND o.purpose = 'reply'"	/* the index outbox_one_reply */
	" AND o.state != 'withheld'"
	" WHERE m.number = ?1 AND m.error = ?2"
	" AND m.received_at >= ?3 - 86400"
	" AND COALESCE(m.smsc_time, m.received_at) >= ?3"
	" AND m.text = ?4",
	/* What the sending policy counts: initiated SMS (not replies) sent
	 * in the last hour, and to this number today (or on their way). */
	[Q_POLICY_COUNTS] =
	"SELECT (SELECT COUNT(*) FROM outbox WHERE purpose != 'reply'"
	"  AND " OUTBOX_TAKEN " AND sent_at >= ?2),"
	" (" POLICY_TODAY ")",
	[Q_POLICY_TODAY] = POLICY_TODAY,
	[Q_OUTBOX_HOLD] =
	"UPDATE outbox SET next_at = ?2, reason = ?3"
	" WHERE id = ?1 AND state IN ('queued','failed')",
	[Q_OUTBOX_DROP] =
	"UPDATE outbox SET state = 'dead', reason = ?2, last_error = ?2"
	" WHERE id = ?1 AND state IN ('queued','failed')",
	[Q_PERDES_LIST_OPEN] =
	"SELECT code, desa, title, until, state FROM perdes WHERE desa = ?1"
	" AND state = 'open' AND until >= ?2 ORDER BY code LIMIT ?3",
	/* Meetings whose reminder the scheduler has still to send (or record
	 * missed). announced_at: added since the scheduler sends them; an
	 * older meeting's reminder was queued when it was added. */
	[Q_MEETINGS_TO_REMIND] =
	"SELECT " MEETING_COLUMNS
	" FROM meetings WHERE reminded_at IS NULL AND announced_at IS NOT NULL"
	" AND state = 'scheduled'"
	" AND tanggal BETWEEN ?1 AND ?2 ORDER BY tanggal, waktu, id LIMIT ?3",
	[Q_MEETING_REMINDED] =
	"UPDATE meetings SET reminded_at = ?2 WHERE id = ?1",
	[Q_MEETING_GET] =
	"SELECT " MEETING_COLUMNS " FROM meetings WHERE id = ?1",
	/* meetings_by_desa with a village, meetings_by_date without */
	[Q_MEETINGS_BETWEEN] =
	"SELECT " MEETING_COLUMNS " FROM meetings WHERE state = 'scheduled'"
	" AND tanggal >= ?2 AND (?3 IS NULL OR tanggal <= ?3)"
	" AND (?1 IS NULL OR desa = ?1) ORDER BY tanggal, waktu, id",
	[Q_MEETING_CANCEL] =
	"UPDATE meetings SET state = 'cancelled', reason = ?2, changed_at = ?3"
	" WHERE id = ?1 AND state = 'scheduled'",
	/* announced now, so the reminder is due (and decided) afresh */
	[Q_MEETING_CHANGE] =
	"UPDATE meetings SET tanggal = ?2, waktu = ?3, tempat = ?4,"
	" changed_at = ?5, announced_at = ?5, reminded_at = NULL"
	" WHERE id = ?1 AND state = 'scheduled'",
	/* right after the outbox row's INSERT on this connection */
	[Q_MEETING_SMS_ADD] =
	"INSERT INTO meeting_sms (meeting_id, number, outbox_id, what)"
	" VALUES (?1, ?2, last_insert_rowid(), ?3)",
	[Q_MEETING_TOLD] =
	"SELECT DISTINCT number FROM meeting_sms WHERE meeting_id = ?1"
	" ORDER BY number",
	[Q_KECAMATAN_FIND] =
	"SELECT kecamatan FROM villages WHERE upper(kecamatan) = upper(?1)"
	" ORDER BY (?2 IS NOT NULL AND instr(' ' || ?2 || ' ',"
	" ' ' || substr(code, 1, 5) || ' ') > 0) DESC LIMIT 1",
	[Q_MEETING_DROP] =
	"UPDATE outbox SET state = 'dead', reason = ?2, last_error = ?2"
	" WHERE state IN ('queued','failed') AND id IN (SELECT outbox_id"
	" FROM meeting_sms WHERE meeting_id = ?1)",
	[Q_TICKET_DESA_OF] =
	"SELECT r.desa FROM tickets t JOIN records r ON r.id = t.record_id"
	" WHERE t.id = ?1",
	[Q_TICKET_MOVE] =
	"UPDATE records SET desa = ?2"
	" WHERE id = (SELECT record_id FROM tickets WHERE id = ?1)",
	/* Who sent an aspiration to a consultation, once each, and how many
	 * came in all. */
	[Q_PERDES_ASPIRANTS] =
	"SELECT r.number, SUM(COUNT(*)) OVER () FROM records r"
	" WHERE r.kind = 'aspirasi'"
	" AND r.perdes = ?1 AND r.desa = ?2 AND r.state != 'withdrawn'"
	" GROUP BY r.number ORDER BY r.number",
	[Q_USER_EXISTS] =
	"SELECT 1 FROM users WHERE name = ?1",
	[Q_USER_PUT] =
	"INSERT INTO users (name, role, kecamatan, hash, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (name) DO UPDATE SET"
	" role = ?2, kecamatan = ?3, hash = ?4, updated_at = ?5",
	[Q_USER_GET] =
	"SELECT name, role, kecamatan, hash, created_at, updated_at FROM users"
	" WHERE name = ?1",
	[Q_USER_REMOVE] =
	"DELETE FROM users WHERE name = ?1",
	[Q_USERS_LIST] =
	"SELECT name, role, kecamatan, hash, created_at, updated_at FROM users"
	" ORDER BY name",
	[Q_SESSION_ADD] =
	"INSERT INTO console_sessions (id_hash, user, created_at, last_at, addr)"
	" VALUES (?1, ?2, ?4, ?4, ?3)",
	[Q_SESSION_GET] =
	"SELECT user, created_at, last_at FROM console_sessions"
	" WHERE id_hash = ?1",
	[Q_SESSION_TOUCH] =
	"UPDATE console_sessions SET last_at = ?2 WHERE id_hash = ?1",
	[Q_SESSION_REMOVE] =
	"DELETE FROM console_sessions WHERE id_hash = ?1",
	[Q_SESSIONS_OF_USER] =
	"DELETE FROM console_sessions WHERE user = ?1",
	[Q_SESSIONS_EXPIRE] =
	"DELETE FROM console_sessions WHERE created_at < ?1 OR last_at < ?2",
	[Q_APBDES_PUT] =
	"INSERT INTO apbdes (desa, tahun, pendapatan, belanja, dana_desa,"
	" updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (desa, tahun)"
	" DO UPDATE SET pendapatan = ?3, belanja = ?4, dana_desa = ?5,"
	" updated_at = ?6",
	[Q_APBDES_GET] =
	"SELECT pendapatan, belanja, dana_desa FROM apbdes"
	" WHERE desa = ?1 AND tahun = ?2",
	[Q_KEGIATAN_PUT] =
	"INSERT INTO kegiatan (desa, tahun, kode, nama, anggaran, sumber, mulai,"
	" selesai, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
	" ON CONFLICT (desa, tahun, kode) DO UPDATE SET nama = ?4,"
	" anggaran = ?5, sumber = ?6, mulai = ?7, selesai = ?8, updated_at = ?9",
	/* K1 finds K01 (people drop the zero), unless there is a K1 */
	[Q_KEGIATAN_GET] =
	"SELECT " KEGIATAN_COLS " FROM kegiatan"
	" WHERE desa = ?1 AND tahun = ?2 AND (kode = ?3 OR"
	" (rtrim(kode, '0123456789') = rtrim(?3, '0123456789') AND"
	" CAST(substr(kode, length(rtrim(kode, '0123456789')) + 1) AS INTEGER) ="
	" CAST(substr(?3, length(rtrim(?3, '0123456789')) + 1) AS INTEGER)"
	" AND rtrim(?3, '0123456789') != ?3))"
	" ORDER BY kode = ?3 DESC, kode LIMIT 1",
	[Q_KEGIATAN_BY_ID] =
	"SELECT " KEGIATAN_COLS " FROM kegiatan WHERE id = ?1",
	[Q_KEGIATAN_OF] =
	"SELECT " KEGIATAN_COLS " FROM kegiatan WHERE desa = ?1 AND tahun = ?2"
	" ORDER BY " KEGIATAN_ORDER,
	[Q_PANTAU_ADD] =
	"INSERT INTO pantau (kegiatan_id, message_id, number, resmi, persen,"
	" catatan, sent_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[Q_PROGRES_RESMI] =
	"SELECT persen, sent_at FROM pantau WHERE kegiatan_id = ?1 AND resmi = 1"
	" ORDER BY sent_at DESC, id DESC LIMIT 1",
	/* each number's latest observation since ?2, in order of persen */
	[Q_PROGRES_WARGA] =
	"SELECT persen FROM (SELECT persen, row_number() OVER (PARTITION BY"
	" number ORDER BY sent_at DESC, id DESC) AS n FROM pantau"
	" WHERE kegiatan_id = ?1 AND resmi = 0 AND sent_at >= ?2)"
	" WHERE n = 1 ORDER BY persen",
	[Q_KEGIATAN_FLAG] =
	"UPDATE kegiatan SET flagged_at = CASE WHEN ?2 THEN"
	" COALESCE(flagged_at, ?3) END WHERE id = ?1",
};
