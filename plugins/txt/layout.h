/* SPDX-License-Identifier: MIT */
/* layout.h - official document layouts (laws, decrees, acts) as data, and
 * the txt reader's layout-aware reading of them (doc/layout.md).
 *
 * A layout is one static table: its heading levels (part > chapter >
 * section > article), its list levels (clause > point), each with marker
 * patterns, and its header fields (number, place and date, signer) with
 * theirs.  A new country is a new table in layout-tables.c; the engine in
 * layout.c knows no country.
 *
 * Marker patterns, matched at the start of a line (letters case-
 * insensitively, through fu_lower, so "PHẦN" matches "phần"):
 *   ' '   one or more spaces or tabs
 *   %d    1-4 ASCII or Devanagari digits     %n  a dotted number "1.2.3"
 *   %R    a roman numeral (I, iv, XII)       %A  one ASCII capital letter
 *   %a    one label of the level's alphabet  %w  a word of letters
 *   *     any text (at least one character, the shortest that fits)
 *   {..}  the label (or a field's value) to keep
 *   $     the end of the line
 * Any other character matches itself.  A match must end at the end of the
 * line, at white space or at punctuation: "Điều %d" never matches
 * "Điều 5a". */
#ifndef EMUCONV_TXT_LAYOUT_H
#define EMUCONV_TXT_LAYOUT_H

#include <stddef.h>
#include <emuconv/plugin.h>
#include <emuconv/buf.h>

enum lay_kind {
  LAY_HEADING, /* a section of the level's type, nested by table order */
  LAY_ITEM     /* an item of a list at the level's depth */
};

enum lay_title {
  LAY_TITLE_SAME, /* the title is the rest of the marker's line */
  LAY_TITLE_NEXT  /* a marker alone on its line takes the next line as title */
};

typedef struct lay_level {
  const char *type;               /* IR section type (chapter...) or list name */
  int kind;                       /* enum lay_kind */
  int title;                      /* enum lay_title (headings) */
  const char *style;              /* lists: IR list style (decimal, lower-alpha) */
  const char *alphabet;           /* %a labels, space-separated, in order */
  const char *const *patterns;    /* NULL-terminated */
  const char *title_split;        /* headings: where a marginal title ends and
                                     the text begins ("1. Short title.—(1) …"
                                     splits after ".": ".—"); NULL: none */
} lay_level;

/* A header field: PATTERN's captures, in order, are the metadata KEYS
 * (comma-separated).  "day", "month", "year" make the ISO date. */
typedef struct lay_field {
  const char *keys;
  const char *pattern;
} lay_field;

typedef struct lay_layout {
  const char *name;               /* --layout NAME */
  const char *description;
  const lay_level *levels;        /* headings outer to inner, then list levels */
  size_t nlevels;
  const lay_field *fields;        /* NULL-pattern-terminated; the header block */
  const char *const *front;       /* header lines that are never the title
                                     (national title, motto) */
  const char *const *preamble;    /* lines that end the header block ("Căn cứ") */
  const char *const *closing;     /* lines that close the lists: enactment
                                     formula, "Nơi nhận:" */
  const char *identifier_scheme;  /* scheme of the number field */
  int first_line;                 /* enum lay_first: what the first line is */
} lay_layout;

enum lay_first {
  LAY_FIRST_NOTHING,
  LAY_FIRST_PUBLISHER, /* the issuing body ("QUỐC HỘI") */
  LAY_FIRST_TYPE       /* the document type ("UNDANG-UNDANG REPUBLIK INDONESIA") */
};

/* The layouts known, NULL-terminated. */
extern const lay_layout *const lay_layouts[];

/* Reads TEXT (LEN bytes of clean UTF-8) into DOC when a layout applies:
 * the one --layout names, else the best-scoring one; none with
 * --layout=none or when no layout scores enough.  *USED says whether it
 * did (DOC untouched otherwise).  MAX_NODES bounds the IR elements. */
int lay_read(emc_ctx *ctx, emc_doc *doc, const char *text, size_t len,
             size_t max_nodes, int *used, emc_error *err);

/* Copies TEXT (LEN bytes) into OUT (appended) less its page furniture:
 * page-number lines and the running headers and footers that recur next
 * to them; a paragraph that a page break split is joined again.  *CHANGED
 * says whether anything was left out (OUT is empty otherwise: use TEXT). */
int lay_strip_page_furniture(const char *text, size_t len, emc_buf *out, int *changed);

/* Whether PATTERN matches the start of S (LEN bytes); see above.  On a
 * match stores the length matched in *END and up to 4 captures. */
typedef struct lay_capture {
  const char *s;
  size_t len;
} lay_capture;
int lay_match(const char *pattern, const char *alphabet, const char *s, size_t len,
              size_t *end, lay_capture cap[4], int *ncap);

#endif
