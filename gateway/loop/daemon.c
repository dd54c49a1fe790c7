/* daemon: `kentongan run`, the one event loop that owns the process. */
#include "gateway/cli/commands.h"
#include "gateway/console/console.h"
#include "gateway/loop/backup.h"
#include "gateway/loop/central_link.h"
#include "gateway/loop/gateway.h"
#include "gateway/loop/kannel.h"
#include "gateway/loop/lock.h"
#include "gateway/util/clock.h"
#include "gateway/util/files.h"
#include "gateway/util/log.h"
#include "gateway/util/service.h"
#include "gateway/util/wake.h"
#include "gateway/worker/modem_worker.h"
#include "gateway/loop/scheduler.h"

#include <event2/event.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define HOUSEKEEPING_SECONDS 5
#define STOP_GRACE 10
/*
 * How long a write on the loop waits for another process's lock (the
 * office's CLI): a moment, then the stage retries on a timer (loop.c).
 * SQLite's default here was 5 s, and a 238k-row `contacts import` made
 * USSD answers wait 4.2 s behind it.
 */
#define LOOP_BUSY_MS 2

/* Signals the daemon takes and ignores; the modem worker resets them. */
static const int ignored[] = { SIGHUP, SIGUSR1, SIGUSR2 };
#define NIGNORED ((int)(sizeof(ignored) / sizeof(ignored[0])))

/* Gammu's dummy driver keeps its folders under the device path. */
static void
prepare_dummy(const struct modem_config *mc)
{
	char path[CONFIG_PATH_MAX + 16];
	int i;

	if (strcasecmp(mc->model, "dummy") != 0)
		return;
	for (i = 1; i <= 5; i++) {
		snprintf(path, sizeof(path), "%s/sms/%d", mc->device, i);
		if (make_dirs(path) != 0)
			log_warn("%s", path);
	}
}

/* Load the config, printing every error; returns 0 when usable. */
static int
load_config(struct config *c, const char *path)
{
	int i;

	if (config_load(c, path) == 0 && scheduler_check(c) == 0)
		return 0;
	for (i = 0; i < c->nerrors; i++)
		fprintf(stderr, "%s\n", c->errors[i]);
	return -1;
}

/* Parse the common -c FILE / -v / --now options. */
static int
common_opts(int argc, char **argv, const char **config, int *verbose,
    const char **now)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "now", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:v", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			*config = optarg;
			break;
		case 'v':
			if (verbose)
				(*verbose)++;
			break;
		case 'n':
			if (now == NULL)
				return -1;
			*now = optarg;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

int
cmd_modem_worker(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "index", required_argument, NULL, 'i' },
		{ "fd", required_argument, NULL, 'f' },
		{ "interval", required_argument, NULL, 'n' },
		{ "reports", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct modem_worker_args a = { .config_path = DEFAULT_CONFIG, .fd = -1,
	    .receive_interval = 2 };
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': a.config_path = optarg; break;
		case 'i': a.gammu_index = atoi(optarg); break;
		case 'f': a.fd = atoi(optarg); break;
		case 'n': a.receive_interval = atoi(optarg); break;
		case 'r': a.delivery_reports = atoi(optarg); break;
		default: return 2;
		}
	}
	if (a.fd < 0 || a.receive_interval < 1) {
		fprintf(stderr, "modem-worker is started by `kentongan run`\n");
		return 2;
	}
	return modem_worker_main(&a);
}

/* Each HTTP client holds a descriptor while it is served: take all the
 * hard limit allows (the soft one is often 1024). */
static void
raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= rl.rlim_max)
		return;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		log_warn("raising the descriptor limit");
}

/* Stop the modems that are not sending; exit once none is left. Never
 * called from inside a modem's callbacks (WORK_STOP runs it on a later
 * turn): stopping frees the modem's events. */
static void
stop_idle(struct gateway *gw)
{
	int i, busy = 0;

	for (i = 0; i < gw->nmodems; i++) {
		if (gw->modems[i].sending && !modem_send_held(&gw->modems[i]))
			busy++;
		else
			modem_stop(&gw->modems[i]);
	}
	if (!busy)
		event_base_loopexit(gw->base, NULL);
}

