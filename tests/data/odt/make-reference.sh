#!/bin/sh
# SPDX-License-Identifier: MIT
# Makes reference.odt, the --reference-doc template of t2220, with
# LibreOffice from reference.html: its CSS restyles Heading 1, Heading 2
# and Text body (DejaVu Sans Condensed 22pt #1f4e79...), which LibreOffice
# writes as those named styles in the template's styles.xml, with its own
# page styles, default styles and loext: extensions around them.
# Run from this directory: sh make-reference.sh
set -eu
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
soffice -env:UserInstallation="file://$profile" --headless --infilter="HTML (StarWriter)" \
  --convert-to odt reference.html
