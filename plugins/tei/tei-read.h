/* SPDX-License-Identifier: MIT */
/* tei-read.h - the TEI reader (tei-read.c), for the tei module's one
 * descriptor in tei.c. */
#ifndef EMUCONV_TEI_READ_H
#define EMUCONV_TEI_READ_H

#include <emuconv/plugin.h>

int tei_read(emc_ctx *ctx, const emc_input *in, emc_doc **out, emc_error *err);
int tei_probe(const unsigned char *head, size_t len);

#endif