/* Stop taking work; leave once the sends in flight end. A send may take
 * seconds on a real modem: let it end (so it is not sent twice), but never
 * wait longer than STOP_GRACE. */
static void
begin_stop(struct gateway *gw)
{
	struct timeval grace = { STOP_GRACE, 0 };

	gw->stopping = 1;
	service_notify("STOPPING=1");
	event_base_loopexit(gw->base, &grace);
	stop_idle(gw);
}

static void
on_stop(evutil_socket_t sig, short what, void *arg)
{
	struct gateway *gw = arg;
	int i;

	(void)what;
	if (gw->stopping) {
		log_info("signal %d again: stopping now", (int)sig);
		for (i = 0; i < gw->nmodems; i++)
			modem_stop(&gw->modems[i]);
		event_base_loopexit(gw->base, NULL);
		return;
	}
	log_info("signal %d: stopping", (int)sig);
	begin_stop(gw);
}

/* The first turn of the loop: listeners and modem workers are started,
 * so systemd may start what comes after the gateway. */
static void
on_ready(evutil_socket_t fd, short what, void *arg)
{
	struct gateway *gw = arg;
	char state[128];

	(void)fd;
	(void)what;
	snprintf(state, sizeof(state), "READY=1\nSTATUS=running, %d modem%s",
	    gw->nmodems, gw->nmodems == 1 ? "" : "s");
	service_notify(state);
}

/* From the loop itself: a loop stuck in one callback stops these, and
 * systemd restarts the gateway after WatchdogSec. */
static void
on_watchdog(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	service_notify("WATCHDOG=1");
}

/* HUP, USR1, USR2: nothing to do (no log file to reopen), but say so. */
static void
on_ignored(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	(void)arg;
	log_info("signal %d (%s): ignored", (int)sig, strsignal((int)sig));
}

/* WORK_STOP: a send ended while stopping. */
static void
on_stop_idle(evutil_socket_t fd, short what, void *arg)
{
	struct gateway *gw = arg;

	(void)fd;
	(void)what;
	if (gw->stopping)
		stop_idle(gw);
}

static void
on_scheduler(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	scheduler_run(arg);
	backup_run(arg);
}

/* What a modem reports, to the stage that handles it. */
static void
modem_batch(struct modem *m)
{
	inbound_flush(m);
}

static void
modem_up(struct modem *m)
{
	outbound_schedule(m->gw, 0);
}

static void
modem_result(struct modem *m, long long id, int ok, int parts,
    const char *error, int code, int cls)
{
	outbound_result(m, id, ok, parts, error, code, cls);
	/* the modem is idle now: stopping waits for that */
	if (m->gw->stopping)
		gateway_wake(m->gw, WORK_STOP, 0);
}

static const struct modem_events modem_events = {
	.sms_batch = modem_batch,
	.up = modem_up,
	.part = outbound_part,
	.result = modem_result,
};

static void
on_process(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	process_run(arg);
}

/* A wake-up of processing for later (a flood of MO pausing): at its
 * time it is activated like any other, at its low priority. */
static void
on_process_later(evutil_socket_t fd, short what, void *arg)
{
	struct gateway *gw = arg;

	(void)fd;
	(void)what;
	event_active(gw->process_ev, 0, 0);
}

static void
on_outbound(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	outbound_run(arg);
}

/* The store's sync thread made more commits durable. */
static void
on_durable(evutil_socket_t fd, short what, void *arg)
{
	struct gateway *gw = arg;
	char buf[64];
	int err, broken;

	(void)what;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	store_durable(gw->store, &err, &broken);
	if (broken && !gw->stopping) {
		/* Nothing committed from here on can be trusted to be on
		 * disk: stop, leaving the SMS on the SIM and the replies
		 * queued, for an operator to look at the disk. */
		log_alarm("writing the database to disk failed: %s; "
		    "stopping (nothing more is deleted from the modems or "
		    "sent)", strerror(broken));
		gw->sync_error = broken;
		gw->exit_code = 1;
		begin_stop(gw);
		return;
	}
	if (err && err != gw->sync_error)
		log_alarm("cannot sync the database to disk: %s; "
		    "nothing leaves the modems until it can", strerror(err));
	else if (!err && gw->sync_error)
		log_info("the database syncs to disk again");
	gw->sync_error = err;
	modem_release_durable(gw);
	http_release_durable(gw);
	kannel_release_durable(gw);
	console_release_durable(gw);
}

