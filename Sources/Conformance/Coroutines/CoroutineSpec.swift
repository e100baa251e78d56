import CSystem
import Glibc

/// The checks of COROUTINE-1 ... COROUTINE-9 against an implementation of `CoroutineAPI`. The
/// stack checks read the kernel's view of the process (`/proc/self/task`, `/proc/PID/maps`) and
/// overflow a stack in a child the check forks.
public struct CoroutineSpec<Implementation: CoroutineAPI>: Spec {
    public static var concept: String { "coroutine" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("COROUTINE-1", aNewCoroutineRunsNothingUntilSwitchedTo),
            Check("COROUTINE-2", switchCarriesValuesAndKeepsTheContext),
            Check("COROUTINE-3", theResultGoesToTheParent),
            Check("COROUTINE-4", anEscapingErrorIsThrownInTheParent),
            Check("COROUTINE-5", throwRaisesWhereTheCoroutinePaused),
            Check("COROUTINE-6", throwIntoAnUnstartedCoroutineRunsNothing),
            Check("COROUTINE-7", misuseIsACoroutineError),
            Check("COROUTINE-8", tenThousandCoroutinesOnOneThread),
            Check("COROUTINE-9", anOverflowFaultsInTheGuardPage),
        ]
    }

    private typealias Coroutine = Implementation.Coroutine

    private func coroutine(stackSize: Int? = nil, _ body: @escaping (Any?) throws -> Any?) -> Coroutine {
        implementation.coroutine(stackSize: stackSize, body)
    }

    /// COROUTINE-1: creating a coroutine runs nothing; it is neither active nor dead and its parent is
    /// current(); switch(7) runs the function once with 7, on the check's thread, with current()
    /// the coroutine inside; current() is one object.
    func aNewCoroutineRunsNothingUntilSwitchedTo() throws {
        let main = implementation.current()
        try expectTrue(implementation.current() === main, "current() returned two different objects on one thread")
        var received: [Int?] = [], insideCurrent: Coroutine?, insideThread: pthread_t?
        step("coroutine { record the value, current() and the thread }")
        let coroutine = coroutine { value in
            received.append(value as? Int)
            insideCurrent = implementation.current()
            insideThread = pthread_self()
            return nil
        }
        try expectEqual(received, [], "the values the function was called with before any switch")
        try expectEqual(coroutine.isActive, false, "isActive of a new coroutine")
        try expectEqual(coroutine.isDead, false, "isDead of a new coroutine")
        try expectTrue(coroutine.parent === main, "the parent of a new coroutine is not the coroutine that made it")
        step("switch(7)")
        _ = try coroutine.switch(7)
        try expectEqual(received, [7], "the values the function was called with after switch(7)")
        try expectTrue(insideCurrent === coroutine, "current() inside the function is not the coroutine running it")
        try expectTrue(insideThread.map { pthread_equal($0, pthread_self()) != 0 } ?? false,
                       "the function ran on another thread than the one that switched to it")
        try expectTrue(implementation.current() === main, "current() after the coroutine ended is not the main coroutine")
    }

    /// COROUTINE-2: a coroutine doubles its first value into a local, switches back local + 1, is
    /// resumed with 5 and switches back local + 5, is resumed with 99 and returns it.
    func switchCarriesValuesAndKeepsTheContext() throws {
        let main = implementation.current()
        let coroutine = coroutine { first in
            let local = (first as? Int ?? -1) * 2
            let second = try main.switch(local + 1)
            return try main.switch(local + (second as? Int ?? -1000))
        }
        try expectEqual(try coroutine.switch(10) as? Int, 21, "switch(10) to a coroutine that switches back local + 1 (local = 20)")
        try expectEqual(coroutine.isActive, true, "isActive of a paused coroutine")
        try expectEqual(coroutine.isDead, false, "isDead of a paused coroutine")
        try expectEqual(try coroutine.switch(5) as? Int, 25, "switch(5) resuming it, which switches back local + 5")
        try expectEqual(try coroutine.switch(99) as? Int, 99, "switch(99) resuming it, which returns what its switch returned")
        try expectEqual(coroutine.isDead, true, "isDead after the function returned")
        try expectEqual(coroutine.isActive, false, "isActive after the function returned")
    }

    /// COROUTINE-3: a pauses; b (parent a) is switched to from the main coroutine and returns "b 3":
    /// that lands in a's pending switch, a returns "a got b 3" to its parent, the main coroutine.
    /// Then switch(8) to the dead b goes to a (dead too) and to main: 8 comes back at once.
    func theResultGoesToTheParent() throws {
        let main = implementation.current()
        let a = coroutine { _ in "a got \(try main.switch("a paused") ?? "nil")" }
        try expectEqual(try a.switch(nil) as? String, "a paused", "switch to a, which switches back")
        let b = coroutine { value in "b \(value ?? "nil")" }
        try b.setParent(a)
        try expectEqual(try b.switch(3) as? String, "a got b 3",
                        "switch(3) from main to b (parent a), which returns: its result resumes a, which returns it to main")
        try expectEqual(b.isDead, true, "isDead of b")
        try expectEqual(a.isDead, true, "isDead of a")
        try expectEqual(try b.switch(8) as? Int, 8, "switch(8) to the dead b, whose parents lead to main")
    }

    /// COROUTINE-4: a coroutine that throws at once, and one that throws after being resumed: each
    /// error comes out of the parent's switch, and the coroutine is dead.
    func anEscapingErrorIsThrownInTheParent() throws {
        let main = implementation.current()
        let atOnce = coroutine { _ in throw Boom(4) }
        try expectThrowsAny(Boom(4), "switch to a coroutine whose function throws") { try atOnce.switch(nil) }
        try expectEqual(atOnce.isDead, true, "isDead after its function threw")
        let later = coroutine { _ in
            _ = try main.switch("paused")
            throw Boom(5)
        }
        _ = try later.switch(nil)
        try expectThrowsAny(Boom(5), "switch resuming a coroutine that then throws") { try later.switch(nil) }
        try expectEqual(later.isDead, true, "isDead after its function threw")
    }

    /// COROUTINE-5: throw(Boom(6)) into a coroutine that catches it returns what it returns;
    /// throw(Boom(7)) into one that does not comes out in the parent; throw(CoroutineExit()) ends a
    /// coroutine with a `defer`, which runs, and returns the CoroutineExit.
    func throwRaisesWhereTheCoroutinePaused() throws {
        let main = implementation.current()
        let catching = coroutine { _ in
            do { _ = try main.switch("paused") } catch let boom as Boom { return "caught \(boom.number)" }
            return "nothing was thrown"
        }
        _ = try catching.switch(nil)
        try expectEqual(try catching.throw(Boom(6)) as? String, "caught 6", "throw(Boom(6)) into a coroutine that catches it")
        let notCatching = coroutine { _ in try main.switch("paused") }
        _ = try notCatching.switch(nil)
        try expectThrowsAny(Boom(7), "throw(Boom(7)) into a coroutine that does not catch it") { try notCatching.throw(Boom(7)) }
        try expectEqual(notCatching.isDead, true, "isDead after the thrown error ended it")
        var cleanedUp = false
        let killed = coroutine { _ in
            defer { cleanedUp = true }
            _ = try main.switch("paused")
            return "resumed"
        }
        _ = try killed.switch(nil)
        step("throw(CoroutineExit()) into a coroutine paused inside a defer's scope")
        let value = try killed.throw(CoroutineExit())
        try expectEqual(value as? CoroutineExit, CoroutineExit(), "the value throw(CoroutineExit()) returned")
        try expectEqual(cleanedUp, true, "whether the killed coroutine's defer ran")
        try expectEqual(killed.isDead, true, "isDead after CoroutineExit ended it")
    }

    /// COROUTINE-6: throw(Boom(8)) into a coroutine never switched to throws Boom(8) here, and
    /// throw(CoroutineExit()) returns the CoroutineExit; neither function runs; both are dead.
    func throwIntoAnUnstartedCoroutineRunsNothing() throws {
        var ran = false
        let thrownInto = coroutine { _ in ran = true; return nil }
        try expectThrowsAny(Boom(8), "throw(Boom(8)) into a coroutine that has not started") { try thrownInto.throw(Boom(8)) }
        try expectEqual(thrownInto.isDead, true, "isDead after throw into an unstarted coroutine")
        let killed = coroutine { _ in ran = true; return nil }
        try expectEqual(try killed.throw(CoroutineExit()) as? CoroutineExit, CoroutineExit(),
                        "throw(CoroutineExit()) into a coroutine that has not started")
        try expectEqual(killed.isDead, true, "isDead after CoroutineExit into an unstarted coroutine")
        try expectEqual(ran, false, "whether a function ran after throw into its unstarted coroutine")
    }

    /// COROUTINE-7: b's parent is a; a.setParent(b) and a.setParent(a) throw .cyclicParent and
    /// leave a's parent; a switch to a from a check thread throws .otherThread and a does not
    /// start, as does a switch from a second check thread to a coroutine the first (ended) made;
    /// main's parent is nil and main.switch(42) returns 42.
    func misuseIsACoroutineError() throws {
        let main = implementation.current()
        let a = coroutine { _ in "a ran" }
        let b = coroutine { _ in "b ran" }
        try b.setParent(a)
        try expectThrows(CoroutineError.cyclicParent, "a.setParent(b) where b's parent is a") { () throws(CoroutineError) in try a.setParent(b) }
        try expectThrows(CoroutineError.cyclicParent, "a.setParent(a)") { () throws(CoroutineError) in try a.setParent(a) }
        try expectTrue(a.parent === main, "a's parent changed after a refused setParent")
        step("switch(1) to a from another thread")
        var otherThreadError: (any Error)?
        let other = try CheckThread {
            do { _ = try a.switch(1) } catch { otherThreadError = error }
        }
        other.join()
        try expectEqual(otherThreadError as? CoroutineError, .otherThread, "the error of a switch from another thread")
        try expectEqual(a.isActive || a.isDead, false, "whether a started after a switch from another thread")
        step("a coroutine made by a thread that has ended, switched to from the next thread (glibc reuses the ended one's pthread_t)")
        var orphan: Coroutine?
        try CheckThread { orphan = coroutine { _ in "ran after its thread ended" } }.join()
        var nextThreadError: (any Error)?
        try CheckThread {
            do { _ = try orphan?.switch(nil) } catch { nextThreadError = error }
        }.join()
        try expectEqual(nextThreadError as? CoroutineError, .otherThread, "the error of a switch to a coroutine of a thread that has ended")
        try expectTrue(main.parent == nil, "the main coroutine has a parent")
        try expectEqual(try main.switch(42) as? Int, 42, "switch(42) to the current coroutine")
        try expectEqual(try a.switch(nil) as? String, "a ran", "switch to a from its own thread")
    }

    /// COROUTINE-8: 10,000 coroutines (64 KiB stacks) each descend 10 frames and pause at the
    /// bottom, switching back what their frames computed; the thread count of the process after
    /// 100 and after all is what it was with the first one paused (an implementation may start a
    /// helper thread once, not one per coroutine); resumed in reverse order, each returns what its
    /// own frames hold plus the value sent.
    func tenThousandCoroutinesOnOneThread() throws {
        let main = implementation.current()
        var threads = 0
        let count = 10_000, depth = 10
        var paused: [Coroutine] = []
        step("start \(count) coroutines, each paused \(depth) frames deep")
        for index in 0..<count {
            let coroutine = coroutine(stackSize: 64 * 1024) { seed in
                try descend(depth, seed as? Int ?? -1) { bottom in bottom &+ (try main.switch(bottom) as? Int ?? -1) }
            }
            var expected = 0
            _ = descend(depth, index) { bottom in expected = bottom; return 0 }
            try expectEqual(try coroutine.switch(index) as? Int, expected, "what coroutine \(index) switched back from the bottom")
            paused.append(coroutine)
            if index == 0 { threads = ProcFS.threads(of: getpid()).count }
            if index == 99 || index == count - 1 {
                try expectEqual(ProcFS.threads(of: getpid()).count, threads,
                                "the threads of the process with \(index + 1) coroutines paused (with the first one paused: \(threads))")
            }
        }
        step("resume them in reverse order")
        for index in stride(from: count - 1, through: 0, by: -1) {
            let sent = 1_000_000 + index
            let result = try paused[index].switch(sent)
            try expectEqual(result as? Int, descend(depth, index) { $0 &+ sent }, "what coroutine \(index) returned when resumed")
            try expectEqual(paused[index].isDead, true, "isDead of coroutine \(index) after it returned")
        }
    }

    /// COROUTINE-9: in a child, a coroutine with a 64 KiB stack sends the address of one of its
    /// locals, then recurses for ever; a SIGSEGV handler on an alternate stack sends the faulting
    /// address. That address must lie in a mapping with no access (`---p` in /proc/PID/maps) that
    /// ends where the mapping holding the coroutine's local begins.
    func anOverflowFaultsInTheGuardPage() throws {
        let report = try Pipe()
        let child = try Children.fork {
            report.closeReadEnd()
            if cs_report_segfault_address(report.writeEnd) != 0 { return 2 }
            let coroutine = coroutine(stackSize: 64 * 1024) { _ in
                var local = 0
                report.writeAddress(UInt64(UInt(bitPattern: withUnsafeMutablePointer(to: &local) { $0 })))
                return overflow(0)
            }
            _ = try? coroutine.switch(nil)
            return 3
        }
        var reaped = false
        defer {
            if !reaped {
                _ = try? Children.kill(child, .kill)
                _ = try? Children.reap(child)
            }
        }
        report.closeWriteEnd()
        /// The child ended before writing: how, for the message.
        func ended() throws -> String {
            reaped = true
            return "\(try Children.reap(child))"
        }
        guard let local = try? report.readAddress("") else {
            throw CheckFailure("the child ended (\(try ended())) before its coroutine reported the address of a local")
        }
        step("recursing for ever on the coroutine's stack")
        guard let fault = try? report.readAddress("") else {
            throw CheckFailure("the recursion did not fault on a page the handler could report: the child ended (\(try ended()))")
        }
        let maps = try ProcFS.mappings(of: child.rawValue)
        guard let stack = maps.first(where: { $0.range.contains(local) }) else {
            throw CheckFailure.setup("finding the coroutine's stack in /proc/\(child)/maps", .invalidArgument)
        }
        let hex = { (address: UInt64) in "0x" + String(address, radix: 16) }
        guard let faulted = maps.first(where: { $0.range.contains(fault) }) else {
            throw CheckFailure("the overflow faulted at \(hex(fault)), in no mapping: the recursion ran off the bottom of the stack (\(hex(stack.range.lowerBound))...) into unmapped memory")
        }
        try expectEqual(faulted.permissions, "---p", "the permissions of the mapping the overflow faulted in, at \(hex(fault))")
        try expectEqual(hex(faulted.range.upperBound), hex(stack.range.lowerBound),
                        "the end of the inaccessible mapping the overflow faulted in, beside the start of the coroutine's stack")
    }

    private struct Boom: Error, Equatable {
        let number: Int
        init(_ number: Int) { self.number = number }
    }

    /// Runs `call`, which must throw `error` (of any error type); throws a failure naming `what` when
    /// it returns or throws another error.
    private func expectThrowsAny<Failure: Error & Equatable>(_ error: Failure, _ what: String, _ call: () throws -> Any?) throws {
        let value: Any?
        do {
            value = try call()
        } catch let thrown {
            try expectEqual(describe(thrown), describe(error), "the error \(what) threw")
            return
        }
        throw CheckFailure("\(what) returned instead of throwing", expected: "throws \(error)", actual: "returned \(describe(value as Any))")
    }
}

/// Recurses `depth` frames, each with a local computed from the one above, calls `bottom` with the
/// last, and adds every frame's local to its result on the way back up.
private func descend(_ depth: Int, _ seed: Int, bottom: (Int) throws -> Int) rethrows -> Int {
    let local = seed &* 31 &+ depth
    if depth == 0 { return try bottom(local) }
    return try descend(depth - 1, local, bottom: bottom) &+ local
}

/// Recurses until the stack runs out, each frame holding 64 bytes of locals whose address goes to a
/// function the compiler cannot see into (`cs_keep`), so that no optimizer folds the frames away.
private func overflow(_ depth: Int) -> Int {
    var frame = (depth, depth, depth, depth, depth, depth, depth, depth)
    if depth == Int.max { return 0 }
    return withUnsafeMutablePointer(to: &frame) { locals in
        cs_keep(locals)
        return overflow(depth + 1) &+ locals.pointee.7
    }
}
