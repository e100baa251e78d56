/*
 * C witnesses of the IO chapter: socket modes and the readiness bits of select(2), poll(2) and
 * epoll(7), on real 127.0.0.1 sockets. Test names start with the rule id (SOCKET_2_...). Only the
 * main thread calls cmocka assertions; a helper thread only writes, and the one forked child only
 * sends (its end, killed by SIGPIPE, is what the parent asserts).
 */
#include "witness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>

/* 127.0.0.1:port. */
static struct sockaddr_in loopback(int port) {
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

/* A TCP socket listening on a free port of 127.0.0.1 with `backlog`; its port in *port. */
static int listener(int backlog, int *port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    SAFE(fd);
    struct sockaddr_in address = loopback(0);
    socklen_t length = sizeof address;
    SAFE(bind(fd, (struct sockaddr *)&address, sizeof address));
    SAFE(listen(fd, backlog));
    SAFE(getsockname(fd, (struct sockaddr *)&address, &length));
    *port = ntohs(address.sin_port);
    return fd;
}

/* A blocking TCP client connected to port of 127.0.0.1. */
static int connected(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    SAFE(fd);
    struct sockaddr_in address = loopback(port);
    SAFE(connect(fd, (struct sockaddr *)&address, sizeof address));
    return fd;
}

/* Both ends of a TCP connection over 127.0.0.1. */
static void connection(int *client, int *server) {
    int port = 0;
    int fd = listener(16, &port);
    *client = connected(port);
    *server = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
    SAFE(*server);
    close(fd);
}

/* A port of 127.0.0.1 where nobody listens: bound a moment, then closed. */
static int closed_port(void) {
    int port = 0;
    close(listener(1, &port));
    return port;
}

static void set_nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL);
    SAFE(flags);
    SAFE(fcntl(fd, F_SETFL, flags | O_NONBLOCK));
}

/* poll(2) on one descriptor for `events`, waiting at most `milliseconds`; the revents. */
static int poll_one(int fd, short events, int milliseconds) {
    struct pollfd entry = {.fd = fd, .events = events};
    int ready;
    do {
        ready = poll(&entry, 1, milliseconds);
    } while (ready == -1 && errno == EINTR);
    SAFE(ready);
    return entry.revents;
}

/* Waits up to 10 s until `fd` polls readable: data sent on loopback may still be on its way. */
static void await_readable(int fd) {
    if (!(poll_one(fd, POLLIN, 10000) & POLLIN)) fail_msg("descriptor %d never became readable", fd);
}

/* epoll_wait(0) on an epoll with one descriptor registered: its events, or 0 when not reported. */
static uint32_t epoll_now(int epoll, int milliseconds) {
    struct epoll_event event = {0};
    int ready = epoll_wait(epoll, &event, 1, milliseconds);
    SAFE(ready);
    return ready == 1 ? event.events : 0;
}

static int epoll_with(int fd, uint32_t events) {
    int epoll = epoll_create1(EPOLL_CLOEXEC);
    SAFE(epoll);
    struct epoll_event event = {.events = events, .data.fd = fd};
    SAFE(epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event));
    return epoll;
}

/* The longest kernel tick (CONFIG_HZ is 100 at least). SO_RCVTIMEO and SO_SNDTIMEO are jiffies
   timers, not hrtimers like the timeouts of poll, epoll_wait and select: the timer wheel rounds their
   expiry up, so they were never seen ending before t on this kernel, but jiffies advance in the
   tick interrupt, which may run late (a busy or virtual CPU), so measured on CLOCK_MONOTONIC they
   may end a fraction of a tick early. Their bounds allow one tick; the hrtimer bounds allow none. */
#define TICK 0.01

/* Seconds of CLOCK_MONOTONIC. */
static double now(void) {
    struct timespec time;
    SAFE(clock_gettime(CLOCK_MONOTONIC, &time));
    return (double)time.tv_sec + (double)time.tv_nsec / 1e9;
}

/* Verify that with O_NONBLOCK, accept with no connection pending and recv with no data fail at once
   with EAGAIN (== EWOULDBLOCK on Linux). */
static void SOCKET_2_nonblocking_accept_and_recv_fail_with_EAGAIN(void **state) {
    (void)state;
    int port = 0, client, server;
    int fd = listener(16, &port);
    set_nonblocking(fd);
    assert_int_equal(accept(fd, NULL, NULL), -1);
    assert_int_equal(errno, EAGAIN);
    connection(&client, &server);
    set_nonblocking(server);
    char byte;
    assert_int_equal(recv(server, &byte, 1, 0), -1);
    assert_int_equal(errno, EWOULDBLOCK);
    close(fd);
    close(client);
    close(server);
}

/* Verify that SO_RCVTIMEO of 0.1 s makes a blocking recv and a blocking accept fail with EAGAIN
   after at least 0.1 s (less one tick). */
