import Conformance

/// One datagram a client sends to the chat server (course: the "L name", "C name text", "Q name"
/// of 群聊聊天室), parsed: UTF-8 text of at most `ChatLimits.datagram` bytes, a one-letter command,
/// and for `L` and `C` a space and an argument. Unlike the course's, no request names its sender:
/// the server knows a member by its address.
enum ChatRequest: Equatable {
    /// `L name`: join as `name`.
    case join(String)
    /// `C text`: say `text` to every other member.
    case chat(String)
    /// `Q`: leave.
    case quit
    /// `H`: still here (the client's keep-alive).
    case keepAlive

    /// Parses a datagram; one longer than the limit, not UTF-8 or not a request is refused with
    /// the reason.
    static func parse(_ bytes: [UInt8]) -> Result<ChatRequest, ChatRefusal> {
        guard bytes.count <= ChatLimits.datagram else { return .failure(.tooLong) }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.notUTF8) }
        switch (text.prefix(2), text) {
        case ("L ", _): return name(String(text.dropFirst(2))).map { .join($0) }
        case ("C ", _): return self.text(String(text.dropFirst(2))).map { .chat($0) }
        case (_, "Q"): return .success(.quit)
        case (_, "H"): return .success(.keepAlive)
        default: return .failure(.unknownCommand)
        }
    }

    /// A valid name: 1 to `ChatLimits.name` characters, none of them whitespace, a control
    /// character or ':', and without "管理员", so nobody can pass for the operator.
    private static func name(_ name: String) -> Result<String, ChatRefusal> {
        let valid = !name.isEmpty && name.count <= ChatLimits.name && !name.contains("管理员")
            && name.unicodeScalars.allSatisfy { !$0.properties.isWhitespace && $0.properties.generalCategory != .control && $0 != ":" }
        return valid ? .success(name) : .failure(.invalidName)
    }

    /// Valid chat text: 1 character or more, none of them a control character but tab, so a
    /// message is one line on every member's screen.
    private static func text(_ text: String) -> Result<String, ChatRefusal> {
        guard !text.isEmpty else { return .failure(.emptyMessage) }
        let oneLine = text.unicodeScalars.allSatisfy { $0 == "\t" || $0.properties.generalCategory != .control }
        return oneLine ? .success(text) : .failure(.controlCharacter)
    }
}

/// Why the server refused a datagram: the reason of its `E reason` reply.
enum ChatRefusal: Error, Equatable, CustomStringConvertible {
    case tooLong
    case notUTF8
    case unknownCommand
    case invalidName
    case emptyMessage
    case controlCharacter
    /// The name belongs to another member.
    case nameTaken(String)
    /// `L` from an address that is already the member `name`.
    case alreadyJoined(String)
    /// `C`, `Q` or `H` from an address that is not a member.
    case notJoined

    var description: String {
        switch self {
        case .tooLong: "datagram longer than \(ChatLimits.datagram) bytes"
        case .notUTF8: "not UTF-8 text"
        case .unknownCommand: "unknown command (L name, C text, Q or H)"
        case .invalidName: "not a valid name (1 to \(ChatLimits.name) characters, no spaces, control characters or ':', no 管理员)"
        case .emptyMessage: "empty message"
        case .controlCharacter: "control character in message"
        case .nameTaken(let name): "该用户已存在: \(name) is taken"
        case .alreadyJoined(let name): "already joined as \(name)"
        case .notJoined: "not joined"
        }
    }
}
