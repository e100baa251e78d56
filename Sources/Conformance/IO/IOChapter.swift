extension Chapter {
    /// IO并发: blocking, non-blocking and timed-out socket calls, and IO multiplexing with select,
    /// poll and epoll, whose event masks are the course's bit-operation lesson (位运算).
    public static let io = Chapter(
        id: "io",
        title: "IO: blocking, non-blocking and timeouts; select, poll and epoll",
        chineseTitle: "IO：阻塞IO、非阻塞IO和超时检测；select、poll 和 epoll",
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
              """,
              zh: """
              新建的套接字是阻塞的（timeout 为 nil）；setTimeout(0) 和 setBlocking(false) 都使它变\
              为非阻塞（timeout 为 0），setTimeout(nil) 和 setBlocking(true) 使它重新阻塞；\
              负的超时抛出 .negativeTimeout，且不改变任何设置（Python：ValueError）。
              """),
        .rule("SOCKET-2", "非阻塞IO", c: true,
              """
              Not blocking, accept with no connection pending and recv with no data throw \
              .wouldBlock (EAGAIN; Python: BlockingIOError) instead of waiting.
              """,
              zh: """
              非阻塞时，没有待处理连接的 accept 和没有数据的 recv 抛出 .wouldBlock（EAGAIN；\
              Python：BlockingIOError），而不是等待。
              """),
        .rule("SOCKET-3", "超时检测", c: true,
              """
              With a timeout t, accept and recv throw .timedOut (Python: TimeoutError "timed out") \
              after at least t when nothing comes, and return what comes within t.
              """,
              zh: """
              设置超时 t 时，若什么都没有到来，accept 和 recv 至少等待 t 之后抛出 .timedOut\
              （Python：TimeoutError "timed out"），在 t 之内到来的内容则照常返回。
              """),
        .rule("SOCKET-4", "阻塞IO", c: false,
              """
              Blocking, accept and recv sleep in the kernel until a client connects or data \
              arrives, then return it.
              """,
              zh: """
              阻塞时，accept 和 recv 在内核中睡眠，直到有客户端连接或有数据到达，然后返回它。
              """),
        .rule("SOCKET-5", "非阻塞IO", c: true,
              """
              A non-blocking connect throws .inProgress (EINPROGRESS, also on 127.0.0.1), the socket \
              becomes writable when the handshake ends, and pendingError() (SO_ERROR) reads its \
              outcome once: 0 for a listening port, ECONNREFUSED for a closed one.
              """,
              zh: """
              非阻塞的 connect 抛出 .inProgress（EINPROGRESS，连接 127.0.0.1 也是如此），\
              握手结束时套接字变为可写，pendingError()（SO_ERROR）读取一次其结果：\
              端口在监听时为 0，端口关闭时为 ECONNREFUSED。
              """),
        .rule("SOCKET-6", "超时检测", c: true,
              """
              A listener whose accept queue is full (backlog 0, one connection waiting) drops new \
              connection requests, so connect with a timeout t throws .timedOut after at least t.
              """,
              zh: """
              accept 队列已满的监听套接字（backlog 为 0，已有一个连接在等待）会丢弃新的连接请求，\
              因此超时为 t 的 connect 至少等待 t 之后抛出 .timedOut。
              """),
        .rule("SOCKET-7", "阻塞IO", c: true,
              """
              TCP is a byte stream: recv(n) returns at most n bytes, those that have arrived, so a \
              1 MiB send is received by several recvs and sendAll/recv loops carry every byte in \
              order; once the peer closed, recv returns 0 bytes, every time. With a timeout, sendAll \
              to a peer that reads nothing gives up with .timedOut once the timeout has passed (as \
              CPython's sendall, whose timeout bounds the whole call).
              """,
              zh: """
              TCP 是字节流：recv(n) 最多返回 n 个字节，即已经到达的那些，\
              因此一次 1 MiB 的发送要由多次 recv 接收，sendAll/recv 循环按顺序传送每一个字节；\
              对端关闭后，recv 每次都返回 0 个字节。设置了超时的 sendAll，若对端什么也不读，\
              超时过后抛出 .timedOut（同 CPython 的 sendall：超时限定整个调用）。
              """),
        .rule("SOCKET-8", "阻塞IO", c: true,
              """
              UDP keeps datagram boundaries: each recvfrom returns one whole datagram with its \
              sender; a datagram longer than n is cut to its first n bytes and the rest discarded.
              """,
              zh: """
              UDP 保持数据报的边界：每次 recvfrom 返回一个完整的数据报及其发送方；\
              长于 n 的数据报被截为前 n 个字节，其余部分被丢弃。
              """),
        .rule("SOCKET-9", "阻塞IO", c: true,
              """
              Errors are typed, never signals: connect to a closed port throws \
              .connectionRefused, send to a peer that reset throws .connectionReset or \
              .brokenPipe (no SIGPIPE), bind to a port in use .addressInUse; close() ends the \
              connection and any later call throws .closed (Python: OSError EBADF).
              """,
              zh: """
              错误是有类型的，绝不是信号：connect 到关闭的端口抛出 .connectionRefused，\
              向已重置连接的对端 send 抛出 .connectionReset 或 .brokenPipe（没有 SIGPIPE），\
              bind 到已被占用的端口抛出 .addressInUse；close() 结束连接，\
              之后的任何调用抛出 .closed（Python：OSError EBADF）。
              """),
        .rule("SOCKET-10", "阻塞IO", c: true,
              """
              shutdown(.both) wakes a call blocked on the socket in another thread (close() does \
              not): accept throws EINVAL, recv and recvfrom return 0 bytes, even on an unconnected \
              UDP socket, whose shutdown throws .notConnected (Python: OSError ENOTCONN); \
              shutdown(.writing) sends the end of the stream while this end still receives.
              """,
              zh: """
              shutdown(.both) 会唤醒另一个线程中阻塞在该套接字上的调用（close() 不会）：\
              accept 抛出 EINVAL，recv 和 recvfrom 返回 0 个字节，\
              即使是未连接的 UDP 套接字也如此，它的 shutdown 抛出 .notConnected（Python：\
              OSError ENOTCONN）；shutdown(.writing) 发送流的结束，而本端仍可接收。
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
              """,
              zh: """
              事件掩码就是内核的位（readable = POLLIN = EPOLLIN = 0x001，writable = 0x004，……），\
              每次等待为每个就绪的描述符报告它关注且已就绪的事件，\
              错误和挂断则总是报告（select 没有这两种集合，把它们报告为可读），select、\
              poll 和 epoll 都是如此。
              """),
        .rule("SELECT-2", "IO多路复用", c: true,
              """
              Timeouts are seconds for all three: nil waits until a descriptor is ready, even when \
              a signal handler interrupts it, 0 or less returns at once, t returns nothing after at \
              least t (as selectors; Python's select.select refuses a negative timeout, poll takes \
              milliseconds).
              """,
              zh: """
              三者的超时都以秒计：nil 一直等到有描述符就绪，即使被信号处理函数打断也如此；\
              0 或更小立即返回；t 至少等待 t 之后返回空结果（与 selectors 相同；\
              Python 的 select.select 拒绝负的超时，poll 以毫秒计）。
              """),
        .rule("SELECT-3", "IO多路复用", c: true,
              """
              A listening socket with a connection pending is readable, and no longer once it \
              was accepted.
              """,
              zh: """
              有连接待接受的监听套接字是可读的，连接被 accept 之后就不再可读。
              """),
        .rule("SELECT-4", "IO多路复用", c: true,
              """
              A pipe whose writers all closed: poll and epoll report hang-up, with readable while \
              data remains and alone once drained; select reports it readable (a read returns 0).
              """,
              zh: """
              所有写端都已关闭的管道：poll 和 epoll 报告挂断，还有数据时同时报告可读，\
              数据读完后只报告挂断；select 报告它可读（read 返回 0）。
              """),
        .rule("SELECT-5", "IO多路复用", c: true,
              """
              A TCP peer's close shows as readable plus readHangUp (POLLRDHUP) on poll and epoll, \
              not as hang-up, since this end may still send; select reports readable.
              """,
              zh: """
              在 poll 和 epoll 上，TCP 对端关闭表现为可读加 readHangUp（POLLRDHUP），而不是挂断，\
              因为本端仍可发送；select 报告可读。
              """),
        .rule("SELECT-6", "IO多路复用", c: true,
              """
              A descriptor closed while registered: poll reports it .invalid (POLLNVAL), select \
              throws .badDescriptor (EBADF), epoll reports nothing (closing removed it).
              """,
              zh: """
              注册期间被关闭的描述符：poll 报告它 .invalid（POLLNVAL），\
              select 抛出 .badDescriptor（EBADF），epoll 什么都不报告（关闭已将其移除）。
              """),
        .rule("SELECT-7", "IO多路复用", c: true,
              """
              Registering twice throws .alreadyRegistered (EEXIST), modifying or unregistering a \
              descriptor not registered .notRegistered (ENOENT), on all three (Python's poll.register \
              modifies instead), and any call after close() .closed.
              """,
              zh: """
              三者都是：重复注册抛出 .alreadyRegistered（EEXIST），\
              修改或注销未注册的描述符抛出 .notRegistered（ENOENT）\
              （Python 的 poll.register 则改为修改），close() 之后的任何调用抛出 .closed。
              """),
        .rule("SELECT-8", "IO多路复用", c: false,
              """
              select refuses a descriptor at or above FD_SETSIZE (1024) with .descriptorTooLarge \
              (Python: ValueError) where C would write past the set, poll and epoll take it; events \
              a mechanism cannot express are .unsupported (readHangUp and epoll flags on select, \
              epoll flags on poll, invalid on epoll).
              """,
              zh: """
              select 拒绝大于或等于 FD_SETSIZE（1024）的描述符，抛出 .descriptorTooLarge（Python：\
              ValueError），而 C 会越过集合写入，poll 和 epoll 则接受它；\
              某个机制无法表达的事件抛出 .unsupported（select 上的 readHangUp 和 epoll 标志，\
              poll 上的 epoll 标志，epoll 上的 invalid）。
              """),
        .rule("SELECT-9", "IO多路复用", c: false,
              """
              modify replaces the events asked for and unregister stops the reports, both from \
              the next wait on.
              """,
              zh: """
              modify 替换所关注的事件，unregister 停止报告，两者都从下一次等待起生效。
              """),
        .rule("SELECT-10", "IO多路复用", c: true,
              """
              Level-triggered (select, poll, epoll by default): a descriptor is reported on every \
              wait while it is ready, e.g. while unread data remains.
              """,
              zh: """
              水平触发（select、poll，以及默认的 epoll）：描述符只要就绪，每次等待都会报告它，\
              例如仍有未读数据时。
              """),
        .rule("SELECT-11", "IO多路复用", c: true,
              """
              Edge-triggered epoll (EPOLLET) reports each arrival once: data left unread after a \
              partial read is not reported again until more arrives.
              """,
              zh: """
              边缘触发的 epoll（EPOLLET）每次数据到达只报告一次：\
              部分读取后留下的未读数据不会再被报告，直到又有新数据到达。
              """),
        .rule("SELECT-12", "IO多路复用", c: true,
              """
              One-shot epoll (EPOLLONESHOT) reports a descriptor once, then never, whatever \
              arrives, until modify re-arms it.
              """,
              zh: """
              一次性的 epoll（EPOLLONESHOT）只报告描述符一次，之后无论到来什么都不再报告，\
              直到 modify 重新启用它。
              """),
    ])
}