static void SOCKET_3_SO_RCVTIMEO_ends_recv_and_accept_after_the_timeout(void **state) {
    (void)state;
    struct timeval timeout = {.tv_sec = 0, .tv_usec = 100000};
    int port = 0, client, server;
    int fd = listener(16, &port);
    SAFE(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout));
    double start = now();
    assert_int_equal(accept(fd, NULL, NULL), -1);
    assert_int_equal(errno, EAGAIN);
    assert_true(now() - start >= 0.1 - TICK);
    connection(&client, &server);
    SAFE(setsockopt(server, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout));
    char byte;
    start = now();
    assert_int_equal(recv(server, &byte, 1, 0), -1);
    assert_int_equal(errno, EAGAIN);
    assert_true(now() - start >= 0.1 - TICK);
    close(fd);
    close(client);
    close(server);
}

/* Verify that a non-blocking connect on loopback fails with EINPROGRESS, becomes writable, and
   SO_ERROR reads 0 for a listening port, ECONNREFUSED for a closed one, then 0 (read clears it). */
static void SOCKET_5_nonblocking_connect_is_in_progress_and_SO_ERROR_tells_the_outcome(void **state) {
    (void)state;
    int port = 0;
    int fd = listener(16, &port);
    int ports[2] = {port, closed_port()}, outcomes[2] = {0, ECONNREFUSED};
    for (int i = 0; i < 2; i++) {
        int client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        SAFE(client);
        struct sockaddr_in address = loopback(ports[i]);
        assert_int_equal(connect(client, (struct sockaddr *)&address, sizeof address), -1);
        assert_int_equal(errno, EINPROGRESS);
        assert_true(poll_one(client, POLLOUT, 10000) & POLLOUT);
        int error = -1;
        socklen_t length = sizeof error;
        SAFE(getsockopt(client, SOL_SOCKET, SO_ERROR, &error, &length));
        assert_int_equal(error, outcomes[i]);
        SAFE(getsockopt(client, SOL_SOCKET, SO_ERROR, &error, &length));
        assert_int_equal(error, 0);
        close(client);
    }
    close(fd);
}

/* Verify that a listener with backlog 0 and one connection queued drops the next SYN: a
   non-blocking connect stays in progress (not writable after 0.1 s, SO_ERROR still 0), and with
   SO_SNDTIMEO of 0.1 s a blocking connect fails with EINPROGRESS after at least 0.1 s (less one
   tick). The listener counts the drops in /proc/net/netstat's ListenOverflows. */
static void SOCKET_6_a_full_accept_queue_drops_the_SYN(void **state) {
    (void)state;
    int port = 0;
    int fd = listener(0, &port);
    int queued = connected(port);
    await_readable(fd);  /* the first connection is in the accept queue */
    int waiting = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    SAFE(waiting);
    struct sockaddr_in address = loopback(port);
    assert_int_equal(connect(waiting, (struct sockaddr *)&address, sizeof address), -1);
    assert_int_equal(errno, EINPROGRESS);
    assert_int_equal(poll_one(waiting, POLLOUT, 100), 0);
    int error = -1;
    socklen_t length = sizeof error;
    SAFE(getsockopt(waiting, SOL_SOCKET, SO_ERROR, &error, &length));
    assert_int_equal(error, 0);
    int blocking = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    SAFE(blocking);
    struct timeval timeout = {.tv_sec = 0, .tv_usec = 100000};
    SAFE(setsockopt(blocking, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout));
    double start = now();
    assert_int_equal(connect(blocking, (struct sockaddr *)&address, sizeof address), -1);
    assert_int_equal(errno, EINPROGRESS);
    assert_true(now() - start >= 0.1 - TICK);
    close(blocking);
    close(waiting);
    close(queued);
    close(fd);
}

/* What the sending thread of SOCKET_7 sends. */
struct sending {
    int fd;
    size_t size;
};

static void *send_all(void *argument) {
    struct sending *sending = argument;
    char *bytes = calloc(1, sending->size);
    for (size_t i = 0; i < sending->size; i++) bytes[i] = (char)(i * 31 + (i >> 9));
    size_t sent = 0;
    while (sent < sending->size) {
        ssize_t count = send(sending->fd, bytes + sent, sending->size - sent, MSG_NOSIGNAL);
        if (count <= 0) break;
        sent += (size_t)count;
    }
    free(bytes);
    return NULL;
}

/* Verify that TCP is a stream: with 100 bytes waiting, recv(10) returns 10; while 1 MiB is sent,
   one recv of 1 MiB returns fewer bytes, and a loop of recvs gets all of them in order; after the
   peer closes, recv returns 0, twice. */
