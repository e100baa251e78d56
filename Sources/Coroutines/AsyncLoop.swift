import CSystem
import Conformance
import Glibc
import Synchronization

/// asyncio's event loop, in Swift's own form (course: 标准库协程的实现, asyncio and async/await):
/// Swift's structured concurrency (async functions, task groups, cancellation) on a task executor
/// that runs every job on the one thread that calls `run`, one at a time, and between jobs waits in
/// epoll(7) for the earliest timer or a watched descriptor.
///
/// As with the hub, tasks switch only where they await (cooperative, one thread); unlike the hub's
/// stackful coroutines, an async function keeps its state in the task, not on a stack of its own,
/// and a task is stopped by cancellation, which its awaits see as `CancellationError`.
public final class AsyncLoop: TaskExecutor, Sendable {
    /// What `enqueue` and cancellation handlers, which may run on other threads, share with the loop.
    private struct State {
        var jobs: [UnownedJob] = []
        /// Waits in progress, by id: a continuation, with its deadline and descriptor if any.
        var waits: [Int: Wait] = [:]
        /// The wait on each descriptor in the epoll set, by descriptor.
        var waitOnDescriptor: [Int32: Int] = [:]
        /// Ids whose cancellation came before the wait was registered.
        var cancelledEarly: Set<Int> = []
        var nextID = 0
        /// The thread running `run`, while it runs.
        var loopThread: pthread_t?
    }

    private struct Wait {
        let continuation: CheckedContinuation<Void, any Error>
        var deadline: ContinuousClock.Instant?
        var descriptor: Int32?
    }

    private let state = Mutex(State())
    /// Written (eventfd) when a job arrives from another thread while the loop sleeps.
    private let wakeup: Int32
    private let epoll: Int32

