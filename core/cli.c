/* SPDX-License-Identifier: MIT */
/* cli.c - the program's shared pieces (see cli.h): the exit-status table,
 * the JSON writer, the quoting of names in messages. */
#include <config.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

int cli_exit_code(int rc)
{
  switch (rc) {
  case EMC_OK: return CLI_EXIT_OK;
  case EMC_EINVAL:
  case EMC_EFORMAT: return CLI_EXIT_USAGE;
  case EMC_EIO: return CLI_EXIT_IO;
  default: return CLI_EXIT_CONVERSION;
  }
}

char *cli_quote(const char *text)
{
  emc_buf b = EMC_BUF_INIT;
  int rc = emc_buf_reserve(&b, strlen(text));
  for (const unsigned char *u = (const unsigned char *)text; *u && rc == EMC_OK; u++) {
    unsigned c = *u;
    if (c == '\n')
      rc = emc_buf_append_str(&b, "\\n");
    else if (c == '\t')
      rc = emc_buf_append_str(&b, "\\t");
    else if (c == '\r')
      rc = emc_buf_append_str(&b, "\\r");
    else if (c < 0x20 || c == 0x7f)
      rc = emc_buf_printf(&b, "\\x%02x", c);
    else
      rc = emc_buf_append_byte(&b, (unsigned char)c);
  }
  if (rc != EMC_OK) {
    emc_buf_release(&b);
    return NULL;
  }
  return emc_buf_steal(&b, NULL);
}

void cli_vmessage(const char *prefix, const char *fmt, va_list ap)
{
  emc_buf line = EMC_BUF_INIT;
  char *quoted = NULL;
  if (emc_buf_vprintf(&line, fmt, ap) == EMC_OK)
    quoted = cli_quote(line.data ? line.data : "");
  if (quoted)
    fprintf(stderr, "%s%s\n", prefix, quoted);
  else {
    for (size_t i = 0; i < line.len; i++)
      if ((unsigned char)line.data[i] < 0x20 || line.data[i] == 0x7f)
        line.data[i] = '?';
    fprintf(stderr, "%s%s\n", prefix, line.data ? line.data : "out of memory");
  }
  free(quoted);
  emc_buf_release(&line);
}

void cli_message(const char *prefix, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  cli_vmessage(prefix, fmt, ap);
  va_end(ap);
}

static void json_keep(cli_json *j, int rc)
{
  if (j->rc == EMC_OK)
    j->rc = rc;
}

void cli_json_raw(cli_json *j, const char *text)
{
  if (j->rc == EMC_OK)
    json_keep(j, emc_buf_append_str(&j->buf, text));
}

void cli_json_printf(cli_json *j, const char *fmt, ...)
{
  if (j->rc != EMC_OK)
    return;
  va_list ap;
  va_start(ap, fmt);
  json_keep(j, emc_buf_vprintf(&j->buf, fmt, ap));
  va_end(ap);
}

/* The length of the well-formed UTF-8 sequence at U, or 0. */
static size_t utf8_length(const unsigned char *u)
{
  unsigned c = u[0];
  size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
  unsigned cp = n == 4 ? c & 7 : n == 3 ? c & 15 : c & 31;
  size_t k = 1;
  for (; n && k < n && (u[k] & 0xc0) == 0x80; k++)
    cp = cp << 6 | (u[k] & 0x3f);
  int ok = n && k == n && !(n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) &&
           !(n == 4 && (cp < 0x10000 || cp > 0x10ffff));
  return ok ? n : 0;
}

void cli_json_string(cli_json *j, const char *s)
{
  if (!s) {
    cli_json_raw(j, "null");
    return;
  }
  emc_buf *b = &j->buf;
  int rc = j->rc == EMC_OK ? emc_buf_append_byte(b, '"') : j->rc;
  for (const unsigned char *u = (const unsigned char *)s; *u && rc == EMC_OK;) {
    unsigned c = *u;
    if (c == '"' || c == '\\') {
      rc = emc_buf_printf(b, "\\%c", c);
      u++;
    } else if (c < 0x20 || c == 0x7f) {
      rc = emc_buf_printf(b, "\\u%04x", c);
      u++;
    } else if (c < 0x80) {
      rc = emc_buf_append_byte(b, (unsigned char)c);
      u++;
    } else {
      size_t n = utf8_length(u);
      rc = n ? emc_buf_append(b, u, n) : emc_buf_append_str(b, "\\ufffd");
      u += n ? n : 1;
    }
  }
  if (rc == EMC_OK)
    rc = emc_buf_append_byte(b, '"');
  json_keep(j, rc);
}

void cli_json_size(cli_json *j, long long v)
{
  if (v < 0)
    cli_json_raw(j, "null");
  else
    cli_json_printf(j, "%lld", v);
}

void cli_json_strings(cli_json *j, const char *const *list)
{
  cli_json_raw(j, "[");
  for (const char *const *e = list; e && *e; e++) {
    if (e != list)
      cli_json_raw(j, ",");
    cli_json_string(j, *e);
  }
  cli_json_raw(j, "]");
}

int cli_json_flush(cli_json *j, FILE *fp)
{
  int rc = j->rc;
  if (rc == EMC_OK && j->buf.len && fwrite(j->buf.data, 1, j->buf.len, fp) != j->buf.len)
    rc = EMC_EIO;
  if (rc == EMC_OK && fflush(fp) != 0)
    rc = EMC_EIO;
  cli_json_release(j);
  return rc;
}

