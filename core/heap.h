/* heap.h - the program's memory policy (heap.c).  Internal to the emuconv
 * program, never in the library: how the heap is laid out is a choice for
 * the whole process, which a library must not make for its caller.
 *
 * A single conversion runs on glibc's defaults.  Its tuning (a raised mmap
 * threshold, the heap prefaulted with MADV_POPULATE_WRITE, transparent
 * huge pages from 8 MB of input) was removed by issue 26: with and without
 * it, CPU time differed by less than 10 % on every row measured (the
 * 2 MB page and DOCX -> tei/epub, the seeds, 50 MB of text -> tei; see
 * doc/design.md), the bar such tricks must pass. */
#ifndef EMUCONV_HEAP_H
#define EMUCONV_HEAP_H

/* For a batch worker, which converts file after file: keeps freed memory
 * for the next file instead of giving it back.  glibc's default trims the
 * heap's top and maps (and unmaps) blocks of 128 kB and more on their own,
 * so each file touched fresh pages again (zlib's 256 kB of state,
 * textcat's tables), a page fault each. */
void heap_keep_freed(void);

#endif
