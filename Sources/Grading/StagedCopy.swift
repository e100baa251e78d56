import Conformance
import Foundation
import Glibc

/// Copying a student's folder into the staging package, trusting nothing in it: only regular files
/// and folders are copied, each looked at with `lstat` and opened with `O_NOFOLLOW | O_NONBLOCK`, so a
/// symbolic link (which could pull in a file from outside the submission), a FIFO (whose open or read
/// would block the batch), a socket or a device is skipped and named, never followed or read.
struct StagedCopy {
    /// What could not be staged: the batch records it as the student's row and goes on.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A source file larger than this is refused: no course solution comes near it.
    static let largestFile = 4 << 20

    /// The entries skipped, as paths under the copied folder, e.g. `Solutions/link.swift (a symbolic link)`.
    private(set) var skipped: [String] = []

    /// Copies the folder `source` to `destination` (which must not exist yet).
    mutating func copy(_ source: URL, to destination: URL) throws(Failure) {
        try copyFolder(source.path, to: destination.path, shown: source.lastPathComponent)
    }

    private mutating func copyFolder(_ source: String, to destination: String, shown: String) throws(Failure) {
        guard mkdir(destination, 0o755) == 0 else { throw Failure(description: "cannot create \(destination): \(Errno.current)") }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: source).sorted()
        } catch {
            throw Failure(description: "cannot list \(shown): \(error.localizedDescription)")
        }
        for name in names {
            let from = source + "/" + name
            let to = destination + "/" + name
            var status = stat()
            guard lstat(from, &status) == 0 else { throw Failure(description: "cannot look at \(shown)/\(name): \(Errno.current)") }
            switch status.st_mode & S_IFMT {
            case S_IFDIR: try copyFolder(from, to: to, shown: shown + "/" + name)
            case S_IFREG: try copyFile(from, to: to, shown: shown + "/" + name)
            case S_IFLNK: skipped.append("\(shown)/\(name) (a symbolic link)")
            default: skipped.append("\(shown)/\(name) (neither a file nor a folder)")
            }
        }
    }

    private func copyFile(_ source: String, to destination: String, shown: String) throws(Failure) {
        let input = open(source, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard input >= 0 else { throw Failure(description: "cannot read \(shown): \(Errno.current)") }
        defer { close(input) }
        var status = stat()
        // Checked again on the open file: the entry may have been swapped since lstat.
        guard fstat(input, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw Failure(description: "\(shown) changed while it was copied")
        }
        guard status.st_size <= Self.largestFile else {
            throw Failure(description: "\(shown) has \(status.st_size) bytes, more than the \(Self.largestFile >> 20) MiB a source file may have")
        }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw Failure(description: "cannot create \(destination): \(Errno.current)") }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var total = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw Failure(description: "cannot read \(shown): \(Errno.current)") }
            if count == 0 { return }
            total += count
            guard total <= Self.largestFile else { throw Failure(description: "\(shown) grew past \(Self.largestFile >> 20) MiB while it was copied") }
            try writeAll(buffer[..<count], to: output, shown: destination)
        }
    }

    private func writeAll(_ bytes: ArraySlice<UInt8>, to descriptor: CInt, shown: String) throws(Failure) {
        do throws(Errno) { try Syscalls.writeAll(descriptor, bytes) } catch { throw Failure(description: "cannot write \(shown): \(error)") }
    }
}
