/* contacts: the office's edits of its contacts, one place for each rule. */
#include "gateway/rules/contacts.h"
#include "parser/phone.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const roles[] = { "pendamping", "koordinator", "warga" };

/* s without the spaces around it, into out (cap bytes); -1 if too long. */
static int
trimmed(const char *s, char *out, size_t cap)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	for (n = strlen(s); n > 0 && isspace((unsigned char)s[n - 1]); n--)
		;
	if (n >= cap)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

const char *
contact_role(const char *typed)
{
	char r[16];
	size_t i;

	if (typed == NULL || trimmed(typed, r, sizeof(r)) != 0)
		return NULL;
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (!strcasecmp(r, roles[i]))
			return roles[i];
	return NULL;
}

/* Text a spreadsheet saved in a legacy code page is not UTF-8: stored, it
 * would reach SMS and JSON as garbage. */
static int
valid_utf8(const unsigned char *s)
{
	int more;

	for (; *s; s++) {
		if (*s < 0x80)
			continue;
		if ((*s & 0xe0) == 0xc0 && *s >= 0xc2)
			more = 1;
		else if ((*s & 0xf0) == 0xe0)
			more = 2;
		else if ((*s & 0xf8) == 0xf0 && *s <= 0xf4)
			more = 3;
		else
			return 0;
		while (more-- > 0)
			if ((*++s & 0xc0) != 0x80)
				return 0;
	}
	return 1;
}

/* Only a pendamping works in several villages; for anyone else a second
 * one would be dropped without a word somewhere later. */
static const char *
check_villages(const struct contact_full *f, char *why, size_t cap)
{
	if (f->ndesa > 1 && strcmp(f->c.role, "pendamping") != 0) {
		snprintf(why, cap, "only a pendamping has several villages; "
		    "a %s has one (%s has %d: %s, %s%s)", f->c.role,
		    f->c.number, f->ndesa, f->desa[0], f->desa[1],
		    f->ndesa > 2 ? ", ..." : "");
		return why;
	}
	return NULL;
}

/* Set out's villages to codes, without repeats, keeping their order. */
static const char *
set_villages(struct contact_full *f, const char *const *codes, int n)
{
	int i, k;

	f->ndesa = 0;
	for (i = 0; i < n; i++) {
		for (k = 0; k < f->ndesa && strcmp(f->desa[k], codes[i]); k++)
			;
		if (k < f->ndesa || codes[i][0] == '\0')
			continue;
		if (f->ndesa == CONTACT_DESA_MAX)
			return "too many villages";
		snprintf(f->desa[f->ndesa++], DESA_MAX, "%s", codes[i]);
	}
	snprintf(f->c.desa, sizeof(f->c.desa), "%s", f->ndesa ? f->desa[0] :
	    "");
	return NULL;
}

const char *
contact_make(struct contact_full *f, const char *number, const char *name,
    const char *role, const char *const *codes, int ncodes, char *why,
    size_t cap)
{
	struct contact *c = &f->c;
	const char *r = contact_role(role), *err;

	memset(f, 0, sizeof(*f));
	if (phone_normalize(number, c->number, sizeof(c->number)) != PHONE_E164)
		return "not a phone number";
	if (r == NULL) {
		snprintf(why, cap, "role must be pendamping, koordinator or "
		    "warga (in any case), not '%s'", role ? role : "");
		return why;
	}
	if (trimmed(name, c->name, sizeof(c->name)) != 0)
		return "name too long";
	if (!valid_utf8((const unsigned char *)c->name))
		return "the name is not UTF-8 text (save the file as "
		    "\"CSV UTF-8\")";
	if (trimmed(number, c->number_raw, sizeof(c->number_raw)) != 0)
		return "not a phone number";
	snprintf(c->role, sizeof(c->role), "%s", r);
	if ((err = set_villages(f, codes, ncodes)) != NULL)
		return err;
	return check_villages(f, why, cap);
}

int
contact_store(struct store *st, const struct contact_full *f, long long now)
{
	const char *codes[CONTACT_DESA_MAX];
	int i;

	for (i = 0; i < f->ndesa; i++)
		codes[i] = f->desa[i];
	/* opted_out 0 applies to a new number only (Q_CONTACT_PUT) */
	if (store_contact_put(st, &f->c, now) != 0)
		return -1;
	return store_contact_set_desa(st, f->c.number, codes, f->ndesa);
}

