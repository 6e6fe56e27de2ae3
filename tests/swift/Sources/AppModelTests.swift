// The iOS app's model (ios/BinhAn/AppModel.swift, compiled in by run.sh)
// driven as the SwiftUI views drive it: events go in through `send`, the
// answers are published on the main actor, effects reach the app's handler.
// The main run loop is turned until each answer is published, as the app's
// would be. All data here is synthetic.
import Foundation
import Observation

let appModelTests = [
    TestCase(
        name: "the app model: first run through published views, quick exit hides the app",
        body: { try MainActor.assumeIsolated { try appModelFirstRun() } }),
]

/// What the main actor saw: the answer to one send, the effects handed over.
@MainActor
private final class Seen {
    var answer: ViewModel?
    var effects: [Effect] = []
    var changed = false
}

/// Sends `event` and turns the main run loop until the model has published
/// its answer; checks that the published view is that answer.
@MainActor
@discardableResult
private func settle(
    _ model: AppModel, _ event: Event, file: StaticString = #fileID, line: UInt = #line
) throws -> ViewModel {
    let seen = Seen()
    model.send(event) { seen.answer = $0 }
    try expect(seen.answer == nil, "the answer is published later, not during send", file: file, line: line)
    let deadline = Date(timeIntervalSinceNow: 30)
    while seen.answer == nil {
        guard Date() < deadline else { throw fail("no view published for \(event)", file: file, line: line) }
        _ = RunLoop.main.run(mode: .default, before: Date(timeIntervalSinceNow: 0.01))
    }
    let answer = try unwrap(seen.answer, "the answer", file: file, line: line)
    try expectEqual(model.view, answer, "the published view", file: file, line: line)
    return answer
}

@MainActor
private func appModelFirstRun() throws {
    let dir = try tempDir()
    defer { deleteTree(dir) }
    let model = AppModel(
        dir: dir.appendingPathComponent("vault").path, config: quickConfig(), platformKey: nil, lang: .vi)
    let seen = Seen()
    model.effects = { seen.effects.append($0) }
    guard case .camouflage = model.view.screen else { throw fail("starts on the camouflage, got \(model.view.screen)") }

    // The camouflage's secret: six digits, then = twice.
    for digit: UInt8 in [4, 0, 7, 1, 5, 2] { try settle(model, .calculator(key: .digit(digit: digit))) }
    guard case .camouflage = try settle(model, .calculator(key: .equals)).screen else {
        throw fail("one = is still the calculator, got \(model.view.screen)")
    }
    guard case .setup = try settle(model, .calculator(key: .equals)).screen else {
        throw fail("the gate opens the first run, got \(model.view.screen)")
    }

    // Views are published through Observation: a SwiftUI view reading
    // `view` is redrawn.
    withObservationTracking {
        _ = model.view
    } onChange: {
        MainActor.assumeIsolated { seen.changed = true }
    }
    try settle(model, .setField(field: .pin, value: pin))
    try expect(seen.changed, "observers of view hear the change")

    try settle(model, .setField(field: .pinConfirm, value: pin))
    guard case .home(let home) = try settle(model, .submit).screen else {
        throw fail("the first run ends on the home screen, got \(model.view.screen)")
    }
    try expectEqual(home.noCases, "Chưa có hồ sơ nào", "empty home")
    try expectEqual(seen.effects, [], "effects before the quick exit")

    let quickExit = try unwrap(model.view.quickExit, "the quick exit button")
    guard case .camouflage = try settle(model, quickExit.event).screen else {
        throw fail("quick exit shows the camouflage, got \(model.view.screen)")
    }
    try expectEqual(seen.effects, [.hideApp], "effects handed to the app")
}
