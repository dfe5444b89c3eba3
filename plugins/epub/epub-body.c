/* SPDX-License-Identifier: MIT */
/* epub-body.c - the IR body as XHTML content documents.
 *
 * Two passes over the tree.  The plan (first pass) decides where the book
 * is split into content documents: before every top-level section, and,
 * once a document holds EPUB_CHUNK_BYTES of text, before the next block
 * or section at any depth (never between a heading and what follows it,
 * never inside a list, table or quote).  It also gives every heading its
 * id and document (for the navigation documents) and records the document
 * each xml:id lands in, so that "#id" links can point across documents.
 * The render (second pass) builds one document at a time, writes it into
 * the package and frees it, so memory stays at one document's worth.
 *
 * IR sections become nested <section>s; a document that starts inside a
 * section reopens its ancestors' <section>s (without their ids).  Notes
 * become EPUB 3 footnotes: <a epub:type="noteref"> at the reference point
 * and <aside epub:type="footnote"> at the end of the same document, with a
 * back link.  A note inside a link gets its noteref after the link (a
 * link in a link is not HTML).  Recursion follows the IR's depth, which
 * every reader bounds (emc_limits.max_depth). */
#include <config.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "epub.h"
#include "../common/frontmatter.h"
#include <emuconv/url.h>
#include "../common/datetime.h"

/* ------------------------------------------------------------ helpers */

int epub_fail(epub *e, int code, const char *fmt, ...)
{
  if (e->rc)
    return e->rc;
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  e->rc = emc_error_set(e->err, code, "%s", msg);
  return e->rc;
}

const char *epub_chunk_name(size_t i, char buf[32])
{
  snprintf(buf, 32, "c%04zu.xhtml", i + 1);
  return buf;
}

static int grow(epub *e, void **arr, size_t *cap, size_t n, size_t size)
{
  if (emc_array_grow(arr, cap, n + 1, size)) {
    epub_oom(e);
    return -1;
  }
  return 0;
}

xmlNodePtr epub_el(epub *e, xmlNodePtr parent, const char *name, const char *text)
{
  if (!parent || e->rc)
    return NULL;
  xmlNodePtr n = xmlNewDocNode(parent->doc, parent->ns, BAD_CAST name, NULL);
  if (!n) {
    epub_oom(e);
    return NULL;
  }
  xmlAddChild(parent, n);
  if (text && *text) {
    xmlNodePtr t = xmlNewDocText(parent->doc, BAD_CAST text);
    if (!t)
      epub_oom(e);
    else
      xmlAddChild(n, t);
  }
  return n;
}

static void add_text(epub *e, xmlNodePtr parent, const xmlChar *text)
{
  if (!parent || !text || !*text || e->rc)
    return;
  xmlNodePtr t = xmlNewDocText(parent->doc, text);
  if (!t)
    epub_oom(e);
  else
    xmlAddChild(parent, t);
}

void epub_attr(epub *e, xmlNodePtr n, const char *name, const char *value)
{
  if (n && value && !e->rc && !xmlNewProp(n, BAD_CAST name, BAD_CAST value))
    epub_oom(e);
}

void epub_type(epub *e, xmlNodePtr n, const char *value)
{
  if (!n || e->rc)
    return;
  xmlNsPtr ops = xmlSearchNsByHref(n->doc, n, BAD_CAST EPUB_OPS_NS);
  if (!ops || !xmlNewNsProp(n, ops, BAD_CAST "type", BAD_CAST value))
    epub_oom(e);
}

void epub_set_lang(epub *e, xmlNodePtr n, const char *lang)
{
  if (!n || !lang || e->rc)
    return;
  epub_attr(e, n, "lang", lang);
  xmlNodeSetLang(n, BAD_CAST lang);
}

xmlDocPtr epub_xhtml_new(epub *e, const char *title, const char *lang,
                         xmlNodePtr *body)
{
  xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
  if (!doc) {
    epub_oom(e);
    return NULL;
  }
  xmlNodePtr root = xmlNewDocNode(doc, NULL, BAD_CAST "html", NULL);
  xmlNsPtr ns = root ? xmlNewNs(root, BAD_CAST EPUB_XHTML_NS, NULL) : NULL;
  if (!xmlCreateIntSubset(doc, BAD_CAST "html", NULL, NULL) || !root || !ns ||
      !xmlNewNs(root, BAD_CAST EPUB_OPS_NS, BAD_CAST "epub")) {
    xmlFreeNode(root);
    xmlFreeDoc(doc);
    epub_oom(e);
    return NULL;
  }
  xmlSetNs(root, ns);
  xmlDocSetRootElement(doc, root);
  epub_set_lang(e, root, lang);
  if (lang && webtext_lang_rtl(lang))
    epub_attr(e, root, "dir", "rtl");
  xmlNodePtr head = epub_el(e, root, "head", NULL);
  xmlNodePtr meta = epub_el(e, head, "meta", NULL);
  epub_attr(e, meta, "charset", "UTF-8");
  epub_el(e, head, "title", title && *title ? title : "-");
  xmlNodePtr link = epub_el(e, head, "link", NULL);
  epub_attr(e, link, "rel", "stylesheet");
  epub_attr(e, link, "type", "text/css");
  epub_attr(e, link, "href", e->css_href ? e->css_href : "style.css");
  *body = epub_el(e, root, "body", NULL);
  if (e->rc) {
    xmlFreeDoc(doc);
    return NULL;
  }
  return doc;
}

