/*
 * console_page: what every page writes with. h() escapes every %s, so a
 * value from the store (an SMS, a contact's name) can only ever show as
 * text; markup comes from format strings and h_raw alone.
 */
#include "gateway/console/console_int.h"
#include "gateway/loop/gateway.h"
#include "gateway/util/log.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Answers that wait for their commit to reach the disk, in order. */
struct parked {
	struct parked *next;
	struct creq *r;
	unsigned long commit;
	int status;
	const char *reason;
};
static struct parked *parked, **parked_tail = &parked;

struct arena {
	struct arena *next;
	char s[];
};

void
arena_free(struct arena *a)
{
	struct arena *next;

	for (; a != NULL; a = next) {
		next = a->next;
		free(a);
	}
}

int
console_secure(struct creq *r)
{
	return r->gw->conf->console_secure_cookies;
}

const char *
creq_peer(struct creq *r)
{
	char *host = NULL;
	ev_uint16_t port;

	evhttp_connection_get_peer(evhttp_request_get_connection(r->req),
	    &host, &port);
	return host ? host : "";
}

void
creq_free(struct creq *r)
{
	if (r == NULL)
		return;
	evhttp_clear_headers(&r->query);
	evhttp_clear_headers(&r->form);
	if (r->out != NULL)
		evbuffer_free(r->out);
	arena_free(r->arena);
	sodium_memzero(r->csrf, sizeof(r->csrf));
	free(r);
}

void
creq_reply(struct creq *r, int status, const char *reason)
{
	evhttp_send_reply(r->req, status, reason, r->out);
	creq_free(r);
}

void
creq_reply_durable(struct creq *r, int status, const char *reason)
{
	struct parked *p;
	unsigned long commit = store_commits(r->gw->store);

	if (store_durable(r->gw->store, NULL, NULL) >= commit ||
	    (p = calloc(1, sizeof(*p))) == NULL) {
		creq_reply(r, status, reason);
		return;
	}
	p->r = r;
	p->commit = commit;
	p->status = status;
	p->reason = reason;
	*parked_tail = p;
	parked_tail = &p->next;
	store_sync_request(r->gw->store);
}

void
page_release_durable(struct store *st)
{
	struct parked *p, **pp;
	unsigned long durable;

	if (parked == NULL)
		return;
	durable = store_durable(st, NULL, NULL);
	for (pp = &parked; (p = *pp) != NULL;) {
		if (p->commit > durable) {
			pp = &p->next;
			continue;
		}
		*pp = p->next;
		creq_reply(p->r, p->status, p->reason);
		free(p);
	}
	parked_tail = pp;
}

void
page_unpark_all(void)
{
	struct parked *p;

	while ((p = parked) != NULL) {
		parked = p->next;
		evbuffer_drain(p->r->out, evbuffer_get_length(p->r->out));
		evhttp_remove_header(evhttp_request_get_output_headers(
		    p->r->req), "Location");
		evhttp_remove_header(evhttp_request_get_output_headers(
		    p->r->req), "Set-Cookie");
		page_error(p->r, 503, "Gateway sedang berhenti; periksa lagi "
		    "setelah ia jalan.");
		free(p);
	}
	parked_tail = &parked;
}

static char *
arena_alloc(struct creq *r, size_t n)
{
	struct arena *a = malloc(sizeof(*a) + n);

	if (a == NULL)
		return NULL;
	a->next = r->arena;
	r->arena = a;
	return a->s;
}

char *
r_printf(struct creq *r, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (s = arena_alloc(r, (size_t)n + 1)) == NULL)
		return (char *)"";
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

const char *
r_url(struct creq *r, const char *s)
{
	char *e = evhttp_uriencode(s ? s : "", -1, 0);
	char *out;

	if (e == NULL)
		return "";
	out = r_printf(r, "%s", e);
	free(e);
	return out;
}

static const char *
r_strftime(struct creq *r, long long t, const char *fmt)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[32];

	if (t <= 0)
		return "";
	localtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), fmt, &tm);
	return r_printf(r, "%s", buf);
}

