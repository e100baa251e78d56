import Conformance
import Glibc
import Multiprocessing
import Processes

/// A process object that is the reference `Process` except for the closures given.
final class MutantProcess: ProcessObject {
    let reference: Process
    let target: () throws -> Void
    var starting: ((MutantProcess) throws(ProcessError) -> Void)?
    var joining: ((MutantProcess, Double?) throws(ProcessError) -> Void)?
    var settingDaemon: ((MutantProcess, Bool) throws(ProcessError) -> Void)?
    var naming: ((String) -> String)?
    var reportingExitCode: ((CInt?) -> CInt?)?
    /// Set by a `starting` that does not use the reference.
    var ownPid: ProcessID?

    init(reference: Process, target: @escaping () throws -> Void) {
        self.reference = reference
        self.target = target
    }

    var name: String { naming?(reference.name) ?? reference.name }
    var pid: ProcessID? { ownPid ?? reference.pid }
    var daemon: Bool { reference.daemon }
    var isAlive: Bool { reference.isAlive }
    var exitCode: CInt? { reportingExitCode?(reference.exitCode) ?? reference.exitCode }
    func setDaemon(_ daemon: Bool) throws(ProcessError) {
        if let settingDaemon { try settingDaemon(self, daemon) } else { try reference.setDaemon(daemon) }
    }
    func start() throws(ProcessError) {
        if let starting { try starting(self) } else { try reference.start() }
    }
    func join(timeout: Double?) throws(ProcessError) {
        if let joining { try joining(self, timeout) } else { try reference.join(timeout: timeout) }
    }
    func terminate() throws(ProcessError) { try reference.terminate() }
    func kill() throws(ProcessError) { try reference.kill() }
}

/// Makes `MutantProcess` objects: `childRuns` wraps the target the reference's child runs, and
/// `change` sets the object's closures.
struct ProcessMutant: ProcessAPI {
    var childRuns: (@escaping () throws -> Void) -> () throws -> Void = { $0 }
    var change: (MutantProcess) -> Void = { _ in }

    func process<Arguments>(
        name: String?, target: @escaping (Arguments) throws -> Void, args: Arguments
    ) -> MutantProcess {
        let run = childRuns { try target(args) }
        let object = MutantProcess(reference: Process(name: name, target: run), target: run)
        change(object)
        return object
    }
}

/// The common "fork and forget" process object: start() forks and the child runs the target and
/// `_exit`s; nothing is flushed and nothing is registered for the parent's exit. join() waits.
private func forkAndForget(_ object: MutantProcess) {
    object.starting = { (object) throws(ProcessError) in
        let pid = fork()
        if pid == 0 {
            try? object.target()
            _exit(0)
        }
        object.ownPid = ProcessID(rawValue: pid)
    }
    object.joining = { (object, _) throws(ProcessError) in
        if let pid = object.ownPid { _ = try? Wait().waitpid(pid, options: []) }
    }
}

/// Computed, so no mutable global is shared.
var processMutants: [Mutant] {
    [
        Mutant("process-runs-target-in-caller", "start() calls the target in the calling process",
               rejectedBy: ["PROCESS-1": .fail, "PROCESS-11": .fail],
               ProcessSpec(ProcessMutant(change: { object in
                   object.starting = { (object) throws(ProcessError) in
                       object.ownPid = ProcessID(rawValue: getpid())
                       try? object.target()
                   }
                   object.joining = { (_, _) throws(ProcessError) in }
               }))),
        Mutant("process-join-timeout-returns-at-once", "join(timeout:) returns without waiting",
               rejectedBy: ["PROCESS-2": .fail],
               ProcessSpec(ProcessMutant(change: { object in
                   object.joining = { (object, timeout) throws(ProcessError) in
                       try object.reference.join(timeout: timeout == nil ? nil : 0)
                   }
               }))),
        Mutant("process-names-not-numbered", "names every process object Process-1",
               rejectedBy: ["PROCESS-3": .fail],
               ProcessSpec(ProcessMutant(change: { object in
                   object.naming = { name in name.hasPrefix("Process-") ? "Process-1" : name }
               }))),
        Mutant("process-signal-exit-code-positive", "reports the signal number that ended the child as a positive exit code",
               rejectedBy: ["PROCESS-4": .fail],
               ProcessSpec(ProcessMutant(change: { object in
                   object.reportingExitCode = { code in code.map(abs) }
               }))),
        Mutant("process-swallows-target-error", "catches the target's error and exits with 0",
               rejectedBy: ["PROCESS-5": .fail],
               ProcessSpec(ProcessMutant(childRuns: { target in { try? target() } }))),
        Mutant("process-inherits-stdin", "leaves the child's standard input as the parent's",
               rejectedBy: ["PROCESS-6": .fail],
               ProcessSpec(ProcessMutant(childRuns: { target in
                   let parentInput = dup(0)
                   return {
                       dup2(parentInput, 0)
                       try target()
                   }
               }))),
        Mutant("process-join-before-start-returns", "join() before start() returns instead of throwing",
               rejectedBy: ["PROCESS-7": .fail],
               ProcessSpec(ProcessMutant(change: { object in
                   object.joining = { (object, timeout) throws(ProcessError) in
                       if object.pid != nil { try object.reference.join(timeout: timeout) }
                   }
               }))),
        Mutant("process-daemon-flag-ignored", "setDaemon(true) does nothing, so the parent's exit waits for the child",
               rejectedBy: ["PROCESS-8": .timedOut],
               ProcessSpec(ProcessMutant(change: { object in
                   object.settingDaemon = { (_, _) throws(ProcessError) in }
               }))),
        Mutant("process-no-parent-death-signal", "a daemonic child outlives a parent killed by SIGKILL",
               rejectedBy: ["PROCESS-9": .timedOut],
               ProcessSpec(ProcessMutant(childRuns: { target in
                   {
                       _ = system_set_parent_death_signal(0)
                       try target()
                   }
               }))),
        Mutant("process-fork-and-forget", "start() forks without flushing or registering the child for the parent's exit",
               rejectedBy: ["PROCESS-10": .fail, "PROCESS-12": .fail, "PROCESS-13": .fail],
               ProcessSpec(ProcessMutant(change: forkAndForget))),
        Mutant("process-child-skips-flush", "the child ends with _exit and loses what the target printed",
               rejectedBy: ["PROCESS-12": .fail],
               ProcessSpec(ProcessMutant(childRuns: { target in
                   {
                       try target()
                       _exit(0)
                   }
               }))),
    ]
}
