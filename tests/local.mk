# SPDX-License-Identifier: MIT
# Tests: TAP everywhere (build-aux/tap-driver.sh).
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
TAP_LOG_DRIVER = $(LOG_DRIVER)
TAP_LOG_COMPILER = $(SHELL)
TEST_EXTENSIONS = .tap
AM_TESTS_ENVIRONMENT = \
  EMUCONV_PLUGIN_PATH='$(abs_top_builddir)/plugins:$(abs_top_builddir)/filters'; \
  export EMUCONV_PLUGIN_PATH; \
  EMUCONV='$(abs_top_builddir)/emuconv'; export EMUCONV; \
  VALIDATE='$(VALIDATE)'; export VALIDATE; \
  EMUCONV_SCHEMA_DIR='$(SCHEMA_DIR)'; export EMUCONV_SCHEMA_DIR; \
  VALIDATE_SCHEMAS='$(SCHEMA_DIR)'; export VALIDATE_SCHEMAS; \
  ACE='$(ACE)'; export ACE; VNU_JAR='$(VNU_JAR)'; export VNU_JAR; \
  CHROMIUM='$(CHROMIUM)'; export CHROMIUM; \
  PYTHON3='$(PYTHON3)'; export PYTHON3; \
  top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
  top_builddir='$(abs_top_builddir)'; export top_builddir; \
  srcdir='$(srcdir)'; export srcdir; \
  EMUCONV_VALGRIND='$(EMUCONV_VALGRIND)'; export EMUCONV_VALGRIND; \
  EMUCONV_SANITIZED='$(EMUCONV_SANITIZED)'; export EMUCONV_SANITIZED;

TESTS += tests/cli/t0000-cli.tap tests/cli/t0100-core-knows-no-format.tap \
  tests/cli/t0200-external-filter.tap tests/cli/t0300-listing.tap tests/cli/t0400-docs.tap tests/cli/t0500-bench.tap \
  tests/cli/t1000-txt-ir.tap tests/cli/t1010-txt-encoding.tap tests/cli/t1020-txt-layout.tap \
  tests/cli/t2000-tei.tap tests/cli/t0600-batch.tap tests/cli/t0620-batch-audit.tap \
  tests/cli/t0630-batch-catalogue.tap
# The html writer: every fixture through vnu and axe (tests/axe-html.js).
TESTS += tests/cli/t2300-html.tap
EXTRA_DIST += tests/cli/t2300-html.tap tests/axe-html.js
EXTRA_DIST += tests/data tests/lib.sh tests/ace-check.js .checkers/package.json \
  .checkers/package-lock.json tests/same-output.sh tests/textof.py tests/textcheck.py tests/cli/t0000-cli.tap \
  tests/cli/t0100-core-knows-no-format.tap tests/cli/t1000-txt-ir.tap \
  tests/cli/t1010-txt-encoding.tap tests/cli/t1020-txt-layout.tap tests/cli/t2000-tei.tap \
  tests/cli/t0200-external-filter.tap tests/cli/t0300-listing.tap tests/cli/t0400-docs.tap \
  tests/cli/t0500-bench.tap tests/cli/t0600-batch.tap tests/cli/t0610-parallel.tap \
  tests/cli/t0620-batch-audit.tap tests/cli/t0630-batch-catalogue.tap

