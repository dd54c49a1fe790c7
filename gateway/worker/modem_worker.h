/*
 * modem_worker: the process that owns one libGammu state machine. The loop
 * starts it as `kentongan modem-worker` (a fresh exec, so libGammu's global
 * state and a crash stay in it) and talks to it through one socketpair.
 *
 * Contract: the worker blocks in libGammu as long as it must; it never
 * touches the store. It posts EV_UP once connected, EV_SMS for every SMS on
 * the device then EV_SCAN_DONE, and deletes an SMS only on CMD_DELETE
 * (sent by the loop once the SMS's commit is on disk). CMD_SEND is answered by
 * exactly one EV_SENT. On a modem error it posts EV_DOWN and exits non-zero;
 * the loop restarts it with backoff. It exits 0 when the socket closes.
 */
#ifndef KENTONGAN_MODEM_WORKER_H
#define KENTONGAN_MODEM_WORKER_H

struct modem_worker_args {
	const char *config_path;
	int gammu_index;	/* N of [gammuN], 0 for [gammu] */
	int fd;			/* the worker's end of the socketpair */
	int receive_interval;	/* seconds between scans when idle */
	int delivery_reports;
};

int modem_worker_main(const struct modem_worker_args *);

#endif
