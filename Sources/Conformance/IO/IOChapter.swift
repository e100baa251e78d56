extension Chapter {
    /// IO并发: blocking, non-blocking and timed-out socket calls, and IO multiplexing with select,
    /// poll and epoll, whose event masks are the course's bit-operation lesson (位运算).
    public static let io = Chapter(
        id: "io",
        title: "IO: blocking, non-blocking and timeouts; select, poll and epoll",
        sections: ["阻塞IO", "非阻塞IO", "超时检测", "IO多路复用", "位运算"],
        concepts: [socketConcept, selectorConcept])

    private static let socketConcept: Concept.Draft =
    .concept("socket", api: "SocketAPI",
             mirrors: "socket.socket: setblocking, settimeout, gettimeout, bind, listen, accept, connect, getsockopt(SO_ERROR), send, sendall, recv, sendto, recvfrom, close",
             rules: [
        .rule("SOCKET-1", "超时检测", c: false,
              """
              A new socket blocks (timeout nil); setTimeout(0) and setBlocking(false) both make it \
              non-blocking (timeout 0), setTimeout(nil) and setBlocking(true) blocking again; a \
              negative timeout throws .negativeTimeout and changes nothing (Python: ValueError).
              """),
        .rule("SOCKET-2", "非阻塞IO", c: true,
              """
              Not blocking, accept with no connection pending and recv with no data throw \
              .wouldBlock (EAGAIN; Python: BlockingIOError) instead of waiting.
              """),
        .rule("SOCKET-3", "超时检测", c: true,
              """
              With a timeout t, accept and recv throw .timedOut (Python: TimeoutError "timed out") \
              after at least t when nothing comes, and return what comes within t.
              """),
        .rule("SOCKET-4", "阻塞IO", c: false,
              """
              Blocking, accept and recv sleep in the kernel until a client connects or data \
              arrives, then return it.
              """),
        .rule("SOCKET-5", "非阻塞IO", c: true,
              """
              A non-blocking connect throws .inProgress (EINPROGRESS, also on 127.0.0.1), the socket \
              becomes writable when the handshake ends, and pendingError() (SO_ERROR) reads its \
              outcome once: 0 for a listening port, ECONNREFUSED for a closed one.
              """),
        .rule("SOCKET-6", "超时检测", c: true,
              """
              A listener whose accept queue is full (backlog 0, one connection waiting) drops new \
              connection requests, so connect with a timeout t throws .timedOut after at least t.
              """),
        .rule("SOCKET-7", "阻塞IO", c: true,
              """
              TCP is a byte stream: recv(n) returns at most n bytes, those that have arrived, so a \
              1 MiB send is received by several recvs and sendAll/recv loops carry every byte in \
              order; once the peer closed, recv returns 0 bytes, every time.
              """),
        .rule("SOCKET-8", "阻塞IO", c: true,
              """
              UDP keeps datagram boundaries: each recvfrom returns one whole datagram with its \
              sender; a datagram longer than n is cut to its first n bytes and the rest discarded.
              """),
        .rule("SOCKET-9", "阻塞IO", c: true,
              """
              Errors are typed, never signals: connect to a closed port throws \
              .connectionRefused, send to a peer that reset throws .connectionReset or \
              .brokenPipe (no SIGPIPE), bind to a port in use .addressInUse; close() ends the \
              connection and any later call throws .closed (Python: OSError EBADF).
              """),
        .rule("SOCKET-10", "阻塞IO", c: true,
              """
              shutdown(.both) wakes a call blocked on the socket in another thread (close() does \
              not): accept throws EINVAL, recv and recvfrom return 0 bytes, even on an unconnected \
              UDP socket, whose shutdown throws .notConnected (Python: OSError ENOTCONN); \
              shutdown(.writing) sends the end of the stream while this end still receives.
              """),
    ])

    private static let selectorConcept: Concept.Draft =
    .concept("selector", api: "SelectorAPI",
             mirrors: "select.select, select.poll, select.epoll (register, modify, unregister, poll), selectors.SelectSelector / PollSelector / EpollSelector",
             rules: [
        .rule("SELECT-1", "位运算", c: true,
              """
              Event masks are the kernel's bits (readable = POLLIN = EPOLLIN = 0x001, writable = \
              0x004, ...), and a wait reports for each ready descriptor the events it asked for that \
              are ready, and error and hang-up always (select, which has no such sets, reports them \
              as readable), on select, poll and epoll alike.
              """),
        .rule("SELECT-2", "IO多路复用", c: true,
              """
              Timeouts are seconds for all three: nil waits until a descriptor is ready, even when \
              a signal handler interrupts it, 0 or less returns at once, t returns nothing after at \
              least t (as selectors; Python's select.select refuses a negative timeout, poll takes \
              milliseconds).
              """),
        .rule("SELECT-3", "IO多路复用", c: true,
              """
              A listening socket with a connection pending is readable, and no longer once it \
              was accepted.
              """),
        .rule("SELECT-4", "IO多路复用", c: true,
              """
              A pipe whose writers all closed: poll and epoll report hang-up, with readable while \
              data remains and alone once drained; select reports it readable (a read returns 0).
              """),
        .rule("SELECT-5", "IO多路复用", c: true,
              """
              A TCP peer's close shows as readable plus readHangUp (POLLRDHUP) on poll and epoll, \
              not as hang-up, since this end may still send; select reports readable.
              """),
        .rule("SELECT-6", "IO多路复用", c: true,
              """
              A descriptor closed while registered: poll reports it .invalid (POLLNVAL), select \
              throws .badDescriptor (EBADF), epoll reports nothing (closing removed it).
              """),
        .rule("SELECT-7", "IO多路复用", c: true,
              """
              Registering twice throws .alreadyRegistered (EEXIST), modifying or unregistering a \
              descriptor not registered .notRegistered (ENOENT), on all three (Python's poll.register \
              modifies instead), and any call after close() .closed.
              """),
        .rule("SELECT-8", "IO多路复用", c: false,
              """
              select refuses a descriptor at or above FD_SETSIZE (1024) with .descriptorTooLarge \
              (Python: ValueError) where C would write past the set, poll and epoll take it; events \
              a mechanism cannot express are .unsupported (readHangUp and epoll flags on select, \
              epoll flags on poll, invalid on epoll).
              """),
        .rule("SELECT-9", "IO多路复用", c: false,
              """
              modify replaces the events asked for and unregister stops the reports, both from \
              the next wait on.
              """),
        .rule("SELECT-10", "IO多路复用", c: true,
              """
              Level-triggered (select, poll, epoll by default): a descriptor is reported on every \
              wait while it is ready, e.g. while unread data remains.
              """),
        .rule("SELECT-11", "IO多路复用", c: true,
              """
              Edge-triggered epoll (EPOLLET) reports each arrival once: data left unread after a \
              partial read is not reported again until more arrives.
              """),
        .rule("SELECT-12", "IO多路复用", c: true,
              """
              One-shot epoll (EPOLLONESHOT) reports a descriptor once, then never, whatever \
              arrives, until modify re-arms it.
              """),
    ])
}
