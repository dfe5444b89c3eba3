/* SPDX-License-Identifier: MIT */
/* docx-body.c - WordprocessingML to IR.
 *
 * The main part arrives one body child at a time (docx_reader_block); all
 * state that outlives a block (open sections and lists, fields, counters)
 * lives in docx_reader and never points into the part's tree.
 *
 * Paragraphs are built in a detached <p>: runs with the same formatting are
 * merged into one text node (so "emu"+"lation" is one word), formatting
 * becomes a stack of inline elements (span xml:lang > a > strong > em > u >
 * sup/sub > code) opened and closed as the formatting changes.  Once the
 * paragraph is complete it is dropped when empty, or becomes a heading (a
 * section), a list item, a quote, a pre or a figure, or stays a <p>.
 */
#include <config.h>
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/hash.h>
#include <emuconv/text.h>
#include "../common/xmlsafe.h"
#include "docx.h"
#include <emuconv/url.h>

#define MAX_LISTS 16
#define MAX_LAYERS 10

enum layer_kind { L_INS, L_DEL, L_SPAN, L_A, L_STRONG, L_EM, L_U, L_SUP, L_SUB, L_CODE };
static const char *const layer_names[] = { "ins", "del", "span", "a", "strong", "em", "u", "sup", "sub", "code" };

struct field {
  emc_buf instr;       /* the instruction's text so far */
  int result;          /* past w:fldCharType="separate" */
  const char *href;    /* a HYPERLINK field's target (pooled) */
};

struct story {         /* the main text, or one note's */
  const docx_rels *rels;
  struct field *f;
  size_t nf, capf;
};

struct listent {
  long num;
  long key;            /* nesting: the level's indentation */
  xmlNodePtr list;
};

struct blockctx {      /* where blocks go: body/section, cell, note, text box */
  xmlNodePtr cont;
  int is_body;
  struct listent lists[MAX_LISTS];
  int nlists;
  xmlNodePtr quote, pre, figure;
  const char *pending_id;
  xmlNodePtr carry;    /* a paragraph whose mark was deleted: it runs on */
};

struct langcount {
  const char *tag;
  size_t chars;
};

struct media {
  char *part, *name;
};

struct pool {
  struct pool *next;
  char s[];
};

struct docx_reader {
  emc_ctx *ctx;
  emc_doc *doc;
  docx_pkg *pkg;
  docx_styles *st;
  emc_error *err;
  xmlDocPtr tree;
  xmlNsPtr irns;
  docx_rels *main_rels;
  docx_notes *foot, *end, *comments;
  int keep_comments;
  int reject_changes; /* --track-changes=reject: deletions kept, insertions dropped */
  int all_changes;    /* --track-changes=all: both, as <ins> and <del> */
  int keep_headers;   /* --keep-headers: their text in a section at the end */
  size_t nodes, max_nodes, max_depth;
  struct blockctx body;
  struct story main_story;
  int content_started;
  char *title;
  struct langcount *langs;
  size_t n_langs;
  struct media *media;
  size_t n_media;
  struct pool *pool;
  xmlHashTablePtr ids, anchors;
  int in_note;
  int cut_rows; /* table rows wider than DOCX_MAX_COLUMNS, for one warning */
  int repeated_notes; /* references to a note already placed, for one warning */
};

struct fmt {
  unsigned flags;
  const char *lang;    /* interned */
  const char *href;    /* pooled */
  const char *ins, *del; /* --track-changes=all: the change around (pooled
                            "AUTHOR\x1fDATE"), set by put_text/put_elem */
};

struct layer {
  int kind;
  const char *val;
  xmlNodePtr node;
};

struct para {
  docx_reader *r;
  struct story *story;
  xmlNodePtr p;
  struct layer st[MAX_LAYERS];
  int n;
  emc_buf text;           /* the run of text with format PF so far */
  struct fmt pf;
  const char *plang[LANG_N];
  docx_style *cstyle_default;
  struct langcount lc[8];
  int nlc;
  xmlNodePtr deferred;
  int has_content;
  const char *id;
  const char *href;    /* from w:hyperlink */
  const char *ins, *del; /* the w:ins and w:del around (struct fmt) */
  int depth;
};

static int do_block(docx_reader *r, struct blockctx *bc, struct story *s, xmlNodePtr n, int depth);
static int do_inline(struct para *P, xmlNodePtr parent, int depth);
static void end_ctx(struct blockctx *bc);

/* ------------------------------------------------------------ helpers */

/* Whether the content of a tracked change W:N (ins, moveTo, del,
 * moveFrom) is shown: insertions when changes are accepted (the default,
 * MODE 0), deletions when they are rejected (MODE 1), both with
 * --track-changes=all (MODE 2). */
static int change_shown(int mode, const char *n)
{
  if (strcmp(n, "ins") == 0 || strcmp(n, "moveTo") == 0)
    return mode != 1;
  if (strcmp(n, "del") == 0 || strcmp(n, "moveFrom") == 0)
    return mode != 0;
  return 0;
}
#define CHANGE_MODE(r) ((r)->all_changes ? 2 : (r)->reject_changes)

static int oom(docx_reader *r)
{
  return emc_error_set(r->err, EMC_ENOMEM, "out of memory");
}

static const char *pool_dup(docx_reader *r, const char *s, size_t len)
{
  struct pool *p = malloc(sizeof *p + len + 1);
  if (!p)
    return NULL;
  memcpy(p->s, s, len);
  p->s[len] = '\0';
  p->next = r->pool;
  r->pool = p;
  return p->s;
}

/* A decimal attribute as an int, saturated (strtol saturates to long):
 * a level of 4294967297 is a large level, not level 1. */
static int int_of(const char *s)
{
  long v = strtol(s, NULL, 10);
  return v > INT_MAX ? INT_MAX : v < INT_MIN ? INT_MIN : (int)v;
}

static xmlNodePtr ir_add(docx_reader *r, xmlNodePtr parent, const char *name)
{
  if (++r->nodes > r->max_nodes) {
    emc_error_set(r->err, EMC_ELIMIT, "the document needs more than %zu IR nodes (the node limit)",
                  r->max_nodes);
    return NULL;
  }
  xmlNodePtr n = emc_ir_add(parent, name, NULL);
  if (!n)
    oom(r);
  return n;
}

static xmlNodePtr ir_detached(docx_reader *r, const char *name)
{
  xmlNodePtr n = xmlNewDocNode(r->tree, r->irns, BAD_CAST name, NULL);
  if (!n)
    oom(r);
  return n;
}

/* Interns a language tag; NULL for none or an invalid one. */
static const char *lang_intern(docx_reader *r, const char *tag)
{
  if (!xmlsafe_valid_lang(tag))
    return NULL;
  for (size_t i = 0; i < r->n_langs; i++)
    if (strcmp(r->langs[i].tag, tag) == 0)
      return r->langs[i].tag;
  struct langcount *g = realloc(r->langs, (r->n_langs + 1) * sizeof *g);
  if (!g)
    return NULL;
  r->langs = g;
  const char *t = pool_dup(r, tag, strlen(tag));
  if (!t)
    return NULL;
  g[r->n_langs].tag = t;
  g[r->n_langs].chars = 0;
  r->n_langs++;
  return t;
}

static void lang_count(docx_reader *r, const char *tag, size_t n)
{
  for (size_t i = 0; i < r->n_langs; i++)
    if (r->langs[i].tag == tag) {
      r->langs[i].chars += n;
      return;
    }
}

/* The script class of TEXT: its first letter decides which w:lang
 * attribute applies (w:val, w:eastAsia, w:bidi); -1 when it has none
 * (digits, punctuation, spaces: they take the language around them). */
static int script_of(const char *text)
{
  const unsigned char *s = (const unsigned char *)text;
  while (*s) {
    /* (a NUL is no continuation byte: the decoder stops at the end) */
    uint32_t cp = *s;
    size_t l = emc_utf8_decode(s, 4, &cp);
    s += l ? l : 1;
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
        (cp >= 0x370 && cp <= 0x52F) || (cp >= 0x1E00 && cp <= 0x1FFF))
      return LANG_LATIN;
    if ((cp >= 0x590 && cp <= 0x8FF) || (cp >= 0x900 && cp <= 0xDFF) ||
        (cp >= 0xE00 && cp <= 0xFFF) || (cp >= 0x1000 && cp <= 0x109F) ||
        (cp >= 0x1780 && cp <= 0x17FF) || (cp >= 0xFB1D && cp <= 0xFDFF) ||
        (cp >= 0xFE70 && cp <= 0xFEFF))
      return LANG_CS;
    if ((cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x2E80 && cp <= 0x9FFF) ||
        (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFF00 && cp <= 0xFFEF) || cp >= 0x20000)
      return LANG_EA;
  }
  return -1;
}

/* ------------------------------------------------------------ inline stack */

static int str_eq(const char *a, const char *b)
{
  return a == b || (a && b && strcmp(a, b) == 0);
}

static int fmt_eq(const struct fmt *a, const struct fmt *b)
{
  return a->flags == b->flags && a->lang == b->lang && str_eq(a->href, b->href) &&
         str_eq(a->ins, b->ins) && str_eq(a->del, b->del);
}

/* Sets author= and date= of an <ins> or <del> from CHANGE
 * ("AUTHOR\x1fDATE", either part empty when unknown). */
static int set_change_attrs(xmlNodePtr e, const char *change)
{
  const char *sep = strchr(change, '\x1f');
  size_t al = sep ? (size_t)(sep - change) : strlen(change);
  if (al) {
    xmlChar *a = xmlStrndup(BAD_CAST change, (int)al);
    int ok = a && xmlSetProp(e, BAD_CAST "author", a);
    xmlFree(a);
    if (!ok)
      return EMC_ENOMEM;
  }
  if (sep && sep[1] && !xmlSetProp(e, BAD_CAST "date", BAD_CAST sep + 1))
    return EMC_ENOMEM;
  return EMC_OK;
}

/* Opens the inline elements FMT needs (closing those it does not) and
 * returns the innermost one, or NULL on error. */
