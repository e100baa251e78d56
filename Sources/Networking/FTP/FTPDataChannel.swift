import Conformance
import Glibc

/// Passive mode (RFC 959 PASV, RFC 2428 EPSV): the server listens on a fresh port of its own, the
/// client connects to it, and the next transfer command (LIST, NLST, RETR, STOR) uses that one
/// connection, then it is closed. Only a connection from the control connection's host is taken.
final class FTPPassive {
    private let listener: Socket
    let port: UInt16
    private let clientHost: String

    init(clientHost: String) throws(SocketError) {
        listener = try SocketFactory().tcp()
        try listener.bind(.loopback(0))
        try listener.listen(backlog: 1)
        port = try listener.localAddress().port
        self.clientHost = clientHost
    }

    deinit { listener.close() }

    /// The client's data connection, once it comes (within `seconds`). It stays blocking, so that
    /// sendfile(2) sends a whole file in one call, with `seconds` as the kernel's limit on each send
    /// and receive (SO_SNDTIMEO, SO_RCVTIMEO: a stalled transfer fails with EAGAIN).
    func accept(within seconds: Double) throws(SocketError) -> Socket {
        try listener.setTimeout(seconds)
        while true {
            let (connection, address) = try listener.accept()
            guard address.host == clientHost else {
                connection.close()
                continue
            }
            var limit = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
            for option in [SO_SNDTIMEO, SO_RCVTIMEO] {
                guard setsockopt(connection.descriptor, SOL_SOCKET, option, &limit, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
                    throw .system(call: "setsockopt(SO_SNDTIMEO, SO_RCVTIMEO)", errno: .current)
                }
            }
            return connection
        }
    }
}

/// What goes over a data connection: bytes, a file, or an upload into a file.
enum FTPTransfer {
    /// Why a transfer did not complete.
    enum Failure: Error {
        /// The data connection broke or stalled (426).
        case connection(SocketError)
        /// The file could not be read or written (451).
        case file(Errno)
        /// An upload passed the size limit (552).
        case tooLarge(Int)
        /// The client went away before its upload ended.
        case clientLeft
    }

    /// Sends `bytes` and closes.
    static func send(_ bytes: [UInt8], on data: Socket) throws(Failure) {
        defer { data.close() }
        do throws(SocketError) { try data.sendAll(bytes) } catch { throw .connection(error) }
    }

    /// Sends the file at `path`: in binary (TYPE I) as it is, with sendfile(2); in ASCII (TYPE A)
    /// with each LF sent as CRLF.
    static func sendFile(_ path: String, ascii: Bool, on data: Socket) throws(Failure) {
        defer { data.close() }
        let file = open(path, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else { throw .file(.current) }
        defer { close(file) }
        if ascii {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(file, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                guard count >= 0 else { throw .file(.current) }
                if count == 0 { return }
                var converted: [UInt8] = []
                converted.reserveCapacity(count + count / 16)
                for byte in buffer[..<count] {
                    if byte == UInt8(ascii: "\n") { converted.append(UInt8(ascii: "\r")) }
                    converted.append(byte)
                }
                do throws(SocketError) { try data.sendAll(converted) } catch { throw .connection(error) }
            }
        }
        // The whole file in as few calls as the kernel allows; EAGAIN is the send timeout passing.
        while true {
            let count = sendfile(data.descriptor, file, nil, 1 << 30)
            if count > 0 { continue }
            if count == 0 { return }
            if errno == EINTR { continue }
            throw .connection(errno == EAGAIN ? .timedOut : .system(call: "sendfile", errno: .current))
        }
    }

    /// Receives an upload into `name` in `folder`, atomically: the bytes go to a new hidden file
    /// beside it, which is renamed to `name` only once the client has sent everything (closed the
    /// data connection). A client that leaves midway, a broken connection or an upload over
    /// `limit` bytes leaves nothing: the hidden file is removed. Two uploads of one name leave one
    /// of them whole. In ASCII, CRLF is stored as LF.
    ///
    /// The end of the data is the end of the file (stream mode), so a client that dies midway ends
    /// it too; `keep` tells whether the client is still there (its control connection open): a
    /// process that dies closes its descriptors in order, the control connection's first.
    static func receiveFile(into folder: String, name: String, ascii: Bool, limit: Int, on data: Socket,
                            keepIf keep: () -> Bool) throws(Failure) -> Int {
        defer { data.close() }
        var template = Array("\(folder)/\(FTPJail.uploadTemplate(for: name))".utf8CString)
        let file = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard file >= 0 else { throw .file(.current) }
        _ = fcntl(file, F_SETFD, FD_CLOEXEC)
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var renamed = false
        defer {
            close(file)
            if !renamed { unlink(temporary) }
        }
        fchmod(file, 0o644)
        var total = 0
        var heldCR = false
        while true {
            let bytes: [UInt8]
            do throws(SocketError) { bytes = try data.receive(maximum: 65536) } catch { throw .connection(error) }
            if bytes.isEmpty { break }
            total += bytes.count
            guard total <= limit else { throw .tooLarge(limit) }
            guard ascii else {
                try writeAll(bytes, to: file)
                continue
            }
            // A CR waits for the next byte (perhaps in the next piece): before an LF it is dropped.
            var out: [UInt8] = []
            for byte in bytes {
                if heldCR && byte != UInt8(ascii: "\n") { out.append(UInt8(ascii: "\r")) }
                heldCR = byte == UInt8(ascii: "\r")
                if !heldCR { out.append(byte) }
            }
            try writeAll(out, to: file)
        }
        if heldCR { try writeAll([UInt8(ascii: "\r")], to: file) }
        guard keep() else { throw .clientLeft }
        guard rename(temporary, "\(folder)/\(name)") == 0 else { throw .file(.current) }
        renamed = true
        return total
    }

    private static func writeAll(_ bytes: [UInt8], to file: CInt) throws(Failure) {
        do throws(Errno) { try Syscalls.writeAll(file, bytes) } catch { throw .file(error) }
    }
}
