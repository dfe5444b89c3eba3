# SPDX-License-Identifier: MIT
filter_LTLIBRARIES += filters/govtext.la
filters_govtext_la_SOURCES = filters/govtext/govtext.c
filters_govtext_la_LDFLAGS = $(EMC_MODULE_FLAGS)
filters_govtext_la_LIBADD = filters/common/libfilterutil.la core/libemuconv.la $(LIBXML2_LIBS)
TESTS += tests/cli/t3000-govtext.tap
EXTRA_DIST += tests/cli/t3000-govtext.tap
