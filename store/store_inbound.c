/* Inbound SMS: exactly-once storage, and joining the parts of long SMS. */
#include "store/store_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a: a stable hash of the text for the dedup key. */
static uint64_t
fnv1a(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n--) {
		h ^= (unsigned char)*p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/*
 * The same SMS read twice (after a crash between commit and delete) has the
 * same sender, SMSC time, concatenation fields and text; the same words sent
 * again later differ in SMSC time.
 */
static void
dedup_key(const struct sms_in *m, char *out, size_t cap)
{
	/* Kannel names the message itself, and names it alike each time
	 * smsbox retries */
	if (m->kannel_id != NULL) {
		snprintf(out, cap, "kannel|%s|%s", m->modem, m->kannel_id);
		return;
	}
	snprintf(out, cap, "%s|%lld|%d|%d|%d|%d|%d|%016llx", m->number_raw,
	    m->smsc_time, m->concat_ref, m->concat_total, m->concat_seq,
	    m->is_report, m->report_ref,
	    (unsigned long long)fnv1a(m->text, m->text_len));
}

/* Insert a message row; its id goes to *id. */
static int
message_insert(struct store *st, const char *number, const char *number_raw,
    int sender_class, long long received_at, long long smsc_time,
    const char *text, size_t len, int parts, int incomplete, int is_report,
    int is_binary, long long *id)
{
	sqlite3_stmt *s = store_stmt(st, Q_MSG_INSERT);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, number);
	store_bind_text(s, 2, number_raw);
	sqlite3_bind_int(s, 3, sender_class);
	sqlite3_bind_int64(s, 4, received_at);
	sqlite3_bind_blob(s, 5, text, (int)len, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 6, parts);
	sqlite3_bind_int(s, 7, incomplete);
	sqlite3_bind_int(s, 8, is_report);
	sqlite3_bind_int(s, 9, is_binary);
	if (smsc_time > 0)
		sqlite3_bind_int64(s, 10, smsc_time);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

/*
 * Join the waiting parts of one set into one message, in part order; a
 * missing part leaves a visible gap. incomplete says whether the set is
 * known to be short.
 */
static int
join_parts(struct store *st, long long set, int total, int incomplete,
    long long *message_id)
{
	sqlite3_stmt *s = store_stmt(st, Q_PART_TEXTS);
	char *buf = NULL, number[NUMBER_MAX] = "", number_raw[NUMBER_MAX] = "";
	size_t len = 0, cap = 0;
	int rc, nparts = 0, sender_class = 0, expect = 1;
	long long received_at = 0, smsc_time = 0;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, set);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int seq = sqlite3_column_int(s, 0);
		size_t n = (size_t)sqlite3_column_bytes(s, 1);
		const void *t = sqlite3_column_blob(s, 1);
		const char *gap = seq > expect ? "[...]" : "";

		if (len + n + 6 > cap) {
			char *nb;

			cap = (len + n + 6) * 2;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				snprintf(st->err, sizeof(st->err), "out of memory");
				return -1;
			}
			buf = nb;
		}
		memcpy(buf + len, gap, strlen(gap));
		len += strlen(gap);
		if (n)
			memcpy(buf + len, t, n);
		len += n;
		expect = seq + 1;
		if (nparts++ == 0) {
			store_col_copy(s, 3, number_raw, sizeof(number_raw));
			store_col_copy(s, 6, number, sizeof(number));
			sender_class = sqlite3_column_int(s, 4);
			received_at = sqlite3_column_int64(s, 5);
			smsc_time = sqlite3_column_int64(s, 7);
		}
	}
	if (rc != SQLITE_DONE) {
		free(buf);
		return store_fail(st, rc);
	}
	if (expect <= total && buf != NULL && len + 6 <= cap) {
		memcpy(buf + len, "[...]", 5);
		len += 5;
	}
	rc = message_insert(st, number, number_raw, sender_class, received_at,
	    smsc_time, buf ? buf : "", len, nparts, incomplete, 0, 0,
	    message_id);
	free(buf);
	if (rc != 0)
		return -1;
	if ((s = store_stmt(st, Q_PARTS_JOIN)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, set);
	sqlite3_bind_int64(s, 2, *message_id);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return 0;
}

/*
 * How far apart in SMSC time the parts of one long SMS may be. A phone
 * submits the parts back to back and the SMSC stamps each as it takes it:
 * a few seconds a part on 2G, less on 3G/4G. A part that fails is tried
 * again by the phone (Android tries up to 3 more times, each try waiting
 * up to the network's relay timer, 35-45 s), so one part can lag by about
 * two minutes. A second message under the same reference is text the
 * person typed after the first was sent, which takes longer than that.
 * Wider would join two messages; narrower would split a slow one into two
 * incomplete ones: both are shown to the sender, the join is not.
 */
static long long
part_window(int total)
{
	return 120 + 5LL * total;
}

