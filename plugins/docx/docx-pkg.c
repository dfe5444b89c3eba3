/* SPDX-License-Identifier: MIT */
/* docx-pkg.c - the OPC package under the limits: the zip (through
 * plugins/common/zipread), XML parsing without DTDs, content types and
 * relationships.  See docx.h. */
#include <config.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include "../common/pathnorm.h"
#include "docx.h"

/* ------------------------------------------------------------ XML helpers */

static const struct {
  const char *href;
  int ns;
} ns_table[] = {
  { "http://schemas.openxmlformats.org/wordprocessingml/2006/main", NS_W },
  { "http://purl.oclc.org/ooxml/wordprocessingml/main", NS_W },
  { "http://schemas.openxmlformats.org/officeDocument/2006/relationships", NS_R },
  { "http://purl.oclc.org/ooxml/officeDocument/relationships", NS_R },
  { "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing", NS_WP },
  { "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing", NS_WP },
  { "http://schemas.openxmlformats.org/drawingml/2006/main", NS_A },
  { "http://purl.oclc.org/ooxml/drawingml/main", NS_A },
  { "http://schemas.openxmlformats.org/drawingml/2006/picture", NS_PIC },
  { "http://schemas.openxmlformats.org/drawingml/2006/diagram", NS_DGM },
  { "http://purl.oclc.org/ooxml/drawingml/diagram", NS_DGM },
  { "http://purl.oclc.org/ooxml/drawingml/picture", NS_PIC },
  { "http://schemas.openxmlformats.org/markup-compatibility/2006", NS_MC },
  { "urn:schemas-microsoft-com:vml", NS_V },
  { "urn:schemas-microsoft-com:office:office", NS_O },
  { "http://schemas.openxmlformats.org/officeDocument/2006/math", NS_M },
  { "http://purl.oclc.org/ooxml/officeDocument/math", NS_M },
  { "http://schemas.microsoft.com/office/word/2010/wordprocessingShape", NS_WPS },
  { "http://schemas.microsoft.com/office/word/2010/wordml", NS_W14 },
  { "http://schemas.openxmlformats.org/package/2006/relationships", NS_PKGREL },
  { "http://schemas.openxmlformats.org/package/2006/content-types", NS_CT },
  { "http://schemas.openxmlformats.org/package/2006/metadata/core-properties", NS_CP },
  { "http://purl.org/dc/elements/1.1/", NS_DC },
  { "http://purl.org/dc/terms/", NS_DCTERMS },
};

int docx_ns(const xmlNs *ns)
{
  if (!ns)
    return NS_NONE;
  if (ns->_private)
    return (int)(intptr_t)ns->_private - 1;
  int v = NS_OTHER;
  for (size_t i = 0; i < sizeof ns_table / sizeof ns_table[0]; i++)
    if (ns->href && strcmp((const char *)ns->href, ns_table[i].href) == 0) {
      v = ns_table[i].ns;
      break;
    }
  ((xmlNs *)ns)->_private = (void *)(intptr_t)(v + 1);
  return v;
}

const char *docx_attr(const xmlNode *n, int ns, const char *local)
{
  if (!n || n->type != XML_ELEMENT_NODE)
    return NULL;
  for (const xmlAttr *a = n->properties; a; a = a->next)
    if (xmlStrEqual(a->name, BAD_CAST local) && docx_ns(a->ns) == ns)
      return a->children && a->children->type == XML_TEXT_NODE && a->children->content
                 ? (const char *)a->children->content
                 : "";
  return NULL;
}

xmlNodePtr docx_child(const xmlNode *n, int ns, const char *local)
{
  for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
    if (docx_is(c, ns, local))
      return c;
  return NULL;
}

int docx_onoff(const xmlNode *prop, int dflt)
{
  if (!prop)
    return dflt;
  const char *v = docx_val(prop);
  if (!v)
    return 1;
  return !(strcmp(v, "0") == 0 || strcmp(v, "false") == 0 || strcmp(v, "off") == 0 ||
           strcmp(v, "none") == 0);
}

/* ------------------------------------------------------------ the zip */

/* The zip rules (directory checks, limits, inflation that counts every
 * byte) are plugins/common/zipread's, shared with the odt and epub
 * readers; the package adds what is OPC's: content types and
 * relationships. */
int docx_pkg_open(docx_pkg *p, emc_ctx *ctx, const emc_input *in, emc_error *err)
{
  memset(p, 0, sizeof *p);
  p->ctx = ctx;
  p->err = err;
  return zipread_open(&p->zip, ctx, in, "a DOCX", err);
}

