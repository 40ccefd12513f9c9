/*
 * Link delay for the network lab, where the kernel has no netem: iptables
 * hands packets to NFQUEUE queue N, and this program holds each one for a
 * fixed delay before letting it go on (NF_ACCEPT). The delay is the same
 * for every packet, so packets leave in the order they came, as on a long
 * link. Loss and rate are done by iptables and tc, not here.
 *
 *   delay --queue N --delay-ms MS
 *
 * Prints "ready" once bound to the queue, so the lab adds its rules only
 * then (a packet queued to a queue nobody holds is dropped). Exits on
 * SIGTERM or SIGINT.
 *
 * Built by test/network/lab/delay-tool.ts with the C compiler and Debian's
 * libnetfilter-queue-dev.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <libnfnetlink/libnfnetlink.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* More packets than a lab link holds in flight at its worst (150 ms of a call and a file). */
#define CAPACITY 65536

struct held {
  uint32_t id;
  int64_t due_ns;
};

static struct held ring[CAPACITY];
static size_t head, count;
static int64_t delay_ns;
static unsigned long dropped_full;
static volatile sig_atomic_t stopping;

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void stop(int signal) {
  (void)signal;
  stopping = 1;
}

/* Every packet that arrives is held: its verdict comes when it is due. */
static int on_packet(struct nfq_q_handle *queue, struct nfgenmsg *message, struct nfq_data *data, void *context) {
  (void)message;
  (void)context;
  struct nfqnl_msg_packet_hdr *header = nfq_get_msg_packet_hdr(data);
  if (header == NULL) return 0;
  uint32_t id = ntohl(header->packet_id);
  if (count == CAPACITY) {
    /* A full ring drops, as a full router buffer would. */
    dropped_full++;
    return nfq_set_verdict(queue, id, NF_DROP, 0, NULL);
  }
  ring[(head + count) % CAPACITY] = (struct held){id, now_ns() + delay_ns};
  count++;
  return 0;
}

/* Lets every due packet go; returns ms until the next one is due, or -1 if none is held. */
static int release_due(struct nfq_q_handle *queue) {
  int64_t now = now_ns();
  while (count > 0 && ring[head].due_ns <= now) {
    nfq_set_verdict(queue, ring[head].id, NF_ACCEPT, 0, NULL);
    head = (head + 1) % CAPACITY;
    count--;
  }
  if (count == 0) return -1;
  int64_t wait_ns = ring[head].due_ns - now;
  /* Round up: waking early would only loop. */
  return (int)((wait_ns + 999999) / 1000000);
}

static int usage(void) {
  fprintf(stderr, "usage: delay --queue N --delay-ms MS\n");
  return 2;
}

int main(int argc, char **argv) {
  long queue_number = -1, delay_ms = -1;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--queue") == 0) queue_number = strtol(argv[i + 1], NULL, 10);
    else if (strcmp(argv[i], "--delay-ms") == 0) delay_ms = strtol(argv[i + 1], NULL, 10);
    else return usage();
  }
  if (queue_number < 0 || queue_number > 65535 || delay_ms < 0 || delay_ms > 60000) return usage();
  delay_ns = (int64_t)delay_ms * 1000000;

  struct sigaction action = {0};
  action.sa_handler = stop;
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGINT, &action, NULL);

  struct nfq_handle *handle = nfq_open();
  if (handle == NULL) {
    perror("nfq_open");
    return 1;
  }
  struct nfq_q_handle *queue = nfq_create_queue(handle, (uint16_t)queue_number, on_packet, NULL);
  if (queue == NULL) {
    perror("nfq_create_queue");
    return 1;
  }
  /* Only the packet id is needed; the packet itself stays in the kernel. */
  if (nfq_set_mode(queue, NFQNL_COPY_META, 0) < 0 || nfq_set_queue_maxlen(queue, CAPACITY) < 0) {
    perror("nfq_set_mode");
    return 1;
  }
  /* A burst of arrivals must not overflow the socket between two reads. */
  nfnl_rcvbufsiz(nfq_nfnlh(handle), 8 << 20);
  int fd = nfq_fd(handle);
  printf("ready\n");
  fflush(stdout);

  char buffer[4096] __attribute__((aligned));
  while (!stopping) {
    struct pollfd poller = {.fd = fd, .events = POLLIN};
    int ready = poll(&poller, 1, release_due(queue));
    if (ready < 0 && errno != EINTR) {
      perror("poll");
      break;
    }
    if (ready > 0) {
      /* Drain what is there without blocking, then release what is due. */
      for (;;) {
        ssize_t length = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (length >= 0) {
          nfq_handle_packet(handle, buffer, (int)length);
          continue;
        }
        /* ENOBUFS: the kernel dropped notices (their packets too); carry on. */
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOBUFS && errno != EINTR) perror("recv");
        break;
      }
    }
  }
  if (dropped_full > 0) fprintf(stderr, "delay: %lu packets dropped with the ring full\n", dropped_full);
  nfq_destroy_queue(queue);
  nfq_close(handle);
  return 0;
}
