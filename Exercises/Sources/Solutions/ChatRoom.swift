import Conformance

/// The UDP chat room, its server and its interactive client, started as processes by the spec
/// (course: 群聊聊天室): a server that knows members by their address, and a client that forks
/// one process for each direction.
///
/// Rules CHAT-1 ... CHAT-11 (RULES.md); the protocol is in `ChatRoomAPI`'s documentation.
/// Grade just these: `make grade RULES=chat-room`.
/// Hints: add two executable targets to this package (say `my-chat-server`, `my-chat-client`)
/// and return them with `ServerCommand.sibling("my-chat-server", arguments)`: they are built next
/// to the conformance runner. Read each datagram into 1025 bytes, so a longer one shows; wait on
/// the socket, stdin and the self-pipe with one poll selector, with a timeout until the next member
/// falls silent; write what the client shows with write(2), not buffered `print`.
public struct StudentChatRooms: ChatRoomAPI {
    public init() {}

    public func server(idleSeconds: Double) -> ServerCommand { notImplemented() }
    public func client(port: UInt16, keepAliveSeconds: Double) -> ServerCommand { notImplemented() }
}
