/*
 * route: which bearer (a modem or a Kannel bearer) may send an SMS to a
 * number, from one table of both. On-net is cheaper, so a bearer on the
 * number's operator goes first; a bearer marked bulk takes the broadcasts
 * and reminders first and the replies last, so that a conversation stays
 * on the office's own SIM while a short code carries the mass sends. Pure
 * functions over tables of Indonesian prefixes and network codes: no I/O.
 */
#ifndef KENTONGAN_ROUTE_H
#define KENTONGAN_ROUTE_H

enum op {
	OP_UNKNOWN,
	OP_TELKOMSEL,
	OP_INDOSAT,
	OP_XL,
	OP_AXIS,
	OP_TRI,
	OP_SMARTFREN,
	OP__COUNT
};

/* A bearer as routing sees it. */
struct route_bearer {
	enum op op;		/* OP_UNKNOWN: on-net for no number */
	int healthy;		/* up, and not paused by a local error */
	int bulk;		/* bulk = yes: broadcasts first, replies last */
};

/* The operator of a number (+62..., 62..., 08...); OP_UNKNOWN if foreign
 * or not a mobile prefix we know. */
enum op route_op_of_number(const char *number);
/* The operator of a network code ("510 10", "51010"). */
enum op route_op_of_network(const char *code);
/* The operator named in the config ("telkomsel", "XL"...); -1 if unknown. */
int route_op_by_name(const char *name);
const char *route_op_name(enum op);

/* Whether an outbox row of this purpose is mass sending (a broadcast, a
 * reminder, an announcement), which bulk bearers take first. */
int route_is_bulk(const char *purpose);

/*
 * The bearers that may send to number, as a bit mask over b[0..n-1] (n at
 * most 32): the first non-empty of these sets of healthy bearers, so that
 * a row whose best bearers are only busy waits for them.
 *   bulk traffic: bulk on-net, bulk, on-net, any;
 *   other:        on-net not bulk, not bulk, on-net, any.
 * 0 when none is healthy.
 */
unsigned route_choose(const struct route_bearer *b, int n, const char *number,
    int bulk_traffic);

#endif
