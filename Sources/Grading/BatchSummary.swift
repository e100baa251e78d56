import Conformance
import Foundation

/// The class's summary: `summary.json`, `summary.csv` and the table printed at the end, a row per
/// student and a column per chapter graded.
extension BatchGrade {
    /// Writes summary.json and summary.csv, each whole or not at all (a new file renamed over the old).
    func writeSummaries(_ rows: [Row], to reports: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(rows).write(to: reports.appendingPathComponent("summary.json"), options: .atomic)
        try Data(csv(rows).utf8).write(to: reports.appendingPathComponent("summary.csv"), options: .atomic)
    }

    /// The table printed at the end, its columns aligned by terminal columns (a Chinese character takes two).
    public func table(_ rows: [Row]) -> String {
        let chapters = gradedChapters
        let headers = [language.text("student", zh: "学生"), language.text("status", zh: "状态"), language.text("score", zh: "得分")]
        let width = max(columns(headers[0]), rows.map { columns($0.student) }.max() ?? 0) + 2
        let statusWidth = Row.Status.allCases.map { columns($0.label(in: language)) }.max()! + 2
        var out = pad(headers[0], width) + pad(headers[1], statusWidth) + pad(headers[2], 10)
            + chapters.map { pad($0, max(6, $0.count + 2)) }.joined() + "\n"
        for row in rows {
            out += pad(row.student, width) + pad(row.status.label(in: language), statusWidth) + pad("\(row.score)/\(row.maxScore)", 10)
            out += chapters.map { id in
                let score = row.chapters[id].map { "\($0.score)/\($0.maxScore)" } ?? "-"
                return pad(score, max(6, id.count + 2))
            }.joined() + "\n"
        }
        return out
    }

    /// summary.csv: student, status, score, max, then each chapter's score and max. It starts with a
    /// byte order mark, so that spreadsheets read a Chinese name as UTF-8.
    func csv(_ rows: [Row]) -> String {
        let chapters = gradedChapters
        var lines = [(["student", "status", "score", "max_score"] + chapters.flatMap { [$0, "\($0)_max"] }).joined(separator: ",")]
        for row in rows {
            let cells = [field(row.student), row.status.rawValue, "\(row.score)", "\(row.maxScore)"]
                + chapters.flatMap { id in row.chapters[id].map { ["\($0.score)", "\($0.maxScore)"] } ?? ["", ""] }
            lines.append(cells.joined(separator: ","))
        }
        return "\u{FEFF}" + lines.joined(separator: "\n") + "\n"
    }

    /// The chapters with a selected rule, in course order.
    private var gradedChapters: [String] {
        Catalog.chapters.map(\.id).filter { id in rules.contains { $0.chapter == id } }
    }

    /// A CSV field: a name a spreadsheet would take for a formula (`=`, `+`, `-`, `@` first) gets a
    /// leading `'`; quoted when it holds a comma, a quote or a line break.
    private func field(_ text: String) -> String {
        let safe = text.first.map { "=+-@\t\r".contains($0) } == true ? "'" + text : text
        guard safe.contains(where: { ",\"\n\r".contains($0) }) else { return safe }
        return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
