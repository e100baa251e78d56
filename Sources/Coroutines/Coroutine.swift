import CSystem
import Conformance
import Glibc
import Syscalls

/// A stackful coroutine: Python's `greenlet.greenlet` (course: greenlet模块, day6/greenlet_0.py).
///
/// Each coroutine has a stack of its own (`CoroutineStack`); `switch` saves the registers of the
/// running one on its stack and resumes another from its stack (`cs_coroutine_switch`, a few
/// instructions, no system call). All coroutines of a thread run on that thread, one at a time,
/// and only where they switch: 协程 is cooperative multitasking inside one thread.
///
/// A paused coroutine keeps itself alive (its frames hold it), as a paused thread would: end one
/// you no longer need with `throw(CoroutineExit())`, which runs its cleanup.
public final class Coroutine: CoroutineObject {
    /// The default stack: 256 KiB of address space, of which only the touched pages cost memory.
    public static let defaultStackSize = 256 * 1024

    private let body: ((Any?) throws -> Any?)?
    private let stackSize: Int
    @exclusivity(unchecked) private var stack: CoroutineStack?
    /// Where `cs_coroutine_switch` saves this coroutine's stack pointer while it is paused. A raw
    /// slot, not a stored property: a switch must not hold an access to a property of a class
    /// while another coroutine runs.
    fileprivate let savedStackPointer: UnsafeMutablePointer<UnsafeMutableRawPointer?> = {
        let slot = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: 1)
        slot.initialize(to: nil)
        return slot
    }()
    /// The coroutines of the thread it belongs to: a switch from any other thread is refused. The
    /// object, not a `pthread_t`, says which thread: glibc gives an ended thread's `pthread_t` to
    /// the next one. nil for a thread's main coroutine once the thread has ended.
    @exclusivity(unchecked) fileprivate var coroutines: ThreadCoroutines?
    @exclusivity(unchecked) public private(set) var parent: Coroutine?
    @exclusivity(unchecked) public private(set) var isStarted: Bool
    @exclusivity(unchecked) public fileprivate(set) var isDead = false

    /// `greenlet.greenlet(run)`: a coroutine of the current thread, not started, whose parent is
    /// the current coroutine.
    public init(stackSize: Int = Coroutine.defaultStackSize, _ body: @escaping (Any?) throws -> Any?) {
        self.body = body
        self.stackSize = stackSize
        let here = ThreadCoroutines.here
        coroutines = here
        parent = here.current
        isStarted = false
    }

    /// The main coroutine of the calling thread: its own stack, started, never dead, no parent.
    fileprivate init(main: ()) {
        body = nil
        stackSize = 0
        parent = nil
        isStarted = true
    }

    deinit { savedStackPointer.deallocate() }

    /// `greenlet.getcurrent()`.
    public static var current: Coroutine { ThreadCoroutines.here.current }

    /// `bool(g)`.
    public var isActive: Bool { isStarted && !isDead }

    public func `switch`(_ value: Any? = nil) throws -> Any? {
        return try owner().transfer(value: value, error: nil, to: self)
    }

    public func `throw`(_ error: any Error = CoroutineExit()) throws -> Any? {
        let here = try owner()
        if !isStarted || isDead {
            // Never started, or already ended: it dies where it is, and the error goes on to its
            // parent as if it had ended the coroutine (a CoroutineExit as the value).
            isDead = true
            return try here.transfer(Outcome(endingWith: error), to: parent!)
        }
        return try here.transfer(.error(error), to: self)
    }

    public func setParent(_ newParent: Coroutine) throws(CoroutineError) {
        guard let coroutines, newParent.coroutines === coroutines else { throw .otherThread }
        var ancestor: Coroutine? = newParent
        while let link = ancestor {
            if link === self { throw .cyclicParent }
            ancestor = link.parent
        }
        parent = newParent
    }

    /// The calling thread's coroutines, when this coroutine is one of them.
    private func owner() throws(CoroutineError) -> ThreadCoroutines {
        guard let coroutines, coroutines === ThreadCoroutines.existing else { throw .otherThread }
        return coroutines
    }

    /// Maps the stack and lays out the first frame, so that switching to it runs the function.
    fileprivate func prepare() throws(Errno) {
        let stack = try CoroutineStack(size: stackSize)
        self.stack = stack
        // The first function on the new stack. It holds only raw pointers when it switches away for
        // the last time, so the coroutine's objects are all released by then.
        savedStackPointer.pointee = cs_coroutine_prepare(stack.base, stack.size, { coroutine in
            let (from, to) = ThreadCoroutines.start(coroutine!)
            cs_coroutine_switch(from, to)
        }, Unmanaged.passUnretained(self).toOpaque())
        isStarted = true
    }

    /// Runs the body with the value of the first switch (unless an error came instead), and returns
    /// what goes to the parent.
    fileprivate func run(_ first: Outcome) -> Outcome {
        do {
            return .value(try body!(try first.get()))
        } catch {
            return Outcome(endingWith: error)
        }
    }

    /// Frees the stack of a coroutine that has ended; called on another stack.
    fileprivate func releaseStack() { stack = nil }
}

