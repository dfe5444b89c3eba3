/* SPDX-License-Identifier: MIT */
/* epub.c - EPUB 3 writer.
 *
 * The package (OCF 3.3): "mimetype" first and stored, META-INF/container.xml,
 * then under EPUB/: style.css, the cover (image and page, when one is
 * given), title.xhtml (a title page from the metadata), the document's
 * images, the content documents c0001.xhtml... (epub-body.c), nav.xhtml
 * (table of contents nested by section depth, landmarks), toc.ncx (for
 * EPUB 2 reading systems) and package.opf.  Entries are written in that
 * order with the context's timestamp, so the same input and
 * SOURCE_DATE_EPOCH give the same bytes.
 *
 * Metadata: dc:identifier is the document's identifier, else a name-based
 * UUID (v5) of its source URL (and language, when known), else of its text; dc:title the title, else
 * the first words of the text; dc:language the document's language, "und"
 * only when it is unknown, then those of the other versions of a parallel
 * text (IR 1.1 translation sections, a chapter each, in their language); dc:creator per author; dc:date the date when it
 * is W3CDTF (else the year found in it, else the timestamp's day);
 * dc:source, dc:publisher when known; dcterms:modified the timestamp;
 * the EPUB Accessibility 1.1 metadata from the content (epub-a11y.c).
 *
 * Options: --css FILE (replaces the stylesheet), --cover FILE (PNG, JPEG,
 * GIF or SVG, by content), --toc-depth N (0-6, default 3). */
#include <config.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "epub.h"
#include "../common/frontmatter.h"
#include <emuconv/url.h>

#define OPF_NS "http://www.idpf.org/2007/opf"
#define DC_NS "http://purl.org/dc/elements/1.1/"
#define NCX_NS "http://www.daisy.org/z3986/2005/ncx/"
#define CONTAINER_NS "urn:oasis:names:tc:opendocument:xmlns:container"

struct cover {
  unsigned char *data;     /* --cover: the file's bytes (owned) */
  size_t size;
  const epub_image *image; /* or the document's own cover resource */
  const char *media_type;
  char href[32];           /* of the image, relative to EPUB/ */
};

struct book {
  epub e;
  char *lang;
  char *title;
  char *identifier;
  char *date;        /* W3CDTF */
  char *css;         /* --css contents (owned), or NULL */
  size_t css_len;
  struct cover cover;
  int has_cover;
  int toc_depth;
  int front;         /* front matter wanted (not --no-front-matter) */
  char modified[32];
};

/* ---------------------------------------------------------- options */

static int read_file(epub *e, const char *opt, const char *path,
                     unsigned char **data, size_t *size)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return epub_fail(e, EMC_EIO, "--%s %s: %s", opt, path, strerror(errno));
  size_t limit = emc_ctx_limits(e->ctx)->max_input_bytes;
  emc_buf buf = EMC_BUF_INIT;
  int rc = EMC_OK;
  while (rc == EMC_OK) {
    /* at least 64 KiB free for each read; emc_buf doubles its capacity */
    if (emc_buf_reserve(&buf, 65536)) {
      rc = epub_oom(e);
      break;
    }
    size_t n = fread(buf.data + buf.len, 1, buf.cap - buf.len - 1, f);
    buf.len += n;
    if (limit && buf.len > limit) {
      rc = epub_fail(e, EMC_ELIMIT, "--%s %s: larger than %zu bytes", opt, path, limit);
      break;
    }
    if (n == 0) {
      if (ferror(f))
        rc = epub_fail(e, EMC_EIO, "--%s %s: %s", opt, path, strerror(errno));
      break;
    }
  }
  fclose(f);
  if (rc) {
    emc_buf_release(&buf);
    return rc;
  }
  buf.data[buf.len] = '\0';
  *data = (unsigned char *)emc_buf_steal(&buf, size);
  return EMC_OK;
}

static int read_options(struct book *b)
{
  epub *e = &b->e;
  const char *depth = emc_ctx_option(e->ctx, "toc-depth");
  b->toc_depth = 3;
  if (depth) {
    char *end;
    long v = strtol(depth, &end, 10);
    if (!*depth || *end || v < 0 || v > 6)
      return epub_fail(e, EMC_EINVAL, "--toc-depth %s: expected a number from 0 to 6", depth);
    b->toc_depth = (int)v;
  }
  const char *css = emc_ctx_option(e->ctx, "css");
  if (css && read_file(e, "css", css, (unsigned char **)&b->css, &b->css_len))
    return e->rc;
  const char *cover = emc_ctx_option(e->ctx, "cover");
  if (cover) {
    if (read_file(e, "cover", cover, &b->cover.data, &b->cover.size))
      return e->rc;
    b->cover.media_type = epub_image_type(b->cover.data, b->cover.size);
    if (!b->cover.media_type)
      return epub_fail(e, EMC_EINVAL, "--cover %s: not a PNG, JPEG, GIF or SVG image, or a damaged one",
                       cover);
    snprintf(b->cover.href, sizeof b->cover.href, "cover-image.%s",
             epub_image_ext(b->cover.media_type));
    b->has_cover = 1;
  }
  return EMC_OK;
}

/* --------------------------------------------------------- metadata */

static xmlNodePtr meta_el(const emc_doc *doc, const char *name)
{
  for (xmlNodePtr m = emc_doc_meta(doc)->children; m; m = m->next)
    if (emc_ir_is(m, name))
      return m;
  return NULL;
}