static void SOCKET_7_recv_returns_what_has_arrived_and_0_after_the_peers_close(void **state) {
    (void)state;
    int client, server;
    connection(&client, &server);
    char small[100] = {0};
    assert_int_equal(send(client, small, sizeof small, 0), 100);
    await_readable(server);
    assert_int_equal(recv(server, small, 10, 0), 10);
    assert_int_equal(recv(server, small, 90, 0), 90);

    struct sending sending = {.fd = client, .size = 1 << 20};
    pthread_t sender;
    assert_int_equal(pthread_create(&sender, NULL, send_all, &sending), 0);
    char *bytes = malloc(sending.size);
    ssize_t first = recv(server, bytes, sending.size, 0);
    assert_true(first > 0 && (size_t)first < sending.size);
    size_t got = (size_t)first;
    while (got < sending.size) {
        ssize_t count = recv(server, bytes + got, sending.size - got, 0);
        if (count <= 0) break;
        got += (size_t)count;
    }
    assert_int_equal(pthread_join(sender, NULL), 0);
    assert_int_equal(got, sending.size);
    for (size_t i = 0; i < sending.size; i++) {
        if (bytes[i] != (char)(i * 31 + (i >> 9))) fail_msg("byte %zu differs", i);
    }
    free(bytes);
    close(client);
    assert_int_equal(recv(server, small, 10, 0), 0);
    assert_int_equal(recv(server, small, 10, 0), 0);
    close(server);
}

/* A UDP socket bound to a free port of 127.0.0.1; its port in *port. */
static int udp(int *port) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    SAFE(fd);
    struct sockaddr_in address = loopback(0);
    socklen_t length = sizeof address;
    SAFE(bind(fd, (struct sockaddr *)&address, sizeof address));
    SAFE(getsockname(fd, (struct sockaddr *)&address, &length));
    *port = ntohs(address.sin_port);
    return fd;
}

/* Verify that UDP keeps datagrams: 3 sends are 3 recvfroms, each one whole datagram from the
   sender's address and port (UDP promises no order, so none is asserted), then nothing is left; a
   100-byte datagram received into 10 bytes gives its first 10 and the other 90 are gone (nothing
   left to read); with recvmsg the cut is flagged MSG_TRUNC, and the next recv gets the next datagram
   (sent once the long one had arrived). */
static void SOCKET_8_udp_keeps_datagram_boundaries(void **state) {
    (void)state;
    int port = 0, peer_port = 0;
    int fd = udp(&port), peer = udp(&peer_port);
    struct sockaddr_in to = loopback(port);
    const char *words[3] = {"one", "two", "three"};
    int seen[3] = {0};
    for (int i = 0; i < 3; i++) {
        SAFE(sendto(peer, words[i], strlen(words[i]), 0, (struct sockaddr *)&to, sizeof to));
    }
    for (int i = 0; i < 3; i++) {
        char buffer[100];
        struct sockaddr_in from;
        socklen_t length = sizeof from;
        ssize_t count = recvfrom(fd, buffer, sizeof buffer, 0, (struct sockaddr *)&from, &length);
        int word = 0;
        while (word < 3 && (count != (ssize_t)strlen(words[word]) ||
                            memcmp(buffer, words[word], (size_t)count) != 0)) {
            word++;
        }
        assert_true(word < 3 && !seen[word]);
        seen[word] = 1;
        assert_int_equal(length, sizeof from);
        assert_int_equal(from.sin_family, AF_INET);
        assert_int_equal(ntohl(from.sin_addr.s_addr), INADDR_LOOPBACK);
        assert_int_equal(ntohs(from.sin_port), peer_port);
    }
    assert_int_equal(poll_one(fd, POLLIN, 0), 0);

    char long_datagram[100], buffer[100], expected[10];
    memset(long_datagram, 'a', sizeof long_datagram);
    SAFE(sendto(peer, long_datagram, sizeof long_datagram, 0, (struct sockaddr *)&to, sizeof to));
    assert_int_equal(recv(fd, buffer, 10, 0), 10);
    memset(expected, 'a', sizeof expected);
    assert_memory_equal(buffer, expected, 10);
    assert_int_equal(poll_one(fd, POLLIN, 0), 0);

    memset(long_datagram, 'b', sizeof long_datagram);
    SAFE(sendto(peer, long_datagram, sizeof long_datagram, 0, (struct sockaddr *)&to, sizeof to));
    await_readable(fd);
    SAFE(sendto(peer, "next", 4, 0, (struct sockaddr *)&to, sizeof to));
    struct iovec piece = {.iov_base = buffer, .iov_len = 10};
    struct msghdr message = {.msg_iov = &piece, .msg_iovlen = 1};
    assert_int_equal(recvmsg(fd, &message, 0), 10);
    assert_true(message.msg_flags & MSG_TRUNC);
    memset(expected, 'b', sizeof expected);
    assert_memory_equal(buffer, expected, 10);
    assert_int_equal(recv(fd, buffer, sizeof buffer, 0), 4);
    assert_memory_equal(buffer, "next", 4);
    close(peer);
    close(fd);
}

