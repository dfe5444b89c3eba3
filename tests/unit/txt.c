/* SPDX-License-Identifier: MIT */
/* txt.c - the txt reader through the public API: each encoding, line
 * ends, paragraph modes, headings, lists, title, bad input. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <emuconv/emuconv.h>
#include "../tap.h"
#include "xp.h"

static emc_ctx *ctx;

/* Reads LEN bytes as txt; returns the document or NULL (error in *RC). */
static emc_doc *rd(const char *data, size_t len, int *rc)
{
  emc_doc *doc = NULL;
  emc_error err = EMC_ERROR_INIT;
  *rc = emc_read_memory(ctx, "test.txt", data, len, "txt", &doc, &err);
  if (*rc)
    printf("# read failed: %s\n", err.message ? err.message : "?");
  emc_error_release(&err);
  if (!*rc && emc_filter_run(ctx, "normalize-space", doc, &err) != EMC_OK)
    printf("# filter failed\n");
  emc_error_release(&err);
  return doc;
}

#define RD(lit) rd(lit, sizeof lit - 1, &rc)

static int valid(const emc_doc *doc)
{
  emc_error err = EMC_ERROR_INIT;
  int rc = emc_doc_validate(doc, &err);
  if (rc)
    printf("# %s\n", err.message);
  emc_error_release(&err);
  return rc == 0;
}

static void fails_with(const char *data, size_t len, int want, const char *what, const char *needle)
{
  emc_doc *doc = NULL;
  emc_error err = EMC_ERROR_INIT;
  int rc = emc_read_memory(ctx, "bad.txt", data, len, "txt", &doc, &err);
  ok(rc == want && !doc && err.message && strstr(err.message, needle),
     "%s -> %s (\"%s\")", what, emc_strerror(want), err.message ? err.message : "");
  emc_error_release(&err);
}

