import Foundation
import Glibc

/// The one-way channel from the process running a check to the sandbox that supervises it: JSON
/// lines appended to an anonymous file (memfd) the sandbox reads after the check process has ended.
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
        enum Kind: String, Codable { case step, notImplemented, result }
        var kind: Kind
        var text: String?
        var status: Outcome.Status?
        var expected: String?
        var actual: String?
        var leakedDescriptors: [CInt]?
        var unreapedChildren: Int?
    }

    static func write(_ record: Record) {
        guard descriptor >= 0, var line = try? JSONEncoder().encode(record) else { return }
        line.append(UInt8(ascii: "\n"))
        line.withUnsafeBytes { bytes in _ = Glibc.write(descriptor, bytes.baseAddress, bytes.count) }
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

/// Marks a function of a student's skeleton as not written yet.
///
/// The rule being checked is reported as "not implemented" and the calling process ends at once,
/// in the check process or in any process it forked.
public func notImplemented(_ function: String = #function) -> Never {
    if ResultChannel.descriptor >= 0 {
        ResultChannel.write(.init(kind: .notImplemented, text: function))
    } else {
        FileHandle.standardError.write(Data("not implemented: \(function)\n".utf8))
    }
    _exit(RuleRunner.notImplementedExitCode)
}
