import CSystem
import Glibc

/// The checks of PROCESS-1 ... PROCESS-13 against an implementation of `ProcessAPI`.
///
/// Children report through the oracle's pipes; a check that needs a parent to exit forks that
/// parent itself, so the process whose exit is observed is never the check process.
public struct ProcessSpec<Implementation: ProcessAPI>: Spec {
    public static var concept: String { "process" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("PROCESS-1", startRunsTheTargetInAChild),
            Check("PROCESS-2", joinWaitsAtMostTheTimeout),
            Check("PROCESS-3", defaultNamesAreNumbered),
            Check("PROCESS-4", exitCodeSaysHowTheChildEnded),
            Check("PROCESS-5", anErrorInTheTargetIsExitCodeOne),
            Check("PROCESS-6", standardInputIsDevNull),
            Check("PROCESS-7", misuseIsATypedError),
            Check("PROCESS-8", daemonIsTerminatedAtNormalExit),
            Check("PROCESS-9", daemonEndsWhenItsParentIsKilled),
            Check("PROCESS-10", normalExitWaitsForOtherChildren),
            Check("PROCESS-11", writesInTheChildAreNotSeen),
            Check("PROCESS-12", outputIsPrintedOnce),
            Check("PROCESS-13", startReapsEndedChildren),
        ]
    }

    /// A process object whose target takes no arguments.
    private func process(_ name: String? = nil, _ target: @escaping () throws -> Void) -> Implementation.Child {
        implementation.process(name: name, target: { (_: Void) in try target() }, args: ())
    }

    /// PROCESS-1: nothing runs before start; the target gets its arguments in a child whose pid
    /// is `pid` and whose parent is the caller; the child never returns from `start()`.
    func startRunsTheTargetInAChild() throws {
        let report = try Pipe()
        let caller = getpid()
        step("process(target:args: (7, \"seven\"))")
        let child = implementation.process(name: nil, target: { (number: Int, word: String) in
            report.write("\(number) \(word) \(getpid()) \(getppid())")
        }, args: (7, "seven"))
        try expectEqual(report.isReadable(), false, "whether the target ran before start()")
        try expectEqual(child.pid, nil, "pid before start()")
        try expectEqual(child.isAlive, false, "isAlive before start()")
        try expectEqual(child.exitCode, nil, "exitCode before start()")
        step("start()")
        try child.start()
        if getpid() != caller {
            report.write(" and start() returned in the child")
            _exit(0)
        }
        let pid = try expectStarted(child)
        try child.join(timeout: nil)
        report.closeWriteEnd()
        try expectEqual(try report.readToEnd(), "7 seven \(pid) \(caller)",
                        "what the target reported: its arguments, getpid() and getppid()")
    }

    /// PROCESS-2: join(timeout) with the child blocked returns after at least the timeout, child
    /// alive; 0 and -1 return at once; join() returns once the child has ended.
    func joinWaitsAtMostTheTimeout() throws {
        let release = try Pipe()
        let child = process { _ = try? release.readInt32("") }
        try child.start()
        release.closeReadEnd()
        step("join(timeout: 0.05) while the child is blocked")
        let waited = try ContinuousClock().measure { try child.join(timeout: 0.05) }
        try expectTrue(waited >= .milliseconds(50), "join(timeout: 0.05) returned after \(waited)")
        try expectEqual(child.isAlive, true, "isAlive after join(timeout: 0.05) with the child blocked")
        try expectEqual(child.exitCode, nil, "exitCode while the child is blocked")
        for timeout in [0, -1.0] {
            step("join(timeout: \(timeout)) while the child is blocked")
            try child.join(timeout: timeout)
            try expectEqual(child.isAlive, true, "isAlive after join(timeout: \(timeout))")
        }
        release.write(1)
        step("join() after releasing the child")
        try child.join(timeout: nil)
        try expectEqual(child.isAlive, false, "isAlive after join()")
        try expectEqual(child.exitCode, 0, "exitCode after join()")
    }

    /// PROCESS-3: `Process-N`, then `worker` (which takes N+1), then `Process-(N+2)`; in the child of
    /// a process object named `outer`, the first default name is `Process-(N+3):1`.
    func defaultNamesAreNumbered() throws {
        let first = process {}
        let named = process("worker") {}
        let second = process {}
        try expectEqual(named.name, "worker", "the name of process(name: \"worker\")")
        guard first.name.hasPrefix("Process-"), let number = Int(first.name.dropFirst(8)) else {
            throw CheckFailure("a default name", expected: "Process-N", actual: first.name)
        }
        try expectEqual(second.name, "Process-\(number + 2)", "the default name after Process-\(number) and a named one")
        let report = try Pipe()
        let outer = process("outer") { report.write(self.process {}.name) }
        try outer.start()
        report.closeWriteEnd()
        try outer.join(timeout: nil)
        try expectEqual(try report.readToEnd(), "Process-\(number + 3):1",
                        "the default name of a process object created in the child of \"outer\"")
    }

    /// PROCESS-4: 0 after return, 3 after exit(3), -15 after terminate(), -9 after kill().
    func exitCodeSaysHowTheChildEnded() throws {
        let returning = process {}
        let exiting = process { Glibc.exit(3) }
        for (child, code, how) in [(returning, CInt(0), "returning"), (exiting, 3, "calling exit(3)")] {
            try child.start()
            try child.join(timeout: nil)
            try expectEqual(child.exitCode, code, "exitCode of a target \(how)")
        }
        for (signal, send) in [(SIGTERM, "terminate()"), (SIGKILL, "kill()")] {
            let blocked = try blockedChild()
            step(send)
            if signal == SIGTERM { try blocked.terminate() } else { try blocked.kill() }
            try blocked.join(timeout: nil)
            try expectEqual(blocked.exitCode, -signal, "exitCode after \(send)")
            try expectEqual(blocked.isAlive, false, "isAlive after \(send) and join()")
        }
    }

    /// PROCESS-5: a thrown error gives exit code 1 and `Process <name>:` and the error on stderr.
    func anErrorInTheTargetIsExitCodeOne() throws {
        let stderr = try Pipe()
        let child = process("thrower") { throw TargetError(description: "boom 3") }
        let saved = dup(2)
        dup2(stderr.writeEnd, 2)
        defer {
            dup2(saved, 2)
            close(saved)
        }
        try child.start()
        try child.join(timeout: nil)
        dup2(saved, 2)
        stderr.closeWriteEnd()
        let message = try stderr.readToEnd()
        try expectEqual(child.exitCode, 1, "exitCode of a target that threw")
        try expectTrue(message.contains("thrower") && message.contains("boom 3"),
                       "stderr should name the process and the error, got \(describe(message))")
    }

    /// PROCESS-6: with the caller's stdin a pipe holding a line, the child reads end of file at once.
    func standardInputIsDevNull() throws {
        let input = try Pipe()
        input.write("typed by the user\n")
        dup2(input.readEnd, 0)
        let report = try Pipe()
        let child = process {
            var byte: UInt8 = 0
            let count = read(0, &byte, 1)
            report.write("read \(count), readLine \(readLine() == nil ? "nil" : "a line")")
        }
        try child.start()
        try child.join(timeout: nil)
        report.closeWriteEnd()
        try expectEqual(try report.readToEnd(), "read 0, readLine nil", "what the child read from its standard input")
    }

    /// PROCESS-7: start twice and daemon after start: alreadyStarted; join/terminate/kill before start: notStarted.
    func misuseIsATypedError() throws {
        let child = process {}
        try expectThrows(ProcessError.notStarted, "join() before start()") { () throws(ProcessError) in try child.join(timeout: nil) }
        try expectThrows(ProcessError.notStarted, "join(timeout: 1) before start()") { () throws(ProcessError) in try child.join(timeout: 1) }
        try expectThrows(ProcessError.notStarted, "terminate() before start()") { () throws(ProcessError) in try child.terminate() }
        try expectThrows(ProcessError.notStarted, "kill() before start()") { () throws(ProcessError) in try child.kill() }
        try child.start()
        try expectThrows(ProcessError.alreadyStarted, "a second start()") { () throws(ProcessError) in try child.start() }
        try expectThrows(ProcessError.alreadyStarted, "setDaemon(true) after start()") { () throws(ProcessError) in
            try child.setDaemon(true)
        }
        try child.join(timeout: nil)
        try expectThrows(ProcessError.alreadyStarted, "start() after join()") { () throws(ProcessError) in try child.start() }
        try expectEqual(child.exitCode, 0, "exitCode after the misuse")
    }

    /// PROCESS-8: a parent exits normally with a daemonic child running: the daemon gets SIGTERM
    /// (its handler reports it) and the parent's exit completes.
    func daemonIsTerminatedAtNormalExit() throws {
        let report = try Pipe()
        let ready = try Pipe()
        let parent = try Children.fork {
            let daemon = process {
                daemonReport = report.writeEnd
                signal(SIGTERM) { _ in
                    _ = write(daemonReport, "SIGTERM", 7)
                    _exit(0)
                }
                ready.write(1)
                while true { pause() }
            }
            guard (try? daemon.setDaemon(true)) != nil, (try? daemon.start()) != nil,
                  (try? ready.readInt32("")) != nil else { return 125 }
            Glibc.exit(0)
        }
        report.closeWriteEnd()
        ready.closeWriteEnd()
        step("the parent of a running daemonic child calling exit(0)")
        try expectEqual(try Children.reap(parent), .exited(code: 0), "the parent's status")
        try expectEqual(try report.readToEnd(), "SIGTERM", "what the daemonic child received when its parent exited")
    }

    /// PROCESS-9: a parent killed by SIGKILL with a daemonic child running: the child ends too.
    func daemonEndsWhenItsParentIsKilled() throws {
        _ = cs_set_child_subreaper(1)
        let report = try Pipe()
        let parent = try Children.fork {
            let daemon = process {
                report.write(getpid())
                while true { pause() }
            }
            guard (try? daemon.setDaemon(true)) != nil, (try? daemon.start()) != nil else { return 125 }
            while true { pause() }
        }
        report.closeWriteEnd()
        // The target is running: whatever start() set up in the child is in place.
        let daemon = ProcessID(rawValue: try report.readInt32("the daemonic child's target did not run"))
        step("kill -9 the parent of a daemonic child")
        try Children.kill(parent, .kill)
        _ = try Children.reap(parent)
        step("waiting for the adopted daemonic child to end")
        _ = try Children.reap(daemon)
    }

    /// PROCESS-10: a parent exits normally with a non-daemonic child running: its exit blocks until
    /// the child ends, and then it completes.
    func normalExitWaitsForOtherChildren() throws {
        let release = try Pipe()
        let report = try Pipe()
        let parent = try Children.fork {
            let child = process {
                _ = try? release.readInt32("")
                report.write("child done")
            }
            guard (try? child.start()) != nil else { return 125 }
            Glibc.exit(0)
        }
        release.closeReadEnd()
        report.closeWriteEnd()
        step("the parent of a running non-daemonic child calling exit(0)")
        try expectTrue(parentBlocksInsteadOfEnding(parent), "the parent ended while its non-daemonic child was running")
        release.write(1)
        try expectEqual(try Children.reap(parent), .exited(code: 0), "the parent's status once the child was released")
        try expectEqual(try report.readToEnd(), "child done", "what the child reported")
    }

    /// PROCESS-11: the child doubles a variable the parent created; the parent still sees its value.
    func writesInTheChildAreNotSeen() throws {
        let counter = Counter()
        counter.value = 21
        let report = try Pipe()
        let child = process {
            counter.value *= 2
            report.write(Int32(counter.value))
        }
        try child.start()
        report.closeWriteEnd()
        try child.join(timeout: nil)
        try expectEqual(try report.readInt32("the child ended without reporting"), 42, "the child's value after doubling")
        try expectEqual(counter.value, 21, "the parent's value after the child doubled its copy")
    }

    /// PROCESS-12: "before " left in the stdout buffer at start(), "in target" printed by the
    /// target: the output is "before in target" once each.
    func outputIsPrintedOnce() throws {
        let output = try Pipe()
        let parent = try Children.fork {
            fflush(nil)
            dup2(output.writeEnd, 1)
            setvbuf(cs_stdout(), nil, _IOFBF, 4096)
            fputs("before ", cs_stdout())
            let child = process { fputs("in target", cs_stdout()) }
            guard (try? child.start()) != nil, (try? child.join(timeout: nil)) != nil else { return 125 }
            Glibc.exit(0)
        }
        output.closeWriteEnd()
        let printed = try output.readToEnd()
        try expectEqual(try Children.reap(parent), .exited(code: 0), "the parent's status")
        try expectEqual(printed, "before in target", "what reached stdout")
    }

    /// PROCESS-13: a dropped object's child and a kept object's child, both zombies; the next
    /// start() reaps both, and the kept object still reports its exit code.
    func startReapsEndedChildren() throws {
        // Both children wait to be released, so neither can end (and be reaped) before both started.
        let release = try Pipe()
        let kept = process {
            _ = try? release.readInt32("")
            Glibc.exit(3)
        }
        try kept.start()
        let dropped: ProcessID = try {
            let object = process { _ = try? release.readInt32("") }
            try object.start()
            return try expectStarted(object)
        }()
        let keptPid = try expectStarted(kept)
        release.write(1)
        release.write(1)
        _ = Children.awaitState(dropped, in: ["Z"], "waiting for the dropped object's child to be a zombie")
        _ = Children.awaitState(keptPid, in: ["Z"], "waiting for the kept object's child to be a zombie")
        step("start() of a third process object")
        let third = process {}
        try third.start()
        try expectEqual(ProcFS.stat(dropped.rawValue)?.state, nil, "the dropped object's child after the next start()")
        try expectEqual(ProcFS.stat(keptPid.rawValue)?.state, nil, "the kept object's child after the next start()")
        try expectEqual(kept.exitCode, 3, "exitCode of the kept object, reaped by the next start()")
        try third.join(timeout: nil)
    }

    /// Checks `pid` after start() and returns it.
    private func expectStarted(_ child: Implementation.Child) throws -> ProcessID {
        guard let pid = child.pid else { throw CheckFailure("pid after start()", expected: "a pid", actual: "nil") }
        try expectTrue(pid.rawValue != getpid(), "pid after start() is the caller's own pid")
        return pid
    }

    /// A started child blocked in pause() until a signal ends it.
    private func blockedChild() throws -> Implementation.Child {
        let ready = try Pipe()
        let child = process {
            ready.write(1)
            while true { pause() }
        }
        try child.start()
        ready.closeWriteEnd()
        _ = try ready.readInt32("the child ended before blocking")
        return child
    }

    /// Waits until `parent` is either blocked in a system call other than exit (true) or has
    /// ended (false). Nothing else can happen: the parent is exiting and its child is held.
    private func parentBlocksInsteadOfEnding(_ parent: ProcessID) -> Bool {
        while true {
            let state = ProcFS.stat(parent.rawValue)?.state
            if state == "Z" || state == nil { return false }
            if state == "S", let call = ProcFS.currentSyscall(ofProcess: parent.rawValue),
               call != Int(cs_sys_exit()), call != Int(cs_sys_exit_group()) {
                return true
            }
            usleep(1000)
        }
    }
}

/// The error the target of PROCESS-5 throws.
private struct TargetError: Error, CustomStringConvertible {
    let description: String
}

/// A variable on the heap, shared by reference with the target of PROCESS-11.
private final class Counter {
    var value = 0
}

/// Where the daemonic child of PROCESS-8 reports the signal; set in that child only.
nonisolated(unsafe) private var daemonReport: CInt = -1