/* Verify the errors: connect to a closed port fails with ECONNREFUSED. After the peer's reset
   (SO_LINGER 0) a send with MSG_NOSIGNAL fails with ECONNRESET or EPIPE, the next with EPIPE, and
   the process lives on. After the peer's plain close (FIN) a send still succeeds, the peer's kernel
   answers it with a reset, and with SIGPIPE ignored the next sends fail (ECONNRESET or EPIPE, then
   EPIPE) without a signal; a child that sends there with neither guard is killed by SIGPIPE. A
   closed descriptor fails with EBADF. */
static void SOCKET_9_refused_reset_and_closed_are_errors_not_signals(void **state) {
    (void)state;
    int refused = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    SAFE(refused);
    struct sockaddr_in address = loopback(closed_port());
    assert_int_equal(connect(refused, (struct sockaddr *)&address, sizeof address), -1);
    assert_int_equal(errno, ECONNREFUSED);
    close(refused);

    int client, server;
    connection(&client, &server);
    struct linger linger = {.l_onoff = 1, .l_linger = 0};
    SAFE(setsockopt(server, SOL_SOCKET, SO_LINGER, &linger, sizeof linger));
    close(server);  /* a reset (RST), not FIN */
    assert_true(poll_one(client, 0, 10000) & POLLERR);  /* the reset has arrived */
    assert_int_equal(send(client, "after", 5, MSG_NOSIGNAL), -1);
    assert_true(errno == ECONNRESET || errno == EPIPE);
    assert_int_equal(send(client, "again", 5, MSG_NOSIGNAL), -1);
    assert_int_equal(errno, EPIPE);
    close(client);

    connection(&client, &server);
    close(server);  /* FIN: the connection is half closed, the client may still send */
    await_readable(client);
    assert_int_equal(send(client, "late", 4, MSG_NOSIGNAL), 4);
    assert_true(poll_one(client, 0, 10000) & POLLERR);  /* the peer's kernel reset it */
    void (*previous)(int) = signal(SIGPIPE, SIG_IGN);
    int first = send(client, "after", 5, 0) == -1 ? errno : 0;
    int second = send(client, "again", 5, 0) == -1 ? errno : 0;
    signal(SIGPIPE, previous);
    assert_true(first == ECONNRESET || first == EPIPE);
    assert_int_equal(second, EPIPE);
    pid_t child = safe_fork();
    if (child == 0) {
        signal(SIGPIPE, SIG_DFL);
        for (int i = 0; i < 3; i++) (void)send(client, "x", 1, 0);
        _exit(0);
    }
    int status = reap(child);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGPIPE);

    close(client);
    char byte;
    assert_int_equal(recv(client, &byte, 1, 0), -1);
    assert_int_equal(errno, EBADF);
    assert_int_equal(send(client, "x", 1, MSG_NOSIGNAL), -1);
    assert_int_equal(errno, EBADF);
    assert_int_equal(close(client), -1);
    assert_int_equal(errno, EBADF);
}

/* A call made in another thread, and what it returned. */
struct blocked_call {
    int fd;
    int kind; /* 0 accept, 1 recv, 2 recvfrom */
    pid_t tid;
    ssize_t result;
    int error;
};

static void *make_blocked_call(void *argument) {
    struct blocked_call *call = argument;
    char buffer[100];
    __atomic_store_n(&call->tid, gettid(), __ATOMIC_SEQ_CST);
    if (call->kind == 0) call->result = accept4(call->fd, NULL, NULL, SOCK_CLOEXEC);
    else if (call->kind == 1) call->result = recv(call->fd, buffer, sizeof buffer, 0);
    else call->result = recvfrom(call->fd, buffer, sizeof buffer, 0, NULL, NULL);
    call->error = errno;
    return NULL;
}

/* Starts `call` in a thread and waits until that thread sleeps (state S in /proc). */
static pthread_t start_blocked_call(struct blocked_call *call) {
    pthread_t thread;
    call->tid = 0;
    assert_int_equal(pthread_create(&thread, NULL, make_blocked_call, call), 0);
    pid_t tid;
    while ((tid = __atomic_load_n(&call->tid, __ATOMIC_SEQ_CST)) == 0) usleep(100);
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)tid);
    for (;;) {
        FILE *stat = fopen(path, "r");
        if (stat == NULL) fail_msg("the thread of the blocked call ended before it slept");
        char *read = fgets(line, sizeof line, stat);
        fclose(stat);
        char *end = read ? strrchr(line, ')') : NULL;
        if (end != NULL && end[1] == ' ' && end[2] == 'S') return thread;
        usleep(1000);
    }
}

/* Verify that shutdown(SHUT_RDWR) wakes a thread blocked on the socket: accept fails with EINVAL,
   recv returns 0, and recvfrom on an unconnected UDP socket returns 0 too, though that shutdown
   fails with ENOTCONN; that SHUT_WR sends FIN while the socket still receives; and that close()
   wakes nothing: an accept blocked on a closed listener still returns the next connection. */
