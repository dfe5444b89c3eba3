/* SPDX-License-Identifier: MIT */
/* frontmatter.h - what the writers (tei, epub, odt) show of a document's
 * metadata at its start, the same in each: the visible front matter
 * (title, subtitle, authors, editors, date in the document's language,
 * publisher, document number, source), the names of languages for the
 * parallel writers' labels, and which metadata keys a writer carries.
 *
 * A convenience library linked into those modules, not part of the plugin
 * ABI.  Pure but for fm_enabled (which reads a context option);
 * thread-safe.  Strings returned (transfer full) are malloc'ed, to free(). */
#ifndef EMUCONV_FRONTMATTER_H
#define EMUCONV_FRONTMATTER_H

#include <stddef.h>
#include <emuconv/plugin.h>

/* Whether the front matter is wanted: the core option front-matter
 * (--no-front-matter sets it to "0"); on by default. */
int fm_enabled(const emc_ctx *ctx);

/* DATE (ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD, with or without a time) as
 * people of language LANG write it: "14 June 2019", "14 Juni 2019",
 * "14 जून 2019", "ngày 14 tháng 6 năm 2019" (en, id, hi, vi, and ms, fr,
 * de, es, pt); YYYY-MM-DD for another language; DATE itself when it is not
 * ISO.  Returns: (transfer full); NULL when out of memory. */
char *fm_date_human(const char *date, const char *lang);

/* The name of language LANG in itself ("English", "Bahasa Indonesia",
 * "हिन्दी", "Tiếng Việt"), by its primary subtag; NULL when unknown.
 * Returns: (transfer none). */
const char *fm_language_name(const char *lang);

/* A label in language LANG (English when it is not known): KEY is one of
 * "source", "editor", "series", "number". Returns: (transfer none). */
const char *fm_label(const char *key, const char *lang);

/* One line of front matter: what it shows and the text it shows. */
typedef enum fm_kind {
  FM_TITLE, FM_SUBTITLE, FM_AUTHOR, FM_EDITOR, FM_DATE, FM_PUBLISHER,
  FM_NUMBER, FM_SOURCE
} fm_kind;

typedef struct fm_line {
  fm_kind kind;
  char *text;  /* what to show (a date already human-readable; an editor
                  with the label; the source is the URL itself) */
  char *lang;  /* the metadata element's xml:lang, or NULL */
} fm_line;

typedef struct fm_list {
  fm_line *v;
  size_t n;
} fm_list;

/* The front matter of META (an IR <meta>) for a document in LANG, in the
 * order shown: title (TITLE, which the writer may have made up, or the
 * meta's), subtitle, authors, editors, date, publisher, document numbers
 * (identifiers with a scheme), source.  Returns EMC_OK or EMC_ENOMEM. */
int fm_collect(const xmlNode *meta, const char *title, const char *lang, fm_list *out);
void fm_list_release(fm_list *l);

/* The name of FM_* in the writers' style names: "Title", "Subtitle",
 * "Author", "Editor", "Date", "Publisher", "Number", "Source". */
const char *fm_kind_name(fm_kind k);

/* The <meta> children that a writer maps nowhere: CARRIED lists the IR
 * element names it writes somewhere (NULL-terminated); the others with a
 * value are warned about once, as "metadata-dropped", naming the keys. */
void fm_warn_dropped(emc_ctx *ctx, const char *writer, const xmlNode *meta,
                     const char *const *carried);

#endif /* EMUCONV_FRONTMATTER_H */
