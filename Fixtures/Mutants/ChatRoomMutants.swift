import CSystem
import Conformance
import Glibc
import Networking

/// The chat rooms of the mutants, run by this executable itself: `mutant-runner --chat-server
/// NAME --port 0 --idle-seconds S` and `mutant-runner --chat-client NAME 127.0.0.1 PORT
/// --keepalive-seconds S`. A mutant of one side runs with the reference of the other
/// (`chat-server`, `chat-client`, next to this executable).
struct MutantChatRooms: ChatRoomAPI {
    let server: String?
    let client: String?

    func server(idleSeconds: Double) -> ServerCommand {
        let arguments = ["--port", "0", "--idle-seconds", "\(idleSeconds)"]
        guard let server else { return ServerCommand.sibling("chat-server", arguments) }
        return ServerCommand.sibling("mutant-runner", ["--chat-server", server] + arguments)
    }

    func client(port: UInt16, keepAliveSeconds: Double) -> ServerCommand {
        let arguments = ["127.0.0.1", "\(port)", "--keepalive-seconds", "\(keepAliveSeconds)"]
        guard let client else { return ServerCommand.sibling("chat-client", arguments) }
        return ServerCommand.sibling("mutant-runner", ["--chat-client", client] + arguments)
    }
}

/// A chat server that is the reference's `ChatServer` (one thread, one poll selector on the
/// socket, stdin and the self-pipe; the room's rules; the datagram parsing) except for the
/// mistakes switched on. The reference's room and parsing are internal to Networking, so this is
/// a copy, shortened.
final class MutantChatServer {
    /// Prints the first line without flushing stdout.
    var unflushedFirstLine = false
    /// Catches SIGINT only; SIGTERM keeps its default action.
    var interruptOnly = false
    /// The bytes one receive asks for (the reference: one more than the limit).
    var receiveSize = ChatLimits.datagram + 1
    /// Whether a datagram of `count` bytes is too long (the reference: more than 1024).
    var tooLong: (Int) -> Bool = { $0 > ChatLimits.datagram }
    var validatesNames = true
    var validatesText = true
    /// Replies `E reason` to a datagram that is not a request.
    var repliesToMalformed = true
    /// Reads "C name text" as the course does, trusting the name given.
    var trustsNamedSender = false
    var allowsDuplicateNames = false
    /// Tells the joiner and the leaver too.
    var noticesToEveryone = false
    /// Keeps a name taken after its member left.
    var keepsNamesOfLeavers = false
    var echoesToSender = false
    /// `L` from a member renames it.
    var rejoinRenames = false
    /// `H` keeps a member (the reference: any datagram does).
    var keepAliveCounts = true
    /// The idle time applied, from the one given (the reference: the same).
    var idle: (Double) -> Double? = { $0 }
    /// What an announcement of `line` says.
    var announcement: (String) -> String = { "M 管理员消息: \($0)" }
    /// Stops at the end of stdin.
    var endsWithStdin = false

    private struct Member {
        var name: String
        var heard: ContinuousClock.Instant
    }
    private var members: [SocketAddress: Member] = [:]
    private var leftNames: Set<String> = []
    private let socket: Networking.Socket
    private let selector = PollSelector()
    private var operatorLine: [UInt8] = []

    init(port: UInt16) throws {
        socket = try SocketFactory().udp()
        try socket.bind(.loopback(port))
        try socket.setBlocking(false)
    }

    /// Prints the first line and serves until SIGINT or SIGTERM.
    func run(idleSeconds: Double) throws {
        let stop = try StopSignals()
        if interruptOnly { signal(SIGTERM, SIG_DFL) }
        for descriptor in [socket.descriptor, STDIN_FILENO, stop.descriptor] { try selector.register(descriptor, for: .readable) }
        print("listening on 127.0.0.1:\(try socket.localAddress().port)")
        if !unflushedFirstLine { fflush(cs_stdout()) }
        let idle = self.idle(idleSeconds).map { Duration.seconds($0) }
        while true {
            let next = idle.flatMap { idle in members.values.map(\.heard).min().map { $0 + idle } }
            let timeout = next.map { ContinuousClock.now.duration(to: $0) }.map { max(0, Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18) }
            for ready in try selector.wait(timeout: timeout) {
                if ready.descriptor == stop.descriptor { return }
                if ready.descriptor == socket.descriptor { try receiveDatagrams() } else if !readOperator() { return }
            }
            if let idle { dropIdle(idle) }
        }
    }

