import Foundation

/// An Open Badges 3.0 `OpenBadgeCredential` (VC Data Model 2.0) for one earned
/// decision: the achievement built from the rubric (criteria, levels, what the
/// policy requires), the candidate's level on each criterion, and the SHA-256
/// of every file judged and of the rubric, so anyone can check the credential
/// against the files.
///
/// Field names are those of the Open Badges 3.0 data model; `JSON` encodes them
/// with sorted keys, so the same decision, key and time give the same bytes.
public struct OpenBadgeCredential: Sendable, Codable, Hashable {
  public static let contexts = [
    "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
  ]

  public struct Profile: Sendable, Codable, Hashable {
    public var id: String
    public var type = ["Profile"]
    public var name: String
    public var url: String?
    public var email: String?
    public var image: Image?
  }

  public struct Alignment: Sendable, Codable, Hashable {
    public var type = ["Alignment"]
    public var targetName: String
    public var targetUrl: String
    public var targetCode: String?
    public var targetFramework: String?
    public var targetDescription: String?
  }

  public struct Criteria: Sendable, Codable, Hashable {
    public var narrative: String
  }

  public struct RubricCriterionLevel: Sendable, Codable, Hashable {
    public var id: String
    public var type = ["RubricCriterionLevel"]
    public var name: String
    public var description: String?
    public var level: String
    public var points: String
  }

  public struct ResultDescription: Sendable, Codable, Hashable {
    public var id: String
    public var type = ["ResultDescription"]
    public var name: String
    public var resultType = "RubricCriterionLevel"
    public var rubricCriterionLevel: [RubricCriterionLevel]
    public var requiredLevel: String?
  }

  public struct Achievement: Sendable, Codable, Hashable {
    public var id: String
    public var type = ["Achievement"]
    public var achievementType = "MicroCredential"
    public var name: String
    public var description: String
    public var criteria: Criteria
    public var version: String
    public var humanCode: String
    public var alignment: [Alignment]?
    public var resultDescription: [ResultDescription]
    public var creator: Profile
    /// The badge wallets and LMS displays show (`BadgeImage`).
    public var image: Image?
  }

  public struct Image: Sendable, Codable, Hashable {
    /// A `data:` URI of the picture, or its https URL.
    public var id: String
    public var type = "Image"
    public var caption: String?
  }

  /// The official JSON Schema a verifier checks the credential against (Open Badges 3.0 section 8).
  public struct CredentialSchema: Sendable, Codable, Hashable {
    public var id =
      "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
    public var type = "1EdTechJsonSchemaValidator2019"
  }

  public struct Result: Sendable, Codable, Hashable {
    public var type = ["Result"]
    public var resultDescription: String
    public var achievedLevel: String
  }

  public struct Identity: Sendable, Codable, Hashable {
    public var type = "IdentityObject"
    public var hashed = false
    public var identityHash: String
    public var identityType: String
    public var salt: String? = nil

    /// An identity as Open Badges hashes it: `sha256$` and the hex SHA-256 of the UTF-8 of the
    /// identity followed by the salt.
    public static func hashed(_ identity: String, type: String, salt: String) -> Identity {
      Identity(
        hashed: true, identityHash: "sha256$" + EvidenceResolver.sha256(of: Data((identity + salt).utf8)),
        identityType: type, salt: salt)
    }
  }

  /// What a credential says of who earned it.
  public struct RecipientPrivacy: Sendable, Hashable {
    /// The candidate's name in clear (wallets and LMS displays show it); false leaves it out.
    public var includeName: Bool
    /// The salt of the hashed identities; a new random one per credential when nil.
    public var salt: String?

    public init(includeName: Bool = true, salt: String? = nil) {
      self.includeName = includeName
      self.salt = salt
    }
  }

  public struct Subject: Sendable, Codable, Hashable {
    /// The candidate's DID, when the manifest gives one; else absent (the identifiers say who).
    public var id: String?
    public var type = ["AchievementSubject"]
    public var identifier: [Identity]
    public var achievement: Achievement
    public var result: [Result]
    /// Which attempt earned it ("Earned on attempt 2.").
    public var narrative: String?
  }

  public struct Evidence: Sendable, Codable, Hashable {
    public var type = ["Evidence"]
    /// "ITEM: PATH" for a submission file; "rubric ID VERSION" for the rubric.
    public var name: String
    /// "sha256:HEX": what `mastery verify --evidence` checks.
    public var description: String
    public var genre: String
  }

  /// A `BitstringStatusListEntry`: where a verifier learns whether the issuer has revoked it.
  public struct CredentialStatus: Sendable, Codable, Hashable {
    public var id: String
    public var type = "BitstringStatusListEntry"
    public var statusPurpose = "revocation"
    public var statusListIndex: String
    public var statusListCredential: String

    public init(list: String, index: Int) {
      id = "\(list)#\(index)"
      statusListIndex = String(index)
      statusListCredential = list
    }
  }

  public var context = Self.contexts
  public var id: String
  public var type = ["VerifiableCredential", "OpenBadgeCredential"]
  public var name: String
  public var issuer: Profile
  public var validFrom: String
  public var validUntil: String?
  public var awardedDate: String
  public var credentialSubject: Subject
  public var evidence: [Evidence]
  public var credentialSchema = [CredentialSchema()]
  public var credentialStatus: CredentialStatus?

  enum CodingKeys: String, CodingKey {
    case context = "@context"
    case id, type, name, issuer, validFrom, validUntil, awardedDate, credentialSubject, evidence, credentialSchema,
      credentialStatus
  }

