/* pesan_show: the message pages' shared words and links. */
#include "gateway/console/console_int.h"
#include "gateway/console/pesan_show.h"
#include "gateway/rules/office_sms.h"
#include "parser/phone.h"

#include <string.h>

const char *
pesan_number(struct creq *r, const char *typed, int *e164)
{
	char out[NUMBER_MAX];
	enum phone_class c = phone_normalize(typed, out, sizeof(out));

	if (e164 != NULL)
		*e164 = c == PHONE_E164;
	if (c == PHONE_INVALID)
		return NULL;
	return r_printf(r, "%s", out);
}

struct word {
	const char *key, *text;
};

static const char *
word_of(const struct word *w, const char *key)
{
	for (; w->key != NULL; w++)
		if (!strcmp(w->key, key))
			return w->text;
	return key;
}

const char *
pesan_in_state(const char *state)
{
	static const struct word w[] = {
		{ "received", "belum diproses" },
		{ "processed", "diproses" },
		{ "rejected", "ditolak" },
		{ "ignored", "diabaikan" },
		{ NULL, NULL }
	};

	return word_of(w, state);
}

const char *
pesan_out_state(const char *state)
{
	static const struct word w[] = {
		{ "queued", "menunggu" },
		{ "sending", "sedang dikirim" },
		{ "accepted", "diserahkan ke Kannel" },
		{ "sent", "terkirim" },
		{ "delivered", "sampai" },
		{ "failed", "gagal, dicoba lagi" },
		{ "dead", "gagal" },
		{ "withheld", "ditahan" },
		{ NULL, NULL }
	};

	return word_of(w, state);
}

const char *
pesan_purpose(const char *purpose)
{
	static const struct word w[] = {
		{ "reply", "balasan otomatis" },
		{ "ticket", "kabar tiket" },
		{ "notify", "pemberitahuan" },
		{ "reminder", "pengingat" },
		{ "announcement", "pengumuman" },
		{ "broadcast", "siaran" },
		{ OFFICE_PURPOSE, "pesan kantor" },
		{ NULL, NULL }
	};

	return word_of(w, purpose);
}

void
h_number_link(struct creq *r, const char *number)
{
	h(r, "<a href=\"/pesan/%s\">%s</a>", r_url(r, number), number);
}
