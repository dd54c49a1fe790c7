/*
 * process: each stored message is parsed, acted on and answered in one
 * transaction, so a record never exists without its reply or the reverse.
 */
#include "gateway/rules/actions.h"
#include "gateway/rules/records_review.h"
#include "gateway/loop/gateway.h"
#include "gateway/loop/process_int.h"
#include "gateway/util/clock.h"
#include "gateway/util/log.h"
#include "parser/parser.h"
#include "parser/reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PROCESS_BATCH	128
#define BATAL_WINDOW	(24 * 3600)

void
job_say(struct job *j, enum reply_id id, const struct reply_var *vars, size_t n)
{
	if (reply_render(id, vars, n, j->reply, sizeof(j->reply)) < 0)
		j->reply[0] = '\0';
}

/* When the sender sent m: its SMSC time (a long SMS: its first part's);
 * the time we received it when there is none (USSD, an unset stamp). */
static long long
message_sent_at(const struct message *m)
{
	return m->smsc_time > 0 ? m->smsc_time : m->received_at;
}

/* When the job's message was sent, as the windows people expect count
 * it (BATAL's 24 hours, the auto-responder's hour): after an outage a
 * backlog is read at once but was sent over days. A stamp later than
 * our clock is not believed. */
long long
job_sent_at(const struct job *j)
{
	long long t = message_sent_at(j->msg);

	return t < j->now ? t : j->now;
}

#define CHOICES_MAX	8	/* more never fit one SMS */

/* One village offered in a reply: its name when not spelled as typed,
 * its kecamatan and its code in ten digits (what the sender types). */
static void
choice_text(const struct village *v, const char *typed, char *out,
    size_t cap)
{
	char name[DESA_MAX];

	parse_desa(v->name, name, sizeof(name));
	snprintf(out, cap, "%s%sKec. %s %.2s%.2s%.2s%.4s",
	    strcmp(name, typed) ? v->name : "", strcmp(name, typed) ? " " : "",
	    v->kecamatan, v->code, v->code + 3, v->code + 6, v->code + 9);
}

/* Answer a name several villages share with the nearest of them, as
 * many as fit one SMS, and what to send instead. */
static void
say_choices(struct job *j, const char *typed, const struct village_pick *p)
{
	char list[REPLY_MAX * 2], one[300], count[16], more[32];
	int k, i, n = p->choices < p->ncand ? p->choices : p->ncand;
	struct reply_var v[] = { V("jumlah", count), V("desa", typed),
	    V("pilihan", list), V("keyword", j->r->keyword) };
	size_t o;

	snprintf(count, sizeof(count), "%d", p->choices);
	for (k = n; k >= 1; k--) {
		for (i = 0, o = 0; i < k && o < sizeof(list); i++) {
			choice_text(&p->cand[i], typed, one, sizeof(one));
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s",
			    i ? ", " : "", one);
		}
		if (k < p->choices && o < sizeof(list)) {
			snprintf(more, sizeof(more), ", dan %d lain",
			    p->choices - k);
			snprintf(list + o, sizeof(list) - o, "%s", more);
		}
		if (reply_septets(R_DESA_CHOICES, v, 4) <= SMS_SEPTETS)
			break;
	}
	job_say(j, R_DESA_CHOICES, v, 4);
}

/* Set the job's village. */
static void
set_desa(struct job *j, const char *code, const char *name)
{
	snprintf(j->desa, sizeof(j->desa), "%s", code);
	snprintf(j->desa_name, sizeof(j->desa_name), "%s", name);
}

int
job_own_village(struct job *j)
{
	struct village v;
	char code[DESA_MAX];
	int rc;

	if ((rc = store_contact_only_desa(j->st, j->msg->number, code,
	    sizeof(code))) != 1)
		return rc < 0 ? -1 : 0;
	if ((rc = store_village_get(j->st, code, &v)) < 0)
		return -1;
	set_desa(j, code, rc ? v.name : code);
	j->note = "no village named: the sender's own";
	return 1;
}

