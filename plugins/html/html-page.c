/* SPDX-License-Identifier: MIT */
/* html-page.c - a page read: decoded, parsed with libxml2's HTML parser
 * (recovery, no network, no entity loading, libxml2's own depth limit),
 * analysed and its article chosen (unless keep_chrome).  Shared by the
 * html reader (html.c) and the epub reader, which reads each of a book's
 * documents through it with keep_chrome set (a book is all content). */
#include <config.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parserInternals.h>
#include "html.h"

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

void html_page_free(html_page *pg)
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


int html_page_load(html_page *pg, emc_ctx *ctx, const emc_input *in, emc_error *err)
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

  size_t i = 0;
  while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
    i++;
  if (i < len) {
    htmlParserCtxtPtr pc = htmlNewParserCtxt();
    if (!pc) {
      free(owned);
      return emc_error_set(err, EMC_ENOMEM, "out of memory");
    }
    pg->tree = parse(pc, text, len);
    const xmlError *e = xmlCtxtGetLastError(pc);
    int too_deep = e && e->code == XML_ERR_INTERNAL_ERROR && e->message &&
                   strstr(e->message, "depth");
    int line = e ? e->line : 0;
    htmlFreeParserCtxt(pc);
    free(owned);
    if (too_deep) {
      html_page_free(pg);
      emc_error_set_position(err, in->name, line);
      return emc_error_set(err, EMC_ELIMIT, "elements nested deeper than libxml2's HTML "
                           "parser allows (256 levels)");
    }
    if (!pg->tree) {
      html_page_free(pg);
      return emc_error_set(err, EMC_EPARSE, "not parseable as HTML");
    }
  } else {
    free(owned);
    emc_ctx_log(ctx, EMC_LOG_WARN, "%s: empty HTML document", in->name);
  }

  if (pg->tree && (rc = html_analyse(pg, ctx, err)) != EMC_OK) {
    html_page_free(pg);
    return rc;
  }
  if (pg->root)
    html_select(pg, ctx);
  return EMC_OK;
}