    private func receiveDatagrams() throws {
        while let (bytes, sender) = try? socket.receiveFrom(maximum: receiveSize) {
            if keepAliveCounts || bytes != Array("H".utf8) { members[sender]?.heard = .now }
            switch parse(bytes) {
            case .success(let (command, argument)): handle(command, argument, from: sender)
            case .failure(let reason) where repliesToMalformed: send("E \(reason.rawValue)", to: sender)
            case .failure: break
            }
        }
    }

    /// Why a datagram is not a request: the reason of its `E reason` reply.
    private enum Malformed: String, Error {
        case tooLong = "datagram too long", notUTF8 = "not UTF-8", unknownCommand = "unknown command"
        case invalidName = "not a valid name", invalidText = "not a valid message"
    }

    /// The command letter and its argument.
    private func parse(_ bytes: [UInt8]) -> Result<(Character, String), Malformed> {
        if tooLong(bytes.count) { return .failure(.tooLong) }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.notUTF8) }
        let argument = String(text.dropFirst(2))
        switch (text.prefix(2), text) {
        case ("L ", _):
            let valid = !argument.isEmpty && argument.count <= ChatLimits.name && !argument.contains("管理员")
                && argument.unicodeScalars.allSatisfy { !$0.properties.isWhitespace && $0.properties.generalCategory != .control && $0 != ":" }
            return valid || !validatesNames ? .success(("L", argument)) : .failure(.invalidName)
        case ("C ", _):
            let valid = !argument.isEmpty && argument.unicodeScalars.allSatisfy { $0 == "\t" || $0.properties.generalCategory != .control }
            return valid || !validatesText ? .success(("C", argument)) : .failure(.invalidText)
        case (_, "Q"), (_, "H"): return .success((text.first!, ""))
        default: return .failure(.unknownCommand)
        }
    }

    private func handle(_ command: Character, _ argument: String, from sender: SocketAddress) {
        if command == "L" { return join(argument, sender) }
        if command == "C" && trustsNamedSender {
            // The course's "C name text": the name is the first word, whoever sent it.
            let words = argument.split(separator: " ", maxSplits: 1).map(String.init)
            guard let name = words.first else { return }
            return others(of: members.first { $0.value.name == name }?.key, "M \(name) : \(words.dropFirst().first ?? "")")
        }
        guard let member = members[sender] else { return send("E not joined", to: sender) }
        switch command {
        case "C": others(of: echoesToSender ? nil : sender, "M \(member.name) : \(argument)")
        case "Q":
            send("OK", to: sender)
            leave(sender)
        default: break
        }
    }

    private func join(_ name: String, _ sender: SocketAddress) {
        if var member = members[sender] {
            guard rejoinRenames else { return send("E already joined as \(member.name)", to: sender) }
            member.name = name
            members[sender] = member
            return send("OK", to: sender)
        }
        let taken = members.values.contains { $0.name == name } || (keepsNamesOfLeavers && leftNames.contains(name))
        if taken && !allowsDuplicateNames { return send("E \(name) is taken", to: sender) }
        send("OK", to: sender)
        members[sender] = Member(name: name, heard: .now)
        others(of: noticesToEveryone ? nil : sender, "M \(name) 进入了聊天室")
    }

    private func leave(_ sender: SocketAddress) {
        guard let member = members[sender] else { return }
        others(of: noticesToEveryone ? nil : sender, "M \(member.name) 退出了聊天室")
        members[sender] = nil
        leftNames.insert(member.name)
    }

    private func dropIdle(_ idle: Duration) {
        let now = ContinuousClock.now
        for (address, _) in members.filter({ now - $0.value.heard >= idle }).sorted(by: { $0.value.heard < $1.value.heard }) {
            leave(address)
        }
    }

    /// Announces the operator's complete lines; false at the end of stdin when that ends the server.
    private func readOperator() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(STDIN_FILENO, &buffer, buffer.count)
        guard count > 0 else {
            try? selector.unregister(STDIN_FILENO)
            return !endsWithStdin
        }
        for byte in buffer[..<count] {
            guard byte == UInt8(ascii: "\n") else { operatorLine.append(byte); continue }
            if !operatorLine.isEmpty { others(of: nil, announcement(String(decoding: operatorLine, as: UTF8.self))) }
            operatorLine = []
        }
        return true
    }

    /// Sends `text` to every member but `sender` (to every member when nil).
    private func others(of sender: SocketAddress?, _ text: String) {
        for address in members.keys where address != sender { send(text, to: address) }
    }

    private func send(_ text: String, to address: SocketAddress) {
        _ = try? socket.send(Array(text.utf8), to: address)
    }
}

