/*
 * users: who may sign in to the web console. A password is read from
 * standard input only (never the command line, which ps and the shell's
 * history show), hashed (gateway/util/password.c) and never printed.
 */
#include "gateway/cli/commands.h"
#include "gateway/rules/report.h"
#include "gateway/rules/users.h"
#include "gateway/util/password.h"
#include "config/config.h"
#include "store/store.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Print the store's error; 1 (the exit status). */
static int
store_failed(struct store *st)
{
	fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
	return 1;
}

/*
 * One line of standard input into pw (PASSWORD_MAX + 1 bytes), its end of
 * line dropped, its length to *len. Returns 0, or 2 after a usage error.
 */
static int
read_password(const struct cmd_ctx *ctx, char *pw, size_t *len)
{
	size_t n = 0;
	int ch, over = 0;

	while ((ch = getchar()) != EOF && ch != '\n') {
		if (n < PASSWORD_MAX)
			pw[n++] = (char)ch;
		else
			over = 1;
	}
	if (n > 0 && pw[n - 1] == '\r' && !over)
		n--;
	pw[n] = '\0';
	*len = n;
	if (over)
		return cmd_usage_error(ctx, "the password is longer than %d "
		    "characters", PASSWORD_MAX);
	if (n < PASSWORD_MIN)
		return cmd_usage_error(ctx, "the password needs %d characters "
		    "or more (%s)", PASSWORD_MIN, n == 0 && ch == EOF ?
		    "standard input was empty" : "this one is shorter");
	return 0;
}

/* The new password, from standard input, hashed into hash. Returns 0, 1
 * or 2 (the exit status). */
static int
new_hash(const struct cmd_ctx *ctx, char hash[USER_HASH_MAX])
{
	char pw[PASSWORD_MAX + 1];
	size_t len;
	int rc;

	if (cmd_get(ctx, 'p') == NULL)
		return cmd_usage_error(ctx, "%s needs --password-stdin: the "
		    "password is read from standard input, never from the "
		    "command line", ctx->action);
	if ((rc = read_password(ctx, pw, &len)) == 0 &&
	    password_hash(pw, len, hash) != 0) {
		fprintf(stderr, "kentongan: the password could not be hashed "
		    "(out of memory?)\n");
		rc = 1;
	}
	sodium_memzero(pw, sizeof(pw));
	return rc;
}

/* Why users add does nothing: the name is taken. */
static int
user_exists(const char *name)
{
	fprintf(stderr, "kentongan: user %s exists; `users passwd %s` changes "
	    "their password\n", name, name);
	return 1;
}

/* users add NAME --role R [--kecamatan K] --password-stdin */
static int
users_add(struct cmd_ctx *ctx, const char *name)
{
	const char *role = cmd_get(ctx, 'r'), *typed = cmd_get(ctx, 'k');
	struct store *st = ctx->st;
	struct kecamatan k = { "", "", "" };
	struct user u;
	const char *stored;
	char why[256];
	int rc;

	if ((stored = user_add_check(name, role, typed != NULL, why,
	    sizeof(why))) == NULL)
		return cmd_usage_error(ctx, "%s", why);
	if (typed != NULL && (rc = cli_kecamatan(st, ctx->conf->area, typed,
	    &k)) != 0)
		return rc < 0 ? store_failed(st) : 1;
	/* before the password is asked for */
	if ((rc = store_user_get(st, name, &u)) != 0)
		return rc < 0 ? store_failed(st) : user_exists(name);
	memset(&u, 0, sizeof(u));
	snprintf(u.name, sizeof(u.name), "%s", name);
	snprintf(u.role, sizeof(u.role), "%s", stored);
	snprintf(u.kecamatan, sizeof(u.kecamatan), "%s", k.code);
	if ((rc = new_hash(ctx, u.hash)) != 0)
		return rc;
	if (store_begin(st) != 0 || (rc = user_add(st, &u, time(NULL))) < 0) {
		store_rollback(st);
		return store_failed(st);
	}
	if (rc == 0) {
		store_rollback(st);	/* added meanwhile: left as it was */
		return user_exists(name);
	}
	if (store_commit(st) != 0)
		return store_failed(st);
	if (k.code[0] != '\0')
		printf("user %s added (camat, kecamatan %s %s)\n", name, k.name,
		    k.code);
	else
		printf("user %s added (%s)\n", name, u.role);
	return 0;
}

