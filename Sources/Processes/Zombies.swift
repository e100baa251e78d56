import Conformance
import Glibc

/// The reference of the course's tools against zombies: reading a process's state, the double fork
/// (day1/child.py) and ignoring `SIGCHLD`.
public struct Zombies: ZombieAPI {
    private let forking = Fork()
    private let waiting = Wait()

    public init() {}

    /// Reads the state letter of `/proc/<pid>/stat` (proc(5)): `pid (name) S ppid ...`.
    ///
    /// The name may contain spaces and parentheses, so the state is the first field after the
    /// LAST `)`, never the third field of a split on spaces.
    public func state(of pid: ProcessID) throws(Errno) -> ProcessState {
        try ProcStat(of: pid).state()
    }

    /// Forks a child that forks the worker and exits at once; reaps that child before returning.
    ///
    /// The worker is then an orphan: the kernel re-parents it to a subreaper or init, which reaps
    /// it when it ends, so neither generation can become this process's zombie. The intermediate
    /// child reports a failed second fork as its exit code (the errno), which is thrown here.
    public func doubleFork(_ work: () -> Void) throws(Errno) {
        switch try forking.fork() {
        case .child:
            do {
                if try forking.fork() == .child {
                    work()
                    system__exit(0)
                }
                system__exit(0)
            } catch {
                system__exit(error.rawValue)
            }
        case .parent(let child):
            let ended = try waiting.waitpid(child, options: [])
            if let ended, case .exited(let code) = ended.status, code != 0 { throw Errno(rawValue: code) }
        }
    }

    /// Sets `signal`'s disposition with `sigaction(2)` and returns the previous one (`signal.signal`).
    /// `.handler` cannot be set here: it throws `EINVAL`.
    public func signal(_ signal: Signal, _ disposition: SignalDisposition) throws(Errno) -> SignalDisposition {
        var action = sigaction()
        switch disposition {
        case .default: action.__sigaction_handler.sa_handler = SIG_DFL
        case .ignore: action.__sigaction_handler.sa_handler = SIG_IGN
        case .handler: throw Errno.invalidArgument
        }
        var previous = sigaction()
        _ = try valueOrErrno(retryOnInterrupt: false) { system_sigaction(signal.rawValue, &action, &previous) }.get()
        let old = unsafeBitCast(previous.__sigaction_handler.sa_handler, to: Int.self)
        if old == unsafeBitCast(SIG_DFL, to: Int.self) { return .default }
        if old == unsafeBitCast(SIG_IGN, to: Int.self) { return .ignore }
        return .handler
    }
}
