import Conformance
import Foundation

/// Runs a tool's main function and turns its errors into a message and an exit code:
/// 64 for a wrong command line (with the usage), 1 for anything else.
public enum Tool {
    public static func run(usage: String, _ main: () throws -> Int32) -> Int32 {
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
