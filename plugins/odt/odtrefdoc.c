/* SPDX-License-Identifier: MIT */
/* odtrefdoc.c - --reference-doc FILE.odt: the styles of a user's template
 * (issue 30), as pandoc's --reference-doc does for its ODT writer.
 *
 * The template gives styles.xml: its named styles, default styles, font
 * declarations, outline and notes configuration, and its page (automatic
 * styles and master pages, when it has the "Standard" master page every
 * document of this writer uses).  What the writer's content needs and the
 * template lacks is added from the writer's own styles.xml: a style named
 * by content.xml (Text body, Heading 4, Numbering abc...) is never
 * missing, whatever the template.  The document's language stays the
 * document's: the template's default paragraph style takes the writer's
 * language attributes.
 *
 * The output stays strict ODF 1.3: elements and attributes outside the
 * ODF namespaces (LibreOffice's loext:, officeooo:...) are left out, and
 * office:version is "1.3".  The template's meta.xml, settings and content
 * are not used. */
#include <config.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#ifdef ODT_HAVE_LIBZIP
#include <zip.h>
#endif
#include "odt.h"

#define OPT "--reference-doc"

#ifdef ODT_HAVE_LIBZIP
/* Member NAME of the open package ZA, NUL-terminated, into *DATA. */
static int read_member(emc_ctx *ctx, zip_t *za, const char *path, const char *name,
                       char **data, size_t *size, emc_error *err)
{
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(za, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
    return emc_error_set(err, EMC_EINVAL, OPT " %s: no %s in it (not an ODF text document)",
                         path, name);
  size_t limit = emc_ctx_limits(ctx)->max_input_bytes;
  if ((limit && st.size > limit) || st.size > (zip_uint64_t)SIZE_MAX - 1)
    return emc_error_set(err, EMC_ELIMIT, OPT " %s: %s larger than %zu bytes", path, name, limit);
  char *buf = malloc((size_t)st.size + 1);
  if (!buf)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  zip_file_t *zf = zip_fopen(za, name, 0);
  zip_int64_t n = zf ? zip_fread(zf, buf, st.size) : -1;
  if (zf)
    zip_fclose(zf);
  if (n < 0 || (zip_uint64_t)n != st.size) {
    free(buf);
    return emc_error_set(err, EMC_EPARSE, OPT " %s: %s cannot be read (a damaged package)",
                         path, name);
  }
  buf[n] = '\0';
  *data = buf;
  *size = (size_t)n;
  return EMC_OK;
}
#endif

int odt_refdoc_load(emc_ctx *ctx, const char *path, xmlDocPtr *out, emc_error *err)
{
  *out = NULL;
#ifdef ODT_HAVE_LIBZIP
  int ze = 0;
  zip_t *za = zip_open(path, ZIP_RDONLY, &ze);
  if (!za) {
    zip_error_t zerr;
    zip_error_init_with_code(&zerr, ze);
    int rc = emc_error_set(err, ze == ZIP_ER_OPEN || ze == ZIP_ER_NOENT ? EMC_EIO : EMC_EINVAL,
                           OPT " %s: %s", path, zip_error_strerror(&zerr));
    zip_error_fini(&zerr);
    return rc;
  }
  char *mimetype = NULL, *styles = NULL;
  size_t mlen = 0, slen = 0;
  int rc = read_member(ctx, za, path, "mimetype", &mimetype, &mlen, err);
  if (!rc && strncmp(mimetype, "application/vnd.oasis.opendocument.text",
                     sizeof "application/vnd.oasis.opendocument.text" - 1) != 0)
    rc = emc_error_set(err, EMC_EINVAL,
                       OPT " %s: its media type is %s, not an ODF text document's (.odt, .ott)",
                       path, mimetype);
  if (!rc)
    rc = read_member(ctx, za, path, "styles.xml", &styles, &slen, err);
  zip_discard(za);
  free(mimetype);
  if (rc)
    return rc;
  if (slen > (size_t)INT_MAX) {
    free(styles);
    return emc_error_set(err, EMC_ELIMIT, OPT " %s: styles.xml too large", path);
  }
  /* No network, no entity expansion, no DTD loading: a template is data. */
  xmlDocPtr doc = xmlReadMemory(styles, (int)slen, "styles.xml", "UTF-8", XML_PARSE_NONET);
  free(styles);
  xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
  if (!root || !root->ns || strcmp((const char *)root->name, "document-styles") != 0 ||
      strcmp((const char *)root->ns->href, ODT_NS_OFFICE) != 0) {
    xmlFreeDoc(doc);
    return emc_error_set(err, EMC_EPARSE, OPT " %s: its styles.xml is not ODF styles", path);
  }
  *out = doc;
  return EMC_OK;
#else
  (void)ctx;
  return emc_error_set(err, EMC_ENOTSUP, OPT " %s: this emuconv was built without libzip, "
                       "which reading a template needs", path);
#endif
}

/* ---- merging ---- */

static int odf_namespace(const xmlNs *ns)
{
  static const char *const others[] = {
    "http://www.w3.org/1999/xlink", "http://purl.org/dc/elements/1.1/",
    "http://www.w3.org/1998/Math/MathML", "http://www.w3.org/2002/xforms",
    "http://www.w3.org/1999/xhtml", "http://www.w3.org/2003/g/data-view#", NULL
  };
  if (!ns)
    return 1;
  const char *href = (const char *)ns->href;
  if (strncmp(href, "urn:oasis:names:tc:opendocument:xmlns:", 38) == 0)
    return 1;
  for (size_t i = 0; others[i]; i++)
    if (!strcmp(href, others[i]))
      return 1;
  return 0;
}

/* Leaves out what strict ODF does not have: foreign elements, foreign
 * attributes. */
static void strip_foreign(xmlNodePtr n)
{
  for (xmlNodePtr c = n->children, next; c; c = next) {
    next = c->next;
    if (c->type == XML_ELEMENT_NODE && !odf_namespace(c->ns)) {
      xmlUnlinkNode(c);
      xmlFreeNode(c);
    } else if (c->type == XML_ELEMENT_NODE) {
      strip_foreign(c);
    }
  }
  for (xmlAttrPtr a = n->properties, next; a; a = next) {
    next = a->next;
    if (a->ns && !odf_namespace(a->ns))
      xmlRemoveProp(a);
  }
}

static int is(const xmlNode *n, const char *ns, const char *name)
{
  return n && n->type == XML_ELEMENT_NODE && n->ns && !strcmp((const char *)n->ns->href, ns) &&
         !strcmp((const char *)n->name, name);
}

static xmlNodePtr child(xmlNodePtr parent, const char *ns, const char *name)
{
  for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
    if (is(c, ns, name))
      return c;
  return NULL;
}

static const xmlChar *sattr(const xmlNode *n, const char *name)
{
  xmlAttrPtr a = xmlHasNsProp(n, BAD_CAST name, BAD_CAST ODT_NS_STYLE);
  return a && a->children ? a->children->content : NULL;
}

static int same_str(const xmlChar *a, const xmlChar *b)
{
  return (!a && !b) || (a && b && xmlStrEqual(a, b));
}

/* Whether NODE (from the writer's styles) is there in LIST already: the
 * same element with the same style:name and style:family (and, for a
 * notes configuration, the same note class). */
static int present(xmlNodePtr list, const xmlNode *node)
{
  xmlChar *cls = xmlGetNsProp(node, BAD_CAST "note-class", BAD_CAST ODT_NS_TEXT);
  int found = 0;
  for (xmlNodePtr c = list->children; c && !found; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || !c->ns || !xmlStrEqual(c->name, node->name) ||
        !xmlStrEqual(c->ns->href, node->ns->href))
      continue;
    xmlChar *ccls = xmlGetNsProp(c, BAD_CAST "note-class", BAD_CAST ODT_NS_TEXT);
    found = same_str(sattr(c, "name"), sattr(node, "name")) &&
            same_str(sattr(c, "family"), sattr(node, "family")) && same_str(ccls, cls);
    xmlFree(ccls);
  }
  xmlFree(cls);
  return found;
}

