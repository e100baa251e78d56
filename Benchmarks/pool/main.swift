// Tiny tasks per second through the reference pool: N calls of applyAsync, then get on each,
// as Benchmarks/pool.py does with CPython's multiprocessing.Pool.apply_async.
// Usage: bench-pool [tasks] [processes]; prints the rate on one line.
import Glibc
import Multiprocessing

let arguments = CommandLine.arguments
let tasks = arguments.count > 1 ? Int(arguments[1]) ?? 200_000 : 200_000
let processes = arguments.count > 2 ? Int(arguments[2]) : nil

do {
    let pool = try Pool(processes: processes) { (n: Int) in n + 1 }
    let start = ContinuousClock.now
    var handles: [AsyncResult<Int>] = []
    handles.reserveCapacity(tasks)
    for n in 0..<tasks { handles.append(try pool.applyAsync(n)) }
    var sum = 0
    for handle in handles { sum += try handle.get() }
    let (seconds, attoseconds) = (ContinuousClock.now - start).components
    let elapsed = Double(seconds) + Double(attoseconds) / 1e18
    pool.close()
    try pool.join()
    precondition(sum == tasks * (tasks + 1) / 2, "wrong results")
    print(Double(tasks) / elapsed)
} catch {
    print("bench-pool: \(error)")
    exit(1)
}
