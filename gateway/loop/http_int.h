/*
 * What the listeners (http.c: USSD, the listeners' guards and pauses)
 * share with the admin pages (http_admin.c).
 */
#ifndef KENTONGAN_HTTP_INT_H
#define KENTONGAN_HTTP_INT_H

#include <stddef.h>

struct evhttp_request;
struct gateway;

#define HTTP_NBUCKETS	9
/* Latency buckets of /metrics, in seconds. */
extern const double http_buckets[HTTP_NBUCKETS];

/* The USSD listener's figures since start, for /metrics. */
struct ussd_figures {
	unsigned long requests, by_status[6];	/* 1xx..5xx, other */
	unsigned long latency_count, latency_bucket[HTTP_NBUCKETS];
	double latency_sum;
};

const struct ussd_figures *http_ussd_figures(struct gateway *);

/* The longest form field taken. */
#define FIELD_MAX	1024

/* The fields of an aggregator's form, decoded in place in its body. */
struct form {
	const char *name;
	const char **value;
};

/* Split body ("a=1&b=2") and set each wanted field once (the first one
 * wins); a value over FIELD_MAX is refused, as is a malformed escape or
 * a NUL. Returns 0 or -1. */
int http_parse_form(char *body, const struct form *want, size_t nwant);

/* http_auth.c: whether req carries secret, as the HTTP Basic password
 * or (when query_key) the query's `key`. */
int http_authorised(struct evhttp_request *, const char *secret,
    int query_key);

/* Send a plain-text reply (or an error status with a short body). */
void http_reply_text(struct evhttp_request *, int status, const char *reason,
    const char *text);

/* http_admin.c: the admin pages, each behind [admin]'s gate */
void http_admin_health(struct evhttp_request *, void *gw);
void http_admin_metrics(struct evhttp_request *, void *gw);
void http_admin_status(struct evhttp_request *, void *gw);

#endif