static int language(struct book *b)
{
  epub *e = &b->e;
  char *lang = emc_doc_meta_get(e->doc, "language");
  if (!lang) {
    xmlChar *root = xmlGetNsProp(xmlDocGetRootElement(emc_doc_tree(e->doc)),
                                 BAD_CAST "lang", XML_XML_NAMESPACE);
    lang = root ? strdup((const char *)root) : NULL;
    xmlFree(root);
  }
  if (lang && !*lang) {
    free(lang);
    lang = NULL;
  }
  if (!lang) /* the reader did not know and nobody said: undetermined */
    lang = strdup("und");
  if (!lang)
    return epub_oom(e);
  b->lang = lang;
  e->lang = lang;
  if (webtext_lang_ok(lang))
    return EMC_OK;
  char *given = strdup(lang);
  for (char *p = lang; *p; p++) /* en_US, as locales write it */
    if (*p == '_')
      *p = '-';
  if (!webtext_lang_ok(lang))
    epub_fail(e, EMC_EINVAL, "language '%s' is not a BCP 47 language tag",
              given ? given : lang);
  free(given);
  return e->rc;
}

/* The first block with text (a heading or paragraph, notes aside). */
static char *first_text(const xmlNode *n)
{
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE || emc_ir_is(n, "note"))
      continue;
    if (emc_ir_is(n, "p") || emc_ir_is(n, "heading")) {
      char *s = epub_plain_text(n);
      if (!s || *s)
        return s;
      free(s);
      continue;
    }
    char *s = first_text(n->children);
    if (s)
      return s;
  }
  return NULL;
}

/* The title, else the first eight words of the text, else "Untitled". */
static int title(struct book *b)
{
  epub *e = &b->e;
  b->title = emc_doc_meta_get(e->doc, "title");
  if (b->title && !*b->title) {
    free(b->title);
    b->title = NULL;
  }
  if (!b->title) {
    char *s = first_text(emc_doc_body(e->doc)->children);
    if (s && *s) {
      size_t cut = 0, words = 0;
      for (char *p = s; *p; p++)
        if (*p == ' ' && ++words == 8) {
          cut = (size_t)(p - s);
          break;
        }
      if ((!cut || cut > 120) && strlen(s) > 120) /* very long words */
        for (cut = 100; cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80; cut--)
          ;
      if (cut) { /* the words, then an ellipsis */
        char *t = malloc(cut + 4);
        if (t) {
          memcpy(t, s, cut);
          memcpy(t + cut, "\xE2\x80\xA6", 4);
        }
        free(s);
        s = t;
      }
      b->title = s;
    } else {
      free(s);
      b->title = strdup("Untitled");
    }
  }
  if (!b->title)
    return epub_oom(e);
  e->title = b->title;
  return EMC_OK;
}

static void hash_text(epub_sha1 *s, const xmlNode *n)
{
  for (; n; n = n->next) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
      epub_sha1_update(s, n->content, (size_t)xmlStrlen(n->content));
    else if (n->type == XML_ELEMENT_NODE) {
      hash_text(s, n->children);
      epub_sha1_update(s, "\n", 1); /* "a</p><p>b" differs from "ab" */
    }
  }
}

static int identifier(struct book *b)
{
  epub *e = &b->e;
  b->identifier = emc_doc_meta_get(e->doc, "identifier");
  if (b->identifier && *b->identifier)
    return EMC_OK;
  free(b->identifier);
  b->identifier = malloc(46);
  if (!b->identifier)
    return epub_oom(e);
  epub_sha1 s;
  char *source = emc_doc_meta_get(e->doc, "source");
  if (source && *source) {
    /* The UUID of the URL; for a known language, the UUID named by the
     * language in the URL's own namespace: the translations of one source
     * (the seeds) are different books, with different identifiers. */
    epub_uuid5_begin(&s, epub_uuid_ns_url);
    epub_sha1_update(&s, source, strlen(source));
    if (strcmp(b->lang, "und") != 0) {
      unsigned char ns[16];
      epub_uuid5_bytes(&s, ns);
      epub_uuid5_begin(&s, ns);
      epub_sha1_update(&s, b->lang, strlen(b->lang));
      /* a parallel text: another book than each of its versions */
      for (const xmlNode *n = emc_doc_body(e->doc)->children; n; n = n->next) {
        const xmlChar *l = epub_part_lang(n);
        if (l && emc_ir_is(n, "section") && epub_is_translation(n)) {
          epub_sha1_update(&s, " ", 1);
          epub_sha1_update(&s, l, (size_t)xmlStrlen(l));
        }
      }
    }
  } else {
    epub_uuid5_begin(&s, epub_uuid_ns_content);
    hash_text(&s, emc_doc_body(e->doc)->children);
  }
  free(source);
  epub_uuid5_end(&s, b->identifier);
  return EMC_OK;
}

static int dates(struct book *b)
{
  epub *e = &b->e;
  time_t t = (time_t)emc_ctx_timestamp(e->ctx);
  struct tm tm;
  if (!gmtime_r(&t, &tm))
    return epub_fail(e, EMC_EINVAL, "the timestamp %lld is out of range",
                     (long long)t);
  strftime(b->modified, sizeof b->modified, "%Y-%m-%dT%H:%M:%SZ", &tm);
  char *date = emc_doc_meta_get(e->doc, "date");
  if (date && epub_date_ok(date)) {
    b->date = date;
    return EMC_OK;
  }
  if (date) { /* "2 January 2025", "02/01/2025": keep the year */
    char year[5] = "";
    for (const char *p = date; *p && !*year; p++)
      if ((p == date || (p[-1] < '0' || p[-1] > '9')) && (p[0] == '1' || p[0] == '2') &&
          p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9' && p[3] >= '0' &&
          p[3] <= '9' && (p[4] < '0' || p[4] > '9'))
        memcpy(year, p, 4);
    if (*year)
      emc_ctx_log(e->ctx, EMC_LOG_INFO, "epub: date '%s' is not W3CDTF; dc:date is %s",
                  date, year);
    else
      emc_ctx_log(e->ctx, EMC_LOG_WARN,
                  "epub: date '%s' is not a date epubcheck accepts; no dc:date", date);
    free(date);
    date = *year ? strdup(year) : NULL;
    if (*year && !date)
      return epub_oom(e);
  }
  /* no date known: no dc:date (the conversion date is dcterms:modified,
   * not the publication's date) */
  b->date = date;
  return EMC_OK;
}

