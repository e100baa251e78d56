"""The CPython peer of the async echo rows: the line echo (as echo_blocking.py speaks it) with
asyncio, as the course's asyncio section writes servers: asyncio.start_server and a coroutine per
client, on one thread.

    python3.11 asyncio_server.py --port N   listens on 127.0.0.1:N (0 picks a free port)

Prints "listening on 127.0.0.1:PORT" first. SIGINT or SIGTERM exits 0.
"""
import asyncio
import os
import signal
import socket
import sys

from echo_blocking import LINE_LIMIT, TOO_LONG


async def serve(reader, writer):
    """Echoes the lines of one client until it ends its side or resets, then closes its socket."""
    partial = b""
    try:
        while data := await reader.read(65536):
            data = partial + data
            end = data.rfind(b"\n") + 1  # after the last whole line
            lines, partial = data[:end], data[end:]
            if len(data) > LINE_LIMIT and (len(partial) > LINE_LIMIT or
                                           max(map(len, lines.split(b"\n"))) > LINE_LIMIT):
                writer.write(TOO_LONG)
                await writer.drain()
                writer.write_eof()
                while await reader.read(65536):
                    pass
                break
            if lines:
                writer.write(lines)
                await writer.drain()
    except ConnectionError:  # reset by the client
        pass
    finally:
        writer.close()


async def main():
    if len(sys.argv) != 3 or sys.argv[1] != "--port":
        sys.exit(f"usage: {os.path.basename(sys.argv[0])} --port N (0 picks a free port)")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    server = await asyncio.start_server(serve, "127.0.0.1", int(sys.argv[2]), backlog=socket.SOMAXCONN,
                                        reuse_address=True)
    print(f"listening on 127.0.0.1:{server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
