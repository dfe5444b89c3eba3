/* SPDX-License-Identifier: MIT */
/* xmlsafe.c - parsing untrusted XML: see xmlsafe.h. */
#include <config.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include "xmlsafe.h"

struct xs_state {
  size_t depth, max_depth;
  int deep, dtd;
};

static void xs_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                     int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
  xmlParserCtxtPtr pc = ctx;
  struct xs_state *s = pc->_private;
  if (++s->depth > s->max_depth) {
    s->deep = 1;
    xmlStopParser(pc);
    return;
  }
  xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                        nb_defaulted, attributes);
}

static void xs_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
  xmlParserCtxtPtr pc = ctx;
  struct xs_state *s = pc->_private;
  s->depth--;
  xmlSAX2EndElementNs(ctx, localname, prefix, uri);
}

/* Called as the DOCTYPE starts, before its declarations are read. */
static void xs_subset(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
  (void)name;
  (void)ext;
  (void)sys;
  xmlParserCtxtPtr pc = ctx;
  struct xs_state *s = pc->_private;
  s->dtd = 1;
  xmlStopParser(pc);
}

static void xs_serror(void *user, EMC_XMLERROR e)
{
  (void)user;
  (void)e; /* kept in the context's lastError; never printed */
}

int xmlsafe_parse(const void *data, size_t len, const char *name, size_t max_depth,
                  xmlDocPtr *out, emc_error *err)
{
  struct xs_state s = { 0, max_depth ? max_depth : 256, 0, 0 };
  xmlSAXHandler sax;
  memset(&sax, 0, sizeof sax);
  xmlSAXVersion(&sax, 2);
  sax.startElementNs = xs_start;
  sax.endElementNs = xs_end;
  sax.internalSubset = xs_subset;
  sax.externalSubset = NULL;
  sax.serror = xs_serror;
  const char *d = data;
  size_t head = len < 4 ? len : 4;
  if (len == 0)
    return emc_error_set(err, EMC_EPARSE, "%s is empty", name);
  xmlParserCtxtPtr pc = xmlCreatePushParserCtxt(&sax, NULL, d, (int)head, name);
  if (!pc)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  pc->_private = &s;
  xmlCtxtUseOptions(pc, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                            XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
  size_t at = head;
  while (at < len && !s.dtd && !s.deep && pc->wellFormed && !pc->disableSAX) {
    size_t n = len - at > (1u << 20) ? (1u << 20) : len - at;
    xmlParseChunk(pc, d + at, (int)n, 0);
    at += n;
  }
  if (!s.dtd && !s.deep && pc->wellFormed && !pc->disableSAX)
    xmlParseChunk(pc, NULL, 0, 1);
  int rc = EMC_OK;
  if (s.dtd)
    rc = emc_error_set(err, EMC_EPARSE, "%s has a DOCTYPE: DTDs and entities are refused "
                       "(XXE, billion laughs)", name);
  else if (s.deep)
    rc = emc_error_set(err, EMC_ELIMIT, "%s nests elements deeper than %zu (the depth limit)",
                       name, s.max_depth);
  else if (!pc->wellFormed || !pc->myDoc) {
    const xmlError *e = &pc->lastError;
    char msg[200];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "parse error");
    size_t l = strlen(msg);
    while (l && (msg[l - 1] == '\n' || msg[l - 1] == ' '))
      msg[--l] = '\0';
    rc = emc_error_set(err, e->code == XML_ERR_NO_MEMORY ? EMC_ENOMEM : EMC_EPARSE,
                       "%s is not well-formed XML (line %d): %s", name, e->line, msg);
  }
  if (rc == EMC_OK)
    *out = pc->myDoc;
  else if (pc->myDoc)
    xmlFreeDoc(pc->myDoc);
  pc->myDoc = NULL;
  xmlFreeParserCtxt(pc);
  return rc;
}

const char *xmlsafe_attr(const xmlNode *n, const char *href, const char *local)
{
  if (!n || n->type != XML_ELEMENT_NODE)
    return NULL;
  for (const xmlAttr *a = n->properties; a; a = a->next) {
    if (!xmlStrEqual(a->name, BAD_CAST local))
      continue;
    if (href ? !(a->ns && a->ns->href && strcmp((const char *)a->ns->href, href) == 0) : a->ns != NULL)
      continue;
    return a->children && a->children->type == XML_TEXT_NODE && a->children->content
               ? (const char *)a->children->content
               : "";
  }
  return NULL;
}

int xmlsafe_is(const xmlNode *n, const char *href, const char *local)
{
  return n && n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST local) && n->ns &&
         n->ns->href && strcmp((const char *)n->ns->href, href) == 0;
}

int xmlsafe_valid_lang(const char *tag)
{
  if (!tag || !*tag || strcmp(tag, "x-none") == 0 || strcmp(tag, "zxx") == 0)
    return 0;
  size_t run = 0;
  int first = 1;
  for (const char *c = tag;; c++) {
    if (*c == '-' || *c == '\0') {
      if (run == 0 || run > 8)
        return 0;
      if (!*c)
        return 1;
      first = 0;
      run = 0;
    } else if (isalpha((unsigned char)*c) || (!first && isdigit((unsigned char)*c)))
      run++;
    else
      return 0;
  }
}
