// swift-tools-version:5.9
// The Bình An core for iOS: the Rust library as an XCFramework (binary
// target) and its generated Swift API. Build both first with
// ios/build-xcframework.sh (macOS with Xcode).
import PackageDescription

let package = Package(
    name: "BinhAnCore",
    platforms: [.iOS(.v15)],
    products: [
        .library(name: "BinhAnCore", targets: ["BinhAnCore"]),
    ],
    targets: [
        .binaryTarget(name: "BinhAnCoreFFI", path: "BinhAnCoreFFI.xcframework"),
        .target(
            name: "BinhAnCore",
            dependencies: ["BinhAnCoreFFI"],
            path: "Sources/BinhAnCore"
        ),
    ]
)
