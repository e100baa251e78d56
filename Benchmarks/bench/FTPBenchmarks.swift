import Foundation
import Grading

/// The FTP server against its peers and against a raw socket copy: downloads measured by one C
/// client (Benchmarks/peers/ftp_get.c: login, TYPE I, EPSV, RETR, every byte received into a 256
/// KiB buffer), from the reference's `ftp-server` (a thread per client, and a process per client),
/// from pyftpdlib (Benchmarks/peers/ftp_pyftpdlib.py), and from `ftp_get --raw`, which feeds the
/// same receiving loop with a bare sendfile(2): the most a server could give. Two loads: one client
/// downloading a 200 MiB file, and 50 clients at once each downloading a 20 MiB file (aggregate
/// MiB/s). The sources take turns, 3 rounds, and each figure is the median of its rounds.
enum FTPBenchmarks {
    /// One measured load: the file each client downloads and how many clients at once.
    struct Load: Hashable {
        let file: String
        let clients: Int
        /// How many times each client downloads it, so that a round lasts about a second.
        let repeats: Int
    }

    static let single = Load(file: "big.bin", clients: 1, repeats: 8)
    static let fifty = Load(file: "mid.bin", clients: 50, repeats: 3)

    static var servers: [EchoServer] {
        let here = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let server = here.appendingPathComponent("ftp-server").path
        return [
            EchoServer(name: "reference", program: server, arguments: ["--root", site]),
            EchoServer(name: "reference, a process per client", program: server, arguments: ["--root", site, "--model", "process"]),
            EchoServer(name: "pyftpdlib (CPython)", program: "python3.11", arguments: ["\(peerFolder)/ftp_pyftpdlib.py", "--root", site]),
        ]
    }

    static let rawCopy = "raw socket copy (sendfile, C)"

    /// The folder served: big.bin of 200 MiB and mid.bin of 20 MiB, written once.
    static let site: String = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ftp-bench-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let mebibyte = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })
        for (name, size) in [("big.bin", 200), ("mid.bin", 20)] {
            let path = folder.appendingPathComponent(name).path
            FileManager.default.createFile(atPath: path, contents: nil)
            if let file = FileHandle(forWritingAtPath: path) {
                for _ in 0..<size { file.write(mebibyte) }
                try? file.close()
            }
        }
        return folder.path
    }()

    /// MiB/s of every source for `load`, by name, measured in turns.
    static func throughputInTurns(_ load: Load) -> [String: Result<Double, any Error>] {
        let names = servers.map(\.name) + [rawCopy]
        var rounds: [String: [Double]] = [:]
        var failures: [String: any Error] = [:]
        for _ in 0..<3 {
            for name in names where failures[name] == nil {
                do {
                    rounds[name, default: []].append(try once(name, load))
                } catch {
                    failures[name] = error
                }
            }
        }
        return Dictionary(uniqueKeysWithValues: names.map { name in
            (name, failures[name].map { .failure($0) } ?? .success(rounds[name]!.sorted()[1]))
        })
    }

    private static func once(_ name: String, _ load: Load) throws -> Double {
        let client = ".build/peers/ftp_get"
        guard FileManager.default.isExecutableFile(atPath: client) else { throw Missing("\(client) not built (make bench builds it)") }
        let clients = ["--clients", "\(load.clients)", "--repeat", "\(load.repeats)"]
        if name == rawCopy { return try figure(printedBy: client, ["--raw", "\(site)/\(load.file)"] + clients) }
        let server = servers.first { $0.name == name }!
        if server.program == "python3.11" {
            guard (try? Spawn.run(Spawn.which("python3.11") ?? "python3.11", ["-c", "import pyftpdlib"], timeout: 30))?.succeeded == true else {
                throw Missing("pyftpdlib is not installed (pip install pyftpdlib)")
            }
        }
        let running = try RunningServer(server)
        defer { running.stop() }
        return try figure(printedBy: client, ["--port", "\(running.port)", "--file", load.file] + clients)
    }
}

/// The figures of an FTP row, measured the first time one is asked for.
final class ThroughputInTurns {
    private let load: FTPBenchmarks.Load
    private lazy var figures = FTPBenchmarks.throughputInTurns(load)

    init(_ load: FTPBenchmarks.Load) { self.load = load }

    func figure(of name: String) throws -> Double { try figures[name]!.get() }
}
