import CSystem
import Conformance
import Glibc

/// The event loop that runs coroutines cooperatively: gevent's hub (course: gevent模块; 协程 switch
/// only where a call would block: gevent.sleep, joinall, a socket wait).
///
/// The hub is a coroutine of its own. A coroutine that must wait parks: it leaves a `Waiter` with
/// a timer or a descriptor and switches to the hub. The hub runs every ready coroutine in turn; when
/// none is ready it sleeps in epoll_wait(2) until the next timer or a watched descriptor, and wakes
/// those waiters. So all coroutines of a thread share that one thread, and one that never waits
/// keeps the others from running.
public final class Hub {
    /// The hub's own coroutine, which runs `loop`.
    private var coroutine: Coroutine!
    /// Coroutines to resume, in order, with what to resume them with and the park they end (nil:
    /// a start). An entry whose park is no longer the coroutine's current one is stale and skipped.
    private var ready: [(coroutine: Coroutine, outcome: Outcome, waiter: Waiter?)] = []
    /// The park each parked coroutine is in, by coroutine.
    private var parked: [ObjectIdentifier: Waiter] = [:]
    /// Waiters with a deadline, in no order (the loop looks for the earliest).
    private var timers: [Waiter] = []
    /// The waiter of each descriptor in the epoll interest list (one each: to read or to write).
    private var waiting: [Int32: Waiter] = [:]
    /// The epoll instance, open only while some descriptor is awaited (-1 otherwise), so that a
    /// hub that waits for none holds no descriptor.
    private var epoll: Int32 = -1
    /// The waiter of the thread's main coroutine, when it is parked: woken with `.blockedForever`
    /// when nothing else can ever wake anybody.
    private var mainWaiter: Waiter?

    private init() {
        coroutine = Coroutine { [unowned self] _ in self.loop() }
        try! coroutine.setParent(ThreadCoroutines.here.main)
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { hub in Unmanaged<Hub>.fromOpaque(hub!).release() }
        return key
    }()

    /// `gevent.get_hub()`: the calling thread's hub, made on first use.
    public static var current: Hub {
        if let hub = pthread_getspecific(key) { return Unmanaged<Hub>.fromOpaque(hub).takeUnretainedValue() }
        let hub = Hub()
        pthread_setspecific(key, Unmanaged.passRetained(hub).toOpaque())
        return hub
    }

    /// One park of one coroutine: armed until something wakes it (a timer, a descriptor, a task
    /// ending), so that a wake meant for an earlier park never resumes a later one.
    final class Waiter {
        let coroutine: Coroutine
        var deadline: ContinuousClock.Instant?
        var descriptor: Int32?
        var isArmed = true

        init(_ coroutine: Coroutine) { self.coroutine = coroutine }
    }

    /// A waiter for the current coroutine, woken after `timeout` seconds (nil: no timer).
    func waiter(timeout: Double?) -> Waiter {
        let waiter = Waiter(Coroutine.current)
        if let timeout {
            waiter.deadline = .after(seconds: timeout)
            timers.append(waiter)
        }
        return waiter
    }

    /// Parks the current coroutine until `waiter` is woken; returns, or throws, what it was woken with.
    @discardableResult
    func park(_ waiter: Waiter) throws -> Any? {
        if waiter.coroutine === ThreadCoroutines.here.main { mainWaiter = waiter }
        parked[ObjectIdentifier(waiter.coroutine)] = waiter
        defer {
            parked[ObjectIdentifier(waiter.coroutine)] = nil
            disarm(waiter)
        }
        return try coroutine.switch(nil)
    }

    /// Resumes `waiter`'s coroutine with `outcome` on the loop's next turn, unless it was woken already.
    func wake(_ waiter: Waiter, with outcome: Outcome = .value(nil)) {
        guard waiter.isArmed else { return }
        disarm(waiter)
        ready.append((waiter.coroutine, outcome, waiter))
    }

    /// Schedules a coroutine that has not started to start on the loop's next turn.
    func schedule(_ coroutine: Coroutine) {
        ready.append((coroutine, .value(nil), nil))
    }

    /// Throws `error` into `coroutine` where it waits: into its park, or, when it was woken and has
    /// not run since, instead of what it was woken with. False when it neither waits nor was woken.
    func interrupt(_ coroutine: Coroutine, with error: any Error) -> Bool {
        let key = ObjectIdentifier(coroutine)
        if let index = ready.firstIndex(where: { $0.coroutine === coroutine && $0.waiter != nil && $0.waiter === parked[key] }) {
            ready[index].outcome = .error(error)
            return true
        }
        guard let waiter = parked[key], waiter.isArmed else { return false }
        wake(waiter, with: .error(error))
        return true
    }

