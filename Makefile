# Kentongan: SMS and USSD gateway. `make` builds ./kentongan.
# Each subsystem lists its own sources in mk/<name>.mk; this file holds the
# flags, the pattern rules and the top-level targets.

CC       ?= cc
PKGS      = gammu libevent sqlite3 zlib libsodium libpq
# Asked of pkg-config when first used, not when make reads this file: on a
# fresh machine `make deps` installs pkg-config and the -dev packages
# earlier in this same run. Each is computed once.
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(shell pkg-config --cflags $(PKGS)))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $$(shell pkg-config --libs $(PKGS)))$(PKG_LIBS)
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
include mk/soak.mk
include mk/central.mk
include mk/kannel.mk
KENTONGAN_OBJS = $(addprefix $(B)/,$(GATEWAY_SRCS:.c=.o) $(STORE_SRCS:.c=.o) $(CONFIG_SRCS:.c=.o) $(PARSER_SRCS:.c=.o))

# the binary `make install` puts in BINDIR (below)
BINST     = $(B)/installed
include mk/install.mk
include mk/deb.mk

# Where a command looks for its config without -c. The clone's binary
# reads config/kentongan.ini (`make run`, the README's commands); the one
# `make install` puts in BINDIR (and the package's) is linked apart, with
# main.c and daemon.c built to read $(SYSCONFDIR)/kentongan/kentongan.ini,
# so installing never changes ./kentongan under a running test.
INSTALLED_CONFIG = $(SYSCONFDIR)/kentongan/kentongan.ini
CONFIG_STAMP = $(BINST)/config-default
$(shell mkdir -p $(BINST) && { [ "$$(cat $(CONFIG_STAMP) 2>/dev/null)" = '$(INSTALLED_CONFIG)' ] || \
	echo '$(INSTALLED_CONFIG)' > $(CONFIG_STAMP); })
INSTALLED_OWN = $(BINST)/gateway/cli/main.o $(BINST)/gateway/loop/daemon.o
$(INSTALLED_OWN): $(CONFIG_STAMP) VERSION
$(INSTALLED_OWN): CFLAGS += -DDEFAULT_CONFIG='"$(INSTALLED_CONFIG)"' \
	-DKENTONGAN_VERSION='"$(VERSION)"'
$(BINST)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@
$(BINST)/kentongan: $(INSTALLED_OWN) $(filter-out $(B)/gateway/cli/main.o $(B)/gateway/loop/daemon.o,$(KENTONGAN_OBJS))
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lpthread


# The release, from VERSION. Only main.c is built with it, and rebuilt when
# it changes; the Debian package's version comes from debian/changelog,
# which `make deb` checks against it.
VERSION := $(shell cat VERSION)
VERSION_OBJS = $(B)/gateway/cli/main.o $(BSAN)/gateway/cli/main.o \
	$(BTSAN)/gateway/cli/main.o
$(VERSION_OBJS): VERSION
$(VERSION_OBJS): CFLAGS += -DKENTONGAN_VERSION='"$(VERSION)"'

# Every object waits for `deps` (order-only: it never forces a rebuild),
# so no compiler runs before the headers are installed, even under -j.
$(B)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(BSAN)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS) -c $< -o $@

kentongan: $(KENTONGAN_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lpthread

# The Debian packages each kind of target needs (mk/deps.sh): `deps` for
# building and running, `test-deps` adds what only the tests use (the
# package's tools too: test_deb builds it).
deps:
	@sh mk/deps.sh build

test-deps:
	@sh mk/deps.sh build test deb

run: deps kentongan
	./kentongan run -c config/kentongan.ini

test: test-deps kentongan
	@sh tests/run-all.sh

# The README's two commands on a minimal Debian 12 root, and the package
# (make deb) installed with apt on a copy of it (tests/fresh/run.sh; .ci/run
# runs it after make test).
test-fresh:
	@sh mk/deps.sh build fresh deb
	@sh tests/fresh/run.sh

bench: bench-deps kentongan
	@sh tests/bench/run-all.sh

clean:
	rm -rf build kentongan tests/out

.PHONY: all deps test-deps run test test-fresh bench clean
-include $(shell find build -name '*.d' 2>/dev/null)
