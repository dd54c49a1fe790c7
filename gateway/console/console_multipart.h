/*
 * console_multipart: a multipart/form-data body (RFC 7578), the way the
 * console's one upload form sends it, read strictly: the boundary from
 * the Content-Type, each part's name from its Content-Disposition, every
 * size bounded. Text fields and the file alike become form fields (the
 * file's bytes under its field's name), so the csrf check and the page
 * read them the one way (f_get). Pure: no libevent but the key/value
 * list.
 */
#ifndef KENTONGAN_CONSOLE_MULTIPART_H
#define KENTONGAN_CONSOLE_MULTIPART_H

#include <stddef.h>

struct evkeyvalq;

#define MULTIPART_PARTS		16	/* parts in a form */
#define MULTIPART_FIELD_MAX	(64 * 1024)	/* a text field's bytes */

/* Whether a Content-Type is multipart/form-data. */
int multipart_is(const char *content_type);

/*
 * The fields of body (n bytes, any bytes) into form: 0, or -1 when it is
 * not a well-formed form (no boundary, a part unterminated, too many
 * parts, a name missing, a text field over MULTIPART_FIELD_MAX, a NUL
 * byte in a value: no text of ours holds one). A part with a filename is
 * a file; it may be as large as the body.
 */
int multipart_parse(const char *content_type, const char *body, size_t n,
    struct evkeyvalq *form);

#endif
