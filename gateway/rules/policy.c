#include "gateway/rules/policy.h"
#include "config/config.h"

#include <string.h>

int
policy_in_window(int minute, int start, int end)
{
	if (start == end)
		return 0;
	if (start < end)
		return minute >= start && minute < end;
	return minute >= start || minute < end;	/* 21:00-06:00 */
}

enum policy_verdict
policy_check(const struct config *c, const struct policy_input *in,
    long long *until, const char **reason)
{
	*until = 0;
	*reason = NULL;
	if (policy_in_window(in->minute_of_day, c->quiet_start, c->quiet_end)) {
		int wait = c->quiet_end - in->minute_of_day;

		if (wait <= 0)
			wait += 24 * 60;
		/* to the start of the minute quiet hours end */
		*until = in->now - in->now % 60 + (long long)wait * 60;
		*reason = "held: quiet hours";
		return POLICY_HOLD;
	}
	if (in->sent_to_today >= c->daily_cap) {
		*reason = "dropped: daily cap for this number reached";
		return POLICY_DROP;
	}
	if (in->sent_last_hour >= c->hourly_budget) {
		*until = in->now + 60;
		*reason = "held: hourly budget reached";
		return POLICY_HOLD;
	}
	return POLICY_SEND;
}

const char *
policy_reply(const struct config *c, const struct reply_input *in)
{
	if (in->same_text > c->same_text_max)
		return "withheld: the same text too often in an hour";
	if (in->error_answered > 0 && c->error_reply_minutes > 0)
		return "withheld: this text was answered already";
	if (!in->registered && in->replies_last_hour >= c->replies_per_hour)
		return "withheld: replies_per_hour reached (not registered)";
	return NULL;
}

int
policy_needs_consent(const char *purpose)
{
	static const char *const exempt[] = { "reply", "ticket" };
	size_t i;

	for (i = 0; i < sizeof(exempt) / sizeof(exempt[0]); i++)
		if (strcmp(purpose, exempt[i]) == 0)
			return 0;
	return 1;
}

void
policy_estimate(const struct config *c, long long now, int minute_of_day,
    int sent_last_hour, int n, long long *first, long long *last)
{
	struct policy_input in = { 0 };
	const char *reason;
	long long t = now, until;
	int used = sent_last_hour, k, guard;

	*first = *last = -1;
	for (guard = 0; n > 0 && guard < 100000; guard++) {
		in.now = t;
		/* no daylight saving in the zones served: minutes add up */
		in.minute_of_day = (int)((minute_of_day + (now % 60 + t - now) /
		    60) % (24 * 60));
		in.sent_last_hour = used;
		switch (policy_check(c, &in, &until, &reason)) {
		case POLICY_HOLD:
			if (used < c->hourly_budget) {
				/* quiet hours: hours long, the budget is
				 * spent by then */
				t = until;
				used = 0;
			} else {
				/* the hour's sends age out */
				t += 3600;
				used = 0;
			}
			continue;
		case POLICY_DROP:	/* not with sent_to_today 0 */
		case POLICY_SEND:
			break;
		}
		k = n < c->hourly_budget - used ? n : c->hourly_budget - used;
		if (*first < 0)
			*first = t;
		*last = t;
		used += k;
		n -= k;
	}
}
