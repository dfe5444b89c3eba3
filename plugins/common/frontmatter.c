/* SPDX-License-Identifier: MIT */
/* frontmatter.c - the visible front matter shared by the writers; see
 * frontmatter.h. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <emuconv/buf.h>
#include <emuconv/emuconv.h>
#include "frontmatter.h"

int fm_enabled(const emc_ctx *ctx)
{
  const char *v = emc_ctx_option(ctx, "front-matter");
  return !v || strcmp(v, "0") != 0;
}

/* Whether LANG's primary subtag is TAG. */
static int lang_is(const char *lang, const char *tag)
{
  size_t n = strcspn(lang, "-_");
  return strlen(tag) == n && strncasecmp(lang, tag, n) == 0;
}

enum order { DMY, DMY_DOT, D_DE_M_DE_Y, VI };

static const struct months {
  const char *lang;
  enum order order;
  const char *name[12];
} month_tables[] = {
  { "en", DMY, { "January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December" } },
  { "id", DMY, { "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                 "September", "Oktober", "November", "Desember" } },
  { "hi", DMY, { "जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त",
                 "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर" } },
  { "vi", VI, { NULL } },
  { "ms", DMY, { "Januari", "Februari", "Mac", "April", "Mei", "Jun", "Julai", "Ogos",
                 "September", "Oktober", "November", "Disember" } },
  { "fr", DMY, { "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                 "septembre", "octobre", "novembre", "décembre" } },
  { "de", DMY_DOT, { "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                     "September", "Oktober", "November", "Dezember" } },
  { "es", D_DE_M_DE_Y, { "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
                         "agosto", "septiembre", "octubre", "noviembre", "diciembre" } },
  { "pt", D_DE_M_DE_Y, { "janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho",
                         "agosto", "setembro", "outubro", "novembro", "dezembro" } },
};

static int digits(const char *s, int n)
{
  for (int i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

char *fm_date_human(const char *date, const char *lang)
{
  int y = 0, m = 0, d = 0;
  const char *s = date;
  while (*s == ' ')
    s++;
  if (digits(s, 4) && (s[4] == '\0' || s[4] == '-' || s[4] == ' ')) {
    y = atoi(s);
    if (s[4] == '-' && digits(s + 5, 2) && (s[7] == '\0' || s[7] == '-' || s[7] == ' ')) {
      m = atoi(s + 5);
      if (s[7] == '-' && digits(s + 8, 2) &&
          (s[10] == '\0' || s[10] == 'T' || s[10] == ' ' || s[10] == 't'))
        d = atoi(s + 8);
      else if (s[7] == '-')
        m = 0, y = 0;
    } else if (s[4] == '-')
      y = 0;
  }
  if (!y || m > 12 || d > 31 || (m && m < 1) || (d && d < 1) || (d && !m))
    return strdup(date);
  const struct months *t = NULL;
  for (size_t i = 0; lang && i < sizeof month_tables / sizeof month_tables[0] && !t; i++)
    if (lang_is(lang, month_tables[i].lang))
      t = &month_tables[i];
  emc_buf b = EMC_BUF_INIT;
  int rc;
  if (!m)
    rc = emc_buf_printf(&b, "%04d", y);
  else if (!t) /* ISO, the time left out */
    rc = d ? emc_buf_printf(&b, "%04d-%02d-%02d", y, m, d) : emc_buf_printf(&b, "%04d-%02d", y, m);
  else if (t->order == VI)
    rc = d ? emc_buf_printf(&b, "ngày %d tháng %d năm %d", d, m, y)
           : emc_buf_printf(&b, "tháng %d năm %d", m, y);
  else if (t->order == D_DE_M_DE_Y)
    rc = d ? emc_buf_printf(&b, "%d de %s de %d", d, t->name[m - 1], y)
           : emc_buf_printf(&b, "%s de %d", t->name[m - 1], y);
  else if (d)
    rc = emc_buf_printf(&b, t->order == DMY_DOT ? "%d. %s %d" : "%d %s %d", d, t->name[m - 1], y);
  else
    rc = emc_buf_printf(&b, "%s %d", t->name[m - 1], y);
  if (rc != EMC_OK) {
    emc_buf_release(&b);
    return NULL;
  }
  return emc_buf_steal(&b, NULL);
}

static const char *const language_names[][2] = {
  { "en", "English" }, { "id", "Bahasa Indonesia" }, { "hi", "हिन्दी" },
  { "vi", "Tiếng Việt" }, { "ms", "Bahasa Melayu" }, { "fr", "Français" },
  { "de", "Deutsch" }, { "es", "Español" }, { "pt", "Português" }, { "th", "ไทย" },
  { "zh", "中文" }, { "ja", "日本語" }, { "ko", "한국어" }, { "ar", "العربية" },
  { "bn", "বাংলা" }, { "ta", "தமிழ்" }, { "ur", "اردو" }, { "ru", "Русский" },
  { "nl", "Nederlands" }, { "it", "Italiano" }, { "km", "ខ្មែរ" }, { "lo", "ລາວ" },
  { "my", "မြန်မာ" }, { "tl", "Tagalog" }, { "fil", "Filipino" },
};

const char *fm_language_name(const char *lang)
{
  for (size_t i = 0; lang && i < sizeof language_names / sizeof language_names[0]; i++)
    if (lang_is(lang, language_names[i][0]))
      return language_names[i][1];
  return NULL;
}

const char *fm_label(const char *key, const char *lang)
{
  static const char *const labels[][5] = {
    /* key       en            id            hi         vi */
    { "source", "Source", "Sumber", "स्रोत", "Nguồn" },
    { "editor", "Edited by", "Penyunting", "संपादक", "Biên tập" },
    { "series", "Series", "Seri", "शृंखला", "Tùng thư" },
    { "number", "No.", "Nomor", "संख्या", "Số" },
  };
  static const char *const langs[] = { "en", "id", "hi", "vi" };
  size_t col = 0;
  for (size_t i = 0; lang && i < 4; i++)
    if (lang_is(lang, langs[i]))
      col = i;
  for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
    if (strcmp(labels[i][0], key) == 0)
      return labels[i][1 + col];
  return key;
}

const char *fm_kind_name(fm_kind k)
{
  static const char *const names[] = { "Title", "Subtitle", "Author", "Editor",
                                       "Date", "Publisher", "Number", "Source" };
  return names[k];
}

static int add_line(fm_list *l, fm_kind kind, char *text, const xmlNode *from)
{
  if (!text)
    return EMC_ENOMEM;
  fm_line *g = realloc(l->v, (l->n + 1) * sizeof *g);
  if (!g) {
    free(text);
    return EMC_ENOMEM;
  }
  l->v = g;
  xmlChar *lg = from ? xmlGetNsProp(from, BAD_CAST "lang", XML_XML_NAMESPACE) : NULL;
  l->v[l->n].kind = kind;
  l->v[l->n].text = text;
  l->v[l->n].lang = lg ? strdup((const char *)lg) : NULL;
  xmlFree(lg);
  l->n++;
  return EMC_OK;
}

/* The trimmed text of an element, or NULL when it has none. */
static char *value_of(const xmlNode *n)
{
  xmlChar *v = xmlNodeGetContent(n);
  const char *b = v ? (const char *)v : "";
  while (*b == ' ' || *b == '\t' || *b == '\n' || *b == '\r')
    b++;
  size_t len = strlen(b);
  while (len && strchr(" \t\r\n", b[len - 1]))
    len--;
  char *s = len ? strndup(b, len) : NULL;
  xmlFree(v);
  return s;
}

int fm_collect(const xmlNode *meta, const char *title, const char *lang, fm_list *out)
{
  static const struct { const char *el; fm_kind kind; } order[] = {
    { "subtitle", FM_SUBTITLE }, { "author", FM_AUTHOR }, { "editor", FM_EDITOR },
    { "date", FM_DATE },         { "publisher", FM_PUBLISHER },
    { "identifier", FM_NUMBER }, { "source", FM_SOURCE },
  };
  int rc = EMC_OK;
  out->v = NULL;
  out->n = 0;
  const xmlNode *title_el = NULL;
  for (const xmlNode *m = meta ? meta->children : NULL; m && !title_el; m = m->next)
    if (emc_ir_is(m, "title"))
      title_el = m;
  if (title && *title)
    rc = add_line(out, FM_TITLE, strdup(title), title_el);
  for (size_t i = 0; rc == EMC_OK && i < sizeof order / sizeof order[0]; i++)
    for (const xmlNode *m = meta ? meta->children : NULL; rc == EMC_OK && m; m = m->next) {
      if (!emc_ir_is(m, order[i].el))
        continue;
      char *v = value_of(m);
      if (!v)
        continue;
      char *text = v;
      if (order[i].kind == FM_DATE) {
        text = fm_date_human(v, lang);
        free(v);
      } else if (order[i].kind == FM_EDITOR) {
        emc_buf b = EMC_BUF_INIT;
        text = emc_buf_printf(&b, "%s: %s", fm_label("editor", lang), v) == EMC_OK
                   ? emc_buf_steal(&b, NULL) : NULL;
        emc_buf_release(&b);
        free(v);
      } else if (order[i].kind == FM_NUMBER) {
        /* an identifier shows when it is a number people cite: one with a
         * scheme (a made-up urn:uuid has none) */
        xmlChar *scheme = xmlGetProp(m, BAD_CAST "scheme");
        emc_buf b = EMC_BUF_INIT;
        text = NULL;
        if (scheme && strcasecmp((const char *)scheme, "docnum") == 0)
          text = emc_buf_printf(&b, "%s %s", fm_label("number", lang), v) == EMC_OK
                     ? emc_buf_steal(&b, NULL) : NULL;
        else if (scheme)
          text = emc_buf_printf(&b, "%s %s", (const char *)scheme, v) == EMC_OK
                     ? emc_buf_steal(&b, NULL) : NULL;
        emc_buf_release(&b);
        free(v);
        int had = scheme != NULL;
        xmlFree(scheme);
        if (!had)
          continue;
      }
      rc = add_line(out, order[i].kind, text, m);
    }
  if (rc)
    fm_list_release(out);
  return rc;
}

void fm_list_release(fm_list *l)
{
  for (size_t i = 0; i < l->n; i++) {
    free(l->v[i].text);
    free(l->v[i].lang);
  }
  free(l->v);
  l->v = NULL;
  l->n = 0;
}

void fm_warn_dropped(emc_ctx *ctx, const char *writer, const xmlNode *meta,
                     const char *const *carried)
{
  emc_buf names = EMC_BUF_INIT;
  for (const xmlNode *m = meta ? meta->children : NULL; m; m = m->next) {
    if (m->type != XML_ELEMENT_NODE || emc_ir_is(m, "field") || emc_ir_is(m, "cover"))
      continue;
    int known = 0;
    for (const char *const *c = carried; *c && !known; c++)
      known = xmlStrEqual(m->name, BAD_CAST *c);
    if (known)
      continue;
    char *v = value_of(m);
    free(v);
    if (!v)
      continue;
    /* each key once */
    char key[40];
    snprintf(key, sizeof key, "%s", (const char *)m->name);
    int dup = 0;
    for (const char *p = names.data ? names.data : ""; *p && !dup;) {
      size_t len = strcspn(p, ",");
      dup = len == strlen(key) && strncmp(p, key, len) == 0;
      p += len;
      while (*p == ',' || *p == ' ')
        p++;
    }
    if (!dup)
      emc_buf_printf(&names, "%s%s", names.len ? ", " : "", key);
  }
  if (names.len)
    emc_ctx_warn(ctx, "metadata-dropped", "%s: metadata not carried (no place for it in this "
                 "format): %s", writer, names.data);
  emc_buf_release(&names);
}
