/*
 * utf8: decode one code point at a time, never trusting the input.
 * Pure; used by the JSON writer and the GSM 7-bit sanitiser.
 */
#ifndef KENTONGAN_UTF8_H
#define KENTONGAN_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu

/*
 * Decode the code point at s (n > 0 bytes available) into *cp and return the
 * bytes it used. Invalid input (overlong, surrogate, beyond U+10FFFF,
 * truncated) gives U+FFFD and uses the maximal invalid subpart, at least 1.
 * *ok is set to 0 then, 1 otherwise.
 */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp, int *ok);

/* Encode cp (a valid scalar value) into out[0..3]; returns 1..4. */
size_t utf8_encode(uint32_t cp, char *out);

#endif
