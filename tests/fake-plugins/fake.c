/* SPDX-License-Identifier: MIT */
/* fake.c - one source, several fake modules chosen by -DFAKE_*: each
 * breaks one rule of the loader, or is a well-formed duplicate. */
#include <config.h>
#include <emuconv/plugin.h>

#ifndef FAKE_NO_ROLE
static int fake_write(emc_ctx *ctx, const emc_doc *doc, emc_output *out, emc_error *err)
{
  (void)ctx;
  (void)doc;
#ifdef FAKE_FAILING_WRITER
  /* write something first, so a partial file would exist if the core
   * did not clean up */
  emc_output_write(out, "partial", 7, err);
  return emc_error_set(err, EMC_EIO, "injected failure after a partial write");
#else
  return emc_output_write(out, FAKE_NAME "\n", sizeof FAKE_NAME, err);
#endif
}
#endif

static const char *const fake_exts[] = { FAKE_NAME, NULL };

static const emc_plugin fake_plugin = {
#ifdef FAKE_ABI_MAJOR
  .abi_major = EMC_PLUGIN_ABI_MAJOR + 1, .abi_minor = 0,
#elif defined(FAKE_ABI_MINOR)
  .abi_major = EMC_PLUGIN_ABI_MAJOR, .abi_minor = EMC_PLUGIN_ABI_MINOR + 1,
#else
  EMC_PLUGIN_ABI,
#endif
#ifdef FAKE_WRONG_NAME
  .name = "somethingelse",
#else
  .name = FAKE_DESC_NAME,
#endif
  .version = "0",
  .description = "fake plugin for the loader tests",
  .extensions = fake_exts,
#ifndef FAKE_NO_ROLE
  .write = fake_write,
#endif
};

#ifdef FAKE_NO_SYMBOL
/* exports something else */
const emc_plugin *FAKE_SYM(void);
const emc_plugin *FAKE_SYM(void) { return &fake_plugin; }
#else
const emc_plugin *FAKE_SYM(void);
const emc_plugin *FAKE_SYM(void) { return &fake_plugin; }
#endif
