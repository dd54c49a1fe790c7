/*
 * office_village: the one way a village typed at the office (a code with
 * or without dots, or a name) becomes a code, for every front end (the
 * CLI's cli_village, the console's console_village); each says a refusal
 * in its own words.
 */
#ifndef KENTONGAN_OFFICE_VILLAGE_H
#define KENTONGAN_OFFICE_VILLAGE_H

#include "store/store.h"

/* typed normalized (parse_desa) into norm, then store_village_pick within
 * area (code prefixes; NULL or "" for none). VILLAGE_FOUND with its code
 * in code; VILLAGE_AS_TYPED (no village list) with norm in code;
 * VILLAGE_AMBIGUOUS with the choices in p, VILLAGE_UNKNOWN; -1 on a store
 * error. */
int office_village_pick(struct store *, const char *area, const char *typed,
    char *norm, size_t normcap, char *code, size_t cap,
    struct village_pick *p);

#endif