/* users passwd NAME --password-stdin: the user's sessions end. */
static int
users_passwd(struct cmd_ctx *ctx, const char *name)
{
	struct store *st = ctx->st;
	struct user u;
	int rc;

	if ((rc = store_user_get(st, name, &u)) < 0)
		return store_failed(st);
	if (rc == 0) {
		fprintf(stderr, "kentongan: no user %s (users list)\n", name);
		return 1;
	}
	if ((rc = new_hash(ctx, u.hash)) != 0)
		return rc;
	if (store_begin(st) != 0 || user_set_hash(st, &u, time(NULL)) != 0 ||
	    store_commit(st) != 0) {
		store_rollback(st);
		return store_failed(st);
	}
	printf("password of %s changed; their console sessions ended\n", name);
	return 0;
}

/* users remove NAME, with their sessions. */
static int
users_remove(struct cmd_ctx *ctx, const char *name)
{
	struct store *st = ctx->st;
	int rc;

	if (store_begin(st) != 0 || (rc = store_user_remove(st, name)) < 0 ||
	    store_commit(st) != 0) {
		store_rollback(st);
		return store_failed(st);
	}
	if (rc == 0) {
		fprintf(stderr, "kentongan: no user %s (users list)\n", name);
		return 1;
	}
	printf("user %s removed, with their console sessions\n", name);
	return 0;
}

/* What users list needs while it walks the users. */
struct list_ctx {
	struct cmd_ctx *ctx;
	struct cli_out *out;
	int failed;
};

/* One user as a row; a camat's kecamatan with its name. */
static int
list_one(void *arg, const struct user *u)
{
	struct list_ctx *l = arg;
	struct kec_pick p;
	char created[16];
	const char *row[5];
	struct tm tm;
	time_t t = (time_t)u->created_at;

	/* a code no longer in the village list shows without a name */
	if (u->kecamatan[0] != '\0' && (l->failed = report_kecamatan_pick(
	    l->ctx->st, u->kecamatan, NULL, &p)) < 0)
		return 1;
	if (u->kecamatan[0] == '\0' || l->failed != KEC_FOUND)
		p.k.name[0] = '\0';
	strftime(created, sizeof(created), "%Y-%m-%d", localtime_r(&t, &tm));
	row[0] = u->name;
	row[1] = u->role;
	row[2] = u->kecamatan;
	row[3] = p.k.name;
	row[4] = created;
	return cli_row(l->out, l->out->rows + 1, 5, row);
}

/* users list [--format F] */
static int
users_list(struct cmd_ctx *ctx)
{
	static const char *const cols[] = { "name", "role", "kecamatan",
	    "kecamatan_name", "created" };
	struct cli_out out = { .f = stdout, .format = ctx->format };
	struct list_ctx l = { ctx, &out, 0 };
	int rc;

	cli_row(&out, 0, 5, cols);
	rc = store_users_list(ctx->st, list_one, &l);
	cli_out_end(&out);
	return rc != 0 || l.failed < 0 ? store_failed(ctx->st) : 0;
}

/* users add | list | passwd | remove */
int
cmd_users(struct cmd_ctx *ctx)
{
	if (!strcmp(ctx->action, "add"))
		return users_add(ctx, ctx->argv[0]);
	if (!strcmp(ctx->action, "passwd"))
		return users_passwd(ctx, ctx->argv[0]);
	if (!strcmp(ctx->action, "remove"))
		return users_remove(ctx, ctx->argv[0]);
	return users_list(ctx);
}
