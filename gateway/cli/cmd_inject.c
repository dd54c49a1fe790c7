/*
 * inject: put an inbound SMS into the dummy modem's inbox exactly as Gammu
 * stores one (its SMS backup format, one file per part), so the running
 * gateway reads it like any SMS. A long text becomes a concatenated SMS.
 */
#include "gateway/cli/commands.h"
#include "gateway/worker/gammu_text.h"
#include "config/config.h"

#include <gammu.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The dummy driver's last usable location per folder: it lists 1..10000
 * but maps location 10000 (its DUMMY_MAX_SMS) to file 0, so an SMS there
 * is never read. */
#define MAX_LOCATION 9999

/* Parse --time: Unix seconds, or local "YYYY-MM-DDTHH:MM[:SS]". */
static int
parse_time(const char *s, time_t *out)
{
	struct tm tm;
	char *end;
	long long v;

	v = strtoll(s, &end, 10);
	if (*end == '\0' && end != s) {
		*out = (time_t)v;
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M", &tm);
	if (end != NULL && *end == ':')
		end = strptime(end, ":%S", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	tm.tm_isdst = -1;
	*out = mktime(&tm);
	return 0;
}

/* Parse "3,1,2" into a part order (1-based); returns the count or -1. */
static int
parse_order(const char *s, int *order, int max)
{
	int n = 0;
	char *end;

	while (*s) {
		long v = strtol(s, &end, 10);

		if (end == s || v < 1 || v > 255 || n >= max)
			return -1;
		order[n++] = (int)v;
		s = *end == ',' ? end + 1 : end;
		if (*end != ',' && *end != '\0')
			return -1;
	}
	return n;
}

/* Write one part into DIR/sms/1 at the first free location, atomically:
 * the gateway may be scanning the folder right now. */
static int
store_part(const char *dir, GSM_SMSMessage *part, int *location)
{
	GSM_SMS_Backup *b;
	char tmp[CONFIG_PATH_MAX + 64], dst[CONFIG_PATH_MAX + 64];
	GSM_Error err;
	int i;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return -1;
	snprintf(tmp, sizeof(tmp), "%s/.inject-%d", dir, (int)getpid());
	unlink(tmp);
	b->SMS[0] = part;
	err = GSM_AddSMSBackupFile(tmp, b);
	free(b);
	if (err != ERR_NONE) {
		fprintf(stderr, "kentongan: writing %s: %s\n", tmp,
		    GSM_ErrorString(err));
		return -1;
	}
	for (i = 1; i <= MAX_LOCATION; i++) {
		snprintf(dst, sizeof(dst), "%s/sms/1/%d", dir, i);
		if (link(tmp, dst) == 0) {
			unlink(tmp);
			*location = i;
			return 0;
		}
		if (errno != EEXIST) {
			fprintf(stderr, "kentongan: %s: %s\n", dst,
			    strerror(errno));
			break;
		}
	}
	unlink(tmp);
	if (i > MAX_LOCATION)
		fprintf(stderr, "kentongan: the dummy inbox is full\n");
	return -1;
}

/*
 * The SMSC stamp of when, as the dummy modem will read it back. Its backup
 * file keeps the fields and drops the zone offset, so the fields are
 * written in UTC: local ones would read back hours off, and the gateway
 * dates HARIINI and KEMARIN by this stamp.
 */
static void
smsc_datetime(GSM_DateTime *dt, time_t when)
{
	struct tm tm;

	gmtime_r(&when, &tm);
	memset(dt, 0, sizeof(*dt));
	dt->Year = tm.tm_year + 1900;
	dt->Month = tm.tm_mon + 1;
	dt->Day = tm.tm_mday;
	dt->Hour = tm.tm_hour;
	dt->Minute = tm.tm_min;
	dt->Second = tm.tm_sec;
	dt->Timezone = 0;
}

/* inject NUMBER TEXT into the first (or --modem) dummy modem's inbox. */
int
cmd_inject(struct cmd_ctx *ctx)
{
	const char *number = ctx->argv[0], *text = ctx->argv[1];
	const char *modem = cmd_get(ctx, 'm'), *arg;
	static unsigned char ucs[(GSM_MAX_MULTI_SMS * 160 + 16) * 2];
	struct config *conf = ctx->conf;
	GSM_MultiSMSMessage *multi = NULL;
	const struct modem_config *mc = NULL;
	time_t when = time(NULL);
	int order[256], norder = 0, i, rc = 1, ref = -1;

	/* after the prologue: a local --time is read in the configured zone */
	if ((arg = cmd_get(ctx, 't')) != NULL && parse_time(arg, &when) != 0)
		return cmd_usage_error(ctx, "bad --time '%s'", arg);
	if ((arg = cmd_get(ctx, 'o')) != NULL &&
	    (norder = parse_order(arg, order, 256)) < 0)
		return cmd_usage_error(ctx, "bad --order '%s'", arg);
	if ((arg = cmd_get(ctx, 'r')) != NULL)
		ref = atoi(arg) & 0xff;
	for (i = 0; i < conf->nmodems && mc == NULL; i++)
		if (modem == NULL || !strcmp(conf->modems[i].section, modem))
			mc = &conf->modems[i];
	if (mc == NULL || strcasecmp(mc->model, "dummy") != 0) {
		fprintf(stderr, "kentongan: inject needs a modem with "
		    "model = dummy in %s\n", ctx->path);
		return 1;
	}
	if (strlen(text) > GSM_MAX_MULTI_SMS * 150) {
		fprintf(stderr, "kentongan: text too long\n");
		return 1;
	}
	if ((multi = calloc(1, sizeof(*multi))) == NULL)
		return 1;
	if (encode_text_sms(text, ucs, multi) != ERR_NONE) {
		fprintf(stderr, "kentongan: cannot encode the text\n");
		goto out;
	}
	if (ref < 0)
		ref = (int)((when ^ getpid() ^ (long)clock()) & 0xff);
	for (i = 0; i < multi->Number; i++) {
		GSM_SMSMessage *p = &multi->SMS[i];

		p->PDU = SMS_Deliver;
		p->Folder = 1;
		p->InboxFolder = TRUE;
		p->Memory = MEM_SM;
		p->State = SMS_UnRead;
		EncodeUnicode(p->Number, number, strlen(number));
		EncodeUnicode(p->SMSC.Number, "+6281100000", 11);
		smsc_datetime(&p->DateTime, when);
		if (multi->Number > 1) {
			p->UDH.ID8bit = ref;
			GSM_EncodeUDHHeader(NULL, &p->UDH);
		}
	}
	if (norder == 0)
		for (norder = 0; norder < multi->Number; norder++)
			order[norder] = norder + 1;
	for (i = 0; i < norder; i++) {
		int loc;

		if (order[i] > multi->Number) {
			fprintf(stderr, "kentongan: --order names part %d of %d\n",
			    order[i], multi->Number);
			goto out;
		}
		if (store_part(mc->device, &multi->SMS[order[i] - 1], &loc) != 0)
			goto out;
		printf("part %d/%d -> %s/sms/1/%d\n", order[i], multi->Number,
		    mc->device, loc);
	}
	rc = 0;
out:
	free(multi);
	return rc;
}
