// The Swift binding tests' entry point (tests/swift/run.sh compiles this
// with the generated bindings and runs it against libbinhan_ffi.so).
import Foundation

let (passed, failed) = runTests(vaultTests + appCoreTests + appModelTests + journeyTests)
say("== \(passed) passed, \(failed) failed")
exit(failed == 0 ? 0 : 1)
