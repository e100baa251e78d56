/* The C peer of the echo benchmarks: the line echo server on the raw syscalls, one thread, one
 * level-triggered epoll(7) instance, every socket non-blocking.
 *
 *     echo_epoll --port N   listens on 127.0.0.1:N (0 picks a free port)
 *
 * Prints "listening on 127.0.0.1:PORT" first, then sends back each line (bytes up to "\n") a
 * client sends, unchanged, however it arrives in pieces. A line longer than 65536 bytes gets
 * "error: line longer than 65536 bytes", then the server ends its side of that connection.
 * SIGINT or SIGTERM (read from a signalfd the loop watches) closes every socket and exits 0.
 *
 * A client is watched for EPOLLIN while all its echo is sent, and for EPOLLOUT alone while some
 * is not: a client that sends without reading is not read from until it reads, so a connection
 * holds at most one line and one read's worth of bytes. A client with nothing pending owns no
 * buffer: the bytes are read into one shared buffer and echoed from there.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define LINE_LIMIT 65536 /* the longest line echoed, without its "\n" */
#define READ_SIZE 65536  /* bytes taken by one read(2) */
static const char too_long[] = "error: line longer than 65536 bytes\n";

/* One client: the bytes it sent that are not echoed yet, `data[0..len)`. The whole lines come
 * first, `data[0..lines)`, of which `data[0..sent)` is written; then a partial line. */
struct conn {
    int fd;
    char *data;
    size_t len, cap, lines, sent;
    int refused;     /* sent too long a line: its input is discarded from then on */
    int shut;        /* the error line is written and our side ended (FIN): wait for the client's */
    uint32_t events; /* what epoll watches: EPOLLIN or EPOLLOUT */
};

static int epfd, listener, stop_fd;
static struct conn **conns; /* by descriptor */
static long max_fds;
static int accepting = 1;   /* 0 while out of descriptors: the listener is then not watched */
static char chunk[READ_SIZE];

static void die(const char *what) {
    perror(what);
    exit(1);
}

static void watch(int fd, uint32_t events, int op) {
    struct epoll_event event = {.events = events, .data.fd = fd};
    if (epoll_ctl(epfd, op, fd, &event) != 0) die("epoll_ctl");
}

static void close_conn(struct conn *c) {
    conns[c->fd] = NULL;
    close(c->fd); /* epoll forgets the descriptor with its last copy */
    free(c->data);
    free(c);
    if (!accepting) { /* a descriptor is free again */
        accepting = 1;
        watch(listener, EPOLLIN, EPOLL_CTL_MOD);
    }
}

/* Appends bytes to the connection's pending data. */
static void keep(struct conn *c, const char *bytes, size_t count) {
    if (count == 0) return;
    if (c->len + count > c->cap) {
        size_t cap = c->cap ? c->cap : 256;
        while (cap < c->len + count) cap *= 2;
        char *data = realloc(c->data, cap);
        if (data == NULL) die("realloc");
        c->data = data;
        c->cap = cap;
    }
    memcpy(c->data + c->len, bytes, count);
    c->len += count;
}

/* Writes what the kernel takes of data[sent..lines). Returns 0 when all of it is written, 1 when
 * some must wait for EPOLLOUT, -1 when the connection is broken. */
static int flush(struct conn *c) {
    while (c->sent < c->lines) {
        ssize_t n = send(c->fd, c->data + c->sent, c->lines - c->sent, MSG_NOSIGNAL);
        if (n < 0) return errno == EAGAIN ? 1 : -1;
        c->sent += (size_t)n;
    }
    if (c->lines > 0) { /* everything whole is written: the partial line moves to the front */
        memmove(c->data, c->data + c->lines, c->len - c->lines);
        c->len -= c->lines;
        c->lines = c->sent = 0;
    }
    if (c->len == 0 && c->cap > 4096) { /* a buffer grown by a long line is given back */
        free(c->data);
        c->data = NULL;
        c->cap = 0;
    }
    return 0;
}

/* Too long a line: what is pending goes, the error line is all that is left to write. */
static void refuse(struct conn *c) {
    c->len = c->lines = c->sent = 0;
    keep(c, too_long, sizeof too_long - 1);
    c->lines = c->len;
    c->refused = 1;
}

/* Takes `count` freshly read bytes: whole lines are echoed, at once when nothing is pending (from
 * the shared buffer, never copied), the rest is kept. */
static void take(struct conn *c, const char *bytes, size_t count) {
    const char *first = memchr(bytes, '\n', count);
    size_t partial = c->len - c->lines; /* the line under way before these bytes */
    if (first != NULL ? partial + (size_t)(first - bytes) > LINE_LIMIT : partial + count > LINE_LIMIT) {
        refuse(c);
        return;
    }
    if (first == NULL) { /* no line ends here */
        keep(c, bytes, count);
        return;
    }
    /* Lines that start in these bytes are shorter than a read, so within the limit. */
    const char *last = memrchr(bytes, '\n', count);
    size_t whole = (size_t)(last - bytes) + 1;
    size_t written = 0;
    if (c->len == 0) { /* the common case: write straight from the shared buffer */
        ssize_t n = send(c->fd, bytes, whole, MSG_NOSIGNAL);
        if (n > 0) written = (size_t)n; /* an error shows up again at the next write or read */
    }
    keep(c, bytes + written, whole - written);
    c->lines = c->len;
    keep(c, last + 1, count - whole);
}

