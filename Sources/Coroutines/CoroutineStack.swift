import Glibc
import Syscalls

/// The stack a coroutine runs on: `size` bytes of anonymous memory, mapped without reserving swap
/// (a page costs memory only once it is touched), above one inaccessible guard page. A recursion
/// that runs off the bottom touches the guard page and the process gets SIGSEGV there, as a thread
/// does at the end of its stack, instead of writing over whatever memory lies below.
final class CoroutineStack {
    /// The lowest usable byte, just above the guard page.
    let base: UnsafeMutableRawPointer
    /// The usable bytes, a multiple of the page size.
    let size: Int
    private let mapping: UnsafeMutableRawPointer
    private let mappedSize: Int

    init(size requested: Int) throws(Errno) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        size = max(page, (requested + page - 1) / page * page)
        mappedSize = size + page
        guard let mapped = mmap(nil, mappedSize, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0),
              mapped != MAP_FAILED
        else { throw Errno.current }
        if mprotect(mapped, page, PROT_NONE) != 0 {
            let error = Errno.current
            munmap(mapped, mappedSize)
            throw error
        }
        mapping = mapped
        base = mapped + page
    }

    deinit { munmap(mapping, mappedSize) }
}
