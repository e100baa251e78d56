extension Chapter {
    /// 并发网络通信模型: the line echo server on each server model, checked from outside as a
    /// process with real clients: what every model shares (ECHO), then what defines each one
    /// (SERVER).
    public static let servers = Chapter(
        id: "servers",
        title: "Server models: the echo server",
        sections: ["并发网络通信模型", "循环服务器模型", "基于fork的多进程网络并发模型", "基于threading的多线程网络并发", "IO并发模型"],
        concepts: [echoServerConcept, serverModelsConcept])

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
              A concurrent model (fork, thread, select, poll, epoll) serves 100 clients connected \
              at once, each sending lines in turn with the others, and each gets exactly its own \
              lines back.
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
              After 200 clients come and go, the fork model leaves no zombie: within 10 s the \
              server has no child process left.
              """),
        .rule("SERVER-5", "基于threading的多线程网络并发", c: false,
              """
              The thread model serves each client in a thread of its own, in one process: each \
              connected client adds one thread, and the threads end when their clients leave.
              """),
    ])
}
