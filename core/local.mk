# SPDX-License-Identifier: MIT
# libemuconv: the registry, the pipeline, the IR; exports emc_* only.
lib_LTLIBRARIES += core/libemuconv.la
core_libemuconv_la_SOURCES = core/core-private.h core/error.c core/ctx.c \
  core/io.c core/buf.c core/xmlsave.c core/doc.c core/registry.c core/convert.c core/tempfile.c core/extfilter.c core/text.c \
  core/parallel.c core/url.c core/irtree-check.c core/meta.c
nodist_core_libemuconv_la_SOURCES = core/ir-schema.c
core_libemuconv_la_LIBADD = $(LIBXML2_LIBS) $(LTDL_LIBS) $(PTHREAD_LIBS) $(JSONC_LIBS) $(YAML_LIBS)
core_libemuconv_la_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS) $(YAML_CFLAGS)
# -version-info (interfaces added: current+1, age+1; removed: current+1,
# age 0): 1:0:1 added emc_xml_save, 2:0:2 emc_xml_dump, 3:0:0 removed both
# and added emc_output_sink_new, emc_output_dump_xml, emc_temp_files_remove,
# emc_ctx_set_command_timeout, emc_ctx_input_dir, emc_url_is_safe,
# emc_doc_resource_free_name, emc_doc_exceeds_nodes, emc_buf_*, emc_text_*,
# emc_ir_next; 4:0:1 added emc_meta_key_lookup, emc_doc_meta_apply,
# emc_doc_meta_apply_pairs, emc_meta_file_read, emc_meta_pairs_free
# (doc/plugin-abi.md)
core_libemuconv_la_LDFLAGS = -no-undefined -version-info 4:0:1 \
  -export-symbols-regex '^emc_'

emuconvincludedir = $(includedir)/emuconv
emuconvinclude_HEADERS = include/emuconv/emuconv.h include/emuconv/error.h \
  include/emuconv/io.h include/emuconv/ir.h include/emuconv/plugin.h \
  include/emuconv/text.h include/emuconv/buf.h include/emuconv/url.h
dist_irschema_DATA += include/emuconv/ir.rng

# The IR schema is compiled into the library, so validation needs no file
# lookup whether emuconv is installed or run from the build tree.
core/ir-schema.c: $(top_srcdir)/include/emuconv/ir.rng
	$(AM_V_GEN)$(MKDIR_P) core && { \
	  echo '/* generated from include/emuconv/ir.rng - do not edit */'; \
	  echo 'extern const char emci_ir_schema[];'; \
	  echo 'const char emci_ir_schema[] ='; \
	  $(SED) -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	  echo ';'; } > $@-t && mv $@-t $@
CLEANFILES += core/ir-schema.c

bin_PROGRAMS += emuconv
emuconv_SOURCES = core/emuconv.c core/cli.c core/cli.h core/batch.c core/batch.h \
  core/batch-private.h core/batch-pool.c core/batch-progress.c core/batch-report.c core/heap.c core/heap.h \
  core/batch-stamp.c core/catalogue.c core/catalogue.h
emuconv_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
emuconv_LDADD = core/libemuconv.la $(LIBXML2_LIBS) $(JSONC_LIBS)

# --parallel (core/parallel.c) through the TEI, EPUB and ODT writers.
TESTS += tests/cli/t3400-parallel.tap tests/unit/parallel
EXTRA_DIST += tests/cli/t3400-parallel.tap tests/parallelcheck.py
# collections (emc_convert_collection) through the same writers
TESTS += tests/cli/t3410-collection.tap
EXTRA_DIST += tests/cli/t3410-collection.tap tests/collectioncheck.py
check_PROGRAMS += tests/unit/parallel
tests_unit_parallel_SOURCES = tests/unit/parallel.c tests/tap.h tests/unit/xp.h
tests_unit_parallel_CFLAGS = $(AM_CFLAGS) -Wno-unused-function
tests_unit_parallel_LDADD = core/libemuconv.la $(LIBXML2_LIBS)
