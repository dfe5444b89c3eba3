/* SPDX-License-Identifier: MIT */
/* odt.h - internals shared by the files of the odt writer module.
 *
 * The writer produces its XML parts as text with a small append-only
 * buffer (odt_buf) rather than through a libxml2 tree: content.xml of a
 * large document is as big as the document, and writing it directly keeps
 * the memory and time of a conversion close to the size of the text. */
#ifndef EMUCONV_ODT_H
#define EMUCONV_ODT_H

#include <stddef.h>
#include <libxml/tree.h>
#include <emuconv/buf.h>
#include <emuconv/plugin.h>

/* ---- the output buffer (odtbuf.c) ---- */

/* A part being written: an emc_buf with the writer's sticky error and an
 * optional sink.  All writes are no-ops once OOM is set; check it once at
 * the end. */
typedef struct odt_buf {
  emc_buf buf; /* the bytes not yet given to SINK */
  int oom;    /* out of memory, or SINK failed */
  int sink_failed; /* SINK failed (it keeps the reason) */
  /* When set, the bytes held go to SINK (with SINK_USER) once there are
   * ODT_SINK_AT of them and more do not fit, and at odt_buf_flush(): for
   * a part written front to back and never read back. */
  int (*sink)(void *user, const char *data, size_t len);
  void *sink_user;
} odt_buf;

enum { ODT_SINK_AT = 1 << 16 };

void odt_buf_release(odt_buf *b);
int odt_buf_reserve(odt_buf *b, size_t more);
void odt_put(odt_buf *b, const char *s, size_t len);
void odt_puts(odt_buf *b, const char *s);
void odt_printf(odt_buf *b, const char *fmt, ...) EMC_PRINTF(2, 3);
/* Hands what B holds to its sink.  Returns 0, or -1 (B->oom set). */
int odt_buf_flush(odt_buf *b);

/* Escaped character data: & < > escaped, characters XML 1.0 forbids
 * dropped.  White space is copied as is (the caller handles ODF's white
 * space rules). */
void odt_text(odt_buf *b, const char *s, size_t len);
/* ' NAME="VALUE"' with VALUE escaped for an attribute (tab, newline and
 * carriage return as character references so they survive). */
void odt_attr(odt_buf *b, const char *name, const char *value);

/* ---- languages (odtstyles.c) ---- */

enum odt_script { ODT_WESTERN, ODT_ASIAN, ODT_COMPLEX };

/* A BCP 47 tag split into what ODF's text properties can say. */
typedef struct odt_lang {
  char language[9]; /* "hi"; empty: no usable language */
  char script[9];   /* "Deva" or empty */
  char country[9];  /* "IN" or empty */
  int kind;         /* enum odt_script: which ODF attribute set applies */
} odt_lang;

/* Parses TAG ("en", "en-US", "sr-Latn-RS", "hi"); returns 0 when the tag
 * has no language ODF can express (empty, private use). */
int odt_lang_parse(const char *tag, odt_lang *out);
/* Writes the language attributes of a style:text-properties for L:
 * fo:language/fo:country (Latin, Cyrillic, Greek...), style:language-asian
 * /country-asian (Chinese, Japanese, Korean), style:language-complex/
 * country-complex (Devanagari, Arabic, Hebrew, Thai...). */
void odt_lang_attrs(odt_buf *b, const odt_lang *l);

/* ---- fixed parts (odtstyles.c) ---- */

/* List styles used by the content, one bit each; all are defined in
 * styles.xml when their bit is set (List_20_1 and Numbering_20_123
 * always). */
enum odt_list_style {
  ODT_LIST_DISC,     /* List_20_1 */
  ODT_LIST_DASH,     /* List_20_2 */
  ODT_LIST_CIRCLE,   /* List_20_Circle */
  ODT_LIST_SQUARE,   /* List_20_Square */
  ODT_LIST_DECIMAL,  /* Numbering_20_123 */
  ODT_LIST_LALPHA,   /* Numbering_20_abc */
  ODT_LIST_UALPHA,   /* Numbering_20_ABC */
  ODT_LIST_LROMAN,   /* Numbering_20_ivx */
  ODT_LIST_UROMAN,   /* Numbering_20_IVX */
  ODT_LIST_LABEL,    /* Numbering_20_Label: no number, the item's own label */
  ODT_LIST_N
};
/* The style:name of list style S. */
const char *odt_list_style_name(int s);

/* styles.xml: fonts, default styles (with DOC_LANG's language, which may
 * be NULL), the named paragraph/text/list styles, outline and notes
 * configuration, the page layout.  LISTS: bit (1 << s) for every list
 * style used. */
void odt_styles_xml(odt_buf *b, const odt_lang *doc_lang, unsigned lists);

/* ---- fonts (odtfonts.c) ---- */

/* The style:name of the font faces for the Asian and complex script
 * classes, serif (the default paragraph style) and sans (Heading); each
 * a list of families with fallbacks. */
#define ODT_FONT_COMPLEX_SERIF "Noto Serif Devanagari"
#define ODT_FONT_COMPLEX_SANS "Noto Sans Devanagari"
#define ODT_FONT_ASIAN_SERIF "Noto Serif CJK SC"
#define ODT_FONT_ASIAN_SANS "Noto Sans CJK SC"
/* Writes styles.xml's office:font-face-decls: every font its styles name. */
void odt_font_face_decls(odt_buf *b);

/* ---- --reference-doc (odtrefdoc.c) ---- */

/* Reads the styles.xml of the ODF text document (or template) at PATH
 * into *OUT (the caller frees it with xmlFreeDoc). */
int odt_refdoc_load(emc_ctx *ctx, const char *path, xmlDocPtr *out, emc_error *err);
/* Replaces STYLES, the writer's styles.xml, with TMPL (changed: foreign
 * markup left out) plus what the writer's content needs and TMPL lacks. */
int odt_refdoc_merge(xmlDocPtr tmpl, odt_buf *styles, emc_error *err);

/* The namespace declarations and office:version of every part. */
#define ODT_VERSION "1.3"
#define ODT_NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define ODT_NS_STYLE "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define ODT_NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define ODT_NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define ODT_NS_DRAW "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
#define ODT_NS_FO "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
#define ODT_NS_XLINK "http://www.w3.org/1999/xlink"
#define ODT_NS_DC "http://purl.org/dc/elements/1.1/"
#define ODT_NS_META "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
#define ODT_NS_SVG "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
#define ODT_NS_MANIFEST "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
/* The namespace declarations content.xml and styles.xml both start with,
 * in the order LibreOffice writes them. */
#define ODT_XMLNS_COMMON                                                     \
  " xmlns:office=\"" ODT_NS_OFFICE "\"" " xmlns:style=\"" ODT_NS_STYLE "\""   \
  " xmlns:text=\"" ODT_NS_TEXT "\"" " xmlns:table=\"" ODT_NS_TABLE "\""       \
  " xmlns:draw=\"" ODT_NS_DRAW "\"" " xmlns:fo=\"" ODT_NS_FO "\""

/* The reader (odt-read.c, built with libzip: ODT_READER). */
int odt_read(emc_ctx *ctx, const emc_input *in, emc_doc **out, emc_error *err);
int odt_probe(const unsigned char *head, size_t len);

#endif
