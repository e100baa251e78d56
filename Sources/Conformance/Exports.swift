// A student imports one module: the vocabulary types (Errno, ProcessID, WaitStatus ...) come with it.
@_exported import Syscalls