/// What one switch carries: a value, or an error to raise where the switch lands.
enum Outcome {
    case value(Any?)
    case error(any Error)

    /// How a coroutine ending with `error` hands it on: a `CoroutineExit` as a value.
    init(endingWith error: any Error) {
        self = error is CoroutineExit ? .value(error) : .error(error)
    }

    func get() throws -> Any? {
        switch self {
        case .value(let value): return value
        case .error(let error): throw error
        }
    }
}

/// The coroutines of one thread: its main coroutine, the running one, and what a switch carries.
final class ThreadCoroutines {
    /// The thread's own stack as a coroutine.
    let main: Coroutine
    @exclusivity(unchecked) private(set) var current: Coroutine
    /// What the switch in progress carries to the coroutine it lands in: a value, or an error.
    /// Two plain fields rather than an `Outcome`, and moved out with `swap`: a switch copies no
    /// more than it must.
    @exclusivity(unchecked) private var carriedValue: Any?
    @exclusivity(unchecked) private var carriedError: (any Error)?
    /// A coroutine that has just ended: its stack is freed once the switch off it is done.
    @exclusivity(unchecked) private var ended: Coroutine?

    private init() {
        main = Coroutine(main: ())
        current = main
        main.coroutines = self
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { state in
            // The thread ends: its main coroutine lets go of the coroutines (they held each other),
            // which live on while coroutines of the thread that are still referenced hold them.
            let coroutines = Unmanaged<ThreadCoroutines>.fromOpaque(state!).takeRetainedValue()
            coroutines.main.coroutines = nil
        }
        return key
    }()

    /// The calling thread's coroutines, if it has made any.
    static var existing: ThreadCoroutines? {
        pthread_getspecific(key).map { Unmanaged<ThreadCoroutines>.fromOpaque($0).takeUnretainedValue() }
    }

    /// The calling thread's coroutines, made on first use and released when the thread ends.
    static var here: ThreadCoroutines {
        if let state = pthread_getspecific(key) {
            return Unmanaged<ThreadCoroutines>.fromOpaque(state).takeUnretainedValue()
        }
        let state = ThreadCoroutines()
        pthread_setspecific(key, Unmanaged.passRetained(state).toOpaque())
        return state
    }

    /// Switches to `target` (to its first live parent when it is dead) carrying `outcome`, and
    /// returns, or throws, what the switch back to the caller carries.
    func transfer(_ outcome: Outcome, to target: Coroutine) throws -> Any? {
        switch outcome {
        case .value(let value): try transfer(value: value, error: nil, to: target)
        case .error(let error): try transfer(value: nil, error: error, to: target)
        }
    }