static xmlNodePtr layers_for(struct para *P, const struct fmt *f)
{
  struct layer want[MAX_LAYERS];
  int nw = 0;
  if (f->ins)
    want[nw++] = (struct layer){ L_INS, f->ins, NULL };
  if (f->del)
    want[nw++] = (struct layer){ L_DEL, f->del, NULL };
  if (f->lang)
    want[nw++] = (struct layer){ L_SPAN, f->lang, NULL };
  else {
    /* neutral text stays in the language around it (inside the same
     * tracked changes) */
    int same = P->n > nw;
    for (int i = 0; same && i < nw; i++)
      same = P->st[i].kind == want[i].kind && str_eq(P->st[i].val, want[i].val);
    if (same && P->st[nw].kind == L_SPAN) {
      want[nw] = P->st[nw];
      nw++;
    }
  }
  if (f->href && emc_url_is_safe(f->href)) /* else the text stays, unlinked */
    want[nw++] = (struct layer){ L_A, f->href, NULL };
  static const struct {
    unsigned flag;
    int kind;
  } order[] = { { F_B, L_STRONG }, { F_I, L_EM }, { F_U, L_U }, { F_SUP, L_SUP },
                { F_SUB, L_SUB }, { F_CODE, L_CODE } };
  for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
    if (f->flags & order[i].flag)
      want[nw++] = (struct layer){ order[i].kind, NULL, NULL };
  int keep = 0;
  while (keep < P->n && keep < nw && P->st[keep].kind == want[keep].kind &&
         (P->st[keep].val == want[keep].val ||
          (P->st[keep].val && want[keep].val && strcmp(P->st[keep].val, want[keep].val) == 0)))
    keep++;
  P->n = keep;
  for (int i = keep; i < nw; i++) {
    xmlNodePtr parent = P->n ? P->st[P->n - 1].node : P->p;
    xmlNodePtr e = ir_add(P->r, parent, layer_names[want[i].kind]);
    if (!e)
      return NULL;
    if (want[i].kind == L_SPAN)
      xmlNodeSetLang(e, BAD_CAST want[i].val);
    else if ((want[i].kind == L_INS || want[i].kind == L_DEL) &&
             set_change_attrs(e, want[i].val)) {
      oom(P->r);
      return NULL;
    }
    else if (want[i].kind == L_A) {
      if (!xmlSetProp(e, BAD_CAST "href", BAD_CAST want[i].val)) {
        oom(P->r);
        return NULL;
      }
      if (want[i].val[0] == '#')
        xmlHashAddEntry(P->r->anchors, BAD_CAST want[i].val + 1, (void *)1);
    }
    P->st[P->n] = want[i];
    P->st[P->n].node = e;
    P->n++;
  }
  return P->n ? P->st[P->n - 1].node : P->p;
}

static int flush(struct para *P)
{
  if (!P->text.len)
    return EMC_OK;
  xmlNodePtr at = layers_for(P, &P->pf);
  if (!at)
    return P->r->err->code;
  if (emc_ir_add_text(at, P->text.data, P->text.len))
    return oom(P->r);
  const char *lang = P->pf.lang;
  for (int i = 0; !lang && i < P->n && P->st[i].kind <= L_SPAN; i++)
    if (P->st[i].kind == L_SPAN)
      lang = P->st[i].val;
  if (lang) {
    size_t c = emc_utf8_count(P->text.data, P->text.len);
    int i = 0;
    while (i < P->nlc && P->lc[i].tag != lang)
      i++;
    if (i < P->nlc)
      P->lc[i].chars += c;
    else if (P->nlc < (int)(sizeof P->lc / sizeof P->lc[0])) {
      P->lc[P->nlc].tag = lang;
      P->lc[P->nlc++].chars = c;
    }
  }
  emc_buf_clear(&P->text);
  return EMC_OK;
}

static int put_text(struct para *P, const struct fmt *f0, const char *s, size_t len)
{
  if (!len)
    return EMC_OK;
  struct fmt fc = *f0;
  fc.ins = P->ins;
  fc.del = P->del;
  const struct fmt *f = &fc;
  if (P->text.len && !fmt_eq(&P->pf, f)) {
    int rc = flush(P);
    if (rc)
      return rc;
  }
  P->pf = *f;
  if (emc_buf_append(&P->text, s, len))
    return oom(P->r);
  if (!P->has_content)
    for (size_t i = 0; i < len; i++)
      if (!isspace((unsigned char)s[i])) {
        P->has_content = 1;
        break;
      }
  return EMC_OK;
}

/* An inline element (br, image, note) at the current position. */
static xmlNodePtr put_elem(struct para *P, const struct fmt *f0, const char *name)
{
  if (flush(P))
    return NULL;
  struct fmt f = *f0;
  f.ins = P->ins;
  f.del = P->del;
  xmlNodePtr at = layers_for(P, &f);
  return at ? ir_add(P->r, at, name) : NULL;
}

/* ------------------------------------------------------------ fields */

static struct field *field_top(struct story *s)
{
  return s->nf ? &s->f[s->nf - 1] : NULL;
}

static int field_visible(const struct story *s)
{
  for (size_t i = 0; i < s->nf; i++)
    if (!s->f[i].result)
      return 0;
  return 1;
}

static const char *field_href(const struct story *s)
{
  for (size_t i = s->nf; i-- > 0;)
    if (s->f[i].href && s->f[i].result)
      return s->f[i].href;
  return NULL;
}

static void story_free(struct story *s)
{
  for (size_t i = 0; i < s->nf; i++)
    emc_buf_release(&s->f[i].instr);
  free(s->f);
  s->f = NULL;
  s->nf = s->capf = 0;
}

/* Next token of a field instruction: a quoted string or a bare word. */
static const char *instr_token(const char *p, char *out, size_t size)
{
  while (*p == ' ' || *p == '\t')
    p++;
  if (!*p)
    return NULL;
  size_t o = 0;
  if (*p == '"') {
    p++;
    while (*p && *p != '"') {
      if (o + 1 < size)
        out[o++] = *p;
      p++;
    }
    if (*p)
      p++;
  } else
    while (*p && *p != ' ' && *p != '\t') {
      if (o + 1 < size)
        out[o++] = *p;
      p++;
    }
  out[o] = '\0';
  return p;
}

