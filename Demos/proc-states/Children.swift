import CSystem
import Conformance
import Glibc
import Processes

/// Something the demo waited for did not happen.
struct DemoFailure: Error, CustomStringConvertible {
    let description: String
}

/// Forks a child named `name` (prctl(PR_SET_NAME), what ps and pstree show) that runs `body`.
///
/// `body` must never return, and may only make async-signal-safe calls (pause, read, setsid,
/// _exit ...): the child of a fork has only the forking thread, and a lock another thread held
/// (the allocator's, the Swift runtime's) would stay locked in it forever. `name` is a literal, so
/// setting it allocates nothing. Unless `outlivesParent`, the child is killed when its parent ends
/// (prctl(PR_SET_PDEATHSIG)), so an interrupted demo leaves no paused child behind.
func spawn(_ name: StaticString, outlivesParent: Bool = false, _ body: () -> Never) throws(Errno) -> ProcessID {
    switch try Fork().fork() {
    case .child:
        if !outlivesParent { _ = cs_set_parent_death_signal(SIGKILL) }
        _ = cs_set_process_name(UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self))
        body()
    case .parent(let child):
        return child
    }
}

/// Blocks in pause(2) for good: only a signal that kills ends it.
func pauseForever() -> Never {
    while true { pause() }
}

/// Asks `probe` every millisecond until it returns a value; throws naming `what` after 10 s
/// (a guard against a demo that would hang, not a measure: the states come at once).
func poll<Value>(_ what: @autoclosure () -> String, _ probe: () throws -> Value?) throws -> Value {
    let deadline = Deadline(after: 10)
    while true {
        if let value = try probe() { return value }
        guard !deadline.hasPassed else { throw DemoFailure(description: "\(what()) did not happen within 10 s") }
        usleep(1000)
    }
}

/// Polls `pid`'s status until `reached` holds.
func awaitStatus(_ pid: ProcessID, _ what: String, _ reached: (ProcessStatus) -> Bool) throws -> ProcessStatus {
    try poll("pid \(pid) \(what)") {
        let status = try ProcessStates().status(of: pid)
        return reached(status) ? status : nil
    }
}

/// Polls the tree until `pid` has a child named `name`, and returns that child's pid.
func awaitChild(of pid: ProcessID, named name: String) throws -> ProcessID {
    try poll("a child \(name) under pid \(pid)") {
        try ProcessTrees().tree(of: pid).children.first { $0.name == name }?.pid
    }
}

/// Kills every process descended from this one with SIGKILL and reaps its children until none is
/// left. This process is a child subreaper, so a descendant whose parent ends becomes its child:
/// once waitpid reports ECHILD, no descendant remains.
func endEveryDescendant() {
    let me = Fork().getpid()
    while true {
        if let tree = try? ProcessTrees().tree(of: me) {
            for pid in tree.pids.dropFirst() { kill(pid.rawValue, SIGKILL) }
        }
        do {
            _ = try Wait().wait()
        } catch {
            return
        }
    }
}
