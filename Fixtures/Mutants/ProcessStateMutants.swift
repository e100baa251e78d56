import Conformance
import Foundation
import Processes

/// A process-states implementation that is the reference except for the closures given.
struct ProcessStatesMutant: ProcessStatesAPI {
    var reading: (ProcessID) throws(Errno) -> ProcessStatus = { (pid) throws(Errno) in try ProcessStates().status(of: pid) }
    var formatting: (ProcessStatus) -> String = { ProcessStates().statColumn($0) }

    func status(of pid: ProcessID) throws(Errno) -> ProcessStatus { try reading(pid) }
    func statColumn(_ status: ProcessStatus) -> String { formatting(status) }
}

/// The reference's status with one change made by `edit`.
private func editedStatus(_ edit: @escaping (inout ProcessStatus) -> Void) -> ProcessStatesMutant {
    ProcessStatesMutant(reading: { (pid) throws(Errno) in
        var status = try ProcessStates().status(of: pid)
        edit(&status)
        return status
    })
}

/// The reference's STAT column for a status changed by `edit` first, so one flag is decided wrongly.
private func formattedAs(_ edit: @escaping (inout ProcessStatus) -> Void) -> ProcessStatesMutant {
    ProcessStatesMutant(formatting: { status in
        var changed = status
        edit(&changed)
        return ProcessStates().statColumn(changed)
    })
}

/// A process-tree implementation that is the reference except for the closures given.
struct ProcessTreeMutant: ProcessTreeAPI {
    var building: (ProcessID) throws(Errno) -> ProcessTree = { (pid) throws(Errno) in try ProcessTrees().tree(of: pid) }
    var drawing: (ProcessTree) -> String = { ProcessTrees().render($0) }

    func tree(of pid: ProcessID) throws(Errno) -> ProcessTree { try building(pid) }
    func render(_ tree: ProcessTree) -> String { drawing(tree) }
}

/// The reference's tree with every node's children chosen again by `keep`.
private func prunedTree(_ keep: @escaping (_ parent: ProcessTree, _ child: ProcessTree) -> Bool) -> ProcessTreeMutant {
    func prune(_ tree: ProcessTree) -> ProcessTree {
        ProcessTree(pid: tree.pid, name: tree.name, children: tree.children.filter { keep(tree, $0) }.map(prune))
    }
    return ProcessTreeMutant(building: { (pid) throws(Errno) in prune(try ProcessTrees().tree(of: pid)) })
}

private func status(_ pid: ProcessID) -> ProcessStatus? { try? ProcessStates().status(of: pid) }

