/*
 * service: telling systemd how the daemon is (sd_notify(3)'s protocol:
 * one datagram "READY=1", "WATCHDOG=1", "STOPPING=1" to $NOTIFY_SOCKET),
 * written here rather than linking libsystemd: it is a few lines, and a
 * box without systemd builds and runs the same. Outside systemd (no
 * NOTIFY_SOCKET) every call does nothing.
 */
#ifndef KENTONGAN_SERVICE_H
#define KENTONGAN_SERVICE_H

/* Read and unset NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID (a modem
 * worker must not speak for the daemon). 0, or -1 if the socket given
 * cannot be used (logged; the daemon runs on). */
int service_init(void);
/* Send one state line ("READY=1\nSTATUS=..."); never blocks. */
void service_notify(const char *state);
/* How often to send WATCHDOG=1, in microseconds: half of WATCHDOG_USEC,
 * or 0 when systemd watches nothing (or watches another pid). */
long long service_watchdog_interval(void);

#endif
