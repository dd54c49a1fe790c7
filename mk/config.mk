# config/: the INI file (pure; libc only)
CONFIG_SRCS = config/ini.c config/config.c config/config_check.c \
	config/config_values.c
