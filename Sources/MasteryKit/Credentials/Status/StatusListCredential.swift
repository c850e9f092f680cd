import Foundation

/// The status list credentials an issuer hosts (W3C Bitstring Status List v1.0): one
/// `BitstringStatusListCredential` per list, signed as a VC-JWT with the issuer's key, its bits set
/// for the credentials revoked; and the check of a credential's `credentialStatus` against one.
public enum StatusListCredential {
  /// One signed status list credential per list of `issued` (the revocable credentials of the
  /// key's issuer), by list URL.
  public static func signed(_ issued: [IssuedCredential], key: IssuerKey, now: Date) throws -> [(url: String, jwt: String)] {
    var lists: [String: BitstringStatusList] = [:]
    for credential in issued where credential.issuer == key.issuerID {
      guard let status = credential.status else { continue }
      var list = lists[status.list] ?? BitstringStatusList()
      if credential.revokedAt != nil { list[status.index] = true }
      lists[status.list] = list
    }
    let validFrom = Grader.timestamp(now)
    return try lists.keys.sorted().map { url in
      let payload: [String: Any] = [
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": key.issuerID,
        "validFrom": validFrom,
        "credentialSubject": [
          "id": url + "#list", "type": "BitstringStatusList", "statusPurpose": "revocation",
          "encodedList": lists[url]?.encodedList ?? "",
        ] as [String: Any],
        "iss": key.issuerID, "jti": url, "nbf": CredentialJWT.seconds(validFrom) ?? 0,
      ]
      return (url, try CredentialJWT.sign(payload: payload, with: key))
    }
  }

  /// What a status list says of a credential.
  public enum Check: Equatable, Sendable {
    /// Its bit is clear.
    case active(list: String)
    /// Its bit is set.
    case revoked(list: String, index: Int)
    /// The list cannot say: why.
    case unusable(String)
  }

  /// Checks a credential's `credentialStatus` (a `BitstringStatusListEntry` for revocation) against
  /// a status list credential: signed by a key given, by the credential's issuer, the list the
  /// entry names, for revocation, and valid now.
  static func check(
    _ status: [String: Any], issuer: String?, listJWT: String, verifier: CredentialVerifier
  ) -> Check {
    guard status["type"] as? String == "BitstringStatusListEntry" else {
      return .unusable("its credentialStatus is of type \(status["type"] ?? "(none)"), not a BitstringStatusListEntry")
    }
    guard let url = status["statusListCredential"] as? String,
      let index = (status["statusListIndex"] as? String).flatMap(Int.init), index >= 0
    else { return .unusable("its credentialStatus has no statusListCredential and statusListIndex") }
    let payload: [String: Any]
    switch verifier.signed(listJWT) {
    case .success(let found):
      payload = found.payload
      if let bound = found.signer.issuer, bound != issuer {
        return .unusable("the status list given is signed with a key of \(bound), not of the credential's issuer")
      }
    case .failure(let failure): return .unusable("the status list given is not valid: \(failure)")
    }
    let listIssuer = (payload["issuer"] as? [String: Any])?["id"] as? String ?? payload["issuer"] as? String
    guard listIssuer == issuer else {
      return .unusable("the status list given is issued by \(listIssuer ?? "nobody"), not by \(issuer ?? "nobody")")
    }
    guard payload["id"] as? String == url else {
      return .unusable("the status list given is \(payload["id"] ?? "(no id)"), not \(url) which the credential names")
    }
    let subject = payload["credentialSubject"] as? [String: Any]
    let purpose = status["statusPurpose"] as? String ?? "revocation"
    guard subject?["statusPurpose"] as? String == purpose, purpose == "revocation" else {
      return .unusable("the status list given is for \(subject?["statusPurpose"] ?? "(no purpose)"), not revocation")
    }
    if let validUntil = payload["validUntil"] as? String {
      guard let end = CredentialJWT.date(validUntil), verifier.now <= end else {
        return .unusable("the status list given expired at \(validUntil): get a current one")
      }
    }
    guard let list = (subject?["encodedList"] as? String).flatMap(BitstringStatusList.init(encodedList:)) else {
      return .unusable("the status list's encodedList is not a GZIP bitstring in multibase base64url")
    }
    guard index < list.count else {
      return .unusable("the credential's status index \(index) is past the list's \(list.count) entries")
    }
    return list[index] ? .revoked(list: url, index: index) : .active(list: url)
  }
}
