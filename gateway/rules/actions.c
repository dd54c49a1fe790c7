#include "gateway/rules/actions.h"
#include "gateway/rules/policy.h"
#include "config/config.h"
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

/* What the reply guard weighs for q, from the store; 0 or -1. */
static int
reply_counts(struct store *st, const struct config *c,
    const struct reply_request *q, struct reply_input *in)
{
	memset(in, 0, sizeof(*in));
	in->registered = q->registered;
	if (q->said != NULL && (in->same_text = store_same_text_since(st,
	    q->number, q->said, q->said_len, q->now - 3600,
	    q->message_id)) < 0)
		return -1;
	if (q->said != NULL && q->error != NULL && c->error_reply_minutes > 0 &&
	    (in->error_answered = store_error_replies_since(st, q->number,
	    q->error, q->said, q->said_len,
	    q->now - (long long)c->error_reply_minutes * 60)) < 0)
		return -1;
	if (!q->registered && (in->replies_last_hour = store_replies_since(st,
	    q->number, q->now - 3600)) < 0)
		return -1;
	return 0;
}

int
action_reply(struct store *st, const struct config *c,
    const struct reply_request *q, const char **why)
{
	struct reply_input in;

	if (reply_counts(st, c, q, &in) != 0)
		return -1;
	if ((*why = policy_reply(c, &in)) != NULL)
		return store_outbox_withhold(st, q->number, q->text,
		    q->message_id, *why, q->now) < 0 ? -1 : 0;
	return store_outbox_add(st, q->number, q->text, "reply",
	    q->message_id, q->now, NULL) < 0 ? -1 : 1;
}
