/*
 * cmd_parse: `kentongan parse [--today YYYY-MM-DD]`. One SMS per line on
 * stdin, one JSON object per line on stdout, in order, nothing else.
 * Only libc and the parser: it runs without a modem, config or database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gateway/cli/commands.h"
#include "gateway/util/clock.h"
#include "parser/json.h"
#include "parser/parser.h"
#include "parser/reply.h"

/* Grow *buf to at least need bytes; returns 0 or -1. */
static int
reserve(char **buf, size_t *cap, size_t need)
{
	char *p;

	if (need <= *cap)
		return 0;
	if ((p = realloc(*buf, need)) == NULL)
		return -1;
	*buf = p;
	*cap = need;
	return 0;
}

/* Entry point of `kentongan parse`; returns the exit status. */
int
cmd_parse(struct cmd_ctx *ctx)
{
	struct parse_result r;
	struct pdate today;
	const char *arg = cmd_get(ctx, 't');
	char *line = NULL, *scratch = NULL, *json = NULL;
	char reply[REPLY_MAX];
	size_t linecap = 0, scratchcap = 0, jsoncap = 0, n, need;
	ssize_t got;
	int status = 0;

	long long day = (long long)time(NULL);
	char err[256];

	if (arg != NULL &&
	    clock_parse_office_date(arg, &day, err, sizeof(err)) != 0) {
		fprintf(stderr, "kentongan parse: --today: %s\n", err);
		return 2;
	}
	today = clock_pdate(day);

	while ((got = getline(&line, &linecap, stdin)) != -1) {
		n = (size_t)got;
		if (n > 0 && line[n - 1] == '\n')
			n--;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (reserve(&scratch, &scratchcap, 2 * n + 64) < 0 ||
		    reserve(&json, &jsoncap, JSON_LINE_MAX(n)) < 0) {
			fprintf(stderr, "kentongan parse: out of memory\n");
			status = 1;
			goto out;
		}
		memset(&r, 0, sizeof(r));
		r.scratch = scratch;
		r.scratch_cap = scratchcap;
		reply[0] = '\0';
		if (parse_message(line, n, &today, &r) < 0 &&
		    reply_for_parse_error(&r, reply, sizeof(reply)) < 0)
			reply[0] = '\0';
		need = json_format_result(&r, reply, json, jsoncap);
		if (need >= jsoncap) {
			/* cannot happen with JSON_LINE_MAX; never print half */
			fprintf(stderr, "kentongan parse: line too long\n");
			status = 1;
			goto out;
		}
		json[need] = '\n';
		if (fwrite(json, 1, need + 1, stdout) != need + 1) {
			status = 1;
			goto out;
		}
	}
	if (ferror(stdin)) {
		perror("kentongan parse: stdin");
		status = 1;
	}
out:
	if (fflush(stdout) != 0)
		status = 1;
	free(json);
	free(scratch);
	free(line);
	return status;
}
