import CSystem
import Conformance
import Glibc
import Networking

/// A selector that is the reference's on one mechanism (or another selector given) except for the
/// hooks given. The hooks get the selector wrapped.
final class MutantSelector: SelectorObject {
    let reference: any SelectorObject
    var registering: ((any SelectorObject, Int32, IOEvents) throws(SelectorError) -> Void)?
    var modifying: ((any SelectorObject, Int32, IOEvents) throws(SelectorError) -> Void)?
    var unregistering: ((any SelectorObject, Int32) throws(SelectorError) -> Void)?
    var waiting: ((any SelectorObject, Double?) throws(SelectorError) -> [ReadyDescriptor])?
    var closing: ((any SelectorObject) -> Void)?

    init(_ reference: any SelectorObject) { self.reference = reference }

    var mechanism: IOMechanism { reference.mechanism }
    func register(_ descriptor: Int32, for events: IOEvents) throws(SelectorError) {
        if let registering { try registering(reference, descriptor, events) } else { try reference.register(descriptor, for: events) }
    }
    func modify(_ descriptor: Int32, for events: IOEvents) throws(SelectorError) {
        if let modifying { try modifying(reference, descriptor, events) } else { try reference.modify(descriptor, for: events) }
    }
    func unregister(_ descriptor: Int32) throws(SelectorError) {
        if let unregistering { try unregistering(reference, descriptor) } else { try reference.unregister(descriptor) }
    }
    func wait(timeout: Double?) throws(SelectorError) -> [ReadyDescriptor] {
        if let waiting { try waiting(reference, timeout) } else { try reference.wait(timeout: timeout) }
    }
    func close() { if let closing { closing(reference) } else { reference.close() } }

    /// Hooks that change the events register and modify ask the kernel for.
    func asking(_ change: @escaping (IOEvents) -> IOEvents) {
        registering = { selector, descriptor, events throws(SelectorError) in try selector.register(descriptor, for: change(events)) }
        modifying = { selector, descriptor, events throws(SelectorError) in try selector.modify(descriptor, for: change(events)) }
    }

    /// A hook that changes the events each wait reports, leaving out descriptors left with none.
    func reporting(_ change: @escaping (IOEvents) -> IOEvents) {
        waiting = { selector, timeout throws(SelectorError) in
            try selector.wait(timeout: timeout).compactMap { ready in
                let events = change(ready.events)
                return events.isEmpty ? nil : ReadyDescriptor(descriptor: ready.descriptor, events: events)
            }
        }
    }
}

/// Makes `MutantSelector`s: on the mechanisms in `on`, `make`'s selector (the reference's by
/// default) with the hooks `change` sets; on the others, the reference's unchanged.
struct SelectorMutant: SelectorAPI {
    var on: Set<IOMechanism> = Set(IOMechanism.allCases)
    var make: (IOMechanism) throws(SelectorError) -> any SelectorObject = { mechanism throws(SelectorError) in
        try Networking.Selector(mechanism)
    }
    var change: (MutantSelector) -> Void = { _ in }

    func selector(_ mechanism: IOMechanism) throws(SelectorError) -> MutantSelector {
        guard on.contains(mechanism) else { return MutantSelector(try Networking.Selector(mechanism)) }
        let selector = MutantSelector(try make(mechanism))
        change(selector)
        return selector
    }
}

/// A select(2) selector written by hand that passes the highest descriptor as nfds, where select
/// wants the highest plus one: the highest descriptor is never looked at.
final class OffByOneSelect: SelectorObject {
    private var asked: [Int32: IOEvents] = [:]
    private var isClosed = false

