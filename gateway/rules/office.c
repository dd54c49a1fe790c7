/* office: what the office types, read the one way. */
#include "gateway/rules/office.h"
#include "gateway/rules/meetings.h"
#include "gateway/rules/office_village.h"
#include "parser/parser.h"
#include "store/store.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The choices of an ambiguous name into why: as many as fit. */
static void
village_choices(const char *norm, const struct village_pick *p, char *why,
    size_t cap)
{
	size_t o;
	int i, n = p->choices < p->ncand ? p->choices : p->ncand;

	o = (size_t)snprintf(why, cap, "%d villages named '%s':", p->choices,
	    norm);
	for (i = 0; i < n && o < cap; i++)
		o += (size_t)snprintf(why + o, cap - o, "%s %s (Kec. %s, %s)",
		    i ? "," : "", p->cand[i].code, p->cand[i].kecamatan,
		    p->cand[i].kabupaten);
	if (o < cap)
		snprintf(why + o, cap - o, "%s; use the code",
		    n < p->choices ? ", ..." : "");
}

const char *
office_village(struct store *st, const char *area, const char *typed,
    char *code, size_t cap, char *why, size_t whycap)
{
	struct village cand[8];
	struct village_pick p = { .cand = cand, .cand_max = 8 };
	char norm[DESA_MAX];

	switch (office_village_pick(st, area, typed, norm, sizeof(norm), code,
	    cap, &p)) {
	case VILLAGE_FOUND:
	case VILLAGE_AS_TYPED:
		return code;
	case VILLAGE_AMBIGUOUS:
		village_choices(norm, &p, why, whycap);
		return NULL;
	case VILLAGE_UNKNOWN:
		snprintf(why, whycap, "unknown village '%s'", norm);
		return NULL;
	default:
		snprintf(why, whycap, "%s", store_errmsg(st));
		return NULL;
	}
}

int
perdes_code(const char *in, char *out, size_t cap)
{
	size_t i, letters = 0, digits = 0;

	if (strlen(in) + 1 > cap)
		return -1;
	for (i = 0; in[i]; i++) {
		if (isalpha((unsigned char)in[i]) && digits == 0)
			letters++;
		else if (isdigit((unsigned char)in[i]) && letters > 0)
			digits++;
		else
			return -1;
		out[i] = (char)toupper((unsigned char)in[i]);
	}
	out[i] = '\0';
	return letters && digits ? 0 : -1;
}

int
meeting_time(const char *typed, char *out, size_t cap)
{
	int hh, mm, n = 0;

	if (sscanf(typed, "%d:%d%n", &hh, &mm, &n) != 2 || typed[n] != '\0' ||
	    hh < 0 || hh > 23 || mm < 0 || mm > 59)
		return -1;
	snprintf(out, cap, "%02d:%02d", hh, mm);
	return 0;
}

const char *
meeting_type(const char *typed)
{
	static const char *const types[] = { "RPJM", "RKP", "APB", "PERDES",
	    "SOS", "EVAL", "KAD", "LAIN" };
	size_t k;

	for (k = 0; k < sizeof(types) / sizeof(types[0]); k++)
		if (!strcasecmp(typed, types[k]))
			return types[k];
	return NULL;
}

const char *
meeting_refusal(long long id, int outcome, const struct meeting *was,
    char *why, size_t cap)
{
	switch (outcome) {
	case MEET_UNKNOWN:
		snprintf(why, cap, "no meeting %lld", id);
		break;
	case MEET_CANCELLED:
		snprintf(why, cap, "meeting %lld was cancelled already", id);
		break;
	case MEET_STARTED:
		snprintf(why, cap, "meeting %lld (%s %s) has begun: too late to "
		    "change", id, was->tanggal, was->waktu);
		break;
	case MEET_PAST:
		snprintf(why, cap, "that date and time have gone by");
		break;
	case MEET_SAME:
		snprintf(why, cap, "meeting %lld is already so: nothing to "
		    "announce", id);
		break;
	default:
		snprintf(why, cap, "meeting %lld: not changed", id);
	}
	return why;
}
