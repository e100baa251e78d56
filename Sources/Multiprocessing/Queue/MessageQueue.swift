import Conformance
import CSystem
import Glibc

/// A queue of values between processes: Python's `multiprocessing.Queue(maxsize)`.
///
///     let queue = try MessageQueue(maxsize: 3)
///     let producer = Process(target: { for n in 1...10 { try queue.put(n) } })
///     try producer.start()
///     for _ in 1...10 { print(try queue.get(Int.self)) }
///
/// The queue is a ring of bytes in `SharedMemory`, after a `cs_queue_header` that one
/// `ProcessMutex` guards. A value is `Pickle`d into a frame, its 4-byte length and its bytes.
/// Putters wait on `not_full` for a slot (at most `maxsize` values) or for room in the ring;
/// getters wait on `not_empty` for a frame. A value longer than the room left goes in pieces:
/// its writer (and later its reader) marks itself busy so no other value is mixed into it.
///
/// CPython's queue is a pipe fed by a thread in each putting process, so its `put` returns
/// before the value is in the queue; here `put` returns once it is (QUEUE-5). An unbounded
/// queue holds any number of values, but at most `capacity` bytes of them (64 MiB unless
/// given): a put beyond that waits for a get, where CPython's feeder thread would keep them.
/// A process killed in the middle of a value longer than the room in the ring leaves the queue
/// waiting for the rest, as CPython's docs warn for a process killed while using its queue.
public final class MessageQueue: QueueObject {
    public static let defaultCapacity = 64 << 20

    private let memory: SharedMemory
    private let header: UnsafeMutablePointer<cs_queue_header>
    private let ring: UnsafeMutableRawPointer
    private let mutex: ProcessMutex
    private let notEmpty: ProcessCondition
    private let notFull: ProcessCondition
    /// Closed in this process only, as Python's `close()`.
    private var closed = false

    /// `Queue(maxsize)`: at most `maxsize` values; 0 or less is unbounded.
    public init(maxsize: Int = 0, capacity: Int = MessageQueue.defaultCapacity) throws(QueueError) {
        let headerSize = (MemoryLayout<cs_queue_header>.size + 63) / 64 * 64
        do {
            memory = try SharedMemory(size: headerSize + max(capacity, 64))
            header = memory.base.bindMemory(to: cs_queue_header.self, capacity: 1)
            mutex = try ProcessMutex.initialize(&header.pointee.mutex, recursive: false)
            notEmpty = try ProcessCondition.initialize(&header.pointee.not_empty)
            notFull = try ProcessCondition.initialize(&header.pointee.not_full)
        } catch {
            throw .system(error)
        }
        ring = memory.base + headerSize
        header.pointee.maxsize = Int64(maxsize)
        header.pointee.capacity = Int64(max(capacity, 64))
    }

    public func put<Message: Encodable>(_ message: Message, block: Bool = true, timeout: Double? = nil) throws(QueueError) {
        guard !closed else { throw .closed }
        let payload: [UInt8]
        do {
            payload = try Pickle.dumps(message)
        } catch {
            throw .notTransferable("\(error)")
        }
        guard payload.count <= Int(UInt32.max) else { throw .notTransferable("a value of 4 GiB or more") }
        let limit = WaitLimit(block: block, timeout: timeout)
        mutex.lock()
        defer { mutex.unlock() }
        while isFullLocked {
            guard wait(notFull, limit) else { throw .full }
        }
        header.pointee.messages += 1
        while header.pointee.writer_busy != 0 { notFull.wait(mutex, until: nil) }
        let length = withUnsafeBytes(of: UInt32(payload.count).littleEndian) { Array($0) }
        if free >= 4 + payload.count {
            copyIn(length[...])
            copyIn(payload[...])
            header.pointee.frames += 1
            wakeReaders()
            return
        }
        header.pointee.writer_busy = 1
        writeInPieces(length)
        header.pointee.frames += 1
        wakeReaders()
        writeInPieces(payload)
        header.pointee.writer_busy = 0
        notFull.broadcast()
    }

    public func get<Message: Decodable>(_ type: Message.Type, block: Bool = true, timeout: Double? = nil) throws(QueueError) -> Message {
        guard !closed else { throw .closed }
        let payload = try takeFrame(WaitLimit(block: block, timeout: timeout))
        do {
            return try Pickle.loads(Message.self, from: payload[...])
        } catch {
            throw .notTransferable("\(error)")
        }
    }

    public var count: Int { mutex.withLock { Int(header.pointee.messages) } }
    public var isEmpty: Bool { count == 0 }
    public var isFull: Bool { mutex.withLock { isFullLocked } }

    public func close() { closed = true }

    // MARK: The ring, always with the mutex held

    private var isFullLocked: Bool { header.pointee.maxsize > 0 && header.pointee.messages >= header.pointee.maxsize }

