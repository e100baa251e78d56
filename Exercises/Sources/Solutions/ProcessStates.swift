import Conformance

/// A process's state as `ps` shows it: `/proc/<pid>/stat` and `/proc/<pid>/status` read into a
/// `ProcessStatus`, and the STAT column made from it (course: 进程状态, 状态查看命令 ps -aux).
///
/// Rules STATE-1 ... STATE-11 (RULES.md). Grade just these: `make grade RULES=states`.
public struct StudentProcessStates: ProcessStatesAPI {
    public init() {}

    public func status(of pid: ProcessID) throws(Errno) -> ProcessStatus { notImplemented() }

    public func statColumn(_ status: ProcessStatus) -> String { notImplemented() }
}