void cli_json_release(cli_json *j)
{
  emc_buf_release(&j->buf);
  j->rc = EMC_OK;
}

void cli_warnings_add(cli_warnings *w, size_t file_index, const char *code, const char *message)
{
  if (w->n == w->cap) {
    size_t cap = w->cap ? w->cap * 2 : 16;
    cli_warning *v = realloc(w->v, cap * sizeof *v);
    if (!v) {
      fprintf(stderr, "emuconv: out of memory\n");
      exit(CLI_EXIT_CONVERSION);
    }
    w->v = v;
    w->cap = cap;
  }
  cli_warning *x = &w->v[w->n];
  x->file_index = file_index;
  x->code = strdup(code);
  x->message = strdup(message);
  if (!x->code || !x->message) {
    fprintf(stderr, "emuconv: out of memory\n");
    exit(CLI_EXIT_CONVERSION);
  }
  w->n++;
}

void cli_warnings_release(cli_warnings *w)
{
  for (size_t i = 0; i < w->n; i++) {
    free(w->v[i].code);
    free(w->v[i].message);
  }
  free(w->v);
  w->v = NULL;
  w->n = w->cap = 0;
}

static const char *const known_codes[] = { "derived-title", "image-omitted", "extraction-unsure",
                                            "encoding-fallback", "empty-input", NULL };

static int is_known(const char *code)
{
  for (size_t k = 0; known_codes[k]; k++)
    if (strcmp(known_codes[k], code) == 0)
      return 1;
  return 0;
}

static size_t code_count(const cli_warnings *w, const char *code)
{
  size_t n = 0;
  for (size_t i = 0; i < w->n; i++)
    n += strcmp(w->v[i].code, code) == 0;
  return n;
}

/* Appends CODE's count to B (text) or J (JSON), FIRST updated. */
static void summary_add(emc_buf *b, cli_json *j, int *first, const char *code, size_t n)
{
  if (j) {
    cli_json_raw(j, *first ? "" : ", ");
    cli_json_string(j, code);
    cli_json_printf(j, ": %zu", n);
  } else
    emc_buf_printf(b, "%s%zu %s", *first ? "" : ", ", n, code);
  *first = 0;
}

char *cli_warnings_summary(const cli_warnings *w, cli_json *json)
{
  emc_buf b = EMC_BUF_INIT;
  int first = 1;
  for (size_t k = 0; known_codes[k]; k++) {
    size_t n = code_count(w, known_codes[k]);
    if (n)
      summary_add(&b, json, &first, known_codes[k], n);
  }
  for (size_t i = 0; i < w->n; i++) {
    const char *code = w->v[i].code;
    int seen = is_known(code);
    for (size_t k = 0; k < i && !seen; k++)
      seen = strcmp(w->v[k].code, code) == 0;
    if (!seen)
      summary_add(&b, json, &first, code, code_count(w, code));
  }
  if (json) {
    emc_buf_release(&b);
    return NULL;
  }
  char *s = b.data ? emc_buf_steal(&b, NULL) : strdup("");
  if (!s) {
    fprintf(stderr, "emuconv: out of memory\n");
    exit(CLI_EXIT_CONVERSION);
  }
  return s;
}

void cli_warnings_log(const cli_warnings *w, size_t file_index, const char *name, cli_json *json)
{
  for (size_t i = 0; i < w->n; i++) {
    if (w->v[i].file_index != file_index)
      continue;
    cli_json_raw(json, "{\"file\":");
    cli_json_string(json, name);
    cli_json_raw(json, ",\"code\":");
    cli_json_string(json, w->v[i].code);
    cli_json_raw(json, ",\"message\":");
    cli_json_string(json, cli_strip_name(w->v[i].message, name));
    cli_json_raw(json, "}\n");
  }
}

const char *cli_strip_name(const char *message, const char *name)
{
  size_t n = strlen(name);
  if (n && strncmp(message, name, n) == 0 && message[n] == ':' && message[n + 1] == ' ')
    return message + n + 2;
  return message;
}

/* The byte offset of character K of S (UTF-8; continuation bytes are not
 * characters). */
static size_t char_offset(const char *s, size_t k)
{
  size_t i = 0;
  for (; s[i]; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80 && k-- == 0)
      return i;
  return i;
}

char *cli_short_name(const char *name)
{
  size_t chars = 0;
  for (const char *p = name; *p; p++)
    chars += ((unsigned char)*p & 0xC0) != 0x80;
  char *s;
  if (chars <= CLI_NAME_MAX)
    s = strdup(name);
  else {
    size_t head = (CLI_NAME_MAX - 1) / 2, tail = CLI_NAME_MAX - 1 - head;
    size_t head_end = char_offset(name, head), tail_start = char_offset(name, chars - tail);
    size_t n = head_end + strlen(name + tail_start) + sizeof "\u2026";
    s = malloc(n);
    if (s)
      snprintf(s, n, "%.*s\u2026%s", (int)head_end, name, name + tail_start);
  }
  if (!s) {
    fprintf(stderr, "emuconv: out of memory\n");
    exit(CLI_EXIT_CONVERSION);
  }
  return s;
}
