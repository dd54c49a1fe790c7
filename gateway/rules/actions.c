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

/* A recipient_fn that only lets store_recipients count. */
static int
count_one(void *arg, const char *number, const char *name, const char *desa)
{
	(void)arg;
	(void)number;
	(void)name;
	(void)desa;
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
	struct audience a;

	memset(&a, 0, sizeof(a));
	if (action_broadcast_role(group) != NULL)
		audience_role(&a, group);
	else
		snprintf(a.desa, sizeof(a.desa), "%s", group);
	return action_broadcast_to(st, &a, text, sender, now);
}

/* The role a group word names, lower case as the store has it ("semua"
 * for everyone); NULL if it names none. */
static const char *
role_of(const char *word)
{
	static const char *const lower[] = { "semua", "pendamping",
	    "koordinator", "warga" };
	const char *r = action_broadcast_role(word);
	size_t i;

	for (i = 0; r != NULL && i < sizeof(lower) / sizeof(lower[0]); i++)
		if (!strcasecmp(r, lower[i]))
			return lower[i];
	return NULL;
}

void
audience_role(struct audience *a, const char *word)
{
	a->role = role_of(word);
}

/* The text after a kecamatan prefix ("KECAMATAN:", "KEC:", "Kec. "), or
 * NULL when typed has none. */
static const char *
kecamatan_named(const char *typed)
{
	static const char *const prefixes[] = { "kecamatan:", "kec:", "kec.",
	    "kecamatan " };
	size_t i, n;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		n = strlen(prefixes[i]);
		if (!strncasecmp(typed, prefixes[i], n)) {
			typed += n;
			while (*typed == ' ')
				typed++;
			return typed;
		}
	}
	return NULL;
}

/* The villages a typed name could be, for the office to choose by code. */
static int
audience_ambiguous(const struct village_pick *p, const char *typed,
    char *why, size_t cap)
{
	size_t len;
	int i;

	snprintf(why, cap, "%d villages are named '%s':", p->choices, typed);
	for (i = 0; i < p->ncand && i < p->choices; i++)
		if ((len = strlen(why)) < cap)
			snprintf(why + len, cap - len, "%s %s (Kec. %s)",
			    i ? "," : "", p->cand[i].code, p->cand[i].kecamatan);
	if ((len = strlen(why)) < cap)
		snprintf(why + len, cap - len, "; use the code, or "
		    "KECAMATAN:NAME for a kecamatan");
	return AUDIENCE_AMBIGUOUS;
}

/* A place: a kecamatan when prefixed, else a village (code or name) the
 * one way every channel resolves it, else a kecamatan of that name. */
static int
audience_place(struct store *st, const char *area, const char *typed,
    struct audience *a, char *why, size_t cap)
{
	struct village cand[8];
	struct village_pick p = { .cand = cand, .cand_max = 8 };
	struct village_scope scope = { NULL, area };
	const char *kec = kecamatan_named(typed);
	char norm[DESA_MAX];
	int rc = VILLAGE_UNKNOWN;

	if (kec == NULL) {
		parse_desa(typed, norm, sizeof(norm));
		if ((rc = store_village_pick(st, norm, &scope, &p)) < 0)
			return -1;
		if (rc == VILLAGE_FOUND || rc == VILLAGE_AS_TYPED) {
			snprintf(a->desa, sizeof(a->desa), "%s",
			    rc == VILLAGE_FOUND ? p.v.code : norm);
			return AUDIENCE_OK;
		}
		/* several villages of that name: a kecamatan of the same name
		 * (Jetis is one in Bantul) is not what was meant either */
		if (rc == VILLAGE_AMBIGUOUS)
			return audience_ambiguous(&p, typed, why, cap);
		kec = typed;
	}
	switch (store_kecamatan_find(st, kec, area, a->kecamatan,
	    sizeof(a->kecamatan))) {
	case 1:
		return AUDIENCE_OK;
	case 0:
		break;
	default:
		return -1;
	}
	snprintf(why, cap, "'%s' is no role (SEMUA, PENDAMPING, KOORDINATOR, "
	    "WARGA), no village and no kecamatan", kec);
	return AUDIENCE_UNKNOWN;
}

int
action_audience(struct store *st, const char *area, const char *typed,
    struct audience *a, char *why, size_t cap)
{
	char word[64];
	const char *at = strchr(typed, '@');
	size_t n;

	memset(a, 0, sizeof(*a));
	if (at == NULL) {
		if ((a->role = role_of(typed)) != NULL)
			return AUDIENCE_OK;
		return audience_place(st, area, typed, a, why, cap);
	}
	/* ROLE@PLACE */
	n = (size_t)(at - typed);
	snprintf(word, sizeof(word), "%.*s", (int)(n < sizeof(word) ? n :
	    sizeof(word) - 1), typed);
	if ((a->role = role_of(word)) == NULL) {
		snprintf(why, cap, "'%s' before @ is no role (SEMUA, "
		    "PENDAMPING, KOORDINATOR, WARGA)", word);
		return AUDIENCE_UNKNOWN;
	}
	return audience_place(st, area, at + 1, a, why, cap);
}

