/* SPDX-License-Identifier: MIT */
/* text.c - emuconv/text.h against plain references: the Windows-1252
 * table against glibc's iconv for all 256 bytes, emc_xml_char_ok against
 * the rule written out, emc_text_decode on each encoding and error. */
#include <config.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <emuconv/emuconv.h>
#include <emuconv/text.h>
#include "../tap.h"

/* Byte B converted by iconv from FROM to UTF-8 into OUT; its length, or 0
 * when iconv cannot convert it. */
static size_t iconv_byte(const char *from, unsigned char b, char *out, size_t cap)
{
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == (iconv_t)-1)
    return 0;
  char in[1] = { (char)b };
  char *ip = in, *op = out;
  size_t il = 1, ol = cap;
  size_t r = iconv(cd, &ip, &il, &op, &ol);
  iconv_close(cd);
  return r == (size_t)-1 ? 0 : cap - ol;
}

/* The rule of text.h, written out plainly. */
static int plain_rule(uint32_t c)
{
  int xml10 = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
              (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
  int c1 = c >= 0x7F && c <= 0x9F;
  int nonchar = (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFF) == 0xFFFE || (c & 0xFFFF) == 0xFFFF;
  return xml10 && !c1 && !nonchar;
}

/* Decodes IN (N bytes) as ENC; the UTF-8 result (to free) or NULL. */
static char *dec(const char *in, size_t n, const char *enc, unsigned *flags, int *rc)
{
  emc_buf out = EMC_BUF_INIT;
  emc_error err = EMC_ERROR_INIT;
  *rc = emc_text_decode((const unsigned char *)in, n, enc, &out, flags, &err);
  if (*rc)
    printf("# %s\n", err.message ? err.message : "?");
  emc_error_release(&err);
  if (*rc) {
    emc_buf_release(&out);
    return NULL;
  }
  return emc_buf_steal(&out, NULL);
}

#define DEC(lit, enc) dec(lit, sizeof lit - 1, enc, &flags, &rc)

int main(void)
{
  plan(27);

  /* 1-2: the one Windows-1252 table, every byte, against iconv */
  int same = 1, undefined = 0;
  for (int b = 0; b < 256; b++) {
    char want[8], got[8];
    size_t wn = iconv_byte("CP1252", (unsigned char)b, want, sizeof want);
    if (!wn) { /* undefined in Windows-1252: Latin-1's C1 control */
      undefined++;
      wn = iconv_byte("ISO-8859-1", (unsigned char)b, want, sizeof want);
    }
    size_t gn = emc_utf8_encode(emc_cp1252_decode((unsigned char)b), got);
    if (gn != wn || memcmp(got, want, gn) != 0) {
      printf("# byte 0x%02X: 0x%04X, iconv says otherwise\n", b,
             (unsigned)emc_cp1252_decode((unsigned char)b));
      same = 0;
    }
  }
  ok(same, "emc_cp1252_decode agrees with iconv CP1252 (Latin-1 where undefined) on all 256 bytes");
  is_int(undefined, 5, "iconv leaves 5 bytes of Windows-1252 undefined");

  /* 3-4: the XML rule */
  uint32_t bad_at = 0;
  int agree = 1;
  for (uint32_t c = 0; c <= 0x110100 && agree; c++)
    if (emc_xml_char_ok(c) != plain_rule(c)) {
      agree = 0;
      bad_at = c;
    }
  ok(agree, "emc_xml_char_ok is the rule of text.h (first difference at U+%04X)", (unsigned)bad_at);
  ok(emc_xml_char_ok(0x9) && emc_xml_char_ok(0xA0) && !emc_xml_char_ok(0x85) &&
     !emc_xml_char_ok(0xFDD0) && !emc_xml_char_ok(0x10FFFF) && emc_xml_char_ok(0x10FFFD),
     "emc_xml_char_ok: tab, NBSP kept; NEL, U+FDD0, U+10FFFF dropped");

  /* 5-6: counting */
  is_int(emc_utf8_count("a\xC3\xA9\xE0\xA4\x95\xF0\x9F\x98\x80", 10), 4, "emc_utf8_count: 4 characters");
  is_int(emc_utf8_count("", 0), 0, "emc_utf8_count: empty");

  /* 7-: whole inputs */
  unsigned flags;
  int rc;
  char *s = DEC("caf\xC3\xA9", NULL);
  is_str(s, "caf\xC3\xA9", "UTF-8 as it is");
  is_int(flags, 0, "no flags");
  free(s);
  s = DEC("caf\xE9 \x93q\x94", NULL);
  is_str(s, "caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D", "not UTF-8: Windows-1252");
  is_int(flags, EMC_TEXT_FELL_BACK_CP1252, "the fallback is flagged");
  free(s);
  s = DEC("\xEF\xBB\xBFx", NULL);
  is_str(s, "x", "UTF-8 byte order mark skipped");
  is_int(flags, EMC_TEXT_BOM_UTF8, "and flagged");
  free(s);
  s = DEC("\xEF\xBB\xBF\xE9", NULL);
  ok(!s && rc == EMC_EENCODING, "invalid UTF-8 after a UTF-8 byte order mark: an error");
  s = DEC("\xFF\xFEh\0\xE9\0=\xD8\0\xDE", NULL);
  is_str(s, "h\xC3\xA9\xF0\x9F\x98\x80", "UTF-16LE with BOM, a surrogate pair");
  is_int(flags, EMC_TEXT_BOM_UTF16LE, "UTF-16LE BOM flagged");
  free(s);
  s = DEC("\xFE\xFF\0h\0\xE9", NULL);
  is_str(s, "h\xC3\xA9", "UTF-16BE with BOM");
  free(s);
  s = DEC("\xFF\xFEh\0\0\xD8", NULL);
  ok(!s && rc == EMC_EENCODING, "UTF-16: an unpaired surrogate is an error");
  s = DEC("\xFF\xFEh", NULL);
  ok(!s && rc == EMC_EENCODING, "UTF-16: an odd number of bytes is an error");
  s = DEC("h\0i\0", "utf-16le");
  is_str(s, "hi", "UTF-16LE by name, no BOM");
  free(s);
  s = DEC("\xAF\xF3\xB3\xE6", "iso-8859-2");
  is_str(s, "\xC5\xBB\xC3\xB3\xC5\x82\xC4\x87", "ISO-8859-2 through iconv");
  free(s);
  s = DEC("\xE9", "latin1");
  is_str(s, "\xC3\xA9", "latin1 is the Windows-1252 table");
  free(s);
  s = DEC("\x80", "ISO-8859-1");
  is_str(s, "\xE2\x82\xAC", "ISO-8859-1 0x80 is the euro sign, as WHATWG says");
  free(s);
  s = DEC("x", "no-such-encoding");
  ok(!s && rc == EMC_EINVAL, "an unknown encoding: EMC_EINVAL");
  s = DEC("\xE9", "utf-8");
  ok(!s && rc == EMC_EENCODING, "UTF-8 by name: invalid bytes are an error, no fallback");
  s = DEC("\xFF\xFEx\0", "windows-1252");
  is_str(s, "\xC3\xBF\xC3\xBEx", "a BOM of another encoding is text");
  free(s);
  char name[EMC_TEXT_ENC_NAME_MAX];
  ok(emc_text_encoding_lookup("KOI8-R", 6, name) == EMC_TEXT_ENC_ICONV &&
     strcmp(name, "koi8-r") == 0, "lookup: KOI8-R through iconv, lower-cased");
  ok(emc_text_encoding_lookup("US-ASCII", 8, name) == EMC_TEXT_ENC_CP1252 &&
     strcmp(name, "Windows-1252") == 0, "lookup: US-ASCII means Windows-1252");
  return done_testing();
}
