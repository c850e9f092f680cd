/// A built-in check that failed on one page, with every problem it found there (up to
/// `problemLimit`), for reports that list them all: `--format json` carries these while the
/// feedback lines show the first few.
public struct CheckFailure: Sendable, Hashable, Codable {
  /// One thing the check found wrong.
  public struct Problem: Sendable, Hashable, Codable {
    /// The line of the page's file, from 1; nil when no file line can be backed.
    public var line: Int?
    /// With render="browser", when no file line can be backed: the line of the DOM the browser printed.
    public var domLine: Int?
    public var message: String
    /// What to do about it.
    public var advice: String

    public init(line: Int?, domLine: Int? = nil, message: String, advice: String) {
      self.line = line
      self.domLine = domLine
      self.message = message
      self.advice = advice
    }
  }

  /// The most problems listed per check and page; the rest are counted in `unlisted`.
  public static let problemLimit = 1000

  /// The check's id (`img-alt`).
  public var check: String
  /// The page, as the candidate names it (`site/index.html`).
  public var page: String
  /// What passing means (`Every image has alternative text`).
  public var title: String
  public var problems: [Problem]
  /// Problems found beyond `problemLimit`, not listed.
  public var unlisted: Int

  public init(check: String, page: String, title: String, problems: [Problem], unlisted: Int = 0) {
    self.check = check
    self.page = page
    self.title = title
    self.problems = problems
    self.unlisted = unlisted
  }
}