int main(void)
{
  int rc;
  emc_doc *d;
  ctx = emc_ctx_new();
  plan(55);

  /* --- encodings --- */
  d = RD("Hello world.\n");
  is_str(xp(d, "string(//ir:p)"), "Hello world.", "UTF-8: one paragraph");
  ok(valid(d), "... schema-valid IR");
  emc_doc_free(d);
  d = RD("\xEF\xBB\xBF" "Caf\xC3\xA9 au lait.\n");
  is_str(xp(d, "string(//ir:p)"), "Caf\xC3\xA9 au lait.", "UTF-8 with BOM: the BOM is dropped");
  emc_doc_free(d);
  d = RD("\xFF\xFE" "H\0\xE9\0l\0l\0o\0.\0");
  is_str(xp(d, "string(//ir:p)"), "H\xC3\xA9llo.", "UTF-16LE with BOM");
  emc_doc_free(d);
  d = RD("\xFE\xFF" "\0H\0\xE9\0l\0l\0o\0.\xD8\x3D\xDE\x00");
  is_str(xp(d, "string(//ir:p)"), "H\xC3\xA9llo.\xF0\x9F\x98\x80", "UTF-16BE with BOM and a surrogate pair");
  emc_doc_free(d);
  d = RD("\x93" "Caf\xE9" "\x94 costs \x80" "5.\n");
  is_str(xp(d, "string(//ir:p)"), "\xE2\x80\x9C" "Caf\xC3\xA9\xE2\x80\x9D costs \xE2\x82\xAC" "5.",
         "invalid UTF-8 falls back to Windows-1252");
  emc_doc_free(d);
  d = RD("One line.\r\nTwo line.\rThree line.\n");
  is_str(xp(d, "count(//ir:p)"), "3", "CRLF, CR and LF line ends");
  is_str(xp(d, "string(//ir:p[3])"), "Three line.", "... text intact");
  emc_doc_free(d);
  d = RD("A\x01 bell\x07 rang.\fNext page.\n");
  is_str(xp(d, "string(//ir:p[1])"), "A bell rang.", "control characters are dropped");
  is_str(xp(d, "string(//ir:p[2])"), "Next page.", "a form feed breaks the paragraph");
  emc_doc_free(d);
  /* UTF-8 forms of what XML cannot carry (C1 controls U+0080/U+009F,
   * noncharacters U+FFFE/U+FFFF/U+FDD0/U+FDEF) go; their neighbours
   * (U+00A0, U+FFFD, U+FDCF, U+FDF0) stay, byte for byte. */
  d = RD("A\xC2\x80" "b\xC2\x9F\xC2\xA0" "c\xEF\xBF\xBE\xEF\xBF\xBF\xEF\xBF\xBD"
         "d\xEF\xB7\x90\xEF\xB7\xAF\xEF\xB7\x8F\xEF\xB7\xB0.\n");
  is_str(xp(d, "string(//ir:p[1])"), "Ab\xC2\xA0" "c\xEF\xBF\xBD" "d\xEF\xB7\x8F\xEF\xB7\xB0.",
         "C1 controls and noncharacters in UTF-8 are dropped, their neighbours kept");
  emc_doc_free(d);

  /* --- bad input --- */
  fails_with("abc\0def", 7, EMC_EENCODING, "a NUL byte", "NUL byte at offset 3");
  fails_with("\xFF\xFE" "a\0b", 5, EMC_EENCODING, "odd-length UTF-16", "odd number of bytes");
  fails_with("\xFF\xFE" "a\0\x00\xD8" "b\0", 8, EMC_EENCODING, "an unpaired UTF-16 surrogate", "unpaired surrogate");
  fails_with("\xEF\xBB\xBF" "bad \xC3 here", 13, EMC_EENCODING, "invalid UTF-8 after a UTF-8 BOM", "byte order mark");
  fails_with("\xFF\xFE\0\0a\0\0\0", 8, EMC_EENCODING, "UTF-32", "UTF-32");

  /* --- one paragraph per line (news text) --- */
  d = RD("Floods hit Son La\nHeavy rain fell on Monday. Roads were cut.\nRepairs began on Tuesday.\nLe Hong\nComment (0)\n");
  is_str(xp(d, "string(//ir:meta/ir:title)"), "Floods hit Son La", "a title-like first line becomes the title");
  is_str(xp(d, "count(//ir:body/ir:p)"), "4", "... the headline is not merged into the first paragraph");
  is_str(xp(d, "string(//ir:body/ir:p[1])"), "Heavy rain fell on Monday. Roads were cut.", "... paragraphs intact");
  is_str(xp(d, "count(//ir:section)"), "0", "... a byline line is not a heading");
  ok(valid(d), "... schema-valid");
  emc_doc_free(d);
  d = RD("Responding to the campaign, the province acted. It did well.\n\nMore text follows here.\n\n\n\nComment (0)\n");
  is_str(xp(d, "count(//ir:meta/ir:title)"), "0", "a sentence first line is not a title");
  is_str(xp(d, "count(//ir:section)"), "0", "a trailing 'Comment (0)' is not a heading");
  is_str(xp(d, "string(//ir:body/ir:p[last()])"), "Comment (0)", "... it stays a paragraph");
  emc_doc_free(d);

  /* --- blank-line separated, hard-wrapped --- */
  d = RD("This paragraph was wrapped by an editor at a\nfixed width, so its lines end in the middle\nof sentences and must be joined.\n\nA second one, with a socio-\neconomic word split over two\nlines.\n");
  is_str(xp(d, "count(//ir:p)"), "2", "wrapped text: blank lines separate paragraphs");
  is_str(xp(d, "string(//ir:p[1])"),
         "This paragraph was wrapped by an editor at a fixed width, so its lines end in the middle of sentences and must be joined.",
         "... lines joined with a space");
  is_str(xp(d, "string(//ir:p[2])"), "A second one, with a socio-economic word split over two lines.",
         "... a line-end hyphen joins without a space");
  emc_doc_free(d);

  /* --- headings --- */
  d = RD("An introduction that is a sentence.\n\nBackground\n\nSome text here.\n\n1. Scope\n\nScope text.\n\n1.1 Details\n\nDetail text.\n\n2. Method\n\nMethod text.\n");
  is_str(xp(d, "count(//ir:section)"), "4", "headings between blank lines open sections");
  is_str(xp(d, "string(//ir:section[1]/ir:heading)"), "Background", "... a short title-like line");
  is_str(xp(d, "string(//ir:section[2]/@level)"), "1", "... '1. Scope' is level 1");
  is_str(xp(d, "string(//ir:section[2]/ir:section/ir:heading)"), "1.1 Details", "... '1.1 Details' nests in it");
  is_str(xp(d, "string(//ir:section[2]/ir:section/@level)"), "2", "... at level 2");
  is_str(xp(d, "string(//ir:body/ir:p)"), "An introduction that is a sentence.", "... text before the first heading stays in the body");
  ok(valid(d), "... schema-valid");
  emc_doc_free(d);
  d = RD("Chapter 1\n\nOpening text.\n\nBackground\n\nMore text.\n\nChapter 2\n\nEnd text.\n");
  is_str(xp(d, "string(//ir:body/ir:section[1]/ir:heading)"), "Chapter 1", "'Chapter 1' is a heading, not the title");
  is_str(xp(d, "string(//ir:body/ir:section[1]/ir:section/@level)"), "2", "... plain headings go below chapters");
  is_str(xp(d, "count(//ir:body/ir:section)"), "2", "... two chapters at the top");
  emc_doc_free(d);

  /* --- older printed texts (issue 29) --- */
  d = RD("Produced by a volunteer team at a digitising project\n\nMANUAL OF DRILL\n\nINTRODUCTION.\n\n"
         "The drill is taught in three parts.\n\n[Illustration: Fig. 1 The position of the soldier]\n\n"
         "Each part follows.\n");
  is_str(xp(d, "string(//ir:meta/ir:title)"), "MANUAL OF DRILL", "a production credit line is never the title");
  is_str(xp(d, "string(//ir:body/ir:section[1]/ir:heading)"), "INTRODUCTION.",
         "an upper-case title line ending with a full stop is a heading");
  is_str(xp(d, "count(//ir:heading[starts-with(., '[')])"), "0", "a bracketed transcriber's note is no heading");
  is_str(xp(d, "count(//ir:p[starts-with(., '[Illustration')])"), "1", "... it stays, as a paragraph");
  ok(valid(d), "... schema-valid");
  emc_doc_free(d);

  d = RD("Report of the Working Group\n\n1.  Introduction\n\n   The text of it goes here.\n\n"
         "Appendix A.  Examples\n\n   Some examples follow here.\n\nA.1.  Simple Example\n\n"
         "   Simple text here.\n\nAppendix B.  Notes\n\n   Notes here.\n");
  is_str(xp(d, "string(/ir:document/ir:body/ir:section[2]/ir:section/ir:heading)"),
         "A.1. Simple Example", "an appendix's A.1. nests in Appendix A, at level 2");
  is_str(xp(d, "count(/ir:document/ir:body/ir:section)"), "3", "... appendices at level 1 beside the sections");
  emc_doc_free(d);

  /* --- lists --- */
  d = RD("Things to do today.\n- buy rice\n- cook it\n  - with salt\n- eat\nDone.\n");
  is_str(xp(d, "count(//ir:body/ir:list/ir:item)"), "3", "'- ' items form a list");
  is_str(xp(d, "string(//ir:body/ir:list/ir:item[2]/ir:list/ir:item)"), "with salt", "... indented items nest");
  is_str(xp(d, "string(//ir:body/ir:list/@ordered)"), "", "... unordered");
  is_str(xp(d, "string(//ir:body/ir:p[2])"), "Done.", "... the list ends at a plain line");
  ok(valid(d), "... schema-valid");
  emc_doc_free(d);
  d = RD("Steps follow below.\n3. mix\n4. bake\n");
  is_str(xp(d, "string(//ir:list/@ordered)"), "true", "'3. ' items form an ordered list");
  is_str(xp(d, "string(//ir:list/@start)"), "3", "... starting at 3");
  emc_doc_free(d);
  d = RD("Costs were 2.448 billion.\n2024 was a good year.\n");
  is_str(xp(d, "count(//ir:list)"), "0", "numbers that are not list markers");
  emc_doc_free(d);

  /* --- nothing at all --- */
  d = RD("");
  ok(d && valid(d), "an empty file gives an empty, valid document");
  emc_doc_free(d);
  d = RD("\n\n   \n");
  is_str(xp(d, "count(//ir:p)"), "0", "blank lines only: no paragraphs");
  emc_doc_free(d);

  /* --- emc_read_memory() on a buffer with no NUL after it (under ASan
   * this read past the end in libxml2 before the core copied the data;
   * found by fuzz-html with libFuzzer's exact-size buffers) --- */
  {
    static const char page[] = "<html><body><p>Le Hong</p><p>ab<b";
    size_t n = sizeof page - 1;
    char *exact = malloc(n);
    emc_error err = EMC_ERROR_INIT;
    memcpy(exact, page, n);
    d = NULL;
    rc = emc_read_memory(ctx, "exact.html", exact, n, "html", &d, &err);
    ok(rc == EMC_OK && d && strcmp(xp(d, "string(//ir:p[1])"), "Le Hong") == 0,
       "an exact-size, unterminated buffer reads (html)");
    emc_error_release(&err);
    emc_doc_free(d);
    free(exact);
  }

  emc_ctx_free(ctx);
  return done_testing();
}