int
job_no_village(struct job *j, const char *typed)
{
	struct village_scope scope = { j->msg->number, j->gw->conf->area };
	struct village_pick p = { .cand = NULL };
	int rc;

	if ((rc = store_village_pick(j->st, typed, &scope, &p)) < 0)
		return -1;
	return rc == VILLAGE_UNKNOWN;
}

/*
 * An ADUAN whose first word is no village, from a contact with exactly
 * one village: that village's, the whole text being the complaint.
 * Returns 1 when so (j->desa set), 0 when not, -1 on a store error.
 */
static int
own_village_aduan(struct job *j)
{
	int rc;

	if (j->r->kind != PK_ADUAN || j->r->isi_all[0] == '\0')
		return 0;
	if ((rc = job_own_village(j)) == 1) {
		j->r->isi = j->r->isi_all;
		j->r->desa = "";
	}
	return rc;
}

/*
 * Resolve the village the sender typed, nearest the sender first
 * (store_village_pick). Returns 0 when j->desa is set, 1 when the sender
 * was answered instead (unknown name, or several: the choices), -1 on a
 * store error. With no villages imported at all, what was typed is taken
 * as it is. An ADUAN may fall back on the sender's own village.
 */
int
job_resolve_desa(struct job *j, const char *typed)
{
	struct village cand[CHOICES_MAX];
	struct village_pick p = { .cand = cand, .cand_max = CHOICES_MAX };
	struct village_scope scope = { j->msg->number, j->gw->conf->area };
	struct reply_var var[] = { V("desa", typed),
	    V("contoh", reply_example(j->r->kind)) };
	int rc;

	if ((rc = store_village_pick(j->st, typed, &scope, &p)) < 0)
		return -1;
	if (rc == VILLAGE_FOUND || rc == VILLAGE_AS_TYPED) {
		set_desa(j, rc == VILLAGE_FOUND ? p.v.code : typed,
		    rc == VILLAGE_FOUND ? p.v.name : typed);
		return 0;
	}
	if (rc == VILLAGE_UNKNOWN && (rc = own_village_aduan(j)) != 0)
		return rc < 0 ? -1 : 0;
	j->state = "rejected";
	if (p.choices > 0) {
		j->error = "desa_ambiguous";
		say_choices(j, typed, &p);
	} else {
		j->error = "desa_unknown";
		job_say(j, R_DESA_UNKNOWN, var, 2);
	}
	return 1;
}

/* "aduan longsor" does not parse (no isi); when its one word is no
 * village, it is the complaint of the sender's own village. Returns 1
 * when so, 0 when not, -1 on a store error. */
static int
aduan_one_word(struct job *j)
{
	const struct parse_result *r = j->r;
	int rc;

	if (r->kind != PK_ADUAN || r->error != PE_MISSING_FIELD ||
	    strcmp(r->field, "isi") != 0)
		return 0;
	if ((rc = job_no_village(j, r->desa)) != 1)
		return rc;
	return own_village_aduan(j);
}

/* Whether the sender may count reports: a registered facilitator (or a
 * coordinator, who may send everything). */
static int
is_reporter(const struct job *j)
{
	return j->known && (!strcmp(j->contact.role, "pendamping") ||
	    !strcmp(j->contact.role, "koordinator"));
}

/* The reply to a report that repeats report earlier: BATAL it if the
 * new one is right, or, past BATAL's window, ask the coordinator. */
static int
say_duplicate(struct job *j, const char *nomor, long long earlier)
{
	struct record_info ri;
	char ulang[32];
	struct reply_var v[] = { V("keyword", j->r->keyword),
	    V("nomor", nomor), V("ulang", ulang), V("desa", j->desa_name),
	    V("tanggal", j->r->tanggal) };

	if (store_record_get(j->st, earlier, &ri) < 0)
		return -1;
	snprintf(ulang, sizeof(ulang), "R-%lld", earlier);
	j->note = "repeats a counted report: flagged duplicate, not counted";
	job_say(j, job_sent_at(j) - ri.created_at > BATAL_WINDOW ? R_DUPLICATE_LATE :
	    R_DUPLICATE, v, 5);
	return 0;
}

