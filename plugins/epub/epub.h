/* SPDX-License-Identifier: MIT */
/* epub.h - shared by the files of the EPUB 3 writer module (not installed,
 * not part of the plugin ABI; every function here is module-internal: the
 * module exports only its descriptor getter). */
#ifndef EMUCONV_EPUB_H
#define EMUCONV_EPUB_H

#include <stddef.h>
#include <stdint.h>
#include <emuconv/buf.h>
#include <emuconv/plugin.h>
#include "../common/zippkg.h"
#include "../common/webtext.h"

#define EPUB_XHTML_NS "http://www.w3.org/1999/xhtml"
#define EPUB_OPS_NS "http://www.idpf.org/2007/ops"

/* Text bytes after which a content document is closed at the next block
 * boundary, so that a 50 MB input does not give one 50 MB XHTML file. */
#define EPUB_CHUNK_BYTES (300u * 1024u)

/* ---- epub-util.c ---- */

typedef struct epub_sha1 {
  uint32_t h[5];
  uint64_t len;          /* bytes hashed so far */
  unsigned char buf[64];
  size_t used;
} epub_sha1;

void epub_sha1_init(epub_sha1 *s);
void epub_sha1_update(epub_sha1 *s, const void *data, size_t len);
void epub_sha1_final(epub_sha1 *s, unsigned char digest[20]);

/* A name-based UUID (RFC 4122 version 5, SHA-1).  NS is the 16-byte
 * namespace UUID; the name is whatever was fed into S after
 * epub_uuid5_begin.  OUT receives "urn:uuid:xxxxxxxx-...". */
void epub_uuid5_begin(epub_sha1 *s, const unsigned char ns[16]);
void epub_uuid5_end(epub_sha1 *s, char out[46]);
/* The same UUID as 16 bytes (to serve as a namespace). */
void epub_uuid5_bytes(epub_sha1 *s, unsigned char out[16]);

extern const unsigned char epub_uuid_ns_url[16];     /* RFC 4122 NameSpace_URL */
extern const unsigned char epub_uuid_ns_content[16]; /* emuconv's, for text */

/* Whether S is a W3CDTF date (YYYY, YYYY-MM, YYYY-MM-DD, optionally with
 * a time and zone), the syntax epubcheck recommends for dc:date. */
int epub_date_ok(const char *s);

/* The core EPUB image media type of DATA (PNG, JPEG, GIF, SVG) when it
 * is a sound image of one of those types (plugins/common/imgcheck.h), or
 * NULL: epubcheck calls a damaged file corrupted (PKG-021), and a reading
 * system would show nothing. */
const char *epub_image_type(const unsigned char *data, size_t len);
/* The file extension for one of those media types ("png"...). */
const char *epub_image_ext(const char *media_type);

/* The own xml:lang of the top-level section holding N (a parallel text's
 * translation, say), when it is a usable tag; NULL otherwise.
 * Returns: (transfer none). */
const xmlChar *epub_part_lang(const xmlNode *n);
/* Whether section N is a version of a parallel text (type="translation"),
 * not an official document's part or chapter. */
int epub_is_translation(const xmlNode *n);

/* ---- epub-css.c ---- */
extern const char epub_default_css[];

/* ---- epub-body.c ---- */

typedef struct epub_toc_entry {
  const xmlNode *section; /* the IR <section> */
  int depth;              /* 1: a child of <body>, 2: inside one ... */
  int level;              /* the section's level attribute (h1..h6) */
  size_t chunk;           /* content document holding its heading */
  char *id;               /* the heading's id there */
  char *label;            /* the heading's text without notes */
  char *lang;             /* the heading's language (in scope), or NULL */
} epub_toc_entry;

typedef struct epub_image {
  const emc_resource *res;
  const char *media_type; /* sniffed; NULL: unusable, never referenced */
  char *href;             /* "images/NAME" relative to the package dir */
  int used;
} epub_image;

typedef struct epub_id {
  const xmlChar *id; /* an IR xml:id (borrowed from the tree) */
  size_t chunk;
} epub_id;

