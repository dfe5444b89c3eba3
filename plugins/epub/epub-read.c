/* SPDX-License-Identifier: MIT */
/* epub-read.c - EPUB reader (EPUB 2 and 3; issue 34).
 *
 *   emuconv book.epub book.tei
 *
 * The package is opened through plugins/common/zipread (the docx reader's
 * limits: entries, sizes, ratio, unsafe names, local headers, bytes
 * counted again as they inflate).  META-INF/container.xml names the
 * package document (OPF), parsed through plugins/common/xmlsafe (no DTD,
 * no network, bounded depth); its metadata (dc:title with EPUB 3
 * title-type subtitle, dc:creator, dc:language, dc:date, dc:publisher,
 * dc:source, dc:identifier, dc:description, dc:subject) becomes the IR's.
 * The spine's XHTML documents, in spine order, go through the html
 * reader's stages (html-page.c, html-build.c) with keep_chrome set: a
 * book is all content, nothing is extracted from it; their blocks and
 * sections flow into one body, a section opened in one document going on
 * in the next.  Skipped: the EPUB 3 navigation document and a title page
 * (epub:type titlepage, as our writer makes it), whose text is the
 * metadata's.  A document with no heading of its own gets the title the
 * navigation document (else the NCX) gives it, as a level 1 section.
 * Images (<img src>) are read from the package, relative to their
 * document, as resources.
 *
 * An encrypted book is refused with one line: META-INF/rights.xml, or an
 * META-INF/encryption.xml with any algorithm other than the two font
 * obfuscations (IDPF's and Adobe's), which leave the text readable. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdint.h>
#include <libxml/HTMLparser.h>
#include <libxml/hash.h>
#include <emuconv/buf.h>
#include <emuconv/plugin.h>
#include "../common/pathnorm.h"
#include "../common/xmlsafe.h"
#include "../common/zipread.h"
#include "../html/html.h"
#include "epub.h"

#define NS_OPF "http://www.idpf.org/2007/opf"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_CONTAINER "urn:oasis:names:tc:opendocument:xmlns:container"
#define NS_ENC "http://www.w3.org/2001/04/xmlenc#"

struct toc_entry {
  char *path;   /* the document's name in the package, no fragment */
  char *label;  /* the first title given to it */
};

struct er {
  emc_ctx *ctx;
  emc_error *err;
  zipread zip;
  emc_doc *doc;
  const char *doc_dir;        /* the current document's directory ("" or "A/B/") */
  html_images *images;        /* across documents */
  xmlNodePtr box;             /* where the next document's blocks go */
  struct toc_entry *toc;
  size_t n_toc, cap_toc;
  xmlHashTablePtr toc_index;  /* path -> its first entry (1-based index) */
  char *lang;                 /* the book's language */
};

/* ------------------------------------------------------------ paths */

