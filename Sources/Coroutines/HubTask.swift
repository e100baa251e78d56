import Conformance

/// A function run by the hub in a coroutine of its own: gevent's `Greenlet`, as `gevent.spawn`
/// returns it. Its value or error is kept on it: waiting for it (`join`, `Hub.joinAll`) never
/// throws the error, `get` does.
public final class HubTask: TaskObject {
    private let hub: Hub
    private var coroutine: Coroutine!
    private var result: Result<Any?, any Error>?
    /// The waiters parked until this task is ready.
    private var joiners: [Hub.Waiter] = []

    /// `gevent.spawn(fn)`: scheduled on the calling thread's hub, not run yet.
    public init(_ body: @escaping () throws -> Any?) {
        hub = Hub.current
        coroutine = hub.coroutine { [unowned self] in
            // Killed before it started: it never runs.
            guard !self.isReady else { return }
            do {
                self.finish(.success(try body()))
            } catch let exit as CoroutineExit {
                self.finish(.success(exit))
            } catch {
                self.finish(.failure(error))
            }
        }
        hub.schedule(coroutine)
    }

    public var isReady: Bool { result != nil }

    public var isSuccessful: Bool {
        if case .success = result { return true }
        return false
    }

    /// `g.value`: the function's result once it returned (a kill's CoroutineExit), else nil.
    public var value: Any? { try? result?.get() }

    /// `g.exception`: the error it ended with, if any.
    public var error: (any Error)? {
        if case .failure(let error) = result { return error }
        return nil
    }

    public func get(timeout: Double? = nil) throws -> Any? {
        try join(timeout: timeout)
        guard let result else { throw HubError.timeout }
        return try result.get()
    }

    public func join(timeout: Double? = nil) throws {
        _ = try Hub.current.joinAll([self], timeout: timeout)
    }

    public func kill() throws {
        guard !isReady else { return }
        if coroutine === Coroutine.current {
            throw CoroutineExit()  // a task killing itself ends where it is
        }
        if !coroutine.isActive || !hub.interrupt(coroutine, with: CoroutineExit()) {
            // Never started: it will not run (gevent: the greenlet dies without running, its value
            // the GreenletExit); the hub skips it when its turn comes.
            finish(.success(CoroutineExit()))
            return
        }
        try join(timeout: nil)
    }

    /// Parks `waiter` until this task is ready.
    func wakeWhenReady(_ waiter: Hub.Waiter) { joiners.append(waiter) }

    /// Forgets `waiter`, whose wait has ended some other way.
    func forget(_ waiter: Hub.Waiter) { joiners.removeAll { $0 === waiter } }

    private func finish(_ ending: Result<Any?, any Error>) {
        result = ending
        for joiner in joiners { hub.wake(joiner) }
        joiners = []
    }
}

extension Hub {
    /// `gevent.joinall(tasks, timeout)`: the ready tasks, in the order given.
    public func joinAll(_ tasks: [HubTask], timeout: Double? = nil) throws -> [HubTask] {
        let deadline = timeout.map(ContinuousClock.Instant.after)
        var yielded = false
        while true {
            let pending = tasks.filter { !$0.isReady }
            if pending.isEmpty { return tasks }
            let left = deadline.map { Double(($0 - .now) / .nanoseconds(1)) / 1e9 }
            if let left, left <= 0 {
                // As gevent: even a timeout of 0 gives the ready tasks one turn first.
                if !yielded { try sleep(0) }
                return tasks.filter(\.isReady)
            }
            let waiter = waiter(timeout: left)
            for task in pending { task.wakeWhenReady(waiter) }
            defer { for task in pending { task.forget(waiter) } }
            yielded = true
            do {
                try park(waiter)
            } catch HubError.blockedForever {
                // Nothing can make the others ready: what is ready now is all there will be.
                return tasks.filter(\.isReady)
            }
        }
    }
}

/// The reference hub for the spec.
public struct HubFactory: HubAPI {
    public init() {}

    public func spawn(_ body: @escaping () throws -> Any?) -> HubTask { HubTask(body) }
    public func joinAll(_ tasks: [HubTask], timeout: Double?) throws -> [HubTask] { try Hub.current.joinAll(tasks, timeout: timeout) }
    public func sleep(_ seconds: Double) throws { try Hub.current.sleep(seconds) }
    public func waitReadable(_ descriptor: Int32, timeout: Double?) throws {
        try Hub.current.waitReadable(descriptor, timeout: timeout)
    }
}
