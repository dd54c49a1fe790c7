/* lock: flock(2) on "<database>.lock", one daemon per database. */
#include "gateway/loop/lock.h"
#include "config/config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* The PID the holder wrote, or 0 when it has not written it yet. */
static long
lock_holder(int fd)
{
	char buf[32];
	ssize_t n;
	long pid;

	if ((n = pread(fd, buf, sizeof(buf) - 1, 0)) <= 0)
		return 0;
	buf[n] = '\0';
	if (sscanf(buf, "%ld", &pid) != 1 || pid <= 0)
		return 0;
	return pid;
}

int
daemon_lock(const char *database, char *err, size_t errlen)
{
	char path[CONFIG_PATH_MAX + 8], pid[32];
	int fd, len;
	long other;

	err[0] = '\0';
	if (snprintf(path, sizeof(path), "%s.lock", database) >=
	    (int)sizeof(path)) {
		snprintf(err, errlen, "%s.lock: path too long", database);
		return -1;
	}
	/* close-on-exec: a modem worker must not keep the lock after the
	 * daemon that started it is gone */
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path,
		    strerror(errno));
		return -1;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EINTR)
			continue;
		if (errno == EWOULDBLOCK && (other = lock_holder(fd)) > 0)
			snprintf(err, errlen, "another kentongan runs on this "
			    "database: %s is held by PID %ld", path, other);
		else if (errno == EWOULDBLOCK)
			snprintf(err, errlen, "another kentongan runs on this "
			    "database: %s is held by another process", path);
		else
			snprintf(err, errlen, "cannot lock %s: %s", path,
			    strerror(errno));
		close(fd);
		return -1;
	}
	/* The PID is only for the message: a full disk must not stop the
	 * start (the daemon logs this and carries on). */
	len = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, len, 0) != len)
		snprintf(err, errlen, "cannot write the PID in %s: %s", path,
		    strerror(errno));
	return fd;
}