/* The contact as stored, with all its villages; 1, 0 unknown, -1. */
static int
contact_load(struct store *st, const char *number, struct contact_full *f)
{
	int found, n;

	memset(f, 0, sizeof(*f));
	if ((found = store_contact_get(st, number, &f->c)) <= 0)
		return found;
	if ((n = store_contact_desa_list(st, number, f->desa,
	    CONTACT_DESA_MAX)) < 0)
		return -1;
	f->ndesa = n < CONTACT_DESA_MAX ? n : CONTACT_DESA_MAX;
	f->stored = n;
	return 1;
}

/* The villages after change, from those of old; NULL or why not. */
static const char *
changed_villages(const struct contact_full *old,
    const struct contact_change *ch, const char **out, int *n, char *why,
    size_t cap)
{
	int i, k, m = 0;

	if (ch->set_desa) {
		for (i = 0; i < ch->ndesa && m < 2 * CONTACT_DESA_MAX; i++)
			out[m++] = ch->desa[i];
	} else
		for (i = 0; i < old->ndesa; i++)
			out[m++] = old->desa[i];
	for (i = 0; i < ch->nadd && m < 2 * CONTACT_DESA_MAX; i++)
		out[m++] = ch->add[i];
	for (i = 0; i < ch->ndrop; i++) {
		for (k = 0; k < m && strcmp(out[k], ch->drop[i]); k++)
			;
		if (k == m) {
			snprintf(why, cap, "%s is not one of %s's villages",
			    ch->drop[i], old->c.number);
			return why;
		}
		memmove(&out[k], &out[k + 1], (size_t)(m - k - 1) *
		    sizeof(*out));
		m--;
	}
	*n = m;
	return NULL;
}

/* The contact number becomes with change applied to old; NULL or why. */
static const char *
apply_change(const struct contact_full *old, int found, const char *number,
    const struct contact_change *ch, struct contact_full *out, char *why,
    size_t cap)
{
	const char *codes[2 * CONTACT_DESA_MAX];
	const char *err;
	int n = 0;

	if (!found && ch->role == NULL)
		return "a new contact needs a role";
	if ((err = changed_villages(old, ch, codes, &n, why, cap)) != NULL)
		return err;
	return contact_make(out, number,
	    ch->name ? ch->name : old->c.name,
	    ch->role ? ch->role : old->c.role, codes, n, why, cap);
}

/* The number as stored into e164 (NUMBER_MAX), and a transaction open:
 * CONTACT_DONE, or what stopped it. */
static enum contact_result
begin_on(struct store *st, const char *number, char *e164, char *why,
    size_t cap)
{
	if (phone_normalize(number, e164, NUMBER_MAX) != PHONE_E164) {
		snprintf(why, cap, "%s: not a phone number", number);
		return CONTACT_REFUSED;
	}
	return store_begin(st) == 0 ? CONTACT_DONE : CONTACT_FAILED;
}

enum contact_result
contact_set(struct store *st, const char *number,
    const struct contact_change *ch, long long now, struct contact_full *out,
    char *why, size_t cap)
{
	struct contact_full old;
	char e164[NUMBER_MAX];
	enum contact_result rc;
	const char *err;
	int found;

	if ((rc = begin_on(st, number, e164, why, cap)) != CONTACT_DONE)
		return rc;
	if ((found = contact_load(st, e164, &old)) < 0)
		goto fail;
	/* writing back what was read would drop the villages past the
	 * limit: refuse instead */
	if (old.stored > CONTACT_DESA_MAX) {
		snprintf(why, cap, "%s has %d villages; at most %d can be "
		    "changed here", e164, old.stored, CONTACT_DESA_MAX);
		store_rollback(st);
		return CONTACT_REFUSED;
	}
	if ((err = apply_change(&old, found, number, ch, out, why, cap))
	    != NULL) {
		if (err != why)
			snprintf(why, cap, "%s", err);
		store_rollback(st);
		return CONTACT_REFUSED;
	}
	if (contact_store(st, out, now) != 0 || store_commit(st) != 0)
		goto fail;
	return CONTACT_DONE;
fail:
	store_rollback(st);
	return CONTACT_FAILED;
}

enum contact_result
contact_remove(struct store *st, const char *number, char *why, size_t cap)
{
	enum contact_result rc;
	char e164[NUMBER_MAX];
	int n;

	if ((rc = begin_on(st, number, e164, why, cap)) != CONTACT_DONE)
		return rc;
	if ((n = store_contact_remove(st, e164)) < 0 ||
	    store_commit(st) != 0) {
		store_rollback(st);
		return CONTACT_FAILED;
	}
	if (n == 0)
		snprintf(why, cap, "%s: no such contact", e164);
	return n ? CONTACT_DONE : CONTACT_UNKNOWN;
}