/// A chat client that is the reference's `ChatClient` (ask for a name until one is taken; then a
/// process for each direction; a keep-alive every interval; "quit" or the end of input leaves)
/// except for the mistakes switched on.
final class MutantChatClient {
    /// Forks a receiving process (the reference); otherwise it shows what came only after each line.
    var forks = true
    /// Asks again after a refused name (the reference); otherwise it exits with status 1.
    var retriesNames = true
    var sendsKeepAlives = true
    /// Sends `Q` and ends at the end of input; otherwise the sending side just stops.
    var leavesAtEndOfInput = true
    /// Ends and reaps its receiving process when it leaves.
    var endsReceiver = true

    private let socket: Networking.Socket
    private let keepAlive: Double

    init(port: UInt16, keepAliveSeconds: Double) throws {
        socket = try SocketFactory().udp()
        try socket.connect(.loopback(port))
        keepAlive = keepAliveSeconds
    }

    func run() throws {
        guard try join() else { return }
        guard forks else { return talk(receiving: nil) }
        let pid = system_fork()
        if pid == 0 {
            if endsReceiver { _ = cs_set_parent_death_signal(SIGTERM) }
            receive()
        }
        talk(receiving: pid)
    }

    private func join() throws -> Bool {
        while true {
            show("请输入姓名:", newline: false)
            guard let name = readLine() else { return false }
            _ = try socket.send(Array("L \(name)".utf8))
            let reply = String(decoding: try socket.receive(maximum: 65536), as: UTF8.self)
            if reply == "OK" {
                show("您已进入聊天室")
                return true
            }
            show(reply)
            if !retriesNames { exit(1) }
        }
    }

    private func talk(receiving receiver: pid_t?) {
        while true {
            guard let line = readLine() else {
                if leavesAtEndOfInput { break }
                // The sending side ends; the receiving one goes on.
                if let receiver { _ = system_waitpid(receiver, &status, 0) }
                return
            }
            if line == "quit" { break }
            if !line.isEmpty { _ = try? socket.send(Array("C \(line)".utf8)) }
            if receiver == nil { showWaiting() }
        }
        _ = try? socket.send(Array("Q".utf8))
        if let receiver, endsReceiver {
            kill(receiver, SIGTERM)
            _ = system_waitpid(receiver, &status, 0)
        }
    }

    private var status: CInt = 0

    /// Shows the datagrams waiting, without waiting for more.
    private func showWaiting() {
        while let bytes = try? socket.receive(maximum: 65536, timeout: 0) { display(bytes) }
    }

    private func receive() -> Never {
        var nextKeepAlive = Deadline(after: keepAlive)
        var entry = pollfd(fd: socket.descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            if poll(&entry, 1, nextKeepAlive.remainingMilliseconds()) > 0, let bytes = try? socket.receive(maximum: 65536) {
                display(bytes)
            }
            if nextKeepAlive.hasPassed {
                if sendsKeepAlives { _ = try? socket.send(Array("H".utf8)) }
                nextKeepAlive = Deadline(after: keepAlive)
            }
        }
    }

    private func display(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("M ") { show(String(text.dropFirst(2))) } else if text != "OK" { show(text) }
    }

    private func show(_ text: String, newline: Bool = true) {
        var text = newline ? text + "\n" : text
        text.withUTF8 { _ = write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }
}

extension Networking.Socket {
    /// One receive with the timeout given, then the socket back to blocking.
    fileprivate func receive(maximum: Int, timeout: Double) throws(SocketError) -> [UInt8] {
        try setTimeout(timeout)
        defer { try? setTimeout(nil) }
        return try receive(maximum: maximum)
    }
}

/// A mutant chat server or client: its name, its mistake, the rules that reject it.
private struct ChatMutant {
    let name: String
    let mistake: String
    let rejectedBy: [String: Outcome.Status]
    let server: ((MutantChatServer) -> Void)?
    let client: ((MutantChatClient) -> Void)?
    /// See `Mutant.timeLimit`.
    var timeLimit: Double?

