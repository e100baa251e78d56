import Conformance

/// A stackful coroutine: `greenlet.greenlet` (course: 第三方协程模块, greenlet模块, day6/greenlet_0.py).
///
/// Rules COROUTINE-1 ... COROUTINE-9 (RULES.md). Grade just these: `make grade RULES=coroutine`.
/// Hints: each coroutine needs a stack of its own (mmap, with a PROT_NONE guard page at the bottom)
/// and a switch that saves the callee-saved registers and the stack pointer of one stack and loads
/// another's: a C target of your own with 20 lines of assembly (see the kit's
/// Sources/CSystem/CoroutineSwitch.c). A thread per coroutine is what COROUTINE-8 rejects.
public final class StudentCoroutine: CoroutineObject {
    public func `switch`(_ value: Any?) throws -> Any? { notImplemented() }
    public func `throw`(_ error: any Error) throws -> Any? { notImplemented() }
    public var isDead: Bool { notImplemented() }
    public var isActive: Bool { notImplemented() }
    public var parent: StudentCoroutine? { notImplemented() }
    public func setParent(_ parent: StudentCoroutine) throws(CoroutineError) { notImplemented() }
}

/// Makes coroutines for the spec: `greenlet(run)` and `getcurrent()`.
public struct StudentCoroutines: CoroutineAPI {
    public init() {}

    public func coroutine(stackSize: Int?, _ body: @escaping (Any?) throws -> Any?) -> StudentCoroutine { notImplemented() }
    public func current() -> StudentCoroutine { notImplemented() }
}
