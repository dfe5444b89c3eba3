/* SPDX-License-Identifier: MIT */
/* odtfonts.c - the font declarations of styles.xml (issue 30).
 *
 * ODF text properties name a font for each of three script classes:
 * western (style:font-name), Asian (-asian: Chinese, Japanese, Korean) and
 * complex (-complex: Devanagari, Arabic, Hebrew, Thai...).  Naming only a
 * western font leaves the other two to the office suite's default, which
 * on a machine whose default font lacks Devanagari shows boxes.  So the
 * default paragraph style and the Heading style name a font for every
 * class, as the EPUB's stylesheet does (epub-css.c): a font face whose
 * svg:font-family is a list, the faces that Linux (Noto, Lohit), Windows
 * (Mangal, Nirmala UI, SimSun, Malgun) and macOS (Kohinoor, PingFang)
 * ship, in order.  LibreOffice reads such a list as one font name with
 * ';'-separated alternatives and takes the first one installed; the
 * style:name is the first family of the list, which is what the user sees.
 *
 * The complex class gets the Devanagari stack (the seeds' complex
 * script), ending with DejaVu, which has Arabic and Hebrew. */
#include <config.h>
#include "odt.h"

#define FACE(name, families, generic, pitch)                                   \
  "<style:font-face style:name=\"" name "\" svg:font-family=\"" families "\"" \
  " style:font-family-generic=\"" generic "\" style:font-pitch=\"" pitch "\"/>"

static const char font_face_decls[] =
  "<office:font-face-decls>"
  FACE("Liberation Serif", "&apos;Liberation Serif&apos;", "roman", "variable")
  FACE("Liberation Sans", "&apos;Liberation Sans&apos;", "swiss", "variable")
  FACE("Liberation Mono", "&apos;Liberation Mono&apos;", "modern", "fixed")
  FACE(ODT_FONT_COMPLEX_SERIF,
       "&apos;Noto Serif Devanagari&apos;, &apos;Noto Sans Devanagari&apos;,"
       " &apos;Lohit Devanagari&apos;, Mangal, &apos;Nirmala UI&apos;,"
       " &apos;Kohinoor Devanagari&apos;, &apos;DejaVu Serif&apos;", "roman", "variable")
  FACE(ODT_FONT_COMPLEX_SANS,
       "&apos;Noto Sans Devanagari&apos;, &apos;Lohit Devanagari&apos;, Mangal,"
       " &apos;Nirmala UI&apos;, &apos;Kohinoor Devanagari&apos;, &apos;DejaVu Sans&apos;",
       "swiss", "variable")
  FACE(ODT_FONT_ASIAN_SERIF,
       "&apos;Noto Serif CJK SC&apos;, &apos;Noto Sans CJK SC&apos;,"
       " &apos;Source Han Serif SC&apos;, &apos;Droid Sans Fallback&apos;, SimSun,"
       " &apos;MS Mincho&apos;, Batang", "roman", "variable")
  FACE(ODT_FONT_ASIAN_SANS,
       "&apos;Noto Sans CJK SC&apos;, &apos;Source Han Sans SC&apos;,"
       " &apos;Droid Sans Fallback&apos;, &apos;PingFang SC&apos;,"
       " &apos;Microsoft YaHei&apos;, &apos;Malgun Gothic&apos;", "swiss", "variable")
  "</office:font-face-decls>";

void odt_font_face_decls(odt_buf *b)
{
  odt_put(b, font_face_decls, sizeof font_face_decls - 1);
}
