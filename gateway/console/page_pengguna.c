/*
 * page_pengguna: "/pengguna", the console's users, for an admin only:
 * listed, added, given a new password or removed, through the checks and
 * steps `kentongan users` takes (gateway/rules/users.h). A new password
 * is hashed on the login's checker threads (console_hash_later), so the
 * loop never waits for Argon2id and never more than two hash at once.
 */
#include "gateway/console/console_int.h"
#include "gateway/loop/gateway.h"
#include "gateway/rules/report.h"
#include "gateway/rules/users.h"
#include "config/config.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static int
user_row(void *arg, const struct user *u)
{
	struct creq *r = arg;

	h(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>", u->name,
	    u->role, u->kecamatan[0] ? u->kecamatan : "-",
	    r_date(r, u->created_at));
	if (strcmp(u->name, r->user.name) != 0) {
		h_raw(r, "<form method=\"post\" action=\"/pengguna\">");
		h_csrf(r);
		h(r, "<input type=\"hidden\" name=\"aksi\" value=\"hapus\">"
		    "<input type=\"hidden\" name=\"nama\" value=\"%s\">"
		    "<button>Hapus</button></form>", u->name);
	}
	h_raw(r, "</td></tr>");
	return 0;
}

static void
show(struct creq *r, const char *error)
{
	page_begin(r, "Pengguna", "/pengguna");
	h_flash(r);
	if (error != NULL)
		h(r, "<p class=\"error\" role=\"alert\">%s</p>", error);
	h_raw(r, "<table><thead><tr><th>Nama</th><th>Peran</th>"
	    "<th>Kecamatan</th><th>Dibuat</th><th></th></tr></thead><tbody>");
	if (store_users_list(r->gw->store, user_row, r) != 0)
		h_raw(r, "<tr><td colspan=\"5\">Basis data tidak dapat dibaca."
		    "</td></tr>");
	h_raw(r, "</tbody></table><section><h2>Tambah pengguna</h2>"
	    "<form method=\"post\" action=\"/pengguna\">");
	h_csrf(r);
	h_raw(r, "<input type=\"hidden\" name=\"aksi\" value=\"tambah\">"
	    "<label>Nama <input name=\"nama\" required></label>"
	    "<label>Peran <select name=\"peran\"><option>koordinator</option>"
	    "<option>camat</option><option>admin</option></select></label>"
	    "<label>Kecamatan (camat saja) <input name=\"kecamatan\"></label>"
	    "<label>Kata sandi <input type=\"password\" name=\"sandi\" "
	    "autocomplete=\"new-password\" required></label>"
	    "<label>Ulangi <input type=\"password\" name=\"sandi2\" "
	    "autocomplete=\"new-password\" required></label>"
	    "<button>Tambah</button></form></section>"
	    "<section><h2>Ganti kata sandi</h2>"
	    "<form method=\"post\" action=\"/pengguna\">");
	h_csrf(r);
	h_raw(r, "<input type=\"hidden\" name=\"aksi\" value=\"sandi\">"
	    "<label>Nama <input name=\"nama\" required></label>"
	    "<label>Kata sandi baru <input type=\"password\" name=\"sandi\" "
	    "autocomplete=\"new-password\" required></label>"
	    "<label>Ulangi <input type=\"password\" name=\"sandi2\" "
	    "autocomplete=\"new-password\" required></label>"
	    "<button>Ganti</button></form></section>");
	page_send(r);
}

static void
get_pengguna(struct creq *r)
{
	show(r, NULL);
}

/* The typed password: twice the same and long enough; NULL or why not. */
static const char *
password_ok(struct creq *r)
{
	const char *pw = f_get(r, "sandi"), *err;
	char why[128];

	if (strcmp(pw, f_get(r, "sandi2")) != 0)
		return "Kedua kata sandi tidak sama.";
	if ((err = user_password_check(strlen(pw), why, sizeof(why))) != NULL)
		return r_printf(r, "%s", err);
	return NULL;
}

/* The user the form names, as `users add` would make it (without its
 * hash) or, to change a password, as stored; NULL or why not. */
