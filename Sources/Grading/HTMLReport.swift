import Conformance

/// The report as a page (`reports/conformance.html`, `reports/grade.html`): one self-contained file,
/// its style inline, no script and nothing fetched, so it opens anywhere without a network. Per
/// chapter a progress bar, then each rule in catalog order, green when it passed, red when it failed
/// (also timed out, crashed or broken in a grade), grey when it was not checked (unsupported, not
/// implemented), with the failure message and expected beside actual.
public struct HTMLReport {
    /// How a rule's line is coloured.
    public enum Kind: String {
        case pass, fail, skip
    }

    /// One rule's line.
    public struct Item {
        let rule: Rule
        let kind: Kind
        /// The status as the text report prints it.
        let label: String
        /// The C witness's result, in a conformance report.
        let witness: String?
        let message: String?
        let expected: String?
        let actual: String?
    }

    let title: String
    let header: [String]
    let items: [Item]
    let totals: String
    let language: Language

    /// The whole page.
    public func page() -> String {
        var out = """
        <!DOCTYPE html>
        <html lang="\(language == .zh ? "zh" : "en")"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1"><title>\(xmlEscaped(title))</title>
        <style>
        body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #1d2430; }
        h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin: 1.6em 0 .4em; }
        .env { color: #555; font-size: .9em; } .totals { font-weight: 600; }
        .bar { background: #e3e6eb; border-radius: 4px; height: 10px; width: 100%; overflow: hidden; }
        .bar span { display: block; height: 100%; background: #2f9e44; }
        table { border-collapse: collapse; width: 100%; margin-top: .5em; }
        td { border-top: 1px solid #e3e6eb; padding: .35em .5em; vertical-align: top; }
        td.id { white-space: nowrap; font-family: ui-monospace, monospace; }
        td.status { white-space: nowrap; font-weight: 600; }
        tr.pass td.status { color: #2f9e44; } tr.fail td.status { color: #c92a2a; } tr.skip td.status { color: #868e96; }
        tr.fail { background: #fff5f5; } tr.skip { color: #868e96; }
        .why { margin-top: .3em; font-family: ui-monospace, monospace; font-size: .85em; white-space: pre-wrap; }
        .pair { display: grid; grid-template-columns: 1fr 1fr; gap: .5em; margin-top: .3em; }
        .pair div { background: #f1f3f5; padding: .3em .5em; font-family: ui-monospace, monospace; font-size: .85em; white-space: pre-wrap; }
        </style></head><body>
        <h1>\(xmlEscaped(title))</h1>

        """
        out += "<div class=\"env\">" + header.map(xmlEscaped).joined(separator: "<br>") + "</div>\n"
        out += "<p class=\"totals\">\(xmlEscaped(totals))</p>\n"
        for chapter in Catalog.chapters {
            let lines = items.filter { $0.rule.chapter == chapter.id }
            if lines.isEmpty { continue }
            let passed = lines.filter { $0.kind == .pass }.count
            let percent = lines.isEmpty ? 0 : passed * 100 / lines.count
            let title = language == .zh ? chapter.chineseTitle : chapter.title
            out += "<h2>\(xmlEscaped(title)) — \(passed)/\(lines.count)</h2>\n"
            out += "<div class=\"bar\" title=\"\(passed)/\(lines.count)\"><span style=\"width: \(percent)%\"></span></div>\n<table>\n"
            for item in lines { out += row(item) }
            out += "</table>\n"
        }
        return out + "</body></html>\n"
    }

    private func row(_ item: Item) -> String {
        let sentence = language == .zh ? item.rule.chineseSentence : item.rule.sentence
        var cell = xmlEscaped(sentence)
        if let message = item.message, item.kind != .pass {
            cell += "<div class=\"why\">\(xmlEscaped(message))</div>"
        }
        if let expected = item.expected, let actual = item.actual, item.kind != .pass {
            cell += "<div class=\"pair\"><div>expected: \(xmlEscaped(expected))</div><div>actual: \(xmlEscaped(actual))</div></div>"
        }
        let witness = item.witness.map { "<br><small>C: \(xmlEscaped($0))</small>" } ?? ""
        return "<tr class=\"\(item.kind.rawValue)\" id=\"\(item.rule.id)\"><td class=\"id\">\(item.rule.id)</td>"
            + "<td class=\"status\">\(xmlEscaped(item.label))\(witness)</td><td>\(cell)</td></tr>\n"
    }
}

extension GradeReport {
    /// reports/grade.html.
    public func html(in language: Language = .en) -> String {
        let items = lines.map { line in
            let kind: HTMLReport.Kind = switch line.outcome.status {
            case .pass: .pass
            case .unsupported, .notImplemented: .skip
            case .fail, .timedOut, .crashed, .broken: .fail
            }
            return HTMLReport.Item(rule: line.rule, kind: kind, label: Report.label(line.outcome.status, in: language),
                                   witness: nil, message: line.outcome.message, expected: line.outcome.expected,
                                   actual: line.outcome.actual)
        }
        let totals = (problem.map { $0 + " — " } ?? "") + "\(score)/\(maxScore)"
        return HTMLReport(title: language.text("Grade", zh: "评分"), header: [], items: items, totals: totals,
                          language: language).page()
    }
}

extension ConformanceReport {
    /// reports/conformance.html.
    public func html(in language: Language = .en) -> String {
        let rules = Catalog.rules
        let items = rows.compactMap { row -> HTMLReport.Item? in
            guard let rule = rules.first(where: { $0.id == row.id }) else { return nil }
            let kind: HTMLReport.Kind = switch row.swift {
            case .pass: .pass
            case .fail: .fail
            case .unsupported, .broken, .none: .skip
            }
            return HTMLReport.Item(rule: rule, kind: kind, label: ConformanceReport.label(row.swift, in: language),
                                   witness: ConformanceReport.label(row.c, in: language),
                                   message: row.swiftMessage ?? row.cMessage, expected: nil, actual: nil)
        }
        let passed = rows.filter { $0.swift == .pass }.count
        let totals = "\(passed)/\(rows.count) " + language.text("rules pass", zh: "条规则通过")
            + (passes ? language.text(". Conformant.", zh: "。符合规范。") : language.text(". NOT conformant.", zh: "。不符合规范。"))
        return HTMLReport(title: language.text("Conformance", zh: "一致性检查"), header: environment.header, items: items,
                          totals: totals, language: language).page()
    }
}
