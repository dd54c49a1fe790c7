/* page_chart: horizontal bar charts as inline SVG. */
#include "gateway/console/console_int.h"
#include "gateway/console/page_chart.h"

#define CHART_W		640
#define LABEL_W		170	/* the labels' column, right-aligned */
#define BAR_MAX		400	/* the longest bar */
#define ROW_H		24
#define BAR_H		16

void
h_bar_chart(struct creq *r, const char *id, const char *title,
    const struct chart_bar *bars, int n)
{
	long long max = 1;
	int i, y;

	for (i = 0; i < n; i++)
		if (bars[i].value > max)
			max = bars[i].value;
	h(r, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"%s\">"
	    "<title id=\"%s\">%s</title>", CHART_W, n * ROW_H + 8, id, id,
	    title);
	for (i = 0; i < n; i++) {
		int w = (int)(bars[i].value * BAR_MAX / max);

		y = 4 + i * ROW_H;
		h(r, "<g><text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
		    "font-size=\"13\" fill=\"#1d1d1b\">%s</text>",
		    LABEL_W - 8, y + BAR_H - 3, bars[i].label);
		h(r, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		    "fill=\"#7a3e12\"><title>%s: %lld</title></rect>", LABEL_W,
		    y, w, BAR_H, bars[i].label, bars[i].value);
		h(r, "<text x=\"%d\" y=\"%d\" font-size=\"13\" "
		    "fill=\"#1d1d1b\">%lld</text></g>", LABEL_W + w + 6,
		    y + BAR_H - 3, bars[i].value);
	}
	h_raw(r, "</svg>");
}
