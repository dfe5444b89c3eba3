/* SPDX-License-Identifier: MIT */
/* docx-styles.c - styles.xml (w:basedOn chains resolved once), numbering.xml
 * and the parts that hold notes and comments.  See docx.h. */
#include <config.h>
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <emuconv/text.h>
#include "docx.h"

#define MAX_CHAIN 64 /* w:basedOn hops; loops are cut */

static long to_long(const char *s, long dflt)
{
  if (!s || !*s)
    return dflt;
  char *end;
  long v = strtol(s, &end, 10);
  return *end ? dflt : v;
}

/* to_long saturated to the range of int: a level of 4294967297 is a
 * large level, not level 1. */
static int to_int(const char *s, int dflt)
{
  long v = to_long(s, dflt);
  return v > INT_MAX ? INT_MAX : v < INT_MIN ? INT_MIN : (int)v;
}

/* ------------------------------------------------------------ rPr */

void docx_rpr_flags(const xmlNode *rpr, unsigned *set, unsigned *val)
{
  for (xmlNodePtr c = rpr ? rpr->children : NULL; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || docx_ns(c->ns) != NS_W)
      continue;
    const char *n = (const char *)c->name;
    unsigned bit = 0;
    int on = 0;
    if (strcmp(n, "b") == 0) {
      bit = F_B;
      on = docx_onoff(c, 0);
    } else if (strcmp(n, "i") == 0) {
      bit = F_I;
      on = docx_onoff(c, 0);
    } else if (strcmp(n, "u") == 0) {
      bit = F_U;
      on = docx_onoff(c, 0);
    } else if (strcmp(n, "vanish") == 0 || strcmp(n, "specVanish") == 0) {
      bit = F_HIDDEN;
      on = docx_onoff(c, 0);
    } else if (strcmp(n, "vertAlign") == 0) {
      const char *v = docx_val(c);
      *set |= F_SUP | F_SUB;
      *val &= ~(F_SUP | F_SUB);
      if (v && strcmp(v, "superscript") == 0)
        *val |= F_SUP;
      else if (v && strcmp(v, "subscript") == 0)
        *val |= F_SUB;
      continue;
    } else
      continue;
    *set |= bit;
    if (on)
      *val |= bit;
    else
      *val &= ~bit;
  }
}

void docx_rpr_lang(const xmlNode *rpr, const char *lang[LANG_N])
{
  xmlNodePtr l = docx_wchild(rpr, "lang");
  if (!l)
    return;
  const char *v;
  if ((v = docx_attr(l, NS_W, "val")))
    lang[LANG_LATIN] = v;
  if ((v = docx_attr(l, NS_W, "eastAsia")))
    lang[LANG_EA] = v;
  if ((v = docx_attr(l, NS_W, "bidi")))
    lang[LANG_CS] = v;
}

static long ind_of(const xmlNode *ppr)
{
  xmlNodePtr ind = docx_wchild(ppr, "ind");
  if (!ind)
    return -1;
  const char *v = docx_attr(ind, NS_W, "start");
  if (!v)
    v = docx_attr(ind, NS_W, "left");
  return to_long(v, -1);
}

/* ------------------------------------------------------------ styles */

static int style_cmp(const void *a, const void *b)
{
  return strcmp(((const docx_style *)a)->id, ((const docx_style *)b)->id);
}

docx_style *docx_style_find(const docx_styles *s, const char *id)
{
  if (!id || !s->n)
    return NULL;
  docx_style key;
  key.id = id;
  return bsearch(&key, s->v, s->n, sizeof *s->v, style_cmp);
}

static int name_is(const char *name, const char *want)
{
  return name && strcasecmp(name, want) == 0;
}

static int kind_of_name(const char *n)
{
  if (!n)
    return KIND_NONE;
  if (name_is(n, "title"))
    return KIND_TITLE;
  if (name_is(n, "subtitle"))
    return KIND_SUBTITLE;
  if (name_is(n, "quote") || name_is(n, "intense quote") || name_is(n, "quotations") ||
      name_is(n, "block text"))
    return KIND_QUOTE;
  if (name_is(n, "preformatted text") || name_is(n, "html preformatted"))
    return KIND_PRE;
  if (name_is(n, "caption"))
    return KIND_CAPTION;
  return KIND_NONE;
}

