import Foundation

/// What this machine gives sandboxed runs, for `mastery sandbox check`.
public struct SandboxCheck: Sendable {
  /// One finding: what was looked at, and what was found.
  public struct Line: Sendable {
    public let topic: String
    public let finding: String
  }

  public let lines: [Line]
  /// Nil when runs can be sandboxed here, else why not.
  public let unusable: String?

  /// Looks: bubblewrap and its namespaces (by running `/bin/true` in the sandbox), the uids,
  /// cgroups, and where run folders go.
  public static func run(sandbox: BubblewrapSandbox = BubblewrapSandbox()) async -> SandboxCheck {
    var lines: [Line] = []
    var unusable: String? = sandbox.unavailableReason
    if unusable == nil {
      let version =
        (try? await ProcessLauncher.launch(
          executable: sandbox.bwrap, arguments: ["--version"], environment: ["PATH": "/usr/bin:/bin"], deadline: 5,
          outputLimit: 4096, killGroup: false)).map { String(decoding: $0.stdout, as: UTF8.self) }
      let probe = await sandbox.run(
        SandboxRun(
          command: ["/bin/true"], mounts: [], workingDirectory: "/", environment: ["PATH": "/usr/bin:/bin"],
          limits: SandboxLimits(wallSeconds: 10, cgroup: true)))
      let name = version?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "version unknown"
      if probe.termination == .completed(0) {
        lines.append(Line(topic: "bubblewrap", finding: "\(sandbox.bwrap) (\(name)): namespaces work"))
      } else {
        unusable =
          "a run of /bin/true in the sandbox ended \(probe.termination)"
          + (probe.output.isEmpty ? "" : ": \(probe.output)")
        lines.append(Line(topic: "bubblewrap", finding: "\(sandbox.bwrap) (\(name)): \(unusable ?? "")"))
      }
    } else {
      lines.append(Line(topic: "bubblewrap", finding: unusable ?? ""))
    }
    lines.append(
      Line(
        topic: "uids",
        finding: sandbox.asRoot
          ? "\(BubblewrapSandbox.firstUID)-\(BubblewrapSandbox.firstUID + BubblewrapSandbox.uidCount - 1), one per concurrent run (the engine is root: setpriv)"
          : "runs keep this user's uid (the engine is not root); the process limit counts all of its processes"))
    if let support = CgroupSupport.detected {
      lines.append(
        Line(
          topic: "cgroups",
          finding:
            "\(support.name), memory and pids, under \(support.folders.joined(separator: " and ")): Python and browser runs are held to resident memory"
        ))
    } else {
      lines.append(
        Line(
          topic: "cgroups",
          finding:
            "none (\(CgroupSupport.absence)): memory limits are address-space limits, four times the memory for Python; the browser has only its wall limit"
        ))
    }
    lines.append(
      Line(
        topic: "run folders",
        finding: SandboxFolder.memoryBase.map {
          "\($0) (a memory file system) for runs of up to \(SandboxFolder.memoryRunBytes >> 20) MiB of files, else \(NSTemporaryDirectory())"
        } ?? NSTemporaryDirectory()))
    if unusable == nil {
      let python = "/usr/bin/python3"
      let reason = await WarmPythonSandbox(fresh: sandbox).check(
        interpreter: python, environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"])
      lines.append(
        Line(
          topic: "python runner",
          finding: reason.map {
            "fresh: a new sandbox and \(python) for every run (warm servers cannot run here: \($0))"
          }
            ?? "warm: each run forked from a sandboxed \(python) that imported pytest once, in namespaces of its own (its self-check passed)"
        ))
    }
    lines.append(Line(topic: "sandbox", finding: unusable.map { "unusable: \($0)" } ?? "usable"))
    return SandboxCheck(lines: lines, unusable: unusable)
  }
}
