/*
 * fuzz_phone: libFuzzer entry point for the sender-number normaliser. The
 * first byte picks the output buffer size; the rest is the raw sender.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/phone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(c) do {						\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c);	\
		abort();						\
	}								\
} while (0)

/* Whether s is all ASCII digits. */
static int
all_digits(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *raw, *out, *p;
	size_t cap, n;
	enum phone_class c;

	if (size == 0 || size > 256)
		return 0;
	cap = data[0] % 40;
	raw = malloc(size);
	out = malloc(cap > 0 ? cap : 1);
	FUZZ_ASSERT(raw != NULL && out != NULL);
	memcpy(raw, data + 1, size - 1);
	raw[size - 1] = '\0';

	c = phone_normalize(raw, cap > 0 ? out : NULL, cap);
	if (cap > 0) {
		n = strnlen(out, cap);
		FUZZ_ASSERT(n < cap);
		switch (c) {
		case PHONE_E164:
			FUZZ_ASSERT(out[0] == '+' && all_digits(out + 1));
			FUZZ_ASSERT(n >= 8 && n <= 16 && out[1] != '0');
			break;
		case PHONE_SHORT:
			FUZZ_ASSERT(n >= 1 && n <= 6 && all_digits(out));
			break;
		case PHONE_ALNUM:
			for (p = out; *p != '\0'; p++)
				FUZZ_ASSERT((unsigned char)*p >= 0x20 &&
				    *p != 0x7F);
			break;
		case PHONE_INVALID:
			FUZZ_ASSERT(n == 0);
			break;
		default:
			FUZZ_ASSERT(0);
		}
	} else
		FUZZ_ASSERT(c == PHONE_ALNUM || c == PHONE_INVALID);
	free(out);
	free(raw);
	return 0;
}