# --- unit tests (C, TAP) ---
TEST_CFLAGS = $(AM_CFLAGS) -Wno-unused-function
check_PROGRAMS += tests/unit/registry tests/unit/txt tests/unit/ir
tests_unit_registry_SOURCES = tests/unit/registry.c tests/tap.h
tests_unit_registry_CFLAGS = $(TEST_CFLAGS)
tests_unit_registry_LDADD = core/libemuconv.la $(LIBXML2_LIBS)
tests_unit_txt_SOURCES = tests/unit/txt.c tests/tap.h tests/unit/xp.h
tests_unit_txt_CFLAGS = $(TEST_CFLAGS)
tests_unit_txt_LDADD = core/libemuconv.la $(LIBXML2_LIBS)
tests_unit_ir_SOURCES = tests/unit/ir.c tests/tap.h tests/unit/xp.h
tests_unit_ir_CFLAGS = $(TEST_CFLAGS)
tests_unit_ir_LDADD = core/libemuconv.la $(LIBXML2_LIBS)
TESTS += tests/unit/registry tests/unit/txt tests/unit/ir
# emc_read_memory() resolves no relative image (issue 32).
check_PROGRAMS += tests/unit/readmem
tests_unit_readmem_SOURCES = tests/unit/readmem.c tests/tap.h
tests_unit_readmem_CFLAGS = $(TEST_CFLAGS)
tests_unit_readmem_LDADD = core/libemuconv.la $(LIBXML2_LIBS)
TESTS += tests/unit/readmem
# The temp-file registry with several contexts in several threads.
check_PROGRAMS += tests/unit/tempfile
tests_unit_tempfile_SOURCES = tests/unit/tempfile.c tests/tap.h
tests_unit_tempfile_CFLAGS = $(TEST_CFLAGS) $(PTHREAD_CFLAGS)
tests_unit_tempfile_LDADD = core/libemuconv.la $(LIBXML2_LIBS) $(PTHREAD_LIBS)
TESTS += tests/unit/tempfile
# The growable buffer against a plain copy.
check_PROGRAMS += tests/unit/buf
tests_unit_buf_SOURCES = tests/unit/buf.c tests/tap.h
tests_unit_buf_CFLAGS = $(TEST_CFLAGS)
tests_unit_buf_LDADD = core/libemuconv.la $(LIBXML2_LIBS)
TESTS += tests/unit/buf
# The link allow-list (issue 32).
check_PROGRAMS += tests/unit/url
tests_unit_url_SOURCES = tests/unit/url.c tests/tap.h
tests_unit_url_CFLAGS = $(TEST_CFLAGS)
tests_unit_url_LDADD = core/libemuconv.la
TESTS += tests/unit/url
# Text decoding against iconv and the XML rule written out.
check_PROGRAMS += tests/unit/text
tests_unit_text_SOURCES = tests/unit/text.c tests/tap.h
tests_unit_text_CFLAGS = $(TEST_CFLAGS)
tests_unit_text_LDADD = core/libemuconv.la $(LIBXML2_LIBS)
TESTS += tests/unit/text
# --catalogue: the CSV parser, JSON lines, the lookup (core/catalogue.c).
check_PROGRAMS += tests/unit/catalogue
tests_unit_catalogue_SOURCES = tests/unit/catalogue.c core/catalogue.c core/catalogue.h tests/tap.h
tests_unit_catalogue_CFLAGS = $(TEST_CFLAGS) $(JSONC_CFLAGS)
tests_unit_catalogue_LDADD = core/libemuconv.la $(JSONC_LIBS)
TESTS += tests/unit/catalogue
# The one dot-segment remover (docx part names, html local images).
check_PROGRAMS += tests/unit/pathnorm
tests_unit_pathnorm_SOURCES = tests/unit/pathnorm.c tests/tap.h
tests_unit_pathnorm_CFLAGS = $(TEST_CFLAGS)
tests_unit_pathnorm_LDADD = plugins/common/libpathnorm.la
TESTS += tests/unit/pathnorm
# The core's XML serialiser against libxml2's (run by t2010 with files).
check_PROGRAMS += tests/unit/xmlsave
tests_unit_xmlsave_SOURCES = tests/unit/xmlsave.c tests/tap.h
tests_unit_xmlsave_CFLAGS = $(TEST_CFLAGS)
tests_unit_xmlsave_LDADD = core/libemuconv.la $(LIBXML2_LIBS)
TESTS += tests/cli/t2010-xmlsave.tap
EXTRA_DIST += tests/cli/t2010-xmlsave.tap
# The zip writer, read back with libzip (an independent reader).
if HAVE_ZLIB
if HAVE_LIBZIP
check_PROGRAMS += tests/unit/zippkg
tests_unit_zippkg_SOURCES = tests/unit/zippkg.c tests/tap.h
tests_unit_zippkg_CFLAGS = $(TEST_CFLAGS) $(LIBZIP_CFLAGS) $(ZLIB_CFLAGS)
tests_unit_zippkg_LDADD = plugins/common/libzippkg.la core/libemuconv.la \
  $(LIBXML2_LIBS) $(LIBZIP_LIBS) $(ZLIB_LIBS)
