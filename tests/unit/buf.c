/* SPDX-License-Identifier: MIT */
/* The growable buffer (emuconv/buf.h) against a plain reference: the same
 * bytes after byte-wise, block and formatted appends; overflow refused. */
#include <config.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <emuconv/buf.h>
#include "../tap.h"

int main(void)
{
  emc_buf b = EMC_BUF_INIT;
  char ref[100000];
  size_t n = 0;
  int all_ok = 1;
  for (int i = 0; i < 30000; i++) {
    unsigned char c = (unsigned char)('a' + i % 26);
    all_ok &= emc_buf_append_byte(&b, c) == EMC_OK;
    ref[n++] = (char)c;
    if (i % 1000 == 0) {
      all_ok &= emc_buf_printf(&b, "[%d:%s]", i, "x") == EMC_OK;
      n += (size_t)sprintf(ref + n, "[%d:%s]", i, "x");
      all_ok &= emc_buf_append(&b, "blk", 3) == EMC_OK;
      memcpy(ref + n, "blk", 3);
      n += 3;
    }
  }
  ok(all_ok, "every append succeeded");
  ok(b.len == n && memcmp(b.data, ref, n) == 0, "same bytes as the plain copy (%zu)", n);
  ok(b.data[b.len] == '\0', "NUL-terminated");
  char big[1000];
  memset(big, 'q', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  size_t before = b.len;
  ok(emc_buf_printf(&b, "%s", big) == EMC_OK && b.len == before + 999 &&
      memcmp(b.data + before, big, 999) == 0, "a long printf is whole");
  ok(emc_buf_reserve(&b, SIZE_MAX) == EMC_ENOMEM && b.len == before + 999,
      "an overflowing reservation is refused and changes nothing");
  emc_buf_clear(&b);
  ok(b.len == 0 && b.data[0] == '\0', "clear keeps an empty string");
  emc_buf_append_str(&b, "tail");
  size_t len = 0;
  char *s = emc_buf_steal(&b, &len);
  ok(s && len == 4 && strcmp(s, "tail") == 0 && b.data == NULL && b.len == 0,
      "steal hands over the bytes and empties the buffer");
  free(s);
  s = emc_buf_steal(&b, NULL);
  ok(s && *s == '\0', "stealing an empty buffer gives \"\"");
  free(s);
  emc_buf_release(&b);
  emc_buf_release(&b);

  /* emc_array_grow against a plain array */
  struct pt { int x, y; } *v = NULL;
  size_t cap = 0, nv = 0;
  int grow_ok = 1;
  for (int i = 0; i < 1000; i++) {
    grow_ok &= emc_array_grow(&v, &cap, nv + 1, sizeof *v) == EMC_OK;
    v[nv++] = (struct pt){ i, -i };
  }
  int same = grow_ok && cap >= 1000;
  for (int i = 0; i < 1000 && same; i++)
    same = v[i].x == i && v[i].y == -i;
  ok(same, "emc_array_grow: 1000 elements kept (capacity %zu)", cap);
  struct pt *keep = v;
  size_t keep_cap = cap;
  ok(emc_array_grow(&v, &cap, SIZE_MAX / 4, sizeof *v) == EMC_ENOMEM && v == keep &&
     cap == keep_cap, "emc_array_grow: an overflowing size is refused, the array unchanged");
  free(v);
  plan(tap_count);
  return done_testing();
}