static const char *
user_of(struct creq *r, struct user *u)
{
	const char *name = f_get(r, "nama"), *kec = f_get(r, "kecamatan");
	const char *role;
	struct kec_pick pick;
	char why[256];
	int rc;

	memset(u, 0, sizeof(*u));
	if (!strcmp(f_get(r, "aksi"), "sandi")) {
		if ((rc = store_user_get(r->gw->store, name, u)) <= 0)
			return rc < 0 ? store_errmsg(r->gw->store) :
			    r_printf(r, "no user %s (users list)", name);
		return NULL;
	}
	if ((role = user_add_check(name, f_get(r, "peran"), kec[0] != '\0',
	    why, sizeof(why))) == NULL)
		return r_printf(r, "%s", why);
	if (kec[0] != '\0') {
		if ((rc = report_kecamatan_pick(r->gw->store, kec,
		    r->gw->conf->area, &pick)) < 0)
			return store_errmsg(r->gw->store);
		if (rc != KEC_FOUND)
			return r_printf(r, "%s kecamatan '%s'", rc ==
			    KEC_AMBIGUOUS ? "more than one" : "unknown", kec);
		snprintf(u->kecamatan, sizeof(u->kecamatan), "%s",
		    pick.k.code);
	}
	snprintf(u->name, sizeof(u->name), "%s", name);
	snprintf(u->role, sizeof(u->role), "%s", role);
	return NULL;
}

/* Write u, new or with its new hash; NULL once answered, or why not. */
static const char *
save(struct creq *r, const struct user *u)
{
	int adding = strcmp(f_get(r, "aksi"), "sandi") != 0, rc;

	if (page_begin_write(r))
		return NULL;
	if (adding)
		rc = user_add(r->gw->store, u, r->now);
	else
		rc = user_set_hash(r->gw->store, u, r->now) == 0 ? 1 : -1;
	if (rc < 0) {
		page_rollback(r, 503, store_errmsg(r->gw->store));
		return NULL;
	}
	if (rc == 0) {
		store_rollback(r->gw->store);
		return adding ? r_printf(r, "user %s exists; `users passwd "
		    "%s` changes their password", u->name, u->name) :
		    "the password could not be changed";
	}
	if (page_commit(r) == 0)
		page_see_other(r, "/pengguna", "pengguna");
	return NULL;
}

/* The checker thread hashed the password: the form is read again (a
 * user may have come or gone meanwhile), then written. */
static void
hashed(struct creq *r, const char *hash)
{
	struct user u;
	const char *why;

	if (hash == NULL)
		why = "Kata sandi tidak dapat diproses (memori habis?).";
	else if ((why = user_of(r, &u)) == NULL) {
		snprintf(u.hash, sizeof(u.hash), "%s", hash);
		why = save(r, &u);
	}
	sodium_memzero(&u, sizeof(u));
	if (why != NULL)
		show(r, why);
}

/* Adding a user or a new password: checked here, hashed on a checker
 * thread (Argon2id takes a large part of a second: never on the loop). */
static const char *
with_password(struct creq *r)
{
	const char *pw = f_get(r, "sandi"), *why;
	struct user u;

	if ((why = user_of(r, &u)) != NULL || (why = password_ok(r)) != NULL)
		return why;
	if (console_hash_later(r, pw, strlen(pw), hashed) != 0)
		return "Terlalu banyak permintaan bersamaan; coba lagi.";
	return NULL;
}

static const char *
remove_user(struct creq *r)
{
	const char *name = f_get(r, "nama");
	int rc;

	if (!strcmp(name, r->user.name))
		return "Anda tidak dapat menghapus akun Anda sendiri.";
	if (page_begin_write(r))
		return NULL;
	if ((rc = store_user_remove(r->gw->store, name)) < 0) {
		page_rollback(r, 503, store_errmsg(r->gw->store));
		return NULL;
	}
	if (rc == 0) {
		store_rollback(r->gw->store);
		return r_printf(r, "no user %s (users list)", name);
	}
	if (page_commit(r) == 0)
		page_see_other(r, "/pengguna", "pengguna");
	return NULL;
}

static void
post_pengguna(struct creq *r)
{
	const char *aksi = f_get(r, "aksi"), *why;

	if (!strcmp(aksi, "tambah") || !strcmp(aksi, "sandi"))
		why = with_password(r);
	else if (!strcmp(aksi, "hapus"))
		why = remove_user(r);
	else
		why = "Aksi tidak dikenal.";
	if (why != NULL)
		show(r, why);
}

const struct console_page page_pengguna = {
	"/pengguna", 0, ROLE_ADMIN, ROLE_ADMIN, get_pengguna, post_pengguna
};