    /// Makes a coroutine whose result goes to the hub when it ends.
    func coroutine(_ body: @escaping () -> Void) -> Coroutine {
        let task = Coroutine { _ in body(); return nil }
        try! task.setParent(coroutine)
        return task
    }

    private func disarm(_ waiter: Waiter) {
        guard waiter.isArmed else { return }
        waiter.isArmed = false
        if waiter.deadline != nil { timers.removeAll { $0 === waiter } }
        if let descriptor = waiter.descriptor {
            waiting[descriptor] = nil
            epoll_ctl(epoll, EPOLL_CTL_DEL, descriptor, nil)
            if waiting.isEmpty {
                close(epoll)
                epoll = -1
            }
        }
        if mainWaiter === waiter { mainWaiter = nil }
    }

    /// `gevent.sleep(seconds)`: 0 or less goes to the back of the ready queue. Throws only a kill.
    public func sleep(_ seconds: Double) throws {
        let waiter = waiter(timeout: seconds > 0 ? seconds : nil)
        if seconds <= 0 { wake(waiter) }
        try park(waiter)
    }

    /// `gevent.socket.wait_read(fd, timeout)`: `HubError.timeout`, or a kill.
    public func waitReadable(_ descriptor: Int32, timeout: Double?) throws {
        try wait(descriptor, for: EPOLLIN.rawValue, timeout: timeout)
    }

    /// `gevent.socket.wait_write(fd, timeout)`: `HubError.timeout`, or a kill.
    public func waitWritable(_ descriptor: Int32, timeout: Double?) throws {
        try wait(descriptor, for: EPOLLOUT.rawValue, timeout: timeout)
    }

    /// Parks the current coroutine until `descriptor` reports one of `events` (or an error or a
    /// hang-up, which epoll always reports), or until `timeout` passes.
    private func wait(_ descriptor: Int32, for events: UInt32, timeout: Double?) throws {
        guard waiting[descriptor] == nil else { throw HubError.descriptorInUse(descriptor) }
        if epoll < 0 {
            epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
            guard epoll >= 0 else { throw HubError.cannotWatch(descriptor, .current) }
        }
        var event = epoll_event(events: events | EPOLLONESHOT.rawValue, data: epoll_data_t(fd: descriptor))
        guard epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) == 0 else {
            let error = Errno.current
            if waiting.isEmpty {
                close(epoll)
                epoll = -1
            }
            throw HubError.cannotWatch(descriptor, error)
        }
        let waiter = waiter(timeout: timeout)
        waiter.descriptor = descriptor
        waiting[descriptor] = waiter
        try park(waiter)
    }

    /// The hub's coroutine: resumes what is ready, then waits for the earliest timer or a descriptor.
    private func loop() -> Any? {
        while true {
            let turn = ready
            ready = []
            for (coroutine, outcome, waiter) in turn {
                // A wake for a park the coroutine has left (a kill resumed it first) is stale.
                if let waiter, parked[ObjectIdentifier(coroutine)] !== waiter { continue }
                switch outcome {
                case .value(let value): _ = try? coroutine.switch(value)
                case .error(let error): _ = try? coroutine.throw(error)
                }
            }
            if !ready.isEmpty { continue }
            if timers.isEmpty && waiting.isEmpty {
                // Nobody can ever be woken: tell the main coroutine, which waits in vain.
                if let mainWaiter { wake(mainWaiter, with: .error(HubError.blockedForever)) }
                if ready.isEmpty { preconditionFailure("the hub has nothing to run and no waiter to tell") }
                continue
            }
            waitForEvents()
        }
    }

    /// Sleeps until the earliest deadline or a watched descriptor (in epoll_wait; in poll with no
    /// descriptor when none is awaited), and wakes their waiters.
    private func waitForEvents() {
        let timeout = ContinuousClock.Instant.millisecondsUntil(earliestOf: timers.compactMap(\.deadline))
        if epoll < 0 {
            // Only timers: sleep until the earliest.
            _ = poll(nil, 0, timeout)
        } else {
            var events = [epoll_event](repeating: epoll_event(), count: 256)
            let count = epoll_wait(epoll, &events, Int32(events.count), timeout)
            for event in events.prefix(max(0, Int(count))) {
                if let waiter = waiting[event.data.fd] { wake(waiter) }
            }
        }
        let now = ContinuousClock.now
        for waiter in timers where waiter.deadline! <= now {
            wake(waiter, with: waiter.descriptor == nil ? .value(nil) : .error(HubError.timeout))
        }
    }
}
