#include "gateway/rules/tickets.h"
#include "parser/gsm7.h"
#include "parser/parser.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *
ticket_status(const char *typed)
{
	static const char *const statuses[] = { "baru", "diproses",
	    "selesai", "ditolak" };
	size_t i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (!strcasecmp(typed, statuses[i]))
			return statuses[i];
	return NULL;
}

/* Characters (code points) of UTF-8 text. */
static int
characters(const char *s)
{
	int n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* The SMS about the change: the note whole when it fits, else cut where
 * the SMS ends, saying so and how to read the rest. */
static int
news_text(const char *name, const char *status, const char *note,
    struct ticket_news *n)
{
	char cut[SMS_SEPTETS * 3 + 3];
	struct reply_var v[] = { { "tiket", name }, { "status", status },
	    { "catatan", note } };
	int room, septets, whole;
	size_t o;

	n->note_chars = n->note_sent = characters(note);
	if (reply_septets(R_TICKET_UPDATE, v, 3) <= SMS_SEPTETS)
		return reply_render(R_TICKET_UPDATE, v, 3, n->sms,
		    sizeof(n->sms));
	v[2].value = "";
	room = SMS_SEPTETS - reply_septets(R_TICKET_UPDATE_CUT, v, 3) - 2;
	if (room < 1)
		return -1;
	o = gsm7_sanitize(note, strlen(note), room, cut, &septets, &whole);
	cut[o++] = '.';
	cut[o++] = '.';
	cut[o] = '\0';
	n->note_sent = characters(cut) - 2;
	v[2].value = cut;
	return reply_render(R_TICKET_UPDATE_CUT, v, 3, n->sms, sizeof(n->sms));
}

int
action_ticket_update(struct store *st, const char *typed,
    const struct ticket_change *c, long long now, struct ticket_news *n)
{
	const char *note = c->note;
	char type[4];
	long long seq;
	int rc;

	memset(n, 0, sizeof(*n));
	if (parse_ticket(typed, type, &seq) != 0)
		return TICKET_BAD;
	if (note != NULL && characters(note) > TICKET_NOTE_MAX)
		return TICKET_NOTE_LONG;
	snprintf(n->name, sizeof(n->name), "%s-%lld", type, seq);
	if ((rc = store_ticket_get(st, type, seq, &n->before)) <= 0)
		return rc < 0 ? -1 : TICKET_NO_SUCH;
	snprintf(n->status, sizeof(n->status), "%s", c->status ? c->status :
	    n->before.status);
	/* a village alone is no news for the person: their note stays */
	if (c->status == NULL && note == NULL)
		note = n->before.note;
	if (store_ticket_update(st, type, seq, n->status, note ? note : "",
	    c->desa, now) != 1)
		return -1;
	if (c->status == NULL && c->note == NULL)
		return TICKET_UPDATED;
	if (news_text(n->name, n->status, note ? note : "", n) < 0)
		return -1;
	/* "ticket": news of their own ticket, sent even after BERHENTI */
	if (store_outbox_add(st, n->before.number, n->sms, "ticket", 0, now,
	    NULL) < 0)
		return -1;
	snprintf(n->number, sizeof(n->number), "%s", n->before.number);
	return TICKET_UPDATED;
}
