/* The +CMS ERROR code -> class table (see docs/modems.md). */
#include "gateway/rules/cms_errors.h"

#include <stddef.h>

/*
 * Permanent: the recipient or our subscription refuses this message; the
 * same SMS will fail again. Local: something on our side that a retry
 * cannot fix and a person must (SIM, PIN, SMSC number, our own PDU).
 * Transient: the network or the modem is busy; trying later may work.
 */
static const struct cms_error table[] = {
	{ 1, SEND_PERMANENT, "unassigned (unallocated) number" },
	{ 8, SEND_PERMANENT, "operator determined barring" },
	{ 10, SEND_PERMANENT, "call barred" },
	{ 21, SEND_PERMANENT, "short message transfer rejected" },
	{ 22, SEND_TRANSIENT, "memory capacity exceeded" },
	{ 27, SEND_PERMANENT, "destination out of service" },
	{ 28, SEND_PERMANENT, "unidentified subscriber" },
	{ 29, SEND_PERMANENT, "facility rejected" },
	{ 30, SEND_PERMANENT, "unknown subscriber" },
	{ 38, SEND_TRANSIENT, "network out of order" },
	{ 41, SEND_TRANSIENT, "temporary failure" },
	{ 42, SEND_TRANSIENT, "congestion" },
	{ 47, SEND_TRANSIENT, "resources unavailable" },
	{ 50, SEND_PERMANENT, "requested facility not subscribed" },
	{ 69, SEND_PERMANENT, "requested facility not implemented" },
	{ 81, SEND_TRANSIENT, "invalid short message reference" },
	{ 95, SEND_LOCAL, "invalid message" },
	{ 96, SEND_LOCAL, "invalid mandatory information" },
	{ 97, SEND_LOCAL, "message type non-existent" },
	{ 98, SEND_TRANSIENT, "message not compatible with protocol state" },
	{ 99, SEND_LOCAL, "information element non-existent" },
	{ 111, SEND_TRANSIENT, "protocol error, unspecified" },
	{ 127, SEND_TRANSIENT, "interworking, unspecified" },
	{ 128, SEND_LOCAL, "telematic interworking not supported" },
	{ 129, SEND_LOCAL, "short message type 0 not supported" },
	{ 130, SEND_LOCAL, "cannot replace short message" },
	{ 143, SEND_TRANSIENT, "unspecified TP-PID error" },
	{ 144, SEND_LOCAL, "data coding scheme not supported" },
	{ 145, SEND_LOCAL, "message class not supported" },
	{ 159, SEND_TRANSIENT, "unspecified TP-DCS error" },
	{ 160, SEND_LOCAL, "command cannot be actioned" },
	{ 161, SEND_LOCAL, "command unsupported" },
	{ 176, SEND_LOCAL, "TPDU not supported" },
	{ 192, SEND_TRANSIENT, "SC busy" },
	{ 193, SEND_LOCAL, "no SC subscription" },
	{ 194, SEND_TRANSIENT, "SC system failure" },
	{ 195, SEND_LOCAL, "invalid SME address" },
	{ 196, SEND_PERMANENT, "destination SME barred" },
	{ 197, SEND_TRANSIENT, "SM rejected, duplicate SM" },
	{ 198, SEND_LOCAL, "TP-VPF not supported" },
	{ 199, SEND_LOCAL, "TP-VP not supported" },
	{ 208, SEND_LOCAL, "SIM SMS storage full" },
	{ 209, SEND_LOCAL, "no SMS storage capability in SIM" },
	{ 210, SEND_TRANSIENT, "error in MS" },
	{ 211, SEND_TRANSIENT, "memory capacity exceeded" },
	{ 212, SEND_TRANSIENT, "SIM application toolkit busy" },
	{ 213, SEND_TRANSIENT, "SIM data download error" },
	{ 255, SEND_TRANSIENT, "unspecified error cause" },
	{ 300, SEND_TRANSIENT, "ME failure" },
	{ 301, SEND_TRANSIENT, "SMS service of ME reserved" },
	{ 302, SEND_LOCAL, "operation not allowed" },
	{ 303, SEND_LOCAL, "operation not supported" },
	{ 304, SEND_LOCAL, "invalid PDU mode parameter" },
	{ 305, SEND_LOCAL, "invalid text mode parameter" },
	{ 310, SEND_LOCAL, "SIM not inserted" },
	{ 311, SEND_LOCAL, "SIM PIN required" },
	{ 312, SEND_LOCAL, "PH-SIM PIN required" },
	{ 313, SEND_LOCAL, "SIM failure" },
	{ 314, SEND_TRANSIENT, "SIM busy" },
	{ 315, SEND_LOCAL, "SIM wrong" },
	{ 316, SEND_LOCAL, "SIM PUK required" },
	{ 317, SEND_LOCAL, "SIM PIN2 required" },
	{ 318, SEND_LOCAL, "SIM PUK2 required" },
	{ 320, SEND_TRANSIENT, "memory failure" },
	{ 321, SEND_LOCAL, "invalid memory index" },
	{ 322, SEND_LOCAL, "memory full" },
	{ 330, SEND_LOCAL, "SMSC address unknown" },
	{ 331, SEND_TRANSIENT, "no network service" },
	{ 332, SEND_TRANSIENT, "network timeout" },
	{ 340, SEND_TRANSIENT, "no +CNMA acknowledgement expected" },
	{ 500, SEND_TRANSIENT, "unknown error" },
	{ 512, SEND_TRANSIENT, "manufacturer specific" },
	{ 535, SEND_TRANSIENT, "protocol stack busy" },
};

#define NTABLE ((int)(sizeof(table) / sizeof(table[0])))

/* The row for code, or NULL (binary search: the table is sorted). */
static const struct cms_error *
find(int code)
{
	int lo = 0, hi = NTABLE - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (table[mid].code == code)
			return &table[mid];
		if (table[mid].code < code)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

enum send_class
cms_class(int code)
{
	const struct cms_error *e = find(code);

	return e != NULL ? e->cls : SEND_TRANSIENT;
}

const char *
cms_text(int code)
{
	const struct cms_error *e = find(code);

	return e != NULL ? e->text : "unknown error";
}

const char *
send_class_name(enum send_class c)
{
	static const char *const names[] = {
		[SEND_OK] = "ok",
		[SEND_TRANSIENT] = "transient",
		[SEND_PERMANENT] = "permanent",
		[SEND_LOCAL] = "local",
		[SEND_UNCERTAIN] = "uncertain",
	};

	if ((unsigned)c >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[c];
}

const struct cms_error *
cms_table(int *n)
{
	*n = NTABLE;
	return table;
}