static void SOCKET_10_shutdown_wakes_blocked_calls_and_close_does_not(void **state) {
    (void)state;
    int port = 0;
    struct blocked_call call = {.fd = listener(16, &port), .kind = 0};
    pthread_t thread = start_blocked_call(&call);
    SAFE(shutdown(call.fd, SHUT_RDWR));
    assert_int_equal(pthread_join(thread, NULL), 0);
    assert_int_equal(call.result, -1);
    assert_int_equal(call.error, EINVAL);
    close(call.fd);

    int client, server;
    connection(&client, &server);
    call = (struct blocked_call){.fd = server, .kind = 1};
    thread = start_blocked_call(&call);
    SAFE(shutdown(server, SHUT_RDWR));
    assert_int_equal(pthread_join(thread, NULL), 0);
    assert_int_equal(call.result, 0);
    char byte;
    assert_int_equal(recv(client, &byte, 1, 0), 0);
    close(client);
    close(server);

    int udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    SAFE(udp);
    struct sockaddr_in address = loopback(0);
    SAFE(bind(udp, (struct sockaddr *)&address, sizeof address));
    call = (struct blocked_call){.fd = udp, .kind = 2};
    thread = start_blocked_call(&call);
    assert_int_equal(shutdown(udp, SHUT_RDWR), -1);
    assert_int_equal(errno, ENOTCONN);
    assert_int_equal(pthread_join(thread, NULL), 0);
    assert_int_equal(call.result, 0);
    close(udp);

    connection(&client, &server);
    SAFE(shutdown(client, SHUT_WR));
    assert_int_equal(recv(server, &byte, 1, 0), 0);
    assert_int_equal(send(server, "x", 1, MSG_NOSIGNAL), 1);
    assert_int_equal(recv(client, &byte, 1, 0), 1);
    close(client);
    close(server);

    call = (struct blocked_call){.fd = listener(16, &port), .kind = 0};
    thread = start_blocked_call(&call);
    close(call.fd);
    client = connected(port);
    assert_int_equal(pthread_join(thread, NULL), 0);
    assert_true(call.result >= 0);
    close((int)call.result);
    close(client);
}

/* Verify that the poll bits are the kernel's numbers and epoll's (POLLIN == EPOLLIN == 0x001 ...),
   and that poll, epoll and select report the events asked for and ready: a connection with no data
   asked for IN reports nothing; with unread data asked for IN|OUT (select: both sets) reports both,
   asked for IN reports IN only; POLLERR is reported unasked (a pipe's write end whose reader
   closed). */
static void SELECT_1_the_bits_are_the_kernels_and_a_wait_reports_asked_and_ready(void **state) {
    (void)state;
    assert_int_equal(POLLIN, 0x001);
    assert_int_equal(EPOLLIN, 0x001);
    assert_int_equal(POLLPRI, 0x002);
    assert_int_equal(EPOLLPRI, 0x002);
    assert_int_equal(POLLOUT, 0x004);
    assert_int_equal(EPOLLOUT, 0x004);
    assert_int_equal(POLLERR, 0x008);
    assert_int_equal(EPOLLERR, 0x008);
    assert_int_equal(POLLHUP, 0x010);
    assert_int_equal(EPOLLHUP, 0x010);
    assert_int_equal(POLLNVAL, 0x020);
    assert_int_equal(POLLRDHUP, 0x2000);
    assert_int_equal(EPOLLRDHUP, 0x2000);
    assert_int_equal(EPOLLONESHOT, 1u << 30);
    assert_int_equal(EPOLLET, 1u << 31);
    int client, server;
    connection(&client, &server);
    int epoll = epoll_with(server, EPOLLIN);
    fd_set reading, writing;
    struct timeval zero = {0};
    assert_int_equal(poll_one(server, POLLIN, 0), 0);
    assert_int_equal(epoll_now(epoll, 0), 0);
    FD_ZERO(&reading);
    FD_SET(server, &reading);
    assert_int_equal(select(server + 1, &reading, NULL, NULL, &zero), 0);
    assert_false(FD_ISSET(server, &reading));

    SAFE(send(client, "x", 1, 0));
    await_readable(server);
    assert_int_equal(poll_one(server, POLLIN | POLLOUT, 0), POLLIN | POLLOUT);
    assert_int_equal(poll_one(server, POLLIN, 0), POLLIN);
    assert_int_equal(epoll_now(epoll, 0), EPOLLIN);
    struct epoll_event both = {.events = EPOLLIN | EPOLLOUT, .data.fd = server};
    SAFE(epoll_ctl(epoll, EPOLL_CTL_MOD, server, &both));
    assert_int_equal(epoll_now(epoll, 0), EPOLLIN | EPOLLOUT);
    close(epoll);
    FD_ZERO(&reading);
    FD_SET(server, &reading);
    FD_ZERO(&writing);
    FD_SET(server, &writing);
    assert_int_equal(select(server + 1, &reading, &writing, NULL, &zero), 2);
    assert_true(FD_ISSET(server, &reading) && FD_ISSET(server, &writing));
    FD_ZERO(&reading);
    FD_SET(server, &reading);
    assert_int_equal(select(server + 1, &reading, NULL, NULL, &zero), 1);
    assert_true(FD_ISSET(server, &reading));
    int ends[2];
    SAFE(pipe2(ends, O_CLOEXEC));
    close(ends[0]);
    assert_int_equal(poll_one(ends[1], POLLIN, 0), POLLERR);
    epoll = epoll_with(ends[1], EPOLLIN);
    assert_int_equal(epoll_now(epoll, 0), EPOLLERR);
    close(epoll);
    close(ends[1]);
    close(client);
    close(server);
}

