import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The private folder of one python-tests run: `src` (the candidate's code,
/// read-only inside), `sub` (where the launcher copies it: inside the sandbox a
/// memory file system of the rubric's `working-copy` size, the only writable
/// place), `tests` (the author's tests, this run's canaries and the sentinel), `engine` (the
/// engine's pytest.ini and runner) and `out` (the report:
/// one file the run may write, in a folder it may not).
final class PythonRun: Sendable {
  /// What a run is for; the runner's first argument.
  enum Mode: String {
    /// The author's tests on the reference solution (trusted).
    case reference
    /// The author's tests collected without a reference, imports met by stand-ins (trusted).
    case standIns = "stand-ins"
    /// The author's tests and this run's canaries on the candidate's code.
    case candidate
  }

  let root: String
  let token: String
  let runUID: UInt32?
  private let sandbox: any CommandSandbox
  /// This run's canary files (relative to the tests folder), each with the author's file it copies.
  private(set) nonisolated(unsafe) var canaryFiles: [String: String] = [:]
  /// The names at the top of the tests folder, which the candidate's files may not take.
  private(set) nonisolated(unsafe) var testNames: Set<String> = []

  /// - Parameter bytes: the size of the candidate's files, when known: a small run's folder is made in memory.
  init(sandbox: any CommandSandbox, bytes: Int? = nil) throws {
    self.sandbox = sandbox
    (root, runUID) = try SandboxFolder.makeRun(
      prefix: "mastery-python", sandbox: sandbox, folders: ["src", "sub", "tests", "engine", "out"], bytes: bytes)
    token = String(UInt64.random(in: 0...UInt64.max), radix: 16)
  }

  /// Where the author's tests (with this run's canaries and sentinel, all written by the engine)
  /// are inside the sandbox: the one folder whose test files a warm server may rewrite ahead.
  static let testsTarget = "/box/tests"

  var sentinelFile: String { "test_\(token).py" }
  var sentinelID: String { "\(sentinelFile)::test_\(token)" }
  var reportPath: String { "\(root)/out/report.json" }

  /// What the launcher prints on standard error when the run left its working copy full.
  static let workingCopyFull = "MASTERY-WORKING-COPY-FULL"

  /// Copies the criterion's evidence (files, or the contents of folders) into
  /// `sub`, leaving out configuration files and names the hidden tests use.
  /// - Returns: the paths left out, for the candidate's feedback.
  func copyCandidateCode(_ evidence: [ResolvedEvidence], submissionFolder: String) throws -> [String] {
    let reserved = testNames.union(canaryFiles.keys).union([sentinelFile, "run_tests.py"])
    var skipped: [String] = []
    for item in evidence {
      guard let itemPath = item.path else { continue }
      for file in item.files {
        // Relative to the item: a folder's contents land at the top of `sub`.
        var relative = file.path
        if item.item.kind == .folder, relative.hasPrefix(itemPath + "/") {
          relative = String(relative.dropFirst(itemPath.count + 1))
        } else if item.item.kind != .folder {
          relative = (file.path as NSString).lastPathComponent
        }
        let components = relative.split(separator: "/").map(String.init)
        let name = components.last ?? relative
        let unsafe =
          PythonTestsEvaluator.configurationFiles.contains(name) || name.hasSuffix(".pth")
          || components.contains { $0.hasSuffix(".dist-info") || $0.hasSuffix(".egg-info") || $0 == "__pycache__" }
          || (components.count == 1 && reserved.contains(name))
        if unsafe {
          skipped.append(relative)
          continue
        }
        let target = "\(root)/src/\(relative)"
        try FileManager.default.createDirectory(
          atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
          atPath: (submissionFolder as NSString).appendingPathComponent(file.path), toPath: target)
      }
    }
    return skipped
  }

  /// Copies a trusted folder (the author's reference solution) into `sub`.
  func copyReference(from folder: String) throws {
    try SandboxFolder.copyTree(folder, to: "\(root)/src")
  }

  /// Copies the author's tests folder (regular files only), then adds this run's canaries (each
  /// under a fresh random name beside the file it copies), the sentinel and the engine's files.
  func copyTests(from folder: String, canaries: [String: String]) throws {
    try SandboxFolder.copyTree(folder, to: "\(root)/tests")
    testNames = Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
    for (index, original) in canaries.keys.sorted().enumerated() {
      let directory = (original as NSString).deletingLastPathComponent
      let name = (directory as NSString).appendingPathComponent("test_\(token)\(index).py")
      try (canaries[original] ?? "").write(toFile: "\(root)/tests/\(name)", atomically: false, encoding: .utf8)
      canaryFiles[name] = original
    }
    let sentinel = """
      # Imports the candidate's modules and must fail: a report in which it passed was forged.
      import importlib, os

      def test_\(token)():
          code = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "sub")
          for name in sorted(os.listdir(code)):
              if name.endswith(".py"):
                  try:
                      importlib.import_module(name[:-3])
                  except BaseException:
                      pass
          assert False

      """
    try sentinel.write(toFile: "\(root)/tests/\(sentinelFile)", atomically: false, encoding: .utf8)
    // Paths relative to the ini's folder: engine/ and sub/ are siblings inside the sandbox and out.
    let ini = "[pytest]\npythonpath = ../sub\naddopts =\n"
    try ini.write(toFile: "\(root)/engine/pytest.ini", atomically: false, encoding: .utf8)
    try PythonScripts.runner.write(toFile: "\(root)/engine/run_tests.py", atomically: false, encoding: .utf8)
  }

  /// The id in this run of the canary of the author's test `id`, or nil when its file has no canary here.
  func canaryID(_ id: String) -> String? {
    let file = PythonSuite.file(id)
    guard let name = canaryFiles.first(where: { $0.value == file })?.key else { return nil }
    return name + id.dropFirst(file.count)
  }

  /// The author's id of a test in one of this run's canary files, or nil when `id` is not a canary's.
  func original(ofCanary id: String) -> String? {
    guard let separator = id.range(of: "::"), let file = canaryFiles[String(id[..<separator.lowerBound])] else {
      return nil
    }
    return file + id[separator.lowerBound...]
  }

  /// Makes everything readable by the sandbox uid, and `sub` and `out` its own.
  func handOver() throws {
    SandboxFolder.handOver("\(root)/src")
    SandboxFolder.handOver("\(root)/sub", to: runUID)
    // The report is the one file the run may write outside its working copy; the folder stays root's.
    FileManager.default.createFile(atPath: reportPath, contents: nil)
    SandboxFolder.handOver("\(root)/out")
    SandboxFolder.handOver(reportPath, to: runUID)
    SandboxFolder.handOver("\(root)/tests")
    SandboxFolder.handOver("\(root)/engine")
  }

  /// The sandboxed pytest run: `files` (relative to the tests folder) or, when nil, all pytest collects there.
  func sandboxRun(mode: Mode, files: [String]?, interpreter: String, limits: SandboxLimits, workingCopy: Int)
    -> SandboxRun
  {
    let paths = files.map { $0.map { "\(Self.testsTarget)/\($0)" } } ?? [Self.testsTarget]
    return SandboxRun(
      command: [
        interpreter, "-I", "/box/engine/run_tests.py", mode.rawValue, "/box/out/report.json", "-q",
        "-p", "no:cacheprovider", "-c", "/box/engine/pytest.ini", "--rootdir=/box/tests",
      ] + (mode == .standIns ? ["--collect-only"] : []) + paths,
      mounts: [
        SandboxMount(source: "\(root)/tests", target: Self.testsTarget),
        SandboxMount(source: "\(root)/engine", target: "/box/engine"),
        SandboxMount(source: "\(root)/src", target: "/box/src"),
        SandboxMount(source: "\(root)/sub", target: "/box/sub", capacity: workingCopy),
        SandboxMount(source: "\(root)/out", target: "/box/out", writable: true),
      ],
      workingDirectory: "/box/sub",
      // Numerical libraries (OpenBLAS, OpenMP) start a thread per core, and the process limit
      // counts threads: on a grader with many cores numpy would fail to start its own. One thread
      // each, on every machine alike.
      environment: [
        "PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1",
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
      ],
      limits: limits, uid: runUID)
  }

  /// The run's report, when it wrote one pytest could finish.
  func report() -> PytestReport? {
    guard let data = FileManager.default.contents(atPath: reportPath), data.count <= 64 << 20 else { return nil }
    return try? JSONDecoder().decode(PytestReport.self, from: data)
  }

  /// Saves what the run printed and its report, for a run that cannot be trusted.
  func keepLog(_ result: SandboxResult, folder: String, label: String) -> String? {
    let safe = String(label.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
    let path = (folder as NSString).appendingPathComponent("\(safe)-\(token).log")
    var log = "== output\n" + result.output + "\n== report\n"
    log += (try? String(contentsOfFile: reportPath, encoding: .utf8)) ?? "(none)"
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      try log.write(toFile: path, atomically: true, encoding: .utf8)
      return path
    } catch {
      return nil
    }
  }

  /// Deletes the run folder and gives the run's uid back.
  func remove() {
    SandboxFolder.removeTree(root)
    sandbox.releaseUID(runUID)
  }
}
