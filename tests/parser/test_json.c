/*
 * test_json: the JSON line of `kentongan parse` is valid for any bytes,
 * keeps the key order of the spec and escapes what it must.
 */
#include <string.h>

#include "parser/json.h"
#include "parser/parser.h"
#include "tests/parser/jsoncheck.h"
#include "tests/testlib.h"

/* The JSON string json_string() makes of len bytes at s. */
static const char *
jstr(const char *s, size_t len)
{
	static char out[512];
	size_t n = json_string(s, len, out, sizeof(out) - 1);

	out[n < sizeof(out) ? n : sizeof(out) - 1] = '\0';
	return out;
}

/* Escaping and U+FFFD for invalid UTF-8. */
static void
check_strings(void)
{
	static const struct {
		const char *in;
		size_t len;
		const char *want;
	} cases[] = {
		{ "abc", 3, "\"abc\"" },
		{ "a\"b\\c/", 6, "\"a\\\"b\\\\c/\"" },
		{ "\n\r\t\b\f", 5, "\"\\n\\r\\t\\u0008\\u000c\"" },
		{ "a\0b", 3, "\"a\\u0000b\"" },
		{ "\x01\x1f\x7f", 3, "\"\\u0001\\u001f\x7f\"" },
		{ "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9,
		  "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"" },
		{ "\xff", 1, "\"\xef\xbf\xbd\"" },
		{ "a\xc3", 2, "\"a\xef\xbf\xbd\"" },
		{ "\xc3(", 2, "\"\xef\xbf\xbd(\"" },
		{ "\xc0\xaf", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "\xed\xa0\x80", 3, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "\xe2\x82", 2, "\"\xef\xbf\xbd\"" },
		{ "\xf4\x90\x80\x80", 4,
		  "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "\xe2\x80\xa8", 3, "\"\xe2\x80\xa8\"" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(jstr(cases[i].in, cases[i].len), cases[i].want);
}

/* Every byte value, alone and in pairs, gives valid JSON. */
static void
check_all_bytes(void)
{
	char in[2], obj[80] = "{\"k\":";
	int a, b, bad = 0;
	size_t n;

	for (a = 0; a < 256; a++) {
		for (b = 0; b < 256; b++) {
			in[0] = (char)a;
			in[1] = (char)b;
			n = json_string(in, 2, obj + 5, sizeof(obj) - 6);
			obj[5 + n] = '}';
			if (n > 14 || !json_valid_object(obj, n + 6))
				bad++;
		}
	}
	CHECK_INT(bad, 0);
}

/* Key order and types as in the spec; size bound and a short buffer. */
static void
check_results(void)
{
	struct parse_result r;
	struct pdate today = { 2026, 11, 28 };
	char scratch[512], out[1024];
	const char *msg = "KADER 3322012005 27/09 25 posyandu \"balita\"";
	size_t n;

	memset(&r, 0, sizeof(r));
	r.scratch = scratch;
	r.scratch_cap = sizeof(scratch);
	parse_message(msg, strlen(msg), &today, &r);
	n = json_format_result(&r, NULL, out, sizeof(out));
	CHECK_STR(out, "{\"ok\":true,\"kind\":\"kader\",\"desa\":"
	    "\"33.22.01.2005\",\"tanggal\":\"2026-09-27\",\"jumlah\":25,"
	    "\"topik\":\"posyandu \\\"balita\\\"\"}");
	CHECK_INT(n, (long long)strlen(out));
	CHECK(json_valid_object(out, n), "valid");
	/* too small: nothing half-written is reported as done */
	CHECK(json_format_result(&r, NULL, out, n) == n, "needs n+1");
	CHECK(json_format_result(&r, NULL, out, 0) == n, "cap 0");

	parse_message("SIARAN", 6, &today, &r);
	json_format_result(&r, "Kurang grup. \"x\"\n", out, sizeof(out));
	CHECK_STR(out, "{\"ok\":false,\"error\":\"missing_field\",\"field\":"
	    "\"grup\",\"reply\":\"Kurang grup. \\\"x\\\"\\n\"}");
	parse_message("MULAI", 5, &today, &r);
	json_format_result(&r, NULL, out, sizeof(out));
	CHECK_STR(out, "{\"ok\":true,\"kind\":\"mulai\"}");
	/* persen is a number; an absent kegiatan or catatan is "" */
	msg = "PANTAU#Suka Maju#k 01#60 %#\"baru\" diratakan";
	parse_message(msg, strlen(msg), &today, &r);
	json_format_result(&r, NULL, out, sizeof(out));
	CHECK_STR(out, "{\"ok\":true,\"kind\":\"pantau\",\"desa\":"
	    "\"SUKA MAJU\",\"kegiatan\":\"K01\",\"persen\":60,\"catatan\":"
	    "\"\\\"baru\\\" diratakan\"}");
	parse_message("PANTAU x K1 0", 13, &today, &r);
	json_format_result(&r, NULL, out, sizeof(out));
	CHECK_STR(out, "{\"ok\":true,\"kind\":\"pantau\",\"desa\":\"X\","
	    "\"kegiatan\":\"K1\",\"persen\":0,\"catatan\":\"\"}");
	parse_message("APBDES 3322012005", 17, &today, &r);
	json_format_result(&r, NULL, out, sizeof(out));
	CHECK_STR(out, "{\"ok\":true,\"kind\":\"apbdes\",\"desa\":"
	    "\"33.22.01.2005\",\"kegiatan\":\"\"}");
	parse_message("APBDES x K-1", 12, &today, &r);
	json_format_result(&r, "r", out, sizeof(out));
	CHECK_STR(out, "{\"ok\":false,\"error\":\"bad_kegiatan\",\"field\":"
	    "\"kegiatan\",\"reply\":\"r\"}");
}

/* JSON_LINE_MAX holds the worst message: every byte escaped. */
static void
check_bound(void)
{
	static char msg[300], scratch[2 * 300 + 64], out[JSON_LINE_MAX(300)];
	struct parse_result r;
	struct pdate today = { 2026, 11, 28 };
	size_t i, n;

	memcpy(msg, "ADUAN#", 6);
	for (i = 6; i < sizeof(msg); i++)
		msg[i] = (char)(i % 3 == 0 ? 0x01 : i % 3 == 1 ? 0 : 0xff);
	msg[7] = 'x';
	msg[8] = '#';
	memset(&r, 0, sizeof(r));
	r.scratch = scratch;
	r.scratch_cap = sizeof(scratch);
	CHECK_INT(parse_message(msg, sizeof(msg), &today, &r), 0);
	n = json_format_result(&r, NULL, out, sizeof(out));
	CHECK(n < sizeof(out), "fits: %zu", n);
	CHECK(json_valid_object(out, n), "valid");
}

int
main(void)
{
	check_strings();
	check_all_bytes();
	check_results();
	check_bound();
	return test_summary("test_json");
}
