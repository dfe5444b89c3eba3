/* SPDX-License-Identifier: MIT */
/* doc.c - emc_doc: the IR tree, its metadata and resources, schema check. */
#include <config.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>
#include "core-private.h"

/* The resource names are also kept in an open-addressing hash table
 * (linear probing, at most half full) of indexes into RES, so that
 * finding a name costs O(1) however many images a document has; and the
 * numbered names ("2-NAME", "3-NAME", ...) handed out by
 * emc_doc_resource_free_name() keep, per base name, the next number to
 * try, so that a thousand images of one name cost a thousand probes, not
 * half a million (issue 32). */
struct name_counter {
  char *base; /* owned */
  unsigned long next;
};

struct emc_doc {
  xmlDocPtr tree;
  emc_resource *res;
  size_t n_res, cap_res;
  size_t *slots;   /* 0: empty, else 1 + an index into RES */
  size_t n_slots;  /* a power of two, or 0 */
  struct name_counter *counters; /* open addressing too, by base */
  size_t n_counters, cap_counters;
};

static const char *const meta_elements[] = {
  "title", "subtitle", "author", "date", "language", "source", "publisher",
  "identifier", "editor", "subject", "keyword", "rights", "description", "series",
  "created", "modified", NULL
};

int emc_ir_is(const xmlNode *node, const char *name)
{
  /* the name first: it is short and mostly differs at its first byte,
   * where the namespace is a long URI that mostly matches */
  return node && node->type == XML_ELEMENT_NODE && node->ns &&
         (!name || (node->name && node->name[0] == (xmlChar)name[0] &&
                    xmlStrEqual(node->name, BAD_CAST name))) &&
         xmlStrEqual(node->ns->href, BAD_CAST EMC_IR_NS);
}

static xmlNodePtr first_child_named(xmlNodePtr parent, const char *name)
{
  for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
    if (emc_ir_is(c, name))
      return c;
  return NULL;
}

static xmlNsPtr ir_ns_of(xmlNodePtr node)
{
  if (node->ns && xmlStrEqual(node->ns->href, BAD_CAST EMC_IR_NS))
    return node->ns;
  return xmlSearchNsByHref(node->doc, node, BAD_CAST EMC_IR_NS);
}

xmlNodePtr emc_ir_add(xmlNodePtr parent, const char *name, const char *text)
{
  xmlNodePtr n = xmlNewDocNode(parent->doc, ir_ns_of(parent), BAD_CAST name, NULL);
  if (!n)
    return NULL;
  if (text && *text) {
    xmlNodePtr t = xmlNewDocText(parent->doc, BAD_CAST text);
    if (!t) {
      xmlFreeNode(n);
      return NULL;
    }
    xmlAddChild(n, t);
  }
  return xmlAddChild(parent, n);
}

int emc_ir_add_text(xmlNodePtr parent, const char *text, size_t len)
{
  if (len == 0)
    return EMC_OK;
  if (len > INT32_MAX)
    return EMC_ELIMIT;
  xmlNodePtr t = xmlNewDocTextLen(parent->doc, BAD_CAST text, (int)len);
  if (!t)
    return EMC_ENOMEM;
  xmlAddChild(parent, t); /* merges into a preceding text node */
  return EMC_OK;
}

int emc_ir_section_level(const xmlNode *node)
{
  if (!emc_ir_is(node, "section"))
    return 0;
  xmlChar *v = xmlGetProp(node, BAD_CAST "level");
  int level = v ? atoi((const char *)v) : 0;
  xmlFree(v);
  return level;
}

xmlNodePtr emc_ir_open_section(xmlNodePtr current, int level)
{
  if (level < 1)
    level = 1;
  if (level > 6)
    level = 6;
  while (emc_ir_is(current, "section") && emc_ir_section_level(current) >= level)
    current = current->parent;
  xmlNodePtr s = emc_ir_add(current, "section", NULL);
  if (!s)
    return NULL;
  char buf[4] = { (char)('0' + level), 0 };
  if (!xmlSetProp(s, BAD_CAST "level", BAD_CAST buf))
    return NULL;
  return s;
}

