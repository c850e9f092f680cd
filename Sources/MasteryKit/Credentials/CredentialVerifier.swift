import Foundation

/// Checks a VC-JWT credential: its signature with the issuer's public key, its
/// JWT claims against the credential inside, its dates, the fields the Open
/// Badges 3.0 schema requires, and (given the submission) the SHA-256 of
/// every file it names.
public struct CredentialVerifier: Sendable {
  /// One thing wrong with a credential, in words that say which.
  public enum Failure: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case unsupportedAlgorithm(String)
    case wrongKey(signedWith: String, given: String)
    case algorithmMismatch(alg: String, given: String)
    case tampered
    case notVerified(kid: String)
    case notIssuersKey(kid: String, issuer: String)
    case anotherIssuersKey(keyIssuer: String, issuer: String)
    case claimMismatch(claim: String, expected: String, found: String)
    case notYetValid(validFrom: String)
    case expired(validUntil: String)
    case structure(String)
    case evidenceChanged(path: String, expected: String, found: String)
    case evidenceMissing(path: String)
    case revoked(list: String, index: Int)
    case statusUnchecked(String)
    case notRecipient(String)

    public var description: String {
      switch self {
      case .malformed(let reason): return "not a signed credential: \(reason)"
      case .unsupportedAlgorithm(let alg):
        return "signed with '\(alg)'; credentials are verified with RS256, ES256 or EdDSA"
      case .wrongKey(let signed, let given):
        return "signed with another key: the credential names key \(signed), but the key given is \(given)"
      case .algorithmMismatch(let alg, let given):
        return "signed with another key: the credential is signed with \(alg), but the key given is for \(given)"
      case .tampered:
        return "the signature does not match the content: the credential was changed after it was signed"
      case .notVerified(let kid):
        return
          "the signature does not match the key given: the credential was changed after it was signed, or another key signed it (it names key \(kid))"
      case .notIssuersKey(let kid, let issuer):
        return "signed with key \(kid), which is not a key of its issuer \(issuer)"
      case .anotherIssuersKey(let keyIssuer, let issuer):
        return "issued by \(issuer), but the key given is a key of \(keyIssuer)"
      case .claimMismatch(let claim, let expected, let found):
        return
          "the JWT claim '\(claim)' is \(found) but the credential says \(expected): the two were not signed together"
      case .notYetValid(let validFrom): return "not valid yet: it becomes valid at \(validFrom)"
      case .expired(let validUntil): return "expired: it was valid until \(validUntil)"
      case .structure(let problem): return "not an Open Badges 3.0 credential: \(problem)"
      case .evidenceChanged(let path, let expected, let found):
        return
          "evidence file \(path) is not the file judged: its SHA-256 is \(found), the credential records \(expected)"
      case .evidenceMissing(let path): return "evidence file \(path) is not in the submission"
      case .revoked(let list, let index): return "revoked by its issuer (status list \(list), entry \(index))"
      case .statusUnchecked(let reason): return "whether it was revoked cannot be checked: \(reason)"
      case .notRecipient(let who):
        return "\(who) is not its recipient: neither its subject's DID nor any of its identifiers, hashed or not, is that"
      }
    }
  }

  /// What a credential says, for the report of a valid one.
  public struct Summary: Sendable, Equatable {
    public var name: String
    public var subject: String
    public var issuer: String
    public var validFrom: String
    public var validUntil: String?
    public var filesChecked: Int
    /// The key that verified the signature: its id, else its thumbprint.
    public var signedWith: String
    /// False when the key given names no issuer (a plain JWK, a JWKS, PEM): that it is the
    /// issuer's key is then the verifier's to know.
    public var keyNamesIssuer: Bool
    /// What is known of revocation: "not revoked (status list URL)", "not checked: ...", or "not revocable: ...".
    public var status: String
    /// Which identity matched the recipient asked about (`verify --recipient`), if one was.
    public var recipientMatch: String? = nil
  }

  public let keys: KeySet
  public let now: Date

  public init(keys: KeySet, now: Date = Date()) {
    self.keys = keys
    self.now = now
  }

  public init(key: IssuerKey, now: Date = Date()) {
    self.init(keys: KeySet(key), now: now)
  }

  /// Every failure found (empty: valid), and what the credential says when it could be read.
  ///
  /// - Parameters:
  ///   - jwt: the compact JWS.
  ///   - submission: the submission folder to hash the evidence files in, if given.
  ///   - statusList: the status list credential (a VC-JWT) the credential's `credentialStatus` names, if given.
  ///   - recipient: an e-mail address, local id or DID the credential must have been issued to, if given.
  public func verify(_ jwt: String, submission: String? = nil, statusList: String? = nil, recipient: String? = nil) -> (
    failures: [Failure], summary: Summary?
  ) {
    let verified: (payload: [String: Any], kid: String?, signer: KeySet.Entry)
    switch signed(jwt) {
    case .success(let found): verified = found
    case .failure(let failure): return ([failure], nil)
    }
    let (payload, kid, signer) = verified
    var failures = Self.structure(payload).map(Failure.structure)
    let subject = payload["credentialSubject"] as? [String: Any]
    let issuerID = (payload["issuer"] as? [String: Any])?["id"] as? String ?? payload["issuer"] as? String
    let validFrom = payload["validFrom"] as? String
    let validUntil = payload["validUntil"] as? String
    func claim(_ name: String, _ expected: Any?) {
      let found = payload[name]
      if "\(found ?? "nothing")" != "\(expected ?? "nothing")" {
        failures.append(
          .claimMismatch(claim: name, expected: "\(expected ?? "nothing")", found: "\(found ?? "nothing")"))
      }
    }
    claim("iss", issuerID)
    claim("jti", payload["id"])
    claim("sub", subject?["id"])
    claim("nbf", validFrom.flatMap(CredentialJWT.seconds))
    // Open Badges 3.0 section 8.2: exp stands for validUntil; without validUntil it is the expiry.
    if validUntil != nil { claim("exp", validUntil.flatMap(CredentialJWT.seconds)) }
    if validUntil == nil, let exp = payload["exp"] {
      if let seconds = (exp as? NSNumber)?.doubleValue, !(exp is Bool) {
        if now.timeIntervalSince1970 > seconds {
          failures.append(.expired(validUntil: Grader.timestamp(Date(timeIntervalSince1970: seconds))))
        }
      } else {
        failures.append(.structure("the JWT claim 'exp' is not a NumericDate"))
      }
    }
    if let bound = signer.issuer, issuerID != bound {
      failures.append(.anotherIssuersKey(keyIssuer: bound, issuer: issuerID ?? "nothing"))
    }
    if let kid, let issuerID, !Self.kid(kid, belongsTo: issuerID) {
      failures.append(.notIssuersKey(kid: kid, issuer: issuerID))
    }
    if let validFrom, let start = CredentialJWT.date(validFrom), now < start {
      failures.append(.notYetValid(validFrom: validFrom))
    }
    if let validUntil {
      // A date that cannot be read never skips the expiry check: the credential fails instead.
      if let end = CredentialJWT.date(validUntil) {
        if now > end { failures.append(.expired(validUntil: validUntil)) }
      } else {
        failures.append(.structure("validUntil '\(validUntil)' is not a date-time (RFC 3339, e.g. 2028-06-30T00:00:00Z)"))
      }
    }
    var checked = 0
    if let submission {
      for entry in payload["evidence"] as? [[String: Any]] ?? [] {
        guard entry["genre"] as? String != OpenBadgeCredential.rubricGenre, let name = entry["name"] as? String,
          let description = entry["description"] as? String,
          description.hasPrefix(OpenBadgeCredential.hashPrefix), let separator = name.range(of: ": ")
        else { continue }
        let path = String(name[separator.upperBound...])
        let expected = String(description.dropFirst(OpenBadgeCredential.hashPrefix.count))
        let full = (submission as NSString).appendingPathComponent(path)
        // Only a regular file is opened: never a link, a pipe or a device.
        var info = stat()
        guard Quantity.isContainedRelativePath(path), lstat(full, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
          let actual = EvidenceResolver.sha256(ofFile: full)
        else {
          failures.append(.evidenceMissing(path: path))
          continue
        }
        checked += 1
        if actual != expected { failures.append(.evidenceChanged(path: path, expected: expected, found: actual)) }
      }
    }
    var status: String
    if let entry = payload["credentialStatus"] as? [String: Any] {
      let url = entry["statusListCredential"] as? String ?? "(none)"
      if let statusList {
        switch StatusListCredential.check(entry, issuer: issuerID, listJWT: statusList, verifier: self) {
        case .active(let list): status = "not revoked (status list \(list))"
        case .revoked(let list, let index):
          failures.append(.revoked(list: list, index: index))
          status = "revoked"
        case .unusable(let reason):
          failures.append(.statusUnchecked(reason))
          status = "not checked"
        }
      } else {
        status = "revocation not checked: its status list is \(url) (give it with --status-list)"
      }
    } else {
      status = "not revocable: it has no credentialStatus"
    }
    var recipientMatch: String?
    if let recipient {
      recipientMatch = Self.match(recipient, subject: subject)
      if recipientMatch == nil { failures.append(.notRecipient(recipient)) }
    }
    let achievement = subject?["achievement"] as? [String: Any]
    var summary = Summary(
      name: achievement?["name"] as? String ?? payload["name"] as? String ?? "?",
      subject: Self.recipient(subject),
      issuer: (payload["issuer"] as? [String: Any])?["name"] as? String ?? issuerID ?? "?", validFrom: validFrom ?? "?",
      validUntil: validUntil, filesChecked: checked, signedWith: signer.kid ?? kid ?? signer.key.thumbprint,
      keyNamesIssuer: signer.issuer != nil || (signer.kid != nil && signer.kid == kid && Self.kid(kid, names: issuerID)),
      status: status)
    summary.recipientMatch = recipientMatch
    return (failures, summary)
  }

  /// Which of the subject's identities `who` is: its DID, an identity in clear, or a hashed one
  /// (Open Badges' IdentityHash: `sha256$` and the hex SHA-256 of the identity and the salt). An
  /// e-mail address is also tried in lower case, as addresses are written either way.
  static func match(_ who: String, subject: [String: Any]?) -> String? {
    let given = who.trimmingCharacters(in: .whitespaces)
    if let id = subject?["id"] as? String, id == given { return "its subject's DID" }
    let forms = given.contains("@") ? Array(Set([given, given.lowercased()])) : [given]
    for identity in subject?["identifier"] as? [[String: Any]] ?? [] {
      let type = identity["identityType"] as? String ?? "identity"
      let name = type == "emailAddress" ? "e-mail address" : type == "identifier" ? "local id" : type
      guard let hash = identity["identityHash"] as? String else { continue }
      if identity["hashed"] as? Bool == true {
        let salt = identity["salt"] as? String ?? ""
        let hex = hash.lowercased().hasPrefix("sha256$") ? String(hash.dropFirst(7)).lowercased() : nil
        if let hex, forms.contains(where: { EvidenceResolver.sha256(of: Data(($0 + salt).utf8)) == hex }) {
          return "its hashed \(name)"
        }
      } else if forms.contains(hash) {
        return "its \(name), in clear"
      }
    }
    return nil
  }

  /// True when a key id is a URL of the issuer's site or a DID URL of the issuer's DID.
  static func kid(_ kid: String?, names issuer: String?) -> Bool {
    guard let kid, let issuer else { return false }
    return (kid.hasPrefix("did:") || kid.hasPrefix("https://")) && Self.kid(kid, belongsTo: issuer)
  }

  /// False when a key id says it is another issuer's key: a DID URL of another DID, or, for an
  /// https issuer, a URL of another origin. Any other key id says nothing of its issuer.
  static func kid(_ kid: String, belongsTo issuer: String) -> Bool {
    if kid.hasPrefix("did:") {
      return kid.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) == issuer
    }
    guard kid.hasPrefix("https://") || kid.hasPrefix("http://"), issuer.hasPrefix("https://"),
      let kidURL = URL(string: kid), let issuerURL = URL(string: issuer)
    else { return true }
    return kidURL.scheme == issuerURL.scheme && kidURL.host?.lowercased() == issuerURL.host?.lowercased()
      && kidURL.port == issuerURL.port
  }

  /// The payload of a compact JWS whose signature one of the keys given verifies, with the header's
  /// key id and the key that verified it; else the one failure that stops everything else.
  func signed(_ jwt: String) -> Result<(payload: [String: Any], kid: String?, signer: KeySet.Entry), Failure> {
    let parts = jwt.trimmingCharacters(in: .whitespacesAndNewlines).split(
      separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3 else { return .failure(.malformed("a compact JWS has three parts separated by dots")) }
    guard let headerData = Base64URL.decode(parts[0]),
      let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any]
    else { return .failure(.malformed("the header is not base64url JSON")) }
    guard let payloadData = Base64URL.decode(parts[1]),
      let payload = try? JSONSerialization.jsonObject(with: payloadData) as? [String: Any]
    else { return .failure(.malformed("the payload is not base64url JSON")) }
    guard let signature = Base64URL.decode(parts[2]) else {
      return .failure(.malformed("the signature is not base64url"))
    }
    let alg = header["alg"] as? String ?? "(none)"
    guard let algorithm = SigningAlgorithm(rawValue: alg) else { return .failure(.unsupportedAlgorithm(alg)) }
    // RFC 7515 section 4.1.11: a crit header names extensions the verifier must understand, and
    // this one understands none; a header that points at or carries a key (jku, jwk, x5u, x5c, ...)
    // is never followed, and is refused rather than silently ignored.
    if header["crit"] != nil {
      return .failure(.malformed("the header has 'crit', naming extensions this verifier does not understand"))
    }
    if let extra = header.keys.sorted().first(where: { !Self.headerParameters.contains($0) }) {
      return .failure(
        .malformed("the header has '\(extra)', which a credential's header never needs (only alg, kid, typ, cty)"))
    }
    let kid = header["kid"] as? String
    let input = Data("\(parts[0]).\(parts[1])".utf8)
    let (named, others) = keys.candidates(kid: kid, algorithm: algorithm)
    guard let signer = (named + others).first(where: { $0.key.isValidSignature(signature, for: input) }) else {
      if named.isEmpty && others.isEmpty {
        let given = Set(keys.entries.map(\.key.algorithm.rawValue)).sorted().joined(separator: ", ")
        return .failure(.algorithmMismatch(alg: alg, given: given))
      }
      if !named.isEmpty { return .failure(.tampered) }
      if others.allSatisfy({ $0.kid != nil }) {
        let given = others.compactMap(\.kid).joined(separator: ", ")
        return .failure(.wrongKey(signedWith: kid ?? "(no kid)", given: given))
      }
      return .failure(.notVerified(kid: kid ?? "(no kid)"))
    }
    return .success((payload, kid, signer))
  }

  /// Where a level stands among a criterion's levels: its points when every level has them, else
  /// its place in the list (lowest first, as Open Badges lists them).
  static func rank(_ id: String, in levels: [[String: Any]]) -> Double? {
    guard let index = levels.firstIndex(where: { $0["id"] as? String == id }) else { return nil }
    let points = levels.map { ($0["points"] as? String).flatMap(Double.init) ?? ($0["points"] as? NSNumber)?.doubleValue }
    if points.allSatisfy({ $0 != nil }) { return points[index] }
    return Double(index)
  }

  /// Who earned it, as a verifier can tell: the subject's DID, the identities given in clear, and
  /// which are hashed ("hashed identifier and e-mail address").
  static func recipient(_ subject: [String: Any]?) -> String {
    let identities = subject?["identifier"] as? [[String: Any]] ?? []
    var parts = identities.filter { $0["hashed"] as? Bool != true }.compactMap { $0["identityHash"] as? String }
    if let id = subject?["id"] as? String, id.hasPrefix("did:") { parts.insert(id, at: 0) }
    let hashed = identities.filter { $0["hashed"] as? Bool == true }.compactMap { $0["identityType"] as? String }
    if !hashed.isEmpty {
      let names = hashed.map { $0 == "emailAddress" ? "e-mail address" : $0 }
      parts.append("hashed " + names.joined(separator: " and "))
    }
    return parts.isEmpty ? "?" : parts.joined(separator: ", ")
  }

  /// The id a credential says it has (`jti`, else `id`), if it can be read (the signature is not checked here).
  public static func credentialID(of jwt: String) -> String? {
    guard let payload = part(1, of: jwt) else { return nil }
    return payload["jti"] as? String ?? payload["id"] as? String
  }

  /// The URL of the status list a credential names (`credentialStatus.statusListCredential`), if
  /// it can be read (the signature is not checked here).
  public static func statusList(of jwt: String) -> String? {
    (part(1, of: jwt)?["credentialStatus"] as? [String: Any])?["statusListCredential"] as? String
  }

  /// The `kid` a credential's header names, if it can be read.
  public static func kid(of jwt: String) -> String? {
    part(0, of: jwt)?["kid"] as? String
  }

  /// The header (0) or payload (1) of a compact JWS as JSON, unverified.
  static func part(_ index: Int, of jwt: String) -> [String: Any]? {
    let parts = jwt.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".")
    guard parts.count == 3, let data = Base64URL.decode(parts[index]) else { return nil }
    return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
  }

  /// The JOSE header parameters a credential may have.
  static let headerParameters: Set<String> = ["alg", "kid", "typ", "cty"]

  /// The fields the Open Badges 3.0 achievement credential schema requires that are missing or wrong.
  static func structure(_ credential: [String: Any]) -> [String] {
    var problems: [String] = []
    func types(_ object: [String: Any]?, contain name: String, at place: String) {
      let value = object?["type"]
      let list = value as? [String] ?? (value as? String).map { [$0] } ?? []
      if !list.contains(name) { problems.append("\(place).type must include \(name)") }
    }
    func strings(_ object: [String: Any]?, _ keys: [String], at place: String) {
      for key in keys where (object?[key] as? String)?.isEmpty ?? true {
        problems.append("\(place).\(key) is missing")
      }
    }
    let contexts = credential["@context"] as? [String] ?? []
    if contexts.count < 2 || contexts[0] != "https://www.w3.org/ns/credentials/v2"
      || contexts[1].range(
        of: #"^https://purl\.imsglobal\.org/spec/ob/v3p0/context(-3\.\d\.\d)*\.json$"#, options: .regularExpression)
        == nil
    {
      problems.append("@context must start with the VC 2.0 and Open Badges 3.0 contexts")
    }
    strings(credential, ["id", "validFrom"], at: "credential")
    let type = credential["type"] as? [String] ?? []
    if !type.contains("VerifiableCredential")
      || !(type.contains("OpenBadgeCredential") || type.contains("AchievementCredential"))
    {
      problems.append("credential.type must include VerifiableCredential and OpenBadgeCredential")
    }
    if let validFrom = credential["validFrom"] as? String, CredentialJWT.date(validFrom) == nil {
      problems.append("credential.validFrom is not a date-time")
    }
    if let issuer = credential["issuer"] as? [String: Any] {
      strings(issuer, ["id"], at: "issuer")
      types(issuer, contain: "Profile", at: "issuer")
    } else if !(credential["issuer"] is String) {
      problems.append("credential.issuer is missing")
    }
    guard let subject = credential["credentialSubject"] as? [String: Any] else {
      return problems + ["credentialSubject is missing"]
    }
    types(subject, contain: "AchievementSubject", at: "credentialSubject")
    guard let achievement = subject["achievement"] as? [String: Any] else {
      return problems + ["credentialSubject.achievement is missing"]
    }
    types(achievement, contain: "Achievement", at: "achievement")
    strings(achievement, ["id", "name", "description"], at: "achievement")
    if !(achievement["criteria"] is [String: Any]) { problems.append("achievement.criteria is missing") }
    for (index, description) in (achievement["resultDescription"] as? [[String: Any]] ?? []).enumerated() {
      let place = "achievement.resultDescription[\(index)]"
      types(description, contain: "ResultDescription", at: place)
      strings(description, ["id", "name", "resultType"], at: place)
      for (levelIndex, level) in (description["rubricCriterionLevel"] as? [[String: Any]] ?? []).enumerated() {
        let levelPlace = "\(place).rubricCriterionLevel[\(levelIndex)]"
        types(level, contain: "RubricCriterionLevel", at: levelPlace)
        strings(level, ["id", "name"], at: levelPlace)
      }
    }
    for (index, alignment) in (achievement["alignment"] as? [[String: Any]] ?? []).enumerated() {
      types(alignment, contain: "Alignment", at: "achievement.alignment[\(index)]")
      strings(alignment, ["targetName", "targetUrl"], at: "achievement.alignment[\(index)]")
    }
    let descriptions = achievement["resultDescription"] as? [[String: Any]] ?? []
    for (index, result) in (subject["result"] as? [[String: Any]] ?? []).enumerated() {
      types(result, contain: "Result", at: "credentialSubject.result[\(index)]")
      // A level achieved below the level required: not a credential an issuer could mean.
      guard let id = result["resultDescription"] as? String, let achieved = result["achievedLevel"] as? String,
        let description = descriptions.first(where: { $0["id"] as? String == id }),
        let required = description["requiredLevel"] as? String,
        let levels = description["rubricCriterionLevel"] as? [[String: Any]],
        let achievedRank = Self.rank(achieved, in: levels), let requiredRank = Self.rank(required, in: levels)
      else { continue }
      if achievedRank < requiredRank {
        problems.append(
          "credentialSubject.result[\(index)] achieved \(achieved), below the required \(required) of \(id)")
      }
    }
    for (index, evidence) in (credential["evidence"] as? [[String: Any]] ?? []).enumerated() {
      types(evidence, contain: "Evidence", at: "evidence[\(index)]")
    }
    return problems
  }
}
