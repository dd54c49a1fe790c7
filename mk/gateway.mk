# gateway/: one folder per process or layer (docs/architecture.md).
#   loop/    the daemon: one event loop, the modem channel, the stages
#   worker/  the modem worker process (libGammu) and the frame codec
#   ussd/    the USSD handler, its menu and sessions
#   rules/   pure policy: actions, sending policy, routing, cron, errors
#   cli/     the office commands and main()
#   util/    what every process uses: the log, the clock, the status
GATEWAY_LOOP_SRCS = gateway/loop/daemon.c gateway/loop/lock.c \
	gateway/loop/loop.c gateway/loop/modem.c gateway/loop/reap.c $(GATEWAY_STAGE_SRCS) \
	gateway/loop/http.c gateway/loop/http_admin.c gateway/loop/http_auth.c gateway/loop/http_form.c gateway/loop/kannel.c \
	gateway/loop/central_link.c \
	gateway/loop/kannel_listen.c gateway/loop/kannel_send.c
# The stages: they take the clock and wake-ups from loop.h and reach a
# modem through gw->modem_ops, so the unit tests link them against a stub
# loop (mk/tests.mk).
GATEWAY_STAGE_SRCS = gateway/loop/inbound.c gateway/loop/process.c \
	gateway/loop/process_budget.c \
	gateway/loop/outbound.c gateway/loop/scheduler.c
GATEWAY_WORKER_SRCS = gateway/worker/modem_worker.c \
	gateway/worker/worker_send.c gateway/worker/gammu_text.c \
	gateway/worker/frame.c gateway/worker/frame_msg.c
GATEWAY_USSD_SRCS = gateway/ussd/ussd.c gateway/ussd/ussd_menu.c \
	gateway/ussd/ussd_sessions.c
GATEWAY_RULES_SRCS = gateway/rules/actions.c gateway/rules/meetings.c \
	gateway/rules/tickets.c gateway/rules/policy.c \
	gateway/rules/route.c gateway/rules/intake.c gateway/rules/cron.c gateway/rules/cms_errors.c \
	gateway/rules/credit.c gateway/rules/contacts.c \
	gateway/rules/records_review.c gateway/rules/report.c \
	gateway/rules/office_village.c \
	gateway/rules/office_sms.c \
	gateway/rules/csv_import.c gateway/rules/contacts_csv.c \
	gateway/rules/office.c gateway/rules/users.c gateway/rules/budget.c \
	gateway/rules/budget_csv.c gateway/rules/budget_report.c
GATEWAY_CLI_SRCS = gateway/cli/main.c gateway/cli/cli.c \
	gateway/cli/cmd_admin.c gateway/cli/cmd_inject.c \
	gateway/cli/cmd_office.c gateway/cli/cmd_parse.c gateway/cli/cmd_status.c \
	gateway/cli/cmd_tickets.c gateway/cli/cmd_config.c \
	gateway/cli/cmd_review.c gateway/cli/cmd_users.c \
	gateway/cli/cmd_central.c gateway/cli/cmd_budget.c
GATEWAY_UTIL_SRCS = gateway/util/background.c gateway/util/log.c gateway/util/service.c gateway/util/clock.c gateway/util/status.c \
	gateway/util/auth_guard.c gateway/util/login_guard.c gateway/util/password.c \
	gateway/util/wake.c
# console/: the office's web console on the loop's evhttp
GATEWAY_CONSOLE_SRCS = gateway/console/console.c gateway/console/console_auth.c \
	gateway/console/console_page.c gateway/console/console_pages.c \
	gateway/console/page_today.c \
	gateway/console/console_pick.c gateway/console/page_tiket.c \
	gateway/console/page_tiket_one.c \
	gateway/console/page_laporan.c gateway/console/page_bulanan.c \
	gateway/console/page_chart.c \
	gateway/console/pesan_show.c gateway/console/page_pesan.c \
	gateway/console/page_percakapan.c gateway/console/page_siaran.c \
	gateway/console/page_modem.c \
	gateway/console/console_multipart.c \
	gateway/console/page_export.c gateway/console/page_kontak.c \
	gateway/console/page_kontak_impor.c gateway/console/page_perdes.c \
	gateway/console/page_rapat.c gateway/console/page_pengguna.c \
	build/gen/console_style.c

GATEWAY_SRCS = $(GATEWAY_LOOP_SRCS) $(GATEWAY_WORKER_SRCS) \
	$(GATEWAY_USSD_SRCS) $(GATEWAY_RULES_SRCS) $(GATEWAY_CLI_SRCS) \
	$(GATEWAY_UTIL_SRCS) $(GATEWAY_CONSOLE_SRCS)

# The style sheet, as a C string (mk/embed.awk).
build/gen/console_style.c: gateway/console/assets/style.css mk/embed.awk
	@mkdir -p $(dir $@)
	awk -v name=console_style_css -f mk/embed.awk $< > $@

# Backups: the daemon's daily copy on a thread, the copies' names and
# which go; init, backup and restore at the office; folders made on demand.
GATEWAY_SRCS += gateway/loop/backup.c gateway/rules/backup_plan.c \
	gateway/cli/cmd_backup.c gateway/util/files.c

# central/: the kabupaten's PostgreSQL, pushed to from a thread and read
# by the kabupaten's commands (docs/central.md)
GATEWAY_CENTRAL_SRCS = gateway/central/central_schema.c \
	gateway/central/central_push.c gateway/central/central_report.c
GATEWAY_SRCS += $(GATEWAY_CENTRAL_SRCS)