/* Attribute NAME (no namespace, or the XML namespace when XML is set)
 * of N, borrowed from the tree; NULL when absent or not a plain value. */
static const xmlChar *prop(const xmlNode *n, const char *name, int xml)
{
  for (const xmlAttr *a = n->properties; a; a = a->next) {
    if (!xmlStrEqual(a->name, BAD_CAST name))
      continue;
    if (xml ? !(a->ns && xmlStrEqual(a->ns->href, XML_XML_NAMESPACE)) : a->ns != NULL)
      continue;
    if (!a->children)
      return BAD_CAST "";
    if (a->children->type == XML_TEXT_NODE && !a->children->next)
      return a->children->content;
    return NULL;
  }
  return NULL;
}

static int prop_bool(const xmlNode *n, const char *name)
{
  const xmlChar *v = prop(n, name, 0);
  return v && (xmlStrEqual(v, BAD_CAST "true") || xmlStrEqual(v, BAD_CAST "1"));
}

char *epub_map_id(const xmlChar *id)
{
  if (!id)
    return NULL;
  size_t n = strlen((const char *)id);
  int clash = strncmp((const char *)id, "emc-", 4) == 0;
  char *out = malloc(n + (clash ? 6 : 0) + 1);
  if (!out)
    return NULL;
  snprintf(out, n + 7, "%s%s", clash ? "emc-x-" : "", (const char *)id);
  return out;
}

static int id_cmp(const void *a, const void *b)
{
  return strcmp((const char *)((const epub_id *)a)->id,
                (const char *)((const epub_id *)b)->id);
}

size_t epub_find_id(const epub *e, const xmlChar *id)
{
  if (!id || !e->n_ids)
    return (size_t)-1;
  epub_id key = { id, 0 };
  const epub_id *hit = bsearch(&key, e->ids, e->n_ids, sizeof *e->ids, id_cmp);
  return hit ? hit->chunk : (size_t)-1;
}

/* --------------------------------------------------------- plain text */

/* Plain text being gathered, white space folded. */
struct plain {
  emc_buf buf;
  int space; /* a space is pending */
  int oom;   /* an append failed: the text is incomplete */
};

static void sb_fold(struct plain *b, const xmlChar *s)
{
  for (; *s && !b->oom; s++) {
    if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
      b->space = b->buf.len > 0;
      continue;
    }
    if ((b->space && emc_buf_append_byte(&b->buf, ' ')) || emc_buf_append_byte(&b->buf, *s))
      b->oom = 1;
    b->space = 0;
  }
}

static void plain_walk(struct plain *b, const xmlNode *n)
{
  for (; n; n = n->next) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
      sb_fold(b, n->content);
    else if (n->type == XML_ELEMENT_NODE && !emc_ir_is(n, "note")) {
      if (emc_ir_is(n, "br"))
        b->space = b->buf.len > 0;
      plain_walk(b, n->children);
    }
  }
}

char *epub_plain_text(const xmlNode *node)
{
  struct plain b = { EMC_BUF_INIT, 0, 0 };
  plain_walk(&b, node->children);
  if (b.oom) {
    emc_buf_release(&b.buf);
    return NULL;
  }
  return emc_buf_steal(&b.buf, NULL);
}

/* ---------------------------------------------------------- the plan */

struct plan {
  size_t size;      /* text bytes in the current document */
  int nonempty;     /* it holds something */
  int after_heading;/* the last thing in it is a heading */
};

static void plan_id(epub *e, const xmlNode *n)
{
  const xmlChar *id = prop(n, "id", 1);
  if (!id || !*id || grow(e, (void **)&e->ids, &e->cap_ids, e->n_ids, sizeof *e->ids))
    return;
  e->ids[e->n_ids].id = id;
  e->ids[e->n_ids++].chunk = e->n_chunks - 1;
}

static epub_image *find_image(epub *e, const xmlChar *name)
{
  if (!name)
    return NULL;
  const emc_resource *r = emc_doc_resource_find(e->doc, (const char *)name);
  for (size_t i = 0; r && i < e->n_images; i++)
    if (e->images[i].res == r)
      return e->images[i].media_type ? &e->images[i] : NULL;
  return NULL;
}

static void plan_scan(epub *e, const xmlNode *first, size_t *size);

/* Counts the text of N's subtree into *SIZE, records its ids and marks
 * the images it uses. */
static void plan_node(epub *e, const xmlNode *n, size_t *size)
{
  if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
    *size += (size_t)xmlStrlen(n->content);
    return;
  }
  if (n->type != XML_ELEMENT_NODE)
    return;
  if (n->properties) {
    plan_id(e, n);
    if (emc_ir_is(n, "image")) {
      epub_image *img = find_image(e, prop(n, "ref", 0));
      if (img)
        img->used = 1;
    }
  }
  plan_scan(e, n->children, size);
}

