/* The kentongan subcommands; main.c holds the table that names them. */
#ifndef KENTONGAN_COMMANDS_H
#define KENTONGAN_COMMANDS_H

#include "gateway/cli/cli.h"

/* the Makefile's CONFIG_DEFAULT: /etc/kentongan/kentongan.ini when installed */
#ifndef DEFAULT_CONFIG
#define DEFAULT_CONFIG "config/kentongan.ini"
#endif

int cmd_run(int argc, char **argv);		/* loop/daemon.c */
int cmd_modem_worker(int argc, char **argv);	/* loop/daemon.c */

/* Each takes what main.c's prologue prepared; returns the exit status. */
int cmd_check_config(struct cmd_ctx *);		/* cmd_config.c */
int cmd_reminders(struct cmd_ctx *);		/* cmd_config.c */
int cmd_inject(struct cmd_ctx *);		/* cmd_inject.c */
int cmd_parse(struct cmd_ctx *);		/* cmd_parse.c */
int cmd_contacts(struct cmd_ctx *);		/* cmd_admin.c */
int cmd_export(struct cmd_ctx *);		/* cmd_admin.c */
int cmd_villages(struct cmd_ctx *);		/* cmd_office.c */
int cmd_perdes(struct cmd_ctx *);		/* cmd_office.c */
int cmd_report(struct cmd_ctx *);		/* cmd_review.c */
int cmd_records(struct cmd_ctx *);		/* cmd_review.c */
int cmd_meetings(struct cmd_ctx *);		/* cmd_office.c */
int cmd_broadcast(struct cmd_ctx *);		/* cmd_office.c */
int cmd_tickets(struct cmd_ctx *);		/* cmd_tickets.c */
int cmd_status(struct cmd_ctx *);		/* cmd_status.c */
int cmd_users(struct cmd_ctx *);		/* cmd_users.c */
int cmd_init(struct cmd_ctx *);		/* cmd_backup.c */
int cmd_backup(struct cmd_ctx *);		/* cmd_backup.c */
int cmd_restore(struct cmd_ctx *);		/* cmd_backup.c */
int cmd_central(struct cmd_ctx *);		/* cmd_central.c */
int cmd_apbdes(struct cmd_ctx *);		/* cmd_budget.c */
int cmd_kegiatan(struct cmd_ctx *);		/* cmd_budget.c */
int cmd_report_kegiatan(struct cmd_ctx *);	/* cmd_budget.c */

#endif
