import Foundation

/// Validates many rubric files at once: finds them below folders, loads them
/// concurrently (bounded by the core count), and returns results in a stable order.
public struct RubricValidation: Sendable {
  private let loader: RubricLoader

  /// - Throws: only if the bundled schema does not compile (a build defect).
  public init() throws {
    loader = try RubricLoader()
  }

  /// The rubric files named by `paths`: files as given; folders searched
  /// recursively (hidden folders skipped) for `rubric.xml` and any `*.xml`
  /// whose first 4 KiB mention `<microcredential`. A path that does not exist
  /// is kept, so loading it reports the problem.
  public static func discover(_ paths: [String]) -> [String] {
    var found: [String] = []
    let manager = FileManager.default
    for path in paths {
      var isFolder: ObjCBool = false
      guard manager.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
        found.append(path)
        continue
      }
      var inFolder: [String] = []
      let base = URL(fileURLWithPath: path)
      let enumerator = manager.enumerator(
        at: base, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
      while let url = enumerator?.nextObject() as? URL {
        guard url.pathExtension == "xml" else { continue }
        let relative = String(url.path.dropFirst(base.path.count).drop { $0 == "/" })
        let display = (path as NSString).appendingPathComponent(relative)
        if url.lastPathComponent == "rubric.xml" || Self.looksLikeRubric(url) { inFolder.append(display) }
      }
      found += inFolder.sorted()
    }
    return found
  }

  private static func looksLikeRubric(_ url: URL) -> Bool {
    guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
    defer { try? handle.close() }
    let head = (try? handle.read(upToCount: 4096)) ?? Data()
    return String(decoding: head, as: UTF8.self).contains("<microcredential")
  }

  /// Loads every file, at most `jobs` at a time, returning results in the order of `files`.
  public func load(_ files: [String], jobs: Int = ProcessInfo.processInfo.activeProcessorCount) async -> [RubricLoad] {
    let workers = max(1, min(jobs, files.count))
    let loader = self.loader
    return await withTaskGroup(of: [(Int, RubricLoad)].self) { group in
      for worker in 0..<workers {
        group.addTask {
          stride(from: worker, to: files.count, by: workers).map { ($0, loader.load(files[$0])) }
        }
      }
      var results = [RubricLoad?](repeating: nil, count: files.count)
      for await batch in group {
        for (index, load) in batch { results[index] = load }
      }
      return results.compactMap { $0 }
    }
  }
}
