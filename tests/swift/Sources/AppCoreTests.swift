// The app decided in core, driven from Swift as a SwiftUI shell would drive
// it: it sends what the person did (keys, typed text, the event of a tapped
// action or choice) and reads the view model that comes back. No Swift code
// here decides anything about a case, a PIN or a survivor's safety. A port
// of tests/kotlin's AppCoreTest.kt. All data here is synthetic.
import Foundation

let appCoreTests = [
    TestCase(
        name: "first run, record an incident offline, read it back, quick exit",
        body: firstRunRecordQuickExit),
    TestCase(
        name: "events that make no sense are refused in the view, never thrown",
        body: refusals),
]

/// A shell that records the effects it is asked for (the core may call it
/// from any thread).
final class RecordingShell: Shell, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Effect] = []

    func effect(effect: Effect) {
        lock.lock()
        recorded.append(effect)
        lock.unlock()
    }

    var effects: [Effect] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }
}

/// One app over a fresh vault directory, and what a shell does with it.
final class Phone {
    let dir: URL
    let shell = RecordingShell()
    let core: AppCore
    private(set) var view: ViewModel

    init(lang: Lang = .vi) throws {
        dir = try tempDir()
        core = appCore(
            dir: dir.appendingPathComponent("vault").path, config: quickConfig(), platformKey: nil,
            lang: lang, shell: shell)
        view = core.view()
    }

    deinit { deleteTree(dir) }

    @discardableResult
    func send(_ event: Event) -> ViewModel {
        view = core.send(event: event)
        return view
    }

    /// The camouflage's secret: six digits, then = twice.
    @discardableResult
    func openGate() -> ViewModel {
        for digit: UInt8 in [4, 0, 7, 1, 5, 2] { send(.calculator(key: .digit(digit: digit))) }
        send(.calculator(key: .equals))
        return send(.calculator(key: .equals))
    }

    @discardableResult
    func tap(_ action: Action?, file: StaticString = #fileID, line: UInt = #line) throws -> ViewModel {
        let action = try unwrap(action, "the action", file: file, line: line)
        return send(action.event)
    }

    /// The form on screen.
    func form(file: StaticString = #fileID, line: UInt = #line) throws -> IntakeView {
        guard case .recordIncident(let form) = view.screen else {
            throw fail("expected the intake form, got \(view.screen)", file: file, line: line)
        }
        return form
    }

    private func field(_ field: IntakeField, row: UInt32, file: StaticString, line: UInt) throws -> FieldView {
        let form = try form(file: file, line: line)
        let shown = form.fields + form.rows.flatMap { $0.fields }
        guard let found = shown.first(where: { $0.field == field && $0.row == row }) else {
            throw fail("\(field) is not shown on \(form.step)", file: file, line: line)
        }
        return found
    }

    /// Types into a text, date or number field.
    @discardableResult
    func type(
        _ field: IntakeField, _ text: String, row: UInt32 = 0,
        file: StaticString = #fileID, line: UInt = #line
    ) throws -> ViewModel {
        let shown = try self.field(field, row: row, file: file, line: line)
        return send(.setIntake(field: shown.field, row: shown.row, value: text))
    }

    /// Taps the choice labelled `label` of a field.
    @discardableResult
    func choose(
        _ field: IntakeField, _ label: String, row: UInt32 = 0,
        file: StaticString = #fileID, line: UInt = #line
    ) throws -> ViewModel {
        let options: [Choice]
        switch try self.field(field, row: row, file: file, line: line).kind {
        case .choice(let o), .multiChoice(let o), .yesNo(let o): options = o
        default: throw fail("\(field) has no choices", file: file, line: line)
        }
        guard let choice = options.first(where: { $0.label == label }) else {
            throw fail("no choice '\(label)' in \(field): \(options.map { $0.label })", file: file, line: line)
        }
        return send(choice.event)
    }

    /// The fields showing an error, with its code.
    func errors() throws -> [String] {
        let form = try form()
        return (form.fields + form.rows.flatMap { $0.fields })
            .compactMap { f in f.error.map { "\(f.field)=\($0.code)" } }
    }

    func home(file: StaticString = #fileID, line: UInt = #line) throws -> HomeView {
        guard case .home(let home) = view.screen else {
            throw fail("expected the home screen, got \(view.screen)", file: file, line: line)
        }
        return home
    }

    var onCamouflage: Bool {
        if case .camouflage = view.screen { return true }
        return false
    }
}