/* Copies into DEST (of DOC) each child of SRC not present there. */
static int add_missing(xmlDocPtr doc, xmlNodePtr dest, xmlNodePtr src)
{
  for (xmlNodePtr c = src ? src->children : NULL; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || present(dest, c))
      continue;
    xmlNodePtr copy = xmlDocCopyNode(c, doc, 1);
    if (!copy || !xmlAddChild(dest, copy)) {
      xmlFreeNode(copy);
      return -1;
    }
  }
  return 0;
}

/* The template's office:NAME, made (empty, before BEFORE or last) when
 * missing. */
static xmlNodePtr section(xmlNodePtr root, const char *name, xmlNodePtr before)
{
  xmlNodePtr s = child(root, ODT_NS_OFFICE, name);
  if (s)
    return s;
  s = xmlNewDocNode(root->doc, root->ns, BAD_CAST name, NULL);
  if (!s)
    return NULL;
  if (before ? !xmlAddPrevSibling(before, s) : !xmlAddChild(root, s)) {
    xmlFreeNode(s);
    return NULL;
  }
  return s;
}

static xmlNodePtr default_paragraph_props(xmlNodePtr styles)
{
  for (xmlNodePtr c = styles ? styles->children : NULL; c; c = c->next)
    if (is(c, ODT_NS_STYLE, "default-style") && same_str(sattr(c, "family"), BAD_CAST "paragraph"))
      return child(c, ODT_NS_STYLE, "text-properties");
  return NULL;
}

/* The writer's language attributes of its default paragraph style onto
 * the template's (the document's language is the document's). */
