# SPDX-License-Identifier: MIT
# Helpers shared by the govtext, references and language filters: a
# convenience library linked into each module, not part of the plugin ABI.
# It lives in filters/common/, out of the directory the loader scans.
noinst_LTLIBRARIES += filters/common/libfilterutil.la
filters_common_libfilterutil_la_SOURCES = filters/common/filterutil.c filters/common/filterutil.h
# The three filters' results through the writers (TEI, EPUB, ODT).
TESTS += tests/cli/t3300-writers.tap
EXTRA_DIST += tests/cli/t3300-writers.tap
