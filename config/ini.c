#include "config/ini.h"

#include <ctype.h>
#include <string.h>

/* Trim ASCII space from both ends of s in place; returns s. */
static char *
trim(char *s)
{
	char *e;

	while (*s && isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Cut an inline comment: ';' or '#' that follows whitespace. A '#' inside a
 * value (USSD codes like *888#) must survive, hence the whitespace rule. */
static void
cut_comment(char *s)
{
	char *p;

	for (p = s; *p; p++) {
		if ((*p == ';' || *p == '#') && p > s &&
		    isspace((unsigned char)p[-1])) {
			*p = '\0';
			return;
		}
	}
}

int
ini_parse(const char *text, size_t len, ini_handler h, void *arg,
    void (*err)(void *arg, int line, const char *msg))
{
	char buf[INI_LINE_MAX], section[128] = "";
	size_t pos = 0;
	int line = 0, nerr = 0;

	while (pos < len) {
		size_t end = pos, n;
		char *s, *eq;

		while (end < len && text[end] != '\n')
			end++;
		n = end - pos;
		line++;
		if (n >= sizeof(buf)) {
			err(arg, line, "line too long");
			nerr++;
			pos = end + 1;
			continue;
		}
		memcpy(buf, text + pos, n);
		buf[n] = '\0';
		pos = end + 1;
		if (memchr(buf, '\0', n) != NULL) {
			err(arg, line, "NUL byte in line");
			nerr++;
			continue;
		}
		s = trim(buf);
		if (*s == '\0' || *s == ';' || *s == '#')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']'), *rest;

			rest = close ? trim(close + 1) : NULL;
			if (rest == NULL || (*rest != '\0' && *rest != ';' &&
			    *rest != '#')) {
				err(arg, line, "bad section header");
				nerr++;
				continue;
			}
			*close = '\0';
			s = trim(s + 1);
			if (strlen(s) >= sizeof(section) || *s == '\0') {
				err(arg, line, "bad section name");
				nerr++;
				continue;
			}
			strcpy(section, s);
			if (h(arg, line, section, NULL, NULL) != 0)
				nerr++;
			continue;
		}
		eq = strchr(s, '=');
		if (eq == NULL) {
			err(arg, line, "expected 'key = value'");
			nerr++;
			continue;
		}
		*eq = '\0';
		cut_comment(eq + 1);
		if (*trim(s) == '\0') {
			err(arg, line, "empty key");
			nerr++;
			continue;
		}
		if (h(arg, line, section, trim(s), trim(eq + 1)) != 0)
			nerr++;
	}
	return nerr;
}