/* HYPERLINK "url" \l "anchor": the href, pooled; NULL for other fields. */
static const char *hyperlink_href(docx_reader *r, const char *instr)
{
  char tok[2048], url[2048] = "", anchor[512] = "";
  const char *p = instr_token(instr, tok, sizeof tok);
  if (!p || strcasecmp(tok, "HYPERLINK") != 0)
    return NULL;
  while ((p = instr_token(p, tok, sizeof tok))) {
    if (tok[0] == '\\') {
      char sw = (char)tolower((unsigned char)tok[1]);
      if (sw == 'l' || sw == 'o' || sw == 't') {
        char arg[512];
        const char *q = instr_token(p, arg, sizeof arg);
        if (!q)
          break;
        p = q;
        if (sw == 'l')
          snprintf(anchor, sizeof anchor, "%s", arg);
      }
    } else if (!url[0])
      snprintf(url, sizeof url, "%s", tok);
  }
  if (!url[0] && !anchor[0])
    return NULL;
  char buf[2600];
  int n = snprintf(buf, sizeof buf, "%s%s%s", url, anchor[0] ? "#" : "", anchor);
  return pool_dup(r, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static int field_char(docx_reader *r, struct story *s, const char *type)
{
  if (!type)
    return EMC_OK;
  if (strcmp(type, "begin") == 0) {
    if (s->nf == 64)
      return emc_error_set(r->err, EMC_ELIMIT, "fields nested deeper than 64");
    if (emc_array_grow(&s->f, &s->capf, s->nf + 1, sizeof *s->f))
      return oom(r);
    memset(&s->f[s->nf++], 0, sizeof s->f[0]);
  } else if (strcmp(type, "separate") == 0) {
    struct field *f = field_top(s);
    if (f && !f->result) {
      f->result = 1;
      if (f->instr.data)
        f->href = hyperlink_href(r, f->instr.data);
    }
  } else if (strcmp(type, "end") == 0) {
    if (s->nf) {
      emc_buf_release(&s->f[s->nf - 1].instr);
      s->nf--;
    }
  }
  return EMC_OK;
}

static int field_instr(docx_reader *r, struct story *s, const char *text)
{
  struct field *f = field_top(s);
  if (!f || f->result || !text)
    return EMC_OK;
  size_t l = strlen(text);
  if (f->instr.len + l > 8192)
    return EMC_OK; /* nothing sensible is that long */
  if (emc_buf_append(&f->instr, text, l))
    return oom(r);
  return EMC_OK;
}

/* ------------------------------------------------------------ symbols */

/* The Symbol font, 0x20-0xFF, as Unicode (0: no mapping). */
static const unsigned short symbol_font[224] = {
  0x0020, 0x0021, 0x2200, 0x0023, 0x2203, 0x0025, 0x0026, 0x220B, 0x0028, 0x0029, 0x2217, 0x002B,
  0x002C, 0x2212, 0x002E, 0x002F, 0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037,
  0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F, 0x2245, 0x0391, 0x0392, 0x03A7,
  0x0394, 0x0395, 0x03A6, 0x0393, 0x0397, 0x0399, 0x03D1, 0x039A, 0x039B, 0x039C, 0x039D, 0x039F,
  0x03A0, 0x0398, 0x03A1, 0x03A3, 0x03A4, 0x03A5, 0x03C2, 0x03A9, 0x039E, 0x03A8, 0x0396, 0x005B,
  0x2234, 0x005D, 0x22A5, 0x005F, 0x203E, 0x03B1, 0x03B2, 0x03C7, 0x03B4, 0x03B5, 0x03C6, 0x03B3,
  0x03B7, 0x03B9, 0x03D5, 0x03BA, 0x03BB, 0x03BC, 0x03BD, 0x03BF, 0x03C0, 0x03B8, 0x03C1, 0x03C3,
  0x03C4, 0x03C5, 0x03D6, 0x03C9, 0x03BE, 0x03C8, 0x03B6, 0x007B, 0x007C, 0x007D, 0x223C, 0,
  /* 0xA0 */
  [0xA0 - 0x20] = 0x20AC, 0x03D2, 0x2032, 0x2264, 0x2044, 0x221E, 0x0192, 0x2663, 0x2666, 0x2665,
  0x2660, 0x2194, 0x2190, 0x2191, 0x2192, 0x2193,
  0x00B0, 0x00B1, 0x2033, 0x2265, 0x00D7, 0x221D, 0x2202, 0x2022, 0x00F7, 0x2260, 0x2261, 0x2248,
  0x2026, 0x23D0, 0x23AF, 0x21B5,
  0x2135, 0x2111, 0x211C, 0x2118, 0x2297, 0x2295, 0x2205, 0x2229, 0x222A, 0x2283, 0x2287, 0x2284,
  0x2282, 0x2286, 0x2208, 0x2209,
  0x2220, 0x2207, 0x00AE, 0x00A9, 0x2122, 0x220F, 0x221A, 0x22C5, 0x00AC, 0x2227, 0x2228, 0x21D4,
  0x21D0, 0x21D1, 0x21D2, 0x21D3,
  0x25CA, 0x2329, 0x00AE, 0x00A9, 0x2122, 0x2211,
  [0xF1 - 0x20] = 0x232A, 0x222B,
};

static unsigned sym_char(const char *font, const char *hex)
{
  if (!hex)
    return 0;
  unsigned long c = strtoul(hex, NULL, 16);
  if (c >= 0xF000 && c <= 0xF0FF)
    c -= 0xF000;
  if (font && strcasecmp(font, "Symbol") == 0)
    return c >= 0x20 && c <= 0xFF ? symbol_font[c - 0x20] : 0;
  if (font && strncasecmp(font, "Wingdings", 9) == 0) {
    static const struct {
      unsigned char from;
      unsigned short to;
    } wd[] = { { 0x28, 0x260E }, { 0x2A, 0x2709 }, { 0x4A, 0x263A }, { 0x4C, 0x2639 },
               { 0x6C, 0x25CF }, { 0x6E, 0x25A0 }, { 0x71, 0x2751 }, { 0x76, 0x2756 },
               { 0x9F, 0x2022 }, { 0xA7, 0x25AA }, { 0xA8, 0x25FB }, { 0xD8, 0x27A2 },
               { 0xE0, 0x2192 }, { 0xFB, 0x2717 }, { 0xFC, 0x2713 }, { 0xFE, 0x2611 } };
    for (size_t i = 0; i < sizeof wd / sizeof wd[0]; i++)
      if (wd[i].from == c)
        return wd[i].to;
    return 0;
  }
  return c >= 0x20 && c < 0xD800 ? (unsigned)c : 0;
}

/* ------------------------------------------------------------ images */

static const char *guess_media(const char *name)
{
  const char *dot = strrchr(name, '.');
  if (!dot)
    return "application/octet-stream";
  static const char *const map[][2] = {
    { "png", "image/png" }, { "jpg", "image/jpeg" }, { "jpeg", "image/jpeg" },
    { "gif", "image/gif" }, { "svg", "image/svg+xml" }, { "webp", "image/webp" },
    { "bmp", "image/bmp" }, { "tif", "image/tiff" }, { "tiff", "image/tiff" },
    { "emf", "image/x-emf" }, { "wmf", "image/x-wmf" },
  };
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcasecmp(dot + 1, map[i][0]) == 0)
      return map[i][1];
  return "application/octet-stream";
}

/* The resource for media part PART, added on first use.  Returns its name
 * (borrowed), or NULL with *RC 0 when the part is missing. */
static const char *media_resource(docx_reader *r, const char *part, int *rc)
{
  *rc = EMC_OK;
  for (size_t i = 0; i < r->n_media; i++)
    if (strcmp(r->media[i].part, part) == 0)
      return r->media[i].name;
  if (docx_pkg_find(r->pkg, part) < 0) {
    emc_ctx_warn(r->ctx, "image-omitted", "docx: image part %s is missing; left out", part);
    return NULL;
  }
  unsigned char *data;
  size_t len;
  if ((*rc = docx_pkg_read(r->pkg, part, &data, &len)))
    return NULL;
  /* A path-safe, unique name from the part's base name. */
  const char *base = strrchr(part, '/');
  base = base ? base + 1 : part;
  char name[128], safe[100];
  size_t o = 0;
  for (const char *c = base; *c && o + 1 < sizeof safe; c++)
    safe[o++] = (isalnum((unsigned char)*c) || *c == '.' || *c == '_' || *c == '-') ? *c : '_';
  safe[o] = '\0';
  if (!o || safe[0] == '.')
    snprintf(name, sizeof name, "image%s", safe);
  else
    snprintf(name, sizeof name, "%s", safe);
  char first[128];
  snprintf(first, sizeof first, "%s", name);
  if ((*rc = emc_doc_resource_free_name(r->doc, first, safe[0] == '.' ? safe + 1 : safe,
                                        name, sizeof name))) {
    free(data);
    *rc = emc_error_set(r->err, *rc, "no free name for image part %s", part);
    return NULL;
  }
  const char *type = docx_pkg_type(r->pkg, part);
  if (!type || strncmp(type, "image/", 6) != 0)
    type = guess_media(part);
  *rc = emc_doc_add_resource(r->doc, name, type, data, len, r->err);
  free(data);
  if (*rc)
    return NULL;
  struct media *g = realloc(r->media, (r->n_media + 1) * sizeof *g);
  if (!g) {
    *rc = oom(r);
    return NULL;
  }
  r->media = g;
  g[r->n_media].part = strdup(part);
  g[r->n_media].name = strdup(name);
  if (!g[r->n_media].part || !g[r->n_media].name) {
    free(g[r->n_media].part);
    free(g[r->n_media].name);
    *rc = oom(r);
    return NULL;
  }
  return g[r->n_media++].name;
}

static int has_scheme(const char *s)
{
  if (!isalpha((unsigned char)*s))
    return 0;
  while (isalnum((unsigned char)*s) || *s == '+' || *s == '-' || *s == '.')
    s++;
  return *s == ':';
}

static int put_image(struct para *P, const char *rid, const char *alt)
{
  docx_reader *r = P->r;
  const docx_rel *rel = rid ? docx_rels_id(P->story->rels, rid) : NULL;
  if (!rel)
    return EMC_OK;
  struct fmt f = { 0, NULL, P->href ? P->href : field_href(P->story), NULL, NULL };
  const char *ref = NULL;
  if (rel->external) {
    /* A linked picture is not in the package: said once per picture, and
     * one that cannot be linked to leaves its description as text. */
    if (!has_scheme(rel->target) || !emc_url_is_safe(rel->target)) {
      emc_ctx_warn(r->ctx, "image-omitted",
                   "docx: a linked (not embedded) image is left out%s",
                   alt && *alt ? "; its description is kept as text" : "");
      if (!alt || !*alt)
        return EMC_OK;
      int rc = put_text(P, &f, alt, strlen(alt));
      if (!rc)
        P->has_content = 1;
      return rc;
    }
    emc_ctx_warn(r->ctx, "image-omitted", "docx: a linked (not embedded) image is kept as a "
                 "link to its address, not as a picture");
  } else {
    int rc;
    ref = media_resource(r, rel->target, &rc);
    if (rc)
      return rc;
    if (!ref)
      return EMC_OK;
    const char *type = guess_media(rel->target);
    if (strcmp(type, "image/x-emf") == 0 || strcmp(type, "image/x-wmf") == 0)
      emc_ctx_log(r->ctx, EMC_LOG_WARN, "docx: image %s is a Windows metafile (EMF/WMF), "
                  "which EPUB readers do not show%s", ref,
                  alt && *alt ? "; its description is kept" : "");
  }
  xmlNodePtr img = put_elem(P, &f, "image");
  if (!img)
    return r->err->code;
  if (!xmlSetProp(img, BAD_CAST(ref ? "ref" : "src"), BAD_CAST(ref ? ref : rel->target)) ||
      (alt && *alt && !xmlSetProp(img, BAD_CAST "alt", BAD_CAST alt)))
    return oom(r);
  P->has_content = 1;
  return EMC_OK;
}

/* Blocks of a text box, kept for after the paragraph. */
static int put_textbox(struct para *P, xmlNodePtr txbx, int depth)
{
  docx_reader *r = P->r;
  int rc = flush(P);
  if (rc)
    return rc;
  if (!P->deferred && !(P->deferred = ir_detached(r, "quote")))
    return r->err->code;
  struct blockctx bc;
  memset(&bc, 0, sizeof bc);
  bc.cont = P->deferred;
  for (xmlNodePtr c = txbx->children; c && !rc; c = c->next)
    rc = do_block(r, &bc, P->story, c, depth + 1);
  end_ctx(&bc);
  return rc;
}

/* ------------------------------------------------------------ SmartArt */

/* SmartArt keeps its text in a data part (word/diagrams/dataN.xml, the
 * relationship r:dm of the graphic frame's dgm:relIds): a list of points
 * (dgm:pt), each node's text in dgm:t as DrawingML paragraphs, and
 * parent-of connections (dgm:cxn, srcOrd ordering siblings) from the
 * document point down.  Word draws it from a layout the IR cannot render,
 * so the text is carried as a list at the diagram's place, nested as the
 * connections nest it (issue 31: it was dropped without a word). */

/* The deepest nesting kept: deeper nodes (and nodes no connection
 * reaches) follow as items of the outer list, so nothing is lost and the
 * recursion stays shallow whatever the part holds. */
#define DIAGRAM_MAX_DEPTH 16

struct dgm_pt {
  xmlNodePtr text;      /* dgm:t, NULL when the point has none */
  int doc, shown;       /* the document (root) point; placed already */
  size_t first, n;      /* its children: cxns[first .. first+n) */
};

struct dgm_cxn {
  size_t src, dst, pos; /* pos: document order, for a stable sort */
  long ord;
};

struct diagram {
  docx_reader *r;
  struct dgm_pt *pts;
  struct dgm_cxn *cxns;
};

static int dgm_cxn_cmp(const void *a, const void *b)
{
  const struct dgm_cxn *x = a, *y = b;
  if (x->src != y->src)
    return x->src < y->src ? -1 : 1;
  if (x->ord != y->ord)
    return x->ord < y->ord ? -1 : 1;
  return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Whether dgm:t T holds any text (a:t). */
static int dgm_has_text(xmlNodePtr t)
{
  for (xmlNodePtr n = t ? t->children : NULL; n; n = emc_ir_next(n, t, n->type == XML_ELEMENT_NODE))
    if (docx_is(n, NS_A, "t") && n->children)
      return 1;
  return 0;
}

/* One <p> in ITEM per a:p of dgm:t T that has text; a:br is a space. */
static int dgm_paras(docx_reader *r, xmlNodePtr item, xmlNodePtr t)
{
  for (xmlNodePtr ap = t->children; ap; ap = ap->next) {
    if (!docx_is(ap, NS_A, "p") || !dgm_has_text(ap))
      continue;
    xmlNodePtr p = ir_add(r, item, "p");
    if (!p)
      return r->err->code;
    for (xmlNodePtr n = ap->children; n; n = emc_ir_next(n, ap, n->type == XML_ELEMENT_NODE)) {
      if (docx_is(n, NS_A, "br") && emc_ir_add_text(p, " ", 1))
        return oom(r);
      if (n->type == XML_TEXT_NODE && n->parent && docx_is(n->parent, NS_A, "t") && n->content &&
          emc_ir_add_text(p, (const char *)n->content, strlen((const char *)n->content)))
        return oom(r);
    }
  }
  return EMC_OK;
}

/* Appends point I to *LIST (made in PARENT when first needed): an item
 * with its text, its children in a nested list; a point without text
 * gives its children to LIST itself. */
static int dgm_put(struct diagram *d, size_t i, xmlNodePtr parent, xmlNodePtr *list, int depth)
{
  docx_reader *r = d->r;
  struct dgm_pt *pt = &d->pts[i];
  if (pt->shown)
    return EMC_OK;
  pt->shown = 1;
  xmlNodePtr item = NULL, sub = NULL;
  if (!pt->doc && dgm_has_text(pt->text)) {
    if ((!*list && !(*list = ir_add(r, parent, "list"))) || !(item = ir_add(r, *list, "item")))
      return r->err->code;
    int rc = dgm_paras(r, item, pt->text);
    if (rc)
      return rc;
  }
  if (depth >= DIAGRAM_MAX_DEPTH)
    return EMC_OK;
  for (size_t k = pt->first; k < pt->first + pt->n; k++) {
    int rc = item ? dgm_put(d, d->cxns[k].dst, item, &sub, depth + 1)
                  : dgm_put(d, d->cxns[k].dst, parent, list, depth + 1);
    if (rc)
      return rc;
  }
  return EMC_OK;
}

static int put_diagram(struct para *P, const char *dm_id)
{
  docx_reader *r = P->r;
  const docx_rel *rel = docx_rels_id(P->story->rels, dm_id);
  if (!rel || rel->external || docx_pkg_find(r->pkg, rel->target) < 0) {
    emc_ctx_log(r->ctx, EMC_LOG_WARN, "docx: a SmartArt diagram's data part is missing; "
                "its text is lost");
    return EMC_OK;
  }
  int rc = flush(P);
  if (rc)
    return rc;
  xmlDocPtr part = NULL;
  if ((rc = docx_parse_part(r->pkg, rel->target, NULL, NULL, NULL, &part)))
    return rc;
  xmlNodePtr root = xmlDocGetRootElement(part);
  xmlNodePtr ptl = docx_is(root, NS_DGM, "dataModel") ? docx_child(root, NS_DGM, "ptLst") : NULL;
  xmlNodePtr cxl = ptl ? docx_child(root, NS_DGM, "cxnLst") : NULL;
  size_t npt = 0, ncx = 0;
  for (xmlNodePtr c = ptl ? ptl->children : NULL; c; c = c->next)
    npt += docx_is(c, NS_DGM, "pt");
  for (xmlNodePtr c = cxl ? cxl->children : NULL; c; c = c->next)
    ncx += docx_is(c, NS_DGM, "cxn");
  struct diagram d = { r, calloc(npt + 1, sizeof *d.pts), calloc(ncx + 1, sizeof *d.cxns) };
  xmlHashTablePtr ids = xmlHashCreate(npt ? (int)(npt < 1 << 20 ? npt : 1 << 20) : 1);
  xmlNodePtr list = NULL;
  if (!d.pts || !d.cxns || !ids) {
    rc = oom(r);
    goto out;
  }
  /* The points: node and assistant ones carry the text the user typed;
   * presentation and transition points are the layout's. */
  size_t i = 0;
  for (xmlNodePtr c = ptl ? ptl->children : NULL; c; c = c->next) {
    if (!docx_is(c, NS_DGM, "pt"))
      continue;
    const char *id = docx_attr(c, NS_NONE, "modelId");
    const char *type = docx_attr(c, NS_NONE, "type");
    d.pts[i].doc = type && strcmp(type, "doc") == 0;
    if (!type || strcmp(type, "node") == 0 || strcmp(type, "asst") == 0)
      d.pts[i].text = docx_child(c, NS_DGM, "t");
    else if (!d.pts[i].doc)
      d.pts[i].shown = 1;
    if (id && xmlHashLookup(ids, BAD_CAST id) == NULL &&
        xmlHashAddEntry(ids, BAD_CAST id, (void *)(uintptr_t)(i + 1)) != 0) {
      rc = oom(r);
      goto out;
    }
    i++;
  }
  /* The parent-of connections (the default type), sorted by parent and
   * then by srcOrd, so each point's children are one run. */
  size_t n = 0;
  for (xmlNodePtr c = cxl ? cxl->children : NULL; c; c = c->next) {
    if (!docx_is(c, NS_DGM, "cxn"))
      continue;
    const char *type = docx_attr(c, NS_NONE, "type");
    const char *src = docx_attr(c, NS_NONE, "srcId"), *dst = docx_attr(c, NS_NONE, "destId");
    const char *ord = docx_attr(c, NS_NONE, "srcOrd");
    uintptr_t s = src ? (uintptr_t)xmlHashLookup(ids, BAD_CAST src) : 0;
    uintptr_t t = dst ? (uintptr_t)xmlHashLookup(ids, BAD_CAST dst) : 0;
    if ((type && strcmp(type, "parOf") != 0) || !s || !t || s == t)
      continue;
    d.cxns[n] = (struct dgm_cxn){ s - 1, t - 1, n, ord ? strtol(ord, NULL, 10) : 0 };
    n++;
  }
  qsort(d.cxns, n, sizeof *d.cxns, dgm_cxn_cmp);
  for (size_t k = n; k-- > 0;) {
    d.pts[d.cxns[k].src].first = k;
    d.pts[d.cxns[k].src].n++;
  }
  if (!P->deferred && !(P->deferred = ir_detached(r, "quote"))) {
    rc = r->err->code;
    goto out;
  }
  /* From the document point down, then whatever no connection reached,
   * in the part's order. */
  for (i = 0; i < npt && !rc; i++)
    if (d.pts[i].doc)
      rc = dgm_put(&d, i, P->deferred, &list, 0);
  for (i = 0; i < npt && !rc; i++)
    rc = dgm_put(&d, i, P->deferred, &list, 0);
out:
  if (ids)
    xmlHashFree(ids, NULL);
  free(d.pts);
  free(d.cxns);
  xmlFreeDoc(part);
  return rc;
}

/* A w:drawing, w:pict or w:object: pictures (a:blip, v:imagedata), text
 * boxes and SmartArt text, in document order. */
static int put_graphic(struct para *P, xmlNodePtr g, int depth)
{
  const char *alt = NULL;
  xmlNodePtr docpr = NULL;
  for (xmlNodePtr c = g->children; c && !docpr; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      docpr = docx_child(c, NS_WP, "docPr");
  if (docpr) {
    alt = docx_attr(docpr, NS_NONE, "descr");
    if (!alt || !*alt)
      alt = docx_attr(docpr, NS_NONE, "title");
  }
  int rc = EMC_OK;
  xmlNodePtr n = g->children;
  while (n && !rc) {
    int descend = 1;
    if (n->type == XML_ELEMENT_NODE) {
      int ns = docx_ns(n->ns);
      if (ns == NS_A && xmlStrEqual(n->name, BAD_CAST "blip")) {
        const char *id = docx_attr(n, NS_R, "embed");
        if (!id || !*id)
          id = docx_attr(n, NS_R, "link");
        rc = put_image(P, id, alt);
      } else if (ns == NS_V && xmlStrEqual(n->name, BAD_CAST "imagedata")) {
        const char *a = docx_attr(n, NS_O, "title");
        const char *sa = n->parent ? docx_attr(n->parent, NS_NONE, "alt") : NULL;
        rc = put_image(P, docx_attr(n, NS_R, "id"), sa && *sa ? sa : a);
      } else if (ns == NS_W && xmlStrEqual(n->name, BAD_CAST "txbxContent")) {
        rc = put_textbox(P, n, depth);
        descend = 0;
      } else if (ns == NS_DGM && xmlStrEqual(n->name, BAD_CAST "relIds")) {
        rc = put_diagram(P, docx_attr(n, NS_R, "dm"));
        descend = 0;
      } else if (ns == NS_MC && xmlStrEqual(n->name, BAD_CAST "Fallback"))
        descend = 0;
    }
    n = emc_ir_next(n, g, descend && n->type == XML_ELEMENT_NODE);
  }
  return rc;
}

/* ------------------------------------------------------------ notes */

static int put_note(struct para *P, docx_notes *notes, const char *id, const char *kind, int depth)
{
  docx_reader *r = P->r;
  if (!notes || !id || r->in_note)
    return EMC_OK;
  xmlNodePtr src = docx_notes_find(notes, strtol(id, NULL, 10));
  if (!src)
    return EMC_OK;
  /* A note is converted at its first reference only: Word gives each
   * reference its own note, and 2 000 references to one 100 kB note made
   * a 2 kB DOCX a 200 MB TEI (issue 32).  The key (with spaces) is never
   * an xml:id. */
  char key[48];
  snprintf(key, sizeof key, " note %p", (void *)src);
  if (xmlHashLookup(r->ids, BAD_CAST key)) {
    if (!r->repeated_notes++)
      emc_ctx_log(r->ctx, EMC_LOG_WARN, "docx: a note is referenced more than once; "
                  "kept at its first reference only");
    return EMC_OK;
  }
  if (xmlHashAddEntry(r->ids, BAD_CAST key, (void *)1) != 0)
    return oom(r);
  struct fmt f = { 0, NULL, NULL, NULL, NULL };
  xmlNodePtr note = put_elem(P, &f, "note");
  if (!note)
    return r->err->code;
  if (kind && strcmp(kind, "comment") == 0)
    xmlSetProp(note, BAD_CAST "class", BAD_CAST "comment");
  else if (kind)
    xmlSetProp(note, BAD_CAST "kind", BAD_CAST kind);
  struct story s = { &notes->rels, NULL, 0, 0 };
  struct blockctx bc;
  memset(&bc, 0, sizeof bc);
  bc.cont = note;
  r->in_note++;
  int rc = EMC_OK;
  for (xmlNodePtr c = src->children; c && !rc; c = c->next)
    rc = do_block(r, &bc, &s, c, depth + 1);
  end_ctx(&bc);
  r->in_note--;
  story_free(&s);
  if (!rc && !xmlFirstElementChild(note) && !ir_add(r, note, "p"))
    rc = r->err->code;
  P->has_content = 1;
  return rc;
}

/* ------------------------------------------------------------ runs */

static int valid_ncname(const char *s)
{
  if (!s || !(isalpha((unsigned char)*s) || *s == '_'))
    return 0;
  for (; *s; s++)
    if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '-' || *s == '.'))
      return 0;
  return 1;
}

static int put_bookmark(struct para *P, const char *name)
{
  docx_reader *r = P->r;
  if (!valid_ncname(name) || strcmp(name, "_GoBack") == 0 || strlen(name) > 200)
    return EMC_OK;
  if (xmlHashLookup(r->ids, BAD_CAST name))
    return EMC_OK;
  const char *id = pool_dup(r, name, strlen(name));
  if (!id || xmlHashAddEntry(r->ids, BAD_CAST id, (void *)1) != 0)
    return oom(r);
  if (!P->id) {
    P->id = id;
    return EMC_OK;
  }
  struct fmt f = { 0, NULL, NULL, NULL, NULL };
  xmlNodePtr sp = put_elem(P, &f, "span");
  if (!sp)
    return r->err->code;
  xmlSetNsProp(sp, xmlSearchNsByHref(r->tree, sp, XML_XML_NAMESPACE), BAD_CAST "id", BAD_CAST id);
  return EMC_OK;
}

static const char *run_lang(struct para *P, const xmlNode *rpr, const docx_style *cs, int script)
{
  if (script < 0)
    return NULL;
  const char *l[LANG_N] = { NULL, NULL, NULL };
  docx_rpr_lang(rpr, l);
  const char *v = l[script];
  if (!v && cs)
    v = cs->lang[script];
  if (!v)
    v = P->plang[script];
  return v ? lang_intern(P->r, v) : NULL;
}

static int do_run_child(struct para *P, xmlNodePtr c, const xmlNode *rpr, const docx_style *cs,
                        unsigned flags, int force_cs, int depth);

static int do_run(struct para *P, xmlNodePtr run, int depth)
{
  docx_reader *r = P->r;
  xmlNodePtr rpr = docx_wchild(run, "rPr");
  docx_style *cs = docx_style_find(r->st, docx_val(docx_wchild(rpr, "rStyle")));
  if (!cs)
    cs = r->st->default_char;
  unsigned set = cs ? cs->fset : 0, val = cs ? cs->fval : 0;
  docx_rpr_flags(rpr, &set, &val);
  if (val & set & F_HIDDEN)
    return EMC_OK; /* hidden text: Word does not show it */
  unsigned flags = val & set & (F_B | F_I | F_U | F_SUP | F_SUB | F_CODE);
  int force_cs = docx_onoff(docx_wchild(rpr, "cs"), 0) || docx_onoff(docx_wchild(rpr, "rtl"), 0);
  int rc = EMC_OK;
  for (xmlNodePtr c = run->children; c && !rc; c = c->next)
    if (c->type == XML_ELEMENT_NODE && c != rpr)
      rc = do_run_child(P, c, rpr, cs, flags, force_cs, depth);
  return rc;
}

static int do_run_child(struct para *P, xmlNodePtr c, const xmlNode *rpr, const docx_style *cs,
                        unsigned flags, int force_cs, int depth)
{
  docx_reader *r = P->r;
  struct story *s = P->story;
  int ns = docx_ns(c->ns);
  const char *n = (const char *)c->name;
  if (ns == NS_MC && strcmp(n, "AlternateContent") == 0) {
    xmlNodePtr ch = docx_child(c, NS_MC, "Choice");
    if (!ch)
      ch = docx_child(c, NS_MC, "Fallback");
    int rc = EMC_OK;
    for (xmlNodePtr k = ch ? ch->children : NULL; k && !rc; k = k->next)
      if (k->type == XML_ELEMENT_NODE)
        rc = do_run_child(P, k, rpr, cs, flags, force_cs, depth + 1);
    return rc;
  }
  if (ns != NS_W)
    return EMC_OK;
  if (strcmp(n, "fldChar") == 0)
    return field_char(r, s, docx_attr(c, NS_W, "fldCharType"));
  if (strcmp(n, "instrText") == 0) {
    xmlChar *t = xmlNodeGetContent(c);
    int rc = field_instr(r, s, (const char *)t);
    xmlFree(t);
    return rc;
  }
  if (!field_visible(s))
    return EMC_OK;
  struct fmt f = { flags, NULL, P->href ? P->href : field_href(s), NULL, NULL };
  if (strcmp(n, "t") == 0 || ((r->reject_changes || r->all_changes) && strcmp(n, "delText") == 0)) {
    for (xmlNodePtr t = c->children; t; t = t->next) {
      if ((t->type != XML_TEXT_NODE && t->type != XML_CDATA_SECTION_NODE) || !t->content)
        continue;
      const char *text = (const char *)t->content;
      f.lang = run_lang(P, rpr, cs, force_cs ? LANG_CS : script_of(text));
      int rc = put_text(P, &f, text, strlen(text));
      if (rc)
        return rc;
    }
    return EMC_OK;
  }
  f.lang = NULL;
  if (strcmp(n, "tab") == 0 || strcmp(n, "ptab") == 0)
    return put_text(P, &f, "\t", 1);
  if (strcmp(n, "noBreakHyphen") == 0)
    return put_text(P, &f, "\xE2\x80\x91", 3);
  if (strcmp(n, "softHyphen") == 0)
    return put_text(P, &f, "\xC2\xAD", 2);
  if (strcmp(n, "sym") == 0) {
    unsigned cp = sym_char(docx_attr(c, NS_W, "font"), docx_attr(c, NS_W, "char"));
    char u[4];
    return cp ? put_text(P, &f, u, emc_utf8_encode(cp, u)) : EMC_OK;
  }
  if (strcmp(n, "br") == 0 || strcmp(n, "cr") == 0) {
    const char *type = docx_attr(c, NS_W, "type");
    if (type && strcmp(type, "textWrapping") != 0)
      return EMC_OK; /* page and column breaks */
    f.flags &= ~F_CODE;
    return put_elem(P, &f, "br") ? EMC_OK : r->err->code;
  }
  if (strcmp(n, "footnoteReference") == 0)
    return put_note(P, r->foot, docx_attr(c, NS_W, "id"), "foot", depth);
  if (strcmp(n, "endnoteReference") == 0)
    return put_note(P, r->end, docx_attr(c, NS_W, "id"), "end", depth);
  if (strcmp(n, "commentReference") == 0)
    return r->keep_comments ? put_note(P, r->comments, docx_attr(c, NS_W, "id"), "comment", depth)
                            : EMC_OK;
  if (strcmp(n, "drawing") == 0 || strcmp(n, "pict") == 0 || strcmp(n, "object") == 0)
    return put_graphic(P, c, depth);
  if (strcmp(n, "ruby") == 0) {
    xmlNodePtr base = docx_wchild(c, "rubyBase");
    return base ? do_inline(P, base, depth + 1) : EMC_OK;
  }
  return EMC_OK;
}

/* Text of Office Math (m:t), kept as plain text. */
static int do_math(struct para *P, xmlNodePtr m, int depth)
{
  if (depth > (int)P->r->max_depth)
    return emc_error_set(P->r->err, EMC_ELIMIT, "nested deeper than %zu", P->r->max_depth);
  struct fmt f = { 0, NULL, P->href, NULL, NULL };
  for (xmlNodePtr c = m->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    int rc;
    if (docx_is(c, NS_M, "t")) {
      xmlChar *t = xmlNodeGetContent(c);
      rc = t ? put_text(P, &f, (const char *)t, strlen((const char *)t)) : EMC_OK;
      xmlFree(t);
    } else if (docx_ns(c->ns) == NS_W && !docx_is_w(c, "r"))
      rc = EMC_OK; /* w:rPr inside math */
    else
      rc = do_math(P, c, depth + 1);
    if (rc)
      return rc;
  }
  return EMC_OK;
}

static int do_inline(struct para *P, xmlNodePtr parent, int depth)
{
  docx_reader *r = P->r;
  if (depth > (int)r->max_depth)
    return emc_error_set(r->err, EMC_ELIMIT, "the document nests deeper than %zu", r->max_depth);
  int rc = EMC_OK;
  for (xmlNodePtr c = parent->children; c && !rc; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    int ns = docx_ns(c->ns);
    const char *n = (const char *)c->name;
    if (ns == NS_MC && strcmp(n, "AlternateContent") == 0) {
      xmlNodePtr ch = docx_child(c, NS_MC, "Choice");
      if (!ch)
        ch = docx_child(c, NS_MC, "Fallback");
      if (ch)
        rc = do_inline(P, ch, depth + 1);
      continue;
    }
    if (ns == NS_M) {
      rc = do_math(P, c, depth + 1);
      continue;
    }
    if (ns != NS_W)
      continue;
    if (strcmp(n, "r") == 0)
      rc = do_run(P, c, depth + 1);
    else if (strcmp(n, "hyperlink") == 0) {
      const char *saved = P->href, *href = NULL;
      const docx_rel *rel = docx_rels_id(P->story->rels, docx_attr(c, NS_R, "id"));
      const char *anchor = docx_attr(c, NS_W, "anchor");
      const char *base = rel && rel->external ? rel->target : NULL;
      if (base || (anchor && *anchor)) {
        size_t bl = base ? strlen(base) : 0, al = anchor ? strlen(anchor) : 0;
        char *tmp = malloc(bl + al + 2);
        if (!tmp)
          return oom(r);
        size_t o = 0;
        if (base) {
          memcpy(tmp, base, bl);
          o = bl;
        }
        if (anchor && *anchor) {
          tmp[o++] = '#';
          memcpy(tmp + o, anchor, al);
          o += al;
        }
        href = pool_dup(r, tmp, o);
        free(tmp);
        if (!href)
          return oom(r);
      }
      P->href = href ? href : saved;
      rc = do_inline(P, c, depth + 1);
      P->href = saved;
    } else if (strcmp(n, "fldSimple") == 0) {
      const char *saved = P->href;
      const char *instr = docx_attr(c, NS_W, "instr");
      const char *href = instr ? hyperlink_href(r, instr) : NULL;
      if (href)
        P->href = href;
      rc = do_inline(P, c, depth + 1);
      P->href = saved;
    } else if (strcmp(n, "sdt") == 0) {
      xmlNodePtr content = docx_wchild(c, "sdtContent");
      if (content)
        rc = do_inline(P, content, depth + 1);
    } else if (r->all_changes && change_shown(2, n)) {
      /* --track-changes=all: the change's content inside <ins>/<del> */
      const char *author = docx_attr(c, NS_W, "author"), *date = docx_attr(c, NS_W, "date");
      size_t al = author ? strlen(author) : 0, dl = date ? strlen(date) : 0;
      char *key = malloc(al + dl + 2);
      if (!key)
        return oom(r);
      if (al)
        memcpy(key, author, al);
      key[al] = '\x1f';
      if (dl)
        memcpy(key + al + 1, date, dl);
      key[al + 1 + dl] = '\0';
      const char *pooled = pool_dup(r, key, al + dl + 1);
      free(key);
      if (!pooled)
        return oom(r);
      int ins = strcmp(n, "ins") == 0 || strcmp(n, "moveTo") == 0;
      const char **slot = ins ? &P->ins : &P->del;
      const char *saved = *slot;
      *slot = pooled;
      rc = do_inline(P, c, depth + 1);
      *slot = saved;
    } else if (change_shown(r->reject_changes, n) || strcmp(n, "smartTag") == 0 ||
               strcmp(n, "customXml") == 0 || strcmp(n, "dir") == 0 || strcmp(n, "bdo") == 0 ||
               strcmp(n, "sdtContent") == 0)
      rc = do_inline(P, c, depth + 1);
    else if (strcmp(n, "bookmarkStart") == 0)
      rc = put_bookmark(P, docx_attr(c, NS_W, "name"));
    /* tracked changes not shown, w:pPr, w:proofErr,
     * comment ranges, permissions: nothing visible */
  }
  return rc;
}

/* ------------------------------------------------------------ paragraphs */

static void close_runs(struct blockctx *bc)
{
  bc->nlists = 0;
  bc->quote = bc->pre = bc->figure = NULL;
}

static void set_id(docx_reader *r, xmlNodePtr n, const char *id)
{
  if (id && !xmlHasNsProp(n, BAD_CAST "id", XML_XML_NAMESPACE))
    xmlSetNsProp(n, xmlSearchNsByHref(r->tree, n, XML_XML_NAMESPACE), BAD_CAST "id", BAD_CAST id);
}

/* The paragraph's language: the one most of its text is in; spans in that
 * language are unwrapped. */
static void settle_lang(struct para *P)
{
  docx_reader *r = P->r;
  const char *best = NULL;
  size_t most = 0;
  for (int i = 0; i < P->nlc; i++) {
    lang_count(r, P->lc[i].tag, P->lc[i].chars);
    if (P->lc[i].chars > most) {
      most = P->lc[i].chars;
      best = P->lc[i].tag;
    }
  }
  if (!best)
    return;
  xmlNodeSetLang(P->p, BAD_CAST best);
  xmlNodePtr next;
  for (xmlNodePtr c = P->p->children; c; c = next) {
    next = c->next;
    if (!emc_ir_is(c, "span") || c->properties == NULL || c->properties->next)
      continue;
    xmlChar *l = xmlGetNsProp(c, BAD_CAST "lang", XML_XML_NAMESPACE);
    int same = l && strcmp((const char *)l, best) == 0;
    xmlFree(l);
    if (!same)
      continue;
    xmlNodePtr k = c->children, kn;
    for (; k; k = kn) {
      kn = k->next;
      xmlUnlinkNode(k);
      k = xmlAddPrevSibling(c, k); /* merges adjacent text */
    }
    xmlUnlinkNode(c);
    xmlFreeNode(c);
  }
  /* Text nodes left side by side by the unwrapping. */
  for (xmlNodePtr c = P->p->children; c; c = c->next)
    while (c->type == XML_TEXT_NODE && c->next && c->next->type == XML_TEXT_NODE)
      if (!xmlTextMerge(c, c->next))
        break;
}

static xmlNodePtr last_item(xmlNodePtr list)
{
  return xmlGetLastChild(list);
}

static int attach_list_item(docx_reader *r, struct blockctx *bc, docx_num *num, int ilvl,
                            const docx_lvl *lvl, xmlNodePtr p)
{
  long key = lvl->indent >= 0 ? lvl->indent : 360L + 720L * ilvl;
  bc->quote = bc->pre = bc->figure = NULL;
  while (bc->nlists && bc->lists[bc->nlists - 1].key > key)
    bc->nlists--;
  if (bc->nlists && bc->lists[bc->nlists - 1].key == key && bc->lists[bc->nlists - 1].num != num->id)
    bc->nlists--;
  if (!bc->nlists || bc->lists[bc->nlists - 1].key < key) {
    if (bc->nlists == MAX_LISTS)
      bc->nlists--; /* deeper than that: siblings */
    xmlNodePtr parent = bc->nlists ? last_item(bc->lists[bc->nlists - 1].list) : bc->cont;
    xmlNodePtr list = ir_add(r, parent, "list");
    if (!list)
      return r->err->code;
    if (lvl->ordered > 0) {
      xmlSetProp(list, BAD_CAST "ordered", BAD_CAST "true");
      long start = lvl->start + (ilvl >= 0 && ilvl < 9 ? num->count[ilvl] : 0);
      if (start != 1) {
        char b[24];
        snprintf(b, sizeof b, "%ld", start);
        xmlSetProp(list, BAD_CAST "start", BAD_CAST b);
      }
    }
    if (lvl->style)
      xmlSetProp(list, BAD_CAST "style", BAD_CAST lvl->style);
    bc->lists[bc->nlists].num = num->id;
    bc->lists[bc->nlists].key = key;
    bc->lists[bc->nlists].list = list;
    bc->nlists++;
  }
  xmlNodePtr item = ir_add(r, bc->lists[bc->nlists - 1].list, "item");
  if (!item)
    return r->err->code;
  xmlAddChild(item, p);
  if (ilvl >= 0 && ilvl < 9) {
    num->count[ilvl]++;
    for (int k = ilvl + 1; k < 9; k++)
      num->count[k] = 0;
  }
  return EMC_OK;
}

/* A paragraph holding one image and only white space: a figure. */
static xmlNodePtr lone_image(xmlNodePtr p)
{
  xmlNodePtr img = NULL;
  for (xmlNodePtr c = p->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE) {
      for (const xmlChar *t = c->content; t && *t; t++)
        if (!isspace(*t))
          return NULL;
    } else if (emc_ir_is(c, "image") && !img)
      img = c;
    else
      return NULL;
  }
  return img;
}

