import CLibXML2

/// Process-wide libxml2 set-up, done once before the first parse.
///
/// Initialises the parser for use from many threads, refuses every external
/// entity (NONET alone blocks only http:// and ftp://), and silences the
/// generic error channel so nothing is printed behind the caller's back;
/// every message reaches a `DiagnosticCollector` instead.
enum LibXMLRuntime {
  static let ready: Void = {
    xmlInitParser()
    xmlSetExternalEntityLoader(refuseExternalEntity)
    mastery_silenceGenericErrors()
  }()

  /// Makes sure the set-up ran; cheap after the first call.
  static func prepare() {
    _ = ready
    // Generic-error handlers are per thread in libxml2: silence this one too.
    mastery_silenceGenericErrors()
  }
}

/// The external entity loader: loads nothing, ever.
private func refuseExternalEntity(
  _ url: UnsafePointer<CChar>?, _ id: UnsafePointer<CChar>?, _ context: xmlParserCtxtPtr?
) -> xmlParserInputPtr? {
  nil
}
