import Conformance
import Glibc

/// A connected pair of Unix stream sockets, what pool workers run on: `send` with
/// `MSG_NOSIGNAL` reports a peer that has gone as `EPIPE`, where writing to a pipe whose reader
/// died raises SIGPIPE and would kill the sender.
enum Channel {
    /// socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC): two descriptors, each end of the other.
    static func socketPair() -> Result<[CInt], Errno> {
        var ends: [CInt] = [-1, -1]
        return valueOrErrno {
            socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends)
        }.map { _ in ends }
    }

    /// Sends all of `bytes` on a blocking socket, retrying short sends and EINTR; returns the
    /// error that stopped it (`EPIPE` when the peer has gone).
    static func sendAll(_ socket: CInt, _ bytes: [UInt8]) -> Errno? {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBufferPointer { buffer in
                valueOrErrno { send(socket, buffer.baseAddress! + written, buffer.count - written, Int32(MSG_NOSIGNAL)) }
            }
            switch count {
            case .success(let n): written += n
            case .failure(let error): return error
            }
        }
        return nil
    }
}
