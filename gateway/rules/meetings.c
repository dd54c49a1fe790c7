#include "gateway/rules/meetings.h"
#include "gateway/util/clock.h"
#include "parser/reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One SMS about a meeting to each number it is called with. */
struct tell {
	struct store *st;
	long long id;
	const char *text, *purpose, *what;
	long long now;
	int failed;
};

static int
tell_one(void *arg, const char *number, const char *name, const char *desa)
{
	struct tell *t = arg;

	(void)name;
	(void)desa;
	if (store_outbox_add_at(t->st, number, t->text, t->purpose, t->now,
	    t->now) != 0 ||
	    store_meeting_sms_add(t->st, t->id, number, t->what) != 0) {
		t->failed = 1;
		return 1;
	}
	return 0;
}

int
action_meeting_send(struct store *st, const struct meeting *m,
    const char *text, const char *purpose, const char *what, long long now)
{
	struct tell t = { st, m->id, text, purpose, what, now, 0 };
	int n = store_meeting_people(st, m->desa, tell_one, &t);

	return t.failed ? -1 : n;
}

/* The numbers told about a meeting, collected before any is told again:
 * telling adds to the very rows being read. */
struct numbers {
	char (*v)[NUMBER_MAX];
	int n, cap;
};

static int
collect(void *arg, const char *number, const char *name, const char *desa)
{
	struct numbers *ns = arg;

	(void)name;
	(void)desa;
	if (ns->n == ns->cap) {
		int cap = ns->cap ? ns->cap * 2 : 64;
		char (*v)[NUMBER_MAX] = realloc(ns->v, (size_t)cap *
		    sizeof(*v));

		if (v == NULL)
			return 1;
		ns->v = v;
		ns->cap = cap;
	}
	snprintf(ns->v[ns->n++], NUMBER_MAX, "%s", number);
	return 0;
}

/* Queue text about m to those who were told of it; a meeting announced
 * before the gateway remembered who was told goes to its village's
 * people. Returns how many, or -1. */
static int
tell_those_told(struct store *st, const struct meeting *m, const char *text,
    const char *what, long long now)
{
	struct tell t = { st, m->id, text, "announcement", what, now, 0 };
	struct numbers ns = { NULL, 0, 0 };
	int i, n;

	if ((n = store_meeting_told(st, m->id, collect, &ns)) < 0 ||
	    ns.n < n) {
		free(ns.v);
		return -1;
	}
	if (n == 0)
		return action_meeting_send(st, m, text, "announcement", what,
		    now);
	for (i = 0; i < ns.n && !t.failed; i++)
		tell_one(&t, ns.v[i], "", "");
	free(ns.v);
	return t.failed ? -1 : n;
}

/* The SMS id about m, with one more placeholder (name: value) besides
 * the meeting's own; the village's name when the list has it. */
static int
meeting_text(struct store *st, const struct meeting *m, enum reply_id id,
    const char *name, const char *value, char *out, size_t cap)
{
	struct village v;
	char tanggal[16];
	struct reply_var vars[] = { { "jenis", m->jenis }, { "desa", m->desa },
	    { "tanggal", tanggal }, { "jam", m->waktu },
	    { "tempat", m->tempat[0] ? m->tempat : "balai desa" },
	    { name, value } };

	if (store_village_get(st, m->desa, &v) == 1)
		vars[1].value = v.name;
	snprintf(tanggal, sizeof(tanggal), "%.2s/%.2s", m->tanggal + 8,
	    m->tanggal + 5);
	return reply_render(id, vars, sizeof(vars) / sizeof(vars[0]), out, cap);
}

int
action_meeting_text(struct store *st, const struct meeting *m,
    enum reply_id id, const char *hari, char *out, size_t cap)
{
	return meeting_text(st, m, id, "hari", hari, out, cap);
}