/* "heading 3" (Word's built-in names are English whatever the UI): 3. */
static int heading_name_level(const char *n)
{
  if (!n || strncasecmp(n, "heading", 7) != 0)
    return 0;
  n += 7;
  while (*n == ' ')
    n++;
  if (n[0] >= '1' && n[0] <= '9' && n[1] == '\0')
    return n[0] - '0';
  return 0;
}

static int code_name(const char *n)
{
  return name_is(n, "source text") || name_is(n, "html code") || name_is(n, "code") ||
         name_is(n, "html typewriter") || name_is(n, "verbatim char");
}

static int link_name(const char *n)
{
  return name_is(n, "hyperlink") || name_is(n, "internet link") ||
         name_is(n, "followedhyperlink") || name_is(n, "visited internet link");
}

/* Resolves S and its chain; STATE: 0 new, 1 in progress, 2 done. */
static void style_resolve(docx_styles *ss, docx_style *s, unsigned char *state, int depth)
{
  size_t i = (size_t)(s - ss->v);
  if (state[i] == 2)
    return;
  state[i] = 1;
  docx_style *b = s->based_on ? docx_style_find(ss, s->based_on) : NULL;
  if (b && (state[b - ss->v] == 1 || depth > MAX_CHAIN || b == s))
    b = NULL; /* a loop: cut it */
  if (b)
    style_resolve(ss, b, state, depth + 1);
  s->base = b;
  const char *ol = docx_val(docx_wchild(s->ppr, "outlineLvl"));
  s->outline = ol ? to_int(ol, -1) : b ? b->outline : -1;
  if (s->outline < -1 || s->outline > 9)
    s->outline = 9;
  s->name_level = heading_name_level(s->name);
  if (!s->name_level && b)
    s->name_level = b->name_level;
  s->kind = kind_of_name(s->name);
  if (s->kind == KIND_NONE && b)
    s->kind = b->kind;
  xmlNodePtr numpr = docx_wchild(s->ppr, "numPr");
  const char *nid = numpr ? docx_val(docx_wchild(numpr, "numId")) : NULL;
  if (nid) {
    s->num_id = nid;
    s->ilvl = to_int(docx_val(docx_wchild(numpr, "ilvl")), -1);
  } else if (b) {
    s->num_id = b->num_id;
    s->ilvl = b->ilvl;
  } else {
    s->num_id = NULL;
    s->ilvl = -1;
  }
  for (int k = 0; k < LANG_N; k++)
    s->lang[k] = b ? b->lang[k] : NULL;
  docx_rpr_lang(s->rpr, s->lang);
  s->fset = b ? b->fset : 0;
  s->fval = b ? b->fval : 0;
  docx_rpr_flags(s->rpr, &s->fset, &s->fval);
  if (s->is_char && link_name(s->name)) {
    s->fset &= ~F_U; /* the look of a link, which <a> already says */
    s->fval &= ~F_U;
  }
  if (s->is_char && code_name(s->name)) {
    s->fset |= F_CODE;
    s->fval |= F_CODE;
  }
  long ind = ind_of(s->ppr);
  s->indent = ind >= 0 ? ind : b ? b->indent : -1;
  state[i] = 2;
}

static void drop(xmlNodePtr n)
{
  xmlUnlinkNode(n);
  xmlFreeNode(n);
}

/* Keeps only the children of N named in KEEP (w: namespace). */
static void keep_only(xmlNodePtr n, const char *const *keep)
{
  xmlNodePtr next;
  for (xmlNodePtr c = n ? n->children : NULL; c; c = next) {
    next = c->next;
    int k = 0;
    for (const char *const *w = keep; *w && !k; w++)
      k = docx_is_w(c, *w);
    if (!k)
      drop(c);
  }
}

/* Word templates carry hundreds of table styles and latent-style entries
 * (python-docx's: 350 KB of styles.xml); only what this reader looks at is
 * kept, so that the tree costs little while the body is read. */
