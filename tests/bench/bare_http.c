/*
 * bare_http: the ceiling libevent sets here. An evhttp server on one loop
 * that answers every request with a constant "END ok", as the USSD
 * endpoint would if it did no work. Usage: bare_http PORT
 */
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include <stdio.h>
#include <stdlib.h>

static void
on_any(struct evhttp_request *req, void *arg)
{
	struct evbuffer *b = evbuffer_new();

	(void)arg;
	evbuffer_add(b, "END ok", 6);
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

	if (argc != 2 || evhttp_bind_socket(h, "127.0.0.1",
	    (ev_uint16_t)atoi(argv[1])) != 0) {
		fprintf(stderr, "usage: bare_http PORT\n");
		return 1;
	}
	evhttp_set_gencb(h, on_any, NULL);
	event_base_dispatch(base);
	return 0;
}
