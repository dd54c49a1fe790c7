/* policy: quiet hours (across midnight), the hourly budget, the cap; and
 * when a person's reply is withheld. */
#include "config/config.h"
#include "gateway/rules/intake.h"
#include "gateway/rules/policy.h"
#include "tests/testlib.h"

#include <string.h>

static struct config c;

static enum policy_verdict
check_at(int hh, int mm, int hour, int today, long long *until,
    const char **why)
{
	struct policy_input in;

	in.now = 1700000000LL - 1700000000LL % 86400 + hh * 3600 + mm * 60;
	in.minute_of_day = hh * 60 + mm;
	in.sent_last_hour = hour;
	in.sent_to_today = today;
	return policy_check(&c, &in, until, why);
}

/* Why a reply with these counts is withheld, or "" when it is sent. */
static const char *
withheld(int registered, int same_text, int error_answered, int replies)
{
	struct reply_input in = { registered, same_text, error_answered,
	    replies };
	const char *why = policy_reply(&c, &in);

	return why != NULL ? why : "";
}

/* Nobody is left in silence: only an auto-responder or an unregistered
 * number past replies_per_hour gets no reply. */
static void
test_reply(void)
{
	static const char t[] = "[kentongan]\nreplies_per_hour = 10\n"
	    "same_text_max = 3\nerror_reply_minutes = 60\n"
	    "[gammu]\ndevice = x\nconnection = none\n";

	CHECK_INT(config_load_text(&c, "t.ini", t, strlen(t)), 0);
	/* a registered facilitator catching up at month end: no cap */
	CHECK_STR(withheld(1, 1, 0, 0), "");
	CHECK_STR(withheld(1, 1, 0, 10), "");
	CHECK_STR(withheld(1, 1, 0, 500), "");
	/* a stranger: replies_per_hour, then withheld */
	CHECK_STR(withheld(0, 1, 0, 9), "");
	CHECK(strstr(withheld(0, 1, 0, 10), "replies_per_hour") != NULL, "%s",
	    withheld(0, 1, 0, 10));
	/* the same text: same_text_max times answered, then withheld, for
	 * anyone (an auto-responder may be registered too) */
	CHECK_STR(withheld(1, 3, 0, 0), "");
	CHECK(strstr(withheld(1, 4, 0, 0), "same text") != NULL, "%s",
	    withheld(1, 4, 0, 0));
	CHECK(strstr(withheld(0, 4, 0, 0), "same text") != NULL, "%s",
	    withheld(0, 4, 0, 0));
	/* this very text answered with its error already */
	CHECK(strstr(withheld(1, 2, 1, 0), "answered already") != NULL, "%s",
	    withheld(1, 2, 1, 0));
	c.error_reply_minutes = 0;		/* the window turned off */
	CHECK_STR(withheld(1, 2, 1, 0), "");
}

/* When a broadcast goes, by the policy alone: at once in the day, from
 * the end of quiet hours at night, in hourly batches of the budget, and
 * stopped again by the next quiet hours. */
static void
test_estimate(void)
{
	static const char t[] = "[kentongan]\nquiet_hours = 21:00-06:00\n"
	    "hourly_budget = 100\n[gammu]\ndevice = x\nconnection = none\n";
	long long base = 1700000000LL - 1700000000LL % 86400, first, last;

	CHECK_INT(config_load_text(&c, "t.ini", t, strlen(t)), 0);
	/* 12:00, 50 to go: now */
	policy_estimate(&c, base + 12 * 3600, 12 * 60, 0, 50, &first, &last);
	CHECK_INT(first, base + 12 * 3600);
	CHECK_INT(last, base + 12 * 3600);
	/* 80 sent in the last hour: 20 now, 230 in three more hours */
	policy_estimate(&c, base + 12 * 3600, 12 * 60, 80, 250, &first, &last);
	CHECK_INT(first, base + 12 * 3600);
	CHECK_INT(last, base + 15 * 3600);
	/* 23:30: from 06:00 tomorrow */
	policy_estimate(&c, base + 23 * 3600 + 1800, 23 * 60 + 30, 0, 150,
	    &first, &last);
	CHECK_INT(first, base + 86400 + 6 * 3600);
	CHECK_INT(last, base + 86400 + 7 * 3600);
	/* 20:00, 250: 100 at 20:00, quiet at 21:00, 100 at 06:00, 07:00 */
	policy_estimate(&c, base + 20 * 3600, 20 * 60, 0, 250, &first, &last);
	CHECK_INT(first, base + 20 * 3600);
	CHECK_INT(last, base + 86400 + 7 * 3600);
	policy_estimate(&c, base + 20 * 3600, 20 * 60, 0, 0, &first, &last);
	CHECK_INT(first, -1);
}