xmlNodePtr emc_ir_next(xmlNodePtr node, const xmlNode *root, int enter)
{
  if (enter && node->children)
    return node->children;
  while (node && node != root && !node->next)
    node = node->parent;
  return node && node != root ? node->next : NULL;
}

int emc_doc_exceeds_nodes(const emc_doc *doc, size_t max)
{
  if (!max)
    return 0;
  xmlNodePtr root = xmlDocGetRootElement(doc->tree);
  size_t n = root ? 1 : 0;
  for (xmlNodePtr x = root ? root->children : NULL; x && n <= max; x = emc_ir_next(x, root, 1))
    n += x->type == XML_ELEMENT_NODE;
  return n > max;
}

xmlChar *emc_ir_text(const xmlNode *node)
{
  return xmlNodeGetContent(node);
}

/* ---- the document ---- */

static int ensure_skeleton(xmlDocPtr tree)
{
  xmlNodePtr root = xmlDocGetRootElement(tree);
  if (!first_child_named(root, "meta")) {
    xmlNodePtr m = xmlNewDocNode(tree, ir_ns_of(root), BAD_CAST "meta", NULL);
    if (!m)
      return EMC_ENOMEM;
    if (root->children)
      xmlAddPrevSibling(root->children, m);
    else
      xmlAddChild(root, m);
  }
  if (!first_child_named(root, "body") && !emc_ir_add(root, "body", NULL))
    return EMC_ENOMEM;
  return EMC_OK;
}

emc_doc *emc_doc_new(void)
{
  xmlDocPtr tree = xmlNewDoc(BAD_CAST "1.0");
  if (!tree)
    return NULL;
  xmlNodePtr root = xmlNewDocNode(tree, NULL, BAD_CAST "document", NULL);
  if (!root) {
    xmlFreeDoc(tree);
    return NULL;
  }
  xmlDocSetRootElement(tree, root);
  xmlNsPtr ns = xmlNewNs(root, BAD_CAST EMC_IR_NS, NULL);
  xmlSetNs(root, ns);
  xmlSetProp(root, BAD_CAST "version", BAD_CAST EMC_IR_VERSION);
  emc_doc *doc = emc_doc_wrap(tree, NULL);
  if (!doc)
    xmlFreeDoc(tree);
  return doc;
}

emc_doc *emc_doc_wrap(xmlDocPtr tree, emc_error *err)
{
  xmlNodePtr root = tree ? xmlDocGetRootElement(tree) : NULL;
  if (!emc_ir_is(root, "document")) {
    emc_error_set(err, EMC_EPARSE, "not an emuconv IR document (root must be "
                  "<document xmlns=\"%s\">)", EMC_IR_NS);
    return NULL;
  }
  if (ensure_skeleton(tree)) {
    emc_error_set(err, EMC_ENOMEM, "out of memory");
    return NULL;
  }
  emc_doc *doc = calloc(1, sizeof *doc);
  if (!doc) {
    emc_error_set(err, EMC_ENOMEM, "out of memory");
    return NULL;
  }
  doc->tree = tree;
  return doc;
}

void emc_doc_free(emc_doc *doc)
{
  if (!doc)
    return;
  xmlFreeDoc(doc->tree);
  for (size_t i = 0; i < doc->n_res; i++) {
    free(doc->res[i].name);
    free(doc->res[i].media_type);
    free(doc->res[i].data);
  }
  free(doc->res);
  free(doc->slots);
  for (size_t i = 0; i < doc->cap_counters; i++)
    free(doc->counters[i].base);
  free(doc->counters);
  free(doc);
}

xmlDocPtr emc_doc_tree(const emc_doc *doc)
{
  return doc->tree;
}

xmlNodePtr emc_doc_meta(const emc_doc *doc)
{
  return first_child_named(xmlDocGetRootElement(doc->tree), "meta");
}

xmlNodePtr emc_doc_body(const emc_doc *doc)
{
  return first_child_named(xmlDocGetRootElement(doc->tree), "body");
}

static int is_meta_element(const char *key)
{
  for (const char *const *k = meta_elements; *k; k++)
    if (strcmp(*k, key) == 0)
      return 1;
  return 0;
}

static int meta_matches(xmlNodePtr n, const char *key)
{
  if (is_meta_element(key))
    return emc_ir_is(n, key);
  if (!emc_ir_is(n, "field"))
    return 0;
  xmlChar *name = xmlGetProp(n, BAD_CAST "name");
  int same = name && xmlStrEqual(name, BAD_CAST key);
  xmlFree(name);
  return same;
}