typedef struct epub {
  emc_ctx *ctx;
  const emc_doc *doc;
  zippkg *zip;
  emc_error *err;
  int rc;             /* first failure; stops everything after it */
  const char *lang;   /* the document's language (BCP 47, or "und") */
  const char *title;  /* dc:title */
  const char *css_href; /* "style.css" */
  const char *start_title; /* shown at the start of the first content
                              document when that opens with no heading
                              (the bodymatter landmark's page); NULL: none
                              (--no-front-matter) */

  /* the plan (epub-body.c, first pass) */
  const xmlNode **splits; /* blocks/sections that start a new document */
  size_t n_splits, cap_splits;
  size_t n_chunks;
  epub_toc_entry *toc;
  size_t n_toc, cap_toc;
  epub_id *ids;       /* sorted by id */
  size_t n_ids, cap_ids;
  epub_image *images; /* parallel to the document's resources */
  size_t n_images;

  /* the render (second pass) */
  xmlDocPtr cur;      /* the content document being built */
  xmlNsPtr ns, ops;
  xmlNodePtr body;
  xmlNodePtr stack[8];          /* open XHTML <section>s, [0] = body */
  const xmlNode *ir_stack[8];   /* their IR sections */
  int top;
  size_t chunk;       /* index of the document being built */
  size_t next_split;
  size_t next_toc;    /* toc entries rendered so far */
  size_t n_notes_total;
  struct epub_note { const xmlNode *note; size_t num; } *notes;
  size_t n_notes, cap_notes;     /* notes of the current document */
  const xmlNode **deferred;      /* notes met inside a link */
  size_t n_deferred, cap_deferred;
} epub;

/* Sets E->rc to CODE with a message, unless a failure was already
 * recorded; returns E->rc. */
int epub_fail(epub *e, int code, const char *fmt, ...) EMC_PRINTF(3, 4);
#define epub_oom(e) epub_fail((e), EMC_ENOMEM, "out of memory")

/* The name of content document I ("c0001.xhtml"), in BUF. */
const char *epub_chunk_name(size_t i, char buf[32]);

/* First pass: decides the split points, the headings' ids and documents,
 * where each xml:id lands, and which resources are used. */
int epub_plan(epub *e);
/* Second pass: writes the content documents into the package. */
int epub_render(epub *e);
/* Frees what the passes allocated. */
void epub_body_release(epub *e);

/* A new XHTML document with <head> (TITLE, the stylesheet) and <body>,
 * in language LANG.  Returns: (transfer full) NULL when out of memory. */
xmlDocPtr epub_xhtml_new(epub *e, const char *title, const char *lang,
                         xmlNodePtr *body);
/* Appends an XHTML element (and TEXT, if non-NULL) to PARENT. */
xmlNodePtr epub_el(epub *e, xmlNodePtr parent, const char *name,
                   const char *text);
void epub_attr(epub *e, xmlNodePtr n, const char *name, const char *value);
void epub_type(epub *e, xmlNodePtr n, const char *value); /* epub:type */
void epub_set_lang(epub *e, xmlNodePtr n, const char *lang);

/* The text of NODE without its notes, white space folded.
 * Returns: (transfer full) free(); NULL when out of memory. */
char *epub_plain_text(const xmlNode *node);

/* The output id for an IR xml:id (NULL-safe): the same, unless it could
 * clash with the writer's own "emc-" ids.  Returns: (transfer full). */
char *epub_map_id(const xmlChar *id);
/* The document an IR xml:id lands in, or (size_t)-1. */
size_t epub_find_id(const epub *e, const xmlChar *id);

/* epub-read.c (built with libzip): the reader callback, EPUB 2 and 3. */
int epub_read(emc_ctx *ctx, const emc_input *in, emc_doc **out, emc_error *err);

/* ---- epub-a11y.c ---- */

/* Appends to the package metadata MD the EPUB Accessibility 1.1 metadata
 * (schema:accessMode... accessibilitySummary in LANG, and conformance when
 * it holds) computed from E's document and images (after epub_plan);
 * HAS_COVER: the book has a cover image.  Warns "image-no-alt" once when an
 * image has no text alternative.  Failures go to E->rc. */
void epub_a11y_meta(epub *e, xmlNodePtr md, const char *lang, int has_cover);

#endif
