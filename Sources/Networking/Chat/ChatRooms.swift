import Conformance

/// The reference `ChatRoomAPI`: the `chat-server` and `chat-client` executables built next to the
/// running one (`.build/debug/chat-server` beside `.build/debug/reference-runner`).
public struct ChatRooms: ChatRoomAPI {
    private let folder: String

    public init() {
        let me = CommandLine.arguments[0]
        folder = me.contains("/") ? String(me[..<me.lastIndex(of: "/")!]) : "."
    }

    public func server(idleSeconds: Double) -> ServerCommand {
        ServerCommand(folder + "/chat-server", ["--port", "0", "--idle-seconds", "\(idleSeconds)"])
    }

    public func client(port: UInt16, keepAliveSeconds: Double) -> ServerCommand {
        ServerCommand(folder + "/chat-client", ["127.0.0.1", "\(port)", "--keepalive-seconds", "\(keepAliveSeconds)"])
    }
}
