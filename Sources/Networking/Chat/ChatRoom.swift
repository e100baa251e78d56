import Conformance

/// The members of a chat room and what each request makes the server send (course: the
/// server's `user = {}` dictionary and its do_login, do_chat, do_quit). A member is its address:
/// only datagrams from that address speak for it, and a member from whose address nothing came
/// for `idle` is dropped as if it left.
final class ChatRoom {
    /// A datagram for the server to send.
    struct Datagram: Equatable {
        let text: String
        let to: SocketAddress
    }

    private struct Member {
        let name: String
        var lastHeard: ContinuousClock.Instant
    }

    let idle: Duration
    private var members: [SocketAddress: Member] = [:]

    init(idle: Duration) { self.idle = idle }

    /// A datagram came from `sender` at `now`, whatever it says: a member is not silent.
    func heard(from sender: SocketAddress, at now: ContinuousClock.Instant) {
        members[sender]?.lastHeard = now
    }

    /// What the server sends for `request` from `sender`, heard at `now`: replies and notices.
    func handle(_ request: ChatRequest, from sender: SocketAddress, at now: ContinuousClock.Instant) -> [Datagram] {
        if case .join(let name) = request { return join(name, sender, now) }
        guard let member = members[sender] else { return [refusal(.notJoined, sender)] }
        switch request {
        case .chat(let text): return others(of: sender, "M \(member.name) : \(text)")
        case .quit: return [Datagram(text: "OK", to: sender)] + leave(sender)
        case .keepAlive, .join: return []
        }
    }

    /// The reply `E reason` to a datagram refused.
    func refusal(_ reason: ChatRefusal, _ sender: SocketAddress) -> Datagram {
        Datagram(text: "E \(reason)", to: sender)
    }

    /// An announcement of the operator's to every member.
    func announce(_ line: String) -> [Datagram] {
        members.keys.map { Datagram(text: "M 管理员消息: \(line)", to: $0) }
    }

    /// Drops, longest silent first, every member silent for `idle` at `now`; each drop is told
    /// to the members left.
    func dropIdle(at now: ContinuousClock.Instant) -> [Datagram] {
        let silent = members.filter { now - $0.value.lastHeard >= idle }.sorted { $0.value.lastHeard < $1.value.lastHeard }
        return silent.flatMap { leave($0.key) }
    }

    /// When the next member falls silent for `idle`, or nil while the room is empty.
    var nextDrop: ContinuousClock.Instant? {
        members.values.map(\.lastHeard).min().map { $0 + idle }
    }

    private func join(_ name: String, _ sender: SocketAddress, _ now: ContinuousClock.Instant) -> [Datagram] {
        if let member = members[sender] { return [refusal(.alreadyJoined(member.name), sender)] }
        if members.values.contains(where: { $0.name == name }) { return [refusal(.nameTaken(name), sender)] }
        let notices = others(of: sender, "M \(name) 进入了聊天室")
        members[sender] = Member(name: name, lastHeard: now)
        return [Datagram(text: "OK", to: sender)] + notices
    }

    private func leave(_ sender: SocketAddress) -> [Datagram] {
        guard let member = members.removeValue(forKey: sender) else { return [] }
        return others(of: sender, "M \(member.name) 退出了聊天室")
    }

    private func others(of sender: SocketAddress, _ text: String) -> [Datagram] {
        members.keys.filter { $0 != sender }.map { Datagram(text: text, to: $0) }
    }
}
