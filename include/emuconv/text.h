/* SPDX-License-Identifier: MIT */
/* emuconv/text.h - text decoding for readers and filters: the one copy.
 *
 * What is here, and why in one place: every reader that takes text in
 * (plain text, HTML, anything with an encoding declaration) must tell
 * valid UTF-8 from the rest, read UTF-16 and Windows-1252, hand any other
 * encoding to iconv, and drop what XML cannot carry.  When each reader
 * kept its own copy, the copies disagreed (which controls and which
 * noncharacters were dropped); now they all call these.
 *
 *  - UTF-8, strict as XML needs it (RFC 3629: no overlong forms, no
 *    surrogates, nothing above U+10FFFF): emc_utf8_decode/encode/count,
 *    emc_utf8_invalid_at.
 *  - Windows-1252: ONE table, emc_cp1252_decode().  Latin-1 (ISO-8859-1)
 *    and US-ASCII labels mean Windows-1252, as the WHATWG Encoding
 *    Standard says: Latin-1 differs only in 0x80-0x9F, where it has C1
 *    controls no text means; the five bytes Windows-1252 leaves undefined
 *    (81 8D 8F 90 9D) map to the C1 control of the same value, as Latin-1
 *    has them (and are then dropped by the rule below).
 *  - Whole inputs in any encoding: emc_text_decode() (UTF-8, UTF-16 with
 *    or without a byte order mark, Windows-1252, else glibc's iconv).
 *  - The rule for what a reader keeps: emc_xml_char_ok().
 *
 * The rule (emc_xml_char_ok): XML 1.0's Char production
 *   #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
 * minus what XML 1.0 section 2.2 "discourages" and nothing in a document
 * means:
 *   - DEL and the C1 controls U+007F-U+009F: in real files they are bytes
 *     read in the wrong encoding, never intended characters; XML 1.1
 *     makes them restricted, and a TEI/EPUB/ODT consumer may reject them;
 *   - the 66 Unicode noncharacters (U+FDD0-U+FDEF and U+xFFFE/U+xFFFF of
 *     every plane): Unicode reserves them for a program's internal use,
 *     "not for interchange", so in a file they are damage, not text.
 * CR is allowed by the Char production; readers turn it into LF line
 * ends before they ask.  Readers drop a code point this rejects (and may
 * count and log the drops); form feed, which it rejects, readers may map
 * to a break first.
 *
 * Ownership: pure functions without context, except emc_text_decode(),
 * which appends to a caller-owned emc_buf and fills a caller-owned
 * emc_error.  Thread-safe.
 */
#ifndef EMUCONV_TEXT_H
#define EMUCONV_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <emuconv/buf.h>
#include <emuconv/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- UTF-8 ---- */

/* Decodes the UTF-8 sequence at S (N > 0 bytes available).  Returns its
 * length (1-4) and stores the code point in *CP, or returns 0 when the
 * bytes there are not a valid, complete sequence (*CP untouched). */
size_t emc_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Offset of the first byte of S (N bytes) that does not start a valid
 * sequence, or N when all of S is valid UTF-8.  Fast on ASCII. */
size_t emc_utf8_invalid_at(const unsigned char *s, size_t n);

/* Writes the UTF-8 form of CP (a Unicode scalar value: at most U+10FFFF,
 * not a surrogate) to OUT, which has room for 4 bytes; returns the bytes
 * written, or 0 (nothing written) when CP is not a scalar value. */
size_t emc_utf8_encode(uint32_t cp, char *out);

/* Characters (code points) in N bytes of valid UTF-8 S: the bytes that
 * are not continuation bytes.  (On invalid input: the lead bytes and
 * stray ASCII, a lower bound.) */
size_t emc_utf8_count(const char *s, size_t n);

/* ---- the XML rule ---- */