static void prune_styles(xmlNodePtr root)
{
  static const char *const style_keep[] = { "name", "basedOn", "pPr", "rPr", NULL };
  static const char *const ppr_keep[] = { "outlineLvl", "numPr", "ind", NULL };
  static const char *const rpr_keep[] = { "b", "i", "u", "vanish", "specVanish", "vertAlign",
                                          "lang", NULL };
  xmlNodePtr next;
  for (xmlNodePtr c = root ? root->children : NULL; c; c = next) {
    next = c->next;
    if (docx_is_w(c, "docDefaults"))
      continue;
    const char *type = docx_attr(c, NS_W, "type");
    if (!docx_is_w(c, "style") || (type && strcmp(type, "table") == 0)) {
      drop(c);
      continue;
    }
    keep_only(c, style_keep);
    keep_only(docx_wchild(c, "pPr"), ppr_keep);
    keep_only(docx_wchild(c, "rPr"), rpr_keep);
  }
}

int docx_styles_load(docx_pkg *p, const char *part, docx_styles *s)
{
  int rc = docx_parse_part(p, part, NULL, NULL, NULL, &s->dom);
  if (rc)
    return rc;
  xmlNodePtr root = xmlDocGetRootElement(s->dom);
  prune_styles(root);
  size_t cap = 0;
  for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
    if (docx_is_w(c, "docDefaults")) {
      xmlNodePtr rpr = docx_wchild(docx_wchild(c, "rPrDefault"), "rPr");
      docx_rpr_lang(rpr, s->lang);
      continue;
    }
    if (!docx_is_w(c, "style"))
      continue;
    const char *id = docx_attr(c, NS_W, "styleId");
    if (!id)
      continue;
    if (emc_array_grow(&s->v, &cap, s->n + 1, sizeof *s->v))
      return emc_error_set(p->err, EMC_ENOMEM, "out of memory");
    docx_style *st = &s->v[s->n++];
    memset(st, 0, sizeof *st);
    const char *type = docx_attr(c, NS_W, "type");
    st->id = id;
    st->name = docx_val(docx_wchild(c, "name"));
    st->based_on = docx_val(docx_wchild(c, "basedOn"));
    st->is_para = !type || strcmp(type, "paragraph") == 0;
    st->is_char = type && strcmp(type, "character") == 0;
    const char *def = docx_attr(c, NS_W, "default");
    st->is_default = def && (strcmp(def, "1") == 0 || strcmp(def, "true") == 0);
    st->ppr = docx_wchild(c, "pPr");
    st->rpr = docx_wchild(c, "rPr");
  }
  if (s->n > 1) {
    qsort(s->v, s->n, sizeof *s->v, style_cmp);
    /* Duplicate ids: the first wins (bsearch may find either; keep one). */
    size_t o = 1;
    for (size_t i = 1; i < s->n; i++)
      if (strcmp(s->v[i].id, s->v[o - 1].id) != 0)
        s->v[o++] = s->v[i];
    s->n = o;
  }
  unsigned char *state = calloc(s->n ? s->n : 1, 1);
  if (!state)
    return emc_error_set(p->err, EMC_ENOMEM, "out of memory");
  for (size_t i = 0; i < s->n; i++)
    style_resolve(s, &s->v[i], state, 0);
  free(state);
  for (size_t i = 0; i < s->n; i++) {
    if (s->v[i].is_default && s->v[i].is_para && !s->default_para)
      s->default_para = &s->v[i];
    if (s->v[i].is_default && s->v[i].is_char && !s->default_char)
      s->default_char = &s->v[i];
  }
  return EMC_OK;
}

/* ------------------------------------------------------------ numbering */

static int num_cmp(const void *a, const void *b)
{
  long x = ((const docx_num *)a)->id, y = ((const docx_num *)b)->id;
  return x < y ? -1 : x > y;
}

docx_num *docx_num_find(const docx_styles *s, const char *id)
{
  long v = to_long(id, -1);
  if (v <= 0 || !s->n_nums)
    return NULL; /* numId 0: numbering removed */
  docx_num key;
  key.id = v;
  return bsearch(&key, s->nums, s->n_nums, sizeof *s->nums, num_cmp);
}

static xmlNodePtr abs_find(const docx_styles *s, long id)
{
  for (size_t i = 0; i < s->n_abs; i++)
    if (s->abs[i].id == id)
      return s->abs[i].node;
  return NULL;
}

