import Glibc

/// The one-way channel from the process running a check to the sandbox that supervises it: JSON
/// lines appended (`O_APPEND`, so concurrent writers never overwrite each other) to an anonymous file
/// (memfd) the sandbox reads after the check process has ended.
///
/// Every process forked by the check inherits the descriptor, so `notImplemented()` works from a
/// grandchild too. Only the check process itself writes steps and results.
enum ResultChannel {
    /// The descriptor, or -1 outside a sandboxed check.
    nonisolated(unsafe) static var descriptor: CInt = -1
    /// The pid of the check process.
    nonisolated(unsafe) static var checkProcess: pid_t = -1
    /// The last step the check process recorded, for messages about unexpected errors.
    nonisolated(unsafe) static var lastStep: String?

    /// One line of the channel.
    struct Record: Codable {
        enum Kind: String, Codable { case step, note, notImplemented, result }
        var kind: Kind
        var text: String?
        var status: Outcome.Status?
        var expected: String?
        var actual: String?
        var leakedDescriptors: [CInt]?
        var unreapedChildren: Int?
    }

    /// Appends `record` as one JSON line in a single write(2).
    ///
    /// The line is built by hand, not with JSONEncoder: this may run on a check's second thread or in
    /// a forked child while another thread writes too, and two threads encoding with Foundation for
    /// the first time were seen to deadlock inside the Swift runtime's metadata instantiation.
    static func write(_ record: Record) {
        guard descriptor >= 0 else { return }
        var fields = ["\"kind\":\(JSON.quoted(record.kind.rawValue))"]
        for (key, value) in [("text", record.text), ("status", record.status?.rawValue), ("expected", record.expected),
                             ("actual", record.actual)] {
            if let value { fields.append("\(JSON.quoted(key)):\(JSON.quoted(value))") }
        }
        if let leaked = record.leakedDescriptors {
            fields.append("\"leakedDescriptors\":[\(leaked.map(String.init).joined(separator: ","))]")
        }
        if let unreaped = record.unreapedChildren { fields.append("\"unreapedChildren\":\(unreaped)") }
        var line = "{" + fields.joined(separator: ",") + "}\n"
        line.withUTF8 { bytes in _ = Glibc.write(descriptor, bytes.baseAddress, bytes.count) }
    }

    static var isCheckProcess: Bool { descriptor >= 0 && getpid() == checkProcess }
}

/// Records what the check is about to do, so a timeout or crash report can say where it happened.
public func step(_ text: String) {
    if ResultChannel.isCheckProcess {
        ResultChannel.lastStep = text
        ResultChannel.write(.init(kind: .step, text: text))
    }
}

/// Records which branch of a rule that depends on the environment held (e.g. "lowered with
/// CAP_SYS_NICE"), for the report: a pass then also says what was checked on this machine.
public func note(_ text: String) {
    if ResultChannel.isCheckProcess { ResultChannel.write(.init(kind: .note, text: text)) }
}

/// Marks a function of a student's skeleton as not written yet.
///
/// The rule being checked is reported as "not implemented" and the calling process ends at once,
/// in the check process or in any process it forked.
public func notImplemented(_ function: String = #function) -> Never {
    if ResultChannel.descriptor >= 0 {
        ResultChannel.write(.init(kind: .notImplemented, text: function))
    } else {
        var line = "not implemented: \(function)\n"
        line.withUTF8 { bytes in _ = Glibc.write(2, bytes.baseAddress, bytes.count) }
    }
    _exit(RuleRunner.notImplementedExitCode)
}
