/*
 * contacts: the office's actions on its contacts (edit, remove, the rows
 * of an import), once for every front end: the CLI now, a web console
 * later. Villages come in as codes: the front end resolves what was typed
 * the one way (cli_village). No change here touches opted_out: only the
 * person's own BERHENTI or MULAI does.
 */
#ifndef KENTONGAN_RULES_CONTACTS_H
#define KENTONGAN_RULES_CONTACTS_H

#include <stddef.h>

#include "store/store.h"

#define CONTACT_DESA_MAX	16

/* A contact with every village it is assigned, its first first. */
struct contact_full {
	struct contact c;
	char desa[CONTACT_DESA_MAX][DESA_MAX];
	int ndesa;
	int stored;	/* villages in the store: more than ndesa when over
			 * CONTACT_DESA_MAX, and then no change is made */
};

/* What the office changes; a NULL or empty field leaves it as it is. */
struct contact_change {
	const char *name;
	const char *role;		/* in any case */
	const char *const *desa;	/* with set_desa: all its villages */
	int ndesa, set_desa;
	const char *const *add;		/* villages it gains */
	int nadd;
	const char *const *drop;	/* villages it loses */
	int ndrop;
};

enum contact_result {
	CONTACT_DONE,
	CONTACT_REFUSED,	/* the change is not valid: why says */
	CONTACT_UNKNOWN,	/* no such contact (remove) */
	CONTACT_FAILED		/* the store failed: store_errmsg */
};

/* The role as stored ("pendamping", ...) for role typed in any case, or
 * NULL when it is none of them. */
const char *contact_role(const char *typed);

/*
 * Fill out from what an import row or a form gives: the number in any
 * form phone_normalize takes, the name, the role in any case, the village
 * codes. NULL when it can be stored, else why not (in why, or constant).
 */
const char *contact_make(struct contact_full *out, const char *number,
    const char *name, const char *role, const char *const *codes, int ncodes,
    char *why, size_t cap);

/* Store out as made (insert or update, its villages exactly these), in
 * the caller's transaction. 0 or -1. */
int contact_store(struct store *, const struct contact_full *, long long now);

/*
 * contacts set: apply change to number, in its own transaction. Fields
 * not in change keep their value; a new contact needs a role. *out gets
 * the contact as stored. CONTACT_REFUSED with why when the result would
 * not be valid (a second village for a warga, a village it lacks).
 */
enum contact_result contact_set(struct store *, const char *number,
    const struct contact_change *, long long now, struct contact_full *out,
    char *why, size_t cap);

/* contacts remove: the contact and its villages, in its own transaction;
 * its messages, records and tickets stay, and its consent is kept for
 * when the number is added again. */
enum contact_result contact_remove(struct store *, const char *number,
    char *why, size_t cap);

#endif
