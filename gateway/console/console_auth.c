/*
 * console_auth: sessions, login and logout.
 *
 * A session id is 32 random bytes in a cookie; the store keeps only its
 * hash, so a copy of the database opens no session. The form token of a
 * session is a keyed hash of its id: nothing more to store, and a token
 * from one session is worthless in another.
 *
 * Checking a password (Argon2id, 64 MiB each) takes a tenth of a second
 * and must not stop the loop: two threads check, at most two at a time
 * (a Raspberry Pi's memory), with a short queue before them; past it a
 * login is asked to try again. Failures are logged and slowed per user
 * name and per address (login_guard).
 */
#include "gateway/console/console_int.h"
#include "gateway/loop/gateway.h"
#include "gateway/util/clock.h"
#include "gateway/util/log.h"
#include "gateway/util/login_guard.h"
#include "gateway/util/password.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECKERS	2	/* passwords checked at once */
#define QUEUE_MAX	16	/* logins waiting for a checker */
#define PASSWORD_MAX	1024
#define TOUCH_EVERY	60	/* seconds between two writes of last_at */
#define ID_BYTES	32

struct job {
	struct job *next;
	struct creq *r;
	/* a hash to make (console_hash_later), not a password to check */
	void (*hashed)(struct creq *, const char *hash);
	char user[USER_NAME_MAX];
	char hash[USER_HASH_MAX];
	int known;		/* the user exists */
	char password[PASSWORD_MAX + 1];
	size_t len;
	int ok;
};

struct console_auth {
	struct gateway *gw;
	struct login_guard *guard;
	pthread_t threads[CHECKERS];
	int nthreads;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct job *todo, *done;	/* todo: oldest first */
	int queued;			/* in todo or being checked */
	int stopping;
	int pipe[2];			/* a checker wakes the loop */
	struct event *done_ev;
	/* what an unknown user's password is checked against, so that a
	 * wrong name takes as long as a wrong password */
	char dummy[USER_HASH_MAX];
};

static void
hex(const unsigned char *b, size_t n, char *out)
{
	sodium_bin2hex(out, n * 2 + 1, b, n);
}

/* The session's key in the store, and its form token. */
static void
session_keys(const unsigned char id[ID_BYTES], char id_hash[65],
    char csrf[65])
{
	unsigned char d[32];

	crypto_generichash(d, sizeof(d), id, ID_BYTES, NULL, 0);
	hex(d, sizeof(d), id_hash);
	crypto_generichash(d, sizeof(d), (const unsigned char *)"csrf", 4, id,
	    ID_BYTES);
	hex(d, sizeof(d), csrf);
	sodium_memzero(d, sizeof(d));
}

/* The session id of the request's cookie; 0 when it has none. */
static int
cookie_id(struct creq *r, unsigned char id[ID_BYTES])
{
	const char *c = evhttp_find_header(
	    evhttp_request_get_input_headers(r->req), "Cookie");
	const char *p;
	size_t n = strlen(CONSOLE_COOKIE);

	for (p = c; p != NULL && *p; p++) {
		while (*p == ' ' || *p == ';')
			p++;
		if (!strncmp(p, CONSOLE_COOKIE, n) && p[n] == '=') {
			size_t got = 0;

			if (strspn(p + n + 1, "0123456789abcdef") !=
			    ID_BYTES * 2)
				return 0;
			return sodium_hex2bin(id, ID_BYTES, p + n + 1,
			    ID_BYTES * 2, NULL, &got, NULL) == 0 &&
			    got == ID_BYTES;
		}
		if ((p = strchr(p, ';')) == NULL)
			break;
	}
	return 0;
}

