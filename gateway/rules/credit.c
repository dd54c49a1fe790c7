/* Reading a balance out of a USSD answer. */
#include "gateway/rules/credit.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* Where the amount starts: after "Rp" if present, else the first digit. */
static const char *
amount_start(const char *text)
{
	const char *p;

	for (p = text; *p; p++)
		if (strncasecmp(p, "rp", 2) == 0) {
			p += 2;
			while (*p == ' ' || *p == '.' || *p == ':')
				p++;
			if (isdigit((unsigned char)*p))
				return p;
		}
	for (p = text; *p; p++)
		if (isdigit((unsigned char)*p))
			return p;
	return NULL;
}

long long
credit_parse(const char *text)
{
	const char *p = amount_start(text);
	long long v = 0;

	if (p == NULL)
		return -1;
	for (;;) {
		if (isdigit((unsigned char)*p)) {
			if (v > 1000000000000LL)
				return -1;
			v = v * 10 + (*p++ - '0');
			continue;
		}
		/* A group separator is followed by exactly three digits. */
		if ((*p == '.' || *p == ',') && isdigit((unsigned char)p[1]) &&
		    isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
		    !isdigit((unsigned char)p[4])) {
			p++;
			continue;
		}
		break;
	}
	return v;
}
