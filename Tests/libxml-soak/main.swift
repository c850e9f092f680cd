// Loops every LibXML entry point (parse, XSD validation, XPath, HTML, and the
// refusal paths) so `make leak-check` can run it under valgrind: any C
// allocation not freed shows up as "definitely lost".
//
// Usage: libxml-soak SCHEMA.xsd DOCUMENT.xml [ITERATIONS]
import LibXML

#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
  print("usage: libxml-soak SCHEMA.xsd DOCUMENT.xml [ITERATIONS]")
  exit(64)
}
let iterations = arguments.count > 3 ? Int(arguments[3]) ?? 100 : 100
let schema = try XSDSchema(contentsOf: arguments[1])
let doctype = Array(
  "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>\n<r>&x;</r>".utf8)
let broken = Array("<a><b></a>".utf8)
let page = Array(
  "<html><head><title>t</title></head><body><nav><a href='x'>x</a></nav><p>unclosed<div id=a></body>".utf8)
var checks = 0
for _ in 0..<iterations {
  let document = try MarkupDocument(contentsOf: arguments[2])
  checks += schema.validate(document).count
  if case .nodes(let nodes) = try document.evaluate("//r:criterion", namespaces: ["r": "urn:mastery:rubric:1"]) {
    checks += nodes.count
  }
  checks += (try document.evaluate("count(//*)")).isTrue ? 1 : 0
  _ = try? document.evaluate("//[")
  checks += document.root?.children.count ?? 0
  _ = try? MarkupDocument(xml: doctype, path: "doctype.xml")
  _ = try? MarkupDocument(xml: broken, path: "broken.xml")
  let html = try MarkupDocument.html(bytes: page, path: "page.html")
  checks += html.warnings.count
  _ = try html.evaluate("//a[@href]")
  checks += XPathSyntax.problem(in: "//a[") == nil ? 0 : 1
}
print("ran \(iterations) iterations (\(checks) results)")
