import Conformance

/// The reference `ChatRoomAPI`: the `chat-server` and `chat-client` executables built next to the
/// running one (`.build/debug/chat-server` beside `.build/debug/reference-runner`).
public struct ChatRooms: ChatRoomAPI {
    public init() {}

    public func server(idleSeconds: Double) -> ServerCommand {
        ServerCommand.sibling("chat-server", ["--port", "0", "--idle-seconds", "\(idleSeconds)"])
    }

    public func client(port: UInt16, keepAliveSeconds: Double) -> ServerCommand {
        ServerCommand.sibling("chat-client", ["127.0.0.1", "\(port)", "--keepalive-seconds", "\(keepAliveSeconds)"])
    }
}
