#ifndef MASTERY_CLINUX_SHIM_H
#define MASTERY_CLINUX_SHIM_H

#include <errno.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

/* syscall(2) is variadic, which Swift cannot call. A descriptor that becomes
   readable when the process ends (Linux 5.3), or -1. */
static inline int mastery_pidfd_open(int pid) {
#ifdef SYS_pidfd_open
  return (int)syscall(SYS_pidfd_open, pid, 0);
#else
  (void)pid;
  return -1;
#endif
}

/* The file system type of a path (statfs f_type; 0x01021994 is tmpfs), or -1.
   statfs is not in Swift's Glibc module. */
static inline long mastery_filesystemType(const char *path) {
  struct statfs info;
  return statfs(path, &info) == 0 ? (long)info.f_type : -1;
}

/* Closes every descriptor from `from` up in a process posix_spawn starts (glibc 2.34), so that
   nothing the engine holds open without close-on-exec (a library's, a test runner's) reaches a
   sandboxed run. ENOSYS where the C library lacks it. */
static inline int mastery_spawn_closefrom(posix_spawn_file_actions_t *actions, int from) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
  return posix_spawn_file_actions_addclosefrom_np(actions, from);
#else
  (void)actions;
  (void)from;
  return ENOSYS;
#endif
}

#endif
