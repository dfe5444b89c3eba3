/* SPDX-License-Identifier: MIT */
/* docx.h - internals of the DOCX reader, shared by its source files.
 *
 *   docx-pkg.c     the zip package (plugins/common/zipread: libzip under the
 *                  limits), the XML parser
 *                  (no DTD, no network, streaming for the main part),
 *                  [Content_Types].xml and relationships;
 *   docx-styles.c  styles.xml (basedOn chains, outline levels, languages),
 *                  numbering.xml, the notes and comments parts;
 *   docx-body.c    the WordprocessingML body walker that builds the IR;
 *   docx.c         the plugin: probe, read, core properties, the last pass.
 */
#ifndef EMUCONV_DOCX_H
#define EMUCONV_DOCX_H

#include <stddef.h>
#include <zip.h>
#include <libxml/tree.h>
#include <emuconv/buf.h>
#include <emuconv/plugin.h>
#include "../common/zipread.h"

/* ------------------------------------------------------------ namespaces */

enum docx_ns {
  NS_OTHER = 0, NS_NONE, NS_W, NS_R, NS_WP, NS_A, NS_PIC, NS_MC, NS_V, NS_O,
  NS_M, NS_WPS, NS_PKGREL, NS_CT, NS_CP, NS_DC, NS_DCTERMS, NS_W14, NS_DGM
};

/* The namespace of NODE (element or attribute namespace pointer NS),
 * transitional and strict OOXML alike.  Cached in ns->_private. */
int docx_ns(const xmlNs *ns);

static inline int docx_is(const xmlNode *n, int ns, const char *local)
{
  return n && n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST local) &&
         docx_ns(n->ns) == ns;
}
static inline int docx_is_w(const xmlNode *n, const char *local)
{
  return docx_is(n, NS_W, local);
}

/* The value of attribute NS:LOCAL of N (borrowed), NULL if absent. */
const char *docx_attr(const xmlNode *n, int ns, const char *local);
/* w:val */
static inline const char *docx_val(const xmlNode *n)
{
  return docx_attr(n, NS_W, "val");
}
/* First child element NS:LOCAL of N, or NULL. */
xmlNodePtr docx_child(const xmlNode *n, int ns, const char *local);
static inline xmlNodePtr docx_wchild(const xmlNode *n, const char *local)
{
  return docx_child(n, NS_W, local);
}
/* An ST_OnOff property element: absent -> DFLT; w:val 0/false/off -> 0. */
int docx_onoff(const xmlNode *prop, int dflt);

/* ------------------------------------------------------------ package */

typedef struct docx_ct_entry {
  char *key;   /* extension (Default) or part name without '/' (Override) */
  char *type;
} docx_ct_entry;

typedef struct docx_pkg {
  zipread zip;                 /* the zip under the limits (owned) */
  emc_ctx *ctx;
  emc_error *err;
  docx_ct_entry *defaults, *overrides;
  size_t n_defaults, n_overrides;
} docx_pkg;

/* Opens IN as a zip package and checks its directory against the limits
 * (entries, sizes, ratio, entry names).  On failure ERR is set and the
 * package needs no docx_pkg_close(). */
int docx_pkg_open(docx_pkg *p, emc_ctx *ctx, const emc_input *in, emc_error *err);
void docx_pkg_close(docx_pkg *p);
/* The zip index of part NAME (no leading '/', case-insensitive), or -1. */
zip_int64_t docx_pkg_find(docx_pkg *p, const char *name);
/* Reads part NAME whole, inflating under the limits.  Returns: (transfer
 * full) *DATA, NUL-terminated, free() it. */
int docx_pkg_read(docx_pkg *p, const char *name, unsigned char **data, size_t *len);
/* Loads [Content_Types].xml. */
int docx_pkg_load_types(docx_pkg *p);
/* The content type of part NAME (no leading '/'); NULL when unknown. */
const char *docx_pkg_type(const docx_pkg *p, const char *name);

/* Called for every element that closes as a child of the streaming root's
 * container (w:body); the element is freed after the call. */
typedef int (*docx_block_fn)(void *user, xmlNodePtr block);

/* Parses part NAME as XML: no network, no DTD (refused), no entities,
 * nesting bounded by max_depth.  With ON_BLOCK, the children of the
 * element CONTAINER (a local name, e.g. "body") are handed over one by one
 * and freed, so that the part is never whole in memory; *OUT then holds
 * what remains.  Returns: (transfer full) *OUT, xmlFreeDoc() it. */
int docx_parse_part(docx_pkg *p, const char *name, const char *container,
                    docx_block_fn on_block, void *user, xmlDocPtr *out);

/* ------------------------------------------------------------ relationships */

typedef struct docx_rel {
  char *id;
  char *type;      /* the last segment of the Type URI: "styles", "image" */
  char *target;    /* a part name (no leading '/') or, when external, a URI */
  int external;
} docx_rel;

typedef struct docx_rels {
  docx_rel *v;
  size_t n;
} docx_rels;

/* Loads the relationships of SOURCE ("" for the package itself).  A
 * missing rels part is an empty set. */
