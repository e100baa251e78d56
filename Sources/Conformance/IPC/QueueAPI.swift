/// A message queue between processes: Python's `multiprocessing.Queue(maxsize)` (course: 消息队列,
/// day2/queue_0.py).
///
/// Rules QUEUE-1 ... QUEUE-8 in RULES.md; the reference is `Multiprocessing.MessageQueue`.
/// Deliberate differences: `get` names the type it expects, and `put` has finished when it
/// returns (CPython's put hands the value to a feeder thread), so `count`, `isEmpty` and `isFull`
/// already include it.
public protocol QueueObject: AnyObject {
    /// `put(obj, block, timeout)`: appends one whole value. On a full queue: `.full` at once when
    /// not blocking (the timeout is then ignored) or when `timeout` is 0 or less; otherwise waits
    /// for room, at most `timeout` seconds (nil: no limit).
    func put<Message: Encodable>(_ message: Message, block: Bool, timeout: Double?) throws(QueueError)
    /// `get(block, timeout)`: removes and returns the oldest value, decoded as `type`. On an empty
    /// queue: `.empty` at once, or after waiting as `put` does.
    func get<Message: Decodable>(_ type: Message.Type, block: Bool, timeout: Double?) throws(QueueError) -> Message
    /// `qsize()`: how many values are in the queue.
    var count: Int { get }
    /// `empty()`.
    var isEmpty: Bool { get }
    /// `full()`: never true for an unbounded queue.
    var isFull: Bool { get }
    /// `close()`: this process puts and gets no more; later calls throw `.closed`. Other
    /// processes keep using the queue.
    func close()
}

/// Makes queues: `Queue(maxsize)`.
public protocol QueueAPI {
    associatedtype Queue: QueueObject
    /// A queue holding at most `maxsize` values; 0 or less is unbounded.
    func queue(maxsize: Int) throws(QueueError) -> Queue
}

/// What a queue reports instead of a value.
public enum QueueError: Error, Equatable, CustomStringConvertible {
    /// Nothing to get (Python: queue.Empty).
    case empty
    /// No room to put (Python: queue.Full).
    case full
    /// This process closed the queue (Python: ValueError "Queue ... is closed").
    case closed
    /// A value that cannot be encoded, or bytes that are not a value of the type asked for.
    case notTransferable(String)
    /// Another system error.
    case system(Errno)

    public var description: String {
        switch self {
        case .empty: "the queue is empty"
        case .full: "the queue is full"
        case .closed: "the queue is closed"
        case .notTransferable(let why): "cannot transfer the value: \(why)"
        case .system(let errno): "a system call failed: \(errno)"
        }
    }
}
