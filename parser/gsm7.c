/*
 * gsm7: GSM 03.38 membership as data, septet counting and sanitising.
 */
#include "parser/gsm7.h"
#include "parser/utf8.h"

/* The basic-set characters outside printable ASCII (besides LF and CR). */
static const uint16_t gsm7_basic_other[] = {
	0x00A1, 0x00A3, 0x00A4, 0x00A5, 0x00A7, 0x00BF, 0x00C4, 0x00C5,
	0x00C6, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00D8, 0x00DC, 0x00DF,
	0x00E0, 0x00E4, 0x00E5, 0x00E6, 0x00E8, 0x00E9, 0x00EC, 0x00F1,
	0x00F2, 0x00F6, 0x00F8, 0x00F9, 0x00FC, 0x0393, 0x0394, 0x0398,
	0x039B, 0x039E, 0x03A0, 0x03A3, 0x03A6, 0x03A8, 0x03A9,
};

/* The extension table (escape + one septet). */
static const uint16_t gsm7_extension[] = {
	0x000C, 0x005B, 0x005C, 0x005D, 0x005E, 0x007B, 0x007C, 0x007D,
	0x007E, 0x20AC,
};

/* Whether cp is in the sorted table t of n entries. */
static int
in_table(const uint16_t *t, size_t n, uint32_t cp)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t[mid] == cp)
			return 1;
		if (t[mid] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Septets one code point costs, 0 when it is not GSM 03.38. */
int
gsm7_char_septets(uint32_t cp)
{
	if (in_table(gsm7_extension,
	    sizeof(gsm7_extension) / sizeof(gsm7_extension[0]), cp))
		return 2;
	if (cp == '\n' || cp == '\r')
		return 1;
	if (cp >= 0x20 && cp < 0x7F)
		return cp == '`' ? 0 : 1;
	if (in_table(gsm7_basic_other,
	    sizeof(gsm7_basic_other) / sizeof(gsm7_basic_other[0]), cp))
		return 1;
	return 0;
}

/* Septets of a UTF-8 string, -1 when it cannot go out as GSM 7-bit. */
int
gsm7_septets(const char *utf8, size_t len)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t i = 0;
	int total = 0, ok, c;
	uint32_t cp;

	while (i < len) {
		i += utf8_decode(s + i, len - i, &cp, &ok);
		if (!ok || (c = gsm7_char_septets(cp)) == 0)
			return -1;
		if (total > 0x3FFFFFFF)
			return -1;
		total += c;
	}
	return total;
}

/* Copy untrusted text as GSM-safe UTF-8, cut at max_septets. */
size_t
gsm7_sanitize(const char *in, size_t len, int max_septets, char *out,
    int *septets, int *whole)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0, used;
	int total = 0, ok, c;
	uint32_t cp;

	*whole = 1;
	while (i < len) {
		used = utf8_decode(s + i, len - i, &cp, &ok);
		if (!ok)
			cp = '?';
		else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
			cp = ' ';
		c = gsm7_char_septets(cp);
		if (c == 0) {
			cp = '?';
			c = 1;
		}
		if (total + c > max_septets) {
			*whole = 0;
			break;
		}
		if (out != NULL)
			o += utf8_encode(cp, out + o);
		total += c;
		i += used;
	}
	*septets = total;
	return o;
}

int
sms_parts(const char *utf8, size_t len)
{
	size_t i, used;
	uint32_t cp;
	int ok, units = 0, septets = gsm7_septets(utf8, len);

	if (septets >= 0)
		return septets <= SMS_SEPTETS ? 1 : (septets + 152) / 153;
	/* UCS-2 (UTF-16 on the phone): a character beyond the BMP is two */
	for (i = 0; i < len; i += used ? used : 1) {
		used = utf8_decode((const unsigned char *)utf8 + i, len - i,
		    &cp, &ok);
		units += ok && cp > 0xffff ? 2 : 1;
	}
	return units <= 70 ? 1 : (units + 66) / 67;
}
