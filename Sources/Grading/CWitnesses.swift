import Foundation

/// The result of one cmocka test, read from its TAP output.
public struct CTestResult: Sendable, Equatable {
    public let name: String
    public let passed: Bool
    /// The test called cmocka's `skip()`: this machine cannot check its rule (neither passed nor failed).
    public let skipped: Bool
    /// The failure lines cmocka printed, or why the test never reported.
    public let message: String?
    /// The test's own setup failed (witness.h's SAFE prints "BROKEN: ..."): it says nothing about the rule.
    public var broken: Bool { !passed && !skipped && message?.hasPrefix("BROKEN: ") == true }

    public init(name: String, passed: Bool, skipped: Bool = false, message: String?) {
        self.name = name
        self.passed = passed
        self.skipped = skipped
        self.message = message
    }
}

/// Runs the cmocka witnesses in `CTests/` (built by `make ctest` into a folder of executables) and
/// reads their results. cmocka prints TAP when `CMOCKA_MESSAGE_OUTPUT=TAP`.
public enum CWitnesses {
    /// Runs every executable in `folder`; a binary that crashes or hangs fails the tests it declares.
    public static func run(in folder: String, timeout: Double = 120) throws -> [CTestResult] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        var results: [CTestResult] = []
        for name in names where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
            let finished = try Spawn.run("\(folder)/\(name)", [], timeout: timeout,
                                         environment: ["CMOCKA_MESSAGE_OUTPUT": "TAP"])
            var found = parseTAP(finished.stdout)
            if found.isEmpty || finished.status == nil || declaredCount(finished.stdout) != found.count {
                let ending = finished.status.map { "ended with \($0)" } ?? "timed out after \(timeout.formatted()) s"
                found.append(CTestResult(name: name, passed: false,
                                         message: "\(name) \(ending) before reporting every test\n\(finished.stderr)"))
            }
            results += found
        }
        return results
    }

    /// Reads `ok N - name`, `not ok N - name` and skips, `not ok N # SKIP name` (cmocka 1.1.5) or
    /// `ok N # SKIP name` (later cmocka), and the `#` lines after a failure.
    public static func parseTAP(_ text: String) -> [CTestResult] {
        var results: [CTestResult] = []
        var pending: (name: String, lines: [String])?
        func flushPending() {
            if let failed = pending {
                results.append(CTestResult(name: failed.name, passed: false, message: failed.lines.joined(separator: "\n")))
            }
            pending = nil
        }
        for line in text.split(separator: "\n").map({ String($0.drop { $0 == " " || $0 == "\t" }) }) {
            if line.hasPrefix("ok ") || line.hasPrefix("not ok "), let skip = line.range(of: " # SKIP ") {
                flushPending()
                results.append(CTestResult(name: String(line[skip.upperBound...]), passed: false, skipped: true,
                                           message: "skipped: this machine cannot check it"))
            } else if line.hasPrefix("ok ") || line.hasPrefix("not ok ") {
                flushPending()
                guard let dash = line.range(of: " - ") else { continue }
                let name = String(line[dash.upperBound...])
                if line.hasPrefix("ok ") {
                    results.append(CTestResult(name: name, passed: true, message: nil))
                } else {
                    pending = (name, [])
                }
            } else if line.hasPrefix("# "), pending != nil, !line.hasPrefix("# not ok - ") {
                pending?.lines.append(String(line.dropFirst(2)))
            }
        }
        flushPending()
        return results
    }

    /// The `1..N` plan line's N, or nil.
    private static func declaredCount(_ text: String) -> Int? {
        text.split(separator: "\n").first { $0.hasPrefix("1..") }.flatMap { Int($0.dropFirst(3)) }
    }
}
