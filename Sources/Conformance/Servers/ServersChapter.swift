extension Chapter {
    /// 并发网络通信模型: the line echo server on each server model, checked from outside as a
    /// process with real clients. The IO chapter's models (select, poll, epoll) come first.
    public static let servers = Chapter(
        id: "servers",
        title: "Server models: the echo server",
        sections: ["并发网络通信模型", "IO并发模型"],
        concepts: [echoServerConcept])

    private static let echoServerConcept: Concept.Draft =
    .concept("echo-server", api: "EchoServerAPI",
             mirrors: "day5 select_server.py, poll_server.py, epoll_server.py: socket + select / poll / epoll, a line echo",
             rules: [
        .rule("ECHO-1", "IO并发模型", c: false,
              """
              Started with port 0, a server prints "listening on 127.0.0.1:PORT" first, then sends \
              back each line a client sends, unchanged, whether it came in pieces or with others \
              in one send, whatever its bytes.
              """),
        .rule("ECHO-2", "IO并发模型", c: false,
              """
              A concurrent model serves 100 clients connected at once, each sending lines in turn \
              with the others, and each gets exactly its own lines back.
              """),
        .rule("ECHO-3", "IO并发模型", c: false,
              """
              A client that sends half a line and then nothing, resets the connection in the \
              middle of a line, or sends lines without reading their echoes (held up by the server \
              within 64 MiB) delays and disturbs nobody; the silent one is echoed once it ends its \
              line.
              """),
        .rule("ECHO-4", "IO并发模型", c: false,
              """
              A line of up to 65536 bytes comes back; a longer one gets "error: line longer than \
              65536 bytes" and its connection is closed, and the server serves on.
              """),
        .rule("ECHO-5", "并发网络通信模型", c: false,
              """
              SIGTERM or SIGINT ends the server with status 0 within 10 s, closing its clients' \
              connections and releasing its port.
              """),
    ])
}