/* The document's images that a reading system must show: by content. */
static int images(struct book *b)
{
  epub *e = &b->e;
  e->n_images = emc_doc_resource_count(e->doc);
  if (!e->n_images)
    return EMC_OK;
  e->images = calloc(e->n_images, sizeof *e->images);
  if (!e->images)
    return epub_oom(e);
  for (size_t i = 0; i < e->n_images; i++) {
    epub_image *img = &e->images[i];
    img->res = emc_doc_resource_at(e->doc, i);
    img->media_type = epub_image_type(img->res->data, img->res->size);
    if (!img->media_type) {
      emc_ctx_warn(e->ctx, "image-omitted", "epub: image '%s' (%s) left out: not a PNG, "
                  "JPEG, GIF or SVG image, or a damaged one", img->res->name,
                  img->res->media_type ? img->res->media_type : "?");
      continue;
    }
    /* epubcheck wants the extension to match the content; a resource
     * whose name lies gets one that does, in a folder of its own (resource
     * names have no '/', so no clash). */
    const char *ext = epub_image_ext(img->media_type);
    const char *dot = strrchr(img->res->name, '.');
    int fits = dot && (strcasecmp(dot + 1, ext) == 0 ||
                       (strcmp(ext, "jpg") == 0 && strcasecmp(dot + 1, "jpeg") == 0));
    size_t n = strlen(img->res->name) + sizeof "images/typed/." + strlen(ext);
    if (!(img->href = malloc(n)))
      return epub_oom(e);
    if (fits)
      snprintf(img->href, n, "images/%s", img->res->name);
    else
      snprintf(img->href, n, "images/typed/%s.%s", img->res->name, ext);
  }
  if (!b->has_cover) { /* the document's own cover */
    xmlNodePtr c = meta_el(e->doc, "cover");
    xmlChar *ref = c ? xmlGetProp(c, BAD_CAST "ref") : NULL;
    const emc_resource *r = ref ? emc_doc_resource_find(e->doc, (const char *)ref) : NULL;
    xmlFree(ref);
    for (size_t i = 0; r && i < e->n_images; i++)
      if (e->images[i].res == r && e->images[i].media_type) {
        e->images[i].used = 1;
        b->cover.image = &e->images[i];
        b->cover.media_type = e->images[i].media_type;
        snprintf(b->cover.href, sizeof b->cover.href, "%s", "");
        b->has_cover = 1;
      }
  }
  return EMC_OK;
}

static const char *cover_href(const struct book *b)
{
  return b->cover.image ? b->cover.image->href : b->cover.href;
}

/* ------------------------------------------------------ XML helpers */

static xmlDocPtr xml_new(epub *e, const char *root_name, const char *ns_href,
                         xmlNodePtr *root)
{
  xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
  xmlNodePtr r = doc ? xmlNewDocNode(doc, NULL, BAD_CAST root_name, NULL) : NULL;
  xmlNsPtr ns = r ? xmlNewNs(r, BAD_CAST ns_href, NULL) : NULL;
  if (!ns) {
    xmlFreeNode(r);
    xmlFreeDoc(doc);
    epub_oom(e);
    return NULL;
  }
  xmlSetNs(r, ns);
  xmlDocSetRootElement(doc, r);
  *root = r;
  return doc;
}

static int add_xml(epub *e, const char *path, xmlDocPtr doc)
{
  if (!e->rc)
    e->rc = zippkg_add_xml(e->zip, path, doc, e->err);
  xmlFreeDoc(doc);
  return e->rc;
}

static int add_data(epub *e, const char *path, const void *data, size_t len, int store)
{
  if (!e->rc)
    e->rc = zippkg_add(e->zip, path, data, len, store, e->err);
  return e->rc;
}

/* ------------------------------------------------------------ parts */

static int container_xml(epub *e)
{
  xmlNodePtr root;
  xmlDocPtr doc = xml_new(e, "container", CONTAINER_NS, &root);
  if (!doc)
    return e->rc;
  epub_attr(e, root, "version", "1.0");
  xmlNodePtr rf = epub_el(e, epub_el(e, root, "rootfiles", NULL), "rootfile", NULL);
  epub_attr(e, rf, "full-path", "EPUB/package.opf");
  epub_attr(e, rf, "media-type", "application/oebps-package+xml");
  return add_xml(e, "META-INF/container.xml", doc);
}

/* A new XHTML page of B holding one <section> whose epub:type and class
 * are both KIND; *SEC gets the section.  Returns: (transfer full) the page,
 * or NULL with B's error set. */
static xmlDocPtr section_page(struct book *b, const char *kind, xmlNodePtr *sec)
{
  epub *e = &b->e;
  xmlNodePtr body;
  xmlDocPtr doc = epub_xhtml_new(e, b->title, b->lang, &body);
  if (!doc)
    return NULL;
  *sec = epub_el(e, body, "section", NULL);
  epub_type(e, *sec, kind);
  epub_attr(e, *sec, "class", kind);
  return doc;
}

