/* SPDX-License-Identifier: MIT */
/* normalize-space.c - collapses runs of white space in running text to
 * one space, trims blocks, drops empty paragraphs and the white space
 * between blocks.  <pre> and <code> keep their white space.  Only ASCII
 * white space is touched: a no-break space is meant. */
#include <config.h>
#include <string.h>
#include <emuconv/plugin.h>

/* emc_ir_is(N, NAME), its cheap tests inline first: the walks ask several
 * names of every node, most of them text or elements of another name. */
static inline int is(const xmlNode *n, const char *name)
{
  return n && n->type == XML_ELEMENT_NODE && n->name && n->name[0] == (xmlChar)name[0] &&
         emc_ir_is(n, name);
}

static int is_ws(xmlChar c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Elements holding running text (inline content). */
static int text_block(const xmlNode *n)
{
  return is(n, "p") || is(n, "heading") || is(n, "caption") ||
         is(n, "term");
}

static int keeps_space(const xmlNode *n)
{
  return is(n, "pre") || is(n, "code");
}

/* Elements whose children are blocks: text there is only indentation. */
static int block_container(const xmlNode *n)
{
  static const char *const names[] = {
    "body", "section", "quote", "list", "item", "deflist", "definition",
    "table", "row", "cell", "figure", "note", NULL
  };
  for (const char *const *p = names; *p; p++)
    if (is(n, *p))
      return 1;
  return 0;
}

struct collapse {
  int last_space;       /* the previous character emitted was a space */
  xmlNodePtr last_text; /* the last text node with content */
};

/* Text content may live in the parser's dictionary: never edit it in
 * place; set a new value when it changes. */
static void collapse_text(xmlNodePtr t, struct collapse *st)
{
  const xmlChar *s = t->content;
  if (!s)
    return;
  /* Most text needs no change: single spaces only, none after a space.
   * Then there is nothing to copy. */
  static const unsigned char stop[256] = { [0] = 1, [' '] = 1, ['\t'] = 1, ['\n'] = 1,
                                            ['\r'] = 1 }; /* is_ws(), and the NUL */
  int last = st->last_space;
  const xmlChar *r = s;
  for (;;) { /* a word at a time: 17 M of 549 M instructions a byte at a time */
    const xmlChar *word = r;
    while (!stop[*r])
      r++;
    if (r != word)
      last = 0;
    if (*r != ' ' || last) /* the NUL, other white space, a second space */
      break;
    last = 1;
    r++;
  }
  if (!*r) {
    st->last_space = last;
    if (r != s)
      st->last_text = t;
    return;
  }
  size_t len = (size_t)(r - s) + strlen((const char *)r);
  r = s;
  xmlChar *copy = xmlMalloc(len + 1), *w = copy;
  if (!copy)
    return; /* out of memory: leave the text as it is */
  for (; *r; r++) {
    if (is_ws(*r)) {
      if (!st->last_space)
        *w++ = ' ';
      st->last_space = 1;
    } else {
      *w++ = *r;
      st->last_space = 0;
    }
  }
  *w = '\0';
  if ((size_t)(w - copy) != len)
    xmlNodeSetContent(t, copy);
  if (w != copy)
    st->last_text = t;
  xmlFree(copy);
}

/* Normalises the running text of one text block (notes inside it are
 * blocks of their own and handled when the walk reaches them). */
static void normalize_block(xmlNodePtr block)
{
  struct collapse st = { 1, NULL };
  for (xmlNodePtr n = block->children; n;) {
    int enter = n->type == XML_ELEMENT_NODE && !keeps_space(n) && !is(n, "note");
    if (n->type == XML_TEXT_NODE)
      collapse_text(n, &st);
    else if (is(n, "br"))
      st.last_space = 1;
    else if (keeps_space(n) || is(n, "image") || is(n, "note")) {
      st.last_space = 0;    /* content: the space after it is meant */
      st.last_text = NULL;  /* and so is the space before it ("and <image>") */
    }
    n = emc_ir_next(n, block, enter);
  }
  if (st.last_text) { /* trim the end */
    const xmlChar *s = st.last_text->content;
    int l = xmlStrlen(s);
    if (l && s[l - 1] == ' ') {
      xmlChar *trimmed = xmlStrndup(s, l - 1);
      if (trimmed)
        xmlNodeSetContent(st.last_text, trimmed);
      xmlFree(trimmed);
    }
  }
}

static int is_empty_para(const xmlNode *p)
{
  if (!is(p, "p"))
    return 0;
  for (const xmlNode *c = p->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE)
      return 0;
    if (c->type == XML_TEXT_NODE && c->content && c->content[0])
      return 0;
  }
  return 1;
}

/* Containers that need at least one block child. */
static int needs_a_block(const xmlNode *n)
{
  return is(n, "item") || is(n, "quote") || is(n, "note") ||
         is(n, "definition");
}

static int block_children(const xmlNode *n)
{
  int count = 0;
  for (const xmlNode *c = n->children; c; c = c->next)
    count += c->type == XML_ELEMENT_NODE;
  return count;
}

static int ns_filter(emc_ctx *ctx, emc_doc *doc, emc_error *err)
{
  (void)err;
  xmlNodePtr body = emc_doc_body(doc);
  size_t dropped = 0;
  /* Pass 1: text; iterative walk, no recursion. */
  for (xmlNodePtr n = body; n;) {
    int enter = n->type == XML_ELEMENT_NODE && !keeps_space(n);
    xmlNodePtr next;
    if (text_block(n)) {
      normalize_block(n);
      /* notes inside still need their own pass: enter */
    }
    next = emc_ir_next(n, body, enter);
    if (n->type == XML_TEXT_NODE && n->parent && block_container(n->parent)) {
      xmlUnlinkNode(n);
      xmlFreeNode(n);
    } else if (n->type == XML_TEXT_NODE && n->content && !n->content[0]) {
      xmlUnlinkNode(n);
      xmlFreeNode(n);
    }
    n = next;
  }
  /* Pass 2: empty paragraphs, where the container stays valid. */
  for (xmlNodePtr n = body; n;) {
    xmlNodePtr next = emc_ir_next(n, body, n->type == XML_ELEMENT_NODE);
    if (is_empty_para(n) && !(needs_a_block(n->parent) && block_children(n->parent) == 1)) {
      next = emc_ir_next(n, body, 0);
      xmlUnlinkNode(n);
      xmlFreeNode(n);
      dropped++;
    }
    n = next;
  }
  if (dropped)
    emc_ctx_log(ctx, EMC_LOG_INFO, "normalize-space: dropped %zu empty paragraph%s",
                dropped, dropped == 1 ? "" : "s");
  return EMC_OK;
}

EMC_PLUGIN_DEFINE(normalize_space, "normalize-space", PACKAGE_VERSION,
                  "collapse white space, trim blocks, drop empty paragraphs", .filter = ns_filter)