static void plan_scan(epub *e, const xmlNode *first, size_t *size)
{
  for (const xmlNode *n = first; n && !e->rc; n = n->next)
    plan_node(e, n, size);
}

static void plan_split(epub *e, const xmlNode *n, struct plan *ps)
{
  if (grow(e, (void **)&e->splits, &e->cap_splits, e->n_splits, sizeof *e->splits))
    return;
  e->splits[e->n_splits++] = n;
  e->n_chunks++;
  ps->size = 0;
  ps->nonempty = 0;
}

static const xmlNode *heading_of(const xmlNode *section)
{
  for (const xmlNode *c = section->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      return emc_ir_is(c, "heading") ? c : NULL;
  return NULL;
}

/* A parallel book's version (section type="translation") is named in the
 * navigation with its language's name first ("Bahasa Indonesia: ..."):
 * the versions' titles alone are cut and look alike. */
static void translation_label(epub *e, const xmlNode *n, epub_toc_entry *t)
{
  xmlChar *type = xmlGetProp(n, BAD_CAST "type");
  int tr = type && xmlStrEqual(type, BAD_CAST "translation");
  xmlFree(type);
  const char *name = tr && t->lang ? fm_language_name(t->lang) : NULL;
  if (!name || !t->label)
    return;
  size_t len = strlen(name) + strlen(t->label) + 3;
  char *s = malloc(len);
  if (!s) {
    epub_oom(e);
    return;
  }
  snprintf(s, len, *t->label ? "%s: %s" : "%s%s", name, t->label);
  free(t->label);
  t->label = s;
}

static void plan_section(epub *e, const xmlNode *n, int depth, struct plan *ps)
{
  if (grow(e, (void **)&e->toc, &e->cap_toc, e->n_toc, sizeof *e->toc))
    return;
  epub_toc_entry *t = &e->toc[e->n_toc];
  memset(t, 0, sizeof *t);
  t->section = n;
  t->depth = depth;
  t->level = emc_ir_section_level(n);
  if (t->level < 1)
    t->level = depth < 6 ? depth : 6;
  /* Headings in order (WCAG 1.3.1, EPUB Accessibility): a section's
   * heading is at most one level below its parent section's, so a Word
   * document going from Heading 1 to Heading 3 gives h1, h2, not a gap.
   * The parent is the last entry one level up (entries are in document
   * order). */
  int parent_level = 0;
  for (size_t i = e->n_toc; depth > 1 && i-- > 0;)
    if (e->toc[i].depth == depth - 1) {
      parent_level = e->toc[i].level;
      break;
    }
  if (t->level > parent_level + 1)
    t->level = parent_level + 1;
  t->chunk = e->n_chunks - 1;
  e->n_toc++;
  plan_id(e, n);
  const xmlNode *h = heading_of(n);
  const xmlChar *hid = NULL;
  if (h) {
    hid = prop(h, "id", 1);
    plan_id(e, h);
    plan_scan(e, h->children, &ps->size);
    t->label = epub_plain_text(h);
  } else
    t->label = calloc(1, 1);
  if (!t->label) {
    epub_oom(e);
    return;
  }
  xmlChar *lang = xmlNodeGetLang(h ? h : n);
  if (lang && webtext_lang_ok((const char *)lang) && !(t->lang = strdup((const char *)lang))) {
    xmlFree(lang);
    epub_oom(e);
    return;
  }
  xmlFree(lang);
  translation_label(e, n, t);
  if (!*t->label) { /* a heading without text (an image...): still a label */
    free(t->label);
    t->label = malloc(32);
    if (t->label)
      snprintf(t->label, 32, "\xC2\xA7 %zu", e->n_toc);
  }
  if (hid && *hid)
    t->id = epub_map_id(hid);
  else if ((t->id = malloc(32)))
    snprintf(t->id, 32, "emc-h%zu", e->n_toc);
  if (!t->label || !t->id)
    epub_oom(e);
}

static void plan_container(epub *e, const xmlNode *container, int depth,
                           struct plan *ps)
{
  for (const xmlNode *n = container->children; n && !e->rc; n = n->next) {
    if (n->type != XML_ELEMENT_NODE || emc_ir_is(n, "heading"))
      continue;
    int full = ps->size >= EPUB_CHUNK_BYTES && !ps->after_heading;
    if (emc_ir_is(n, "section")) {
      if (ps->nonempty && (depth == 0 || full))
        plan_split(e, n, ps);
      plan_section(e, n, depth + 1, ps);
      ps->nonempty = 1;
      ps->after_heading = 1;
      plan_container(e, n, depth + 1, ps);
    } else {
      if (ps->nonempty && full)
        plan_split(e, n, ps);
      plan_node(e, n, &ps->size);
      ps->nonempty = 1;
      ps->after_heading = 0;
    }
  }
}

int epub_plan(epub *e)
{
  struct plan ps = { 0 };
  e->n_chunks = 1;
  plan_container(e, emc_doc_body(e->doc), 0, &ps);
  if (!e->rc && e->n_ids)
    qsort(e->ids, e->n_ids, sizeof *e->ids, id_cmp);
  return e->rc;
}

/* -------------------------------------------------------- the render */

/* Copies xml:lang, class and (when WITH_ID) xml:id; EXTRA_CLASS goes
 * before the IR's classes. */
static void common(epub *e, const xmlNode *from, xmlNodePtr to, int with_id,
                   const char *extra_class)
{
  if (!to)
    return;
  const xmlChar *cls = NULL;
  for (const xmlAttr *a = from->properties; a; a = a->next) {
    const xmlChar *v = a->children && a->children->type == XML_TEXT_NODE &&
                               !a->children->next ? a->children->content : NULL;
    if (!v)
      continue;
    if (a->ns && xmlStrEqual(a->ns->href, XML_XML_NAMESPACE)) {
      if (xmlStrEqual(a->name, BAD_CAST "lang") && webtext_lang_ok((const char *)v))
        epub_set_lang(e, to, (const char *)v);
      else if (with_id && xmlStrEqual(a->name, BAD_CAST "id") && *v) {
        char *id = epub_map_id(v);
        if (!id)
          epub_oom(e);
        epub_attr(e, to, "id", id);
        free(id);
      }
    } else if (!a->ns && xmlStrEqual(a->name, BAD_CAST "class") && *v)
      cls = v;
  }
  if (extra_class && cls) {
    size_t n = strlen(extra_class) + (size_t)xmlStrlen(cls) + 2;
    char *both = malloc(n);
    if (!both) {
      epub_oom(e);
      return;
    }
    snprintf(both, n, "%s %s", extra_class, (const char *)cls);
    epub_attr(e, to, "class", both);
    free(both);
  } else if (extra_class || cls)
    epub_attr(e, to, "class", extra_class ? extra_class : (const char *)cls);
}

static void blocks(epub *e, const xmlNode *first, xmlNodePtr parent);
static void inlines(epub *e, const xmlNode *first, xmlNodePtr parent, int in_link);

static char *note_id(epub *e, const xmlNode *note, size_t num)
{
  const xmlChar *id = prop(note, "id", 1);
  char *s = id && *id ? epub_map_id(id) : malloc(32);
  if (!s)
    epub_oom(e);
  else if (!(id && *id))
    snprintf(s, 32, "emc-fn%zu", num);
  return s;
}

static void noteref(epub *e, const xmlNode *note, xmlNodePtr parent)
{
  if (e->rc || grow(e, (void **)&e->notes, &e->cap_notes, e->n_notes, sizeof *e->notes))
    return;
  size_t num = ++e->n_notes_total;
  e->notes[e->n_notes].note = note;
  e->notes[e->n_notes++].num = num;
  char text[24], ref[40], href[300];
  snprintf(text, sizeof text, "%zu", num);
  snprintf(ref, sizeof ref, "emc-fnref%zu", num);
  char *id = note_id(e, note, num);
  if (!id)
    return;
  snprintf(href, sizeof href, "#%s", id);
  xmlNodePtr a = epub_el(e, parent, "a", text);
  epub_type(e, a, "noteref");
  epub_attr(e, a, "role", "doc-noteref");
  epub_attr(e, a, "class", "noteref");
  epub_attr(e, a, "id", ref);
  if (strlen(id) + 1 < sizeof href)
    epub_attr(e, a, "href", href);
  else { /* an absurdly long xml:id: build the href on the heap */
    char *h = malloc(strlen(id) + 2);
    if (!h)
      epub_oom(e);
    else {
      h[0] = '#';
      strcpy(h + 1, id);
      epub_attr(e, a, "href", h);
      free(h);
    }
  }
  free(id);
}

static void link_href(epub *e, const xmlNode *n, xmlNodePtr a)
{
  const xmlChar *href = prop(n, "href", 0);
  if (!href || !*href)
    return;
  if (href[0] == '#') {
    size_t chunk = epub_find_id(e, href + 1);
    if (chunk == (size_t)-1)
      return; /* a target that is not in the book: a plain <a> */
    char *id = epub_map_id(href + 1);
    char name[32];
    size_t len = id ? strlen(id) + 48 : 0;
    char *out = id ? malloc(len) : NULL;
    if (!out)
      epub_oom(e);
    else {
      snprintf(out, len, "%s#%s", chunk == e->chunk ? "" : epub_chunk_name(chunk, name), id);
      epub_attr(e, a, "href", out);
    }
    free(out);
    free(id);
  } else if (emc_url_is_safe((const char *)href) && webtext_url_ok((const char *)href)) {
    char *u = webtext_url_escape((const char *)href);
    if (!u)
      epub_oom(e);
    epub_attr(e, a, "href", u);
    free(u);
  }
  /* anything else (a relative path, javascript:...) would point outside
   * the book or be refused by reading systems: the text stays, unlinked */
}

/* IN_LINK: inside an <a> (whose own link an external image's must not
 * nest in: HTML forbids a link inside a link). */
static void image(epub *e, const xmlNode *n, xmlNodePtr parent, int block, int in_link)
{
  const xmlChar *alt = prop(n, "alt", 0);
  epub_image *img = find_image(e, prop(n, "ref", 0));
  if (img) {
    xmlNodePtr el = epub_el(e, parent, "img", NULL);
    epub_attr(e, el, "src", img->href);
    epub_attr(e, el, "alt", alt ? (const char *)alt : "");
    common(e, n, el, 1, NULL);
    return;
  }
  /* An external image (never fetched; EPUB wants images inside the
   * container) or a resource no reading system is sure to show: a link to
   * it, or its description. */
  const xmlChar *src = prop(n, "src", 0);
  int linkable = src && emc_url_is_safe((const char *)src) && webtext_url_ok((const char *)src);
  int link = linkable && !in_link;
  const char *text = alt && *alt ? (const char *)alt : linkable ? (const char *)src : NULL;
  if (!text)
    return;
  if (block)
    parent = epub_el(e, parent, "p", NULL);
  xmlNodePtr el = epub_el(e, parent, link ? "a" : "span", text);
  if (link) {
    char *u = webtext_url_escape((const char *)src);
    if (!u)
      epub_oom(e);
    epub_attr(e, el, "href", u);
    free(u);
  }
  common(e, n, el, 1, "image-missing");
}

static void inline_el(epub *e, const xmlNode *n, xmlNodePtr parent,
                      const char *name, int in_link)
{
  xmlNodePtr el = epub_el(e, parent, name, NULL);
  common(e, n, el, 1, NULL);
  inlines(e, n->children, el, in_link);
}

static void inlines(epub *e, const xmlNode *first, xmlNodePtr parent, int in_link)
{
  for (const xmlNode *n = first; n && !e->rc; n = n->next) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      add_text(e, parent, n->content);
      continue;
    }
    if (n->type != XML_ELEMENT_NODE)
      continue;
    const char *name = (const char *)n->name;
    if (emc_ir_is(n, "em") || emc_ir_is(n, "strong") || emc_ir_is(n, "u") ||
        emc_ir_is(n, "sup") || emc_ir_is(n, "sub") || emc_ir_is(n, "span"))
      inline_el(e, n, parent, name, in_link);
    else if (emc_ir_is(n, "code")) {
      xmlChar *s = xmlNodeGetContent(n);
      xmlNodePtr c = epub_el(e, parent, "code", (const char *)s);
      xmlFree(s);
      common(e, n, c, 1, NULL);
    } else if (emc_ir_is(n, "a")) {
      if (in_link) { /* a link inside a link: its text only */
        inline_el(e, n, parent, "span", 1);
        continue;
      }
      size_t mark = e->n_deferred;
      xmlNodePtr a = epub_el(e, parent, "a", NULL);
      link_href(e, n, a);
      common(e, n, a, 1, NULL);
      inlines(e, n->children, a, 1);
      for (size_t i = mark; i < e->n_deferred; i++)
        noteref(e, e->deferred[i], parent);
      e->n_deferred = mark;
    } else if (emc_ir_is(n, "note")) {
      if (!in_link)
        noteref(e, n, parent);
      else if (!grow(e, (void **)&e->deferred, &e->cap_deferred, e->n_deferred,
                     sizeof *e->deferred))
        e->deferred[e->n_deferred++] = n;
    } else if (emc_ir_is(n, "ref")) {
      const xmlChar *type = prop(n, "type", 0);
      char cls[80];
      snprintf(cls, sizeof cls, "ref-%.70s", type && *type ? (const char *)type : "entity");
      xmlNodePtr s = epub_el(e, parent, "span", NULL);
      common(e, n, s, 1, cls);
      inlines(e, n->children, s, in_link);
    } else if (emc_ir_is(n, "ins") || emc_ir_is(n, "del")) {
      /* a tracked change: HTML's own edit elements; who made it goes in
       * the title (HTML has no attribute for it), when in datetime */
      xmlNodePtr c = epub_el(e, parent, name, NULL);
      common(e, n, c, 1, NULL);
      const xmlChar *author = prop(n, "author", 0), *date = prop(n, "date", 0);
      if (author && *author)
        epub_attr(e, c, "title", (const char *)author);
      if (date && emc_is_portable_datetime((const char *)date))
        epub_attr(e, c, "datetime", (const char *)date);
      inlines(e, n->children, c, in_link);
    } else if (emc_ir_is(n, "image"))
      image(e, n, parent, 0, in_link);
    else if (emc_ir_is(n, "br"))
      epub_el(e, parent, "br", NULL);
    else /* not in the IR 1.0 vocabulary: keep its text */
      inlines(e, n->children, parent, in_link);
  }
}