    var mechanism: IOMechanism { .select }
    func register(_ descriptor: Int32, for events: IOEvents) throws(SelectorError) {
        guard !isClosed else { throw .closed }
        guard descriptor < FD_SETSIZE else { throw .descriptorTooLarge(descriptor) }
        let unsupported = events.subtracting([.readable, .writable, .priority])
        guard unsupported.isEmpty else { throw .unsupported(unsupported, .select) }
        guard asked[descriptor] == nil else { throw .alreadyRegistered(descriptor) }
        asked[descriptor] = events
    }
    func modify(_ descriptor: Int32, for events: IOEvents) throws(SelectorError) {
        guard !isClosed else { throw .closed }
        guard asked[descriptor] != nil else { throw .notRegistered(descriptor) }
        asked[descriptor] = events
    }
    func unregister(_ descriptor: Int32) throws(SelectorError) {
        guard !isClosed else { throw .closed }
        guard asked.removeValue(forKey: descriptor) != nil else { throw .notRegistered(descriptor) }
    }
    func wait(timeout: Double?) throws(SelectorError) -> [ReadyDescriptor] {
        guard !isClosed else { throw .closed }
        var reading = fd_set(), writing = fd_set()
        cs_fd_zero(&reading)
        cs_fd_zero(&writing)
        for (descriptor, events) in asked {
            if events.contains(.readable) { cs_fd_set(descriptor, &reading) }
            if events.contains(.writable) { cs_fd_set(descriptor, &writing) }
        }
        let highest = asked.keys.max() ?? 0
        let seconds = max(0, timeout ?? 0)
        var left = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        // The mistake: nfds is the highest descriptor, where select wants the highest plus one.
        let ready = timeout == nil ? select(highest, &reading, &writing, nil, nil) : select(highest, &reading, &writing, nil, &left)
        guard ready >= 0 else { throw .system(call: "select", errno: .current) }
        return asked.keys.sorted().compactMap { descriptor in
            var events: IOEvents = []
            if cs_fd_isset(descriptor, &reading) != 0 { events.insert(.readable) }
            if cs_fd_isset(descriptor, &writing) != 0 { events.insert(.writable) }
            return events.isEmpty ? nil : ReadyDescriptor(descriptor: descriptor, events: events)
        }
    }
    func close() { isClosed = true }
}

