/* SPDX-License-Identifier: MIT */
/* webtext.h - rules of web formats shared by the epub and html writers (a
 * convenience library, not part of the plugin ABI).  Pure functions on
 * borrowed strings; the one allocation is returned to the caller. */
#ifndef EMUCONV_WEBTEXT_H
#define EMUCONV_WEBTEXT_H

/* Whether TAG is a well-formed BCP 47 language tag (RFC 5646 syntax,
 * case-insensitive, grandfathered tags aside). */
int webtext_lang_ok(const char *tag);

/* Whether text in language TAG is written right to left (Arabic, Hebrew,
 * Persian, Urdu... by the primary subtag, or an Arab/Hebr script subtag). */
int webtext_lang_rtl(const char *tag);

/* Whether HREF is an absolute URL a reader may follow (http, https, ftp,
 * mailto, tel) and that checkers can parse: for http, https and ftp, "//"
 * and a host the URL Standard's host parser takes without error ("https://sonla
 * rowspan=" from tag soup is not one, and such a link is left out, its text
 * kept). */
int webtext_url_ok(const char *href);

/* HREF with the characters a URL may not hold percent-encoded.
 * Returns: (transfer full) free(); NULL when out of memory. */
char *webtext_url_escape(const char *href);

#endif
