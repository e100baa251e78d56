import Glibc

/// The folder an HTTP or FTP check serves, made fresh in the temporary folder and removed afterwards:
/// `root/` with files of known bytes, and beside it, outside the root, `secret.txt`, which no
/// response may ever contain.
final class ServedSite {
    /// The folder made for the check: `root/` and `secret.txt`.
    private let folder: TemporaryFolder
    var base: String { folder.path }
    var root: String { base + "/root" }

    static let hello = Array("hello, world\n".utf8)
    static let css = Array("h1 { color: green; }\n".utf8)
    /// A PNG's signature and the start of its header chunk: enough for a type by extension.
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]
    static let index = Array("<h1>index of dir</h1>\n".utf8)
    static let secret = "TOP SECRET 7f3a"
    /// hello.txt's modification time: Tue, 02 Jan 2024 03:04:05 GMT.
    static let helloModified: time_t = 1_704_164_645

    init() throws {
        do throws(Errno) { folder = try TemporaryFolder("served-site") } catch { throw Self.broken("mkdtemp(served-site-XXXXXX)") }
        try make(root)
        try write("secret.txt", Array((Self.secret + "\n").utf8), under: base)
        try write("hello.txt", Self.hello)
        var times = [timespec(tv_sec: Self.helloModified, tv_nsec: 0), timespec(tv_sec: Self.helloModified, tv_nsec: 0)]
        utimensat(AT_FDCWD, root + "/hello.txt", &times, 0)
        try write("style.css", Self.css)
        try write("pic.png", Self.png)
        try write("a b.txt", Array("space\n".utf8))
        try write("100%25.txt", Array("percent\n".utf8))
        try make(root + "/dir")
        try write("dir/index.html", Self.index)
        try make(root + "/list")
        try write("list/<x>&.txt", Array("x\n".utf8))
        try write("list/plain.txt", Array("plain\n".utf8))
        symlink("../secret.txt", root + "/leak.txt")
        symlink("..", root + "/up")
    }

    deinit { folder.remove() }

    /// The check's own setup failed: the rule is `broken`, not failed.
    private static func broken(_ what: String) -> CheckFailure {
        CheckFailure("the check's own \(what) failed: \(Errno.current)", expected: nil, actual: nil, isBroken: true)
    }

    /// Writes `bytes` to `path` under the root (or `folder`).
    func write(_ path: String, _ bytes: [UInt8], under folder: String? = nil) throws {
        let file = (folder ?? root) + "/" + path
        let descriptor = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Self.broken("open(\(file))") }
        defer { close(descriptor) }
        do throws(Errno) { try writeAll(descriptor, bytes) } catch { throw Self.broken("write(\(file))") }
    }

    private func make(_ folder: String) throws {
        guard mkdir(folder, 0o755) == 0 else {
            throw Self.broken("mkdir(\(folder))")
        }
    }

    /// The names in `folder` on disk (without "." and ".."), or nil when it cannot be read.
    static func names(in folder: String) -> Set<String>? { Folder.names(in: folder).map(Set.init) }

    /// The bytes of the file at `path`, or nil when there is none.
    static func contents(of path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return bytes }
            bytes += buffer[..<count]
        }
    }
}