void docx_pkg_close(docx_pkg *p)
{
  zipread_close(&p->zip);
  for (size_t i = 0; i < p->n_defaults; i++) {
    free(p->defaults[i].key);
    free(p->defaults[i].type);
  }
  for (size_t i = 0; i < p->n_overrides; i++) {
    free(p->overrides[i].key);
    free(p->overrides[i].type);
  }
  free(p->defaults);
  free(p->overrides);
  p->defaults = p->overrides = NULL;
  p->n_defaults = p->n_overrides = 0;
}

zip_int64_t docx_pkg_find(docx_pkg *p, const char *name)
{
  return zipread_find(&p->zip, name);
}

int docx_pkg_read(docx_pkg *p, const char *name, unsigned char **data, size_t *len)
{
  return zipread_read(&p->zip, name, data, len);
}

/* ------------------------------------------------------------ XML */

struct parse_state {
  docx_pkg *pkg;
  const char *name;
  xmlSAXHandler sax;
  xmlParserCtxtPtr pc;
  const char *container;
  docx_block_fn on_block;
  void *user;
  xmlNodePtr cont;
  size_t depth, max_depth;
  int rc, dtd;
};

static void ps_fail(struct parse_state *s, xmlParserCtxtPtr pc, int rc)
{
  if (!s->rc)
    s->rc = rc;
  xmlStopParser(pc);
}

static void ps_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                     int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
  xmlParserCtxtPtr pc = ctx;
  struct parse_state *s = pc->_private;
  if (s->rc)
    return;
  if (++s->depth > s->max_depth) {
    char nb[96];
    ps_fail(s, pc, emc_error_set(s->pkg->err, EMC_ELIMIT,
                                 "part '%s' nests elements deeper than %zu (the depth limit)",
                                 zipread_shown(s->name, nb, sizeof nb), s->max_depth));
    return;
  }
  xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                        nb_defaulted, attributes);
  xmlNodePtr n = pc->node;
  if (s->on_block && !s->cont && n && s->depth == 2 &&
      xmlStrEqual(localname, BAD_CAST s->container))
    s->cont = n;
}

static void ps_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
  xmlParserCtxtPtr pc = ctx;
  struct parse_state *s = pc->_private;
  if (s->rc)
    return;
  xmlNodePtr n = pc->node;
  xmlSAX2EndElementNs(ctx, localname, prefix, uri);
  s->depth--;
  if (s->cont && n && n->parent == s->cont) {
    int rc = s->on_block(s->user, n);
    xmlUnlinkNode(n);
    xmlFreeNode(n);
    if (rc)
      ps_fail(s, pc, rc);
  }
}

static void ps_chars(void *ctx, const xmlChar *ch, int len)
{
  xmlParserCtxtPtr pc = ctx;
  struct parse_state *s = pc->_private;
  if (s->rc || (s->cont && pc->node == s->cont))
    return; /* white space between the streamed blocks */
  xmlSAX2Characters(ctx, ch, len);
}

static void ps_subset(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
  (void)name;
  (void)ext;
  (void)sys;
  xmlParserCtxtPtr pc = ctx;
  struct parse_state *s = pc->_private;
  s->dtd = 1; /* before any declaration of it is read */
  xmlStopParser(pc);
}

static void ps_serror(void *user, EMC_XMLERROR e)
{
  (void)user;
  (void)e; /* kept in the context's lastError; never printed */
}

