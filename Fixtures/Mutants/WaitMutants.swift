import Conformance
import Glibc
import Processes

/// A wait implementation that is the reference except for the closures given.
struct WaitMutant: WaitAPI {
    var waitingForAny: () throws(Errno) -> ChildStatus = { () throws(Errno) in try Wait().wait() }
    var waitingFor: (ProcessID, WaitOptions) throws(Errno) -> ChildStatus? = { (pid, options) throws(Errno) in
        try Wait().waitpid(pid, options: options)
    }
    var decoding: (CInt) -> WaitStatus = { Wait().decode($0) }

    func wait() throws(Errno) -> ChildStatus { try waitingForAny() }
    func waitpid(_ pid: ProcessID, options: WaitOptions) throws(Errno) -> ChildStatus? { try waitingFor(pid, options) }
    func decode(_ rawStatus: CInt) -> WaitStatus { decoding(rawStatus) }

    /// A mutant whose `wait` and `waitpid` use the reference system call but `decode` to decode.
    static func decodingWith(_ decode: @escaping (CInt) -> WaitStatus) -> WaitMutant {
        let waitpid = { (pid: ProcessID, options: WaitOptions) throws(Errno) -> ChildStatus? in
            var raw: CInt = 0
            let changed = try valueOrErrno { Glibc.waitpid(pid.rawValue, &raw, options.rawValue) }.get()
            return changed == 0 ? nil : ChildStatus(pid: ProcessID(rawValue: changed), status: decode(raw))
        }
        return WaitMutant(waitingForAny: { () throws(Errno) in try waitpid(.anyChild, [])! }, waitingFor: waitpid,
                          decoding: decode)
    }
}

/// The statuses `wait-remembers-reaped` keeps, to answer for children it already reaped.
nonisolated(unsafe) private var remembered: [ProcessID: ChildStatus] = [:]

/// Computed, so no mutable global is shared.
var waitMutants: [Mutant] {
    [
        Mutant("wait-code-from-low-byte", "reads the exit code from the low byte of the status",
               rejectedBy: ["WAIT-1": .fail, "WAIT-8": .fail],
               WaitSpec(WaitMutant.decodingWith { raw in
                   let status = Wait().decode(raw)
                   if case .exited = status { return .exited(code: raw & 0xff) }
                   return status
               })),
        Mutant("wait-signaled-as-exited", "decodes every status that is not stopped or continued as exited",
               rejectedBy: ["WAIT-2": .fail],
               WaitSpec(WaitMutant.decodingWith { raw in
                   switch Wait().decode(raw) {
                   case .signaled: .exited(code: (raw >> 8) & 0xff)
                   case let other: other
                   }
               })),
        Mutant("wait-nohang-as-error", "throws EAGAIN when .noHang finds no change", rejectedBy: ["WAIT-3": .fail],
               WaitSpec(WaitMutant(waitingFor: { (pid, options) throws(Errno) in
                   guard let status = try Wait().waitpid(pid, options: options) else { throw Errno.resourceTemporarilyUnavailable }
                   return status
               }))),
        Mutant("wait-retries-every-error", "retries every error, so ECHILD waits forever", rejectedBy: ["WAIT-4": .timedOut],
               WaitSpec(WaitMutant(waitingForAny: { () throws(Errno) in
                   while true {
                       if let status = try? Wait().wait() { return status }
                       usleep(1000)
                   }
               }))),
        Mutant("wait-remembers-reaped", "answers again for a child it already reaped", rejectedBy: ["WAIT-5": .fail],
               WaitSpec(WaitMutant(waitingFor: { (pid, options) throws(Errno) in
                   if let status = remembered[pid] { return status }
                   let status = try Wait().waitpid(pid, options: options)
                   remembered[pid] = status
                   return status
               }))),
        Mutant("wait-stopped-as-signaled", "decodes a stopped child as killed by signal 127",
               rejectedBy: ["WAIT-6": .fail, "WAIT-8": .fail],
               WaitSpec(WaitMutant.decodingWith { raw in
                   if case .stopped = Wait().decode(raw) { return .signaled(Signal(rawValue: raw & 0x7f), coreDumped: false) }
                   return Wait().decode(raw)
               })),
        Mutant("wait-any-child", "ignores the pid and waits for any child", rejectedBy: ["WAIT-7": .fail],
               WaitSpec(WaitMutant(waitingFor: { (_, options) throws(Errno) in try Wait().waitpid(.anyChild, options: options) }))),
        Mutant("wait-ignores-core-flag", "never reports a core dump", rejectedBy: ["WAIT-8": .fail],
               WaitSpec(WaitMutant.decodingWith { raw in
                   if case .signaled(let signal, _) = Wait().decode(raw) { return .signaled(signal, coreDumped: false) }
                   return Wait().decode(raw)
               })),
        Mutant("wait-never-blocks", "polls once with WNOHANG and reports pid 0 when nothing changed",
               rejectedBy: ["WAIT-9": .fail],
               WaitSpec(WaitMutant(waitingForAny: { () throws(Errno) in
                   try Wait().waitpid(.anyChild, options: .noHang)
                       ?? ChildStatus(pid: ProcessID(rawValue: 0), status: .exited(code: 0))
               }))),
        Mutant("wait-surfaces-eintr", "gives up with EINTR when a signal handler runs", rejectedBy: ["WAIT-10": .fail],
               WaitSpec(WaitMutant(waitingForAny: { () throws(Errno) in
                   var raw: CInt = 0
                   let pid = Glibc.waitpid(-1, &raw, 0)
                   if pid < 0 { throw Errno.current }
                   return ChildStatus(pid: ProcessID(rawValue: pid), status: Wait().decode(raw))
               }))),
    ]
}
