# parser/: pure text -> request code (owned by the parser work; see parser/parser.h)
PARSER_SRCS = parser/parser.c
