// The Bình An Android app: a thin Compose front-end over the Rust core.
//
// Before compiling, two tasks run:
//   cargoNdkBuild     builds binhan-ffi for arm64-v8a, armeabi-v7a and x86_64
//                     with cargo-ndk into build/rustJniLibs (packaged as jniLibs);
//   generateBindings  generates the Kotlin bindings from the built library with
//                     the workspace's own uniffi-bindgen into build/generated/uniffi.
// Needs: rustup targets aarch64-linux-android armv7-linux-androideabi
// x86_64-linux-android, `cargo install cargo-ndk`, and ANDROID_NDK_HOME (or an
// NDK installed by the SDK manager).
plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
    alias(libs.plugins.kotlin.compose)
}

val repoRoot: File = rootDir.parentFile
val rustAbis = listOf("arm64-v8a", "armeabi-v7a", "x86_64")
val rustProfile = if (providers.gradleProperty("rustDebug").isPresent) "debug" else "release"
val rustJniLibs = layout.buildDirectory.dir("rustJniLibs")
val uniffiOut = layout.buildDirectory.dir("generated/uniffi")

android {
    namespace = "vn.binhan.app"
    compileSdk = 35

    defaultConfig {
        applicationId = "vn.binhan.app"
        // 26: java.time, which the generated bindings use for days and instants.
        minSdk = 26
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
        ndk { abiFilters += rustAbis }
    }

    buildTypes {
        release {
            isMinifyEnabled = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    buildFeatures { compose = true }

    sourceSets["main"].jniLibs.srcDir(rustJniLibs)
    sourceSets["main"].java.srcDir(uniffiOut)
}

kotlin { jvmToolchain(17) }

val cargoNdkBuild by tasks.registering(Exec::class) {
    description = "Builds the Rust core (binhan-ffi) for every Android ABI with cargo-ndk."
    group = "rust"
    workingDir = repoRoot
    val args = mutableListOf("cargo", "ndk", "--platform", "26")
    rustAbis.forEach { args += listOf("-t", it) }
    args += listOf("-o", rustJniLibs.get().asFile.absolutePath, "build", "--locked", "-p", "binhan-ffi", "--lib")
    if (rustProfile == "release") args += "--release"
    commandLine(args)
    inputs.files(fileTree(repoRoot) {
        include("Cargo.toml", "Cargo.lock", "core/**", "bindings/**")
        exclude("**/target/**")
    })
    outputs.dir(rustJniLibs)
}

val generateBindings by tasks.registering(Exec::class) {
    description = "Generates the Kotlin bindings from the built library (uniffi library mode)."
    group = "rust"
    dependsOn(cargoNdkBuild)
    workingDir = repoRoot
    val library = rustJniLibs.get().file("arm64-v8a/libbinhan_ffi.so").asFile
    val out = uniffiOut.get().asFile
    doFirst { out.deleteRecursively() }
    commandLine(
        "cargo", "uniffi-bindgen", "generate", "--library", library.absolutePath,
        "--language", "kotlin", "--no-format", "--out-dir", out.absolutePath,
    )
    inputs.file(library)
    outputs.dir(out)
}

tasks.named("preBuild") { dependsOn(generateBindings) }

dependencies {
    // JNA with its native dispatch library for each Android ABI.
    implementation(libs.jna) { artifact { type = "aar" } }
    implementation(libs.androidx.core.ktx)
    implementation(libs.zxing.embedded)
    implementation(libs.androidx.activity.compose)
    implementation(libs.androidx.lifecycle.viewmodel.compose)
    implementation(platform(libs.compose.bom))
    implementation(libs.compose.ui)
    implementation(libs.compose.material3)
    implementation(libs.compose.ui.tooling.preview)
}
