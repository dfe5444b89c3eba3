/* SPDX-License-Identifier: MIT */
/* xmlsafe.h - parsing untrusted XML (the odt and tei readers).
 *
 * Internal to the emuconv source tree: a convenience library, not part of
 * the plugin ABI.  The rules every XML reader keeps (as the docx reader's
 * parser does): no network, no DTD (refused as soon as a DOCTYPE starts,
 * before any declaration is read: no external entities, no billion
 * laughs), nesting bounded by MAX_DEPTH, libxml2's diagnostics never
 * printed but returned as the message. */
#ifndef EMUCONV_XMLSAFE_H
#define EMUCONV_XMLSAFE_H

#include <stddef.h>
#include <libxml/tree.h>
#include <emuconv/error.h>

/* Parses LEN bytes of DATA (NAME only names it in messages) into a new
 * tree, white space kept.  MAX_DEPTH 0 means 256.  On success *OUT owns
 * the tree (transfer full, xmlFreeDoc); on failure ERR says why. */
int xmlsafe_parse(const void *data, size_t len, const char *name, size_t max_depth,
                  xmlDocPtr *out, emc_error *err);

/* The value of attribute LOCAL in namespace HREF (NULL: no namespace) of N
 * (borrowed), NULL when absent. */
const char *xmlsafe_attr(const xmlNode *n, const char *href, const char *local);

/* True when N is an element LOCAL in namespace HREF. */
int xmlsafe_is(const xmlNode *n, const char *href, const char *local);

/* xsd:language ([a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*), as the IR needs. */
int xmlsafe_valid_lang(const char *tag);

#endif
