/*
 * gammu_text: libGammu's dates and UCS-2 text as the store wants them.
 * Used by the modem worker and by `inject` (which writes the dummy
 * driver's files).
 */
#ifndef KENTONGAN_GAMMU_TEXT_H
#define KENTONGAN_GAMMU_TEXT_H

#include <stddef.h>

#include <gammu.h>

/* GSM_DateTime (with its zone offset) to Unix seconds; 0 when unset. */
long long datetime_to_unix(const GSM_DateTime *);

/* The UCS-2 text of m as UTF-8 into out (room for GSM_MAX_SMS_LENGTH * 8
 * bytes), keeping a U+0000 as a zero byte. Returns the byte count. */
size_t ucs2_to_utf8(char *out, const GSM_SMSMessage *m);

/* UTF-8 text as one SMS or a concatenated long one, GSM 7-bit when every
 * character fits it, else UCS-2. ucs: scratch of 2 * (strlen(text) + 1)
 * bytes. out is cleared first. */
GSM_Error encode_text_sms(const char *text, unsigned char *ucs,
    GSM_MultiSMSMessage *out);

#endif