/* Why a report waits for the office, as flag words; "" when it counts. */
static void
report_flags(int reporter, int assigned, long long earlier, char *out,
    size_t cap)
{
	size_t n;

	snprintf(out, cap, "%s%s%s", reporter ? "" : "not_registered ",
	    assigned ? "" : "desa_not_assigned ", earlier > 0 ?
	    "duplicate" : "");
	if ((n = strlen(out)) > 0 && out[n - 1] == ' ')
		out[n - 1] = '\0';
}

/*
 * RAPAT and KADER: a report of a village. It counts when it comes from a
 * reporter, for one of a facilitator's villages, and does not repeat a
 * report already counted; otherwise it waits, flagged, for the office
 * (records accept / withdraw).
 */
static int
do_report(struct job *j)
{
	struct parse_result *r = j->r;
	struct record rec;
	long long id, earlier;
	char nomor[32], laki[16], perempuan[16], jumlah[16], flags[64];
	int rapat = r->kind == PK_RAPAT, rc, assigned = 1;

	if ((rc = job_resolve_desa(j, r->desa)) != 0)
		return rc < 0 ? -1 : 0;
	if (is_reporter(j) && !strcmp(j->contact.role, "pendamping") &&
	    (assigned = store_contact_has_desa(j->st, j->msg->number,
	    j->desa)) < 0)
		return -1;
	memset(&rec, 0, sizeof(rec));
	rec.message_id = j->msg->id;
	rec.kind = parse_kind_name(r->kind);
	rec.number = j->msg->number;
	rec.desa = j->desa;
	rec.desa_input = r->desa;
	rec.tanggal = r->tanggal;
	rec.jenis = rapat ? r->jenis : NULL;
	rec.laki = r->laki;
	rec.perempuan = r->perempuan;
	rec.jumlah = r->jumlah;
	rec.topik = rapat ? NULL : r->topik;
	rec.catatan = rapat ? r->catatan : NULL;
	if ((earlier = store_record_same(j->st, &rec)) < 0)
		return -1;
	report_flags(is_reporter(j), assigned, earlier, flags, sizeof(flags));
	rec.flags = flags;
	rec.duplicate_of = earlier;
	rec.state = flags[0] ? "not_counted" : "counted";
	rec.created_at = j->now;
	if (store_record_add(j->st, &rec, &id) != 0)
		return -1;
	snprintf(nomor, sizeof(nomor), "R-%lld", id);
	if (!is_reporter(j)) {
		struct reply_var v[] = { V("keyword", r->keyword),
		    V("nomor", nomor) };

		j->note = "not a registered pendamping: not counted";
		job_say(j, R_NOT_PENDAMPING, v, 2);
		return 0;
	}
	if (earlier > 0)
		return say_duplicate(j, nomor, earlier);
	snprintf(laki, sizeof(laki), "%d", r->laki);
	snprintf(perempuan, sizeof(perempuan), "%d", r->perempuan);
	snprintf(jumlah, sizeof(jumlah), "%d", r->jumlah);
	if (!assigned) {
		struct reply_var v[] = { V("keyword", r->keyword),
		    V("nomor", nomor), V("desa", j->desa_name) };

		j->note = "village not assigned to this pendamping: flagged";
		job_say(j, R_FLAGGED_DESA, v, 3);
		return 0;
	}
	{
		struct reply_var v[] = {
			V("nomor", nomor), V("desa", j->desa_name),
			V("tanggal", r->tanggal), V("jenis", r->jenis),
			V("laki", laki), V("perempuan", perempuan),
			V("jumlah", jumlah), V("topik", r->topik),
			V("keyword", r->keyword),
		};

		job_say(j, rapat ? R_OK_RAPAT : R_OK_KADER, v,
		    sizeof(v) / sizeof(v[0]));
	}
	return 0;
}

/* An ASPIRASI to a consultation that is not open: the reply lists only
 * the sender's village's open ones and takes its example from them (a
 * code of another village would be refused in turn). */
static int
perdes_not_open(struct job *j, const char *mine, char *open, size_t cap)
{
	char contoh[16];
	struct reply_var v[] = { V("perdes", j->r->perdes), V("daftar", open),
	    V("contoh", contoh) };

	if (store_perdes_open_codes(j->st, mine, j->today, open, cap) != 0)
		return -1;
	/* the first code: up to the first ", " */
	snprintf(contoh, sizeof(contoh), "%.*s", (int)strcspn(open, ","),
	    open);
	j->state = "rejected";
	j->error = "perdes_closed";
	if (open[0] == '\0')
		job_say(j, R_PERDES_NONE_OPEN, v, 1);
	else
		job_say(j, R_PERDES_CLOSED, v, 3);
	return 0;
}

