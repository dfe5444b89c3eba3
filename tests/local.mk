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
  PYTHON3='$(PYTHON3)'; export PYTHON3; \
  top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
  top_builddir='$(abs_top_builddir)'; export top_builddir; \
  srcdir='$(srcdir)'; export srcdir;

TESTS += tests/cli/t1000-txt-ir.tap tests/cli/t2000-tei.tap
EXTRA_DIST += tests/lib.sh tests/textof.py tests/textcheck.py $(TESTS)