static int cover_page(struct book *b)
{
  epub *e = &b->e;
  xmlNodePtr sec;
  xmlDocPtr doc = section_page(b, "cover", &sec);
  if (!doc)
    return e->rc;
  xmlNodePtr img = epub_el(e, sec, "img", NULL);
  epub_attr(e, img, "src", cover_href(b));
  epub_attr(e, img, "alt", b->title);
  return add_xml(e, "EPUB/cover.xhtml", doc);
}

static int title_page(struct book *b)
{
  epub *e = &b->e;
  xmlNodePtr sec;
  xmlDocPtr doc = section_page(b, "titlepage", &sec);
  if (!doc)
    return e->rc;
  xmlNodePtr h1 = epub_el(e, sec, "h1", b->title);
  epub_attr(e, h1, "class", "title");
  xmlNodePtr t = meta_el(e->doc, "title");
  xmlChar *tl = t ? xmlGetNsProp(t, BAD_CAST "lang", XML_XML_NAMESPACE) : NULL;
  if (tl && webtext_lang_ok((const char *)tl))
    epub_set_lang(e, h1, (const char *)tl);
  xmlFree(tl);
  /* the lines every writer shows (plugins/common/frontmatter.h), the
   * date as the book's language writes it */
  fm_list fm;
  if (fm_collect(emc_doc_meta(e->doc), NULL, b->lang, &fm) != EMC_OK) {
    xmlFreeDoc(doc);
    return epub_oom(e);
  }
  for (size_t i = 0; i < fm.n && !e->rc; i++) {
    const fm_line *l = &fm.v[i];
    char cls[16];
    snprintf(cls, sizeof cls, "%s", fm_kind_name(l->kind));
    cls[0] = (char)(cls[0] - 'A' + 'a');
    xmlNodePtr p = epub_el(e, sec, "p", l->kind == FM_SOURCE ? NULL : l->text);
    epub_attr(e, p, "class", cls);
    if (l->lang && webtext_lang_ok(l->lang))
      epub_set_lang(e, p, l->lang);
    if (l->kind != FM_SOURCE || !p)
      continue;
    if (emc_url_is_safe(l->text) && webtext_url_ok(l->text)) {
      char *u = webtext_url_escape(l->text);
      xmlNodePtr a = epub_el(e, p, "a", l->text);
      if (!u)
        epub_oom(e);
      epub_attr(e, a, "href", u);
      free(u);
    } else
      xmlNodeAddContent(p, BAD_CAST l->text);
  }
  fm_list_release(&fm);
  return add_xml(e, "EPUB/title.xhtml", doc);
}

/* "Contents" in the book's language, for the few we know; English (marked
 * as such) otherwise. */
static const char *contents_label(const char *lang, const char **label_lang)
{
  static const char *const labels[][2] = {
    { "en", "Contents" }, { "hi", "\xE0\xA4\xB5\xE0\xA4\xBF\xE0\xA4\xB7\xE0\xA4\xAF-"
                                  "\xE0\xA4\xB8\xE0\xA5\x82\xE0\xA4\x9A\xE0\xA5\x80" },
    { "id", "Daftar Isi" }, { "ms", "Kandungan" }, { "vi", "M\xE1\xBB\xA5" "c l\xE1\xBB\xA5" "c" },
    { "fr", "Table des mati\xC3\xA8res" }, { "de", "Inhalt" },
    { "es", "\xC3\x8Dndice" }, { "pt", "Sum\xC3\xA1rio" },
  };
  size_t n = strcspn(lang, "-");
  for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
    if (strlen(labels[i][0]) == n && strncasecmp(lang, labels[i][0], n) == 0) {
      *label_lang = NULL;
      return labels[i][1];
    }
  *label_lang = "en";
  return labels[0][1];
}

/* The entries the table of contents shows, with their nesting depth
 * (clamped so that an entry is at most one deeper than the one before). */
struct tocitem {
  const char *label;
  const char *lang;
  char href[300];
  int depth;
};

static size_t toc_items(struct book *b, struct tocitem **out, int *max_depth)
{
  epub *e = &b->e;
  size_t n = 0;
  struct tocitem *items = calloc(e->n_toc + 1, sizeof *items);
  if (!items) {
    epub_oom(e);
    return 0;
  }
  int prev = 0;
  *max_depth = 1;
  for (size_t i = 0; i < e->n_toc; i++) {
    const epub_toc_entry *t = &e->toc[i];
    if (t->depth > b->toc_depth)
      continue;
    struct tocitem *it = &items[n++];
    it->label = t->label;
    it->lang = t->lang;
    char name[32];
    snprintf(it->href, sizeof it->href, "%s#%s", epub_chunk_name(t->chunk, name), t->id);
    if (strlen(t->id) > 200) /* an absurd xml:id: point at the document */
      snprintf(it->href, sizeof it->href, "%s", name);
    it->depth = t->depth > prev + 1 ? prev + 1 : t->depth;
    prev = it->depth;
    if (it->depth > *max_depth)
      *max_depth = it->depth;
  }
  if (!n) { /* no headings: the book's start, under its title */
    char name[32];
    items[0].label = b->title;
    snprintf(items[0].href, sizeof items[0].href, "%s", epub_chunk_name(0, name));
    items[0].depth = 1;
    n = 1;
  }
  *out = items;
  return n;
}

