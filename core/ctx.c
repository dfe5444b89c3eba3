/* SPDX-License-Identifier: MIT */
/* ctx.c - the context: options, logging, limits, plugin search path. */
#include <config.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core-private.h"

static const emc_limits default_limits = {
  .max_input_bytes = (size_t)1 << 30, /* 1 GiB */
  .max_depth = 256,
  .max_nodes = (size_t)50 * 1000 * 1000,
  .max_zip_entries = 10000,
  .max_entry_bytes = (size_t)512 << 20,
  .max_total_bytes = (size_t)1 << 30,
  .max_ratio = 200,
};

emc_ctx *emc_ctx_new(void)
{
  emc_ctx *ctx = calloc(1, sizeof *ctx);
  if (!ctx)
    return NULL;
  ctx->limits = default_limits;
  ctx->command_timeout = EMC_COMMAND_TIMEOUT_DEFAULT;
  const char *env = getenv("EMUCONV_PLUGIN_PATH");
  if (env && *env)
    ctx->plugin_path = emci_asprintf("%s:%s", env, EMUCONV_PLUGIN_DIRS);
  else
    ctx->plugin_path = emci_strdup(EMUCONV_PLUGIN_DIRS);
  if (!ctx->plugin_path) {
    free(ctx);
    return NULL;
  }
  return ctx;
}

void emc_ctx_free(emc_ctx *ctx)
{
  if (!ctx)
    return;
  emci_registry_free(ctx);
  for (size_t i = 0; i < ctx->n_options; i++) {
    free(ctx->options[i].name);
    free(ctx->options[i].value);
  }
  free(ctx->options);
  free(ctx->plugin_path);
  free(ctx->usable_path);
  free(ctx);
}

int emc_ctx_set_option(emc_ctx *ctx, const char *name, const char *value)
{
  for (size_t i = 0; i < ctx->n_options; i++) {
    if (strcmp(ctx->options[i].name, name) == 0) {
      char *v = NULL;
      if (value && !(v = emci_strdup(value)))
        return EMC_ENOMEM;
      free(ctx->options[i].value);
      ctx->options[i].value = v;
      return EMC_OK;
    }
  }
  if (!value)
    return EMC_OK;
  emci_option *grown =
      realloc(ctx->options, (ctx->n_options + 1) * sizeof *grown);
  if (!grown)
    return EMC_ENOMEM;
  ctx->options = grown;
  char *n = emci_strdup(name), *v = emci_strdup(value);
  if (!n || !v) {
    free(n);
    free(v);
    return EMC_ENOMEM;
  }
  ctx->options[ctx->n_options].name = n;
  ctx->options[ctx->n_options].value = v;
  ctx->n_options++;
  return EMC_OK;
}

const char *emc_ctx_option(const emc_ctx *ctx, const char *name)
{
  for (size_t i = 0; i < ctx->n_options; i++)
    if (strcmp(ctx->options[i].name, name) == 0)
      return ctx->options[i].value;
  return NULL;
}

void emc_ctx_set_log_handler(emc_ctx *ctx, emc_log_fn fn, void *user)
{
  ctx->log_fn = fn;
  ctx->log_user = user;
}

void emc_ctx_set_warning_handler(emc_ctx *ctx, emc_warning_fn fn, void *user)
{
  ctx->warning_fn = fn;
  ctx->warning_user = user;
}

/* CODE: the warning's code when it is one (emc_ctx_log() at WARN: "other"),
 * NULL for other messages. */
static void log_message(emc_ctx *ctx, int level, const char *code, const char *fmt, va_list ap)
    EMC_PRINTF(4, 0);
static void log_message(emc_ctx *ctx, int level, const char *code, const char *fmt, va_list ap)
{
  if (!ctx || (!ctx->log_fn && !(code && ctx->warning_fn)))
    return;
  char *msg = emci_vasprintf(fmt, ap);
  if (msg && code && ctx->warning_fn)
    ctx->warning_fn(ctx->warning_user, code, msg);
  if (msg && ctx->log_fn)
    ctx->log_fn(ctx->log_user, level, msg);
  free(msg);
}

void emc_ctx_log(emc_ctx *ctx, int level, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  log_message(ctx, level, level == EMC_LOG_WARN ? "other" : NULL, fmt, ap);
  va_end(ap);
}

void emc_ctx_warn(emc_ctx *ctx, const char *code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  log_message(ctx, EMC_LOG_WARN, code && *code ? code : "other", fmt, ap);
  va_end(ap);
}

void emc_ctx_note(emc_ctx *ctx, const char *code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  log_message(ctx, EMC_LOG_INFO, code && *code ? code : "other", fmt, ap);
  va_end(ap);
}

void emc_ctx_set_progress_handler(emc_ctx *ctx, emc_progress_fn fn, void *user)
{
  ctx->progress_fn = fn;
  ctx->progress_user = user;
}

void emci_progress(emc_ctx *ctx, const char *phase, const char *detail)
{
  if (ctx && ctx->progress_fn)
    ctx->progress_fn(ctx->progress_user, phase, detail);
}

void emc_ctx_set_limits(emc_ctx *ctx, const emc_limits *limits)
{
  ctx->limits = *limits;
}

void emc_ctx_set_command_timeout(emc_ctx *ctx, double seconds)
{
  ctx->command_timeout = seconds > 0 ? seconds : 0;
}

const char *emc_ctx_input_dir(const emc_ctx *ctx)
{
  return ctx ? ctx->input_dir : NULL;
}

const emc_limits *emc_ctx_limits(const emc_ctx *ctx)
{
  return &ctx->limits;
}

int emc_ctx_prepend_plugin_dir(emc_ctx *ctx, const char *dir)
{
  char *p = emci_asprintf("%s:%s", dir, ctx->plugin_path);
  if (!p)
    return EMC_ENOMEM;
  free(ctx->plugin_path);
  ctx->plugin_path = p;
  free(ctx->usable_path); /* checked again when next needed */
  ctx->usable_path = NULL;
  return EMC_OK;
}

const char *emc_ctx_plugin_path(const emc_ctx *ctx)
{
  return ctx->plugin_path;
}

long long emc_ctx_timestamp(const emc_ctx *ctx)
{
  (void)ctx;
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  if (sde && *sde) {
    char *end;
    long long v = strtoll(sde, &end, 10);
    if (*end == '\0' && v >= 0)
      return v;
  }
  return (long long)time(NULL);
}

const char *emc_default_filters(void)
{
  const char *env = getenv("EMUCONV_DEFAULT_FILTERS");
  return env ? env : EMUCONV_DEFAULT_FILTERS;
}

const char *emc_version(void)
{
  return PACKAGE_VERSION;
}
