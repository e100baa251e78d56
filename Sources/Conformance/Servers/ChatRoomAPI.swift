/// The UDP chat room (course: 群聊聊天室, a QQ group): a server and an interactive client, black
/// boxes the spec starts as processes and talks to over UDP on 127.0.0.1 and through
/// pseudo-terminals, as people would.
///
/// Rules CHAT-1 ... CHAT-11 in RULES.md; the reference is `chat-server --port N` and
/// `chat-client 127.0.0.1 PORT`.
///
/// The server prints `listening on 127.0.0.1:PORT` as its first stdout line, flushed (port 0: a
/// free one). Each line typed on its standard input is an announcement to every member; SIGINT
/// and SIGTERM end it with status 0.
///
/// The datagrams, UTF-8 text, one message each. A client sends at most `ChatLimits.datagram`
/// (1024) bytes:
///
/// | client -> server | meaning | reply |
/// |---|---|---|
/// | `L name` | join as `name` | `OK`, or `E reason` (name taken, not a valid name, already a member) |
/// | `C text` | say `text` to the others | nothing, or `E reason` |
/// | `Q` | leave | `OK`, or `E reason` |
/// | `H` | keep-alive: still here | nothing, or `E reason` |
///
/// The server sends `OK`, `E reason` (the datagram changed nothing), or `M text`, a line to show:
/// `M name 进入了聊天室`, `M name 退出了聊天室`, `M name : text`, `M 管理员消息: text`.
/// A member is an address (IP and port): only a datagram from a member's address speaks for it.
/// A name is 1 to 32 characters, none of them whitespace, a control character or ':', and
/// without "管理员" (so nobody passes for the operator); chat text is 1 or more characters, none
/// of them a control character but tab. A member from whose address nothing came for the idle
/// time is dropped as if it left.
///
/// The client prompts `请输入姓名:`, prints `您已进入聊天室` once joined (or the server's reason,
/// and prompts again), then shows each line the server sends while it reads the user's lines, in
/// a process for each direction; it sends a keep-alive every keep-alive interval; a line `quit`
/// or the end of input leaves.
public protocol ChatRoomAPI {
    /// The command that starts the server on a free port (`--port 0`), dropping members silent for
    /// `idleSeconds`.
    func server(idleSeconds: Double) -> ServerCommand
    /// The command that starts the client of the server on `port` of 127.0.0.1, sending a
    /// keep-alive every `keepAliveSeconds`.
    func client(port: UInt16, keepAliveSeconds: Double) -> ServerCommand
}

/// The chat room's limits, which the rules state.
public enum ChatLimits {
    /// The longest datagram a client may send, in bytes; a longer one gets `E reason`.
    public static let datagram = 1024
    /// The longest name, in characters.
    public static let name = 32
    /// The reference server's idle time when none is given, in seconds.
    public static let idleSeconds = 60.0
    /// The reference client's keep-alive interval when none is given, in seconds.
    public static let keepAliveSeconds = 10.0
}
