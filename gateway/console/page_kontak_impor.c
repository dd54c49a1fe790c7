/*
 * page_kontak_impor: "/kontak/impor", a contacts CSV uploaded in two
 * steps. Periksa runs the checks of `contacts import` (csv_import with
 * contacts_csv_ops) and writes nothing: how many contacts are new or
 * changed, and each bad line with why. Impor takes the checked text back
 * (a hidden field) and imports it as the CLI does, every row or none, in
 * one transaction: a file with a bad row imports nothing.
 */
#include "gateway/console/console_int.h"
#include "gateway/loop/gateway.h"
#include "gateway/rules/contacts_csv.h"
#include "config/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BAD_SHOWN	20	/* as the CLI lists them */

struct preview {
	struct creq *r;
	struct contacts_csv csv;
	int added, changed;
	int nbad;
	int line[BAD_SHOWN];
	const char *why[BAD_SHOWN];
};

/* The CLI's check, then whether the contact is there already. */
static const char *
check_counting(void *arg, struct store *st, char **cells, int n, char *why,
    size_t cap)
{
	struct preview *p = arg;
	struct contact c;
	const char *err;
	int rc;

	if ((err = contacts_csv_ops.check(&p->csv, st, cells, n, why, cap))
	    != NULL)
		return err;
	if ((rc = store_contact_get(st, p->csv.row.c.number, &c)) < 0)
		return store_errmsg(st);
	if (rc)
		p->changed++;
	else
		p->added++;
	return NULL;
}

static int
header(void *arg, char **cells, int n)
{
	return contacts_csv_ops.header(&((struct preview *)arg)->csv, cells, n);
}

static const char *
key(void *arg)
{
	return contacts_csv_ops.key(&((struct preview *)arg)->csv);
}

static void
bad_row(void *arg, int line, const char *why)
{
	struct preview *p = arg;

	if (p->nbad < BAD_SHOWN) {
		p->line[p->nbad] = line;
		p->why[p->nbad] = r_printf(p->r, "%s", why);
	}
	p->nbad++;
}

/* Run csv_import over text in mode; its result, with why it stopped (the
 * CLI's words) in *said. */
static int
run(struct creq *r, struct preview *p, const char *text,
    enum import_mode mode, const char **said)
{
	static const struct import_ops counting = { "number,name,role,desa",
	    header, check_counting, NULL, key };
	struct import_how how = { .name = "berkas", .data = text,
	    .len = strlen(text), .mode = mode, .bad = bad_row, .bad_arg = p };
	char *msg = NULL;
	size_t len = 0;
	int n;

	memset(p, 0, sizeof(*p));
	p->r = r;
	p->csv.area = r->gw->conf->area;
	if ((how.err = open_memstream(&msg, &len)) == NULL) {
		*said = "kehabisan memori";
		return -1;
	}
	if (mode == IMPORT_CHECK)
		n = csv_import(r->gw->store, &how, &counting, p);
	else
		n = csv_import(r->gw->store, &how, &contacts_csv_ops, &p->csv);
	fclose(how.err);
	*said = r_printf(r, "%s", msg ? msg : "");
	free(msg);
	return n;
}

static void
upload_form(struct creq *r)
{
	h_raw(r, "<form method=\"post\" action=\"/kontak/impor\" "
	    "enctype=\"multipart/form-data\">");
	h_csrf(r);
	h_raw(r, "<input type=\"hidden\" name=\"aksi\" value=\"periksa\">"
	    "<p>Kolom: number, name, role, desa (dipisah , atau ;), seperti "
	    "<code>kentongan contacts import</code>.</p>"
	    "<label>Berkas CSV <input type=\"file\" name=\"berkas\" "
	    "accept=\".csv,text/csv\" required></label>"
	    "<button>Periksa</button></form>");
}

static void
get_impor(struct creq *r)
{
	page_begin(r, "Impor kontak", "/kontak");
	upload_form(r);
	page_send(r);
}

static void
preview(struct creq *r, const char *text, int n, const struct preview *p,
    const char *said)
{
	int i;

	page_begin(r, "Impor kontak: periksa", "/kontak");
	if (n >= 0) {
		h(r, "<p>%d baris siap: <strong>%d</strong> kontak baru, "
		    "<strong>%d</strong> diubah.</p>", n, p->added, p->changed);
		h_raw(r, "<form method=\"post\" action=\"/kontak/impor\">");
		h_csrf(r);
		h(r, "<input type=\"hidden\" name=\"aksi\" value=\"impor\">"
		    "<textarea name=\"isi\" hidden readonly>\n%s</textarea>"
		    "<button>Impor %d baris</button></form>", text, n);
	} else {
		h_raw(r, "<p class=\"error\" role=\"alert\">Berkas ini tidak "
		    "diimpor: perbaiki baris berikut lalu unggah lagi.</p>");
		if (p->nbad > 0) {
			h_raw(r, "<table><thead><tr><th>Baris</th><th>Masalah"
			    "</th></tr></thead><tbody>");
			for (i = 0; i < p->nbad && i < BAD_SHOWN; i++)
				h(r, "<tr><td class=\"num\">%d</td><td>%s</td>"
				    "</tr>", p->line[i], p->why[i]);
			h_raw(r, "</tbody></table>");
			if (p->nbad > BAD_SHOWN)
				h(r, "<p>... dan %d baris lagi.</p>",
				    p->nbad - BAD_SHOWN);
		}
		if (said[0] != '\0')
			h(r, "<pre>%s</pre>", said);
		upload_form(r);
	}
	page_send(r);
}

static void
post_impor(struct creq *r)
{
	struct preview *p = calloc(1, sizeof(*p));
	const char *said, *text;
	int n;

	if (p == NULL) {
		page_error(r, 503, "Kehabisan memori. Coba lagi.");
		return;
	}
	if (!strcmp(f_get(r, "aksi"), "impor")) {
		text = f_get(r, "isi");
		/* the CLI's first pass, then every row or none */
		if ((n = run(r, p, text, IMPORT_CHECK, &said)) < 0) {
			preview(r, text, n, p, said);
			goto out;
		}
		if (page_begin_write(r))
			goto out;
		if ((n = run(r, p, text, IMPORT_IN_TX, &said)) < 0) {
			store_rollback(r->gw->store);
			preview(r, text, n, p, said);
		} else if (page_commit(r) == 0)
			page_see_other(r, "/kontak", "impor");
		goto out;
	}
	if (!f_has(r, "berkas")) {
		page_error(r, 400, "Pilih berkas CSV untuk diunggah.");
		goto out;
	}
	text = f_get(r, "berkas");
	n = run(r, p, text, IMPORT_CHECK, &said);
	preview(r, text, n, p, said);
out:
	free(p);
}

const struct console_page page_kontak_impor = {
	"/kontak/impor", 0, ROLES_OFFICE, ROLES_OFFICE, get_impor, post_impor
};
