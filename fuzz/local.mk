# SPDX-License-Identifier: MIT
# libFuzzer harnesses (issue 9): built only with ./configure --enable-fuzzing
# CC=clang.  One per reader and one for the whole pipeline; `make fuzz`
# runs each for FUZZ_SECONDS with seeds copied from the test fixtures.
# Two structure-aware ones (issue 31): fuzz-docx-xml fuzzes the XML parts
# inside a package it builds itself, fuzz-writers every writer on parsed IR.
FUZZ_HARNESSES = fuzz/fuzz-txt fuzz/fuzz-html fuzz/fuzz-docx fuzz/fuzz-ir \
  fuzz/fuzz-odt fuzz/fuzz-tei fuzz/fuzz-epub fuzz/fuzz-pipeline fuzz/fuzz-docx-xml fuzz/fuzz-writers
noinst_PROGRAMS =
if ENABLE_FUZZING
noinst_PROGRAMS += $(FUZZ_HARNESSES)
endif
# -no-install: real binaries, no libtool wrapper script, so libFuzzer's own
# re-executions (and gdb) work on them directly.
FUZZ_LDADD = core/libemuconv.la $(LIBXML2_LIBS)
FUZZ_LDFLAGS_ALL = $(AM_LDFLAGS) $(FUZZ_LDFLAGS) -no-install
fuzz_fuzz_txt_SOURCES = fuzz/fuzz-reader.c fuzz/fuzz-common.h
fuzz_fuzz_txt_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_READER='"txt"'
fuzz_fuzz_txt_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_txt_LDFLAGS = $(FUZZ_LDFLAGS_ALL)
fuzz_fuzz_html_SOURCES = fuzz/fuzz-reader.c fuzz/fuzz-common.h
fuzz_fuzz_html_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_READER='"html"'
fuzz_fuzz_html_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_html_LDFLAGS = $(FUZZ_LDFLAGS_ALL)
fuzz_fuzz_docx_SOURCES = fuzz/fuzz-reader.c fuzz/fuzz-common.h
fuzz_fuzz_docx_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_READER='"docx"'
fuzz_fuzz_docx_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_docx_LDFLAGS = $(FUZZ_LDFLAGS_ALL)
fuzz_fuzz_ir_SOURCES = fuzz/fuzz-reader.c fuzz/fuzz-common.h
fuzz_fuzz_ir_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_READER='"ir"'
fuzz_fuzz_ir_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_ir_LDFLAGS = $(FUZZ_LDFLAGS_ALL)
fuzz_fuzz_odt_SOURCES = fuzz/fuzz-reader.c fuzz/fuzz-common.h
fuzz_fuzz_odt_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_READER='"odt"'
fuzz_fuzz_odt_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_odt_LDFLAGS = $(FUZZ_LDFLAGS_ALL)
fuzz_fuzz_tei_SOURCES = fuzz/fuzz-reader.c fuzz/fuzz-common.h
fuzz_fuzz_tei_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_READER='"tei"'
fuzz_fuzz_tei_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_tei_LDFLAGS = $(FUZZ_LDFLAGS_ALL)
fuzz_fuzz_epub_SOURCES = fuzz/fuzz-reader.c fuzz/fuzz-common.h
fuzz_fuzz_epub_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_READER='"epub"'
fuzz_fuzz_epub_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_epub_LDFLAGS = $(FUZZ_LDFLAGS_ALL)
fuzz_fuzz_pipeline_SOURCES = fuzz/fuzz-pipeline.c fuzz/fuzz-common.h
fuzz_fuzz_pipeline_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_pipeline_LDFLAGS = $(FUZZ_LDFLAGS_ALL)
fuzz_fuzz_docx_xml_SOURCES = fuzz/fuzz-docx-xml.c fuzz/fuzz-common.h
fuzz_fuzz_docx_xml_CFLAGS = $(AM_CFLAGS) $(LIBZIP_CFLAGS)
fuzz_fuzz_docx_xml_LDADD = $(FUZZ_LDADD) $(LIBZIP_LIBS)
fuzz_fuzz_docx_xml_LDFLAGS = $(FUZZ_LDFLAGS_ALL)
fuzz_fuzz_writers_SOURCES = fuzz/fuzz-writers.c fuzz/fuzz-common.h
fuzz_fuzz_writers_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_writers_LDFLAGS = $(FUZZ_LDFLAGS_ALL)
EXTRA_DIST += fuzz/docx-xml-seeds.py
EXTRA_DIST += fuzz/run-fuzzers.sh fuzz/docx.dict fuzz/html.dict fuzz/odt.dict fuzz/tei.dict fuzz/epub.dict \
  fuzz/README.md

# make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS='txt docx'] [FUZZ_RSS_MB=2048]
# [FUZZ_TIMEOUT=20]: each harness for FUZZ_SECONDS; fails on any crash,
# leak, timeout or out-of-memory.  The corpora grow in fuzz/corpus/ of the
# build tree between runs; crashes land in fuzz/artifacts/.
FUZZ_SECONDS = 60
FUZZ_TARGETS = txt html docx ir odt tei epub pipeline docx-xml writers
FUZZ_RSS_MB = 2048
FUZZ_TIMEOUT = 20
FUZZ_MAX_LEN =
if ENABLE_FUZZING
fuzz: all
	FUZZ_SECONDS='$(FUZZ_SECONDS)' FUZZ_RSS_MB='$(FUZZ_RSS_MB)' \
	  FUZZ_TIMEOUT='$(FUZZ_TIMEOUT)' FUZZ_MAX_LEN='$(FUZZ_MAX_LEN)' EMUCONV='$(abs_top_builddir)/emuconv' \
	  EMUCONV_PLUGIN_PATH='$(abs_top_builddir)/plugins:$(abs_top_builddir)/filters' \
	  $(SHELL) $(srcdir)/fuzz/run-fuzzers.sh '$(abs_top_srcdir)' \
	  '$(abs_top_builddir)' $(FUZZ_TARGETS)
else
fuzz:
	@echo "make fuzz: configure with --enable-fuzzing CC=clang first" >&2; exit 1
endif
clean-local: clean-fuzz
distclean-local:
	rm -rf fuzz/corpus fuzz/executions.log
clean-fuzz:
	rm -rf fuzz/seeds fuzz/work fuzz/artifacts fuzz/*.dict.all
.PHONY: fuzz clean-fuzz
