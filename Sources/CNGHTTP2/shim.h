// libnghttp2 (Debian's libnghttp2-dev): HTTP/2 framing, HPACK, flow control and stream state
// in C, for the issue #27 wire spike.
#include <nghttp2/nghttp2.h>
