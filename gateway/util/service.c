#include "gateway/util/service.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "gateway/util/log.h"

static int notify_fd = -1;
static struct sockaddr_un notify_addr;
static socklen_t notify_len;
static long long watchdog_usec;

/* WATCHDOG_USEC as systemd sets it, but only when WATCHDOG_PID (if set)
 * is this process: otherwise the watchdog is someone else's. */
static long long
watchdog_from_env(void)
{
	const char *usec = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
	char *end;
	long long v;

	if (usec == NULL)
		return 0;
	if (pid != NULL && strtoll(pid, NULL, 10) != (long long)getpid())
		return 0;
	errno = 0;
	v = strtoll(usec, &end, 10);
	if (errno || *end || v <= 0) {
		log_warnx("WATCHDOG_USEC=%s is not a number of microseconds; "
		    "no watchdog", usec);
		return 0;
	}
	return v;
}

int
service_init(void)
{
	const char *path = getenv("NOTIFY_SOCKET");
	size_t n;
	int rc = 0;

	watchdog_usec = watchdog_from_env();
	if (path == NULL || path[0] == '\0')
		goto out;
	n = strlen(path);
	/* a path, or "@name" for an abstract socket (the @ stands for the
	 * leading NUL byte) */
	if ((path[0] != '/' && path[0] != '@') ||
	    n >= sizeof(notify_addr.sun_path)) {
		log_warnx("NOTIFY_SOCKET=%s is not a socket path; systemd is "
		    "not told when the gateway is ready", path);
		rc = -1;
		goto out;
	}
	memset(&notify_addr, 0, sizeof(notify_addr));
	notify_addr.sun_family = AF_UNIX;
	memcpy(notify_addr.sun_path, path, n);
	if (path[0] == '@')
		notify_addr.sun_path[0] = '\0';
	notify_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n +
	    (path[0] == '@' ? 0 : 1));
	notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0);
	if (notify_fd < 0) {
		log_warn("NOTIFY_SOCKET: socket");
		rc = -1;
	}
out:
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	if (notify_fd < 0)
		watchdog_usec = 0;
	return rc;
}

void
service_notify(const char *state)
{
	if (notify_fd < 0)
		return;
	/* A full socket buffer means systemd is not reading: dropping a
	 * WATCHDOG=1 then is right, the next one follows. */
	if (sendto(notify_fd, state, strlen(state), MSG_NOSIGNAL,
	    (struct sockaddr *)&notify_addr, notify_len) < 0 &&
	    errno != EAGAIN)
		log_warn("NOTIFY_SOCKET: cannot tell systemd \"%.*s\"",
		    (int)strcspn(state, "\n"), state);
}

long long
service_watchdog_interval(void)
{
	return watchdog_usec / 2;
}
