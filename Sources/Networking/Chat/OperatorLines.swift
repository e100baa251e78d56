/// The server operator's typing, cut into the lines to announce (course: the server's
/// `input("管理员消息:")`): bytes up to each "\n", without it and without a "\r" before it;
/// empty lines are no announcement. A line longer than `limit` bytes is dropped whole, and
/// reported, so no announcement is longer than a member's datagram.
struct OperatorLines {
    let limit: Int
    private var partial: [UInt8] = []
    /// Set while the bytes of a line already too long are being skipped up to its "\n".
    private var skipping = false

    init(limit: Int) { self.limit = limit }

    /// Takes what one read(2) returned; the complete lines, and how many were dropped as too long.
    mutating func received(_ bytes: ArraySlice<UInt8>) -> (lines: [String], dropped: Int) {
        var lines: [String] = []
        var dropped = 0
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                let line = partial.last == UInt8(ascii: "\r") ? partial.dropLast() : partial[...]
                if skipping || line.count > limit {
                    dropped += 1
                } else if !line.isEmpty {
                    lines.append(String(decoding: line, as: UTF8.self))
                }
                partial.removeAll(keepingCapacity: true)
                skipping = false
            } else if !skipping {
                partial.append(byte)
                // One byte of room for a "\r" before the "\n".
                if partial.count > limit + 1 { (skipping, partial) = (true, []) }
            }
        }
        return (lines, dropped)
    }
}
