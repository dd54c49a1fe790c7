# The whole binary under AddressSanitizer and UndefinedBehaviorSanitizer,
# for the end-to-end tests (tests/run-all.sh). The modem worker is exec'ed
# from /proc/self/exe, so it runs sanitized too. libGammu, libevent and
# SQLite are not instrumented.
SAN_OBJS = $(addprefix $(BSAN)/,$(GATEWAY_SRCS:.c=.o) $(STORE_SRCS:.c=.o) \
	$(CONFIG_SRCS:.c=.o) $(PARSER_SRCS:.c=.o))

$(B)/kentongan-san: $(SAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(PKG_LIBS) -lpthread

kentongan-san: $(B)/kentongan-san

.PHONY: kentongan-san

# The whole binary under ThreadSanitizer: the loop, the store's sync and
# checkpoint threads, for the end-to-end suites that exercise them
# (tests/run-all.sh). The modem worker is a process of its own.
TSAN_OBJS = $(addprefix $(BTSAN)/,$(GATEWAY_SRCS:.c=.o) $(STORE_SRCS:.c=.o) \
	$(CONFIG_SRCS:.c=.o) $(PARSER_SRCS:.c=.o))

$(B)/kentongan-tsan: $(TSAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=thread -o $@ $^ $(PKG_LIBS) -lpthread

kentongan-tsan: $(B)/kentongan-tsan

.PHONY: kentongan-tsan
