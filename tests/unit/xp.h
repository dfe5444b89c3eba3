/* SPDX-License-Identifier: MIT */
/* xp.h - XPath helpers for the unit tests (prefix "ir" = the IR). */
#ifndef EMUCONV_TEST_XP_H
#define EMUCONV_TEST_XP_H
#include <stdlib.h>
#include <string.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <emuconv/emuconv.h>

/* The string value of EXPR (wrap it in string() or count()); a static
 * buffer, valid until the next call. */
static const char *xp(const emc_doc *doc, const char *expr)
{
  static char buf[4096];
  buf[0] = '\0';
  xmlXPathContextPtr c = xmlXPathNewContext(emc_doc_tree(doc));
  xmlXPathRegisterNs(c, BAD_CAST "ir", BAD_CAST EMC_IR_NS);
  xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, c);
  if (o) {
    xmlChar *s = xmlXPathCastToString(o);
    snprintf(buf, sizeof buf, "%s", s ? (const char *)s : "");
    xmlFree(s);
    xmlXPathFreeObject(o);
  } else
    snprintf(buf, sizeof buf, "(bad xpath)");
  xmlXPathFreeContext(c);
  return buf;
}
#endif
