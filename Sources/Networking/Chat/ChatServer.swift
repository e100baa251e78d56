import Conformance
import Glibc

/// The chat room's server (course: 群聊聊天室, the server's do_request loop): one UDP socket on
/// 127.0.0.1, one thread. The course forks a child that reads the operator's announcements and
/// sends them to the server's own socket as "C 管理员消息 text", a datagram anyone could send;
/// this server instead waits with one poll(2) selector on its socket, its stdin (the operator)
/// and the self-pipe of SIGINT and SIGTERM, with a timeout until the next member falls silent
/// for the idle time. poll, not epoll: stdin may be /dev/null or a file, which epoll refuses.
///
/// Each datagram is read into `ChatLimits.datagram` + 1 bytes: one more than the limit, so a
/// longer datagram shows as longer (CPython's `recvfrom(1024)` would cut it silently and the
/// server would act on its first 1024 bytes). The end of stdin ends the announcements, not the
/// server.
public final class ChatServer {
    public let port: UInt16
    private let socket: Socket
    private let selector = PollSelector()
    private let stop: StopSignals
    private let room: ChatRoom
    private var operatorLines = OperatorLines(limit: ChatLimits.datagram)

    /// Binds 127.0.0.1:`port` (0: a free port); members silent for `idleSeconds` are dropped.
    public init(port: UInt16, idleSeconds: Double) throws {
        stop = try StopSignals()
        socket = try SocketFactory().udp()
        try socket.bind(.loopback(port))
        try socket.setBlocking(false)
        self.port = try socket.localAddress().port
        room = ChatRoom(idle: .seconds(idleSeconds))
        try selector.register(socket.descriptor, for: .readable)
        try selector.register(STDIN_FILENO, for: .readable)
        try selector.register(stop.descriptor, for: .readable)
    }

    /// Serves until SIGINT or SIGTERM, then closes its socket.
    public func serve() throws {
        defer {
            socket.close()
            selector.close()
        }
        while true {
            let timeout = room.nextDrop.map { ContinuousClock.now.duration(to: $0) }
            for ready in try selector.wait(timeout: timeout.map { max(0, $0.seconds) }) {
                switch ready.descriptor {
                case stop.descriptor: return
                case socket.descriptor: try receiveDatagrams()
                default: readOperator()
                }
            }
            send(room.dropIdle(at: .now))
        }
    }

    /// Handles every datagram waiting.
    private func receiveDatagrams() throws {
        while true {
            let bytes: [UInt8], sender: SocketAddress
            do throws(SocketError) {
                (bytes, sender) = try socket.receiveFrom(maximum: ChatLimits.datagram + 1)
            } catch .wouldBlock {
                return
            } catch {
                // ENOBUFS, ENOMEM ...: that datagram is lost, as UDP datagrams may be; serve on.
                log("receiving failed: \(error)")
                return
            }
            let now = ContinuousClock.now
            room.heard(from: sender, at: now)
            switch ChatRequest.parse(bytes) {
            case .success(let request): send(room.handle(request, from: sender, at: now))
            case .failure(let reason): send([room.refusal(reason, sender)])
            }
        }
    }

    /// Announces the lines the operator typed; at the end of stdin, stops reading it.
    private func readOperator() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(STDIN_FILENO, &buffer, buffer.count)
        if count < 0 && Errno.current == .interrupted { return }
        guard count > 0 else {
            try? selector.unregister(STDIN_FILENO)
            return
        }
        let (lines, dropped) = operatorLines.received(buffer[..<count])
        for line in lines { send(room.announce(line)) }
        if dropped > 0 { log("\(dropped) announcement(s) longer than \(ChatLimits.datagram) bytes not sent") }
    }

    /// Sends each datagram; one the kernel refuses is lost, as UDP datagrams may be.
    private func send(_ datagrams: [ChatRoom.Datagram]) {
        for datagram in datagrams {
            do throws(SocketError) {
                _ = try socket.send(Array(datagram.text.utf8), to: datagram.to)
            } catch {
                log("sending to \(datagram.to) failed: \(error)")
            }
        }
    }

    private func log(_ message: String) {
        var line = "chat-server: \(message)\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}
