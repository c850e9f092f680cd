#ifndef MASTERY_CZLIB_SHIM_H
#define MASTERY_CZLIB_SHIM_H

#include <zlib.h>

/* deflateInit2 and inflateInit2 are macros (they pass ZLIB_VERSION and the
   stream's size); Swift cannot call them. windowBits 15 + 16: write gzip;
   15 + 32: read gzip or zlib, told by the header. */
static inline int mastery_deflateInitGzip(z_streamp stream) {
  return deflateInit2(stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
static inline int mastery_inflateInitGzip(z_streamp stream) {
  return inflateInit2(stream, 15 + 32);
}

#endif
