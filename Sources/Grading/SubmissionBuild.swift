import Conformance
import Foundation

/// Building a submission's rule runner: `swift build` of one product with a scratch folder outside
/// the package, so the package's own folder is never written to.
public enum SubmissionBuild {
    /// Builds `product` of the package in `folder` (with `wholePackage`, every target but the
    /// tests: executables the runner starts too) into `scratch` and returns the runner; a build that
    /// takes longer than `timeout` seconds is stopped.
    public static func runner(package folder: URL, product: String, scratch: String, wholePackage: Bool = false,
                              timeout: Double = 3600, arguments: [String] = []) throws -> RunnerCommand {
        guard let swift = Spawn.which("swift") else { throw Options.Problem(description: "swift is not on PATH") }
        let build = ["build", "--package-path", folder.path, "--scratch-path", scratch] + (wholePackage ? [] : ["--product", product])
        let built = try Spawn.run(swift, build, timeout: timeout)
        guard built.succeeded else { throw BuildFailure(built, timeout: timeout) }
        let binaries = try Spawn.run(swift, build + ["--show-bin-path"], timeout: 600)
        let folderOfBinaries = binaries.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let runner = "\(folderOfBinaries)/\(product)"
        guard binaries.succeeded, FileManager.default.isExecutableFile(atPath: runner) else {
            throw BuildFailure(reason: .ended(binaries.status), output: "swift build --show-bin-path gave no runner at \(runner)\n"
                               + binaries.stderr)
        }
        return RunnerCommand(runner, arguments)
    }

    /// A short hash of a path that is the same in every run (Swift's `hashValue` is seeded per process).
    public static func stableHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf29ce484222325  // FNV-1a
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        return String(hash % 0xffffff, radix: 16)
    }
}

/// The build failed: the compiler's errors, or why the build ended without any.
public struct BuildFailure: Error, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        /// The compiler reported errors in the sources.
        case compileErrors
        /// The build ended with this status but no compiler error (killed, out of memory, a broken toolchain).
        case ended(WaitStatus?)
        /// The build took longer than this many seconds and was stopped.
        case timedOut(Double)
    }

    public let reason: Reason
    public let output: String

    public init(reason: Reason, output: String) {
        self.reason = reason
        self.output = output
    }

    init(_ build: Finished, timeout: Double) {
        let output = build.stdout + build.stderr
        if build.status == nil {
            self.init(reason: .timedOut(timeout), output: output)
        } else if case .exited? = build.status, output.split(separator: "\n").contains(where: { $0.contains("error:") }) {
            self.init(reason: .compileErrors, output: output)
        } else {
            self.init(reason: .ended(build.status), output: output)
        }
    }

    /// The compiler's error lines, each once (at most 20), or the end of the output when it printed none.
    public var errors: String {
        var seen: Set<Substring> = []
        let errors = output.split(separator: "\n").filter { $0.contains("error:") && seen.insert($0).inserted }.prefix(20)
        return errors.isEmpty ? String(output.suffix(2000)) : errors.joined(separator: "\n")
    }

    /// One line on how the build ended, then the errors.
    public var description: String {
        switch reason {
        case .compileErrors: "The submission did not compile:\n" + errors
        case .timedOut(let seconds): "The build took longer than \(seconds.formatted()) s and was stopped:\n" + errors
        case .ended(let status?): "The build ended with \(status) and no compiler error:\n" + errors
        case .ended(nil): "The build ended without a status:\n" + errors
        }
    }
}
