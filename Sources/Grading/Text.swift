/// Wraps `text` into lines of at most `width` columns, breaking at spaces and, in Chinese, between
/// characters (no break before closing punctuation such as 。 or after an opening one such as （).
func wrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
        for (index, piece) in breakablePieces(of: word).enumerated() {
            let joined = index == 0 ? (line.isEmpty ? piece : line + " " + piece) : line + piece
            if !line.isEmpty && columns(joined) > width {
                lines.append(line)
                line = piece
            } else {
                line = joined
            }
        }
    }
    lines.append(line)
    return lines
}

/// A word cut where a line may break inside it: next to a wide (Chinese) character.
private func breakablePieces(of word: Substring) -> [String] {
    var pieces: [String] = []
    var previous: Character?
    for character in word {
        if let previous, isWide(previous) || isWide(character), !"，。、；：！？）」》,.;:!?)".contains(character),
           !"（「《(".contains(previous) {
            pieces.append("")
        }
        if pieces.isEmpty { pieces.append("") }
        pieces[pieces.count - 1].append(character)
        previous = character
    }
    return pieces.isEmpty ? [""] : pieces
}

/// Whether a terminal shows `character` two columns wide: CJK ideographs, kana, hangul, full-width forms.
func isWide(_ character: Character) -> Bool {
    guard let scalar = character.unicodeScalars.first?.value else { return false }
    return (0x1100...0x115F).contains(scalar) || (0x2E80...0xA4CF).contains(scalar) || (0xAC00...0xD7A3).contains(scalar)
        || (0xF900...0xFAFF).contains(scalar) || (0xFE30...0xFE4F).contains(scalar) || (0xFF00...0xFF60).contains(scalar)
        || (0xFFE0...0xFFE6).contains(scalar)
}

/// How many columns a terminal gives `text`.
func columns(_ text: some StringProtocol) -> Int {
    text.reduce(0) { $0 + (isWide($1) ? 2 : 1) }
}

/// `text` padded with spaces to `width` columns.
func pad(_ text: String, _ width: Int) -> String {
    columns(text) >= width ? text : text + String(repeating: " ", count: width - columns(text))
}

/// Escapes text for XML content and attributes.
func xmlEscaped(_ text: String) -> String {
    var escaped = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        case "\n", "\t": escaped.unicodeScalars.append(scalar)
        case _ where scalar.value < 0x20: escaped += "?"  // not allowed in XML 1.0
        default: escaped.unicodeScalars.append(scalar)
        }
    }
    return escaped
}

/// `text` as literal Markdown: each character Markdown could read as markup is backslash-escaped,
/// so that `Pool.__del__`, `/proc/<pid>/stat` and `signal(_:_:)` show as written, and `|` stays in
/// its table cell.
func markdownEscaped(_ text: String) -> String {
    var escaped = ""
    for character in text {
        if "\\`*_[]<>|~".contains(character) { escaped.append("\\") }
        escaped.append(character)
    }
    return escaped
}
