extension Chapter {
    /// ftp 文件服务器 (day5/ftp): the FTP file server, checked from outside as a process with the
    /// check's own FTP client on 127.0.0.1, each part of the protocol and each limit a rule.
    static let ftpServerConcept: Concept.Draft =
    .concept("ftp-server", api: "FTPServerAPI",
             mirrors: "day5/ftp (the course's file server and client); ftplib.FTP as the client, pyftpdlib as a server",
             rules: [
        .rule("FTP-1", "ftp 文件服务器", c: false,
              """
              Started with --root DIR and port 0, the server prints "listening on 127.0.0.1:PORT" first; a client \
              is greeted with 220; before logging in, PWD, LIST and RETR answer 530; USER anonymous answers 331 and \
              PASS with any password 230 (or USER answers 230 at once); QUIT answers 221 and the server closes the \
              connection.
              """,
              zh: """
              以 --root DIR 和端口 0 启动时，服务器首先打印 "listening on 127.0.0.1:PORT"；客户端连上后收到 220 \
              欢迎；登录之前，PWD、LIST 和 RETR 应答 530；USER anonymous 应答 331，任意密码的 PASS 应答 230\
              （或 USER 直接应答 230）；QUIT 应答 221，服务器随后关闭连接。
              """),
        .rule("FTP-2", "ftp 文件服务器", c: false,
              """
              Misuse gets its reply code and the session goes on: PASS before USER answers 503; once logged in, an \
              unknown command answers 500 and RETR without a path 501; NOOP then answers 200.
              """,
              zh: """
              误用得到相应的应答码，会话继续：在 USER 之前发 PASS 应答 503；登录之后，未知命令应答 500，\
              不带路径的 RETR 应答 501；随后 NOOP 仍应答 200。
              """),
        .rule("FTP-3", "ftp 文件服务器", c: false,
              """
              PWD answers 257 with the current folder in quotes, "/" at first; CWD into a folder answers 250 (PWD \
              then gives "/dir") and CDUP 200 or 250 back to "/"; CWD to a missing folder or to a file answers 550; MKD \
              answers 257 and makes the folder, RMD 250 and removes it, RMD of a missing folder 550.
              """,
              zh: """
              PWD 应答 257，引号中是当前目录，起初为 "/"；CWD 进入一个目录应答 250（之后 PWD 给出 "/dir"），\
              CDUP 应答 200 或 250 并回到 "/"；CWD 到不存在的目录或一个文件应答 550；MKD 应答 257 并创建目录，\
              RMD 应答 250 并删除它，RMD 不存在的目录应答 550。
              """),
        .rule("FTP-4", "ftp 文件服务器", c: false,
              """
              Passive mode: EPSV answers 229 naming a port as "(|||PORT|)" and PASV 227 naming 127,0,0,1 and a port; \
              over a data connection to either, NLST sends exactly the folder's names, one per line ending in CRLF, \
              between 150 (or 125) and 226 (or 250); NLST of a folder lists that folder, and LIST sends a line per \
              entry ending with its name.
              """,
              zh: """
              被动模式：EPSV 应答 229，以 "(|||PORT|)" 给出端口；PASV 应答 227，给出 127,0,0,1 和端口；\
              连上其中任一数据连接后，NLST 恰好发送目录中的名字，每行一个、以 CRLF 结尾，\
              前有 150（或 125），后有 226（或 250）；对子目录的 NLST 列出该目录，LIST 为每个条目发送一行、以其名字结尾。
              """),
        .rule("FTP-5", "ftp 文件服务器", c: false,
              """
              After TYPE I, RETR sends a file's exact bytes (1 MiB holding every byte value) and 226; SIZE answers \
              213 and its size in bytes, MDTM 213 and its modification time as YYYYMMDDHHMMSS in UTC; RETR and SIZE \
              of a missing file answer 550.
              """,
              zh: """
              TYPE I 之后，RETR 发送文件的原样字节（1 MiB，包含每一种字节值）并应答 226；SIZE 应答 213 和以字节计的大小，\
              MDTM 应答 213 和以 UTC 表示为 YYYYMMDDHHMMSS 的修改时间；对不存在文件的 RETR 和 SIZE 应答 550。
              """),
        .rule("FTP-6", "ftp 文件服务器", c: false,
              """
              TYPE A answers 200 and converts line ends: RETR of a file of LF-ended lines sends CRLF-ended lines, \
              and STOR of CRLF-ended lines stores LF-ended lines.
              """,
              zh: """
              TYPE A 应答 200 并转换行尾：对以 LF 结尾各行的文件，RETR 发送以 CRLF 结尾的行；\
              STOR 以 CRLF 结尾的行时，存为以 LF 结尾的行。
              """),
        .rule("FTP-7", "ftp 文件服务器", c: false,
              """
              After TYPE I, STOR stores exactly the bytes sent (1 MiB), replacing a file of that name, and answers \
              226; DELE answers 250 and removes the file, and DELE of a missing file answers 550.
              """,
              zh: """
              TYPE I 之后，STOR 恰好存下发送的字节（1 MiB），替换同名文件，并应答 226；\
              DELE 应答 250 并删除文件，DELE 不存在的文件应答 550。
              """),
        .rule("FTP-8", "ftp 文件服务器", c: false,
              """
              The root is a jail: RETR, STOR, SIZE, DELE, CWD, MKD, RMD and LIST given a way out (".." above the \
              root, after a folder or from "/", and links leading out to a file or a folder) answer 550 (pyftpdlib \
              instead takes ".." at the root as the root, as chroot does), and nothing outside the root is read, \
              written or removed; "/hello.txt" is the root's hello.txt.
              """,
              zh: """
              根目录是一座监狱：RETR、STOR、SIZE、DELE、CWD、MKD、RMD 和 LIST 遇到越狱的路径\
              （根之上的 ".."，无论是在目录之后还是从 "/" 开始，以及指向外面文件或目录的符号链接）都应答 550\
              （pyftpdlib 则像 chroot 那样把根上的 ".." 当作根本身），\
              根目录之外的任何东西都不会被读取、写入或删除；"/hello.txt" 就是根目录下的 hello.txt。
              """),
        .rule("FTP-9", "ftp 文件服务器", c: false,
              """
              Uploads are atomic: while an upload's bytes arrive, a file of that name keeps its old bytes; an upload \
              whose data connection is reset midway gets no 2xx reply and leaves the name as it was and no other \
              file; two clients uploading the same name at once leave one of the two uploads whole.
              """,
              zh: """
              上传是原子的：上传的字节到达期间，同名文件保持原来的字节；数据连接在中途被重置的上传不会得到 2xx 应答，\
              同名文件保持原样，也不留下其他文件；两个客户端同时上传同一个名字，最后留下的是两者之一的完整内容。
              """),
        .rule("FTP-10", "ftp 文件服务器", c: false,
              """
              Clients are served at once: while a client sits logged in with half a command sent, 20 more clients \
              connect together, log in and each download the 1 MiB file whole.
              """,
              zh: """
              多个客户端同时得到服务：当一个已登录的客户端只发送了半条命令而停住时，\
              另外 20 个客户端同时连接、登录，并各自完整下载那个 1 MiB 的文件。
              """),
        .rule("FTP-11", "ftp 文件服务器", c: false,
              """
              With --max-upload-bytes N, a STOR of more than N bytes answers 552 and stores nothing, not even a part; \
              one of N bytes is stored whole.
              """,
              zh: """
              使用 --max-upload-bytes N 时，超过 N 字节的 STOR 应答 552，且什么也不存下，连一部分也没有；\
              恰好 N 字节的上传被完整存下。
              """),
        .rule("FTP-12", "ftp 文件服务器", c: false,
              """
              With --max-clients N and N clients connected, one more is answered 421 and closed while the N are still \
              served; once one leaves, a new client is served.
              """,
              zh: """
              使用 --max-clients N 且已有 N 个客户端连接时，再来一个客户端收到 421 并被关闭，而那 N 个仍得到服务；\
              有一个离开之后，新客户端得到服务。
              """),
        .rule("FTP-13", "ftp 文件服务器", c: false,
              """
              With --idle-seconds S, a client that sends no command for S seconds is answered 421 and its \
              connection closed, while a client that keeps sending commands stays.
              """,
              zh: """
              使用 --idle-seconds S 时，S 秒内没有发送命令的客户端收到 421 并被关闭连接，\
              而一直在发送命令的客户端得以保留。
              """),
        .rule("FTP-14", "ftp 文件服务器", c: false,
              """
              SIGTERM ends the server with status 0 within 10 s, closing its clients' connections.
              """,
              zh: """
              SIGTERM 使服务器在 10 秒内以状态 0 结束，并关闭其客户端的连接。
              """),
    ])
}