/* Tracked deletion of a paragraph mark: accepted, the paragraph runs on
 * into the next one, whose properties the two then have. */
static void merge_carry(docx_reader *r, struct blockctx *bc, struct para *P)
{
  xmlNodePtr c = bc->carry;
  bc->carry = NULL;
  xmlChar *cl = xmlGetNsProp(c, BAD_CAST "lang", XML_XML_NAMESPACE);
  xmlChar *pl = xmlGetNsProp(P->p, BAD_CAST "lang", XML_XML_NAMESPACE);
  xmlNodePtr from = c;
  if (cl && !P->has_content && !pl)
    xmlNodeSetLang(P->p, cl);
  else if (cl && !(pl && xmlStrEqual(cl, pl))) {
    xmlNodePtr span = xmlNewDocNode(r->tree, r->irns, BAD_CAST "span", NULL);
    if (span) {
      xmlNodeSetLang(span, cl);
      xmlNodePtr k = c->children, kn;
      for (; k; k = kn) {
        kn = k->next;
        xmlUnlinkNode(k);
        xmlAddChild(span, k);
      }
      xmlAddChild(c, span);
    }
  }
  xmlNodePtr first = P->p->children, k = from->children, kn;
  for (; k; k = kn) {
    kn = k->next;
    xmlUnlinkNode(k);
    if (first)
      xmlAddPrevSibling(first, k);
    else
      xmlAddChild(P->p, k);
  }
  xmlFree(cl);
  xmlFree(pl);
  xmlFreeNode(c);
  P->has_content = 1;
}

