import Conformance
import Foundation

typealias Figures = [String: Result<Double, any Error>]

/// The figures of several sources measured in turns: each of `rounds` rounds runs every source
/// once (`once` gives its figure), and each figure is the median of its source's rounds. On 2
/// cores the loopback path swings by 2x over seconds; turns spread those swings over every source.
/// A source that fails a round is not run again; its figure is that failure.
func inTurns(_ names: [String], rounds: Int, _ once: (String) throws -> Double) -> Figures {
    var measured: [String: [Double]] = [:]
    var failures: [String: any Error] = [:]
    for _ in 0..<rounds {
        for name in names where failures[name] == nil {
            do {
                measured[name, default: []].append(try once(name))
            } catch {
                failures[name] = error
            }
        }
    }
    return Dictionary(uniqueKeysWithValues: names.map { name in
        (name, failures[name].map { .failure($0) } ?? .success(median(measured[name]!)))
    })
}

/// The middle value (the upper one of an even count).
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// `body`'s figures of `names`, measured on a new folder (`TemporaryFolder`, `prefix-XXXXXX`)
/// that `fill` writes first and that is removed once `body` returns. A folder that cannot be
/// made or written makes every figure that failure.
func inTemporaryFolder(_ prefix: String, for names: [String], fill: (String) throws -> Void,
                       _ body: (String) -> Figures) -> Figures {
    let folder: TemporaryFolder
    do {
        folder = try TemporaryFolder(prefix)
    } catch {
        let failure = BenchmarkError("cannot make a folder for the servers to serve: \(error)")
        return Dictionary(uniqueKeysWithValues: names.map { ($0, .failure(failure)) })
    }
    defer { folder.remove() }
    chmod(folder.path, 0o755)  // readable by a server's other user too (nginx's worker)
    do {
        try fill(folder.path)
    } catch {
        let failure = BenchmarkError("cannot write the folder the servers serve, \(folder.path): \(error)")
        return Dictionary(uniqueKeysWithValues: names.map { ($0, .failure(failure)) })
    }
    return body(folder.path)
}

/// The figures of one row's sources (the reference and its peers), measured together the first
/// time one of them is asked for.
final class FiguresInTurns {
    private let measure: () -> Figures
    private lazy var figures = measure()

    init(_ measure: @escaping () -> Figures) { self.measure = measure }

    func figure(of name: String) throws -> Double { try figures[name]!.get() }
}
