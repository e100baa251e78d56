import Foundation
import Grading

/// The FTP server against its peers and against a raw socket copy: downloads measured by one C
/// client (Benchmarks/peers/ftp_get.c: login, TYPE I, EPSV, RETR, every byte received into a 256
/// KiB buffer), from the reference's `ftp-server` (a thread per client, and a process per client),
/// from pyftpdlib (Benchmarks/peers/ftp_pyftpdlib.py), and from `ftp_get --raw`, which feeds the
/// same receiving loop with a bare sendfile(2): the most a server could give. The raw copy opens a
/// connection per file, as every FTP download does (its data connection); `--raw-stream` sends
/// all of a client's copies over one connection, which no FTP server can, and is shown beside it.
/// Two loads: one client downloading a 200 MiB file, and 50 clients at once each downloading a
/// 20 MiB file (aggregate MiB/s). The sources take turns, 5 rounds, and each figure is the median
/// of its rounds.
enum FTPBenchmarks {
    /// One measured load: the file each client downloads and how many clients at once.
    struct Load: Hashable {
        let file: String
        let mebibytes: Int
        let clients: Int
        /// How many times each client downloads it, so that a round lasts about a second.
        let repeats: Int
    }

    static let single = Load(file: "big.bin", mebibytes: 200, clients: 1, repeats: 8)
    static let fifty = Load(file: "mid.bin", mebibytes: 20, clients: 50, repeats: 3)

    /// The servers, serving `root`; the first is the reference.
    static func servers(serving root: String) -> [EchoServer] {
        let here = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let server = here.appendingPathComponent("ftp-server").path
        return [
            EchoServer(name: "reference", program: server, arguments: ["--root", root]),
            EchoServer(name: "reference, a process per client", program: server, arguments: ["--root", root, "--model", "process"]),
            EchoServer(name: "pyftpdlib (CPython)", program: "python3.11", arguments: ["\(peerFolder)/ftp_pyftpdlib.py", "--root", root]),
        ]
    }

    /// The raw copies, by name, with the `ftp_get` option that makes each.
    static let rawCopies = [
        ("raw socket copy, a connection per file (sendfile, C)", "--raw"),
        ("raw socket copy, one connection for all (sendfile, C)", "--raw-stream"),
    ]

    /// Every source but the reference, by name.
    static let peerNames = servers(serving: "").dropFirst().map(\.name) + rawCopies.map(\.0)

    /// MiB/s of every source for `load`, by name, measured in turns on a fresh folder holding the
    /// load's file.
    static func throughputInTurns(_ load: Load) -> Figures {
        let names = ["reference"] + peerNames
        return inTemporaryFolder("ftp-bench", for: names, fill: { try write(load, into: $0) }) { root in
            let servers = servers(serving: root)
            return inTurns(names, rounds: 5) { name in try once(name, load, root, servers) }
        }
    }

    /// The load's file in the folder `root`: its mebibytes of a fixed pattern.
    private static func write(_ load: Load, into root: String) throws {
        let path = "\(root)/\(load.file)"
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw BenchmarkError("cannot create \(path)") }
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? file.close() }
        let mebibyte = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })
        for _ in 0..<load.mebibytes { try file.write(contentsOf: mebibyte) }
    }

    private static func once(_ name: String, _ load: Load, _ root: String, _ servers: [EchoServer]) throws -> Double {
        let client = ".build/peers/ftp_get"
        guard FileManager.default.isExecutableFile(atPath: client) else { throw Missing("\(client) not built (make bench builds it)") }
        let clients = ["--clients", "\(load.clients)", "--repeat", "\(load.repeats)"]
        if let (_, option) = rawCopies.first(where: { $0.0 == name }) {
            return try figure(printedBy: client, [option, "\(root)/\(load.file)"] + clients)
        }
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
