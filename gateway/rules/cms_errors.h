/*
 * cms_errors: what a failed send means, as data. A send ends with a
 * +CMS ERROR code (3GPP TS 27.005 3.2.5; the 0-127 ones are the network's
 * RP/TP causes of TS 24.011 and 23.040), which libGammu's AT driver hands
 * to the send-status callback as it is. Each code has a class that decides
 * what the outbox does next. Pure: no libGammu, no I/O.
 */
#ifndef KENTONGAN_CMS_ERRORS_H
#define KENTONGAN_CMS_ERRORS_H

enum send_class {
	SEND_OK,		/* every part accepted */
	SEND_TRANSIENT,		/* not sent; retry with backoff */
	SEND_PERMANENT,		/* not sent and never will be: failed at once */
	SEND_LOCAL,		/* our side (SIM, PIN, SMSC, PDU): pause, alarm */
	SEND_UNCERTAIN,		/* handed to the modem, no answer: maybe sent */
};

struct cms_error {
	int code;
	enum send_class cls;
	const char *text;
};

/* The class of a +CMS ERROR code; unknown codes are transient. */
enum send_class cms_class(int code);
/* A short English text for the code, or "unknown error". */
const char *cms_text(int code);
/* "transient", "permanent", "local", "uncertain", "ok". */
const char *send_class_name(enum send_class);
/* The whole table, for tests and docs: *n gets its length. */
const struct cms_error *cms_table(int *n);

#endif
