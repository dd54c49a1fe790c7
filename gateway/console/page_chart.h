/*
 * page_chart: a bar chart as inline SVG, drawn on the server: no script,
 * no style attribute (the page's CSP allows neither), a <title> and a
 * text label on every bar so that a screen reader and a printout read
 * it as well as an eye does.
 */
#ifndef KENTONGAN_PAGE_CHART_H
#define KENTONGAN_PAGE_CHART_H

struct creq;

/* One bar: its label and its value. */
struct chart_bar {
	const char *label;
	long long value;
};

/* n horizontal bars under title, scaled to the largest; id names the
 * chart's title element (unique in the page). */
void h_bar_chart(struct creq *, const char *id, const char *title,
    const struct chart_bar *, int n);

#endif
