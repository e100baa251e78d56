import Conformance
import Glibc

/// A folder served over HTTP (Python's `SimpleHTTPRequestHandler`, `python3 -m http.server`): a
/// file with its Content-Type, Content-Length and Last-Modified, `If-Modified-Since` answered with
/// 304, a folder with its index.html or a listing, a folder named without its slash redirected.
///
/// The root is a jail: a path with a `..` segment (also one that arrives percent-encoded, `%2e%2e`,
/// since the path is decoded before it gets here) is refused, and so is any path whose real path
/// (symbolic links followed) leaves the root.
public struct StaticFiles: Sendable {
    /// The root's real path.
    public let root: String

    /// Serves `folder`; throws when it is not a folder that can be read.
    public init(root folder: String) throws(HTTPServerError) {
        guard let real = realPath(folder) else { throw .badRoot(folder, .current) }
        var info = stat()
        guard stat(real, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { throw .badRoot(folder, Errno(rawValue: ENOTDIR)) }
        guard access(real, R_OK | X_OK) == 0 else { throw .badRoot(folder, .current) }
        root = real
    }

    /// The response to GET (or HEAD: the server sends no body) of `request`'s path.
    public func respond(to request: HTTPRequest) -> HTTPResponse {
        var segments: [Substring] = []
        for bytes in request.path.utf8.split(separator: UInt8(ascii: "/")) where !bytes.elementsEqual(".".utf8) {
            if bytes.elementsEqual("..".utf8) { return .error(.forbidden, "a path may not go up with ..") }
            segments.append(Substring(bytes))
        }
        // Segment by segment, so that a link leading out is refused whatever follows it, and
        // whether something exists outside is never told.
        var real = root
        // What the last segment is, when it is no link: then its lstat is the stat to serve it by.
        var known: stat?
        for segment in segments {
            real += "/"
            real += segment
            var link = stat()
            guard lstat(real, &link) == 0 else { return .error(.notFound, "nothing is at \(request.path)") }
            guard link.st_mode & S_IFMT == S_IFLNK else {
                known = link
                continue
            }
            known = nil
            guard let target = realPath(real), target == root || target.hasPrefix(root + "/") else {
                return .error(.forbidden, "\(request.path) leads out of the served folder")
            }
            real = target
        }
        var info = known ?? stat()
        guard known != nil || stat(real, &info) == 0 else { return .error(.notFound, "nothing is at \(request.path)") }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            guard request.path.hasSuffix("/") else {
                let location = URLPath.encode(request.path) + "/" + (request.query.map { "?" + $0 } ?? "")
                var moved = HTTPResponse.error(.movedPermanently, "the folder is at \(location)")
                moved.headers.append(("Location", location))
                return moved
            }
            var index = stat()
            if stat(real + "/index.html", &index) == 0, index.st_mode & S_IFMT == S_IFREG {
                return file(real + "/index.html", index, request)
            }
            return listing(real, request.path)
        case S_IFREG:
            return file(real, info, request)
        default:
            return .error(.forbidden, "\(request.path) is not a regular file")
        }
    }

    /// Files up to this size are read into memory and leave in the same send(2) as their head: for a
    /// small file one copy costs less than a second send and sendfile's splice. Larger files are
    /// sent with sendfile(2) and never read into memory.
    static let smallFileLimit = 16 * 1024

    /// A regular file: 304 when it has not changed since `If-Modified-Since`, else its bytes.
    private func file(_ path: String, _ info: stat, _ request: HTTPRequest) -> HTTPResponse {
        let modified = info.st_mtim.tv_sec
        let headers: [(name: String, value: String)] = [("Content-Type", MediaType.of(path)), ("Last-Modified", HTTPDate.format(modified))]
        if let since = request.headers["If-Modified-Since"].flatMap(HTTPDate.parse), modified <= since {
            return HTTPResponse(.notModified, headers: headers)
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard descriptor >= 0 else { return .error(.forbidden, "\(request.path) cannot be read") }
        let size = Int(info.st_size)
        guard size <= Self.smallFileLimit else {
            return HTTPResponse(.ok, headers: headers, body: .file(descriptor: descriptor, offset: 0, length: size))
        }
        defer { close(descriptor) }
        guard let bytes = Self.read(descriptor, upTo: size) else { return .error(.forbidden, "\(request.path) cannot be read") }
        return HTTPResponse(.ok, headers: headers, body: .bytes(bytes))
    }

    /// Up to `size` bytes from the start of the file (fewer if it shrank since its stat: the
    /// Content-Length is then what was read); nil when reading fails.
    private static func read(_ descriptor: CInt, upTo size: Int) -> [UInt8]? {
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            while count < size {
                let got = pread(descriptor, buffer.baseAddress! + count, size - count, off_t(count))
                if got < 0 && errno == EINTR { continue }
                if got < 0 { failed = true }
                if got <= 0 { break }
                count += got
            }
        }
        return failed ? nil : bytes
    }

