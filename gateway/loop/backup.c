/*
 * backup: the daemon's daily copy of the database (backup.h).
 *
 * A copy reads the whole database and writes it to a USB disk: seconds,
 * or minutes on a big file and a slow stick, and the loop must never
 * wait for the disk. So one thread makes it, with connections of its
 * own, reads and prunes the folder too, and hands its one result back to
 * the loop as a record on a pipe the loop watches (as the console's
 * password checkers do). The loop only decides when, and logs.
 *
 * When: the latest due time (daily at [backup] time, local) that this
 * daemon has not yet handled. At start that is the last due time, so a
 * copy missed while the box was switched off is made as soon as it runs
 * again; the thread then finds the folder already holds a copy made
 * since, and makes none, when there is one (a daemon restarted). A copy
 * that fails is an ALARM and is tried again at the next due time.
 */
#include "gateway/loop/backup.h"
#include "gateway/loop/gateway.h"
#include "gateway/loop/scheduler.h"
#include "gateway/rules/backup_plan.h"
#include "gateway/util/background.h"
#include "gateway/util/log.h"
#include "store/store_backup.h"

#include <event2/event.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* names looked at in the folder; past it the oldest may stay */
#define FOLDER_MAX	4096

enum outcome { MADE, THERE, FAILED, STOPPED };

/* What the thread is given; it does not change while the thread runs. */
struct job {
	char database[CONFIG_PATH_MAX];
	char dir[CONFIG_PATH_MAX];
	int keep;
	long long due, now;
};

/* What the thread hands back, in one write. */
struct result {
	enum outcome outcome;
	char name[BACKUP_NAME_MAX];
	char err[CONFIG_PATH_MAX + 512];
	char prune_err[CONFIG_PATH_MAX + 300];
	int removed, partials;
	int same_disk;		/* the folder is on the database's disk */
	long long bytes;
	double seconds;
};

_Static_assert(sizeof(struct result) <= PIPE_BUF,
    "a result is one atomic write on the pipe");

struct backups {
	struct gateway *gw;
	struct cron cron;	/* daily at [backup] time */
	int pipe[2];
	struct event *done_ev;
	pthread_t thread;
	int running;
	atomic_int cancel;	/* the daemon stops: end the copy */
	long long last_due;	/* the due time last handled */
	struct job job;
};

/* The entries of the folder dir opened as fd, into names (n of them, at
 * most FOLDER_MAX); 0, or -1 with errno. */
static int
read_folder(int fd, char **names, int *n)
{
	DIR *d;
	struct dirent *e;
	int dup_fd = dup(fd);

	*n = 0;
	if (dup_fd < 0 || (d = fdopendir(dup_fd)) == NULL) {
		if (dup_fd >= 0)
			close(dup_fd);
		return -1;
	}
	while ((e = readdir(d)) != NULL && *n < FOLDER_MAX)
		if (e->d_name[0] != '.' &&
		    (names[*n] = strdup(e->d_name)) != NULL)
			(*n)++;
	closedir(d);
	return 0;
}

/* Remove what copies that never finished left, and the oldest copies
 * past job->keep (the one just made among the names). */
static void
tidy(int fd, const struct job *job, char **names, int n, struct result *r)
{
	int *gone, i, k;

	for (i = 0; i < n; i++)
		if (backup_name_is_partial(names[i]) &&
		    unlinkat(fd, names[i], 0) == 0)
			r->partials++;
	if ((gone = calloc((size_t)n + 1, sizeof(*gone))) == NULL)
		return;
	k = backup_prune((const char *const *)names, n, job->keep, gone);
	for (i = 0; i < k; i++) {
		if (unlinkat(fd, names[gone[i]], 0) == 0)
			r->removed++;
		else
			snprintf(r->prune_err, sizeof(r->prune_err), "cannot "
			    "remove the old copy %s/%s: %s", job->dir,
			    names[gone[i]], strerror(errno));
	}
	free(gone);
}