    /// A loop with its epoll instance and wake-up eventfd (`EMFILE` and the like are `Errno`s).
    public init() throws(Errno) {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw Errno.current }
        wakeup = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        guard wakeup >= 0 else {
            let error = Errno.current
            close(epoll)
            throw error
        }
        var event = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(fd: wakeup))
        epoll_ctl(epoll, EPOLL_CTL_ADD, wakeup, &event)
    }

    deinit {
        close(wakeup)
        close(epoll)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let fromElsewhere = state.withLock { state in
            state.jobs.append(job)
            return state.loopThread.map { pthread_equal($0, pthread_self()) == 0 } ?? true
        }
        if fromElsewhere {
            var one: UInt64 = 1
            _ = write(wakeup, &one, 8)
        }
    }

    /// `asyncio.run(main())`: runs `body` as a task that prefers this loop (so do its child tasks),
    /// on the calling thread, until it ends; returns its result or throws its error. A loop runs
    /// one `run` at a time: a second, from another thread or from inside, throws `.alreadyRunning`.
    public func run<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) throws -> Value {
        let outcome = Outcome<Value>()
        let alreadyRunning = state.withLock { state in
            if state.loopThread != nil { return true }
            state.loopThread = pthread_self()
            return false
        }
        if alreadyRunning { throw AsyncLoopError.alreadyRunning }
        defer { state.withLock { $0.loopThread = nil } }
        let task = _Concurrency.Task(executorPreference: self) {
            do { outcome.result = .success(try await body()) } catch { outcome.result = .failure(error) }
        }
        while outcome.result == nil {
            runJobs()
            if outcome.result == nil { waitForEvents() }
        }
        _ = task
        return try outcome.result!.get()
    }

    /// The result of `run`'s task, set by a job that runs on the loop's thread.
    private final class Outcome<Value>: @unchecked Sendable {
        var result: Result<Value, any Error>?
    }

    /// Runs the jobs queued now, once each; jobs they queue wait for the next turn, after the loop
    /// has looked at its timers and descriptors (as asyncio's loop runs its ready callbacks once per
    /// iteration), so a task that keeps yielding cannot keep the others' timers from firing.
    private func runJobs() {
        let batch = state.withLock { state in
            defer { state.jobs = [] }
            return state.jobs
        }
        for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
    }

    /// Sleeps in epoll_wait until the earliest deadline, a watched descriptor or a job from
    /// another thread; resumes the waits that are due.
    private func waitForEvents() {
        let (deadlines, jobsWaiting) = state.withLock { state in
            (state.waits.values.compactMap(\.deadline), !state.jobs.isEmpty)
        }
        let timeout = jobsWaiting ? 0 : ContinuousClock.Instant.millisecondsUntil(earliestOf: deadlines)
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        let count = epoll_wait(epoll, &events, Int32(events.count), timeout)
        var due: [(Int, Result<Void, any Error>)] = []
        let now = ContinuousClock.now
        state.withLock { state in
            var ready: Set<Int> = []
            for event in events.prefix(max(0, Int(count))) {
                if event.data.fd == wakeup {
                    var value: UInt64 = 0
                    _ = read(wakeup, &value, 8)
                } else if let id = state.waitOnDescriptor[event.data.fd] {
                    ready.insert(id)
                    due.append((id, .success(())))
                }
            }
            for (id, wait) in state.waits where wait.deadline.map({ $0 <= now }) ?? false && !ready.contains(id) {
                due.append((id, wait.descriptor == nil ? .success(()) : .failure(HubError.timeout)))
            }
        }
        for (id, result) in due { finish(id, result) }
    }

    /// Ends wait `id` (if it is still waiting) with `result`: forgets its descriptor, resumes it
    /// (outside the lock: resuming enqueues the task's job). A cancellation that finds no wait yet
    /// is remembered, so that the registration refuses it.
    private func finish(_ id: Int, _ result: Result<Void, any Error>, cancelling: Bool = false) {
        let wait = state.withLock { state -> Wait? in
            guard let wait = state.waits.removeValue(forKey: id) else {
                if cancelling { state.cancelledEarly.insert(id) }
                return nil
            }
            if let descriptor = wait.descriptor {
                state.waitOnDescriptor[descriptor] = nil
                epoll_ctl(epoll, EPOLL_CTL_DEL, descriptor, nil)
            }
            return wait
        }
        wait?.continuation.resume(with: result)
    }

    /// Suspends the calling task until the wait is finished: by its deadline, its descriptor, or
    /// the task's cancellation (`CancellationError`).
    private func suspend(deadline: ContinuousClock.Instant?, descriptor: Int32?, events: UInt32) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        // A cancellation that came after the wait had ended leaves its id behind: forget it.
        defer { state.withLock { _ = $0.cancelledEarly.remove(id) } }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let refusal = state.withLock { state -> (any Error)? in
                    if state.cancelledEarly.remove(id) != nil { return CancellationError() }
                    if let descriptor {
                        guard state.waitOnDescriptor[descriptor] == nil else { return HubError.descriptorInUse(descriptor) }
                        var event = epoll_event(events: events | EPOLLONESHOT.rawValue, data: epoll_data_t(fd: descriptor))
                        guard epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) == 0 else { return HubError.cannotWatch(descriptor, .current) }
                        state.waitOnDescriptor[descriptor] = id
                    }
                    state.waits[id] = Wait(continuation: continuation, deadline: deadline, descriptor: descriptor)
                    return nil
                }
                if let refusal { continuation.resume(throwing: refusal) }
            }
        } onCancel: {
            finish(id, .failure(CancellationError()), cancelling: true)
        }
    }

    /// `await asyncio.sleep(seconds)`: 0 or less lets every other ready job run first.
    /// `CancellationError` when the task is cancelled.
    public func sleep(_ seconds: Double) async throws {
        try _Concurrency.Task.checkCancellation()
        if seconds <= 0 {
            await _Concurrency.Task.yield()
        } else {
            try await suspend(deadline: .after(seconds: seconds), descriptor: nil, events: 0)
        }
        try _Concurrency.Task.checkCancellation()
    }

    /// `await loop.sock_recv`'s wait (asyncio's reader callbacks): until `descriptor` is readable;
    /// `HubError.timeout` after `timeout` seconds, `CancellationError` when the task is cancelled.
    public func waitReadable(_ descriptor: Int32, timeout: Double?) async throws {
        try _Concurrency.Task.checkCancellation()
        try await suspend(deadline: timeout.map(ContinuousClock.Instant.after), descriptor: descriptor, events: EPOLLIN.rawValue)
    }

    /// Until `descriptor` is writable; as `waitReadable`.
    public func waitWritable(_ descriptor: Int32, timeout: Double?) async throws {
        try _Concurrency.Task.checkCancellation()
        try await suspend(deadline: timeout.map(ContinuousClock.Instant.after), descriptor: descriptor, events: EPOLLOUT.rawValue)
    }
}

extension AsyncLoop: AsyncLoopObject {}

/// Makes the reference loops for the spec.
public struct AsyncLoopFactory: AsyncLoopAPI {
    public init() {}

    public func loop() throws -> AsyncLoop { try AsyncLoop() }
}
