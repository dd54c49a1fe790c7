/*
 * console: the listener, the page table's dispatch and what every answer
 * carries. A request becomes a struct creq; the page it names answers it
 * once. A change is answered only when its commit is on disk (as a USSD
 * ticket is), so a page that says "tersimpan" never lies after a power
 * cut.
 */
#include "gateway/console/console.h"
#include "gateway/console/console_int.h"
#include "gateway/console/console_multipart.h"
#include "gateway/loop/gateway.h"
#include "gateway/util/clock.h"
#include "gateway/util/log.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* A CSV of every contact of a kabupaten is a few hundred KB. */
#define CONSOLE_BODY_MAX	(4 * 1024 * 1024)
#define CONSOLE_SLOT		2	/* http_listen's pause slot */

struct console {
	struct gateway *gw;
	struct evhttp *http;
	struct console_auth *auth;
};

/* The static files, embedded at build time (mk/embed.awk). */
extern const char console_style_css[];
extern const size_t console_style_css_len;

/* What every answer says about itself: no script but our own, no
 * framing, no sniffing, no caching of pages that show people's data. */
static void
security_headers(struct evhttp_request *req, int cache)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);

	evhttp_add_header(h, "Content-Security-Policy", "default-src 'self'; "
	    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "X-Frame-Options", "DENY");
	evhttp_add_header(h, "Referrer-Policy", "same-origin");
	evhttp_add_header(h, "Cache-Control", cache ? "max-age=3600" :
	    "no-store");
}

static void
serve_static(struct evhttp_request *req, const char *type, const char *data,
    size_t len)
{
	struct evbuffer *b = evbuffer_new();

	security_headers(req, 1);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", type);
	if (b != NULL)
		evbuffer_add_reference(b, data, len, NULL, NULL);
	evhttp_send_reply(req, 200, "OK", b);
	if (b != NULL)
		evbuffer_free(b);
}

static const struct console_page *
find_page(const char *path)
{
	const struct console_page *const *pp;

	for (pp = console_pages; *pp != NULL; pp++) {
		const struct console_page *p = *pp;
		size_t n = strlen(p->path);

		if (!strcmp(path, p->path))
			return p;
		if (p->prefix && !strncmp(path, p->path, n) && path[n] == '/')
			return p;
	}
	return NULL;
}

static int
role_bit(const char *role)
{
	if (!strcmp(role, "admin"))
		return ROLE_ADMIN;
	if (!strcmp(role, "koordinator"))
		return ROLE_KOORDINATOR;
	if (!strcmp(role, "camat"))
		return ROLE_CAMAT;
	return 0;
}

/* A POST from another site's page carries its Origin: refuse it even
 * before the token (SameSite=Lax already keeps the cookie off it). */
static int
origin_ok(struct evhttp_request *req)
{
	struct evkeyvalq *in = evhttp_request_get_input_headers(req);
	const char *origin = evhttp_find_header(in, "Origin");
	const char *host = evhttp_find_header(in, "Host");
	const char *p;

	if (origin == NULL)
		return 1;
	if (host == NULL || (p = strstr(origin, "://")) == NULL)
		return 0;
	return !strcmp(p + 3, host);
}

static int
csrf_ok(struct creq *r)
{
	const char *t = f_get(r, "csrf");

	if (r->csrf[0] == '\0' || strlen(t) != strlen(r->csrf))
		return 0;
	return sodium_memcmp(t, r->csrf, strlen(t)) == 0;
}

/* The POST body's fields (application/x-www-form-urlencoded, or a
 * multipart form whose file comes as a field too), before the csrf
 * check reads one of them. */
static int
read_form(struct creq *r)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(r->req);
	const char *type = evhttp_find_header(
	    evhttp_request_get_input_headers(r->req), "Content-Type");
	size_t n = evbuffer_get_length(in);
	char *body;
	int rc;

	if ((body = malloc(n + 1)) == NULL)
		return -1;
	evbuffer_copyout(in, body, n);
	body[n] = '\0';
	if (multipart_is(type))
		rc = multipart_parse(type, body, n, &r->form);
	else
		rc = strlen(body) == n ? evhttp_parse_query_str(body,
		    &r->form) : -1;
	free(body);
	return rc;
}

