/// What a check throws when the implementation breaks its rule: a message naming what was checked,
/// and the expected and actual values when there are two to compare.
public struct CheckFailure: Error, CustomStringConvertible {
    public let message: String
    public let expected: String?
    public let actual: String?
    /// The check's own setup failed (a system call of the check itself), not the implementation's
    /// behaviour: the rule is reported `broken`, as LTP reports TBROK.
    public let isBroken: Bool

    public init(_ message: String, expected: String? = nil, actual: String? = nil) {
        self.init(message, expected: expected, actual: actual, isBroken: false)
    }

    init(_ message: String, expected: String?, actual: String?, isBroken: Bool) {
        self.message = message
        self.expected = expected
        self.actual = actual
        self.isBroken = isBroken
    }

    public var description: String {
        guard let expected, let actual else { return message }
        return "\(message): expected \(expected), got \(actual)"
    }
}

/// Throws unless `actual == expected`; `what` names the value, e.g. "the status wait() returned".
public func expectEqual<Value: Equatable>(
    _ actual: Value, _ expected: Value, _ what: @autoclosure () -> String
) throws(CheckFailure) {
    if actual != expected {
        throw CheckFailure(what(), expected: describe(expected), actual: describe(actual))
    }
}

/// A value as a report shows it: optionals without their `Optional(...)` wrapper, results as what
/// the call returned or threw.
func describe(_ value: Any) -> String {
    let mirror = Mirror(reflecting: value)
    if mirror.displayStyle == .optional {
        return mirror.children.first.map { describe($0.value) } ?? "nil"
    }
    if mirror.displayStyle == .enum, let (label, payload) = mirror.children.first.map({ ($0.label, $0.value) }),
       String(describing: type(of: value)).hasPrefix("Result<") {
        return label == "success" ? "returned \(describe(payload))" : "threw \(describe(payload))"
    }
    return String(describing: value)
}

/// Throws `message` unless `condition` holds.
public func expectTrue(_ condition: Bool, _ message: @autoclosure () -> String) throws(CheckFailure) {
    if !condition { throw CheckFailure(message()) }
}

/// Runs `call`, which must throw `error`; throws a failure naming `what` when it returns or throws another error.
public func expectThrows<Value, Failure: Error & Equatable>(
    _ error: Failure, _ what: String, _ call: () throws(Failure) -> Value
) throws(CheckFailure) {
    let value: Value
    do {
        value = try call()
    } catch let thrown {
        try expectEqual(thrown, error, "the error \(what) threw")
        return
    }
    throw CheckFailure("\(what) returned instead of throwing", expected: "throws \(error)", actual: "returned \(describe(value))")
}

/// Runs `call`, which must throw `error`, and returns how long it took: for rules that say "at
/// once" or "after at least t".
func expectThrowsAndTime<Value, Failure: Error & Equatable>(
    _ error: Failure, _ what: String, _ call: () throws(Failure) -> Value
) throws(CheckFailure) -> Duration {
    step(what)
    var failure: CheckFailure?
    let waited = ContinuousClock().measure {
        do throws(CheckFailure) { try expectThrows(error, what, call) } catch { failure = error }
    }
    if let failure { throw failure }
    return waited
}