static void end_ctx(struct blockctx *bc)
{
  if (bc->carry) {
    xmlAddChild(bc->cont, bc->carry);
    bc->carry = NULL;
  }
}

/* What a paragraph's properties and style make of it. */
struct para_kind {
  int level;       /* heading level 1-6; 0: no heading */
  int kind;        /* its style's KIND_* */
  docx_num *num;   /* its list, or NULL */
  int ilvl;        /* its list level */
  docx_lvl lvl;    /* that level's numbering, when IS_ITEM */
  int is_item;     /* a list item */
};

/* Phase 1: the paragraph's style (and from it P's languages), heading
 * level and list membership. */
static void para_kind_of(docx_reader *r, struct para *P, xmlNodePtr ppr, struct para_kind *pk)
{
  docx_style *ps = docx_style_find(r->st, docx_val(docx_wchild(ppr, "pStyle")));
  if (!ps)
    ps = r->st->default_para;
  for (int k = 0; k < LANG_N; k++)
    P->plang[k] = ps && ps->lang[k] ? ps->lang[k] : r->st->lang[k];

  /* Heading: the outline level decides (paragraph, then style chain);
   * Word's built-in "heading N" names only when no level is said. */
  pk->level = 0;
  const char *ol = docx_val(docx_wchild(ppr, "outlineLvl"));
  int outline = ol ? int_of(ol) : ps ? ps->outline : -1;
  if (outline >= 0 && outline <= 8)
    pk->level = outline + 1;
  else if (outline < 0 && ps && ps->name_level)
    pk->level = ps->name_level;
  if (pk->level > 6)
    pk->level = 6;
  pk->kind = ps ? ps->kind : KIND_NONE;

  /* List membership: the paragraph's numPr, else its style's. */
  pk->num = NULL;
  pk->ilvl = 0;
  xmlNodePtr numpr = docx_wchild(ppr, "numPr");
  const char *nid = numpr ? docx_val(docx_wchild(numpr, "numId")) : NULL;
  if (nid) {
    pk->num = docx_num_find(r->st, nid);
    const char *il = docx_val(docx_wchild(numpr, "ilvl"));
    pk->ilvl = il ? int_of(il) : 0;
  } else if (ps && ps->num_id) {
    pk->num = docx_num_find(r->st, ps->num_id);
    pk->ilvl = ps->ilvl >= 0 ? ps->ilvl
               : pk->num ? docx_num_level_of_style(r->st, pk->num, ps->id) : 0;
    if (pk->ilvl < 0)
      pk->ilvl = 0;
  }
  if (pk->ilvl < 0 || pk->ilvl > 8)
    pk->ilvl = 0;
  pk->is_item = !pk->level && pk->num &&
                docx_num_level(r->st, pk->num, pk->ilvl, &pk->lvl) == 0 && pk->lvl.ordered >= 0;
}

