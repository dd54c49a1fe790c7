# Kentongan: SMS and USSD gateway. `make` builds ./kentongan.
# Each subsystem lists its own sources in mk/<name>.mk; this file holds the
# flags, the pattern rules and the top-level targets.

CC       ?= cc
PKGS      = gammu libevent sqlite3
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -Wall -Wextra -D_DEFAULT_SOURCE -D_GNU_SOURCE -MMD -MP -I.
SANFLAGS  = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

B         = build
BSAN      = build/san

all: kentongan

include mk/parser.mk
include mk/store.mk
include mk/config.mk
include mk/gateway.mk
include mk/tests.mk
include mk/san.mk
include mk/compare.mk
include mk/crash.mk

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(BSAN)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS) -c $< -o $@

kentongan: $(addprefix $(B)/,$(GATEWAY_SRCS:.c=.o) $(STORE_SRCS:.c=.o) $(CONFIG_SRCS:.c=.o) $(PARSER_SRCS:.c=.o))
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -lpthread

deps:
	@sh mk/deps.sh

run: deps kentongan
	./kentongan run -c config/kentongan.ini

test: deps kentongan
	@sh tests/run-all.sh

bench: bench-deps kentongan
	@sh tests/bench/run-all.sh

clean:
	rm -rf build kentongan tests/out

.PHONY: all deps run test bench clean
-include $(shell find build -name '*.d' 2>/dev/null)
