/* Routing policy: prefix and network-code tables, and the choice. */
#include "gateway/rules/route.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Mobile prefixes after the leading 0 (0811 -> "811"), by operator. */
static const struct { const char *prefix; enum op op; } prefixes[] = {
	{ "811", OP_TELKOMSEL }, { "812", OP_TELKOMSEL },
	{ "813", OP_TELKOMSEL }, { "821", OP_TELKOMSEL },
	{ "822", OP_TELKOMSEL }, { "823", OP_TELKOMSEL },
	{ "851", OP_TELKOMSEL }, { "852", OP_TELKOMSEL },
	{ "853", OP_TELKOMSEL },
	{ "814", OP_INDOSAT }, { "815", OP_INDOSAT }, { "816", OP_INDOSAT },
	{ "855", OP_INDOSAT }, { "856", OP_INDOSAT }, { "857", OP_INDOSAT },
	{ "858", OP_INDOSAT },
	{ "817", OP_XL }, { "818", OP_XL }, { "819", OP_XL },
	{ "859", OP_XL }, { "877", OP_XL }, { "878", OP_XL },
	{ "831", OP_AXIS }, { "832", OP_AXIS }, { "833", OP_AXIS },
	{ "838", OP_AXIS },
	{ "895", OP_TRI }, { "896", OP_TRI }, { "897", OP_TRI },
	{ "898", OP_TRI }, { "899", OP_TRI },
	{ "881", OP_SMARTFREN }, { "882", OP_SMARTFREN },
	{ "883", OP_SMARTFREN }, { "884", OP_SMARTFREN },
	{ "885", OP_SMARTFREN }, { "886", OP_SMARTFREN },
	{ "887", OP_SMARTFREN }, { "888", OP_SMARTFREN },
	{ "889", OP_SMARTFREN },
};

/* MCC 510 network codes. */
static const struct { const char *mccmnc; enum op op; } networks[] = {
	{ "51010", OP_TELKOMSEL },
	{ "51001", OP_INDOSAT },
	{ "51021", OP_INDOSAT },
	{ "51011", OP_XL },
	{ "51008", OP_AXIS },
	{ "51089", OP_TRI },
	{ "51009", OP_SMARTFREN },
	{ "51028", OP_SMARTFREN },
};

static const char *const names[OP__COUNT] = {
	[OP_UNKNOWN] = "unknown",
	[OP_TELKOMSEL] = "telkomsel",
	[OP_INDOSAT] = "indosat",
	[OP_XL] = "xl",
	[OP_AXIS] = "axis",
	[OP_TRI] = "tri",
	[OP_SMARTFREN] = "smartfren",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

enum op
route_op_of_number(const char *number)
{
	char digits[32];
	const char *p;
	size_t i, n = 0;

	for (p = number; *p && n < sizeof(digits) - 1; p++)
		if (isdigit((unsigned char)*p))
			digits[n++] = *p;
	digits[n] = '\0';
	if (n > 2 && digits[0] == '6' && digits[1] == '2')
		p = digits + 2;		/* +62 8xx, 62 8xx */
	else if (n > 1 && digits[0] == '0' && digits[1] == '8')
		p = digits + 1;		/* 08xx */
	else
		return OP_UNKNOWN;
	for (i = 0; i < NELEM(prefixes); i++)
		if (strncmp(p, prefixes[i].prefix, 3) == 0)
			return prefixes[i].op;
	return OP_UNKNOWN;
}

enum op
route_op_of_network(const char *code)
{
	char digits[8];
	size_t i, n = 0;

	for (; *code && n < sizeof(digits) - 1; code++)
		if (isdigit((unsigned char)*code))
			digits[n++] = *code;
	digits[n] = '\0';
	for (i = 0; i < NELEM(networks); i++)
		if (strcmp(digits, networks[i].mccmnc) == 0)
			return networks[i].op;
	return OP_UNKNOWN;
}

int
route_op_by_name(const char *name)
{
	int i;

	for (i = 0; i < OP__COUNT; i++)
		if (strcasecmp(name, names[i]) == 0)
			return i;
	return -1;
}

const char *
route_op_name(enum op op)
{
	return (unsigned)op < OP__COUNT ? names[op] : "unknown";
}

int
route_is_bulk(const char *purpose)
{
	return !strcmp(purpose, "broadcast") || !strcmp(purpose, "reminder") ||
	    !strcmp(purpose, "announcement");
}

unsigned
route_choose(const struct route_bearer *b, int n, const char *number,
    int bulk_traffic)
{
	enum op op = route_op_of_number(number);
	unsigned healthy = 0, onnet = 0, bulk = 0, tier[4];
	int i;

	for (i = 0; i < n && i < 32; i++) {
		if (!b[i].healthy)
			continue;
		healthy |= 1u << i;
		if (op != OP_UNKNOWN && b[i].op == op)
			onnet |= 1u << i;
		if (b[i].bulk)
			bulk |= 1u << i;
	}
	if (bulk_traffic) {
		tier[0] = bulk & onnet;
		tier[1] = bulk;
	} else {
		tier[0] = onnet & ~bulk;
		tier[1] = healthy & ~bulk;
	}
	tier[2] = onnet;
	tier[3] = healthy;
	for (i = 0; i < 4; i++)
		if (tier[i])
			return tier[i];
	return 0;
}
