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
