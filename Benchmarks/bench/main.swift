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

/// Another implementation, run as a program that prints its figure on one line.
struct Peer {
    let name: String
    /// The program, found on PATH.
    let program: String
    let arguments: [String]
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let (whole, attoseconds) = (ContinuousClock.now - start).components
    return Double(whole) + Double(attoseconds) / 1e18
}

let peerFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("peers").path

/// A CPython program of Benchmarks/peers, run without PYTHONUNBUFFERED, which some machines set
/// and which changes what it measures.
func cpython(_ name: String, _ script: String, _ arguments: [String]) -> Peer {
    Peer(name: name, program: "env", arguments: ["-u", "PYTHONUNBUFFERED", "python3", "\(peerFolder)/\(script)"] + arguments)
}

/// A C program of Benchmarks/peers, built by `make bench` into .build/peers.
func c(_ program: String, _ arguments: [String]) -> Peer {
    Peer(name: "C on raw syscalls", program: ".build/peers/\(program)", arguments: arguments)
}

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
]

/// A peer's figure, or why there is none.
func measure(_ peer: Peer) -> Result<Double, BenchmarkError> {
    guard let program = Spawn.which(peer.program) else { return .failure(BenchmarkError("\(peer.program) not found")) }
    guard let finished = try? Spawn.run(program, peer.arguments, timeout: 300) else {
        return .failure(BenchmarkError("\(peer.program) could not be started"))
    }
    let line = finished.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    guard finished.succeeded, let value = Double(line) else {
        let why = finished.stderr.split(separator: "\n").last.map(String.init) ?? "no figure printed"
        return .failure(BenchmarkError("missing (\(why))"))
    }
    return .success(value)
}

struct ReportRow: Encodable {
    let name: String
    let unit: String
    let project: Double
    let peers: [String: Double?]
}

/// `bench [WORD...]`: only the rows whose name contains one of the words (`make bench ROWS=queue`).
let filters = CommandLine.arguments.dropFirst()
let chosen = filters.isEmpty ? rows : rows.filter { row in filters.contains { row.name.contains($0) } }

var report: [ReportRow] = []
for row in chosen {
    let project: Double
    do {
        project = try row.project()
    } catch {
        print("\(row.name): the reference failed: \(error)")
        exit(1)
    }
    print("\(row.name)\n  reference: \(Int(project)) \(row.unit)")
    var peers: [String: Double?] = [:]
    for peer in row.peers {
        switch measure(peer) {
        case .success(let value):
            peers[peer.name] = value
            print("  \(peer.name): \(Int(value)) \(row.unit)  (reference is \(String(format: "%.2f", project / value))x)")
        case .failure(let why):
            peers[peer.name] = .some(nil)
            print("  \(peer.name): \(why)")
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
