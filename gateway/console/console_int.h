/*
 * Internal to gateway/console/: one request as a page sees it, the page
 * table, and the helpers every page writes with. A page never calls
 * evhttp_send_reply itself: it ends in exactly one of page_send,
 * page_error, page_see_other or page_send_csv.
 */
#ifndef KENTONGAN_CONSOLE_INT_H
#define KENTONGAN_CONSOLE_INT_H

#include <sys/queue.h>
#include <event2/keyvalq_struct.h>
#include <stdarg.h>
#include <stddef.h>

#include "store/store.h"

struct gateway;
struct console;
struct evhttp_request;
struct evbuffer;

/* Roles, as bits: a page says which may see it and which may change. */
enum {
	ROLE_ADMIN = 1,
	ROLE_KOORDINATOR = 2,
	ROLE_CAMAT = 4,
};
#define ROLES_OFFICE	(ROLE_ADMIN | ROLE_KOORDINATOR)
#define ROLES_ALL	(ROLE_ADMIN | ROLE_KOORDINATOR | ROLE_CAMAT)

#define CONSOLE_COOKIE	"kentongan_sesi"
#define PAGE_ROWS	50	/* rows of a list page */

/* One request. */
struct creq {
	struct gateway *gw;
	struct console_auth *auth;
	struct evhttp_request *req;
	const char *path;	/* as requested, without the query */
	struct evkeyvalq query;	/* the query's fields, decoded */
	struct evkeyvalq form;	/* a POST's fields, decoded */
	int is_post;
	struct user user;	/* who is logged in ("" at /login) */
	int role;		/* ROLE_* */
	char sid_hash[65];	/* the session's key in the store */
	char csrf[65];		/* this session's form token */
	long long now;
	double t0;		/* monotonic, when it came */
	struct evbuffer *out;	/* the page being written */
	struct arena *arena;	/* strings freed with the request */
};

/* A page: GET serves it to roles get_roles, POST to post_roles (0: no
 * POST). A prefix page also takes path + "/anything". */
struct console_page {
	const char *path;
	int prefix;
	int get_roles, post_roles;
	void (*get)(struct creq *);
	void (*post)(struct creq *);
};

/* The table is the pages' files' tables, in console_pages.c. */
extern const struct console_page *const console_pages[];

/* ---- reading the request (console_page.c) ---- */

/* A query field (GET) or a form field (POST); "" when absent. */
const char *q_get(struct creq *, const char *name);
const char *f_get(struct creq *, const char *name);
/* Whether the form has the field at all (a checkbox). */
int f_has(struct creq *, const char *name);
/* The part of the path after prefix + "/" ("" if none). */
const char *path_rest(struct creq *, const char *prefix);

/* Strings that live as long as a request. */
struct arena;
void arena_free(struct arena *);

/* A string that lives as long as the request. */
char *r_printf(struct creq *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* s percent-encoded for a URL's query (lives as long as the request). */
const char *r_url(struct creq *, const char *s);
/* t (Unix seconds) as local "YYYY-MM-DD HH:MM" (or the date alone). */
const char *r_time(struct creq *, long long t);
const char *r_date(struct creq *, long long t);

/* ---- writing the page (console_page.c) ---- */

/* Write HTML: like printf, but every %s is HTML-escaped (NULL is "").
 * Only h_raw writes markup that is not escaped. */
void h(struct creq *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void h_raw(struct creq *, const char *html);
/* The hidden csrf field of a form that changes something. */
void h_csrf(struct creq *);
/* The page's head and navigation; `here` is the nav path to mark. */
void page_begin(struct creq *, const char *title, const char *here);
/* A notice at the top of the page, from ?ok= after a change. */
void h_flash(struct creq *);
/* A "next page" link keeping the query, with the cursor field set. */
void h_next(struct creq *, const char *base_path, const char *cursor_field,
    const char *cursor);

/* End and send the page: 200. */
void page_send(struct creq *);
/* A whole page that says what went wrong, with status. */
void page_error(struct creq *, int status, const char *text);
/* 303 to location (a path; ok adds ?ok=... shown by h_flash), once the
 * store's last commit is on disk. */
void page_see_other(struct creq *, const char *location, const char *ok);
/* data as a CSV download named filename. */
void page_send_csv(struct creq *, const char *filename, struct evbuffer *data);

/* The outbox and inbound queues' depths as a section (page_today.c,
 * shown on / and /modem); 0 or -1. */
int h_queues(struct creq *);

/* ---- changing the store ---- */

/* store_begin for a POST: -1 (after a 503 "coba lagi" page) when the
 * store is busy or failing. */
int page_begin_write(struct creq *);
/* store_commit: -1 (after rolling back and a 503 page) when it fails. */
int page_commit(struct creq *);
/* Roll back and answer status with text. */
void page_rollback(struct creq *, int status, const char *text);

/* ---- sessions and login (console_auth.c) ---- */

struct console_auth;
struct console_auth *console_auth_new(struct gateway *);
void console_auth_free(struct console_auth *);
/* The session of the request's cookie into r (user, role, csrf): 1 one,
 * 0 none or expired. */
int console_session(struct creq *);
extern const struct console_page page_login, page_logout;
/* Hash a new password (Argon2id) on a checker thread, not the loop: done
 * is called on the loop with the hash, or NULL when hashing failed, and
 * must answer r. -1 (r not answered, nothing queued) when too many
 * wait. */
int console_hash_later(struct creq *, const char *pw, size_t len,
    void (*done)(struct creq *, const char *hash));

/* ---- answering (console_page.c) ---- */

/* Free a request that is answered. */
void creq_free(struct creq *);
/* Send r with status now, with the console's headers; frees r. */
void creq_reply(struct creq *, int status, const char *reason);
/* Answer r when the store's commit is on disk; frees r. */
void creq_reply_durable(struct creq *, int status, const char *reason);
/* The peer's address. */
const char *creq_peer(struct creq *);
/* The secure cookie flag of the config. */
int console_secure(struct creq *);
/* The store synced: send what waited for it. */
void page_release_durable(struct store *);
/* Stopping: what waits is answered 503 (not known to be saved). */
void page_unpark_all(void);

#endif
