import Conformance
import Foundation
import Glibc
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

    /// A new empty folder inside this test process's own temporary folder, which is removed with
    /// everything in it when the process exits.
    static func temporaryFolder() throws -> URL {
        let folder = URL(fileURLWithPath: try scratch.get().path).appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// This test process's temporary folder (`spec-XXXXXX`), made the first time a test asks.
    private static let scratch: Result<TemporaryFolder, Errno> = {
        let made = Result { () throws(Errno) in try TemporaryFolder("spec") }
        if case .success(let folder) = made {
            chmod(folder.path, 0o755)  // passable by the user a run may switch to (its reports go in a folder inside)
            atexit { try? Repository.scratch.get().remove() }
        }
        return made
    }()
}

/// One of the project's servers (`http-server`, `ftp-server` ...) started as a process, as a user
/// would: it prints `listening on 127.0.0.1:PORT` first; `stop` sends SIGTERM and returns its exit
/// status; one still running when released is killed.
final class ServerProcess {
    struct Failure: Error, CustomStringConvertible { let description: String }

    let process = Process()
    let port: UInt16

    init(_ tool: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: RunnerCommand.sibling(tool).executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard line.hasPrefix("listening on 127.0.0.1:"), let port = UInt16(line.dropFirst(23).prefix { $0.isNumber }) else {
            process.terminate()
            throw Failure(description: "\(tool): the first line was \(line.debugDescription)")
        }
        self.port = port
    }

    /// SIGTERM, then the exit status (nil: still running after 10 s, then killed).
    func stop() -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(2000) }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
        return process.terminationStatus
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}
