/* SPDX-License-Identifier: MIT */
/* layout-tables.c - the official document layouts, one table each
 * (layout.h says what a pattern is).  A new country is a new table here
 * and one line in lay_layouts[]; the engine (layout.c) knows none of them.
 * Sources of each form are named above its table; doc/layout.md has the
 * development set they were measured on. */
#include <config.h>
#include "layout.h"

#define N_OF(a) (sizeof (a) / sizeof (a)[0])

/* ---- Vietnam: the form of legal documents (Luật ban hành văn bản quy
 * phạm pháp luật 2015, art. 61; Decree 30/2020/NĐ-CP, appendix I):
 * Phần > Chương > Mục > Tiểu mục > Điều; khoản "1.", điểm "a)" with the
 * Vietnamese alphabet (đ after d; no f, j, w, z), then "-" indents. */
static const char *const vn_part[] = { "phần thứ {%w}", "phần {%R}", "phần {%d}", NULL };
static const char *const vn_chapter[] = { "chương {%R}", "chương {%d}", NULL };
static const char *const vn_section[] = { "mục {%d}", "mục {%R}", NULL };
static const char *const vn_subsection[] = { "tiểu mục {%d}", NULL };
static const char *const vn_article[] = { "điều {%d}.", "điều {%d}:", "điều {%d}$", NULL };
static const char *const vn_clause[] = { "{%d}.", NULL };
static const char *const vn_point[] = { "{%a})", NULL };
static const char *const vn_indent[] = { "- ", "+ ", NULL };

static const lay_level vn_levels[] = {
  { "part", LAY_HEADING, LAY_TITLE_NEXT, NULL, NULL, vn_part, NULL },
  { "chapter", LAY_HEADING, LAY_TITLE_NEXT, NULL, NULL, vn_chapter, NULL },
  { "section", LAY_HEADING, LAY_TITLE_NEXT, NULL, NULL, vn_section, NULL },
  { "subsection", LAY_HEADING, LAY_TITLE_NEXT, NULL, NULL, vn_subsection, NULL },
  { "article", LAY_HEADING, LAY_TITLE_SAME, NULL, NULL, vn_article, NULL },
  { "clause", LAY_ITEM, 0, "decimal", NULL, vn_clause, NULL },
  { "point", LAY_ITEM, 0, "lower-alpha",
    "a b c d đ e g h i k l m n o p q r s t u v x y", vn_point, NULL },
  { "indent", LAY_ITEM, 0, "disc", NULL, vn_indent, NULL },
};

static const lay_field vn_fields[] = {
  { "identifier", "số: {*}$" },
  { "identifier", "* số: {*}$" },
  { "identifier", "số {%d/*}$" },
  { "place,day,month,year", "{*}, ngày {%d} tháng {%d} năm {%d}" },
  { NULL, NULL }
};
static const char *const vn_front[] = {
  "cộng hòa xã hội chủ nghĩa việt nam", "cộng hoà xã hội chủ nghĩa việt nam",
  "độc lập - tự do - hạnh phúc", "độc lập – tự do – hạnh phúc", NULL
};
static const char *const vn_preamble[] = {
  "căn cứ", "xét đề nghị", "theo đề nghị", "quốc hội ban hành", NULL
};
static const char *const vn_closing[] = {
  "luật này được quốc hội", "bộ luật này được quốc hội", "nghị quyết này được quốc hội",
  "pháp lệnh này được", "nơi nhận:", NULL
};

static const lay_layout vn_legal = {
  "vn-legal", "Vietnamese legal documents (Phần, Chương, Mục, Điều; khoản, điểm)",
  vn_levels, N_OF(vn_levels), vn_fields, vn_front, vn_preamble, vn_closing, "vn-docnum",
  LAY_FIRST_PUBLISHER
};

/* ---- Indonesia: Undang-Undang 12/2011 (Pembentukan Peraturan
 * Perundang-undangan), lampiran II: BUKU > BAB > Bagian > Paragraf >
 * Pasal; ayat "(1)", huruf "a.", angka "1.". */
static const char *const id_book[] = { "buku {%w}", NULL };
static const char *const id_chapter[] = { "bab {%R}", NULL };
static const char *const id_section[] = { "bagian {%w}", NULL };
static const char *const id_paragraph[] = { "paragraf {%d}", NULL };
static const char *const id_article[] = { "pasal {%d}$", "pasal {%d%A}$", NULL };
static const char *const id_clause[] = { "({%d})", NULL };
static const char *const id_point[] = { "{%a}.", NULL };
static const char *const id_number[] = { "{%d}.", "{%d})", NULL };

static const lay_level id_levels[] = {
  { "book", LAY_HEADING, LAY_TITLE_NEXT, NULL, NULL, id_book, NULL },
  { "chapter", LAY_HEADING, LAY_TITLE_NEXT, NULL, NULL, id_chapter, NULL },
  { "section", LAY_HEADING, LAY_TITLE_NEXT, NULL, NULL, id_section, NULL },
  { "subsection", LAY_HEADING, LAY_TITLE_NEXT, NULL, NULL, id_paragraph, NULL },
  { "article", LAY_HEADING, LAY_TITLE_SAME, NULL, NULL, id_article, NULL },
  { "clause", LAY_ITEM, 0, "decimal", NULL, id_clause, NULL },
  { "point", LAY_ITEM, 0, "lower-alpha",
    "a b c d e f g h i j k l m n o p q r s t u v w x y z", id_point, NULL },
  { "subpoint", LAY_ITEM, 0, "decimal", NULL, id_number, NULL },
};
static const lay_field id_fields[] = {
  { "title,type,identifier", "{{*} nomor {%d tahun %d} tentang *}$" },
  { "type,identifier", "{*} nomor {%d tahun %d}$" },
  { "identifier", "nomor {%d tahun %d}$" },
  { NULL, NULL }
};
static const char *const id_front[] = {
  "dengan rahmat tuhan yang maha esa", NULL
};
static const char *const id_preamble[] = {
  "menimbang", "mengingat", "memutuskan", "menetapkan", "dengan persetujuan bersama", NULL
};
static const char *const id_closing[] = {
  "disahkan di", "ditetapkan di", "diundangkan di", "agar setiap orang mengetahuinya",
  "mengingat", "memutuskan", "menetapkan", "dengan persetujuan", NULL
};

