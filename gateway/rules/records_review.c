#include "gateway/rules/records_review.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
action_record_withdraw(struct store *st, long long id, const char *note,
    long long now, long long *successor)
{
	int rc;

	*successor = 0;
	if ((rc = store_record_review(st, id, "withdrawn", note, now)) <= 0)
		return rc;
	if ((*successor = store_record_succeed(st, id, now)) < 0)
		return -1;
	return 1;
}

/* Look report id up into res: REVIEW_DONE when it is a RAPAT or KADER. */
static int
review_get(struct store *st, long long id, struct review_result *res)
{
	int rc;

	memset(res, 0, sizeof(*res));
	if ((rc = store_record_get(st, id, &res->r)) <= 0)
		return rc < 0 ? -1 : REVIEW_UNKNOWN;
	if (strcmp(res->r.kind, "rapat") && strcmp(res->r.kind, "kader"))
		return REVIEW_NOT_REPORT;
	return REVIEW_DONE;
}

/* The SMS that tells the sender the office withdrew their report. */
static int
withdrawn_sms(struct store *st, long long id, const char *reason,
    struct review_result *res)
{
	struct village v;
	char nomor[32], ganti[32], keyword[16];
	size_t i;
	struct reply_var vars[] = { { "nomor", nomor }, { "keyword", keyword },
	    { "desa", res->r.desa }, { "tanggal", res->r.tanggal },
	    { "alasan", reason }, { "ganti", ganti } };
	enum reply_id which = res->successor ? R_RECORD_WITHDRAWN_REPLACED :
	    R_RECORD_WITHDRAWN;

	snprintf(nomor, sizeof(nomor), "R-%lld", id);
	snprintf(ganti, sizeof(ganti), "R-%lld", res->successor);
	for (i = 0; res->r.kind[i] && i + 1 < sizeof(keyword); i++)
		keyword[i] = (char)(res->r.kind[i] - 'a' + 'A');
	keyword[i] = '\0';
	if (store_village_get(st, res->r.desa, &v) == 1)
		vars[2].value = v.name;
	res->reason_cut = reply_septets(which, vars, 6) > SMS_SEPTETS;
	return reply_render(which, vars, 6, res->sms, sizeof(res->sms));
}

int
action_record_office_withdraw(struct store *st, long long id,
    const char *reason, long long now, struct review_result *res)
{
	int rc;

	if ((rc = review_get(st, id, res)) != REVIEW_DONE)
		return rc;
	if (!strcmp(res->r.state, "withdrawn"))
		return REVIEW_ALREADY;
	if (action_record_withdraw(st, id, reason, now, &res->successor) < 0 ||
	    withdrawn_sms(st, id, reason, res) < 0 ||
	    store_outbox_add(st, res->r.number, res->sms, "ticket", 0, now,
	    NULL) < 0)
		return -1;
	return REVIEW_DONE;
}

/* The counted report that waiting report id, r, repeats (0: none), unless
 * r is flagged duplicate already: the office accepts it knowingly. */
static long long
counted_repeat(struct store *st, long long id, const struct record_info *r)
{
	struct record same;
	long long found;

	if (strstr(r->flags, "duplicate") != NULL)
		return 0;
	memset(&same, 0, sizeof(same));
	same.number = r->number;
	same.kind = r->kind;
	same.desa = r->desa;
	same.tanggal = r->tanggal;
	same.jenis = r->jenis[0] ? r->jenis : NULL;
	found = store_record_same(st, &same);
	return found == id ? 0 : found;
}

int
action_record_accept(struct store *st, long long id, long long now,
    struct review_result *res)
{
	int rc;

	if ((rc = review_get(st, id, res)) != REVIEW_DONE)
		return rc;
	if (!strcmp(res->r.state, "withdrawn"))
		return REVIEW_WAS_WITHDRAWN;
	if (!strcmp(res->r.state, "counted"))
		return REVIEW_ALREADY;
	if ((res->repeats = counted_repeat(st, id, &res->r)) < 0)
		return -1;
	if (res->repeats > 0)
		return store_record_mark_repeat(st, id, res->repeats) < 0 ? -1 :
		    REVIEW_REPEATS;
	if (store_record_review(st, id, "counted", "accepted by the office",
	    now) < 0)
		return -1;
	return REVIEW_DONE;
}

int
record_number(const char *s, long long *id)
{
	char *end;

	if (s[0] == 'R' || s[0] == 'r')
		s += s[1] == '-' ? 2 : 1;
	if (!isdigit((unsigned char)s[0]))
		return -1;
	*id = strtoll(s, &end, 10);
	return *end == '\0' && *id > 0 ? 0 : -1;
}
