/* SPDX-License-Identifier: MIT */
/* markdown.c - an example emuconv writer plugin: the IR as Markdown
 * (CommonMark, with GFM tables and footnotes).
 *
 * Built out of tree with nothing but the installed headers:
 *   cc -shared -fPIC $(pkg-config --cflags emuconv) -o markdown.so \
 *      markdown.c $(pkg-config --libs emuconv)
 *   EMUCONV_PLUGIN_PATH=$PWD emuconv in.txt out.md
 * See doc/writing-plugins.md for the walk-through. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <emuconv/plugin.h>

/* Where the writer is: output, the error record, the first failure, and
 * footnotes collected for the end. */
struct md {
  emc_output *out;
  emc_error *err;
  int rc;
  int notes;          /* footnotes numbered so far */
  xmlNodePtr *pending; /* their bodies, written after the text */
  size_t n_pending;
};

static void put(struct md *m, const char *s, size_t n)
{
  if (m->rc == EMC_OK && n)
    m->rc = emc_output_write(m->out, s, n, m->err);
}

static void puts_(struct md *m, const char *s)
{
  put(m, s, strlen(s));
}

/* Text with Markdown's special characters escaped. */
static void text(struct md *m, const xmlChar *s)
{
  for (; s && *s; s++) {
    if (strchr("\\`*_[]<>#|", *s))
      put(m, "\\", 1);
    put(m, (const char *)s, 1);
  }
}

static void inlines(struct md *m, const xmlNode *n);

static void wrap(struct md *m, const xmlNode *n, const char *mark)
{
  puts_(m, mark);
  inlines(m, n->children);
  puts_(m, mark);
}

static void inline_one(struct md *m, const xmlNode *n);

static void inlines(struct md *m, const xmlNode *n)
{
  for (; n && m->rc == EMC_OK; n = n->next)
    inline_one(m, n);
}

static void inline_one(struct md *m, const xmlNode *n)
{
  {
    if (n->type == XML_TEXT_NODE)
      text(m, n->content);
    else if (emc_ir_is(n, "em"))
      wrap(m, n, "*");
    else if (emc_ir_is(n, "strong"))
      wrap(m, n, "**");
    else if (emc_ir_is(n, "code")) {
      xmlChar *s = xmlNodeGetContent(n);
      puts_(m, "`");
      puts_(m, (const char *)s);
      puts_(m, "`");
      xmlFree(s);
    } else if (emc_ir_is(n, "a")) {
      xmlChar *href = xmlGetProp(n, BAD_CAST "href");
      puts_(m, "[");
      inlines(m, n->children);
      puts_(m, "](");
      puts_(m, href ? (const char *)href : "");
      puts_(m, ")");
      xmlFree(href);
    } else if (emc_ir_is(n, "note")) {
      xmlNodePtr *grown = realloc(m->pending, (m->n_pending + 1) * sizeof *grown);
      if (!grown) {
        m->rc = emc_error_set(m->err, EMC_ENOMEM, "out of memory");
        return;
      }
      m->pending = grown;
      m->pending[m->n_pending++] = (xmlNodePtr)n;
      char ref[32];
      snprintf(ref, sizeof ref, "[^%d]", ++m->notes);
      puts_(m, ref);
    } else if (emc_ir_is(n, "image")) {
      xmlChar *alt = xmlGetProp(n, BAD_CAST "alt"), *src = xmlGetProp(n, BAD_CAST "src");
      if (!src)
        src = xmlGetProp(n, BAD_CAST "ref");
      puts_(m, "![");
      text(m, alt);
      puts_(m, "](");
      puts_(m, src ? (const char *)src : "");
      puts_(m, ")");
      xmlFree(alt);
      xmlFree(src);
    } else if (emc_ir_is(n, "br"))
      puts_(m, "\\\n");
    else if (n->type == XML_ELEMENT_NODE) /* span, ref, u, sup, sub: text */
      inlines(m, n->children);
  }
}

static void blocks(struct md *m, const xmlNode *n, const char *prefix);

/* Every line of a block starts with PREFIX ("> " in quotes, spaces in
 * list items); the first line of an item has its marker instead. */
