/* Conversions from libGammu's types to ours, for the modem worker. */
#include "gateway/worker/gammu_text.h"

#include <string.h>
#include <time.h>

/* GSM_DateTime (with its zone offset) to Unix seconds. */
long long
datetime_to_unix(const GSM_DateTime *d)
{
	struct tm tm;

	if (d->Year == 0)
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = d->Year - 1900;
	tm.tm_mon = d->Month - 1;
	tm.tm_mday = d->Day;
	tm.tm_hour = d->Hour;
	tm.tm_min = d->Minute;
	tm.tm_sec = d->Second;
	return (long long)timegm(&tm) - d->Timezone;
}

/*
 * UCS-2 text to UTF-8, keeping a U+0000 inside it as a zero byte: an SMS
 * is stored byte-exact, and EncodeUTF8 stops at the first one. Length
 * counts the units only when a NUL lies within it (libGammu's AT decoder
 * may lengthen the text, never shorten it). Returns the byte count.
 */
size_t
ucs2_to_utf8(char *out, const GSM_SMSMessage *m)
{
	static unsigned char seg[(GSM_MAX_SMS_LENGTH + 1) * 2];
	const unsigned char *u = m->Text;
	size_t o = 0, i = 0, j, n = (size_t)m->Length;

	if (n > GSM_MAX_SMS_LENGTH)
		n = GSM_MAX_SMS_LENGTH;
	if (UnicodeLength(u) >= n) {
		EncodeUTF8(out, u);
		return strlen(out);
	}
	while (i < n) {
		if (u[2 * i] == 0 && u[2 * i + 1] == 0) {
			out[o++] = '\0';
			i++;
			continue;
		}
		for (j = i; j < n && (u[2 * j] || u[2 * j + 1]); j++)
			;
		memcpy(seg, u + 2 * i, 2 * (j - i));
		seg[2 * (j - i)] = seg[2 * (j - i) + 1] = 0;
		EncodeUTF8(out + o, seg);
		o += strlen(out + o);
		i = j;
	}
	out[o] = '\0';
	return o;
}

GSM_Error
encode_text_sms(const char *text, unsigned char *ucs, GSM_MultiSMSMessage *out)
{
	GSM_MultiPartSMSInfo info;

	DecodeUTF8(ucs, text, strlen(text));
	GSM_ClearMultiPartSMSInfo(&info);
	info.Class = -1;
	info.EntriesNum = 1;
	/* AutoTextLong picks GSM 7-bit when every character fits it. */
	info.Entries[0].ID = SMS_ConcatenatedAutoTextLong;
	info.Entries[0].Buffer = ucs;
	memset(out, 0, sizeof(*out));
	return GSM_EncodeMultiPartSMS(NULL, &info, out);
}
