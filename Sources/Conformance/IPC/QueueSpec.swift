import Glibc

/// The checks of QUEUE-1 ... QUEUE-8 against an implementation of `QueueAPI`. The other
/// processes are children the check forks after making the queue, as day2/queue_0.py does.
public struct QueueSpec<Implementation: QueueAPI>: Spec {
    public static var concept: String { "queue" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("QUEUE-1", valuesArriveWholeAndInOrder),
            Check("QUEUE-2", getOnAnEmptyQueue),
            Check("QUEUE-3", putOnAFullQueue),
            Check("QUEUE-4", zeroOrLessIsUnbounded),
            Check("QUEUE-5", sizeIsCurrentWhenPutReturns),
            Check("QUEUE-6", blockedCallsAreWokenByOtherProcesses),
            Check("QUEUE-7", aClosedQueueRefusesPutAndGet),
            Check("QUEUE-8", manyProducersAndConsumers),
        ]
    }

    private func queue(maxsize: Int) throws -> Implementation.Queue {
        step("queue(maxsize: \(maxsize))")
        return try implementation.queue(maxsize: maxsize)
    }

    /// Forks a child that runs `body`; it exits 0 when `body` returns, 1 when it throws.
    private func child(_ body: @escaping () throws -> Void) throws -> ProcessID {
        try Children.fork { (try? body()) == nil ? 1 : 0 }
    }

    /// QUEUE-1: a child puts an Int, a String, an array, 16 MiB of bytes and an Int, and exits;
    /// the parent gets them in that order, each whole.
    func valuesArriveWholeAndInOrder() throws {
        let queue = try queue(maxsize: 0)
        let large = (0..<16).flatMap { Array(repeating: UInt8($0 * 7 + 1), count: 1 << 20) }
        let producer = try child {
            try queue.put(1, block: true, timeout: nil)
            try queue.put("消息队列", block: true, timeout: nil)
            try queue.put([3, 4], block: true, timeout: nil)
            try queue.put(large, block: true, timeout: nil)
            try queue.put(5, block: true, timeout: nil)
        }
        try expectEqual(try queue.get(Int.self, block: true, timeout: nil), 1, "the first value")
        try expectEqual(try queue.get(String.self, block: true, timeout: nil), "消息队列", "the second value")
        try expectEqual(try queue.get([Int].self, block: true, timeout: nil), [3, 4], "the third value")
        step("getting 16 MiB")
        let received = try queue.get([UInt8].self, block: true, timeout: nil)
        try expectEqual(received.count, large.count, "the size of the fourth value (16 MiB put)")
        try expectTrue(received == large, "the fourth value (16 MiB) differs from what was put")
        try expectEqual(try queue.get(Int.self, block: true, timeout: nil), 5, "the last value")
        try expectEqual(try Children.reap(producer), .exited(code: 0), "the producer's status (its puts worked)")
    }

    /// QUEUE-2: get on an empty queue: not blocking with a 2 s timeout, and timeouts 0 and -1,
    /// throw .empty before 2 s have passed; a timeout of 0.05 s throws after at least that.
    func getOnAnEmptyQueue() throws {
        let queue = try queue(maxsize: 0)
        let notBlocking = try expectThrowsAndTime(QueueError.empty, "get(block: false, timeout: 2) on an empty queue") {
            () throws(QueueError) in try queue.get(Int.self, block: false, timeout: 2)
        }
        try expectTrue(notBlocking < .seconds(2), "get(block: false, timeout: 2) waited \(notBlocking): not blocking ignores the timeout")
        for timeout in [0, -1.0] {
            _ = try expectThrowsAndTime(QueueError.empty, "get(timeout: \(timeout)) on an empty queue") {
                () throws(QueueError) in try queue.get(Int.self, block: true, timeout: timeout)
            }
        }
        let waited = try expectThrowsAndTime(QueueError.empty, "get(timeout: 0.05) on an empty queue") {
            () throws(QueueError) in try queue.get(Int.self, block: true, timeout: 0.05)
        }
        try expectTrue(waited >= .milliseconds(50), "get(timeout: 0.05) gave up after \(waited)")
    }

    /// QUEUE-3: a queue of 2 holding 1 and 2: put refuses 3 as get refused on an empty queue,
    /// and the queue still holds 1 and 2, nothing more.
    func putOnAFullQueue() throws {
        let queue = try queue(maxsize: 2)
        try queue.put(1, block: true, timeout: nil)
        try queue.put(2, block: true, timeout: nil)
        let notBlocking = try expectThrowsAndTime(QueueError.full, "put(3, block: false, timeout: 2) on a full queue") {
            () throws(QueueError) in try queue.put(3, block: false, timeout: 2)
        }
        try expectTrue(notBlocking < .seconds(2), "put(block: false, timeout: 2) waited \(notBlocking): not blocking ignores the timeout")
        for timeout in [0, -1.0] {
            _ = try expectThrowsAndTime(QueueError.full, "put(3, timeout: \(timeout)) on a full queue") {
                () throws(QueueError) in try queue.put(3, block: true, timeout: timeout)
            }
        }
        let waited = try expectThrowsAndTime(QueueError.full, "put(3, timeout: 0.05) on a full queue") {
            () throws(QueueError) in try queue.put(3, block: true, timeout: 0.05)
        }
        try expectTrue(waited >= .milliseconds(50), "put(timeout: 0.05) gave up after \(waited)")
        try expectEqual(try queue.get(Int.self, block: false, timeout: nil), 1, "the first value after the refused puts")
        try expectEqual(try queue.get(Int.self, block: false, timeout: nil), 2, "the second value")
        try expectThrows(QueueError.empty, "a third get (no refused value may have gone in)") { () throws(QueueError) in
            try queue.get(Int.self, block: false, timeout: nil)
        }
    }

    /// QUEUE-4: maxsize 0 and -3: 10000 puts without blocking all succeed, the queue is never
    /// full, and the values come back.
    func zeroOrLessIsUnbounded() throws {
        for maxsize in [0, -3] {
            let queue = try queue(maxsize: maxsize)
            step("10000 × put(n, block: false) on queue(maxsize: \(maxsize))")
            for n in 0..<10000 { try queue.put(n, block: false, timeout: nil) }
            try expectEqual(queue.isFull, false, "isFull of queue(maxsize: \(maxsize)) holding 10000 values")
            try expectEqual(queue.count, 10000, "count after 10000 puts")
            var sum = 0
            for _ in 0..<10000 { sum += try queue.get(Int.self, block: false, timeout: nil) }
            try expectEqual(sum, 10000 * 9999 / 2, "the sum of the 10000 values got back")
        }
    }

    /// QUEUE-5: count, isEmpty and isFull of a queue of 2 after each put and get, in this process
    /// and after a child's put (the child has exited when the parent looks).
    func sizeIsCurrentWhenPutReturns() throws {
        let queue = try queue(maxsize: 2)
        func expectSize(_ count: Int, _ when: String) throws {
            try expectEqual(queue.count, count, "count \(when)")
            try expectEqual(queue.isEmpty, count == 0, "isEmpty \(when)")
            try expectEqual(queue.isFull, count == 2, "isFull \(when)")
        }
        try expectSize(0, "of a new queue")
        try queue.put("a", block: true, timeout: nil)
        try expectSize(1, "right after put(\"a\") returned")
        let producer = try child { try queue.put("b", block: true, timeout: nil) }
        try expectEqual(try Children.reap(producer), .exited(code: 0), "the status of a child that put \"b\"")
        try expectSize(2, "after a child's put returned and the child exited")
        _ = try queue.get(String.self, block: true, timeout: nil)
        try expectSize(1, "right after a get returned")
        _ = try queue.get(String.self, block: true, timeout: nil)
        try expectSize(0, "after the second get")
    }

    /// QUEUE-6: a child blocks in get on an empty queue until the parent puts (the parent waits
    /// until the child sleeps); then a child blocks in put on a full queue until the parent gets.
    func blockedCallsAreWokenByOtherProcesses() throws {
        let queue = try queue(maxsize: 1)
        let ready = try Pipe()
        let getter = try child {
            ready.write(1)
            guard try queue.get(Int.self, block: true, timeout: nil) == 42 else { throw CheckFailure("wrong value") }
        }
        _ = try ready.readInt32("the getting child ended before reporting")
        _ = Children.awaitState(getter, in: ["S", "Z"], "waiting for the child to sleep in get()")
        step("put(42) from the parent")
        try queue.put(42, block: true, timeout: nil)
        try expectEqual(try Children.reap(getter), .exited(code: 0), "the status of the child blocked in get (1: it got something else or an error)")

        try queue.put(1, block: true, timeout: nil)
        let putter = try child {
            ready.write(2)
            try queue.put(2, block: true, timeout: nil)
        }
        _ = try ready.readInt32("the putting child ended before reporting")
        _ = Children.awaitState(putter, in: ["S", "Z"], "waiting for the child to sleep in put() on the full queue")
        try expectEqual(try queue.get(Int.self, block: true, timeout: nil), 1, "the value that filled the queue")
        try expectEqual(try Children.reap(putter), .exited(code: 0), "the status of the child blocked in put (1: put threw)")
        try expectEqual(try queue.get(Int.self, block: false, timeout: nil), 2, "the blocked child's value")
    }

    /// QUEUE-7: after close(), put and get throw .closed and a second close() is harmless; a
    /// child's close() leaves the parent's queue working.
    func aClosedQueueRefusesPutAndGet() throws {
        let queue = try queue(maxsize: 0)
        let closer = try child { queue.close() }
        try expectEqual(try Children.reap(closer), .exited(code: 0), "the status of a child that closed the queue")
        step("put and get in the parent after a child's close()")
        try queue.put(7, block: true, timeout: nil)
        try expectEqual(try queue.get(Int.self, block: false, timeout: nil), 7, "get in the parent after the child's close()")
        try queue.put(8, block: true, timeout: nil)
        queue.close()
        try expectThrows(QueueError.closed, "put after close()") { () throws(QueueError) in
            try queue.put(9, block: true, timeout: nil)
        }
        try expectThrows(QueueError.closed, "get after close() (a value is waiting)") { () throws(QueueError) in
            try queue.get(Int.self, block: false, timeout: nil)
        }
        queue.close()
    }

    /// QUEUE-8: 3 producers put [producer, i] for i in 0..<2000 into a queue of 50; 2 consumers
    /// get until a stop value and report count, sum of i and whether each producer's i rose.
    func manyProducersAndConsumers() throws {
        let producers = 3, perProducer = 2000, consumers = 2
        let queue = try queue(maxsize: 50)
        let results = try Pipe()
        step("starting \(consumers) consumers and \(producers) producers")
        let consumerPids = try (0..<consumers).map { _ in
            try child {
                var count: Int32 = 0, sum: Int32 = 0, ordered: Int32 = 1
                var last = [Int](repeating: -1, count: producers)
                while true {
                    let pair = try queue.get([Int].self, block: true, timeout: nil)
                    if pair == [-1, -1] { break }
                    count += 1
                    sum += Int32(pair[1])
                    if pair[1] <= last[pair[0]] { ordered = 0 }
                    last[pair[0]] = pair[1]
                }
                results.write([count, sum, ordered])
            }
        }
        let producerPids = try (0..<producers).map { producer in
            try child { for i in 0..<perProducer { try queue.put([producer, i], block: true, timeout: nil) } }
        }
        for pid in producerPids {
            try expectEqual(try Children.reap(pid), .exited(code: 0), "a producer's status (its puts worked)")
        }
        for _ in 0..<consumers { try queue.put([-1, -1], block: true, timeout: nil) }
        results.closeWriteEnd()
        var count = 0, sum = 0
        for _ in 0..<consumers {
            count += Int(try results.readInt32("a consumer ended without reporting (its get threw)"))
            sum += Int(try results.readInt32("a consumer's report was cut"))
            try expectEqual(try results.readInt32("a consumer's report was cut"), 1,
                            "whether a consumer saw each producer's values in order (1: yes)")
        }
        for pid in consumerPids {
            try expectEqual(try Children.reap(pid), .exited(code: 0), "a consumer's status")
        }
        try expectEqual(count, producers * perProducer, "the number of values the consumers got")
        try expectEqual(sum, producers * perProducer * (perProducer - 1) / 2, "the sum of the values got")
    }
}
