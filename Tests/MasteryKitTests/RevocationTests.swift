import Foundation
import MasteryTestSupport
import Testing

@testable import MasteryKit

@Suite("Revocation: status lists and the issued credentials the ledger keeps")
struct RevocationTests {
  @Test func bitZeroIsTheFirstByteMostSignificantBitAndTheListRoundTrips() throws {
    var list = BitstringStatusList()
    #expect(list.count == 131_072)
    list[0] = true
    list[9] = true
    list[131_071] = true
    #expect(list.bytes[0] == 0x80 && list.bytes[1] == 0x40 && list.bytes[16_383] == 0x01)
    let encoded = list.encodedList
    #expect(encoded.hasPrefix("uH4sI"), "multibase base64url of a GZIP stream: \(encoded.prefix(12))")
    let read = try #require(BitstringStatusList(encodedList: encoded))
    #expect(read == list && read[9] && !read[8] && !read[131_072] && !read[-1])
    // The example of Bitstring Status List v1.0: 16 KiB of zeros.
    let example = try #require(
      BitstringStatusList(encodedList: "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"))
    #expect(example.count == 131_072 && example.bytes.allSatisfy { $0 == 0 })
  }

  @Test func listsThatAreNotGzipOrUnpackTooFarAreRefused() throws {
    #expect(BitstringStatusList(encodedList: "zH4sI") == nil, "not base64url multibase")
    #expect(BitstringStatusList(encodedList: "u" + Base64URL.encode(Data("plain".utf8))) == nil)
    // A GZIP bomb: 17 MiB of zeros packs to a few KiB; reading stops at 16 MiB.
    let bomb = try #require(Gzip.compress(Data(count: 17 << 20)))
    #expect(bomb.count < 64 * 1024)
    #expect(BitstringStatusList(encodedList: "u" + Base64URL.encode(bomb)) == nil)
    // Trailing bytes after the stream, or a cut stream, are not a list.
    let whole = try #require(Gzip.compress(Data(count: 16)))
    #expect(Gzip.decompress(whole, limit: 1 << 20)?.count == 16)
    #expect(Gzip.decompress(whole + Data([1, 2, 3]), limit: 1 << 20) == nil)
    #expect(Gzip.decompress(whole.prefix(whole.count - 4), limit: 1 << 20) == nil)
  }

  @Test func theLedgerGivesEachCredentialItsOwnEntryAndKeepsItsRevocation() throws {
    let folder = try TestPaths.temporaryFolder()
    let ledger = try SQLiteLedger(path: folder + "/ledger.sqlite")
    let base = "https://pd.example.org/status/"
    var entries: Set<String> = []
    for number in 0..<50 {
      let issued = try ledger.recordIssued(
        IssuedCredential(
          id: "urn:uuid:\(number)", submission: SubmissionKey(credential: "c", candidate: "t\(number)", attempt: 1),
          issuer: "https://pd.example.org", issuedAt: "2026-12-07T00:00:00Z"),
        statusBase: base)
      let status = try #require(issued.status)
      #expect(status.list.hasPrefix(base) && status.list.hasSuffix("-1.jwt"))
      #expect((0..<BitstringStatusList.capacity).contains(status.index))
      entries.insert("\(status.list)#\(status.index)")
    }
    #expect(entries.count == 50, "no two credentials share an entry")
    let plain = try ledger.recordIssued(
      IssuedCredential(
        id: "urn:uuid:plain", submission: SubmissionKey(credential: "c", candidate: "x", attempt: 1),
        issuer: "did:key:z6Mk", issuedAt: "2026-12-07T00:00:00Z"),
      statusBase: nil)
    #expect(plain.status == nil)
    #expect(try ledger.revocable(issuer: "https://pd.example.org").count == 50)

    let revoked = try #require(try ledger.revoke(id: "urn:uuid:7", reason: "plagiarised", at: "2026-12-08T00:00:00Z"))
    #expect(revoked.revokedAt == "2026-12-08T00:00:00Z" && revoked.revocationReason == "plagiarised")
    let again = try ledger.revoke(id: "urn:uuid:7", reason: "other", at: "2026-12-09T00:00:00Z")
    #expect(again?.revocationReason == "plagiarised", "a revocation keeps its first time and reason")
    #expect(try ledger.revoke(id: "urn:uuid:none", reason: "x", at: "2026-12-09T00:00:00Z") == nil)

    // A revocation made in another ledger reaches this one by merge, and a new credential there too.
    let other = try SQLiteLedger(path: folder + "/other.sqlite")
    _ = try other.recordIssued(
      IssuedCredential(
        id: "urn:uuid:elsewhere", submission: SubmissionKey(credential: "c", candidate: "y", attempt: 1),
        issuer: "https://pd.example.org", issuedAt: "2026-12-07T00:00:00Z"),
      statusBase: base)
    _ = try other.revoke(id: "urn:uuid:elsewhere", reason: "withdrawn", at: "2026-12-08T00:00:00Z")
    // Refused attempts travel with a merge too (they were left behind before).
    let refused = Refusal(
      submission: SubmissionKey(credential: "c", candidate: "y", attempt: 4), reason: "the rubric allows 3 attempts",
      recordedAt: "2026-12-08T00:00:00Z")
    try other.record(refused)
    let counts = try ledger.merge(from: folder + "/other.sqlite")
    #expect(try ledger.refusals(credential: "c", candidate: "y").map(\.reason) == ["the rubric allows 3 attempts"])
    #expect(counts.credentials == 1)
    let merged = try #require(try ledger.issued(id: "urn:uuid:elsewhere"))
    #expect(merged.revocationReason == "withdrawn")
    #expect(merged.status?.list != revoked.status?.list, "each ledger has lists of its own, so merged ones never collide")
    #expect(try ledger.merge(from: folder + "/other.sqlite").credentials == 0, "merging again adds nothing")
    #expect(try ledger.refusals(credential: "c", candidate: "y").count == 1, "nor a refusal twice")
  }

  @Test func statusBasesComeFromTheIssuersSite() {
    #expect(IssuedCredential.statusBase(issuer: "https://pd.example.org") == "https://pd.example.org/status/")
    #expect(IssuedCredential.statusBase(issuer: "https://pd.example.org/pl/") == "https://pd.example.org/pl/status/")
    #expect(IssuedCredential.statusBase(issuer: "did:web:pd.example.org") == "https://pd.example.org/status/")
    #expect(
      IssuedCredential.statusBase(issuer: "did:web:pd.example.org%3A8443:programs")
        == "https://pd.example.org:8443/programs/status/")
    #expect(IssuedCredential.statusBase(issuer: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK") == nil)
    #expect(IssuedCredential.isStatusBase("https://pd.example.org/status/"))
    #expect(!IssuedCredential.isStatusBase("http://pd.example.org/status/"))
    #expect(!IssuedCredential.isStatusBase("https://pd.example.org/status"))
  }
}
