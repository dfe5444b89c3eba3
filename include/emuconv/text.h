/* emuconv/text.h - UTF-8 decoding and encoding for readers.
 *
 * Every reader that takes text in (plain text, HTML, anything with an
 * encoding declaration) must tell valid UTF-8 from the rest and turn code
 * points back into bytes; these are the one copy of that logic, strict in
 * the way XML needs (RFC 3629: no overlong forms, no surrogates, nothing
 * above U+10FFFF).  Pure functions: no allocation, no context.
 */
#ifndef EMUCONV_TEXT_H
#define EMUCONV_TEXT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
}
#endif

#endif /* EMUCONV_TEXT_H */
