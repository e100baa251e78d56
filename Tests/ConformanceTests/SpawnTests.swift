import Glibc
import Grading
import Testing

/// How the graders and tests start programs (`Spawn`).
@Suite struct SpawnTests {
    /// A started program inherits stdin, stdout and stderr and nothing else, as with CPython's
    /// `subprocess` (`close_fds=True`): a descriptor this process holds open without close-on-exec
    /// is not open in the child.
    @Test func childInheritsOnlyTheStandardDescriptors() throws {
        let held = open("/dev/null", O_RDONLY)
        try #require(held >= 3, "open /dev/null: errno \(errno)")
        defer { close(held) }
        #expect(fcntl(held, F_GETFD) & FD_CLOEXEC == 0)
        let probe = "test -e /proc/self/fd/1 && test -e /proc/self/fd/2 && echo standard; test -e /proc/self/fd/\(held) && echo leaked; true"
        let child = try Spawn.run("/bin/sh", ["-c", probe], timeout: 10)
        #expect(child.succeeded)
        #expect(child.stdout == "standard\n", "descriptor \(held) of the test process")
    }
}
