/* SPDX-License-Identifier: MIT */
/* docx.c - Office Open XML WordprocessingML (.docx) reader.
 *
 * The package is opened the OPC way: [Content_Types].xml and _rels/.rels
 * name the main document part (never assumed to be word/document.xml); its
 * relationships name styles, numbering, notes, comments, hyperlinks and
 * media; docProps/core.xml gives the metadata.  The main part is parsed as
 * a stream and turned into IR one body block at a time (docx-body.c), so
 * memory follows the IR, not the XML.
 *
 * Hostile packages: the zip directory is checked against the context's
 * limits (entries, sizes, ratio, names) and the same limits are enforced
 * again while inflating; XML is parsed with no network, no DTD (refused as
 * soon as a DOCTYPE starts) and bounded depth.  See docx-pkg.c.
 */
#include <config.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "docx.h"

/* ------------------------------------------------------------ probe */

static const unsigned char *find_bytes(const unsigned char *h, size_t len, const char *s)
{
  size_t n = strlen(s);
  for (size_t i = 0; i + n <= len; i++)
    if (h[i] == (unsigned char)s[0] && memcmp(h + i, s, n) == 0)
      return h + i;
  return NULL;
}

/* An OPC package shows in its first local headers: "[Content_Types].xml"
 * (Word and python-docx write it first) or "_rels/.rels" (LibreOffice),
 * then parts under "word/". */
static int docx_probe(const unsigned char *head, size_t len)
{
  if (len < 30 || memcmp(head, "PK\3\4", 4) != 0)
    return 0;
  size_t nlen = (size_t)head[26] | (size_t)head[27] << 8;
  const unsigned char *name = head + 30;
  int whole = 30 + nlen <= len;
  if (whole && nlen == 8 && memcmp(name, "mimetype", 8) == 0)
    return 0; /* OpenDocument or EPUB */
  int opc = find_bytes(head, len, "[Content_Types].xml") ||
            (whole && nlen == 11 && memcmp(name, "_rels/.rels", 11) == 0);
  int word = find_bytes(head, len, "word/") != NULL;
  if (opc && word)
    return 90;
  if (opc && (find_bytes(head, len, "xl/") || find_bytes(head, len, "ppt/")))
    return 20; /* another OOXML application */
  if (opc)
    return 70;
  if (word)
    return 60;
  return 5; /* some zip */
}

/* ------------------------------------------------------------ core.xml */

static char *trimmed(const xmlNode *n)
{
  xmlChar *t = xmlNodeGetContent(n);
  if (!t)
    return NULL;
  char *s = (char *)t, *e = s + strlen(s);
  while (*s && isspace((unsigned char)*s))
    s++;
  while (e > s && isspace((unsigned char)e[-1]))
    e--;
  char *r = e > s ? strndup(s, (size_t)(e - s)) : NULL;
  xmlFree(t);
  return r;
}

/* Title, creator, created, language, subject, keywords, description,
 * category.  *LANG (transfer full) gets dc:language. */
static int read_core(docx_pkg *pkg, emc_doc *doc, const char *part, char **title, char **lang)
{
  xmlDocPtr d = NULL;
  int rc = docx_parse_part(pkg, part, NULL, NULL, NULL, &d);
  if (rc)
    return rc;
  xmlNodePtr root = xmlDocGetRootElement(d);
  for (xmlNodePtr c = root ? root->children : NULL; c && !rc; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    int ns = docx_ns(c->ns);
    const char *n = (const char *)c->name, *key = NULL;
    if (ns == NS_DC) {
      if (strcmp(n, "title") == 0)
        key = "title";
      else if (strcmp(n, "creator") == 0)
        key = "author";
      else if (strcmp(n, "subject") == 0)
        key = "subject";
      else if (strcmp(n, "description") == 0)
        key = "description";
      else if (strcmp(n, "language") == 0)
        key = "language";
    } else if (ns == NS_CP) {
      if (strcmp(n, "keywords") == 0)
        key = "keywords";
      else if (strcmp(n, "category") == 0)
        key = "category";
    } else if (ns == NS_DCTERMS && strcmp(n, "created") == 0)
      key = "date";
    if (!key)
      continue;
    char *v = trimmed(c);
    if (!v)
      continue;
    if (strcmp(key, "language") == 0) {
      free(*lang);
      *lang = v; /* decided in docx_reader_finish() */
      continue;
    }
    if (strcmp(key, "title") == 0) {
      free(*title);
      *title = v;
      continue;
    }
    if (emc_doc_meta_set(doc, key, v))
      rc = emc_error_set(pkg->err, EMC_ENOMEM, "out of memory");
    free(v);
  }
  xmlFreeDoc(d);
  return rc;
}