/* Phase 3, a <pre> paragraph: its text joins the open <pre> (or a new
 * one) on a line of its own; P->p is freed. */
static int place_pre(docx_reader *r, struct blockctx *bc, struct para *P)
{
  xmlChar *t = xmlNodeGetContent(P->p);
  xmlChar *lang = xmlGetNsProp(P->p, BAD_CAST "lang", XML_XML_NAMESPACE);
  xmlFreeNode(P->p);
  bc->nlists = 0;
  bc->quote = bc->figure = NULL;
  int rc = EMC_OK;
  if (!bc->pre) {
    if (!(bc->pre = ir_add(r, bc->cont, "pre")))
      rc = r->err->code;
    else if (lang)
      xmlNodeSetLang(bc->pre, lang);
  } else if (emc_ir_add_text(bc->pre, "\n", 1))
    rc = oom(r);
  if (!rc && t && emc_ir_add_text(bc->pre, (const char *)t, strlen((const char *)t)))
    rc = oom(r);
  xmlFree(t);
  xmlFree(lang);
  return rc;
}

/* Phase 3, a paragraph holding only an image: a <figure> of it; P->p is
 * freed. */
static int place_figure(docx_reader *r, struct blockctx *bc, struct para *P, xmlNodePtr img,
                        xmlNodePtr *placed)
{
  close_runs(bc);
  xmlNodePtr fig = ir_add(r, bc->cont, "figure");
  if (!fig) {
    xmlFreeNode(P->p);
    return r->err->code;
  }
  xmlUnlinkNode(img);
  xmlAddChild(fig, img);
  xmlChar *lang = xmlGetNsProp(P->p, BAD_CAST "lang", XML_XML_NAMESPACE);
  if (lang)
    xmlNodeSetLang(fig, lang);
  xmlFree(lang);
  xmlFreeNode(P->p);
  bc->figure = fig;
  *placed = fig;
  return EMC_OK;
}

/* Phase 3: puts P->p, a paragraph with content, where its kind says: a
 * heading opening a section, a list item, a quote, a <pre>, a figure's
 * caption, a figure, or a plain paragraph.  *PLACED: the block it
 * became.  P->p is placed or freed either way. */
static int place_block(docx_reader *r, struct blockctx *bc, struct para *P,
                       struct para_kind *pk, xmlNodePtr *placed)
{
  const char *id = P->id ? P->id : bc->pending_id;
  bc->pending_id = NULL;
  if (bc->is_body)
    r->content_started = 1;
  int rc = EMC_OK;
  xmlNodePtr img;
  if (pk->level && bc->is_body) {
    close_runs(bc);
    xmlNodePtr sec = emc_ir_open_section(bc->cont, pk->level);
    if (!sec) {
      xmlFreeNode(P->p);
      return oom(r);
    }
    r->nodes++;
    bc->cont = sec;
    xmlNodeSetName(P->p, BAD_CAST "heading");
    xmlAddChild(sec, P->p);
    *placed = P->p;
  } else if (pk->is_item) {
    if ((rc = attach_list_item(r, bc, pk->num, pk->ilvl, &pk->lvl, P->p))) {
      xmlFreeNode(P->p);
      return rc;
    }
    *placed = P->p;
  } else if (pk->kind == KIND_QUOTE) {
    bc->nlists = 0;
    bc->pre = bc->figure = NULL;
    if (!bc->quote && !(bc->quote = ir_add(r, bc->cont, "quote"))) {
      xmlFreeNode(P->p);
      return r->err->code;
    }
    xmlAddChild(bc->quote, P->p);
    *placed = P->p;
  } else if (pk->kind == KIND_PRE) {
    if ((rc = place_pre(r, bc, P)))
      return rc;
    *placed = bc->pre;
  } else if (pk->kind == KIND_CAPTION && bc->figure) {
    xmlNodeSetName(P->p, BAD_CAST "caption");
    xmlAddChild(bc->figure, P->p);
    bc->figure = NULL;
    *placed = P->p;
  } else if ((img = lone_image(P->p)) != NULL) {
    if ((rc = place_figure(r, bc, P, img, placed)))
      return rc;
  } else {
    close_runs(bc);
    xmlAddChild(bc->cont, P->p);
    *placed = P->p;
  }
  if (*placed)
    set_id(r, *placed, id);
  return EMC_OK;
}

/* Phase 4: blocks the paragraph's runs held (text boxes, tables in
 * them) follow the block it became, outside any figure. */
static void place_deferred(struct blockctx *bc, struct para *P, xmlNodePtr placed)
{
  xmlNodePtr to = placed && placed->parent ? placed->parent : bc->cont;
  if (emc_ir_is(to, "figure"))
    to = to->parent;
  xmlNodePtr next;
  for (xmlNodePtr c = P->deferred->children; c; c = next) {
    next = c->next;
    xmlUnlinkNode(c);
    xmlAddChild(to, c);
  }
  xmlFreeNode(P->deferred);
  bc->quote = bc->pre = bc->figure = NULL;
}