/* The content of an item, cell, definition: blocks; a first paragraph
 * without attributes, when no other paragraph follows, goes in as text. */
static void flow(epub *e, const xmlNode *container, xmlNodePtr to)
{
  const xmlNode *first = NULL;
  int paragraphs = 0;
  for (const xmlNode *c = container->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE) {
      if (!first)
        first = c;
      paragraphs += emc_ir_is(c, "p");
    }
  if (first && emc_ir_is(first, "p") && !first->properties && paragraphs == 1) {
    inlines(e, first->children, to, 0);
    blocks(e, first->next, to);
  } else
    blocks(e, container->children, to);
}

static void list(epub *e, const xmlNode *n, xmlNodePtr parent)
{
  int ordered = prop_bool(n, "ordered");
  const xmlChar *style = prop(n, "style", 0);
  const char *cls = NULL, *type = NULL;
  if (style) {
    static const char *const map[][3] = {
      { "lower-alpha", "a", NULL }, { "upper-alpha", "A", NULL },
      { "lower-roman", "i", NULL }, { "upper-roman", "I", NULL },
      { "circle", NULL, "list-circle" }, { "square", NULL, "list-square" },
      { "dash", NULL, "list-dash" },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
      if (xmlStrEqual(style, BAD_CAST map[i][0])) {
        type = ordered ? map[i][1] : NULL;
        cls = ordered ? NULL : map[i][2];
      }
  }
  xmlNodePtr l = epub_el(e, parent, ordered ? "ol" : "ul", NULL);
  if (ordered) {
    const xmlChar *start = prop(n, "start", 0);
    char *end;
    long v = start ? strtol((const char *)start, &end, 10) : 1;
    if (start && *start && !*end && v != 1) {
      char buf[24];
      snprintf(buf, sizeof buf, "%ld", v);
      epub_attr(e, l, "start", buf);
    }
    epub_attr(e, l, "type", type);
  }
  /* Items with their labels as printed ("đ)", "(iv)"): no generated
   * number, the label shown before the item's text. */
  const xmlNode *first = n->children;
  while (first && !emc_ir_is(first, "item"))
    first = first->next;
  int labelled = first && prop(first, "label", 0);
  if (labelled) {
    cls = "labelled";
    epub_attr(e, l, "style", "list-style-type: none");
  }
  common(e, n, l, 1, cls);
  for (const xmlNode *c = n->children; c && !e->rc; c = c->next) {
    if (!emc_ir_is(c, "item"))
      continue;
    xmlNodePtr li = epub_el(e, l, "li", NULL);
    common(e, c, li, 1, NULL);
    const xmlChar *label = labelled ? prop(c, "label", 0) : NULL;
    if (label) {
      xmlNodePtr span = epub_el(e, li, "span", (const char *)label);
      epub_attr(e, span, "class", "label");
      xmlNodeAddContent(li, BAD_CAST " ");
    }
    flow(e, c, li);
  }
}

static void deflist(epub *e, const xmlNode *n, xmlNodePtr parent)
{
  xmlNodePtr dl = epub_el(e, parent, "dl", NULL);
  common(e, n, dl, 1, NULL);
  int open_term = 0;
  for (const xmlNode *c = n->children; c && !e->rc; c = c->next) {
    if (emc_ir_is(c, "term")) {
      xmlNodePtr dt = epub_el(e, dl, "dt", NULL);
      common(e, c, dt, 1, NULL);
      inlines(e, c->children, dt, 0);
      open_term = 1;
    } else if (emc_ir_is(c, "definition")) {
      xmlNodePtr dd = epub_el(e, dl, "dd", NULL);
      common(e, c, dd, 1, NULL);
      flow(e, c, dd);
      open_term = 0;
    }
  }
  if (open_term) /* HTML wants every group of <dt> followed by a <dd> */
    epub_el(e, dl, "dd", NULL);
}

static void span_attr(epub *e, const xmlNode *cell, const char *name, xmlNodePtr to,
                      long max)
{
  const xmlChar *v = prop(cell, name, 0);
  if (!v)
    return;
  char *end;
  long n = strtol((const char *)v, &end, 10);
  if (*end || n <= 1)
    return;
  char buf[24];
  snprintf(buf, sizeof buf, "%ld", n > max ? max : n);
  epub_attr(e, to, name, buf);
}

static void table(epub *e, const xmlNode *n, xmlNodePtr parent)
{
  xmlNodePtr t = epub_el(e, parent, "table", NULL);
  common(e, n, t, 1, NULL);
  for (const xmlNode *c = n->children; c; c = c->next)
    if (emc_ir_is(c, "caption")) {
      xmlNodePtr cap = epub_el(e, t, "caption", NULL);
      common(e, c, cap, 1, NULL);
      inlines(e, c->children, cap, 0);
      break;
    }
  xmlNodePtr thead = NULL, tbody = NULL;
  for (const xmlNode *r = n->children; r && !e->rc; r = r->next) {
    if (!emc_ir_is(r, "row"))
      continue;
    int head = prop_bool(r, "header");
    xmlNodePtr group;
    if (head && !tbody) /* leading header rows: the table head */
      group = thead ? thead : (thead = epub_el(e, t, "thead", NULL));
    else
      group = tbody ? tbody : (tbody = epub_el(e, t, "tbody", NULL));
    xmlNodePtr tr = epub_el(e, group, "tr", NULL);
    for (const xmlNode *c = r->children; c && !e->rc; c = c->next) {
      if (!emc_ir_is(c, "cell"))
        continue;
      xmlNodePtr td = epub_el(e, tr, head || prop_bool(c, "header") ? "th" : "td", NULL);
      span_attr(e, c, "colspan", td, 1000);
      span_attr(e, c, "rowspan", td, 65534);
      common(e, c, td, 1, NULL);
      flow(e, c, td);
    }
  }
}

static void block(epub *e, const xmlNode *n, xmlNodePtr parent)
{
  if (emc_ir_is(n, "p")) {
    xmlNodePtr p = epub_el(e, parent, "p", NULL);
    common(e, n, p, 1, NULL);
    inlines(e, n->children, p, 0);
  } else if (emc_ir_is(n, "quote")) {
    xmlNodePtr q = epub_el(e, parent, "blockquote", NULL);
    common(e, n, q, 1, NULL);
    blocks(e, n->children, q);
  } else if (emc_ir_is(n, "list"))
    list(e, n, parent);
  else if (emc_ir_is(n, "deflist"))
    deflist(e, n, parent);
  else if (emc_ir_is(n, "table"))
    table(e, n, parent);
  else if (emc_ir_is(n, "pre")) {
    xmlChar *s = xmlNodeGetContent(n);
    xmlNodePtr pre = epub_el(e, parent, "pre", (const char *)s);
    xmlFree(s);
    const xmlChar *lang = prop(n, "language", 0);
    char cls[80] = "";
    if (lang && *lang && !xmlStrchr(lang, ' '))
      snprintf(cls, sizeof cls, "language-%.60s", (const char *)lang);
    common(e, n, pre, 1, *cls ? cls : NULL);
  } else if (emc_ir_is(n, "figure")) {
    xmlNodePtr f = epub_el(e, parent, "figure", NULL);
    common(e, n, f, 1, NULL);
    for (const xmlNode *c = n->children; c; c = c->next)
      if (emc_ir_is(c, "image"))
        image(e, c, f, 1, 0);
    for (const xmlNode *c = n->children; c; c = c->next)
      if (emc_ir_is(c, "caption")) {
        xmlNodePtr cap = epub_el(e, f, "figcaption", NULL);
        common(e, c, cap, 1, NULL);
        inlines(e, c->children, cap, 0);
      }
  } else if (emc_ir_is(n, "hr"))
    epub_el(e, parent, "hr", NULL);
}

static void blocks(epub *e, const xmlNode *first, xmlNodePtr parent)
{
  for (const xmlNode *n = first; n && !e->rc; n = n->next)
    if (n->type == XML_ELEMENT_NODE)
      block(e, n, parent);
}

/* The footnotes of the current document, after its text.  Rendering a
 * note may meet more notes (a note in a note): they are appended to the
 * list and rendered in turn. */
static void render_notes(epub *e)
{
  for (size_t i = 0; i < e->n_notes && !e->rc; i++) {
    const xmlNode *note = e->notes[i].note;
    size_t num = e->notes[i].num;
    char *id = note_id(e, note, num);
    xmlNodePtr aside = epub_el(e, e->body, "aside", NULL);
    epub_type(e, aside, "footnote");
    epub_attr(e, aside, "role", "doc-footnote");
    epub_attr(e, aside, "id", id);
    free(id);
    common(e, note, aside, 0, "footnote");
    const xmlNode *first = note->children;
    while (first && first->type != XML_ELEMENT_NODE)
      first = first->next;
    xmlNodePtr p = epub_el(e, aside, "p", NULL);
    if (first && emc_ir_is(first, "p"))
      common(e, first, p, 1, NULL);
    char text[24], href[40];
    snprintf(text, sizeof text, "%zu", num);
    snprintf(href, sizeof href, "#emc-fnref%zu", num);
    xmlNodePtr back = epub_el(e, p, "a", text);
    epub_attr(e, back, "href", href);
    epub_attr(e, back, "role", "doc-backlink");
    epub_attr(e, back, "class", "backlink");
    add_text(e, p, BAD_CAST " ");
    if (first && emc_ir_is(first, "p")) {
      inlines(e, first->children, p, 0);
      blocks(e, first->next, aside);
    } else
      blocks(e, note->children, aside);
  }
  e->n_notes = 0;
}

int epub_is_translation(const xmlNode *n)
{
  const xmlChar *type = prop(n, "type", 0);
  return type && xmlStrEqual(type, BAD_CAST "translation");
}

const xmlChar *epub_part_lang(const xmlNode *n)
{
  while (n && n->parent && !emc_ir_is(n->parent, "body"))
    n = n->parent;
  if (!emc_ir_is(n, "section"))
    return NULL;
  for (const xmlAttr *a = n->properties; a; a = a->next)
    if (xmlStrEqual(a->name, BAD_CAST "lang") && a->ns &&
        xmlStrEqual(a->ns->href, XML_XML_NAMESPACE) && a->children &&
        a->children->type == XML_TEXT_NODE && webtext_lang_ok((const char *)a->children->content))
      return a->children->content;
  return NULL;
}

/* The first IR node the current chunk renders. */
static const xmlNode *chunk_start(epub *e)
{
  if (e->chunk > 0 && e->chunk <= e->n_splits)
    return e->splits[e->chunk - 1];
  const xmlNode *n = emc_doc_body(e->doc)->children;
  while (n && n->type != XML_ELEMENT_NODE)
    n = n->next;
  return n;
}

static void start_chunk(epub *e)
{
  const char *title = e->title;
  if (e->next_toc < e->n_toc && e->toc[e->next_toc].chunk == e->chunk)
    title = e->toc[e->next_toc].label;
  /* A chunk of a top-level section in a language of its own (a version of
   * a parallel text) is in that language, and so is its title. */
  const xmlChar *part = epub_part_lang(chunk_start(e));
  e->cur = epub_xhtml_new(e, title, part ? (const char *)part : e->lang, &e->body);
  if (!e->cur)
    return;
  common(e, emc_doc_body(e->doc), e->body, 0, NULL);
  e->stack[0] = e->body;
  for (int i = 1; i <= e->top; i++) { /* reopen the sections we are in */
    e->stack[i] = epub_el(e, e->stack[i - 1], "section", NULL);
    common(e, e->ir_stack[i], e->stack[i], 0, NULL);
  }
}

static void finish_chunk(epub *e)
{
  if (!e->cur)
    return;
  render_notes(e);
  if (!e->rc) {
    char name[32], path[48];
    snprintf(path, sizeof path, "EPUB/%s", epub_chunk_name(e->chunk, name));
    e->rc = zippkg_add_xml(e->zip, path, e->cur, e->err);
  }
  xmlFreeDoc(e->cur);
  e->cur = NULL;
}

/* A document of a collection (IR type="document"): its own metadata under
 * its heading, as the title page has the book's (the same classes):
 * subtitle, authors on one line, date. */
static void part_meta(epub *e, const xmlNode *container, const xmlNode *meta, xmlNodePtr to)
{
  xmlChar *type = xmlGetProp(container, BAD_CAST "type");
  int part = type && xmlStrEqual(type, BAD_CAST "document");
  xmlFree(type);
  if (!part)
    return;
  static const char *const keys[] = { "subtitle", "author", "date" };
  for (size_t i = 0; i < sizeof keys / sizeof keys[0] && !e->rc; i++) {
    xmlNodePtr p = NULL;
    for (const xmlNode *m = meta->children; m && !e->rc; m = m->next) {
      if (!emc_ir_is(m, keys[i]))
        continue;
      xmlChar *text = xmlNodeGetContent(m);
      if (text && *text) {
        if (!p) {
          p = epub_el(e, to, "p", NULL);
          epub_attr(e, p, "class", keys[i]);
          common(e, m, p, 0, NULL);
        } else if (!xmlAddChild(p, xmlNewText(BAD_CAST ", "))) /* the authors on one line */
          epub_oom(e);
        if (p && !xmlAddChild(p, xmlNewText(text)))
          epub_oom(e);
      }
      xmlFree(text);
    }
  }
}

static void render_container(epub *e, const xmlNode *container)
{
  for (const xmlNode *n = container->children; n && !e->rc; n = n->next) {
    if (n->type != XML_ELEMENT_NODE || emc_ir_is(n, "heading"))
      continue;
    if (e->next_split < e->n_splits && e->splits[e->next_split] == n) {
      finish_chunk(e);
      e->chunk++;
      e->next_split++;
      start_chunk(e);
    }
    if (emc_ir_is(n, "meta")) {
      part_meta(e, container, n, e->stack[e->top]);
      continue;
    }
    if (!emc_ir_is(n, "section")) {
      block(e, n, e->stack[e->top]);
      continue;
    }
    epub_toc_entry *t = &e->toc[e->next_toc++];
    xmlNodePtr sec = e->stack[e->top];
    /* deeper than the IR allows (levels 1-6 nest): flattened */
    int pushed = e->top + 1 < (int)(sizeof e->stack / sizeof e->stack[0]);
    if (pushed) {
      sec = epub_el(e, sec, "section", NULL);
      common(e, n, sec, 1, NULL);
      e->top++;
      e->stack[e->top] = sec;
      e->ir_stack[e->top] = n;
    }
    char hname[4] = { 'h', (char)('0' + (t->level > 6 ? 6 : t->level)), 0 };
    xmlNodePtr h = epub_el(e, sec, hname, NULL);
    epub_attr(e, h, "id", t->id);
    const xmlNode *ih = heading_of(n);
    if (ih) {
      common(e, ih, h, 0, NULL);
      inlines(e, ih->children, h, 0);
    }
    render_container(e, n);
    if (pushed)
      e->top--;
  }
}

int epub_render(epub *e)
{
  e->chunk = 0;
  e->top = 0;
  start_chunk(e);
  /* "Start" opens here: with no heading first, the reader would see
   * neither title nor author there */
  const xmlNode *first = chunk_start(e);
  if (e->start_title && first && !emc_ir_is(first, "section") && e->body) {
    xmlNodePtr h = epub_el(e, e->body, "h1", e->start_title);
    epub_attr(e, h, "class", "title");
  }
  render_container(e, emc_doc_body(e->doc));
  finish_chunk(e);
  return e->rc;
}

void epub_body_release(epub *e)
{
  xmlFreeDoc(e->cur);
  e->cur = NULL;
  for (size_t i = 0; i < e->n_toc; i++) {
    free(e->toc[i].id);
    free(e->toc[i].label);
    free(e->toc[i].lang);
  }
  free(e->toc);
  free(e->splits);
  free(e->ids);
  free(e->notes);
  free(e->deferred);
  e->toc = NULL;
  e->splits = NULL;
  e->ids = NULL;
  e->notes = NULL;
  e->deferred = NULL;
}
