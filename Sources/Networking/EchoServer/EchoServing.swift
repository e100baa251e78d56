/// An echo server on one of the course's models, listening: what `echo-server` runs.
public protocol EchoServing {
    /// The port it listens on (the kernel's pick when it was asked for port 0).
    var port: UInt16 { get }
    /// Serves until SIGINT or SIGTERM, then closes every socket.
    func serve() throws
}

extension SelectorEchoServer: EchoServing {}
extension LoopEchoServer: EchoServing {}
extension UDPEchoServer: EchoServing {}
extension ForkEchoServer: EchoServing {}
extension ThreadEchoServer: EchoServing {}
extension CoroutineEchoServer: EchoServing {}
extension AsyncEchoServer: EchoServing {}
