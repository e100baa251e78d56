import Conformance
import Glibc
import Networking

/// A socket that is the reference `Networking.Socket` except for the hooks given. It shows the
/// timeout it was given, while its descriptor gets `descriptorTimeout` of it (the mode the
/// reference then works in).
final class MutantSocket: SocketObject {
    let reference: Networking.Socket
    private(set) var timeout: Double?
    /// The descriptor number a close that forgets to mark the socket closed keeps showing.
    var staleDescriptor: Int32?
    var settingTimeout: ((MutantSocket, Double?) throws(SocketError) -> Void)?
    var descriptorTimeout: (Double?) -> Double? = { $0 }
    var accepting: ((MutantSocket) throws(SocketError) -> (Networking.Socket, SocketAddress))?
    var connecting: ((MutantSocket, SocketAddress) throws(SocketError) -> Void)?
    var readingPendingError: ((MutantSocket) throws(SocketError) -> Int32)?
    var sending: ((MutantSocket, [UInt8]) throws(SocketError) -> Int)?
    var sendingAll: ((MutantSocket, [UInt8]) throws(SocketError) -> Void)?
    var receiving: ((MutantSocket, Int) throws(SocketError) -> [UInt8])?
    var receivingFrom: ((MutantSocket, Int) throws(SocketError) -> ([UInt8], SocketAddress))?
    var closing: ((MutantSocket) -> Void)?
    var shuttingDown: ((MutantSocket, SocketShutdown) throws(SocketError) -> Void)?
    /// Runs on each socket accepted from this one, to give it the same hooks.
    var change: (MutantSocket) -> Void = { _ in }

    init(_ reference: Networking.Socket) { self.reference = reference }

    var descriptor: Int32 { staleDescriptor ?? reference.descriptor }
    func setTimeout(_ seconds: Double?) throws(SocketError) {
        if let settingTimeout { return try settingTimeout(self, seconds) }
        if let seconds, seconds < 0 { throw .negativeTimeout(seconds) }
        try reference.setTimeout(descriptorTimeout(seconds))
        timeout = seconds
    }
    /// Sets the timeout shown without asking the reference (for the hooks).
    func show(_ seconds: Double?) { timeout = seconds }
    func setBlocking(_ blocking: Bool) throws(SocketError) { try setTimeout(blocking ? nil : 0) }
    func setReuseAddress(_ reuse: Bool) throws(SocketError) { try reference.setReuseAddress(reuse) }
    func bind(_ address: SocketAddress) throws(SocketError) { try reference.bind(address) }
    func listen(backlog: Int32) throws(SocketError) { try reference.listen(backlog: backlog) }
    func localAddress() throws(SocketError) -> SocketAddress { try reference.localAddress() }
    func accept() throws(SocketError) -> (MutantSocket, SocketAddress) {
        let (connection, address) = if let accepting { try accepting(self) } else { try reference.accept() }
        let accepted = MutantSocket(connection)
        change(accepted)
        return (accepted, address)
    }
    func connect(_ address: SocketAddress) throws(SocketError) {
        if let connecting { try connecting(self, address) } else { try reference.connect(address) }
    }
    func pendingError() throws(SocketError) -> Int32 {
        if let readingPendingError { try readingPendingError(self) } else { try reference.pendingError() }
    }
    func send(_ bytes: [UInt8]) throws(SocketError) -> Int {
        if let sending { try sending(self, bytes) } else { try reference.send(bytes) }
    }
    func sendAll(_ bytes: [UInt8]) throws(SocketError) {
        if let sendingAll { try sendingAll(self, bytes) } else { try reference.sendAll(bytes) }
    }
    func receive(maximum: Int) throws(SocketError) -> [UInt8] {
        if let receiving { try receiving(self, maximum) } else { try reference.receive(maximum: maximum) }
    }
    func send(_ bytes: [UInt8], to address: SocketAddress) throws(SocketError) -> Int { try reference.send(bytes, to: address) }
    func receiveFrom(maximum: Int) throws(SocketError) -> ([UInt8], SocketAddress) {
        if let receivingFrom { try receivingFrom(self, maximum) } else { try reference.receiveFrom(maximum: maximum) }
    }
    func shutdown(_ how: SocketShutdown) throws(SocketError) {
        if let shuttingDown { try shuttingDown(self, how) } else { try reference.shutdown(how) }
    }
    func close() { if let closing { closing(self) } else { reference.close() } }
}

