/* SPDX-License-Identifier: MIT */
/* epub-a11y.c - the EPUB Accessibility 1.1 metadata of a book, computed from
 * what the writer puts in it (issue 30).
 *
 * What a book from this writer is, whatever the input: text in reading
 * order (one spine, no fixed layout), a navigation document (table of
 * contents, landmarks), a language on every content document, reflowable
 * and restyled by the reader's settings, with no sound, video, animation
 * or flashing.  What depends on the input: headings (sections with one),
 * images (those shown as <img>: the document's own and the cover), their
 * text alternatives, and tables.  The IR has no page breaks and no
 * MathML, so neither page-list, printPageNumbers nor MathML is claimed.
 *
 * Conformance (dcterms:conformsTo "EPUB Accessibility 1.1 - WCAG 2.1
 * Level AA", with its evaluator in a11y:certifiedBy, as EPUB
 * Accessibility 1.1 section 5 asks) is claimed only when every image has a
 * text alternative: an image whose source gave none (no IR alt attribute;
 * alt="" is the source's word that it is decorative) leaves the claim out
 * and is warned of once ("image-no-alt").  The summary is in the book's
 * language when this file has it (en, id, hi, vi), else in English, with
 * its own xml:lang. */
#include <config.h>
#include <string.h>
#include <strings.h>
#include "epub.h"

struct a11y_content {
  size_t images;       /* shown as <img>, the cover included */
  size_t images_no_alt;
  size_t headings;     /* sections with a heading */
  size_t tables;
};

/* Whether the IR image N is shown as an <img> (a usable resource of the
 * book; an external or unusable one becomes a link or text). */
static int shown_as_image(const epub *e, const xmlNode *n)
{
  xmlChar *ref = xmlGetProp(n, BAD_CAST "ref");
  int shown = 0;
  for (size_t i = 0; ref && i < e->n_images && !shown; i++)
    shown = e->images[i].media_type && strcmp(e->images[i].res->name, (const char *)ref) == 0;
  xmlFree(ref);
  return shown;
}

static void survey(const epub *e, const xmlNode *first, struct a11y_content *c)
{
  for (const xmlNode *n = first; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    if (emc_ir_is(n, "image")) {
      if (shown_as_image(e, n)) {
        c->images++;
        c->images_no_alt += !xmlHasProp(n, BAD_CAST "alt");
      }
    } else if (emc_ir_is(n, "heading"))
      c->headings++;
    else if (emc_ir_is(n, "table"))
      c->tables++;
    survey(e, n->children, c);
  }
}

/* The summary's sentences in one language. */
struct a11y_words {
  const char *lang;
  const char *structure;     /* headings, contents, reading order */
  const char *structure_flat; /* the same, no headings */
  const char *images_described;
  const char *images_undescribed;
  const char *tables;
  const char *conforms;
  const char *no_claim;
};

static const struct a11y_words a11y_words[] = {
  { "en",
    "This publication is text with structured headings, a table of contents and a logical "
    "reading order; readers can change how it looks.",
    "This publication is text with a table of contents and a logical reading order; readers "
    "can change how it looks.",
    "Every image has a text description.",
    "Some images have no text description.",
    "It contains data tables.",
    "It meets EPUB Accessibility 1.1 at WCAG 2.1 Level AA.",
    "It does not claim conformance to EPUB Accessibility 1.1." },
  { "id",
    "Publikasi ini berupa teks dengan judul bagian yang terstruktur, daftar isi, dan urutan "
    "baca yang logis; pembaca dapat mengubah tampilannya.",
    "Publikasi ini berupa teks dengan daftar isi dan urutan baca yang logis; pembaca dapat "
    "mengubah tampilannya.",
    "Setiap gambar memiliki deskripsi teks.",
    "Sebagian gambar tidak memiliki deskripsi teks.",
    "Publikasi ini memuat tabel data.",
    "Publikasi ini memenuhi EPUB Accessibility 1.1 pada WCAG 2.1 Level AA.",
    "Publikasi ini tidak menyatakan kesesuaian dengan EPUB Accessibility 1.1." },
  { "hi",
    "यह प्रकाशन संरचित शीर्षकों, विषय-सूची और तार्किक पठन-क्रम वाला पाठ है; पाठक इसका "
    "रूप बदल सकते हैं।",
    "यह प्रकाशन विषय-सूची और तार्किक पठन-क्रम वाला पाठ है; पाठक इसका रूप बदल सकते हैं।",
    "हर चित्र का पाठ्य विवरण दिया गया है।",
    "कुछ चित्रों का कोई पाठ्य विवरण नहीं है।",
    "इसमें डेटा तालिकाएँ हैं।",
    "यह WCAG 2.1 लेवल AA पर EPUB Accessibility 1.1 की शर्तें पूरी करता है।",
    "यह EPUB Accessibility 1.1 के अनुरूप होने का दावा नहीं करता।" },
  { "vi",
    "Ấn phẩm này là văn bản có các tiêu đề được cấu trúc, mục lục và thứ tự đọc hợp lý; "
    "người đọc có thể thay đổi cách hiển thị.",
    "Ấn phẩm này là văn bản có mục lục và thứ tự đọc hợp lý; người đọc có thể thay đổi "
    "cách hiển thị.",
    "Mọi hình ảnh đều có mô tả bằng văn bản.",
    "Một số hình ảnh không có mô tả bằng văn bản.",
    "Ấn phẩm có các bảng dữ liệu.",
    "Ấn phẩm đáp ứng EPUB Accessibility 1.1 ở mức WCAG 2.1 AA.",
    "Ấn phẩm không tuyên bố tuân thủ EPUB Accessibility 1.1." },
};

