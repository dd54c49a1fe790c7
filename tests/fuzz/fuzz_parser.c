/*
 * fuzz_parser: libFuzzer entry point for the SMS parser and everything that
 * turns its result into output: the JSON line, the error reply and reply
 * rendering with the message as the values. Checks the contracts (valid
 * JSON, replies GSM 7-bit within 160 septets) and aborts when one breaks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/gsm7.h"
#include "parser/json.h"
#include "parser/parser.h"
#include "parser/reply.h"
#include "tests/parser/jsoncheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(c) do {						\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c);	\
		abort();						\
	}								\
} while (0)

/* Days that stress the date rules; the first byte picks one. */
static const struct pdate days[] = {
	{ 2026, 11, 28 }, { 2024, 2, 29 }, { 2026, 1, 1 }, { 2100, 3, 1 },
	{ 2025, 12, 31 }, { 1, 1, 1 }, { 9999, 12, 31 }, { 2000, 3, 1 },
};

/* Whether a reply is GSM 7-bit and fits one SMS. */
static void
check_reply(const char *s, int n)
{
	int sept;

	FUZZ_ASSERT(n >= 0 && (size_t)n == strlen(s));
	sept = gsm7_septets(s, (size_t)n);
	FUZZ_ASSERT(sept >= 0 && sept <= SMS_SEPTETS);
}

/* Whether a result string lies in scratch (or is static) and ends there. */
static void
check_string(const struct parse_result *r, const char *s)
{
	FUZZ_ASSERT(s != NULL);
	if (s >= r->scratch && s < r->scratch + r->scratch_cap)
		FUZZ_ASSERT(memchr(s, '\0', (size_t)(r->scratch +
		    r->scratch_cap - s)) != NULL);
}

/* An activity code the parser wrote reads back as itself: the office's
 * import (parse_kegiatan) and an SMS name a code the same way. */
static void
check_kegiatan(const char *code, int optional)
{
	char again[KEGIATAN_MAX + 1];

	if (optional && *code == '\0')
		return;
	FUZZ_ASSERT(strlen(code) >= 2 && strlen(code) <= KEGIATAN_MAX);
	FUZZ_ASSERT(parse_kegiatan(code, again) == 0 &&
	    strcmp(again, code) == 0);
}

/* An office date is a real date, whatever it was read from. */
static void
check_office_date(const char *s)
{
	struct pdate d, back;
	char iso[16];

	if (parse_office_date(s, &d) != 0)
		return;
	snprintf(iso, sizeof(iso), "%04d-%02d-%02d", d.year, d.month, d.day);
	FUZZ_ASSERT(parse_iso_date(iso, &back) == 0 && back.year == d.year &&
	    back.month == d.month && back.day == d.day);
}

/* The word at fault lies in the message, and the reply quotes it whole
 * when it is short, printable GSM 7-bit (the contract). */
static void
check_quote(const struct parse_result *r, const char *msg, size_t size,
    const char *reply)
{
	char want[64];
	int sept;
	size_t i;

	if (r->bad_len == 0)
		return;
	FUZZ_ASSERT(r->bad >= msg && r->bad_len <= size &&
	    r->bad <= msg + size - r->bad_len);
	sept = gsm7_septets(r->bad, r->bad_len);
	if (sept < 0 || sept > 14)
		return;
	for (i = 0; i < r->bad_len; i++)
		if ((unsigned char)r->bad[i] < 0x20)
			return;
	snprintf(want, sizeof(want), "\"%.*s\"", (int)r->bad_len, r->bad);
	FUZZ_ASSERT(strstr(reply, want) != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *msg = (const char *)data;
	struct parse_result r;
	struct reply_var vars[4];
	const struct pdate *today;
	char reply[REPLY_MAX], *scratch, *json;
	size_t jcap, n;
	int rc, k;

	if (size > 4096)
		return 0;
	today = &days[size > 0 ? data[0] % (sizeof(days) / sizeof(days[0])) : 0];
	/* exactly the bound parser.h promises, so ASan sees any overrun */
	scratch = malloc(2 * size + 64);
	jcap = JSON_LINE_MAX(size);
	json = malloc(jcap);
	FUZZ_ASSERT(scratch != NULL && json != NULL);

	memset(&r, 0, sizeof(r));
	r.scratch = scratch;
	r.scratch_cap = 2 * size + 64;
	rc = parse_message(msg, size, today, &r);
	FUZZ_ASSERT((rc == 0) == (r.error == PE_OK));
	FUZZ_ASSERT(r.error >= PE_OK && r.error < PE__COUNT);
	FUZZ_ASSERT(r.kind >= PK_NONE && r.kind < PK__COUNT);
	FUZZ_ASSERT(rc != 0 || r.kind != PK_NONE);
	FUZZ_ASSERT(r.error != PE_EMPTY || r.kind == PK_NONE);
	check_string(&r, r.desa);
	check_string(&r, r.tanggal);
	check_string(&r, r.isi);
	check_string(&r, r.catatan);
	check_string(&r, r.topik);
	check_string(&r, r.nama);
	check_string(&r, r.grup);
	check_string(&r, r.tiket);
	check_string(&r, r.nomor);
	check_string(&r, r.perdes);
	check_string(&r, r.kegiatan);
	if (rc == 0 && (r.kind == PK_RAPAT || r.kind == PK_KADER)) {
		struct pdate d;

		FUZZ_ASSERT(strlen(r.tanggal) == 10);
		FUZZ_ASSERT(today->year < 1000 ||
		    parse_iso_date(r.tanggal, &d) == 0);
	}
	if (rc == 0 && r.kind == PK_RAPAT)
		FUZZ_ASSERT(r.laki + r.perempuan >= 1 && r.laki <= 9999 &&
		    r.perempuan <= 9999);
	if (rc == 0 && (r.kind == PK_APBDES || r.kind == PK_PANTAU))
		check_kegiatan(r.kegiatan, r.kind == PK_APBDES);
	if (rc == 0 && r.kind == PK_PANTAU)
		FUZZ_ASSERT(r.persen >= 0 && r.persen <= 100);

	reply[0] = '\0';
	if (rc != 0) {
		k = reply_for_parse_error(&r, reply, sizeof(reply));
		check_reply(reply, k);
		check_quote(&r, msg, size, reply);
	}
	n = json_format_result(&r, reply, json, jcap);
	FUZZ_ASSERT(n < jcap);
	FUZZ_ASSERT(json_valid_object(json, n));

	/* the message as the values of every template */
	vars[0] = (struct reply_var){ "desa", r.desa };
	vars[1] = (struct reply_var){ "tiket", r.tiket };
	vars[2] = (struct reply_var){ "catatan", r.isi };
	vars[3] = (struct reply_var){ "nama", r.nama };
	/* two templates per input keep the fuzzer fast; all get their turn */
	k = size > 1 ? data[1] % R__COUNT : 0;
	check_reply(reply, reply_render(k, vars, 4, reply, sizeof(reply)));
	if (size > 0 && memchr(data, '\0', size) == NULL && size < 1024) {
		char *copy = malloc(size + 1);

		FUZZ_ASSERT(copy != NULL);
		memcpy(copy, data, size);
		copy[size] = '\0';
		check_office_date(copy);
		vars[0].value = copy;
		vars[1].value = copy;
		k = data[size - 1] % R__COUNT;
		check_reply(reply, reply_render(k, vars, 2, reply,
		    sizeof(reply)));
		free(copy);
	}
	free(json);
	free(scratch);
	return 0;
}