/// Makes `MutantSocket`s around the reference's; `change` sets the hooks of each socket made or
/// accepted.
struct SocketMutant: SocketAPI {
    var change: (MutantSocket) -> Void = { _ in }

    func tcp() throws(SocketError) -> MutantSocket { made(try SocketFactory().tcp()) }
    func udp() throws(SocketError) -> MutantSocket { made(try SocketFactory().udp()) }

    private func made(_ reference: Networking.Socket) -> MutantSocket {
        let socket = MutantSocket(reference)
        socket.change = change
        change(socket)
        return socket
    }
}

/// poll(2) of one descriptor for `event`: true if it is ready within `milliseconds`.
private func becomesReady(_ descriptor: Int32, _ event: Int32, withinMilliseconds milliseconds: Int32) -> Bool {
    var entry = pollfd(fd: descriptor, events: Int16(event), revents: 0)
    return poll(&entry, 1, milliseconds) > 0
}

/// A timeout done by hand on a descriptor that is non-blocking whenever there is a timeout: when
/// accept, recv or connect would block, `ready(socket, event)` waits its own way for the
/// descriptor, and the call is tried again, or gives up with `.timedOut` when it says false.
private func timeoutByHand(_ socket: MutantSocket, ready: @escaping (MutantSocket, Int32) -> Bool) {
    socket.descriptorTimeout = { $0 == nil ? nil : 0 }
    socket.accepting = { socket throws(SocketError) in
        try retried(socket, POLLIN, ready) { () throws(SocketError) in try socket.reference.accept() }
    }
    socket.receiving = { socket, maximum throws(SocketError) in
        try retried(socket, POLLIN, ready) { () throws(SocketError) in try socket.reference.receive(maximum: maximum) }
    }
    socket.connecting = { socket, address throws(SocketError) in
        do throws(SocketError) { try socket.reference.connect(address) } catch .inProgress where socket.timeout != 0 {
            guard ready(socket, POLLOUT) else { throw .timedOut }
            let outcome = try socket.reference.pendingError()
            if outcome == ECONNREFUSED { throw .connectionRefused }
            if outcome != 0 { throw .system(call: "connect", errno: Errno(rawValue: outcome)) }
        }
    }
}

/// `attempt`, and when it would block with a timeout, once more after `ready` says the descriptor is.
private func retried<Result>(_ socket: MutantSocket, _ event: Int32, _ ready: (MutantSocket, Int32) -> Bool,
                             _ attempt: () throws(SocketError) -> Result) throws(SocketError) -> Result {
    do throws(SocketError) { return try attempt() } catch .wouldBlock where socket.timeout != 0 {
        guard ready(socket, event) else { throw .timedOut }
        return try attempt()
    }
}

