import Conformance
import Glibc
import Multiprocessing

/// A queue that is the reference `MessageQueue` except for the hooks given.
final class MutantQueue: QueueObject {
    let reference: MessageQueue
    /// Sees each put's value and arguments; returns the arguments to use, or nil to drop the value.
    var putting: ((MessageQueue, Any, Bool, Double?) throws(QueueError) -> (Bool, Double?)?)?
    /// Returns the arguments each get uses.
    var getting: ((Bool, Double?) throws(QueueError) -> (Bool, Double?))?
    var fullness: ((MessageQueue) -> Bool)?
    var closing: ((MessageQueue) -> Void)?

    init(_ reference: MessageQueue) { self.reference = reference }

    func put<Message: Encodable>(_ message: Message, block: Bool, timeout: Double?) throws(QueueError) {
        var arguments: (Bool, Double?)? = (block, timeout)
        if let putting { arguments = try putting(reference, message, block, timeout) }
        guard let (block, timeout) = arguments else { return }
        try reference.put(message, block: block, timeout: timeout)
    }

    func get<Message: Decodable>(_ type: Message.Type, block: Bool, timeout: Double?) throws(QueueError) -> Message {
        let (block, timeout) = try getting?(block, timeout) ?? (block, timeout)
        return try reference.get(type, block: block, timeout: timeout)
    }

    var count: Int { reference.count }
    var isEmpty: Bool { reference.isEmpty }
    var isFull: Bool { fullness?(reference) ?? reference.isFull }
    func close() { if let closing { closing(reference) } else { reference.close() } }
}

/// Makes `MutantQueue`s: `maxsize` may change the size asked for, `change` sets the hooks.
struct QueueMutant: QueueAPI {
    var maxsize: (Int) -> Int = { $0 }
    var change: (MutantQueue) -> Void = { _ in }

    func queue(maxsize wanted: Int) throws(QueueError) -> MutantQueue {
        let queue = MutantQueue(try MessageQueue(maxsize: maxsize(wanted)))
        change(queue)
        return queue
    }
}

/// Computed, so no mutable global is shared.
var queueMutants: [Mutant] {
    [
        Mutant("queue-drops-large-values", "a value of more than 1 MiB is dropped without a word",
               rejectedBy: ["QUEUE-1": .fail],
               QueueSpec(QueueMutant(change: { queue in
                   queue.putting = { (_, message, block, timeout) throws(QueueError) in
                       ((message as? [UInt8])?.count ?? 0) > 1 << 20 ? nil : (block, timeout)
                   }
               }))),
        Mutant("queue-nonblocking-get-waits", "get(block: false, timeout: t) waits for t on an empty queue",
               rejectedBy: ["QUEUE-2": .fail],
               QueueSpec(QueueMutant(change: { queue in
                   queue.getting = { (block, timeout) throws(QueueError) in (true, block ? timeout : timeout ?? 0) }
               }))),
        Mutant("queue-full-put-drops", "put on a full queue with a timeout or without blocking drops the value and returns",
               rejectedBy: ["QUEUE-3": .fail],
               QueueSpec(QueueMutant(change: { queue in
                   queue.putting = { (reference, _, block, timeout) throws(QueueError) in
                       reference.isFull && (!block || timeout != nil) ? nil : (block, timeout)
                   }
               }))),
        Mutant("queue-maxsize-zero-is-one", "a maxsize of 0 or less makes a queue of one value",
               rejectedBy: ["QUEUE-4": .fail], QueueSpec(QueueMutant(maxsize: { $0 <= 0 ? 1 : $0 }))),
        Mutant("queue-never-full", "isFull compares the count with maxsize + 1, so it is never true",
               rejectedBy: ["QUEUE-5": .fail],
               QueueSpec(QueueMutant(change: { queue in queue.fullness = { _ in false } }))),
        Mutant("queue-blocking-get-does-not-wait", "get(block: true) without a timeout throws .empty at once on an empty queue",
               rejectedBy: ["QUEUE-6": .fail],
               QueueSpec(QueueMutant(change: { queue in
                   queue.getting = { (block, timeout) throws(QueueError) in (block, timeout ?? 0) }
               }))),
        Mutant("queue-close-ignored", "close() does nothing, so put and get keep working",
               rejectedBy: ["QUEUE-7": .fail], QueueSpec(QueueMutant(change: { queue in queue.closing = { _ in } }))),
        Mutant("queue-child-puts-twice", "a put from a process that did not make the queue stores the value twice",
               rejectedBy: ["QUEUE-1": .fail, "QUEUE-8": .fail],
               QueueSpec(QueueMutant(change: { queue in
                   let maker = getpid()
                   queue.putting = { (reference, message, block, timeout) throws(QueueError) in
                       if getpid() != maker, let pair = message as? [Int] { try reference.put(pair, block: block, timeout: timeout) }
                       if getpid() != maker, let number = message as? Int { try reference.put(number, block: block, timeout: timeout) }
                       return (block, timeout)
                   }
               }))),
    ]
}