static int nav_doc(struct book *b, const struct tocitem *items, size_t n)
{
  epub *e = &b->e;
  xmlNodePtr body;
  xmlDocPtr doc = epub_xhtml_new(e, b->title, b->lang, &body);
  if (!doc)
    return e->rc;
  xmlNodePtr nav = epub_el(e, body, "nav", NULL);
  epub_type(e, nav, "toc");
  epub_attr(e, nav, "id", "toc");
  epub_attr(e, nav, "role", "doc-toc");
  const char *label_lang;
  xmlNodePtr h = epub_el(e, nav, "h1", contents_label(b->lang, &label_lang));
  epub_set_lang(e, h, label_lang);
  xmlNodePtr ol[8] = { epub_el(e, nav, "ol", NULL) }, li[8] = { NULL };
  int level = 1;
  for (size_t i = 0; i < n && !e->rc; i++) {
    int d = items[i].depth;
    while (level > d)
      level--;
    while (level < d && li[level - 1]) {
      ol[level] = epub_el(e, li[level - 1], "ol", NULL);
      li[level] = NULL;
      level++;
    }
    li[level - 1] = epub_el(e, ol[level - 1], "li", NULL);
    xmlNodePtr a = epub_el(e, li[level - 1], "a", items[i].label);
    epub_attr(e, a, "href", items[i].href);
    if (items[i].lang && strcmp(items[i].lang, b->lang) != 0)
      epub_set_lang(e, a, items[i].lang);
  }

  xmlNodePtr lm = epub_el(e, body, "nav", NULL);
  epub_type(e, lm, "landmarks");
  epub_attr(e, lm, "id", "landmarks");
  epub_attr(e, lm, "hidden", "hidden");
  xmlNodePtr lh = epub_el(e, lm, "h2", "Landmarks");
  epub_set_lang(e, lh, "en");
  xmlNodePtr lol = epub_el(e, lm, "ol", NULL);
  char first[32];
  const char *const marks[][3] = {
    { "cover", "cover.xhtml", "Cover" },
    { "titlepage", "title.xhtml", "Title page" },
    { "toc", "nav.xhtml#toc", "Contents" },
    { "bodymatter", epub_chunk_name(0, first), "Start" },
  };
  for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
    if ((i == 0 && !b->has_cover) || (i == 1 && !b->front))
      continue;
    xmlNodePtr a = epub_el(e, epub_el(e, lol, "li", NULL), "a", marks[i][2]);
    epub_type(e, a, marks[i][0]);
    epub_attr(e, a, "href", marks[i][1]);
    epub_set_lang(e, a, "en");
  }
  return add_xml(e, "EPUB/nav.xhtml", doc);
}

static xmlNodePtr ncx_text(epub *e, xmlNodePtr parent, const char *name, const char *text)
{
  xmlNodePtr n = epub_el(e, parent, name, NULL);
  epub_el(e, n, "text", text);
  return n;
}

static int ncx_doc(struct book *b, const struct tocitem *items, size_t n, int max_depth)
{
  epub *e = &b->e;
  xmlNodePtr root;
  xmlDocPtr doc = xml_new(e, "ncx", NCX_NS, &root);
  if (!doc)
    return e->rc;
  epub_attr(e, root, "version", "2005-1");
  xmlNodeSetLang(root, BAD_CAST b->lang);
  xmlNodePtr head = epub_el(e, root, "head", NULL);
  char depth[8];
  snprintf(depth, sizeof depth, "%d", max_depth);
  const char *const metas[][2] = {
    { "dtb:uid", b->identifier }, { "dtb:depth", depth },
    { "dtb:totalPageCount", "0" }, { "dtb:maxPageNumber", "0" },
  };
  for (size_t i = 0; i < sizeof metas / sizeof metas[0]; i++) {
    xmlNodePtr m = epub_el(e, head, "meta", NULL);
    epub_attr(e, m, "name", metas[i][0]);
    epub_attr(e, m, "content", metas[i][1]);
  }
  ncx_text(e, root, "docTitle", b->title);
  for (xmlNodePtr m = emc_doc_meta(e->doc)->children; m; m = m->next)
    if (emc_ir_is(m, "author")) {
      xmlChar *a = xmlNodeGetContent(m);
      if (a && *a)
        ncx_text(e, root, "docAuthor", (const char *)a);
      xmlFree(a);
    }
  xmlNodePtr map = epub_el(e, root, "navMap", NULL);
  xmlNodePtr parent[8] = { map }, last[8] = { NULL };
  int level = 1;
  for (size_t i = 0; i < n && !e->rc; i++) {
    int d = items[i].depth;
    while (level > d)
      level--;
    while (level < d && last[level - 1]) {
      parent[level] = last[level - 1];
      last[level] = NULL;
      level++;
    }
    xmlNodePtr np = epub_el(e, parent[level - 1], "navPoint", NULL);
    last[level - 1] = np;
    char id[32], order[24];
    snprintf(id, sizeof id, "np-%zu", i + 1);
    snprintf(order, sizeof order, "%zu", i + 1);
    epub_attr(e, np, "id", id);
    epub_attr(e, np, "playOrder", order);
    ncx_text(e, np, "navLabel", items[i].label);
    xmlNodePtr c = epub_el(e, np, "content", NULL);
    epub_attr(e, c, "src", items[i].href);
  }
  return add_xml(e, "EPUB/toc.ncx", doc);
}

static xmlNodePtr dc(epub *e, xmlNsPtr ns, xmlNodePtr md, const char *name,
                     const char *value)
{
  if (!md || e->rc)
    return NULL;
  xmlNodePtr n = xmlNewDocNode(md->doc, ns, BAD_CAST name, NULL);
  xmlNodePtr t = n ? xmlNewDocText(md->doc, BAD_CAST value) : NULL;
  if (!t) {
    xmlFreeNode(n);
    epub_oom(e);
    return NULL;
  }
  xmlAddChild(n, t);
  return xmlAddChild(md, n);
}

