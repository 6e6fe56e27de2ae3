// A tiny test runner for the Swift binding tests: named test functions, a
// failure message that says what was expected and where, one line per test
// and a summary that tests/swift/run.sh reads. (XCTest exists in Debian's
// swiftlang, but without SwiftPM it needs a hand-written list of tests all
// the same; this keeps the output and the counting under our control.)
import Foundation

/// A failed expectation: the message and where it was made.
struct TestFailure: Error, CustomStringConvertible {
    let message: String
    let file: StaticString
    let line: UInt

    var description: String { "\(file):\(line): \(message)" }
}

/// One named test.
struct TestCase: Sendable {
    let name: String
    let body: @Sendable () throws -> Void
}

func expect(
    _ condition: Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) throws {
    if !condition { throw TestFailure(message: message(), file: file, line: line) }
}

func expectEqual<T: Equatable>(
    _ actual: T, _ expected: T, _ what: @autoclosure () -> String = "value",
    file: StaticString = #fileID, line: UInt = #line
) throws {
    if actual != expected {
        throw TestFailure(
            message: "\(what()): expected \(expected), got \(actual)", file: file, line: line)
    }
}

func unwrap<T>(
    _ value: T?, _ what: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) throws -> T {
    guard let value else { throw TestFailure(message: "\(what()) is missing", file: file, line: line) }
    return value
}

func fail(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> TestFailure {
    TestFailure(message: message, file: file, line: line)
}

/// The error `body` throws, or a failure if it throws none.
func expectThrows<T>(
    _ what: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line,
    _ body: () throws -> T
) throws -> Error {
    do {
        let value = try body()
        throw TestFailure(message: "\(what()): expected an error, got \(value)", file: file, line: line)
    } catch let failure as TestFailure {
        throw failure
    } catch {
        return error
    }
}

/// Runs `tests` in order and returns the number that failed.
func runTests(_ tests: [TestCase]) -> (passed: Int, failed: Int) {
    var passed = 0
    var failed = 0
    for test in tests {
        let started = Date()
        do {
            try test.body()
            passed += 1
            say("PASS \(test.name) (\(milliseconds(since: started)) ms)")
        } catch let failure as TestFailure {
            failed += 1
            say("FAIL \(test.name)\n     \(failure)")
        } catch {
            failed += 1
            say("FAIL \(test.name)\n     unexpected error: \(error)")
        }
    }
    return (passed, failed)
}

/// Prints a line at once (so that a crash loses nothing said before it).
func say(_ line: String) {
    print(line)
    fflush(nil)
}

private func milliseconds(since start: Date) -> Int {
    Int((Date().timeIntervalSince(start) * 1000).rounded())
}
