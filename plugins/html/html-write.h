/* SPDX-License-Identifier: MIT */
/* html-write.h - the html module's writer (html-write.c, html-write-css.c);
 * module-internal, not installed. */
#ifndef EMC_HTML_WRITE_H
#define EMC_HTML_WRITE_H

#include <emuconv/plugin.h>

/* The writer callback: DOC as one standalone HTML5 page. */
int html_write(emc_ctx *ctx, const emc_doc *doc, emc_output *out, emc_error *err);

/* The default stylesheet, embedded in <style> (--css FILE replaces it). */
extern const char html_write_css[];

#endif
