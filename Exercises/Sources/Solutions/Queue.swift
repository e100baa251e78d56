import Conformance

/// A queue between processes: `multiprocessing.Queue(maxsize)` (course: 消息队列, day2/queue_0.py).
///
/// Rules QUEUE-1 ... QUEUE-8 (RULES.md). Grade just these: `make grade RULES=queue`.
/// Hints: memory every process shares is an anonymous `mmap(MAP_SHARED)` made before fork; a
/// pthread mutex and condition variables in it need `PTHREAD_PROCESS_SHARED`. Store each value
/// as a length and its bytes, and count values separately from bytes.
public final class StudentQueue: QueueObject {
    public func put<Message: Encodable>(_ message: Message, block: Bool, timeout: Double?) throws(QueueError) { notImplemented() }
    public func get<Message: Decodable>(_ type: Message.Type, block: Bool, timeout: Double?) throws(QueueError) -> Message {
        notImplemented()
    }
    public var count: Int { notImplemented() }
    public var isEmpty: Bool { notImplemented() }
    public var isFull: Bool { notImplemented() }
    public func close() { notImplemented() }
}

/// Makes queues for the spec: `Queue(maxsize)`.
public struct StudentQueues: QueueAPI {
    public init() {}

    public func queue(maxsize: Int) throws(QueueError) -> StudentQueue { notImplemented() }
}