  /// The prefix of evidence descriptions that carry a file's hash.
  public static let hashPrefix = "sha256:"
  /// The `genre` of the rubric's evidence entry (the others' is the evidence item id).
  public static let rubricGenre = "mastery-rubric"

  /// The credential for an earned decision.
  ///
  /// - Parameters:
  ///   - decision: the decision; it must be earned (the caller checks).
  ///   - rubric: the rubric it was graded against.
  ///   - issuerID: the signing key's issuer id.
  ///   - id: the credential's id (a `urn:uuid:`).
  ///   - validFrom: when it becomes valid (ISO 8601, UTC).
  ///   - validUntil: when it expires, if ever.
  ///   - recipient: what the credential says of who earned it (see `RecipientPrivacy`).
  public init(
    decision: Decision, rubric: Microcredential, issuerID: String, id: String, validFrom: String,
    validUntil: String? = nil, recipient: RecipientPrivacy = RecipientPrivacy()
  ) {
    let base =
      issuerID.hasPrefix("https://")
      ? (issuerID.hasSuffix("/") ? String(issuerID.dropLast()) : issuerID)
        + "/achievements/\(rubric.id)/\(rubric.version)"
      : "urn:mastery:achievement:\(rubric.id):\(rubric.version)"
    let requirements = PolicyEvaluation.requirements(of: rubric)
    let explanation = RubricExplanation(rubric: rubric)
    let profile = Profile(
      id: issuerID, name: rubric.issuer.name, url: rubric.issuer.url, email: rubric.issuer.email,
      image: rubric.issuer.image.map { Image(id: $0.uri, caption: $0.caption ?? rubric.issuer.name) })
    let descriptions = rubric.criteria.map { criterion in
      ResultDescription(
        id: "\(base)#criterion-\(criterion.id)", name: criterion.title,
        rubricCriterionLevel: rubric.levels.map { level in
          RubricCriterionLevel(
            id: "\(base)#criterion-\(criterion.id)-level-\(level.id)", name: level.label,
            description: criterion.descriptor(for: level.id)?.text, level: level.id,
            points: (level.score * criterion.weight).compact)
        },
        requiredLevel: requirements[criterion.id].map { "\(base)#criterion-\(criterion.id)-level-\($0.id)" })
    }
    let alignments = rubric.alignments.map { alignment in
      Alignment(
        targetName: alignment.name ?? [alignment.framework, alignment.code].compactMap { $0 }.joined(separator: " "),
        targetUrl: alignment.url
          ?? "urn:mastery:alignment:"
          + ([alignment.framework, alignment.code ?? ""].map {
            $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0
          }.joined(separator: ":")),
        targetCode: alignment.code, targetFramework: alignment.framework, targetDescription: alignment.text)
    }
    let narrative = [rubric.competency, rubric.keyMethod.map { "Key method: \($0)" }, explanation.policySentence]
      .compactMap { $0 }.joined(separator: "\n\n")
    let achievement = Achievement(
      id: base, name: rubric.title, description: rubric.description ?? rubric.competency,
      criteria: Criteria(narrative: narrative), version: rubric.version, humanCode: "\(rubric.id) \(rubric.version)",
      alignment: alignments.isEmpty ? nil : alignments, resultDescription: descriptions, creator: profile,
      image: Image(
        id: rubric.image?.uri
          ?? "data:image/svg+xml;base64," + Data(BadgeImage.svg(for: rubric).utf8).base64EncodedString(),
        caption: rubric.image?.caption ?? "Badge: \(rubric.title)"))
    let results = decision.criteria.compactMap { result -> Result? in
      guard let level = result.level else { return nil }
      return Result(
        resultDescription: "\(base)#criterion-\(result.criterion)",
        achievedLevel: "\(base)#criterion-\(result.criterion)-level-\(level)")
    }
    // The local id and the e-mail address travel hashed (Open Badges' IdentityHash, one random salt
    // per credential): a wallet or an LMS that knows the address can match it, nobody else learns it.
    let candidate = decision.submission.candidate
    let salt = recipient.salt ?? (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    var identifiers = [Identity.hashed(candidate.id, type: "identifier", salt: salt)]
    if let email = candidate.email?.trimmingCharacters(in: .whitespaces), !email.isEmpty {
      identifiers.append(Identity.hashed(email, type: "emailAddress", salt: salt))
    }
    if recipient.includeName, let name = candidate.name {
      identifiers.append(Identity(identityHash: name, identityType: "name"))
    }
    self.id = id
    name = rubric.title
    issuer = profile
    self.validFrom = validFrom
    self.validUntil = validUntil
    awardedDate = decision.gradedAt
    let attempt = decision.submission.attempt
    let earnedOn =
      decision.attempts?.identicalTo.map { "Earned on attempt \($0) (attempt \(attempt) repeated its evidence)." }
      ?? "Earned on attempt \(attempt)."
    credentialSubject = Subject(
      id: candidate.did, identifier: identifiers, achievement: achievement, result: results, narrative: earnedOn)
    evidence =
      [
        Evidence(
          name: "rubric \(rubric.id) \(rubric.version)",
          description: Self.hashPrefix + decision.credential.rubricSHA256,
          genre: Self.rubricGenre)
      ]
      + decision.evidence.map {
        Evidence(name: "\($0.item): \($0.path)", description: Self.hashPrefix + $0.sha256, genre: $0.item)
      }
  }

  /// The credential as JSON, keys sorted.
  public func json() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(self)
  }
}