/* What the writing thread of SELECT_2 writes to, after a pause. */
static void *write_later(void *argument) {
    int fd = *(int *)argument;
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 50000000L};
    nanosleep(&pause, NULL);
    if (write(fd, "!", 1) != 1) abort();
    return NULL;
}

/* Verify the timeouts: poll(0), epoll_wait(0) and select with a zero timeval return 0 at once;
   a timeout of 50 ms returns 0 after at least 50 ms; -1 (select: NULL) waits until another thread
   writes, then reports the pipe readable. */
static void SELECT_2_timeouts_of_0_t_and_none(void **state) {
    (void)state;
    int ends[2];
    SAFE(pipe2(ends, O_CLOEXEC));
    int epoll = epoll_with(ends[0], EPOLLIN);
    fd_set reading;
    struct timeval zero = {0}, fifty = {.tv_sec = 0, .tv_usec = 50000};
    assert_int_equal(poll_one(ends[0], POLLIN, 0), 0);
    assert_int_equal(epoll_now(epoll, 0), 0);
    FD_ZERO(&reading);
    FD_SET(ends[0], &reading);
    assert_int_equal(select(ends[0] + 1, &reading, NULL, NULL, &zero), 0);
    double start = now();
    assert_int_equal(poll_one(ends[0], POLLIN, 50), 0);
    assert_true(now() - start >= 0.05);
    start = now();
    assert_int_equal(epoll_now(epoll, 50), 0);
    assert_true(now() - start >= 0.05);
    start = now();
    FD_ZERO(&reading);
    FD_SET(ends[0], &reading);
    assert_int_equal(select(ends[0] + 1, &reading, NULL, NULL, &fifty), 0);
    assert_true(now() - start >= 0.05);

    pthread_t writer;
    assert_int_equal(pthread_create(&writer, NULL, write_later, &ends[1]), 0);
    assert_int_equal(poll_one(ends[0], POLLIN, -1), POLLIN);
    assert_int_equal(pthread_join(writer, NULL), 0);
    char byte;
    assert_int_equal(read(ends[0], &byte, 1), 1);
    assert_int_equal(pthread_create(&writer, NULL, write_later, &ends[1]), 0);
    assert_int_equal(epoll_now(epoll, -1), EPOLLIN);
    assert_int_equal(pthread_join(writer, NULL), 0);
    assert_int_equal(read(ends[0], &byte, 1), 1);
    assert_int_equal(pthread_create(&writer, NULL, write_later, &ends[1]), 0);
    FD_ZERO(&reading);
    FD_SET(ends[0], &reading);
    assert_int_equal(select(ends[0] + 1, &reading, NULL, NULL, NULL), 1);
    assert_true(FD_ISSET(ends[0], &reading));
    assert_int_equal(pthread_join(writer, NULL), 0);
    close(epoll);
    close(ends[0]);
    close(ends[1]);
}

/* Verify that a listener with a connection pending polls POLLIN (poll, epoll, select's read set),
   and not once the connection was accepted. */
static void SELECT_3_a_pending_connection_makes_the_listener_readable(void **state) {
    (void)state;
    int port = 0;
    int fd = listener(16, &port);
    int epoll = epoll_with(fd, EPOLLIN);
    assert_int_equal(poll_one(fd, POLLIN, 0), 0);
    int client = connected(port);
    await_readable(fd);
    assert_int_equal(poll_one(fd, POLLIN, 0), POLLIN);
    assert_int_equal(epoll_now(epoll, 0), EPOLLIN);
    fd_set reading;
    struct timeval zero = {0};
    FD_ZERO(&reading);
    FD_SET(fd, &reading);
    assert_int_equal(select(fd + 1, &reading, NULL, NULL, &zero), 1);
    int accepted = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
    SAFE(accepted);
    assert_int_equal(poll_one(fd, POLLIN, 0), 0);
    assert_int_equal(epoll_now(epoll, 0), 0);
    close(accepted);
    close(client);
    close(epoll);
    close(fd);
}

/* Verify that a pipe holding 2 bytes whose writer closed polls POLLIN|POLLHUP, then exactly
   POLLHUP once drained (epoll alike), and select puts it in the read set (read returns 0). */
