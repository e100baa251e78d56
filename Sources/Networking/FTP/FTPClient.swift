import Conformance
import Glibc

/// An FTP client over the same real protocol as the server (Python's `ftplib.FTP`): a control
/// connection for commands and replies, and a passive data connection (EPSV, or PASV when the
/// server does not know EPSV) for each listing and transfer.
public final class FTPClient {
    /// A reply: its three-digit code and its text (the lines of a multi-line reply joined by "\n").
    public struct Reply: Sendable, CustomStringConvertible {
        public let code: Int
        public let text: String
        public var description: String { "\(code) \(text)" }
    }

    /// Why an operation failed: the server's reply, or the connection.
    public enum Failure: Error, CustomStringConvertible {
        /// The server answered with an error (4xx, 5xx) or an unexpected reply.
        case refused(Reply)
        case connection(SocketError)
        /// A local file could not be read or written.
        case localFile(String, Errno)
        /// The server's reply could not be read as FTP.
        case malformed(String)

        public var description: String {
            switch self {
            case .refused(let reply): "the server answered \(reply)"
            case .connection(let error): "connection: \(error)"
            case .localFile(let path, let error): "\(path): \(error)"
            case .malformed(let text): "not an FTP reply: \(text.debugDescription)"
            }
        }
    }

    private let control: Socket
    private let host: String
    private var pending = LineBuffer()
    /// The server's greeting.
    public private(set) var welcome: Reply = Reply(code: 0, text: "")

    /// Connects to `host` (a dotted IPv4 address) at `port` and reads the greeting.
    public init(host: String, port: UInt16, timeout: Double = 30) throws(Failure) {
        do throws(SocketError) {
            control = try SocketFactory().tcp()
            try control.setTimeout(timeout)
            try control.connect(SocketAddress(host: host, port: port))
        } catch {
            throw .connection(error)
        }
        self.host = host
        welcome = try expect(2, try reply())
    }

    deinit { control.close() }

    /// USER and PASS (anonymous by default).
    public func login(user: String = "anonymous", password: String = "anonymous@") throws(Failure) {
        let answer = try send("USER \(user)")
        if answer.code == 331 { _ = try expect(2, try send("PASS \(password)")) } else { _ = try expect(2, answer) }
    }

    /// Sends one command line and returns the reply, whatever its code.
    @discardableResult
    public func send(_ command: String) throws(Failure) -> Reply {
        do throws(SocketError) { try control.sendAll(Array("\(command)\r\n".utf8)) } catch { throw .connection(error) }
        return try reply()
    }

