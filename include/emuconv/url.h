/* SPDX-License-Identifier: MIT */
/* emuconv/url.h - which link targets a document may carry.
 *
 * One allow-list for every reader (after a relative reference is resolved
 * against its base) and every writer (again, on whatever the IR holds):
 * a javascript: or file: target in a TEI, ODT or EPUB is stored XSS or a
 * local-file leak once the output is published.  Pure function: no
 * allocation, no context.
 */
#ifndef EMUCONV_URL_H
#define EMUCONV_URL_H

#ifdef __cplusplus
extern "C" {
#endif

/* True (1) when URL may be a link or image target: its scheme is http,
 * https, ftp or mailto (in any case), or it has no scheme (a relative
 * reference or a fragment, "#id").  Read the way browsers read it:
 * leading C0 controls and spaces are skipped and tabs and newlines
 * inside are ignored, so " java\tscript:" is javascript:.  False (0) for
 * every other scheme, and for NULL. */
int emc_url_is_safe(const char *url);

#ifdef __cplusplus
}
#endif

#endif /* EMUCONV_URL_H */