/* A w:p: what it is (phase 1), its runs into P.p (phase 2), where it goes
 * (phase 3: dropped when empty, the title, deleted text carried to the
 * next paragraph, or a block), then what its runs deferred (phase 4). */
/* A drop cap: Word keeps the large first letter(s) in a paragraph of
 * their own, framed (w:framePr w:dropCap="drop" or "margin"), and shows
 * them as the start of the next paragraph; they are carried into it, as
 * a deleted paragraph mark is (issue 31: "D" / "rop cap."). */
static int drop_cap(const xmlNode *frame_pr)
{
  if (!frame_pr)
    return 0;
  const char *v = docx_attr(frame_pr, NS_W, "dropCap");
  return v && (strcmp(v, "drop") == 0 || strcmp(v, "margin") == 0);
}

static int do_para(docx_reader *r, struct blockctx *bc, struct story *s, xmlNodePtr wp, int depth)
{
  struct para P;
  memset(&P, 0, sizeof P);
  P.r = r;
  P.story = s;
  P.depth = depth;
  xmlNodePtr ppr = docx_wchild(wp, "pPr");
  struct para_kind pk;
  para_kind_of(r, &P, ppr, &pk);

  P.p = ir_detached(r, "p");
  if (!P.p)
    return r->err->code;
  int rc = do_inline(&P, wp, depth + 1);
  if (!rc)
    rc = flush(&P);
  emc_buf_release(&P.text);
  if (rc) {
    xmlFreeNode(P.p);
    if (P.deferred)
      xmlFreeNode(P.deferred);
    return rc;
  }
  settle_lang(&P);
  if (bc->carry)
    merge_carry(r, bc, &P);
  if (P.has_content && !P.deferred &&
      ((!r->all_changes && docx_wchild(docx_wchild(ppr, "rPr"), r->reject_changes ? "ins" : "del")) ||
       drop_cap(docx_wchild(ppr, "framePr")))) {
    bc->carry = P.p;
    if (P.id && !bc->pending_id)
      bc->pending_id = P.id;
    return EMC_OK;
  }

  xmlNodePtr placed = NULL; /* the block the paragraph became */
  if (!P.has_content) {
    xmlFreeNode(P.p);
    if (P.id && !bc->pending_id)
      bc->pending_id = P.id;
  } else if (bc->is_body && !r->content_started &&
             (pk.kind == KIND_TITLE || pk.kind == KIND_SUBTITLE) &&
             !(pk.kind == KIND_TITLE && r->title)) {
    xmlChar *t = xmlNodeGetContent(P.p);
    if (pk.kind == KIND_TITLE) {
      if (t && !(r->title = strdup((const char *)t)))
        rc = oom(r);
    } else if (t && emc_doc_meta_set(r->doc, "subtitle", (const char *)t))
      rc = oom(r);
    xmlFree(t);
    xmlFreeNode(P.p);
  } else
    rc = place_block(r, bc, &P, &pk, &placed);
  if (P.deferred) {
    if (rc)
      xmlFreeNode(P.deferred);
    else
      place_deferred(bc, &P, placed);
  }
  return rc;
}

/* ------------------------------------------------------------ tables */

/* The widest table grid the reader builds: Word stops at 63 columns,
 * LibreOffice at 1024.  The grid is sized by the sum of a row's spans
 * (gridBefore + gridSpan, up to 1000 each, any number of cells), so
 * without a cap a few hundred kB of DOCX asked for gigabytes (issue 32).
 * Spans are cut at the cap; cells past it are kept, one column each, off
 * the grid (they start no vertical merge). */
#define DOCX_MAX_COLUMNS 1000

struct vmerge {
  xmlNodePtr cell;
  int span;   /* its colspan */
  int rows;   /* its rowspan so far */
};

struct cellinfo {
  xmlNodePtr tc;
  int col, span, cont; /* cont: a vMerge continuation */
};

/* Appends to *V the w:WANT children of PARENT, looking through content
 * controls and tracked insertions.  Returns EMC_OK, or EMC_ENOMEM (with
 * the rows or cells found so far kept): a table must not lose rows
 * silently. */
static int collect(xmlNodePtr parent, const char *want, xmlNodePtr **v, size_t *n, size_t *cap, int depth,
                   int reject)
{
  for (xmlNodePtr c = parent->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || docx_ns(c->ns) != NS_W)
      continue;
    if (xmlStrEqual(c->name, BAD_CAST want)) {
      if (emc_array_grow(v, cap, *n + 1, sizeof **v))
        return EMC_ENOMEM;
      (*v)[(*n)++] = c;
    } else if (depth < 8 && (xmlStrEqual(c->name, BAD_CAST "sdt") ||
                             xmlStrEqual(c->name, BAD_CAST "sdtContent") ||
                             xmlStrEqual(c->name, BAD_CAST "customXml") ||
                             change_shown(reject, (const char *)c->name))) {
      if (collect(c, want, v, n, cap, depth + 1, reject))
        return EMC_ENOMEM;
    }
  }
  return EMC_OK;
}

/* Appends a <NAME> (row, cell) to PARENT, header="true" when HEADER.
 * Returns: (transfer none) NULL with R's error set. */
static xmlNodePtr table_part(docx_reader *r, xmlNodePtr parent, const char *name, int header)
{
  xmlNodePtr x = ir_add(r, parent, name);
  if (x && header && !xmlSetProp(x, BAD_CAST "header", BAD_CAST "true")) {
    oom(r);
    return NULL;
  }
  return x;
}

static int do_table(docx_reader *r, struct blockctx *bc, struct story *s, xmlNodePtr tbl, int depth)
{
  close_runs(bc);
  xmlNodePtr table = ir_add(r, bc->cont, "table");
  if (!table)
    return r->err->code;
  if (bc->is_body)
    r->content_started = 1;
  if (bc->pending_id) {
    set_id(r, table, bc->pending_id);
    bc->pending_id = NULL;
  }
  xmlNodePtr *rows = NULL, *tcs = NULL;
  size_t nrows = 0, caprows = 0, ntc = 0, captc = 0;
  struct vmerge *vm = NULL;
  struct cellinfo *ci = NULL;
  size_t nvm = 0, nci = 0;
  int rc = EMC_OK, header_ok = 1;
  if (collect(tbl, "tr", &rows, &nrows, &caprows, 0, CHANGE_MODE(r)))
    rc = oom(r);
  for (size_t i = 0; i < nrows && !rc; i++) {
    xmlNodePtr trpr = docx_wchild(rows[i], "trPr");
    if (!r->all_changes && docx_wchild(trpr, r->reject_changes ? "ins" : "del"))
      continue; /* a deleted row (an inserted one, changes rejected) */
    int header = header_ok && docx_onoff(docx_wchild(trpr, "tblHeader"), 0);
    if (!header)
      header_ok = 0;
    long col = strtol(docx_val(docx_wchild(trpr, "gridBefore")) ? docx_val(docx_wchild(trpr, "gridBefore")) : "0", NULL, 10);
    if (col < 0 || col > DOCX_MAX_COLUMNS)
      col = 0;
    int cut = 0;
    ntc = 0;
    if (collect(rows[i], "tc", &tcs, &ntc, &captc, 0, CHANGE_MODE(r))) {
      rc = oom(r);
      break;
    }
    if (ntc > nci) {
      struct cellinfo *g = realloc(ci, ntc * sizeof *g);
      if (!g) {
        rc = oom(r);
        break;
      }
      ci = g;
      nci = ntc;
    }
    /* Columns and continuations first: a row that would be all covered
     * keeps its cells (the IR needs one per row). */
    int any_real = 0;
    for (size_t k = 0; k < ntc; k++) {
      xmlNodePtr tcpr = docx_wchild(tcs[k], "tcPr");
      long span = strtol(docx_val(docx_wchild(tcpr, "gridSpan")) ? docx_val(docx_wchild(tcpr, "gridSpan")) : "1", NULL, 10);
      if (span < 1 || span > 1000)
        span = 1;
      xmlNodePtr vmn = docx_wchild(tcpr, "vMerge");
      const char *vv = vmn ? docx_val(vmn) : NULL;
      ci[k].tc = tcs[k];
      if (col + span > DOCX_MAX_COLUMNS) {
        cut = 1;
        span = col < DOCX_MAX_COLUMNS ? DOCX_MAX_COLUMNS - col : 1;
      }
      ci[k].col = col < DOCX_MAX_COLUMNS ? (int)col : -1; /* -1: off the grid */
      ci[k].span = (int)span;
      ci[k].cont = vmn && (!vv || strcmp(vv, "continue") == 0) && ci[k].col >= 0 &&
                   (size_t)col < nvm && vm[col].cell && vm[col].span == span;
      if (!ci[k].cont)
        any_real = 1;
      if (col < DOCX_MAX_COLUMNS)
        col += span;
    }
    if (cut && !r->cut_rows++)
      emc_ctx_log(r->ctx, EMC_LOG_WARN, "docx: a table row is wider than %d columns; "
                  "its spans are cut to fit", DOCX_MAX_COLUMNS);
    if ((size_t)col > nvm) {
      struct vmerge *g = realloc(vm, (size_t)col * sizeof *g);
      if (!g) {
        rc = oom(r);
        break;
      }
      memset(g + nvm, 0, ((size_t)col - nvm) * sizeof *g);
      vm = g;
      nvm = (size_t)col;
    }
    if (!ntc)
      continue;
    xmlNodePtr row = table_part(r, table, "row", header);
    if (!row) {
      rc = r->err->code;
      break;
    }
    for (size_t k = 0; k < ntc && !rc; k++) {
      struct cellinfo *c = &ci[k];
      if (c->cont && any_real) {
        struct vmerge *m = &vm[c->col];
        char b[24];
        snprintf(b, sizeof b, "%d", ++m->rows);
        if (!xmlSetProp(m->cell, BAD_CAST "rowspan", BAD_CAST b))
          rc = oom(r);
        continue;
      }
      xmlNodePtr cell = table_part(r, row, "cell", header);
      if (!cell) {
        rc = r->err->code;
        break;
      }
      if (c->span > 1) {
        char b[24];
        snprintf(b, sizeof b, "%d", c->span);
        if (!xmlSetProp(cell, BAD_CAST "colspan", BAD_CAST b)) {
          rc = oom(r);
          break;
        }
      }
      xmlNodePtr tcpr = docx_wchild(c->tc, "tcPr");
      xmlNodePtr vmn = docx_wchild(tcpr, "vMerge");
      const char *vv = vmn ? docx_val(vmn) : NULL;
      for (int k2 = c->col; c->col >= 0 && k2 < c->col + c->span && (size_t)k2 < nvm; k2++)
        vm[k2].cell = NULL;
      if (vmn && vv && strcmp(vv, "restart") == 0 && c->col >= 0) {
        vm[c->col].cell = cell;
        vm[c->col].span = c->span;
        vm[c->col].rows = 1;
      }
      struct blockctx cb;
      memset(&cb, 0, sizeof cb);
      cb.cont = cell;
      for (xmlNodePtr b = c->tc->children; b && !rc; b = b->next)
        rc = do_block(r, &cb, s, b, depth + 1);
      end_ctx(&cb);
    }
  }
  free(rows);
  free(tcs);
  free(vm);
  free(ci);
  if (!rc && !xmlFirstElementChild(table)) {
    xmlUnlinkNode(table);
    xmlFreeNode(table);
  }
  return rc;
}

