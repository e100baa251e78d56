/* The C peer of the fork and thread echo rows: the line echo server on blocking sockets and the raw
 * syscalls, one process or one thread per client, as the course's day4 fork_server.py and
 * thread_server.py (Benchmarks/peers/fork_server.py and thread_server.py in CPython).
 *
 *     echo_blocking --model fork|thread --port N   listens on 127.0.0.1:N (0 picks a free port)
 *
 * Prints "listening on 127.0.0.1:PORT" first, then accepts clients. With fork each client is
 * served by a child process (fork(2); SIGCHLD is ignored, so the kernel reaps the children); with
 * thread by a detached thread (pthread_create(3), default attributes). A client's lines (bytes up
 * to "\n") come back unchanged as soon as each is whole, however they arrive in pieces. A line
 * longer than 65536 bytes gets "error: line longer than 65536 bytes", then the server ends its side
 * of that connection and discards what the client still sends. SIGINT or SIGTERM ends the process
 * (a child too) with status 0.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define LINE_LIMIT 65536 /* the longest line echoed, without its "\n" */
#define READ_SIZE 65536  /* bytes taken by one read(2) */
static const char too_long[] = "error: line longer than 65536 bytes\n";

static void die(const char *what) {
    perror(what);
    exit(1);
}

static void on_stop(int signal) {
    (void)signal;
    _exit(0);
}

/* Writes all of `bytes`; -1 when the connection is broken. */
static int send_all(int fd, const char *bytes, size_t count) {
    while (count > 0) {
        ssize_t n = send(fd, bytes, count, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        bytes += n;
        count -= (size_t)n;
    }
    return 0;
}

/* The line under way: bytes that came without their "\n" yet. */
struct partial {
    char *data;
    size_t len, cap;
};

static void keep(struct partial *p, const char *bytes, size_t count) {
    if (p->len + count > p->cap) {
        size_t cap = p->cap ? p->cap : 256;
        while (cap < p->len + count) cap *= 2;
        char *data = realloc(p->data, cap);
        if (data == NULL) die("realloc");
        p->data = data;
        p->cap = cap;
    }
    memcpy(p->data + p->len, bytes, count);
    p->len += count;
}

/* Too long a line: the error line, a FIN, then what the client still sends is discarded. */
static void refuse(int fd, char *chunk) {
    if (send_all(fd, too_long, sizeof too_long - 1) != 0) return;
    shutdown(fd, SHUT_WR);
    ssize_t n;
    while ((n = read(fd, chunk, READ_SIZE)) > 0 || (n < 0 && errno == EINTR)) continue;
}

/* Echoes the lines of one client until it ends its side or the connection breaks, then closes it.
 * Whole lines are sent straight from the read buffer, after the start of the first of them if it
 * came in earlier reads. */
static void serve(int fd) {
    char chunk[READ_SIZE];
    struct partial partial = {0};
    while (1) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break; /* the client ended (a partial line never will) or reset */
        const char *first = memchr(chunk, '\n', (size_t)n);
        /* Lines that start in this chunk are shorter than a read, so within the limit. */
        if (partial.len + (first ? (size_t)(first - chunk) : (size_t)n) > LINE_LIMIT) {
            refuse(fd, chunk);
            break;
        }
        if (first == NULL) {
            keep(&partial, chunk, (size_t)n);
            continue;
        }
        const char *last = memrchr(chunk, '\n', (size_t)n);
        size_t whole = (size_t)(last - chunk) + 1;
        if (send_all(fd, partial.data, partial.len) != 0 || send_all(fd, chunk, whole) != 0) break;
        partial.len = 0;
        keep(&partial, last + 1, (size_t)n - whole);
    }
    free(partial.data);
    close(fd);
}

static void *client_thread(void *fd) {
    serve((int)(intptr_t)fd);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 5 || strcmp(argv[1], "--model") != 0 || strcmp(argv[3], "--port") != 0 ||
        (strcmp(argv[2], "fork") != 0 && strcmp(argv[2], "thread") != 0)) {
        fprintf(stderr, "usage: echo_blocking --model fork|thread --port N (0 picks a free port)\n");
        return 64;
    }
    int forking = strcmp(argv[2], "fork") == 0;
    struct sigaction stop = {.sa_handler = on_stop};
    if (sigaction(SIGINT, &stop, NULL) != 0 || sigaction(SIGTERM, &stop, NULL) != 0) die("sigaction");
    if (forking && signal(SIGCHLD, SIG_IGN) == SIG_ERR) die("signal");
    pthread_attr_t detached;
    pthread_attr_init(&detached);
    pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);

    int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0) die("socket");
    int on = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[4])),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t size = sizeof address;
    if (bind(listener, (struct sockaddr *)&address, size) != 0) die("bind");
    if (listen(listener, SOMAXCONN) != 0) die("listen");
    if (getsockname(listener, (struct sockaddr *)&address, &size) != 0) die("getsockname");
    printf("listening on 127.0.0.1:%d\n", ntohs(address.sin_port));
    fflush(stdout);

    while (1) {
        int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0 && (errno == EINTR || errno == ECONNABORTED)) continue;
        if (fd < 0) die("accept4");
        if (forking) {
            pid_t child = fork();
            if (child < 0) die("fork");
            if (child == 0) {
                close(listener);
                serve(fd);
                _exit(0);
            }
            close(fd);
        } else {
            pthread_t thread;
            int error = pthread_create(&thread, &detached, client_thread, (void *)(intptr_t)fd);
            if (error != 0) {
                errno = error;
                die("pthread_create");
            }
        }
    }
}
