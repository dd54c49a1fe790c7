/*
 * office: what the office types, read the one way for every front end
 * (the CLI, the web console): a village, a Perdes code, a meeting's time
 * and type. Each says why not into a caller's buffer, or returns NULL/-1
 * for the front end to word its own usage error.
 */
#ifndef KENTONGAN_RULES_OFFICE_H
#define KENTONGAN_RULES_OFFICE_H

#include <stddef.h>

struct store;

/* The one way a typed village (a code with or without dots, or a name)
 * becomes a code at the office: store_village_pick within area (the
 * config's), or the typed text normalized when no villages are imported.
 * NULL with the reason in why (a shared name: its villages). */
const char *office_village(struct store *, const char *area,
    const char *typed, char *code, size_t cap, char *why, size_t whycap);

/* A Perdes code as the parser writes it (letters then digits, upper
 * case) into out; 0, or -1 when in is none. */
int perdes_code(const char *in, char *out, size_t cap);

/* A meeting's time typed H:MM or HH:MM into out as HH:MM; 0 or -1. */
int meeting_time(const char *typed, char *out, size_t cap);
/* The meeting type as stored for typed in any case, or NULL. */
const char *meeting_type(const char *typed);
#define MEETING_TYPES	"RPJM, RKP, APB, PERDES, SOS, EVAL, KAD, LAIN"

struct meeting;
/* Why meeting id cannot be cancelled or changed (outcome: a
 * meeting_outcome past MEET_DONE; was: the meeting), into why. */
const char *meeting_refusal(long long id, int outcome,
    const struct meeting *was, char *why, size_t cap);

#endif