static int keep_language(xmlNodePtr tstyles, xmlNodePtr ostyles)
{
  xmlNodePtr from = default_paragraph_props(ostyles);
  if (!from)
    return 0;
  xmlNodePtr to = default_paragraph_props(tstyles);
  if (!to) {
    xmlNodePtr ds = NULL;
    for (xmlNodePtr c = tstyles->children; c && !ds; c = c->next)
      if (is(c, ODT_NS_STYLE, "default-style") && same_str(sattr(c, "family"), BAD_CAST "paragraph"))
        ds = c;
    if (!ds)
      return 0; /* add_missing brought the writer's, language and all */
    to = xmlNewChild(ds, from->ns, BAD_CAST "text-properties", NULL);
    if (!to)
      return -1;
  }
  /* A class (western, -asian, -complex) the writer names a language
   * for loses the template's language, country and script first: "id"
   * must not become id-US. */
  static const char *const fields[] = { "language", "country", "script" };
  for (xmlAttrPtr a = from->properties; a; a = a->next) {
    if (!a->ns || strncmp((const char *)a->name, "language", 8) != 0)
      continue;
    const char *suffix = (const char *)a->name + 8;
    for (size_t i = 0; i < 3; i++) {
      char name[32];
      snprintf(name, sizeof name, "%s%s", fields[i], suffix);
      xmlAttrPtr old = xmlHasNsProp(to, BAD_CAST name, a->ns->href);
      if (old)
        xmlRemoveProp(old);
    }
  }
  for (xmlAttrPtr a = from->properties; a; a = a->next) {
    const char *n = (const char *)a->name;
    if (!a->ns || (strncmp(n, "language", 8) && strncmp(n, "country", 7) &&
                   (strncmp(n, "script", 6) || !strcmp(n, "script-type"))))
      continue;
    xmlNsPtr ns = xmlSearchNsByHref(to->doc, to, a->ns->href);
    if (!ns)
      ns = xmlNewNs(xmlDocGetRootElement(to->doc), a->ns->href, a->ns->prefix);
    xmlChar *v = xmlNodeListGetString(from->doc, a->children, 1);
    int bad = !ns || !v || !xmlSetNsProp(to, ns, a->name, v);
    xmlFree(v);
    if (bad)
      return -1;
  }
  return 0;
}

static int has_standard_master(xmlNodePtr masters)
{
  for (xmlNodePtr c = masters ? masters->children : NULL; c; c = c->next)
    if (is(c, ODT_NS_STYLE, "master-page") && same_str(sattr(c, "name"), BAD_CAST "Standard"))
      return 1;
  return 0;
}

int odt_refdoc_merge(xmlDocPtr tmpl, odt_buf *styles, emc_error *err)
{
  if (styles->oom)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  xmlDocPtr own = xmlReadMemory(styles->buf.data, (int)styles->buf.len, "styles.xml", "UTF-8",
                                XML_PARSE_NONET);
  if (!own)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  xmlNodePtr root = xmlDocGetRootElement(tmpl), oroot = xmlDocGetRootElement(own);
  strip_foreign(root);
  int rc = 0;
  xmlNodePtr tstyles = section(root, "styles", child(root, ODT_NS_OFFICE, "automatic-styles"));
  xmlNodePtr fonts = tstyles ? section(root, "font-face-decls", tstyles) : NULL;
  if (!tstyles || !fonts ||
      add_missing(tmpl, fonts, child(oroot, ODT_NS_OFFICE, "font-face-decls")) ||
      add_missing(tmpl, tstyles, child(oroot, ODT_NS_OFFICE, "styles")) ||
      keep_language(tstyles, child(oroot, ODT_NS_OFFICE, "styles")))
    rc = -1;
  /* The page: the template's when it has the master page content.xml
   * uses, else the writer's. */
  if (!rc && !has_standard_master(child(root, ODT_NS_OFFICE, "master-styles"))) {
    const char *const parts[] = { "automatic-styles", "master-styles" };
    for (size_t i = 0; i < 2 && !rc; i++) {
      xmlNodePtr old = child(root, ODT_NS_OFFICE, parts[i]);
      if (old) {
        xmlUnlinkNode(old);
        xmlFreeNode(old);
      }
      xmlNodePtr copy = xmlDocCopyNode(child(oroot, ODT_NS_OFFICE, parts[i]), tmpl, 1);
      if (!copy || !xmlAddChild(root, copy)) {
        xmlFreeNode(copy);
        rc = -1;
      }
    }
  }
  if (!rc && !xmlSetNsProp(root, root->ns, BAD_CAST "version", BAD_CAST ODT_VERSION))
    rc = -1;
  xmlFreeDoc(own);
  xmlChar *mem = NULL;
  int len = 0;
  if (!rc) {
    xmlDocDumpMemoryEnc(tmpl, &mem, &len, "UTF-8");
    if (!mem)
      rc = -1;
  }
  if (rc)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  styles->buf.len = 0;
  odt_put(styles, (const char *)mem, (size_t)len);
  xmlFree(mem);
  return styles->oom ? emc_error_set(err, EMC_ENOMEM, "out of memory") : EMC_OK;
}
