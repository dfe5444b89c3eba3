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
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

static int html_read(emc_ctx *ctx, const emc_input *in, emc_doc **out, emc_error *err)
{
  html_page pg;
  memset(&pg, 0, sizeof pg);
  pg.keep_chrome = emc_ctx_option(ctx, "keep-chrome") != NULL;
  int rc = html_page_load(&pg, ctx, in, err);
  if (rc)
    return rc;
  emc_doc *doc = emc_doc_new();
  if (!doc) {
    html_page_free(&pg);
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  }
  rc = html_meta(&pg, ctx, doc, err);
  if (!rc && pg.root)
    rc = html_build(&pg, ctx, in, doc, err);
  html_page_free(&pg);
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
