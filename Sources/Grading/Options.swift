/// Command-line options of the tools: `--name value`, `--name=value`, repeated options, flags,
/// and positional arguments, with an error that names what was wrong.
///
/// Hand-written rather than swift-argument-parser: the conformance kit's package must have no
/// remote dependency, or every student package that depends on it needs the network to resolve it
/// and gets a Package.resolved written into its folder by the grader.
public struct Options {
    /// The options a tool accepts, each with its help line.
    public struct Spec: Sendable {
        let name: String
        let help: String
        let takesValue: Bool

        public static func value(_ name: String, _ help: String) -> Spec { Spec(name: name, help: help, takesValue: true) }
        public static func flag(_ name: String, _ help: String) -> Spec { Spec(name: name, help: help, takesValue: false) }
    }

    /// What was wrong with the command line.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public let description: String

        public init(description: String) { self.description = description }
    }

    private var values: [String: [String]] = [:]
    /// The arguments that are not options.
    public private(set) var positional: [String] = []

    public init(_ arguments: [String], accepting specs: [Spec]) throws(Problem) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else {
                positional.append(argument)
                continue
            }
            let parts = argument.dropFirst(2).split(separator: "=", maxSplits: 1).map(String.init)
            guard let spec = specs.first(where: { $0.name == parts[0] }) else {
                throw Problem(description: "unknown option \(argument)")
            }
            if !spec.takesValue {
                if parts.count > 1 { throw Problem(description: "--\(spec.name) takes no value") }
                values[spec.name, default: []].append("")
            } else if parts.count > 1 {
                values[spec.name, default: []].append(parts[1])
            } else if index < arguments.count {
                values[spec.name, default: []].append(arguments[index])
                index += 1
            } else {
                throw Problem(description: "--\(spec.name) needs a value")
            }
        }
    }

    /// The last value given for `name`, or nil.
    public func value(_ name: String) -> String? { values[name]?.last }

    /// Every value given for `name`, in order.
    public func values(_ name: String) -> [String] { values[name] ?? [] }

    /// Whether the flag `name` was given.
    public func flag(_ name: String) -> Bool { values[name] != nil }

    /// The value of `name` as a positive number, or `default` when it is absent.
    public func positiveNumber(_ name: String, default fallback: Double) throws(Problem) -> Double {
        guard let text = value(name) else { return fallback }
        guard let number = Double(text), number > 0, number.isFinite else {
            throw Problem(description: "--\(name) must be a positive number, not '\(text)'")
        }
        return number
    }

    /// The help text listing `specs`.
    public static func help(_ usage: String, _ specs: [Spec]) -> String {
        var text = "usage: \(usage)\n\noptions:\n"
        for spec in specs {
            let name = "--\(spec.name)" + (spec.takesValue ? " VALUE" : "")
            text += "  \(pad(name, 28)) \(spec.help)\n"
        }
        return text
    }
}