int
console_session(struct creq *r)
{
	struct store *st = r->gw->store;
	const struct config *conf = r->gw->conf;
	unsigned char id[ID_BYTES];
	struct session s;

	if (!cookie_id(r, id))
		return 0;
	session_keys(id, r->sid_hash, r->csrf);
	sodium_memzero(id, sizeof(id));
	if (store_session_get(st, r->sid_hash, &s) != 1)
		goto none;
	if (r->now - s.created_at >= conf->console_session_hours * 3600LL ||
	    r->now - s.last_at >= conf->console_idle_minutes * 60LL) {
		store_session_remove(st, r->sid_hash);
		goto none;
	}
	if (store_user_get(st, s.user, &r->user) != 1)
		goto none;
	/* a session's last use needs no fsync: losing a minute of it
	 * only ends a session early */
	if (r->now - s.last_at >= TOUCH_EVERY)
		store_session_touch(st, r->sid_hash, r->now);
	return 1;
none:
	memset(&r->user, 0, sizeof(r->user));
	r->csrf[0] = '\0';
	return 0;
}

static void
login_form(struct creq *r, int status, const char *error, const char *user)
{
	page_begin(r, "Masuk", NULL);
	if (error != NULL)
		h(r, "<p class=\"error\" role=\"alert\">%s</p>", error);
	h(r, "<form method=\"post\" action=\"/login\" class=\"login\">"
	    "<label>Nama pengguna <input name=\"username\" value=\"%s\" "
	    "autocomplete=\"username\" required autofocus></label>"
	    "<label>Kata sandi <input type=\"password\" name=\"password\" "
	    "autocomplete=\"current-password\" required></label>"
	    "<button>Masuk</button></form>", user);
	h_raw(r, "</main></body></html>\n");
	evhttp_add_header(evhttp_request_get_output_headers(r->req),
	    "Content-Type", "text/html; charset=utf-8");
	creq_reply(r, status, status == 200 ? "OK" : status == 429 ?
	    "Too Many Requests" : "Service Unavailable");
}

static void
get_login(struct creq *r)
{
	login_form(r, 200, NULL, "");
}

static void *
checker(void *arg)
{
	struct console_auth *a = arg;
	struct job *j;

	pthread_mutex_lock(&a->mu);
	for (;;) {
		while (a->todo == NULL && !a->stopping)
			pthread_cond_wait(&a->cv, &a->mu);
		if (a->todo == NULL)
			break;
		j = a->todo;
		a->todo = j->next;
		pthread_mutex_unlock(&a->mu);
		if (j->hashed != NULL)
			j->ok = password_hash(j->password, j->len,
			    j->hash) == 0;
		else
			j->ok = password_verify(j->known ? j->hash :
			    a->dummy, j->password, j->len) == 1 && j->known;
		sodium_memzero(j->password, sizeof(j->password));
		pthread_mutex_lock(&a->mu);
		j->next = a->done;
		a->done = j;
		if (write(a->pipe[1], "", 1) < 0 && errno != EAGAIN)
			log_warn("console: waking the loop");
	}
	pthread_mutex_unlock(&a->mu);
	return NULL;
}

static void
set_cookie(struct creq *r, const char *value, int max_age)
{
	evhttp_add_header(evhttp_request_get_output_headers(r->req),
	    "Set-Cookie", r_printf(r, "%s=%s; HttpOnly; SameSite=Lax; Path=/%s%s",
	    CONSOLE_COOKIE, value, max_age == 0 ? "; Max-Age=0" : "",
	    console_secure(r) ? "; Secure" : ""));
}

static const char *
guard_key(struct creq *r, const char *kind, const char *what)
{
	return r_printf(r, "%s:%s", kind, what);
}

