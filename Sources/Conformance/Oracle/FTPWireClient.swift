import Glibc

/// A reply as the FTP checks read it off the control connection (RFC 959 section 4.2): its code,
/// and its text, the lines of a multi-line reply joined by "\n".
struct FTPReply {
    let code: Int
    let text: String

    var line: String { "\(code) \(printable(Array(text.utf8)))" }
}

/// One client of the FTP checks: commands out on the control connection, replies read one by one,
/// and passive data connections (EPSV or PASV) opened by the check's own sockets, so what is
/// checked is the bytes on the wire. Every wait is bounded: 5 s for the greeting, 10 s for a reply,
/// 8 s for a download's data, less where a check says so.
package final class FTPWireClient {
    let control: LoopbackSocket
    /// The reply the server greeted with.
    private(set) var greeting = FTPReply(code: 0, text: "")
    private var pending = LineBuffer()

    /// Connects to `port` and reads the greeting within `seconds`.
    init(port: UInt16, within seconds: Double = 5) throws {
        control = try LoopbackSocket.connected(to: port)
        greeting = try reply("the greeting", within: seconds)
    }

    /// Sends `command` and CRLF.
    func send(_ command: String) throws { try control.send(Array((command + "\r\n").utf8)) }

    /// Sends `command` and reads its reply.
    func command(_ command: String, within seconds: Double = 10) throws -> FTPReply {
        try send(command)
        return try reply(command, within: seconds)
    }

    /// Sends `command`; its reply must have one of `codes`. A failure names the command and `when`.
    @discardableResult
    func expect(_ command: String, _ codes: Int..., when: String? = nil) throws -> FTPReply {
        let answer = try self.command(command)
        try expectCode(answer, codes, command + (when.map { " (\($0))" } ?? ""))
        return answer
    }

    /// `answer` must have one of `codes`.
    func expectCode(_ answer: FTPReply, _ codes: [Int], _ what: String) throws {
        guard codes.contains(answer.code) else {
            throw CheckFailure("the reply to \(what)", expected: codes.map(String.init).joined(separator: " or "), actual: "\"\(answer.line)\"")
        }
    }

    /// USER anonymous, then PASS if asked for (331): logged in with 230.
    func logIn() throws {
        let user = try command("USER anonymous")
        if user.code == 331 {
            try expect("PASS guest@example.com", 230)
        } else {
            try expectCode(user, [230, 331], "USER anonymous")
        }
    }

    /// Reads one reply within `seconds`: "NNN text", or "NNN-first" ... "NNN last" (RFC 959 4.2).
    func reply(_ what: String, within seconds: Double = 10) throws -> FTPReply {
        let deadline = Deadline(after: seconds)
        let first = try line(deadline, what)
        guard first.count >= 3, let code = Int(first.prefix(3)), (100...599).contains(code) else {
            throw CheckFailure("the reply to \(what)", expected: "\"NNN text\"", actual: "\"\(first)\"")
        }
        var lines = [String(first.dropFirst(4))]
        if first.dropFirst(3).first == "-" {
            while true {
                let next = try line(deadline, what)
                if next.hasPrefix("\(code) ") || next == "\(code)" {
                    lines.append(String(next.dropFirst(4)))
                    break
                }
                lines.append(next)
            }
        }
        return FTPReply(code: code, text: lines.joined(separator: "\n"))
    }

    /// Opens a data connection: EPSV (229, "(|||port|)") or PASV (227, "h1,h2,h3,h4,p1,p2" on
    /// 127.0.0.1), then connects to the port it names.
    func passive(extended: Bool = true) throws -> LoopbackSocket {
        let verb = extended ? "EPSV" : "PASV"
        let answer = try command(verb)
        try expectCode(answer, [extended ? 229 : 227], verb)
        guard let port = extended ? Self.extendedPort(answer.text) : Self.passivePort(answer.text) else {
            throw CheckFailure("the reply to \(verb) names no port of 127.0.0.1: \"\(answer.line)\"")
        }
        return try LoopbackSocket.connected(to: port)
    }

    /// The port in "... (|||port|)" (also the FTP mutants' data relay reads it).
    package static func extendedPort(_ text: String) -> UInt16? {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close else { return nil }
        let fields = text[text.index(after: open)..<close].split(separator: "|", omittingEmptySubsequences: false)
        guard fields.count == 5 else { return nil }
        return UInt16(fields[3])
    }

    /// The port in "... 127,0,0,1,p1,p2 ..." (the parentheses are optional, RFC 1123 4.1.2.6).
    static func passivePort(_ text: String) -> UInt16? {
        let numbers = text.split { !$0.isNumber && $0 != "," }.first { $0.split(separator: ",").count == 6 }
        guard let parts = numbers?.split(separator: ",").compactMap({ Int($0) }), parts.count == 6,
              parts[0...3] == [127, 0, 0, 1], parts[4] < 256, parts[5] < 256 else { return nil }
        return UInt16(parts[4] * 256 + parts[5])
    }

    /// `command` (RETR, LIST, NLST) over a fresh passive connection: 150 or 125, everything the
    /// data connection carries until the server ends it, then 226 or 250.
    func download(_ command: String, extended: Bool = true) throws -> [UInt8] {
        let data = try passive(extended: extended)
        try expect(command, 150, 125)
        var bytes: [UInt8] = []
        let deadline = Deadline(after: 8)
        while true {
            guard data.await(POLLIN, seconds: Double(deadline.remainingMilliseconds()) / 1000) else {
                throw CheckFailure("\(command): the data connection did not end within 8 s (\(bytes.count) bytes came)")
            }
            let piece = try data.receive(maximum: 1 << 16)
            if piece.isEmpty { break }
            bytes += piece
        }
        try expectCode(try reply("\(command), after its data", within: 10), [226, 250], "\(command), after its data")
        return bytes
    }

    /// STOR `path` over a fresh passive connection: 150 or 125, `bytes` sent and the data
    /// connection closed, then 226 or 250.
    func upload(_ path: String, _ bytes: [UInt8]) throws {
        let data = try passive()
        try expect("STOR \(path)", 150, 125)
        try data.send(bytes)
        data.close()
        try expectCode(try reply("STOR \(path), after its data", within: 10), [226, 250], "STOR \(path), after its data")
    }

    /// Whether the server ends the control connection within `seconds` (after any reply it sends).
    func closes(within seconds: Double) -> Bool {
        let deadline = Deadline(after: seconds)
        while control.await(POLLIN, seconds: Double(deadline.remainingMilliseconds()) / 1000) {
            guard let piece = try? control.receive(maximum: 1 << 16), !piece.isEmpty else { return true }
            if deadline.hasPassed { return false }
        }
        return false
    }

    /// One line, without its CRLF (or LF).
    private func line(_ deadline: Deadline, _ what: String) throws -> String {
        while true {
            if let line = pending.nextLine() { return line }
            guard control.await(POLLIN, seconds: Double(deadline.remainingMilliseconds()) / 1000) else {
                throw CheckFailure("\(what): no reply within the time allowed (came: \"\(printable(pending.bytes))\")")
            }
            let piece = (try? control.receive(maximum: 1 << 16)) ?? []
            guard !piece.isEmpty else {
                throw CheckFailure("\(what): the server closed the control connection (came: \"\(printable(pending.bytes))\")")
            }
            pending.append(piece)
        }
    }
}