    /// The LIST of `path` (the current folder when nil), as text.
    public func list(_ path: String? = nil) throws(Failure) -> String {
        _ = try expect(2, try send("TYPE A"))
        var bytes: [UInt8] = []
        try transfer(path.map { "LIST \($0)" } ?? "LIST") { (data) throws(Failure) in
            while true {
                let piece = try Self.receive(data)
                if piece.isEmpty { return }
                bytes += piece
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Downloads `name` into the local file `path` (written beside it, renamed when whole), in
    /// binary; `progress` is told the bytes so far and the size when the server gave it.
    public func retrieve(_ name: String, to path: String, progress: (Int, Int?) -> Void = { _, _ in }) throws(Failure) {
        _ = try expect(2, try send("TYPE I"))
        let size = try? expect(2, try send("SIZE \(name)")).text.split(separator: " ").first.flatMap { Int($0) }
        let temporary = path + ".part"
        let file = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard file >= 0 else { throw .localFile(temporary, .current) }
        var whole = false
        defer {
            close(file)
            if !whole { unlink(temporary) }
        }
        var received = 0
        try transfer("RETR \(name)") { (data) throws(Failure) in
            while true {
                let piece = try Self.receive(data)
                if piece.isEmpty { return }
                do throws(Errno) { try writeAll(file, piece) } catch { throw .localFile(temporary, error) }
                received += piece.count
                progress(received, size ?? nil)
            }
        }
        guard rename(temporary, path) == 0 else { throw .localFile(path, .current) }
        whole = true
    }

    /// Uploads the local file `path` as `name`, in binary; `progress` is told the bytes so far and the file's size.
    public func store(_ path: String, as name: String, progress: (Int, Int?) -> Void = { _, _ in }) throws(Failure) {
        let file = open(path, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else { throw .localFile(path, .current) }
        defer { close(file) }
        var info = stat()
        fstat(file, &info)
        guard info.st_mode & S_IFMT == S_IFREG else { throw .localFile(path, Errno(rawValue: EISDIR)) }
        _ = try expect(2, try send("TYPE I"))
        var sent = 0
        try transfer("STOR \(name)") { (data) throws(Failure) in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(file, &buffer, buffer.count)
                guard count >= 0 else { throw .localFile(path, .current) }
                if count == 0 { return }
                do throws(SocketError) { try data.sendAll(Array(buffer[..<count])) } catch { throw .connection(error) }
                sent += count
                progress(sent, Int(info.st_size))
            }
        }
    }

    /// QUIT, then closes.
    public func quit() {
        _ = try? send("QUIT")
        control.close()
    }

    // MARK: The protocol

    /// Opens a passive data connection, sends `command`, runs `body` on the connection, closes it,
    /// and reads the transfer's final reply.
    private func transfer(_ command: String, _ body: (Socket) throws(Failure) -> Void) throws(Failure) {
        let port = try passivePort()
        let data: Socket
        do throws(SocketError) {
            data = try SocketFactory().tcp()
            try data.setTimeout(control.timeout)
            try data.connect(SocketAddress(host: host, port: port))
        } catch {
            throw .connection(error)
        }
        defer { data.close() }
        _ = try expect(1, try send(command))
        try body(data)
        data.close()
        _ = try expect(2, try reply())
    }

    /// EPSV's port, or PASV's when the server does not know EPSV.
    private func passivePort() throws(Failure) -> UInt16 {
        let extended = try send("EPSV")
        if extended.code == 229 {
            let digits = extended.text.split(separator: "|").first { Int($0) != nil }
            guard let digits, let port = UInt16(digits) else { throw .malformed(extended.text) }
            return port
        }
        let plain = try expect(2, try send("PASV"))
        guard let open = plain.text.firstIndex(of: "("), let close = plain.text.firstIndex(of: ")") else { throw .malformed(plain.text) }
        let numbers = plain.text[plain.text.index(after: open)..<close].split(separator: ",").compactMap { UInt16($0) }
        guard numbers.count == 6, numbers[4] < 256, numbers[5] < 256 else { throw .malformed(plain.text) }
        return numbers[4] << 8 | numbers[5]
    }

    private func expect(_ kind: Int, _ reply: Reply) throws(Failure) -> Reply {
        guard reply.code / 100 == kind else { throw .refused(reply) }
        return reply
    }

    /// The next reply: `ddd text`, or `ddd-text` ... up to the line `ddd text` (RFC 959 section 4.2).
    private func reply() throws(Failure) -> Reply {
        let first = try line()
        guard first.utf8.count >= 3, let code = Int(first.prefix(3)) else { throw .malformed(first) }
        var lines = [String(first.dropFirst(4))]
        if first.dropFirst(3).first == "-" {
            while true {
                let next = try line()
                if next.hasPrefix("\(code) ") {
                    lines.append(String(next.dropFirst(4)))
                    break
                }
                lines.append(next.hasPrefix(" ") ? String(next.dropFirst()) : next)
            }
        }
        return Reply(code: code, text: lines.joined(separator: "\n"))
    }

    private func line() throws(Failure) -> String {
        while true {
            if let line = pending.nextLine() { return line }
            let piece = try Self.receive(control)
            if piece.isEmpty { throw .connection(.notConnected) }
            pending.append(piece)
        }
    }

    private static func receive(_ socket: Socket) throws(Failure) -> [UInt8] {
        do throws(SocketError) { return try socket.receive(maximum: 65536) } catch { throw .connection(error) }
    }
}