static xmlNodePtr item(epub *e, xmlNodePtr manifest, const char *id, const char *href,
                       const char *type, const char *props)
{
  xmlNodePtr it = epub_el(e, manifest, "item", NULL);
  epub_attr(e, it, "id", id);
  epub_attr(e, it, "href", href);
  epub_attr(e, it, "media-type", type);
  epub_attr(e, it, "properties", props);
  return it;
}

static void itemref(epub *e, xmlNodePtr spine, const char *id, int linear)
{
  xmlNodePtr r = epub_el(e, spine, "itemref", NULL);
  epub_attr(e, r, "idref", id);
  if (!linear)
    epub_attr(e, r, "linear", "no");
}

/* The meta that says what kind of identifier ID (a dc:identifier) is,
 * from M's scheme: ONIX code list 5 for ISBN and DOI, the scheme's name
 * otherwise (EPUB 3.3, 5.5.7: identifier-type). */
static void identifier_type(epub *e, xmlNodePtr md, xmlNodePtr id, const xmlNode *m)
{
  xmlChar *scheme = xmlGetProp(m, BAD_CAST "scheme");
  xmlChar *ref = id ? xmlGetProp(id, BAD_CAST "id") : NULL;
  if (scheme && ref) {
    char href[40];
    snprintf(href, sizeof href, "#%.30s", (const char *)ref);
    const char *onix = NULL;
    if (xmlStrcasecmp(scheme, BAD_CAST "DOI") == 0)
      onix = "06";
    else if (xmlStrcasecmp(scheme, BAD_CAST "ISBN") == 0) {
      xmlChar *v = xmlNodeGetContent(m);
      size_t digits = 0;
      for (const xmlChar *p = v; p && *p; p++)
        digits += (*p >= '0' && *p <= '9') || *p == 'X' || *p == 'x';
      onix = digits == 13 ? "15" : "02";
      xmlFree(v);
    }
    xmlNodePtr t = epub_el(e, md, "meta", onix ? onix : (const char *)scheme);
    epub_attr(e, t, "refines", href);
    epub_attr(e, t, "property", "identifier-type");
    if (onix)
      epub_attr(e, t, "scheme", "onix:codelist5");
  }
  xmlFree(scheme);
  xmlFree(ref);
}

/* The metadata beyond title, authors, language, date, source, publisher:
 * editors (dc:contributor, role edt), subjects and keywords (dc:subject),
 * description, rights, the series (belongs-to-collection), the creation
 * date (dcterms:created).  The document's own modified date has no place:
 * dcterms:modified is the package's, the conversion date. */
static void more_metadata(struct book *b, xmlNodePtr md, xmlNsPtr dcns)
{
  epub *e = &b->e;
  size_t n_ed = 0;
  for (xmlNodePtr m = emc_doc_meta(e->doc)->children; m && !e->rc; m = m->next) {
    static const char *const simple[][2] = {
      { "subject", "subject" }, { "keyword", "subject" }, { "description", "description" },
      { "rights", "rights" },
    };
    xmlChar *v = NULL;
    if (m->type != XML_ELEMENT_NODE || !(v = xmlNodeGetContent(m)) || !*v) {
      xmlFree(v);
      continue;
    }
    xmlChar *lang = xmlGetNsProp(m, BAD_CAST "lang", XML_XML_NAMESPACE);
    xmlNodePtr n = NULL;
    for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++)
      if (emc_ir_is(m, simple[i][0]))
        n = dc(e, dcns, md, simple[i][1], (const char *)v);
    if (emc_ir_is(m, "editor")) {
      char id[32], ref[40];
      snprintf(id, sizeof id, "editor%zu", ++n_ed);
      snprintf(ref, sizeof ref, "#%s", id);
      n = dc(e, dcns, md, "contributor", (const char *)v);
      epub_attr(e, n, "id", id);
      xmlNodePtr r = epub_el(e, md, "meta", "edt");
      epub_attr(e, r, "refines", ref);
      epub_attr(e, r, "property", "role");
      epub_attr(e, r, "scheme", "marc:relators");
    } else if (emc_ir_is(m, "series")) {
      n = epub_el(e, md, "meta", (const char *)v);
      epub_attr(e, n, "property", "belongs-to-collection");
      epub_attr(e, n, "id", "series");
      xmlNodePtr t = epub_el(e, md, "meta", "series");
      epub_attr(e, t, "refines", "#series");
      epub_attr(e, t, "property", "collection-type");
      xmlChar *pos = xmlGetProp(m, BAD_CAST "position");
      if (pos) {
        t = epub_el(e, md, "meta", (const char *)pos);
        epub_attr(e, t, "refines", "#series");
        epub_attr(e, t, "property", "group-position");
      }
      xmlFree(pos);
    } else if (emc_ir_is(m, "created")) {
      n = epub_el(e, md, "meta", (const char *)v);
      epub_attr(e, n, "property", "dcterms:created");
    }
    if (n && lang && webtext_lang_ok((const char *)lang))
      xmlNodeSetLang(n, lang);
    xmlFree(lang);
    xmlFree(v);
  }
  static const char *const carried[] = {
    "title", "subtitle", "author", "editor", "subject", "keyword", "rights", "description",
    "series", "date", "created", "language", "source", "publisher", "identifier", NULL
  };
  fm_warn_dropped(e->ctx, "epub", emc_doc_meta(e->doc), carried);
}

