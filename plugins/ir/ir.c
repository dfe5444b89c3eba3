/* ir.c - the intermediate representation itself, as a format: read it
 * back (validated against the schema) and write it (pretty-printed UTF-8).
 * Lets users run any XML tool between emuconv's reader and writer:
 *   emuconv a.txt -t ir - | xsltproc my.xsl - | emuconv -f ir - out.tei */
#include <config.h>
#include <stdint.h>
#include <string.h>
#include <libxml/parser.h>
#include <emuconv/plugin.h>

static int ir_probe(const unsigned char *head, size_t len)
{
  static const char ns[] = EMC_IR_NS;
  for (size_t i = 0; i + sizeof ns - 1 <= len; i++)
    if (memcmp(head + i, ns, sizeof ns - 1) == 0)
      return 90;
  return 0;
}

/* Elements whose content is blocks (or meta fields), never text: white
 * space between their children is indentation. */
static int block_container(const xmlNode *n)
{
  static const char *const names[] = {
    "document", "meta", "body", "section", "quote", "list", "item", "deflist",
    "definition", "table", "row", "cell", "figure", "note", NULL
  };
  for (const char *const *p = names; *p; p++)
    if (emc_ir_is(n, *p))
      return 1;
  return 0;
}

static int only_space(const xmlChar *s)
{
  for (; s && *s; s++)
    if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
      return 0;
  return 1;
}

/* Iterative, so that nesting depth costs no stack. */
static void strip_indentation(xmlNodePtr root)
{
  xmlNodePtr n = root;
  while (n) {
    xmlNodePtr next = NULL;
    if (n->type == XML_ELEMENT_NODE && n->children)
      next = n->children;
    else {
      xmlNodePtr up = n;
      while (up && up != root && !up->next)
        up = up->parent;
      next = up && up != root ? up->next : NULL;
    }
    if ((n->type == XML_TEXT_NODE || n->type == XML_COMMENT_NODE ||
         n->type == XML_PI_NODE) && n->parent && block_container(n->parent) &&
        (n->type != XML_TEXT_NODE || only_space(n->content))) {
      xmlUnlinkNode(n);
      xmlFreeNode(n);
    }
    n = next;
  }
}

static int ir_read(emc_ctx *ctx, const emc_input *in, emc_doc **out,
                   emc_error *err)
{
  (void)ctx;
  if (in->size > INT32_MAX)
    return emc_error_set(err, EMC_ELIMIT, "IR input over 2 GiB");
  xmlParserCtxtPtr pc = xmlNewParserCtxt();
  if (!pc)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  /* No network, no DTD loading, no entity substitution. */
  xmlDocPtr tree = xmlCtxtReadMemory(pc, (const char *)in->data, (int)in->size,
                                     in->name, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                     XML_PARSE_NOWARNING);
  if (!tree) {
    const xmlError *e = xmlCtxtGetLastError(pc);
    int rc = emc_error_set(err, EMC_EPARSE, "not well-formed XML: %s",
                           e && e->message ? e->message : "parse error");
    if (e) {
      if (err && err->message) { /* drop libxml2's trailing newline */
        size_t l = strlen(err->message);
        if (l && err->message[l - 1] == '\n')
          err->message[l - 1] = '\0';
      }
      emc_error_set_position(err, in->name, e->line);
    }
    xmlFreeParserCtxt(pc);
    return rc;
  }
  xmlFreeParserCtxt(pc);
  if (tree->intSubset || tree->extSubset) {
    xmlFreeDoc(tree);
    return emc_error_set(err, EMC_EPARSE, "a DOCTYPE is not allowed in the IR");
  }
  emc_doc *doc = emc_doc_wrap(tree, err);
  if (!doc) {
    xmlFreeDoc(tree);
    return err ? err->code : EMC_EPARSE;
  }
  strip_indentation(xmlDocGetRootElement(tree));
  int rc = emc_doc_validate(doc, err);
  if (rc) {
    emc_doc_free(doc);
    return rc;
  }
  *out = doc;
  return EMC_OK;
}

static int ir_write(emc_ctx *ctx, const emc_doc *doc, emc_output *out,
                    emc_error *err)
{
  (void)ctx;
  return emc_output_save_xml(out, emc_doc_tree(doc), 1, err);
}

static const char *const ir_extensions[] = { "ir", "ir.xml", NULL };
static const char *const ir_mime_types[] = { "application/x-emuconv-ir+xml", NULL };

static const emc_plugin ir_plugin = {
  EMC_PLUGIN_ABI,
  .name = "ir",
  .version = PACKAGE_VERSION,
  .description = "emuconv intermediate XML (read and write)",
  .extensions = ir_extensions,
  .mime_types = ir_mime_types,
  .probe = ir_probe,
  .read = ir_read,
  .write = ir_write,
};

EMC_PLUGIN_EXPORT(ir, ir_plugin)
