import Glibc

/// The checks of EXIT-1 ... EXIT-5 against an implementation of `ExitAPI`. Every exit happens in a
/// child the check forks itself; the check reads what the child left in pipes and its wait status.
public struct ExitSpec<Implementation: ExitAPI>: Spec {
    public static var concept: String { "exit" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("EXIT-1", exitImmediatelyReportsTheStatus),
            Check("EXIT-2", exitImmediatelySkipsHandlersAndBuffers),
            Check("EXIT-3", exitRunsHandlersAndFlushes),
            Check("EXIT-4", exitWithMessageWritesToStderr),
            Check("EXIT-5", onlyTheLowEightBitsReachTheParent),
        ]
    }

    /// EXIT-1: the parent's wait sees exited(n) for n in 7, 0, 255.
    func exitImmediatelyReportsTheStatus() throws {
        for code: CInt in [7, 0, 255] {
            step("child calling exitImmediately(\(code))")
            let child = try Children.fork { implementation.exitImmediately(code) }
            try expectEqual(try Children.reap(child), .exited(code: code), "status after exitImmediately(\(code))")
        }
    }

    /// EXIT-2: no atexit handler output, no buffered output.
    func exitImmediatelySkipsHandlersAndBuffers() throws {
        let (handler, buffered, status) = try endChild { implementation.exitImmediately(0) }
        try expectEqual(status, .exited(code: 0), "status after exitImmediately(0)")
        try expectEqual(handler, "", "what the atexit handler wrote")
        try expectEqual(buffered, "", "what reached the pipe from the stdio buffer")
    }

    /// EXIT-3: the handler ran, the buffer was flushed, the status is n.
    func exitRunsHandlersAndFlushes() throws {
        let (handler, buffered, status) = try endChild { implementation.exit(5) }
        try expectEqual(status, .exited(code: 5), "status after exit(5)")
        try expectEqual(handler, "handler ran", "what the atexit handler wrote")
        try expectEqual(buffered, "buffered", "what reached the pipe from the stdio buffer")
    }

    /// EXIT-4: message and newline on stderr, nothing on stdout, status 1.
    func exitWithMessageWritesToStderr() throws {
        let out = try Pipe()
        let err = try Pipe()
        step("child calling exit(message: \"bye 再见\")")
        let child = try Children.fork {
            dup2(out.writeEnd, 1)
            dup2(err.writeEnd, 2)
            implementation.exit(message: "bye 再见")
        }
        out.closeWriteEnd()
        err.closeWriteEnd()
        let stdout = try out.readToEnd()
        let stderr = try err.readToEnd()
        try expectEqual(try Children.reap(child), .exited(code: 1), "status after exit(message:)")
        try expectEqual(stderr, "bye 再见\n", "what reached stderr")
        try expectEqual(stdout, "", "what reached stdout")
    }

    /// EXIT-5: 259 is seen as 3 and -1 as 255, for both ways of exiting.
    func onlyTheLowEightBitsReachTheParent() throws {
        for (code, seen): (CInt, CInt) in [(259, 3), (-1, 255)] {
            step("child calling exitImmediately(\(code))")
            let quick = try Children.fork { implementation.exitImmediately(code) }
            try expectEqual(try Children.reap(quick), .exited(code: seen), "status after exitImmediately(\(code))")
            step("child calling exit(\(code))")
            let normal = try Children.fork { implementation.exit(code) }
            try expectEqual(try Children.reap(normal), .exited(code: seen), "status after exit(\(code))")
        }
    }

    /// Forks a child that registers an atexit handler writing to one pipe, leaves "buffered" in a
    /// stdio buffer of another, and then runs `end`; returns what each pipe got and the status.
    private func endChild(_ end: @escaping () -> Never) throws -> (String, String, WaitStatus) {
        let handlerPipe = try Pipe()
        let bufferPipe = try Pipe()
        step("child leaving output in an atexit handler and a stdio buffer, then exiting")
        let child = try Children.fork {
            atexitDescriptor = handlerPipe.writeEnd
            atexit { _ = write(atexitDescriptor, "handler ran", 11) }
            guard let stream = fdopen(bufferPipe.writeEnd, "w") else { return 125 }
            setvbuf(stream, nil, _IOFBF, 4096)
            fputs("buffered", stream)
            end()
        }
        handlerPipe.closeWriteEnd()
        bufferPipe.closeWriteEnd()
        let handler = try handlerPipe.readToEnd()
        let buffered = try bufferPipe.readToEnd()
        return (handler, buffered, try Children.reap(child))
    }
}

/// Where the atexit handler of `ExitSpec` writes; set only in the child that registers it.
nonisolated(unsafe) private var atexitDescriptor: CInt = -1