static int package_opf(struct book *b)
{
  epub *e = &b->e;
  xmlNodePtr root;
  xmlDocPtr doc = xml_new(e, "package", OPF_NS, &root);
  if (!doc)
    return e->rc;
  epub_attr(e, root, "version", "3.0");
  epub_attr(e, root, "unique-identifier", "pub-id");
  xmlNodeSetLang(root, BAD_CAST b->lang);
  xmlNodePtr md = epub_el(e, root, "metadata", NULL);
  xmlNsPtr dcns = md ? xmlNewNs(md, BAD_CAST DC_NS, BAD_CAST "dc") : NULL;
  if (!dcns)
    epub_oom(e);

  xmlNodePtr pub_id = dc(e, dcns, md, "identifier", b->identifier);
  epub_attr(e, pub_id, "id", "pub-id");
  int first = 1;
  size_t n_ids = 0;
  for (xmlNodePtr m = emc_doc_meta(e->doc)->children; m; m = m->next)
    if (emc_ir_is(m, "identifier")) {
      xmlChar *v = xmlNodeGetContent(m);
      xmlNodePtr id = pub_id;
      if (v && *v && !(first && strcmp((const char *)v, b->identifier) == 0)) {
        char name[32];
        snprintf(name, sizeof name, "id%zu", ++n_ids);
        id = dc(e, dcns, md, "identifier", (const char *)v);
        epub_attr(e, id, "id", name);
      }
      if (v && *v)
        identifier_type(e, md, id, m);
      first = 0;
      xmlFree(v);
    }
  epub_attr(e, dc(e, dcns, md, "title", b->title), "id", "title");
  char *subtitle = emc_doc_meta_get(e->doc, "subtitle");
  if (subtitle && *subtitle)
    epub_attr(e, dc(e, dcns, md, "title", subtitle), "id", "subtitle");
  dc(e, dcns, md, "language", b->lang);
  for (const xmlNode *n = emc_doc_body(e->doc)->children; n; n = n->next) {
    /* the other languages of a parallel text, once each */
    const xmlChar *l = epub_is_translation(n) ? epub_part_lang(n) : NULL;
    int seen = !l || strcmp((const char *)l, b->lang) == 0;
    for (const xmlNode *p = emc_doc_body(e->doc)->children; p != n && !seen; p = p->next)
      seen = epub_part_lang(p) && xmlStrEqual(epub_part_lang(p), l);
    if (!seen)
      dc(e, dcns, md, "language", (const char *)l);
  }
  size_t n_auth = 0;
  for (xmlNodePtr m = emc_doc_meta(e->doc)->children; m; m = m->next)
    if (emc_ir_is(m, "author")) {
      xmlChar *a = xmlNodeGetContent(m);
      if (a && *a) {
        char id[32];
        snprintf(id, sizeof id, "creator%zu", ++n_auth);
        epub_attr(e, dc(e, dcns, md, "creator", (const char *)a), "id", id);
      }
      xmlFree(a);
    }
  if (b->date)
    dc(e, dcns, md, "date", b->date);
  more_metadata(b, md, dcns);
  char *s = emc_doc_meta_get(e->doc, "source");
  if (s && *s)
    dc(e, dcns, md, "source", s);
  free(s);
  s = emc_doc_meta_get(e->doc, "publisher");
  if (s && *s)
    dc(e, dcns, md, "publisher", s);
  free(s);
  xmlNodePtr m = epub_el(e, md, "meta", b->modified);
  epub_attr(e, m, "property", "dcterms:modified");
  epub_a11y_meta(e, md, b->lang, b->has_cover);
  if (subtitle && *subtitle) {
    const char *const kinds[][2] = { { "#title", "main" }, { "#subtitle", "subtitle" } };
    for (size_t i = 0; i < 2; i++) {
      m = epub_el(e, md, "meta", kinds[i][1]);
      epub_attr(e, m, "refines", kinds[i][0]);
      epub_attr(e, m, "property", "title-type");
    }
  }
  free(subtitle);
  for (size_t i = 1; i <= n_auth; i++) {
    char ref[32];
    snprintf(ref, sizeof ref, "#creator%zu", i);
    m = epub_el(e, md, "meta", "aut");
    epub_attr(e, m, "refines", ref);
    epub_attr(e, m, "property", "role");
    epub_attr(e, m, "scheme", "marc:relators");
  }
  if (b->has_cover) { /* EPUB 2 reading systems find the cover this way */
    m = epub_el(e, md, "meta", NULL);
    epub_attr(e, m, "name", "cover");
    epub_attr(e, m, "content", "cover-image");
  }

  xmlNodePtr man = epub_el(e, root, "manifest", NULL);
  item(e, man, "nav", "nav.xhtml", "application/xhtml+xml", "nav");
  item(e, man, "ncx", "toc.ncx", "application/x-dtbncx+xml", NULL);
  item(e, man, "css", "style.css", "text/css", NULL);
  if (b->has_cover) {
    item(e, man, "cover-image", cover_href(b), b->cover.media_type, "cover-image");
    item(e, man, "cover", "cover.xhtml", "application/xhtml+xml", NULL);
  }
  if (b->front)
    item(e, man, "title-page", "title.xhtml", "application/xhtml+xml", NULL);
  for (size_t i = 0; i < e->n_images; i++) {
    const epub_image *img = &e->images[i];
    if (!img->used || img == b->cover.image)
      continue;
    char id[32];
    snprintf(id, sizeof id, "img%zu", i + 1);
    item(e, man, id, img->href, img->media_type, NULL);
  }
  for (size_t i = 0; i < e->n_chunks; i++) {
    char id[32], name[32];
    epub_chunk_name(i, name);
    snprintf(id, sizeof id, "%.*s", (int)(strlen(name) - 6), name);
    item(e, man, id, name, "application/xhtml+xml", NULL);
  }

  xmlNodePtr spine = epub_el(e, root, "spine", NULL);
  epub_attr(e, spine, "toc", "ncx");
  if (webtext_lang_rtl(b->lang))
    epub_attr(e, spine, "page-progression-direction", "rtl");
  if (b->has_cover)
    itemref(e, spine, "cover", 1);
  if (b->front)
    itemref(e, spine, "title-page", 1);
  itemref(e, spine, "nav", 0);
  for (size_t i = 0; i < e->n_chunks; i++) {
    char id[32], name[32];
    epub_chunk_name(i, name);
    snprintf(id, sizeof id, "%.*s", (int)(strlen(name) - 6), name);
    itemref(e, spine, id, 1);
  }
  return add_xml(e, "EPUB/package.opf", doc);
}