    /// `transfer` carrying `value`, or `error` when it is not nil.
    func transfer(value: Any?, error: (any Error)?, to target: Coroutine) throws -> Any? {
        guard let (from, to) = try stackPointers(value, error, to: target) else { return try received() }
        cs_coroutine_switch(from, to)
        releaseEndedStack()
        return try received()
    }

    /// The stack pointers of a switch from the current coroutine to `target`'s first live one, or
    /// nil when that is the current one. Only raw pointers: the paused caller holds no object.
    private func stackPointers(_ value: Any?, _ error: (any Error)?, to target: Coroutine) throws(Errno) -> StackPointers? {
        unowned(unsafe) let from = current
        unowned(unsafe) let to = try land(value, error, on: target)
        return to === from ? nil : (from.savedStackPointer, to.savedStackPointer.pointee)
    }

    /// Makes the first live coroutine from `target` up its parents current, carrying `value` or
    /// `error`, starting it if it has not started.
    fileprivate func land(_ value: Any?, _ error: (any Error)?, on target: Coroutine) throws(Errno) -> Coroutine {
        unowned(unsafe) var to = target
        while to.isDead { to = to.parent! }
        if !to.isStarted { try to.prepare() }
        carriedValue = value
        carriedError = error
        current = to
        return to
    }

    fileprivate func land(_ outcome: Outcome, on target: Coroutine) throws(Errno) -> Coroutine {
        switch outcome {
        case .value(let value): try land(value, nil, on: target)
        case .error(let error): try land(nil, error, on: target)
        }
    }

    /// On the stack just switched to: frees the stack of a coroutine that ended.
    private func releaseEndedStack() {
        if let ended {
            ended.releaseStack()
            self.ended = nil
        }
    }

    /// Takes what the switch carried: returns the value or throws the error.
    private func received() throws -> Any? {
        if let error = carriedError {
            carriedError = nil
            carriedValue = nil
            throw error
        }
        var value: Any? = nil
        swap(&value, &carriedValue)
        return value
    }

    /// On a fresh stack: what the first switch carried.
    fileprivate func arrived() -> Outcome {
        releaseEndedStack()
        do { return .value(try received()) } catch { return .error(error) }
    }

    /// Ends the current coroutine: it is dead, and its result goes to its first live parent. Returns
    /// the two stack pointers of the last switch, so that nothing of Swift is held across it.
    fileprivate func end(with outcome: Outcome) -> StackPointers {
        let dying = current
        dying.isDead = true
        ended = dying
        let to: Coroutine
        do {
            to = try land(outcome, on: dying.parent!)
        } catch {
            // The parent had not started, and no stack could be mapped for it: the error goes to the
            // thread's main coroutine, which is always started.
            to = try! land(.error(error), on: main)
        }
        return (dying.savedStackPointer, to.savedStackPointer.pointee)
    }

    /// The body of a fresh stack: runs the coroutine, then switches to its parent for good.
    fileprivate static func start(_ coroutine: UnsafeMutableRawPointer) -> StackPointers {
        let here = ThreadCoroutines.here
        let first = here.arrived()
        let result = Unmanaged<Coroutine>.fromOpaque(coroutine).takeUnretainedValue().run(first)
        return here.end(with: result)
    }
}

/// Where a switch saves the running coroutine's stack pointer, and the stack pointer it loads.
typealias StackPointers = (from: UnsafeMutablePointer<UnsafeMutableRawPointer?>, to: UnsafeMutableRawPointer?)

/// Makes the reference coroutines for the spec.
public struct CoroutineFactory: CoroutineAPI {
    public init() {}

    public func coroutine(stackSize: Int?, _ body: @escaping (Any?) throws -> Any?) -> Coroutine {
        Coroutine(stackSize: stackSize ?? Coroutine.defaultStackSize, body)
    }

    public func current() -> Coroutine { Coroutine.current }
}
