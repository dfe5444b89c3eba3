/* SPDX-License-Identifier: MIT */
/* error.c - emc_error and string helpers. */
#include <config.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core-private.h"

char *emci_vasprintf(const char *fmt, va_list ap)
{
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (n < 0)
    return NULL;
  char *s = malloc((size_t)n + 1);
  if (s)
    vsnprintf(s, (size_t)n + 1, fmt, ap);
  return s;
}

char *emci_asprintf(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *s = emci_vasprintf(fmt, ap);
  va_end(ap);
  return s;
}

char *emci_strdup(const char *s)
{
  if (!s)
    return NULL;
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d)
    memcpy(d, s, n);
  return d;
}

void emc_error_init(emc_error *err)
{
  if (!err)
    return;
  err->code = EMC_OK;
  err->message = NULL;
  err->file = NULL;
  err->line = 0;
}

/* Keeps MSG to the one line emc_error promises: a message quoting another
 * library (libxml2's "Input is not proper UTF-8, indicate encoding !\n
 * Bytes: 0xFF ...") may hold line breaks or control characters, which would
 * split the CLI's `emuconv: FILE: problem` line (found by fuzz-ir).
 * Control characters become spaces; trailing white space goes. */
static void one_line(char *msg)
{
  if (!msg)
    return;
  size_t end = 0;
  for (size_t i = 0; msg[i]; i++) {
    if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f)
      msg[i] = ' ';
    if (msg[i] != ' ')
      end = i + 1;
  }
  msg[end] = '\0';
}

int emc_error_set(emc_error *err, int code, const char *fmt, ...)
{
  if (!err)
    return code;
  free(err->message);
  err->code = code;
  err->message = NULL;
  if (fmt) {
    va_list ap;
    va_start(ap, fmt);
    err->message = emci_vasprintf(fmt, ap);
    va_end(ap);
    one_line(err->message);
  }
  return code;
}

void emc_error_set_position(emc_error *err, const char *file, int line)
{
  if (!err)
    return;
  free(err->file);
  err->file = emci_strdup(file);
  err->line = line;
}

void emc_error_release(emc_error *err)
{
  if (!err)
    return;
  free(err->message);
  free(err->file);
  emc_error_init(err);
}

const char *emc_strerror(int code)
{
  switch (code) {
  case EMC_OK: return "success";
  case EMC_ENOMEM: return "out of memory";
  case EMC_EINVAL: return "invalid argument";
  case EMC_EIO: return "input/output error";
  case EMC_EPARSE: return "malformed input";
  case EMC_EFORMAT: return "unknown or unsupported format";
  case EMC_EABI: return "incompatible plugin ABI";
  case EMC_ELIMIT: return "limit exceeded";
  case EMC_ENOTSUP: return "not supported";
  case EMC_EENCODING: return "undecodable text encoding";
  default: return "error";
  }
}
