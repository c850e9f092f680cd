// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "mastery",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "mastery", targets: ["mastery"]),
    .library(name: "MasteryKit", targets: ["MasteryKit"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    // SHA-256 of rubric and evidence files; signing and verifying Open Badges credentials (EdDSA, ES256, and RS256
    // from its _CryptoExtras, which every Open Badges 3.0 verifier must accept).
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    // The ledger: SQLite with WAL, migrations and safe concurrent access.
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CLibXML2",
      pkgConfig: "libxml-2.0",
      providers: [.apt(["libxml2-dev"])]
    ),
    .target(name: "LibXML", dependencies: ["CLibXML2"]),
    // Linux system calls Swift cannot make itself (syscall is variadic): pidfd_open.
    .systemLibrary(name: "CLinux"),
    // zlib: GZIP of the Bitstring Status Lists that revoke credentials.
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .target(
      name: "MasteryKit",
      dependencies: [
        "LibXML", "CZlib", "CLinux", .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "_CryptoExtras", package: "swift-crypto"), .product(name: "GRDB", package: "GRDB.swift"),
      ]
    ),
    .executableTarget(
      name: "mastery",
      dependencies: [
        "MasteryKit",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Loops parse + validate + XPath + HTML for `make leak-check` under valgrind.
    .executableTarget(name: "libxml-soak", dependencies: ["LibXML"], path: "Tests/libxml-soak"),
    .target(name: "MasteryTestSupport", dependencies: ["MasteryKit"], path: "Tests/MasteryTestSupport"),
    .testTarget(name: "LibXMLTests", dependencies: ["LibXML", "MasteryTestSupport"]),
    .testTarget(
      name: "MasteryKitTests",
      dependencies: ["MasteryKit", "MasteryTestSupport", .product(name: "_CryptoExtras", package: "swift-crypto")]),
    .testTarget(
      name: "MasteryCLITests", dependencies: ["MasteryTestSupport", "MasteryKit", "LibXML"], exclude: ["Golden"]),
  ],
  swiftLanguageModes: [.v6]
)
