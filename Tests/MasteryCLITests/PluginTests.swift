import Foundation
import MasteryKit
import MasteryTestSupport
import Testing

/// A rubric whose one criterion is judged by `script` (written as `bin/plugin`), and a
/// submission with `work/answer.txt`; graded with `mastery grade --format json`.
private struct PluginCase {
  let rubric: String
  let submission: String

  init(script: String, evaluator: String = #"<evaluator kind="command" run="bin/plugin" timeout="5s">"#,
    children: String = #"<level-at score="100%" level="proficient"/><level-at score="50%" level="developing"/>"#)
    throws
  {
    rubric = try RubricFactory.write(
      RubricFactory.rubric(evaluator: "      " + evaluator + children + "</evaluator>"))
    let plugin = (rubric as NSString).deletingLastPathComponent + "/bin/plugin"
    try script.write(toFile: plugin, atomically: true, encoding: .utf8)
    chmod(plugin, 0o755)
    submission = try SubmissionFactory.write(
      manifest: SubmissionFactory.manifest(
        credential: "example", evidence: #"    <answer item="work" path="work"/>"#),
      files: ["work/answer.txt": "42\n"])
  }

  func grade(_ extra: [String] = []) throws -> (status: Int32, criterion: [String: Any], stdout: String) {
    let result = try CommandRunner.mastery(["grade", submission, "--rubric", rubric, "--format", "json"] + extra)
    let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let decided = (object?["results"] as? [[String: Any]])?.first
    let criterion = (decided?["criteria"] as? [[String: Any]])?.first ?? [:]
    return (result.status, criterion, result.stdout + result.stderr)
  }
}

@Suite("Plugin evaluators (command)")
struct PluginTests {
  @Test func theExampleRubricsPluginsGradeInTheSandbox() throws {
    let result = try CommandRunner.mastery(["grade", "submissions/data-literacy"])
    #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
    let text = result.stdout
    // Elena: every plugin passes, and she earns.
    #expect(text.contains("Data Literacy: Investigating Class Data 1.0.0: Elena Garcia (rusd-t-1302), attempt 1\nEARNED"))
    // Marcus: the Python plugin's problems with their lines, the shell plugin's finding.
    #expect(text.contains("survey.csv:4: 'hours' should be number from 0 to 24; '30' is not (1 more such rows)."))
    #expect(text.contains("survey.csv:1: Remove the column 'name': students will see this data."))
    #expect(text.contains("survey.csv:8: Remove the e-mail address."))
    // The autograder: visible tests with their output, the hidden one counted but never shown.
    #expect(text.contains("reordered: 0 of 1: expected 3.00, printed 7.33"))
    #expect(text.contains("1 hidden test also counted."))
    #expect(!text.contains("blank-lines"), "a hidden test's name or output never reaches the candidate")
    #expect(text.contains("✗ A program that summarises the data: Developing (2 of 6 points), needs Proficient"))
  }

  @Test func aPluginGivesALevelOrPointsAndFeedbackWithPlaces() throws {
    let named = try PluginCase(
      script: """
        #!/bin/sh
        cat > /dev/null
        echo '{"status":"scored","level":"proficient","summary":"looks right","feedback":[{"text":"Good.","file":"work/answer.txt","line":1},{"text":"Plain."}]}'
        """)
    let graded = try named.grade()
    #expect(graded.criterion["level"] as? String == "proficient", "\(graded.stdout)")
    #expect(graded.criterion["feedback"] as? [String] == ["work/answer.txt:1: Good.", "Plain."])
    // Points, mapped by the rubric's <level-at score>; the request carries the evidence and configuration.
    let points = try PluginCase(
      script: """
        #!/usr/bin/python3
        import json, sys
        request = json.load(sys.stdin)
        item = request["evidence"][0]
        answer = open(item["files"][0]["path"]).read().strip()
        ok = (request["protocol"] == "mastery-plugin/1" and item["path"] == "/box/evidence/work"
              and request["configuration"]["attributes"] == {"expect": "42"}
              and request["configuration"]["elements"][0]["name"] == "hint"
              and request["criterion"]["levels"][0]["id"] == "not-yet" and "name" not in json.dumps(request["candidate"]))
        print(json.dumps({"status": "scored", "points": 1 if answer == "42" and ok else 0, "maxPoints": 2,
                          "tests": [{"name": "answer", "outcome": "failed", "message": "half marks"}]}))
        """,
      evaluator: #"<evaluator kind="command" run="bin/plugin" timeout="5s" expect="42"><hint>Read it.</hint>"#)
    let mapped = try points.grade()
    #expect(mapped.criterion["level"] as? String == "developing", "\(mapped.stdout)")
    #expect(mapped.criterion["summary"] as? String == "1 of 2 points")
    #expect(mapped.criterion["feedback"] as? [String] == ["answer: failed: half marks"])
  }

  @Test(arguments: [
    ("#!/bin/sh\ncat >/dev/null\necho oops >&2\nexit 3\n", "exited with status 3 without a result; its standard error ends: \"oops\""),
    ("#!/bin/sh\ncat >/dev/null\necho 'level: proficient'\n", "broke the mastery-1 protocol: its standard output is not JSON"),
    ("#!/bin/sh\ncat >/dev/null\necho '{\"status\":\"scored\",\"level\":\"proficient\",\"grade\":\"A\"}'\n",
     "its result has a field the protocol does not define: 'grade'"),
    ("#!/bin/sh\ncat >/dev/null\necho '{\"level\":\"proficient\"}'\n", "its result has no 'status'"),
    ("#!/bin/sh\ncat >/dev/null\necho '{\"status\":\"scored\",\"points\":3}'\n", "'points' and 'maxPoints' come together"),
    ("#!/bin/sh\ncat >/dev/null\necho '{\"status\":\"scored\",\"level\":\"master\"}'\n",
     "gave level 'master', which the rubric does not define"),
    ("#!/bin/sh\ncat >/dev/null\necho '{\"status\":\"error\",\"message\":\"the service is down\"}'\n",
     "could not judge: the service is down"),
    ("#!/bin/sh\ncat >/dev/null\nyes | head -c 3000000\n", "wrote more than its output limit (1 MiB)"),
    ("#!/bin/sh\nsleep 30\n", "ran past its time limit (2 s)"),
    ("#!/bin/sh\nkill -9 $$\n", "was killed by signal 9"),
  ])
  func aBrokenPluginIsAGraderErrorNamingItNeverALowLevel(script: String, message: String) throws {
    let plugin = try PluginCase(
      script: script, evaluator: #"<evaluator kind="command" run="bin/plugin" timeout="2s">"#)
    let graded = try plugin.grade()
    #expect(graded.status == 4, "\(graded.stdout)")
    #expect(graded.criterion["status"] as? String == "error")
    #expect(graded.criterion["level"] == nil, "no level for the candidate")
    let text = graded.criterion["message"] as? String ?? ""
    #expect(text.hasPrefix("the plugin bin/plugin "), "\(text)")
    #expect(text.contains(message), "\(text)")
  }

  @Test func validateFindsAMissingOrNonExecutablePlugin() throws {
    let plugin = try PluginCase(script: "#!/bin/sh\n")
    let path = (plugin.rubric as NSString).deletingLastPathComponent + "/bin/plugin"
    chmod(path, 0o644)
    let notExecutable = try CommandRunner.mastery(["validate", "--no-run", plugin.rubric])
    #expect(notExecutable.status == 3)
    #expect(notExecutable.stdout.contains("the plugin 'bin/plugin' is not executable; make it so (chmod +x bin/plugin)"))
    try FileManager.default.removeItem(atPath: path)
    let missing = try CommandRunner.mastery(["validate", "--no-run", plugin.rubric])
    #expect(missing.stdout.contains("the file 'bin/plugin' named by 'run' does not exist beside the rubric"))
    #expect(missing.stdout.contains("[missing-file]"))
  }

  @Test func aHostilePluginCannotReachTheKeyOtherCandidatesOrTheNetwork() throws {
    let secrets = try TestPaths.temporaryFolder()
    try "{\"d\":\"secret signing key\"}".write(toFile: secrets + "/signing-key.jwk", atomically: true, encoding: .utf8)
    let other = try SubmissionFactory.write(
      manifest: SubmissionFactory.manifest(candidate: "t-0002"), files: ["work/answer.txt": "other candidate"])
    let ledger = secrets + "/ledger.sqlite"
    // Its own rubric, with whatever other criteria keep beside it, by its host path.
    let plugin = try PluginCase(script: "#!/bin/sh\n")
    let rubricPath = plugin.rubric
    let script = """
        #!/usr/bin/python3
        import json, os, socket, sys
        json.load(sys.stdin)
        reached = []
        for path in ["\(secrets)/signing-key.jwk", "\(other)/work/answer.txt", "\(rubricPath)",
                     "\(ledger)", "/etc/passwd", "/root"]:
            try:
                open(path).read() if not os.path.isdir(path) else os.listdir(path)
                reached.append(path)
            except OSError:
                pass
        for address in [("1.1.1.1", 53), ("127.0.0.1", 22)]:
            try:
                socket.create_connection(address, timeout=2).close()
                reached.append("%s:%d" % address)
            except OSError:
                pass
        try:
            open("/box/plugin/planted", "w").write("x")
            reached.append("wrote its own folder")
        except OSError:
            pass
        level = "proficient" if not reached else "not-yet"
        print(json.dumps({"status": "scored", "level": level, "summary": "reached: " + ", ".join(reached)}))
        """
    let executable = (plugin.rubric as NSString).deletingLastPathComponent + "/bin/plugin"
    try script.write(toFile: executable, atomically: true, encoding: .utf8)
    chmod(executable, 0o755)
    let graded = try plugin.grade(["--ledger", ledger])
    #expect(FileManager.default.fileExists(atPath: ledger), "the ledger it tried to read is there")
    #expect(graded.criterion["summary"] as? String == "reached: ", "\(graded.stdout)")
    #expect(graded.criterion["level"] as? String == "proficient")
  }

  @Test func aTrustedPluginLeavesTheSandboxOnlyWithTheGradersFlag() throws {
    // Outside the sandbox the plugin runs as the grader and sees the host; inside, /root is not there.
    let script = """
      #!/bin/sh
      cat > /dev/null
      if [ -d /root ] && [ -r /etc/hostname ]; then where=outside; else where=inside; fi
      echo "{\\"status\\":\\"scored\\",\\"level\\":\\"proficient\\",\\"summary\\":\\"$where\\"}"
      """
    let trusted = try PluginCase(
      script: script, evaluator: #"<evaluator kind="command" run="bin/plugin" timeout="5s" trusted="true">"#)
    #expect(try trusted.grade().criterion["summary"] as? String == "inside", "trusted alone is not enough")
    let flagged = try trusted.grade(["--trust-plugins"])
    #expect(flagged.criterion["summary"] as? String == "outside", "\(flagged.stdout)")
    #expect(flagged.stdout.contains("warning: --trust-plugins"))
    let untrusted = try PluginCase(script: script)
    #expect(try untrusted.grade(["--trust-plugins"]).criterion["summary"] as? String == "inside")
  }

  @Test func pluginTestRunsTheExamplesAndSaysWhichDiffer() throws {
    let passed = try CommandRunner.mastery(["plugin", "test", "rubrics/data-literacy/plugins/csv-check/run"])
    #expect(passed.status == 0, "\(passed.stdout)\(passed.stderr)")
    #expect(passed.stdout == "pass clean\npass out-of-range\n2 of 2 examples passed\n")
    let examples = try TestPaths.temporaryFolder() + "/examples"
    try FileManager.default.copyItem(
      atPath: TestPaths.repository("rubrics/data-literacy/plugins/csv-check/examples"), toPath: examples)
    try #"{"status": "scored", "points": 3, "maxPoints": 4}"#.write(
      toFile: examples + "/out-of-range/expected.json", atomically: true, encoding: .utf8)
    let failed = try CommandRunner.mastery(
      ["plugin", "test", "rubrics/data-literacy/plugins/csv-check/run", "--examples", examples])
    #expect(failed.status == 1)
    #expect(failed.stdout.contains("FAIL out-of-range: points is 2, expected 3"))
    let none = try CommandRunner.mastery(["plugin", "test", "rubrics/data-literacy/plugins/no-names/run"])
    #expect(none.status == 3)
    #expect(none.stderr.contains("no examples in rubrics/data-literacy/plugins/no-names/examples"))
  }

  @Test func theSchemasDescribeTheProtocol() throws {
    for name in ["plugin-request", "plugin-result"] {
      let printed = try CommandRunner.mastery(["schema", name])
      #expect(printed.status == 0)
      let object = try JSONSerialization.jsonObject(with: Data(printed.stdout.utf8)) as? [String: Any]
      #expect(object?["$id"] as? String == "urn:mastery:\(name):1")
    }
  }
}
