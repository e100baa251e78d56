import CSystem
import Glibc

/// The checks of STATE-1 ... STATE-11 against an implementation of `ProcessStatesAPI`. Each check
/// puts real processes in the state its rule names, waits until `/proc` shows it, and then compares
/// the implementation's status with `/proc` and its STAT column with what `ps` would print.
public struct ProcessStatesSpec<Implementation: ProcessStatesAPI>: Spec {
    public static var concept: String { "states" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("STATE-1", newChildIsCompleteWhenForkReturns),
            Check("STATE-2", busyChildIsRunning),
            Check("STATE-3", blockedChildIsSleeping),
            Check("STATE-4", stoppedChildIsT),
            Check("STATE-5", exitedChildIsZUntilReaped),
            Check("STATE-6", raisedNiceShowsN),
            Check("STATE-7", loweredNiceShowsLessThan),
            Check("STATE-8", sessionLeaderShowsS),
            Check("STATE-9", threadsShowL),
            Check("STATE-10", foregroundGroupShowsPlus),
            Check("STATE-11", statColumnAgreesWithPS),
        ]
    }

    /// The implementation's status of `pid`, which must equal `/proc`'s, and its STAT column, which
    /// must be what ps makes of that status.
    @discardableResult
    private func expectSeen(_ pid: ProcessID, _ what: String) throws -> (status: ProcessStatus, column: String) {
        step("status(of: \(pid)) of \(what)")
        let seen: ProcessStatus
        do {
            seen = try implementation.status(of: pid)
        } catch {
            throw CheckFailure("status(of:) of \(what) threw \(error)")
        }
        guard let truth = PS.status(pid) else {
            throw CheckFailure("\(what) is gone: the check cannot compare", expected: nil, actual: nil, isBroken: true)
        }
        try expectEqual(seen, truth, "status(of:) of \(what)")
        let column = implementation.statColumn(truth)
        try expectEqual(column, PS.statColumn(truth), "statColumn of \(what)")
        return (seen, column)
    }

    /// STATE-1: right after fork returns, the child is in /proc with this process as its parent.
    func newChildIsCompleteWhenForkReturns() throws {
        let family = try Family()
        defer { family.end() }
        let child = try family.child()
        step("status(of: \(child)) right after fork returned")
        let seen: ProcessStatus
        do {
            seen = try implementation.status(of: child)
        } catch {
            throw CheckFailure("status(of:) of a child right after fork returned threw \(error)")
        }
        try expectEqual(seen.parent, ProcessID(rawValue: getpid()), "the parent of a child right after fork")
        try expectTrue([.running, .sleeping, .diskSleep].contains(seen.state),
                       "right after fork the child's state is \(seen.state.rawValue), not R, S or D")
    }

    /// A child spinning in a loop without a system call, which it has entered when this returns: from
    /// then on it touches no new memory, so it is always R.
    private func busyChild(_ family: Family) throws -> ProcessID {
        let started = try Pipe()
        let child = try family.child {
            started.write(1)
            while true { cs_cpu_relax() }
        }
        _ = try started.readInt32("the busy child ended before its loop")
        family.await(child, "waiting for the busy child to be R") { $0.state == .running }
        return child
    }

    /// STATE-2: a child spinning in a loop is R.
    func busyChildIsRunning() throws {
        let family = try Family()
        defer { family.end() }
        let child = try busyChild(family)
        let (seen, column) = try expectSeen(child, "a child looping without blocking")
        try expectEqual(seen.state, .running, "the state of a busy child")
        try expectTrue(column.hasPrefix("R"), "the STAT of a busy child is \(column), not R...")
    }

    /// STATE-3: a child in read on an empty pipe, and one in sleep, are S.
    func blockedChildIsSleeping() throws {
        let family = try Family()
        defer { family.end() }
        let empty = try Pipe()
        let reader = try family.child {
            var byte: UInt8 = 0
            _ = Glibc.read(empty.readEnd, &byte, 1)
        }
        let sleeper = try family.child { _ = sleep(3600) }
        for (child, what) in [(reader, "a child blocked in read on an empty pipe"), (sleeper, "a child in sleep(3600)")] {
            waitUntilBlocked(child, in: what)
            let (seen, column) = try expectSeen(child, what)
            try expectEqual(seen.state, .sleeping, "the state of \(what)")
            try expectTrue(column.hasPrefix("S"), "the STAT of \(what) is \(column), not S...")
        }
    }

    /// Waits until `child` is S: it has no other way to sleep than the call it was made to block in.
    private func waitUntilBlocked(_ child: ProcessID, in what: String) {
        step("waiting for \(what) to block")
        while PS.status(child)?.state != .sleeping { usleep(1000) }
    }

    /// STATE-4: SIGSTOP makes T (and waitpid .untraced says stopped); SIGCONT ends T (and
    /// waitpid .continued says continued).
    func stoppedChildIsT() throws {
        let family = try Family()
        defer { family.end() }
        let child = try family.child()
        try Children.kill(child, .stop)
        step("waitpid(child, WUNTRACED) after SIGSTOP")
        try expectEqual(try waitChange(child, WUNTRACED), .stopped(.stop), "waitpid(WUNTRACED) after SIGSTOP")
        let (stopped, column) = try expectSeen(child, "a child stopped by SIGSTOP")
        try expectEqual(stopped.state, .stopped, "the state of a stopped child")
        try expectTrue(column.hasPrefix("T"), "the STAT of a stopped child is \(column), not T...")
        try Children.kill(child, .continue)
        step("waitpid(child, WCONTINUED) after SIGCONT")
        try expectEqual(try waitChange(child, WCONTINUED), .continued, "waitpid(WCONTINUED) after SIGCONT")
        family.await(child, "waiting for the continued child to sleep in pause() again") { $0.state == .sleeping }
        let (continued, _) = try expectSeen(child, "a child continued by SIGCONT")
        try expectTrue(continued.state != .stopped, "a continued child is still T")
    }

    /// The status change waitpid reports for `child` with `options`, decoded with the C macros.
    private func waitChange(_ child: ProcessID, _ options: CInt) throws -> WaitStatus? {
        var raw: CInt = 0
        _ = try valueOrErrno { waitpid(child.rawValue, &raw, options) }.mapError { CheckFailure.setup("waitpid", $0) }.get()
        return Children.decode(raw)
    }

    /// STATE-5: an exited, unreaped child is Z; once reaped, status(of:) throws ESRCH.
    func exitedChildIsZUntilReaped() throws {
        let family = try Family()
        defer { family.end() }
        let child = try Children.fork { 0 }
        _ = Children.awaitState(child, in: ["Z"], "waiting for the exited child to become a zombie")
        let (seen, column) = try expectSeen(child, "an exited child nobody reaped")
        try expectEqual(seen.state, .zombie, "the state of an exited, unreaped child")
        try expectTrue(column.hasPrefix("Z"), "the STAT of a zombie is \(column), not Z...")
        _ = try Children.reap(child)
        step("status(of: \(child)) after reaping it")
        try expectThrows(Errno.noSuchProcess, "status(of:) of a reaped child") { () throws(Errno) in
            try implementation.status(of: child)
        }
    }

    /// A child that changes its nice value by `change` and reports 0 or the errno on `report`.
    private func niceChild(_ family: Family, to nice: Int32, report: Pipe) throws -> ProcessID {
        try family.child {
            let done = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice)
            report.write(done == 0 ? 0 : errno)
        }
    }

    /// A nice value above 0 and `step` above this process's (which its children inherit), at most 19:
    /// raising it never needs a privilege.
    private func raisedNice(by step: Int32) -> Int32 {
        min(max(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0), 0) + step, 19)
    }

    /// STATE-6: nice raised by 5 shows N.
    func raisedNiceShowsN() throws {
        let family = try Family()
        defer { family.end() }
        let report = try Pipe()
        let child = try niceChild(family, to: raisedNice(by: 5), report: report)
        let error = try report.readInt32("the child ended before raising its nice value")
        try expectEqual(error, 0, "the errno of setpriority(+5) in the child (0: it worked)")
        family.await(child, "waiting for the child to pause") { $0.state == .sleeping }
        let (seen, column) = try expectSeen(child, "a child whose nice value was raised by 5")
        try expectTrue(seen.nice > 0, "the nice value of a child that raised it is \(seen.nice)")
        try expectTrue(column.dropFirst().hasPrefix("N"), "the STAT of a child with nice \(seen.nice) is \(column), not .N...")
    }

    /// STATE-7: nice lowered to -5 shows <, when this machine lets a process lower it.
    func loweredNiceShowsLessThan() throws {
        let family = try Family()
        defer { family.end() }
        let report = try Pipe()
        let child = try niceChild(family, to: -5, report: report)
        let error = Errno(rawValue: try report.readInt32("the child ended before lowering its nice value"))
        if error == .permissionDenied || error == .operationNotPermitted {
            throw Unsupported("lowering a nice value needs CAP_SYS_NICE or RLIMIT_NICE: setpriority(-5) failed with \(error)")
        }
        try expectEqual(error.rawValue, 0, "the errno of setpriority(-5) in the child (0: it worked)")
        family.await(child, "waiting for the child to pause") { $0.state == .sleeping }
        note(getuid() == 0 ? "lowered as root" : "lowered as user \(getuid())")
        let (seen, column) = try expectSeen(child, "a child whose nice value was lowered to -5")
        try expectEqual(seen.nice, -5, "the nice value of a child that lowered it to -5")
        try expectTrue(column.dropFirst().hasPrefix("<"), "the STAT of a child with nice -5 is \(column), not .<...")
    }

    /// A child that becomes a session leader with setsid, on `terminal` as its controlling terminal
    /// if one is given, and forks two children: one in its own process group, one that moves to a
    /// group of its own (a background group, on a terminal).
    private func sessionLeader(_ family: Family, controlling terminal: CInt? = nil) throws
        -> (leader: ProcessID, member: ProcessID, background: ProcessID) {
        // The leader reports its two children's pids, or -1 and the errno of the call that failed (0 setsid,
        // 1 ioctl, 2 fork).
        let report = try Pipe()
        let leader = try family.child {
            guard setsid() > 0 else { return report.write([-1, 0, errno]) }
            if let terminal, ioctl(terminal, UInt(TIOCSCTTY), 0) != 0 { return report.write([-1, 1, errno]) }
            let member = Glibc.fork()
            if member == 0 { return }
            let background = member > 0 ? Glibc.fork() : -1
            if background == 0 {
                _ = setpgid(0, 0)
                return
            }
            report.write(background > 0 ? [member, background] : [-1, 2, errno])
        }
        let member = try report.readInt32("the session leader ended before reporting")
        let background = try report.readInt32("the session leader ended before reporting")
        guard member > 0 else {
            let call = ["setsid", "ioctl(TIOCSCTTY)", "fork"][Int(background)]
            throw CheckFailure.setup("\(call) in the session leader", Errno(rawValue: try report.readInt32("the session leader ended")))
        }
        let children = (ProcessID(rawValue: member), ProcessID(rawValue: background))
        family.await(leader, "waiting for the session leader to pause") { $0.state == .sleeping }
        family.await(children.0, "waiting for the leader's first child to pause") { $0.state == .sleeping }
        family.await(children.1, "waiting for the leader's second child to enter a group of its own") {
            $0.processGroup == background && $0.state == .sleeping
        }
        return (leader, children.0, children.1)
    }

    /// STATE-8: a setsid leader shows s, its child does not.
    func sessionLeaderShowsS() throws {
        let family = try Family()
        defer { family.end() }
        let (leader, member, background) = try sessionLeader(family)
        let (leading, leaderColumn) = try expectSeen(leader, "a session leader made by setsid")
        try expectEqual(leading.session, leader.rawValue, "the session of a process that called setsid")
        try expectTrue(leaderColumn.contains("s"), "the STAT of a session leader is \(leaderColumn), without s")
        for (pid, what) in [(member, "the child of a session leader"),
                            (background, "a child of a session leader leading a process group of its own")] {
            let (following, column) = try expectSeen(pid, what)
            try expectEqual(following.session, leader.rawValue, "the session of \(what)")
            try expectTrue(!column.contains("s"), "the STAT of \(what) is \(column), with s")
        }
    }

    /// STATE-9: two threads show l, one thread does not.
    func threadsShowL() throws {
        let family = try Family()
        defer { family.end() }
        let threaded = try family.child {
            var thread = pthread_t()
            _ = pthread_create(&thread, nil, { _ in
                while true { pause() }
            }, nil)
        }
        let single = try family.child()
        family.await(threaded, "waiting for the child's second thread, and the first in pause()") {
            $0.threads == 2 && $0.state == .sleeping
        }
        family.await(single, "waiting for the single-threaded child to pause") { $0.state == .sleeping }
        let (two, twoColumn) = try expectSeen(threaded, "a child with two threads")
        try expectEqual(two.threads, 2, "the thread count of a child that started a thread")
        try expectTrue(twoColumn.contains("l"), "the STAT of a process with 2 threads is \(twoColumn), without l")
        let (one, oneColumn) = try expectSeen(single, "a single-threaded child")
        try expectEqual(one.threads, 1, "the thread count of a single-threaded child")
        try expectTrue(!oneColumn.contains("l"), "the STAT of a single-threaded process is \(oneColumn), with l")
    }

    /// STATE-10: the terminal's foreground group shows +; a background group and no terminal do not.
    func foregroundGroupShowsPlus() throws {
        let family = try Family()
        defer { family.end() }
        var ends: (master: CInt, slave: CInt) = (-1, -1)
        guard cs_open_pseudo_terminal(&ends.master, &ends.slave) == 0 else {
            throw CheckFailure.setup("posix_openpt or opening its slave", .current)
        }
        defer { close(ends.master); close(ends.slave) }
        let onTerminal = try sessionLeader(family, controlling: ends.slave)
        for (pid, what) in [(onTerminal.leader, "a session leader on its terminal"),
                            (onTerminal.member, "the leader's child in the leader's group")] {
            let (seen, column) = try expectSeen(pid, what)
            try expectEqual(seen.terminalForegroundGroup, onTerminal.leader.rawValue, "the terminal's foreground group seen by \(what)")
            try expectTrue(column.hasSuffix("+"), "the STAT of \(what), in the foreground group, is \(column), without +")
        }
        let (behind, behindColumn) = try expectSeen(onTerminal.background, "a process in a background group of the terminal")
        try expectTrue(behind.processGroup != behind.terminalForegroundGroup, "a background group is the foreground one")
        try expectTrue(!behindColumn.hasSuffix("+"), "the STAT of a background process is \(behindColumn), with +")
        let alone = try sessionLeader(family).leader
        let (noTerminal, aloneColumn) = try expectSeen(alone, "a session leader with no terminal")
        try expectEqual(noTerminal.terminalForegroundGroup, -1, "the foreground group of a process with no terminal")
        try expectTrue(!aloneColumn.hasSuffix("+"), "the STAT of a process with no terminal is \(aloneColumn), with +")
    }

    /// STATE-11: statColumn(status(of:)) equals `ps -o stat= -p PID` for a process in each state and
    /// with each flag, and for one with several flags at once.
    func statColumnAgreesWithPS() throws {
        guard try PS.run("ps", ["-o", "stat=", "-p", String(getpid())]) != nil else {
            throw Unsupported("ps is not installed (Debian package procps)")
        }
        let family = try Family()
        defer { family.end() }
        let paused: (ProcessStatus) -> Bool = { $0.state == .sleeping }
        var examples: [(pid: ProcessID, what: String, settled: (ProcessStatus) -> Bool)] = []
        examples.append((try busyChild(family), "a busy child", { $0.state == .running }))
        examples.append((try family.child(), "a child in pause()", paused))
        let stopped = try family.child()
        try Children.kill(stopped, .stop)
        examples.append((stopped, "a stopped child", { $0.state == .stopped }))
        examples.append((try Children.fork { 0 }, "a zombie", { $0.state == .zombie }))
        let report = try Pipe()
        examples.append((try niceChild(family, to: raisedNice(by: 5), report: report), "a child with nice raised", paused))
        let raised = raisedNice(by: 3)
        let lowering = try niceChild(family, to: -5, report: report)
        examples.append((lowering,
                         "a child with nice -5, or its nice unchanged where lowering it is not permitted", paused))
        let locking = try family.child {
            let page = mmap(nil, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            if page != MAP_FAILED { _ = mlock(page, 4096) }
        }
        examples.append((locking, "a child with a locked page, or none where mlock is not permitted", paused))
        examples.append((try family.child {
            _ = setsid()
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, raised)
            var thread = pthread_t()
            _ = pthread_create(&thread, nil, { _ in
                while true { pause() }
            }, nil)
        }, "a session leader with nice raised by 3 and two threads", { $0.state == .sleeping && $0.threads == 2 }))
        var ends: (master: CInt, slave: CInt) = (-1, -1)
        guard cs_open_pseudo_terminal(&ends.master, &ends.slave) == 0 else {
            throw CheckFailure.setup("posix_openpt or opening its slave", .current)
        }
        defer { close(ends.master); close(ends.slave) }
        let onTerminal = try sessionLeader(family, controlling: ends.slave)
        examples += [(onTerminal.leader, "a session leader on its terminal", paused),
                     (onTerminal.member, "its child in the foreground", paused),
                     (onTerminal.background, "its child in a background group", paused)]
        for example in examples {
            family.await(example.pid, "waiting for \(example.what) to settle", until: example.settled)
        }
        let lowered = PS.status(lowering)?.nice == -5
        let locked = (PS.status(locking)?.lockedKiB ?? 0) > 0
        note("compared with ps on \(examples.count) processes" + (lowered ? "" : "; lowering a nice value is not permitted here, so none shows <")
             + (locked ? "" : "; mlock is not permitted here, so none shows L"))
        for (pid, what, _) in examples {
            let (_, column) = try expectSeen(pid, what)
            step("ps -o stat= -p \(pid) for \(what)")
            let printed = try PS.run("ps", ["-o", "stat=", "-p", String(pid.rawValue)]) ?? ""
            try expectEqual(column, printed.filter { !$0.isWhitespace }, "the STAT of \(what) (pid \(pid)), as ps prints it")
        }
    }
}
