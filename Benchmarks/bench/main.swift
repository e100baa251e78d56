// `make bench`: each figure of the reference beside its peers from the same run, as a ratio, and
// reports/bench.json (rows of name, unit, project, peers). A peer missing on this machine is
// reported as missing; the row stays.
import Foundation
import Grading

/// One measured figure and the peers measured the same way.
struct Row {
    let name: String
    let unit: String
    let project: () throws -> Double
    let peers: [Peer]
}

/// Another implementation: its figure, or an error saying why there is none (the row then
/// reports the peer as missing).
struct Peer {
    let name: String
    let figure: () throws -> Double
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A program a figure needs is not on this machine (not built, not installed): the figure is
/// reported as missing, the row stays.
struct Missing: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let (whole, attoseconds) = (ContinuousClock.now - start).components
    return Double(whole) + Double(attoseconds) / 1e18
}

let peerFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("peers").path

/// A peer that is a program printing its figure on one line (`program` is found on PATH).
func program(_ name: String, _ program: String, _ arguments: [String]) -> Peer {
    Peer(name: name) { try figure(printedBy: program, arguments) }
}

/// A CPython program of Benchmarks/peers, run without PYTHONUNBUFFERED, which some machines set
/// and which changes what it measures.
func cpython(_ name: String, _ script: String, _ arguments: [String]) -> Peer {
    program(name, "env", ["-u", "PYTHONUNBUFFERED", "python3", "\(peerFolder)/\(script)"] + arguments)
}

/// A C program of Benchmarks/peers, built by `make bench` into .build/peers.
func c(_ name: String, _ arguments: [String]) -> Peer {
    program("C on raw syscalls", ".build/peers/\(name)", arguments)
}

let httpRequests = FiguresInTurns(HTTPBenchmarks.requestsInTurns)
let ftpSingle = FiguresInTurns { FTPBenchmarks.throughputInTurns(FTPBenchmarks.single) }
let ftpFifty = FiguresInTurns { FTPBenchmarks.throughputInTurns(FTPBenchmarks.fifty) }

let rows = [
    Row(name: "pool: tiny tasks, applyAsync then get", unit: "tasks/s",
        project: { try PoolBenchmarks.applyAsync(tasks: 200_000) },
        peers: [cpython("CPython multiprocessing.Pool", "pool.py", ["apply", "50000"])]),
    Row(name: "pool: tiny tasks through map", unit: "tasks/s",
        project: { try PoolBenchmarks.map(tasks: 1_000_000) },
        peers: [cpython("CPython multiprocessing.Pool", "pool.py", ["map", "1000000"])]),
    Row(name: "pipe: small messages from a child", unit: "msgs/s",
        project: { try PipeBenchmarks.smallMessages(count: 500_000) },
        peers: [cpython("CPython multiprocessing.Pipe", "pipe.py", ["small", "200000"]),
                c("pipe", ["small", "1000000"])]),
    Row(name: "pipe: 64 KiB messages from a child", unit: "MB/s",
        project: { try PipeBenchmarks.largeMessages(count: 50_000) },
        peers: [cpython("CPython multiprocessing.Pipe", "pipe.py", ["large", "50000"]),
                c("pipe", ["large", "50000"])]),
    Row(name: "queue: small values from a child", unit: "msgs/s",
        project: { try QueueBenchmarks.smallMessages(count: 1_000_000) },
        peers: [cpython("CPython multiprocessing.Queue", "mpqueue.py", ["small", "200000"]),
                c("pipe", ["small", "1000000"])]),
    Row(name: "lock: uncontended acquire and release", unit: "pairs/s",
        project: { try LockBenchmarks.uncontended(count: 50_000_000) },
        peers: [cpython("CPython threading.Lock", "lock.py", ["5000000"]),
                c("lock", ["50000000"])]),
    Row(name: "coroutine: switch there and back", unit: "ns/round trip",
        project: { try CoroutineBenchmarks.roundTrip(count: 10_000_000) },
        peers: [cpython("CPython greenlet", "greenlet_switch.py", ["2000000"]),
                program("C swapcontext", ".build/peers/switch", ["5000000"]),
                program("the bare cs_coroutine_switch (C)", ".build/peers/switch_bare", ["50000000"])]),
    Row(name: "http: a 613-byte file, wrk with 64 connections", unit: "requests/s",
        project: { try httpRequests.figure(of: "reference") },
        peers: HTTPBenchmarks.peerNames.map { peer in Peer(name: peer) { try httpRequests.figure(of: peer) } }),
] + [(ftpSingle, "ftp: one client downloading a 200 MiB file"), (ftpFifty, "ftp: 50 clients at once, each downloading a 20 MiB file")].map { turns, name in
    Row(name: name, unit: "MiB/s",
        project: { try turns.figure(of: "reference") },
        peers: FTPBenchmarks.peerNames.map { peer in Peer(name: peer) { try turns.figure(of: peer) } })
} + EchoBenchmarks.models.flatMap { model in
    // Per model: round trips with the servers taking turns (with 100 clients, and 1,000 for some), and
    // the memory an idle client costs.
    model.roundTripClients.map { clients in
        let roundTrips = FiguresInTurns { EchoBenchmarks.roundTripsInTurns([model.reference] + model.peers, clients: clients) }
        return Row(name: "echo round trips, \(clients) clients (\(model.name))", unit: "round trips/s",
                   project: { try roundTrips.figure(of: model.reference.name) },
                   peers: model.peers.map { server in Peer(name: server.name) { try roundTrips.figure(of: server.name) } })
    } + [
        Row(name: "echo memory per idle client, \(model.idleClients) clients (\(model.name))", unit: "KiB/client",
            project: { try EchoBenchmarks.idleMemory(model.reference, clients: model.idleClients) },
            peers: model.peers.map { server in
                Peer(name: server.name) { try EchoBenchmarks.idleMemory(server, clients: model.idleClients) }
            }),
    ]
}

