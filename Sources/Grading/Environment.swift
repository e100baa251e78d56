import Foundation
import Glibc

/// Where a conformance run happened: what every report starts with, so that two runs on different
/// kernels, container runtimes or privileges can be compared (`conformance --compare`).
public struct Environment: Codable, Sendable, Equatable {
    /// `uname -srm`, e.g. "Linux 6.1.0-26-amd64 x86_64".
    public var kernel: String
    /// The C library, e.g. "glibc 2.36".
    public var libc: String
    /// The Swift compiler the suite was built with, e.g. "6.3".
    public var swift: String
    /// The effective user id; 0 is root.
    public var user: uid_t
    /// The effective capabilities, as /proc/self/status's CapEff (hex).
    public var capabilities: String
    /// Whether this process is in a PID namespace other than the initial one.
    public var pidNamespace: Bool
    /// Whether this process is in a user namespace other than the initial one.
    public var userNamespace: Bool
    /// The container runtime found, and how ("docker (/.dockerenv)"), or "none found".
    public var container: String
    /// The name of pid 1 as this process sees it: the init that adopts orphans without a subreaper.
    public var initProcess: String
    /// Soft limits, "unlimited" or a number: RLIMIT_NPROC, RLIMIT_NOFILE, RLIMIT_CORE (bytes), RLIMIT_NICE.
    public var limits: [String: String]
    /// The CPUs this process may run on.
    public var cpus: Int

    /// The environment of this process now.
    public static func current() -> Environment {
        var names = utsname()
        uname(&names)
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        let limits: [(String, __rlimit_resource_t)] = [
            ("nproc", __rlimit_resource_t(__RLIMIT_NPROC.rawValue)), ("nofile", __rlimit_resource_t(RLIMIT_NOFILE.rawValue)),
            ("core", __rlimit_resource_t(RLIMIT_CORE.rawValue)), ("nice", __rlimit_resource_t(__RLIMIT_NICE.rawValue)),
        ]
        return Environment(
            kernel: "\(text(names.sysname)) \(text(names.release)) \(text(names.machine))",
            libc: libcVersion,
            swift: swiftVersion,
            user: geteuid(),
            capabilities: statusField("CapEff") ?? "unknown",
            pidNamespace: namespaceInode("pid").map { $0 != initialPIDNamespace } ?? false,
            userNamespace: namespaceInode("user").map { $0 != initialUserNamespace } ?? false,
            container: container(),
            initProcess: (try? String(contentsOfFile: "/proc/1/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown",
            limits: Dictionary(uniqueKeysWithValues: limits.map { name, resource in
                var limit = rlimit()
                getrlimit(resource, &limit)
                return (name, limit.rlim_cur == rlim_t.max ? "unlimited" : String(limit.rlim_cur))
            }),
            cpus: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The lines a report starts with.
    public var header: [String] {
        [
            "kernel \(kernel), \(libc), Swift \(swift), \(cpus) CPUs",
            (user == 0 ? "root" : "user \(user)") + " (capabilities \(capabilities)), "
                + (pidNamespace ? "in a PID namespace" : "in the initial PID namespace") + ", "
                + (userNamespace ? "in a user namespace" : "in the initial user namespace"),
            "container: \(container); pid 1 is \(initProcess)",
            "limits: " + limits.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "),
        ]
    }

    /// The inodes the kernel gives its initial namespaces (PROC_PID_INIT_INO, PROC_USER_INIT_INO in
    /// include/linux/proc_ns.h): any other inode is a namespace made later.
    private static let initialPIDNamespace: UInt64 = 0xEFFF_FFFC
    private static let initialUserNamespace: UInt64 = 0xEFFF_FFFD

    private static func namespaceInode(_ kind: String) -> UInt64? {
        var information = stat()
        guard stat("/proc/self/ns/\(kind)", &information) == 0 else { return nil }
        return UInt64(information.st_ino)
    }

    /// A field of /proc/self/status, e.g. CapEff.
    private static func statusField(_ name: String) -> String? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        return status.split(separator: "\n").first { $0.hasPrefix(name + ":") }
            .map { $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces) }
    }

    /// What the usual marks say: the files Docker and Podman create, the `container` variable systemd
    /// and Podman set for init, and the cgroup path of pid 1.
    private static func container() -> String {
        let files = FileManager.default
        if files.fileExists(atPath: "/.dockerenv") { return "docker (/.dockerenv)" }
        if files.fileExists(atPath: "/run/.containerenv") { return "podman (/run/.containerenv)" }
        if let name = ProcessInfo.processInfo.environment["container"] { return "\(name) ($container)" }
        let cgroup = (try? String(contentsOfFile: "/proc/1/cgroup", encoding: .utf8)) ?? ""
        for runtime in ["docker", "kubepods", "lxc", "containerd"] where cgroup.contains(runtime) {
            return "\(runtime) (/proc/1/cgroup)"
        }
        return "none found"
    }

    /// "glibc 2.36", as confstr(_CS_GNU_LIBC_VERSION) says it.
    private static var libcVersion: String {
        var buffer = [CChar](repeating: 0, count: 64)
        guard confstr(Int32(_CS_GNU_LIBC_VERSION), &buffer, buffer.count) > 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The compiler's version, from the compiler's own conditions.
    private static var swiftVersion: String {
        #if compiler(>=6.5)
        "6.5 or later"
        #elseif compiler(>=6.4)
        "6.4"
        #elseif compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #elseif compiler(>=6.1)
        "6.1"
        #else
        "6.0"
        #endif
    }
}