static void blocks(struct md *m, const xmlNode *n, const char *prefix)
{
  for (; n && m->rc == EMC_OK; n = n->next) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    if (emc_ir_is(n, "p")) {
      puts_(m, prefix);
      inlines(m, n->children);
      puts_(m, "\n\n");
    } else if (emc_ir_is(n, "section")) {
      blocks(m, n->children, prefix);
    } else if (emc_ir_is(n, "heading")) {
      int level = emc_ir_section_level(n->parent);
      puts_(m, prefix);
      puts_(m, "######" + 6 - (level < 1 ? 1 : level > 6 ? 6 : level));
      puts_(m, " ");
      inlines(m, n->children);
      puts_(m, "\n\n");
    } else if (emc_ir_is(n, "quote")) {
      char deeper[256];
      snprintf(deeper, sizeof deeper, "%s> ", prefix);
      blocks(m, n->children, deeper);
    } else if (emc_ir_is(n, "list")) {
      xmlChar *ordered = xmlGetProp(n, BAD_CAST "ordered"), *start = xmlGetProp(n, BAD_CAST "start");
      long num = start ? strtol((const char *)start, NULL, 10) : 1;
      int is_ordered = ordered && xmlStrEqual(ordered, BAD_CAST "true");
      for (const xmlNode *item = n->children; item; item = item->next) {
        if (!emc_ir_is(item, "item"))
          continue;
        char marker[32], deeper[256];
        if (is_ordered)
          snprintf(marker, sizeof marker, "%ld. ", num++);
        else
          snprintf(marker, sizeof marker, "- ");
        snprintf(deeper, sizeof deeper, "%s%*s", prefix, (int)strlen(marker), "");
        puts_(m, prefix);
        puts_(m, marker);
        /* the marker stands in for the prefix of the item's first line */
        const xmlNode *first = item->children;
        while (first && first->type != XML_ELEMENT_NODE)
          first = first->next;
        if (emc_ir_is(first, "p")) {
          inlines(m, first->children);
          puts_(m, "\n\n");
          first = first->next;
        } else
          puts_(m, "\n");
        blocks(m, first, deeper);
      }
      xmlFree(ordered);
      xmlFree(start);
    } else if (emc_ir_is(n, "pre")) {
      xmlChar *s = xmlNodeGetContent(n);
      puts_(m, prefix);
      puts_(m, "```\n");
      puts_(m, (const char *)s); /* a fence needs no escaping */
      puts_(m, "\n");
      puts_(m, prefix);
      puts_(m, "```\n\n");
      xmlFree(s);
    } else if (emc_ir_is(n, "table")) {
      int row_no = 0;
      for (const xmlNode *row = n->children; row; row = row->next) {
        if (!emc_ir_is(row, "row"))
          continue;
        int cells = 0;
        puts_(m, prefix);
        puts_(m, "|");
        for (const xmlNode *cell = row->children; cell; cell = cell->next) {
          if (!emc_ir_is(cell, "cell"))
            continue;
          puts_(m, " ");
          for (const xmlNode *p = cell->children; p; p = p->next)
            if (emc_ir_is(p, "p"))
              inlines(m, p->children);
          puts_(m, " |");
          cells++;
        }
        puts_(m, "\n");
        if (row_no++ == 0) { /* GFM needs a delimiter row after the first */
          puts_(m, prefix);
          puts_(m, "|");
          for (int i = 0; i < cells; i++)
            puts_(m, " --- |");
          puts_(m, "\n");
        }
      }
      puts_(m, "\n");
    } else if (emc_ir_is(n, "figure")) {
      for (const xmlNode *c = n->children; c; c = c->next)
        if (emc_ir_is(c, "image") || emc_ir_is(c, "caption")) {
          puts_(m, prefix);
          if (emc_ir_is(c, "image"))
            inline_one(m, c);
          else
            inlines(m, c->children);
          puts_(m, "\n\n");
        }
    } else if (emc_ir_is(n, "hr"))
      puts_(m, "---\n\n");
  }
}

static int md_write(emc_ctx *ctx, const emc_doc *doc, emc_output *out,
                    emc_error *err)
{
  (void)ctx;
  struct md m = { out, err, EMC_OK, 0, NULL, 0 };
  char *title = emc_doc_meta_get(doc, "title");
  if (title) {
    puts_(&m, "# ");
    text(&m, BAD_CAST title);
    puts_(&m, "\n\n");
    free(title);
  }
  blocks(&m, emc_doc_body(doc)->children, "");
  /* Footnote bodies at the end; notes inside notes get numbers too. */
  for (size_t i = 0; i < m.n_pending && m.rc == EMC_OK; i++) {
    char def[32];
    snprintf(def, sizeof def, "[^%zu]: ", i + 1);
    puts_(&m, def);
    for (const xmlNode *p = m.pending[i]->children; p; p = p->next)
      if (emc_ir_is(p, "p")) {
        inlines(&m, p->children);
        puts_(&m, " ");
      }
    puts_(&m, "\n\n");
  }
  free(m.pending);
  return m.rc;
}

static const char *const md_extensions[] = { "md", "markdown", NULL };
static const char *const md_mime_types[] = { "text/markdown", NULL };

EMC_PLUGIN_DEFINE(markdown, "markdown", "1.0",
                  "Markdown writer (example plugin)",
                  .extensions = md_extensions, .mime_types = md_mime_types,
                  .write = md_write)