/* The copy, on the thread: the folder, the file, then the old ones. */
static void
make_copy(const struct job *job, const atomic_int *cancel, struct result *r)
{
	char *names[FOLDER_MAX + 1], path[CONFIG_PATH_MAX + BACKUP_NAME_MAX];
	struct store_copy copy;
	struct stat d, f;
	int fd, n = 0, i;

	if ((fd = open(job->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		r->outcome = FAILED;
		if (errno == ENOENT)
			snprintf(r->err, sizeof(r->err), "the folder %s does "
			    "not exist (a USB disk not plugged in or not "
			    "mounted?)", job->dir);
		else
			snprintf(r->err, sizeof(r->err), "the folder %s: %s",
			    job->dir, strerror(errno));
		return;
	}
	/* a USB disk not mounted leaves its mount point: the copies would
	 * go to the database's own disk, unseen */
	r->same_disk = fstat(fd, &d) == 0 && stat(job->database, &f) == 0 &&
	    d.st_dev == f.st_dev;
	if (read_folder(fd, names, &n) != 0) {
		r->outcome = FAILED;
		snprintf(r->err, sizeof(r->err), "reading the folder %s: %s",
		    job->dir, strerror(errno));
		goto out;
	}
	backup_name(job->now, r->name);
	if (backup_made_since((const char *const *)names, n, job->due)) {
		r->outcome = THERE;
		tidy(fd, job, names, n, r);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/%s", job->dir, r->name);
	if (store_copy_make(job->database, path, cancel, &copy, r->err,
	    sizeof(r->err)) != 0) {
		r->outcome = atomic_load(cancel) ? STOPPED : FAILED;
		goto out;
	}
	if (store_copy_place(&copy, r->err, sizeof(r->err)) != 0) {
		store_copy_discard(&copy);
		r->outcome = FAILED;
		goto out;
	}
	r->outcome = MADE;
	r->bytes = copy.info.bytes;
	r->seconds = copy.seconds;
	if ((names[n] = strdup(r->name)) != NULL)
		n++;
	tidy(fd, job, names, n, r);
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	close(fd);
}

static void *
copier(void *arg)
{
	struct backups *b = arg;
	struct result r;

	memset(&r, 0, sizeof(r));
	/* the copy's reads, writes and integrity check after the loop's */
	background_priority();
	make_copy(&b->job, &b->cancel, &r);
	/* one record, under PIPE_BUF: written whole or not at all */
	if (write(b->pipe[1], &r, sizeof(r)) != (ssize_t)sizeof(r))
		abort();	/* the loop would wait for it forever */
	return NULL;
}

/* The next due time after due, for the log. */
static void
next_due(struct backups *b, long long due, char *out, size_t cap)
{
	time_t t = (time_t)cron_next(&b->cron, due);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(out, cap, "%Y-%m-%d %H:%M", &tm);
}

/* Say what the thread did. */
static void
report(struct backups *b, const struct result *r)
{
	const char *dir = b->job.dir;
	char next[32];

	switch (r->outcome) {
	case MADE:
		log_info("backup %s/%s made: %.1f MB in %.1f s, integrity "
		    "checked; %d older cop%s removed (keep = %d)", dir, r->name,
		    r->bytes / 1e6, r->seconds, r->removed,
		    r->removed == 1 ? "y" : "ies", b->job.keep);
		break;
	case THERE:
		log_info("backup: %s holds a copy made since the last due "
		    "time: none made now", dir);
		break;
	case FAILED:
		next_due(b, b->job.due, next, sizeof(next));
		log_alarm("backup into %s failed: %s; the next try is "
		    "at %s", dir, r->err, next);
		break;
	case STOPPED:
		log_info("backup into %s stopped with the daemon; its partial "
		    "file was removed", dir);
		break;
	}
	if (r->partials > 0)
		log_info("backup: removed %d unfinished cop%s an earlier run "
		    "left in %s", r->partials, r->partials == 1 ? "y" : "ies",
		    dir);
	if (r->prune_err[0])
		log_warnx("backup: %s", r->prune_err);
	if (r->outcome == MADE && r->same_disk)
		log_warnx("backup: %s is on the database's own disk: a copy "
		    "there does not outlive it (a USB disk not mounted?)", dir);
}

/* The thread's record arrived: it has ended, or is about to. */
static void
on_done(evutil_socket_t fd, short what, void *arg)
{
	struct backups *b = arg;
	struct result r;

	(void)what;
	if (read(fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
		return;
	pthread_join(b->thread, NULL);
	b->running = 0;
	report(b, &r);
}

int
backup_start(struct gateway *gw)
{
	const struct config *c = gw->conf;
	struct backups *b;
	char expr[32], err[128];

	if (c->backup_dir[0] == '\0')
		return 0;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return -1;
	b->gw = gw;
	b->pipe[0] = b->pipe[1] = -1;
	snprintf(expr, sizeof(expr), "%d %d * * *", c->backup_minute % 60,
	    c->backup_minute / 60);
	if (cron_parse(expr, &b->cron, err, sizeof(err)) != 0 ||
	    pipe2(b->pipe, O_CLOEXEC) != 0 ||
	    fcntl(b->pipe[0], F_SETFL, O_NONBLOCK) != 0 ||
	    (b->done_ev = event_new(gw->base, b->pipe[0], EV_READ | EV_PERSIST,
	    on_done, b)) == NULL) {
		log_warn("backup: cannot set up the daily copy");
		gw->backups = b;
		backup_stop(gw);
		return -1;
	}
	event_add(b->done_ev, NULL);
	gw->backups = b;
	log_info("backups: daily at %s into %s, the newest %d kept",
	    c->backup_time, c->backup_dir, c->backup_keep);
	return 0;
}

void
backup_run(struct gateway *gw)
{
	struct backups *b = gw->backups;
	const struct config *c = gw->conf;
	sigset_t all, old;
	long long now, due;
	int rc;

	if (b == NULL || b->running || gw->stopping)
		return;
	now = gw_now(gw);
	if ((due = cron_latest(&b->cron, now, 86400)) <= b->last_due)
		return;
	b->last_due = due;
	snprintf(b->job.database, sizeof(b->job.database), "%s", c->database);
	snprintf(b->job.dir, sizeof(b->job.dir), "%s", c->backup_dir);
	b->job.keep = c->backup_keep;
	b->job.due = due;
	b->job.now = now;
	atomic_store(&b->cancel, 0);
	/* signals are the loop's (evsignal): the thread takes none */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&b->thread, NULL, copier, b);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		log_alarm("backup: cannot start its thread: %s",
		    strerror(rc));
		return;
	}
	b->running = 1;
}

void
backup_stop(struct gateway *gw)
{
	struct backups *b = gw->backups;
	struct result r;
	int i;

	if (b == NULL)
		return;
	if (b->running) {
		atomic_store(&b->cancel, 1);
		pthread_join(b->thread, NULL);
		if (read(b->pipe[0], &r, sizeof(r)) == (ssize_t)sizeof(r))
			report(b, &r);
	}
	if (b->done_ev != NULL)
		event_free(b->done_ev);
	for (i = 0; i < 2; i++)
		if (b->pipe[i] >= 0)
			close(b->pipe[i]);
	free(b);
	gw->backups = NULL;
}
