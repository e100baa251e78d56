import Conformance
import CSystem
import Glibc

/// What every `TrackedLock` of the process reports: who holds each lock, who waits for which,
/// the locks each thread holds in order, and every order in which two locks were ever taken.
///
/// Two questions are asked of it:
/// - `deadlock()`: a cycle in the wait-for graph, an edge from each waiting thread to the thread
///   holding the lock it waits for (a deadlock that has happened);
/// - `inversions`: lockdep's question, a lock taken while holding another when the reverse order
///   was seen before, even by another thread at another time (a deadlock that can happen).
public final class LockGraph: @unchecked Sendable {
    /// The graph of the process's tracked locks.
    public static let shared = LockGraph()

    private let lock = Lock()
    private var names: [Int: String] = [:]
    private var owners: [Int: pid_t] = [:]
    private var waiting: [pid_t: Int] = [:]
    private var held: [pid_t: [Int]] = [:]
    /// For each pair (a, b) taken as "a, then b while holding a": the first thread that did it.
    private var orders: [Pair: pid_t] = [:]
    private var found: [LockOrderInversion] = []
    private var nextID = 0

    private struct Pair: Hashable { let first: Int, second: Int }

    /// A graph of its own, for locks that should not meet the process's others (tests).
    public init() {}

    /// A new lock's id.
    func register(_ name: String) -> Int {
        lock.withLock {
            nextID += 1
            names[nextID] = name
            return nextID
        }
    }

    /// Before waiting for `id`: the wait-for edge, and lockdep's check of the orders.
    func willAcquire(_ id: Int, by thread: pid_t) {
        lock.withLock {
            waiting[thread] = id
            for holding in held[thread] ?? [] where holding != id {
                let order = Pair(first: holding, second: id)
                if orders[order] != nil { continue }
                orders[order] = thread
                if let other = orders[Pair(first: id, second: holding)] {
                    found.append(LockOrderInversion(first: names[id]!, second: names[holding]!, inOrder: other, reversed: thread))
                }
            }
        }
    }

    /// After `acquire` returned: held if `taken`, no longer waiting either way.
    func didAcquire(_ id: Int, by thread: pid_t, taken: Bool) {
        lock.withLock {
            waiting[thread] = nil
            guard taken else { return }
            owners[id] = thread
            held[thread, default: []].append(id)
        }
    }

    /// A release, by whichever thread: a plain lock has no owner, so the holder's list is fixed.
    func didRelease(_ id: Int) {
        lock.withLock {
            guard let owner = owners.removeValue(forKey: id) else { return }
            held[owner]?.removeAll { $0 == id }
        }
    }

    /// The wait-for cycle, if there is one: follows "waits for a lock held by" from each waiting
    /// thread until it comes back to a thread already on the path.
    public func deadlock() -> [WaitForEdge]? {
        lock.withLock {
            for start in waiting.keys.sorted() {
                var path: [pid_t] = []
                var thread = start
                while let lockID = waiting[thread], let owner = owners[lockID], !path.contains(thread) {
                    path.append(thread)
                    thread = owner
                }
                guard let loopStart = path.firstIndex(of: thread) else { continue }
                let cycle = Array(path[loopStart...])
                return cycle.enumerated().map { index, member in
                    let waitedFor = waiting[member]!
                    let previous = cycle[(index + cycle.count - 1) % cycle.count]
                    let heldHere = waiting[previous]!
                    return WaitForEdge(thread: member, threadName: LockGraph.name(of: member),
                                       holds: names[heldHere]!, waitsFor: names[waitedFor]!)
                }
            }
            return nil
        }
    }

    /// Every inversion seen so far, in the order they were found.
    public var inversions: [LockOrderInversion] { lock.withLock { found } }

    /// "Thread-N" for a `Thread` of this module that is still running, else "thread <tid>".
    private static func name(of thread: pid_t) -> String {
        ActiveThreads.name(ofKernelID: thread) ?? "thread \(thread)"
    }
}