/* ADUAN and ASPIRASI: a record and a ticket someone follows up. */
static int
do_ticket(struct job *j)
{
	struct parse_result *r = j->r;
	struct ticket_request q;
	struct perdes p;
	int aduan = r->kind == PK_ADUAN, rc;
	char tiket[32], open[128];

	/* aduan_one_word may have found the village already */
	if (aduan && j->desa[0] == '\0' &&
	    (rc = job_resolve_desa(j, r->desa)) != 0)
		return rc < 0 ? -1 : 0;
	if (!aduan) {
		/* An aspiration counts only for a consultation open in the
		 * sender's village (or the one village that has it open). */
		const char *mine = j->known && j->contact.desa[0] ?
		    j->contact.desa : NULL;

		if ((rc = store_perdes_find_open(j->st, r->perdes, mine,
		    j->today, &p)) < 0)
			return -1;
		if (rc == 0)
			return perdes_not_open(j, mine, open, sizeof(open));
		snprintf(j->desa, sizeof(j->desa), "%s", p.desa);
	}
	memset(&q, 0, sizeof(q));
	q.kind = parse_kind_name(r->kind);
	q.number = j->msg->number;
	q.desa = j->desa;
	q.desa_input = aduan ? r->desa : "";
	q.perdes = r->perdes;
	q.isi = r->isi;
	q.message_id = j->msg->id;
	q.now = j->now;
	if (action_ticket(j->st, &q, tiket, sizeof(tiket)) != 0)
		return -1;
	{
		struct reply_var v[] = {
			V("tiket", tiket), V("desa", j->desa_name),
			V("perdes", r->perdes), V("keyword", r->keyword),
		};

		job_say(j, aduan ? R_OK_ADUAN : R_OK_ASPIRASI, v, 4);
	}
	return 0;
}

/* STATUS: only the number that filed it, or a coordinator, may see it
 * (action_ticket_view, the same for USSD). */
static int
do_status(struct job *j)
{
	static const enum reply_id text[] = {
		[TICKET_UNKNOWN] = R_TICKET_UNKNOWN,
		[TICKET_NOT_YOURS] = R_TICKET_NOT_YOURS,
		[TICKET_SHOWN] = R_STATUS,
	};
	struct ticket t;
	char name[32];
	int rc;

	rc = action_ticket_view(j->st, j->r->tiket, j->msg->number,
	    j->known ? j->contact.role : NULL, &t, name, sizeof(name));
	/* the parser let through only a well-formed ticket */
	if (rc < 0 || rc == TICKET_BAD_NAME)
		return -1;
	{
		struct reply_var v[] = { V("tiket", name),
			V("status", rc == TICKET_SHOWN ? t.status : ""),
			V("catatan", rc == TICKET_SHOWN ? t.note : "") };

		/* the office's note whole, even when one SMS cannot hold it
		 * (its update SMS said to ask) */
		if (reply_render_parts(text[rc], v, 3, TICKET_STATUS_PARTS,
		    j->reply, sizeof(j->reply)) < 0)
			j->reply[0] = '\0';
	}
	return 0;
}

/* BATAL: the same sender may withdraw a report within 24 hours of its
 * recording, counted to when the BATAL was sent. */
