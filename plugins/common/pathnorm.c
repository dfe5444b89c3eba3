/* SPDX-License-Identifier: MIT */
/* pathnorm.c - see pathnorm.h. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "pathnorm.h"

char *pathnorm_remove_dots(const char *path)
{
  char *out = malloc(strlen(path) + 1); /* never longer than PATH */
  if (!out)
    return NULL;
  size_t o = 0;
  for (const char *seg = path; seg && *seg;) {
    const char *slash = strchr(seg, '/');
    size_t l = slash ? (size_t)(slash - seg) : strlen(seg);
    if (l == 0 || (l == 1 && seg[0] == '.')) {
      /* skip */
    } else if (l == 2 && seg[0] == '.' && seg[1] == '.') {
      if (o == 0) { /* climbs above the root */
        free(out);
        return NULL;
      }
      while (o > 0 && out[o - 1] != '/')
        o--;
      if (o > 0)
        o--; /* the slash */
    } else {
      if (o)
        out[o++] = '/';
      memcpy(out + o, seg, l);
      o += l;
    }
    seg = slash ? slash + 1 : NULL;
  }
  out[o] = '\0';
  if (!o) {
    free(out);
    return NULL;
  }
  return out;
}