int docx_numbering_load(docx_pkg *p, const char *part, docx_styles *s)
{
  int rc = docx_parse_part(p, part, NULL, NULL, NULL, &s->num_dom);
  if (rc)
    return rc;
  xmlNodePtr root = xmlDocGetRootElement(s->num_dom);
  size_t na = 0, nn = 0;
  for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
    na += docx_is_w(c, "abstractNum");
    nn += docx_is_w(c, "num");
  }
  s->abs = calloc(na ? na : 1, sizeof *s->abs);
  s->nums = calloc(nn ? nn : 1, sizeof *s->nums);
  if (!s->abs || !s->nums)
    return emc_error_set(p->err, EMC_ENOMEM, "out of memory");
  for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
    if (docx_is_w(c, "abstractNum")) {
      s->abs[s->n_abs].id = to_long(docx_attr(c, NS_W, "abstractNumId"), -1);
      s->abs[s->n_abs++].node = c;
    }
  }
  for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
    if (!docx_is_w(c, "num"))
      continue;
    docx_num *n = &s->nums[s->n_nums];
    n->id = to_long(docx_attr(c, NS_W, "numId"), -1);
    n->abs = abs_find(s, to_long(docx_val(docx_wchild(c, "abstractNumId")), -1));
    for (xmlNodePtr o = c->children; o; o = o->next) {
      if (!docx_is_w(o, "lvlOverride"))
        continue;
      long l = to_long(docx_attr(o, NS_W, "ilvl"), -1);
      if (l >= 0 && l < 9)
        n->over[l] = o;
    }
    if (n->id > 0 && n->abs)
      s->n_nums++;
  }
  qsort(s->nums, s->n_nums, sizeof *s->nums, num_cmp);
  return EMC_OK;
}

/* The abstractNum of NUM, through w:numStyleLink (a numbering style whose
 * own numPr names the list that defines the levels). */
static xmlNodePtr abs_of(const docx_styles *s, const docx_num *num)
{
  xmlNodePtr abs = num->abs;
  for (int hop = 0; abs && hop < 4; hop++) {
    const char *link = docx_val(docx_wchild(abs, "numStyleLink"));
    if (!link)
      return abs;
    docx_style *st = docx_style_find(s, link);
    docx_num *n2 = st && st->num_id ? docx_num_find(s, st->num_id) : NULL;
    if (!n2 || n2->abs == abs)
      return abs;
    abs = n2->abs;
  }
  return abs;
}

static xmlNodePtr lvl_of(const docx_styles *s, const docx_num *num, int ilvl)
{
  if (ilvl >= 0 && ilvl < 9 && num->over[ilvl]) {
    xmlNodePtr l = docx_wchild(num->over[ilvl], "lvl");
    if (l)
      return l;
  }
  xmlNodePtr abs = abs_of(s, num);
  for (xmlNodePtr c = abs ? abs->children : NULL; c; c = c->next)
    if (docx_is_w(c, "lvl") && to_long(docx_attr(c, NS_W, "ilvl"), -1) == ilvl)
      return c;
  return NULL;
}

int docx_num_level_of_style(const docx_styles *s, const docx_num *num, const char *style_id)
{
  xmlNodePtr abs = abs_of(s, num);
  for (xmlNodePtr c = abs ? abs->children : NULL; c; c = c->next) {
    const char *ps = docx_is_w(c, "lvl") ? docx_val(docx_wchild(c, "pStyle")) : NULL;
    if (ps && strcmp(ps, style_id) == 0)
      return to_int(docx_attr(c, NS_W, "ilvl"), 0);
  }
  return -1;
}

/* The bullet character decides disc, circle, square or dash. */
static const char *bullet_style(const char *text)
{
  if (!text || !*text)
    return "disc";
  const unsigned char *t = (const unsigned char *)text;
  uint32_t cp = t[0];
  emc_utf8_decode(t, 4, &cp); /* stops at the NUL; CP stays t[0] if invalid */
  switch (cp) {
  case 'o': case 0x25E6: case 0x25CB: case 0xF06F: case 0x26AA:
    return "circle";
  case 0x25AA: case 0x25A0: case 0x25AB: case 0x25A1: case 0xF0A7: case 0xF06E: case 0xF0FC:
  case 0xF0A8:
    return "square";
  case '-': case 0x2013: case 0x2014: case 0x2012: case 0x2212: case 0xF02D:
    return "dash";
  default:
    return "disc";
  }
}

