/*
 * test_parse_values: the readings of one typed value that every channel
 * shares (an SMS, a USSD answer, the command line, the office's
 * spreadsheet): dates, tickets, villages, activity codes.
 */
#include <stdio.h>
#include <string.h>

#include "parser/parser.h"
#include "tests/testlib.h"

/* ISO dates for --today. */
static void
check_iso(void)
{
	struct pdate d;

	CHECK_INT(parse_iso_date("2024-02-29", &d), 0);
	CHECK(d.year == 2024 && d.month == 2 && d.day == 29, "2024-02-29");
	CHECK_INT(parse_iso_date("2025-02-29", &d), -1);
	CHECK_INT(parse_iso_date("2025-2-28", &d), -1);
	CHECK_INT(parse_iso_date("2025-02-28x", &d), -1);
	CHECK_INT(parse_iso_date("20a5-02-28", &d), -1);
	CHECK_INT(parse_iso_date("", &d), -1);
}

/* parse_desa: the one way a typed village is written, for every channel. */
static void
check_desa_names(void)
{
	char out[32], small[8];

	parse_desa("3322012005", out, sizeof(out));
	CHECK_STR(out, "33.22.01.2005");
	parse_desa(" 33.22.01.2005 ", out, sizeof(out));
	CHECK_STR(out, "33.22.01.2005");
	parse_desa("suka   maju", out, sizeof(out));
	CHECK_STR(out, "SUKA MAJU");
	parse_desa("33.22.01.200", out, sizeof(out));
	CHECK_STR(out, "33.22.01.200");
	parse_desa("   ", out, sizeof(out));
	CHECK_STR(out, "");
	/* cut short inside a two-byte character: the character goes */
	parse_desa("abcdef\xc3\xa9", small, sizeof(small));
	CHECK_STR(small, "ABCDEF");
	parse_desa("abcde\xc3\xa9z", small, sizeof(small));
	CHECK_STR(small, "ABCDE\xc3\xa9");
}

/* parse_ticket: the one reading of a typed ticket number, for every channel. */
static void
check_ticket_names(void)
{
	static const struct { const char *in; const char *type; long long seq; }
	    good[] = {
		{ "ADU-42", "ADU", 42 }, { "adu 0042", "ADU", 42 },
		{ "Asp42", "ASP", 42 }, { "  ADU-7 ", "ADU", 7 },
		{ "ADU - 9", "ADU", 9 }, { "asp-999999999", "ASP", 999999999 },
	};
	static const char *const bad[] = { "", "ADU", "ADU-", "R-12", "ADU-0",
		"ADU-4x", "XYZ-1", "ADU-1234567890", "ADU--4", "42" };
	char type[4];
	long long seq;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		seq = 0;
		CHECK(parse_ticket(good[i].in, type, &seq) == 0 &&
		    !strcmp(type, good[i].type) && seq == good[i].seq,
		    "parse_ticket '%s'", good[i].in);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(parse_ticket(bad[i], type, &seq) == -1,
		    "parse_ticket refuses '%s'", bad[i]);
}

/* An office's dates from a spreadsheet: every form with a year, never
 * "today", future dates allowed. */
static void
check_office_dates(void)
{
	static const struct {
		const char *in;
		int y, m, d;
	} good[] = {
		{ "2026-03-01", 2026, 3, 1 },
		{ "1/3/2026", 2026, 3, 1 },	/* Excel, Indonesian locale */
		{ "01/03/2026", 2026, 3, 1 },
		{ "1-3-2026", 2026, 3, 1 },
		{ "1.3.2026", 2026, 3, 1 },
		{ "1/3/26", 2026, 3, 1 },
		{ "01-03-26", 2026, 3, 1 },
		{ "01032026", 2026, 3, 1 },
		{ "010326", 2026, 3, 1 },
		{ " 1/3/2026\t", 2026, 3, 1 },	/* a CSV cell's blanks */
		{ "29/02/2028", 2028, 2, 29 },
		{ "2028-02-29", 2028, 2, 29 },
		{ "29/2/2000", 2000, 2, 29 },
		{ "31/12/2099", 2099, 12, 31 },	/* a plan may lie ahead */
		{ "31/12/1999", 1999, 12, 31 },
	};
	static const char *const bad[] = {
		"", "   ", "31/02/2026", "29/02/2026", "29/02/1900",
		"2026-13-01", "2026-02-30", "2026-00-10", "2026-3-1",
		"2026/03/01", "1/3", "1-3", "HARIINI", "KEMARIN", "hariini",
		"1/3/202", "1/3/20261", "1/13/2026", "0/1/2026", "32/1/2026",
		"32012026", "0103202", "1/3/2026x", "x1/3/2026", "1 / 3 / 2026",
		"1:3:2026", "1/3/-26",
	};
	struct pdate d;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		memset(&d, 0, sizeof(d));
		CHECK(parse_office_date(good[i].in, &d) == 0 &&
		    d.year == good[i].y && d.month == good[i].m &&
		    d.day == good[i].d, "office date '%s': %d-%d-%d",
		    good[i].in, d.year, d.month, d.day);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(parse_office_date(bad[i], &d) == -1,
		    "office date refuses '%s'", bad[i]);
	CHECK_INT(parse_office_date(NULL, &d), -1);
}

/* parse_kegiatan: an activity code as the parser writes it, for the
 * office's import to store codes an SMS can name. */
static void
check_kegiatan_codes(void)
{
	static const struct { const char *in, *want; } good[] = {
		{ "K01", "K01" }, { "k01", "K01" }, { " K 01 ", "K01" },
		{ "pk3", "PK3" }, { "Keg12", "KEG12" }, { "K0001", "K0001" },
		{ "ABCDEFGH1234", "ABCDEFGH1234" },
	};
	static const char *const bad[] = { "", "K", "01", "K01X", "K-01",
		"K.01", "ABCDEFGHI1", "K12345", "1K", "K 0 1", "\xc3\x89" "0",
		"K01 K02" };
	char out[KEGIATAN_MAX + 1];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		out[0] = '\0';
		CHECK(parse_kegiatan(good[i].in, out) == 0 &&
		    strcmp(out, good[i].want) == 0, "kegiatan '%s': '%s'",
		    good[i].in, out);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(parse_kegiatan(bad[i], out) == -1,
		    "kegiatan refuses '%s'", bad[i]);
}

int
main(void)
{
	check_iso();
	check_office_dates();
	check_ticket_names();
	check_desa_names();
	check_kegiatan_codes();
	return test_summary("test_parse_values");
}
