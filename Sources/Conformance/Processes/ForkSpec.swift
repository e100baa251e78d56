import CSystem
import Glibc

/// The checks of FORK-1 ... FORK-7 against an implementation of `ForkAPI`.
///
/// Each check tells the two sides of a fork apart by the real pid (`getpid(2)` before and after),
/// never by what the implementation returned, so a wrong return value is reported rather than
/// running the wrong branch.
public struct ForkSpec<Implementation: ForkAPI>: Spec {
    public static var concept: String { "fork" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("FORK-1", returnsOnceInEachProcess),
            Check("FORK-2", childKnowsItsIds),
            Check("FORK-3", childHasACopyOfMemory),
            Check("FORK-4", parentAndChildRunIndependently),
            Check("FORK-5", failsWithEAGAINAtTheProcessLimit),
            Check("FORK-6", childSharesDescriptors),
            Check("FORK-7", unflushedOutputIsCopied),
        ]
    }

    /// Forks with the implementation; in the new process runs `child` and exits, in the caller
    /// returns the pid fork returned there.
    private func forkRunning(_ child: () -> Void) throws -> ProcessID {
        let caller = Glibc.getpid()
        step("calling fork()")
        let result = try implementation.fork()
        if Glibc.getpid() != caller {
            child()
            _exit(0)
        }
        guard case .parent(let pid) = result else {
            throw CheckFailure("fork() in the calling process", expected: ".parent(child: <pid>)", actual: "\(result)")
        }
        return pid
    }

    /// FORK-1: .child in the new process, .parent(child:) with its pid in the caller.
    func returnsOnceInEachProcess() throws {
        let report = try Pipe()
        let caller = Glibc.getpid()
        step("calling fork()")
        let result = try implementation.fork()
        if Glibc.getpid() != caller {
            report.write(result == .child ? 1 : 0)
            report.write(Glibc.getpid())
            _exit(0)
        }
        report.closeWriteEnd()
        let sawChild = try report.readInt32("the new process ended without reporting")
        let childPid = try report.readInt32("the new process ended without reporting its pid")
        _ = try Children.reap(ProcessID(rawValue: childPid))
        try expectEqual(result, .parent(child: ProcessID(rawValue: childPid)), "fork() in the calling process")
        try expectTrue(sawChild == 1, "fork() did not return .child in the new process")
    }

    /// FORK-2: getpid() in the child is the pid the parent got; getppid() is the parent.
    func childKnowsItsIds() throws {
        let parent = Glibc.getpid()
        try expectEqual(implementation.getpid().rawValue, parent, "getpid() in the parent")
        try expectEqual(implementation.getppid().rawValue, Glibc.getppid(), "getppid() in the parent")
        let report = try Pipe()
        let child = try forkRunning {
            report.write(implementation.getpid().rawValue)
            report.write(implementation.getppid().rawValue)
        }
        report.closeWriteEnd()
        let ownPid = try report.readInt32("the child ended without reporting getpid()")
        let parentPid = try report.readInt32("the child ended without reporting getppid()")
        _ = try Children.reap(child)
        try expectEqual(ownPid, child.rawValue, "getpid() in the child")
        try expectEqual(parentPid, parent, "getppid() in the child")
    }

    /// FORK-3: the child sees the parent's pre-fork write; later writes stay in their own process.
    func childHasACopyOfMemory() throws {
        let cell = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        defer { cell.deallocate() }
        cell.pointee = 1
        let toChild = try Pipe()
        let toParent = try Pipe()
        let child = try forkRunning {
            toParent.write(cell.pointee)  // expected 1: written by the parent before fork
            cell.pointee = 2
            toParent.write(0)  // "I have written 2"
            _ = try? toChild.readInt32("")  // wait for the parent's own write
            toParent.write(cell.pointee)  // expected 2: the parent's 3 is not visible here
        }
        toChild.closeReadEnd()
        toParent.closeWriteEnd()
        let seenAtStart = try toParent.readInt32("the child ended without reporting what it saw after fork")
        _ = try toParent.readInt32("the child ended before writing to its memory")
        let seenByParent = cell.pointee
        cell.pointee = 3
        toChild.write(0)
        let seenAtEnd = try toParent.readInt32("the child ended before its last report")
        _ = try Children.reap(child)
        try expectEqual(seenAtStart, 1, "the value the child read, written by the parent before fork")
        try expectEqual(seenByParent, 1, "the value the parent read after the child wrote 2")
        try expectEqual(seenAtEnd, 2, "the value the child read after the parent wrote 3")
    }

    /// FORK-4: fork returns in the parent while the child is blocked, and the child runs while the
    /// parent is blocked.
    func parentAndChildRunIndependently() throws {
        let toChild = try Pipe()
        let toParent = try Pipe()
        step("calling fork() while the child will block reading a pipe the parent writes only after fork returns")
        let child = try forkRunning {
            toChild.closeWriteEnd()
            _ = try? toChild.readInt32("")  // blocked until the parent acts
            toParent.write(7)
        }
        toChild.closeReadEnd()
        toParent.closeWriteEnd()
        toChild.write(1)
        step("parent blocked reading until the child answers")
        let answer = try toParent.readInt32("the child ended without answering")
        _ = try Children.reap(child)
        try expectEqual(answer, 7, "the child's answer")
    }

    /// FORK-5: with RLIMIT_NPROC at 0, fork throws EAGAIN and creates no child. Root is exempt from
    /// the limit, so the check process first becomes the unprivileged user 65534 (nobody).
    func failsWithEAGAINAtTheProcessLimit() throws {
        if getuid() == 0 {
            guard setgroups(0, nil) == 0, setgid(65534) == 0, setuid(65534) == 0 else {
                throw CheckFailure.setup("setuid(65534)", .current)
            }
            _ = cs_set_dumpable(1)  // keep /proc/self readable for the hygiene record
            note("checked as user 65534 (nobody): root is exempt from RLIMIT_NPROC")
        } else {
            note("checked as user \(getuid())")
        }
        if cs_set_process_limit(0) != 0 {
            throw CheckFailure.setup("setrlimit(RLIMIT_NPROC)", .current)
        }
        let caller = Glibc.getpid()
        step("calling fork() with RLIMIT_NPROC at 0")
        do {
            let result = try implementation.fork()
            if Glibc.getpid() != caller { _exit(0) }
            throw CheckFailure("fork() at the process limit", expected: "throws EAGAIN", actual: "returned \(result)")
        } catch let error as Errno {
            try expectEqual(error, .resourceTemporarilyUnavailable, "the error fork() threw at the process limit")
        }
        try expectTrue(Children.poll(.anyChild) == .failure(.noChildProcess),
                       "fork() threw but a child was created anyway")
    }

    /// FORK-6: the child writes through an inherited descriptor; the parent's write lands after it.
    func childSharesDescriptors() throws {
        let file = cs_memfd_create("FORK-6")
        guard file >= 0 else { throw CheckFailure.setup("memfd_create", .current) }
        defer { close(file) }
        let report = try Pipe()
        let child = try forkRunning {
            report.write(Int32(Glibc.write(file, "child\n", 6)))
        }
        report.closeWriteEnd()
        let written = try report.readInt32("the child ended without reporting: was the descriptor inherited?")
        _ = try Children.reap(child)
        try expectEqual(written, 6, "bytes the child wrote to the inherited descriptor")
        _ = Glibc.write(file, "parent\n", 7)
        var bytes = [UInt8](repeating: 0, count: 64)
        let count = pread(file, &bytes, bytes.count, 0)
        try expectEqual(String(decoding: bytes.prefix(max(0, count)), as: UTF8.self), "child\nparent\n",
                        "the file after the child's write and then the parent's")
    }

    /// FORK-7: a stdio buffer filled before fork is flushed by both processes' normal exit.
    func unflushedOutputIsCopied() throws {
        let output = try Pipe()
        guard let stream = fdopen(dup(output.writeEnd), "w") else { throw CheckFailure.setup("fdopen", .current) }
        setvbuf(stream, nil, _IOFBF, 4096)
        fputs("hello ", stream)
        let child = try forkRunning {
            exit(0)  // flushes the child's copy of the buffer
        }
        fclose(stream)
        output.closeWriteEnd()
        let text = try output.readToEnd()
        _ = try Children.reap(child)
        try expectEqual(text, "hello hello ", "what parent and child wrote together")
    }
}