int docx_num_level(const docx_styles *s, const docx_num *num, int ilvl, docx_lvl *out)
{
  xmlNodePtr lvl = lvl_of(s, num, ilvl);
  if (!lvl)
    return -1;
  xmlNodePtr fmt = docx_wchild(lvl, "numFmt");
  if (!fmt) { /* w14 custom formats come with a fallback */
    xmlNodePtr ac = docx_child(lvl, NS_MC, "AlternateContent");
    fmt = docx_wchild(docx_child(ac, NS_MC, "Fallback"), "numFmt");
  }
  const char *f = fmt ? docx_val(fmt) : "decimal";
  if (!f)
    f = "decimal";
  long start = to_long(docx_val(docx_wchild(lvl, "start")), 1);
  if (ilvl >= 0 && ilvl < 9 && num->over[ilvl]) {
    const char *so = docx_val(docx_wchild(num->over[ilvl], "startOverride"));
    if (so)
      start = to_long(so, start);
  }
  /* Bounded, so that start + items stays far from LONG_MAX (Word itself
   * stops at 32767). */
  if (start > 1000000000L)
    start = 1000000000L;
  if (start < -1000000000L)
    start = -1000000000L;
  out->start = start;
  out->indent = ind_of(docx_wchild(lvl, "pPr"));
  out->style = NULL;
  if (strcmp(f, "bullet") == 0) {
    out->ordered = 0;
    out->style = bullet_style(docx_val(docx_wchild(lvl, "lvlText")));
  } else if (strcmp(f, "none") == 0) {
    out->ordered = -1;
  } else {
    out->ordered = 1;
    if (strcmp(f, "decimal") == 0 || strcmp(f, "decimalZero") == 0 ||
        strcmp(f, "ordinal") == 0 || strcmp(f, "decimalEnclosedParen") == 0 ||
        strcmp(f, "decimalEnclosedFullstop") == 0)
      out->style = "decimal";
    else if (strcmp(f, "lowerLetter") == 0)
      out->style = "lower-alpha";
    else if (strcmp(f, "upperLetter") == 0)
      out->style = "upper-alpha";
    else if (strcmp(f, "lowerRoman") == 0)
      out->style = "lower-roman";
    else if (strcmp(f, "upperRoman") == 0)
      out->style = "upper-roman";
  }
  return 0;
}

void docx_styles_free(docx_styles *s)
{
  free(s->v);
  free(s->abs);
  free(s->nums);
  if (s->dom)
    xmlFreeDoc(s->dom);
  if (s->num_dom)
    xmlFreeDoc(s->num_dom);
  memset(s, 0, sizeof *s);
}

/* ------------------------------------------------------------ notes */

static int note_cmp(const void *a, const void *b)
{
  long x = ((const docx_note *)a)->id, y = ((const docx_note *)b)->id;
  return x < y ? -1 : x > y;
}

int docx_notes_load(docx_pkg *p, const char *part, const char *elem, docx_notes *out)
{
  memset(out, 0, sizeof *out);
  out->part = strdup(part);
  if (!out->part)
    return emc_error_set(p->err, EMC_ENOMEM, "out of memory");
  int rc = docx_parse_part(p, part, NULL, NULL, NULL, &out->dom);
  if (!rc)
    rc = docx_rels_load(p, part, &out->rels);
  if (rc)
    return rc;
  xmlNodePtr root = xmlDocGetRootElement(out->dom);
  size_t n = 0;
  for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next)
    n += docx_is_w(c, elem);
  out->v = calloc(n ? n : 1, sizeof *out->v);
  if (!out->v)
    return emc_error_set(p->err, EMC_ENOMEM, "out of memory");
  for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
    if (!docx_is_w(c, elem))
      continue;
    const char *type = docx_attr(c, NS_W, "type");
    if (type && strcmp(type, "normal") != 0)
      continue; /* separators */
    const char *id = docx_attr(c, NS_W, "id");
    if (!id)
      continue;
    out->v[out->n].id = to_long(id, -1);
    out->v[out->n++].node = c;
  }
  qsort(out->v, out->n, sizeof *out->v, note_cmp);
  return EMC_OK;
}

void docx_notes_free(docx_notes *n)
{
  if (n->dom)
    xmlFreeDoc(n->dom);
  free(n->v);
  free(n->part);
  docx_rels_free(&n->rels);
  memset(n, 0, sizeof *n);
}

xmlNodePtr docx_notes_find(const docx_notes *n, long id)
{
  if (!n->n)
    return NULL;
  docx_note key;
  key.id = id;
  docx_note *f = bsearch(&key, n->v, n->n, sizeof *n->v, note_cmp);
  return f ? f->node : NULL;
}
