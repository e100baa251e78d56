import CSystem
import Conformance
import Glibc
import Processes

/// A fork implementation that is the reference except for `fork` or `getpid`, given as closures.
struct ForkMutant: ForkAPI {
    var forking: () throws(Errno) -> ForkResult = { () throws(Errno) in try Fork().fork() }
    var ownPid: () -> ProcessID = { Fork().getpid() }

    func fork() throws(Errno) -> ForkResult { try forking() }
    func getpid() -> ProcessID { ownPid() }
    func getppid() -> ProcessID { Fork().getppid() }
}

/// The pid cached by `fork-caches-pid`, as some C libraries once did.
nonisolated(unsafe) private var cachedPid: ProcessID?

/// Computed, so no mutable global is shared.
var forkMutants: [Mutant] {
    [
        Mutant("fork-child-in-both", "returns .child in the parent too", rejectedBy: ["FORK-1": .fail],
               ForkSpec(ForkMutant(forking: { () throws(Errno) in _ = try Fork().fork(); return .child }))),
        Mutant("fork-caches-pid", "caches getpid() so the child reports its parent's pid", rejectedBy: ["FORK-2": .fail],
               ForkSpec(ForkMutant(ownPid: {
                   if cachedPid == nil { cachedPid = Fork().getpid() }
                   return cachedPid!
               }))),
        Mutant("fork-spawns-new-program", "starts a new program instead of copying the process (like spawn)",
               rejectedBy: ["FORK-3": .fail],
               ForkSpec(ForkMutant(forking: { () throws(Errno) in
                   var pid: pid_t = 0
                   let error = posix_spawn(&pid, "/bin/true", nil, nil, [nil], environ)
                   if error != 0 { throw Errno(rawValue: error) }
                   return .parent(child: ProcessID(rawValue: pid))
               }))),
        Mutant("fork-waits-for-child", "returns in the parent only after the child has ended",
               rejectedBy: ["FORK-4": .timedOut],
               ForkSpec(ForkMutant(forking: { () throws(Errno) in
                   let result = try Fork().fork()
                   if case .parent(let child) = result {
                       var info = siginfo_t()
                       waitid(P_PID, id_t(child.rawValue), &info, WEXITED | WNOWAIT)  // wait, but leave it unreaped
                   }
                   return result
               }))),
        Mutant("fork-ignores-failure", "does not check for -1, so a failed fork looks like .parent(child: -1)",
               rejectedBy: ["FORK-5": .fail],
               ForkSpec(ForkMutant(forking: {
                   let pid = system_fork()
                   return pid == 0 ? .child : .parent(child: ProcessID(rawValue: pid))
               }))),
        Mutant("fork-closes-descriptors", "closes every descriptor above 2 in the child (close_fds)",
               rejectedBy: ["FORK-6": .fail],
               ForkSpec(ForkMutant(forking: { () throws(Errno) in
                   let result = try Fork().fork()
                   if result == .child { _ = cs_close_from(3) }
                   return result
               }))),
        Mutant("fork-flushes-stdio", "flushes stdio before forking, unlike os.fork", rejectedBy: ["FORK-7": .fail],
               ForkSpec(ForkMutant(forking: { () throws(Errno) in
                   fflush(nil)
                   return try Fork().fork()
               }))),
    ]
}
