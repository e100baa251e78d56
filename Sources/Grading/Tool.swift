import Conformance
import Foundation

/// Runs a tool's main function and turns its errors into a message and an exit code:
/// 64 for a wrong command line (with the usage), 1 for anything else.
///
/// The tool is the subreaper of last resort: each runner sandboxes its own rule, but code that kills
/// its runner leaves orphans, and they are re-parented here. When `main` returns, no runner is left,
/// so every remaining child is such an orphan and is killed and reaped: nothing outlives the tool,
/// nor does anything outlive Ctrl-C (`Interruption`).
public enum Tool {
    public static func run(usage: String, _ main: () throws -> Int32) -> Int32 {
        Watching.becomeSubreaper()
        Interruption.stopEverythingOnSignal()
        defer { Interruption.exiting.withLock { _ in } }
        defer { _ = Watching.killDescendants() }
        do {
            return try main()
        } catch let problem as Options.Problem {
            FileHandle.standardError.write(Data("error: \(problem)\nusage: \(usage)\n".utf8))
            return 64
        } catch let problem as CatalogError {
            FileHandle.standardError.write(Data("error: \(problem)\n".utf8))
            return 64
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            return 1
        }
    }
}