static int
do_batal(struct job *j)
{
	struct record_info ri;
	long long id;
	int rc;
	struct reply_var v[] = { V("nomor", j->r->nomor) };

	if (sscanf(j->r->nomor, "R-%lld", &id) != 1)
		return -1;
	if ((rc = store_record_get(j->st, id, &ri)) < 0)
		return -1;
	if (rc == 0 || (strcmp(ri.kind, "rapat") && strcmp(ri.kind, "kader")))
		job_say(j, R_BATAL_UNKNOWN, v, 1);
	else if (strcmp(ri.number, j->msg->number) != 0)
		job_say(j, R_BATAL_NOT_YOURS, v, 1);
	else if (job_sent_at(j) - ri.created_at > BATAL_WINDOW)
		job_say(j, R_BATAL_TOO_LATE, v, 1);
	else if (strcmp(ri.state, "withdrawn") == 0)
		job_say(j, R_BATAL_OK, v, 1);	/* already: say the same */
	else {
		long long next;
		char ganti[32];
		struct reply_var w[] = { V("nomor", j->r->nomor),
		    V("ganti", ganti) };

		if (action_record_withdraw(j->st, id, "BATAL", j->now,
		    &next) < 0)
			return -1;
		snprintf(ganti, sizeof(ganti), "R-%lld", next);
		job_say(j, next > 0 ? R_BATAL_REPLACED : R_BATAL_OK, w, 2);
	}
	return 0;
}

/* DAFTAR: register (or update) the sender as a warga of a village. A
 * facilitator or coordinator keeps their role. */
static int
do_daftar(struct job *j)
{
	struct contact c = j->contact;
	struct reply_var v[] = { V("nama", j->r->nama), V("desa", j->desa_name) };
	int rc;

	if ((rc = job_resolve_desa(j, j->r->desa)) != 0)
		return rc < 0 ? -1 : 0;
	if (!j->known) {
		memset(&c, 0, sizeof(c));
		snprintf(c.role, sizeof(c.role), "warga");
	}
	snprintf(c.number, sizeof(c.number), "%s", j->msg->number);
	snprintf(c.number_raw, sizeof(c.number_raw), "%s", j->msg->number_raw);
	snprintf(c.name, sizeof(c.name), "%s", j->r->nama);
	/* A facilitator's assigned villages are the coordinator's to set. */
	if (!strcmp(c.role, "warga"))
		snprintf(c.desa, sizeof(c.desa), "%s", j->desa);
	if (!strcmp(c.role, "warga") ?
	    store_contact_put(j->st, &c, j->now) != 0 :
	    store_contact_rename(j->st, c.number, c.name, j->now) != 0)
		return -1;
	job_say(j, R_OK_DAFTAR, v, 2);
	return 0;
}

/* A time as a sender reads it: day, month and clock, in the gateway's
 * zone ("28/11 10:05"). */
static void
when_sent(long long t, char *out, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL ||
	    strftime(out, cap, "%d/%m %H:%M", &tm) == 0)
		snprintf(out, cap, "?");
}

/*
 * BERHENTI and MULAI: opt out of (or back into) everything we initiate.
 * The one sent last stands, in whatever order they are read (after an
 * outage the SIM gives them in any order). An older one read later
 * changes nothing, and its sender is told what stands instead of a
 * confirmation that is no longer true.
 */
static int
do_opt(struct job *j)
{
	int out = j->r->kind == PK_BERHENTI, stands, rc;
	long long sent, stands_at;
	char dikirim[32], terakhir[32];

	if ((sent = store_message_sent_at(j->st, j->msg->id)) < 0)
		return -1;
	if (sent == 0)
		sent = j->msg->received_at;
	/* a stamp later than our clock is not believed (job_sent_at): one
	 * would outrank every BERHENTI or MULAI sent after it */
	if (sent > j->now)
		sent = j->now;
	rc = store_contact_consent(j->st, j->msg->number, j->msg->number_raw,
	    out, sent, j->now, &stands, &stands_at);
	if (rc < 0)
		return -1;
	if (rc == 1 || stands == out) {
		job_say(j, out ? R_OK_BERHENTI : R_OK_MULAI, NULL, 0);
		return 0;
	}
	when_sent(sent, dikirim, sizeof(dikirim));
	when_sent(stands_at, terakhir, sizeof(terakhir));
	{
		struct reply_var v[] = { V("dikirim", dikirim),
		    V("terakhir", terakhir) };

		j->note = out ? "superseded: a MULAI sent later stands" :
		    "superseded: a BERHENTI sent later stands";
		job_say(j, out ? R_BERHENTI_OLDER : R_MULAI_OLDER, v, 2);
	}
	return 0;
}

