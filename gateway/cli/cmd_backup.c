/*
 * The database's life at the office: init makes it, backup copies it
 * (also while the gateway runs), restore puts a copy in its place (while
 * the gateway is stopped). The copies are store_backup.c's: made under a
 * temporary name, synced, checked, then named.
 */
#include "gateway/cli/commands.h"
#include "config/config.h"
#include "gateway/loop/lock.h"
#include "gateway/rules/backup_plan.h"
#include "gateway/util/files.h"
#include "store/store.h"
#include "store/store_backup.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Ctrl-C, TERM or HUP while copying: the copy stops and its partial file
 * is removed, instead of being left half written. */
static atomic_int interrupted;

static void
on_stop(int sig)
{
	(void)sig;
	atomic_store(&interrupted, 1);
}

static void
catch_stops(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

/*
 * Run as root, a file made for the daemon goes to whoever owns its
 * folder (the kentongan user, in /var/lib/kentongan): a database or a
 * lock file owned by root would keep a daemon that runs as that user
 * from opening it.
 */
static void
give_to_folder_owner(const char *path)
{
	char dir[PATH_MAX];
	struct stat d, f;

	if (geteuid() != 0)
		return;
	snprintf(dir, sizeof(dir), "%s", path);
	if (stat(dirname(dir), &d) != 0 || stat(path, &f) != 0 ||
	    (f.st_uid == d.st_uid && f.st_gid == d.st_gid))
		return;
	if (chown(path, d.st_uid, d.st_gid) != 0)
		fprintf(stderr, "kentongan: warning: %s stays root's (%s): the "
		    "gateway may not open it as another user\n", path,
		    strerror(errno));
}

/* What a database holds, in one line's words. */
static void
describe(FILE *f, const struct store_file_info *info)
{
	char when[32];
	time_t t = (time_t)info->last_received;
	struct tm tm;

	fprintf(f, "schema version %d, %.1f MB, ", info->version,
	    info->bytes / 1e6);
	if (info->last_message == 0) {
		fprintf(f, "no messages");
		return;
	}
	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	fprintf(f, "newest message #%lld received %s", info->last_message,
	    when);
}

/* init: a new database where none is. */
int
cmd_init(struct cmd_ctx *ctx)
{
	static const char *const there[] = { "", "-wal", "-journal" };
	const char *db = ctx->conf->database;
	char err[CONFIG_PATH_MAX + 512], path[CONFIG_PATH_MAX + 16];
	char full[PATH_MAX];
	struct store *st;
	struct stat sb;
	size_t i;

	/* a journal alone is a database that was moved or lost: a new one
	 * would hide that */
	for (i = 0; i < sizeof(there) / sizeof(there[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", db, there[i]);
		if (lstat(path, &sb) == 0) {
			fprintf(stderr, "kentongan: %s exists already: init "
			    "makes a database only where there is none (to put "
			    "a backup in its place: kentongan restore FILE)\n",
			    path);
			return 1;
		}
	}
	if (make_parent(db) != 0) {
		fprintf(stderr, "kentongan: cannot make the folder of %s: %s\n",
		    db, strerror(errno));
		return 1;
	}
	if ((st = store_open(db, STORE_CREATE, err, sizeof(err))) == NULL) {
		fprintf(stderr, "kentongan: %s\n", err);
		return 1;
	}
	store_close(st);
	give_to_folder_owner(db);
	printf("new database %s (schema version %d)\n",
	    realpath(db, full) != NULL ? full : db, store_schema_version());
	return 0;
}

/* backup DEST: a checked copy, also while the gateway runs. */
int
cmd_backup(struct cmd_ctx *ctx)
{
	const char *db = ctx->conf->database, *dest = ctx->argv[0];
	char path[STORE_PATH_MAX], name[BACKUP_NAME_MAX];
	char err[STORE_PATH_MAX + 512];
	struct store_copy c;
	struct stat sb;

	if (stat(db, &sb) != 0) {
		fprintf(stderr, "kentongan: no database to copy: %s: %s\n", db,
		    strerror(errno));
		return 1;
	}
	/* a folder (a USB disk) gets the name the daily copies have */
	if (stat(dest, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		backup_name(time(NULL), name);
		snprintf(path, sizeof(path), "%s/%s", dest, name);
	} else
		snprintf(path, sizeof(path), "%s", dest);
	if (lstat(path, &sb) == 0) {
		fprintf(stderr, "kentongan: %s exists already: a backup never "
		    "replaces a file (give a new name)\n", path);
		return 1;
	}
	catch_stops();
	if (store_copy_make(db, path, &interrupted, &c, err,
	    sizeof(err)) != 0 || store_copy_place(&c, err, sizeof(err)) != 0) {
		store_copy_discard(&c);
		fprintf(stderr, "kentongan: backup failed: %s\n", err);
		return 1;
	}
	printf("backup of %s written to %s: ", db, path);
	describe(stdout, &c.info);
	printf("; integrity checked (%.1f s)\n", c.seconds);
	return 0;
}

/* Put the checked copy c in the database's place, the database there
 * moved aside first. Signals wait meanwhile: an interruption between the
 * two renames would leave no database at all. 0, or 1 after saying why. */
static int
swap_in(const char *db, struct store_copy *c)
{
	char err[STORE_PATH_MAX + 512], tag[64], moved[64];
	sigset_t stops, old;
	struct stat sb;
	time_t now = time(NULL);
	struct tm tm;
	int had, n, rc = 1;

	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGHUP);
	sigprocmask(SIG_BLOCK, &stops, &old);
	localtime_r(&now, &tm);
	strftime(tag, sizeof(tag), "before-restore-%Y%m%d-%H%M%S", &tm);
	/* the restored file keeps the mode of the one it replaces */
	if ((had = stat(db, &sb) == 0))
		(void)chmod(c->tmp, sb.st_mode & 07777);
	if ((n = store_move_aside(db, tag, moved, sizeof(moved), err,
	    sizeof(err))) < 0) {
		fprintf(stderr, "kentongan: restore failed, nothing changed: "
		    "%s\n", err);
		goto out;
	}
	if (store_copy_place(c, err, sizeof(err)) != 0) {
		fprintf(stderr, "kentongan: restore failed: %s\n", err);
		if (n > 0 && store_move_back(db, tag, err, sizeof(err)) != 0)
			fprintf(stderr, "kentongan: and the database stays at "
			    "%s.%s: %s\n", db, tag, err);
		goto out;
	}
	give_to_folder_owner(db);
	if (n > 0)
		printf("moved the database aside: %s -> %s.%s%s%s%s\n", db, db,
		    tag, moved[0] ? " (with its " : "", moved,
		    moved[0] ? ")" : "");
	else if (!had)
		printf("no database was at %s\n", db);
	rc = 0;
out:
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/* restore SRC: the gateway stopped, a checked backup takes the
 * database's place; the database there is kept aside. */
int
cmd_restore(struct cmd_ctx *ctx)
{
	const char *db = ctx->conf->database, *src = ctx->argv[0];
	char err[STORE_PATH_MAX + 512], lock_path[CONFIG_PATH_MAX + 8];
	struct store_file_info info;
	struct store_copy c;
	struct stat ss, ds;
	int lock, rc = 1;

	/* the file first, before anything is touched */
	if (store_file_check(src, &info, err, sizeof(err)) != 0) {
		fprintf(stderr, "kentongan: not restored: %s\n", err);
		return 1;
	}
	if (stat(src, &ss) == 0 && stat(db, &ds) == 0 &&
	    ss.st_dev == ds.st_dev && ss.st_ino == ds.st_ino) {
		fprintf(stderr, "kentongan: not restored: %s is the database "
		    "itself\n", src);
		return 1;
	}
	printf("checked %s: integrity ok, ", src);
	describe(stdout, &info);
	printf("\n");
	/* the daemon's own lock: none runs now, and none starts until the
	 * new file is in place */
	if (make_parent(db) != 0) {
		fprintf(stderr, "kentongan: cannot make the folder of %s: %s\n",
		    db, strerror(errno));
		return 1;
	}
	if ((lock = daemon_lock(db, err, sizeof(err))) < 0) {
		fprintf(stderr, "kentongan: restore refused: %s; stop the "
		    "gateway first (systemctl stop kentongan)\n", err);
		return 1;
	}
	snprintf(lock_path, sizeof(lock_path), "%s.lock", db);
	give_to_folder_owner(lock_path);
	catch_stops();
	if (store_copy_make(src, db, &interrupted, &c, err, sizeof(err)) != 0) {
		fprintf(stderr, "kentongan: restore failed, nothing changed: "
		    "%s\n", err);
		goto out;
	}
	if ((rc = swap_in(db, &c)) != 0)
		goto out;
	printf("restored %s as %s", src, db);
	if (info.version < store_schema_version())
		printf(" (the gateway upgrades its schema from version %d to "
		    "%d when it starts)", info.version, store_schema_version());
	printf("; start the gateway again\n");
out:
	store_copy_discard(&c);
	close(lock);
	return rc;
}
