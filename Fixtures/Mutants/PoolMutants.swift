import Conformance
import Glibc
import Multiprocessing

/// A task handle that is the reference's except for the closures given.
final class MutantHandle: AsyncResultHandle {
    let reference: AsyncResult<Int>
    var getting: ((AsyncResult<Int>, Double?) throws(PoolError) -> Int)?
    var alwaysReady = false

    init(_ reference: AsyncResult<Int>) { self.reference = reference }

    func get(timeout: Double?) throws(PoolError) -> Int {
        if let getting { return try getting(reference, timeout) }
        return try reference.get(timeout: timeout)
    }
    var ready: Bool { alwaysReady || reference.ready }
    func successful() throws(PoolError) -> Bool { try reference.successful() }
}

/// A pool that is the reference `Pool` except for the closures given.
final class MutantPool: ProcessPool {
    let reference: Pool<PoolTask, Int>
    var applying: ((MutantPool, PoolTask) throws(PoolError) -> AsyncResult<Int>)?
    var changeHandle: (MutantHandle) -> Void = { _ in }
    var mapping: ((MutantPool, [PoolTask]) throws(PoolError) -> [Int])?
    var closing: ((MutantPool) -> Void)?
    var joining: ((MutantPool) throws(PoolError) -> Void)?
    var terminating: ((MutantPool) -> Void)?

    init(_ reference: Pool<PoolTask, Int>) { self.reference = reference }

    var processes: Int { reference.processes }

    func applyAsync(_ input: PoolTask) throws(PoolError) -> MutantHandle {
        let result: AsyncResult<Int>
        if let applying { result = try applying(self, input) } else { result = try reference.applyAsync(input) }
        let handle = MutantHandle(result)
        changeHandle(handle)
        return handle
    }
    func map(_ inputs: [PoolTask]) throws(PoolError) -> [Int] {
        if let mapping { return try mapping(self, inputs) }
        return try reference.map(inputs)
    }
    func close() { if let closing { closing(self) } else { reference.close() } }
    func join() throws(PoolError) { if let joining { try joining(self) } else { try reference.join() } }
    func terminate() { if let terminating { terminating(self) } else { reference.terminate() } }
}

/// Makes `MutantPool`s: `processes` may change the count asked for, `change` sets the closures.
struct PoolMutant: PoolAPI {
    var processes: (Int?) -> Int? = { $0 }
    var change: (MutantPool) -> Void = { _ in }

    func pool(processes count: Int?, work: @escaping (PoolTask) throws -> Int) throws(PoolError) -> MutantPool {
        let pool = MutantPool(try Multiprocessing.Pool(processes: processes(count), work: work))
        change(pool)
        return pool
    }
}

/// Pools whose handles pass every error of get() through `change`, which rethrows it or not.
private func changingErrors(_ change: @escaping (PoolError) throws(PoolError) -> Int) -> (MutantPool) -> Void {
    { pool in
        pool.changeHandle = { handle in
            handle.getting = { (reference, timeout) throws(PoolError) in
                do throws(PoolError) {
                    return try reference.get(timeout: timeout)
                } catch {
                    return try change(error)
                }
            }
        }
    }
}

/// The pools `pool-leaks-when-dropped` keeps alive.
nonisolated(unsafe) private var keptPools: [MutantPool] = []

/// Computed, so no mutable global is shared.
var poolMutants: [Mutant] {
    [
        Mutant("pool-default-counts-the-caller", "pool(processes: nil) starts one worker more than there are CPUs",
               rejectedBy: ["POOL-1": .fail],
               PoolSpec(PoolMutant(processes: { $0 ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) + 1 }))),
        Mutant("pool-ready-too-early", "a handle reports ready before its task has finished",
               rejectedBy: ["POOL-2": .fail],
               PoolSpec(PoolMutant(change: { pool in pool.changeHandle = { $0.alwaysReady = true } }))),
        Mutant("pool-error-type-lost", "get() reports every work error as a plain Error",
               rejectedBy: ["POOL-3": .fail],
               PoolSpec(PoolMutant(change: changingErrors { (error) throws(PoolError) in
                   guard case .taskFailed(_, let message) = error else { throw error }
                   throw .taskFailed(type: "Error", message: message)
               }))),
        Mutant("pool-map-drops-failures", "map leaves failed inputs out instead of throwing",
               rejectedBy: ["POOL-4": .fail],
               PoolSpec(PoolMutant(change: { pool in
                   pool.mapping = { (pool, inputs) throws(PoolError) in
                       var outputs: [Int] = []
                       for input in inputs {
                           if let output = try? pool.reference.applyAsync(input).get() { outputs.append(output) }
                       }
                       return outputs
                   }
               }))),
        Mutant("pool-join-returns-at-once", "join() returns without waiting for the tasks or ending the workers",
               rejectedBy: ["POOL-5": .fail],
               PoolSpec(PoolMutant(change: { pool in pool.joining = { (_) throws(PoolError) in } }))),
        Mutant("pool-close-ignored", "close() does nothing, so tasks are still accepted",
               rejectedBy: ["POOL-6": .fail],
               PoolSpec(PoolMutant(change: { pool in pool.closing = { _ in } }))),
        Mutant("pool-terminate-only-closes", "terminate() lets the workers finish instead of ending them",
               rejectedBy: ["POOL-7": .fail],
               PoolSpec(PoolMutant(change: { pool in pool.terminating = { $0.reference.close() } }))),
        Mutant("pool-process-per-task", "every task runs in a new process instead of a reused worker",
               rejectedBy: ["POOL-8": .fail],
               PoolSpec(PoolMutant(change: { pool in
                   pool.applying = { (_, input) throws(PoolError) in
                       try Pool(processes: 1, work: PoolWorkMirror.run).applyAsync(input)
                   }
                   pool.mapping = { (pool, inputs) throws(PoolError) in
                       var outputs: [Int] = []
                       for input in inputs { outputs.append(try pool.applyAsync(input).get(timeout: nil)) }
                       return outputs
                   }
               }))),
        Mutant("pool-dead-worker-hangs", "get() of a task whose worker died waits forever, as Python's pool does",
               rejectedBy: ["POOL-9": .timedOut],
               PoolSpec(PoolMutant(change: changingErrors { (error) throws(PoolError) in
                   guard case .workerDied = error else { throw error }
                   while true { pause() }
               }))),
        Mutant("pool-leaks-when-dropped", "a dropped pool keeps its workers running",
               rejectedBy: ["POOL-10": .fail],
               PoolSpec(PoolMutant(change: { keptPools.append($0) }))),
    ]
}

/// The work of `pool-process-per-task`'s one-task pools: only `.pid` matters to POOL-8.
enum PoolWorkMirror {
    static func run(_ task: PoolTask) throws -> Int { Int(getpid()) }
}
