extension Duration {
    /// In seconds, as a selector's timeout (the chat server's and the HTTP server's time limits).
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
