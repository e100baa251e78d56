import Conformance

/// Your `os.wait()`, `os.waitpid(pid, options)` and the `os.WIF...` decoders (course: 孤儿和僵尸).
///
/// Rules WAIT-1 ... WAIT-10 (RULES.md). Grade just these: `make grade RULES=wait`.
/// `decode` is the bit exercise: see wait(2) for the layout of the status word.
public struct StudentWait: WaitAPI {
    public init() {}

    public func wait() throws(Errno) -> ChildStatus { notImplemented() }

    public func waitpid(_ pid: ProcessID, options: WaitOptions) throws(Errno) -> ChildStatus? { notImplemented() }

    public func decode(_ rawStatus: CInt) -> WaitStatus { notImplemented() }
}
