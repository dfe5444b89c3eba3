/* SPDX-License-Identifier: MIT */
/* html.c - HTML reader: the article, not the page.
 *
 * emuconv page.html out.epub; curl -s URL | emuconv -f html --base-url URL - out.tei
 *
 * The page is decoded to UTF-8 (html-decode.c), parsed with libxml2's HTML
 * parser with recovery (tag soup, fragments, XHTML) and without network
 * access, entity loading or HTML_PARSE_HUGE (so libxml2 keeps its own depth
 * limit), analysed (html-analyse.c: the article is chosen unless
 * --keep-chrome), and mapped to the IR (html-meta.c, html-build.c).
 */
#include <config.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/parserInternals.h>
#include "html.h"
#include "html-write.h"

/* ------------------------------------------------------------ probe */

static int has_ci(const unsigned char *h, size_t len, const char *word)
{
  size_t wl = strlen(word);
  for (size_t i = 0; i + wl <= len; i++)
    if (h[i] == '<' && strncasecmp((const char *)h + i, word, wl) == 0)
      return 1;
  return 0;
}

/* A start tag "<NAME" followed by '>', '/' or white space. */
static int has_tag(const unsigned char *h, size_t len, const char *name)
{
  size_t nl = strlen(name);
  for (size_t i = 0; i + nl + 2 <= len; i++)
    if (h[i] == '<' && strncasecmp((const char *)h + i + 1, name, nl) == 0) {
      unsigned char c = h[i + 1 + nl];
      if (c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r')
        return 1;
    }
  return 0;
}

/* Above the txt reader's 10 (5 for anything starting with '<'), below the
 * ir reader's 90, which claims documents in the IR namespace (those get 0
 * here). */
static int html_probe(const unsigned char *head, size_t len)
{
  size_t i = 0;
  if (len >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
    i = 3;
  else if (len >= 4 && ((head[0] == 0xFF && head[1] == 0xFE && head[2] == '<' && head[3] == 0) ||
                        (head[0] == 0xFE && head[1] == 0xFF && head[2] == 0 && head[3] == '<')))
    return 60; /* UTF-16 markup */
  if (memchr(head, 0, len))
    return 0;
  static const char ir_ns[] = EMC_IR_NS;
  for (size_t k = 0; k + sizeof ir_ns - 1 <= len; k++)
    if (memcmp(head + k, ir_ns, sizeof ir_ns - 1) == 0)
      return 0;
  const unsigned char *h = head + i;
  size_t n = len - i;
  while (n && (*h == ' ' || *h == '\t' || *h == '\n' || *h == '\r')) {
    h++;
    n--;
  }
  if (has_ci(h, n, "<!doctype html") || has_tag(h, n, "html"))
    return 80;
  if (n >= 5 && memcmp(h, "<?xml", 5) == 0) {
    static const char xhtml[] = "http://www.w3.org/1999/xhtml";
    for (size_t k = 0; k + sizeof xhtml - 1 <= n; k++)
      if (memcmp(h + k, xhtml, sizeof xhtml - 1) == 0)
        return 80;
  }
  if (has_tag(h, n, "head") || has_tag(h, n, "body"))
    return 70;
  static const char *const tags[] = {
    "p", "div", "span", "a", "br", "h1", "h2", "h3", "h4", "ul", "ol", "li", "table",
    "meta", "title", "img", "em", "strong", "b", "i", "article", "section", "blockquote",
    "pre", "dl", NULL
  };
  int found = 0;
  for (const char *const *t = tags; *t && found < 2; t++)
    found += has_tag(h, n, *t);
  if (n && h[0] == '<' && found >= 1 && !(n >= 5 && memcmp(h, "<?xml", 5) == 0))
    return 50;
  if (found >= 2)
    return 30;
  return 0;
}

/* ------------------------------------------------------------ read */

/* htmlCtxtReadMemory() without its two copies of the input: libxml2
 * 2.9 copies the bytes into its input buffer and, told an encoding, once
 * more through the (UTF-8 to UTF-8) converter; its "static" buffers repeat
 * the input.  Here the parser reads TEXT (NUL-terminated) in place, as
 * libxml2 itself once read strings: an input without a buffer, which it
 * never grows or frees.  TEXT is valid UTF-8 (html_decode() saw to it) and
 * HTML_PARSE_IGNORE_ENC keeps <meta charset> from switching.  No network,
 * no HTML_PARSE_HUGE (libxml2 then limits the nesting depth itself). */
/* A text node's characters gathered while the parser hands them over.
 *
 * libxml2 2.9's SAX2 builder appends each chunk (the HTML parser gives at
 * most 1000 bytes at a time and breaks at every entity, "&nbsp;" and the
 * like) to the node's buffer, doubling it: at the end of a big page's parse
 * (the reader's peak) up to half of a long text's buffer is slack.  Here the
 * parser still makes the node from the first chunk (so its own blank-text
 * decisions, which look at the last child, are unchanged); the chunks that
 * follow are collected in RUN and given to the node once, sized exactly,
 * when the next text starts elsewhere or the parse ends.  The parser does
 * not read a text node's content while it parses. */
struct text_run {
  charactersSAXFunc characters; /* libxml2's own handler */
  xmlNodePtr node;              /* the text node being extended, or NULL */
  emc_buf chunks;               /* its chunks after the first */
  int oom;
};

static void run_flush(htmlParserCtxtPtr pc, struct text_run *run)
{
  xmlNodePtr n = run->node;
  run->node = NULL;
  if (!n || !run->chunks.len)
    return;
  size_t old = strlen((const char *)n->content);
  xmlChar *all = xmlMalloc(old + run->chunks.len + 1);
  if (!all) {
    run->oom = 1;
    emc_buf_clear(&run->chunks);
    return;
  }
  memcpy(all, n->content, old);
  memcpy(all + old, run->chunks.data, run->chunks.len);
  all[old + run->chunks.len] = 0;
  /* the first chunk's storage: inside the node (HTML_PARSE_COMPACT), in
   * the parser's dictionary, or its own allocation */
  if (n->content == (xmlChar *)&n->properties)
    n->properties = NULL;
  else if (!(pc->dict && xmlDictOwns(pc->dict, n->content)))
    xmlFree(n->content);
  n->content = all;
  if (pc->node && pc->node->last == n) { /* libxml2 would coalesce into it */
    pc->nodelen = (int)(old + run->chunks.len);
    pc->nodemem = pc->nodelen + 1;
  }
  emc_buf_clear(&run->chunks);
}

static void run_characters(void *ctx, const xmlChar *ch, int len)
{
  htmlParserCtxtPtr pc = ctx;
  struct text_run *run = pc->_private;
  if (len <= 0)
    return;
  if (run->node && pc->node && pc->node->last == run->node && !run->oom) {
    if (emc_buf_append(&run->chunks, ch, (size_t)len)) {
      run->oom = 1;
      xmlStopParser(pc);
    }
    return;
  }
  run_flush(pc, run);
  run->characters(ctx, ch, len);
  xmlNodePtr last = pc->node ? pc->node->last : NULL;
  if (last && last->type == XML_TEXT_NODE && last->name == xmlStringText && last->content)
    run->node = last;
}

static htmlDocPtr parse(htmlParserCtxtPtr pc, const char *text, size_t len)
{
  htmlCtxtReset(pc);
  htmlCtxtUseOptions(pc, HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                             HTML_PARSE_NOWARNING | HTML_PARSE_IGNORE_ENC |
                             HTML_PARSE_COMPACT);
  xmlParserInputPtr in = xmlNewInputStream(pc);
  if (!in)
    return NULL;
  in->base = in->cur = (const xmlChar *)text;
  in->end = in->base + len;
  in->length = (int)len;
  in->free = NULL;
  if (inputPush(pc, in) < 0) /* it freed IN */
    return NULL;
  pc->charset = XML_CHAR_ENCODING_UTF8;
  struct text_run run = { pc->sax->characters, NULL, EMC_BUF_INIT, 0 };
  pc->sax->characters = run_characters;
  pc->_private = &run;
  htmlParseDocument(pc);
  run_flush(pc, &run);
  emc_buf_release(&run.chunks);
  pc->sax->characters = run.characters;
  pc->_private = NULL;
  htmlDocPtr doc = pc->myDoc;
  pc->myDoc = NULL;
  if (run.oom && doc) {
    xmlFreeDoc(doc);
    doc = NULL;
  }
  return doc;
}

static void page_free(html_page *pg)
{
  if (pg->tree)
    xmlFreeDoc(pg->tree);
  free(pg->info);
  free(pg->roots);
  free(pg->prefix);
  free(pg->ids);
  free(pg->id_pool);
  free(pg->base);
  free(pg->lang);
}

static int html_read(emc_ctx *ctx, const emc_input *in, emc_doc **out, emc_error *err)
{
  if (in->size > INT_MAX / 2)
    return emc_error_set(err, EMC_ELIMIT, "HTML input over 1 GiB");
  const char *text = NULL;
  char *owned = NULL;
  size_t len = 0;
  int rc = html_decode(ctx, in, &text, &len, &owned, err);
  if (rc)
    return rc;
  if (len > INT_MAX) {
    free(owned);
    return emc_error_set(err, EMC_ELIMIT, "HTML input over 2 GiB once decoded");
  }

  html_page pg;
  memset(&pg, 0, sizeof pg);
  pg.keep_chrome = emc_ctx_option(ctx, "keep-chrome") != NULL;
  size_t i = 0;
  while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
    i++;
  if (i < len) {
    htmlParserCtxtPtr pc = htmlNewParserCtxt();
    if (!pc) {
      free(owned);
      return emc_error_set(err, EMC_ENOMEM, "out of memory");
    }
    pg.tree = parse(pc, text, len);
    const xmlError *e = xmlCtxtGetLastError(pc);
    int too_deep = e && e->code == XML_ERR_INTERNAL_ERROR && e->message &&
                   strstr(e->message, "depth");
    int line = e ? e->line : 0;
    htmlFreeParserCtxt(pc);
    free(owned);
    if (too_deep) {
      page_free(&pg);
      emc_error_set_position(err, in->name, line);
      return emc_error_set(err, EMC_ELIMIT, "elements nested deeper than libxml2's HTML "
                           "parser allows (256 levels)");
    }
    if (!pg.tree)
      return emc_error_set(err, EMC_EPARSE, "not parseable as HTML");
  } else {
    free(owned);
    emc_ctx_log(ctx, EMC_LOG_WARN, "%s: empty HTML document", in->name);
  }

  emc_doc *doc = NULL;
  if (pg.tree && (rc = html_analyse(&pg, ctx, err)) != EMC_OK) {
    page_free(&pg);
    return rc;
  }
  if (pg.root)
    html_select(&pg, ctx);
  doc = emc_doc_new();
  if (!doc) {
    page_free(&pg);
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  }
  rc = html_meta(&pg, ctx, doc, err);
  if (!rc && pg.root)
    rc = html_build(&pg, ctx, in, doc, err);
  page_free(&pg);
  if (rc) {
    emc_doc_free(doc);
    return rc;
  }
  *out = doc;
  return EMC_OK;
}

static const char *const html_extensions[] = { "html", "htm", "xhtml", "xht", NULL };
static const char *const html_mime_types[] = { "text/html", "application/xhtml+xml", NULL };

static const emc_option_spec html_options[] = {
  { "input-encoding", 1, "ENC",
    "read the input as ENC, whatever it declares (e.g. windows-1252)" },
  { "base-url", 1, "URL", "the page's address, for its relative links and images" },
  { "keep-chrome", 0, NULL,
    "keep menus, sidebars, footers... (no extraction of the article)" },
  { "css", 1, "FILE", "HTML: embed FILE as the stylesheet instead of the default" },
  { "toc", 0, NULL, "HTML: a table of contents after the front matter" },
  { "extract-media", 1, "DIR",
    "HTML: write the images into DIR and refer to them as DIR/NAME (default: data: URIs)" },
  { NULL, 0, NULL, NULL }
};

EMC_PLUGIN_DEFINE(html, "html", PACKAGE_VERSION,
                  "HTML and XHTML reader (the article, not the page); HTML5 writer",
                  .extensions = html_extensions, .mime_types = html_mime_types, .probe = html_probe,
                  .read = html_read, .write = html_write, .options = html_options)
