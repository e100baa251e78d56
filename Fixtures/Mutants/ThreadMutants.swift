import Conformance
import Glibc
import Multiprocessing
import Threading

/// A thread that is the reference `Threading.Thread` except for the hooks given.
final class MutantThread: ThreadObject {
    let reference: Threading.Thread
    var starting: ((Threading.Thread) throws(ThreadError) -> Void)?
    var joining: ((Threading.Thread, Double?) throws(ThreadError) -> Void)?

    init(_ reference: Threading.Thread) { self.reference = reference }

    var name: String { reference.name }
    var ident: UInt? { reference.ident }
    var nativeID: Int32? { reference.nativeID }
    var isAlive: Bool { reference.isAlive }
    var isDaemon: Bool { reference.isDaemon }
    func setDaemon(_ daemon: Bool) throws(ThreadError) { try reference.setDaemon(daemon) }
    func start() throws(ThreadError) {
        if let starting { try starting(reference) } else { try reference.start() }
    }
    func join(timeout: Double?) throws(ThreadError) {
        if let joining { try joining(reference, timeout) } else { try reference.join(timeout: timeout) }
    }
}

/// Makes `MutantThread`s: `target` may wrap the target, `subclassRun` replaces what a subclass
/// runs, `change` sets the hooks.
struct ThreadMutant: ThreadAPI {
    var target: (String?, @escaping () throws -> Void) -> () throws -> Void = { $1 }
    var subclassIgnoresRun = false
    var change: (MutantThread) -> Void = { _ in }

    func thread(name: String?, target body: @escaping () throws -> Void) -> MutantThread {
        let thread = MutantThread(Threading.Thread(name: name, target: target(name, body)))
        change(thread)
        return thread
    }

    func subclass(name: String?, run: @escaping () throws -> Void) -> MutantThread {
        let made = subclassIgnoresRun ? Threading.Thread(name: name) : ThreadFactory().subclass(name: name, run: run)
        let thread = MutantThread(made)
        change(thread)
        return thread
    }
}

/// A "thread" that is a forked process: it runs the target, but in a copy of the memory.
final class ProcessThread: ThreadObject {
    private let process: Multiprocessing.Process

    init(name: String?, target: @escaping () throws -> Void) {
        process = Multiprocessing.Process(name: name, target: target)
    }

    var name: String { process.name }
    var ident: UInt? { process.pid.map { UInt($0.rawValue) } }
    var nativeID: Int32? { process.pid?.rawValue }
    var isAlive: Bool { process.isAlive }
    var isDaemon: Bool { process.daemon }
    func setDaemon(_ daemon: Bool) throws(ThreadError) {
        do throws(ProcessError) { try process.setDaemon(daemon) } catch { throw .alreadyStarted }
    }
    func start() throws(ThreadError) {
        do throws(ProcessError) { try process.start() } catch { throw .alreadyStarted }
    }
    func join(timeout: Double?) throws(ThreadError) {
        do throws(ProcessError) { try process.join(timeout: timeout) } catch { throw .notStarted }
    }
}

struct ProcessThreads: ThreadAPI {
    func thread(name: String?, target: @escaping () throws -> Void) -> ProcessThread { ProcessThread(name: name, target: target) }
    func subclass(name: String?, run: @escaping () throws -> Void) -> ProcessThread { ProcessThread(name: name, target: run) }
}

/// Computed, so no mutable global is shared.
var threadMutants: [Mutant] {
    [
        Mutant("thread-subclass-run-ignored", "start() calls the target, so a subclass's run() never runs",
               rejectedBy: ["THREAD-1": .timedOut], ThreadSpec(ThreadMutant(subclassIgnoresRun: true))),
        Mutant("thread-join-ignores-timeout", "join(timeout:) returns at once while the thread runs",
               rejectedBy: ["THREAD-2": .fail],
               ThreadSpec(ThreadMutant(change: { thread in
                   thread.joining = { (reference, timeout) throws(ThreadError) in
                       try reference.join(timeout: timeout == nil ? nil : 0)
                   }
               }))),
        Mutant("thread-named-threads-take-numbers", "a named thread also takes a number, so Thread-N skips one",
               rejectedBy: ["THREAD-3": .fail],
               ThreadSpec(ThreadMutant(target: { name, body in
                   if name != nil { _ = Threading.Thread() }
                   return body
               }))),
        Mutant("thread-start-twice-ignored", "start() a second time returns without an error",
               rejectedBy: ["THREAD-4": .fail],
               ThreadSpec(ThreadMutant(change: { thread in
                   thread.starting = { (reference) throws(ThreadError) in
                       do throws(ThreadError) { try reference.start() } catch .alreadyStarted {}
                   }
               }))),
        Mutant("thread-every-thread-daemon", "every thread is started as a daemon, so exit does not wait for it",
               rejectedBy: ["THREAD-5": .fail],
               ThreadSpec(ThreadMutant(change: { thread in
                   thread.starting = { (reference) throws(ThreadError) in
                       try? reference.setDaemon(true)
                       try reference.start()
                   }
               }))),
        Mutant("thread-error-swallowed", "an error thrown by the body is dropped without a word",
               rejectedBy: ["THREAD-6": .fail], ThreadSpec(ThreadMutant(target: { _, body in { try? body() } }))),
        Mutant("thread-is-a-process", "a thread is a forked process, which runs the target in a copy of the memory",
               rejectedBy: ["THREAD-7": .fail, "THREAD-8": .fail], ThreadSpec(ProcessThreads())),
    ]
}
