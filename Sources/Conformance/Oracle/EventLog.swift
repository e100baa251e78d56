import CSystem
import Synchronization

/// The order of events, as the tasks record them, and the threads they ran on. Under a mutex of
/// the check's own, so that an implementation running tasks on several threads at once fails
/// the checks instead of corrupting the log.
final class EventLog: Sendable {
    private let state = Mutex<(entries: [String], threads: Set<Int32>)>(([], []))

    /// Records `entry` and the calling thread.
    func callAsFunction(_ entry: String) {
        let thread = cs_gettid()
        state.withLock { state in
            state.entries.append(entry)
            state.threads.insert(thread)
        }
    }

    var entries: [String] { state.withLock { $0.entries } }
    var threads: Set<Int32> { state.withLock { $0.threads } }
}
