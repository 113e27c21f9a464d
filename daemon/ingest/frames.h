/* frames: one whole multipart ZeroMQ message off a socket, as the submission router, the
 * query router and the ZAP handler each take theirs. */
#ifndef SAMLA_FRAMES_H
#define SAMLA_FRAMES_H

#include <zmq.h>

/* Receives one multipart message without waiting for its first frame. fr[0..max) are
 * initialised whatever happens and the caller closes every one of them (frames_close);
 * the first `max` frames land there and any further ones are received and dropped, so a
 * message with too many frames is consumed whole. Returns the message's frame count (it
 * may exceed max), 0 when nothing was waiting, or -1 when a later frame could not be
 * received (the socket is closing). */
int frames_recv(void *sock, zmq_msg_t *const *fr, int max);

void frames_close(zmq_msg_t *const *fr, int max);

#endif
