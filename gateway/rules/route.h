/*
 * route: which modem may send an SMS to a number. An SMS to a number on the
 * operator of one of our healthy modems goes through that modem (on-net
 * SMS is cheaper); otherwise any healthy modem takes it. Pure functions over
 * tables of Indonesian prefixes and network codes: no I/O.
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

/* A modem as routing sees it. */
struct route_modem {
	enum op op;
	int healthy;		/* up, and not paused by a local error */
};

/* The operator of a number (+62..., 62..., 08...); OP_UNKNOWN if foreign
 * or not a mobile prefix we know. */
enum op route_op_of_number(const char *number);
/* The operator of a network code ("510 10", "51010"). */
enum op route_op_of_network(const char *code);
/* The operator named in the config ("telkomsel", "XL"...); -1 if unknown. */
int route_op_by_name(const char *name);
const char *route_op_name(enum op);

/*
 * The modems that may send to number, as a bit mask over m[0..n-1]: those
 * healthy modems on the number's operator if there is one, else every
 * healthy modem. 0 when none is healthy.
 */
unsigned route_choose(const struct route_modem *m, int n, const char *number);

#endif
