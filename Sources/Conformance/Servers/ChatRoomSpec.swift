import Glibc

/// The checks of CHAT-1 ... CHAT-11 against a `ChatRoomAPI`: the server runs as its own process;
/// the members are the check's UDP sockets (`ChatMember`) or the implementation's client on a
/// pseudo-terminal (`PseudoTerminal`), typed on as a person would. What does not come within 10 s
/// fails the check. That nothing else came is shown by order, never by waiting: a later datagram,
/// whose reply comes from the same server, must be the next one to arrive (UDP on loopback does
/// not reorder one sender's datagrams).
public struct ChatRoomSpec<Implementation: ChatRoomAPI>: Spec {
    public static var concept: String { "chat-room" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("CHAT-1", joinsWithAFreeValidName),
            Check("CHAT-2", tellsTheOthersWhoJoinsAndLeaves),
            Check("CHAT-3", passesAMessageToEveryOtherMember),
            Check("CHAT-4", announcesTheOperatorsLines),
            Check("CHAT-5", knowsAMemberByItsAddress),
            Check("CHAT-6", refusesMalformedDatagrams),
            Check("CHAT-7", dropsAnIdleMember),
            Check("CHAT-8", stopsCleanlyOnASignal),
            Check("CHAT-9", clientJoinsAtATerminal),
            Check("CHAT-10", clientTalksAtATerminal),
            Check("CHAT-11", clientKeepsItsMemberAlive),
        ]
    }

    /// CHAT-1: "L alice" gets "OK"; "L alice" from another address, and names that are empty, too
    /// long, with a space, a control character or ':', or with "管理员", get "E reason" and join
    /// nobody; a name of 32 characters joins, and alice hears of that join first.
    func joinsWithAFreeValidName() throws {
        let server = try start()
        let alice = try ChatMember("alice", server: server.port)
        try alice.join("alice")
        let other = try ChatMember("another address", server: server.port)
        let refused = ["alice", "", "a b", "tab\tbed", "bell\u{7}", "a:b", "管理员", "小管理员2", String(repeating: "名", count: 33)]
        for name in refused {
            try other.expectRefused("L \(name)", "joining as \(name.debugDescription)")
            try other.expectRefused("C hello", "a message after joining as \(name.debugDescription) was refused")
        }
        try other.expectRefused("L", "\"L\" without a name")
        let longest = String(repeating: "名", count: 32)
        try other.join(longest)
        try alice.expect("M \(longest) 进入了聊天室", "the first datagram after refused joins and a join of a 32-character name")
    }

    /// CHAT-2: bob and carol join, and those already in hear of it; bob leaves with "Q", gets "OK",
    /// and the others hear of it; nobody hears of their own join or leave; bob's address is no
    /// longer a member, and the name "bob" is free again.
    func tellsTheOthersWhoJoinsAndLeaves() throws {
        let server = try start()
        let (alice, bob) = try aliceAndBob(server)
        let carol = try ChatMember("carol", server: server.port)
        try carol.join("carol")
        for member in [alice, bob] { try member.expect("M carol 进入了聊天室", "carol joined") }
        try bob.send("Q")
        try bob.expect("OK", "the reply to bob's \"Q\"")
        for member in [alice, carol] { try member.expect("M bob 退出了聊天室", "bob left") }
        try bob.expectRefused("C still here?", "a message from bob's address after bob left")
        let newBob = try ChatMember("the new bob", server: server.port)
        try newBob.join("bob")
        for member in [alice, carol] { try member.expect("M bob 进入了聊天室", "a new member took the name bob") }
        try bob.expectRefused("H", "a keep-alive from the old bob's address, after the new bob joined")
    }

    /// CHAT-3: a message from alice reaches bob and carol as "M alice : text", once, and never
    /// alice; so does one of the longest text (a 1024-byte datagram); bob's reply reaches alice next.
    func passesAMessageToEveryOtherMember() throws {
        let server = try start()
        let (alice, bob, carol) = try threeMembers(server)
        let longest = String(repeating: "x", count: ChatLimits.datagram - 2)
        for text in ["你好, world  with\ttabs", longest] {
            try alice.send("C \(text)")
            for member in [bob, carol] { try member.expect("M alice : \(text)", "alice said \(text.prefix(30).debugDescription)") }
        }
        try bob.send("C hi alice")
        for member in [alice, carol] { try member.expect("M bob : hi alice", "bob said \"hi alice\", after alice's messages") }
        try carol.send("C bye")
        for member in [alice, bob] { try member.expect("M carol : bye", "carol said \"bye\", after bob's message") }
    }

    /// CHAT-4: lines written to the server's stdin reach every member as "M 管理员消息: line",
    /// two lines in one write as two announcements, and an empty line as none.
    func announcesTheOperatorsLines() throws {
        let stdin = try Pipe()
        let server = try start(input: stdin.readEnd)
        stdin.closeReadEnd()
        let (alice, bob) = try aliceAndBob(server)
        for (typed, lines) in [("系统维护 at 10:00\n", ["系统维护 at 10:00"]), ("one\ntwo\n", ["one", "two"]), ("\nthree\n", ["three"])] {
            step("writing \(typed.debugDescription) to the server's stdin")
            stdin.write(typed)
            for line in lines {
                for member in [alice, bob] {
                    try member.expect("M 管理员消息: \(line)", "the operator typed \(typed.debugDescription)")
                }
            }
        }
    }

    /// CHAT-5: "C", "Q" and "H" from an address that has not joined get "E reason" and reach
    /// nobody, even when they name a member; "L" from a member's address gets "E reason" and the
    /// member keeps its name.
    func knowsAMemberByItsAddress() throws {
        let server = try start()
        let (alice, bob) = try aliceAndBob(server)
        let mallory = try ChatMember("an address that did not join", server: server.port)
        for request in ["C I am alice", "C alice hello", "Q", "Q alice", "H"] {
            try mallory.expectRefused(request, "\(request.debugDescription) from an address that did not join")
        }
        try alice.send("C still alice")
        try bob.expect("M alice : still alice", "alice spoke after an unjoined address sent \"C\" and \"Q\"")
        try alice.expectRefused("L alice2", "alice's address joining again as alice2")
        try alice.expectRefused("L bob", "alice's address joining again as bob")
        try bob.send("C x")
        try alice.expect("M bob : x", "bob spoke after alice's address tried to join again")
        try alice.send("C again")
        try bob.expect("M alice : again", "alice spoke after trying to join again")
    }

    /// CHAT-6: from a member, a datagram of 1025 or 65000 bytes (even one that starts as a valid
    /// "C" or "Q"), one that is not UTF-8, empty, with an unknown command, or a message that is
    /// empty or has a control character, gets "E reason", and nobody joins, leaves or hears a thing.
    func refusesMalformedDatagrams() throws {
        let server = try start()
        let (alice, bob) = try aliceAndBob(server)
        let malformed: [(String, [UInt8])] = [
            ("a 1025-byte \"C\"", Array("C ".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: ChatLimits.datagram - 1)),
            ("a 65000-byte \"C\"", Array("C ".utf8) + [UInt8](repeating: UInt8(ascii: "y"), count: 64998)),
            ("a 1025-byte \"Q\"", Array("Q".utf8) + [UInt8](repeating: UInt8(ascii: " "), count: ChatLimits.datagram)),
            ("bytes that are not UTF-8", [UInt8(ascii: "C"), UInt8(ascii: " "), 0xff, 0xfe, 0x80]),
            ("an empty datagram", []),
            ("an unknown command", Array("X hello".utf8)),
            ("a lowercase command", Array("c hello".utf8)),
            ("\"C\" without text", Array("C".utf8)),
            ("\"C \" with empty text", Array("C ".utf8)),
            ("a message with a line break", Array("C hi\nM alice 退出了聊天室".utf8)),
            ("a message with an escape sequence", Array("C \u{1b}[2J".utf8)),
            ("\"Q\" with more after it", Array("Q now".utf8)),
        ]
        for (what, datagram) in malformed { try alice.expectRefused(datagram, what) }
        try alice.send("C still here")
        try bob.expect("M alice : still here", "alice spoke after sending malformed datagrams")
    }

    /// CHAT-7: with an idle time of 3 s, alice and carol, silent after joining before and after
    /// bob, are dropped in turn, alice no sooner than 3 s after she joined; bob, who sends "H"
    /// every 0.1 s, hears both leave and stays a member; alice's address is no longer one.
    func dropsAnIdleMember() throws {
        let idle = 3.0
        let server = try start(idleSeconds: idle)
        let joining = ContinuousClock.now
        let (alice, bob, _) = try threeMembers(server)
        step("bob sending \"H\" every 0.1 s while alice and carol are silent")
        for name in ["alice", "carol"] {
            try bob.expect("M \(name) 退出了聊天室", "\(name) was silent for the idle time of \(idle) s, and bob sent \"H\" every 0.1 s",
                           keepingAlive: true)
        }
        let waited = ContinuousClock.now - joining
        try expectTrue(waited >= .seconds(idle), "alice was dropped \(waited) after she joined, sooner than the idle time of \(idle) s")
        try alice.expectRefused("C am I still here?", "a message from alice after she was dropped")
        try bob.send("Q")
        try bob.expect("OK", "the reply to bob's \"Q\" (bob sent \"H\" every 0.1 s, so he is still a member)")
    }

    /// CHAT-8: SIGTERM, and SIGINT, with members joined: the server exits with status 0 within
    /// 10 s, and its UDP port can be bound again.
    func stopsCleanlyOnASignal() throws {
        for (signal, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
            let server = try start()
            let alice = try ChatMember("alice", server: server.port)
            let bob = try ChatMember("bob", server: server.port)
            try alice.join("alice")
            try bob.join("bob")
            try alice.expect("M bob 进入了聊天室", "bob joined, before \(name)")
            step("sending \(name)")
            try expectEqual(try server.stop(with: signal), .exited(code: 0), "how the server ended on \(name)")
            step("binding UDP port \(server.port) again")
            _ = try LoopbackSocket.udp(port: server.port)
        }
    }

    /// CHAT-9: at a terminal, the client asks "请输入姓名:"; a name taken shows the server's
    /// reason and the question again; a free one shows "您已进入聊天室", and the others hear of
    /// the join; a client that joined later shows on alice's terminal; "quit" ends both with status 0.
    func clientJoinsAtATerminal() throws {
        let server = try start()
        let wendy = try ChatMember("wendy", server: server.port)
        try wendy.join("wendy")
        let alice = try PseudoTerminal(implementation.client(port: server.port, keepAliveSeconds: ChatLimits.keepAliveSeconds))
        try alice.expect("请输入姓名:", "the client's first question")
        try alice.type("wendy\n")
        let between = try alice.expect("请输入姓名:", "the question again, after a name taken")
        try expectTrue(between.contains { $0.isLetter && !"wendy".contains($0) },
                       "the client asked again without showing why: it showed \(between.debugDescription)")
        try alice.type("alice\n")
        try alice.expect("您已进入聊天室", "joining with a free name")
        try wendy.expect("M alice 进入了聊天室", "alice joined from the client")
        let bob = try join("bob", server)
        try alice.expect("bob 进入了聊天室", "bob joined after alice")
        try wendy.expect("M bob 进入了聊天室", "bob joined from the client")
        for client in [alice, bob] { try quit(client, "quit\n") }
    }

    /// CHAT-10: three clients at terminals; while alice is in the middle of typing a line, bob's
    /// message shows on her terminal; her line, once ended, reaches bob and carol and does not show
    /// on her own; "quit", and Ctrl-D (end of input), leave, the others hear of it, and the
    /// client ends with status 0.
    func clientTalksAtATerminal() throws {
        let server = try start()
        let alice = try join("alice", server)
        let bob = try join("bob", server)
        try alice.expect("bob 进入了聊天室", "bob joined")
        let carol = try join("carol", server)
        for client in [alice, bob] { try client.expect("carol 进入了聊天室", "carol joined") }
        try alice.type("hel")
        try bob.type("hi all\n")
        for client in [alice, carol] {
            try client.expect("bob : hi all", "bob's message (alice is in the middle of typing \"hel\")")
        }
        try alice.type("lo\n")
        for client in [bob, carol] { try client.expect("alice : hello", "alice ended her line \"hello\"") }
        try carol.type("ok\n")
        let shown = try alice.expect("carol : ok", "carol's message, after alice's")
        try expectTrue(!shown.contains("alice : hello"), "alice's own message showed on her terminal: \(shown.debugDescription)")
        try quit(alice, "quit\n")
        for client in [bob, carol] { try client.expect("alice 退出了聊天室", "alice typed \"quit\"") }
        try quit(carol, "\u{4}")
        try bob.expect("carol 退出了聊天室", "carol typed Ctrl-D")
        try quit(bob, "quit\n")
    }

    /// CHAT-11: with an idle time of 3 s and a keep-alive every 0.3 s, a client left alone at its
    /// terminal stays a member: members that joined before and after it, silent, are dropped, and
    /// nobody hears it left; then its line reaches the others.
    func clientKeepsItsMemberAlive() throws {
        let server = try start(idleSeconds: 3)
        let watcher = try ChatMember("watcher", server: server.port)
        let before = try ChatMember("before", server: server.port)
        let after = try ChatMember("after", server: server.port)
        try watcher.join("watcher")
        try before.join("before")
        try watcher.expect("M before 进入了聊天室", "a silent member joined", keepingAlive: true)
        let alice = try watcher.keptAlive { try join("alice", server, keepAliveSeconds: 0.3) }
        try watcher.expect("M alice 进入了聊天室", "alice joined at the client", keepingAlive: true)
        try after.join("after")
        try watcher.expect("M after 进入了聊天室", "a silent member joined after alice", keepingAlive: true)
        do {
            for name in ["before", "after"] {
                try watcher.expect("M \(name) 退出了聊天室", "the silent members were dropped, in turn, and alice was not", keepingAlive: true)
            }
        } catch let failure as CheckFailure {
            throw CheckFailure("\(failure.message) (alice's terminal showed \(alice.recentOutput()))",
                               expected: failure.expected, actual: failure.actual)
        }
        try alice.type("still here\n")
        try watcher.expect("M alice : still here", "alice typed a line after the silent members were dropped", keepingAlive: true)
        try quit(alice, "quit\n")
    }

    /// alice and bob, joined in that order; alice heard of bob's join.
    private func aliceAndBob(_ server: ServerProcess) throws -> (ChatMember, ChatMember) {
        let alice = try ChatMember("alice", server: server.port)
        let bob = try ChatMember("bob", server: server.port)
        try alice.join("alice")
        try bob.join("bob")
        try alice.expect("M bob 进入了聊天室", "bob joined")
        return (alice, bob)
    }

    private func start(idleSeconds: Double = ChatLimits.idleSeconds, input: CInt? = nil) throws -> ServerProcess {
        let command = implementation.server(idleSeconds: idleSeconds)
        step("starting \(command)")
        return try ServerProcess(command, input: input)
    }

    /// alice, bob and carol joined, each having heard of those after it.
    private func threeMembers(_ server: ServerProcess) throws -> (ChatMember, ChatMember, ChatMember) {
        let members = try ["alice", "bob", "carol"].map { try ChatMember($0, server: server.port) }
        for (index, member) in members.enumerated() {
            try member.join(member.label)
            for earlier in members[..<index] { try earlier.expect("M \(member.label) 进入了聊天室", "\(member.label) joined") }
        }
        return (members[0], members[1], members[2])
    }

    /// The client at a new terminal, joined as `name`.
    private func join(_ name: String, _ server: ServerProcess,
                      keepAliveSeconds: Double = ChatLimits.keepAliveSeconds) throws -> PseudoTerminal {
        let client = try PseudoTerminal(implementation.client(port: server.port, keepAliveSeconds: keepAliveSeconds))
        try client.expect("请输入姓名:", "the client's first question")
        try client.type("\(name)\n")
        try client.expect("您已进入聊天室", "joining as \(name)")
        return client
    }

    /// Types `leaving` ("quit\n" or Ctrl-D) at `client`, which must then end with status 0 and
    /// leave no process of its own running.
    private func quit(_ client: PseudoTerminal, _ leaving: String) throws {
        try client.type(leaving)
        try expectEqual(client.awaitExit(), .exited(code: 0), "how the client ended after \(leaving.debugDescription)")
        try expectTrue(!client.groupIsAlive(), "a process of the client was still running after it ended")
    }
}