/* Bind which part m is (?1 sender, ?2 reference, ?3 total, ?4 part). */
static void
bind_part(sqlite3_stmt *s, const struct sms_in *m)
{
	store_bind_text(s, 1, m->number);
	sqlite3_bind_int(s, 2, m->concat_ref);
	sqlite3_bind_int(s, 3, m->concat_total);
	sqlite3_bind_int(s, 4, m->concat_seq);
}

/* The set a part that is the same part again (the network delivering it
 * twice, with a new SMSC time) belongs to: 1 and *set, *joined, *mid set
 * when there is a copy, 0 when not, -1 on error. */
static int
part_copy_of(struct store *st, const struct sms_in *m, long long sms_id,
    long long *set, int *joined, long long *mid)
{
	sqlite3_stmt *s = store_stmt(st, Q_PART_COPY_OF);
	long long w = part_window(m->concat_total);
	int rc;

	if (s == NULL)
		return -1;
	bind_part(s, m);
	sqlite3_bind_int64(s, 5, m->smsc_time - w);
	sqlite3_bind_int64(s, 6, m->smsc_time + w);
	sqlite3_bind_blob(s, 7, m->text, (int)m->text_len, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 8, sms_id);
	sqlite3_bind_int64(s, 9, m->smsc_time);
	if ((rc = sqlite3_step(s)) == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_fail(st, rc);
	*set = sqlite3_column_int64(s, 0);
	*joined = strcmp((const char *)sqlite3_column_text(s, 1), "joined") == 0;
	*mid = sqlite3_column_int64(s, 2);
	sqlite3_reset(s);
	return 1;
}

/* The waiting set a new part fits (Q_PART_SET_PICK), or the part's own
 * id: the first of a new set. Returns the set, or -1. */
static long long
part_set_pick(struct store *st, const struct sms_in *m, long long sms_id)
{
	sqlite3_stmt *s = store_stmt(st, Q_PART_SET_PICK);
	long long set = sms_id;
	int rc;

	if (s == NULL)
		return -1;
	bind_part(s, m);
	sqlite3_bind_int64(s, 5, m->smsc_time);
	sqlite3_bind_int64(s, 6, part_window(m->concat_total));
	sqlite3_bind_int64(s, 7, sms_id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		set = sqlite3_column_int64(s, 0);
	else if (rc != SQLITE_DONE)
		return store_fail(st, rc);
	sqlite3_reset(s);
	return set;
}

/* Record which set part sms_id is in, and whether it is joined already. */
static int
part_set_put(struct store *st, long long sms_id, long long set, int joined,
    long long mid)
{
	sqlite3_stmt *s = store_stmt(st, Q_PART_PLACE);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, sms_id);
	sqlite3_bind_int64(s, 2, set);
	store_bind_text(s, 3, joined ? "joined" : "waiting");
	if (joined && mid > 0)
		sqlite3_bind_int64(s, 4, mid);
	else
		sqlite3_bind_null(s, 4);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return 0;
}

/* How many distinct parts set holds, or -1. */
static int
part_count(struct store *st, long long set)
{
	sqlite3_stmt *s = store_stmt(st, Q_PART_COUNT);
	int rc, n;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, set);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW)
		return store_fail(st, rc);
	n = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return n;
}

/*
 * Put the new part sms_id into its set: the set of an earlier copy of the
 * same part, else a waiting set it fits, else a set of its own. A copy of
 * a part already joined is linked to that message, never joined again.
 * The set is joined once it has every part; its message id goes to
 * *message_id.
 */
static int
part_place(struct store *st, const struct sms_in *m, long long sms_id,
    long long *message_id)
{
	long long set = 0, mid = 0;
	int joined = 0, rc;

	if ((rc = part_copy_of(st, m, sms_id, &set, &joined, &mid)) < 0)
		return -1;
	if (rc == 0 && (set = part_set_pick(st, m, sms_id)) < 0)
		return -1;
	if (part_set_put(st, sms_id, set, joined, mid) != 0)
		return -1;
	if (joined)
		return 0;
	if ((rc = part_count(st, set)) < 0)
		return -1;
	if (rc < m->concat_total)
		return 0;
	return join_parts(st, set, m->concat_total, 0, message_id);
}