static void SELECT_4_a_pipe_without_writers_hangs_up(void **state) {
    (void)state;
    int ends[2];
    SAFE(pipe2(ends, O_CLOEXEC));
    assert_int_equal(write(ends[1], "ab", 2), 2);
    close(ends[1]);
    int epoll = epoll_with(ends[0], EPOLLIN);
    assert_int_equal(poll_one(ends[0], POLLIN, 0), POLLIN | POLLHUP);
    assert_int_equal(epoll_now(epoll, 0), EPOLLIN | EPOLLHUP);
    char bytes[2];
    assert_int_equal(read(ends[0], bytes, 2), 2);
    assert_int_equal(poll_one(ends[0], POLLIN, 0), POLLHUP);
    assert_int_equal(epoll_now(epoll, 0), EPOLLHUP);
    fd_set reading;
    struct timeval zero = {0};
    FD_ZERO(&reading);
    FD_SET(ends[0], &reading);
    assert_int_equal(select(ends[0] + 1, &reading, NULL, NULL, &zero), 1);
    assert_int_equal(read(ends[0], bytes, 2), 0);
    close(epoll);
    close(ends[0]);
}

/* Verify that a TCP peer's close (FIN) polls POLLIN|POLLRDHUP and not POLLHUP (epoll alike), and
   select puts it in the read set (recv returns 0). */
static void SELECT_5_a_peers_FIN_is_a_read_hang_up_not_a_hang_up(void **state) {
    (void)state;
    int client, server;
    connection(&client, &server);
    int epoll = epoll_with(server, EPOLLIN | EPOLLRDHUP);
    assert_int_equal(poll_one(server, POLLIN | POLLRDHUP, 0), 0);
    close(client);
    await_readable(server);
    assert_int_equal(poll_one(server, POLLIN | POLLRDHUP, 0), POLLIN | POLLRDHUP);
    assert_int_equal(epoll_now(epoll, 0), EPOLLIN | EPOLLRDHUP);
    fd_set reading;
    struct timeval zero = {0};
    FD_ZERO(&reading);
    FD_SET(server, &reading);
    assert_int_equal(select(server + 1, &reading, NULL, NULL, &zero), 1);
    assert_true(FD_ISSET(server, &reading));
    char byte;
    assert_int_equal(recv(server, &byte, 1, 0), 0);
    close(epoll);
    close(server);
}

/* Verify that a descriptor closed while watched: poll reports POLLNVAL, select fails with EBADF,
   and epoll reports nothing (the close removed it from the interest list). */
static void SELECT_6_a_closed_descriptor_is_POLLNVAL_EBADF_or_forgotten(void **state) {
    (void)state;
    int ends[2];
    SAFE(pipe2(ends, O_CLOEXEC));
    assert_int_equal(write(ends[1], "!", 1), 1);
    int epoll = epoll_with(ends[0], EPOLLIN);
    int closed = ends[0];
    close(closed);
    assert_int_equal(poll_one(closed, POLLIN, 0), POLLNVAL);
    assert_int_equal(epoll_now(epoll, 0), 0);
    fd_set reading;
    struct timeval zero = {0};
    FD_ZERO(&reading);
    FD_SET(closed, &reading);
    assert_int_equal(select(closed + 1, &reading, NULL, NULL, &zero), -1);
    assert_int_equal(errno, EBADF);
    close(epoll);
    close(ends[1]);
}

/* Verify epoll_ctl's errors: ADD twice fails with EEXIST, MOD and DEL of a descriptor never added
   with ENOENT. */