/* A checker said: open a session, or count the failure. */
static void
login_checked(struct console_auth *a, struct job *j)
{
	struct creq *r = j->r;
	struct store *st = a->gw->store;
	const struct config *conf = a->gw->conf;
	const char *peer = creq_peer(r);
	unsigned char id[ID_BYTES];
	char idhex[ID_BYTES * 2 + 1], esc[100];
	double now = clock_mono();

	log_escape(j->user, strlen(j->user), esc, sizeof(esc));
	if (!j->ok) {
		login_guard_failed(a->guard, guard_key(r, "u", j->user), now);
		login_guard_failed(a->guard, guard_key(r, "a", peer), now);
		log_warnx("console: failed login as '%s' from %s%s", esc, peer,
		    j->known ? "" : " (no such user)");
		login_form(r, 200, "Nama pengguna atau kata sandi salah.",
		    j->user);
		return;
	}
	randombytes_buf(id, sizeof(id));
	session_keys(id, r->sid_hash, r->csrf);
	hex(id, sizeof(id), idhex);
	sodium_memzero(id, sizeof(id));
	store_sessions_expire(st, r->now - conf->console_session_hours *
	    3600LL, r->now - conf->console_idle_minutes * 60LL);
	if (page_begin_write(r) != 0)
		goto out;
	/* a new id at every login: the cookie it came with, if any, is
	 * over (a session fixed by someone else never gains a user) */
	if (cookie_id(r, id)) {
		char old_hash[65], old_csrf[65];

		session_keys(id, old_hash, old_csrf);
		sodium_memzero(id, sizeof(id));
		store_session_remove(st, old_hash);
	}
	if (store_session_add(st, r->sid_hash, j->user, peer, r->now) != 0) {
		page_rollback(r, 503, "Sesi tidak dapat dibuat. Coba lagi.");
		goto out;
	}
	if (page_commit(r) != 0)
		goto out;
	login_guard_passed(a->guard, guard_key(r, "u", j->user));
	login_guard_passed(a->guard, guard_key(r, "a", peer));
	log_info("console: %s logged in from %s", esc, peer);
	set_cookie(r, idhex, -1);
	evhttp_add_header(evhttp_request_get_output_headers(r->req),
	    "Location", "/");
	creq_reply_durable(r, 303, "See Other");
out:
	sodium_memzero(idhex, sizeof(idhex));
}

static void
on_checked(evutil_socket_t fd, short what, void *arg)
{
	struct console_auth *a = arg;
	struct job *j, *done;
	char buf[64];

	(void)what;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&a->mu);
	done = a->done;
	a->done = NULL;
	pthread_mutex_unlock(&a->mu);
	while ((j = done) != NULL) {
		done = j->next;
		a->queued--;
		if (j->hashed != NULL)
			j->hashed(j->r, j->ok ? j->hash : NULL);
		else
			login_checked(a, j);
		sodium_memzero(j, sizeof(*j));
		free(j);
	}
}