int
store_sms_add(struct store *st, const struct sms_in *m, long long *message_id)
{
	sqlite3_stmt *s;
	char key[NUMBER_MAX + 128];
	int rc, multipart = m->concat_total > 1 && !m->is_report;
	long long sms_id, mid = 0;

	*message_id = 0;
	if ((s = store_stmt(st, Q_SMS_INSERT)) == NULL)
		return -1;
	dedup_key(m, key, sizeof(key));
	store_bind_text(s, 1, key);
	store_bind_text(s, 2, m->modem);
	store_bind_text(s, 3, m->number);
	store_bind_text(s, 4, m->number_raw);
	sqlite3_bind_int(s, 5, m->sender_class);
	sqlite3_bind_int64(s, 6, m->smsc_time);
	sqlite3_bind_int64(s, 7, m->received_at);
	store_bind_text(s, 8, m->coding);
	sqlite3_bind_blob(s, 9, m->text, (int)m->text_len, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 10, m->concat_ref);
	sqlite3_bind_int(s, 11, m->concat_total);
	sqlite3_bind_int(s, 12, m->concat_seq);
	sqlite3_bind_int(s, 13, m->is_report);
	sqlite3_bind_int(s, 14, m->report_ref);
	sqlite3_bind_int(s, 15, m->report_status);
	sqlite3_bind_int(s, 16, m->is_binary);
	store_bind_text(s, 17, multipart ? "waiting" : "joined");
	if (m->kannel_id != NULL)
		store_bind_text(s, 19, m->kannel_id);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	if (sqlite3_changes(st->db) == 0)
		return 0;	/* a second read of a stored SMS */
	sms_id = sqlite3_last_insert_rowid(st->db);
	if (!multipart) {
		if (message_insert(st, m->number, m->number_raw,
		    m->sender_class, m->received_at, m->smsc_time, m->text,
		    m->text_len, 1, 0, m->is_report, m->is_binary, &mid) != 0)
			return -1;
		if ((s = store_stmt(st, Q_SMS_LINK)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, sms_id);
		sqlite3_bind_int64(s, 2, mid);
		if ((rc = sqlite3_step(s)) != SQLITE_DONE)
			return store_fail(st, rc);
		*message_id = mid;
		return 1;
	}
	return part_place(st, m, sms_id, message_id) != 0 ? -1 : 1;
}

int
store_parts_expire(struct store *st, long long cutoff, long long now)
{
	struct group { long long set; int total; } g[64];
	sqlite3_stmt *s = store_stmt(st, Q_PARTS_EXPIRED);
	int n = 0, i, rc;
	long long mid;

	(void)now;
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, cutoff);
	while (n < 64 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		g[n].set = sqlite3_column_int64(s, 0);
		g[n].total = sqlite3_column_int(s, 1);
		n++;
	}
	sqlite3_reset(s);
	for (i = 0; i < n; i++)
		if (join_parts(st, g[i].set, g[i].total, 1, &mid) != 0)
			return -1;
	return n;
}

void
message_free(struct message *m)
{
	if (m == NULL)
		return;
	free(m->text);
	m->text = NULL;
}

int
store_messages_received(struct store *st, long long *ids, int max)
{
	sqlite3_stmt *s = store_stmt(st, Q_MSG_RECEIVED);
	int n = 0, rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int(s, 1, max);
	while (n < max && (rc = sqlite3_step(s)) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return n;
}

int
store_message_get(struct store *st, long long id, struct message *m)
{
	sqlite3_stmt *s = store_stmt(st, Q_MSG_GET);
	int rc;
	size_t n;

	memset(m, 0, sizeof(*m));
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		if (rc == SQLITE_DONE) {
			snprintf(st->err, sizeof(st->err), "no message %lld", id);
			return -1;
		}
		return store_fail(st, rc);
	}
	m->id = sqlite3_column_int64(s, 0);
	store_col_copy(s, 1, m->number, sizeof(m->number));
	store_col_copy(s, 2, m->number_raw, sizeof(m->number_raw));
	m->sender_class = sqlite3_column_int(s, 3);
	m->received_at = sqlite3_column_int64(s, 4);
	m->parts = sqlite3_column_int(s, 5);
	m->incomplete = sqlite3_column_int(s, 6);
	m->is_report = sqlite3_column_int(s, 7);
	m->is_binary = sqlite3_column_int(s, 8);
	store_col_copy(s, 9, m->channel, sizeof(m->channel));
	n = (size_t)sqlite3_column_bytes(s, 10);
	if ((m->text = malloc(n + 1)) == NULL) {
		sqlite3_reset(s);
		snprintf(st->err, sizeof(st->err), "out of memory");
		return -1;
	}
	if (n)
		memcpy(m->text, sqlite3_column_blob(s, 10), n);
	m->text[n] = '\0';
	m->text_len = n;
	m->smsc_time = sqlite3_column_int64(s, 11);
	sqlite3_reset(s);
	return 0;
}

long long
store_message_sent_at(struct store *st, long long id)
{
	sqlite3_stmt *s = store_stmt(st, Q_MSG_SENT_AT);
	long long t = 0;
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		t = sqlite3_column_int64(s, 0);
	else
		t = store_fail(st, rc);
	sqlite3_reset(s);
	return t;
}

int
store_message_done(struct store *st, long long id, const char *state,
    const char *kind, const char *error, const char *note, long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_MSG_DONE);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, state);
	store_bind_text(s, 3, kind);
	store_bind_text(s, 4, error);
	store_bind_text(s, 5, note);
	sqlite3_bind_int64(s, 6, now);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return 0;
}