int docx_rels_load(docx_pkg *p, const char *source, docx_rels *out);
void docx_rels_free(docx_rels *r);
const docx_rel *docx_rels_id(const docx_rels *r, const char *id);
const docx_rel *docx_rels_type(const docx_rels *r, const char *type);

/* ------------------------------------------------------------ styles */

enum { LANG_LATIN, LANG_EA, LANG_CS, LANG_N };

enum style_kind {
  KIND_NONE, KIND_TITLE, KIND_SUBTITLE, KIND_QUOTE, KIND_PRE, KIND_CAPTION
};

/* Character formatting flags. */
enum {
  F_B = 1u, F_I = 2u, F_U = 4u, F_SUP = 8u, F_SUB = 16u, F_HIDDEN = 32u, F_CODE = 64u
};

typedef struct docx_style {
  const char *id, *name;    /* borrowed from the styles DOM */
  const char *based_on;
  int is_para, is_char, is_default;
  xmlNodePtr ppr, rpr;
  struct docx_style *base;  /* resolved w:basedOn */
  /* resolved through the chain (-1: not said) */
  int outline;              /* 0-8, 9 body text, -1 */
  int name_level;           /* "heading N" in the chain, 0 if none */
  int kind;                 /* enum style_kind */
  const char *num_id;       /* numPr in the chain */
  int ilvl;
  const char *lang[LANG_N];
  unsigned fset, fval;      /* character flags said, and their values */
  long indent;              /* w:ind left/start in the chain, -1 */
} docx_style;

typedef struct docx_lvl {
  int ordered;              /* 1 ordered, 0 bullet, -1 no marker (not a list) */
  const char *style;        /* IR list style or NULL */
  long start;
  long indent;              /* w:ind of the level, -1 */
} docx_lvl;

typedef struct docx_note {
  long id;
  xmlNodePtr node;
} docx_note;

typedef struct docx_notes {
  xmlDocPtr dom;
  docx_note *v;
  size_t n;
  docx_rels rels;
  char *part;
} docx_notes;

typedef struct docx_num {
  long id;
  xmlNodePtr abs;           /* its w:abstractNum */
  xmlNodePtr over[9];       /* w:lvlOverride by level */
  long count[9];            /* items met so far, for continued numbering */
} docx_num;

typedef struct docx_abs {
  long id;
  xmlNodePtr node;
} docx_abs;

typedef struct docx_styles {
  xmlDocPtr dom, num_dom;
  docx_style *v;            /* sorted by id */
  size_t n;
  docx_style *default_para, *default_char;
  const char *lang[LANG_N]; /* docDefaults */
  docx_abs *abs;
  size_t n_abs;
  docx_num *nums;           /* sorted by id */
  size_t n_nums;
} docx_styles;

int docx_styles_load(docx_pkg *p, const char *part, docx_styles *s);
int docx_numbering_load(docx_pkg *p, const char *part, docx_styles *s);
void docx_styles_free(docx_styles *s);
docx_style *docx_style_find(const docx_styles *s, const char *id);
docx_num *docx_num_find(const docx_styles *s, const char *id);
/* Level ILVL of list NUM; 0 on success, -1 if there is none. */
int docx_num_level(const docx_styles *s, const docx_num *num, int ilvl, docx_lvl *out);
/* The level of NUM whose w:pStyle is STYLE_ID, or -1. */
int docx_num_level_of_style(const docx_styles *s, const docx_num *num, const char *style_id);
/* Reads character flags from a w:rPr into *SET / *VAL (direct ones win
 * over what is already set when OVERRIDE). */
void docx_rpr_flags(const xmlNode *rpr, unsigned *set, unsigned *val);
/* The w:lang values of an rPr into LANG (only those said). */
void docx_rpr_lang(const xmlNode *rpr, const char *lang[LANG_N]);

int docx_notes_load(docx_pkg *p, const char *part, const char *elem, docx_notes *out);
void docx_notes_free(docx_notes *n);
xmlNodePtr docx_notes_find(const docx_notes *n, long id);

/* ------------------------------------------------------------ the reader */

typedef struct docx_reader docx_reader;

/* docx-body.c */
docx_reader *docx_reader_new(emc_ctx *ctx, emc_doc *doc, docx_pkg *pkg,
                             docx_styles *styles, emc_error *err);
void docx_reader_free(docx_reader *r);
void docx_reader_set_parts(docx_reader *r, const char *main_part, docx_rels *main_rels,
                           docx_notes *foot, docx_notes *end, docx_notes *comments,
                           int keep_comments);
/* MODE 1, --track-changes=reject: tracked deletions shown, insertions
 * left out; MODE 2, --track-changes=all: both, in <ins> and <del>; MODE 0
 * (the default) accepts them: insertions shown, deletions left out. */
void docx_reader_reject_changes(docx_reader *r, int mode);
/* --keep-headers: headers' and footers' text, once, as a section at the end. */
void docx_reader_keep_headers(docx_reader *r, int keep);
/* The docx_block_fn for the main part. */
int docx_reader_block(void *reader, xmlNodePtr block);
/* After the last block: languages, ids, links. */
int docx_reader_finish(docx_reader *r, const char *core_language);
/* The visible title paragraph, if the document had one (borrowed). */
const char *docx_reader_title(const docx_reader *r);

#endif
