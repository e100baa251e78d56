/// The state letter of a process, the third field of `/proc/<pid>/stat` (proc(5)) and the first
/// letter of `ps`'s STAT column.
public enum ProcessState: String, Hashable, Codable, Sendable {
    /// `R`: running or runnable (运行态 / 就绪态).
    case running = "R"
    /// `S`: sleeping, interruptible (等待态).
    case sleeping = "S"
    /// `D`: waiting uninterruptibly, usually for disk IO.
    case diskSleep = "D"
    /// `T`: stopped by a signal.
    case stopped = "T"
    /// `t`: stopped by a debugger.
    case tracingStop = "t"
    /// `Z`: ended but not yet reaped by its parent (僵尸).
    case zombie = "Z"
    /// `X`: dead, being removed.
    case dead = "X"
    /// `I`: an idle kernel thread.
    case idle = "I"
}
