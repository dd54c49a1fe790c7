/*
 * lock: one daemon per database. `kentongan run` holds flock(2) on
 * "<database>.lock" for its whole life, with its PID written in the file
 * for the message a second daemon prints. The kernel drops the lock when
 * the process dies, however it dies: a PID left in the file by a crash is
 * only a stale number, never a reason to refuse a start.
 */
#ifndef KENTONGAN_LOCK_H
#define KENTONGAN_LOCK_H

#include <stddef.h>

/* Take the lock beside database without waiting. Returns its descriptor
 * (close-on-exec, to keep open until exit), or -1 with the reason in err:
 * the file and the PID holding it when another daemon has it. A PID that
 * could not be written (a full disk) leaves the lock taken and a warning
 * in err. */
int daemon_lock(const char *database, char *err, size_t errlen);

#endif
