/* SPDX-License-Identifier: MIT */
/* html-jsonld.c - the article's metadata from schema.org JSON-LD.
 *
 * News and blog pages state their metadata for search engines in
 * <script type="application/ld+json">: an object, an array of objects or
 * an "@graph", one of which is the article (@type Article, NewsArticle,
 * BlogPosting, ReportageNewsArticle...).  Its headline, author(s),
 * datePublished, publisher and inLanguage are what the page itself says,
 * more reliable than anything guessed from the markup.  The text is parsed
 * with json-c; a script that is not valid JSON is skipped (pages often
 * ship broken ones), never an error.
 */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <json-c/json.h>
#include "html.h"

/* schema.org types that are an article: *Article (NewsArticle,
 * ScholarlyArticle...), *Posting (BlogPosting, SocialMediaPosting),
 * Report, APIReference. */
static int type_is_article(const char *t)
{
  size_t l = strlen(t);
  static const char *const ends[] = { "Article", "Posting", "Report", "APIReference", NULL };
  for (const char *const *e = ends; *e; e++) {
    size_t el = strlen(*e);
    if (l >= el && strcmp(t + l - el, *e) == 0)
      return 1;
  }
  return 0;
}

static int obj_is_article(json_object *o)
{
  json_object *t;
  if (!json_object_object_get_ex(o, "@type", &t))
    return 0;
  if (json_object_is_type(t, json_type_string))
    return type_is_article(json_object_get_string(t));
  if (json_object_is_type(t, json_type_array))
    for (size_t i = 0; i < json_object_array_length(t); i++) {
      json_object *e = json_object_array_get_idx(t, i);
      if (json_object_is_type(e, json_type_string) && type_is_article(json_object_get_string(e)))
        return 1;
    }
  return 0;
}

/* A non-empty string member KEY of O, borrowed, or NULL. */
static const char *str_of(json_object *o, const char *key)
{
  json_object *v;
  if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
    return NULL;
  if (!json_object_is_type(v, json_type_string))
    return NULL;
  const char *s = json_object_get_string(v);
  while (*s && html_is_ws((unsigned char)*s))
    s++;
  return *s ? s : NULL;
}

/* Trimmed, white space folded copy of S.  Returns: (transfer full). */
static char *dup_folded(const char *s)
{
  return s ? html_fold_text(BAD_CAST s, 4000) : NULL;
}

/* The name of a person or organisation: a string or an object's "name". */
static const char *name_of(json_object *v)
{
  if (!v)
    return NULL;
  if (json_object_is_type(v, json_type_string)) {
    const char *s = json_object_get_string(v);
    return *s ? s : NULL;
  }
  return str_of(v, "name");
}

/* Appends the author names in V (one, or an array) to *OUT, one a line
 * (a name may hold a comma: "Brenda Goodman, MA"). */
static void add_authors(json_object *v, char **out)
{
  if (!v)
    return;
  if (json_object_is_type(v, json_type_array)) {
    for (size_t i = 0; i < json_object_array_length(v); i++)
      add_authors(json_object_array_get_idx(v, i), out);
    return;
  }
  char *name = dup_folded(name_of(v));
  if (!name || html_is_url_text(name)) {
    free(name);
    return;
  }
  if (!*out) {
    *out = name;
    return;
  }
  if (strstr(*out, name)) { /* the same person twice (a near-enough test) */
    free(name);
    return;
  }
  size_t a = strlen(*out), b = strlen(name);
  char *j = realloc(*out, a + b + 2);
  if (j) {
    j[a] = '\n';
    memcpy(j + a + 1, name, b + 1);
    *out = j;
  }
  free(name);
}

static void take_str(char **slot, const char *s)
{
  if (!*slot && s)
    *slot = dup_folded(s);
}

static void from_article(json_object *o, html_jsonld *out)
{
  /* headline and name from the same object: the first one with a
   * headline (another may be named after the site) */
  const char *h = str_of(o, "headline");
  if (!out->headline && h) {
    out->headline = dup_folded(h);
    free(out->name);
    out->name = dup_folded(str_of(o, "name"));
  } else if (!out->headline)
    take_str(&out->name, str_of(o, "name"));
  json_object *v;
  if (!out->author && json_object_object_get_ex(o, "author", &v))
    add_authors(v, &out->author);
  if (!out->author && json_object_object_get_ex(o, "creator", &v))
    add_authors(v, &out->author);
  take_str(&out->date, str_of(o, "datePublished"));
  take_str(&out->date, str_of(o, "dateCreated"));
  if (json_object_object_get_ex(o, "publisher", &v))
    take_str(&out->publisher, name_of(v));
  if (json_object_object_get_ex(o, "inLanguage", &v))
    take_str(&out->lang, name_of(v));
  take_str(&out->description, str_of(o, "description"));
}

/* Looks for the article in V: an object, an array, an @graph. */
static void walk(json_object *v, html_jsonld *out, int depth)
{
  if (!v || depth > 8)
    return;
  if (json_object_is_type(v, json_type_array)) {
    for (size_t i = 0; i < json_object_array_length(v); i++)
      walk(json_object_array_get_idx(v, i), out, depth + 1);
    return;
  }
  if (!json_object_is_type(v, json_type_object))
    return;
  if (obj_is_article(v)) {
    from_article(v, out);
    out->found = 1;
  }
  json_object *g;
  if (json_object_object_get_ex(v, "@graph", &g))
    walk(g, out, depth + 1);
  if (json_object_object_get_ex(v, "mainEntity", &g))
    walk(g, out, depth + 1);
}

void html_jsonld_add(html_jsonld *out, const char *text, size_t len)
{
  /* pages wrap the JSON in CDATA markers or HTML comments */
  const char *p = text, *end = text + len;
  for (;;) {
    while (p < end && (html_is_ws((unsigned char)*p) || *p == ';'))
      p++;
    if (end - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0)
      p += 9;
    else if (end - p >= 11 && memcmp(p, "//<![CDATA[", 11) == 0)
      p += 11;
    else if (end - p >= 4 && memcmp(p, "<!--", 4) == 0)
      p += 4;
    else
      break;
  }
  for (;;) {
    while (end > p && (html_is_ws((unsigned char)end[-1]) || end[-1] == ';'))
      end--;
    if (end - p >= 3 && memcmp(end - 3, "]]>", 3) == 0)
      end -= 3;
    else if (end - p >= 3 && memcmp(end - 3, "-->", 3) == 0)
      end -= 3;
    else if (end - p >= 2 && memcmp(end - 2, "//", 2) == 0)
      end -= 2;
    else
      break;
  }
  if (end <= p || end - p > 4 * 1024 * 1024)
    return;
  json_tokener *tok = json_tokener_new();
  if (!tok)
    return;
  json_object *v = json_tokener_parse_ex(tok, p, (int)(end - p));
  if (v && json_tokener_get_error(tok) == json_tokener_success)
    walk(v, out, 0);
  json_object_put(v);
  json_tokener_free(tok);
}

void html_jsonld_clear(html_jsonld *j)
{
  free(j->headline);
  free(j->name);
  free(j->author);
  free(j->date);
  free(j->publisher);
  free(j->lang);
  free(j->description);
  memset(j, 0, sizeof *j);
}