static const lay_layout id_legal = {
  "id-legal", "Indonesian legislation (BAB, Bagian, Paragraf, Pasal; ayat, huruf)",
  id_levels, N_OF(id_levels), id_fields, id_front, id_preamble, id_closing, "id-nomor",
  LAY_FIRST_PUBLISHER
};

/* ---- India and the United Kingdom: PART > CHAPTER > section "1." with
 * its marginal title ("1. Short title.—(1) ..."), sub-section "(1)",
 * clause "(a)", sub-clause "(i)"; schedules. */
static const char *const in_part[] = { "part {%R}", "part {%d}", NULL };
static const char *const in_chapter[] = { "chapter {%R}", "chapter {%d}", NULL };
static const char *const in_schedule[] = { "the {%w} schedule$", "the schedule$", "schedule {%d}$",
                                           NULL };
static const char *const in_section[] = { "{%d%A}.", "{%d}.", NULL };
static const char *const in_subsection[] = { "({%d})", "({%d%A})", NULL };
static const char *const in_clause[] = { "({%a})", NULL };
static const char *const in_subclause[] = { "({%R})", NULL };
static const char *const in_subsubclause[] = { "({%A})", NULL };

static const lay_level in_levels[] = {
  { "part", LAY_HEADING, LAY_TITLE_NEXT, NULL, NULL, in_part, NULL },
  { "chapter", LAY_HEADING, LAY_TITLE_NEXT, NULL, NULL, in_chapter, NULL },
  { "schedule", LAY_HEADING, LAY_TITLE_NEXT, NULL, NULL, in_schedule, NULL },
  { "article", LAY_HEADING, LAY_TITLE_SAME, NULL, NULL, in_section, ".\xE2\x80\x94" }, /* .— */
  { "clause", LAY_ITEM, 0, "decimal", NULL, in_subsection, NULL },
  { "point", LAY_ITEM, 0, "lower-alpha",
    "a b c d e f g h i j k l m n o p q r s t u v w x y z", in_clause, NULL },
  { "subpoint", LAY_ITEM, 0, "lower-roman", NULL, in_subclause, NULL },
  { "subsubpoint", LAY_ITEM, 0, "upper-alpha", NULL, in_subsubclause, NULL },
};
static const lay_field in_fields[] = {
  { "identifier", "{act no. %d of %d}" },
  { "identifier", "{act no. %d}" },
  { NULL, NULL }
};
static const char *const in_front[] = { "arrangement of sections", "be it enacted", NULL };
static const char *const in_preamble[] = { "be it enacted", "whereas", "an act to", NULL };
static const char *const in_closing[] = { NULL };

static const lay_layout in_legal = {
  "in-legal", "Indian and British legislation (PART, CHAPTER, sections; (1), (a), (i))",
  in_levels, N_OF(in_levels), in_fields, in_front, in_preamble, in_closing, "act-number",
  LAY_FIRST_TYPE
};

/* ---- India in Hindi: भाग > अध्याय > धारा; उपधारा "(1)", खंड "(क)". */
static const char *const hi_part[] = { "भाग {%d}", "भाग {%R}", NULL };
static const char *const hi_chapter[] = { "अध्याय {%d}", "अध्याय {%R}", NULL };
static const char *const hi_section[] = { "धारा {%d}", "{%d}.", NULL };
static const char *const hi_subsection[] = { "({%d})", NULL };
static const char *const hi_clause[] = { "({%a})", NULL };

static const lay_level hi_levels[] = {
  { "part", LAY_HEADING, LAY_TITLE_NEXT, NULL, NULL, hi_part, NULL },
  { "chapter", LAY_HEADING, LAY_TITLE_NEXT, NULL, NULL, hi_chapter, NULL },
  { "article", LAY_HEADING, LAY_TITLE_SAME, NULL, NULL, hi_section, NULL },
  { "clause", LAY_ITEM, 0, "decimal", NULL, hi_subsection, NULL },
  { "point", LAY_ITEM, 0, "lower-alpha",
    "क ख ग घ ङ च छ ज झ ञ ट ठ ड ढ ण त थ द ध न प फ ब भ म य र ल व श ष स ह", hi_clause, NULL },
};
static const lay_field hi_fields[] = {
  { "identifier", "{अधिनियम संख्यांक %d}" },
  { NULL, NULL }
};
static const char *const hi_none[] = { NULL };
static const char *const hi_preamble[] = { "भारत गणराज्य के", NULL };

static const lay_layout hi_legal = {
  "hi-legal", "Indian legislation in Hindi (भाग, अध्याय, धारा; (1), (क))",
  hi_levels, N_OF(hi_levels), hi_fields, hi_none, hi_preamble, hi_none, "act-number",
  LAY_FIRST_TYPE
};

const lay_layout *const lay_layouts[] = { &vn_legal, &id_legal, &in_legal, &hi_legal, NULL };
