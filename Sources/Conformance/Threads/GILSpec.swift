import Glibc

/// The checks of GIL-1 ... GIL-4 against an implementation of `GILAPI`. The threads are the check's
/// own (`CheckThread`), and what they do at once is seen through the check's own mutex
/// (`Occupancy`), barrier and pipes, so no check trusts a lock of the implementation. Nothing is
/// proven by how fast it went: only GIL-4 measures, and only a lower bound.
public struct GILSpec<Implementation: GILAPI>: Spec {
    public static var concept: String { "gil" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("GIL-1", interpretedWorkRunsOneThreadAtATime),
            Check("GIL-2", blockingCallsReleaseTheGIL),
            Check("GIL-3", checkpointsHandTheGILOver),
            Check("GIL-4", askingWaitsASwitchInterval),
        ]
    }

    /// A switch interval of 0.5 ms, so that the GIL changes hands often during a check.
    private static var shortInterval: Double { 0.0005 }

    /// One tick of CPU-bound interpreted work, counted by `occupancy`: the thread yields the CPU
    /// (it never sleeps), the moment any other thread that could run interpreted work would start.
    private static func tick(_ occupancy: Occupancy) {
        occupancy.run { sched_yield() }
    }

    /// GIL-1: 4 threads start together from a barrier; each runs 2 interpreted sections of 200
    /// ticks, with checkpoint() after each tick, so the GIL changes hands at the ends of sections
    /// and at checkpoints. At most 1 thread was ever counted inside a tick, and all 1600 ran.
    func interpretedWorkRunsOneThreadAtATime() throws {
        let interpreter = implementation.interpreter(switchInterval: Self.shortInterval)
        let occupancy = Occupancy()
        let start = try Barrier(4)
        step("4 threads × 2 interpreted sections × 200 ticks, switch interval 0.5 ms")
        let threads = try (0..<4).map { _ in
            try CheckThread {
                start.wait()
                for _ in 0..<2 {
                    interpreter.interpreted {
                        for _ in 0..<200 {
                            Self.tick(occupancy)
                            interpreter.checkpoint()
                        }
                    }
                }
            }
        }
        for thread in threads { thread.join() }
        try expectEqual(occupancy.finished, 1600, "the ticks run by 4 threads × 2 sections × 200")
        try expectEqual(occupancy.maximum, 1, "the most threads seen running interpreted work at once")
    }

    /// GIL-2: 4 threads each enter an interpreted section and wait inside blocking { } at the
    /// check's barrier of 4, which opens only when all 4 are in their calls at once (else the check
    /// times out); then each runs 200 counted ticks with checkpoints: at most 1 at once.
    func blockingCallsReleaseTheGIL() throws {
        let interpreter = implementation.interpreter(switchInterval: Self.shortInterval)
        let occupancy = Occupancy()
        let meeting = try Barrier(4)
        step("4 threads in interpreted sections meeting at a barrier of 4 inside blocking { }, then ticking")
        let threads = try (0..<4).map { _ in
            try CheckThread {
                interpreter.interpreted {
                    interpreter.blocking { meeting.wait() }
                    for _ in 0..<200 {
                        Self.tick(occupancy)
                        interpreter.checkpoint()
                    }
                }
            }
        }
        for thread in threads { thread.join() }
        try expectEqual(occupancy.finished, 800, "the ticks run after the blocking calls")
        try expectEqual(occupancy.maximum, 1, "the most threads seen running interpreted work at once after their blocking calls")
    }

    /// A thread that enters an interpreted section and loops in checkpoint() until `flag` is
    /// readable; returns once it is inside the section.
    private func tickingHolder(_ interpreter: Implementation.Interpreter, until flag: Pipe) throws -> CheckThread {
        let inside = try Pipe()
        let holder = try CheckThread {
            interpreter.interpreted {
                inside.write(1)
                while !flag.isReadable() { interpreter.checkpoint() }
            }
        }
        _ = try inside.readInt32("the holding thread ended before its loop")
        return holder
    }

    /// GIL-3: a thread holds the GIL looping in checkpoint() until the check's pipe is readable;
    /// another thread runs interpreted { write to the pipe }. Both end only if the holder handed
    /// the GIL over at a checkpoint and took it back.
    func checkpointsHandTheGILOver() throws {
        let interpreter = implementation.interpreter(switchInterval: Self.shortInterval)
        let flag = try Pipe()
        let holder = try tickingHolder(interpreter, until: flag)
        step("another thread enters interpreted { } to set the flag the holder loops on")
        try CheckThread { interpreter.interpreted { flag.write(1) } }.join()
        step("waiting for the holder to take the GIL back and see the flag")
        holder.join()
    }

    /// GIL-4: with a switch interval of 0.5 s (far above how late a busy machine schedules a
    /// thread), a thread holds the GIL looping in checkpoint() as in GIL-3; another thread's
    /// interpreted { } begins at least 0.5 s after it was called.
    func askingWaitsASwitchInterval() throws {
        let interpreter = implementation.interpreter(switchInterval: 0.5)
        let flag = try Pipe()
        let holder = try tickingHolder(interpreter, until: flag)
        step("another thread enters interpreted { } while the holder ticks, switch interval 0.5 s")
        var waited = Duration.zero
        try CheckThread {
            let called = ContinuousClock.now
            interpreter.interpreted {
                waited = ContinuousClock.now - called
                flag.write(1)
            }
        }.join()
        holder.join()
        try expectTrue(waited >= .milliseconds(500), "interpreted { } began \(waited) after it was called, within the switch interval of 0.5 s")
    }
}
