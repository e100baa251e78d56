extension Chapter {
    /// HTTPServer v2.0 (day6 http_server.py): the HTTP/1.1 server, checked from outside as a
    /// process with raw requests on 127.0.0.1, each status a rule.
    static let httpServerConcept: Concept.Draft =
    .concept("http-server", api: "HTTPServerAPI",
             mirrors: "day6 http_server.py (HTTPServer v2.0); http.server.ThreadingHTTPServer and SimpleHTTPRequestHandler",
             rules: [
        .rule("HTTP-1", "HTTPServer v2.0", c: false,
              """
              Started with --root DIR and port 0, the server prints "listening on 127.0.0.1:PORT" first; GET of \
              a file answers 200 with its exact bytes, Content-Length, and a Content-Type from its extension \
              (text/plain for .txt, text/css for .css, image/png for .png).
              """,
              zh: """
              以 --root DIR 和端口 0 启动时，服务器首先打印 "listening on 127.0.0.1:PORT"；\
              对文件的 GET 以 200 应答，带上文件的原样字节、Content-Length，\
              以及按扩展名给出的 Content-Type（.txt 为 text/plain，.css 为 text/css，.png 为 image/png）。
              """),
        .rule("HTTP-2", "HTTPServer v2.0", c: false,
              """
              HEAD of a file answers the status and headers GET would, Content-Length included, and no body: \
              the next response on the connection starts right after the head.
              """,
              zh: """
              对文件的 HEAD 应答与 GET 相同的状态和头部（包括 Content-Length），但没有响应体：\
              连接上的下一个响应紧接在这个头部之后开始。
              """),
        .rule("HTTP-3", "HTTPServer v2.0", c: false,
              """
              HTTP/1.1 keeps the connection open: three requests sent in one piece (pipelined) get their three \
              responses in order, and a request sent later on the same connection is answered too.
              """,
              zh: """
              HTTP/1.1 保持连接：一次发出的三个请求（流水线）按顺序得到三个响应，\
              之后在同一连接上发出的请求也得到应答。
              """),
        .rule("HTTP-4", "HTTPServer v2.0", c: false,
              """
              After its response the server closes the connection of an HTTP/1.0 request and of an HTTP/1.1 \
              request with "Connection: close".
              """,
              zh: """
              应答之后，服务器关闭 HTTP/1.0 请求的连接，以及带 "Connection: close" 的 HTTP/1.1 请求的连接。
              """),
        .rule("HTTP-5", "HTTPServer v2.0", c: false,
              """
              A file's response has Last-Modified, its modification time as an HTTP date; a GET with that \
              date in If-Modified-Since answers 304 with no body, one with an earlier date 200 with the file.
              """,
              zh: """
              文件的响应带有 Last-Modified，即其修改时间的 HTTP 日期；If-Modified-Since 为该日期的 GET \
              应答 304 且没有响应体，日期更早的则应答 200 和文件。
              """),
        .rule("HTTP-6", "HTTPServer v2.0", c: false,
              """
              A folder's path with its slash serves its index.html, or without one an HTML listing linking \
              each entry, names escaped (a file named "<x>&.txt" shows as &lt;x&gt;&amp;.txt); without its \
              slash it answers 301 with Location the path and a slash.
              """,
              zh: """
              带斜杠的目录路径返回其 index.html；没有 index.html 时返回链接每个条目的 HTML 列表，\
              名称经过转义（名为 "<x>&.txt" 的文件显示为 &lt;x&gt;&amp;.txt）；\
              不带斜杠时应答 301，Location 为加上斜杠的路径。
              """),
        .rule("HTTP-7", "HTTPServer v2.0", c: false,
              """
              A non-page request goes to a handler: /api/echo answers a GET or a POST with JSON holding the \
              request's "method", "path", "query" (null without one) and "body", a body sent with \
              Content-Length or chunked alike.
              """,
              zh: """
              非网页请求交给处理函数：/api/echo 对 GET 或 POST 以 JSON 应答，其中有请求的 "method"、\
              "path"、"query"（没有查询串时为 null）和 "body"，无论请求体以 Content-Length 还是分块（chunked）发送。
              """),
        .rule("HTTP-8", "HTTPServer v2.0", c: false,
              """
              The path is percent-decoded once, after it is split from its query: /a%20b.txt serves the \
              file "a b.txt" and /100%2525.txt the file "100%25.txt".
              """,
              zh: """
              路径在与查询串分开之后只做一次百分号解码：/a%20b.txt 返回文件 "a b.txt"，\
              /100%2525.txt 返回文件 "100%25.txt"。
              """),
        .rule("HTTP-9", "HTTPServer v2.0", c: false,
              """
              The root is a jail: "..", sent raw or percent-encoded, and symbolic links that lead out of the \
              root are refused with 403, 404 or 400, and no byte of a file outside the root is ever sent.
              """,
              zh: """
              根目录是一个牢笼：".."（原样或百分号编码）以及指向根目录之外的符号链接都以 403、404 或 400 拒绝，\
              根目录之外文件的任何字节都不会被发送。
              """),
        .rule("HTTP-10", "HTTPServer v2.0", c: false,
              """
              A path with nothing behind it answers 404 with a small body, and the connection serves the \
              next request.
              """,
              zh: """
              没有对应内容的路径应答 404 和一个小的响应体，该连接继续服务下一个请求。
              """),
        .rule("HTTP-11", "HTTPServer v2.0", c: false,
              """
              A method the server knows but the path does not take (DELETE of a file, POST to a file) \
              answers 405 with an Allow header naming GET and HEAD.
              """,
              zh: """
              服务器认识但该路径不接受的方法（对文件 DELETE、对文件 POST）应答 405，\
              并带有列出 GET 和 HEAD 的 Allow 头部。
              """),
        .rule("HTTP-12", "HTTPServer v2.0", c: false,
              """
              A malformed request (a request line without a version, a header line without a colon, an \
              HTTP/1.1 request without Host) answers 400 and the connection is closed.
              """,
              zh: """
              格式错误的请求（请求行没有版本、头部行没有冒号、HTTP/1.1 请求没有 Host）应答 400，并关闭连接。
              """),
        .rule("HTTP-13", "HTTPServer v2.0", c: false,
              """
              A request whose Content-Length is over 1 MiB answers 413 as soon as its head arrives, without \
              waiting for the body.
              """,
              zh: """
              Content-Length 超过 1 MiB 的请求在头部到达后立即应答 413，不等待请求体。
              """),
        .rule("HTTP-14", "HTTPServer v2.0", c: false,
              """
              A request target longer than 8 KiB answers 414.
              """,
              zh: """
              长于 8 KiB 的请求目标应答 414。
              """),
        .rule("HTTP-15", "HTTPServer v2.0", c: false,
              """
              Request headers of more than 16 KiB in all answer 431.
              """,
              zh: """
              总计超过 16 KiB 的请求头部应答 431。
              """),
        .rule("HTTP-16", "HTTPServer v2.0", c: false,
              """
              A method the server does not know (BREW) answers 501.
              """,
              zh: """
              服务器不认识的方法（BREW）应答 501。
              """),
        .rule("HTTP-17", "HTTPServer v2.0", c: false,
              """
              An HTTP version other than 1.0 and 1.1 (HTTP/2.0, HTTP/3.0) answers 505.
              """,
              zh: """
              1.0 和 1.1 之外的 HTTP 版本（HTTP/2.0、HTTP/3.0）应答 505。
              """),
        .rule("HTTP-18", "HTTPServer v2.0", c: false,
              """
              IO concurrency: while 100 clients each hold a connection with half a request sent, a new \
              client is answered.
              """,
              zh: """
              IO 并发：当 100 个客户端各自持有一个只发送了半个请求的连接时，新的客户端仍能得到应答。
              """),
        .rule("HTTP-19", "HTTPServer v2.0", c: false,
              """
              A request that has not arrived whole within --request-seconds of its first byte (a slowloris \
              client) answers 408 and the connection is closed.
              """,
              zh: """
              从第一个字节起在 --request-seconds 之内没有完整到达的请求（slowloris 客户端）应答 408，并关闭连接。
              """),
        .rule("HTTP-20", "HTTPServer v2.0", c: false,
              """
              With --max-connections N and N clients connected, one more answers 503 and is closed; once one \
              leaves, a new client is served.
              """,
              zh: """
              在 --max-connections N 且已有 N 个客户端连接时，再来一个客户端收到 503 并被关闭；\
              有一个离开之后，新客户端得到服务。
              """),
        .rule("HTTP-21", "HTTPServer v2.0", c: false,
              """
              SIGTERM stops the server gracefully: a download under way finishes whole, new connections are \
              refused, and the server ends with status 0.
              """,
              zh: """
              SIGTERM 让服务器优雅地停止：进行中的下载完整结束，新连接被拒绝，服务器以状态 0 结束。
              """),
    ])
}
