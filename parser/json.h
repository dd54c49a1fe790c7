/*
 * json: one parse result as one line of JSON, the output of `kentongan
 * parse`. Pure: writes into the caller's buffer. Any bytes in the result
 * give valid JSON: control characters and quotes are escaped, invalid UTF-8
 * becomes U+FFFD.
 */
#ifndef KENTONGAN_JSON_H
#define KENTONGAN_JSON_H

#include <stddef.h>

#include "parser/parser.h"

/* A buffer size that always holds the line for a message of msg_len bytes
 * (every byte may become a 6-byte escape), with its NUL. */
#define JSON_LINE_MAX(msg_len)	(6 * (msg_len) + 4096)

/*
 * Write r as {"ok":true,"kind":...,<fields in spec order>} or
 * {"ok":false,"error":...,"field":...,"reply":...} into out, NUL-terminated,
 * without a newline. reply is used only on failure (NULL is "").
 * Like snprintf, returns the length the line needs; it was written whole
 * only if that is < cap.
 */
size_t json_format_result(const struct parse_result *r, const char *reply,
    char *out, size_t cap);

/* Write len bytes of s as a JSON string (quotes included) at out; returns
 * the bytes it needs (which it writes only if they fit in cap). */
size_t json_string(const char *s, size_t len, char *out, size_t cap);

#endif
