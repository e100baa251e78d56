import Foundation
import Grading

/// Paths in this repository and the tools built next to the test bundle.
enum Repository {
    /// The repository's top folder, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// Runs a tool built next to the test bundle (`grade`, `conformance`, a sample runner ...).
    static func run(_ tool: String, _ arguments: [String], timeout: Double = 600,
                    environment: [String: String] = [:]) throws -> Finished {
        try Spawn.run(RunnerCommand.sibling(tool).executable, arguments, timeout: timeout, environment: environment)
    }

    /// A new empty folder under the system's temporary folder.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