long long
meeting_start(const struct meeting *m)
{
	char at[32];
	long long t;

	snprintf(at, sizeof(at), "%s %s", m->tanggal, m->waktu);
	return clock_parse_local(at, "%Y-%m-%d %H:%M", 0, &t) == 0 ? t : -1;
}

int
action_meeting_add(struct store *st, struct meeting *m, long long now,
    long long *id)
{
	char text[REPLY_MAX];

	if (store_meeting_add(st, m, now, id) != 0)
		return -1;
	m->id = *id;
	if (action_meeting_text(st, m, R_MEETING_ANNOUNCE, "", text,
	    sizeof(text)) < 0)
		return -1;
	return action_meeting_send(st, m, text, "announcement", "announce",
	    now);
}

/* The meeting id as found, and whether it may still be touched. */
static int
meeting_open(struct store *st, long long id, long long now,
    struct meeting *m)
{
	int rc;

	if ((rc = store_meeting_get(st, id, m)) < 0)
		return -1;
	if (rc == 0)
		return MEET_UNKNOWN;
	if (strcmp(m->state, "scheduled") != 0)
		return MEET_CANCELLED;
	if (meeting_start(m) <= now)
		return MEET_STARTED;
	return MEET_DONE;
}

int
action_meeting_cancel(struct store *st, long long id, const char *reason,
    long long now, struct meeting_news *news)
{
	char text[REPLY_MAX], alasan[300] = "";
	int rc;

	memset(news, 0, sizeof(*news));
	if ((rc = meeting_open(st, id, now, &news->was)) != MEET_DONE)
		return rc;
	if (reason != NULL && reason[0] != '\0')
		snprintf(alasan, sizeof(alasan), "Alasan: %s", reason);
	/* what still waits (the reminder) is dropped before the
	 * cancellation is queued: it is an SMS about the meeting too */
	if (store_meeting_cancel(st, id, reason, now) != 1 ||
	    (news->dropped = store_meeting_drop_queued(st, id,
	    "dropped: the meeting was cancelled")) < 0)
		return -1;
	if (meeting_text(st, &news->was, R_MEETING_CANCEL, "alasan", alasan,
	    text, sizeof(text)) < 0)
		return -1;
	if ((news->told = tell_those_told(st, &news->was, text, "cancel",
	    now)) < 0)
		return -1;
	return MEET_DONE;
}

int
action_meeting_change(struct store *st, const struct meeting *want,
    long long now, struct meeting *m, struct meeting_news *news)
{
	const struct meeting *was = &news->was;
	char text[REPLY_MAX], semula[200];
	int rc;

	memset(news, 0, sizeof(*news));
	if ((rc = meeting_open(st, want->id, now, &news->was)) != MEET_DONE)
		return rc;
	*m = *was;
	if (want->tanggal[0])
		snprintf(m->tanggal, sizeof(m->tanggal), "%s", want->tanggal);
	if (want->waktu[0])
		snprintf(m->waktu, sizeof(m->waktu), "%s", want->waktu);
	if (want->tempat[0])
		snprintf(m->tempat, sizeof(m->tempat), "%s", want->tempat);
	if (!strcmp(m->tanggal, was->tanggal) && !strcmp(m->waktu, was->waktu)
	    && !strcmp(m->tempat, was->tempat))
		return MEET_SAME;
	if (meeting_start(m) <= now)
		return MEET_PAST;
	snprintf(semula, sizeof(semula), "%.2s/%.2s jam %s di %s",
	    was->tanggal + 8, was->tanggal + 5, was->waktu,
	    was->tempat[0] ? was->tempat : "balai desa");
	if (store_meeting_change(st, m, now) != 1 ||
	    (news->dropped = store_meeting_drop_queued(st, m->id,
	    "dropped: the meeting was changed")) < 0 ||
	    meeting_text(st, m, R_MEETING_CHANGE, "semula", semula, text,
	    sizeof(text)) < 0 ||
	    (news->told = tell_those_told(st, m, text, "change", now)) < 0)
		return -1;
	m->announced_at = now;
	return MEET_DONE;
}
