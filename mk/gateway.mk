# gateway/: the daemon (libevent, libGammu) and the command line
GATEWAY_SRCS = gateway/main.c gateway/daemon.c gateway/log.c gateway/frame.c \
	gateway/modem.c gateway/modem_worker.c gateway/worker_send.c gateway/gammu_text.c \
	gateway/inbound.c \
	gateway/process.c gateway/outbound.c gateway/cmd_inject.c \
	gateway/cmd_admin.c gateway/cmd_office.c gateway/cli.c \
	gateway/cmd_parse.c gateway/actions.c gateway/ussd_menu.c gateway/ussd.c \
	gateway/ussd_sessions.c gateway/http.c gateway/cron.c gateway/policy.c \
	gateway/scheduler.c
# the AT modem path: send-error classes, routing, credit, `status`
GATEWAY_SRCS += gateway/cms_errors.c gateway/route.c gateway/credit.c \
	gateway/cmd_status.c
