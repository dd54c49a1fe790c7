/*
 * floor_drain: the least any program can do to empty a modem's inbox
 * through libGammu: read each SMS and delete it, nothing else (no text
 * conversion, no storage). `make bench-compare` times it beside the
 * gateway and gammu-smsd on the same dummy-modem files.
 *
 * usage: floor_drain CONFIG   (a file with a [gammu] section)
 * Prints "floor: N SMS read and deleted".
 */
#include <gammu.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One pass over every folder; returns the count, or -1 on an error. */
static int
drain_pass(GSM_StateMachine *sm, GSM_MultiSMSMessage *msg)
{
	GSM_Error err;
	int n = 0, i, start = 1;

	memset(msg, 0, sizeof(*msg));
	for (;;) {
		/* The message is GetNextSMS's cursor: never clear it here. */
		err = GSM_GetNextSMS(sm, msg, start);
		start = 0;
		if (err == ERR_EMPTY)
			return n;
		if (err != ERR_NONE) {
			fprintf(stderr, "floor: reading: %s\n",
			    GSM_ErrorString(err));
			return -1;
		}
		for (i = 0; i < msg->Number; i++) {
			GSM_SMSMessage del;

			if (!msg->SMS[i].InboxFolder)
				continue;
			memset(&del, 0, sizeof(del));
			del.Folder = msg->SMS[i].Folder;
			del.Location = msg->SMS[i].Location;
			if ((err = GSM_DeleteSMS(sm, &del)) != ERR_NONE) {
				fprintf(stderr, "floor: deleting: %s\n",
				    GSM_ErrorString(err));
				return -1;
			}
			n++;
		}
	}
}

int
main(int argc, char **argv)
{
	GSM_StateMachine *sm;
	GSM_MultiSMSMessage *msg;
	INI_Section *ini = NULL;
	GSM_Error err;
	int total = 0, n, rc = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: floor_drain CONFIG\n");
		return 2;
	}
	if ((sm = GSM_AllocStateMachine()) == NULL ||
	    (msg = malloc(sizeof(*msg))) == NULL)
		return 1;
	if ((err = INI_ReadFile(argv[1], FALSE, &ini)) != ERR_NONE ||
	    (err = GSM_ReadConfig(ini, GSM_GetConfig(sm, 0), 0)) != ERR_NONE) {
		fprintf(stderr, "floor: %s: %s\n", argv[1], GSM_ErrorString(err));
		goto out;
	}
	GSM_SetConfigNum(sm, 1);
	if ((err = GSM_InitConnection(sm, 1)) != ERR_NONE) {
		fprintf(stderr, "floor: connecting: %s\n", GSM_ErrorString(err));
		goto out;
	}
	/* One pass, read and delete until the driver says the inbox is
	 * empty: the least work that both empties it and knows it did. */
	n = total = drain_pass(sm, msg);
	GSM_TerminateConnection(sm);
	if (n >= 0) {
		printf("floor: %d SMS read and deleted\n", total);
		rc = 0;
	}
out:
	INI_Free(ini);
	GSM_FreeStateMachine(sm);
	free(msg);
	return rc;
}
