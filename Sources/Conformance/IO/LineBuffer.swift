/// The bytes a line protocol has received but not yet taken as lines (FTP's control connection,
/// the lines a user types): a read may end in the middle of a line or hold several, so what is
/// read is appended here and whole lines are taken from the front.
package struct LineBuffer {
    /// What is held: the start of a line not yet ended, after any whole lines not yet taken.
    package private(set) var bytes: [UInt8] = []

    package init() {}

    /// Adds bytes just read.
    package mutating func append(_ more: some Sequence<UInt8>) { bytes += more }

    /// Takes the next whole line, without its LF and (with `droppingCR`, as the internet's CRLF
    /// protocols want) without a CR before it; nil while no whole line is held.
    package mutating func nextLine(droppingCR: Bool = true) -> String? {
        guard let end = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        var line = bytes[..<end]
        if droppingCR && line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        defer { bytes.removeSubrange(...end) }
        return String(decoding: line, as: UTF8.self)
    }

    /// Takes everything held (at the end of input, a last line without its LF); nil when nothing is.
    package mutating func takeRest() -> String? {
        defer { bytes = [] }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }
}