    /// An HTML page linking each entry of the folder, folders first with their slash.
    private func listing(_ folder: String, _ path: String) -> HTTPResponse {
        var entries: [(name: String, isFolder: Bool)] = []
        if let directory = opendir(folder) {
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name == "." || name == ".." { continue }
                var info = stat()
                let isFolder = stat(folder + "/" + name, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
                entries.append((name, isFolder))
            }
            closedir(directory)
        }
        entries.sort { ($0.isFolder ? 0 : 1, $0.name) < ($1.isFolder ? 0 : 1, $1.name) }
        let title = "Index of \(HTML.escape(path))"
        var page = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>\(title)</title></head><body><h1>\(title)</h1><ul>\n"
        for entry in entries {
            let name = entry.name + (entry.isFolder ? "/" : "")
            page += "<li><a href=\"\(HTML.escape(URLPath.encode(name)))\">\(HTML.escape(name))</a></li>\n"
        }
        page += "</ul></body></html>\n"
        return HTTPResponse(.ok, contentType: "text/html; charset=utf-8", text: page)
    }
}

/// Why the server cannot start.
public enum HTTPServerError: Error, CustomStringConvertible {
    /// The folder to serve does not exist, is not a folder, or cannot be read.
    case badRoot(String, Errno)

    public var description: String {
        switch self {
        case .badRoot(let folder, let error): "cannot serve \(folder): \(error)"
        }
    }
}

/// realpath(3): the absolute path with every symbolic link followed, or nil when it does not exist.
func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
}

/// Percent-encoding of a path for a Location header or a link: every byte but the unreserved
/// characters and `/` (RFC 3986 section 2.3).
enum URLPath {
    static func encode(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            let character = Character(Unicode.Scalar(byte))
            if byte < 0x80 && (character.isLetter || character.isNumber || "-._~/".contains(character)) {
                out.append(character)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

/// Content-Type by file extension, as Python's `mimetypes` maps the common ones.
enum MediaType {
    static let byExtension = [
        "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8", "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8", "json": "application/json", "txt": "text/plain; charset=utf-8",
        "md": "text/markdown; charset=utf-8", "csv": "text/csv; charset=utf-8", "xml": "application/xml",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "svg": "image/svg+xml",
        "ico": "image/vnd.microsoft.icon", "webp": "image/webp", "pdf": "application/pdf", "zip": "application/zip",
        "gz": "application/gzip", "tar": "application/x-tar", "wasm": "application/wasm", "mp4": "video/mp4",
        "woff2": "font/woff2", "woff": "font/woff",
    ]

    /// The type of the file at `path` by the extension of its last segment (`.HTML` as `.html`).
    static func of(_ path: String) -> String {
        let bytes = path.utf8
        let name = bytes.lastIndex(of: UInt8(ascii: "/")).map(bytes.index(after:)) ?? bytes.startIndex
        guard let dot = bytes[name...].lastIndex(of: UInt8(ascii: ".")), dot != name else { return "application/octet-stream" }
        let fileExtension = String(path[bytes.index(after: dot)...])
        return byExtension[fileExtension] ?? byExtension[fileExtension.lowercased()] ?? "application/octet-stream"
    }
}

/// HTTP's dates (RFC 9110 section 5.6.7): `Sun, 06 Nov 1994 08:49:37 GMT`, always in GMT.
enum HTTPDate {
    static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `seconds` since the epoch as an IMF-fixdate, always 29 ASCII bytes, written byte by byte
    /// (a server formats one for every response it sends).
    static func format(_ seconds: time_t) -> String {
        var time = seconds
        var parts = tm()
        gmtime_r(&time, &parts)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(29)
        func append(_ text: String) { bytes += text.utf8 }
        func append(_ number: Int32, digits: Int) {
            var divisor: Int32 = 1
            for _ in 1..<digits { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(number / divisor % 10))
                divisor /= 10
            }
        }
        append(days[Int(parts.tm_wday)]); append(", "); append(parts.tm_mday, digits: 2); append(" ")
        append(months[Int(parts.tm_mon)]); append(" "); append(parts.tm_year + 1900, digits: 4); append(" ")
        append(parts.tm_hour, digits: 2); append(":"); append(parts.tm_min, digits: 2); append(":")
        append(parts.tm_sec, digits: 2); append(" GMT")
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The seconds of an IMF-fixdate, the form every current client sends; nil for anything else
    /// (the condition is then ignored, as RFC 9110 section 13.1.3 says).
    static func parse(_ text: String) -> time_t? {
        let fields = text.split(separator: " ")
        guard fields.count == 6, fields[0].hasSuffix(","), fields[5] == "GMT",
              let day = Int32(fields[1]), let month = months.firstIndex(of: String(fields[2])), let year = Int32(fields[3])
        else { return nil }
        let clock = fields[4].split(separator: ":").compactMap { Int32($0) }
        guard clock.count == 3 else { return nil }
        var parts = tm()
        (parts.tm_mday, parts.tm_mon, parts.tm_year) = (day, Int32(month), year - 1900)
        (parts.tm_hour, parts.tm_min, parts.tm_sec) = (clock[0], clock[1], clock[2])
        let seconds = timegm(&parts)
        return seconds == -1 ? nil : seconds
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