TESTS += tests/unit/zippkg
endif
# Image checks (plugins/common/imgcheck.c) on pictures written by real tools.
check_PROGRAMS += tests/unit/imgcheck
tests_unit_imgcheck_SOURCES = tests/unit/imgcheck.c tests/tap.h
tests_unit_imgcheck_CFLAGS = $(TEST_CFLAGS) $(ZLIB_CFLAGS)
tests_unit_imgcheck_LDADD = plugins/common/libimgcheck.la $(LIBXML2_LIBS) $(ZLIB_LIBS)
TESTS += tests/unit/imgcheck
endif

# Fake modules for the loader tests; -rpath makes real shared modules.
FAKE_LDFLAGS = -module -avoid-version -no-undefined -shared -rpath /nowhere
FAKE_LIBADD = core/libemuconv.la $(LIBXML2_LIBS)
# Out of memory on demand (LD_PRELOAD), for t1210-docx-oom.
check_LTLIBRARIES += tests/fault/failrealloc.la
tests_fault_failrealloc_la_SOURCES = tests/fault/failrealloc.c
tests_fault_failrealloc_la_LDFLAGS = -module -avoid-version -rpath $(libdir)
tests_fault_failrealloc_la_LIBADD = -ldl
check_LTLIBRARIES += tests/fake-plugins/good.la tests/fake-plugins/failing.la \
  tests/fake-plugins/abi_major.la tests/fake-plugins/abi_minor.la \
  tests/fake-plugins/no_symbol.la tests/fake-plugins/wrong_name.la \
  tests/fake-plugins/no_role.la tests/fake-plugins/dup/good.la
