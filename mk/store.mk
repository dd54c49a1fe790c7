# store/: SQLite and nothing else
STORE_SRCS = store/store.c store/store_schema.c store/store_sql.c store/store_inbound.c \
	store/store_outbox.c store/store_records.c store/store_export.c \
	store/store_villages.c store/store_ussd.c store/store_notify.c store/csv.c \
	store/store_checkpoint.c store/store_sync.c store/store_import.c \
	store/store_console.c
# the console's reports
STORE_SRCS += store/store_console_laporan.c store/store_central.c
STORE_SRCS += store/store_console_pesan.c
STORE_SRCS += store/store_console_kontak.c
# modem state, credit
STORE_SRCS += store/store_modems.c
# the web console's users and sessions
STORE_SRCS += store/store_users.c
# the web console's tickets pages
STORE_SRCS += store/store_console_tiket.c
# whole copies of the database: backup and restore
STORE_SRCS += store/store_backup.c
# the village budget, its activities and PANTAU
STORE_SRCS += store/store_budget.c
