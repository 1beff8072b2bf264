// swift-tools-version:6.0
import PackageDescription

// Layering is enforced by the dependency graph: the domain (MotCuaCore) sees only
// Foundation; the store sees the domain and SQL; the server sees both and HTTP.
let package = Package(
    name: "MotCua",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "motcua", targets: ["motcua"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
    ],
    targets: [
        .target(
            name: "MotCuaCore",
            resources: [
                .copy("Calendar/Resources/notices.json"), .copy("Calendar/Resources/holiday-rules.json"),
                .copy("Reports/Resources/service-index-766.json"),
            ]
        ),
        .target(
            name: "MotCuaStore",
            dependencies: [
                "MotCuaCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            exclude: ["Units/Resources/README.md"],
            resources: [
                .copy("Units/Resources/units-2025.csv"),
                .copy("Units/Resources/units-legacy-2024.csv"),
                .copy("Units/Resources/ward-merges-2025.csv"),
                .copy("Demo/Resources/demo-agencies.json"),
                .copy("Demo/Resources/demo-catalogue.json"),
            ]
        ),
        .target(
            name: "MotCuaServer",
            dependencies: [
                "MotCuaCore",
                "MotCuaStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            resources: [
                .copy("Resources/openapi.json"), .copy("Resources/templates"), .copy("Resources/static"), .copy("Resources/i18n"),
            ]
        ),
        .executableTarget(
            name: "motcua",
            dependencies: [
                "MotCuaCore",
                "MotCuaStore",
                "MotCuaServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SQLKit", package: "sql-kit"),
            ]
        ),
        // Shared by the test targets only: the databases a suite runs on.
        .target(name: "MotCuaTestSupport", dependencies: ["MotCuaStore", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "MotCuaCoreTests", dependencies: ["MotCuaCore"], exclude: ["Fixtures"]),
        .testTarget(name: "MotCuaStoreTests", dependencies: ["MotCuaStore", "MotCuaCore", "MotCuaTestSupport", .product(name: "SQLKit", package: "sql-kit")]),
        .testTarget(
            name: "MotCuaServerTests",
            dependencies: [
                "MotCuaServer",
                "MotCuaStore",
                "MotCuaCore",
                "MotCuaTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "motcuaTests", dependencies: ["motcua", "MotCuaStore"]),
    ]
)
