# SPDX-License-Identifier: MIT
filter_LTLIBRARIES += filters/references.la
filters_references_la_SOURCES = filters/references/references.c
filters_references_la_LDFLAGS = $(EMC_MODULE_FLAGS)
filters_references_la_LIBADD = filters/common/libfilterutil.la core/libemuconv.la $(LIBXML2_LIBS)
TESTS += tests/cli/t3100-references.tap
EXTRA_DIST += tests/cli/t3100-references.tap
