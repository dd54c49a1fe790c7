# parser/: pure text -> request code (see parser/parser.h); the reply table,
# GSM 7-bit, JSON and phone-number helpers live here too. Included by the
# main Makefile before its pattern rules $(B)/%.o and $(BSAN)/%.o.

PARSER_SRCS = parser/parser.c parser/fields.c parser/utf8.c parser/gsm7.c \
	parser/reply.c parser/json.c parser/phone.c

PARSER_TESTS = test_parser test_parse_values test_reply test_json test_phone \
	test_cmd_parse
PARSER_SAN_OBJS = $(addprefix $(BSAN)/,$(PARSER_SRCS:.c=.o))

# Unit tests: built with the sanitizers, each prints "name: N passed, M failed".
# `kentongan parse` through the real (sanitized) binary and its command
# table, not a copy of the prologue.
$(B)/tests/parser/test_cmd_parse: $(BSAN)/tests/parser/test_cmd_parse.o \
    $(PARSER_SAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^

$(B)/tests/parser/%: $(BSAN)/tests/parser/%.o $(PARSER_SAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^

test-parser: $(addprefix $(B)/tests/parser/,$(PARSER_TESTS)) $(B)/kentongan-san
	@set -e; for t in $(PARSER_TESTS); do $(B)/tests/parser/$$t; done

# Fuzzing: libFuzzer entry points built with clang, one process at a time.
CLANG        ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS  = parser phone
BFUZZ         = $(B)/fuzz
FUZZ_CFLAGS   = -std=c11 -g -O1 -Wall -Wextra -D_DEFAULT_SOURCE \
	-D_GNU_SOURCE -MMD -MP -I. -fno-omit-frame-pointer \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all

$(BFUZZ)/obj/%.o: %.c | test-deps
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -c $< -o $@

$(BFUZZ)/fuzz_%: $(BFUZZ)/obj/tests/fuzz/fuzz_%.o \
    $(addprefix $(BFUZZ)/obj/,$(PARSER_SRCS:.c=.o))
	$(CLANG) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    -o $@ $^

# New inputs go to build/fuzz/corpus-*; the seeds in the repo stay small.
fuzz: $(addprefix $(BFUZZ)/fuzz_,$(FUZZ_TARGETS))
	@set -e; for t in $(FUZZ_TARGETS); do \
		mkdir -p $(BFUZZ)/corpus-$$t $(BFUZZ)/artifacts-$$t; \
		echo "fuzz $$t for $(FUZZ_SECONDS)s"; \
		$(BFUZZ)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) \
		    -print_final_stats=1 \
		    -artifact_prefix=$(BFUZZ)/artifacts-$$t/ \
		    $(BFUZZ)/corpus-$$t tests/fuzz/corpus/$$t; \
	done

# Replay the seed corpora with a plain main() under ASan and UBSan.
$(BFUZZ)/replay_%: $(BSAN)/tests/fuzz/fuzz_%.o $(BSAN)/tests/fuzz/replay.o \
    $(PARSER_SAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^

fuzz-replay: $(addprefix $(BFUZZ)/replay_,$(FUZZ_TARGETS))
	@set -e; for t in $(FUZZ_TARGETS); do \
		$(BFUZZ)/replay_$$t tests/fuzz/corpus/$$t; \
	done

# Throughput of parse_message on one core.
$(B)/bench/bench_parser: $(B)/tests/bench/bench_parser.o \
    $(addprefix $(B)/,$(PARSER_SRCS:.c=.o))
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^

bench-parser: $(B)/bench/bench_parser
	$(B)/bench/bench_parser

.PHONY: test-parser fuzz fuzz-replay bench-parser
.PRECIOUS: $(BSAN)/%.o $(B)/%.o $(BFUZZ)/obj/%.o
