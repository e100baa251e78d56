extension Chapter {
    /// 并发网络通信模型: the line echo server on each server model, checked from outside as a
    /// process with real clients: what every model shares (ECHO), then what defines each one
    /// (SERVER). 群聊聊天室: the UDP chat room of the fork section, its server and its
    /// interactive client.
    public static let servers = Chapter(
        id: "servers",
        title: "Servers: the echo server on every model, and the chat room",
        sections: ["并发网络通信模型", "循环服务器模型", "基于fork的多进程网络并发模型", "基于threading的多线程网络并发", "IO并发模型",
                   "协程技术", "标准库协程的实现", "群聊聊天室"],
        concepts: [echoServerConcept, serverModelsConcept, chatRoomConcept])

    private static let echoServerConcept: Concept.Draft =
    .concept("echo-server", api: "EchoServerAPI",
             mirrors: "day4 fork_server.py, thread_server.py; day5 select_server.py, poll_server.py, epoll_server.py: a line echo",
             rules: [
        .rule("ECHO-1", "IO并发模型", c: false,
              """
              Started with port 0, a server prints "listening on 127.0.0.1:PORT" first; on every \
              TCP model it sends back each line a client sends, unchanged, whether it came in \
              pieces or with others in one send, whatever its bytes.
              """),
        .rule("ECHO-2", "IO并发模型", c: false,
              """
              A concurrent model (fork, thread, select, poll, epoll, coroutine, async) serves 100 clients \
              connected at once, each sending lines in turn with the others, and each gets exactly \
              its own lines back.
              """),
        .rule("ECHO-3", "IO并发模型", c: false,
              """
              On a concurrent model, a client that sends half a line and then nothing, resets the \
              connection in the \
              middle of a line, or sends lines without reading their echoes (held up by the server \
              within 64 MiB) delays and disturbs nobody; the silent one is echoed once it ends its \
              line.
              """),
        .rule("ECHO-4", "IO并发模型", c: false,
              """
              On every TCP model a line of up to 65536 bytes comes back; a longer one gets "error: \
              line longer than 65536 bytes" and its connection is closed, and the server serves on.
              """),
        .rule("ECHO-5", "并发网络通信模型", c: false,
              """
              SIGTERM or SIGINT ends the server, whatever its model, with status 0 within 10 s, \
              closing its clients' connections, leaving none of its child processes behind and \
              releasing its port.
              """),
    ])

    private static let serverModelsConcept: Concept.Draft =
    .concept("server-models", api: "EchoServerAPI",
             mirrors: "day4 fork_server.py (os.fork per client), thread_server.py (threading.Thread per client); the loop and UDP servers",
             rules: [
        .rule("SERVER-1", "循环服务器模型", c: false,
              """
              The loop model serves one client at a time: a second client's line is answered only \
              once the first client leaves, and a client that resets in the middle of a line does \
              not stop it serving the next.
              """),
        .rule("SERVER-2", "循环服务器模型", c: false,
              """
              The udp model sends each datagram back unchanged, from its port, to the address it \
              came from, for several clients in turn: empty, every byte value, up to 65507 bytes.
              """),
        .rule("SERVER-3", "基于fork的多进程网络并发模型", c: false,
              """
              The fork model serves each client in a child process of its own, which alone holds \
              the connection: the server closed its copy, and no two clients share a child.
              """),
        .rule("SERVER-4", "基于fork的多进程网络并发模型", c: false,
              """
              After 200 clients come and go, the fork model leaves no zombie: it never sleeps \
              while a child of its is a zombie, and it comes to have no child process left.
              """),
        .rule("SERVER-5", "基于threading的多线程网络并发", c: false,
              """
              The thread model serves each client in a thread of its own, in one process: each \
              connected client adds one thread, and the threads end when their clients leave.
              """),
        .rule("SERVER-6", "协程技术", c: false,
              """
              The coroutine model serves 1,000 clients connected at once, each one's line echoed, \
              with one thread and no child process: a coroutine per client, all on one thread \
              (gevent_server.py).
              """),
        .rule("SERVER-7", "标准库协程的实现", c: false,
              """
              The async model serves 1,000 clients connected at once, each one's line echoed, \
              with one thread and no child process: a task per client on a single-threaded \
              executor (asyncio's start_server).
              """),
    ])

    private static let chatRoomConcept: Concept.Draft =
    .concept("chat-room", api: "ChatRoomAPI",
             mirrors: "基于fork的多进程编程 群聊聊天室: a UDP server (socket.recvfrom, sendto) and a client that forks one process for each direction",
             rules: [
        .rule("CHAT-1", "群聊聊天室", c: false,
              """
              Started with port 0, the server prints "listening on 127.0.0.1:PORT" first; "L name" \
              from a new address joins with the reply "OK", and a name taken or not valid (empty, \
              over 32 characters, with whitespace, a control character or ':', or containing \
              "管理员") gets "E reason" and joins nobody.
              """),
        .rule("CHAT-2", "群聊聊天室", c: false,
              """
              When a member joins, every other member receives "M name 进入了聊天室", and when one \
              leaves with "Q" (its reply "OK"), every other member receives "M name 退出了聊天室"; \
              nobody hears of their own join or leave, and the name is free again.
              """),
        .rule("CHAT-3", "群聊聊天室", c: false,
              """
              "C text" from a member reaches every other member once, as "M name : text", and \
              never its sender; unlike the course, whose client writes its own name into each "C \
              name text", the server names the sender by its address.
              """),
        .rule("CHAT-4", "群聊聊天室", c: false,
              """
              Each non-empty line typed on the server's standard input reaches every member as "M \
              管理员消息: line"; unlike the course, whose server forks a child that sends each line \
              back to the server as a datagram anyone could forge, the server reads its stdin itself.
              """),
        .rule("CHAT-5", "群聊聊天室", c: false,
              """
              A member is its address: "C", "Q" or "H" from an address that has not joined gets "E \
              reason" and reaches nobody, whatever name it gives, and "L" from a member's address \
              gets "E reason" and leaves its name unchanged.
              """),
        .rule("CHAT-6", "群聊聊天室", c: false,
              """
              A datagram over 1024 bytes, one that is not UTF-8, empty or an unknown command, or a \
              message that is empty or has a control character other than tab, gets "E reason" \
              and changes nothing; unlike CPython's recvfrom(1024), which silently cuts a longer \
              datagram, the server sees its whole length.
              """),
        .rule("CHAT-7", "群聊聊天室", c: false,
              """
              A member from whose address nothing (a keep-alive "H" included) came for the idle \
              time (--idle-seconds, 60 by default) is dropped, no sooner, and every other member \
              receives "M name 退出了聊天室"; a member that sends "H" more often stays.
              """),
        .rule("CHAT-8", "群聊聊天室", c: false,
              """
              SIGTERM or SIGINT ends the server with status 0 within 10 s, releasing its UDP port.
              """),
        .rule("CHAT-9", "群聊聊天室", c: false,
              """
              At a terminal, the client asks "请输入姓名:", shows the server's reason and asks again \
              when the name is refused, shows "您已进入聊天室" once joined, and then each join of \
              another member as it happens.
              """),
        .rule("CHAT-10", "群聊聊天室", c: false,
              """
              At a terminal, the client shows the others' messages as they come, even while its \
              user is in the middle of typing a line (a process for each direction, as the \
              course's fork), sends each line typed, never shows its own, and leaves on "quit" or \
              the end of input (Ctrl-D), the others told, ending with status 0 and no process left.
              """),
        .rule("CHAT-11", "群聊聊天室", c: false,
              """
              The client sends "H" every keep-alive interval (--keepalive-seconds, 10 by default), \
              so a client left alone at its terminal stays a member of a server whose idle time is \
              longer.
              """),
    ])
}