/* ----------------------------------------------------------- writer */

static void book_release(struct book *b)
{
  epub_body_release(&b->e);
  for (size_t i = 0; i < b->e.n_images; i++)
    free(b->e.images[i].href);
  free(b->e.images);
  zippkg_free(b->e.zip);
  free(b->lang);
  free(b->title);
  free(b->identifier);
  free(b->date);
  free(b->css);
  free(b->cover.data);
}

static int epub_write(emc_ctx *ctx, const emc_doc *doc, emc_output *out,
                      emc_error *err)
{
  struct book b;
  memset(&b, 0, sizeof b);
  epub *e = &b.e;
  e->ctx = ctx;
  e->doc = doc;
  e->err = err;
  e->css_href = "style.css";
  b.front = fm_enabled(ctx);

  if (read_options(&b) || language(&b) || title(&b) || identifier(&b) || dates(&b) ||
      images(&b) || epub_plan(e))
    goto done;
  if (!(e->zip = zippkg_new(emc_ctx_timestamp(ctx), out, err))) {
    e->rc = err && err->code ? err->code : EMC_ERROR;
    goto done;
  }
  static const char mimetype[] = "application/epub+zip";
  add_data(e, "mimetype", mimetype, sizeof mimetype - 1, 1);
  container_xml(e);
  if (b.css)
    add_data(e, "EPUB/style.css", b.css, b.css_len, 0);
  else
    add_data(e, "EPUB/style.css", epub_default_css, strlen(epub_default_css), 0);
  if (b.cover.data) {
    char path[48];
    snprintf(path, sizeof path, "EPUB/%s", b.cover.href);
    add_data(e, path, b.cover.data, b.cover.size,
             strcmp(b.cover.media_type, "image/svg+xml") != 0);
  }
  if (b.has_cover)
    cover_page(&b);
  if (b.front) {
    title_page(&b);
    e->start_title = b.title;
  }
  for (size_t i = 0; i < e->n_images && !e->rc; i++) {
    const epub_image *img = &e->images[i];
    if (!img->used)
      continue;
    size_t n = strlen(img->href) + sizeof "EPUB/";
    char *path = malloc(n);
    if (!path) {
      epub_oom(e);
      break;
    }
    snprintf(path, n, "EPUB/%s", img->href);
    /* already-compressed formats are stored, as deflating them gains nothing */
    add_data(e, path, img->res->data, img->res->size,
             strcmp(img->media_type, "image/svg+xml") != 0);
    free(path);
  }
  epub_render(e);
  struct tocitem *items = NULL;
  int max_depth = 1;
  size_t n = e->rc ? 0 : toc_items(&b, &items, &max_depth);
  if (!e->rc) {
    nav_doc(&b, items, n);
    ncx_doc(&b, items, n, max_depth);
  }
  free(items);
  package_opf(&b);
  if (!e->rc)
    e->rc = zippkg_finish(e->zip, err);
done:
  book_release(&b);
  return e->rc;
}

static const char *const epub_extensions[] = { "epub", NULL };
static const char *const epub_mime_types[] = { "application/epub+zip", NULL };

static const emc_option_spec epub_options[] = {
  { "css", 1, "FILE", "EPUB: use FILE as the stylesheet instead of the default" },
  { "cover", 1, "FILE", "EPUB: cover image (PNG, JPEG, GIF or SVG)" },
  { "toc-depth", 1, "N", "EPUB: heading levels in the table of contents (0-6, default 3)" },
  { NULL, 0, NULL, NULL }
};

#ifdef EPUB_READER
/* A zip whose first entry is a stored "mimetype" saying
 * application/epub+zip, as the OCF requires: above the docx reader's
 * claim on zips. */
static int epub_probe(const unsigned char *head, size_t len)
{
  static const char sig[] = "mimetypeapplication/epub+zip";
  if (len < 30 + sizeof sig - 1 || memcmp(head, "PK\x03\x04", 4) != 0)
    return 0;
  return memcmp(head + 30, sig, sizeof sig - 1) == 0 ? 95 : 0;
}

EMC_PLUGIN_DEFINE(epub, "epub", PACKAGE_VERSION,
                  "EPUB 2 and 3 reader; EPUB 3 writer (with an EPUB 2 NCX)",
                  .extensions = epub_extensions, .mime_types = epub_mime_types,
                  .flags = EMC_PLUGIN_F_BINARY, .probe = epub_probe, .read = epub_read,
                  .write = epub_write, .options = epub_options)
#else
EMC_PLUGIN_DEFINE(epub, "epub", PACKAGE_VERSION, "EPUB 3 writer (with an EPUB 2 NCX)",
                  .extensions = epub_extensions, .mime_types = epub_mime_types,
                  .flags = EMC_PLUGIN_F_BINARY, .write = epub_write, .options = epub_options)
#endif
