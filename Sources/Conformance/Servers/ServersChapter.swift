extension Chapter {
    /// 并发网络通信模型: the line echo server on each server model, checked from outside as a
    /// process with real clients: what every model shares (ECHO), then what defines each one
    /// (SERVER). 群聊聊天室: the UDP chat room of the fork section, its server and its
    /// interactive client. HTTPServer v2.0: the HTTP/1.1 server (HTTP), in HTTPServerRules.swift.
    /// ftp 文件服务器: the FTP file server (FTP), in FTPServerRules.swift.
    public static let servers = Chapter(
        id: "servers",
        title: "Servers: the echo server on every model, the chat room, the HTTP server and the FTP server",
        chineseTitle: "服务器：各种服务器模型上的回显服务器、群聊聊天室、HTTP 服务器，以及 FTP 文件服务器",
        sections: ["并发网络通信模型", "循环服务器模型", "基于fork的多进程网络并发模型", "基于threading的多线程网络并发", "IO并发模型",
                   "协程技术", "标准库协程的实现", "群聊聊天室", "ftp 文件服务器", "HTTPServer v2.0"],
        concepts: [echoServerConcept, serverModelsConcept, chatRoomConcept, ftpServerConcept, httpServerConcept])

    private static let echoServerConcept: Concept.Draft =
    .concept("echo-server", api: "EchoServerAPI",
             mirrors: "day4 fork_server.py, thread_server.py; day5 select_server.py, poll_server.py, epoll_server.py: a line echo",
             rules: [
        .rule("ECHO-1", "IO并发模型", c: false,
              """
              Started with port 0, a server prints "listening on 127.0.0.1:PORT" first; on every \
              TCP model it sends back each line a client sends, unchanged, whether it came in \
              pieces or with others in one send, whatever its bytes.
              """,
              zh: """
              以端口 0 启动时，服务器首先打印 "listening on 127.0.0.1:PORT"；\
              在每种 TCP 服务器模型上，它把客户端发来的每一行原样发回，无论这一行是分几段到达，\
              还是和其他行在一次发送中到达，也无论它含有什么字节。
              """),
        .rule("ECHO-2", "IO并发模型", c: false,
              """
              A concurrent model (fork, thread, select, poll, epoll, coroutine, async) serves 100 clients \
              connected at once, each sending lines in turn with the others, and each gets exactly \
              its own lines back.
              """,
              zh: """
              并发服务器模型（fork、thread、select、poll、epoll、coroutine、async）\
              能同时服务 100 个已连接的客户端，它们轮流与其他客户端交替发送行，\
              每个客户端都恰好收回自己的行。
              """),
        .rule("ECHO-3", "IO并发模型", c: false,
              """
              On a concurrent model, a client that sends half a line and then nothing, resets the \
              connection in the \
              middle of a line, or sends lines without reading their echoes (held up by the server \
              within 64 MiB) delays and disturbs nobody; the silent one is echoed once it ends its \
              line.
              """,
              zh: """
              在并发服务器模型上，一个客户端发送半行后就什么都不发、在一行中间重置连接，\
              或者只发送行而不读取回显（由服务器在 64 MiB 之内暂存），\
              都不会延误或干扰任何其他客户端；沉默的客户端在写完这一行后得到回显。
              """),
        .rule("ECHO-4", "IO并发模型", c: false,
              """
              On every TCP model a line of up to 65536 bytes comes back; a longer one gets "error: \
              line longer than 65536 bytes" and its connection is closed, and the server serves on.
              """,
              zh: """
              在每种 TCP 服务器模型上，最长 65536 字节的行都能发回；\
              更长的行收到 "error: line longer than 65536 bytes"，其连接被关闭，服务器继续服务。
              """),
        .rule("ECHO-5", "并发网络通信模型", c: false,
              """
              SIGTERM or SIGINT ends the server, whatever its model, with status 0 within 10 s, \
              closing its clients' connections, leaving none of its child processes behind and \
              releasing its port.
              """,
              zh: """
              无论哪种服务器模型，SIGTERM 或 SIGINT 都会使服务器在 10 秒内以状态 0 结束：\
              关闭其客户端的连接，不留下任何子进程，并释放其端口。
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
              """,
              zh: """
              循环服务器模型一次服务一个客户端：第二个客户端的行只有在第一个客户端离开后才得到回\
              答，在一行中间重置连接的客户端也不会使它停止服务下一个客户端。
              """),
        .rule("SERVER-2", "循环服务器模型", c: false,
              """
              The udp model sends each datagram back unchanged, from its port, to the address it \
              came from, for several clients in turn: empty, every byte value, up to 65507 bytes.
              """,
              zh: """
              udp 模型把每个数据报原样从自己的端口发回其来源地址，依次服务多个客户端：空数据报、\
              所有字节值、最长 65507 字节。
              """),
        .rule("SERVER-3", "基于fork的多进程网络并发模型", c: false,
              """
              The fork model serves each client in a child process of its own, which alone holds \
              the connection: the server closed its copy, and no two clients share a child.
              """,
              zh: """
              fork 模型在每个客户端各自的子进程中服务它，只有这个子进程持有该连接：\
              服务器关闭了自己的副本，没有两个客户端共用一个子进程。
              """),
        .rule("SERVER-4", "基于fork的多进程网络并发模型", c: false,
              """
              After 200 clients come and go, the fork model leaves no zombie: it never sleeps \
              while a child of its is a zombie, and it comes to have no child process left.
              """,
              zh: """
              200 个客户端来了又走之后，fork 模型不留下僵尸进程：\
              它在有子进程是僵尸进程时从不睡眠，最终没有剩下任何子进程。
              """),
        .rule("SERVER-5", "基于threading的多线程网络并发", c: false,
              """
              The thread model serves each client in a thread of its own, in one process: each \
              connected client adds one thread, and the threads end when their clients leave.
              """,
              zh: """
              thread 模型在一个进程中，为每个客户端各用一个线程服务：\
              每个已连接的客户端增加一个线程，客户端离开时线程结束。
              """),
        .rule("SERVER-6", "协程技术", c: false,
              """
              The coroutine model serves 1,000 clients connected at once, each one's line echoed, \
              with one thread and no child process: a coroutine per client, all on one thread \
              (gevent_server.py).
              """,
              zh: """
              coroutine 模型以一个线程、不用子进程同时服务 1,000 个已连接的客户端，\
              每个客户端的行都得到回显：每个客户端一个协程，全部在一个线程上（gevent_server.py）。
              """),
        .rule("SERVER-7", "标准库协程的实现", c: false,
              """
              The async model serves 1,000 clients connected at once, each one's line echoed, \
              with one thread and no child process: a task per client on a single-threaded \
              executor (asyncio's start_server).
              """,
              zh: """
              async 模型以一个线程、不用子进程同时服务 1,000 个已连接的客户端，\
              每个客户端的行都得到回显：在单线程的执行器上每个客户端一个任务\
              （asyncio 的 start_server）。
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
              """,
              zh: """
              以端口 0 启动时，服务器首先打印 "listening on 127.0.0.1:PORT"；\
              来自新地址的 "L name" 加入聊天室并得到回复 "OK"；已被占用或无效的姓名（为空、\
              超过 32 个字符、含有空白、控制字符或 ':'，或者包含 "管理员"）得到 "E reason"，\
              不加入。
              """),
        .rule("CHAT-2", "群聊聊天室", c: false,
              """
              When a member joins, every other member receives "M name 进入了聊天室", and when one \
              leaves with "Q" (its reply "OK"), every other member receives "M name 退出了聊天室"; \
              nobody hears of their own join or leave, and the name is free again.
              """,
              zh: """
              有成员加入时，其他每个成员都收到 "M name 进入了聊天室"；\
              有成员以 "Q" 退出时（回复 "OK"），其他每个成员都收到 "M name 退出了聊天室"；\
              没有人收到自己加入或退出的通知，退出后该姓名可以再次使用。
              """),
        .rule("CHAT-3", "群聊聊天室", c: false,
              """
              "C text" from a member reaches every other member once, as "M name : text", and \
              never its sender; unlike the course, whose client writes its own name into each "C \
              name text", the server names the sender by its address.
              """,
              zh: """
              成员发出的 "C text" 以 "M name : text" 的形式送达其他每个成员各一次，\
              绝不送回发送者；与课程不同（课程的客户端在每条 "C name text" 中写上自己的姓名），\
              服务器按地址确定发送者的姓名。
              """),
        .rule("CHAT-4", "群聊聊天室", c: false,
              """
              Each non-empty line typed on the server's standard input reaches every member as "M \
              管理员消息: line"; unlike the course, whose server forks a child that sends each line \
              back to the server as a datagram anyone could forge, the server reads its stdin itself.
              """,
              zh: """
              在服务器标准输入上输入的每一个非空行都以 "M 管理员消息: line" 的形式送达每个成员；\
              与课程不同（课程的服务器 fork 一个子进程，把每一行作为数据报发回服务器，\
              任何人都能伪造这种数据报），服务器自己读取其标准输入。
              """),
        .rule("CHAT-5", "群聊聊天室", c: false,
              """
              A member is its address: "C", "Q" or "H" from an address that has not joined gets "E \
              reason" and reaches nobody, whatever name it gives, and "L" from a member's address \
              gets "E reason" and leaves its name unchanged.
              """,
              zh: """
              成员就是它的地址：来自未加入地址的 "C"、"Q" 或 "H" 得到 "E reason"，不送达任何人，\
              无论它给出什么姓名；来自成员地址的 "L" 得到 "E reason"，其姓名保持不变。
              """),
        .rule("CHAT-6", "群聊聊天室", c: false,
              """
              A datagram over 1024 bytes, one that is not UTF-8, empty or an unknown command, or a \
              message that is empty or has a control character other than tab, gets "E reason" \
              and changes nothing; unlike CPython's recvfrom(1024), which silently cuts a longer \
              datagram, the server sees its whole length.
              """,
              zh: """
              超过 1024 字节的数据报，不是 UTF-8、为空或命令未知的数据报，或者为空、\
              含有制表符以外的控制字符的消息，都得到 "E reason"，不改变任何状态；\
              与 CPython 的 recvfrom(1024) 悄悄截断较长的数据报不同，\
              服务器能看到数据报的完整长度。
              """),
        .rule("CHAT-7", "群聊聊天室", c: false,
              """
              A member from whose address nothing (a keep-alive "H" included) came for the idle \
              time (--idle-seconds, 60 by default) is dropped, no sooner, and every other member \
              receives "M name 退出了聊天室"; a member that sends "H" more often stays.
              """,
              zh: """
              在空闲时间（--idle-seconds，默认 60）内其地址没有发来任何内容（包括保活的 "H"）\
              的成员被移除，不会更早，其他每个成员都收到 "M name 退出了聊天室"；\
              更频繁地发送 "H" 的成员会留下。
              """),
        .rule("CHAT-8", "群聊聊天室", c: false,
              """
              SIGTERM or SIGINT ends the server with status 0 within 10 s, releasing its UDP port.
              """,
              zh: """
              SIGTERM 或 SIGINT 使服务器在 10 秒内以状态 0 结束，并释放其 UDP 端口。
              """),
        .rule("CHAT-9", "群聊聊天室", c: false,
              """
              At a terminal, the client asks "请输入姓名:", shows the server's reason and asks again \
              when the name is refused, shows "您已进入聊天室" once joined, and then each join of \
              another member as it happens.
              """,
              zh: """
              在终端上，客户端提示 "请输入姓名:"，姓名被拒绝时显示服务器给出的原因并再次询问，\
              加入后显示 "您已进入聊天室"，之后实时显示其他成员的每次加入。
              """),
        .rule("CHAT-10", "群聊聊天室", c: false,
              """
              At a terminal, the client shows the others' messages as they come, even while its \
              user is in the middle of typing a line (a process for each direction, as the \
              course's fork), sends each line typed, never shows its own, and leaves on "quit" or \
              the end of input (Ctrl-D), the others told, ending with status 0 and no process left.
              """,
              zh: """
              在终端上，客户端实时显示其他人的消息，即使用户正在输入一行也如此（与课程的 fork 一\
              样，每个方向一个进程）；它发送输入的每一行，从不显示自己的消息，\
              在输入 "quit" 或输入结束（Ctrl-D）时退出并通知其他人，以状态 0 结束，\
              不留下任何进程。
              """),
        .rule("CHAT-11", "群聊聊天室", c: false,
              """
              The client sends "H" every keep-alive interval (--keepalive-seconds, 10 by default), \
              so a client left alone at its terminal stays a member of a server whose idle time is \
              longer.
              """,
              zh: """
              客户端每隔一个保活间隔（--keepalive-seconds，默认 10）发送一次 "H"，\
              因此在空闲时间更长的服务器上，无人操作的客户端仍是成员。
              """),
    ])
}
