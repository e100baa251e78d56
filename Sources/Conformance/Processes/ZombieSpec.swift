import CSystem
import Glibc

/// The checks of ZOMBIE-1 ... ZOMBIE-6 against an implementation of `ZombieAPI`. The check reads
/// `/proc` itself to know when a child has become a zombie, and asks the implementation only then.
public struct ZombieSpec<Implementation: ZombieAPI>: Spec {
    public static var concept: String { "zombies" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("ZOMBIE-1", exitedChildIsAZombie),
            Check("ZOMBIE-2", reapedChildIsGone),
            Check("ZOMBIE-3", stateSurvivesStrangeNames),
            Check("ZOMBIE-4", doubleForkLeavesNoZombie),
            Check("ZOMBIE-5", ignoringSIGCHLDReapsChildren),
            Check("ZOMBIE-6", restoringTheDefaultBringsZombiesBack),
        ]
    }

    /// A child that exits at once, seen as a zombie by the oracle.
    private func zombie(named name: String? = nil) throws -> ProcessID {
        let child = try Children.fork {
            if let name { _ = cs_set_process_name(name) }
            return 0
        }
        _ = Children.awaitState(child, in: ["Z"], "waiting for the exited child to become a zombie")
        return child
    }

    /// ZOMBIE-1: state(of:) is .zombie before the parent reaps, twice in a row.
    func exitedChildIsAZombie() throws {
        let child = try zombie()
        step("state(of: \(child)) of an unreaped child")
        try expectEqual(try implementation.state(of: child), .zombie, "state(of:) of an exited, unreaped child")
        try expectEqual(try implementation.state(of: child), .zombie, "state(of:) asked again before reaping")
        _ = try Children.reap(child)
    }

    /// ZOMBIE-2: after reaping, state(of:) throws ESRCH.
    func reapedChildIsGone() throws {
        let child = try zombie()
        _ = try Children.reap(child)
        step("state(of: \(child)) after reaping it")
        try expectThrows(.noSuchProcess, "state(of:) of a reaped child") { () throws(Errno) in
            try implementation.state(of: child)
        }
    }

    /// ZOMBIE-3: a zombie named "a b) R (c" is still read as Z.
    func stateSurvivesStrangeNames() throws {
        let child = try zombie(named: "a b) R (c")
        step("state(of: \(child)) of a zombie named \"a b) R (c\"")
        try expectEqual(try implementation.state(of: child), .zombie, "state(of:) of a zombie named \"a b) R (c\"")
        _ = try Children.reap(child)
    }

    /// ZOMBIE-4: after doubleFork returns, the caller has no child at all, the work ran in a process
    /// that is not the caller's child, that process was re-parented away from its parent, and it
    /// ended when the work returned instead of returning from doubleFork too.
    func doubleForkLeavesNoZombie() throws {
        let report = try Pipe()
        let release = try Pipe()
        let strays = try Pipe()
        let caller = getpid()
        step("doubleFork { report pid; wait for release }")
        try implementation.doubleFork {
            report.write(getpid())
            _ = try? release.readInt32("")
        }
        if getpid() != caller {  // doubleFork returned in the worker too: say so and end
            strays.write(getpid())
            _exit(0)
        }
        strays.closeWriteEnd()
        report.closeWriteEnd()
        release.closeReadEnd()
        let worker = ProcessID(rawValue: try report.readInt32("the work never ran"))
        let leftover = Children.poll(.anyChild)
        let workerParent = ProcFS.stat(worker.rawValue)?.parent
        release.write(1)
        release.closeWriteEnd()
        _ = Children.awaitState(worker, in: [nil, "Z"], "waiting for the worker to finish")
        switch leftover {
        case .failure(.noChildProcess): break
        case .success(0): throw CheckFailure("doubleFork returned while a child of the caller was still running")
        case .success(let pid):
            throw CheckFailure("doubleFork returned leaving child \(pid) unreaped (a zombie)", expected: "ECHILD",
                               actual: "waitpid(-1, WNOHANG) returned \(pid)")
        case .failure(let error): throw CheckFailure.setup("waitpid", error)
        }
        try expectTrue(workerParent != getpid(), "the work ran in a child of the caller, not a grandchild")
        // A stray writes before it ends, and the worker has ended: anything it wrote is there now. Never
        // block here: a process the implementation leaked may still hold the pipe open.
        let stray = strays.isReadable() ? try? strays.readInt32("") : nil
        try expectTrue(stray == nil, "doubleFork also returned in the worker: it must end with _exit(0) when the work returns")
    }

    /// ZOMBIE-5: ignoring SIGCHLD returns .default, the exited child vanishes without a Z, wait says ECHILD.
    func ignoringSIGCHLDReapsChildren() throws {
        step("signal(SIGCHLD, .ignore)")
        try expectEqual(try implementation.signal(.child, .ignore), .default, "signal(SIGCHLD, .ignore) returned")
        let alive = try Pipe()
        let child = try Children.fork { 0 }
        alive.closeWriteEnd()
        _ = try alive.readToEnd()
        let seen = Children.awaitState(child, in: [nil, "Z"], "waiting for the ignored child to vanish or be a zombie")
        try expectTrue(seen == nil, "with SIGCHLD ignored, the exited child became a zombie")
        try expectEqual(Children.poll(.anyChild), .failure(.noChildProcess), "waitpid(-1) with SIGCHLD ignored")
    }

    /// ZOMBIE-6: the previous disposition comes back from each call, and after restoring .default an
    /// exited child is a zombie again.
    func restoringTheDefaultBringsZombiesBack() throws {
        step("signal(SIGCHLD, .ignore) then signal(SIGCHLD, .default)")
        try expectEqual(try implementation.signal(.child, .ignore), .default, "the first signal(SIGCHLD, .ignore) returned")
        try expectEqual(try implementation.signal(.child, .ignore), .ignore, "a second signal(SIGCHLD, .ignore) returned")
        try expectEqual(try implementation.signal(.child, .default), .ignore, "signal(SIGCHLD, .default) returned")
        let child = try Children.fork { 0 }
        let seen = Children.awaitState(child, in: [nil, "Z"], "waiting for the exited child to be a zombie")
        try expectEqual(seen.map(String.init), "Z", "the exited child's state after restoring SIGCHLD's default")
        _ = try Children.reap(child)
    }
}
