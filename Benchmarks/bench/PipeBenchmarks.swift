import Glibc
import Multiprocessing

/// Messages through the reference pipe from a forked child to the parent, measured the way
/// Benchmarks/peers/pipe.py measures CPython's and pipe.c measures raw pipe(2).
enum PipeBenchmarks {
    /// `count` small messages (`send` of an Int): messages per second.
    static func smallMessages(count: Int) throws -> Double {
        try throughput(count: count) { end in
            for n in 0..<count { try end.send(n) }
        } receive: { end in
            for n in 0..<count {
                guard try end.recv(Int.self) == n else { throw BenchmarkError("a message arrived out of order") }
            }
        }
    }

    /// `count` messages of 64 KiB (`sendBytes`): megabytes (10^6 bytes) per second.
    static func largeMessages(count: Int) throws -> Double {
        let block = [UInt8](repeating: 7, count: 65536)
        let perSecond = try throughput(count: count) { end in
            for _ in 0..<count { try end.sendBytes(block) }
        } receive: { end in
            for _ in 0..<count {
                guard try end.recvBytes().count == block.count else { throw BenchmarkError("a message arrived cut") }
            }
        }
        return perSecond * Double(block.count) / 1e6
    }

    /// Forks a child that runs `send` on one end; the parent runs `receive` on the other. Returns
    /// messages per second, from before the fork to the last message received.
    private static func throughput(count: Int, send: @escaping (Connection) throws -> Void,
                                   receive: (Connection) throws -> Void) throws -> Double {
        let (parent, child) = try Connection.pipe()
        let start = ContinuousClock.now
        let sender = Process(target: {
            parent.close()
            try send(child)
        })
        try sender.start()
        child.close()
        try receive(parent)
        let rate = Double(count) / seconds(since: start)
        try sender.join()
        guard sender.exitCode == 0 else { throw BenchmarkError("the sending child failed") }
        return rate
    }
}