/* The sentences for LANG (by its primary subtag), else English's, and
 * *FALLBACK set. */
static const struct a11y_words *words_for(const char *lang, int *fallback)
{
  *fallback = 0;
  size_t n = lang ? strcspn(lang, "-_") : 0;
  for (size_t i = 0; i < sizeof a11y_words / sizeof a11y_words[0]; i++)
    if (n == strlen(a11y_words[i].lang) && strncasecmp(lang, a11y_words[i].lang, n) == 0)
      return &a11y_words[i];
  if (n == 2 && strncasecmp(lang, "in", 2) == 0) /* Indonesian's withdrawn code */
    return &a11y_words[1];
  *fallback = 1;
  return &a11y_words[0];
}

static void meta(epub *e, xmlNodePtr md, const char *property, const char *value)
{
  xmlNodePtr m = epub_el(e, md, "meta", value);
  epub_attr(e, m, "property", property);
}

void epub_a11y_meta(epub *e, xmlNodePtr md, const char *lang, int has_cover)
{
  if (!md || e->rc)
    return;
  struct a11y_content c = { 0 };
  survey(e, emc_doc_body(e->doc)->children, &c);
  c.images += has_cover != 0; /* its alt is the title */
  int described = c.images_no_alt == 0;
  if (!described)
    emc_ctx_warn(e->ctx, "image-no-alt",
                 "epub: %zu of %zu images have no text alternative (alt): the book does not "
                 "claim EPUB Accessibility 1.1 conformance", c.images_no_alt, c.images);

  meta(e, md, "schema:accessMode", "textual");
  if (c.images)
    meta(e, md, "schema:accessMode", "visual");
  /* Text alone carries everything when every image is described. */
  if (!c.images || described)
    meta(e, md, "schema:accessModeSufficient", "textual");
  if (c.images)
    meta(e, md, "schema:accessModeSufficient", "textual,visual");
  if (c.headings)
    meta(e, md, "schema:accessibilityFeature", "structuralNavigation");
  meta(e, md, "schema:accessibilityFeature", "tableOfContents");
  meta(e, md, "schema:accessibilityFeature", "readingOrder");
  meta(e, md, "schema:accessibilityFeature", "displayTransformability");
  if (c.images && described)
    meta(e, md, "schema:accessibilityFeature", "alternativeText");
  meta(e, md, "schema:accessibilityHazard", "none");

  int fallback;
  const struct a11y_words *w = words_for(lang, &fallback);
  emc_buf summary = EMC_BUF_INIT;
  int rc = emc_buf_printf(&summary, "%s", c.headings ? w->structure : w->structure_flat);
  if (!rc && c.images)
    rc = emc_buf_printf(&summary, " %s", described ? w->images_described : w->images_undescribed);
  if (!rc && c.tables)
    rc = emc_buf_printf(&summary, " %s", w->tables);
  if (!rc)
    rc = emc_buf_printf(&summary, " %s", described ? w->conforms : w->no_claim);
  if (rc) {
    emc_buf_release(&summary);
    epub_oom(e);
    return;
  }
  xmlNodePtr m = epub_el(e, md, "meta", summary.data);
  epub_attr(e, m, "property", "schema:accessibilitySummary");
  if (m && fallback && !e->rc)
    xmlNodeSetLang(m, BAD_CAST w->lang);
  emc_buf_release(&summary);

  if (described) {
    meta(e, md, "dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA");
    /* The evaluator: this program, which checked what the claim rests on
     * (structure from the IR, every image's text alternative). */
    meta(e, md, "a11y:certifiedBy", "emuconv");
  }
}