/* Intake first: held while MO keep coming, INTAKE_HOLD_MAX at most,
 * released by a pause. */
static void
test_intake(void)
{
	struct intake in = { 0, 0 };
	double w = -1, t;

	CHECK_INT(intake_holds(&in, 100.0, &w), 0);	/* no MO yet */
	intake_mo(&in, 100.0);
	CHECK_INT(intake_holds(&in, 100.1, &w), 1);
	CHECK(w > 0.149 && w < 0.151, "waits for the pause: %f", w);
	CHECK_INT(intake_holds(&in, 100.0 + INTAKE_QUIET, &w), 0);
	/* a flood: an MO every 0.1 s; held, then answered alongside */
	for (t = 200.0; t < 200.0 + INTAKE_HOLD_MAX - 0.05; t += 0.1) {
		intake_mo(&in, t);
		if (!intake_holds(&in, t + 0.01, &w))
			break;
	}
	CHECK(t >= 200.0 + INTAKE_HOLD_MAX - 0.2, "held through: %f", t);
	intake_mo(&in, 200.0 + INTAKE_HOLD_MAX);
	CHECK_INT(intake_holds(&in, 200.01 + INTAKE_HOLD_MAX, &w), 0);
	/* the pause ends the hold: the next flood is held again */
	CHECK_INT(intake_holds(&in, 201.0 + INTAKE_HOLD_MAX, &w), 0);
	intake_mo(&in, 300.0);
	CHECK_INT(intake_holds(&in, 300.01, &w), 1);
}

int
main(void)
{
	static const char text[] = "[gammu]\ndevice = x\nconnection = none\n";
	long long until, base = 1700000000LL - 1700000000LL % 86400;
	const char *why;

	CHECK_INT(config_load_text(&c, "t.ini", text, strlen(text)), 0);
	CHECK_INT(c.quiet_start, 21 * 60);
	CHECK_INT(c.quiet_end, 6 * 60);
	CHECK_INT(check_at(12, 0, 0, 0, &until, &why), POLICY_SEND);
	CHECK_INT(check_at(20, 59, 0, 0, &until, &why), POLICY_SEND);
	CHECK_INT(check_at(21, 0, 0, 0, &until, &why), POLICY_HOLD);
	CHECK_INT(until, base + 86400 + 6 * 3600);	/* tomorrow 06:00 */
	CHECK(strstr(why, "quiet") != NULL, "%s", why);
	CHECK_INT(check_at(2, 30, 0, 0, &until, &why), POLICY_HOLD);
	CHECK_INT(until, base + 6 * 3600);		/* today 06:00 */
	CHECK_INT(check_at(6, 0, 0, 0, &until, &why), POLICY_SEND);
	CHECK_INT(check_at(12, 0, 0, c.daily_cap, &until, &why), POLICY_DROP);
	CHECK(strstr(why, "daily cap") != NULL, "%s", why);
	CHECK_INT(check_at(12, 0, c.hourly_budget, 0, &until, &why),
	    POLICY_HOLD);
	CHECK(strstr(why, "hourly") != NULL, "%s", why);
	/* a daytime window, and none */
	CHECK_INT(policy_in_window(13 * 60, 12 * 60, 14 * 60), 1);
	CHECK_INT(policy_in_window(14 * 60, 12 * 60, 14 * 60), 0);
	CHECK_INT(policy_in_window(0, 0, 0), 0);
	{
		static const char t2[] = "[kentongan]\nquiet_hours = none\n"
		    "[gammu]\ndevice = x\nconnection = none\n";
		static const char t3[] = "[kentongan]\nquiet_hours = 9-5\n"
		    "[gammu]\ndevice = x\nconnection = none\n";

		CHECK_INT(config_load_text(&c, "t.ini", t2, strlen(t2)), 0);
		CHECK_INT(check_at(23, 0, 0, 0, &until, &why), POLICY_SEND);
		CHECK_INT(config_load_text(&c, "t.ini", t3, strlen(t3)), -1);
	}
	/* who needs consent: all the gateway initiates, alarms included */
	CHECK_INT(policy_needs_consent("reply"), 0);
	CHECK_INT(policy_needs_consent("ticket"), 0);
	CHECK_INT(policy_needs_consent("broadcast"), 1);
	CHECK_INT(policy_needs_consent("reminder"), 1);
	CHECK_INT(policy_needs_consent("announcement"), 1);
	CHECK_INT(policy_needs_consent("notify"), 1);
	/* the office writing to one person: no answer to their SMS */
	CHECK_INT(policy_needs_consent("office"), 1);
	test_reply();
	test_intake();
	test_estimate();
	return test_summary("unit-policy");
}
