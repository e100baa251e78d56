// libFuzzer's entry for the HTTP request parser (`make fuzz`): each input is appended to a parser in
// two pieces split where its first byte says; every request is taken off until the parser waits or
// refuses. A crash, a hang or a sanitizer report is a bug. The split must never change the outcome.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    let whole = outcome(of: [bytes[...]])
    let pieces = outcome(of: [bytes[..<split], bytes[split...]])
    if whole != pieces { fatalError("read whole: \(whole); in two pieces at \(split): \(pieces)") }
    return 0
}

/// The targets of the requests read, then the error or the count of bytes left waiting.
private func outcome(of pieces: [ArraySlice<UInt8>]) -> String {
    var parser = HTTPRequestParser()
    var targets: [String] = []
    do throws(HTTPRequestError) {
        for piece in pieces {
            parser.append(piece)
            while let request = try parser.next() { targets.append(request.target) }
        }
        return "\(targets) waiting \(parser.pendingCount)"
    } catch {
        return "\(targets) \(error.status)"
    }
}