/* Writes what it can of the echo, then watches EPOLLIN if all of it is written, else EPOLLOUT. */
static void rewatch(struct conn *c) {
    int pending = flush(c);
    if (pending < 0) {
        close_conn(c);
        return;
    }
    if (!pending && c->refused && !c->shut) {
        /* The error line is written: end our side with a FIN (closing with unread input would
         * reset the connection and could destroy the error line), then discard what the client
         * still sends until it ends its side too. */
        shutdown(c->fd, SHUT_WR);
        c->shut = 1;
    }
    uint32_t events = pending ? EPOLLOUT : EPOLLIN;
    if (c->events != events) { /* epoll_ctl only when it changes */
        watch(c->fd, events, EPOLL_CTL_MOD);
        c->events = events;
    }
}

static void on_readable(struct conn *c) {
    ssize_t n = read(c->fd, chunk, sizeof chunk);
    if (n < 0 && errno == EAGAIN) return;
    if (n <= 0) { /* the client ended (a partial line never will) or reset the connection; it is
                     read only once its echo is all written, so nothing is lost */
        close_conn(c);
        return;
    }
    if (!c->refused) take(c, chunk, (size_t)n);
    rewatch(c);
}

static void accept_clients(void) {
    while (1) {
        int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EAGAIN) return; /* accepted every waiting client */
            if (errno == ECONNABORTED || errno == EINTR) continue;
            if (errno == EMFILE || errno == ENFILE) {
                /* Level-triggered, the listener would wake us forever: stop watching it until a
                 * connection closes. The client waits in the backlog. */
                fprintf(stderr, "echo_epoll: out of descriptors, accepting again after a close\n");
                accepting = 0;
                watch(listener, 0, EPOLL_CTL_MOD);
                return;
            }
            die("accept4");
        }
        if (fd >= max_fds) die("a descriptor past RLIMIT_NOFILE");
        struct conn *c = calloc(1, sizeof *c);
        if (c == NULL) die("calloc");
        c->fd = fd;
        c->events = EPOLLIN;
        conns[fd] = c;
        watch(fd, EPOLLIN, EPOLL_CTL_ADD);
    }
}

/* The soft limit on descriptors raised to the hard one: 10,000 idle clients need more than 1024. */
static void raise_descriptor_limit(void) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) die("getrlimit");
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) die("setrlimit");
    max_fds = limit.rlim_cur == RLIM_INFINITY ? 1 << 20 : (long)limit.rlim_cur;
}

int main(int argc, char **argv) {
    if (argc != 3 || strcmp(argv[1], "--port") != 0) {
        fprintf(stderr, "usage: echo_epoll --port N (0 picks a free port)\n");
        return 64;
    }
    raise_descriptor_limit();
    conns = calloc((size_t)max_fds, sizeof *conns);
    if (conns == NULL) die("calloc");

    listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listener < 0) die("socket");
    int on = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2])),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t size = sizeof address;
    if (bind(listener, (struct sockaddr *)&address, size) != 0) die("bind");
    if (listen(listener, SOMAXCONN) != 0) die("listen");
    if (getsockname(listener, (struct sockaddr *)&address, &size) != 0) die("getsockname");

    /* SIGINT and SIGTERM are blocked and arrive as a readable signalfd instead. */
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &stops, NULL) != 0) die("sigprocmask");
    stop_fd = signalfd(-1, &stops, SFD_NONBLOCK | SFD_CLOEXEC);
    if (stop_fd < 0) die("signalfd");

    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) die("epoll_create1");
    watch(listener, EPOLLIN, EPOLL_CTL_ADD);
    watch(stop_fd, EPOLLIN, EPOLL_CTL_ADD);
    printf("listening on 127.0.0.1:%d\n", ntohs(address.sin_port));
    fflush(stdout);

    struct epoll_event ready[1024];
    for (int running = 1; running;) {
        int count = epoll_wait(epfd, ready, 1024, -1);
        if (count < 0 && errno != EINTR) die("epoll_wait");
        for (int i = 0; i < count; i++) {
            int fd = ready[i].data.fd;
            if (fd == stop_fd) {
                running = 0;
            } else if (fd == listener) {
                accept_clients();
            } else if (conns[fd] != NULL) {
                /* EPOLLERR and EPOLLHUP come whatever is watched: the read or write we would
                 * do next reports them. */
                if (conns[fd]->events & EPOLLIN) on_readable(conns[fd]);
                else rewatch(conns[fd]);
            }
        }
    }
    for (long fd = 0; fd < max_fds; fd++)
        if (conns[fd] != NULL) close_conn(conns[fd]);
    close(listener);
    close(stop_fd);
    close(epfd);
    return 0;
}
