import CSystem
import Conformance
import Glibc

/// The chat room's interactive client (course: 群聊聊天室's client): it asks for a name until the
/// server takes one, then forks, as the course does, one process for each direction. The parent
/// reads the user's lines and sends each one (`C text`); the child shows each line the server
/// sends as it comes, so messages show while the user is in the middle of typing, and sends the
/// keep-alive `H` every `keepAliveSeconds`. A line "quit", the end of input (Ctrl-D at a
/// terminal) or Ctrl-C leaves: the parent sends `Q`, ends the child and waits for it.
///
/// Its socket is connected to the server, so the kernel hands it the server's datagrams only.
public final class ChatClient {
    private let socket: Socket
    private let server: SocketAddress
    private let keepAlive: Double
    private var typed = TypedLines()

    public init(server: SocketAddress, keepAliveSeconds: Double) throws(SocketError) {
        socket = try SocketFactory().udp()
        try socket.connect(server)
        self.server = server
        keepAlive = keepAliveSeconds
    }

    /// Joins and talks until the user leaves; throws `ChatClientError.noServer` when the server
    /// does not answer a join.
    public func run() throws {
        guard try join() else { return }
        // Before the fork, so that no Ctrl-C finds either process with SIGINT's default action
        // (which would end it): the parent's handler does nothing but interrupt its read (no
        // SA_RESTART), which then ends as at the end of input; the child inherits it, then
        // ignores SIGINT.
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        sigemptyset(&action.sa_mask)
        sigaction(SIGINT, &action, nil)
        let parent = getpid()
        let pid = system_fork()
        guard pid >= 0 else { throw Errno.current }
        if pid == 0 {
            // The child: it ends with its parent, and leaves Ctrl-C to it.
            _ = cs_set_parent_death_signal(SIGTERM)
            signal(SIGINT, SIG_IGN)
            if getppid() == parent { receive() }
            _exit(0)
        }
        talk()
        kill(pid, SIGTERM)
        var status: CInt = 0
        _ = system_waitpid(pid, &status, 0)
    }

    /// Asks for a name until the server takes one; false at the end of input.
    private func join() throws -> Bool {
        try socket.setTimeout(5)
        defer { try? socket.setTimeout(nil) }
        while true {
            show("请输入姓名:", newline: false)
            guard let name = typed.next() else {
                show("")
                return false
            }
            _ = try socket.send(Array("L \(name)".utf8))
            let reply = try answer()
            if reply == "OK" {
                show("您已进入聊天室")
                return true
            }
            show(reply.hasPrefix("E ") ? String(reply.dropFirst(2)) : reply)
        }
    }

    /// The server's answer to a join, within the socket's timeout.
    private func answer() throws -> String {
        let received = Result { () throws(SocketError) in try socket.receive(maximum: 65536) }
        switch received {
        case .success(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .failure(.timedOut), .failure(.connectionRefused): throw ChatClientError.noServer(server)
        case .failure(let error): throw error
        }
    }

    /// The parent: sends each line typed until "quit", the end of input or Ctrl-C, then `Q`.
    private func talk() {
        while let line = typed.next(), line != "quit" {
            guard !line.isEmpty else { continue }
            do throws(SocketError) {
                _ = try socket.send(Array("C \(line)".utf8))
            } catch {
                show("错误: \(error)")
            }
        }
        if let failure = typed.failure { show("chat-client: reading the terminal failed: \(failure)") }
        _ = try? socket.send(Array("Q".utf8))
        show("您已退出聊天室")
    }

    /// The child: shows what the server sends, and sends `H` whenever `keepAlive` passed since
    /// the last one.
    private func receive() -> Never {
        var nextKeepAlive = Deadline(after: keepAlive)
        var entry = pollfd(fd: socket.descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            if poll(&entry, 1, nextKeepAlive.remainingMilliseconds()) > 0 {
                do throws(SocketError) {
                    display(String(decoding: try socket.receive(maximum: 65536), as: UTF8.self))
                } catch .connectionRefused {
                    show("chat-client: the server at \(server) is gone")
                    _exit(1)
                } catch {
                    show("chat-client: \(error)")
                }
            }
            if nextKeepAlive.hasPassed {
                _ = try? socket.send(Array("H".utf8))
                nextKeepAlive = Deadline(after: keepAlive)
            }
        }
    }

    /// Shows one datagram from the server: `M text` as the text, `E reason` as an error;
    /// `OK`, the reply to `Q`, not at all.
    private func display(_ datagram: String) {
        if datagram.hasPrefix("M ") {
            show(String(datagram.dropFirst(2)))
        } else if datagram.hasPrefix("E ") {
            show("错误: \(datagram.dropFirst(2))")
        } else if datagram != "OK" {
            show(datagram)
        }
    }

    /// Writes `text` to stdout at once (it may be a pipe, which stdio would buffer).
    private func show(_ text: String, newline: Bool = true) {
        var text = newline ? text + "\n" : text
        text.withUTF8 { bytes in
            var written = 0
            while written < bytes.count {
                let count = write(STDOUT_FILENO, bytes.baseAddress! + written, bytes.count - written)
                if count < 0 && Errno.current == .interrupted { continue }
                guard count > 0 else { return }
                written += count
            }
        }
    }
}

/// Why the client gave up.
public enum ChatClientError: Error, CustomStringConvertible {
    /// No answer to a join within 5 s, or nobody listens on the server's port.
    case noServer(SocketAddress)

    public var description: String {
        switch self {
        case .noServer(let server): "no chat server answers at \(server)"
        }
    }
}
