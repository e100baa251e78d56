import CSystem
import Glibc

/// The checks of WAIT-1 ... WAIT-10 against an implementation of `WaitAPI`. The children are forked
/// with the C library, so only the implementation's waiting and decoding are under test.
public struct WaitSpec<Implementation: WaitAPI>: Spec {
    public static var concept: String { "wait" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("WAIT-1", waitReportsTheExitCode),
            Check("WAIT-2", signaledIsNotExited),
            Check("WAIT-3", noHangReturnsNilWhileRunning),
            Check("WAIT-4", waitWithoutChildrenThrowsECHILD),
            Check("WAIT-5", waitingTwiceThrowsECHILD),
            Check("WAIT-6", stoppedAndContinuedAreReported),
            Check("WAIT-7", waitpidWaitsForThatChildOnly),
            Check("WAIT-8", decodeAgreesWithTheMacros),
            Check("WAIT-9", waitBlocksWhileTheChildRuns),
            Check("WAIT-10", waitRetriesAfterASignalHandler),
        ]
    }

    /// The system calls a blocking wait may be sleeping in.
    private static var waitSyscalls: Set<Int> { [Int(cs_sys_wait4()), Int(cs_sys_waitid())] }

    /// A child that blocks until `release` is written to (or closed), then exits with `code`.
    private func blockedChild(_ release: Pipe, code: CInt = 0) throws -> ProcessID {
        let child = try Children.fork {
            release.closeWriteEnd()
            _ = try? release.readInt32("")
            return code
        }
        release.closeReadEnd()
        return child
    }

    /// WAIT-1: exited(code: n) with the child's pid, for 42 and 255.
    func waitReportsTheExitCode() throws {
        for code: CInt in [42, 255] {
            let child = try Children.fork { code }
            step("wait() for a child exiting with \(code)")
            try expectEqual(try implementation.wait(), ChildStatus(pid: child, status: .exited(code: code)),
                            "wait() for a child that exited with \(code)")
        }
    }

    /// WAIT-2: signaled(SIGKILL) and signaled(SIGTERM), never exited.
    func signaledIsNotExited() throws {
        for signal in [Signal.kill, .terminate] {
            let release = try Pipe()
            let child = try blockedChild(release)
            try Children.kill(child, signal)
            step("waitpid(\(child)) for a child killed by \(signal)")
            try expectEqual(try implementation.waitpid(child, options: []),
                            ChildStatus(pid: child, status: .signaled(signal, coreDumped: false)),
                            "waitpid() for a child killed by \(signal)")
        }
    }

    /// WAIT-3: nil while running, then the real status once it exits.
    func noHangReturnsNilWhileRunning() throws {
        let release = try Pipe()
        let child = try blockedChild(release, code: 3)
        step("waitpid(\(child), options: .noHang) while the child runs")
        try expectEqual(try implementation.waitpid(child, options: .noHang), nil,
                        "waitpid(.noHang) while the child is running")
        release.write(1)
        step("waitpid(\(child)) after releasing the child")
        try expectEqual(try implementation.waitpid(child, options: []),
                        ChildStatus(pid: child, status: .exited(code: 3)), "waitpid() once the child has exited")
    }

    /// WAIT-4: ECHILD with no children.
    func waitWithoutChildrenThrowsECHILD() throws {
        step("wait() in a process with no children")
        try expectThrows(.noChildProcess, "wait() with no children") { () throws(Errno) in try implementation.wait() }
    }

    /// WAIT-5: ECHILD for a pid already reaped.
    func waitingTwiceThrowsECHILD() throws {
        let child = try Children.fork { 0 }
        step("waitpid(\(child)) the first time")
        try expectEqual(try implementation.waitpid(child, options: []),
                        ChildStatus(pid: child, status: .exited(code: 0)), "the first waitpid()")
        step("waitpid(\(child)) again")
        try expectThrows(.noChildProcess, "a second waitpid() for the same child") { () throws(Errno) in
            try implementation.waitpid(child, options: [])
        }
    }

    /// WAIT-6: stopped(SIGSTOP) with .untraced, continued with .continued, then exited(0).
    func stoppedAndContinuedAreReported() throws {
        let release = try Pipe()
        let child = try Children.fork {
            release.closeWriteEnd()
            Glibc.kill(Glibc.getpid(), SIGSTOP)
            _ = try? release.readInt32("")
            return 0
        }
        release.closeReadEnd()
        step("waitpid(\(child), options: .untraced) for a child stopping itself")
        try expectEqual(try implementation.waitpid(child, options: .untraced),
                        ChildStatus(pid: child, status: .stopped(.stop)), "waitpid(.untraced)")
        try Children.kill(child, .continue)
        step("waitpid(\(child), options: .continued) after SIGCONT")
        try expectEqual(try implementation.waitpid(child, options: .continued),
                        ChildStatus(pid: child, status: .continued), "waitpid(.continued)")
        release.write(1)
        step("waitpid(\(child)) after releasing the child")
        try expectEqual(try implementation.waitpid(child, options: []),
                        ChildStatus(pid: child, status: .exited(code: 0)), "waitpid() at the end")
    }

    /// WAIT-7: a sibling that exited first is still a zombie after waitpid(pid), then wait() finds it.
    func waitpidWaitsForThatChildOnly() throws {
        let first = try Children.fork { 1 }
        let release = try Pipe()
        let second = try blockedChild(release, code: 2)
        _ = Children.awaitState(first, in: ["Z"], "waiting for the first child to become a zombie")
        release.write(1)
        step("waitpid(\(second)) while \(first) is already a zombie")
        try expectEqual(try implementation.waitpid(second, options: []),
                        ChildStatus(pid: second, status: .exited(code: 2)), "waitpid() for the second child")
        try expectEqual(ProcFS.stat(first.rawValue)?.state, "Z", "the first child's state after waitpid(second)")
        step("wait() for the remaining zombie")
        try expectEqual(try implementation.wait(), ChildStatus(pid: first, status: .exited(code: 1)),
                        "wait() for the first child")
    }

    /// WAIT-8: every status word the kernel can produce decodes as the C macros decode it.
    func decodeAgreesWithTheMacros() throws {
        step("comparing decode with the C macros on every kernel status word")
        var words: [CInt] = (0...255).map { $0 << 8 }  // exited
        for signal: CInt in 1...64 {
            words += [signal, signal | 0x80]  // signaled, with and without a core dump
            words.append(signal << 8 | 0x7f)  // stopped
        }
        words.append(0xffff)  // continued
        for word in words {
            let hex = "0x" + String(word, radix: 16)
            try expectEqual(implementation.decode(word), Children.decode(word)!, "decode(\(hex))")
        }
    }

    /// WAIT-9: wait() is seen blocked in the kernel, has not returned, and returns once the child exits.
    func waitBlocksWhileTheChildRuns() throws {
        let release = try Pipe()
        let child = try blockedChild(release, code: 9)
        var result: Result<ChildStatus, Errno>?
        let waiter = try CheckThread { result = Result { () throws(Errno) in try implementation.wait() } }
        let blocked = waiter.awaitBlocked(in: Self.waitSyscalls, "waiting for wait() to block in wait4 or waitid")
        release.write(1)
        waiter.join()
        try expectTrue(blocked, "wait() \(describe(result as Any)) while the child was still running")
        try expectEqual(try result!.get(), ChildStatus(pid: child, status: .exited(code: 9)), "wait() once the child exited")
    }

    /// WAIT-10: a handler without SA_RESTART interrupts the blocked wait; wait() retries and returns the status.
    func waitRetriesAfterASignalHandler() throws {
        let release = try Pipe()
        let child = try blockedChild(release, code: 10)
        let interrupter = try Interrupter()
        var result: Result<ChildStatus, Errno>?
        let waiter = try CheckThread { result = Result { () throws(Errno) in try implementation.wait() } }
        guard waiter.awaitBlocked(in: Self.waitSyscalls, "waiting for wait() to block in wait4 or waitid") else {
            release.write(1)
            waiter.join()
            throw CheckFailure("wait() \(describe(result as Any)) before the child exited")
        }
        interrupter.interrupt(waiter)
        _ = waiter.awaitBlocked(in: Self.waitSyscalls, "waiting for wait() to block again or return")
        release.write(1)
        waiter.join()
        try expectEqual(try result!.get(), ChildStatus(pid: child, status: .exited(code: 10)),
                        "wait() interrupted by a handled signal")
    }
}
