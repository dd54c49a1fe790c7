/* users: the console's users, checked and stored the one way. */
#include "gateway/rules/users.h"
#include "gateway/util/password.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const roles[] = { "admin", "koordinator", "camat" };

int
user_name_valid(const char *name)
{
	size_t n = strlen(name);

	return n > 0 && n < USER_NAME_MAX &&
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

const char *
user_role(const char *typed)
{
	size_t i;

	for (i = 0; typed != NULL && i < 3; i++)
		if (!strcasecmp(typed, roles[i]))
			return roles[i];
	return NULL;
}

const char *
user_add_check(const char *name, const char *role, int has_kec, char *why,
    size_t cap)
{
	const char *r = user_role(role);

	if (!user_name_valid(name))
		snprintf(why, cap, "user name '%s': 1 to %d of a-z, 0-9, '.', "
		    "'_' and '-'", name, USER_NAME_MAX - 1);
	else if (r == NULL)
		snprintf(why, cap, "add needs --role admin, koordinator or "
		    "camat");
	else if (!strcmp(r, "camat") && !has_kec)
		snprintf(why, cap, "a camat needs --kecamatan: the console "
		    "shows them their kecamatan only");
	else if (strcmp(r, "camat") != 0 && has_kec)
		snprintf(why, cap, "--kecamatan is for a camat only; an %s sees "
		    "every kecamatan", r);
	else
		return r;
	return NULL;
}

const char *
user_password_check(size_t len, char *why, size_t cap)
{
	if (len > PASSWORD_MAX)
		snprintf(why, cap, "the password is longer than %d characters",
		    PASSWORD_MAX);
	else if (len < PASSWORD_MIN)
		snprintf(why, cap, "the password needs %d characters or more",
		    PASSWORD_MIN);
	else
		return NULL;
	return why;
}

int
user_add(struct store *st, const struct user *u, long long now)
{
	struct user was;
	int rc;

	if ((rc = store_user_get(st, u->name, &was)) != 0)
		return rc < 0 ? -1 : 0;
	return store_user_put(st, u, now);
}

int
user_set_hash(struct store *st, const struct user *u, long long now)
{
	if (store_user_put(st, u, now) != 0 ||
	    store_sessions_remove_user(st, u->name) != 0)
		return -1;
	return 0;
}
