/* kentongan: SMS and USSD gateway for village facilitators. */
#include "gateway/cli/commands.h"

#include <stdio.h>
#include <string.h>

/* Every subcommand, with the line `kentongan help` shows for it. */
static const struct command {
	const char *name;
	int (*fn)(int, char **);
	const char *usage;
} commands[] = {
	{ "run", cmd_run, "run [-c FILE] [-v] [--now YYYY-MM-DDTHH:MM]: "
	    "start the gateway" },
	{ "check-config", cmd_check_config,
	    "check-config [-c FILE]: check the configuration" },
	{ "inject", cmd_inject,
	    "inject [-c FILE] NUMBER TEXT: put an SMS in the dummy modem" },
	{ "parse", cmd_parse,
	    "parse [--today YYYY-MM-DD]: parse SMS lines from stdin to JSON" },
	{ "contacts", cmd_contacts,
	    "contacts import FILE.csv | list | set NUMBER --role R --desa D" },
	{ "export", cmd_export,
	    "export records|tickets|messages [--from D] [--to D] "
	    "[--format csv|json|table]" },
	{ "villages", cmd_villages,
	    "villages import FILE.csv | find NAME" },
	{ "tickets", cmd_tickets,
	    "tickets list [--status S] [--desa D] | show ADU-42 | "
	    "update ADU-42 --status S [--note TEXT]" },
	{ "perdes", cmd_perdes,
	    "perdes open CODE --desa D --title T --until DATE | close CODE | "
	    "list | export CODE" },
	{ "report", cmd_report,
	    "report monthly --month YYYY-MM [--kecamatan K] "
	    "[--format table|csv|json]" },
	{ "status", cmd_status,
	    "status [-c FILE] [--format table|json]: modems and queues" },
	{ "meetings", cmd_meetings,
	    "meetings add --desa D --date YYYY-MM-DD --time HH:MM --type T "
	    "[--place P] | list --desa D" },
	{ "broadcast", cmd_broadcast,
	    "broadcast GROUP TEXT: one SMS to each member of a group" },
	{ "reminders", cmd_reminders,
	    "reminders [--now YYYY-MM-DDTHH:MM]: configured reminders" },
	{ "modem-worker", cmd_modem_worker, NULL },	/* internal */
};

static int
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: kentongan COMMAND [ARGS]\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].usage != NULL)
			fprintf(f, "  kentongan %s\n", commands[i].usage);
	return f == stderr ? 2 : 0;
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h"))
		return usage(stdout);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "kentongan: unknown command '%s'\n", argv[1]);
	return usage(stderr);
}
