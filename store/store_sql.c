/* Every statement the store runs, indexed by enum stmt_id (store_int.h). */
#include "store/store_int.h"

const char *const store_sql[Q__COUNT] = {
	[Q_SMS_INSERT] =
	"INSERT INTO sms_in (dedup_key, modem, number, number_raw,"
	" sender_class, smsc_time, received_at, coding, text, concat_ref,"
	" concat_total, concat_seq, is_report, report_ref, report_status,"
	" is_binary, state, message_id)"
	" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)"
	" ON CONFLICT (dedup_key) DO NOTHING",
	[Q_SMS_LINK] =
	"UPDATE sms_in SET message_id = ?2 WHERE id = ?1",
	[Q_PART_COUNT] =
	"SELECT COUNT(DISTINCT concat_seq) FROM sms_in WHERE state = 'waiting'"
	" AND number = ?1 AND concat_ref = ?2 AND concat_total = ?3",
	/* MIN(id) makes the bare columns come from the first copy of a part. */
	[Q_PART_TEXTS] =
	"SELECT concat_seq, text, MIN(id), number_raw, sender_class,"
	" MIN(received_at) FROM sms_in WHERE state = 'waiting'"
	" AND number = ?1 AND concat_ref = ?2 AND concat_total = ?3"
	" GROUP BY concat_seq ORDER BY concat_seq",
	[Q_PARTS_JOIN] =
	"UPDATE sms_in SET state = 'joined', message_id = ?4"
	" WHERE state = 'waiting' AND number = ?1 AND concat_ref = ?2"
	" AND concat_total = ?3",
	[Q_PARTS_EXPIRED] =
	"SELECT number, concat_ref, concat_total FROM sms_in"
	" WHERE state = 'waiting' GROUP BY number, concat_ref, concat_total"
	" HAVING MIN(received_at) < ?1",
	[Q_MSG_INSERT] =
	"INSERT INTO messages (channel, number, number_raw, sender_class,"
	" received_at, text, parts, incomplete, is_report, is_binary, state)"
	" VALUES ('sms', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'received')",
	[Q_MSG_RECEIVED] =
	"SELECT id FROM messages WHERE state = 'received' ORDER BY id LIMIT ?1",
	[Q_MSG_GET] =
	"SELECT id, number, number_raw, sender_class, received_at, parts,"
	" incomplete, is_report, is_binary, channel, text"
	" FROM messages WHERE id = ?1",
	[Q_MSG_DONE] =
	"UPDATE messages SET state = ?2, kind = ?3, error = ?4, note = ?5,"
	" processed_at = ?6 WHERE id = ?1",
	[Q_CONTACT_GET] =
	"SELECT number, number_raw, name, role, desa, opted_out"
	" FROM contacts WHERE number = ?1",
	[Q_CONTACT_PUT] =
	"INSERT INTO contacts (number, number_raw, name, role, desa, opted_out,"
	" created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)"
	" ON CONFLICT (number) DO UPDATE SET number_raw = excluded.number_raw,"
	" name = excluded.name, role = excluded.role, desa = excluded.desa,"
	" opted_out = excluded.opted_out, updated_at = excluded.updated_at",
	[Q_RECORD_INSERT] =
	"INSERT INTO records (message_id, kind, number, desa, tanggal, jenis,"
	" laki, perempuan, jumlah, topik, catatan, isi, perdes, state, flags,"
	" created_at, desa_input) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,"
	"?12,?13,?14,?15,?16,?17)",
	[Q_TICKET_NEXT] =
	"SELECT COALESCE(MAX(seq), 0) + 1 FROM tickets WHERE type = ?1",
	[Q_TICKET_INSERT] =
	"INSERT INTO tickets (type, seq, record_id, number, status, created_at,"
	" updated_at) VALUES (?1, ?2, ?3, ?4, 'baru', ?5, ?5)",
	[Q_TICKET_HISTORY] =
	"INSERT INTO ticket_history (ticket_id, status, note, at)"
	" VALUES (?1, ?2, ?3, ?4)",
	[Q_TICKET_GET] =
	"SELECT t.number, t.status, COALESCE((SELECT note FROM ticket_history h"
	" WHERE h.ticket_id = t.id ORDER BY h.id DESC LIMIT 1), ''), r.desa"
	" FROM tickets t JOIN records r ON r.id = t.record_id"
	" WHERE t.type = ?1 AND t.seq = ?2",
	[Q_RECORD_GET] =
	"SELECT number, kind, state, created_at FROM records WHERE id = ?1",
	[Q_RECORD_WITHDRAW] =
	"UPDATE records SET state = 'withdrawn', flags = TRIM(flags || ' '"
	" || 'withdrawn_at=' || ?2) WHERE id = ?1 AND state != 'withdrawn'",
	[Q_CONTACT_OPT_OUT] =
	"INSERT INTO contacts (number, number_raw, role, opted_out, created_at,"
	" updated_at) VALUES (?1, ?2, 'warga', ?3, ?4, ?4)"
	" ON CONFLICT (number) DO UPDATE SET opted_out = excluded.opted_out,"
	" updated_at = excluded.updated_at",
	/* One row per member: contacts.number is unique, so no duplicates. */
	[Q_BROADCAST] =
	"INSERT INTO outbox (number, text, purpose, priority, state, next_at,"
	" created_at) SELECT number, ?2, 'broadcast', 0, 'queued', ?4, ?4"
	" FROM contacts WHERE opted_out = 0 AND number != ?3 AND ("
	" ?1 = 'SEMUA' OR role = lower(?1) OR upper(desa) = ?1)",
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
	/* Candidates in the kecamatan of ?2 first: a code shares its first
	 * eight characters (33.22.01) with its kecamatan. */
	[Q_VILLAGE_BY_NAME] =
	"SELECT code, name, kecamatan, kabupaten,"
	" substr(code, 1, 8) = substr(?2, 1, 8) AS near FROM villages"
	" WHERE name_key = ?1 ORDER BY near DESC, code LIMIT 200",
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
	" WHERE code = ?1 AND (?2 IS NULL OR desa = ?2) AND state = 'open'",
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
	[Q_OUTBOX_NEXT] =
	"SELECT id, number, text, tries, purpose FROM outbox"
	" WHERE state IN ('queued','failed') AND next_at <= ?1"
	" ORDER BY priority DESC, next_at, id LIMIT 1",
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
	" next_at = ?1, last_error = 'interrupted while sending; retried once'"
	" WHERE state = 'sending' AND crash_retries = 0",
	[Q_OUTBOX_RECOVER_DEAD] =
	"UPDATE outbox SET state = 'dead',"
	" last_error = 'interrupted while sending twice; not retried'"
	" WHERE state = 'sending'",
	[Q_OUTBOX_NEXT_DUE] =
	"SELECT MIN(next_at) FROM outbox WHERE state IN ('queued','failed')",
	[Q_REPLIES_SINCE] =
	"SELECT COUNT(*) FROM outbox WHERE number = ?1 AND purpose = 'reply'"
	" AND created_at >= ?2",
	/* ---- USSD sessions and meetings ---- */
	[Q_USSD_GET] =
	"SELECT number, state, last_at FROM ussd_sessions WHERE session_id = ?1",
	[Q_USSD_NEW] =
	"INSERT INTO ussd_sessions (session_id, number, service_code,"
	" network_code, started_at, last_at, last_text, state)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, 'open')",
	[Q_USSD_TOUCH] =
	"UPDATE ussd_sessions SET last_at = ?2, last_text = ?3,"
	" requests = requests + 1 WHERE session_id = ?1",
	[Q_USSD_STATE] =
	"UPDATE ussd_sessions SET state = ?2 WHERE session_id = ?1",
	[Q_USSD_ACTION_GET] =
	"SELECT tiket FROM ussd_actions WHERE session_id = ?1 AND path = ?2",
	[Q_USSD_ACTION_PUT] =
	"INSERT INTO ussd_actions (session_id, path, action, tiket, message_id,"
	" created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[Q_MSG_INSERT_CHANNEL] =
	"INSERT INTO messages (channel, number, number_raw, sender_class,"
	" received_at, text, parts, state, kind, processed_at)"
	" VALUES (?1, ?2, ?2, 0, ?3, ?4, 1, 'processed', ?5, ?3)",
	[Q_MEETING_ADD] =
	"INSERT INTO meetings (desa, tanggal, waktu, jenis, tempat, created_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[Q_MEETINGS_NEXT] =
	"SELECT tanggal, waktu, jenis, tempat FROM meetings WHERE desa = ?1"
	" AND tanggal >= ?2 ORDER BY tanggal, waktu LIMIT ?3",
	[Q_PERDES_LIST_OPEN] =
	"SELECT code, desa, title, until, state FROM perdes WHERE desa = ?1"
	" AND state = 'open' AND until >= ?2 ORDER BY code LIMIT ?3",
};
