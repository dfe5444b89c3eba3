/* SPDX-License-Identifier: MIT */
/* odtstyles.c - languages, and styles.xml of the odt writer: the named
 * styles a LibreOffice user expects (Heading 1-6 with outline levels, Text
 * body, Title, Quotations, list styles, footnote styles...), so that the
 * Navigator shows the headings and the document can be restyled. */
#include <config.h>
#include <ctype.h>
#include <string.h>
#include "odt.h"

/* ---- languages ---- */

static const char *const asian_languages[] = {
  "zh", "ja", "ko", "yue", "cmn", "lzh", "wuu", "hak", "nan", NULL
};

/* Languages normally written in a complex (CTL) script: Arabic, Hebrew,
 * Syriac, Thaana, the Indic scripts, Thai, Lao, Khmer, Myanmar, Tibetan. */
static const char *const complex_languages[] = {
  "ar", "fa", "ur", "ps", "sd", "ug", "ckb", "ks", "he", "iw", "yi", "ji",
  "syr", "dv", "hi", "mr", "ne", "sa", "mai", "bho", "new", "kok", "doi",
  "brx", "awa", "mag", "bn", "as", "mni", "pa", "gu", "or", "ta", "te", "kn",
  "ml", "si", "th", "lo", "km", "my", "bo", "dz", NULL
};

static const char *const asian_scripts[] = {
  "Hani", "Hans", "Hant", "Jpan", "Kore", "Hira", "Kana", "Hang", "Bopo", NULL
};
static const char *const complex_scripts[] = {
  "Arab", "Hebr", "Syrc", "Thaa", "Deva", "Beng", "Guru", "Gujr", "Orya",
  "Taml", "Telu", "Knda", "Mlym", "Sinh", "Thai", "Laoo", "Khmr", "Mymr",
  "Tibt", "Nkoo", NULL
};

static int in_list(const char *const *list, const char *s)
{
  for (; *list; list++)
    if (!strcmp(*list, s))
      return 1;
  return 0;
}

static int all(const char *s, size_t n, int (*pred)(int))
{
  for (size_t i = 0; i < n; i++)
    if (!pred((unsigned char)s[i]))
      return 0;
  return 1;
}

int odt_lang_parse(const char *tag, odt_lang *out)
{
  odt_lang l;
  memset(&l, 0, sizeof l);
  if (!tag)
    return 0;
  const char *p = tag;
  int index = 0;
  while (*p) {
    size_t n = strcspn(p, "-_");
    if (index == 0) {
      if (n < 2 || n > 8 || !all(p, n, isalpha))
        return 0; /* empty, "x-..." private use, "i-..." grandfathered */
      for (size_t i = 0; i < n; i++)
        l.language[i] = (char)tolower((unsigned char)p[i]);
    } else if (n == 4 && all(p, n, isalpha) && !l.script[0] && !l.country[0]) {
      l.script[0] = (char)toupper((unsigned char)p[0]);
      for (size_t i = 1; i < 4; i++)
        l.script[i] = (char)tolower((unsigned char)p[i]);
    } else if (((n == 2 && all(p, n, isalpha)) || (n == 3 && all(p, n, isdigit))) &&
               !l.country[0]) {
      for (size_t i = 0; i < n; i++)
        l.country[i] = (char)toupper((unsigned char)p[i]);
    } else if (!(index == 1 && n == 3 && all(p, n, isalpha)))
      break; /* variants, extensions: ODF's attributes cannot say them */
    index++;
    p += n;
    if (*p)
      p++;
  }
  if (l.script[0])
    l.kind = in_list(asian_scripts, l.script) ? ODT_ASIAN
           : in_list(complex_scripts, l.script) ? ODT_COMPLEX : ODT_WESTERN;
  else
    l.kind = in_list(asian_languages, l.language) ? ODT_ASIAN
           : in_list(complex_languages, l.language) ? ODT_COMPLEX : ODT_WESTERN;
  *out = l;
  return 1;
}

void odt_lang_attrs(odt_buf *b, const odt_lang *l)
{
  static const char *const names[3][3] = {
    { "fo:language", "fo:script", "fo:country" },
    { "style:language-asian", "style:script-asian", "style:country-asian" },
    { "style:language-complex", "style:script-complex", "style:country-complex" },
  };
  if (!l || !l->language[0])
    return;
  const char *const *n = names[l->kind];
  odt_attr(b, n[0], l->language);
  if (l->script[0])
    odt_attr(b, n[1], l->script);
  if (l->country[0])
    odt_attr(b, n[2], l->country);
}

