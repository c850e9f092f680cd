/// One candidate's attempt at one microcredential: the manifest
/// (`submission.xml`) and the folder of artifacts beside it.
public struct Submission: Sendable {
  public struct Candidate: Sendable, Hashable, Codable {
    public var id: String
    public var name: String?
    public var email: String?
    /// A DID the candidate gives for their wallet: the credential's subject.
    public var did: String? = nil
  }

  /// Which file, folder or web address answers a rubric evidence item.
  public struct Answer: Sendable, Hashable {
    public var item: String
    public var path: String?
    public var url: String?
    public var location: Location
  }

  /// A checklist check the candidate affirms, with an optional note and attached file.
  public struct Affirmation: Sendable, Hashable {
    public var criterion: String
    public var check: String
    public var file: String?
    public var note: String?
    public var location: Location
  }

  /// The folder that holds the manifest and the artifacts.
  public var folder: String
  /// The manifest file.
  public var manifestPath: String
  public var candidate: Candidate
  public var credential: String
  public var version: String
  public var attempt: Int
  /// When the candidate submitted, as written (ISO 8601).
  public var submitted: String
  public var answers: [Answer]
  public var affirmations: [Affirmation]
  /// Where `<submission>` starts, and where its credential and version are written.
  public var location: Location
  public var credentialLocation: Location
  public var versionLocation: Location

  /// The answer for an evidence item, if the manifest gives one.
  public func answer(for item: String) -> Answer? { answers.first { $0.item == item } }

  /// The affirmations for one checklist criterion.
  public func affirmations(for criterion: String) -> [Affirmation] {
    affirmations.filter { $0.criterion == criterion }
  }
}