const char *
r_time(struct creq *r, long long t)
{
	return r_strftime(r, t, "%Y-%m-%d %H:%M");
}

const char *
r_date(struct creq *r, long long t)
{
	return r_strftime(r, t, "%Y-%m-%d");
}

static const char *
field(struct evkeyvalq *q, const char *name)
{
	const char *v = evhttp_find_header(q, name);

	return v ? v : "";
}

const char *
q_get(struct creq *r, const char *name)
{
	return field(&r->query, name);
}

const char *
f_get(struct creq *r, const char *name)
{
	return field(&r->form, name);
}

int
f_has(struct creq *r, const char *name)
{
	return evhttp_find_header(&r->form, name) != NULL;
}

const char *
path_rest(struct creq *r, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncmp(r->path, prefix, n) || r->path[n] != '/')
		return "";
	return r->path + n + 1;
}

static void
escape_into(struct evbuffer *b, const char *s)
{
	const char *p;

	for (p = s; *p; p++) {
		switch (*p) {
		case '&': evbuffer_add(b, "&amp;", 5); break;
		case '<': evbuffer_add(b, "&lt;", 4); break;
		case '>': evbuffer_add(b, "&gt;", 4); break;
		case '"': evbuffer_add(b, "&quot;", 6); break;
		case '\'': evbuffer_add(b, "&#39;", 5); break;
		default: evbuffer_add(b, p, 1);
		}
	}
}

/*
 * printf, with each %s escaped. Every conversion is taken whole (flags,
 * width, precision, length) and printed by snprintf with its own
 * argument, so the compiler's format check still holds for callers.
 */
void
h(struct creq *r, const char *fmt, ...)
{
	va_list ap;
	const char *p = fmt, *start;
	char spec[32], buf[128];

	va_start(ap, fmt);
	while (*p) {
		size_t len;
		int longs = 0, size_t_arg = 0;
		char conv;

		if (*p != '%') {
			start = p;
			while (*p && *p != '%')
				p++;
			evbuffer_add(r->out, start, (size_t)(p - start));
			continue;
		}
		start = p++;
		if (*p == '%') {
			evbuffer_add(r->out, "%", 1);
			p++;
			continue;
		}
		while (*p && strchr("-+ #0123456789.", *p))
			p++;
		while (*p == 'l') {
			longs++;
			p++;
		}
		if (*p == 'z') {
			size_t_arg = 1;
			p++;
		}
		conv = *p ? *p++ : '\0';
		len = (size_t)(p - start);
		if (len >= sizeof(spec))
			break;
		memcpy(spec, start, len);
		spec[len] = '\0';
		switch (conv) {
		case 's': {
			const char *s = va_arg(ap, const char *);

			if (strchr(spec, '.') != NULL) {
				/* a precision cuts before escaping */
				char *cut;
				int n = snprintf(NULL, 0, spec, s ? s : "");

				if ((cut = malloc((size_t)n + 1)) != NULL) {
					snprintf(cut, (size_t)n + 1, spec,
					    s ? s : "");
					escape_into(r->out, cut);
					free(cut);
				}
			} else
				escape_into(r->out, s ? s : "");
			continue;
		}
		case 'd': case 'i': case 'u': case 'x': case 'X':
			if (size_t_arg)
				snprintf(buf, sizeof(buf), spec,
				    va_arg(ap, size_t));
			else if (longs >= 2)
				snprintf(buf, sizeof(buf), spec,
				    va_arg(ap, long long));
			else if (longs == 1)
				snprintf(buf, sizeof(buf), spec,
				    va_arg(ap, long));
			else
				snprintf(buf, sizeof(buf), spec,
				    va_arg(ap, int));
			break;
		case 'f': case 'g': case 'e':
			snprintf(buf, sizeof(buf), spec, va_arg(ap, double));
			break;
		case 'c':
			buf[0] = (char)va_arg(ap, int);
			buf[1] = '\0';
			escape_into(r->out, buf);
			continue;
		default:
			buf[0] = '\0';
		}
		evbuffer_add(r->out, buf, strlen(buf));
	}
	va_end(ap);
}

