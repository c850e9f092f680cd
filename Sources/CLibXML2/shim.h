#ifndef MASTERY_CLIBXML2_SHIM_H
#define MASTERY_CLIBXML2_SHIM_H

/* Debian's libxml2 is built with ICU, and libxml/encoding.h then includes
   ICU's headers, whose UErrorCode clashes with Foundation's bundled ICU in any
   module that imports both. Nothing here touches the ICU converter fields of
   xmlCharEncodingHandler (only pointers to it), so leave ICU out. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/HTMLparser.h>
#include <libxml/globals.h>

/* xmlFree is a C global variable; Swift 6 refuses to touch it directly. */
static inline void mastery_xmlFree(void *pointer) { xmlFree(pointer); }

/* The node-set accessors are macros in libxml2; Swift cannot import them. */
static inline int mastery_nodeSetCount(xmlNodeSetPtr set) {
  return set == NULL ? 0 : set->nodeNr;
}
static inline xmlNodePtr mastery_nodeSetItem(xmlNodeSetPtr set, int index) {
  return (set == NULL || index < 0 || index >= set->nodeNr) ? NULL : set->nodeTab[index];
}

/* Generic errors are printf-style (variadic): Swift cannot define such a
   function, so the silent handler lives here. */
static inline void mastery_discardGenericError(void *context, const char *message, ...) {
  (void)context;
  (void)message;
}
static inline void mastery_silenceGenericErrors(void) {
  xmlSetGenericErrorFunc(NULL, mastery_discardGenericError);
  xmlThrDefSetGenericErrorFunc(NULL, mastery_discardGenericError);
}

#endif
