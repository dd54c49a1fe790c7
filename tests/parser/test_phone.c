/*
 * test_phone: sender numbers as modems and operators write them.
 */
#include <string.h>

#include "parser/phone.h"
#include "tests/testlib.h"

static const struct {
	const char *raw;
	enum phone_class cls;
	const char *out;
} cases[] = {
	{ "0812-3456-7890", PHONE_E164, "+6281234567890" },
	{ "081234567890", PHONE_E164, "+6281234567890" },
	{ "6281234567890", PHONE_E164, "+6281234567890" },
	{ "+62 812 3456 7890", PHONE_E164, "+6281234567890" },
	{ "(0812) 345 678", PHONE_E164, "+62812345678" },
	{ "0062812345678", PHONE_E164, "+62812345678" },
	{ "0812.345.678", PHONE_E164, "+62812345678" },
	{ " +6281234567890 \n", PHONE_E164, "+6281234567890" },
	{ "+62 (0)812 3456 7890", PHONE_E164, "+6281234567890" },
	{ "(024) 7654321", PHONE_E164, "+62247654321" },
	{ "0812345", PHONE_E164, "+62812345" },
	{ "+60123456789", PHONE_E164, "+60123456789" },
	{ "+1 (555) 010-9999", PHONE_E164, "+15550109999" },
	{ "0044 20 7946 0958", PHONE_E164, "+442079460958" },
	{ "+123456789012345", PHONE_E164, "+123456789012345" },
	{ "+1234567890123456", PHONE_INVALID, "" },
	{ "00123456789012345", PHONE_E164, "+123456789012345" },
	{ "001234567890123456", PHONE_INVALID, "" },
	{ "0123456789012345", PHONE_INVALID, "" },	/* +62 and 15 more */
	{ "01234567890123", PHONE_E164, "+621234567890123" },
	{ "012345678901234", PHONE_INVALID, "" },
	{ "123", PHONE_SHORT, "123" },
	{ "3636", PHONE_SHORT, "3636" },
	{ "000123", PHONE_SHORT, "000123" },
	{ "14 045", PHONE_SHORT, "14045" },
	{ "+123456", PHONE_INVALID, "" },	/* E.164 needs 7+ digits */
	{ "+0812345678", PHONE_INVALID, "" },
	{ "00012345678", PHONE_INVALID, "" },
	{ "1234567", PHONE_INVALID, "" },	/* no country to tell */
	{ "TELKOMSEL", PHONE_ALNUM, "TELKOMSEL" },
	{ "  INFO  ", PHONE_ALNUM, "INFO" },
	{ "Bank\x01X", PHONE_ALNUM, "Bank?X" },
	{ "0812abc", PHONE_ALNUM, "0812abc" },
	{ "", PHONE_INVALID, "" },
	{ "   ", PHONE_INVALID, "" },
	{ "+", PHONE_INVALID, "" },
	{ "++62812345678", PHONE_INVALID, "" },
	{ "0812+345678", PHONE_INVALID, "" },
	{ "0812#345678", PHONE_INVALID, "" },
	{ "--", PHONE_INVALID, "" },
	{ "12345678901234567890123", PHONE_INVALID, "" },
};

/* Every case with a big buffer. */
static void
check_cases(void)
{
	char out[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(out, 'Z', sizeof(out));
		CHECK(phone_normalize(cases[i].raw, out, sizeof(out)) ==
		    cases[i].cls, "\"%s\" class", cases[i].raw);
		CHECK_STR(out, cases[i].out);
	}
	CHECK_INT(phone_normalize(NULL, out, sizeof(out)), PHONE_INVALID);
}

/* Small buffers: never overflowed, a number that does not fit is invalid. */
static void
check_caps(void)
{
	char out[PHONE_MAX + 8];

	memset(out, 'Z', sizeof(out));
	CHECK_INT(phone_normalize("+123456789012345", out, PHONE_MAX),
	    PHONE_E164);
	CHECK_STR(out, "+123456789012345");
	memset(out, 'Z', sizeof(out));
	CHECK_INT(phone_normalize("081234567890", out, 14), PHONE_INVALID);
	CHECK_STR(out, "");
	CHECK(out[1] == 'Z', "wrote past the NUL");
	CHECK_INT(phone_normalize("081234567890", out, 15), PHONE_E164);
	memset(out, 'Z', sizeof(out));
	CHECK_INT(phone_normalize("TELKOMSEL", out, 5), PHONE_ALNUM);
	CHECK_STR(out, "TELK");
	CHECK(out[5] == 'Z', "wrote past cap");
	/* cut at a UTF-8 boundary */
	CHECK_INT(phone_normalize("Ab\xc3\xa9", out, 4), PHONE_ALNUM);
	CHECK_STR(out, "Ab");
	CHECK_INT(phone_normalize("123", out, 3), PHONE_INVALID);
	CHECK_INT(phone_normalize("123", out, 0), PHONE_INVALID);
	CHECK_INT(phone_normalize("INFO", NULL, 0), PHONE_ALNUM);
}

int
main(void)
{
	check_cases();
	check_caps();
	return test_summary("test_phone");
}