/// Computed, so no mutable global is shared.
var processStateMutants: [Mutant] {
    [
        Mutant("status-parent-from-session", "reads the parent from the session field (6) instead of ppid (4)",
               rejectedBy: ["STATE-1": .fail],
               ProcessStatesSpec(editedStatus { $0.parent = ProcessID(rawValue: $0.session) })),
        Mutant("status-ready-is-sleeping", "reports R as S, as if a process waiting for a CPU were not running",
               rejectedBy: ["STATE-2": .fail],
               ProcessStatesSpec(editedStatus { if $0.state == .running { $0.state = .sleeping } })),
        Mutant("status-sleep-is-disk-sleep", "reports an interruptible sleep S as D",
               rejectedBy: ["STATE-3": .fail],
               ProcessStatesSpec(editedStatus { if $0.state == .sleeping { $0.state = .diskSleep } })),
        Mutant("status-stopped-is-sleeping", "reports a stopped process T as S",
               rejectedBy: ["STATE-4": .fail],
               ProcessStatesSpec(editedStatus { if $0.state == .stopped { $0.state = .sleeping } })),
        Mutant("status-gone-is-dead", "reports a reaped process as X instead of throwing ESRCH",
               rejectedBy: ["STATE-5": .fail],
               ProcessStatesSpec(ProcessStatesMutant(reading: { (pid) throws(Errno) in
                   do {
                       return try ProcessStates().status(of: pid)
                   } catch {
                       return ProcessStatus(pid: pid, name: "", state: .dead, parent: pid, processGroup: 0, session: 0,
                                            terminalForegroundGroup: -1, nice: 0, threads: 0, lockedKiB: 0)
                   }
               }))),
        Mutant("stat-nice-sign-reversed", "prints < for a positive nice value and N for a negative one",
               rejectedBy: ["STATE-6": .fail, "STATE-7": .fail], ProcessStatesSpec(formattedAs { $0.nice = -$0.nice })),
        Mutant("status-nice-from-priority", "reads the nice value from the priority field (18, 20 + nice)",
               rejectedBy: ["STATE-6": .fail, "STATE-7": .fail], ProcessStatesSpec(editedStatus { $0.nice += 20 })),
        Mutant("stat-no-session-flag", "never prints s", rejectedBy: ["STATE-8": .fail],
               ProcessStatesSpec(formattedAs { $0.session = -2 })),
        Mutant("stat-session-is-group", "prints s for a process group leader, not a session leader",
               rejectedBy: ["STATE-8": .fail, "STATE-10": .fail, "STATE-11": .fail],
               ProcessStatesSpec(formattedAs { $0.session = $0.processGroup })),
        Mutant("stat-one-thread-is-l", "prints l for a process with one thread", rejectedBy: ["STATE-9": .fail],
               ProcessStatesSpec(formattedAs { $0.threads += 1 })),
        Mutant("stat-any-terminal-is-plus", "prints + for every process with a terminal, in the foreground or not",
               rejectedBy: ["STATE-10": .fail],
               ProcessStatesSpec(formattedAs { if $0.terminalForegroundGroup != -1 { $0.processGroup = $0.terminalForegroundGroup } })),
        Mutant("stat-thread-flag-before-session", "prints l before s (SNls), not in ps's order",
               rejectedBy: ["STATE-11": .fail],
               ProcessStatesSpec(ProcessStatesMutant(formatting: { status in
                   let column = ProcessStates().statColumn(status)
                   return column.replacingOccurrences(of: "sl", with: "ls")
               }))),
        Mutant("stat-locked-memory-ignored", "never prints L", rejectedBy: ["STATE-11": .fail],
               ProcessStatesSpec(formattedAs { $0.lockedKiB = 0 })),
        Mutant("tree-without-children", "lists the process alone, without its children", rejectedBy: ["TREE-1": .fail],
               ProcessTreeSpec(prunedTree { _, _ in false })),
        Mutant("tree-is-the-process-group", "lists only children in their parent's process group, losing daemons",
               rejectedBy: ["TREE-2": .fail],
               ProcessTreeSpec(prunedTree { parent, child in status(parent.pid)?.processGroup == status(child.pid)?.processGroup })),
        Mutant("tree-one-level", "lists children but not grandchildren", rejectedBy: ["TREE-3": .fail],
               ProcessTreeSpec(ProcessTreeMutant(building: { (pid) throws(Errno) in
                   let tree = try ProcessTrees().tree(of: pid)
                   return ProcessTree(pid: tree.pid, name: tree.name, children: tree.children.map {
                       ProcessTree(pid: $0.pid, name: $0.name)
                   })
               }))),
        Mutant("tree-without-zombies", "leaves zombies out, unlike pstree", rejectedBy: ["TREE-3": .fail],
               ProcessTreeSpec(prunedTree { _, child in status(child.pid)?.state != .zombie })),
        Mutant("tree-missing-is-empty", "returns an empty tree for a pid that does not exist instead of throwing",
               rejectedBy: ["TREE-3": .fail],
               ProcessTreeSpec(ProcessTreeMutant(building: { pid in
                   (try? ProcessTrees().tree(of: pid)) ?? ProcessTree(pid: pid, name: "")
               }))),
        Mutant("render-fixed-indent", "indents children by two spaces instead of aligning them under their parent",
               rejectedBy: ["TREE-4": .fail],
               ProcessTreeSpec(ProcessTreeMutant(drawing: { tree in
                   func lines(_ tree: ProcessTree, _ depth: Int) -> [String] {
                       [String(repeating: "  ", count: depth) + "\(tree.name)(\(tree.pid))"]
                           + tree.children.flatMap { lines($0, depth + 1) }
                   }
                   return lines(tree, 0).map { $0 + "\n" }.joined()
               }))),
        Mutant("render-only-child-branches", "draws an only child with -+- and `- as if it had siblings",
               rejectedBy: ["TREE-4": .fail],
               ProcessTreeSpec(ProcessTreeMutant(drawing: { tree in
                   ProcessTrees().render(tree).replacingOccurrences(of: "---", with: "-+-")
               }))),
    ]
}

/// The pid a process has inside its own PID namespace: the last number of the NSpid line of
/// /proc/<pid>/status (the mistake of reading a namespace's pids as the caller's).
private func innermostPID(_ pid: ProcessID) -> ProcessID {
    let status = (try? String(contentsOfFile: "/proc/\(pid.rawValue)/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("NSpid:") }
    return line.flatMap { $0.split(separator: "\t").last }.flatMap { pid_t($0) }.map(ProcessID.init) ?? pid
}

var namespaceTreeMutants: [Mutant] {
    [
        Mutant("tree-pids-inside-namespaces", "shows each process by its pid inside its own PID namespace",
               rejectedBy: ["TREE-5": .fail],
               ProcessTreeSpec(ProcessTreeMutant(building: { (pid) throws(Errno) in
                   func inner(_ tree: ProcessTree) -> ProcessTree {
                       ProcessTree(pid: innermostPID(tree.pid), name: tree.name, children: tree.children.map(inner))
                   }
                   return inner(try ProcessTrees().tree(of: pid))
               }))),
    ]
}