static int hexval(int c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  c |= 0x20;
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* HREF (a relative URL found in the package) resolved against directory
 * DIR into a package name: fragment and query cut off, percent-decoded,
 * dot segments removed.  NULL when absolute, climbing out, or empty.
 * Returns: (transfer full) free(). */
static char *package_path(const char *dir, const char *href)
{
  while (*href == ' ' || *href == '\t' || *href == '\n' || *href == '\r')
    href++;
  size_t n = strcspn(href, "?#");
  if (!n || href[0] == '/')
    return NULL;
  /* a scheme ("http:", "data:"): not in the package */
  size_t sl = strspn(href, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
  if (sl && sl < n && href[sl] == ':')
    return NULL;
  size_t dl = strlen(dir);
  char *joined = malloc(dl + n + 1);
  if (!joined)
    return NULL;
  memcpy(joined, dir, dl);
  size_t k = dl;
  for (size_t i = 0; i < n; i++) {
    if (href[i] == '%' && i + 2 < n && hexval((unsigned char)href[i + 1]) >= 0 &&
        hexval((unsigned char)href[i + 2]) >= 0) {
      joined[k++] = (char)(hexval((unsigned char)href[i + 1]) * 16 +
                           hexval((unsigned char)href[i + 2]));
      i += 2;
    } else
      joined[k++] = href[i];
  }
  joined[k] = 0;
  char *out = strlen(joined) == k ? pathnorm_remove_dots(joined) : NULL; /* no NUL inside */
  free(joined);
  return out;
}

/* The directory part of NAME, with its '/' ("" when none).  Returns:
 * (transfer full) free(). */
static char *dir_of(const char *name)
{
  const char *slash = strrchr(name, '/');
  size_t n = slash ? (size_t)(slash - name) + 1 : 0;
  char *d = malloc(n + 1);
  if (d) {
    memcpy(d, name, n);
    d[n] = 0;
  }
  return d;
}

/* ------------------------------------------------------------ parts */

static int read_xml(struct er *r, const char *name, xmlDocPtr *out)
{
  unsigned char *data = NULL;
  size_t len = 0;
  int rc = zipread_read(&r->zip, name, &data, &len);
  if (rc)
    return rc;
  rc = xmlsafe_parse(data, len, name, emc_ctx_limits(r->ctx)->max_depth, out, r->err);
  free(data);
  return rc;
}

/* A part parsed as leniently as a browser would (the navigation document
 * and the NCX, which often carry a DOCTYPE that xmlsafe refuses): the
 * HTML parser, which loads no DTD and fetches nothing; names lowercased.
 * NULL when absent or unparseable (the titles are only a help). */
static xmlDocPtr read_loose(struct er *r, const char *name)
{
  if (zipread_find(&r->zip, name) < 0)
    return NULL;
  unsigned char *data = NULL;
  size_t len = 0;
  emc_error scratch;
  emc_error_init(&scratch);
  emc_error *keep = r->zip.err;
  r->zip.err = &scratch;
  int rc = zipread_read(&r->zip, name, &data, &len);
  r->zip.err = keep;
  emc_error_release(&scratch);
  if (rc || len > (size_t)INT32_MAX)
    return NULL;
  xmlDocPtr d = htmlReadMemory((const char *)data, (int)len, NULL, "UTF-8",
                               HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                                 HTML_PARSE_NOWARNING);
  free(data);
  return d;
}

static const xmlNode *first_child(const xmlNode *n, const char *href, const char *local)
{
  for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
    if (xmlsafe_is(c, href, local))
      return c;
  return NULL;
}

static char *text_of(const xmlNode *n)
{
  xmlChar *t = xmlNodeGetContent(n);
  if (!t)
    return NULL;
  char *folded = html_fold_text(t, 4096);
  xmlFree(t);
  return folded;
}

/* ------------------------------------------------------------ DRM */

static int refuse_encrypted(struct er *r)
{
  if (zipread_find(&r->zip, "META-INF/rights.xml") >= 0)
    return emc_error_set(r->err, EMC_ENOTSUP, "this EPUB is DRM-protected (META-INF/rights.xml): "
                         "its content is encrypted and cannot be read");
  if (zipread_find(&r->zip, "META-INF/encryption.xml") < 0)
    return EMC_OK;
  xmlDocPtr enc = NULL;
  int rc = read_xml(r, "META-INF/encryption.xml", &enc);
  if (rc)
    return rc;
  const char *bad = NULL;
  xmlNodePtr top = xmlDocGetRootElement(enc);
  for (xmlNodePtr n = top ? top->children : NULL; n && !bad; n = emc_ir_next(n, top, 1)) {
    if (n->type != XML_ELEMENT_NODE || !xmlStrEqual(n->name, BAD_CAST "EncryptionMethod"))
      continue;
    const char *alg = xmlsafe_attr(n, NULL, "Algorithm");
    if (!alg || (strcmp(alg, "http://www.idpf.org/2008/embedding") != 0 &&
                 strcmp(alg, "http://ns.adobe.com/pdf/enc#RC") != 0))
      bad = alg ? alg : "(none given)";
  }
  if (bad)
    rc = emc_error_set(r->err, EMC_ENOTSUP, "this EPUB is encrypted (DRM; META-INF/encryption.xml, "
                       "algorithm %.100s): its content cannot be read", bad);
  xmlFreeDoc(enc);
  return rc;
}

/* ------------------------------------------------------------ metadata */

static int metadata(struct er *r, const xmlNode *md)
{
  int rc = EMC_OK;
  /* EPUB 3: <meta refines="#ID" property="title-type">subtitle</meta> */
  const char *subtitle_id = NULL;
  for (const xmlNode *m = md ? md->children : NULL; m; m = m->next)
    if (xmlsafe_is(m, NS_OPF, "meta")) {
      const char *p = xmlsafe_attr(m, NULL, "property"), *ref = xmlsafe_attr(m, NULL, "refines");
      if (p && ref && ref[0] == '#' && strcmp(p, "title-type") == 0) {
        char *v = text_of(m);
        if (v && strcmp(v, "subtitle") == 0)
          subtitle_id = ref + 1;
        free(v);
      }
    }
  int have_title = 0;
  for (const xmlNode *m = md ? md->children : NULL; m && !rc; m = m->next) {
    if (m->type != XML_ELEMENT_NODE || !m->ns || !xmlStrEqual(m->ns->href, BAD_CAST NS_DC))
      continue;
    char *v = text_of(m);
    if (!v)
      continue;
    const char *name = (const char *)m->name;
    const char *id = xmlsafe_attr(m, NULL, "id");
    if (strcmp(name, "title") == 0) {
      if (subtitle_id && id && strcmp(id, subtitle_id) == 0)
        rc = emc_doc_meta_set(r->doc, "subtitle", v);
      else if (!have_title) {
        rc = emc_doc_meta_set(r->doc, "title", v);
        have_title = 1;
      }
    } else if (strcmp(name, "creator") == 0)
      rc = emc_doc_meta_add(r->doc, "author", v);
    else if (strcmp(name, "language") == 0) {
      if (!r->lang && xmlsafe_valid_lang(v) && strcasecmp(v, "und") != 0) {
        r->lang = strdup(v);
        rc = r->lang ? emc_doc_meta_set(r->doc, "language", v) : EMC_ENOMEM;
      }
    } else if (strcmp(name, "date") == 0)
      rc = emc_doc_meta_set(r->doc, "date", v);
    else if (strcmp(name, "publisher") == 0)
      rc = emc_doc_meta_set(r->doc, "publisher", v);
    else if (strcmp(name, "source") == 0)
      rc = emc_doc_meta_set(r->doc, "source", v);
    else if (strcmp(name, "identifier") == 0)
      rc = emc_doc_meta_add(r->doc, "identifier", v);
    else if (strcmp(name, "description") == 0 || strcmp(name, "subject") == 0)
      rc = emc_doc_meta_add(r->doc, name, v);
    free(v);
  }
  return rc ? emc_error_set(r->err, EMC_ENOMEM, "out of memory") : EMC_OK;
}

/* ------------------------------------------------------------ titles */

static void toc_add(struct er *r, const char *base_dir, const char *href, const xmlNode *label)
{
  if (!href || !label)
    return;
  char *path = package_path(base_dir, href);
  char *text = path ? text_of(label) : NULL;
  if (!text) {
    free(path);
    return;
  }
  if (!r->toc_index)
    r->toc_index = xmlHashCreate(64);
  if (!r->toc_index || xmlHashLookup(r->toc_index, BAD_CAST path)) { /* its first title only */
    free(path);
    free(text);
    return;
  }
  if (emc_array_grow(&r->toc, &r->cap_toc, r->n_toc + 1, sizeof *r->toc)) {
    free(path);
    free(text);
    return;
  }
  if (xmlHashAddEntry(r->toc_index, BAD_CAST path, (void *)(uintptr_t)(r->n_toc + 1))) {
    free(path);
    free(text);
    return;
  }
  r->toc[r->n_toc].path = path;
  r->toc[r->n_toc].label = text;
  r->n_toc++;
}

static const char *attr_loose(const xmlNode *n, const char *name)
{
  for (xmlAttrPtr a = n->properties; a; a = a->next)
    if (xmlStrcasecmp(a->name, BAD_CAST name) == 0 && a->children &&
        a->children->type == XML_TEXT_NODE)
      return (const char *)a->children->content;
  return NULL;
}

/* The titles of the documents: the EPUB 3 nav (toc), else the NCX. */
static void read_titles(struct er *r, const char *nav, const char *ncx)
{
  const char *part = nav ? nav : ncx;
  if (!part)
    return;
  xmlDocPtr d = read_loose(r, part);
  if (!d)
    return;
  char *dir = dir_of(part);
  xmlNodePtr root = xmlDocGetRootElement(d);
  const xmlNode *scope = NULL;
  if (nav) {
    /* the nav whose epub:type holds "toc", else the first */
    for (xmlNodePtr n = root ? root->children : NULL; n; n = emc_ir_next(n, root, 1))
      if (n->type == XML_ELEMENT_NODE && xmlStrcasecmp(n->name, BAD_CAST "nav") == 0) {
        const char *t = attr_loose(n, "epub:type");
        if (!scope || (t && strstr(t, "toc")))
          scope = n;
        if (t && strstr(t, "toc"))
          break;
      }
  } else
    scope = root;
  for (xmlNodePtr n = scope ? scope->children : NULL; dir && n; n = emc_ir_next(n, scope, 1)) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    if (nav && xmlStrcasecmp(n->name, BAD_CAST "a") == 0)
      toc_add(r, dir, attr_loose(n, "href"), n);
    else if (!nav && xmlStrcasecmp(n->name, BAD_CAST "navpoint") == 0) {
      const xmlNode *label = NULL, *content = NULL;
      for (const xmlNode *c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrcasecmp(c->name, BAD_CAST "navlabel") == 0 &&
            !label)
          label = c;
        else if (c->type == XML_ELEMENT_NODE && xmlStrcasecmp(c->name, BAD_CAST "content") == 0 &&
                 !content)
          content = c;
      if (content)
        toc_add(r, dir, attr_loose(content, "src"), label);
    }
  }
  free(dir);
  xmlFreeDoc(d);
}

static const char *title_of(const struct er *r, const char *path)
{
  uintptr_t i = r->toc_index ? (uintptr_t)xmlHashLookup(r->toc_index, BAD_CAST path) : 0;
  return i ? r->toc[i - 1].label : NULL;
}

/* ------------------------------------------------------------ documents */

static int fetch_image(void *user, const char *src, unsigned char **data, size_t *len,
                       char **key, emc_error *err)
{
  struct er *r = user;
  char *path = package_path(r->doc_dir, src);
  if (!path || zipread_find(&r->zip, path) < 0) {
    if (path)
      emc_ctx_warn(r->ctx, "image-omitted", "epub: image '%s' is not in the book; not embedded",
                   path);
    free(path);
    return EMC_ENOTSUP;
  }
  int rc = zipread_read(&r->zip, path, data, len);
  if (rc) {
    free(path);
    (void)err;
    return rc;
  }
  *key = path;
  return EMC_OK;
}

/* True when the page is only a title page (epub:type titlepage on the
 * body or on its one element). */
static int is_title_page(const html_page *pg)
{
  if (!pg->body)
    return 0;
  const xmlNode *only = NULL;
  int n = 0;
  for (const xmlNode *c = pg->body->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE) {
      only = c;
      n++;
    }
  const char *t = attr_loose(pg->body, "epub:type");
  if (t && strstr(t, "titlepage"))
    return 1;
  t = n == 1 ? attr_loose(only, "epub:type") : NULL;
  return t && strstr(t, "titlepage");
}

/* The title our writer repeats at the start of a book that opens with no
 * heading (an h1 of class "title", first in the body): the metadata holds
 * it, so it is dropped when its text is the package's title. */
static void drop_repeated_title(const html_page *pg, const emc_doc *doc)
{
  xmlNodePtr h = pg->body ? xmlFirstElementChild(pg->body) : NULL;
  if (!h || html_heading_level(h) != 1)
    return;
  const char *cls = (const char *)html_attr(h, "class");
  if (!cls || strcmp(cls, "title") != 0)
    return;
  char *title = emc_doc_meta_get(doc, "title");
  xmlChar *text = xmlNodeGetContent(h);
  if (title && text && strcmp(title, (const char *)text) == 0) {
    xmlUnlinkNode(h);
    xmlFreeNode(h);
  }
  xmlFree(text);
  free(title);
}

static int has_heading(const html_page *pg)
{
  if (html_heading_level(pg->root))
    return 1;
  for (xmlNodePtr n = pg->root->children; n; n = emc_ir_next(n, pg->root, 1))
    if (html_heading_level(n))
      return 1;
  return 0;
}

/* Links from one of the book's documents to another ("c3.xhtml#results")
 * as links within the one IR document ("#results"). */
static int local_links(struct er *r, html_page *pg)
{
  xmlNodePtr root = pg->root;
  for (xmlNodePtr n = root; n; n = n == root ? n->children : emc_ir_next(n, root, 1)) {
    if (htag(n) != T_a)
      continue;
    const char *href = (const char *)html_attr(n, "href");
    const char *hash = href ? strchr(href, '#') : NULL;
    if (!hash || hash == href || !hash[1])
      continue;
    char *path = package_path(r->doc_dir, href);
    int inside = path && zipread_find(&r->zip, path) >= 0;
    free(path);
    if (!inside)
      continue;
    char *frag = strdup(hash); /* HASH is inside the value being replaced */
    int ok = frag && xmlSetProp(n, BAD_CAST "href", BAD_CAST frag);
    free(frag);
    if (!ok)
      return emc_error_set(r->err, EMC_ENOMEM, "out of memory");
  }
  return EMC_OK;
}

static int read_document(struct er *r, const char *path)
{
  unsigned char *data = NULL;
  size_t len = 0;
  int rc = zipread_read(&r->zip, path, &data, &len);
  if (rc)
    return rc;
  char *dir = dir_of(path);
  if (!dir) {
    free(data);
    return emc_error_set(r->err, EMC_ENOMEM, "out of memory");
  }
  r->doc_dir = dir;
  emc_input in = { path, data, len };
  html_page pg;
  memset(&pg, 0, sizeof pg);
  pg.keep_chrome = 1;
  pg.keep_anchors = 1;
  pg.fetch_image = fetch_image;
  pg.fetch_user = r;
  pg.images = &r->images;
  pg.flow_box = &r->box;
  int loaded = !(rc = html_page_load(&pg, r->ctx, &in, r->err));
  if (!rc && pg.root && !is_title_page(&pg)) {
    drop_repeated_title(&pg, r->doc);
    if (r->lang && !(pg.lang = strdup(r->lang)))
      rc = emc_error_set(r->err, EMC_ENOMEM, "out of memory");
    const char *title = title_of(r, path);
    if (!rc && title && !has_heading(&pg)) {
      xmlNodePtr sec = emc_ir_open_section(r->box, 1);
      if (!sec || !emc_ir_add(sec, "heading", title))
        rc = emc_error_set(r->err, EMC_ENOMEM, "out of memory");
      else
        r->box = sec;
    }
    if (!rc)
      rc = local_links(r, &pg);
    if (!rc)
      rc = html_build(&pg, r->ctx, &in, r->doc, r->err);
  }
  if (loaded)
    html_page_free(&pg);
  r->doc_dir = NULL;
  free(dir);
  free(data);
  return rc;
}

/* ------------------------------------------------------------ the book */

static int read_book(struct er *r)
{
  int rc = refuse_encrypted(r);
  if (rc)
    return rc;
  xmlDocPtr container = NULL;
  if ((rc = read_xml(r, "META-INF/container.xml", &container)))
    return rc;
  const xmlNode *rootfiles = first_child(xmlDocGetRootElement(container), NS_CONTAINER, "rootfiles");
  char *opf = NULL;
  for (const xmlNode *f = rootfiles ? rootfiles->children : NULL; f && !opf; f = f->next) {
    if (!xmlsafe_is(f, NS_CONTAINER, "rootfile"))
      continue;
    const char *mt = xmlsafe_attr(f, NULL, "media-type");
    const char *fp = xmlsafe_attr(f, NULL, "full-path");
    if (fp && (!mt || strcmp(mt, "application/oebps-package+xml") == 0))
      opf = package_path("", fp);
  }
  xmlFreeDoc(container);
  if (!opf)
    return emc_error_set(r->err, EMC_EPARSE, "EPUB: META-INF/container.xml names no package "
                         "document");
  xmlDocPtr pkg = NULL;
  rc = read_xml(r, opf, &pkg);
  char *opf_dir = rc ? NULL : dir_of(opf);
  free(opf);
  if (rc)
    return rc;
  const xmlNode *root = xmlDocGetRootElement(pkg);
  const xmlNode *manifest = first_child(root, NS_OPF, "manifest");
  const xmlNode *spine = first_child(root, NS_OPF, "spine");
  if (!xmlsafe_is(root, NS_OPF, "package") || !manifest || !spine || !opf_dir) {
    xmlFreeDoc(pkg);
    free(opf_dir);
    return emc_error_set(r->err, EMC_EPARSE, "EPUB: the package document has no manifest "
                         "or no spine");
  }
  rc = metadata(r, first_child(root, NS_OPF, "metadata"));

  /* the navigation document (EPUB 3) and the NCX (EPUB 2) */
  char *nav = NULL, *ncx = NULL;
  const char *ncx_id = xmlsafe_attr(spine, NULL, "toc");
  for (const xmlNode *it = manifest->children; it; it = it->next) {
    if (!xmlsafe_is(it, NS_OPF, "item"))
      continue;
    const char *props = xmlsafe_attr(it, NULL, "properties");
    const char *id = xmlsafe_attr(it, NULL, "id");
    const char *mt = xmlsafe_attr(it, NULL, "media-type");
    const char *href = xmlsafe_attr(it, NULL, "href");
    if (!href)
      continue;
    if (!nav && props && strstr(props, "nav"))
      nav = package_path(opf_dir, href);
    else if (!ncx && ((ncx_id && id && strcmp(id, ncx_id) == 0) ||
                      (mt && strcmp(mt, "application/x-dtbncx+xml") == 0)))
      ncx = package_path(opf_dir, href);
  }
  if (!rc)
    read_titles(r, nav, ncx);

  /* the manifest by id: a spine of N items costs N look-ups, not N * M */
  xmlHashTablePtr items = xmlHashCreate(64);
  if (!items && !rc)
    rc = emc_error_set(r->err, EMC_ENOMEM, "out of memory");
  for (const xmlNode *it = manifest->children; it && !rc; it = it->next) {
    const char *id = xmlsafe_attr(it, NULL, "id");
    if (xmlsafe_is(it, NS_OPF, "item") && id && !xmlHashLookup(items, BAD_CAST id) &&
        xmlHashAddEntry(items, BAD_CAST id, (void *)it))
      rc = emc_error_set(r->err, EMC_ENOMEM, "out of memory");
  }
  /* each document once: the EPUB rules forbid a repeated itemref, and a
   * spine repeating one document N times would read it N times */
  xmlHashTablePtr seen = xmlHashCreate(64);
  if (!seen && !rc)
    rc = emc_error_set(r->err, EMC_ENOMEM, "out of memory");
  r->box = emc_doc_body(r->doc);
  size_t documents = 0;
  for (const xmlNode *ref = spine->children; ref && !rc; ref = ref->next) {
    if (!xmlsafe_is(ref, NS_OPF, "itemref"))
      continue;
    const char *idref = xmlsafe_attr(ref, NULL, "idref");
    const xmlNode *item = idref ? xmlHashLookup(items, BAD_CAST idref) : NULL;
    const char *mt = item ? xmlsafe_attr(item, NULL, "media-type") : NULL;
    const char *href = item ? xmlsafe_attr(item, NULL, "href") : NULL;
    if (!href || !mt || (strcmp(mt, "application/xhtml+xml") != 0 && strcmp(mt, "text/html") != 0))
      continue;
    char *path = package_path(opf_dir, href);
    if (!path || (nav && strcmp(path, nav) == 0) || zipread_find(&r->zip, path) < 0) {
      if (path && !(nav && strcmp(path, nav) == 0))
        emc_ctx_warn(r->ctx, "missing-part", "epub: spine document '%s' is not in the book",
                     path);
      free(path);
      continue;
    }
    if (xmlHashLookup(seen, BAD_CAST path)) {
      free(path);
      continue;
    }
    if (xmlHashAddEntry(seen, BAD_CAST path, (void *)1))
      rc = emc_error_set(r->err, EMC_ENOMEM, "out of memory");
    else
      rc = read_document(r, path);
    documents++;
    free(path);
  }
  if (!rc && !documents)
    emc_ctx_log(r->ctx, EMC_LOG_WARN, "EPUB: the spine holds no XHTML document");
  xmlHashFree(items, NULL);
  xmlHashFree(seen, NULL);
  free(nav);
  free(ncx);
  free(opf_dir);
  xmlFreeDoc(pkg);
  return rc;
}

int epub_read(emc_ctx *ctx, const emc_input *in, emc_doc **out, emc_error *err)
{
  struct er r;
  memset(&r, 0, sizeof r);
  r.ctx = ctx;
  r.err = err;
  int rc = zipread_open(&r.zip, ctx, in, "EPUB", err);
  if (rc)
    return rc;
  r.doc = emc_doc_new();
  if (!r.doc)
    rc = emc_error_set(err, EMC_ENOMEM, "out of memory");
  else
    rc = read_book(&r);
  zipread_close(&r.zip);
  html_images_free(r.images);
  for (size_t i = 0; i < r.n_toc; i++) {
    free(r.toc[i].path);
    free(r.toc[i].label);
  }
  free(r.toc);
  xmlHashFree(r.toc_index, NULL);
  free(r.lang);
  if (rc) {
    emc_doc_free(r.doc);
    return rc;
  }
  *out = r.doc;
  return EMC_OK;
}
