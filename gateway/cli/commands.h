/* The kentongan subcommands; main.c holds the table that names them. */
#ifndef KENTONGAN_COMMANDS_H
#define KENTONGAN_COMMANDS_H

#define DEFAULT_CONFIG "config/kentongan.ini"

int cmd_run(int argc, char **argv);		/* daemon.c */
int cmd_modem_worker(int argc, char **argv);	/* daemon.c */
int cmd_check_config(int argc, char **argv);	/* daemon.c */
int cmd_inject(int argc, char **argv);		/* cmd_inject.c */
int cmd_parse(int argc, char **argv);		/* cmd_parse.c */
int cmd_contacts(int argc, char **argv);	/* cmd_admin.c */
int cmd_export(int argc, char **argv);		/* cmd_admin.c */
int cmd_villages(int argc, char **argv);	/* cmd_office.c */
int cmd_tickets(int argc, char **argv);		/* cmd_office.c */
int cmd_perdes(int argc, char **argv);		/* cmd_office.c */
int cmd_report(int argc, char **argv);		/* cmd_office.c */
int cmd_meetings(int argc, char **argv);	/* cmd_office.c */
int cmd_broadcast(int argc, char **argv);	/* cmd_office.c */
int cmd_reminders(int argc, char **argv);	/* daemon.c */
int cmd_status(int argc, char **argv);		/* cmd_status.c */

#endif
