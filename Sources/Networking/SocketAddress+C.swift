import Conformance
import Glibc

extension SocketAddress {
    /// The C form, `struct sockaddr_in`; a host that is not a dotted IPv4 address is EINVAL.
    func socketAddress() throws(SocketError) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw .system(call: "inet_pton(\(host))", errno: .invalidArgument)
        }
        return address
    }

    /// From the C form the kernel filled in.
    init(_ address: sockaddr_in) {
        var ip = address.sin_addr
        var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        inet_ntop(AF_INET, &ip, &text, socklen_t(text.count))
        self.init(host: String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), port: UInt16(bigEndian: address.sin_port))
    }
}

/// Calls `body` with `address` as the `sockaddr` pointer and length the socket calls take.
func withSocketAddress<Result>(_ address: sockaddr_in,
                               _ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
    withUnsafePointer(to: address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
}

/// Calls `body` with room for a `sockaddr_in` the kernel fills in, and returns both.
func fillingSocketAddress<Result>(_ body: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Result)
    -> (Result, sockaddr_in) {
    var address = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let result = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, &length) }
    }
    return (result, address)
}