private func firstRunRecordQuickExit() throws {
    let phone = try Phone()
    try expect(phone.onCamouflage, "starts on the camouflage, got \(phone.view.screen)")
    try expect(phone.view.quickExit == nil, "the camouflage shows nothing but a calculator")

    let gate = phone.openGate()
    guard case .setup = gate.screen else { throw fail("the gate opens the first run, got \(gate.screen)") }
    phone.send(.setField(field: .pin, value: pin))
    phone.send(.setField(field: .pinConfirm, value: pin))
    phone.send(.submit)
    let home = try phone.home()
    try expectEqual(home.noCases, "Chưa có hồ sơ nào", "empty home")

    let record = try unwrap(home.actions.first { $0.label == "Ghi nhận vụ việc" }, "the record action")
    try expect(record.enabled, "recording is enabled")
    try phone.tap(record)
    try expectEqual(try phone.form().step, .survivor, "first step")

    // Every error of the step at once; the step stays.
    try phone.tap(try phone.form().next)
    try expectEqual(try phone.form().step, .survivor, "step after an empty next")
    try expectEqual(
        try phone.errors(), ["survivorCode=required", "sex=required", "commune=required"], "errors")

    try phone.type(.survivorCode, "SYN-SW-01")
    try phone.choose(.sex, "nữ")
    try phone.type(.ageYears, "15")
    try phone.choose(.student, "Có")
    try phone.type(.school, "Synthetic school Vexmorrow (giả lập)")
    try phone.choose(.commune, "Xã Mù Cả")
    try phone.tap(try phone.form().next)
    try expectEqual(try phone.form().step, .incident, "second step")

    try phone.type(.incidentDate, "10/11/2026")
    try phone.choose(.placeType, "trường học")
    try phone.choose(.incidentCommune, "Xã Mù Cả")
    try phone.choose(.violenceType, "bạo lực tinh thần")
    try phone.choose(.contexts, "bạo lực học đường")
    try phone.type(.account, "Synthetic account Quillfeather, NOT REAL")
    try phone.tap(try phone.form().next)
    try expectEqual(try phone.form().step, .perpetrators, "third step")

    try phone.choose(.perpetratorSex, "nam")
    try phone.choose(.perpetratorRelationship, "bạn học")
    try phone.tap(try phone.form().next)
    try phone.tap(try phone.form().next)
    try expectEqual(try phone.form().step, .consent, "fifth step")

    try phone.choose(.statisticsConsent, "Có")
    try phone.tap(try phone.form().addRow)
    try phone.choose(.consentService, "hỗ trợ tâm lý")
    try phone.type(.consentRecipient, "Synthetic school counselor")
    try phone.choose(.consentGranted, "Có")
    try phone.tap(try phone.form().next)
    let review = try phone.form()
    try expectEqual(review.step, .review, "last step")
    try expect(review.problems.isEmpty, "no problems on review: \(review.problems)")
    let survivorRows = try unwrap(review.review.first, "the review's first section").rows
    try expect(
        survivorRows.contains { $0.code == "survivor_code" && $0.value == "SYN-SW-01" },
        "the review shows the survivor code: \(survivorRows)")

    let saved = try phone.tap(review.save)
    guard case .caseSummary = saved.screen else { throw fail("saving shows the case, got \(saved.screen)") }
    try expectEqual(saved.messages.map { $0.reason.code }, ["case_saved"], "messages after saving")

    phone.send(.back)
    try expectEqual(try phone.home().recent.count, 1, "recent cases on the home screen")

    // Quick exit from anywhere: the camouflage, locked, the app hidden.
    try phone.tap(phone.send(.open(target: .caseList)).quickExit)
    try expect(phone.onCamouflage, "quick exit shows the camouflage, got \(phone.view.screen)")
    try expect(!phone.core.isUnlocked(), "quick exit locks")
    try expectEqual(phone.shell.effects, [.hideApp], "effects")
    try expect(!String(describing: phone.view).contains("SYN-SW-01"), "the camouflage shows no case")
}

private func refusals() throws {
    let phone = try Phone(lang: .en)
    // On the camouflage: nothing reacts, nothing is said.
    let ignored = phone.send(.setIntake(field: .survivorCode, row: 0, value: "SYN-X"))
    try expect(phone.onCamouflage, "still the camouflage, got \(ignored.screen)")
    try expect(ignored.messages.isEmpty, "the camouflage says nothing: \(ignored.messages)")
    phone.openGate()
    phone.send(.setField(field: .pin, value: pin))
    phone.send(.setField(field: .pinConfirm, value: pin))
    phone.send(.submit)
    _ = try phone.home()
    // A hammered case id, a form event on the home screen, a digit > 9.
    let refused = phone.send(.openCase(id: "not a case id"))
    try expectEqual(refused.messages.map { $0.reason.code }, ["case_not_found"], "a bad case id")
    try expectEqual(phone.send(.next).messages.map { $0.reason.code }, ["not_available_here"], "next on home")
    try expectEqual(
        phone.send(.pinPad(key: .digit(digit: 42))).messages.map { $0.reason.code }, ["not_available_here"],
        "a PIN digit of 42")
    // A hidden field of the form.
    phone.send(.open(target: .recordIncident))
    let hidden = phone.send(.setIntake(field: .school, row: 0, value: "x"))
    let notice = try unwrap(hidden.messages.first, "the refusal")
    try expectEqual(hidden.messages.count, 1, "one message")
    try expectEqual(notice.reason.code, "not_available_here", "a hidden field")
    try expectEqual(notice.reason.text, "This cannot be done on this screen", "its text")
}
