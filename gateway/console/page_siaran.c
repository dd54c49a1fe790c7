/*
 * page_siaran: /siaran, a broadcast from the office. The form's first
 * POST (aksi=pratinjau) is `kentongan broadcast --dry-run`: who it
 * reaches, who is skipped for BERHENTI, the SMS parts, and when the
 * sending policy lets it go (office_broadcast_plan), with a button to
 * send it; the second (aksi=kirim) queues it as the CLI does
 * (action_broadcast_to). A group that names nothing, or more than one
 * village, shows the form again with why.
 */
#include "gateway/console/console_int.h"
#include "gateway/loop/gateway.h"
#include "gateway/rules/actions.h"
#include "gateway/rules/office_sms.h"
#include "config/config.h"

#include <string.h>

/* The form, with what was typed and what is wrong with it. */
static void
siaran_form(struct creq *r, const char *group, const char *text,
    const char *err)
{
	if (err != NULL)
		h(r, "<p class=\"error\" role=\"alert\">%s</p>", err);
	h_raw(r, "<form method=\"post\" action=\"/siaran\">");
	h_csrf(r);
	h(r, "<label>Kelompok <input name=\"kelompok\" value=\"%s\" required>"
	    "</label><p class=\"muted\"><small>SEMUA, PENDAMPING, KOORDINATOR, "
	    "WARGA; sebuah desa (nama atau kode); KECAMATAN:Nama; atau peran "
	    "di tempat: WARGA@Getasan.</small></p>", group);
	h(r, "<label>Teks <textarea name=\"teks\" required>%s</textarea>"
	    "</label>", text);
	h_raw(r, "<button name=\"aksi\" value=\"pratinjau\">Pratinjau"
	    "</button></form>");
}

static void
get_siaran(struct creq *r)
{
	page_begin(r, "Siaran", "/siaran");
	h_flash(r);
	siaran_form(r, "", "", NULL);
	page_send(r);
}

/* When a plan's SMS may go, as the dry run says it. */
static const char *
plan_time(struct creq *r, long long t)
{
	if (t < 0)
		return "-";
	return t <= r->now ? "sekarang" : r_time(r, t);
}

/* The group typed, read into a; NULL, or why not (lives with r). */
static const char *
read_group(struct creq *r, const char *group, const char *text,
    struct audience *a)
{
	char why[512];
	int rc;

	if (text[strspn(text, " \t\r\n")] == '\0')
		return "Teks siaran kosong.";
	rc = action_audience(r->gw->store, r->gw->conf->area, group, a, why,
	    sizeof(why));
	if (rc < 0)
		return "Basis data tidak dapat dibaca. Coba lagi.";
	/* why is the CLI's (English): kept as the detail, for its codes */
	if (rc == AUDIENCE_AMBIGUOUS)
		return r_printf(r, "Kelompok '%s' tidak jelas: ada beberapa "
		    "desa dengan nama itu. Tulis kode desanya, atau "
		    "KECAMATAN:Nama untuk kecamatan. (%s)", group, why);
	if (rc != AUDIENCE_OK)
		return r_printf(r, "Kelompok '%s' tidak dikenal: bukan peran "
		    "(SEMUA, PENDAMPING, KOORDINATOR, WARGA), desa, atau "
		    "kecamatan.", group);
	return NULL;
}

/* The dry run, and the button that sends it. */
static void
preview(struct creq *r, const char *group, const char *text,
    const struct audience *a)
{
	const struct config *c = r->gw->conf;
	struct broadcast_plan p;

	if (office_broadcast_plan(r->gw->store, c, a, text, r->now, &p) != 0) {
		page_error(r, 503, "Basis data tidak dapat dibaca. Coba lagi.");
		return;
	}
	h(r, "<section><h2>Pratinjau: belum ada yang dikirim</h2><dl>"
	    "<dt>Kelompok</dt><dd>%s</dd>"
	    "<dt>Penerima</dt><dd id=\"penerima\">%d nomor</dd>"
	    "<dt>Dilewati</dt><dd id=\"dilewati\">%d nomor (sudah mengirim "
	    "BERHENTI)</dd>"
	    "<dt>SMS</dt><dd id=\"bagian\">%d bagian per pesan, %d bagian "
	    "seluruhnya</dd>", group, p.reached, p.opted_out, p.parts,
	    p.parts * p.reached);
	h(r, "<dt>Pengiriman</dt><dd>jam tenang %s, batas %d SMS per jam: "
	    "pertama %s, terakhir %s</dd></dl>",
	    c->quiet_start == c->quiet_end ? "tidak ada" : c->quiet_hours,
	    c->hourly_budget, plan_time(r, p.first), plan_time(r, p.last));
	h(r, "<p>%s</p>", text);
	if (p.reached > 0) {
		h_raw(r, "<form method=\"post\" action=\"/siaran\">");
		h_csrf(r);
		h(r, "<input type=\"hidden\" name=\"kelompok\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"teks\" value=\"%s\">"
		    "<button name=\"aksi\" value=\"kirim\">Kirim ke %d nomor"
		    "</button></form>", group, text, p.reached);
	}
	h_raw(r, "</section><h2>Ubah</h2>");
	siaran_form(r, group, text, NULL);
	page_send(r);
}

static void
post_siaran(struct creq *r)
{
	const char *group = f_get(r, "kelompok"), *text = f_get(r, "teks");
	const char *aksi = f_get(r, "aksi"), *err;
	struct audience a;

	if (strcmp(aksi, "kirim") != 0) {
		err = read_group(r, group, text, &a);
		page_begin(r, "Siaran", "/siaran");
		if (err != NULL) {
			siaran_form(r, group, text, err);
			page_send(r);
			return;
		}
		preview(r, group, text, &a);
		return;
	}
	if (page_begin_write(r))
		return;
	if ((err = read_group(r, group, text, &a)) != NULL) {
		store_rollback(r->gw->store);
		page_begin(r, "Siaran", "/siaran");
		siaran_form(r, group, text, err);
		page_send(r);
		return;
	}
	if (action_broadcast_to(r->gw->store, &a, text, NULL, r->now) < 0) {
		page_rollback(r, 503, "Siaran tidak dapat diantrekan. Tidak ada "
		    "yang berubah; coba lagi.");
		return;
	}
	if (page_commit(r))
		return;
	page_see_other(r, "/siaran", "siaran");
}

const struct console_page page_siaran = {
	"/siaran", 0, ROLES_OFFICE, ROLES_OFFICE, get_siaran, post_siaran
};