/* ---- list styles ---- */

static const struct {
  const char *name, *display;
  const char *bullet; /* NULL: numbered */
  const char *format;
} list_styles[ODT_LIST_N] = {
  [ODT_LIST_DISC] = { "List_20_1", "List 1", "\xe2\x80\xa2", NULL },      /* • */
  [ODT_LIST_DASH] = { "List_20_2", "List 2", "\xe2\x80\x93", NULL },      /* – */
  [ODT_LIST_CIRCLE] = { "List_20_Circle", "List Circle", "\xe2\x97\xa6", NULL }, /* ◦ */
  [ODT_LIST_SQUARE] = { "List_20_Square", "List Square", "\xe2\x96\xaa", NULL }, /* ▪ */
  [ODT_LIST_DECIMAL] = { "Numbering_20_123", "Numbering 123", NULL, "1" },
  [ODT_LIST_LALPHA] = { "Numbering_20_abc", "Numbering abc", NULL, "a" },
  [ODT_LIST_UALPHA] = { "Numbering_20_ABC", "Numbering ABC", NULL, "A" },
  [ODT_LIST_LROMAN] = { "Numbering_20_ivx", "Numbering ivx", NULL, "i" },
  [ODT_LIST_UROMAN] = { "Numbering_20_IVX", "Numbering IVX", NULL, "I" },
  [ODT_LIST_LABEL] = { "Numbering_20_Label", "Numbering Label", NULL, "" },
};

const char *odt_list_style_name(int s)
{
  return list_styles[s].name;
}

static void list_style(odt_buf *b, int s)
{
  odt_printf(b, "<text:list-style style:name=\"%s\" style:display-name=\"%s\">",
             list_styles[s].name, list_styles[s].display);
  for (int level = 1; level <= 10; level++) {
    if (list_styles[s].bullet)
      odt_printf(b, "<text:list-level-style-bullet text:level=\"%d\""
                    " text:bullet-char=\"%s\">", level, list_styles[s].bullet);
    else if (!*list_styles[s].format) /* the items write their labels */
      odt_printf(b, "<text:list-level-style-number text:level=\"%d\""
                    " style:num-format=\"\">", level);
    else
      odt_printf(b, "<text:list-level-style-number text:level=\"%d\""
                    " style:num-suffix=\".\" style:num-format=\"%s\">",
                 level, list_styles[s].format);
    /* 0.635 cm (1/4 in) per level, the label hanging in the indent;
     * lengths in 1/1000 cm, printed without the C library's locale */
    int hang = list_styles[s].bullet ? 635 : 953;
    int indent = 635 * level + (list_styles[s].bullet ? 0 : 318);
    odt_printf(b, "<style:list-level-properties"
                  " text:list-level-position-and-space-mode=\"label-alignment\">"
                  "<style:list-level-label-alignment text:label-followed-by=\"listtab\""
                  " text:list-tab-stop-position=\"%d.%03dcm\" fo:text-indent=\"-%d.%03dcm\""
                  " fo:margin-left=\"%d.%03dcm\"/></style:list-level-properties>",
               indent / 1000, indent % 1000, hang / 1000, hang % 1000,
               indent / 1000, indent % 1000);
    odt_puts(b, list_styles[s].bullet ? "</text:list-level-style-bullet>"
                                      : "</text:list-level-style-number>");
  }
  odt_puts(b, "</text:list-style>");
}

/* ---- styles.xml ---- */

/* Font properties for all three script classes at once. */
#define FONT3(attr, v) attr "=\"" v "\" " attr "-asian=\"" v "\" " attr "-complex=\"" v "\""
#define SIZE3(v) "fo:font-size=\"" v "\" style:font-size-asian=\"" v "\" style:font-size-complex=\"" v "\""
#define BOLD3 "fo:font-weight=\"bold\" style:font-weight-asian=\"bold\" style:font-weight-complex=\"bold\""
#define ITALIC3 "fo:font-style=\"italic\" style:font-style-asian=\"italic\" style:font-style-complex=\"italic\""

