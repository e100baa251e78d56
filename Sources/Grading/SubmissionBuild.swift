import Foundation

/// Building a submission's rule runner: `swift build` of one product with a scratch folder outside
/// the package, so the package's own folder is never written to.
public enum SubmissionBuild {
    /// Builds `product` of the package in `folder` into `scratch` and returns the runner.
    public static func runner(package folder: URL, product: String, scratch: String,
                              arguments: [String] = []) throws -> RunnerCommand {
        guard let swift = Spawn.which("swift") else { throw Options.Problem(description: "swift is not on PATH") }
        let build = ["build", "--package-path", folder.path, "--scratch-path", scratch, "--product", product]
        let built = try Spawn.run(swift, build, timeout: 3600)
        guard built.succeeded else { throw BuildFailure(output: built.stdout + built.stderr) }
        let binaries = try Spawn.run(swift, build + ["--show-bin-path"], timeout: 600)
        let folderOfBinaries = binaries.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return RunnerCommand("\(folderOfBinaries)/\(product)", arguments)
    }

    /// A short hash of a path that is the same in every run (Swift's `hashValue` is seeded per process).
    public static func stableHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf29ce484222325  // FNV-1a
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        return String(hash % 0xffffff, radix: 16)
    }
}

/// The submission did not compile; the compiler's errors say why.
public struct BuildFailure: Error, CustomStringConvertible {
    public let output: String

    /// The compiler's error lines, each once (at most 20), or the end of its output when it printed none.
    public var errors: String {
        var seen: Set<Substring> = []
        let errors = output.split(separator: "\n").filter { $0.contains("error:") && seen.insert($0).inserted }.prefix(20)
        return errors.isEmpty ? String(output.suffix(2000)) : errors.joined(separator: "\n")
    }

    public var description: String { "The submission did not compile:\n" + errors }
}
