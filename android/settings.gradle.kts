// Bình An for Android. The Rust core (../core, via ../bindings) is built by
// cargo-ndk and its Kotlin bindings are generated at build time; see
// app/build.gradle.kts and the README's "Mobile bindings".
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "BinhAn"
include(":app")
