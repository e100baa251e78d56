import Conformance

/// One end of a pipe: `multiprocessing.Pipe(duplex)` and its `Connection` (course: 管道通信(Pipe),
/// day2/pipe.py).
///
/// Rules PIPE-1 ... PIPE-8 (RULES.md). Grade just these: `make grade RULES=pipe`.
/// Hints: a stream carries bytes, not messages: put each message's length before it. Writing to
/// a pipe whose reader has gone raises SIGPIPE, which kills the writer unless it is ignored (CPython
/// ignores it at start); a socket pair with `send(MSG_NOSIGNAL)` does not raise it.
public final class StudentPipeEnd: PipeEnd {
    public func send<Message: Encodable>(_ message: Message) throws(PipeError) { notImplemented() }
    public func recv<Message: Decodable>(_ type: Message.Type) throws(PipeError) -> Message { notImplemented() }
    public func sendBytes(_ bytes: [UInt8]) throws(PipeError) { notImplemented() }
    public func recvBytes() throws(PipeError) -> [UInt8] { notImplemented() }
    public func poll(timeout: Double?) throws(PipeError) -> Bool { notImplemented() }
    public func close() { notImplemented() }
}

/// Makes pipes for the spec: `Pipe(duplex)`.
public struct StudentPipes: PipeAPI {
    public init() {}

    public func pipe(duplex: Bool) throws(PipeError) -> (StudentPipeEnd, StudentPipeEnd) { notImplemented() }
}
