import Foundation

/// A JUnit XML document: one `<testsuite>` per chapter, one `<testcase>` per rule, so CI systems
/// show rules by id and sentence rather than Swift functions.
struct JUnit {
    struct Case {
        var classname: String
        var name: String
        var seconds: Double
        /// `failure` (the rule is broken), `error` (it could not be checked) or `skipped` (this machine
        /// cannot check it), with a type and a message.
        var problem: (element: String, type: String, message: String)?
    }

    struct Suite {
        var name: String
        var cases: [Case]
    }

    /// Lines about the run (the environment), written as `<properties>` of every suite.
    var properties: [String] = []
    var suites: [Suite]

    var xml: String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
        for suite in suites {
            let failures = suite.cases.filter { $0.problem?.element == "failure" }.count
            let errors = suite.cases.filter { $0.problem?.element == "error" }.count
            let skipped = suite.cases.filter { $0.problem?.element == "skipped" }.count
            let time = suite.cases.map(\.seconds).reduce(0, +)
            out += "  <testsuite name=\"\(xmlEscaped(suite.name))\" tests=\"\(suite.cases.count)\" "
                + "failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\" time=\"\(seconds(time))\">\n"
            if !properties.isEmpty {
                out += "    <properties>\n"
                for (index, line) in properties.enumerated() {
                    out += "      <property name=\"environment.\(index + 1)\" value=\"\(xmlEscaped(line))\"/>\n"
                }
                out += "    </properties>\n"
            }
            for item in suite.cases {
                out += "    <testcase classname=\"\(xmlEscaped(item.classname))\" name=\"\(xmlEscaped(item.name))\" "
                    + "time=\"\(seconds(item.seconds))\""
                if let problem = item.problem, problem.element == "skipped" {
                    out += ">\n      <skipped message=\"\(xmlEscaped(firstLine(problem.message)))\"/>\n    </testcase>\n"
                } else if let problem = item.problem {
                    out += ">\n      <\(problem.element) type=\"\(xmlEscaped(problem.type))\" "
                        + "message=\"\(xmlEscaped(firstLine(problem.message)))\">\(xmlEscaped(problem.message))"
                        + "</\(problem.element)>\n    </testcase>\n"
                } else {
                    out += "/>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    private func seconds(_ value: Double) -> String { String(format: "%.3f", value) }
    private func firstLine(_ text: String) -> String { String(text.split(separator: "\n").first ?? "") }
}
