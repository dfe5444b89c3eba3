/* SPDX-License-Identifier: MIT */
/* html-score.c - content before class names.
 *
 * Class and id words ("sidebar", "links", "widget", "shared", "modal") are
 * a guess about what a box is; the box's text is evidence.  Real article
 * containers carry such words ("content-with-sidebar-wrp", "mitte_links",
 * "l-sidebar-fixed l-article-body-segment", a Blogger "widget", ids made
 * from headings: "evolve-shared-mutable-history").  Furniture is short or
 * made of links; an article is long runs of unlinked paragraph text.  So a
 * box flagged by its words alone (not by its tag or ARIA role) that holds
 * a large share of the page's paragraph text, with few links, is taken
 * back as content ("sharing-with-a-single-developer" is a section id,
 * not a share bar).  Comment threads are long unlinked text too: a box
 * named after comments needs most of the page's paragraph text and an
 * <h1> or <article> inside, which a thread does not have.
 *
 * The other way round, the chosen article may hold what is not the
 * article: blogs nest the next and older posts, each an <article>, inside
 * the post's own <article>.  Those go, unless the nested posts are most
 * of the text (a listing, not a post with a tail).
 */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "html.h"

/* The walk (emc_ir_next) into elements that are not dropped. */
static xmlNodePtr next_el(xmlNodePtr n, xmlNodePtr root)
{
  return emc_ir_next(n, root, n->type == XML_ELEMENT_NODE && n->_private &&
                                  !(hi(n)->flags & HF_DROP));
}

/* Holds an <h1> or an <article>. */
static int holds_article_mark(xmlNodePtr top)
{
  for (xmlNodePtr n = top->children; n; n = next_el(n, top))
    if (n->type == XML_ELEMENT_NODE && n->_private && !(hi(n)->flags & HF_DROP) &&
        (hi(n)->tag == T_h1 || hi(n)->tag == T_article))
      return 1;
  return 0;
}

/* Class or id speaks of comments: a thread is long unlinked text too. */
static int about_comments(const xmlNode *n)
{
  static const char *const words[] = { "comment", "disqus", "repl", "respond", "discuss", NULL };
  const char *attrs[] = { "class", "id" };
  for (size_t a = 0; a < 2; a++) {
    const xmlChar *v = html_attr(n, attrs[a]);
    for (const char *p = (const char *)v; p && *p; p++)
      for (const char *const *w = words; *w; w++)
        if (strncasecmp(p, *w, strlen(*w)) == 0)
          return 1;
  }
  return 0;
}

int html_rescue_content(html_page *pg)
{
  xmlNodePtr top = pg->body ? pg->body : pg->root;
  if (!top || !top->_private)
    return 0;
  size_t total = hi(top)->para;
  if (total < 250)
    return 0;
  int rescued = 0;
  for (xmlNodePtr n = top; n; n = next_el(n, top)) {
    if (n->type != XML_ELEMENT_NODE || !n->_private)
      continue;
    hinfo *h = hi(n);
    if (!(h->flags & HF_CHROME) || (h->flags & (HF_CHROME_TAG | HF_DROP)) || !h->text)
      continue;
    double ld = (double)h->link_text / (double)h->text;
    if (ld >= 0.3 || h->para < 250)
      continue;
    int take;
    if ((h->flags & HF_CHROME_STRONG) && about_comments(n))
      take = h->para * 2 >= total && holds_article_mark(n);
    else
      take = h->para * 10 >= total * 3 || (h->para * 5 >= total && h->para >= 1000);
    if (take) {
      h->flags &= ~(HF_CHROME | HF_CHROME_STRONG);
      rescued++;
    }
  }
  if (!rescued)
    return 0;
  html_inherit_chrome(pg); /* the inherited flags again, top down */
  return rescued;
}

/* Text of TOP outside its nested <article>s (and the count of those
 * that have a heading of their own). */
static size_t text_outside_posts(xmlNodePtr top, size_t *posts)
{
  size_t in_posts = 0;
  *posts = 0;
  for (xmlNodePtr n = top->children; n;) {
    if (n->type == XML_ELEMENT_NODE && n->_private && !(hi(n)->flags & HF_DROP) &&
        hi(n)->tag == T_article && !(hi(n)->flags & (HF_HEADING_UP | HF_CONTENT_UP))) {
      in_posts += hi(n)->text;
      ++*posts;
      n = emc_ir_next(n, top, 0);
      continue;
    }
    n = next_el(n, top);
  }
  return hi(top)->text - (in_posts < hi(top)->text ? in_posts : hi(top)->text);
}

int html_cut_nested_posts(html_page *pg)
{
  int cut = 0;
  for (size_t r = 0; r < pg->n_roots; r++) {
    xmlNodePtr top = pg->roots[r];
    size_t posts;
    size_t own = text_outside_posts(top, &posts);
    /* a listing of posts is not an article with a tail: keep it whole */
    if (!posts || own * 2 < hi(top)->text)
      continue;
    for (xmlNodePtr n = top->children; n;) {
      if (n->type == XML_ELEMENT_NODE && n->_private && !(hi(n)->flags & HF_DROP) &&
          hi(n)->tag == T_article && !(hi(n)->flags & (HF_HEADING_UP | HF_CONTENT_UP))) {
        hi(n)->flags |= HF_CHROME | HF_CHROME_STRONG;
        cut++;
        n = emc_ir_next(n, top, 0);
        continue;
      }
      n = next_el(n, top);
    }
  }
  return cut;
}
