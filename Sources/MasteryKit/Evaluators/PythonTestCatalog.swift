import Foundation

/// The test ids an author's tests folder defines, read from the source with
/// Python's own parser (the author's files are trusted; nothing is run), so
/// the engine knows what a genuine report must contain before any candidate
/// code runs. Cached per folder for the life of the process.
actor PythonTestCatalog {
  static let shared = PythonTestCatalog()

  struct Tests: Sendable {
    /// Test files, relative to the tests folder, in order.
    var files: [String]
    /// `module::name` or `module.Class::name` for every test function.
    var ids: [String]
  }

  enum Failure: Error, CustomStringConvertible {
    case unreadable(String)

    var description: String {
      switch self {
      case .unreadable(let message): message
      }
    }
  }

  private var cache: [String: Result<Tests, Failure>] = [:]

  /// Lists `test_*.py` / `*_test.py` files and their `test*` functions
  /// (module level, and in `Test*` classes without `__init__`).
  private static let script = """
    import ast, json, os, sys
    root = sys.argv[1]
    files, ids, problems = [], [], []
    for name in sorted(os.listdir(root)):
        if not (name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))):
            continue
        path = os.path.join(root, name)
        if not os.path.isfile(path) or os.path.islink(path):
            continue
        files.append(name)
        module = name[:-3]
        try:
            tree = ast.parse(open(path, "rb").read(), filename=name)
        except SyntaxError as error:
            problems.append(f"{name}:{error.lineno}: {error.msg}")
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
                ids.append(f"{module}::{node.name}")
            elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                methods = [item for item in node.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))]
                if any(item.name == "__init__" for item in methods):
                    continue
                ids += [f"{module}.{node.name}::{item.name}" for item in methods if item.name.startswith("test")]
    print(json.dumps({"files": files, "ids": ids, "problems": problems}))
    """

  func tests(in folder: String, interpreter: String = "/usr/bin/python3") async -> Result<Tests, Failure> {
    if let cached = cache[folder] { return cached }
    let result = await Self.read(folder, interpreter: interpreter)
    cache[folder] = result
    return result
  }

  private static func read(_ folder: String, interpreter: String) async -> Result<Tests, Failure> {
    do {
      let outcome = try await ProcessLauncher.launch(
        executable: interpreter, arguments: ["-I", "-c", script, folder], environment: ["PATH": "/usr/bin:/bin"],
        deadline: 30, outputLimit: 4 << 20, killGroup: false)
      struct Listing: Decodable {
        var files: [String]
        var ids: [String]
        var problems: [String]
      }
      guard outcome.status == 0, let listing = try? JSONDecoder().decode(Listing.self, from: Data(outcome.stdout))
      else {
        let last = String(decoding: outcome.stderr, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        return .failure(.unreadable("the tests in \(folder) could not be listed: \(last)"))
      }
      if !listing.problems.isEmpty {
        return .failure(.unreadable("the author's tests do not parse: " + listing.problems.joined(separator: "; ")))
      }
      if listing.ids.isEmpty {
        return .failure(
          .unreadable("the tests folder \(folder) defines no test functions (test_*.py with test* functions)"))
      }
      return .success(Tests(files: listing.files, ids: listing.ids))
    } catch {
      return .failure(.unreadable("\(interpreter) could not run to list the tests: \(error)"))
    }
  }
}
