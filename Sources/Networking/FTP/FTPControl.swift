import Conformance

/// The control connection of an FTP session (RFC 959 section 4): command lines in, replies out,
/// with blocking calls (each session has its own thread or process).
///
/// A command line ends in CRLF (a bare LF is taken too) and is at most `maximumLine` bytes; the
/// verb is case-insensitive. A reply is a code and a text; a text of several lines is sent in the
/// multi-line form (`211-Features:` ... `211 End`).
final class FTPControl {
    let socket: Socket
    private var pending = LineBuffer()
    static let maximumLine = 4096

    init(_ socket: Socket) { self.socket = socket }

    /// Why no command could be read.
    enum ReadError: Error {
        /// The client closed, reset, or was shut down by a stop.
        case closed
        /// No command within the idle limit.
        case idle
        /// A line longer than `maximumLine`.
        case tooLong
    }

    /// The next command: its verb in capitals and its argument (nil when none).
    func command() throws(ReadError) -> (verb: String, argument: String?) {
        while true {
            if let text = pending.nextLine() {
                let space = text.firstIndex(of: " ")
                let verb = String(text[..<(space ?? text.endIndex)]).uppercased()
                return (verb, space.map { String(text[text.index(after: $0)...]) })
            }
            guard pending.bytes.count <= Self.maximumLine else { throw .tooLong }
            let bytes: [UInt8]
            do throws(SocketError) {
                bytes = try socket.receive(maximum: 4096)
            } catch .timedOut, .wouldBlock {
                throw .idle
            } catch {
                throw .closed
            }
            if bytes.isEmpty { throw .closed }
            pending.append(bytes)
        }
    }

    /// Sends the reply `code text`; false when the client is gone.
    @discardableResult
    func reply(_ code: Int, _ text: String) -> Bool {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var message = ""
        for (index, line) in lines.enumerated() {
            message += index == lines.count - 1 ? "\(code) \(line)\r\n" : index == 0 ? "\(code)-\(line)\r\n" : " \(line)\r\n"
        }
        do throws(SocketError) {
            try socket.sendAll(Array(message.utf8))
            return true
        } catch {
            return false
        }
    }
}
