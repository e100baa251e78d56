/// A pipe between processes: Python's `multiprocessing.Pipe(duplex=)` and the `Connection` objects
/// it returns (course: 管道通信(Pipe), day2/pipe.py).
///
/// Rules PIPE-1 ... PIPE-8 in RULES.md; the reference is `Multiprocessing.Connection`.
/// Deliberate differences: `recv` names the type it expects (Swift decodes into a type; pickle
/// restores whatever was sent), and misuse Python answers with `OSError` is a `PipeError`.
public protocol PipeEnd: AnyObject {
    /// `send(obj)`: sends one whole message, however large.
    func send<Message: Encodable>(_ message: Message) throws(PipeError)
    /// `recv()`: the next message, decoded as `type`; `.endOfFile` once the other end is closed
    /// and nothing is left.
    func recv<Message: Decodable>(_ type: Message.Type) throws(PipeError) -> Message
    /// `send_bytes(buf)`: one message of raw bytes; an empty one is a message too.
    func sendBytes(_ bytes: [UInt8]) throws(PipeError)
    /// `recv_bytes()`: the next message of raw bytes.
    func recvBytes() throws(PipeError) -> [UInt8]
    /// `poll(timeout)`: whether something can be received now (a message, or end of file), waiting
    /// at most `timeout` seconds (nil: no limit; 0 or less: not at all); consumes nothing.
    func poll(timeout: Double?) throws(PipeError) -> Bool
    /// `close()`: every later call throws `.closed`; closing twice is fine.
    func close()
}

/// Makes pipes: `Pipe(duplex)`.
public protocol PipeAPI {
    associatedtype End: PipeEnd
    /// Two connected ends. Duplex: both send and receive. Simplex: `(reader, writer)`, the first
    /// only receives and the second only sends.
    func pipe(duplex: Bool) throws(PipeError) -> (End, End)
}

/// What a pipe end reports instead of a message.
public enum PipeError: Error, Equatable, CustomStringConvertible {
    /// The other end is closed and nothing is left to receive (Python: EOFError).
    case endOfFile
    /// `send` on the reading end of a simplex pipe (Python: OSError "connection is read-only").
    case readOnly
    /// `recv` or `poll` on the writing end (Python: OSError "connection is write-only").
    case writeOnly
    /// The end was closed (Python: OSError "handle is closed").
    case closed
    /// Nobody can receive any more: the other end is closed (Python: BrokenPipeError).
    case brokenPipe
    /// A message that cannot be encoded, or bytes that are not a message of the type asked for.
    case notTransferable(String)
    /// Another system error.
    case system(Errno)

    public var description: String {
        switch self {
        case .endOfFile: "end of file: the other end is closed"
        case .readOnly: "this end only receives"
        case .writeOnly: "this end only sends"
        case .closed: "this end is closed"
        case .brokenPipe: "broken pipe: the other end is closed"
        case .notTransferable(let why): "cannot transfer the message: \(why)"
        case .system(let errno): "a system call failed: \(errno)"
        }
    }
}
