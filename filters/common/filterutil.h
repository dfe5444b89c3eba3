/* SPDX-License-Identifier: MIT */
/* filterutil.h - helpers shared by the text-understanding filters (govtext,
 * references, language): UTF-8 decoding and character classes, walking
 * the IR's text blocks, block text without notes, and the --explain log.
 * A convenience library linked into each module, not part of the plugin
 * ABI; everything here is prefixed fu_. */
#ifndef EMUCONV_FILTERUTIL_H
#define EMUCONV_FILTERUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <emuconv/buf.h>
#include <emuconv/text.h>
#include <emuconv/plugin.h>

/* ---- the IR ---- */

/* emc_ir_is(N, NAME), with its cheap tests inline first: most nodes a
 * filter's walk meets are text, or elements of another name, and each
 * filter asks several names of each node (a call into the core each). */
static inline int fu_is(const xmlNode *n, const char *name)
{
  return n && n->type == XML_ELEMENT_NODE &&
         (!name || (n->name && n->name[0] == (xmlChar)name[0])) && emc_ir_is(n, name);
}

/* ---- UTF-8 (over emuconv/text.h: emc_utf8_count, emc_utf8_encode) ---- */

/* Decodes the character at S[*I] (S holds LEN bytes) and advances *I past
 * it.  An invalid or truncated sequence yields U+FFFD and advances one
 * byte, so every byte is visited once. */
uint32_t fu_utf8_next_multi(const char *s, size_t len, size_t *i);
/* Every filter decodes every character it looks at: ASCII stays inline. */
static inline uint32_t fu_utf8_next(const char *s, size_t len, size_t *i)
{
  unsigned char c = (unsigned char)s[*i];
  if (c < 0x80) {
    (*i)++;
    return c;
  }
  return fu_utf8_next_multi(s, len, i);
}

/* The offset of the first character at or after byte I of S (LEN bytes)
 * that is not white space (fu_is_space); LEN when there is none. */
size_t fu_skip_space(const char *s, size_t len, size_t i);

/* Decodes the character ending just before S[I] (I > 0): stores its start
 * in *START and returns it. */
uint32_t fu_utf8_prev(const char *s, size_t i, size_t *start);


/* ---- character classes (enough for Latin, Vietnamese, Devanagari) ---- */

/* ASCII white space, NBSP, U+2000..200A... */
int fu_is_space_nonascii(uint32_t c);
static inline int fu_is_space(uint32_t c)
{
  if (c < 0x80)
    return c == ' ' || (c >= 0x09 && c <= 0x0D);
  return fu_is_space_nonascii(c);
}
/* ASCII and Devanagari digits */
static inline int fu_is_digit(uint32_t c)
{
  return (c >= '0' && c <= '9') || (c >= 0x966 && c <= 0x96F);
}
int fu_digit_value(uint32_t c);
/* A letter or a combining mark (Devanagari vowel signs count as letters). */
int fu_is_letter_nonascii(uint32_t c);
static inline int fu_is_letter(uint32_t c)
{
  if (c < 0x80)
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return fu_is_letter_nonascii(c);
}
int fu_is_devanagari(uint32_t c); /* a Devanagari letter or sign */
int fu_is_upper(uint32_t c);
uint32_t fu_lower(uint32_t c);
/* Letters only Vietnamese uses among the Latin languages here. */
int fu_is_vietnamese(uint32_t c);

/* True when the character before byte offset I of S is not a letter or
 * digit (I == 0 counts). */
int fu_word_start(const char *s, size_t i);
/* True when the character at byte offset I of S (LEN bytes) is not a
 * letter or digit (I == LEN counts). */
int fu_word_end(const char *s, size_t len, size_t i);

/* Lower-cases LEN bytes of S (fu_lower per character) and folds every run
 * of white space to one ' ', trimming both ends.
 * Returns: (transfer full) free(); NULL when out of memory. */
char *fu_fold(const char *s, size_t len);

/* ---- the tree ---- */

/* p, heading, caption, term: elements holding running text. */
int fu_is_text_block(const xmlNode *n);

/* True when N has an ancestor (or is) an IR element called NAME, below
 * (not counting) STOP. */
int fu_within(const xmlNode *n, const char *name, const xmlNode *stop);

/* The running text of a text block, white space folded, without the text
 * of notes and of tracked deletions inside it.  Returns: (transfer full)
 * free(); NULL on ENOMEM. */
char *fu_block_text(const xmlNode *block);

/* Unlinks and frees the block N, then removes the containers it leaves
 * without the block they need (an item, a quote, a note, a definition, a
 * list without items), up to but not including STOP.  Returns the number
 * of elements removed besides N. */
int fu_remove_block(xmlNodePtr n, const xmlNode *stop);

/* ---- logging ---- */

/* The value of --explain: the filters print their decisions. */
int fu_explaining(const emc_ctx *ctx);

/* A short quote of a block for messages: at most MAX characters of S,
 * "…" when cut.  Returns: (transfer full) free(); NULL on ENOMEM. */
char *fu_excerpt(const char *s, size_t max);

/* Logs "explain: FILTER: MESSAGE" at WARN level (shown without -v), only
 * when --explain was given. */
void fu_explain(emc_ctx *ctx, const char *filter, const char *fmt, ...)
    EMC_PRINTF(3, 4);

/* The --explain option, an entry of every filter's option list (several
 * plugins may declare the same option: they share its value). */
#define FU_EXPLAIN_OPTION \
  { "explain", 0, NULL, "filters: log (as warnings) what each block was " \
                        "classified as and which rule decided" }

/* The option list of a filter whose only option is --explain. */
extern const emc_option_spec fu_explain_options[];

#endif