/// Computed, so no mutable global is shared.
var socketMutants: [Mutant] {
    [
        Mutant("socket-shutdown-closes", "shutdown closes the descriptor instead, which wakes no thread blocked on the socket",
               rejectedBy: ["SOCKET-10": .timedOut],
               SocketSpec(SocketMutant(change: { socket in socket.shuttingDown = { socket, _ in socket.reference.close() } }))),
        Mutant("socket-shutdown-writing-only", "shutdown(.both) passes SHUT_WR, so a blocked accept or recv sleeps on",
               rejectedBy: ["SOCKET-10": .timedOut],
               SocketSpec(SocketMutant(change: { socket in
                   socket.shuttingDown = { socket, how throws(SocketError) in try socket.reference.shutdown(how == .both ? .writing : how) }
               }))),
        Mutant("socket-shutdown-hides-not-connected", "shutdown swallows ENOTCONN, so an unconnected socket's shutdown seems to succeed",
               rejectedBy: ["SOCKET-10": .fail],
               SocketSpec(SocketMutant(change: { socket in
                   socket.shuttingDown = { socket, how throws(SocketError) in
                       do throws(SocketError) { try socket.reference.shutdown(how) } catch .notConnected {}
                   }
               }))),
        Mutant("socket-negative-timeout-blocks", "setTimeout(-1) makes the socket blocking, as poll's -1 waits for ever",
               rejectedBy: ["SOCKET-1": .fail],
               SocketSpec(SocketMutant(change: { socket in
                   socket.settingTimeout = { socket, seconds throws(SocketError) in
                       let timeout = seconds.flatMap { $0 < 0 ? nil : $0 }
                       try socket.reference.setTimeout(timeout)
                       socket.show(timeout)
                   }
               }))),
        Mutant("socket-timeout-zero-blocks", "only a positive timeout sets O_NONBLOCK, so a timeout of 0 blocks",
               rejectedBy: ["SOCKET-2": .timedOut, "SOCKET-5": .fail],
               SocketSpec(SocketMutant(change: { socket in socket.descriptorTimeout = { $0 == 0 ? nil : $0 } }))),
        Mutant("socket-timeout-seconds-as-milliseconds", "poll(2) is given the timeout's seconds as milliseconds, so 0.1 s waits 0 ms",
               rejectedBy: ["SOCKET-3": .fail, "SOCKET-6": .fail],
               SocketSpec(SocketMutant(change: { socket in
                   timeoutByHand(socket) { socket, event in
                       becomesReady(socket.descriptor, event, withinMilliseconds: Int32(socket.timeout!))
                   }
               }))),
        Mutant("socket-timeout-sleeps-first", "with a timeout t, accept and recv sleep t first (for data to come), then make the call",
               rejectedBy: ["SOCKET-3": .timedOut],
               SocketSpec(SocketMutant(change: { socket in
                   func sleepFirst(_ socket: MutantSocket) {
                       if let timeout = socket.timeout, timeout > 0 { usleep(UInt32(timeout * 1_000_000)) }
                   }
                   socket.accepting = { socket throws(SocketError) in sleepFirst(socket); return try socket.reference.accept() }
                   socket.receiving = { socket, maximum throws(SocketError) in
                       sleepFirst(socket)
                       return try socket.reference.receive(maximum: maximum)
                   }
               }))),
        Mutant("socket-blocking-busy-polls", "a blocking accept or recv calls poll(2) with timeout 0 in a loop until the descriptor is ready",
               rejectedBy: ["SOCKET-4": .timedOut],
               SocketSpec(SocketMutant(change: { socket in
                   func spin(_ socket: MutantSocket) {
                       guard socket.timeout == nil, socket.descriptor >= 0 else { return }
                       while !becomesReady(socket.descriptor, POLLIN, withinMilliseconds: 0) {}
                   }
                   socket.accepting = { socket throws(SocketError) in spin(socket); return try socket.reference.accept() }
                   socket.receiving = { socket, maximum throws(SocketError) in
                       spin(socket)
                       return try socket.reference.receive(maximum: maximum)
                   }
               }))),
        Mutant("socket-connect-ignores-in-progress", "connect catches EINPROGRESS and returns as if connected",
               rejectedBy: ["SOCKET-5": .fail],
               SocketSpec(SocketMutant(change: { socket in
                   socket.connecting = { socket, address throws(SocketError) in
                       do throws(SocketError) { try socket.reference.connect(address) } catch .inProgress {}
                   }
               }))),
        Mutant("socket-pending-error-is-zero", "pendingError() returns 0 without reading SO_ERROR",
               rejectedBy: ["SOCKET-5": .fail],
               SocketSpec(SocketMutant(change: { socket in socket.readingPendingError = { _ throws(SocketError) in 0 } }))),
        Mutant("socket-pending-error-kept", "pendingError() reads SO_ERROR once and keeps returning that first value",
               rejectedBy: ["SOCKET-5": .fail],
               SocketSpec(SocketMutant(change: { socket in
                   var first: Int32?
                   socket.readingPendingError = { socket throws(SocketError) in
                       if first == nil { first = try socket.reference.pendingError() }
                       return first!
                   }
               }))),
        Mutant("socket-connect-ignores-timeout", "connect with a timeout makes the descriptor blocking, so it waits until the kernel gives up",
               rejectedBy: ["SOCKET-6": .timedOut],
               SocketSpec(SocketMutant(change: { socket in
                   socket.connecting = { socket, address throws(SocketError) in
                       guard let timeout = socket.timeout, timeout > 0 else { return try socket.reference.connect(address) }
                       try socket.reference.setTimeout(nil)
                       defer { try? socket.reference.setTimeout(timeout) }
                       try socket.reference.connect(address)
                   }
               }))),
        Mutant("socket-connect-timeout-throws-in-progress", "connect with a timeout throws .inProgress at once, as a non-blocking connect does",
               rejectedBy: ["SOCKET-6": .fail],
               SocketSpec(SocketMutant(change: { socket in
                   socket.connecting = { socket, address throws(SocketError) in
                       guard let timeout = socket.timeout, timeout > 0 else { return try socket.reference.connect(address) }
                       try socket.reference.setTimeout(0)
                       defer { try? socket.reference.setTimeout(timeout) }
                       try socket.reference.connect(address)
                   }
               }))),
        Mutant("socket-receive-waits-for-maximum", "recv(n) loops until it has n bytes or the peer closed, as MSG_WAITALL",
               rejectedBy: ["SOCKET-2": .fail, "SOCKET-3": .timedOut, "SOCKET-4": .timedOut, "SOCKET-7": .fail],
               SocketSpec(SocketMutant(change: { socket in
                   socket.receiving = { socket, maximum throws(SocketError) in
                       var bytes: [UInt8] = []
                       while bytes.count < maximum {
                           let piece = try socket.reference.receive(maximum: maximum - bytes.count)
                           if piece.isEmpty { break }
                           bytes += piece
                       }
                       return bytes
                   }
               }))),
        Mutant("socket-end-of-stream-throws", "recv throws .connectionReset when it reads 0 bytes, instead of returning the end of the stream",
               rejectedBy: ["SOCKET-7": .fail],
               SocketSpec(SocketMutant(change: { socket in
                   socket.receiving = { socket, maximum throws(SocketError) in
                       let bytes = try socket.reference.receive(maximum: maximum)
                       if bytes.isEmpty && maximum > 0 { throw .connectionReset }
                       return bytes
                   }
               }))),
        Mutant("udp-receive-joins-datagrams", "recvfrom goes on reading while datagrams are waiting, as if UDP were a stream",
               rejectedBy: ["SOCKET-8": .fail],
               SocketSpec(SocketMutant(change: { socket in
                   socket.receivingFrom = { socket, maximum throws(SocketError) in
                       let (first, sender) = try socket.reference.receiveFrom(maximum: maximum)
                       var bytes = first
                       var buffer = [UInt8](repeating: 0, count: maximum)
                       while bytes.count < maximum {
                           let count = recv(socket.descriptor, &buffer, maximum - bytes.count, Int32(MSG_DONTWAIT))
                           if count <= 0 { break }
                           bytes += buffer[..<count]
                       }
                       return (bytes, sender)
                   }
               }))),
        Mutant("udp-sender-is-own-address", "recvfrom reports the socket's own address (getsockname) as the sender",
               rejectedBy: ["SOCKET-8": .fail],
               SocketSpec(SocketMutant(change: { socket in
                   socket.receivingFrom = { socket, maximum throws(SocketError) in
                       (try socket.reference.receiveFrom(maximum: maximum).0, try socket.reference.localAddress())
                   }
               }))),
        Mutant("socket-send-hides-reset", "send returns 0 bytes sent when the peer reset or closed, instead of throwing",
               rejectedBy: ["SOCKET-9": .fail],
               SocketSpec(SocketMutant(change: { socket in
                   socket.sending = { socket, bytes throws(SocketError) in
                       do throws(SocketError) { return try socket.reference.send(bytes) } catch .connectionReset, .brokenPipe { return 0 }
                   }
               }))),
        Mutant("socket-send-raises-sigpipe", "send(2) without MSG_NOSIGNAL: sending on a connection the peer closed raises SIGPIPE, which ends the process",
               rejectedBy: ["SOCKET-9": .crashed],
               SocketSpec(SocketMutant(change: { socket in
                   socket.sending = { socket, bytes throws(SocketError) in
                       let count = bytes.withUnsafeBytes { Glibc.send(socket.descriptor, $0.baseAddress, $0.count, 0) }
                       if count < 0 { throw Errno.current.rawValue == EPIPE ? .brokenPipe : .connectionReset }
                       return count
                   }
               }))),
        Mutant("socket-sendall-sends-once", "sendAll is one send, which takes only what the kernel has room for when the socket has a timeout",
               rejectedBy: ["SOCKET-7": .fail],
               SocketSpec(SocketMutant(change: { socket in
                   socket.sendingAll = { socket, bytes throws(SocketError) in _ = try socket.reference.send(bytes) }
               }))),
        Mutant("socket-close-keeps-descriptor", "close() closes the descriptor but keeps its number, so fileno() is not -1",
               rejectedBy: ["SOCKET-9": .fail],
               SocketSpec(SocketMutant(change: { socket in
                   socket.closing = { socket in
                       if socket.staleDescriptor == nil { socket.staleDescriptor = socket.reference.descriptor }
                       socket.reference.close()
                   }
               }))),
    ]
}