/// Computed, so no mutable global is shared.
var selectorMutants: [Mutant] {
    [
        Mutant("selector-ignores-interest-mask", "asks the kernel for readable and writable whatever was asked, and reports all it finds",
               rejectedBy: ["SELECT-1": .fail, "SELECT-5": .fail, "SELECT-9": .fail, "SELECT-10": .fail, "SELECT-11": .fail, "SELECT-12": .fail],
               SelectorSpec(SelectorMutant(change: { selector in selector.asking { $0.union([.readable, .writable]) } }))),
        Mutant("select-writable-is-event-write", "select reports writable as 2, Python's selectors.EVENT_WRITE, not POLLOUT (4)",
               rejectedBy: ["SELECT-1": .fail, "SELECT-9": .fail],
               SelectorSpec(SelectorMutant(on: [.select], change: { selector in
                   selector.reporting { events in
                       events.contains(.writable) ? events.subtracting(.writable).union(IOEvents(rawValue: 2)) : events
                   }
               }))),
        Mutant("poll-timeout-seconds-as-milliseconds", "poll(2) is given the timeout's seconds as its milliseconds, so 0.05 s waits 0 ms",
               rejectedBy: ["SELECT-2": .fail],
               SelectorSpec(SelectorMutant(on: [.poll], change: { selector in
                   selector.waiting = { selector, timeout throws(SelectorError) in try selector.wait(timeout: timeout.map { $0 / 1000 }) }
               }))),
        Mutant("select-timeout-milliseconds-as-seconds", "select's timeval gets the timeout in milliseconds, as poll takes it, so 0.05 s waits 50 s",
               rejectedBy: ["SELECT-2": .timedOut],
               SelectorSpec(SelectorMutant(on: [.select], change: { selector in
                   selector.waiting = { selector, timeout throws(SelectorError) in try selector.wait(timeout: timeout.map { $0 * 1000 }) }
               }))),
        Mutant("selector-negative-timeout-blocks", "a negative timeout goes to the kernel as it is, where -1 waits for ever",
               rejectedBy: ["SELECT-2": .timedOut],
               SelectorSpec(SelectorMutant(change: { selector in
                   selector.waiting = { selector, timeout throws(SelectorError) in
                       try selector.wait(timeout: timeout.flatMap { $0 < 0 ? nil : $0 })
                   }
               }))),
        Mutant("selector-ready-list-kept", "each wait adds what it found to a list kept between waits, never emptied",
               rejectedBy: ["SELECT-3": .fail, "SELECT-4": .fail, "SELECT-9": .fail, "SELECT-10": .fail, "SELECT-11": .fail, "SELECT-12": .fail],
               SelectorSpec(SelectorMutant(change: { selector in
                   var ready: [ReadyDescriptor] = []
                   selector.waiting = { selector, timeout throws(SelectorError) in
                       ready += try selector.wait(timeout: timeout)
                       return ready
                   }
               }))),
        Mutant("select-nfds-off-by-one", "select(2) is given the highest descriptor as nfds, not the highest plus one",
               rejectedBy: ["SELECT-2": .fail, "SELECT-3": .timedOut, "SELECT-4": .fail, "SELECT-5": .timedOut, "SELECT-6": .fail,
                            "SELECT-9": .fail, "SELECT-10": .timedOut],
               SelectorSpec(SelectorMutant(on: [.select], make: { _ throws(SelectorError) in OffByOneSelect() }))),
        Mutant("poll-gives-up-on-signal", "poll(2) is called once: a signal handler's EINTR ends a wait without a timeout with nothing",
               rejectedBy: ["SELECT-2": .fail],
               SelectorSpec(SelectorMutant(on: [.poll], make: { _ throws(SelectorError) in OncePoll() }))),
        Mutant("poll-hang-up-is-readable", "poll reports a hang-up (POLLHUP) as readable, as select does",
               rejectedBy: ["SELECT-4": .fail],
               SelectorSpec(SelectorMutant(on: [.poll], change: { selector in
                   selector.reporting { events in
                       events.contains(.hangUp) ? events.subtracting(.hangUp).union(.readable) : events
                   }
               }))),
        Mutant("selector-reports-only-asked", "reports only the events asked for, dropping the hang-up, error and invalid the kernel reports unasked",
               rejectedBy: ["SELECT-4": .fail, "SELECT-6": .fail],
               SelectorSpec(SelectorMutant(change: { selector in
                   var asked: [Int32: IOEvents] = [:]
                   selector.registering = { selector, descriptor, events throws(SelectorError) in
                       try selector.register(descriptor, for: events)
                       asked[descriptor] = events
                   }
                   selector.modifying = { selector, descriptor, events throws(SelectorError) in
                       try selector.modify(descriptor, for: events)
                       asked[descriptor] = events
                   }
                   selector.waiting = { selector, timeout throws(SelectorError) in
                       try selector.wait(timeout: timeout).compactMap { ready in
                           let events = ready.events.intersection(asked[ready.descriptor] ?? [])
                           return events.isEmpty ? nil : ReadyDescriptor(descriptor: ready.descriptor, events: events)
                       }
                   }
               }))),
        Mutant("selector-never-asks-read-hang-up", "poll and epoll never ask the kernel for RDHUP, taking readable to cover a peer's close",
               rejectedBy: ["SELECT-5": .fail],
               SelectorSpec(SelectorMutant(on: [.poll, .epoll], change: { selector in selector.asking { $0.subtracting(.readHangUp) } }))),
        Mutant("selector-read-hang-up-is-hang-up", "poll and epoll report a peer's close (RDHUP) as hang-up (HUP)",
               rejectedBy: ["SELECT-5": .fail],
               SelectorSpec(SelectorMutant(on: [.poll, .epoll], change: { selector in
                   selector.reporting { events in
                       events.contains(.readHangUp) ? events.subtracting(.readHangUp).union(.hangUp) : events
                   }
               }))),
        Mutant("poll-drops-invalid", "poll leaves out the entries whose revents is POLLNVAL, as if nothing happened",
               rejectedBy: ["SELECT-6": .fail],
               SelectorSpec(SelectorMutant(on: [.poll], change: { selector in selector.reporting { $0.subtracting(.invalid) } }))),
        Mutant("selector-register-twice-modifies", "register of a registered descriptor modifies it, as Python's poll.register does",
               rejectedBy: ["SELECT-7": .fail],
               SelectorSpec(SelectorMutant(change: { selector in
                   selector.registering = { selector, descriptor, events throws(SelectorError) in
                       do throws(SelectorError) { try selector.register(descriptor, for: events) } catch .alreadyRegistered {
                           try selector.modify(descriptor, for: events)
                       }
                   }
               }))),
        Mutant("selector-unregister-unknown-ignored", "unregister of a descriptor not registered does nothing, as set.discard",
               rejectedBy: ["SELECT-7": .fail],
               SelectorSpec(SelectorMutant(change: { selector in
                   selector.unregistering = { selector, descriptor throws(SelectorError) in
                       do throws(SelectorError) { try selector.unregister(descriptor) } catch .notRegistered {}
                   }
               }))),
        Mutant("selector-close-ignored", "close() does nothing, so the selector goes on working",
               rejectedBy: ["SELECT-7": .fail],
               SelectorSpec(SelectorMutant(change: { selector in selector.closing = { _ in } }))),
        Mutant("select-no-fd-setsize-check", "select takes a descriptor at or above FD_SETSIZE (C's FD_SET would write past the set; this mutant never puts it in one)",
               rejectedBy: ["SELECT-8": .fail],
               SelectorSpec(SelectorMutant(on: [.select], change: { selector in
                   selector.registering = { selector, descriptor, events throws(SelectorError) in
                       guard descriptor < FD_SETSIZE else { return }
                       try selector.register(descriptor, for: events)
                   }
               }))),
        Mutant("poll-drops-epoll-flags", "poll quietly drops EPOLLET and EPOLLONESHOT instead of refusing them",
               rejectedBy: ["SELECT-8": .fail],
               SelectorSpec(SelectorMutant(on: [.poll], change: { selector in selector.asking { $0.subtracting(IOEvents.epollFlags) } }))),
        Mutant("selector-modify-ignored", "modify returns without changing anything",
               rejectedBy: ["SELECT-7": .fail, "SELECT-9": .fail, "SELECT-12": .fail],
               SelectorSpec(SelectorMutant(change: { selector in selector.modifying = { _, _, _ throws(SelectorError) in } }))),
        Mutant("selector-modify-adds", "modify adds the events to those asked before instead of replacing them",
               rejectedBy: ["SELECT-9": .fail],
               SelectorSpec(SelectorMutant(change: { selector in
                   var asked: [Int32: IOEvents] = [:]
                   selector.registering = { selector, descriptor, events throws(SelectorError) in
                       try selector.register(descriptor, for: events)
                       asked[descriptor] = events
                   }
                   selector.modifying = { selector, descriptor, events throws(SelectorError) in
                       let all = events.union(asked[descriptor] ?? [])
                       try selector.modify(descriptor, for: all)
                       asked[descriptor] = all
                   }
               }))),
        Mutant("epoll-always-edge-triggered", "epoll adds EPOLLET to every registration, as the fast servers do",
               rejectedBy: ["SELECT-4": .fail, "SELECT-10": .fail],
               SelectorSpec(SelectorMutant(on: [.epoll], change: { selector in selector.asking { $0.union(.edgeTriggered) } }))),
        Mutant("epoll-mask-is-16-bits", "epoll gets the mask cut to poll's 16 bits, losing EPOLLONESHOT (1 << 30) and EPOLLET (1 << 31)",
               rejectedBy: ["SELECT-11": .fail, "SELECT-12": .fail],
               SelectorSpec(SelectorMutant(on: [.epoll], change: { selector in
                   selector.asking { IOEvents(rawValue: UInt32(UInt16(truncatingIfNeeded: $0.rawValue))) }
               }))),
        Mutant("epoll-modify-skips-unchanged", "modify skips epoll_ctl when the events did not change, so a one-shot is never re-armed",
               rejectedBy: ["SELECT-12": .fail],
               SelectorSpec(SelectorMutant(on: [.epoll], change: { selector in
                   var asked: [Int32: IOEvents] = [:]
                   selector.registering = { selector, descriptor, events throws(SelectorError) in
                       try selector.register(descriptor, for: events)
                       asked[descriptor] = events
                   }
                   selector.modifying = { selector, descriptor, events throws(SelectorError) in
                       guard asked[descriptor] != events else { return }
                       try selector.modify(descriptor, for: events)
                       asked[descriptor] = events
                   }
               }))),
    ]
}

