/* SPDX-License-Identifier: MIT */
/* pathnorm.h - dot segments out of a relative path, for the readers that
 * follow paths found in untrusted input: the docx reader's part names
 * (relationship targets inside the zip) and the html reader's local
 * images (src relative to the page's directory).  Both used to carry the
 * same loop (RFC 3986 section 5.2.4, remove_dot_segments, on a path that
 * may not climb above where it starts).
 *
 * A convenience library linked into those modules, not part of the plugin
 * ABI.  Pure: no context, thread-safe. */
#ifndef EMUCONV_PATHNORM_H
#define EMUCONV_PATHNORM_H

/* PATH ('/'-separated, already percent-decoded, relative to some root)
 * without empty and "." segments, each ".." taking away the segment
 * before it.  Returns: (transfer full) the result, to free(); NULL when a
 * ".." would climb above the root, when nothing is left, or when out of
 * memory. */
char *pathnorm_remove_dots(const char *path);

#endif /* EMUCONV_PATHNORM_H */
