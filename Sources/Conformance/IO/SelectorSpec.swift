import Glibc

/// The checks of SELECT-1 ... SELECT-12 against an implementation of `SelectorAPI`: each check
/// runs on select, poll and epoll in turn where its rule holds for all three, with the check's own
/// pipes and `LoopbackSocket`s as the descriptors watched.
public struct SelectorSpec<Implementation: SelectorAPI>: Spec {
    public static var concept: String { "selector" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("SELECT-1", reportsWhatWasAskedAndIsReady),
            Check("SELECT-2", timeouts),
            Check("SELECT-3", aPendingConnectionIsReadable),
            Check("SELECT-4", aPipeWithoutWritersHangsUp),
            Check("SELECT-5", aPeersCloseIsAReadHangUp),
            Check("SELECT-6", aClosedDescriptor),
            Check("SELECT-7", misuse),
            Check("SELECT-8", whatAMechanismCannotDo),
            Check("SELECT-9", modifyAndUnregister),
            Check("SELECT-10", levelTriggered),
            Check("SELECT-11", edgeTriggered),
            Check("SELECT-12", oneShot),
        ]
    }

    /// SELECT-1: a connection with unread data asked for [readable, writable] reports both (raw
    /// value POLLIN | POLLOUT); one asked for readable reports readable; one with nothing to read
    /// asked for readable is not reported; a pipe's write end whose reader closed, asked for
    /// readable, reports error (select, which has no error set, puts it in its read set).
    func reportsWhatWasAskedAndIsReady() throws {
        for mechanism in IOMechanism.allCases {
            let selector = try implementation.selector(mechanism)
            defer { selector.close() }
            let both = try LoopbackSocket.connection(), reading = try LoopbackSocket.connection()
            let idle = try LoopbackSocket.connection()
            try both.client.send([1])
            try reading.client.send([1])
            try expectTrue(both.server.await(POLLIN) && reading.server.await(POLLIN), "the check's bytes never arrived")
            try selector.register(both.server.descriptor, for: [.readable, .writable])
            try selector.register(reading.server.descriptor, for: .readable)
            try selector.register(idle.server.descriptor, for: .readable)
            let broken = try Pipe()
            broken.closeReadEnd()
            try selector.register(broken.writeEnd, for: .readable)
            let ready = try report(selector, "wait(timeout: 0)") { () throws(SelectorError) in try selector.wait(timeout: 0) }
            try expectEqual(ready, [both.server.descriptor: IOEvents(rawValue: UInt32(POLLIN | POLLOUT)),
                                    reading.server.descriptor: .readable,
                                    broken.writeEnd: mechanism == .select ? .readable : .error],
                            "\(mechanism): what wait(timeout: 0) reported (descriptor: events)")
        }
    }

    /// SELECT-2: nothing ready: wait(timeout: 0) and wait(timeout: -1) report nothing, and
    /// wait(timeout: 0.05) nothing after at least 0.05 s; wait(timeout: nil) sleeps, sleeps again
    /// after a signal handler interrupted it (EINTR), and returns once another thread writes,
    /// reporting the pipe readable.
    func timeouts() throws {
        for mechanism in IOMechanism.allCases {
            let selector = try implementation.selector(mechanism)
            defer { selector.close() }
            let pipe = try Pipe()
            try selector.register(pipe.readEnd, for: .readable)
            for timeout in [0, -1, 0.05] {
                var ready: Result<[ReadyDescriptor], SelectorError> = .success([])
                let waited = ContinuousClock().measure { ready = Result { () throws(SelectorError) in try selector.wait(timeout: timeout) } }
                try expectEqual(try ready.get().count, 0, "\(mechanism): descriptors wait(timeout: \(timeout)) reported with nothing ready")
                try expectTrue(waited >= .milliseconds(Int(max(0, timeout) * 1000)), "\(mechanism): wait(timeout: \(timeout)) returned after \(waited)")
            }
            let announce = try Pipe(), reported = try Pipe(), interrupter = try Interrupter()
            let waiter = try CheckThread {
                announce.write(1)
                let ready = (try? selector.wait(timeout: nil)) ?? []
                reported.write(ready.map { [$0.descriptor, Int32(bitPattern: $0.events.rawValue)] }.flatMap { $0 } + [-1])
            }
            _ = try announce.readInt32("the waiting thread ended before wait()")
            try expectTrue(waiter.awaitAsleep("\(mechanism): waiting for wait(timeout: nil) to sleep"),
                           "\(mechanism): wait(timeout: nil) with nothing ready returned")
            interrupter.interrupt(waiter)
            try expectTrue(waiter.awaitAsleep("\(mechanism): waiting for wait(timeout: nil) to sleep again"),
                           "\(mechanism): wait(timeout: nil) returned when a signal handler interrupted it")
            pipe.write(1)
            try expectEqual(try reported.readInt32("the waiter ended"), pipe.readEnd, "\(mechanism): the descriptor wait(timeout: nil) reported")
            try expectEqual(try reported.readInt32("the waiter ended"), Int32(IOEvents.readable.rawValue), "\(mechanism): its events")
            waiter.join()
        }
    }

    /// SELECT-3: a listener asked for readable is not reported; with a connection pending it is
    /// reported readable; after accept, not any more.
    func aPendingConnectionIsReadable() throws {
        for mechanism in IOMechanism.allCases {
            let selector = try implementation.selector(mechanism)
            defer { selector.close() }
            let listener = try LoopbackSocket.listener()
            try selector.register(listener.descriptor, for: .readable)
            try expectEqual(try ready(selector, 0), [:], "\(mechanism): a listener with no connection pending")
            let client = try LoopbackSocket.connected(to: try listener.port())
            try expectEqual(try ready(selector, 10), [listener.descriptor: .readable], "\(mechanism): a listener with a connection pending")
            let accepted = try listener.accept()
            try expectEqual(try ready(selector, 0), [:], "\(mechanism): the listener once the connection was accepted")
            accepted.close()
            client.close()
        }
    }

    /// SELECT-4: a pipe holding 2 bytes whose writer closed: poll and epoll report readable and
    /// hang-up, then hang-up alone once drained; select reports it readable both times.
    func aPipeWithoutWritersHangsUp() throws {
        for mechanism in IOMechanism.allCases {
            let selector = try implementation.selector(mechanism)
            defer { selector.close() }
            let pipe = try Pipe()
            pipe.write("ab")
            pipe.closeWriteEnd()
            try selector.register(pipe.readEnd, for: .readable)
            let hangUp: IOEvents = mechanism == .select ? .readable : .hangUp
            try expectEqual(try ready(selector, 0), [pipe.readEnd: hangUp.union(.readable)],
                            "\(mechanism): a pipe holding data whose writers all closed")
            _ = try pipe.readText(2, "the pipe lost its 2 bytes")
            try expectEqual(try ready(selector, 0), [pipe.readEnd: hangUp], "\(mechanism): the drained pipe whose writers all closed")
        }
    }

    /// SELECT-5: the peer of a connection closes: poll and epoll, asked for [readable, readHangUp],
    /// report exactly those two (no hang-up: this end can still send); select reports readable.
    func aPeersCloseIsAReadHangUp() throws {
        for mechanism in IOMechanism.allCases {
            let selector = try implementation.selector(mechanism)
            defer { selector.close() }
            let (client, server) = try LoopbackSocket.connection()
            let asked: IOEvents = mechanism == .select ? .readable : [.readable, .readHangUp]
            try selector.register(server.descriptor, for: asked)
            try expectEqual(try ready(selector, 0), [:], "\(mechanism): a connection with nothing to read")
            client.close()
            try expectEqual(try ready(selector, 10), [server.descriptor: asked], "\(mechanism): the connection once its peer closed")
        }
    }

    /// SELECT-6: a pipe's read end closed while registered: poll reports it invalid, select throws
    /// .badDescriptor, epoll reports nothing (the kernel dropped it with its last descriptor).
    func aClosedDescriptor() throws {
        for mechanism in IOMechanism.allCases {
            let selector = try implementation.selector(mechanism)
            defer { selector.close() }
            let pipe = try Pipe()
            let descriptor = pipe.readEnd
            try selector.register(descriptor, for: .readable)
            pipe.write(1)
            pipe.closeReadEnd()
            switch mechanism {
            case .poll: try expectEqual(try ready(selector, 0), [descriptor: .invalid], "poll: a registered descriptor that was closed")
            case .epoll: try expectEqual(try ready(selector, 0), [:], "epoll: a registered descriptor that was closed")
            case .select:
                try expectThrows(SelectorError.badDescriptor(descriptor), "select: wait with a registered descriptor that was closed") {
                    () throws(SelectorError) in try selector.wait(timeout: 0)
                }
            }
        }
    }

    /// SELECT-7: register twice throws .alreadyRegistered, modify and unregister of a descriptor
    /// never registered .notRegistered; after close(), wait and register throw .closed.
    func misuse() throws {
        for mechanism in IOMechanism.allCases {
            let selector = try implementation.selector(mechanism)
            let pipe = try Pipe()
            try selector.register(pipe.readEnd, for: .readable)
            try expectThrows(SelectorError.alreadyRegistered(pipe.readEnd), "\(mechanism): register twice") {
                () throws(SelectorError) in try selector.register(pipe.readEnd, for: .readable)
            }
            try expectThrows(SelectorError.notRegistered(pipe.writeEnd), "\(mechanism): modify of a descriptor never registered") {
                () throws(SelectorError) in try selector.modify(pipe.writeEnd, for: .writable)
            }
            try expectThrows(SelectorError.notRegistered(pipe.writeEnd), "\(mechanism): unregister of a descriptor never registered") {
                () throws(SelectorError) in try selector.unregister(pipe.writeEnd)
            }
            try selector.unregister(pipe.readEnd)
            try expectThrows(SelectorError.notRegistered(pipe.readEnd), "\(mechanism): unregister twice") {
                () throws(SelectorError) in try selector.unregister(pipe.readEnd)
            }
            selector.close()
            try expectThrows(SelectorError.closed, "\(mechanism): wait after close()") {
                () throws(SelectorError) in try selector.wait(timeout: 0)
            }
            try expectThrows(SelectorError.closed, "\(mechanism): register after close()") {
                () throws(SelectorError) in try selector.register(pipe.writeEnd, for: .writable)
            }
            selector.close()
        }
    }

    /// SELECT-8: a descriptor numbered 1024 or more: select's register throws
    /// .descriptorTooLarge, poll and epoll report it readable; select refuses [.readHangUp] and
    /// [.edgeTriggered], poll [.edgeTriggered] and [.oneShot], epoll [.invalid], as .unsupported.
    func whatAMechanismCannotDo() throws {
        let pipe = try Pipe()
        let high = try HighDescriptor(copying: pipe.readEnd)
        pipe.write(1)
        let refused: [IOMechanism: [IOEvents]] = [
            .select: [.readHangUp, [.readable, .edgeTriggered]], .poll: [[.readable, .edgeTriggered], [.readable, .oneShot]],
            .epoll: [[.readable, .invalid]],
        ]
        for mechanism in IOMechanism.allCases {
            let selector = try implementation.selector(mechanism)
            defer { selector.close() }
            if mechanism == .select {
                try expectThrows(SelectorError.descriptorTooLarge(high.descriptor), "select: register of descriptor \(high.descriptor)") {
                    () throws(SelectorError) in try selector.register(high.descriptor, for: .readable)
                }
            } else {
                try selector.register(high.descriptor, for: .readable)
                try expectEqual(try ready(selector, 0), [high.descriptor: .readable], "\(mechanism): descriptor \(high.descriptor) with data")
            }
            for events in refused[mechanism]! {
                let unsupported = events.subtracting(.readable)
                try expectThrows(SelectorError.unsupported(unsupported, mechanism), "\(mechanism): register for \(events)") {
                    () throws(SelectorError) in try selector.register(pipe.writeEnd, for: events)
                }
            }
        }
    }

    /// SELECT-9: a connection with data, asked for writable, reports writable only; modified to
    /// readable, readable only; unregistered, nothing.
    func modifyAndUnregister() throws {
        for mechanism in IOMechanism.allCases {
            let selector = try implementation.selector(mechanism)
            defer { selector.close() }
            let (client, server) = try LoopbackSocket.connection()
            try client.send([1])
            try expectTrue(server.await(POLLIN), "the check's byte never arrived")
            try selector.register(server.descriptor, for: .writable)
            try expectEqual(try ready(selector, 0), [server.descriptor: .writable], "\(mechanism): asked for writable")
            try selector.modify(server.descriptor, for: .readable)
            try expectEqual(try ready(selector, 0), [server.descriptor: .readable], "\(mechanism): modified to readable")
            try selector.unregister(server.descriptor)
            try expectEqual(try ready(selector, 0), [:], "\(mechanism): unregistered")
        }
    }

    /// SELECT-10: level-triggered (the default): 4 unread bytes are reported on each of 3 waits,
    /// still after 2 are read, and no longer once all are.
    func levelTriggered() throws {
        for mechanism in IOMechanism.allCases {
            let selector = try implementation.selector(mechanism)
            defer { selector.close() }
            let (client, server) = try LoopbackSocket.connection()
            try selector.register(server.descriptor, for: .readable)
            try client.send(Array("abcd".utf8))
            try expectEqual(try ready(selector, 10), [server.descriptor: .readable], "\(mechanism): 4 bytes arrived")
            for time in ["second", "third"] {
                try expectEqual(try ready(selector, 0), [server.descriptor: .readable], "\(mechanism): the \(time) wait with 4 bytes unread")
            }
            _ = try server.receive(exactly: 2)
            try expectEqual(try ready(selector, 0), [server.descriptor: .readable], "\(mechanism): 2 bytes still unread")
            _ = try server.receive(exactly: 2)
            try expectEqual(try ready(selector, 0), [:], "\(mechanism): every byte read")
        }
    }

    /// SELECT-11: epoll, edge-triggered: 4 bytes arriving are reported once; not again while
    /// unread, nor after reading 2; 1 more byte arriving is reported once.
    func edgeTriggered() throws {
        let selector = try implementation.selector(.epoll)
        defer { selector.close() }
        let (client, server) = try LoopbackSocket.connection()
        try selector.register(server.descriptor, for: [.readable, .edgeTriggered])
        try client.send(Array("abcd".utf8))
        try expectEqual(try ready(selector, 10), [server.descriptor: .readable], "4 bytes arrived")
        try expectEqual(try ready(selector, 0), [:], "the next wait with the 4 bytes unread")
        _ = try server.receive(exactly: 2)
        try expectEqual(try ready(selector, 0), [:], "a wait after reading 2 of the 4 bytes")
        try client.send(Array("e".utf8))
        try expectEqual(try ready(selector, 10), [server.descriptor: .readable], "1 more byte arrived")
        try expectEqual(try ready(selector, 0), [:], "the next wait")
    }

    /// SELECT-12: epoll, one-shot: 1 byte is reported once; another byte arriving is not reported;
    /// modify re-arms it and the next wait reports it.
    func oneShot() throws {
        let selector = try implementation.selector(.epoll)
        defer { selector.close() }
        let (client, server) = try LoopbackSocket.connection()
        try selector.register(server.descriptor, for: [.readable, .oneShot])
        try client.send([1])
        try expectEqual(try ready(selector, 10), [server.descriptor: .readable], "1 byte arrived")
        try expectEqual(try ready(selector, 0), [:], "the next wait")
        try client.send([2])
        try expectTrue(LoopbackSocket.await(server.descriptor, POLLIN), "the check's second byte never arrived")
        try expectEqual(try ready(selector, 0.05), [:], "a wait after a second byte arrived, before modify")
        try selector.modify(server.descriptor, for: [.readable, .oneShot])
        try expectEqual(try ready(selector, 0), [server.descriptor: .readable], "a wait after modify re-armed it")
    }

    /// What `wait(timeout:)` reports, as descriptor: events; a descriptor reported twice fails.
    private func ready(_ selector: Implementation.Selector, _ timeout: Double) throws -> [Int32: IOEvents] {
        try report(selector, "wait(timeout: \(timeout))") { () throws(SelectorError) in try selector.wait(timeout: timeout) }
    }

    private func report(_ selector: Implementation.Selector, _ what: String,
                        _ wait: () throws(SelectorError) -> [ReadyDescriptor]) throws -> [Int32: IOEvents] {
        step("\(selector.mechanism): \(what)")
        var events: [Int32: IOEvents] = [:]
        for ready in try wait() {
            try expectTrue(events[ready.descriptor] == nil, "\(what) reported descriptor \(ready.descriptor) twice")
            events[ready.descriptor] = ready.events
        }
        return events
    }
}

/// A copy of a descriptor numbered FD_SETSIZE (1024) or more, raising the process's soft limit
/// on open files when it is lower (laptops often have 1024).
private final class HighDescriptor {
    let descriptor: Int32

    init(copying original: Int32) throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if limit.rlim_cur < 1100 {
            guard limit.rlim_max >= 1100 else {
                throw CheckFailure("the hard limit on open files (\(limit.rlim_max)) is below 1100: no descriptor at or above 1024 can be made")
            }
            limit.rlim_cur = 1100
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        descriptor = fcntl(original, F_DUPFD_CLOEXEC, 1024)
        if descriptor < 0 { throw CheckFailure.setup("fcntl(F_DUPFD_CLOEXEC, 1024)", .current) }
    }

    deinit { close(descriptor) }
}