/// A poll(2) selector written by hand that calls poll once, so EINTR (a signal handler ran) ends a
/// wait that should go on, with nothing to report.
final class OncePoll: SelectorObject {
    private var asked: [Int32: IOEvents] = [:]

    var mechanism: IOMechanism { .poll }
    func register(_ descriptor: Int32, for events: IOEvents) throws(SelectorError) {
        guard asked[descriptor] == nil else { throw .alreadyRegistered(descriptor) }
        asked[descriptor] = events
    }
    func modify(_ descriptor: Int32, for events: IOEvents) throws(SelectorError) {
        guard asked[descriptor] != nil else { throw .notRegistered(descriptor) }
        asked[descriptor] = events
    }
    func unregister(_ descriptor: Int32) throws(SelectorError) {
        guard asked.removeValue(forKey: descriptor) != nil else { throw .notRegistered(descriptor) }
    }
    func wait(timeout: Double?) throws(SelectorError) -> [ReadyDescriptor] {
        var entries = asked.map { pollfd(fd: $0.key, events: Int16(truncatingIfNeeded: $0.value.rawValue), revents: 0) }
        let milliseconds = timeout.map { Int32(max(0, $0 * 1000).rounded(.up)) } ?? -1
        guard poll(&entries, nfds_t(entries.count), milliseconds) > 0 else { return [] }
        return entries.filter { $0.revents != 0 }.map {
            ReadyDescriptor(descriptor: $0.fd, events: IOEvents(rawValue: UInt32(UInt16(bitPattern: $0.revents))))
        }
    }
    func close() {}
}