/* ------------------------------------------------------------ read */

static int word_main_type(const char *t)
{
  return t && (strstr(t, "wordprocessingml.document.main+xml") ||
               strstr(t, "wordprocessingml.template.main+xml") ||
               strstr(t, "ms-word.document.macroEnabled.main+xml") ||
               strstr(t, "ms-word.template.macroEnabledTemplate.main+xml"));
}

/* The main part's name (transfer full). */
static int find_main(docx_pkg *pkg, const docx_rels *prels, char **out)
{
  const docx_rel *rel = NULL;
  for (size_t i = 0; i < prels->n; i++)
    if (!prels->v[i].external && strcmp(prels->v[i].type, "officeDocument") == 0) {
      rel = &prels->v[i];
      break;
    }
  const char *name = rel ? rel->target : NULL;
  if (!name) /* no usable _rels/.rels: the content types still say it */
    for (size_t i = 0; i < pkg->n_overrides && !name; i++)
      if (word_main_type(pkg->overrides[i].type))
        name = pkg->overrides[i].key;
  if (!name)
    return emc_error_set(pkg->err, EMC_EPARSE,
                         "not a DOCX package: no main document relationship in _rels/.rels");
  const char *type = docx_pkg_type(pkg, name);
  if (!word_main_type(type)) {
    if (type && strstr(type, "spreadsheetml"))
      return emc_error_set(pkg->err, EMC_EFORMAT, "an Excel workbook (XLSX), not a Word document");
    if (type && strstr(type, "presentationml"))
      return emc_error_set(pkg->err, EMC_EFORMAT,
                           "a PowerPoint presentation (PPTX), not a Word document");
    return emc_error_set(pkg->err, EMC_EPARSE, "not a Word document: the main part has type '%.100s'",
                         type ? type : "(none)");
  }
  if (docx_pkg_find(pkg, name) < 0)
    return emc_error_set(pkg->err, EMC_EPARSE, "the main document part '%.100s' is missing", name);
  *out = strdup(name);
  return *out ? EMC_OK : emc_error_set(pkg->err, EMC_ENOMEM, "out of memory");
}

static int load_notes(docx_pkg *pkg, const docx_rels *rels, const char *type, const char *elem,
                      docx_notes *n, docx_notes **use)
{
  const docx_rel *rel = docx_rels_type(rels, type);
  *use = NULL;
  if (!rel || rel->external || docx_pkg_find(pkg, rel->target) < 0)
    return EMC_OK;
  int rc = docx_notes_load(pkg, rel->target, elem, n);
  if (!rc)
    *use = n;
  return rc;
}