static void
enqueue(struct console_auth *a, struct job *j)
{
	struct job **pp;

	pthread_mutex_lock(&a->mu);
	for (pp = &a->todo; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = j;
	a->queued++;
	pthread_cond_signal(&a->cv);
	pthread_mutex_unlock(&a->mu);
}

static void
post_login(struct creq *r)
{
	struct console_auth *a = r->auth;
	const char *user = f_get(r, "username");
	const char *pw = f_get(r, "password");
	const char *peer = creq_peer(r);
	double now = clock_mono(), wait;
	struct user u;
	struct job *j;
	int known;

	if (user[0] == '\0' || pw[0] == '\0' || strlen(user) >=
	    USER_NAME_MAX || strlen(pw) > PASSWORD_MAX) {
		login_form(r, 200, "Isi nama pengguna dan kata sandi.", "");
		return;
	}
	wait = login_guard_wait(a->guard, guard_key(r, "u", user), now);
	if (wait < login_guard_wait(a->guard, guard_key(r, "a", peer), now))
		wait = login_guard_wait(a->guard, guard_key(r, "a", peer),
		    now);
	if (wait > 0) {
		char esc[100];

		log_warnx("console: login as '%s' from %s refused: too many "
		    "failures (%.0f s to wait)", log_escape(user, strlen(user),
		    esc, sizeof(esc)), peer, wait);
		login_form(r, 429, r_printf(r, "Terlalu banyak percobaan "
		    "yang gagal. Coba lagi dalam %d menit.",
		    (int)(wait / 60) + 1), user);
		return;
	}
	if ((known = store_user_get(r->gw->store, user, &u)) < 0) {
		login_form(r, 503, "Basis data tidak dapat dibaca. Coba lagi.",
		    user);
		return;
	}
	if (a->queued >= QUEUE_MAX || (j = calloc(1, sizeof(*j))) == NULL) {
		login_form(r, 503, "Terlalu banyak yang masuk bersamaan. Coba "
		    "lagi sebentar lagi.", user);
		return;
	}
	j->r = r;
	snprintf(j->user, sizeof(j->user), "%s", user);
	j->known = known == 1;
	if (j->known)
		snprintf(j->hash, sizeof(j->hash), "%s", u.hash);
	j->len = strlen(pw);
	memcpy(j->password, pw, j->len);
	enqueue(a, j);
}

int
console_hash_later(struct creq *r, const char *pw, size_t len,
    void (*done)(struct creq *, const char *hash))
{
	struct console_auth *a = r->auth;
	struct job *j;

	if (len > PASSWORD_MAX || a->queued >= QUEUE_MAX ||
	    (j = calloc(1, sizeof(*j))) == NULL)
		return -1;
	j->r = r;
	j->hashed = done;
	j->len = len;
	memcpy(j->password, pw, len);
	enqueue(a, j);
	return 0;
}

static void
post_logout(struct creq *r)
{
	store_session_remove(r->gw->store, r->sid_hash);
	store_sync_written(r->gw->store);
	set_cookie(r, "", 0);
	log_info("console: %s logged out", r->user.name);
	evhttp_add_header(evhttp_request_get_output_headers(r->req),
	    "Location", "/login");
	creq_reply(r, 303, "See Other");
}

const struct console_page page_login = {
	"/login", 0, ROLES_ALL, ROLES_ALL, get_login, post_login
};
const struct console_page page_logout = {
	"/logout", 0, 0, ROLES_ALL, NULL, post_logout
};

struct console_auth *
console_auth_new(struct gateway *gw)
{
	struct console_auth *a = calloc(1, sizeof(*a));
	unsigned char pw[16];
	int i;

	if (a == NULL)
		return NULL;
	a->gw = gw;
	a->pipe[0] = a->pipe[1] = -1;
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	randombytes_buf(pw, sizeof(pw));
	if ((a->guard = login_guard_new()) == NULL ||
	    password_hash((const char *)pw, sizeof(pw), a->dummy) != 0 ||
	    pipe2(a->pipe, O_NONBLOCK | O_CLOEXEC) != 0 ||
	    (a->done_ev = event_new(gw->base, a->pipe[0], EV_READ |
	    EV_PERSIST, on_checked, a)) == NULL) {
		console_auth_free(a);
		return NULL;
	}
	event_add(a->done_ev, NULL);
	for (i = 0; i < CHECKERS; i++) {
		if (pthread_create(&a->threads[i], NULL, checker, a) != 0)
			break;
		a->nthreads++;
	}
	if (a->nthreads == 0) {
		console_auth_free(a);
		return NULL;
	}
	return a;
}

/* Stopping: logins waiting are asked to try again. */
void
console_auth_free(struct console_auth *a)
{
	struct job *j;
	int i;

	if (a == NULL)
		return;
	pthread_mutex_lock(&a->mu);
	a->stopping = 1;
	while ((j = a->todo) != NULL) {
		a->todo = j->next;
		j->next = a->done;
		j->ok = 0;
		a->done = j;
	}
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	for (i = 0; i < a->nthreads; i++)
		pthread_join(a->threads[i], NULL);
	while ((j = a->done) != NULL) {
		a->done = j->next;
		sodium_memzero(j->password, sizeof(j->password));
		if (j->hashed != NULL)
			page_error(j->r, 503, "Gateway sedang berhenti.");
		else
			login_form(j->r, 503, "Gateway sedang berhenti.",
			    j->user);
		free(j);
	}
	if (a->done_ev != NULL)
		event_free(a->done_ev);
	for (i = 0; i < 2; i++)
		if (a->pipe[i] >= 0)
			close(a->pipe[i]);
	login_guard_free(a->guard);
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->cv);
	free(a);
}