void
audience_query(const struct audience *a, struct recipient_query *q)
{
	memset(q, 0, sizeof(*q));
	q->role = a->role;
	q->desa = a->desa[0] ? a->desa : NULL;
	q->kecamatan = a->kecamatan[0] ? a->kecamatan : NULL;
}

int
action_broadcast_to(struct store *st, const struct audience *a,
    const char *text, const char *sender, long long now)
{
	struct recipient_query q;

	audience_query(a, &q);
	q.except = sender != NULL && sender[0] ? sender : NULL;
	return store_broadcast_to(st, &q, text, now);
}

int
action_audience_count(struct store *st, const struct audience *a,
    int *reached, int *opted_out)
{
	struct recipient_query q;
	int all;

	audience_query(a, &q);
	if ((*reached = store_recipients(st, &q, count_one, NULL)) < 0)
		return -1;
	q.with_opted_out = 1;
	if ((all = store_recipients(st, &q, count_one, NULL)) < 0)
		return -1;
	*opted_out = all - *reached;
	return 0;
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
	/* An auto-responder's texts are counted by when they were sent: a
	 * person's backlog, read at once after an outage, was sent over
	 * days and is no loop. What we send is counted in our time. */
	long long sent = q->sent_at > 0 ? q->sent_at : q->now;

	memset(in, 0, sizeof(*in));
	in->registered = q->registered;
	if (q->said != NULL && (in->same_text = store_same_text_since(st,
	    q->number, q->said, q->said_len, sent - 3600,
	    q->message_id)) < 0)
		return -1;
	if (q->said != NULL && q->error != NULL && c->error_reply_minutes > 0 &&
	    (in->error_answered = store_error_replies_since(st, q->number,
	    q->error, q->said, q->said_len,
	    sent - (long long)c->error_reply_minutes * 60)) < 0)
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

/* The name of village code as people know it, else the code. */
static const char *
village_name(struct store *st, const char *code, struct village *v)
{
	return store_village_get(st, code, v) == 1 ? v->name : code;
}

int
action_perdes_open(struct store *st, const char *code, const char *desa,
    const char *title, const char *until, long long now)
{
	struct village v;
	char text[REPLY_MAX], sampai[16];
	struct reply_var vars[] = { { "desa", village_name(st, desa, &v) },
	    { "judul", title }, { "sampai", sampai }, { "perdes", code } };

	/* 2027-01-31 is 31/01/2027: the date as people write it */
	snprintf(sampai, sizeof(sampai), "%.2s/%.2s/%.4s", until + 8,
	    until + 5, until);
	if (store_perdes_open(st, code, desa, title, until, now) != 0)
		return -1;
	if (reply_render(R_PERDES_ANNOUNCE, vars, 4, text, sizeof(text)) < 0)
		return -1;
	return action_announce(st, desa, text, "announcement", now);
}

/* The thanks to the senders of one consultation's aspirations. */
struct thanks {
	struct store *st;
	const char *code, *desa_name;
	char text[REPLY_MAX];
	long long now;
	int failed;
};

static int
thank_one(void *arg, const char *number, int total)
{
	struct thanks *t = arg;
	char jumlah[16];
	struct reply_var vars[] = { { "perdes", t->code },
	    { "desa", t->desa_name }, { "jumlah", jumlah } };

	snprintf(jumlah, sizeof(jumlah), "%d", total);
	if ((t->text[0] == '\0' && reply_render(R_PERDES_THANKS, vars, 3,
	    t->text, sizeof(t->text)) < 0) ||
	    store_outbox_add_at(t->st, number, t->text, "announcement", t->now,
	    t->now) != 0) {
		t->failed = 1;
		return 1;
	}
	return 0;
}

/* Villages one `perdes close` thanks in (a code is normally one village's;
 * closing it everywhere at once is rare). */
#define CLOSE_MAX	64

int
action_perdes_close(struct store *st, const char *code, const char *desa,
    long long now, int *closed)
{
	char villages[CLOSE_MAX][DESA_MAX];
	int i, k, n, thanked = 0;

	if ((n = store_perdes_close(st, code, desa, now, villages,
	    CLOSE_MAX)) < 0)
		return -1;
	*closed = n;
	for (i = 0; i < n && i < CLOSE_MAX; i++) {
		struct village v;
		struct thanks t = { st, code, village_name(st, villages[i], &v),
		    "", now, 0 };

		if ((k = store_perdes_aspirants(st, code, villages[i],
		    thank_one, &t)) < 0 || t.failed)
			return -1;
		thanked += k;
	}
	return thanked;
}