char *emc_doc_meta_get(const emc_doc *doc, const char *key)
{
  for (xmlNodePtr n = emc_doc_meta(doc)->children; n; n = n->next) {
    if (!meta_matches(n, key))
      continue;
    xmlChar *v = xmlNodeGetContent(n);
    char *copy = v ? emci_strdup((const char *)v) : NULL;
    xmlFree(v);
    return copy;
  }
  return NULL;
}

int emc_doc_meta_add(emc_doc *doc, const char *key, const char *value)
{
  xmlNodePtr meta = emc_doc_meta(doc);
  xmlNodePtr n = emc_ir_add(meta, is_meta_element(key) ? key : "field", NULL);
  if (!n)
    return EMC_ENOMEM;
  if (!is_meta_element(key) && !xmlSetProp(n, BAD_CAST "name", BAD_CAST key))
    return EMC_ENOMEM;
  if (value && *value) {
    xmlNodePtr t = xmlNewDocText(doc->tree, BAD_CAST value);
    if (!t)
      return EMC_ENOMEM;
    xmlAddChild(n, t);
  }
  if (strcmp(key, "language") == 0)
    xmlNodeSetLang(xmlDocGetRootElement(doc->tree), BAD_CAST value);
  return EMC_OK;
}

int emc_doc_meta_set(emc_doc *doc, const char *key, const char *value)
{
  xmlNodePtr meta = emc_doc_meta(doc), next;
  for (xmlNodePtr n = meta->children; n; n = next) {
    next = n->next;
    if (meta_matches(n, key)) {
      xmlUnlinkNode(n);
      xmlFreeNode(n);
    }
  }
  if (!value) {
    if (strcmp(key, "language") == 0) {
      xmlNodePtr root = xmlDocGetRootElement(doc->tree);
      xmlAttrPtr a = xmlHasNsProp(root, BAD_CAST "lang", XML_XML_NAMESPACE);
      if (a)
        xmlRemoveProp(a);
    }
    return EMC_OK;
  }
  return emc_doc_meta_add(doc, key, value);
}

/* ---- resources ---- */

/* FNV-1a: names are short and not chosen to collide with anything but
 * themselves; a collision costs a longer probe, never a wrong answer. */
static size_t name_hash(const char *s)
{
  uint64_t h = 14695981039346656037u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211u;
  return (size_t)h;
}

/* Keeps the table at most half full; rebuilt from RES when it grows. */
static int index_grow(emc_doc *doc)
{
  if (2 * (doc->n_res + 1) <= doc->n_slots)
    return EMC_OK;
  size_t n = doc->n_slots ? doc->n_slots * 2 : 16;
  size_t *slots = calloc(n, sizeof *slots);
  if (!slots)
    return EMC_ENOMEM;
  for (size_t i = 0; i < doc->n_res; i++) {
    size_t j = name_hash(doc->res[i].name) & (n - 1);
    while (slots[j])
      j = (j + 1) & (n - 1);
    slots[j] = i + 1;
  }
  free(doc->slots);
  doc->slots = slots;
  doc->n_slots = n;
  return EMC_OK;
}