static void
on_request(struct evhttp_request *req, void *arg)
{
	struct console *c = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	const char *q = uri ? evhttp_uri_get_query(uri) : NULL;
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	const struct console_page *page;
	struct creq *r;

	if (path == NULL || *path == '\0')
		path = "/";
	if (!strcmp(path, "/static/style.css")) {
		serve_static(req, "text/css; charset=utf-8",
		    console_style_css, console_style_css_len);
		return;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->out = evbuffer_new()) == NULL) {
		free(r);
		evhttp_send_error(req, 503, NULL);
		return;
	}
	TAILQ_INIT(&r->query);
	TAILQ_INIT(&r->form);
	r->gw = c->gw;
	r->auth = c->auth;
	r->req = req;
	r->path = path;
	r->is_post = cmd == EVHTTP_REQ_POST;
	r->now = gw_now(c->gw);
	r->t0 = clock_mono();
	security_headers(req, 0);
	if (q != NULL)
		evhttp_parse_query_str(q, &r->query);
	if (r->is_post && read_form(r) != 0) {
		page_error(r, 400, "Formulir tidak terbaca.");
		return;
	}
	if (r->is_post && !origin_ok(req)) {
		log_warnx("console: a POST to %s from another origin (from "
		    "%s) refused", path, creq_peer(r));
		page_error(r, 403, "Permintaan dari situs lain ditolak.");
		return;
	}
	if (!strcmp(path, page_login.path)) {
		(r->is_post ? page_login.post : page_login.get)(r);
		return;
	}
	if (!console_session(r)) {
		if (r->is_post) {
			page_error(r, 403, "Sesi Anda sudah berakhir. Silakan "
			    "masuk lagi.");
			return;
		}
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Location", "/login");
		creq_reply(r, 303, "See Other");
		return;
	}
	r->role = role_bit(r->user.role);
	if ((page = find_page(path)) == NULL) {
		page_error(r, 404, "Halaman tidak ada.");
		return;
	}
	if (r->is_post) {
		if (!csrf_ok(r)) {
			log_warnx("console: %s: a POST to %s without a valid "
			    "token refused", r->user.name, path);
			page_error(r, 403, "Formulir kedaluwarsa atau tidak "
			    "sah. Muat ulang halaman lalu coba lagi.");
			return;
		}
		if (page->post == NULL || !(page->post_roles & r->role)) {
			page_error(r, 403, "Peran Anda tidak boleh mengubah "
			    "ini.");
			return;
		}
		page->post(r);
		return;
	}
	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		page_error(r, 405, "Metode tidak didukung.");
		return;
	}
	if (page->get == NULL || !(page->get_roles & r->role)) {
		page_error(r, 403, "Halaman ini bukan untuk peran Anda.");
		return;
	}
	page->get(r);
}

int
console_start(struct gateway *gw)
{
	struct console *c;

	if (!gw->conf->console_enabled)
		return 0;
	if (sodium_init() < 0) {
		log_warnx("console: libsodium cannot start");
		return -1;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	gw->console = c;
	c->gw = gw;
	if ((c->auth = console_auth_new(gw)) == NULL)
		return -1;
	c->http = http_listen(gw, "console", gw->conf->console_listen,
	    EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST,
	    CONSOLE_BODY_MAX, CONSOLE_SLOT);
	if (c->http == NULL)
		return -1;
	evhttp_set_gencb(c->http, on_request, c);
	return 0;
}

void
console_release_durable(struct gateway *gw)
{
	if (gw->console != NULL)
		page_release_durable(gw->store);
}

void
console_stop(struct gateway *gw)
{
	struct console *c = gw->console;

	if (c == NULL)
		return;
	page_unpark_all();
	console_auth_free(c->auth);
	if (c->http != NULL)
		evhttp_free(c->http);
	free(c);
	gw->console = NULL;
}
