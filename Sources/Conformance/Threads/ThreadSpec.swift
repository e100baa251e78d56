import CSystem
import Glibc

/// The checks of THREAD-1 ... THREAD-8 against an implementation of `ThreadAPI`. The threads
/// report through the check's pipes, so no check depends on a lock of the implementation.
public struct ThreadSpec<Implementation: ThreadAPI>: Spec {
    public static var concept: String { "thread" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("THREAD-1", startRunsTheTargetOnANewThread),
            Check("THREAD-2", joinWithATimeout),
            Check("THREAD-3", namesAndTheDaemonFlag),
            Check("THREAD-4", misuseIsAThreadError),
            Check("THREAD-5", exitWaitsForNonDaemonThreads),
            Check("THREAD-6", anErrorInTheBodyIsReported),
            Check("THREAD-7", threadsShareMemory),
            Check("THREAD-8", forkCopiesOnlyTheCallingThread),
        ]
    }

    private func thread(name: String? = nil, _ target: @escaping () throws -> Void) -> Implementation.Thread {
        step("thread(name: \(name.map { "\"\($0)\"" } ?? "nil"))")
        return implementation.thread(name: name, target: target)
    }

    /// THREAD-1: before start: not alive, no ident. The target reports its pid and kernel thread
    /// id, then waits: alive, same pid, another thread whose id is nativeID. After join: not alive,
    /// and it ran once. A subclass's run() runs the same way.
    func startRunsTheTargetOnANewThread() throws {
        let report = try Pipe(), go = try Pipe()
        let worker = thread {
            report.write([Int32(getpid()), Int32(cs_gettid())])
            _ = try? go.readInt32("")
        }
        try expectEqual(worker.isAlive, false, "isAlive before start()")
        try expectEqual(worker.ident, nil, "ident before start()")
        try worker.start()
        let pid = try report.readInt32("the target did not run")
        let tid = try report.readInt32("the target's report was cut")
        try expectEqual(worker.isAlive, true, "isAlive while the target runs")
        try expectEqual(pid, getpid(), "getpid() in the target (a thread of this process)")
        try expectTrue(tid != cs_gettid(), "the target ran on the thread that called start()")
        try expectEqual(worker.nativeID, tid, "nativeID, the kernel's id of the thread that ran the target")
        try expectTrue(worker.ident != nil, "ident is nil after start()")
        go.write(1)
        try worker.join(timeout: nil)
        try expectEqual(worker.isAlive, false, "isAlive after join()")
        try expectEqual(report.isReadable(), false, "the target ran more than once")

        step("subclass(name: nil, run:)")
        let subclassed = implementation.subclass(name: nil) { report.write(7) }
        try subclassed.start()
        try expectEqual(try report.readInt32("the subclass's run() did not run"), 7, "what the subclass's run() reported")
        try subclassed.join(timeout: nil)
        try expectEqual(subclassed.isAlive, false, "isAlive of the subclass after join()")
    }

    /// THREAD-2: the target waits for the check: join(0.05) returns after at least 0.05 s with the
    /// thread alive, join(0) and join(-1) return with it alive; then join(nil) after it ends.
    func joinWithATimeout() throws {
        let go = try Pipe()
        let worker = thread { _ = try? go.readInt32("") }
        try worker.start()
        for timeout in [0.05, 0, -1] {
            step("join(timeout: \(timeout)) while the thread waits")
            let waited = try ContinuousClock().measure { try worker.join(timeout: timeout) }
            try expectTrue(waited >= .milliseconds(Int(max(0, timeout) * 1000)), "join(timeout: \(timeout)) returned after \(waited)")
            try expectEqual(worker.isAlive, true, "isAlive after join(timeout: \(timeout)) returned")
        }
        go.write(1)
        try worker.join(timeout: nil)
        try expectEqual(worker.isAlive, false, "isAlive after join(timeout: nil)")
    }

    /// THREAD-3: unnamed, named, unnamed: Thread-N, the name, Thread-(N+1); the daemon flag of a
    /// thread made by the main thread is false, by a daemon thread true, by a non-daemon one false.
    func namesAndTheDaemonFlag() throws {
        let first = thread {}, named = thread(name: "读线程") {}, second = thread {}
        try expectEqual(named.name, "读线程", "the name given")
        guard first.name.hasPrefix("Thread-"), let n = Int(first.name.dropFirst("Thread-".count)) else {
            throw CheckFailure("the default name \"\(first.name)\" is not Thread-N")
        }
        try expectEqual(second.name, "Thread-\(n + 1)", "the next default name after \(first.name) and a named thread")
        try expectEqual(first.isDaemon, false, "isDaemon of a thread made by the main thread")
        let report = try Pipe()
        for daemon in [true, false] {
            let maker = thread { report.write(self.implementation.thread(name: nil, target: {}).isDaemon ? 1 : 0) }
            try maker.setDaemon(daemon)
            try maker.start()
            try expectEqual(try report.readInt32("the making thread did not report"), daemon ? 1 : 0,
                            "isDaemon of a thread made by a thread whose isDaemon is \(daemon)")
            try maker.join(timeout: nil)
        }
    }

    /// A box the check and a thread share.
    private final class Box: @unchecked Sendable { var thread: Implementation.Thread?; var value = 1 }

    /// THREAD-4: join before start, start twice, setDaemon after start, and a thread joining itself.
    func misuseIsAThreadError() throws {
        let report = try Pipe()
        let box = Box()
        let worker = thread {
            var result: Int32 = 0
            do throws(ThreadError) { try box.thread!.join(timeout: nil) } catch .joinSelf { result = 1 } catch {}
            report.write(result)
        }
        box.thread = worker
        try expectThrows(ThreadError.notStarted, "join() before start()") { () throws(ThreadError) in try worker.join(timeout: 1) }
        try worker.start()
        try expectThrows(ThreadError.alreadyStarted, "start() a second time") { () throws(ThreadError) in try worker.start() }
        try expectThrows(ThreadError.alreadyStarted, "setDaemon(true) after start()") { () throws(ThreadError) in
            try worker.setDaemon(true)
        }
        let joinedItself = try report.readInt32("the thread did not report its own join")
        try worker.join(timeout: nil)
        box.thread = nil  // the box and the thread's target held each other
        try expectEqual(joinedItself, 1, "whether join() by the thread on itself threw .joinSelf (1: yes)")
    }

    /// THREAD-5: a child process starts a non-daemon thread waiting for the check and a daemon
    /// thread waiting for ever, then calls exit(0). Once the child is in exit, the check lets the
    /// non-daemon thread finish: it reports "done" before the child ends, and the daemon thread
    /// does not keep the child alive.
    func exitWaitsForNonDaemonThreads() throws {
        let report = try Pipe(), go = try Pipe(), never = try Pipe()
        let child = try Children.fork {
            go.closeWriteEnd()
            let waiter = implementation.thread(name: "non-daemon") {
                _ = try? go.readInt32("")
                report.write("done")
            }
            let daemon = implementation.thread(name: "daemon") { _ = try? never.readInt32("") }
            guard (try? daemon.setDaemon(true)) != nil, (try? waiter.setDaemon(false)) != nil,
                  (try? waiter.start()) != nil, (try? daemon.start()) != nil else { return 2 }
            report.write("exit ")
            exit(0)
        }
        report.closeWriteEnd()
        go.closeReadEnd()
        try expectEqual(try report.readText(5, "the child ended before calling exit (or its threads did not start)"),
                        "exit ", "what the child reported before exit")
        let state = Children.awaitState(child, in: ["S", "Z", nil], "waiting for the child to wait in exit, or end")
        guard state == "S" else {
            _ = try Children.reap(child)
            throw CheckFailure("the child ended in exit without waiting for its non-daemon thread")
        }
        go.write(1)
        let rest = try report.readToEnd()
        try expectEqual(try Children.reap(child), .exited(code: 0), "the child's status (2: its threads did not start)")
        try expectEqual(rest, "done", "what the non-daemon thread reported before the process ended")
    }

    private struct ThreadBodyError: Error, CustomStringConvertible {
        var description: String { "boom from the thread body" }
    }

    /// THREAD-6: in a child whose stderr is a pipe, a thread named "failing" throws: start() and
    /// join() return normally, the thread is not alive, and stderr holds "Exception in thread
    /// failing:" and the error.
    func anErrorInTheBodyIsReported() throws {
        let stderrPipe = try Pipe()
        let child = try Children.fork {
            stderrPipe.closeReadEnd()
            dup2(stderrPipe.writeEnd, STDERR_FILENO)
            stderrPipe.closeWriteEnd()
            let failing = implementation.thread(name: "failing") { throw ThreadBodyError() }
            guard (try? failing.start()) != nil, (try? failing.join(timeout: nil)) != nil else { return 1 }
            return failing.isAlive ? 3 : 0
        }
        stderrPipe.closeWriteEnd()
        let written = try stderrPipe.readToEnd()
        try expectEqual(try Children.reap(child), .exited(code: 0),
                        "the child's status (1: start or join threw, 3: the thread was still alive)")
        try expectTrue(written.contains("Exception in thread failing:"), "stderr lacks \"Exception in thread failing:\": \(written.debugDescription)")
        try expectTrue(written.contains(ThreadBodyError().description), "stderr lacks the error: \(written.debugDescription)")
    }

    /// THREAD-7: a thread reads the value the main thread wrote, writes a new one, and the main
    /// thread reads it after join.
    func threadsShareMemory() throws {
        let box = Box()
        box.value = 5
        let report = try Pipe()
        let worker = thread {
            report.write(Int32(box.value))
            box.value = 6
        }
        try worker.start()
        try expectEqual(try report.readInt32("the thread did not report"), 5, "the value the thread read (the main thread wrote 5)")
        try worker.join(timeout: nil)
        try expectEqual(box.value, 6, "the value the main thread reads after the thread wrote 6")
    }

    /// THREAD-8: a thread waits in read(2); the check forks; the child counts its threads and,
    /// once told, reads the value; meanwhile the thread writes 2 and ends. The child has 1 thread
    /// and reads the old 1; the parent reads 2.
    func forkCopiesOnlyTheCallingThread() throws {
        let box = Box()
        let started = try Pipe(), go = try Pipe(), look = try Pipe(), report = try Pipe()
        let worker = thread {
            started.write(Int32(cs_gettid()))
            _ = try? go.readInt32("")
            box.value = 2
        }
        try worker.start()
        let tid = try started.readInt32("the thread did not start")
        // Fork only once the thread sleeps in read(2): at a fork while it is inside the Swift
        // runtime (making a type's metadata, under the runtime's lock), the child would inherit
        // the lock held by a thread it does not have, and wait for it for ever.
        step("waiting for the thread to block in read(2)")
        while ProcFS.currentSyscall(ofThread: tid) != Int(cs_sys_read()) {
            guard ProcFS.threadState(tid) != nil else {
                throw CheckFailure("the thread's target ran on kernel thread \(tid), which is no thread of this process")
            }
            usleep(1000)
        }
        let child = try Children.fork {
            _ = try? look.readInt32("")
            let tasks = ProcFS.taskCount()
            report.write([Int32(tasks), Int32(box.value)])
            return 0
        }
        go.write(1)
        try worker.join(timeout: nil)
        try expectEqual(box.value, 2, "the value in the parent after its thread wrote 2")
        look.write(1)
        let tasks = try report.readInt32("the child did not report")
        let value = try report.readInt32("the child's report was cut")
        try expectEqual(try Children.reap(child), .exited(code: 0), "the child's status")
        try expectEqual(tasks, 1, "threads in the child forked from a process with 2")
        try expectEqual(value, 1, "the value in the child after the parent's thread wrote 2 (it was 1 at fork)")
    }
}