tests_fake_plugins_good_la_SOURCES = tests/fake-plugins/fake.c
tests_fake_plugins_good_la_CPPFLAGS = $(AM_CPPFLAGS) -DFAKE_NAME='"good"' -DFAKE_DESC_NAME='"good"' -DFAKE_SYM=good_LTX_emc_plugin_get
tests_fake_plugins_good_la_LDFLAGS = $(FAKE_LDFLAGS)
tests_fake_plugins_good_la_LIBADD = $(FAKE_LIBADD)
tests_fake_plugins_failing_la_SOURCES = tests/fake-plugins/fake.c
tests_fake_plugins_failing_la_CPPFLAGS = $(AM_CPPFLAGS) -DFAKE_NAME='"failing"' -DFAKE_DESC_NAME='"failing"' -DFAKE_SYM=failing_LTX_emc_plugin_get -DFAKE_FAILING_WRITER
tests_fake_plugins_failing_la_LDFLAGS = $(FAKE_LDFLAGS)
tests_fake_plugins_failing_la_LIBADD = $(FAKE_LIBADD)
tests_fake_plugins_abi_major_la_SOURCES = tests/fake-plugins/fake.c
tests_fake_plugins_abi_major_la_CPPFLAGS = $(AM_CPPFLAGS) -DFAKE_NAME='"abi_major"' -DFAKE_DESC_NAME='"abi_major"' -DFAKE_SYM=abi_major_LTX_emc_plugin_get -DFAKE_ABI_MAJOR
tests_fake_plugins_abi_major_la_LDFLAGS = $(FAKE_LDFLAGS)
tests_fake_plugins_abi_major_la_LIBADD = $(FAKE_LIBADD)
tests_fake_plugins_abi_minor_la_SOURCES = tests/fake-plugins/fake.c
tests_fake_plugins_abi_minor_la_CPPFLAGS = $(AM_CPPFLAGS) -DFAKE_NAME='"abi_minor"' -DFAKE_DESC_NAME='"abi_minor"' -DFAKE_SYM=abi_minor_LTX_emc_plugin_get -DFAKE_ABI_MINOR
tests_fake_plugins_abi_minor_la_LDFLAGS = $(FAKE_LDFLAGS)
tests_fake_plugins_abi_minor_la_LIBADD = $(FAKE_LIBADD)
tests_fake_plugins_no_symbol_la_SOURCES = tests/fake-plugins/fake.c
tests_fake_plugins_no_symbol_la_CPPFLAGS = $(AM_CPPFLAGS) -DFAKE_NAME='"no_symbol"' -DFAKE_DESC_NAME='"no_symbol"' -DFAKE_SYM=no_symbol_something_else -DFAKE_NO_SYMBOL
tests_fake_plugins_no_symbol_la_LDFLAGS = -module -avoid-version -no-undefined -shared -rpath /nowhere
tests_fake_plugins_no_symbol_la_LIBADD = $(FAKE_LIBADD)
tests_fake_plugins_wrong_name_la_SOURCES = tests/fake-plugins/fake.c
tests_fake_plugins_wrong_name_la_CPPFLAGS = $(AM_CPPFLAGS) -DFAKE_NAME='"wrong_name"' -DFAKE_DESC_NAME='"wrong_name"' -DFAKE_SYM=wrong_name_LTX_emc_plugin_get -DFAKE_WRONG_NAME
tests_fake_plugins_wrong_name_la_LDFLAGS = $(FAKE_LDFLAGS)
tests_fake_plugins_wrong_name_la_LIBADD = $(FAKE_LIBADD)
tests_fake_plugins_no_role_la_SOURCES = tests/fake-plugins/fake.c
tests_fake_plugins_no_role_la_CPPFLAGS = $(AM_CPPFLAGS) -DFAKE_NAME='"no_role"' -DFAKE_DESC_NAME='"no_role"' -DFAKE_SYM=no_role_LTX_emc_plugin_get -DFAKE_NO_ROLE
tests_fake_plugins_no_role_la_LDFLAGS = $(FAKE_LDFLAGS)
tests_fake_plugins_no_role_la_LIBADD = $(FAKE_LIBADD)
tests_fake_plugins_dup_good_la_SOURCES = tests/fake-plugins/fake.c
tests_fake_plugins_dup_good_la_CPPFLAGS = $(AM_CPPFLAGS) -DFAKE_NAME='"dupgood"' -DFAKE_DESC_NAME='"good"' -DFAKE_SYM=good_LTX_emc_plugin_get
tests_fake_plugins_dup_good_la_LDFLAGS = $(FAKE_LDFLAGS)
tests_fake_plugins_dup_good_la_LIBADD = $(FAKE_LIBADD)

# Hostile and broken input (issue 9), and the inputs the fuzzers found.
TESTS += tests/cli/t0500-hostile.tap tests/cli/t0510-fuzz-regressions.tap
EXTRA_DIST += tests/cli/t0500-hostile.tap tests/cli/t0510-fuzz-regressions.tap
# Issue 32's findings in the core and the program.
TESTS += tests/cli/t0520-hostile-core.tap
EXTRA_DIST += tests/cli/t0520-hostile-core.tap
# The program's heap tuning against malloc's own policy: the same bytes.
TESTS += tests/cli/t0540-heap.tap
EXTRA_DIST += tests/cli/t0540-heap.tap
# Issue 32's findings in the plugins and the IR reader.
TESTS += tests/cli/t0530-hostile-plugins.tap tests/cli/t0531-ir-check.tap
EXTRA_DIST += tests/cli/t0530-hostile-plugins.tap tests/hostile-gen.py \
  tests/cli/t0531-ir-check.tap tests/ircheck-diff.py
# Round trips through odt and tei (issue 34).
TESTS += tests/cli/t1300-roundtrip.tap
EXTRA_DIST += tests/cli/t1300-roundtrip.tap tests/roundtrip-compare.py