static const char styles_head[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<office:document-styles"
  ODT_XMLNS_COMMON
  " xmlns:svg=\"" ODT_NS_SVG "\""
  " office:version=\"" ODT_VERSION "\">";
/* ...the font declarations (odtfonts.c) go here... */
static const char styles_defaults[] =
  "<office:styles>"
  "<style:default-style style:family=\"graphic\">"
  "<style:graphic-properties style:flow-with-text=\"false\"/>"
  "</style:default-style>"
  "<style:default-style style:family=\"paragraph\">"
  "<style:paragraph-properties fo:hyphenation-ladder-count=\"no-limit\""
  " style:text-autospace=\"ideograph-alpha\" style:punctuation-wrap=\"hanging\""
  " style:line-break=\"strict\" style:tab-stop-distance=\"1.251cm\" style:writing-mode=\"page\"/>"
  "<style:text-properties style:font-name=\"Liberation Serif\""
  " style:font-name-asian=\"" ODT_FONT_ASIAN_SERIF "\""
  " style:font-name-complex=\"" ODT_FONT_COMPLEX_SERIF "\" " SIZE3("12pt")
  " fo:hyphenation-remain-char-count=\"2\" fo:hyphenation-push-char-count=\"2\"";
/* ...the document's language attributes go here... */
static const char styles_named[] =
  "/>"
  "</style:default-style>"
  "<style:default-style style:family=\"table\">"
  "<style:table-properties table:border-model=\"collapsing\"/>"
  "</style:default-style>"
  "<style:default-style style:family=\"table-row\">"
  "<style:table-row-properties fo:keep-together=\"auto\"/>"
  "</style:default-style>"

  /* paragraph styles */
  "<style:style style:name=\"Standard\" style:family=\"paragraph\" style:class=\"text\"/>"
  "<style:style style:name=\"Heading\" style:family=\"paragraph\" style:parent-style-name=\"Standard\""
  " style:next-style-name=\"Text_20_body\" style:class=\"text\">"
  "<style:paragraph-properties fo:margin-top=\"0.423cm\" fo:margin-bottom=\"0.212cm\""
  " style:contextual-spacing=\"false\" fo:keep-with-next=\"always\"/>"
  "<style:text-properties style:font-name=\"Liberation Sans\""
  " style:font-name-asian=\"" ODT_FONT_ASIAN_SANS "\""
  " style:font-name-complex=\"" ODT_FONT_COMPLEX_SANS "\" " SIZE3("14pt") "/>"
  "</style:style>"
  "<style:style style:name=\"Text_20_body\" style:display-name=\"Text body\" style:family=\"paragraph\""
  " style:parent-style-name=\"Standard\" style:class=\"text\">"
  "<style:paragraph-properties fo:margin-top=\"0cm\" fo:margin-bottom=\"0.247cm\""
  " style:contextual-spacing=\"false\" fo:line-height=\"115%\"/>"
  "</style:style>"
  "<style:style style:name=\"Title\" style:family=\"paragraph\" style:parent-style-name=\"Heading\""
  " style:next-style-name=\"Subtitle\" style:class=\"chapter\">"
  "<style:paragraph-properties fo:text-align=\"center\"/>"
  "<style:text-properties " SIZE3("28pt") " " BOLD3 "/>"
  "</style:style>"
  "<style:style style:name=\"Subtitle\" style:family=\"paragraph\" style:parent-style-name=\"Heading\""
  " style:next-style-name=\"Text_20_body\" style:class=\"chapter\">"
  "<style:paragraph-properties fo:margin-top=\"0.106cm\" fo:margin-bottom=\"0.212cm\""
  " style:contextual-spacing=\"false\" fo:text-align=\"center\"/>"
  "<style:text-properties " SIZE3("18pt") "/>"
  "</style:style>"
  /* the front matter under the title (odt.c title()): named so that a
   * user restyles them all at once */
#define FRONT(name, display, size, extra)                                               \
  "<style:style style:name=\"" name "\"" display " style:family=\"paragraph\""         \
  " style:parent-style-name=\"Standard\" style:next-style-name=\"Text_20_body\""      \
  " style:class=\"chapter\">"                                                          \
  "<style:paragraph-properties fo:margin-top=\"0cm\" fo:margin-bottom=\"0.212cm\""    \
  " style:contextual-spacing=\"false\" fo:text-align=\"center\"/>"                    \
  "<style:text-properties " SIZE3(size) extra "/>"                                     \
  "</style:style>"
  FRONT("Author", "", "14pt", "")
  FRONT("Editor", "", "12pt", "")
  FRONT("Date", "", "12pt", "")
  FRONT("Publisher", "", "12pt", "")
  FRONT("Number", " style:display-name=\"Document number\"", "12pt", "")
  FRONT("Source", "", "10pt", "")
  FRONT("Version_20_language", " style:display-name=\"Version language\"", "10pt", "")
#define HEADING(n, size, extra)                                                         \
  "<style:style style:name=\"Heading_20_" #n "\" style:display-name=\"Heading " #n "\"" \
  " style:family=\"paragraph\" style:parent-style-name=\"Heading\""                      \
  " style:next-style-name=\"Text_20_body\" style:default-outline-level=\"" #n "\""        \
  " style:class=\"text\">"                                                               \
  "<style:text-properties " SIZE3(size) " " BOLD3 extra "/>"                             \
  "</style:style>"
  HEADING(1, "130%", "")
  HEADING(2, "115%", "")
  HEADING(3, "101%", "")
  HEADING(4, "95%", " " ITALIC3)
  HEADING(5, "85%", "")
  HEADING(6, "85%", " " ITALIC3)
#undef HEADING
  "<style:style style:name=\"Quotations\" style:family=\"paragraph\" style:parent-style-name=\"Standard\""
  " style:class=\"html\">"
  "<style:paragraph-properties fo:margin-left=\"1cm\" fo:margin-right=\"1cm\" fo:margin-top=\"0cm\""
  " fo:margin-bottom=\"0.499cm\" style:contextual-spacing=\"false\" fo:text-indent=\"0cm\""
  " style:auto-text-indent=\"false\"/>"
  "</style:style>"
  "<style:style style:name=\"Preformatted_20_Text\" style:display-name=\"Preformatted Text\""
  " style:family=\"paragraph\" style:parent-style-name=\"Standard\" style:class=\"html\">"
  "<style:paragraph-properties fo:margin-top=\"0cm\" fo:margin-bottom=\"0.247cm\""
  " style:contextual-spacing=\"false\"/>"
  "<style:text-properties " FONT3("style:font-name", "Liberation Mono") " " SIZE3("10pt") "/>"
  "</style:style>"
  "<style:style style:name=\"List\" style:family=\"paragraph\" style:parent-style-name=\"Text_20_body\""
  " style:class=\"list\">"
  "<style:paragraph-properties fo:margin-top=\"0cm\" fo:margin-bottom=\"0.1cm\""
  " style:contextual-spacing=\"false\"/>"
  "</style:style>"
  "<style:style style:name=\"List_20_Heading\" style:display-name=\"List Heading\""
  " style:family=\"paragraph\" style:parent-style-name=\"Standard\""
  " style:next-style-name=\"List_20_Contents\" style:class=\"html\">"
  "<style:paragraph-properties fo:margin-left=\"0cm\" fo:margin-right=\"0cm\" fo:text-indent=\"0cm\""
  " style:auto-text-indent=\"false\" fo:keep-with-next=\"always\"/>"
  "<style:text-properties " BOLD3 "/>"
  "</style:style>"
  "<style:style style:name=\"List_20_Contents\" style:display-name=\"List Contents\""
  " style:family=\"paragraph\" style:parent-style-name=\"Standard\" style:class=\"html\">"
  "<style:paragraph-properties fo:margin-left=\"1cm\" fo:margin-right=\"0cm\" fo:margin-bottom=\"0.247cm\""
  " style:contextual-spacing=\"false\" fo:text-indent=\"0cm\" style:auto-text-indent=\"false\"/>"
  "</style:style>"
  "<style:style style:name=\"Footnote\" style:family=\"paragraph\" style:parent-style-name=\"Standard\""
  " style:class=\"extra\">"
  "<style:paragraph-properties fo:margin-left=\"0.598cm\" fo:margin-right=\"0cm\""
  " fo:text-indent=\"-0.598cm\" style:auto-text-indent=\"false\"/>"
  "<style:text-properties " SIZE3("10pt") "/>"
  "</style:style>"
  "<style:style style:name=\"Endnote\" style:family=\"paragraph\" style:parent-style-name=\"Standard\""
  " style:class=\"extra\">"
  "<style:paragraph-properties fo:margin-left=\"0.598cm\" fo:margin-right=\"0cm\""
  " fo:text-indent=\"-0.598cm\" style:auto-text-indent=\"false\"/>"
  "<style:text-properties " SIZE3("10pt") "/>"
  "</style:style>"
  "<style:style style:name=\"Table_20_Contents\" style:display-name=\"Table Contents\""
  " style:family=\"paragraph\" style:parent-style-name=\"Standard\" style:class=\"extra\"/>"
  "<style:style style:name=\"Table_20_Heading\" style:display-name=\"Table Heading\""
  " style:family=\"paragraph\" style:parent-style-name=\"Table_20_Contents\" style:class=\"extra\">"
  "<style:paragraph-properties fo:text-align=\"center\"/>"
  "<style:text-properties " BOLD3 "/>"
  "</style:style>"
  "<style:style style:name=\"Caption\" style:family=\"paragraph\" style:parent-style-name=\"Standard\""
  " style:class=\"extra\">"
  "<style:paragraph-properties fo:margin-top=\"0.212cm\" fo:margin-bottom=\"0.212cm\""
  " style:contextual-spacing=\"false\"/>"
  "<style:text-properties " ITALIC3 "/>"
  "</style:style>"
  "<style:style style:name=\"Image_20_Paragraph\" style:display-name=\"Image Paragraph\""
  " style:family=\"paragraph\" style:parent-style-name=\"Standard\" style:next-style-name=\"Caption\""
  " style:class=\"extra\">"
  "<style:paragraph-properties fo:margin-top=\"0.212cm\" fo:margin-bottom=\"0cm\""
  " style:contextual-spacing=\"false\" fo:text-align=\"center\" fo:keep-with-next=\"always\"/>"
  "</style:style>"
  "<style:style style:name=\"Horizontal_20_Line\" style:display-name=\"Horizontal Line\""
  " style:family=\"paragraph\" style:parent-style-name=\"Standard\""
  " style:next-style-name=\"Text_20_body\" style:class=\"html\">"
  "<style:paragraph-properties fo:margin-top=\"0cm\" fo:margin-bottom=\"0.499cm\""
  " style:contextual-spacing=\"false\" fo:padding=\"0cm\" fo:border-left=\"none\""
  " fo:border-right=\"none\" fo:border-top=\"none\" fo:border-bottom=\"0.5pt solid #808080\"/>"
  "<style:text-properties " SIZE3("6pt") "/>"
  "</style:style>"

  /* text styles */
  "<style:style style:name=\"Emphasis\" style:family=\"text\">"
  "<style:text-properties " ITALIC3 "/>"
  "</style:style>"
  "<style:style style:name=\"Strong_20_Emphasis\" style:display-name=\"Strong Emphasis\""
  " style:family=\"text\">"
  "<style:text-properties " BOLD3 "/>"
  "</style:style>"
  "<style:style style:name=\"Source_20_Text\" style:display-name=\"Source Text\" style:family=\"text\">"
  "<style:text-properties " FONT3("style:font-name", "Liberation Mono") "/>"
  "</style:style>"
  "<style:style style:name=\"Internet_20_link\" style:display-name=\"Internet link\""
  " style:family=\"text\">"
  "<style:text-properties fo:color=\"#000080\" style:text-underline-style=\"solid\""
  " style:text-underline-width=\"auto\" style:text-underline-color=\"font-color\"/>"
  "</style:style>"
  "<style:style style:name=\"Visited_20_Internet_20_Link\" style:display-name=\"Visited Internet Link\""
  " style:family=\"text\">"
  "<style:text-properties fo:color=\"#800000\" style:text-underline-style=\"solid\""
  " style:text-underline-width=\"auto\" style:text-underline-color=\"font-color\"/>"
  "</style:style>"
  "<style:style style:name=\"Footnote_20_Symbol\" style:display-name=\"Footnote Symbol\""
  " style:family=\"text\"/>"
  "<style:style style:name=\"Footnote_20_anchor\" style:display-name=\"Footnote anchor\""
  " style:family=\"text\">"
  "<style:text-properties style:text-position=\"super 58%\"/>"
  "</style:style>"
  "<style:style style:name=\"Endnote_20_Symbol\" style:display-name=\"Endnote Symbol\""
  " style:family=\"text\"/>"
  "<style:style style:name=\"Endnote_20_anchor\" style:display-name=\"Endnote anchor\""
  " style:family=\"text\">"
  "<style:text-properties style:text-position=\"super 58%\"/>"
  "</style:style>"

  /* frames */
  "<style:style style:name=\"Graphics\" style:family=\"graphic\">"
  "<style:graphic-properties text:anchor-type=\"as-char\" svg:x=\"0cm\" svg:y=\"0cm\""
  " style:wrap=\"none\" style:vertical-pos=\"top\" style:vertical-rel=\"baseline\""
  " style:horizontal-pos=\"center\" style:horizontal-rel=\"paragraph\"/>"
  "</style:style>";

static const char styles_tail[] =
  "<text:outline-style style:name=\"Outline\">"
#define OUTLINE(n)                                                               \
  "<text:outline-level-style text:level=\"" #n "\" style:num-format=\"\">"     \
  "<style:list-level-properties text:list-level-position-and-space-mode=\"label-alignment\">" \
  "<style:list-level-label-alignment text:label-followed-by=\"listtab\"/>"      \
  "</style:list-level-properties></text:outline-level-style>"
  OUTLINE(1) OUTLINE(2) OUTLINE(3) OUTLINE(4) OUTLINE(5)
  OUTLINE(6) OUTLINE(7) OUTLINE(8) OUTLINE(9) OUTLINE(10)
#undef OUTLINE
  "</text:outline-style>"
  "<text:notes-configuration text:note-class=\"footnote\""
  " text:citation-style-name=\"Footnote_20_Symbol\""
  " text:citation-body-style-name=\"Footnote_20_anchor\" text:default-style-name=\"Footnote\""
  " style:num-format=\"1\""
  " text:start-value=\"0\" text:footnotes-position=\"page\" text:start-numbering-at=\"document\"/>"
  "<text:notes-configuration text:note-class=\"endnote\""
  " text:citation-style-name=\"Endnote_20_Symbol\""
  " text:citation-body-style-name=\"Endnote_20_anchor\" text:default-style-name=\"Endnote\""
  " style:num-format=\"i\""
  " text:start-value=\"0\"/>"
  "</office:styles>"
  "<office:automatic-styles>"
  "<style:page-layout style:name=\"pm1\">"
  "<style:page-layout-properties fo:page-width=\"21.001cm\" fo:page-height=\"29.7cm\""
  " style:num-format=\"1\" style:print-orientation=\"portrait\" fo:margin-top=\"2cm\""
  " fo:margin-bottom=\"2cm\" fo:margin-left=\"2cm\" fo:margin-right=\"2cm\""
  " style:writing-mode=\"lr-tb\" style:footnote-max-height=\"0cm\">"
  "<style:footnote-sep style:width=\"0.018cm\" style:distance-before-sep=\"0.101cm\""
  " style:distance-after-sep=\"0.101cm\" style:line-style=\"solid\" style:adjustment=\"left\""
  " style:rel-width=\"25%\" style:color=\"#000000\"/>"
  "</style:page-layout-properties>"
  "</style:page-layout>"
  "</office:automatic-styles>"
  "<office:master-styles>"
  "<style:master-page style:name=\"Standard\" style:page-layout-name=\"pm1\"/>"
  "</office:master-styles>"
  "</office:document-styles>\n";

void odt_styles_xml(odt_buf *b, const odt_lang *doc_lang, unsigned lists)
{
  odt_put(b, styles_head, sizeof styles_head - 1);
  odt_font_face_decls(b);
  odt_put(b, styles_defaults, sizeof styles_defaults - 1);
  odt_lang_attrs(b, doc_lang);
  odt_put(b, styles_named, sizeof styles_named - 1);
  lists |= 1u << ODT_LIST_DISC | 1u << ODT_LIST_DECIMAL;
  for (int s = 0; s < ODT_LIST_N; s++)
    if (lists & (1u << s))
      list_style(b, s);
  odt_put(b, styles_tail, sizeof styles_tail - 1);
}