static int ps_sink(void *user, const char *data, size_t len)
{
  struct parse_state *s = user;
  if (len > INT32_MAX)
    return emc_error_set(s->pkg->err, EMC_ELIMIT, "chunk too large");
  if (!s->pc) {
    size_t head = len < 4 ? len : 4;
    s->pc = xmlCreatePushParserCtxt(&s->sax, NULL, data, (int)head, s->name);
    if (!s->pc)
      return emc_error_set(s->pkg->err, EMC_ENOMEM, "out of memory");
    s->pc->_private = s;
    xmlCtxtUseOptions(s->pc, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                 XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
    data += head;
    len -= head;
  }
  xmlParseChunk(s->pc, data, (int)len, 0);
  if (s->rc)
    return s->rc;
  if (s->dtd || !s->pc->wellFormed || s->pc->disableSAX)
    return 1; /* stopped: reported by docx_parse_part() */
  return EMC_OK;
}

int docx_parse_part(docx_pkg *p, const char *name, const char *container,
                    docx_block_fn on_block, void *user, xmlDocPtr *out)
{
  char nb[96];
  zip_int64_t idx = docx_pkg_find(p, name);
  if (idx < 0)
    return emc_error_set(p->err, EMC_EPARSE, "the package lacks part '%s'", zipread_shown(name, nb, sizeof nb));
  struct parse_state s = { .pkg = p, .name = name, .container = container,
                           .on_block = on_block, .user = user };
  s.max_depth = p->zip.lim->max_depth ? p->zip.lim->max_depth : 256;
  xmlSAXVersion(&s.sax, 2);
  s.sax.startElementNs = ps_start;
  s.sax.endElementNs = ps_end;
  s.sax.characters = ps_chars;
  s.sax.ignorableWhitespace = ps_chars;
  s.sax.internalSubset = ps_subset;
  s.sax.externalSubset = NULL;
  s.sax.serror = ps_serror;
  int rc = zipread_inflate(&p->zip, name, idx, ps_sink, &s);
  if (rc >= 0) {
    if (s.pc && !s.rc && !s.dtd && s.pc->wellFormed && !s.pc->disableSAX)
      xmlParseChunk(s.pc, NULL, 0, 1);
    if (s.rc)
      rc = s.rc;
    else if (s.dtd)
      rc = emc_error_set(p->err, EMC_EPARSE, "part '%s' has a DOCTYPE: DTDs and entities are "
                         "refused (XXE, billion laughs)", zipread_shown(name, nb, sizeof nb));
    else if (!s.pc)
      rc = emc_error_set(p->err, EMC_EPARSE, "part '%s' is empty", zipread_shown(name, nb, sizeof nb));
    else if (!s.pc->wellFormed || !s.pc->myDoc) {
      const xmlError *e = &s.pc->lastError;
      char msg[200];
      snprintf(msg, sizeof msg, "%s", e->message ? e->message : "parse error");
      size_t l = strlen(msg);
      while (l && (msg[l - 1] == '\n' || msg[l - 1] == ' '))
        msg[--l] = '\0';
      rc = emc_error_set(p->err, EMC_EPARSE, "part '%s' is not well-formed XML (line %d): %s",
                         zipread_shown(name, nb, sizeof nb), e->line, msg);
    } else
      rc = EMC_OK;
  }
  if (s.pc) {
    if (rc == EMC_OK)
      *out = s.pc->myDoc;
    else if (s.pc->myDoc)
      xmlFreeDoc(s.pc->myDoc);
    s.pc->myDoc = NULL;
    xmlFreeParserCtxt(s.pc);
  }
  return rc;
}

/* ------------------------------------------------------------ content types */

static char *lower_dup(const char *s)
{
  char *d = strdup(s);
  for (char *c = d; c && *c; c++)
    *c = (char)tolower((unsigned char)*c);
  return d;
}

static int ct_add(docx_ct_entry **v, size_t *n, const char *key, const char *type)
{
  docx_ct_entry *g = realloc(*v, (*n + 1) * sizeof *g);
  if (!g)
    return -1;
  *v = g;
  g[*n].key = lower_dup(key);
  g[*n].type = strdup(type);
  if (!g[*n].key || !g[*n].type) {
    free(g[*n].key);
    free(g[*n].type);
    return -1;
  }
  (*n)++;
  return 0;
}

int docx_pkg_load_types(docx_pkg *p)
{
  if (docx_pkg_find(p, "[Content_Types].xml") < 0)
    return emc_error_set(p->err, EMC_EPARSE,
                         "not a DOCX package: a zip without [Content_Types].xml");
  xmlDocPtr d = NULL;
  int rc = docx_parse_part(p, "[Content_Types].xml", NULL, NULL, NULL, &d);
  if (rc)
    return rc;
  xmlNodePtr root = xmlDocGetRootElement(d);
  for (xmlNodePtr c = root ? root->children : NULL; c && !rc; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    const char *type = docx_attr(c, NS_NONE, "ContentType");
    if (!type)
      continue;
    if (xmlStrEqual(c->name, BAD_CAST "Default")) {
      const char *ext = docx_attr(c, NS_NONE, "Extension");
      if (ext && ct_add(&p->defaults, &p->n_defaults, ext, type))
        rc = emc_error_set(p->err, EMC_ENOMEM, "out of memory");
    } else if (xmlStrEqual(c->name, BAD_CAST "Override")) {
      const char *part = docx_attr(c, NS_NONE, "PartName");
      if (part && ct_add(&p->overrides, &p->n_overrides, part[0] == '/' ? part + 1 : part, type))
        rc = emc_error_set(p->err, EMC_ENOMEM, "out of memory");
    }
  }
  xmlFreeDoc(d);
  return rc;
}

const char *docx_pkg_type(const docx_pkg *p, const char *name)
{
  if (name[0] == '/')
    name++;
  for (size_t i = 0; i < p->n_overrides; i++)
    if (strcasecmp(p->overrides[i].key, name) == 0)
      return p->overrides[i].type;
  const char *dot = strrchr(name, '.');
  const char *slash = strrchr(name, '/');
  if (!dot || (slash && dot < slash))
    return NULL;
  for (size_t i = 0; i < p->n_defaults; i++)
    if (strcasecmp(p->defaults[i].key, dot + 1) == 0)
      return p->defaults[i].type;
  return NULL;
}

/* ------------------------------------------------------------ relationships */

static int hexval(int c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  c = tolower(c);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* TARGET relative to SOURCE's folder as a part name; NULL if it climbs out
 * of the package or is empty. */
static char *resolve_target(const char *source, const char *target)
{
  size_t tl = strlen(target);
  const char *slash = strrchr(source, '/');
  size_t dl = target[0] == '/' ? 0 : slash ? (size_t)(slash - source) + 1 : 0;
  char *buf = malloc(dl + tl + 2);
  if (!buf)
    return NULL;
  memcpy(buf, source, dl);
  size_t o = dl;
  for (size_t i = target[0] == '/' ? 1 : 0; i < tl; i++) {
    int c = (unsigned char)target[i];
    if (c == '%' && i + 2 < tl + 1 && hexval(target[i + 1]) >= 0 && hexval(target[i + 2]) >= 0) {
      c = hexval(target[i + 1]) * 16 + hexval(target[i + 2]);
      i += 2;
    } else if (c == '\\')
      c = '/';
    else if (c == '#' || c == '?')
      break;
    if (c == 0) {
      free(buf);
      return NULL;
    }
    buf[o++] = (char)c;
  }
  buf[o] = '\0';
  char *out = pathnorm_remove_dots(buf);
  free(buf);
  return out;
}

static char *rels_name_of(const char *source)
{
  if (!*source)
    return strdup("_rels/.rels");
  const char *slash = strrchr(source, '/');
  size_t dl = slash ? (size_t)(slash - source) + 1 : 0;
  const char *base = source + dl;
  size_t n = dl + strlen("_rels/") + strlen(base) + strlen(".rels") + 1;
  char *r = malloc(n);
  if (r)
    snprintf(r, n, "%.*s_rels/%s.rels", (int)dl, source, base);
  return r;
}

int docx_rels_load(docx_pkg *p, const char *source, docx_rels *out)
{
  memset(out, 0, sizeof *out);
  char *name = rels_name_of(source);
  if (!name)
    return emc_error_set(p->err, EMC_ENOMEM, "out of memory");
  if (docx_pkg_find(p, name) < 0) {
    free(name);
    return EMC_OK;
  }
  xmlDocPtr d = NULL;
  int rc = docx_parse_part(p, name, NULL, NULL, NULL, &d);
  free(name);
  if (rc)
    return rc;
  xmlNodePtr root = xmlDocGetRootElement(d);
  size_t cap = 0;
  for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || !xmlStrEqual(c->name, BAD_CAST "Relationship"))
      continue;
    const char *id = docx_attr(c, NS_NONE, "Id"), *type = docx_attr(c, NS_NONE, "Type"),
               *target = docx_attr(c, NS_NONE, "Target"),
               *mode = docx_attr(c, NS_NONE, "TargetMode");
    if (!id || !type || !target)
      continue;
    int external = mode && strcasecmp(mode, "External") == 0;
    char *t = external ? strdup(target) : resolve_target(source, target);
    if (!t) {
      if (external) {
        rc = emc_error_set(p->err, EMC_ENOMEM, "out of memory");
        break;
      }
      emc_ctx_log(p->ctx, EMC_LOG_INFO, "docx: relationship %s points outside the package; ignored", id);
      continue;
    }
    if (emc_array_grow(&out->v, &cap, out->n + 1, sizeof *out->v)) {
      free(t);
      rc = emc_error_set(p->err, EMC_ENOMEM, "out of memory");
      break;
    }
    const char *tail = strrchr(type, '/');
    docx_rel *r = &out->v[out->n];
    r->id = strdup(id);
    r->type = strdup(tail ? tail + 1 : type);
    r->target = t;
    r->external = external;
    out->n++;
    if (!r->id || !r->type) {
      rc = emc_error_set(p->err, EMC_ENOMEM, "out of memory");
      break;
    }
  }
  xmlFreeDoc(d);
  if (rc)
    docx_rels_free(out);
  return rc;
}

void docx_rels_free(docx_rels *r)
{
  for (size_t i = 0; i < r->n; i++) {
    free(r->v[i].id);
    free(r->v[i].type);
    free(r->v[i].target);
  }
  free(r->v);
  r->v = NULL;
  r->n = 0;
}

const docx_rel *docx_rels_id(const docx_rels *r, const char *id)
{
  for (size_t i = 0; id && i < r->n; i++)
    if (strcmp(r->v[i].id, id) == 0)
      return &r->v[i];
  return NULL;
}

const docx_rel *docx_rels_type(const docx_rels *r, const char *type)
{
  for (size_t i = 0; i < r->n; i++)
    if (strcasecmp(r->v[i].type, type) == 0)
      return &r->v[i];
  return NULL;
}