    private var free: Int { Int(header.pointee.capacity - header.pointee.used) }

    /// Waits on `condition` once if `limit` allows; false when it does not (any more).
    private func wait(_ condition: ProcessCondition, _ limit: WaitLimit) -> Bool {
        let (allowed, deadline) = limit.allowsWaiting()
        if allowed { condition.wait(mutex, until: deadline) }
        return allowed
    }

    /// Removes the oldest frame and returns its payload.
    private func takeFrame(_ limit: WaitLimit) throws(QueueError) -> [UInt8] {
        mutex.lock()
        defer { mutex.unlock() }
        var spun = false
        while header.pointee.frames == 0 || header.pointee.reader_busy != 0 {
            if !spun && limit.allowsWaiting().0 {
                spun = true
                spinForFrame()
                continue
            }
            guard wait(notEmpty, limit) else { throw .empty }
        }
        header.pointee.frames -= 1
        var length = [UInt8](repeating: 0, count: 4)
        copyOut(&length[...])
        var payload = [UInt8](repeating: 0, count: Int(UInt32(littleEndian: length.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })))
        if Int(header.pointee.used) >= payload.count {
            copyOut(&payload[...])
        } else {
            header.pointee.reader_busy = 1
            readInPieces(&payload)
            header.pointee.reader_busy = 0
            notEmpty.broadcast()
        }
        header.pointee.messages -= 1
        if header.pointee.used == 0 {
            // Empty: start again at the front, so a queue that keeps up touches few pages.
            header.pointee.head = 0
            header.pointee.tail = 0
        }
        wakeWriters()
        return payload
    }

    /// Before sleeping, a getter watches for a frame for a few microseconds with the mutex
    /// released: a producer on another core usually puts one by then, and neither side pays for a
    /// futex sleep and wake-up per value.
    private func spinForFrame() {
        mutex.unlock()
        for _ in 0..<MessageQueue.spinLimit where cs_load_acquire(&header.pointee.frames) == 0 { cs_cpu_relax() }
        mutex.lock()
    }

    private static let spinLimit = 200

    private func writeInPieces(_ bytes: [UInt8]) {
        var done = 0
        while done < bytes.count {
            while free == 0 { notFull.wait(mutex, until: nil) }
            let piece = min(free, bytes.count - done)
            copyIn(bytes[done..<(done + piece)])
            done += piece
            wakeReaders()
        }
    }

    private func readInPieces(_ bytes: inout [UInt8]) {
        var done = 0
        while done < bytes.count {
            while header.pointee.used == 0 { notEmpty.wait(mutex, until: nil) }
            let piece = min(Int(header.pointee.used), bytes.count - done)
            copyOut(&bytes[done..<(done + piece)])
            done += piece
            wakeWriters()
        }
    }

    /// A busy reader waits for bytes among getters waiting for a frame: wake them all.
    private func wakeReaders() {
        if header.pointee.reader_busy != 0 { notEmpty.broadcast() } else { notEmpty.signal() }
    }

    /// Likewise a busy writer among putters waiting for a slot.
    private func wakeWriters() {
        if header.pointee.writer_busy != 0 { notFull.broadcast() } else { notFull.signal() }
    }

    /// Appends `bytes` at the tail, wrapping at the end of the ring; there is room for them.
    private func copyIn(_ bytes: ArraySlice<UInt8>) {
        let capacity = Int(header.pointee.capacity)
        let tail = Int(header.pointee.tail)
        bytes.withUnsafeBytes { source in
            let first = min(source.count, capacity - tail)
            (ring + tail).copyMemory(from: source.baseAddress!, byteCount: first)
            ring.copyMemory(from: source.baseAddress! + first, byteCount: source.count - first)
        }
        header.pointee.tail = Int64((tail + bytes.count) % capacity)
        header.pointee.used += Int64(bytes.count)
    }

    /// Removes `bytes.count` bytes from the head into `bytes`; they are in the ring.
    private func copyOut(_ bytes: inout ArraySlice<UInt8>) {
        let capacity = Int(header.pointee.capacity)
        let head = Int(header.pointee.head)
        let count = bytes.count
        bytes.withUnsafeMutableBytes { target in
            let first = min(count, capacity - head)
            target.baseAddress!.copyMemory(from: ring + head, byteCount: first)
            (target.baseAddress! + first).copyMemory(from: ring, byteCount: count - first)
        }
        header.pointee.head = Int64((head + count) % capacity)
        header.pointee.used -= Int64(count)
    }
}

/// The reference `QueueAPI`.
public struct QueueFactory: QueueAPI {
    public init() {}

    public func queue(maxsize: Int) throws(QueueError) -> MessageQueue { try MessageQueue(maxsize: maxsize) }
}
