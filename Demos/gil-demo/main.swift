// `make gil-demo`: the course's conclusion about the GIL (python线程GIL), measured. The same tasks
// run on 1 thread (one after another), on N threads and in N processes, under the GIL model
// (`InterpreterLock`, CPython's 5 ms switch interval) and free-threaded (no GIL, as CPython's
// PEP 703 build): wall time (the best of 3 runs, as other programs share the cores), and speed-up
// over 1 thread.
import Conformance
import Glibc
import Multiprocessing
import Threading

/// No GIL: interpreted work runs on every thread at once.
final class FreeThreaded: InterpreterObject {
    func interpreted<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result { try body() }
    func checkpoint() {}
    func blocking<Result, Failure: Error>(_ call: () throws(Failure) -> Result) throws(Failure) -> Result { try call() }
}

/// A task as interpreted code would run it.
struct Work: Sendable {
    let name: String
    let run: @Sendable (any InterpreterObject) -> Void

    /// Arithmetic: 16 multiply-adds between eval-loop ticks, as CPython checks its eval breaker at
    /// each backward jump of a loop.
    static let cpuBound = Work(name: "CPU-bound") { interpreter in
        var value: UInt64 = 1
        for step in 0..<UInt64(16_000_000) {
            for _ in 0..<16 { value = value &* 6364136223846793005 &+ step }
            interpreter.checkpoint()
        }
        if value == 0 { print("") }  // uses the result, so the loop cannot be left out
    }

    /// Five blocking calls of 10 ms (a sleep standing in for a read), the GIL released around each.
    static let ioBound = Work(name: "IO-bound") { interpreter in
        for _ in 0..<5 { interpreter.blocking { _ = usleep(10_000) } }
    }
}

enum Mode: CaseIterable {
    case oneThread, threads, processes

    func label(_ tasks: Int) -> String {
        switch self {
        case .oneThread: "1 thread"
        case .threads: "\(tasks) threads"
        case .processes: "\(tasks) processes"
        }
    }
}

/// Runs `tasks` copies of `work` in `mode` 3 times and returns the shortest wall time in seconds.
func best(_ work: Work, _ mode: Mode, tasks: Int, interpreter: any InterpreterObject) throws -> Double {
    try (0..<3).map { _ in try measure(work, mode, tasks: tasks, interpreter: interpreter) }.min()!
}

/// Runs `tasks` copies of `work` in `mode` and returns the wall time in seconds.
func measure(_ work: Work, _ mode: Mode, tasks: Int, interpreter: any InterpreterObject) throws -> Double {
    let task = { interpreter.interpreted { work.run(interpreter) } }
    let start = ContinuousClock.now
    switch mode {
    case .oneThread:
        for _ in 0..<tasks { task() }
    case .threads:
        let threads = (0..<tasks).map { _ in Threading.Thread(target: task) }
        for thread in threads { try thread.start() }
        for thread in threads { try thread.join() }
    case .processes:
        // Each process has its own copy of the interpreter, so its own GIL.
        let processes = (0..<tasks).map { _ in Multiprocessing.Process(target: task) }
        for process in processes { try process.start() }
        for process in processes { try process.join() }
    }
    let (whole, attoseconds) = (ContinuousClock.now - start).components
    return Double(whole) + Double(attoseconds) / 1e18
}

/// `value` with `decimals` digits after the point.
func fixed(_ value: Double, _ decimals: Int) -> String {
    let scale = (0..<decimals).reduce(1) { product, _ in product * 10 }
    let scaled = Int((value * Double(scale)).rounded())
    let fraction = String(scaled % scale)
    return "\(scaled / scale)." + String(repeating: "0", count: decimals - fraction.count) + fraction
}

func padded(_ text: String, _ width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - text.count))
}

let tasks = 4
let cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
print("The GIL, measured: \(tasks) tasks on 1 thread (one after another), \(tasks) threads and \(tasks) processes;",
      "\(cores) cores; the best of 3 runs.")
print(padded("work", 11) + padded("GIL", 26) + padded("run on", 13) + padded("wall time", 11) + "speed-up")
for work in [Work.cpuBound, Work.ioBound] {
    let models: [(String, () -> any InterpreterObject)] = [
        ("InterpreterLock (5 ms)", { InterpreterLock(switchInterval: 0.005) }),
        ("none (free-threaded)", { FreeThreaded() }),
    ]
    for (gil, make) in models {
        var alone = 0.0
        for mode in Mode.allCases {
            let seconds = try best(work, mode, tasks: tasks, interpreter: make())
            if mode == .oneThread { alone = seconds }
            print(padded(work.name, 11) + padded(gil, 26) + padded(mode.label(tasks), 13)
                  + padded(fixed(seconds, 3) + " s", 11) + fixed(alone / seconds, 2) + "x")
        }
    }
}
print("""
    With the GIL, CPU-bound threads run one at a time: no faster than 1 thread, while processes,
    each with its own GIL, use every core. Blocking calls release the GIL, so IO-bound threads
    overlap with or without it (在无阻塞状态下,多线程程序和单线程程序执行效率几乎差不多;
    多进程运行相同内容却可以有明显的效率提升).
    """)