void
h_raw(struct creq *r, const char *html)
{
	evbuffer_add(r->out, html, strlen(html));
}

void
h_csrf(struct creq *r)
{
	h(r, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", r->csrf);
}

static const struct {
	const char *path, *label;
	int roles;
} nav[] = {
	{ "/", "Beranda", ROLES_ALL },
	{ "/tiket", "Tiket", ROLES_ALL },
	{ "/pesan", "Pesan", ROLES_OFFICE },
	{ "/laporan", "Laporan", ROLES_ALL },
	{ "/kontak", "Kontak", ROLES_OFFICE },
	{ "/perdes", "Perdes", ROLES_OFFICE },
	{ "/rapat", "Rapat", ROLES_OFFICE },
	{ "/siaran", "Siaran", ROLES_OFFICE },
	{ "/modem", "Modem", ROLES_OFFICE },
	{ "/pengguna", "Pengguna", ROLE_ADMIN },
};

void
page_begin(struct creq *r, const char *title, const char *here)
{
	size_t i;

	h(r, "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\"><title>%s · Kentongan</title>"
	    "<link rel=\"stylesheet\" href=\"/static/style.css\"></head><body>",
	    title);
	if (r->user.name[0] != '\0') {
		h_raw(r, "<header><nav><span class=\"brand\">Kentongan</span>");
		for (i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
			if (!(nav[i].roles & r->role))
				continue;
			if (here != NULL && !strcmp(here, nav[i].path))
				h(r, "<a href=\"%s\" aria-current=\"page\">"
				    "%s</a>", nav[i].path, nav[i].label);
			else
				h(r, "<a href=\"%s\">%s</a>", nav[i].path,
				    nav[i].label);
		}
		h(r, "<form method=\"post\" action=\"/logout\" "
		    "class=\"logout\">");
		h_csrf(r);
		h(r, "<span>%s (%s)</span><button>Keluar</button></form>"
		    "</nav></header>", r->user.name, r->user.role);
	}
	h(r, "<main><h1>%s</h1>", title);
}

/* The notices a change may leave (?ok=), by key: a page writes only a
 * key, so the text is never taken from the URL. */
static const struct {
	const char *key, *text;
} flashes[] = {
	{ "tiket", "Tiket diperbarui; SMS untuk pelapor sudah diantrekan." },
	{ "tiket-desa", "Desa tiket diperbaiki." },
	{ "balas", "Balasan diantrekan." },
	{ "laporan", "Laporan diperbarui." },
	{ "laporan-ulang", "Laporan tidak dihitung: ia mengulang laporan yang "
	    "sudah dihitung (pengirim, desa, tanggal dan jenis sama), jadi "
	    "ditandai duplikat. Dua rapat berbeda? Hitung sekali lagi." },
	{ "kontak", "Kontak disimpan." },
	{ "kontak-hapus", "Kontak dihapus." },
	{ "impor", "Kontak diimpor." },
	{ "perdes", "Konsultasi Perdes disimpan." },
	{ "rapat", "Rapat disimpan." },
	{ "siaran", "Siaran diantrekan." },
	{ "pengguna", "Pengguna disimpan." },
};

void
h_flash(struct creq *r)
{
	const char *ok = q_get(r, "ok");
	size_t i;

	for (i = 0; i < sizeof(flashes) / sizeof(flashes[0]); i++)
		if (!strcmp(ok, flashes[i].key))
			h(r, "<p class=\"ok\" role=\"status\">%s</p>",
			    flashes[i].text);
}

void
h_next(struct creq *r, const char *base_path, const char *cursor_field,
    const char *cursor)
{
	struct evkeyval *kv;
	const char *sep = "?";

	if (cursor == NULL || cursor[0] == '\0')
		return;
	h(r, "<p class=\"pager\"><a href=\"%s", base_path);
	TAILQ_FOREACH(kv, &r->query, next) {
		if (!strcmp(kv->key, cursor_field) || !strcmp(kv->key, "ok"))
			continue;
		h(r, "%s%s=%s", sep, r_url(r, kv->key), r_url(r, kv->value));
		sep = "&";
	}
	h(r, "%s%s=%s\">Berikutnya &rarr;</a></p>", sep, cursor_field,
	    r_url(r, cursor));
}

static void
content_type(struct creq *r, const char *type)
{
	evhttp_add_header(evhttp_request_get_output_headers(r->req),
	    "Content-Type", type);
}

void
page_send(struct creq *r)
{
	h_raw(r, "</main></body></html>\n");
	content_type(r, "text/html; charset=utf-8");
	creq_reply(r, 200, "OK");
}

void
page_error(struct creq *r, int status, const char *text)
{
	static const struct {
		int status;
		const char *reason, *title;
	} st[] = {
		{ 400, "Bad Request", "Permintaan tidak sah" },
		{ 403, "Forbidden", "Tidak diizinkan" },
		{ 404, "Not Found", "Tidak ditemukan" },
		{ 405, "Method Not Allowed", "Tidak didukung" },
		{ 413, "Payload Too Large", "Terlalu besar" },
		{ 429, "Too Many Requests", "Tunggu sebentar" },
		{ 500, "Internal Server Error", "Terjadi kesalahan" },
		{ 503, "Service Unavailable", "Coba lagi" },
	};
	size_t i;
	const char *reason = "Error", *title = "Kesalahan";

	for (i = 0; i < sizeof(st) / sizeof(st[0]); i++)
		if (st[i].status == status) {
			reason = st[i].reason;
			title = st[i].title;
		}
	evbuffer_drain(r->out, evbuffer_get_length(r->out));
	page_begin(r, title, NULL);
	h(r, "<p class=\"error\" role=\"alert\">%s</p>", text);
	if (r->user.name[0] != '\0')
		h_raw(r, "<p><a href=\"/\">Kembali ke beranda</a></p>");
	h_raw(r, "</main></body></html>\n");
	content_type(r, "text/html; charset=utf-8");
	creq_reply(r, status, reason);
}

void
page_see_other(struct creq *r, const char *location, const char *ok)
{
	const char *loc = location;

	if (ok != NULL)
		loc = r_printf(r, "%s%sok=%s", location,
		    strchr(location, '?') ? "&" : "?", ok);
	evhttp_add_header(evhttp_request_get_output_headers(r->req),
	    "Location", loc);
	creq_reply_durable(r, 303, "See Other");
}

void
page_send_csv(struct creq *r, const char *filename, struct evbuffer *data)
{
	content_type(r, "text/csv; charset=utf-8");
	evhttp_add_header(evhttp_request_get_output_headers(r->req),
	    "Content-Disposition", r_printf(r, "attachment; filename=\"%s\"",
	    filename));
	evbuffer_drain(r->out, evbuffer_get_length(r->out));
	evbuffer_add_buffer(r->out, data);
	creq_reply(r, 200, "OK");
}

int
page_begin_write(struct creq *r)
{
	if (store_readonly(r->gw->store)) {
		page_error(r, 503, "Basis data hanya-baca: perubahan tidak "
		    "dapat disimpan sekarang.");
		return -1;
	}
	if (store_begin(r->gw->store) != 0) {
		page_error(r, 503, store_last_was_busy(r->gw->store) ?
		    "Basis data sedang dipakai proses lain. Coba lagi "
		    "sebentar lagi." : "Basis data tidak dapat ditulis. Coba "
		    "lagi sebentar lagi.");
		return -1;
	}
	return 0;
}

int
page_commit(struct creq *r)
{
	if (store_commit(r->gw->store) != 0) {
		page_rollback(r, 503, "Perubahan tidak dapat disimpan (basis "
		    "data sibuk atau penuh). Tidak ada yang berubah; coba "
		    "lagi.");
		return -1;
	}
	return 0;
}

void
page_rollback(struct creq *r, int status, const char *text)
{
	store_rollback(r->gw->store);
	page_error(r, status, text);
}