static int
do_bantu(struct job *j)
{
	job_say(j, reply_bantu_topic(reply_topic_kind(j->r->topik)), NULL, 0);
	return 0;
}

/* SIARAN: a coordinator's broadcast to a group. */
static int
do_siaran(struct job *j)
{
	char count[16];
	int n;

	if (!(j->known && !strcmp(j->contact.role, "koordinator"))) {
		j->note = "SIARAN from a non-coordinator: refused";
		job_say(j, R_NOT_KOORDINATOR, NULL, 0);
		return 0;
	}
	/* a village is resolved as in every message: several get choices */
	if (action_broadcast_role(j->r->grup) == NULL &&
	    (n = job_resolve_desa(j, j->r->grup)) != 0)
		return n < 0 ? -1 : 0;
	n = action_broadcast(j->st, j->desa[0] ? j->desa : j->r->grup,
	    j->r->isi, j->msg->number, j->now);
	if (n < 0)
		return -1;
	snprintf(count, sizeof(count), "%d", n);
	{
		struct reply_var v[] = { V("grup", j->r->grup),
		    V("jumlah", count) };

		job_say(j, R_OK_SIARAN, v, 2);
	}
	outbound_schedule(j->gw, 0);
	return 0;
}

/* What each keyword does, by kind. */
static int (*const handlers[PK__COUNT])(struct job *) = {
	[PK_RAPAT] = do_report,
	[PK_KADER] = do_report,
	[PK_ADUAN] = do_ticket,
	[PK_ASPIRASI] = do_ticket,
	[PK_STATUS] = do_status,
	[PK_BATAL] = do_batal,
	[PK_DAFTAR] = do_daftar,
	[PK_BERHENTI] = do_opt,
	[PK_MULAI] = do_opt,
	[PK_BANTU] = do_bantu,
	[PK_SIARAN] = do_siaran,
	[PK_APBDES] = do_apbdes,
	[PK_PANTAU] = do_pantau,
};

/* Why a message gets no reply at all, or NULL. */
static const char *
no_reply_reason(const struct message *m)
{
	if (m->is_report)
		return "status report";
	if (m->is_binary)
		return "binary SMS";
	switch (m->sender_class) {
	case SENDER_ALNUM:
		return "alphanumeric sender: no reply";
	case SENDER_SHORT:
		return "short number: no reply";
	case SENDER_INVALID:
		return "invalid sender number: no reply";
	default:
		return NULL;
	}
}

/*
 * Queue the job's reply, or record it withheld (an auto-responder, or an
 * unregistered number past replies_per_hour: action_reply); the message's
 * note then says why. Returns 0 or -1.
 */
static int
answer(struct job *j, const char *error)
{
	struct reply_request q = {
		.number = j->msg->number, .registered = j->known,
		.text = j->reply, .message_id = j->msg->id,
		.said = j->msg->text, .said_len = j->msg->text_len,
		.error = error, .now = j->now, .sent_at = job_sent_at(j),
	};
	const char *why;
	int rc = action_reply(j->st, j->gw->conf, &q, &why);

	if (rc == 0) {
		j->note = why;
		log_warnx("no reply to %s: %s", j->msg->number, why);
	}
	return rc < 0 ? -1 : 0;
}

