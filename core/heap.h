/* SPDX-License-Identifier: MIT */
/* heap.h - the program's memory policy (heap.c).  Internal to the emuconv
 * program, never in the library: how the heap is laid out is a choice for
 * the whole process, which a library must not make for its caller. */
#ifndef EMUCONV_HEAP_H
#define EMUCONV_HEAP_H

#include <stddef.h>

/* Before converting INPUT (a path, "-" for standard input): when it is a
 * regular file below HEAP_MIN_INPUT bytes, raises the mmap threshold (see
 * HEAP_MMAP_THRESHOLD) and prefaults the heap (HEAP_PREFAULT_PER_INPUT_X2);
 * of HEAP_MIN_INPUT bytes or more, puts the heap the
 * conversion will grow (about HEAP_PER_INPUT bytes per input byte, at most
 * HEAP_MAX) on transparent huge pages, where the kernel offers them on
 * request (THP "madvise" or "always"), and keeps freed memory in the heap.
 *
 * Why: a document's tree is many small allocations; each 4 kB page of
 * heap costs a page fault when first touched, and on a virtual machine a
 * fault costs tens of microseconds (a third of the CPU time of a 2 MB
 * page's conversion).  One 2 MB page is one fault.  Not below 8 MB: a
 * smaller conversion's heap is a few 2 MB pages, and the unused part of
 * the last one is a visible share of its peak RSS (the 2 MB news page:
 * 11.3 MB on small pages, 12.2-13.6 MB on huge ones, past issue 6's 6x).
 *
 * How: large blocks are no longer given mappings of their own (their
 * unmapping would lose the advice) and the heap is never trimmed; a block
 * of that size is allocated, its 2 MB-aligned inside advised
 * MADV_HUGEPAGE, and freed untouched, so that later allocations reuse the
 * range.  Nothing is committed until used.  Nothing can fail visibly:
 * without THP it only changes where blocks come from.
 *
 * The program skips all of it when EMUCONV_PLAIN_HEAP is set:
 * tests/cli/t0540-heap.tap checks that the outputs are the same bytes
 * either way, below and above HEAP_MIN_INPUT. */
#define HEAP_MIN_INPUT ((size_t)8 << 20)
/* Below HEAP_MIN_INPUT, blocks up to this size come from the heap, not from
 * mappings of their own (glibc's default: from 128 kB up), so that a block
 * freed is reused, its pages already touched, instead of being unmapped
 * and the next large block faulting in fresh pages: the input buffer,
 * libxml2's and the writers' growing buffers, zlib's state.  The 2 MB
 * news page -> tei: 2,422 -> 1,928 page faults, CPU time -9%, peak RSS the
 * same within 1% (-> odt: 3,429 -> 2,642 faults, RSS 15.2 -> 14.3 MB).
 * 32 MB is glibc's largest threshold; the heap's top is still trimmed. */
#define HEAP_MMAP_THRESHOLD (32 << 20)
/* Below HEAP_MIN_INPUT, the first 2.5 bytes of heap per input byte are
 * faulted in at once (MADV_POPULATE_WRITE, Linux 5.14 and later), not a
 * fault per page as the tree grows: one system call instead of hundreds
 * of traps.  Every reader's conversion grows its heap past that: measured
 * heap extents (brk) were 2.6x the input for text, 3.1-3.3x for HTML,
 * 10x for DOCX (its input is compressed), so the populated pages would
 * have been touched anyway and the peak RSS stays the same (the 2 MB news
 * page -> tei, epub: 11.6-11.8 MB both ways; the 798 kB DOCX -> tei:
 * 14.6 -> 15.1 MB).  CPU time, medians of 15 alternating runs on a loaded
 * machine (compare within a line, not across): the page ->
 * tei 122.7 -> 110.1 ms, -> epub 145.2 -> 135.8, 2 MB of text -> tei
 * 58.7 -> 47.0, the DOCX -> tei 139.0 -> 119.8. */
#define HEAP_PREFAULT_PER_INPUT_X2 5
#define HEAP_PER_INPUT 6
#define HEAP_MAX ((size_t)1 << 30)
void heap_prepare(const char *input);

/* For a batch worker, which converts file after file: keeps freed memory
 * for the next file instead of giving it back.  glibc's default trims the
 * heap's top and maps (and unmaps) blocks of 128 kB and more on their own,
 * so each file touched fresh pages again (zlib's 256 kB of state,
 * textcat's tables), a page fault each. */
void heap_keep_freed(void);

#endif