/* The store was busy: run again what found it so, in the order a person
 * or a SIM waits on it, until one finds it busy again (the rest then
 * would too: they wait for the next try). */
static void
on_retry(evutil_socket_t fd, short what, void *arg)
{
	static const struct {
		unsigned work;
		void (*run)(struct gateway *);
	} order[] = {
		{ WORK_USSD, http_retry_busy },
		{ WORK_INBOUND, inbound_retry },
		{ WORK_OUTBOUND, outbound_run },
		{ WORK_PROCESS, process_run },
		{ WORK_SCHEDULER, scheduler_run },
	};
	struct gateway *gw = arg;
	unsigned work = gw->retry_work;
	size_t i;

	(void)fd;
	(void)what;
	gw->retry_work = 0;
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!(work & order[i].work))
			continue;
		if (gw->retry_work != 0) {
			gw->retry_work |= order[i].work;
			continue;
		}
		order[i].run(gw);
	}
	if (gw->retry_work == 0) {
		if (gw->busy_logged)
			log_info("the database is free again after %.1f s",
			    clock_mono() - gw->busy_since);
		gw->busy_since = 0;
		gw->busy_logged = 0;
	}
}

/* Four times a second: rows another process wrote (`kentongan
 * broadcast`, a ticket's update) go now rather than at the next
 * housekeeping. It reads only SQLite's shared memory. */
static void
on_elsewhere(evutil_socket_t fd, short what, void *arg)
{
	struct gateway *gw = arg;

	(void)fd;
	(void)what;
	if (store_changed_elsewhere(gw->store)) {
		process_schedule(gw);
		outbound_schedule(gw, 0);
	}
}

/* A command says it wrote (gateway/util/wake.h): look now. */
static void
on_wake(evutil_socket_t fd, short what, void *arg)
{
	wake_drain(fd);
	log_debug("a command wrote: looking now");
	on_elsewhere(fd, what, arg);
}

/* Periodic: long SMS whose parts never came, retries, anything missed. */
static void
on_housekeeping(evutil_socket_t fd, short what, void *arg)
{
	struct gateway *gw = arg;
	long long now = gw_now(gw);
	int n;

	(void)fd;
	(void)what;
	if (store_begin(gw->store) == 0) {
		n = store_parts_expire(gw->store,
		    now - gw->conf->multipart_timeout, now);
		if (n < 0 || store_commit(gw->store) != 0) {
			store_rollback(gw->store);
			if (!store_last_was_busy(gw->store))
				log_warnx("expiring parts: %s",
				    store_errmsg(gw->store));
		} else if (n > 0)
			log_info("%d long SMS processed with parts missing", n);
	}
	process_run(gw);
	outbound_run(gw);
}