    init(server name: String, _ mistake: String, rejectedBy: [String: Outcome.Status], timeLimit: Double? = nil,
         _ change: @escaping (MutantChatServer) -> Void) {
        (self.name, self.mistake, self.rejectedBy, server, client) = (name, mistake, rejectedBy, change, nil)
        self.timeLimit = timeLimit
    }

    init(client name: String, _ mistake: String, rejectedBy: [String: Outcome.Status], timeLimit: Double? = nil,
         _ change: @escaping (MutantChatClient) -> Void) {
        (self.name, self.mistake, self.rejectedBy, server, client) = (name, mistake, rejectedBy, nil, change)
        self.timeLimit = timeLimit
    }
}

private var chatDesigns: [ChatMutant] {
    [
        ChatMutant(server: "chat-unflushed-first-line", "prints the listening line without flushing stdout, a pipe, so the line stays in its buffer",
                   rejectedBy: ["CHAT-1": .timedOut, "CHAT-8": .timedOut]) { $0.unflushedFirstLine = true },
        ChatMutant(server: "chat-duplicate-names", "lets a second member take a name already taken (the course's 姓名不能重复 forgotten)",
                   rejectedBy: ["CHAT-1": .fail]) { $0.allowsDuplicateNames = true },
        ChatMutant(server: "chat-any-name", "takes any name, \"管理员\", spaces and control characters included",
                   rejectedBy: ["CHAT-1": .fail]) { $0.validatesNames = false },
        ChatMutant(server: "chat-exits-at-end-of-stdin", "ends when its stdin ends, as a Python server whose input() raises EOFError",
                   rejectedBy: ["CHAT-1": .timedOut]) { $0.endsWithStdin = true },
        ChatMutant(server: "chat-notices-to-everyone", "tells a joiner of its own join and a leaver of its own leave",
                   rejectedBy: ["CHAT-2": .fail]) { $0.noticesToEveryone = true },
        ChatMutant(server: "chat-names-kept-after-leaving", "keeps a name taken after its member left",
                   rejectedBy: ["CHAT-2": .fail]) { $0.keepsNamesOfLeavers = true },
        ChatMutant(server: "chat-echoes-to-sender", "sends a message back to its sender too",
                   rejectedBy: ["CHAT-3": .fail, "CHAT-10": .fail]) { $0.echoesToSender = true },
        ChatMutant(server: "chat-limit-off-by-one", "refuses a datagram of 1024 bytes too: its test is >= where > is meant",
                   rejectedBy: ["CHAT-3": .timedOut]) { server in server.tooLong = { $0 >= ChatLimits.datagram } },
        ChatMutant(server: "chat-trusts-the-named-sender", "reads the course's \"C name text\" and believes the name, whoever sends it",
                   rejectedBy: ["CHAT-3": .fail, "CHAT-5": .timedOut]) { $0.trustsNamedSender = true },
        ChatMutant(server: "chat-announcement-through-chat", "announces as the course does, through its chat: \"管理员消息 : text\"",
                   rejectedBy: ["CHAT-4": .fail]) { server in server.announcement = { "M 管理员消息 : \($0)" } },
        ChatMutant(server: "chat-rejoin-renames", "lets \"L name\" from a member's address rename that member",
                   rejectedBy: ["CHAT-5": .fail]) { $0.rejoinRenames = true },
        ChatMutant(server: "chat-cuts-long-datagrams", "receives 1024 bytes, as CPython's recvfrom(1024), and acts on the first 1024 bytes of a longer datagram",
                   rejectedBy: ["CHAT-6": .timedOut]) { server in
            server.receiveSize = ChatLimits.datagram
        },
        ChatMutant(server: "chat-malformed-ignored", "drops a datagram that is not a request without a reply",
                   rejectedBy: ["CHAT-1": .timedOut, "CHAT-6": .timedOut]) { $0.repliesToMalformed = false },
        ChatMutant(server: "chat-control-characters", "passes on messages with line breaks and escape sequences, which forge lines on every screen",
                   rejectedBy: ["CHAT-6": .timedOut]) { $0.validatesText = false },
        ChatMutant(server: "chat-never-drops", "keeps a member that vanished without leaving for ever",
                   rejectedBy: ["CHAT-7": .timedOut, "CHAT-11": .timedOut], timeLimit: 8) { server in server.idle = { _ in nil } },
        ChatMutant(server: "chat-keep-alive-ignored", "does not count \"H\" as a sign of life, so a member that only keeps alive is dropped",
                   rejectedBy: ["CHAT-7": .fail, "CHAT-11": .fail]) { $0.keepAliveCounts = false },
        ChatMutant(server: "chat-drops-early", "drops a member after half the idle time",
                   rejectedBy: ["CHAT-7": .fail]) { server in server.idle = { $0 / 2 } },
        ChatMutant(server: "chat-sigterm-default", "catches SIGINT only (Python's KeyboardInterrupt), so SIGTERM's default action kills the server",
                   rejectedBy: ["CHAT-8": .fail]) { $0.interruptOnly = true },
        ChatMutant(client: "chat-client-one-process", "reads a line, sends it, and only then shows what came meanwhile: no process for each direction",
                   rejectedBy: ["CHAT-9": .timedOut, "CHAT-10": .timedOut], timeLimit: 6) { $0.forks = false },
        ChatMutant(client: "chat-client-gives-up-on-a-taken-name", "exits when its name is taken instead of asking again",
                   rejectedBy: ["CHAT-9": .fail]) { $0.retriesNames = false },
        ChatMutant(client: "chat-client-ignores-end-of-input", "lets its sending side end at the end of input without sending \"Q\", while the receiving side goes on",
                   rejectedBy: ["CHAT-10": .timedOut]) { $0.leavesAtEndOfInput = false },
        ChatMutant(client: "chat-client-leaves-its-receiver", "quits without ending its receiving process, which goes on running",
                   rejectedBy: ["CHAT-10": .fail]) { $0.endsReceiver = false },
        ChatMutant(client: "chat-client-no-keep-alive", "never sends \"H\", so a member left alone at its terminal is dropped",
                   rejectedBy: ["CHAT-11": .fail]) { $0.sendsKeepAlives = false },
    ]
}

/// The chat room mutants, each bound to the spec with its own server or client.
var chatRoomMutants: [Mutant] {
    chatDesigns.map { design in
        Mutant(design.name, design.mistake, rejectedBy: design.rejectedBy, timeLimit: design.timeLimit,
               ChatRoomSpec(MutantChatRooms(server: design.server == nil ? nil : design.name, client: design.client == nil ? nil : design.name)))
    }
}

/// `mutant-runner --chat-server NAME --port N --idle-seconds S` and `mutant-runner --chat-client
/// NAME 127.0.0.1 PORT --keepalive-seconds S`: runs that mutant's server or client; exits 0 once
/// it ends, 1 when it fails.
func runChatMutant(_ arguments: [String]) -> Never {
    func fail(_ message: String) -> Never {
        var line = "mutant-runner: \(message)\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        exit(arguments.count == 6 ? 1 : 64)
    }
    guard arguments.count == 6, let design = chatDesigns.first(where: { $0.name == arguments[1] }) else {
        fail("usage: mutant-runner --chat-server NAME --port N --idle-seconds S | --chat-client NAME 127.0.0.1 PORT --keepalive-seconds S")
    }
    do {
        if arguments[0] == "--chat-server", let change = design.server, let port = UInt16(arguments[3]), let idle = Double(arguments[5]) {
            let server = try MutantChatServer(port: port)
            change(server)
            try server.run(idleSeconds: idle)
        } else if arguments[0] == "--chat-client", let change = design.client, let port = UInt16(arguments[3]), let keepAlive = Double(arguments[5]) {
            let client = try MutantChatClient(port: port, keepAliveSeconds: keepAlive)
            change(client)
            try client.run()
        } else {
            fail("\(arguments[1]) is no \(arguments[0].dropFirst(2)) mutant, or its arguments are wrong")
        }
    } catch {
        fail("\(error)")
    }
    exit(0)
}