/* ------------------------------------------------------------ blocks */

static int do_block(docx_reader *r, struct blockctx *bc, struct story *s, xmlNodePtr n, int depth)
{
  if (n->type != XML_ELEMENT_NODE)
    return EMC_OK;
  if (depth > (int)r->max_depth)
    return emc_error_set(r->err, EMC_ELIMIT, "the document nests deeper than %zu", r->max_depth);
  int ns = docx_ns(n->ns);
  const char *name = (const char *)n->name;
  if (ns == NS_MC && strcmp(name, "AlternateContent") == 0) {
    xmlNodePtr ch = docx_child(n, NS_MC, "Choice");
    if (!ch)
      ch = docx_child(n, NS_MC, "Fallback");
    int rc = EMC_OK;
    for (xmlNodePtr c = ch ? ch->children : NULL; c && !rc; c = c->next)
      rc = do_block(r, bc, s, c, depth + 1);
    return rc;
  }
  if (ns != NS_W)
    return EMC_OK;
  if (strcmp(name, "p") == 0)
    return do_para(r, bc, s, n, depth);
  if (strcmp(name, "tbl") == 0)
    return do_table(r, bc, s, n, depth);
  if (strcmp(name, "sdt") == 0) {
    xmlNodePtr content = docx_wchild(n, "sdtContent");
    int rc = EMC_OK;
    for (xmlNodePtr c = content ? content->children : NULL; c && !rc; c = c->next)
      rc = do_block(r, bc, s, c, depth + 1);
    return rc;
  }
  if (strcmp(name, "customXml") == 0 || change_shown(CHANGE_MODE(r), name) ||
      strcmp(name, "smartTag") == 0 || strcmp(name, "sdtContent") == 0) {
    int rc = EMC_OK;
    for (xmlNodePtr c = n->children; c && !rc; c = c->next)
      rc = do_block(r, bc, s, c, depth + 1);
    return rc;
  }
  if (strcmp(name, "bookmarkStart") == 0) {
    const char *bm = docx_attr(n, NS_W, "name");
    if (!bc->pending_id && valid_ncname(bm) && strcmp(bm, "_GoBack") != 0 && strlen(bm) <= 200 &&
        !xmlHashLookup(r->ids, BAD_CAST bm)) {
      const char *id = pool_dup(r, bm, strlen(bm));
      if (!id || xmlHashAddEntry(r->ids, BAD_CAST id, (void *)1) != 0)
        return oom(r);
      bc->pending_id = id;
    }
    return EMC_OK;
  }
  if (strcmp(name, "altChunk") == 0)
    emc_ctx_log(r->ctx, EMC_LOG_WARN, "docx: an embedded foreign document (altChunk) is left out");
  return EMC_OK;
}

/* ------------------------------------------------------------ the reader */

docx_reader *docx_reader_new(emc_ctx *ctx, emc_doc *doc, docx_pkg *pkg, docx_styles *styles,
                             emc_error *err)
{
  docx_reader *r = calloc(1, sizeof *r);
  if (!r)
    return NULL;
  r->ctx = ctx;
  r->doc = doc;
  r->pkg = pkg;
  r->st = styles;
  r->err = err;
  r->tree = emc_doc_tree(doc);
  r->irns = emc_doc_body(doc)->ns;
  r->max_nodes = emc_ctx_limits(ctx)->max_nodes;
  r->max_depth = emc_ctx_limits(ctx)->max_depth ? emc_ctx_limits(ctx)->max_depth : 256;
  r->body.cont = emc_doc_body(doc);
  r->body.is_body = 1;
  r->ids = xmlHashCreate(64);
  r->anchors = xmlHashCreate(64);
  if (!r->ids || !r->anchors) {
    docx_reader_free(r);
    return NULL;
  }
  return r;
}

void docx_reader_set_parts(docx_reader *r, const char *main_part, docx_rels *main_rels,
                           docx_notes *foot, docx_notes *end, docx_notes *comments,
                           int keep_comments)
{
  (void)main_part;
  r->main_rels = main_rels;
  r->main_story.rels = main_rels;
  r->foot = foot;
  r->end = end;
  r->comments = comments;
  r->keep_comments = keep_comments;
}

void docx_reader_reject_changes(docx_reader *r, int reject)
{
  r->reject_changes = reject == 1;
  r->all_changes = reject == 2;
}

void docx_reader_keep_headers(docx_reader *r, int keep)
{
  r->keep_headers = keep;
}

/* --keep-headers: the text of every header and footer part, once each
 * (a part used by many sections of the document is one part), as the
 * blocks of a level-1 section at the end of the body: Word repeats them
 * on every page, the IR has no page. */
static int headers_section(docx_reader *r)
{
  const docx_rels *mr = r->main_rels;
  xmlNodePtr sec = NULL;
  int rc = EMC_OK;
  for (size_t i = 0; mr && i < mr->n && !rc; i++) {
    const docx_rel *rel = &mr->v[i];
    if (rel->external || (strcmp(rel->type, "header") != 0 && strcmp(rel->type, "footer") != 0) ||
        docx_pkg_find(r->pkg, rel->target) < 0)
      continue;
    int seen = 0;
    for (size_t j = 0; j < i && !seen; j++)
      seen = !mr->v[j].external && strcmp(mr->v[j].target, rel->target) == 0;
    if (seen)
      continue;
    docx_rels hrels = { 0 };
    xmlDocPtr part = NULL;
    if ((rc = docx_rels_load(r->pkg, rel->target, &hrels)) ||
        (rc = docx_parse_part(r->pkg, rel->target, NULL, NULL, NULL, &part))) {
      docx_rels_free(&hrels);
      break;
    }
    xmlNodePtr root = xmlDocGetRootElement(part);
    if (!sec && root && root->children) {
      xmlNodePtr h = NULL;
      if (!(sec = ir_add(r, emc_doc_body(r->doc), "section")) || !(h = ir_add(r, sec, "heading")))
        rc = r->err->code;
      else if (!xmlSetProp(sec, BAD_CAST "level", BAD_CAST "1") ||
               (xmlNodeAddContent(h, BAD_CAST "Headers and footers"), !h->children))
        rc = oom(r);
    }
    struct story hs = { &hrels, NULL, 0, 0 };
    struct blockctx bc;
    memset(&bc, 0, sizeof bc);
    bc.cont = sec;
    for (xmlNodePtr c = root ? root->children : NULL; c && !rc; c = c->next)
      rc = do_block(r, &bc, &hs, c, 1);
    end_ctx(&bc);
    story_free(&hs);
    xmlFreeDoc(part);
    docx_rels_free(&hrels);
  }
  return rc;
}

void docx_reader_free(docx_reader *r)
{
  if (!r)
    return;
  story_free(&r->main_story);
  if (r->body.carry)
    xmlFreeNode(r->body.carry);
  for (struct pool *p = r->pool, *n; p; p = n) {
    n = p->next;
    free(p);
  }
  for (size_t i = 0; i < r->n_media; i++) {
    free(r->media[i].part);
    free(r->media[i].name);
  }
  free(r->media);
  free(r->langs);
  free(r->title);
  if (r->ids)
    xmlHashFree(r->ids, NULL);
  if (r->anchors)
    xmlHashFree(r->anchors, NULL);
  free(r);
}

int docx_reader_block(void *reader, xmlNodePtr block)
{
  docx_reader *r = reader;
  return do_block(r, &r->body, &r->main_story, block, 1);
}

const char *docx_reader_title(const docx_reader *r)
{
  return r->title;
}

/* "en" and "en-US" name the same language for inheritance. */
static int lang_same(const char *a, const char *b)
{
  if (!a || !b)
    return 0;
  size_t la = strlen(a), lb = strlen(b), l = la < lb ? la : lb;
  if (strncasecmp(a, b, l) != 0)
    return 0;
  return la == lb || (la > l ? a[l] : b[l]) == '-';
}

/* The xml:ids the tree really has (a bookmark's element may have gone with
 * an empty paragraph or into a <pre>). */
static void present_ids(xmlNodePtr root, xmlHashTablePtr ids)
{
  for (xmlNodePtr n = root->children; n; n = emc_ir_next(n, root, 1))
    if (n->type == XML_ELEMENT_NODE) {
      xmlAttrPtr a = xmlHasNsProp(n, BAD_CAST "id", XML_XML_NAMESPACE);
      if (a && a->children && a->children->content)
        xmlHashAddEntry(ids, a->children->content, (void *)1);
    }
}

/* The last pass: xml:lang only where it differs from the inherited one,
 * xml:id only where a link points, links only to ids that exist. */
static void tidy(docx_reader *r, xmlNodePtr n, const char *lang, int depth)
{
  xmlNodePtr next;
  for (xmlNodePtr c = n->children; c; c = next) {
    next = c->next;
    if (c->type != XML_ELEMENT_NODE)
      continue;
    const char *mine = lang;
    xmlAttrPtr la = xmlHasNsProp(c, BAD_CAST "lang", XML_XML_NAMESPACE);
    if (la && la->children && la->children->content) {
      const char *v = (const char *)la->children->content;
      if (lang_same(v, lang))
        xmlRemoveProp(la);
      else
        mine = v;
    }
    xmlAttrPtr ida = xmlHasNsProp(c, BAD_CAST "id", XML_XML_NAMESPACE);
    if (ida && ida->children && ida->children->content &&
        !xmlHashLookup(r->anchors, ida->children->content)) {
      xmlRemoveProp(ida);
    }
    if (emc_ir_is(c, "span") && !c->properties && !c->children) {
      xmlUnlinkNode(c);
      xmlFreeNode(c);
      continue;
    }
    if (depth < 1000)
      tidy(r, c, mine, depth + 1);
    if (emc_ir_is(c, "a") || (emc_ir_is(c, "span") && !c->properties)) {
      xmlChar *href = emc_ir_is(c, "a") ? xmlGetProp(c, BAD_CAST "href") : NULL;
      int unwrap = !emc_ir_is(c, "a") || (href && href[0] == '#' && !xmlHashLookup(r->ids, href + 1));
      xmlFree(href);
      if (unwrap) {
        xmlNodePtr k = c->children, kn;
        for (; k; k = kn) {
          kn = k->next;
          xmlUnlinkNode(k);
          xmlAddPrevSibling(c, k);
        }
        xmlUnlinkNode(c);
        xmlFreeNode(c);
      }
    }
  }
}

int docx_reader_finish(docx_reader *r, const char *core_language)
{
  const char *lang = NULL;
  if (xmlsafe_valid_lang(core_language))
    lang = core_language;
  else {
    size_t most = 0;
    for (size_t i = 0; i < r->n_langs; i++)
      if (r->langs[i].chars > most) {
        most = r->langs[i].chars;
        lang = r->langs[i].tag;
      }
  }
  end_ctx(&r->body);
  if (r->keep_headers) {
    int rc = headers_section(r);
    if (rc)
      return rc;
  }
  if (lang && emc_doc_meta_set(r->doc, "language", lang))
    return oom(r);
  /* r->ids served uniqueness; from now on it holds the ids present. */
  xmlHashFree(r->ids, NULL);
  if (!(r->ids = xmlHashCreate(64)))
    return oom(r);
  xmlNodePtr body = emc_doc_body(r->doc);
  present_ids(body, r->ids);
  tidy(r, body, lang, 0);
  return EMC_OK;
}
