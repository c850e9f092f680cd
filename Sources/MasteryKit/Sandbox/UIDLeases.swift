import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The sandbox uids in use on this host, across every `mastery` process.
///
/// A uid is leased by holding an exclusive `flock` on `FOLDER/UID.lock` until the run that uses
/// it ends: two processes (two CI jobs, a grade and a review on one machine) never hand the same
/// uid to concurrent runs, so one run's processes never count against another's process limit
/// (RLIMIT_NPROC counts per uid). A process that dies releases its leases with its descriptors.
final class UIDLeases: @unchecked Sendable {
  /// Where the lock files live: fixed for the host, whatever each process's TMPDIR.
  static let folder = "/run/lock/mastery-uids"

  private let lock = NSLock()
  private var held: [UInt32: Int32] = [:]
  private var next: UInt32 = 0
  let first: UInt32
  let count: UInt32
  let folder: String

  init(first: UInt32, count: UInt32, folder: String = UIDLeases.folder) {
    self.first = first
    self.count = count
    self.folder = folder
  }

  /// A uid no other run on the host holds; the first one tried when none is free (or the lock
  /// folder cannot be made), so a run still starts.
  func lease() -> UInt32 {
    lock.lock()
    defer { lock.unlock() }
    mkdir(folder, 0o700)
    let start = next
    next &+= 1
    for offset in 0..<count {
      let uid = first + (start &+ offset) % count
      guard held[uid] == nil else { continue }
      let descriptor = open("\(folder)/\(uid).lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
      guard descriptor >= 0 else { return first + start % count }
      if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
        held[uid] = descriptor
        next = start &+ offset &+ 1
        return uid
      }
      close(descriptor)
    }
    return first + start % count
  }

  /// Gives `uid` back for other runs.
  func release(_ uid: UInt32) {
    lock.lock()
    defer { lock.unlock() }
    guard let descriptor = held.removeValue(forKey: uid) else { return }
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }
}