int
cmd_run(int argc, char **argv)
{
	const char *path = DEFAULT_CONFIG, *fake_now = NULL, *test_full;
	struct gateway gw;
	struct config *conf;
	struct event *sigs[2], *quiet[NIGNORED];
	sigset_t stops;
	struct timeval hk = { HOUSEKEEPING_SECONDS, 0 };
	struct timeval tick = { SCHEDULER_TICK, 0 };
	char err[CONFIG_PATH_MAX + 512];
	ssize_t n;
	long long watchdog;
	int verbose = 0, i, rc = 1, created, flags, sync_fd = -1, lock_fd = -1;

	if (common_opts(argc, argv, &path, &verbose, &fake_now) != 0)
		return 2;
	log_init(verbose, "kentongan");
	service_init();
	/* A stop asked for while starting waits for the loop's handlers, and
	 * then stops cleanly, instead of killing the process half-started. */
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigprocmask(SIG_BLOCK, &stops, NULL);
	/* The log is stderr (the journal under systemd): nothing to reopen,
	 * so HUP and the USR1 some logrotate set-ups send are ignored (and
	 * logged once the loop runs); SIG_IGN until then. */
	for (i = 0; i < NIGNORED; i++)
		signal(ignored[i], SIG_IGN);
	raise_fd_limit();
	if ((conf = calloc(1, sizeof(*conf))) == NULL)
		return 1;
	if (load_config(conf, path) != 0) {
		free(conf);
		return 1;
	}
	/* People see the configured zone; the store keeps UTC seconds. */
	setenv("TZ", conf->timezone, 1);
	tzset();
	signal(SIGPIPE, SIG_IGN);

	memset(&gw, 0, sizeof(gw));
	gw.wake_fd = -1;
	if (fake_now != NULL) {
		/* Tests start the clock where they need it; it then runs.
		 * ":SS" after the minutes lets a test start seconds before
		 * what it waits for, not a minute. */
		long long t;
		char err[256], minutes[17];
		int secs = -1;	/* none given */

		snprintf(minutes, sizeof(minutes), "%s", fake_now);
		if (strlen(fake_now) == 19 && fake_now[16] == ':' &&
		    isdigit((unsigned char)fake_now[17]) &&
		    isdigit((unsigned char)fake_now[18]))
			secs = atoi(fake_now + 17);
		if (secs > 59)
			snprintf(err, sizeof(err), "%s: seconds past 59",
			    fake_now);
		if (secs > 59 || clock_parse_office_time(secs < 0 ? fake_now :
		    minutes, &t, err, sizeof(err)) != 0) {
			fprintf(stderr, "kentongan: --now: %s\n", err);
			free(conf);
			return 2;
		}
		gw.clock_offset = t + (secs > 0 ? secs : 0) -
		    (long long)time(NULL);
		log_info("clock set to %s (test mode)", fake_now);
	}
	gw.conf = conf;
	n = readlink("/proc/self/exe", gw.self_exe, sizeof(gw.self_exe) - 1);
	if (n <= 0) {
		log_warn("readlink /proc/self/exe");
		goto out;
	}
	gw.self_exe[n] = '\0';
	if (conf->create_database && make_parent(conf->database) != 0) {
		log_warn("cannot make the folder of %s", conf->database);
		goto out;
	}
	/* A missing or damaged database is an error, never silently a new
	 * one: only create_database = yes makes one, and only where no file
	 * and no journal exist. Asked first, so that no lock file is left
	 * where no database may be. */
	flags = STORE_CHECK | (conf->create_database ? STORE_CREATE : 0);
	created = access(conf->database, F_OK) != 0;
	if (store_may_create(conf->database, flags, err, sizeof(err)) >= 0) {
		/* One daemon per database, before the outbox, a modem or a
		 * port is touched: two would share the SIM's inbox and each
		 * re-queue the other's sends. */
		if ((lock_fd = daemon_lock(conf->database, err,
		    sizeof(err))) < 0) {
			log_warnx("%s; not starting", err);
			goto out;
		}
		if (err[0])
			log_warnx("%s", err);
		gw.store = store_open(conf->database, flags, err, sizeof(err));
	}
	if (gw.store == NULL) {
		log_warnx("cannot open the database: %s%s", err,
		    !conf->create_database && strstr(err, "not found") ?
		    " (create_database = yes in [kentongan] makes a new one)" :
		    "");
		goto out;
	}
	/* SQLite opens a file it may not write read-only, without a word:
	 * every SMS would then stay on the modem with an alarm. */
	if (store_readonly(gw.store)) {
		log_warnx("cannot write the database %s (read-only file or file "
		    "system; running as uid %d); not starting", conf->database,
		    (int)getuid());
		goto out;
	}
	/* The loop never waits for the disk: a thread syncs the WAL and
	 * another copies it into the database (store/store_sync.c,
	 * store/store_checkpoint.c); deletes and sends wait instead. */
	if (store_checkpoint_in_background(gw.store) != 0)
		log_warnx("checkpoints stay in the loop's commits: %s",
		    store_errmsg(gw.store));
	if ((sync_fd = store_sync_in_background(gw.store)) < 0)
		log_warnx("commits wait for the disk in the loop: %s",
		    store_errmsg(gw.store));
	store_set_busy_timeout(gw.store, LOOP_BUSY_MS);
	if (created)
		log_info("new database %s created", conf->database);
	if ((test_full = getenv("KENTONGAN_TEST_DISK_FULL")) != NULL &&
	    *test_full) {
		/* Test only: commits fail while this file exists. */
		log_warnx("test hook: commits fail while %s exists", test_full);
		store_test_disk_full(gw.store, test_full);
	}
	if ((test_full = getenv("KENTONGAN_TEST_SYNC_FAIL")) != NULL &&
	    *test_full) {
		/* Test only: the disk "loses" writes while this file exists. */
		log_warnx("test hook: syncs fail while %s exists", test_full);
		if (store_test_sync_fails(gw.store, test_full) != 0)
			goto out;
	}
	if ((gw.base = event_base_new()) == NULL ||
	    event_base_priority_init(gw.base, 3) != 0)
		goto out;
	sigs[0] = evsignal_new(gw.base, SIGINT, on_stop, &gw);
	sigs[1] = evsignal_new(gw.base, SIGTERM, on_stop, &gw);
	for (i = 0; i < 2; i++)
		evsignal_add(sigs[i], NULL);
	for (i = 0; i < NIGNORED; i++) {
		quiet[i] = evsignal_new(gw.base, ignored[i], on_ignored, &gw);
		if (quiet[i] != NULL)
			evsignal_add(quiet[i], NULL);
	}
	/* before any worker is exec'ed: it would inherit the mask */
	sigprocmask(SIG_UNBLOCK, &stops, NULL);
	gw.process_ev = event_new(gw.base, -1, 0, on_process, &gw);
	/* Every event has the middle priority (1) but processing: what a
	 * modem read is stored (and deleted from it) first. */
	event_priority_set(gw.process_ev, 2);
	gw.process_later_ev = evtimer_new(gw.base, on_process_later, &gw);
	gw.outbound_ev = evtimer_new(gw.base, on_outbound, &gw);
	gw.stop_ev = evtimer_new(gw.base, on_stop_idle, &gw);
	gw.retry_ev = evtimer_new(gw.base, on_retry, &gw);
	gw.housekeeping_ev = event_new(gw.base, -1, EV_PERSIST,
	    on_housekeeping, &gw);
	event_add(gw.housekeeping_ev, &hk);
	(void)store_changed_elsewhere(gw.store);
	if ((gw.elsewhere_ev = event_new(gw.base, -1, EV_PERSIST, on_elsewhere,
	    &gw)) != NULL)
		event_add(gw.elsewhere_ev, &(struct timeval){ 0, 250000 });
	if ((gw.wake_fd = wake_listen(conf->database)) < 0)
		log_warnx("%s.wake: %s; commands' writes are seen within "
		    "0.25 s", conf->database, strerror(errno));
	else if ((gw.wake_ev = event_new(gw.base, gw.wake_fd,
	    EV_READ | EV_PERSIST, on_wake, &gw)) != NULL)
		event_add(gw.wake_ev, NULL);
	if (sync_fd >= 0) {
		gw.durable_ev = event_new(gw.base, sync_fd,
		    EV_READ | EV_PERSIST, on_durable, &gw);
		/* first: what waits on it is a SIM slot or a reply */
		event_priority_set(gw.durable_ev, 0);
		event_add(gw.durable_ev, NULL);
	}

	gw.modem_ops = &modem_channel;
	gw.kannel_ops = &kannel_channel;
	gw.modem_events = &modem_events;
	outbound_recover(&gw);
	gw.nmodems = conf->nmodems;
	for (i = 0; i < gw.nmodems; i++) {
		struct modem *m = &gw.modems[i];

		m->gw = &gw;
		m->conf = &conf->modems[i];
		m->name = conf->modems[i].section;
		m->state = MODEM_DOWN;
		prepare_dummy(m->conf);
		if (modem_start(m) != 0)
			log_warnx("%s: cannot start the modem worker", m->name);
	}
	if (http_start(&gw) != 0 || console_start(&gw) != 0 ||
	    kannel_start(&gw) != 0 ||
	    (gw.scheduler_ev = event_new(gw.base, -1, EV_PERSIST, on_scheduler,
	    &gw)) == NULL)
		goto out_events;
	event_add(gw.scheduler_ev, &tick);
	if ((gw.ready_ev = event_new(gw.base, -1, 0, on_ready, &gw)) != NULL)
		event_active(gw.ready_ev, 0, 0);
	if ((watchdog = service_watchdog_interval()) > 0 &&
	    (gw.watchdog_ev = event_new(gw.base, -1, EV_PERSIST, on_watchdog,
	    &gw)) != NULL) {
		struct timeval wd = { watchdog / 1000000, watchdog % 1000000 };

		/* first of all the loop's work, as a ready loop would */
		event_priority_set(gw.watchdog_ev, 0);
		event_add(gw.watchdog_ev, &wd);
		service_notify("WATCHDOG=1");
	}
	scheduler_run(&gw);
	if (backup_start(&gw) == 0)
		backup_run(&gw);
	/* not being able to push stops nothing here: the records wait */
	(void)central_link_start(&gw);
	log_info("kentongan running: database %s, %d modem%s, timezone %s",
	    conf->database, gw.nmodems, gw.nmodems == 1 ? "" : "s",
	    conf->timezone);
	process_schedule(&gw);
	event_base_dispatch(gw.base);
	rc = gw.exit_code;

out_events:
	/* Also when a listener could not start: the workers are running. */
	gw.stopping = 1;
	/* The loop is over: what is left to write (a send's result, the USSD
	 * sessions) may wait for a CLI's transaction now. */
	store_set_busy_timeout(gw.store, STOP_GRACE * 1000 / 2);
	outbound_record_pending(&gw);
	for (i = 0; i < gw.nmodems; i++)
		modem_stop(&gw.modems[i]);
	for (i = 0; i < gw.nmodems; i++)
		modem_reap_all(&gw.modems[i], STOP_GRACE / 2.0);
	service_notify("STOPPING=1");
	if (gw.scheduler_ev != NULL)
		event_free(gw.scheduler_ev);
	backup_stop(&gw);
	central_link_stop(&gw);
	if (gw.ready_ev != NULL)
		event_free(gw.ready_ev);
	if (gw.watchdog_ev != NULL)
		event_free(gw.watchdog_ev);
	console_stop(&gw);
	kannel_stop(&gw);
	http_stop(&gw);
	for (i = 0; i < 2; i++)
		event_free(sigs[i]);
	for (i = 0; i < NIGNORED; i++)
		if (quiet[i] != NULL)
			event_free(quiet[i]);
	event_free(gw.process_ev);
	event_free(gw.process_later_ev);
	event_free(gw.outbound_ev);
	event_free(gw.stop_ev);
	event_free(gw.housekeeping_ev);
	if (gw.elsewhere_ev != NULL)
		event_free(gw.elsewhere_ev);
	if (gw.wake_ev != NULL)
		event_free(gw.wake_ev);
	wake_close(conf->database, gw.wake_fd);
	if (gw.retry_ev != NULL)
		event_free(gw.retry_ev);
	if (gw.durable_ev != NULL)
		event_free(gw.durable_ev);
	log_info("stopped");
out:
	if (gw.base != NULL)
		event_base_free(gw.base);
	store_close(gw.store);
	/* The file stays: a daemon that opened it just before an unlink
	 * would lock the removed file while the next one locks a new one. */
	if (lock_fd >= 0)
		close(lock_fd);
	free(conf);
	return rc;
}
