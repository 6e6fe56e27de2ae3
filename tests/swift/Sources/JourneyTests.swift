// The team journey through a real binhan-server on loopback (started by
// tests/swift/run.sh, which hands its address and a one-time officer code
// in BINHAN_SERVER_URL and BINHAN_BOOTSTRAP_CODE), every phone driven only
// through AppCore as a SwiftUI shell drives it: the officer enrols and
// invites a commune case manager from the app, the manager invites a
// collaborator, the collaborator records an incident offline and syncs,
// and the manager sees the case after a sync. A port of the Kotlin
// journey. All data is synthetic.
import Foundation

let journeyTests = [
    TestCase(
        name: "officer, manager and collaborator enrol from the app; the manager sees the recorded case",
        body: teamJourney),
]

extension Phone {
    /// First run: the gate and a PIN twice; the home screen.
    func firstRun() throws {
        openGate()
        send(.setField(field: .pin, value: pin))
        send(.setField(field: .pinConfirm, value: pin))
        send(.submit)
        _ = try home()
    }

    /// Waits (at most 30 s) until a background job asked for a redraw and
    /// `done` holds for the view.
    @discardableResult
    func waitFor(_ what: String, _ done: (ViewModel) -> Bool) throws -> ViewModel {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let current = core.view()
            if done(current) { return send(.tick) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw fail("the background never finished: \(what), on \(core.view().screen)")
    }

    func syncView() -> SyncView? {
        if case .sync(let view) = core.view().screen { return view }
        return nil
    }

    /// Enrols through the sync screen with `code`, and waits for the first
    /// sync.
    func enrol(_ server: String, _ code: String, label: String) throws {
        send(.open(target: .sync))
        send(.open(target: .enrol))
        send(.setField(field: .serverUrl, value: server))
        send(.setField(field: .invitationCode, value: code))
        send(.setField(field: .deviceLabel, value: label))
        send(.submit)
        try waitFor("enrolment") { _ in
            guard let sync = self.syncView() else { return false }
            return sync.progress == nil && (sync.error != nil || !sync.enrolledAs.isEmpty)
                && sync.lastSync.value != "chưa đồng bộ lần nào"
        }
        let sync = try unwrap(syncView(), "the sync screen")
        try expect(sync.error == nil, "enrolled without an error: \(String(describing: sync.error))")
    }

    /// Syncs from the sync screen, to the end.
    func syncNow() throws {
        let before = syncView()?.lastSync.value
        send(.open(target: .sync))
        send(.syncNow)
        try waitFor("sync") { _ in
            guard let sync = self.syncView() else { return false }
            return sync.progress == nil && (sync.error != nil || sync.lastSync.value != before)
        }
        try expect(syncView()?.error == nil, "synced without an error")
    }

    /// Makes an invitation for the role labelled `role` (in the commune
    /// labelled `commune`, when the screen asks) from the home screen.
    func invite(_ role: String, commune: String? = nil) throws -> String {
        send(.open(target: .home))
        try tap(try home().actions.first { $0.label == "Mời thiết bị" })
        guard case .invite(let form) = view.screen else { throw fail("expected the invite screen") }
        send(try unwrap(form.roles.first { $0.label == role }, "the role \(role)").event)
        if let commune {
            guard case .invite(let asked) = view.screen else { throw fail("expected the invite screen") }
            send(try unwrap(asked.communes.first { $0.label == commune }, "the commune \(commune)").event)
        }
        guard case .invite(let ready) = view.screen else { throw fail("expected the invite screen") }
        try tap(ready.submit)
        let made = try waitFor("invitation") { view in
            if case .invite(let v) = view.screen { return !v.invitation.isEmpty }
            return false
        }
        guard case .invite(let done) = made.screen else { throw fail("expected the invite screen") }
        return try unwrap(done.invitation.first { $0.code == "code" }, "the code").value
    }
}

private func teamJourney() throws {
    let env = ProcessInfo.processInfo.environment
    let server = try unwrap(env["BINHAN_SERVER_URL"], "BINHAN_SERVER_URL (run tests/swift/run.sh)")
    let bootstrap = try unwrap(env["BINHAN_BOOTSTRAP_CODE"], "BINHAN_BOOTSTRAP_CODE")

    let officer = try Phone()
    try officer.firstRun()
    try officer.enrol(server, bootstrap, label: "synthetic officer (Swift)")
    let managerCode = try officer.invite("cán bộ phụ trách (UBND xã)", commune: "Xã Pa Ủ")

    let manager = try Phone()
    try manager.firstRun()
    try manager.enrol(server, managerCode, label: "synthetic manager (Swift)")
    // The manager invites into the manager's own commune.
    let collaboratorCode = try manager.invite("cộng tác viên cơ sở")

    let collaborator = try Phone()
    try collaborator.firstRun()
    try collaborator.enrol(server, collaboratorCode, label: "synthetic collaborator (Swift)")
    collaborator.send(.open(target: .home))
    try collaborator.tap(try collaborator.home().actions.first { $0.label == "Ghi nhận vụ việc" })
    try collaborator.type(.survivorCode, "SYN-SW-TEAM")
    try collaborator.choose(.sex, "nữ")
    try collaborator.tap(try collaborator.form().next)
    try collaborator.type(.incidentDate, "10/11/2026")
    try collaborator.choose(.placeType, "nhà của người bị bạo lực")
    try collaborator.choose(.violenceType, "bạo lực thể chất")
    try collaborator.type(.account, "Synthetic account Quillfeather (Swift), NOT REAL")
    try collaborator.tap(try collaborator.form().next)
    try collaborator.tap(try collaborator.form().rows.first?.remove)
    collaborator.send(.goToStep(step: .consent))
    try collaborator.choose(.statisticsConsent, "Có")
    try collaborator.tap(try collaborator.form().next)
    let review = try collaborator.form()
    try expect(review.problems.isEmpty, "no problems on review: \(review.problems)")
    try collaborator.tap(review.save)
    try collaborator.syncNow()

    try manager.syncNow()
    manager.send(.open(target: .home))
    let recent = try manager.home().recent.map { $0.title }
    try expect(recent.contains("SYN-SW-TEAM"), "the manager sees the case: \(recent)")
}
