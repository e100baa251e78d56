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
///
/// The bytes travel through pipe(2)s (`UnixPipe`), each one way. A simplex pipe is one of them:
/// the reader holds its read end, the writer its write end. A duplex pipe is two, one each way:
/// each end holds the read end of one and the write end of the other. (Python makes a duplex
/// pipe from a socket pair; a pipe carries about four times as many small messages a second.)
///
/// Making a pipe sets SIGPIPE to SIG_IGN if it has its default action (SIG_DFL). CPython does this
/// when it starts, for every program: so a send to a peer that has closed its end throws
/// `.brokenPipe` (Python: BrokenPipeError) instead of the kernel killing the sender.
public final class Connection: PipeEnd {
    /// The read end of the pipe this end receives from; -1 on a simplex writer and once closed.
    private var readEnd: CInt
    /// The write end of the pipe this end sends into; -1 on a simplex reader and once closed.
    private var writeEnd: CInt
    /// Bytes received but not yet returned as messages.
    private var incoming = FrameBuffer()

    private init(readEnd: CInt, writeEnd: CInt) {
        self.readEnd = readEnd
        self.writeEnd = writeEnd
    }

    deinit { close() }

    /// `multiprocessing.Pipe(duplex)`: two connected ends; simplex returns `(reader, writer)`.
    public static func pipe(duplex: Bool = true) throws(PipeError) -> (Connection, Connection) {
        let forward = try UnixPipe.open().mapError { PipeError.system($0) }.get()
        let first = Connection(readEnd: forward.readEnd, writeEnd: -1)
        let second = Connection(readEnd: -1, writeEnd: forward.writeEnd)
        if duplex {
            // Should this throw, `first` and `second` close the forward pipe as they go.
            let backward = try UnixPipe.open().mapError { PipeError.system($0) }.get()
            first.writeEnd = backward.writeEnd
            second.readEnd = backward.readEnd
        }
        return (first, second)
    }

    public func send<Message: Encodable>(_ message: Message) throws(PipeError) {
        try checkWritable()
        let frame: [UInt8]?
        do {
            // Room for a small message; a larger one grows the frame as it is pickled.
            frame = try FrameBuffer.frame(expected: 60) { bytes in try Pickle.dump(message, appendingTo: &bytes) }
        } catch {
            throw .notTransferable("\(error)")
        }
        try sendFrame(frame)
    }

    public func sendBytes(_ bytes: [UInt8]) throws(PipeError) {
        try checkWritable()
        try sendFrame(FrameBuffer.frame(expected: bytes.count) { frame in frame.append(contentsOf: bytes) })
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
        return try Deadline.awaitReadable(readEnd, until: timeout.map { Deadline(after: $0) })
            .mapError { PipeError.system($0) }.get()
    }

    /// Closes both descriptors; closing again does nothing.
    public func close() {
        if readEnd >= 0 { _ = Glibc.close(readEnd) }
        if writeEnd >= 0 { _ = Glibc.close(writeEnd) }
        readEnd = -1
        writeEnd = -1
    }

    /// Every open end holds at least one descriptor.
    private var isClosed: Bool { readEnd < 0 && writeEnd < 0 }

    private func checkWritable() throws(PipeError) {
        guard !isClosed else { throw .closed }
        guard writeEnd >= 0 else { throw .readOnly }
    }

    private func checkReadable() throws(PipeError) {
        guard !isClosed else { throw .closed }
        guard readEnd >= 0 else { throw .writeOnly }
    }

    /// Writes one frame, in one write(2) unless the kernel takes it in parts; nil is a payload
    /// too large for a frame.
    private func sendFrame(_ frame: [UInt8]?) throws(PipeError) {
        guard let frame else { throw .notTransferable("a message of 4 GiB or more") }
        if let error = UnixPipe.writeAll(writeEnd, frame) {
            throw error == Errno(rawValue: EPIPE) ? .brokenPipe : .system(error)
        }
    }

    /// Blocks until a whole frame is here; `.endOfFile` when the other end closed first.
    private func receiveFrame() throws(PipeError) -> ArraySlice<UInt8> {
        try checkReadable()
        while true {
            if let frame = incoming.next() { return frame }
            switch incoming.fill(from: readEnd) {
            case .success(0): throw .endOfFile
            case .success: continue
            case .failure(let error): throw .system(error)
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
