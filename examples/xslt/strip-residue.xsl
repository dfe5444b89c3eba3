<?xml version="1.0" encoding="UTF-8"?>
<!-- An external filter for emuconv (use: emuconv -\-filter 'xsltproc strip-residue.xsl -' in.txt out.epub).
     It copies the IR unchanged except for paragraphs that are left-overs
     of a web page's comment widget: "Comment (0)", "Komentar (3)"... -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ir="urn:emuconv:ir:1">
  <xsl:output method="xml" encoding="UTF-8"/>

  <!-- identity: everything is copied as it is -->
  <xsl:template match="@*|node()">
    <xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy>
  </xsl:template>

  <!-- ... except a short paragraph "Label (N)" whose label is a comment
       counter's: dropped -->
  <xsl:template match="ir:p[substring(normalize-space(.), string-length(normalize-space(.))) = ')']">
    <xsl:variable name="label" select="normalize-space(substring-before(., '('))"/>
    <xsl:choose>
      <xsl:when test="$label = 'Comment' or $label = 'Comments' or $label = 'Komentar'
                      or $label = 'Bình luận' or $label = 'टिप्पणी'"/>
      <xsl:otherwise>
        <xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
