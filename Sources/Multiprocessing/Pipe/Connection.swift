import Conformance
import Glibc

/// One end of a pipe between processes: Python's `multiprocessing.connection.Connection`.
///
///     let (parent, child) = try Connection.pipe()
///     let worker = Process(target: { try child.send(["hello", "父进程"]) })
///     try worker.start()
///     let words = try parent.recv([String].self)
///
/// Each message is a frame, a 4-byte length and the bytes (`Pickle`d for `send`, raw for
/// `sendBytes`), so messages are never merged or split, however the kernel delivers the bytes.
/// Both kinds of pipe are a Unix socket pair (`Channel`): Python uses `os.pipe()` for a simplex
/// pipe, but writing to a pipe nobody reads raises SIGPIPE.
/// A simplex pair is shut down in the unused direction, so the kernel enforces it too.
public final class Connection: PipeEnd {
    private var descriptor: CInt
    private let readable: Bool
    private let writable: Bool
    /// Bytes received but not yet returned as messages.
    private var incoming = FrameBuffer()

    private init(descriptor: CInt, readable: Bool, writable: Bool) {
        self.descriptor = descriptor
        self.readable = readable
        self.writable = writable
    }

    deinit { close() }

    /// `multiprocessing.Pipe(duplex)`: two connected ends; simplex returns `(reader, writer)`.
    public static func pipe(duplex: Bool = true) throws(PipeError) -> (Connection, Connection) {
        let ends = try Channel.socketPair().mapError { PipeError.system($0) }.get()
        if duplex {
            return (Connection(descriptor: ends[0], readable: true, writable: true),
                    Connection(descriptor: ends[1], readable: true, writable: true))
        }
        _ = shutdown(ends[0], Int32(SHUT_WR))
        _ = shutdown(ends[1], Int32(SHUT_RD))
        return (Connection(descriptor: ends[0], readable: true, writable: false),
                Connection(descriptor: ends[1], readable: false, writable: true))
    }

    public func send<Message: Encodable>(_ message: Message) throws(PipeError) {
        try checkWritable()
        let pickled: [UInt8]
        do {
            pickled = try Pickle.dumps(message)
        } catch {
            throw .notTransferable("\(error)")
        }
        try sendFrame(pickled)
    }

    public func sendBytes(_ bytes: [UInt8]) throws(PipeError) {
        try checkWritable()
        try sendFrame(bytes)
    }

    public func recv<Message: Decodable>(_ type: Message.Type) throws(PipeError) -> Message {
        let frame = try receiveFrame()
        do {
            return try Pickle.loads(Message.self, from: frame)
        } catch {
            throw .notTransferable("\(error)")
        }
    }

    public func recvBytes() throws(PipeError) -> [UInt8] {
        Array(try receiveFrame())
    }

    /// Python's `poll()` waits 0 seconds; pass nil to wait until something arrives.
    public func poll(timeout: Double? = 0) throws(PipeError) -> Bool {
        try checkReadable()
        if incoming.hasFrame { return true }
        return try Deadline.awaitReadable(descriptor, until: timeout.map { Deadline(after: $0) })
            .mapError { PipeError.system($0) }.get()
    }

    public func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }

    private func checkWritable() throws(PipeError) {
        guard descriptor >= 0 else { throw .closed }
        guard writable else { throw .readOnly }
    }

    private func checkReadable() throws(PipeError) {
        guard descriptor >= 0 else { throw .closed }
        guard readable else { throw .writeOnly }
    }

    private func sendFrame(_ payload: [UInt8]) throws(PipeError) {
        guard payload.count <= Int(UInt32.max) else { throw .notTransferable("a message of 4 GiB or more") }
        var frame: [UInt8] = []
        frame.reserveCapacity(payload.count + 4)
        FrameBuffer.append(payload, to: &frame)
        if let error = Channel.sendAll(descriptor, frame) {
            throw error == Errno(rawValue: EPIPE) || error == Errno(rawValue: ECONNRESET) ? .brokenPipe : .system(error)
        }
    }

    /// Blocks until a whole frame is here; `.endOfFile` when the other end closed first.
    private func receiveFrame() throws(PipeError) -> ArraySlice<UInt8> {
        try checkReadable()
        while true {
            if let frame = incoming.next() { return frame }
            switch incoming.fill(from: descriptor) {
            case .success(0): throw .endOfFile
            case .success: continue
            case .failure(let error): throw error == Errno(rawValue: ECONNRESET) ? .endOfFile : .system(error)
            }
        }
    }
}

/// The reference `PipeAPI`: `Connection.pipe(duplex:)`.
public struct PipeFactory: PipeAPI {
    public init() {}

    public func pipe(duplex: Bool) throws(PipeError) -> (Connection, Connection) {
        try Connection.pipe(duplex: duplex)
    }
}