static int docx_read(emc_ctx *ctx, const emc_input *in, emc_doc **out, emc_error *err)
{
  docx_pkg pkg;
  int rc = docx_pkg_open(&pkg, ctx, in, err);
  if (rc)
    return rc;
  docx_rels prels = { 0 }, mrels = { 0 };
  docx_styles styles;
  docx_notes foot, end, comments;
  docx_notes *pfoot = NULL, *pend = NULL, *pcomments = NULL;
  memset(&styles, 0, sizeof styles);
  memset(&foot, 0, sizeof foot);
  memset(&end, 0, sizeof end);
  memset(&comments, 0, sizeof comments);
  char *main = NULL, *core_title = NULL, *core_lang = NULL;
  emc_doc *doc = NULL;
  docx_reader *reader = NULL;
  xmlDocPtr rest = NULL;
  int keep_comments = emc_ctx_option(ctx, "keep-comments") != NULL;
  const char *track = emc_ctx_option(ctx, "track-changes");
  if (track && strcmp(track, "accept") != 0 && strcmp(track, "reject") != 0 &&
      strcmp(track, "all") != 0) {
    rc = emc_error_set(err, EMC_EINVAL, "--track-changes=%s: accept, reject or all", track);
    goto out;
  }

  if ((rc = docx_pkg_load_types(&pkg)) || (rc = docx_rels_load(&pkg, "", &prels)) ||
      (rc = find_main(&pkg, &prels, &main)) || (rc = docx_rels_load(&pkg, main, &mrels)))
    goto out;
  const docx_rel *rel = docx_rels_type(&mrels, "styles");
  if (rel && !rel->external && docx_pkg_find(&pkg, rel->target) >= 0 &&
      (rc = docx_styles_load(&pkg, rel->target, &styles)))
    goto out;
  rel = docx_rels_type(&mrels, "numbering");
  if (rel && !rel->external && docx_pkg_find(&pkg, rel->target) >= 0 &&
      (rc = docx_numbering_load(&pkg, rel->target, &styles)))
    goto out;
  if ((rc = load_notes(&pkg, &mrels, "footnotes", "footnote", &foot, &pfoot)) ||
      (rc = load_notes(&pkg, &mrels, "endnotes", "endnote", &end, &pend)) ||
      (keep_comments && (rc = load_notes(&pkg, &mrels, "comments", "comment", &comments, &pcomments))))
    goto out;

  if (!(doc = emc_doc_new())) {
    rc = emc_error_set(err, EMC_ENOMEM, "out of memory");
    goto out;
  }
  rel = docx_rels_type(&prels, "core-properties");
  if (rel && !rel->external && docx_pkg_find(&pkg, rel->target) >= 0 &&
      (rc = read_core(&pkg, doc, rel->target, &core_title, &core_lang)))
    goto out;

  if (!(reader = docx_reader_new(ctx, doc, &pkg, &styles, err))) {
    rc = emc_error_set(err, EMC_ENOMEM, "out of memory");
    goto out;
  }
  docx_reader_set_parts(reader, main, &mrels, pfoot, pend, pcomments, keep_comments);
  docx_reader_reject_changes(reader, !track ? 0 : strcmp(track, "reject") == 0 ? 1
                                     : strcmp(track, "all") == 0 ? 2 : 0);
  docx_reader_keep_headers(reader, emc_ctx_option(ctx, "keep-headers") != NULL);
  if ((rc = docx_parse_part(&pkg, main, "body", docx_reader_block, reader, &rest)))
    goto out;
  xmlNodePtr root = xmlDocGetRootElement(rest);
  if (!docx_is_w(root, "document")) {
    rc = emc_error_set(err, EMC_EPARSE, "the main part is not a WordprocessingML document");
    goto out;
  }
  /* The visible Title paragraph is the title; a different one in the
   * document properties is kept as a field. */
  const char *vt = docx_reader_title(reader);
  if ((vt && emc_doc_meta_set(doc, "title", vt)) ||
      (core_title && !vt && emc_doc_meta_set(doc, "title", core_title)) ||
      (core_title && vt && strcmp(core_title, vt) != 0 &&
       emc_doc_meta_set(doc, "properties-title", core_title))) {
    rc = emc_error_set(err, EMC_ENOMEM, "out of memory");
    goto out;
  }
  rc = docx_reader_finish(reader, core_lang);

out:
  if (rest)
    xmlFreeDoc(rest);
  docx_reader_free(reader);
  docx_notes_free(&foot);
  docx_notes_free(&end);
  docx_notes_free(&comments);
  docx_styles_free(&styles);
  docx_rels_free(&prels);
  docx_rels_free(&mrels);
  free(main);
  free(core_title);
  free(core_lang);
  docx_pkg_close(&pkg);
  if (rc) {
    emc_doc_free(doc);
    return rc;
  }
  *out = doc;
  return EMC_OK;
}

/* ------------------------------------------------------------ plugin */

static const char *const docx_extensions[] = { "docx", "docm", "dotx", "dotm", NULL };
static const char *const docx_mime_types[] = {
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document", NULL
};
static const emc_option_spec docx_options[] = {
  { "keep-comments", 0, NULL, "keep Word comments, as notes at their anchors" },
  { "keep-headers", 0, NULL, "keep headers' and footers' text, once, as a section at the end" },
  { "track-changes", 1, "accept|reject|all", "tracked changes accepted (the default), rejected, or all kept as insertions and deletions" },
  { NULL, 0, NULL, NULL }
};

EMC_PLUGIN_DEFINE(docx, "docx", PACKAGE_VERSION, "Word (Office Open XML, .docx) reader",
                  .extensions = docx_extensions, .mime_types = docx_mime_types, .probe = docx_probe,
                  .read = docx_read, .options = docx_options)
