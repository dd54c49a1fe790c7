/*
 * gsm7: the GSM 03.38 default alphabet seen from UTF-8. Counts septets (an
 * extension character such as [ ] { } ~ ^ \ | or the euro sign costs two)
 * and makes echoed text safe to put in a 7-bit SMS. Pure.
 */
#ifndef KENTONGAN_GSM7_H
#define KENTONGAN_GSM7_H

#include <stddef.h>
#include <stdint.h>

#define SMS_SEPTETS	160	/* one single-part GSM 7-bit SMS */

/* Septets cp costs: 1 (basic set), 2 (extension table), 0 (not GSM). */
int gsm7_char_septets(uint32_t cp);

/* Septets of len bytes of UTF-8; -1 if any character is outside GSM 03.38
 * (basic + extension) or the bytes are not valid UTF-8. */
int gsm7_septets(const char *utf8, size_t len);

/*
 * Copy len bytes of untrusted text to out as GSM-safe UTF-8, taking at most
 * max_septets septets: a character outside GSM 03.38 or an invalid byte
 * becomes '?', a control character (tab, newline, ...) a space. out may be
 * NULL to count only; otherwise it must hold max_septets * 3 bytes (the
 * euro sign is 3 bytes for 2 septets, other characters at most 2 for 1).
 * Returns the bytes written; *septets gets the septets written and *whole
 * is set to 1 when all of the input fitted, 0 when it was cut.
 */
size_t gsm7_sanitize(const char *in, size_t len, int max_septets, char *out,
    int *septets, int *whole);

/* The SMS a text takes: GSM 7-bit when every character is in GSM 03.38
 * (160 septets, or 153 a part of a long SMS), else UCS-2 (70 units, or
 * 67 a part), as the sending encoder chooses. 1 for "". */
int sms_parts(const char *utf8, size_t len);

#endif