/* Handle one message inside the open transaction. */
static int
process_one(struct gateway *gw, long long id)
{
	struct message msg;
	struct parse_result r;
	struct job j;
	struct pdate today;
	const char *why, *kind = NULL, *error = NULL;
	char *scratch = NULL, esc[200];
	int rc = -1, n;

	if (store_message_get(gw->store, id, &msg) != 0)
		return -1;
	memset(&j, 0, sizeof(j));
	j.gw = gw;
	j.st = gw->store;
	j.msg = &msg;
	j.r = &r;
	j.now = gw_now(gw);
	j.state = "processed";
	if ((why = no_reply_reason(&msg)) != NULL) {
		/* A status report settles the outbox row it answers. */
		if (msg.is_report &&
		    (why = outbound_status_report(gw, &msg)) == NULL) {
			message_free(&msg);
			return -1;
		}
		rc = store_message_done(gw->store, id, "ignored", NULL, NULL,
		    why, j.now);
		log_info("message %lld from %s stored, not answered: %s", id,
		    msg.number, why);
		message_free(&msg);
		return rc;
	}
	memset(&r, 0, sizeof(r));
	r.scratch_cap = 2 * msg.text_len + 64;
	if ((scratch = malloc(r.scratch_cap)) == NULL)
		goto out;
	r.scratch = scratch;
	/* HARIINI, KEMARIN and a date without a year mean the day it was
	 * sent, not the day we read it: a backlog keeps its senders' dates. */
	today = clock_pdate(job_sent_at(&j));
	snprintf(j.today, sizeof(j.today), "%04d-%02d-%02d", today.year,
	    today.month, today.day);
	if ((n = store_contact_get(gw->store, msg.number, &j.contact)) < 0)
		goto out;
	j.known = n;
	if (parse_message(msg.text, msg.text_len, &today, &r) != 0 &&
	    ((n = aduan_one_word(&j)) != 0 ||
	    (n = apbdes_own_village(&j)) != 0)) {
		if (n < 0)
			goto out;
		r.error = PE_OK;
	}
	if (r.error != PE_OK) {
		j.state = "rejected";
		error = parse_error_name(r.error);
		if (reply_for_parse_error(&r, j.reply, sizeof(j.reply)) < 0)
			j.reply[0] = '\0';
	} else {
		kind = parse_kind_name(r.kind);
		if (handlers[r.kind] == NULL || handlers[r.kind](&j) != 0)
			goto out;
		error = j.error;
	}
	if (msg.incomplete && j.note == NULL)
		j.note = "incomplete: parts missing";
	if (j.reply[0] != '\0' && answer(&j, error) != 0)
		goto out;
	rc = store_message_done(gw->store, id, j.state, kind, error, j.note,
	    j.now);
	log_info("message %lld from %s: %s%s%s: %s", id, msg.number,
	    kind ? kind : "error ", kind ? "" : error,
	    j.note ? " (note)" : "",
	    log_escape(msg.text, msg.text_len, esc, sizeof(esc)));
out:
	free(scratch);
	message_free(&msg);
	return rc;
}

void
process_run(struct gateway *gw)
{
	long long ids[PROCESS_BATCH];
	double hold;
	int n, i;

	/* intake first (rules/intake.h): a flood of MO is stored, then
	 * answered */
	if (intake_holds(&gw->intake, clock_mono(), &hold)) {
		gateway_wake(gw, WORK_PROCESS, hold);
		return;
	}
	n = store_messages_received(gw->store, ids, PROCESS_BATCH);
	if (n <= 0)
		return;
	/* One transaction per batch: one fsync for many messages, and each
	 * message's record and reply still land together. */
	if (store_begin(gw->store) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		/* A savepoint per message: one that cannot be handled (a
		 * bug, a constraint) is set aside, not retried forever with
		 * the whole batch behind it. A full disk stops the batch. */
		if (store_savepoint(gw->store) != 0)
			goto fail_tx;
		if (process_one(gw, ids[i]) == 0) {
			if (store_release(gw->store) != 0)
				goto fail_tx;
			continue;
		}
		if (store_last_was_full(gw->store) ||
		    store_rollback_to(gw->store) != 0)
			goto fail_tx;
		log_warnx("message %lld could not be handled: %s; set aside",
		    ids[i], store_errmsg(gw->store));
		if (store_message_done(gw->store, ids[i], "rejected", NULL,
		    "internal", "could not be handled; see the log",
		    gw_now(gw)) != 0 || store_release(gw->store) != 0)
			goto fail_tx;
	}
	if (store_commit(gw->store) != 0)
		goto fail_tx;
	outbound_schedule(gw, 0);
	if (n == PROCESS_BATCH)
		process_schedule(gw);
	return;
fail_tx:
	store_rollback(gw->store);
fail:
	if (retry_if_busy(gw, WORK_PROCESS))
		return;		/* they wait in the store, as they are */
	log_alarm("cannot process stored messages: %s%s",
	    store_errmsg(gw->store),
	    store_last_was_full(gw->store) ? " (disk full)" : "");
}

void
process_schedule(struct gateway *gw)
{
	gateway_wake(gw, WORK_PROCESS, 0);
}
