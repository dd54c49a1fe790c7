#include "gateway/rules/actions.h"
#include "parser/parser.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

int
action_ticket(struct store *st, const struct ticket_request *q, char *tiket,
    size_t cap)
{
	struct record rec;
	long long id, seq;
	int aduan = strcmp(q->kind, "aduan") == 0;
	const char *type = aduan ? "ADU" : "ASP";

	memset(&rec, 0, sizeof(rec));
	rec.message_id = q->message_id;
	rec.kind = q->kind;
	rec.number = q->number;
	rec.desa = q->desa;
	rec.desa_input = q->desa_input ? q->desa_input : "";
	rec.isi = q->isi;
	rec.perdes = aduan ? NULL : q->perdes;
	rec.state = "counted";
	rec.created_at = q->now;
	if (store_record_add(st, &rec, &id) != 0 ||
	    store_ticket_add(st, type, id, q->number, q->now, &seq) != 0)
		return -1;
	snprintf(tiket, cap, "%s-%lld", type, seq);
	return 0;
}

const char *
action_broadcast_role(const char *group)
{
	static const char *const roles[] = { "SEMUA", "PENDAMPING",
	    "KOORDINATOR", "WARGA" };
	size_t i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (!strcasecmp(group, roles[i]))
			return roles[i];
	return NULL;
}

int
action_broadcast(struct store *st, const char *group, const char *text,
    const char *sender, long long now)
{
	const char *role = action_broadcast_role(group);

	return role != NULL ? store_broadcast(st, role, text, sender, now) :
	    store_broadcast_desa(st, group, text, sender, now);
}

int
action_ticket_view(struct store *st, const char *typed, const char *number,
    const char *role, struct ticket *t, char *name, size_t cap)
{
	char type[4];
	long long seq;
	int rc;

	if (parse_ticket(typed, type, &seq) != 0)
		return TICKET_BAD_NAME;
	snprintf(name, cap, "%s-%lld", type, seq);
	if ((rc = store_ticket_get(st, type, seq, t)) < 0)
		return -1;
	if (rc == 0)
		return TICKET_UNKNOWN;
	if (strcmp(t->number, number) != 0 &&
	    !(role != NULL && !strcmp(role, "koordinator")))
		return TICKET_NOT_YOURS;
	return TICKET_SHOWN;
}

int
action_reply(struct store *st, const char *number, const char *text,
    long long message_id, long long now, int per_hour, const char **note)
{
	int sent = store_replies_since(st, number, now - 3600);

	if (sent < 0)
		return -1;
	if (sent >= per_hour) {
		*note = "reply limit reached: no reply";
		return 0;
	}
	return store_outbox_add(st, number, text, "reply", message_id, now,
	    NULL) < 0 ? -1 : 1;
}

int
action_meeting_text(struct store *st, const struct meeting *m,
    enum reply_id id, const char *hari, char *out, size_t cap)
{
	struct village v;
	char tanggal[16];
	struct reply_var vars[] = { { "jenis", m->jenis }, { "desa", m->desa },
	    { "tanggal", tanggal }, { "jam", m->waktu },
	    { "tempat", m->tempat[0] ? m->tempat : "balai desa" },
	    { "hari", hari } };

	if (store_village_get(st, m->desa, &v) == 1)
		vars[1].value = v.name;
	snprintf(tanggal, sizeof(tanggal), "%.2s/%.2s", m->tanggal + 8,
	    m->tanggal + 5);
	return reply_render(id, vars, sizeof(vars) / sizeof(vars[0]), out, cap);
}

/* One announcement: what store_meeting_people calls back with. */
struct announce {
	struct store *st;
	const char *text, *purpose;
	long long now;
	int failed;
};

static int
announce_one(void *arg, const char *number, const char *name,
    const char *desa)
{
	struct announce *a = arg;

	(void)name;
	(void)desa;
	if (store_outbox_add_at(a->st, number, a->text, a->purpose, a->now,
	    a->now) != 0) {
		a->failed = 1;
		return 1;
	}
	return 0;
}

int
action_announce(struct store *st, const char *desa, const char *text,
    const char *purpose, long long now)
{
	struct announce a = { st, text, purpose, now, 0 };
	int n = store_meeting_people(st, desa, announce_one, &a);

	return a.failed ? -1 : n;
}
