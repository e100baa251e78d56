import Glibc

/// The checks of SHARED-1 ... SHARED-6 against an implementation of `SharedMemoryAPI`, with
/// children forked after the memory is made, as day3/value.py does.
public struct SharedMemorySpec<Implementation: SharedMemoryAPI>: Spec {
    public static var concept: String { "shared" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("SHARED-1", theTypeCodeTable),
            Check("SHARED-2", aValueThatDoesNotFitIsRefused),
            Check("SHARED-3", arraysAndTheirIndexes),
            Check("SHARED-4", writesAreSharedNotCopied),
            Check("SHARED-5", theLockMakesIncrementsExact),
            Check("SHARED-6", nothingOutlivesItsOwners),
        ]
    }

    private func value(_ code: Character, _ initial: SharedScalar?) throws -> Implementation.Value {
        step("value(\"\(code)\", \(initial.map { "\($0)" } ?? "nil"))")
        return try implementation.value(code, initial)
    }

    /// The zero of each code's kind, and values at the ends of its range.
    private static var table: [(code: Character, zero: SharedScalar, extremes: [SharedScalar])] { [
        ("c", .byte(0), [.byte(255), .byte(65)]),
        ("b", 0, [-128, 127]),
        ("B", 0, [255]),
        ("u", .character("\0"), [.character("语"), .character("\u{1F600}")]),
        ("h", 0, [-32768, 32767]),
        ("H", 0, [65535]),
        ("i", 0, [.integer(Int(Int32.min)), .integer(Int(Int32.max))]),
        ("I", 0, [.integer(Int(UInt32.max))]),
        ("l", 0, [.integer(Int.min), .integer(Int.max)]),
        ("L", 0, [.integer(Int.max)]),
        ("f", 0.0, [0.5, -1024.25]),
        ("d", 0.0, [0.1, -1e300]),
    ] }

    /// SHARED-1: each code starts at its kind's zero and holds the ends of its range exactly; other
    /// codes throw .unknownTypeCode, for a value and for an array.
    func theTypeCodeTable() throws {
        for (code, zero, extremes) in Self.table {
            let shared = try value(code, nil)
            try expectEqual(shared.value, zero, "value(\"\(code)\", nil).value")
            for extreme in extremes {
                step("set(\(extreme)) on type code \(code)")
                try shared.set(extreme)
                try expectEqual(shared.value, extreme, "type code \(code) after set(\(extreme))")
            }
        }
        for code: Character in ["x", "q", "Z", "é"] {
            try expectThrows(SharedMemoryError.unknownTypeCode(code), "value(\"\(code)\", nil)") {
                () throws(SharedMemoryError) in try implementation.value(code, nil)
            }
            try expectThrows(SharedMemoryError.unknownTypeCode(code), "array(\"\(code)\", count: 2)") {
                () throws(SharedMemoryError) in try implementation.array(code, count: 2)
            }
        }
    }

    /// SHARED-2: one past each end of a range, and values of another kind, are refused by set and
    /// by value(_:_:), and the memory keeps what it held.
    func aValueThatDoesNotFitIsRefused() throws {
        let outOfRange: [(Character, SharedScalar)] = [
            ("b", 128), ("b", -129), ("B", 256), ("B", -1), ("h", 32768), ("H", -1), ("H", 65536),
            ("i", .integer(Int(Int32.max) + 1)), ("I", -1), ("I", .integer(Int(UInt32.max) + 1)),
            ("L", -1), ("c", 256), ("c", -1), ("f", 1e39),
        ]
        let wrongKind: [(Character, SharedScalar)] = [
            ("i", 1.5), ("l", .byte(1)), ("c", .character("a")), ("u", 65), ("d", .byte(1)), ("u", .byte(65)),
        ]
        for (code, bad) in outOfRange + wrongKind {
            let expected = outOfRange.contains { $0 == (code, bad) }
                ? SharedMemoryError.outOfRange(typeCode: code, bad) : .wrongKind(typeCode: code, bad)
            let shared = try value(code, nil)
            try expectThrows(expected, "set(\(bad)) on type code \(code)") { () throws(SharedMemoryError) in try shared.set(bad) }
            try expectEqual(shared.value, Self.table.first { $0.code == code }!.zero,
                            "type code \(code) after the refused set(\(bad))")
            try expectThrows(expected, "value(\"\(code)\", \(bad))") { () throws(SharedMemoryError) in
                try implementation.value(code, bad)
            }
        }
    }

    /// SHARED-3: arrays from a count and from values; a negative count, indexes -1 and count, and
    /// an initial value that does not fit are refused.
    func arraysAndTheirIndexes() throws {
        step("array(\"i\", count: 3)")
        let zeros = try implementation.array("i", count: 3)
        try expectEqual(zeros.count, 3, "count of array(\"i\", count: 3)")
        try expectEqual(zeros.values, [0, 0, 0], "values of array(\"i\", count: 3)")
        step("array(\"d\", [1, 2.5, -3])")
        let reals = try implementation.array("d", [1, 2.5, -3])
        try expectEqual(reals.values, [1.0, 2.5, -3.0], "values of array(\"d\", [1, 2.5, -3])")
        try reals.set(1, to: 7.25)
        try expectEqual(try reals.get(1), 7.25, "element 1 after set(1, to: 7.25)")
        try expectEqual(try implementation.array("u", count: 0).values, [], "values of array(\"u\", count: 0)")
        try expectThrows(SharedMemoryError.negativeCount(-1), "array(\"i\", count: -1)") { () throws(SharedMemoryError) in
            try implementation.array("i", count: -1)
        }
        for index in [-1, 3, Int.max] {
            try expectThrows(SharedMemoryError.indexOutOfRange(index: index, count: 3), "get(\(index)) on 3 elements") {
                () throws(SharedMemoryError) in try reals.get(index)
            }
            try expectThrows(SharedMemoryError.indexOutOfRange(index: index, count: 3), "set(\(index), to: 1) on 3 elements") {
                () throws(SharedMemoryError) in try reals.set(index, to: 1)
            }
        }
        try expectEqual(reals.values, [1.0, 7.25, -3.0], "values after the refused sets")
        try expectThrows(SharedMemoryError.outOfRange(typeCode: "B", 300), "array(\"B\", [1, 300])") {
            () throws(SharedMemoryError) in try implementation.array("B", [1, 300])
        }
    }

    /// SHARED-4: a child writes a value and an array element and exits: the parent reads them.
    /// Then the parent writes after forking a child, and the child reads that.
    func writesAreSharedNotCopied() throws {
        let shared = try value("i", 0)
        let array = try implementation.array("d", count: 4)
        let writer = try Children.fork {
            (try? shared.set(7)) == nil || (try? array.set(2, to: 1.5)) == nil ? 1 : 0
        }
        try expectEqual(try Children.reap(writer), .exited(code: 0), "the status of the writing child")
        try expectEqual(shared.value, 7, "the value the child wrote, read by the parent")
        try expectEqual(try array.get(2), 1.5, "the array element the child wrote, read by the parent")

        let go = try Pipe()
        let reader = try Children.fork {
            go.closeWriteEnd()
            _ = try? go.readInt32("")
            return shared.value == 9 && (try? array.get(3)) == .real(-2) ? 0 : 1
        }
        go.closeReadEnd()
        step("writing 9 and -2 in the parent after the fork")
        try shared.set(9)
        try array.set(3, to: -2)
        go.write(1)
        try expectEqual(try Children.reap(reader), .exited(code: 0),
                        "the status of the child reading what the parent wrote after fork (1: it read the old values)")
    }

    /// SHARED-5: with v at 0, child A reads v and waits; child B does v = v + 1; A then writes what
    /// it read plus 1: v is 1, an update lost. With A and B inside withLock, B must wait for A
    /// (the check sees B asleep), and v ends at 2. Then 4 children add 1000 each under the lock.
    func theLockMakesIncrementsExact() throws {
        try expectEqual(try interleavedIncrements(locked: false), 1,
                        "v after the interleaved increments without the lock (one update is lost)")
        try expectEqual(try interleavedIncrements(locked: true), 2, "v after the same increments inside withLock")

        let counter = try value("l", 0)
        step("4 children each adding 1 to v 1000 times inside withLock")
        let adders = try (0..<4).map { _ in
            try Children.fork {
                for _ in 0..<1000 {
                    guard (try? counter.withLock { try counter.set(.integer(counter.value.integer! + 1)) }) != nil else { return 1 }
                }
                return 0
            }
        }
        for pid in adders { try expectEqual(try Children.reap(pid), .exited(code: 0), "an adding child's status") }
        try expectEqual(counter.value, 4000, "v after 4 × 1000 increments inside withLock")
    }

    /// Runs the schedule of SHARED-5 and returns v at the end.
    private func interleavedIncrements(locked: Bool) throws -> SharedScalar {
        let shared = try value("i", 0)
        func increment(_ between: () -> Void) throws {
            let read = shared.value.integer!
            between()
            try shared.set(.integer(read + 1))
        }
        func maybeLocked(_ body: () throws -> Void) throws {
            if locked { try shared.withLock(body) } else { try body() }
        }
        let hasRead = try Pipe(), go = try Pipe()
        let first = try Children.fork {
            hasRead.closeReadEnd()
            go.closeWriteEnd()
            let done: Void? = try? maybeLocked {
                try increment {
                    hasRead.write(1)
                    _ = try? go.readInt32("")
                }
            }
            return done == nil ? 1 : 0
        }
        hasRead.closeWriteEnd()
        go.closeReadEnd()
        _ = try hasRead.readInt32("child A ended before reading v")
        step(locked ? "child B increments inside withLock while A holds the lock" : "child B increments while A waits")
        let second = try Children.fork { (try? maybeLocked { try increment {} }) == nil ? 1 : 0 }
        // Without the lock B runs to its end; with it, B must be asleep waiting for A's lock.
        let state = Children.awaitState(second, in: locked ? ["S", "Z"] : ["Z"], "waiting for B to finish or sleep")
        go.write(1)
        try expectEqual(try Children.reap(first), .exited(code: 0), "A's status")
        try expectEqual(try Children.reap(second), .exited(code: 0), "B's status")
        if locked { try expectEqual(state, "S", "B's state while A held the lock (Z: B did not wait for it)") }
        return shared.value
    }

    /// SHARED-6: a child makes a value and an array and, while they live, lists what could outlive
    /// it: shared mappings of files not yet deleted, open descriptors on /dev/shm files not
    /// deleted. After it ends, no System V segment it created is left.
    func nothingOutlivesItsOwners() throws {
        let report = try Pipe()
        let maker = try Children.fork {
            report.closeReadEnd()
            let before = Set(Self.namedSharedMappings())
            guard let shared = try? implementation.value("d", 1.5),
                  let array = try? implementation.array("i", count: 1000),
                  (try? array.set(999, to: 1)) != nil else { return 2 }
            let lasting = Self.namedSharedMappings().filter { !before.contains($0) } + Self.namedShmDescriptors()
            report.write(lasting.joined(separator: ", "))
            withExtendedLifetime((shared, array)) {}
            return lasting.isEmpty ? 0 : 1
        }
        report.closeWriteEnd()
        let lasting = try report.readToEnd()
        let status = try Children.reap(maker)
        try expectTrue(status != .exited(code: 2), "the child could not make a value and an array")
        try expectEqual(lasting, "", "what would outlive the child (named shared memory not unlinked)")
        try expectEqual(status, .exited(code: 0), "the child's status")
        try expectEqual(Self.systemVSegments(createdBy: maker), [], "System V segments the child created and left")
    }

    /// The shared (`s`) mappings of this process backed by a file that still has a name.
    private static func namedSharedMappings() -> [String] {
        (ProcFS.read("/proc/self/maps") ?? "").split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, fields[1].hasSuffix("s") else { return nil }
            let path = fields[5].trimmingPrefix(while: { $0 == " " })
            return path.hasSuffix("(deleted)") ? nil : String(path)
        }
    }

    /// Descriptors of this process open on a file in /dev/shm that still has a name.
    private static func namedShmDescriptors() -> [String] {
        ProcFS.openDescriptors().compactMap { fd in
            var target = [CChar](repeating: 0, count: 4096)
            let count = readlink("/proc/self/fd/\(fd)", &target, target.count - 1)
            guard count > 0 else { return nil }
            let path = String(decoding: target[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return path.hasPrefix("/dev/shm/") && !path.hasSuffix("(deleted)") ? path : nil
        }
    }

    /// The ids of System V shared memory segments whose creator was `pid` (proc(5): /proc/sysvipc/shm).
    private static func systemVSegments(createdBy pid: ProcessID) -> [String] {
        (ProcFS.read("/proc/sysvipc/shm") ?? "").split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: " ")
            return fields.count > 4 && fields[4] == "\(pid.rawValue)" ? String(fields[1]) : nil
        }
    }
}
