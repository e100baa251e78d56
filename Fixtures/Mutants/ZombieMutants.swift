import Conformance
import Glibc
import Processes

/// A zombie implementation that is the reference except for the closures given.
struct ZombieMutant: ZombieAPI {
    var reading: (ProcessID) throws(Errno) -> ProcessState = { (pid) throws(Errno) in try Zombies().state(of: pid) }
    var doubleForking: (() -> Void) throws(Errno) -> Void = { (work) throws(Errno) in try Zombies().doubleFork(work) }
    var setting: (Signal, SignalDisposition) throws(Errno) -> SignalDisposition = { (signal, disposition) throws(Errno) in
        try Zombies().signal(signal, disposition)
    }

    func state(of pid: ProcessID) throws(Errno) -> ProcessState { try reading(pid) }
    func doubleFork(_ work: () -> Void) throws(Errno) {
        try withoutActuallyEscaping(work) { (work) throws(Errno) in try doubleForking(work) }
    }
    func signal(_ signal: Signal, _ disposition: SignalDisposition) throws(Errno) -> SignalDisposition {
        try setting(signal, disposition)
    }
}

/// The state letter after the FIRST ')' of /proc/<pid>/stat, the mistake ZOMBIE-3 catches.
private func stateAfterFirstParenthesis(_ pid: ProcessID) throws(Errno) -> ProcessState {
    let fd = open("/proc/\(pid.rawValue)/stat", O_RDONLY)
    if fd < 0 { throw Errno.noSuchProcess }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 512)
    let count = read(fd, &buffer, buffer.count)
    let line = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self)
    guard let close = line.firstIndex(of: ")"),
          let letter = line[line.index(after: close)...].split(separator: " ").first,
          let state = ProcessState(rawValue: String(letter))
    else { throw Errno.invalidArgument }
    return state
}

/// Computed, so no mutable global is shared.
var zombieMutants: [Mutant] {
    [
        Mutant("state-zombie-as-dead", "reports an exited, unreaped child as dead", rejectedBy: ["ZOMBIE-1": .fail],
               ZombieSpec(ZombieMutant(reading: { (pid) throws(Errno) in
                   let state = try Zombies().state(of: pid)
                   return state == .zombie ? .dead : state
               }))),
        Mutant("state-missing-as-dead", "reports a process with no /proc entry as dead instead of throwing",
               rejectedBy: ["ZOMBIE-2": .fail],
               ZombieSpec(ZombieMutant(reading: { pid in (try? Zombies().state(of: pid)) ?? .dead }))),
        Mutant("state-first-parenthesis", "takes the state after the first ')' of the stat line",
               rejectedBy: ["ZOMBIE-3": .fail], ZombieSpec(ZombieMutant(reading: stateAfterFirstParenthesis))),
        Mutant("double-fork-without-reaping", "returns without waiting for the intermediate child",
               rejectedBy: ["ZOMBIE-4": .fail],
               ZombieSpec(ZombieMutant(doubleForking: { (work) throws(Errno) in
                   if try Fork().fork() == .child {
                       if try Fork().fork() == .child { work() }
                       _exit(0)
                   }
               }))),
        Mutant("double-fork-returns-twice",
               "returns in the caller and again in the worker, which runs on in the caller's code",
               rejectedBy: ["ZOMBIE-4": .fail],
               ZombieSpec(ZombieMutant(doubleForking: { (work) throws(Errno) in
                   if try Fork().fork() == .child {
                       if try Fork().fork() == .child {
                           work()
                           return  // the worker returns into the caller's code instead of ending
                       }
                       _exit(0)
                   }
                   var status: CInt = 0
                   wait(&status)
               }))),
        Mutant("sigchld-empty-handler", "installs a handler that does nothing instead of SIG_IGN",
               rejectedBy: ["ZOMBIE-5": .fail],
               ZombieSpec(ZombieMutant(setting: { (signal, disposition) throws(Errno) in
                   guard disposition == .ignore else { return try Zombies().signal(signal, disposition) }
                   var action = sigaction()
                   var previous = sigaction()
                   action.__sigaction_handler.sa_handler = { _ in }
                   sigaction(signal.rawValue, &action, &previous)
                   return .default
               }))),
        Mutant("signal-forgets-previous", "always says the previous disposition was .default",
               rejectedBy: ["ZOMBIE-6": .fail],
               ZombieSpec(ZombieMutant(setting: { (signal, disposition) throws(Errno) in
                   _ = try Zombies().signal(signal, disposition)
                   return .default
               }))),
    ]
}