static void SELECT_7_epoll_ctl_EEXIST_and_ENOENT(void **state) {
    (void)state;
    int ends[2];
    SAFE(pipe2(ends, O_CLOEXEC));
    int epoll = epoll_with(ends[0], EPOLLIN);
    struct epoll_event event = {.events = EPOLLIN, .data.fd = ends[0]};
    assert_int_equal(epoll_ctl(epoll, EPOLL_CTL_ADD, ends[0], &event), -1);
    assert_int_equal(errno, EEXIST);
    event.data.fd = ends[1];
    assert_int_equal(epoll_ctl(epoll, EPOLL_CTL_MOD, ends[1], &event), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(epoll_ctl(epoll, EPOLL_CTL_DEL, ends[1], NULL), -1);
    assert_int_equal(errno, ENOENT);
    close(epoll);
    close(ends[0]);
    close(ends[1]);
}

/* Verify level triggering: 4 unread bytes are reported by every poll, epoll_wait and select, still
   after 2 are read, and no longer once all are. */
static void SELECT_10_level_triggered_reports_on_every_wait(void **state) {
    (void)state;
    int client, server;
    connection(&client, &server);
    int epoll = epoll_with(server, EPOLLIN);
    SAFE(send(client, "abcd", 4, 0));
    await_readable(server);
    fd_set reading;
    struct timeval zero = {0};
    char bytes[2];
    for (int round = 0; round < 3; round++) {
        for (int time = 0; time < 2; time++) {
            assert_int_equal(poll_one(server, POLLIN, 0), round < 2 ? POLLIN : 0);
            assert_int_equal(epoll_now(epoll, 0), round < 2 ? EPOLLIN : 0);
            FD_ZERO(&reading);
            FD_SET(server, &reading);
            assert_int_equal(select(server + 1, &reading, NULL, NULL, &zero), round < 2 ? 1 : 0);
        }
        if (round < 2) assert_int_equal(recv(server, bytes, 2, 0), 2);
    }
    close(epoll);
    close(client);
    close(server);
}

/* Verify EPOLLET: 4 bytes arriving are reported once; not again while unread nor after reading 2;
   1 more byte arriving is reported once. */
static void SELECT_11_EPOLLET_reports_each_arrival_once(void **state) {
    (void)state;
    int client, server;
    connection(&client, &server);
    int epoll = epoll_with(server, EPOLLIN | EPOLLET);
    SAFE(send(client, "abcd", 4, 0));
    assert_int_equal(epoll_now(epoll, 10000), EPOLLIN);
    assert_int_equal(epoll_now(epoll, 0), 0);
    char bytes[2];
    assert_int_equal(recv(server, bytes, 2, 0), 2);
    assert_int_equal(epoll_now(epoll, 0), 0);
    SAFE(send(client, "e", 1, 0));
    assert_int_equal(epoll_now(epoll, 10000), EPOLLIN);
    assert_int_equal(epoll_now(epoll, 0), 0);
    close(epoll);
    close(client);
    close(server);
}

/* Verify EPOLLONESHOT: 1 byte is reported once; a second byte arriving is not reported; after
   EPOLL_CTL_MOD re-arms the descriptor, the next wait reports it. */
static void SELECT_12_EPOLLONESHOT_reports_once_until_rearmed(void **state) {
    (void)state;
    int client, server;
    connection(&client, &server);
    int epoll = epoll_with(server, EPOLLIN | EPOLLONESHOT);
    SAFE(send(client, "1", 1, 0));
    assert_int_equal(epoll_now(epoll, 10000), EPOLLIN);
    assert_int_equal(epoll_now(epoll, 0), 0);
    SAFE(send(client, "2", 1, 0));
    await_readable(server);
    assert_int_equal(epoll_now(epoll, 50), 0);
    struct epoll_event event = {.events = EPOLLIN | EPOLLONESHOT, .data.fd = server};
    SAFE(epoll_ctl(epoll, EPOLL_CTL_MOD, server, &event));
    assert_int_equal(epoll_now(epoll, 0), EPOLLIN);
    close(epoll);
    close(client);
    close(server);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(SOCKET_2_nonblocking_accept_and_recv_fail_with_EAGAIN),
        cmocka_unit_test(SOCKET_3_SO_RCVTIMEO_ends_recv_and_accept_after_the_timeout),
        cmocka_unit_test(SOCKET_5_nonblocking_connect_is_in_progress_and_SO_ERROR_tells_the_outcome),
        cmocka_unit_test(SOCKET_6_a_full_accept_queue_drops_the_SYN),
        cmocka_unit_test(SOCKET_7_recv_returns_what_has_arrived_and_0_after_the_peers_close),
        cmocka_unit_test(SOCKET_8_udp_keeps_datagram_boundaries),
        cmocka_unit_test(SOCKET_9_refused_reset_and_closed_are_errors_not_signals),
        cmocka_unit_test(SOCKET_10_shutdown_wakes_blocked_calls_and_close_does_not),
        cmocka_unit_test(SELECT_1_the_bits_are_the_kernels_and_a_wait_reports_asked_and_ready),
        cmocka_unit_test(SELECT_2_timeouts_of_0_t_and_none),
        cmocka_unit_test(SELECT_3_a_pending_connection_makes_the_listener_readable),
        cmocka_unit_test(SELECT_4_a_pipe_without_writers_hangs_up),
        cmocka_unit_test(SELECT_5_a_peers_FIN_is_a_read_hang_up_not_a_hang_up),
        cmocka_unit_test(SELECT_6_a_closed_descriptor_is_POLLNVAL_EBADF_or_forgotten),
        cmocka_unit_test(SELECT_7_epoll_ctl_EEXIST_and_ENOENT),
        cmocka_unit_test(SELECT_10_level_triggered_reports_on_every_wait),
        cmocka_unit_test(SELECT_11_EPOLLET_reports_each_arrival_once),
        cmocka_unit_test(SELECT_12_EPOLLONESHOT_reports_once_until_rearmed),
    };
    signal(SIGPIPE, SIG_DFL);  /* a send without MSG_NOSIGNAL would end the test: none does */
    return cmocka_run_group_tests_name("io", tests, NULL, NULL);
}
