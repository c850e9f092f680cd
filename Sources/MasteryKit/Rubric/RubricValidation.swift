import Foundation

/// Validates many rubric files at once: finds them below folders, loads them
/// concurrently (bounded by the core count), and returns results in a stable order.
public struct RubricValidation: Sendable {
  private let loader: RubricLoader

  /// - Throws: only if the bundled schema does not compile (a build defect).
  public init() throws {
    loader = try RubricLoader()
  }

  /// A file to validate: named on the command line, or found in a folder
  /// (then validated only if it turns out to be a rubric).
  public struct Candidate: Sendable, Hashable {
    public var path: String
    public var explicit: Bool
  }

  /// The files named by `paths`: files as given (a path that does not exist
  /// is kept, so loading it reports the problem); folders searched
  /// recursively, hidden folders skipped, for `*.xml` files, which are
  /// validated when named `rubric.xml` or when their root is `<microcredential>`.
  public static func discover(_ paths: [String]) -> [Candidate] {
    var found: [Candidate] = []
    let manager = FileManager.default
    for path in paths {
      guard path.hasSuffix("/") || !path.hasSuffix(".xml") else {
        found.append(Candidate(path: path, explicit: true))
        continue
      }
      var isFolder: ObjCBool = false
      guard manager.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
        found.append(Candidate(path: path, explicit: true))
        continue
      }
      var inFolder: [String] = []
      let enumerator = manager.enumerator(atPath: path)
      while let relative = enumerator?.nextObject() as? String {
        let name = (relative as NSString).lastPathComponent
        if name.hasPrefix(".") {
          // Hidden files and folders (.git, .build) are not searched.
          var isHiddenFolder: ObjCBool = false
          if manager.fileExists(
            atPath: (path as NSString).appendingPathComponent(relative), isDirectory: &isHiddenFolder),
            isHiddenFolder.boolValue
          {
            enumerator?.skipDescendants()
          }
          continue
        }
        guard name.hasSuffix(".xml") else { continue }
        inFolder.append((path as NSString).appendingPathComponent(relative))
      }
      found += inFolder.sorted().map { Candidate(path: $0, explicit: false) }
    }
    return found
  }

  /// Loads every candidate, at most `jobs` at a time, returning results in
  /// the order of `candidates` (folder finds that are not rubrics left out).
  public func load(_ candidates: [Candidate], jobs: Int = ProcessInfo.processInfo.activeProcessorCount) async
    -> [RubricLoad]
  {
    let workers = max(1, min(jobs, candidates.count))
    let loader = self.loader
    return await withTaskGroup(of: [(Int, RubricLoad?)].self) { group in
      for worker in 0..<workers {
        group.addTask {
          stride(from: worker, to: candidates.count, by: workers).map {
            ($0, loader.load(candidates[$0].path, onlyIfRubric: !candidates[$0].explicit))
          }
        }
      }
      var results = [RubricLoad?](repeating: nil, count: candidates.count)
      for await batch in group {
        for (index, load) in batch { results[index] = load }
      }
      return results.compactMap { $0 }
    }
  }

  /// Runs what a rubric's checks need run (the author's Python tests, on the reference solution
  /// when there is one) for every valid rubric, at most `jobs` at a time, adding the findings.
  public static func runChecks(
    _ loads: [RubricLoad], sandbox: any CommandSandbox, cache: (any SuiteCache)? = nil,
    jobs: Int = ProcessInfo.processInfo.activeProcessorCount
  ) async -> [RubricLoad] {
    var work: [(index: Int, evaluator: PythonTestsEvaluator)] = []
    for (index, load) in loads.enumerated() where load.isValid {
      for criterion in load.rubric?.criteria ?? [] {
        if let configuration = criterion.evaluator.configuration as? PythonTestsConfiguration {
          work.append((index, PythonTestsEvaluator(configuration: configuration)))
        }
      }
    }
    var loads = loads
    let paths = loads.map(\.path)
    await withTaskGroup(of: (Int, [Finding]).self) { group in
      var next = 0
      func start() {
        guard next < work.count else { return }
        let (index, evaluator) = work[next]
        next += 1
        group.addTask { (index, await evaluator.findings(rubricPath: paths[index], sandbox: sandbox, cache: cache)) }
      }
      for _ in 0..<max(1, jobs) { start() }
      while let (index, findings) = await group.next() {
        loads[index].findings += findings
        start()
      }
    }
    for index in loads.indices { loads[index].findings.sort { ($0.location, $0.ruleID) < ($1.location, $1.ruleID) } }
    return loads
  }
}