static int path_safe_name(const char *name)
{
  if (!name || !*name || name[0] == '.' || strlen(name) > 200)
    return 0;
  for (const char *c = name; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
          (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-'))
      return 0;
  return 1;
}

int emc_doc_add_resource(emc_doc *doc, const char *name,
                         const char *media_type, const void *data,
                         size_t size, emc_error *err)
{
  if (!path_safe_name(name))
    return emc_error_set(err, EMC_EINVAL, "resource name '%s' is not path-safe",
                         name ? name : "(null)");
  if (emc_doc_resource_find(doc, name))
    return emc_error_set(err, EMC_EINVAL, "resource name '%s' is taken", name);
  if (index_grow(doc))
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  if (doc->n_res == doc->cap_res) {
    size_t cap = doc->cap_res ? doc->cap_res * 2 : 8;
    emc_resource *grown = realloc(doc->res, cap * sizeof *grown);
    if (!grown)
      return emc_error_set(err, EMC_ENOMEM, "out of memory");
    doc->res = grown;
    doc->cap_res = cap;
  }
  emc_resource r;
  r.name = emci_strdup(name);
  r.media_type = emci_strdup(media_type ? media_type : "application/octet-stream");
  r.data = malloc(size ? size : 1);
  r.size = size;
  if (!r.name || !r.media_type || !r.data) {
    free(r.name);
    free(r.media_type);
    free(r.data);
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  }
  if (size)
    memcpy(r.data, data, size);
  size_t j = name_hash(r.name) & (doc->n_slots - 1);
  while (doc->slots[j])
    j = (j + 1) & (doc->n_slots - 1);
  doc->slots[j] = doc->n_res + 1;
  doc->res[doc->n_res++] = r;
  return EMC_OK;
}

size_t emc_doc_resource_count(const emc_doc *doc)
{
  return doc->n_res;
}

const emc_resource *emc_doc_resource_at(const emc_doc *doc, size_t i)
{
  return i < doc->n_res ? &doc->res[i] : NULL;
}

const emc_resource *emc_doc_resource_find(const emc_doc *doc, const char *name)
{
  if (!doc->n_slots || !name)
    return NULL;
  size_t mask = doc->n_slots - 1;
  for (size_t i = name_hash(name) & mask; doc->slots[i]; i = (i + 1) & mask)
    if (strcmp(doc->res[doc->slots[i] - 1].name, name) == 0)
      return &doc->res[doc->slots[i] - 1];
  return NULL;
}

int emc_doc_resource_free_name(emc_doc *doc, const char *first, const char *base,
                               char *buf, size_t size)
{
  if (!size)
    return EMC_EINVAL;
  if (!emc_doc_resource_find(doc, first)) {
    if (strlen(first) >= size)
      return EMC_ELIMIT;
    memcpy(buf, first, strlen(first) + 1);
    return EMC_OK;
  }
  /* The counter of BASE: every number below it names a resource already,
   * and resources are never removed, so the search can resume there. */
  if (2 * (doc->n_counters + 1) > doc->cap_counters) {
    size_t cap = doc->cap_counters ? doc->cap_counters * 2 : 16;
    struct name_counter *grown = calloc(cap, sizeof *grown);
    if (!grown)
      return EMC_ENOMEM;
    for (size_t i = 0; i < doc->cap_counters; i++) {
      if (!doc->counters[i].base)
        continue;
      size_t j = name_hash(doc->counters[i].base) & (cap - 1);
      while (grown[j].base)
        j = (j + 1) & (cap - 1);
      grown[j] = doc->counters[i];
    }
    free(doc->counters);
    doc->counters = grown;
    doc->cap_counters = cap;
  }
  size_t mask = doc->cap_counters - 1, j = name_hash(base) & mask;
  while (doc->counters[j].base && strcmp(doc->counters[j].base, base) != 0)
    j = (j + 1) & mask;
  struct name_counter *c = &doc->counters[j];
  if (!c->base) {
    if (!(c->base = emci_strdup(base)))
      return EMC_ENOMEM;
    c->next = 2;
    doc->n_counters++;
  }
  for (;; c->next++) {
    int n = snprintf(buf, size, "%lu-%s", c->next, base);
    if (n < 0 || (size_t)n >= size)
      return EMC_ELIMIT;
    if (!emc_doc_resource_find(doc, buf))
      break;
  }
  return EMC_OK;
}

/* ---- parsing ---- */

static int take_resources(emc_doc *doc, emc_error *err);

struct valid_errors {
  char first[512];
  int count;
};
static void collect_error(void *user, EMC_XMLERROR e);
static int check_alignment(const emc_doc *doc, struct valid_errors *ve);
static int invalid(const struct valid_errors *ve, emc_error *err);

/* Elements whose content is blocks (or meta fields), never text: white
 * space between their children is indentation. */
static int block_container(const xmlNode *n)
{
  static const char *const names[] = {
    "document", "meta", "body", "section", "quote", "list", "item", "deflist",
    "definition", "table", "row", "cell", "figure", "note", "resources", "alignment", NULL
  };
  for (const char *const *p = names; *p; p++)
    if (emc_ir_is(n, *p))
      return 1;
  return 0;
}

static int only_space(const xmlChar *s)
{
  for (; s && *s; s++)
    if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
      return 0;
  return 1;
}

/* Iterative, so that nesting depth costs no stack. */
static void strip_indentation(xmlNodePtr root)
{
  xmlNodePtr n = root;
  while (n) {
    xmlNodePtr next = emc_ir_next(n, root, n->type == XML_ELEMENT_NODE);
    if ((n->type == XML_TEXT_NODE || n->type == XML_COMMENT_NODE ||
         n->type == XML_PI_NODE) && n->parent && block_container(n->parent) &&
        (n->type != XML_TEXT_NODE || only_space(n->content))) {
      xmlUnlinkNode(n);
      xmlFreeNode(n);
    }
    n = next;
  }
}

int emc_doc_parse(const void *data, size_t size, const char *name,
                  emc_doc **out, emc_error *err)
{
  if (size > INT32_MAX)
    return emc_error_set(err, EMC_ELIMIT, "IR input over 2 GiB");
  xmlParserCtxtPtr pc = xmlNewParserCtxt();
  if (!pc)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  /* No network, no DTD loading, no entity substitution.  A duplicate
   * xml:id is reported through the validity handlers, which print: the
   * thread's structured handler takes it instead (the schema check that
   * follows refuses the document). */
  struct valid_errors quiet = { "", 0 };
  xmlStructuredErrorFunc saved = xmlStructuredError;
  void *saved_ctx = xmlStructuredErrorContext;
  pc->vctxt.error = NULL;
  pc->vctxt.warning = NULL;
  xmlSetStructuredErrorFunc(&quiet, collect_error);
  xmlDocPtr tree = xmlCtxtReadMemory(pc, (const char *)data, (int)size,
                                     name, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                     XML_PARSE_NOWARNING);
  xmlSetStructuredErrorFunc(saved_ctx, saved);
  if (!tree) {
    const xmlError *e = xmlCtxtGetLastError(pc);
    int rc = emc_error_set(err, EMC_EPARSE, "not well-formed XML: %s",
                           e && e->message ? e->message : "parse error");
    if (e) {
      if (err && err->message) { /* drop libxml2's trailing newline */
        size_t l = strlen(err->message);
        if (l && err->message[l - 1] == '\n')
          err->message[l - 1] = '\0';
      }
      emc_error_set_position(err, name, e->line);
    }
    xmlFreeParserCtxt(pc);
    return rc;
  }
  xmlFreeParserCtxt(pc);
  if (tree->intSubset || tree->extSubset) {
    xmlFreeDoc(tree);
    return emc_error_set(err, EMC_EPARSE, "a DOCTYPE is not allowed in the IR");
  }
  emc_doc *doc = emc_doc_wrap(tree, err);
  if (!doc) {
    xmlFreeDoc(tree);
    return err ? err->code : EMC_EPARSE;
  }
  strip_indentation(xmlDocGetRootElement(tree));
  /* The grammar checked in linear time (RELAX NG took minutes on a long
   * document); --validate-ir adds the schema itself. */
  struct valid_errors ve = { "", 0 };
  int rc = emci_ir_check(tree, ve.first, sizeof ve.first, &ve.count);
  if (rc)
    rc = emc_error_set(err, rc, "out of memory");
  else if (ve.count == 0 && check_alignment(doc, &ve) == 0)
    rc = EMC_OK;
  else
    rc = invalid(&ve, err);
  if (rc == EMC_OK)
    rc = take_resources(doc, err);
  if (rc) {
    emc_doc_free(doc);
    return rc;
  }
  *out = doc;
  return EMC_OK;
}

/* ---- resources as XML: base64 ---- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *base64_encode(const unsigned char *d, size_t n)
{
  size_t out_len = (n + 2) / 3 * 4, lines = out_len / 76 + 2;
  char *o = malloc(out_len + lines + 1), *w = o;
  if (!o)
    return NULL;
  size_t col = 0;
  for (size_t i = 0; i < n; i += 3) {
    unsigned v = (unsigned)d[i] << 16 | (i + 1 < n ? (unsigned)d[i + 1] << 8 : 0) |
                 (i + 2 < n ? d[i + 2] : 0);
    *w++ = b64[v >> 18 & 63];
    *w++ = b64[v >> 12 & 63];
    *w++ = i + 1 < n ? b64[v >> 6 & 63] : '=';
    *w++ = i + 2 < n ? b64[v & 63] : '=';
    if ((col += 4) == 76 && i + 3 < n) {
      *w++ = '\n';
      col = 0;
    }
  }
  *w = '\0';
  return o;
}

/* Decodes base64 (white space ignored); NULL on a bad character. */
static unsigned char *base64_decode(const char *s, size_t *len)
{
  size_t n = strlen(s);
  unsigned char *o = malloc(n / 4 * 3 + 3), *w = o;
  unsigned v = 0;
  int bits = 0, pad = 0;
  if (!o)
    return NULL;
  for (; *s; s++) {
    const char *p;
    if (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
      continue;
    if (*s == '=') {
      pad++;
      continue;
    }
    if (pad || !(p = strchr(b64, *s))) {
      free(o);
      return NULL;
    }
    v = v << 6 | (unsigned)(p - b64);
    if ((bits += 6) >= 8) {
      bits -= 8;
      *w++ = (unsigned char)(v >> bits);
    }
  }
  *len = (size_t)(w - o);
  return o;
}

/* Moves a parsed <resources> element into DOC's resource table. */
static int take_resources(emc_doc *doc, emc_error *err)
{
  xmlNodePtr res = first_child_named(xmlDocGetRootElement(doc->tree), "resources");
  if (!res)
    return EMC_OK;
  for (xmlNodePtr r = res->children; r; r = r->next) {
    if (!emc_ir_is(r, "resource"))
      continue;
    xmlChar *name = xmlGetProp(r, BAD_CAST "name"), *type = xmlGetProp(r, BAD_CAST "type");
    xmlChar *text = xmlNodeGetContent(r);
    size_t len = 0;
    unsigned char *data = text ? base64_decode((const char *)text, &len) : NULL;
    int rc = data ? emc_doc_add_resource(doc, (const char *)name, (const char *)type, data, len, err)
                  : emc_error_set(err, EMC_EPARSE, "resource '%s': bad base64", name ? (char *)name : "");
    free(data);
    xmlFree(name);
    xmlFree(type);
    xmlFree(text);
    if (rc)
      return rc;
  }
  xmlUnlinkNode(res);
  xmlFreeNode(res);
  return EMC_OK;
}

int emc_doc_serialize(const emc_doc *doc, emc_output *out, emc_error *err)
{
  if (doc->n_res == 0)
    return emc_output_save_xml(out, doc->tree, 1, err);
  /* A copy, so that the caller's (const) tree stays as it is. */
  xmlDocPtr copy = xmlCopyDoc(doc->tree, 1);
  xmlNodePtr res = copy ? emc_ir_add(xmlDocGetRootElement(copy), "resources", NULL) : NULL;
  int rc = res ? EMC_OK : emc_error_set(err, EMC_ENOMEM, "out of memory");
  for (size_t i = 0; rc == EMC_OK && i < doc->n_res; i++) {
    char *text = base64_encode(doc->res[i].data, doc->res[i].size);
    xmlNodePtr r = text ? emc_ir_add(res, "resource", text) : NULL;
    if (!r || !xmlSetProp(r, BAD_CAST "name", BAD_CAST doc->res[i].name) ||
        !xmlSetProp(r, BAD_CAST "type", BAD_CAST doc->res[i].media_type))
      rc = emc_error_set(err, EMC_ENOMEM, "out of memory");
    free(text);
  }
  if (rc == EMC_OK)
    rc = emc_output_save_xml(out, copy, 1, err);
  xmlFreeDoc(copy);
  return rc;
}

void emc_doc_swap_tree(emc_doc *doc, emc_doc *from)
{
  xmlDocPtr t = doc->tree;
  doc->tree = from->tree;
  from->tree = t;
}

/* ---- schema validation ---- */

static pthread_once_t schema_once = PTHREAD_ONCE_INIT;
static xmlRelaxNGPtr ir_schema;

static void silent_structured(void *user, EMC_XMLERROR e)
{
  (void)user;
  (void)e;
}

static void load_schema(void)
{
  xmlRelaxNGParserCtxtPtr pc =
      xmlRelaxNGNewMemParserCtxt(emci_ir_schema, (int)strlen(emci_ir_schema));
  if (!pc)
    return;
  xmlRelaxNGSetParserStructuredErrors(pc, silent_structured, NULL);
  ir_schema = xmlRelaxNGParse(pc);
  xmlRelaxNGFreeParserCtxt(pc);
}

static void collect_error(void *user, EMC_XMLERROR e)
{
  struct valid_errors *ve = user;
  if (ve->count++ == 0 && e && e->message) {
    snprintf(ve->first, sizeof ve->first, "line %d: %s", e->line, e->message);
    size_t n = strlen(ve->first);
    while (n && (ve->first[n - 1] == '\n' || ve->first[n - 1] == ' '))
      ve->first[--n] = '\0';
  }
}

/* What the schema cannot say about a parallel text (IR 1.1): each link of
 * the <alignment> names text blocks of different translation sections. */
static int check_alignment(const emc_doc *doc, struct valid_errors *ve)
{
  xmlNodePtr root = xmlDocGetRootElement(doc->tree);
  for (xmlNodePtr al = root->children; al; al = al->next) {
    if (!emc_ir_is(al, "alignment"))
      continue;
    for (xmlNodePtr link = al->children; link; link = link->next) {
      if (!emc_ir_is(link, "link"))
        continue;
      xmlChar *targets = xmlGetProp(link, BAD_CAST "targets");
      const xmlNode *seen[64];
      size_t n_seen = 0;
      char *save = NULL;
      for (char *t = targets ? strtok_r((char *)targets, " \t\r\n", &save) : NULL; t;
           t = strtok_r(NULL, " \t\r\n", &save)) {
        xmlAttrPtr a = xmlGetID(doc->tree, BAD_CAST t);
        const xmlNode *n = a ? a->parent : NULL, *sec = n;
        while (sec && !(emc_ir_is(sec, "section") && sec->parent && emc_ir_is(sec->parent, "body")))
          sec = sec->parent;
        const char *why = NULL;
        xmlChar *type = sec ? xmlGetProp(sec, BAD_CAST "type") : NULL;
        if (!type || !xmlStrEqual(type, BAD_CAST "translation"))
          why = "is not in a translation section";
        xmlFree(type);
        for (size_t i = 0; !why && i < n_seen; i++)
          if (seen[i] == sec)
            why = "is in the same translation as another target of the link";
        if (!why && n_seen < sizeof seen / sizeof seen[0])
          seen[n_seen++] = sec;
        if (why) {
          snprintf(ve->first, sizeof ve->first, "line %ld: alignment link target '%s' %s",
                   xmlGetLineNo(link), t, why);
          ve->count = 1;
          xmlFree(targets);
          return -1;
        }
      }
      xmlFree(targets);
    }
  }
  return 0;
}

int emc_doc_validate(const emc_doc *doc, emc_error *err)
{
  pthread_once(&schema_once, load_schema);
  if (!ir_schema)
    return emc_error_set(err, EMC_ERROR, "the built-in IR schema does not compile");
  xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(ir_schema);
  if (!vc)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  struct valid_errors ve = { "", 0 };
  xmlRelaxNGSetValidStructuredErrors(vc, collect_error, &ve);
  /* Duplicate IDs and dangling IDREFs are reported through the thread's
   * handler, not the context's: catch them too, never print. */
  xmlStructuredErrorFunc saved = xmlStructuredError;
  void *saved_ctx = xmlStructuredErrorContext;
  xmlSetStructuredErrorFunc(&ve, collect_error);
  int r = xmlRelaxNGValidateDoc(vc, doc->tree);
  xmlSetStructuredErrorFunc(saved_ctx, saved);
  xmlRelaxNGFreeValidCtxt(vc);
  if (r == 0 && ve.count == 0)
    r = check_alignment(doc, &ve);
  if (r == 0)
    return EMC_OK;
  return invalid(&ve, err);
}

static int invalid(const struct valid_errors *ve, emc_error *err)
{
  return emc_error_set(err, EMC_EPARSE, "IR not valid against ir.rng (%d problem%s; first: %s)",
                       ve->count, ve->count == 1 ? "" : "s", ve->first[0] ? ve->first : "unknown");
}