/* Whether a reader keeps code point CP: see "The rule" above. */
static inline int emc_xml_char_ok(uint32_t cp)
{
  if (cp < 0x7F)
    return cp >= 0x20 || cp == 0x9 || cp == 0xA || cp == 0xD;
  if (cp <= 0x9F)
    return 0; /* DEL, C1 controls */
  if (cp < 0xD800)
    return 1;
  if (cp < 0xE000)
    return 0; /* surrogates */
  if (cp >= 0xFDD0 && cp <= 0xFDEF)
    return 0; /* noncharacters */
  return (cp & 0xFFFE) != 0xFFFE && cp <= 0x10FFFF; /* U+xFFFE/F */
}

/* ---- Windows-1252 ---- */

/* The code point of byte B in Windows-1252 (see above for Latin-1 and
 * the five undefined bytes). */
uint32_t emc_cp1252_decode(unsigned char b);

/* ---- whole inputs ---- */

/* Encodings emc_text_encoding_lookup() resolves a label to. */
enum emc_text_encoding {
  EMC_TEXT_ENC_UNKNOWN = 0,
  EMC_TEXT_ENC_UTF8,
  EMC_TEXT_ENC_CP1252,  /* also ISO-8859-1, US-ASCII (WHATWG) */
  EMC_TEXT_ENC_UTF16LE, /* also "UTF-16" and "unicode", as WHATWG */
  EMC_TEXT_ENC_UTF16BE,
  EMC_TEXT_ENC_ICONV    /* any other name glibc's iconv knows */
};

#define EMC_TEXT_ENC_NAME_MAX 48

/* Resolves the encoding label LABEL (LEN bytes, case-insensitive, no
 * surrounding space or quotes) to an enum emc_text_encoding and stores a
 * display name ("UTF-8", "Windows-1252", "UTF-16LE"...; for
 * EMC_TEXT_ENC_ICONV the lower-cased label, which iconv_open() takes) in
 * NAME (EMC_TEXT_ENC_NAME_MAX bytes).  Returns EMC_TEXT_ENC_UNKNOWN (NAME
 * untouched) for a label nothing here or in iconv knows. */
int emc_text_encoding_lookup(const char *label, size_t len, char *name);

/* Flags emc_text_decode() reports in *FLAGS. */
#define EMC_TEXT_FELL_BACK_CP1252 0x1u /* not UTF-8: read as Windows-1252 */
#define EMC_TEXT_BOM_UTF8 0x2u         /* a UTF-8 BOM was skipped */
#define EMC_TEXT_BOM_UTF16LE 0x4u      /* a UTF-16LE BOM was skipped */
#define EMC_TEXT_BOM_UTF16BE 0x8u      /* a UTF-16BE BOM was skipped */

/* Decodes the N bytes at IN into UTF-8 appended to OUT.
 *
 * ENCODING NULL: a byte order mark decides (UTF-8, UTF-16LE/BE; skipped;
 * bytes invalid after a UTF-8 mark are an error); without one, UTF-8 when
 * the bytes are valid UTF-8, else Windows-1252, which every byte sequence
 * is (EMC_TEXT_FELL_BACK_CP1252 set).  ENCODING a label (see
 * emc_text_encoding_lookup): that encoding, a byte order mark of the same
 * encoding skipped; bytes invalid in it are an error.
 *
 * The result is valid UTF-8 but not cleaned: apply emc_xml_char_ok()
 * (and the reader's line-end rule).  *FLAGS (may be NULL) gets the
 * EMC_TEXT_* flags.  Returns EMC_OK; EMC_EINVAL for an unknown label;
 * EMC_EENCODING for bytes invalid in the encoding (the message says
 * where); EMC_ENOMEM.  On failure OUT may hold part of the text. */
int emc_text_decode(const unsigned char *in, size_t n, const char *encoding, emc_buf *out,
                    unsigned *flags, emc_error *err);

#ifdef __cplusplus
}
#endif

#endif /* EMUCONV_TEXT_H */
