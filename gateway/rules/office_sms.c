#include "gateway/rules/office_sms.h"
#include "gateway/rules/actions.h"
#include "gateway/rules/policy.h"
#include "parser/gsm7.h"
#include "store/store.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

int
office_broadcast_plan(struct store *st, const struct config *c,
    const struct audience *a, const char *text, long long now,
    struct broadcast_plan *p)
{
	time_t t = (time_t)now;
	struct tm tm;
	int hour, today;

	memset(p, 0, sizeof(*p));
	p->first = p->last = -1;
	p->parts = sms_parts(text, strlen(text));
	if (action_audience_count(st, a, &p->reached, &p->opted_out) != 0)
		return -1;
	if (p->reached == 0)
		return 0;
	if (store_policy_counts(st, "", now - 3600, now, &hour, &today) != 0)
		return -1;
	localtime_r(&t, &tm);
	policy_estimate(c, now, tm.tm_hour * 60 + tm.tm_min, hour, p->reached,
	    &p->first, &p->last);
	return 0;
}

static int
blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

int
office_message(struct store *st, const char *number, const char *text,
    long long now)
{
	int rc;

	if (number[0] != '+')
		return OFFICE_BAD_NUMBER;
	if (blank(text))
		return OFFICE_EMPTY;
	if (policy_needs_consent(OFFICE_PURPOSE)) {
		if ((rc = store_contact_opted_out(st, number)) < 0)
			return -1;
		if (rc > 0)
			return OFFICE_OPTED_OUT;
	}
	/* due at once: the outbound loop holds it by the policy */
	if (store_outbox_add_at(st, number, text, OFFICE_PURPOSE, now,
	    now) != 0)
		return -1;
	return OFFICE_QUEUED;
}