/// The figure `program` prints on one line, or why there is none.
func figure(printedBy program: String, _ arguments: [String]) throws -> Double {
    guard let path = Spawn.which(program), FileManager.default.isExecutableFile(atPath: path) else {
        throw Missing("\(program) not found")
    }
    guard let finished = try? Spawn.run(path, arguments, timeout: 300) else {
        throw BenchmarkError("\(program) could not be started")
    }
    let line = finished.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    guard finished.succeeded, let value = Double(line) else {
        let why = finished.stderr.split(separator: "\n").last.map(String.init) ?? "no figure printed"
        throw BenchmarkError(why)
    }
    return value
}

struct ReportRow: Encodable {
    let name: String
    let unit: String
    /// nil (null) when the reference's program is missing.
    let project: Double?
    let peers: [String: Double?]

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(unit, forKey: .unit)
        try container.encode(project, forKey: .project) // null, not left out, when missing
        try container.encode(peers, forKey: .peers)
    }

    private enum CodingKeys: String, CodingKey { case name, unit, project, peers }
}

/// `bench [WORD...]`: only the rows whose name contains one of the words (`make bench ROWS=queue`).
let filters = CommandLine.arguments.dropFirst()
let chosen = filters.isEmpty ? rows : rows.filter { row in filters.contains { row.name.contains($0) } }

/// A figure as printed: whole numbers, or two decimals below 100 (kibibytes per client).
func formatted(_ value: Double) -> String {
    abs(value) < 100 ? String(format: "%.2f", value) : String(Int(value))
}

var report: [ReportRow] = []
for row in chosen {
    var project: Double?
    do {
        project = try row.project()
        print("\(row.name)\n  reference: \(formatted(project!)) \(row.unit)")
    } catch let missing as Missing {
        print("\(row.name)\n  reference: missing (\(missing))")
    } catch {
        print("\(row.name): the reference failed: \(error)")
        exit(1)
    }
    var peers: [String: Double?] = [:]
    for peer in row.peers {
        do {
            let value = try peer.figure()
            peers[peer.name] = value
            let ratio = project.map { "  (reference is \(String(format: "%.2f", $0 / value))x)" } ?? ""
            print("  \(peer.name): \(formatted(value)) \(row.unit)\(ratio)")
        } catch {
            peers[peer.name] = .some(nil)
            print("  \(peer.name): missing (\(error))")
        }
    }
    report.append(ReportRow(name: row.name, unit: row.unit, project: project, peers: peers))
}
guard filters.isEmpty else { exit(0) }
let encoder = JSONEncoder()
encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
try FileManager.default.createDirectory(atPath: "reports", withIntermediateDirectories: true)
try encoder.encode(report).write(to: URL(fileURLWithPath: "reports/bench.json"))
print("wrote reports/bench.json")
