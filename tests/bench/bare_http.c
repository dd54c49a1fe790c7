/*
 * bare_http: the ceiling libevent sets here. An evhttp server on one loop
 * that answers every request with a constant "END ok", as the USSD
 * endpoint would if it did no work; the Kannel benchmark points smsbox's
 * get-url and dlr-url at it. GET /count answers how many other requests
 * it has answered, so a benchmark knows when all have come.
 * Usage: bare_http PORT
 */
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
on_any(struct evhttp_request *req, void *arg)
{
	unsigned long *served = arg;
	const char *path = evhttp_uri_get_path(
	    evhttp_request_get_evhttp_uri(req));
	struct evbuffer *b = evbuffer_new();

	if (path != NULL && strcmp(path, "/count") == 0)
		evbuffer_add_printf(b, "%lu", *served);
	else {
		(*served)++;
		evbuffer_add(b, "END ok", 6);
	}
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; charset=utf-8");
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}

int
main(int argc, char **argv)
{
	struct event_base *base = event_base_new();
	struct evhttp *h = evhttp_new(base);
	unsigned long served = 0;

	if (argc != 2 || evhttp_bind_socket(h, "127.0.0.1",
	    (ev_uint16_t)atoi(argv[1])) != 0) {
		fprintf(stderr, "usage: bare_http PORT\n");
		return 1;
	}
	evhttp_set_gencb(h, on_any, &served);
	event_base_dispatch(base);
	return 0;
}
